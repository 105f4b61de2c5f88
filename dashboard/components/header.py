"""Page title and subtitle for the chosen pair."""

from __future__ import annotations

from collections.abc import Sequence

from dashboard.format import period_text
from dashboard.i18n import label, t
from dashboard.queries.periods import parse_period


def page_title(reporter_name: str, partner_name: str, lang: str = "en") -> str:
    """`Azerbaijan's trade with Italy` (`Azərbaycan – İtaliya: ticarət` ...: the names stay as they are)."""
    return t(lang, "{reporter}\u2019s trade with {partner}", reporter=reporter_name, partner=partner_name)


def _label(frequency: str, key: str, lang: str) -> str:
    parsed = parse_period(frequency, key)
    return period_text(frequency, *parsed, lang) if parsed else key


def page_subtitle_for(
    periods: Sequence[str],
    *,
    frequency: str,
    reporter_name: str,
    source: str | None,
    lang: str = "en",
) -> str:
    """`Annual, 2017–2019 · US dollars · as reported by Azerbaijan · IMF Direction of Trade Statistics` from
    the period keys; `source` is the source's readable name (never its code)."""
    if not periods:
        return t(lang, "No figures reported by {reporter} in this frequency", reporter=reporter_name)
    words = {
        "annual": label(lang, "frequency.annual"),
        "monthly": label(lang, "frequency.monthly"),
        "cumulative": t(lang, "January–month cumulative"),
    }
    first, last = (_label(frequency, p, lang) for p in (periods[0], periods[-1]))
    span = first if first == last else f"{first} \u2013 {last}"
    tail = f" · {source}" if source else ""
    reported = t(lang, "US dollars · as reported by {reporter}", reporter=reporter_name)
    return f"{words.get(frequency, frequency)}, {span} · {reported}{tail}"
