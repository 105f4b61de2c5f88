"""The layout of an exported image: title, one-line subtitle, legend, the chart, and a two-line footer.

In the manner of newsroom charts: what the chart shows on top (title, then what, unit and who reports in
one line), the legend under them, and at the bottom the source by its name with its release, who reported
the figures and their valuation, then a short link to the view. The long definitions, licence and query
stay in the HTML page and the CSV/XLSX About sheet.

Every band of the image is reserved by measuring its text (`text_width`, the advance widths of DejaVu
Sans, the widest of the common sans-serif fonts and the one Debian's Chromium falls back to), never left
to plotly's `automargin`, which knows nothing of the annotations added here: text that would not fit the
width is wrapped (the title, at most two lines) or shortened with an ellipsis (subtitle, footer).

Month axes get explicit ticks (`month_ticks`): the page writes month names through plotly's locale, but an
image rendered by kaleido carries no locale reliably, so the image names the months itself, from CLDR in
its language, at a step that keeps the labels apart at the image's width.
"""

from __future__ import annotations

import html
import math
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Final
from urllib.parse import parse_qsl, urlencode, urlsplit

import plotly.graph_objects as go

from dashboard.i18n import area_name, label, month_names

if TYPE_CHECKING:
    from dashboard.export import ChartMetadata


@dataclass(frozen=True)
class ImageSize:
    """A preset of exported images: CSS pixels (`height` None: the plot keeps the page's height and the
    image grows by the title and footer), the PNG scale, and the sizes of the layout's text."""

    name: str
    width: int
    height: int | None
    png_scale: float
    title_font: int
    subtitle_font: int
    footer_font: int


SIZES: Final = {
    "default": ImageSize("default", 1200, None, 2.0, 18, 13, 11),
    # The card social networks show (1.91:1 by 16:9 conventions, 1200 x 675): exact pixels, no scaling.
    "social": ImageSize("social", 1200, 675, 1.0, 22, 15, 12),
    # A4 landscape at 96 CSS px per inch (297 x 210 mm): a PDF page of 842 x 595 pt.
    "a4": ImageSize("a4", 1123, 794, 2.0, 20, 14, 11),
}
SIZE_NAMES: Final = tuple(SIZES)

PAD: Final = 16  # px between the canvas edge and any text
LINE: Final = 1.3  # line height as a multiple of the font size (plotly's own is 1.3)
MUTED_INK: Final = "#52606D"
TICK_BAND: Final = 34  # below the plot: tick length, pad and one line of 13 px tick labels
COLORBAR_BAND: Final = 64  # below a map: its horizontal colour bar, its ticks and title
LEGEND_ROW: Final = 24  # one row of a horizontal legend of 13 px text
LEGEND_ENTRY: Final = 50  # a legend entry's symbol and gaps besides its text
SUBPLOT_TITLES: Final = 24  # room above the plot for subplot titles (annotations at the plot's top)
MIN_PLOT: Final = 160  # a fixed-size image never squeezes its plot below this
ELLIPSIS: Final = "…"
TICK_GAP: Final = 12  # px at least between two neighbouring tick labels
# Months between two labelled ticks, tried in order until the labels fit: calendar steps, so the ticks fall
# on the same months every year (Jan, Apr, Jul, Oct at 3); from 12 on, Januaries labelled by the year alone.
MONTH_STEPS: Final = (1, 2, 3, 6, 12, 24, 60, 120)

# Advance widths of DejaVu Sans in ems (2048 units); characters not listed take `_WIDE` (capitals, most
# Cyrillic) or `_NARROW`/`_DEFAULT` as their class says. Bold text is about 10 % wider.
_WIDTHS: Final = {
    **dict.fromkeys(" .,:;'|!", 0.32),
    **dict.fromkeys("ijlI", 0.28),
    **dict.fromkeys("ft()[]/\\", 0.40),
    **dict.fromkeys("r-", 0.42),
    **dict.fromkeys("sz", 0.53),
    **dict.fromkeys("mMW—", 1.0),
    **dict.fromkeys("wжшщюыЖШЩЮЫ%&@", 0.95),
    **dict.fromkeys("=+<>~#", 0.84),
    "–": 0.5,
    "·": 0.32,
    "’": 0.32,
    "“": 0.52,
    "”": 0.52,
    "$": 0.64,
    "?": 0.54,
    "_": 0.5,
}
_DEFAULT: Final = 0.64  # lower-case letters and digits
_WIDE: Final = 0.76  # capitals
_BOLD: Final = 1.1


