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


def test_rows_repeated_anywhere_agree_with_pandas_in_any_order() -> None:
    """keep=False is answered by sorting the keys: rows in stored order, shuffled, and with few or no repeats."""
    rng = np.random.default_rng(14)
    for rows, distinct in ((5_000, 6), (5_000, 40), (3, 2), (1, 1)):
        frame = pd.DataFrame(
            {
                "reporter": pd.Categorical(rng.integers(0, distinct, rows).astype(str)),
                "year": rng.integers(2000, 2000 + distinct, rows),
                "flow": pd.Categorical(rng.choice(["export", "import", None], rows)),
            }
        )
        for ordered in (frame, frame.sort_values(["reporter", "year"], ignore_index=True)):
            expected = ordered.duplicated(["reporter", "year", "flow"], keep=False).to_numpy()
            assert (duplicated_rows(ordered, ["reporter", "year", "flow"], keep=False) == expected).all()


def test_combine_replaces_exactly_the_base_rows_whose_key_is_newer() -> None:
    """`combine` compares keys as integers over shared categories: the same rows as comparing them as text."""
    from etl import schema
    from etl.refresh.frames import combine
    from etl.sources import empty_rows

    def rows(keys: list[tuple[str, str, str, str]], value: float) -> pd.DataFrame:
        frame = empty_rows().reindex(range(len(keys)))
        for column in frame.columns:
            frame[column] = frame[column].astype("object")
        for i, (reporter, partner, flow, start) in enumerate(keys):
            frame.loc[i, list(schema.KEY_COLUMNS)] = [
                "imf_dots",
                reporter,
                partner,
                flow,
                start,
                start[:4] + "-12",
            ]
        frame[schema.VALUE_USD] = value
        return frame

    base = rows([("AZE", "ITA", "export", "2019-01"), ("AZE", "ITA", "import", "2019-01"),
                 ("AZE", "TUR", "export", "2019-01")], 1.0)  # fmt: skip
    # Newer: one base key again (ITA exports), and keys whose parts each appear in the base but not together.
    newer = rows([("AZE", "ITA", "export", "2019-01"), ("AZE", "TUR", "import", "2019-01"),
                  ("ITA", "AZE", "export", "2019-01")], 2.0)  # fmt: skip
    merged, superseded = combine(base, newer)
    assert superseded == 1
    kept = {tuple(r) for r in merged[[schema.PARTNER, schema.FLOW, schema.VALUE_USD]].astype(str).to_numpy()}
    assert kept == {("ITA", "import", "1.0"), ("TUR", "export", "1.0"), ("ITA", "export", "2.0"),
                    ("TUR", "import", "2.0"), ("AZE", "export", "2.0")}  # fmt: skip


def test_rows_kept_agree_with_pandas_and_share_the_arrow_chunks_that_lose_nothing() -> None:
    """`rows_kept` drops repeats without copying the Arrow-backed texts of chunks where every row stays."""
    import pyarrow as pa

    from etl.refresh.frames import rows_kept

    chunks = [pa.array([f"f{c}!A{r}" for r in range(4)], type=pa.large_string()) for c in range(3)]
    origin = pd.Series(pd.array(pa.chunked_array(chunks), dtype="str"))
    assert pd.api.types.is_string_dtype(origin.dtype) and origin.dtype.storage == "pyarrow"
    frame = pd.DataFrame(
        {
            "reporter": pd.Categorical(list("abcabcabcabc")),
            "value_usd": np.arange(12, dtype="float64"),
            "origin": origin,
            "note": [f"n{i}" for i in range(12)],
        }
    ).astype({"note": "object"})
    keep = np.ones(12, dtype=bool)
    keep[[5, 6]] = False  # rows of the second and third chunks
    expected = frame[keep].reset_index(drop=True)
    kept = rows_kept(frame, keep)
    pd.testing.assert_frame_equal(kept, expected)
    arrow = pa.array(kept["origin"])
    assert arrow.num_chunks == 3 and len(arrow.chunk(0)) == 4
    # The first chunk lost no row: the same buffers, not a copy.
    assert arrow.chunk(0).buffers()[2].address == chunks[0].buffers()[2].address
    everything = rows_kept(frame, np.ones(12, dtype=bool))
    pd.testing.assert_frame_equal(everything, frame)
    nothing = rows_kept(frame, np.zeros(12, dtype=bool))
    pd.testing.assert_frame_equal(nothing, frame.iloc[0:0].reset_index(drop=True))
