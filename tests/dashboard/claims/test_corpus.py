"""The claim corpus (tests/dashboard/claims/corpus/*.csv): each sentence's expected reading and verdict.

Prints, per language and per style, how many sentences were read fully right (measure, partner, period,
value and bound) with the expected verdict. Asserted: no confident wrong verdict (a verdict against the data
where the corpus expects another one), and at least 97 % read fully right in each language.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pandas as pd

from dashboard import claims
from dashboard.claims import Period, Verdict
from dashboard.queries.answers import TradeQueries

CORPUS = Path(__file__).with_name("corpus")
CONFIDENT = (claims.CONSISTENT, claims.INCONSISTENT, claims.IMPLAUSIBLE, claims.INTERNALLY_INCONSISTENT)


def corpus() -> pd.DataFrame:
    files = sorted(CORPUS.glob("*.csv"))
    assert files, f"no corpus in {CORPUS}"
    return pd.concat(
        [pd.read_csv(f, comment="#", dtype=str, keep_default_na=False) for f in files], ignore_index=True
    )


def read_right(row: pd.Series, verdict: Verdict) -> bool:
    """The reading the row expects (blank fields: nothing expected) and its verdict."""
    claim = verdict.claim
    if verdict.word != row["verdict"]:
        return False
    if not row["measure"]:
        return True
    return (
        claim.measure == row["measure"]
        and claim.partner == row["partner"]
        and claim.period == Period(row["period_start"], row["period_end"])
        and claim.bound == row["bound"]
        and abs(claim.value - float(row["value_usd"])) <= max(1.0, claim.tolerance)
    )


def test_the_corpus_is_read_right_and_never_wrongly_accused(mirror_queries: TradeQueries) -> None:
    table = corpus()
    assert len(table) >= 400 and set(table["language"]) == {"en", "it", "az", "ru"}
    right: Counter[tuple[str, str]] = Counter()
    total: Counter[tuple[str, str]] = Counter()
    confident_wrong = []
    for row in table.itertuples(index=False):
        series = pd.Series(row._asdict())
        verdicts = claims.check_text(mirror_queries, series["text"])
        key = (series["language"], series["style"])
        total[key] += 1
        if len(verdicts) != 1:
            confident_wrong += [(series["text"], v.word) for v in verdicts if v.word in CONFIDENT]
            continue
        (verdict,) = verdicts
        if read_right(series, verdict):
            right[key] += 1
        elif verdict.word in CONFIDENT and verdict.word != series["verdict"]:
            confident_wrong.append((series["text"], verdict.word))
    for language in sorted({k[0] for k in total}):
        keys = sorted(k for k in total if k[0] == language)
        done, count = sum(right[k] for k in keys), sum(total[k] for k in keys)
        print(f"\n{language}: {done}/{count} read fully right ({done / count:.1%})")
        for key in keys:
            print(f"  {key[1]:<20} {right[key]}/{total[key]}")
        assert done / count >= 0.97, f"{language}: {done}/{count} read fully right"
    assert not confident_wrong, confident_wrong