def text_width(text: str, size: float, *, bold: bool = False) -> float:
    """The width in px of one line of `text` at `size` px (a little over the rendered width, never under)."""
    ems = sum(_WIDTHS.get(c, _WIDE if c.isupper() else _DEFAULT) for c in text)
    return ems * size * (_BOLD if bold else 1.0)


def shortened(text: str, size: float, width: float, *, bold: bool = False) -> str:
    """`text`, cut at a word (or a character when one word is too long) and ended by an ellipsis so that it
    fits `width` px; unchanged when it fits."""
    if text_width(text, size, bold=bold) <= width:
        return text
    words = text.split(" ")
    while len(words) > 1:
        words.pop()
        candidate = " ".join(words).rstrip(" ,;:·") + ELLIPSIS
        if text_width(candidate, size, bold=bold) <= width:
            return candidate
    cut = text
    while cut and text_width(cut + ELLIPSIS, size, bold=bold) > width:
        cut = cut[:-1]
    return cut + ELLIPSIS


def wrapped(text: str, size: float, width: float, *, lines: int, bold: bool = False) -> list[str]:
    """`text` in at most `lines` lines of at most `width` px, the last one shortened when it still overflows."""
    result: list[str] = []
    words = text.split()
    while words and len(result) < lines - 1:
        line = words.pop(0)
        while words and text_width(f"{line} {words[0]}", size, bold=bold) <= width:
            line = f"{line} {words.pop(0)}"
        if text_width(line, size, bold=bold) > width:  # one word wider than the line: leave it to the last
            words.insert(0, line)
            break
        result.append(line)
    if words:
        result.append(shortened(" ".join(words), size, width, bold=bold))
    return result


# --- what the footer says ----------------------------------------------------------------------------------


def source_line(metadata: ChartMetadata, lang: str) -> str:
    """`Source: IMF, Direction of Trade Statistics (DOTS), release 2022 · reported by Azerbaijan · exports
    FOB, imports CIF`: the source by its name, never its id."""
    citation = metadata.citation
    if citation is None:  # no rows (the chart's own words say so), or metadata made by hand
        return metadata.source.rstrip(".")
    # The store's attributions read "Source: IMF, ...": the word comes from the label, in the image's language.
    names = "; ".join(a.removeprefix("Source:").strip() for a in citation.attributions)
    releases = [release for release, _ in citation.releases]
    if releases:
        key = "export.release" if len(releases) == 1 else "export.releases"
        names = f"{names}, {label(lang, key).format(release=', '.join(releases))}"
    parts = [label(lang, "export.source").format(source=names)]
    reporter = area_name(citation.reporter, citation.reporter_name, lang)
    parts.append(label(lang, "export.reported_by").format(reporter=reporter))
    valuations = [
        label(lang, f"export.valuation.{flow}").format(valuation=valuation)
        for flow, valuation in citation.valuations
    ]
    if valuations:
        parts.append(", ".join(valuations))
    return " · ".join(parts)


def short_link(link: str, keep: tuple[str, ...] = ()) -> str:
    """The link without its scheme and, when `keep` names them, only the parameters the chart reads."""
    parts = urlsplit(link)
    if not parts.netloc:
        return link
    query = parse_qsl(parts.query, keep_blank_values=False)
    if keep:
        query = [(name, value) for name, value in query if name in keep]
    search = "?" + urlencode(query, safe=",") if query else ""
    return f"{parts.netloc}{parts.path}{search}"


# --- month ticks ------------------------------------------------------------------------------------------


