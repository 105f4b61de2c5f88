"""Each source's facts (publisher, licence, attribution, unit) come from data/reference/sources.csv, one row each."""

from __future__ import annotations

import csv

import pytest

from etl.refresh.registry import SOURCE_INFOS, SOURCE_MODULES
from etl.sources import SOURCES_CSV, source_info


def test_every_source_module_has_its_row_and_every_row_a_module() -> None:
    with SOURCES_CSV.open(newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert sorted(r["source"] for r in rows) == sorted(SOURCE_INFOS)
    assert sorted(r["cli_name"] for r in rows) == sorted(SOURCE_MODULES)
    for row in rows:
        info = SOURCE_INFOS[row["source"]]
        assert all(getattr(info, name) == value and value.strip() for name, value in row.items()), row


def test_an_unknown_source_names_the_table() -> None:
    with pytest.raises(KeyError, match=r"sources\.csv"):
        source_info("nowhere")
