"""Two or three sentences that say what the current view shows, from the same query results as the charts.

Pure text: no dash, no store. Numbers are formatted by `dashboard.format`, words and ordinals by
`dashboard.i18n` (each sentence is one template in the translators' catalogue, so every language orders its
own words); nothing is computed here beyond choosing words (ordinals, rose/fell).
"""

from __future__ import annotations

from collections.abc import Mapping

from dashboard.format import money, percent, period_text, signed_percent
from dashboard.i18n import N_, area_name, label, lowercase, ordinal, t
from dashboard.queries.model import Kpis, Standing
from dashboard.queries.periods import FallingCumulative


def bilateral_sentences(
    kpis: Kpis | None,
    standing: Mapping[str, Standing],
    *,
    frequency: str,
    month: int,
    lang: str = "en",
) -> list[str]:
    """E.g. `In 2019 Italy was Azerbaijan's largest partner: turnover $5.40 bn, 41.5 % of the total; exports
    $5.00 bn (1st), imports $400.0 m (3rd).` and the change on the same period a year earlier.

    `kpis`: from `period_kpis`; `standing`: from `partner_standing` for the same period; `frequency` and
    `month` (its last month) name the period with `kpis.year` (the query's own labels are English). Empty
    list when there is nothing to say.
    """
    if kpis is None or kpis.turnover.value is None:
        return []
    partner = area_name(kpis.partner.code, kpis.partner.name, lang)
    reporter = area_name(kpis.reporter.code, kpis.reporter.name, lang)
    period = period_text(frequency, kpis.year, month, lang)
    value = money(kpis.turnover.value, lang)
    turnover = standing.get("turnover")
    if turnover is not None and turnover.rank == 1:
        first = t(
            lang,
            "In {period} {partner} was {reporter}\u2019s largest partner: turnover {value}",
            period=period,
            partner=partner,
            reporter=reporter,
            value=value,
        )
    elif turnover is not None and turnover.rank is not None:
        first = t(
            lang,
            "In {period} {partner} was {reporter}\u2019s {rank} largest partner: turnover {value}",
            period=period,
            partner=partner,
            reporter=reporter,
            value=value,
            rank=ordinal(turnover.rank, lang),
        )
    else:
        first = t(lang, "In {period} {reporter}\u2019s turnover with {partner} was {value}",
                  period=period, partner=partner, reporter=reporter, value=value)  # fmt: skip
    if kpis.share is not None:
        first += t(lang, ", {share} of the total", share=percent(kpis.share, lang))
    flows = []
    for measure in ("exports", "imports"):
        found = standing.get(measure)
        if found is not None:
            rank = f" ({ordinal(found.rank, lang)})" if found.rank is not None else ""
            flows.append(f"{lowercase(label(lang, measure), lang)} {money(found.value, lang)}{rank}")
    sentences = [first + ("; " + ", ".join(flows) if flows else "") + "."]
    change = kpis.turnover.change_pct
    if change is not None and kpis.turnover.change is not None:
        previous = period_text(frequency, kpis.year - 1, month, lang)
        moved = (
            N_("Turnover rose by {amount} ({pct}) on {previous}.")
            if kpis.turnover.change > 0
            else N_("Turnover fell by {amount} ({pct}) on {previous}.")
            if kpis.turnover.change < 0
            else N_("Turnover was unchanged on {previous}.")
        )
        amount, pct = money(abs(kpis.turnover.change), lang), signed_percent(change, lang)
        sentences.append(t(lang, moved, amount=amount, pct=pct, previous=previous))
    balance = kpis.balance.value
    if balance is not None:
        said = (
            N_("{reporter} had a trade surplus of {amount} with {partner}.")
            if balance > 0
            else N_("{reporter} had a trade deficit of {amount} with {partner}.")
            if balance < 0
            else N_("{reporter}\u2019s trade with {partner} was balanced.")
        )
        sentences.append(t(lang, said, reporter=reporter, partner=partner, amount=money(abs(balance), lang)))
    return sentences


def falling_cumulative_text(
    warning: FallingCumulative, lang: str = "en", partner_name: str | None = None
) -> str:
    """The source's falling cumulative in words, in `lang`: which two January–month figures, their values, and
    that no month is derived between them (`partner_name`: the partner as the page names it)."""
    parts = {
        "partner": partner_name or area_name(warning.partner, warning.partner, lang),
        "later": period_text("cumulative", warning.year, warning.later, lang),
        "later_value": money(warning.later_usd, lang),
        "earlier": period_text("cumulative", warning.year, warning.earlier, lang),
        "earlier_value": money(warning.earlier_usd, lang),
    }
    if warning.flow == "import":
        return t(
            lang,
            "{partner}, imports: {later} ({later_value}) is smaller than {earlier} ({earlier_value}); no month "
            "is derived between them",
            **parts,
        )
    return t(
        lang,
        "{partner}, exports: {later} ({later_value}) is smaller than {earlier} ({earlier_value}); no month "
        "is derived between them",
        **parts,
    )