def month_ticks(
    months: Iterable[tuple[int, int]], lang: str, *, width: float, font_size: float
) -> dict[str, object]:
    """Explicit ticks for a date axis of the (year, month) periods `months`, `width` px wide: `tickvals`
    (the first day of each labelled month) and `ticktext` (`gen 2020`, `июнь 2020` with CLDR's abbreviated
    months in `lang`; the year alone once the step reaches a year), at the smallest of MONTH_STEPS whose
    widest label and TICK_GAP fit between two ticks. No months: no ticks (an empty dict)."""
    indices = sorted({year * 12 + month - 1 for year, month in months})
    if not indices:
        return {}
    first, last = indices[0], indices[-1]
    # plotly pads the range by about half a month each side (markers, the balance bars): one month more.
    per_month = width / (last - first + 1)
    names = month_names(lang, width="abbreviated")
    ticks: list[int] = []
    texts: list[str] = []
    for step in MONTH_STEPS:
        ticks = [i for i in range(first, last + 1) if i % step == 0] or [first]
        if step < 12:
            texts = [f"{names[i % 12]} {i // 12}" for i in ticks]
        else:
            ticks = [i for i in range(first - first % 12, last + 1, 12) if (i // 12) % (step // 12) == 0]
            ticks = [i for i in ticks if i >= first] or [first]
            texts = [str(i // 12) if i % 12 == 0 else f"{names[i % 12]} {i // 12}" for i in ticks]
        widest = max(text_width(text, font_size) for text in texts)
        if widest + TICK_GAP <= step * per_month or len(ticks) == 1:
            break
    return {
        "tickmode": "array",
        "tickvals": [f"{i // 12:04d}-{i % 12 + 1:02d}-01" for i in ticks],
        "ticktext": texts,
    }


def _month_of(value: object) -> tuple[int, int] | None:
    """(year, month) of an x value on a date axis: a date or datetime, or text `YYYY-MM...`."""
    year, month = getattr(value, "year", None), getattr(value, "month", None)
    if isinstance(year, int) and isinstance(month, int):
        return year, month
    found = re.match(r"(\d{4})-(\d{2})", str(value))
    return (int(found[1]), int(found[2])) if found else None


def _with_month_ticks(figure: go.Figure, lang: str, *, plot_width: float, font_size: float) -> None:
    """Explicit month ticks (`month_ticks`) on each date axis of `figure` that names months (`%b` in its
    tick format, as dashboard.figures.periods.time_axis writes it for months); year axes keep theirs."""
    axes = [name for name in figure.layout.to_plotly_json() if re.fullmatch(r"xaxis\d*", name)]
    for name in axes:
        axis = figure.layout[name]
        if axis.type != "date" or "%b" not in (axis.tickformat or ""):
            continue
        ref = "x" + name.removeprefix("xaxis")
        months = [
            month
            for trace in figure.data
            if (getattr(trace, "xaxis", None) or "x") == ref and getattr(trace, "x", None) is not None
            for month in map(_month_of, trace.x)
            if month is not None
        ]
        start, end = axis.domain or (0.0, 1.0)
        axis.update(month_ticks(months, lang, width=plot_width * (end - start), font_size=font_size))


# --- the layout ------------------------------------------------------------------------------------------


def _legend_entries(figure: go.Figure) -> list[str]:
    if figure.layout.showlegend is False:
        return []
    names = [
        str(trace.name)
        for trace in figure.data
        if trace.showlegend is not False and trace.name and trace.type not in ("choropleth", "choroplethmap")
    ]
    return names if len(names) > 1 or any(t.showlegend for t in figure.data) else []


def _legend_rows(names: list[str], width: float, size: float) -> int:
    """Rows of a horizontal legend of `names` in `width` px (plotly wraps entries that do not fit)."""
    rows, used = (1, 0.0) if names else (0, 0.0)
    for name in names:
        entry = LEGEND_ENTRY + text_width(name, size)
        if used and used + entry > width:
            rows, used = rows + 1, 0.0
        used += entry
    return rows


def _y_labels_width(figure: go.Figure, size: float) -> float:
    """The width the left axis's labels take: the widest partner name of a horizontal bar chart, else the
    widest money or rank label plotly writes (`−$00.0 bn`) and the axis title beside them; 0 for a map."""
    names = [
        str(v)
        for trace in figure.data
        if trace.type == "bar" and trace.orientation == "h" and trace.y is not None
        for v in trace.y
    ]
    if names:
        return max(text_width(name, size) for name in names) + 8
    if not any(trace.type in ("scatter", "bar") for trace in figure.data):
        return 0.0
    titled = bool(figure.layout.yaxis.title.text)
    return text_width("−$00.0 bn", size) + 8 + (size * LINE + 6 if titled else 0)


def _horizontal_colorbar(figure: go.Figure) -> bool:
    return any(
        getattr(trace, "colorbar", None) and trace.colorbar.orientation == "h" for trace in figure.data
    )


def _has_top_annotations(figure: go.Figure) -> bool:
    return any(a.yref == "paper" and (a.y or 0) >= 0.999 for a in figure.layout.annotations)


def figure_with_footer(
    figure: go.Figure,
    metadata: ChartMetadata,
    *,
    size: str = "default",
    lang: str = "en",
    link_keys: tuple[str, ...] = (),
) -> go.Figure:
    """A copy of `figure` laid out for export at the size preset `size`: title (bold, up to two lines) and
    one-line subtitle on top, the legend under them, the plot, then the tick labels and a footer of two
    lines (source; short link). The plot keeps the page's height at the default size; at a fixed size it
    takes what the text leaves. Text from the data is escaped: plotly reads a subset of HTML in its text.
    """
    preset = SIZES[size]
    width = preset.width
    tick_font = float(figure.layout.font.size or 13)
    text_px = width - 2 * PAD
    exported = go.Figure(figure)

    title_lines = wrapped(metadata.title, preset.title_font, text_px, lines=2, bold=True)
    subtitle = shortened(metadata.subtitle, preset.subtitle_font, text_px) if metadata.subtitle else ""
    top = PAD + len(title_lines) * preset.title_font * LINE
    if subtitle:
        top += preset.subtitle_font * LINE + 10  # plotly leaves a gap of about half a line above it
    legend_top = top + 8
    entries = _legend_entries(figure)
    legend_rows = _legend_rows(entries, text_px, tick_font)
    top = legend_top + legend_rows * LEGEND_ROW + 10
    if _has_top_annotations(figure):
        top += SUBPLOT_TITLES
    top = math.ceil(top)

    lines = (source_line(metadata, lang), short_link(metadata.link, link_keys))
    footer = [shortened(line, preset.footer_font, text_px) for line in lines if line]
    footer_line = preset.footer_font * LINE
    colorbar = _horizontal_colorbar(figure)
    band = COLORBAR_BAND if colorbar else TICK_BAND
    bottom = math.ceil(band + len(footer) * footer_line + PAD)

    margin = figure.layout.margin
    left = max(margin.l or 0, PAD, math.ceil(_y_labels_width(figure, tick_font)) + PAD)
    right = max(margin.r or 0, PAD)
    if preset.height is None:
        plot = figure.layout.height or 420
        height = top + plot + bottom
    else:
        height = preset.height
        plot = max(MIN_PLOT, height - top - bottom)  # below MIN_PLOT the text is cut: the tests would say

    title: dict[str, Any] = {
        "text": "<br>".join(f"<b>{_escaped(line)}</b>" for line in title_lines),
        "x": PAD / width,
        "xref": "container",
        "xanchor": "left",
        "yref": "container",
        # plotly centres a title of several lines on its anchor: move it down by half the extra lines
        "y": 1 - (PAD + (len(title_lines) - 1) * preset.title_font * LINE / 2) / height,
        "yanchor": "top",
        "pad": {"t": 0, "b": 0, "l": 0},
        "font": {"size": preset.title_font},
    }
    if subtitle:
        title["subtitle"] = {
            "text": _escaped(subtitle),
            "font": {"size": preset.subtitle_font, "color": MUTED_INK},
        }
    layout: dict[str, Any] = {
        "width": width,
        "height": height,
        "title": title,
        "margin": {"t": top, "b": height - top - plot, "l": left, "r": right},
    }
    if entries:
        layout["legend"] = {
            "orientation": "h",
            "xref": "container",
            "x": PAD / width,
            "xanchor": "left",
            "yref": "container",
            "y": 1 - legend_top / height,
            "yanchor": "top",
        }
    exported.update_layout(**layout)
    exported.update_xaxes(tickangle=0)
    plot_width = width - left - right
    _with_month_ticks(exported, lang, plot_width=plot_width, font_size=tick_font)
    for note in exported.layout.annotations:  # the figure's own (subplot titles): shortened to their width
        if note.text and note.xref == "paper" and note.showarrow is False:
            room = (
                2 * min(note.x or 0.0, 1 - (note.x or 0.0)) * plot_width
                if note.xanchor != "left"
                else plot_width
            )
            note.text = _escaped(shortened(html.unescape(note.text), note.font.size or tick_font, room))
    if colorbar:  # under the plot, above the footer (the page puts it below the map, into the margin)
        exported.update_traces(colorbar={"y": 0, "yref": "paper", "yanchor": "top", "ypad": 12})
    for index, line in enumerate(footer):
        exported.add_annotation(
            text=_escaped(line),
            xref="paper",
            yref="paper",
            x=0,
            xshift=PAD - left,
            y=0,
            yshift=-(band + index * footer_line),
            xanchor="left",
            yanchor="top",
            align="left",
            showarrow=False,
            font={"size": preset.footer_font, "color": MUTED_INK},
        )
    return exported


def _escaped(text: str) -> str:
    return html.escape(text, quote=False)
