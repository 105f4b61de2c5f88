"""The DOTS workbook parser on small workbooks built in the exact IMF layout."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pandas as pd
import pytest

from etl import schema
from etl.reference import Reference
from etl.sources import imf_dots_excel
from tests.etl.dots_workbook import write_dots_workbook

REFERENCE = Reference()


def parse(path: Path) -> imf_dots_excel.Parsed:
    return imf_dots_excel.parse(path, release="2022", reference=REFERENCE)


def test_every_trap_of_the_layout_gives_exact_tidy_rows(tmp_path: Path) -> None:
    path = write_dots_workbook(
        tmp_path / "DOTS_13.xlsx",
        years=("2018", "2019"),
        exports=[
            ("Australia", [2.9941, None]),  # the duplicated first row, identical to its twin below
            ("World", [19458.6325, 19635.7486]),
            ("Euro Area", [8744.6772, "8,718.3992 e"]),
            ("Italy", [5638.6466, "5.46 e"]),
            ("Australia", [2.9941, None]),
            ("China, P.R.: Mainland", [3e-05, None]),  # $30: scientific notation, not an estimate marker
            ("Memorandum Items", [None, None]),
            ("European Union", [10000.5, 11000.25]),
            ("Countries & Areas not specified", [1.5, None]),
        ],
        imports=[("Türkiye, Rep. of", [371.8144, None]), ("Iran, Islamic Rep. of", [None, 12])],
    )
    parsed = parse(path)
    assert parsed.problems == []
    frame = parsed.frame().sort_values(["flow", "partner", "period_start"]).reset_index(drop=True)
    expected = pd.DataFrame(
        [
            ("AZE", "AUS", "export", "2018", 2_994_100.0, "FOB", "reported", "C12"),
            ("AZE", "CHN", "export", "2018", 30.0, "FOB", "reported", "C13"),
            ("AZE", "EMU", "export", "2018", 8_744_677_200.0, "FOB", "reported", "C10"),
            ("AZE", "EMU", "export", "2019", 8_718_399_200.0, "FOB", "estimated", "D10"),
            ("AZE", "EUU", "export", "2018", 10_000_500_000.0, "FOB", "reported", "C15"),
            ("AZE", "EUU", "export", "2019", 11_000_250_000.0, "FOB", "reported", "D15"),
            ("AZE", "ITA", "export", "2018", 5_638_646_600.0, "FOB", "reported", "C11"),
            ("AZE", "ITA", "export", "2019", 5_460_000.0, "FOB", "estimated", "D11"),
            ("AZE", "WLD", "export", "2018", 19_458_632_500.0, "FOB", "reported", "C9"),
            ("AZE", "WLD", "export", "2019", 19_635_748_600.0, "FOB", "reported", "D9"),
            ("AZE", "XNS", "export", "2018", 1_500_000.0, "FOB", "reported", "C16"),
            ("AZE", "IRN", "import", "2019", 12_000_000.0, "CIF", "reported", "D9"),
            ("AZE", "TUR", "import", "2018", 371_814_400.0, "CIF", "reported", "C8"),
        ],
        columns=["reporter", "partner", "flow", "year", "value_usd", "valuation", "status", "cell"],
    )
    assert list(frame["reporter"]) == list(expected["reporter"])
    assert list(frame["partner"]) == list(expected["partner"])
    assert list(frame["flow"]) == list(expected["flow"])
    assert list(frame["period_start"]) == [f"{y}-01" for y in expected["year"]]
    assert list(frame["period_end"]) == [f"{y}-12" for y in expected["year"]]
    assert list(frame["value_usd"]) == list(expected["value_usd"])
    assert list(frame["valuation"]) == list(expected["valuation"])
    assert list(frame["status"]) == list(expected["status"])
    sheets = ["Exports, FOB" if f == "export" else "Imports, CIF" for f in expected["flow"]]
    assert list(frame["origin"]) == [
        f"DOTS_13.xlsx!'{s}'!{c}" for s, c in zip(sheets, expected["cell"], strict=True)
    ]
    assert set(frame["source"]) == {"imf_dots"}
    assert set(frame["release"]) == {"2022"}


def test_years_may_be_numbers_and_skip_a_year(tmp_path: Path) -> None:
    path = write_dots_workbook(tmp_path / "x.xlsx", years=(1965, "1967"), exports=[("Italy", [1, 2])])
    frame = parse(path).frame()
    assert list(frame["period_start"]) == ["1965-01", "1967-01"]


def test_a_group_reporter_gets_its_group_code(tmp_path: Path) -> None:
    path = write_dots_workbook(
        tmp_path / "x.xlsx", reporter="European Union", exports=[("Azerbaijan, Rep. of", [1, 2])]
    )
    frame = parse(path).frame()
    assert set(frame["reporter"]) == {"EUU"} and set(frame["partner"]) == {"AZE"}


def test_unknown_names_fail_naming_every_label(tmp_path: Path) -> None:
    path = write_dots_workbook(
        tmp_path / "x.xlsx",
        exports=[("Italy", [1, 2]), ("Atlantis, Rep. of", [1, 2]), ("Lemuria", [3, None])],
        imports=[("Mu", [1, 1])],
    )
    messages = [str(p) for p in parse(path).problems]
    assert len(messages) == 3
    for label, cell in (("Atlantis, Rep. of", "B9"), ("Lemuria", "B10"), ("Mu", "B8")):
        assert any(label in m and cell in m and "unknown partner name" in m for m in messages), messages


def test_conflicting_duplicate_rows_fail(tmp_path: Path) -> None:
    path = write_dots_workbook(
        tmp_path / "x.xlsx", exports=[("Australia", [1.0, 2.0]), ("Australia", [1.0, 2.5])]
    )
    problems = parse(path).problems
    assert len(problems) == 1
    assert "conflicting duplicate rows for 'Australia'" in problems[0].message
    assert problems[0].cell == "D9"


def test_bad_cells_are_all_reported_with_their_place(tmp_path: Path) -> None:
    path = write_dots_workbook(
        tmp_path / "x.xlsx",
        years=("2018", "20x9"),
        exports=[("Italy", ["n/a", 1.0]), ("Memorandum Items", [4.0, None])],
    )
    problems = {(p.cell, p.message) for p in parse(path).problems}
    assert ("D7", "year header should be a four-digit year") in problems
    # Without a valid year row no figure can be placed, so the cells are not read further.
    assert len(problems) == 1

    path = write_dots_workbook(
        tmp_path / "y.xlsx",
        exports=[("Italy", ["n/a", 1.0]), ("Memorandum Items", [4.0, None]), (None, [1, 1])],
    )
    problems = {(p.cell, p.message) for p in parse(path).problems}
    assert problems == {
        ("C8", "not a number"),
        ("C9", "section heading 'Memorandum Items' carries values"),
        ("B10", "values in a row without a partner name"),
    }


def test_wrong_unit_title_and_missing_sheet(tmp_path: Path) -> None:
    path = write_dots_workbook(tmp_path / "x.xlsx", unit="Euros, Millions", sheets=("Exports, FOB",))
    messages = [str(p) for p in parse(path).problems]
    assert any("missing sheet(s) 'Imports, CIF'" in m for m in messages)
    assert any("B5" in m and "unit not understood" in m and "Euros, Millions" in m for m in messages)


def test_corrupt_and_truncated_workbooks_give_a_clear_problem(tmp_path: Path) -> None:
    garbage = tmp_path / "garbage.xlsx"
    garbage.write_bytes(b"this is not a workbook")
    good = write_dots_workbook(tmp_path / "good.xlsx", exports=[("Italy", [1, 2])])
    truncated = tmp_path / "truncated.xlsx"
    truncated.write_bytes(good.read_bytes()[:2000])
    for path in (garbage, truncated):
        problems = parse(path).problems
        assert len(problems) == 1 and problems[0].file == path.name
        assert "not a readable Excel workbook" in problems[0].message
    assert zipfile.is_zipfile(good)


@pytest.mark.parametrize(
    ("text", "value", "status"),
    [
        ("5.46 e", 5.46, "estimated"),
        ("1,234.50 e", 1234.5, "estimated"),
        ("3e-05", 3e-05, "reported"),
        ("12", 12.0, "reported"),
    ],
)
def test_numbers_written_as_text(text: str, value: float, status: str) -> None:
    assert imf_dots_excel._number(text) == (value, status, "")


@pytest.mark.parametrize("text", ["e", "5.46e e", "1.2.3", "nan", "inf", "12 E", "--5"])
def test_text_that_is_not_a_number(text: str) -> None:
    assert imf_dots_excel._number(text)[2] != ""


def test_schema_columns_are_all_produced(tmp_path: Path) -> None:
    frame = parse(write_dots_workbook(tmp_path / "x.xlsx", exports=[("Italy", [1, 2])])).frame()
    assert tuple(frame.columns) == (*schema.TRADE_FLOW_COLUMNS, schema.ORIGIN)
