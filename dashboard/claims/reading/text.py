"""Figures stated in text (English, Italian, Azerbaijani, Russian): each with its partner, period and measure."""

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
from dashboard.claims.reading.language import detect_language
from dashboard.claims.reading.lexicon import Lexicon, lexicon
from dashboard.claims.reading.mentions import (
    clause_bounds,
    figure_mentions,
    first_after,
    measure_mentions,
    name_table,
    nearest_before,
    partner_mentions,
    period_mentions,
    sentences,
)
from dashboard.claims.reading.patterns import MINUS_BEFORE, Figure, Mention, UnclearPeriod
from dashboard.claims.wording import Said, Word
from dashboard.format import MINUS


def extract_claims(
    text: str,
    *,
    names: Mapping[str, str],
    reporter: str = "AZE",
    default_period: Period | None = None,
    language: str | None = None,
) -> list[Claim]:
    """Every figure stated in `text`, in order, with the partner, period and measure it refers to.

    `names`: display name -> code (see `default_names`); the reporter's own name is recognised but never
    taken for a partner. A figure's measure is the nearest measure word before it in its clause (else the
    first after it); its partner the partner named in its clause (nearest before, else after), else the
    reporter's total when the clause speaks of total or foreign trade, else the last partner named before;
    its period the nearest period before it in its sentence (else after; else the last one named earlier).
    Unknown pieces stay None; the checker says what is missing. Text is never evaluated, only matched.
    `language`: en, it, az or ru; None to tell from the text (see `detect_language`).
    """
    lx = lexicon(language or detect_language(text))
    claims: list[Claim] = []
    table = name_table(names, lx)
    context_partner: str | None = None
    context_period: Period | UnclearPeriod | None = default_period
    offset = 0
    for sentence in sentences(text):
        base = text.find(sentence, offset)
        offset = base + len(sentence) if base >= 0 else offset
        periods = period_mentions(sentence, lx)
        measures = measure_mentions(sentence, lx)
        figures = figure_mentions(sentence, periods, lx)
        # A name inside a figure ("US" of "4.2 billion US dollars", "ABŞ dolları") is not a partner.
        mentions = [
            m
            for m in partner_mentions(sentence, table)
            if not any(f.start <= m.start < f.end for f in figures)
        ]
        partners = [m for m in mentions if m.value != reporter]
        sentence_claims: list[Claim] = []
        for figure in figures:
            clause_start, clause_end = clause_bounds(sentence, figure.start, lx)
            partner = _pick_partner(
                lx,
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
            assert period is None or isinstance(period, (Period, UnclearPeriod))
            claims.append(
                _claim_for(
                    lx,
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
                        lx, sentence, (clause_start, clause_end), mentions, reporter
                    ),
                )
            )
            sentence_claims.append(claims[-1])
        if partners:
            context_partner = str(partners[-1].value)
        if periods:
            last = periods[-1].value
            context_period = last if isinstance(last, (Period, UnclearPeriod)) else context_period
    return claims


