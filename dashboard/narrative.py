"""Two or three sentences that say what the current view shows, from the same query results as the charts.

Pure text: no dash, no store. Numbers are formatted by `dashboard.format`; nothing is computed here beyond
choosing words (ordinals, rose/fell).
"""

from __future__ import annotations

from collections.abc import Mapping

from dashboard.format import money, percent, signed_percent
from dashboard.queries.model import Kpis, Standing


def ordinal(rank: int) -> str:
    """1 -> `1st`, 2 -> `2nd`, 11 -> `11th`, 23 -> `23rd`."""
    suffix = "th" if 10 <= rank % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(rank % 10, "th")
    return f"{rank}{suffix}"


def bilateral_sentences(
    kpis: Kpis | None, standing: Mapping[str, Standing], *, lang: str = "en"
) -> list[str]:
    """E.g. `In 2019 Italy was Azerbaijan's largest partner: turnover $5.40 bn, 41.5 % of the total; exports
    $5.00 bn (1st), imports $400.0 m (3rd).` and the change on the same period a year earlier.

    `kpis`: from `period_kpis`; `standing`: from `partner_standing` for the same period. Empty list when
    there is nothing to say.
    """
    if kpis is None or kpis.turnover.value is None:
        return []
    if lang == "az":
        return _az(kpis, standing)
    partner, reporter = kpis.partner.name, kpis.reporter.name
    turnover = standing.get("turnover")
    label = kpis.period_label or str(kpis.year)
    if turnover is not None and turnover.rank is not None:
        place = "largest partner" if turnover.rank == 1 else f"{ordinal(turnover.rank)} largest partner"
        first = f"In {label} {partner} was {reporter}\u2019s {place}: turnover {money(kpis.turnover.value)}"
    else:
        first = f"In {label} {reporter}\u2019s turnover with {partner} was {money(kpis.turnover.value)}"
    if kpis.share is not None:
        first += f", {percent(kpis.share)} of the total"
    flows = []
    for measure in ("exports", "imports"):
        found = standing.get(measure)
        if found is not None:
            rank = f" ({ordinal(found.rank)})" if found.rank is not None else ""
            flows.append(f"{measure} {money(found.value)}{rank}")
    sentences = [first + ("; " + ", ".join(flows) if flows else "") + "."]
    change = kpis.turnover.change_pct
    if change is not None and kpis.turnover.change is not None:
        verb = "rose" if kpis.turnover.change > 0 else "fell" if kpis.turnover.change < 0 else "was unchanged"
        previous = kpis.previous_label or str(kpis.year - 1)
        amount = (
            ""
            if verb == "was unchanged"
            else f" by {money(abs(kpis.turnover.change))} ({signed_percent(change)})"
        )
        sentences.append(f"Turnover {verb}{amount} on {previous}.")
    if kpis.balance.value is not None:
        word = "surplus" if kpis.balance.value > 0 else "deficit" if kpis.balance.value < 0 else "balance"
        sentences.append(f"{reporter} had a trade {word} of {money(abs(kpis.balance.value))} with {partner}.")
    return sentences


def _az(kpis: Kpis, standing: Mapping[str, Standing]) -> list[str]:
    label = kpis.period_label or str(kpis.year)
    partner, reporter = kpis.partner.name, kpis.reporter.name
    turnover = standing.get("turnover")
    rank = f" {turnover.rank}-ci" if turnover and turnover.rank else ""
    first = f"{label}: {partner} {reporter} üçün{rank} ticarət tərəfdaşı idi; dövriyyə {money(kpis.turnover.value)}"
    if kpis.share is not None:
        first += f", ümumi dövriyyənin {percent(kpis.share)}"
    flows = [
        f"{word} {money(standing[m].value)}"
        for m, word in (("exports", "ixrac"), ("imports", "idxal"))
        if m in standing
    ]
    sentences = [first + ("; " + ", ".join(flows) if flows else "") + "."]
    if kpis.turnover.change_pct is not None:
        previous = kpis.previous_label or str(kpis.year - 1)
        sentences.append(
            f"{previous} ilə müqayisədə dövriyyə {signed_percent(kpis.turnover.change_pct)} dəyişib."
        )
    return sentences
