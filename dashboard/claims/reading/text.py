"""Figures stated in English text: each with the partner, period and measure it refers to."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence

from dashboard.claims.model import (
    ABOUT,
    AT_LEAST,
    AT_MOST,
    EXACT,
    MONEY_MEASURES,
    NON_NEGATIVE,
    WORLD,
    Claim,
    Period,
    tolerance_of,
)
from dashboard.claims.reading.mentions import (
    clause_bounds,
    figure_mentions,
    first_after,
    measure_mentions,
    name_pattern,
    nearest_before,
    partner_mentions,
    period_mentions,
    sentences,
)
from dashboard.claims.reading.patterns import (
    BASE_BEFORE,
    BOUND_BEFORE,
    BUY_VERB,
    CHANGE,
    DEFICIT,
    MEASURE_AFTER,
    MINUS_BEFORE,
    NAMED_AFTER_PREPOSITION,
    NOT_PARTNER_WORDS,
    SELL_VERB,
    SHARE_WORDS,
    TOTAL_WORDS,
    TRADE_VERB,
    Figure,
    Mention,
)
from dashboard.format import MINUS


def extract_claims(
    text: str, *, names: Mapping[str, str], reporter: str = "AZE", default_period: Period | None = None
) -> list[Claim]:
    """Every figure stated in `text`, in order, with the partner, period and measure it refers to.

    `names`: display name -> code (see `default_names`); the reporter's own name is recognised but never
    taken for a partner. A figure's measure is the nearest measure word before it in its clause (else the
    first after it); its partner the partner named in its clause (nearest before, else after), else the
    reporter's total when the clause speaks of total or foreign trade, else the last partner named before;
    its period the nearest period before it in its sentence (else after; else the last one named earlier).
    Unknown pieces stay None; the checker says what is missing. Text is never evaluated, only matched.
    """
    claims: list[Claim] = []
    pattern = name_pattern(names)
    context_partner: str | None = None
    context_period: Period | None = default_period
    offset = 0
    for sentence in sentences(text):
        base = text.find(sentence, offset)
        offset = base + len(sentence) if base >= 0 else offset
        mentions = partner_mentions(sentence, names, reporter, pattern=pattern)
        partners = [m for m in mentions if m.value != reporter]
        periods = period_mentions(sentence)
        measures = measure_mentions(sentence)
        figures = figure_mentions(sentence, periods)
        sentence_claims: list[Claim] = []
        for figure in figures:
            clause_start, clause_end = clause_bounds(sentence, figure.start)
            partner = _pick_partner(
                sentence,
                partners,
                figure,
                clause_start,
                clause_end,
                context_partner,
                reporter_named=any(m.value == reporter for m in mentions),
            )
            period_mention = nearest_before(periods, figure.start) or first_after(
                periods, figure.end, upper=len(sentence)
            )
            period = period_mention.value if period_mention is not None else context_period
            assert period is None or isinstance(period, Period)
            claims.append(
                _claim_for(
                    sentence,
                    figure,
                    measures=measures,
                    clause=(clause_start, clause_end),
                    partner=partner,
                    period=period,
                    reporter=reporter,
                    position=(base if base >= 0 else 0) + figure.start,
                    # A clause without a measure word continues the sentence's last one ("Italy had $5.4 bn").
                    previous_measure=next(
                        (c.measure for c in reversed(sentence_claims) if c.measure in MONEY_MEASURES), None
                    ),
                    reporter_spans=[(m.start, m.end) for m in mentions if m.value == reporter],
                    partner_spans=[(p.start, p.end) for p in partners],
                    unknown_partner=_unrecognised_name(
                        sentence, (clause_start, clause_end), mentions, reporter
                    ),
                )
            )
            sentence_claims.append(claims[-1])
        if partners:
            context_partner = str(partners[-1].value)
        if periods:
            last = periods[-1].value
            context_period = last if isinstance(last, Period) else context_period
    return claims


def _pick_partner(
    sentence: str,
    partners: Sequence[Mention],
    figure: Figure,
    clause_start: int,
    clause_end: int,
    context: str | None,
    *,
    reporter_named: bool = False,
) -> str | None:
    kind = figure.kind
    in_clause = nearest_before(partners, figure.start, lower=clause_start) or first_after(
        partners, figure.end, upper=clause_end
    )
    if kind == "rank":
        # "Italy was ... main trading partner": the subject before the phrase, else the one after it.
        subject = nearest_before(partners, figure.start) or first_after(
            partners, figure.end, upper=len(sentence)
        )
        return str(subject.value) if subject else context
    if in_clause is not None:
        return str(in_clause.value)
    clause = sentence[clause_start:clause_end]
    if TOTAL_WORDS.search(clause) and kind == "money":
        return WORLD
    if kind == "money" and not partners and reporter_named:
        # "Azerbaijan's exports amounted to $13.7 billion": the reporter named, no partner -> its total.
        return WORLD
    before = nearest_before(partners, figure.start)
    if before is not None:
        return str(before.value)
    return context


def _claim_for(
    sentence: str,
    figure: Figure,
    *,
    measures: Sequence[Mention],
    clause: tuple[int, int],
    partner: str | None,
    period: Period | None,
    reporter: str,
    position: int,
    previous_measure: str | None = None,
    reporter_spans: Sequence[tuple[int, int]] = (),
    partner_spans: Sequence[tuple[int, int]] = (),
    unknown_partner: str | None = None,
) -> Claim:
    kind, number, scale, written = figure.kind, figure.number.replace(",", ""), figure.scale, figure.written
    value = float(number)
    tolerance = tolerance_of(number, scale)
    if kind == "rank":
        return Claim("rank", value, 0.0, partner, period, written, reporter, figure.basis, position)
    clause_start, clause_end = clause
    before = nearest_before(measures, figure.start, lower=clause_start)
    after = first_after(measures, figure.end, upper=clause_end)
    if kind == "percent":
        head = sentence[clause_start : figure.start]
        if CHANGE.search(head) and not SHARE_WORDS.search(head):
            return Claim(
                "change", value / 100, tolerance, partner, period, written, reporter, "turnover", position
            )
        basis_mention = after or before
        basis = str(basis_mention.value) if basis_mention is not None else "turnover"
        if basis == "balance":
            basis = "turnover"
        return Claim("share", value / 100, tolerance, partner, period, written, reporter, basis, position)
    right_after = MEASURE_AFTER.match(sentence, figure.end)
    measure_mention = before or after
    measure = str(measure_mention.value) if measure_mention is not None else previous_measure
    if right_after is not None:
        word = right_after.group(1).lower()
        measure = (
            "turnover"
            if word in ("turnover", "trade")
            else ("exports" if word.startswith("export") else "imports")
        )
    if measure_mention is None and right_after is None:  # no measure word: a verb may say the flow
        measure = (
            _verb_measure(sentence[clause_start : figure.start], clause_start, reporter_spans, partner_spans)
            or measure
        )
    amount = value * scale
    # The words right before the figure in its clause: its sign, its bound, a base of comparison.
    head = sentence[max(0, clause_start, figure.start - 40) : figure.start]
    if measure == "balance" and (
        DEFICIT.search(sentence[clause_start : figure.end]) or MINUS_BEFORE.search(head)
    ):
        amount = -amount
    # "Italy's imports from Azerbaijan", "Türkiye exported ... to Azerbaijan": the partner's own report.
    reported_by = None
    if measure in ("exports", "imports") and partner not in (None, WORLD):
        towards = "from" if measure == "imports" else "to"
        for start, _ in reporter_spans:
            if clause_start <= start < clause_end and re.search(
                rf"\b{towards}\s+(?:the\s+)?$", sentence[:start]
            ):
                reported_by = partner
    unclear = None
    if measure in NON_NEGATIVE and MINUS_BEFORE.search(head):
        unclear = f"a negative {measure} ({MINUS}{written}) is not a trade value; the sign is unclear"
    elif (base := BASE_BEFORE.search(head)) is not None:
        unclear = f"a base of comparison ('{base['base']} {written}'); which period it is, is not read"
    elif unknown_partner is not None:
        unclear = f"partner '{unknown_partner}' not recognised"
        partner = None  # not the World total, nor a partner named earlier
    return Claim(
        measure,
        amount,
        tolerance,
        partner,
        period,
        written,
        reporter,
        "turnover",
        position,
        figure.currency,
        reported_by,
        bound=_bound_of(head),
        unclear=unclear,
    )


def _verb_measure(
    head: str,
    offset: int,
    reporter_spans: Sequence[tuple[int, int]],
    partner_spans: Sequence[tuple[int, int]],
) -> str | None:
    """The reporter's flow a verb before the figure states: "traded" turnover; "sold"/"shipped" exports and
    "bought" imports when the reporter (or nobody) is the subject, the reverse when the partner is ("Georgia
    bought Azerbaijani goods" is Azerbaijan's exports to Georgia)."""
    if TRADE_VERB.search(head):
        return "turnover"
    verbs = [(m.start(), "exports") for m in SELL_VERB.finditer(head)]
    verbs += [(m.start(), "imports") for m in BUY_VERB.finditer(head)]
    if not verbs:
        return None
    at, flow = max(verbs)
    subjects = [(s, "reporter") for s, _ in reporter_spans if offset <= s < offset + at]
    subjects += [(s, "partner") for s, _ in partner_spans if offset <= s < offset + at]
    if subjects and max(subjects)[1] == "partner":
        return "imports" if flow == "exports" else "exports"
    return flow


def _bound_of(head: str) -> str:
    """EXACT, or the bound the words right before a figure make of it ("more than", "nearly", "about")."""
    found = BOUND_BEFORE.search(head)
    if found is None:
        return EXACT
    if found["least"]:
        return AT_LEAST
    if found["most"]:
        return AT_MOST
    return ABOUT


def _unrecognised_name(
    sentence: str, clause: tuple[int, int], mentions: Sequence[Mention], reporter: str
) -> str | None:
    """A capitalised name after "to", "with", "from"… in the figure's clause that no known name covers, when
    the clause names no known area: the partner the text means is then unknown (never the World total)."""
    start, end = clause
    if any(start <= m.start < end and m.value != reporter for m in mentions):
        return None
    for found in NAMED_AFTER_PREPOSITION.finditer(sentence, start, end):
        name = re.sub(r"(?:['’]s|[.,])$", "", found["name"])
        if not NOT_PARTNER_WORDS.match(name) and not any(
            m.start <= found.start("name") < m.end for m in mentions
        ):
            return name
    return None
