"""Helpers of every tabular file the project writes, on both sides: the ETL's exports and the dashboard's.

Kept apart from `etl.cli` so that the dashboard can use them without loading the refresh and its parsers.
"""

from __future__ import annotations

import pandas as pd

# Spreadsheet programs run cells starting with these as formulas; exported text cells get a leading quote.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def neutralised(frame: pd.DataFrame) -> pd.DataFrame:
    """`frame` with text cells that a spreadsheet would run as a formula prefixed by a quote."""
    result = frame.copy()
    for column in result.columns:
        if result[column].dtype == object or pd.api.types.is_string_dtype(result[column]):
            text = result[column].astype("object")
            risky = text.map(lambda v: isinstance(v, str) and v.startswith(FORMULA_PREFIXES))
            result[column] = text.where(~risky, "'" + text.astype(str))
    return result
