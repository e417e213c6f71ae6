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


# ------------------------------------------------------------------------------ comparisons

FOREST_LEFT = 300  # room for "Outlet A vs Outlet B"
FOREST_WIDTH = 420
FOREST_ROW = 18


def forest_plot(rows, unit_percent=True):
    """Geometry of a forest plot: one row per comparison of one measure, its difference as a
    dot and its 95% interval as a line, on an axis symmetric around zero (no difference).
    Rows significant after the correction are marked; comparisons with too few documents
    are listed as such, with no dot. ``rows``: comparison records of one measure."""
    compared = [r for r in rows if not undefined(r["difference"])]
    reach = max(
        [abs(r[k]) for r in compared for k in ("low", "high", "difference") if not undefined(r[k])]
        or [1.0]
    )
    reach = reach * 1.05 or 1.0
    centre = FOREST_LEFT + FOREST_WIDTH / 2

    def x(value):
        return _n(centre + value / reach * FOREST_WIDTH / 2)

    scale = 100 if unit_percent else 1
    suffix = " pts" if unit_percent else ""
    items, y = [], 28
    for r in rows:
        label = r["outlet_a"] + (" vs rest" if r["outlet_b"] == "rest" else f" vs {r['outlet_b']}")
        item = {
            "label": excerpt(label, 44),
            "full": label,
            "y": _n(y),
            "text_y": _n(y + 4),
            "defined": not undefined(r["difference"]),
        }
        if item["defined"]:
            has_interval = not (undefined(r["low"]) or undefined(r["high"]))
            significant = not undefined(r["p_adjusted"]) and r["p_adjusted"] < 0.05
            item.update(
                x=x(r["difference"]),
                low=x(r["low"]) if has_interval else None,
                high=x(r["high"]) if has_interval else None,
                significant=significant,
                title=(
                    f"{label}: difference {scale * r['difference']:+.1f}{suffix}"
                    + (
                        f" (95% interval {scale * r['low']:+.1f} to {scale * r['high']:+.1f})"
                        if has_interval
                        else ""
                    )
                    + (
                        f", adjusted p {r['p_adjusted']:.3f}"
                        if not undefined(r["p_adjusted"])
                        else ""
                    )
                ),
            )
        else:
            item["reason"] = r.get("status") or "undefined"
        items.append(item)
        y += FOREST_ROW
    ticks = [
        {"x": x(v), "label": f"{scale * v:+.0f}{suffix}" if v else "0"}
        for v in (-reach * 0.9, -reach * 0.45, 0.0, reach * 0.45, reach * 0.9)
    ]
    return {
        "rows": items,
        "ticks": ticks,
        "zero": _n(centre),
        "left": _n(FOREST_LEFT),
        "text_x": _n(FOREST_LEFT - 8),
        "empty_x": _n(FOREST_LEFT + 4),
        "axis_y": _n(y),
        "tick_y": _n(y + 14),
        "height": _n(y + 22),
        "width": _n(FOREST_LEFT + FOREST_WIDTH + 20),
    }
