"""The share chart of the per-outlet report page, drawn on the server as SVG geometry."""

from annotate.display import display_name, excerpt, percent, undefined

CHART_LEFT = 230  # room for the outlet's name
NAME_CHARS = 30  # longer names are shortened in the chart (the bars' tooltips give them whole)
CHART_WIDTH = 460  # the 0-100% axis
BAR = 12
GAP = 4
BLOCK_GAP = 14


def _n(value):
    """An SVG coordinate as text (never localised)."""
    return f"{value:.1f}"


def share_chart(report, labels, names):
    """Geometry of the SVG chart: per outlet, one bar per passage type (its share among the
    outlet's resolved passages) with a whisker for the Wilson 95% interval. Drawn on the
    server: no script, no inline style."""
    outlets, y = [], 30
    for record in report.to_dict("records"):
        bars = []
        for index, value in enumerate(labels):
            share = record.get(f"share_{value}")
            top = y + index * (BAR + GAP)
            bar = {
                "y": _n(top),
                "mid": _n(top + BAR / 2),
                "cap_top": _n(top + 1),
                "cap_bottom": _n(top + BAR - 1),
                "text_y": _n(top + BAR - 2),
                "index": index,
                "name": display_name(value, names),
                "defined": not undefined(share),
                "empty_x": _n(CHART_LEFT + 4),
            }
            if bar["defined"]:
                low, high = record[f"share_{value}_low"], record[f"share_{value}_high"]
                bar.update(
                    width=_n(share * CHART_WIDTH),
                    low=_n(CHART_LEFT + low * CHART_WIDTH),
                    high=_n(CHART_LEFT + high * CHART_WIDTH),
                    label=f"{percent(share)} ({100 * low:.1f}–{100 * high:.1f}%), "
                    f"{int(record[f'final_{value}'])} of {int(record['resolved'])} resolved passages",
                )
            bars.append(bar)
        height = len(labels) * (BAR + GAP)
        name = str(record["outlet"])
        short = excerpt(name, NAME_CHARS)
        outlets.append({"name": name, "short": short, "y": _n(y + height / 2 + 4), "bars": bars})
        y += height + BLOCK_GAP
    axis = y - BLOCK_GAP + 4
    ticks = [{"x": _n(CHART_LEFT + CHART_WIDTH * t / 4), "label": f"{25 * t}%"} for t in range(5)]
    legend = [
        {
            "x": _n(CHART_LEFT + i * 150),
            "text_x": _n(CHART_LEFT + i * 150 + 14),
            "index": i,
            "name": display_name(v, names),
        }
        for i, v in enumerate(labels)
    ]
    return {
        "outlets": outlets,
        "ticks": ticks,
        "legend": legend,
        "left": _n(CHART_LEFT),
        "text_x": _n(CHART_LEFT - 8),
        "axis_y": _n(axis),
        "tick_y": _n(axis + 14),
        "height": _n(axis + 22),
        "width": _n(CHART_LEFT + CHART_WIDTH + 24),
    }
