"""Row-wise helpers of the refresh's large frames agree with pandas on every column kind."""

from __future__ import annotations

import numpy as np
import pandas as pd

from etl.rows import duplicated_rows


def test_duplicated_rows_agrees_with_pandas() -> None:
    frame = pd.DataFrame(
        {
            "code": pd.Categorical(["a", "b", "a", None, None, "b", "a"], categories=["a", "b", "c"]),
            "value": [1.0, 2.0, 1.0, np.nan, np.nan, 2.5, 1.0],
            "text": ["x", "y", "x", "z", "z", "y", "w"],
        }
    )
    for columns in (["code"], ["code", "value"], ["code", "value", "text"], ["value", "text"]):
        for keep in ("first", "last", False):
            expected = frame.duplicated(columns, keep=keep).to_numpy()
            assert duplicated_rows(frame, columns, keep=keep).tolist() == expected.tolist(), (columns, keep)
    assert duplicated_rows(frame, ["code", "value"], keep=False).tolist() == [
        True,
        False,
        True,
        True,
        True,
        False,
        True,
    ]
