"""The formula rule of every tabular export, ETL and dashboard alike."""

from __future__ import annotations

import pandas as pd

from etl.tabular import neutralised


def test_text_a_spreadsheet_would_run_gets_a_leading_quote() -> None:
    hostile = pd.DataFrame({"a": ["=HYPERLINK(1)", "+1", "-2", "@x", "ok", "\tx"], "b": [1, 2, 3, 4, 5, 6]})
    assert list(neutralised(hostile)["a"]) == ["'=HYPERLINK(1)", "'+1", "'-2", "'@x", "ok", "'\tx"]
    assert list(neutralised(hostile)["b"]) == [1, 2, 3, 4, 5, 6]  # numbers are not text: left alone
