"""Page title and subtitle for the chosen pair."""

from __future__ import annotations

import pandas as pd


def page_title(reporter_name: str, partner_name: str) -> str:
    """`Azerbaijan's trade with Italy`."""
    return f"{reporter_name}\u2019s trade with {partner_name}"


def page_subtitle(series: pd.DataFrame, reporter_name: str) -> str:
    """`Annual, 1992–2020 · US dollars · as reported by Azerbaijan` from a bilateral series (column year)."""
    if series.empty:
        return f"No annual figures reported by {reporter_name} for this partner"
    first, last = int(series["year"].min()), int(series["year"].max())
    span = str(first) if first == last else f"{first}\u2013{last}"
    return f"Annual, {span} · US dollars · as reported by {reporter_name}"
