"""Page title and subtitle for the chosen pair, and the header's dark-theme toggle."""

from __future__ import annotations

from collections.abc import Sequence

from dash import html

from dashboard import ids
from dashboard.components.aria import aria
from dashboard.i18n import label
from dashboard.queries.periods import parse_period, period_label


def page_title(reporter_name: str, partner_name: str) -> str:
    """`Azerbaijan's trade with Italy`."""
    return f"{reporter_name}\u2019s trade with {partner_name}"


def _label(frequency: str, key: str) -> str:
    parsed = parse_period(frequency, key)
    return period_label(frequency, *parsed) if parsed else key


def page_subtitle_for(
    periods: Sequence[str], *, frequency: str, reporter_name: str, source: str | None
) -> str:
    """`Annual, 2017–2019 · US dollars · as reported by Azerbaijan · source imf_dots` from the period keys."""
    if not periods:
        return f"No figures reported by {reporter_name} in this frequency"
    words = {"annual": "Annual", "monthly": "Monthly", "cumulative": "January–month cumulative"}
    first, last = (_label(frequency, p) for p in (periods[0], periods[-1]))
    span = first if first == last else f"{first} \u2013 {last}"
    tail = f" · source {source}" if source else ""
    return f"{words.get(frequency, frequency)}, {span} · US dollars · as reported by {reporter_name}{tail}"


def theme_toggle(lang: str) -> html.Button:
    """The dark-theme switch; assets/20-theme.js flips `aria-pressed` and remembers the choice."""
    return html.Button(
        [html.Span("\u25d0", **aria(hidden="true")), " ", label(lang, "theme.toggle")],
        id=ids.THEME_TOGGLE,
        type="button",
        className="btn btn-sm btn-outline-light theme-toggle ms-2",
        **aria(pressed="false"),
    )
