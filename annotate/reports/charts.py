"""The charts of the report pages, drawn on the server as SVG geometry: the per-outlet share
chart and the outlet comparisons' forest plot (no script, no inline style)."""

import math

from annotate.display import (
    count,
    display_name,
    excerpt,
    p_value,
    percent,
    percent_range,
    signed,
    undefined,
)

CHART_LEFT = 230  # room for the outlet's name
NAME_CHARS = 30  # longer names are shortened in the chart (the bars' tooltips give them whole)
CHART_WIDTH = 540  # the 0-100% axis
BAR = 12
GAP = 4
BLOCK_GAP = 14
NOTE_WIDTH = 360  # right of the bars, why an outlet's bars have no whiskers (when one has none)
NOTE_CHARS = 54


def _n(value):
    """An SVG coordinate as text (never localised)."""
    return f"{value:.1f}"


LEGEND_SWATCH = 14  # a legend entry: swatch and gap, then its name
LEGEND_CHAR = 7  # about one character of the 12 px legend text
LEGEND_GAP = 18


def _legend(labels, names, top):
    """Legend entries laid out left to right from the plot's left edge, wrapping onto a new
    line before an entry would pass the plot's right edge; returns (entries, next free y)."""
    entries, x, y = [], CHART_LEFT, top
    for index, value in enumerate(labels):
        name = display_name(value, names)
        width = LEGEND_SWATCH + LEGEND_CHAR * len(name)
        if x > CHART_LEFT and x + width > CHART_LEFT + CHART_WIDTH:
            x, y = CHART_LEFT, y + 16
        entries.append(
            {
                "x": _n(x),
                "y": _n(y),
                "text_x": _n(x + LEGEND_SWATCH),
                "text_y": _n(y + 9),
                "index": index,
                "name": name,
            }
        )
        x += width + LEGEND_GAP
    return entries, y + 26


def share_chart(report, labels, names):
    """Geometry of the SVG chart: per outlet, one bar per passage type (its share among the
    outlet's resolved passages) with a whisker for its 95% interval with documents as clusters
    (``share_<type>_doc_low``/``_doc_high``: passages of one article are not independent).
    A bar whose clustered interval is undefined (one document, no spread) has no whisker; its
    tooltip says why, and so does a note right of the outlet's bars. Drawn on the server: no
    script, no inline style."""
    legend, y = _legend(labels, names, 4)
    grid_top = y - 8
    outlets = []
    for record in report.to_dict("records"):
        bars, reasons = [], []
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
                low = record.get(f"share_{value}_doc_low")
                high = record.get(f"share_{value}_doc_high")
                counted = (
                    f"{count(record[f'final_{value}'])} of {count(record['resolved'])} "
                    "resolved passages"
                )
                bar.update(width=_n(share * CHART_WIDTH), interval=False)
                if undefined(low) or undefined(high):
                    reason = record.get(f"share_{value}_doc_note") or "cannot be estimated"
                    reasons.append(reason)
                    bar["label"] = f"{percent(share)} (no interval: {reason}), {counted}"
                else:
                    bar.update(
                        interval=True,
                        low=_n(CHART_LEFT + low * CHART_WIDTH),
                        high=_n(CHART_LEFT + high * CHART_WIDTH),
                        label=f"{percent(share)} (95% interval, documents as clusters: "
                        f"{percent_range(low, high, places=1)}), {counted}",
                    )
            bars.append(bar)
        height = len(labels) * (BAR + GAP)
        name = str(record["outlet"])
        short = excerpt(name, NAME_CHARS)
        note = "no interval: " + "; ".join(dict.fromkeys(reasons)) if reasons else ""
        outlets.append(
            {
                "name": name,
                "short": short,
                "y": _n(y + height / 2 + 4),
                "bars": bars,
                "note": note,
                "note_short": excerpt(note, NOTE_CHARS),
            }
        )
        y += height + BLOCK_GAP
    axis = y - BLOCK_GAP + 4
    ticks = [{"x": _n(CHART_LEFT + CHART_WIDTH * t / 4), "label": f"{25 * t}%"} for t in range(5)]
    return {
        "outlets": outlets,
        "ticks": ticks,
        "legend": legend,
        "left": _n(CHART_LEFT),
        "text_x": _n(CHART_LEFT - 8),
        "grid_top": _n(grid_top),
        "axis_y": _n(axis),
        "tick_y": _n(axis + 14),
        "height": _n(axis + 22),
        "note_x": _n(CHART_LEFT + CHART_WIDTH + 16),
        "width": _n(
            CHART_LEFT + CHART_WIDTH + 24 + (NOTE_WIDTH if any(o["note"] for o in outlets) else 0)
        ),
    }


# ------------------------------------------------------------------------------ comparisons

FOREST_LEFT = 430  # room for "Outlet A vs Outlet B"
FOREST_LABEL = 64  # characters of that label (about 6.3 px each at 12 px); the tooltip has it all
FOREST_WIDTH = 500
FOREST_ROW = 18


def tick_step(reach):
    """The largest round step between axis ticks (1, 2, 2.5 or 5 times a power of ten) that
    puts at least two ticks on each side of zero on an axis reaching ``reach`` (> 0) each
    way; there are at most four."""
    most = reach / 2
    power = 10 ** math.floor(math.log10(most))
    return max(m * power for m in (1, 2, 2.5, 5) if m * power <= most * (1 + 1e-9))


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
        other = "the rest" if r["outlet_b"] == "rest" else r["outlet_b"]
        label = f"{r['outlet_a']} vs {other}"
        item = {
            "label": excerpt(label, FOREST_LABEL),
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
                    f"{label}: difference {signed(scale * r['difference'])}{suffix}"
                    + (
                        f" (95% interval {signed(scale * r['low'])} to {signed(scale * r['high'])})"
                        if has_interval
                        else ""
                    )
                    + (
                        f", adjusted p {p_value(r['p_adjusted'])}"
                        if not undefined(r["p_adjusted"])
                        else ""
                    )
                ),
            )
        else:
            item["reason"] = r.get("status") or "undefined"
        items.append(item)
        y += FOREST_ROW
    step = tick_step(reach * scale)
    steps = int(reach * scale / step + 1e-9)
    ticks = [
        {"x": x(k * step / scale), "label": f"{k * step:+g}{suffix}" if k else "0"}
        for k in range(-steps, steps + 1)
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
