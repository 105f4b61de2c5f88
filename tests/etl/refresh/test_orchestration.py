"""`refresh` itself, in process: a source's warnings over its published rows reach the report (the end-to-end
runs through `python -m etl` are in test_cli.py and the per-source tests)."""

from __future__ import annotations

from pathlib import Path

from etl.refresh.orchestration import refresh
from etl.settings import Settings
from tests.conftest import REPO_ROOT
from tests.etl.sources.az_workbooks import write_workbook
from tests.etl.sources.test_customs_az import azerbaijani_months


def test_a_customs_cumulative_below_the_one_before_is_a_note_and_still_published(tmp_path: Path) -> None:
    settings = Settings(
        store_dir=tmp_path / "store",
        raw_dir=tmp_path / "raw",
        snapshot_dir=tmp_path / "no-snapshot",
        reference_dir=REPO_ROOT / "data" / "reference",
    )
    given = write_workbook(tmp_path / "2020.xlsx", azerbaijani_months())
    report = refresh(settings, inputs=[given], source="customs-az", release="2020-07")
    assert report.rows_by_source == {"customs_az": 11}
    jun, jul = "2020.xlsx!'Cədvəl 1'!", "2020.xlsx!'2020 yanvar-iyul'!"
    warnings = [note for note in report.notes if note.startswith("customs_az:")]
    assert warnings == [
        f"customs_az: AZE export with ITA: 2020-01..2020-07 (290.00 USD at {jul}C6) is smaller than "
        f"2020-01..2020-06 (300.75 USD at {jun}C5); a revision, or a wrong table?"
    ]
