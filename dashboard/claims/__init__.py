"""The claim checker: figures stated in English text (or a form) checked against the numbers the page shows.

Plain functions, in three steps:
1. `extract_claims(text, names=...)` (reading/) finds the figures a text states — money ("$3.7 billion",
   "933.2 million"), shares ("26.36 percent"), ranks ("main trading partner") — with the partner, period ("January–July 2020",
   "the first half of 2020", "in 2017") and measure (turnover, exports, imports, balance, share, rank) each
   refers to. Each claim keeps the rounding of its figure: "$3.7 billion" covers $3.65–3.75 bn.
2. `internal_findings(claims)` (consistency.py) checks the text against itself: turnover ≠ exports + imports, balance ≠
   exports − imports, a cumulative figure above a later cumulative, a rank or share contradicting stated values.
3. `check_claims(claims, queries, ...)` (checking.py) checks each claim against the numbers the page shows
   (lookup.py: every period, stored or derived, country groups summed from members, each source with data in
   the settings' order). Verdicts:
   consistent (some series gives the claimed period's value within the claim's rounding), inconsistent (no
   series does: the data's value and the gap), implausible (the period is not in the data but a bound is
   broken: a January–July figure above the whole year's, or a figure implied by two stated ones above its
   bound, with the arithmetic), not checkable (saying what is missing), internally inconsistent (step 2).
   Every verdict names the data's value, source and release, and the other series (other sources, the
   partner's mirror report) where they exist. A claim about the partner's own report ("Italy's imports from
   Azerbaijan") is checked against that partner's series, the reporter's figure shown beside it.

Units: money in US dollars (full units); shares as ratios (0.2636 for "26.36 percent"); ranks as numbers.
Modules import one way: model (values) <- reading, form, consistency <- checking <- records (one-line reports,
tables and JSON-safe records for the CLI, the downloads and the page). The names callers use are here.
"""

from dashboard.claims.checking import check_claims, check_text, names_for
from dashboard.claims.consistency import Finding, internal_findings
from dashboard.claims.form import FormError, claim_from_form, form_period
from dashboard.claims.lookup import ClaimData
from dashboard.claims.model import (
    CONSISTENT,
    FORM_UNITS,
    IMPLAUSIBLE,
    INCONSISTENT,
    INTERNALLY_INCONSISTENT,
    MEASURES,
    MONEY_MEASURES,
    MONTHS,
    NOT_CHECKABLE,
    VERDICTS,
    WORLD,
    Claim,
    Period,
    SeriesValue,
    Verdict,
    country_name,
)
from dashboard.claims.reading.mentions import default_names
from dashboard.claims.reading.text import extract_claims
from dashboard.claims.records import (
    claim_from_record,
    claim_record,
    describe,
    verdict_frame,
    verdict_line,
    verdict_records,
)

__all__ = [
    "CONSISTENT",
    "FORM_UNITS",
    "IMPLAUSIBLE",
    "INCONSISTENT",
    "INTERNALLY_INCONSISTENT",
    "MEASURES",
    "MONEY_MEASURES",
    "MONTHS",
    "NOT_CHECKABLE",
    "VERDICTS",
    "WORLD",
    "Claim",
    "ClaimData",
    "Finding",
    "FormError",
    "Period",
    "SeriesValue",
    "Verdict",
    "check_claims",
    "check_text",
    "claim_from_form",
    "claim_from_record",
    "claim_record",
    "country_name",
    "default_names",
    "describe",
    "extract_claims",
    "form_period",
    "internal_findings",
    "names_for",
    "verdict_frame",
    "verdict_line",
    "verdict_records",
]  # fmt: skip