def _pick_partner(
    lx: Lexicon,
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
    if lx.total.search(clause) and kind == "money":
        return WORLD
    if kind == "money" and not partners and reporter_named:
        # "Azerbaijan's exports amounted to $13.7 billion": the reporter named, no partner -> its total.
        return WORLD
    before = nearest_before(partners, figure.start)
    if before is not None:
        return str(before.value)
    return context


def _claim_for(
    lx: Lexicon,
    sentence: str,
    figure: Figure,
    *,
    measures: Sequence[Mention],
    clause: tuple[int, int],
    partner: str | None,
    period: Period | UnclearPeriod | None,
    reporter: str,
    position: int,
    previous_measure: str | None = None,
    reporter_spans: Sequence[tuple[int, int]] = (),
    partner_spans: Sequence[tuple[int, int]] = (),
    unknown_partner: str | None = None,
) -> Claim:
    kind, number, scale, written = figure.kind, figure.number, figure.scale, figure.written
    value = float(number)
    tolerance = tolerance_of(number, scale)
    unclear_period = None
    if isinstance(period, UnclearPeriod):
        unclear_period = Said("period unclear: '{written}' does not say which months", written=period.written)
        period = None
    if kind == "rank":
        return Claim("rank", value, 0.0, partner, period, written, reporter, figure.basis, position)
    clause_start, clause_end = clause
    before = nearest_before(measures, figure.start, lower=clause_start)
    after = first_after(measures, figure.end, upper=clause_end)
    if kind == "percent":
        head = sentence[clause_start : figure.start]
        changed = lx.change.search(head) or (
            lx.change_after is not None and lx.change_after.match(sentence, figure.end)
        )
        if changed and not lx.share.search(head):
            return Claim(
                "change", value / 100, tolerance, partner, period, written, reporter, "turnover", position
            )
        basis_mention = after or before
        basis = str(basis_mention.value) if basis_mention is not None else "turnover"
        if basis == "balance":
            basis = "turnover"
        return Claim("share", value / 100, tolerance, partner, period, written, reporter, basis, position)
    right_after = lx.measure_after.match(sentence, figure.end) if lx.measure_after else None
    if before is not None and before.value == "turnover":
        # "Azerbaijan's surplus in trade with Türkiye", "профицит … в торговле с Турцией": a balance named
        # earlier in the clause is what the figure measures; "trade" says only what it is a balance of.
        balance = nearest_before(
            [m for m in measures if m.value == "balance"], before.start, lower=clause_start
        )
        before = balance or before
    measure_mention = before or after
    measure = str(measure_mention.value) if measure_mention is not None else previous_measure
    if right_after is not None:
        word = right_after.group(1)
        measure = next((name for name, pattern in lx.measures if pattern.search(word)), measure)
    if measure_mention is None and right_after is None:  # no measure word: a verb may say the flow
        measure = _verb_measure(lx, sentence, clause, figure, reporter_spans, partner_spans) or measure
    amount = value * scale
    # The words right before the figure in its clause: its sign, its bound, a base of comparison.
    head = sentence[max(0, clause_start, figure.start - 40) : figure.start]
    if measure == "balance" and (
        lx.deficit.search(sentence[clause_start : figure.end]) or MINUS_BEFORE.search(head)
    ):
        amount = -amount
    # "Italy's imports from Azerbaijan", "Türkiye exported ... to Azerbaijan": the partner's own report.
    reported_by = None
    towards = lx.reported_imports if measure == "imports" else lx.reported_exports
    if measure in ("exports", "imports") and partner not in (None, WORLD) and towards is not None:
        for start, _ in reporter_spans:
            if clause_start <= start < clause_end and towards.search(sentence, 0, start):
                reported_by = partner
    unclear = None
    if measure in NON_NEGATIVE and MINUS_BEFORE.search(head):
        unclear = Said(
            "a negative {measure} ({written}) is not a trade value; the sign is unclear",
            measure=Word(measure),
            written=f"{MINUS}{written}",
        )
    elif (base := lx.base_before.search(head)) is not None:
        unclear = Said(
            "a base of comparison ('{words}'); which period it is, is not read",
            words=f"{base['base']} {written}",
        )
    elif lx.base_after is not None and (base := lx.base_after.match(sentence, figure.end)) is not None:
        unclear = Said(
            "a base of comparison ('{words}'); which period it is, is not read",
            words=f"{written} {base['base']}",
        )
    elif unknown_partner is not None:
        unclear = Said("partner '{name}' not recognised", name=unknown_partner)
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
        bound=_bound_of(lx, head, sentence, figure.end),
        unclear=unclear or unclear_period,
    )


def _verb_measure(
    lx: Lexicon,
    sentence: str,
    clause: tuple[int, int],
    figure: Figure,
    reporter_spans: Sequence[tuple[int, int]],
    partner_spans: Sequence[tuple[int, int]],
) -> str | None:
    """The reporter's flow a verb states: "traded" turnover; "sold"/"shipped" exports and "bought" imports
    when the reporter (or nobody) is the subject, the reverse when the partner is ("Georgia bought Azerbaijani
    goods" is Azerbaijan's exports to Georgia). The verb is looked for before the figure, or after it where
    the language puts it there; the subject is the name nearest before the verb, or the clause's first name
    where the language puts the subject first."""
    clause_start, clause_end = clause
    start, end = (figure.end, clause_end) if lx.verbs_after else (clause_start, figure.start)
    if lx.trade_verbs is not None and lx.trade_verbs.search(sentence, start, end):
        return "turnover"
    verbs = (
        [(m.start(), "exports") for m in lx.sell_verbs.finditer(sentence, start, end)]
        if lx.sell_verbs
        else []
    )
    verbs += (
        [(m.start(), "imports") for m in lx.buy_verbs.finditer(sentence, start, end)] if lx.buy_verbs else []
    )
    if not verbs:
        return None
    at, flow = max(verbs)
    subjects = [(s, "reporter") for s, _ in reporter_spans if clause_start <= s < at]
    subjects += [(s, "partner") for s, _ in partner_spans if clause_start <= s < at]
    if subjects and (min(subjects) if lx.verbs_after else max(subjects))[1] == "partner":
        return "imports" if flow == "exports" else "exports"
    return flow


def _bound_of(lx: Lexicon, head: str, sentence: str, end: int) -> str:
    """EXACT, or the bound the words right before a figure ("more than", "nearly", "about") or, in languages
    that put them after it, right after it ("2 milyard dollardan çox") make of it."""
    found = lx.bound_before.search(head)
    if found is None and lx.bound_after is not None:
        found = lx.bound_after.match(sentence, end)
    if found is None:
        return EXACT
    groups = found.groupdict()
    if groups.get("least"):
        return AT_LEAST
    if groups.get("most"):
        return AT_MOST
    return ABOUT


def _unrecognised_name(
    lx: Lexicon, sentence: str, clause: tuple[int, int], mentions: Sequence[Mention], reporter: str
) -> str | None:
    """A capitalised name after "to", "with", "from"… in the figure's clause that no known name covers, when
    the clause names no known area: the partner the text means is then unknown (never the World total)."""
    start, end = clause
    if lx.named_after is None or any(start <= m.start < end and m.value != reporter for m in mentions):
        return None
    for found in lx.named_after.finditer(sentence, start, end):
        name = re.sub(r"(?:['’]s|[.,])$", "", found["name"])
        if not lx.not_partner.match(name) and not any(
            m.start <= found.start("name") < m.end for m in mentions
        ):
            return name
    return None
