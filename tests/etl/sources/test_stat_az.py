"""The State Statistical Committee's by-country tables, on workbooks built here in the assumed layout (SOURCES.md 5):
title block, units line, header row found by its country cell, years (and flows), partner rows, footnotes."""

from __future__ import annotations

import subprocess
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pandas as pd
import pytest

from etl.http import FetchError, Policy
from etl.problems import Problem
from etl.reference import Reference
from etl.sources import Selection, az_tables, stat_az
from tests.etl.sources.az_workbooks import Sheet, checked_rows, write_workbook
from tests.helpers import etl_environment, run_etl

REFERENCE = Reference()
UNKNOWN = (
    "unknown country or group name; add it with its ISO 3166 alpha-3 or group code to "
    "data/reference/names_az.csv (Azerbaijani) or names_az_en.csv (English)"
)


def parse(path: Path) -> stat_az.Parsed:
    return stat_az.parse(path, release="2021-03", reference=REFERENCE)


def rows(parsed: stat_az.Parsed) -> list[tuple[str, str, str, str, float, str, str, str]]:
    return checked_rows(parsed, source="stat_az", release="2021-03")


def english_column_groups() -> Sheet:
    """English: a year merged over Export / Import / Turnover, an empty column B, the unit line in D3."""
    return Sheet(
        "Foreign trade",
        [
            ["Foreign trade of the Republic of Azerbaijan by countries"],
            [],
            [None, None, None, "thousand USD"],
            ["Countries", None, "2018", None, None, "2019"],
            [None, None, "Export", "Import", "Turnover", "Export", "Import", "Turnover"],
            ["Total", None, 19458632.5, 11465632.4, 30924264.9, 19635748.6, 13667475.3, 33303223.9],
            ["CIS countries", None, 1200.5, 2300.25, 3500.75, "...", 2500, "..."],
            ["Italy", None, 5638646.6, 110.2, 5638756.8, "5460000.1*", "-", "5460000.1*"],
            ["Russia", None, 0.0, 1500.4, 1500.4, 12.3, 45.6, 57.9],
            # 1.05 + 2.1 = 3.15, published as 3.2: within the rounding of the three figures.
            ["Türkiye, Rep. of", None, 1.05, 2.1, 3.2],
            [],
            ["* estimate"],
            ["Source: State Statistical Committee of the Republic of Azerbaijan"],
        ],
        merges=[(3, 2, 4), (3, 5, 7)],
    )


@pytest.mark.parametrize("suffix", [".xls", ".xlsx"])
def test_english_year_groups_of_flows_give_exact_rows_in_dollars(tmp_path: Path, suffix: str) -> None:
    path = write_workbook(tmp_path / f"xt004en{suffix}", [english_column_groups()])
    parsed = parse(path)
    assert parsed.problems == []
    at = f"xt004en{suffix}!'Foreign trade'!"
    y18, y19 = ("2018-01", "2018-12"), ("2019-01", "2019-12")
    assert rows(parsed) == [
        ("ITA", "export", *y18, 5_638_646_600.0, "FOB", "reported", at + "C8"),
        ("ITA", "export", *y19, 5_460_000_100.0, "FOB", "estimated", at + "F8"),
        ("ITA", "import", *y18, 110_200.0, "CIF", "reported", at + "D8"),
        ("RUS", "export", *y18, 0.0, "FOB", "reported", at + "C9"),
        ("RUS", "export", *y19, 12_300.0, "FOB", "reported", at + "F9"),
        ("RUS", "import", *y18, 1_500_400.0, "CIF", "reported", at + "D9"),
        ("RUS", "import", *y19, 45_600.0, "CIF", "reported", at + "G9"),
        ("TUR", "export", *y18, 1_050.0, "FOB", "reported", at + "C10"),
        ("TUR", "import", *y18, 2_100.0, "CIF", "reported", at + "D10"),
        ("WLD", "export", *y18, 19_458_632_500.0, "FOB", "reported", at + "C6"),
        ("WLD", "export", *y19, 19_635_748_600.0, "FOB", "reported", at + "F6"),
        ("WLD", "import", *y18, 11_465_632_400.0, "CIF", "reported", at + "D6"),
        ("WLD", "import", *y19, 13_667_475_300.0, "CIF", "reported", at + "G6"),
        ("XCS", "export", *y18, 1_200_500.0, "FOB", "reported", at + "C7"),
        ("XCS", "import", *y18, 2_300_250.0, "CIF", "reported", at + "D7"),
        ("XCS", "import", *y19, 2_500_000.0, "CIF", "reported", at + "G7"),
    ]


def azerbaijani_sheet(name: str, heading: str, values: list[list[object]]) -> Sheet:
    """Azerbaijani, one flow per sheet: country column B, three title lines, the header on row 5, a heading row."""
    labels = ["Cəmi", "MDB ölkələri", "o cümlədən:", "Rusiya Federasiyası", "Aİ ölkələri", "İtaliya"]
    body = [[None, label, *line] for label, line in zip(labels, values, strict=True)]
    return Sheet(
        name,
        [
            [None, "Azərbaycan Respublikasının ölkələr üzrə xarici ticarəti"],
            [None, heading],
            [None, "(min ABŞ dolları)"],
            [],
            [None, "Ölkələr", 2019, "2020"],
            *body,
            [],
            [None, "Qeyd: * qiymətləndirmə; - hadisə yoxdur; ... məlumat yoxdur"],
        ],
    )


def azerbaijani_sheets() -> list[Sheet]:
    return [
        azerbaijani_sheet(
            "İxrac",
            "İxrac",
            [
                [19635748.6, 13732156.0],
                ["...", 100],
                [None, None],
                ["-", 12.5],
                [9000.5, "*8000.25"],
                [7000.1, 6000],
            ],
        ),
        azerbaijani_sheet(
            "İdxal",
            "İdxal",
            [
                [13667475.3, 10730662.1],
                [2500, 300.5],
                [None, None],
                [1500.4, "0.0"],
                [3000, 2000],
                [400.7, 350],
            ],
        ),
        azerbaijani_sheet(
            "Xarici ticarət dövriyyəsi",
            "Xarici ticarət dövriyyəsi",
            [
                [33303223.9, 24462818.1],
                ["...", 400.5],
                [None, None],
                ["1500.4", 12.5],
                [12000.5, "10000.3*"],
                [7400.8, 6350],
            ],
        ),
    ]


@pytest.mark.parametrize("suffix", [".xls", ".xlsx"])
def test_azerbaijani_sheet_per_flow_with_conventions(tmp_path: Path, suffix: str) -> None:
    path = write_workbook(tmp_path / f"xt004{suffix}", azerbaijani_sheets())
    parsed = parse(path)
    assert parsed.problems == []
    ex, im = f"xt004{suffix}!'İxrac'!", f"xt004{suffix}!'İdxal'!"
    y19, y20 = ("2019-01", "2019-12"), ("2020-01", "2020-12")
    assert rows(parsed) == [
        ("EUU", "export", *y19, 9_000_500.0, "FOB", "reported", ex + "C10"),
        ("EUU", "export", *y20, 8_000_250.0, "FOB", "estimated", ex + "D10"),
        ("EUU", "import", *y19, 3_000_000.0, "CIF", "reported", im + "C10"),
        ("EUU", "import", *y20, 2_000_000.0, "CIF", "reported", im + "D10"),
        ("ITA", "export", *y19, 7_000_100.0, "FOB", "reported", ex + "C11"),
        ("ITA", "export", *y20, 6_000_000.0, "FOB", "reported", ex + "D11"),
        ("ITA", "import", *y19, 400_700.0, "CIF", "reported", im + "C11"),
        ("ITA", "import", *y20, 350_000.0, "CIF", "reported", im + "D11"),
        ("RUS", "export", *y20, 12_500.0, "FOB", "reported", ex + "D9"),
        ("RUS", "import", *y19, 1_500_400.0, "CIF", "reported", im + "C9"),
        # "0.0": negligible, kept as the published number.
        ("RUS", "import", *y20, 0.0, "CIF", "reported", im + "D9"),
        ("WLD", "export", *y19, 19_635_748_600.0, "FOB", "reported", ex + "C6"),
        ("WLD", "export", *y20, 13_732_156_000.0, "FOB", "reported", ex + "D6"),
        ("WLD", "import", *y19, 13_667_475_300.0, "CIF", "reported", im + "C6"),
        ("WLD", "import", *y20, 10_730_662_100.0, "CIF", "reported", im + "D6"),
        ("XCS", "export", *y20, 100_000.0, "FOB", "reported", ex + "D7"),
        ("XCS", "import", *y19, 2_500_000.0, "CIF", "reported", im + "C7"),
        ("XCS", "import", *y20, 300_500.0, "CIF", "reported", im + "D7"),
    ]


def test_flows_over_years_and_a_header_high_up(tmp_path: Path) -> None:
    """The other grouping (a flow merged over its years), the header on row 2, the unit inside the title."""
    sheet = Sheet(
        "Sheet1",
        [
            ["Foreign trade by countries (million US dollars)"],
            ["Country", "Exports", None, "Imports"],
            [None, 2019, 2020, 2019, 2020],
            ["Italy", 5.5, 4.25, 0.5, "..."],
            ["Georgia", "0.0", 1, "-", 2],
        ],
        merges=[(1, 1, 2), (1, 3, 4)],
    )
    parsed = parse(write_workbook(tmp_path / "m.xlsx", [sheet]))
    assert parsed.problems == []
    at = "m.xlsx!'Sheet1'!"
    assert [(p, f, s, v, st, o) for p, f, s, _, v, _, st, o in rows(parsed)] == [
        ("GEO", "export", "2019-01", 0.0, "reported", at + "B5"),
        ("GEO", "export", "2020-01", 1_000_000.0, "reported", at + "C5"),
        ("GEO", "import", "2020-01", 2_000_000.0, "reported", at + "E5"),
        ("ITA", "export", "2019-01", 5_500_000.0, "reported", at + "B4"),
        ("ITA", "export", "2020-01", 4_250_000.0, "reported", at + "C4"),
        ("ITA", "import", "2019-01", 500_000.0, "reported", at + "D4"),
    ]


@pytest.mark.parametrize("suffix", [".xls", ".xlsx"])
def test_broken_cells_give_exact_problems(tmp_path: Path, suffix: str) -> None:
    sheet = Sheet(
        "İxrac",
        [
            ["Azərbaycan Respublikasının ölkələr üzrə ixracı"],
            ["min ABŞ dolları"],
            ["Ölkələr", "2019", "2020"],
            ["Cəmi", 100.0, 200.0],
            ["Atlantis", 1.0, 2.0],
            ["İtaliya", "12,3abc", -5],
            ["Gürcüstan", True, 3],
        ],
    )
    turnover = Sheet(
        "Dövriyyə",
        [
            ["Azərbaycan Respublikasının ölkələr üzrə xarici ticarət dövriyyəsi"],
            ["min ABŞ dolları"],
            ["Ölkələr", "2019", "2020"],
            ["Cəmi", 150.0, 250.0],
        ],
    )
    imports = Sheet(
        "İdxal",
        [
            ["min ABŞ dolları"],
            ["Ölkələr", "2019", "2020"],
            ["Cəmi", 50.0, 40.0],
        ],
    )
    path = write_workbook(tmp_path / f"bad{suffix}", [sheet, turnover, imports])
    parsed = parse(path)
    file = f"bad{suffix}"
    assert parsed.problems == [
        Problem(file, UNKNOWN, sheet="İxrac", cell="A5", value="Atlantis"),
        Problem(file, "not a number", sheet="İxrac", cell="B6", value="12,3abc"),
        Problem(
            file, "negative export value: trade cannot be negative", sheet="İxrac", cell="C6", value="-5"
        ),
        Problem(file, "a true/false cell where a number belongs", sheet="İxrac", cell="B7", value="True"),
        Problem(
            file,
            "turnover 250 is not export 200 + import 40 = 240 (export at İxrac!C4, import at İdxal!C3)",
            sheet="Dövriyyə",
            cell="C4",
            value="250",
        ),
    ]
    # The good figures are still read (a user sees every problem at once; the refresh publishes nothing).
    assert len(parsed.frame()) == 5


def test_a_sheet_without_unit_line_is_a_problem_not_a_guess(tmp_path: Path) -> None:
    sheet = Sheet(
        "Export",
        [["Export of Azerbaijan by countries"], [], ["Countries", 2019], ["Italy", 1.5], ["Atlantis", 2]],
    )
    parsed = parse(write_workbook(tmp_path / "nounit.xls", [sheet]))
    # The rest of the sheet is still checked, so every problem shows at once; nothing of it is stored.
    assert parsed.problems == [
        Problem(
            "nounit.xls",
            "no unit line above the table (looked for US dollars, e.g. 'thousand USD' / 'min ABŞ dolları', "
            "in rows 1-3); the figures cannot be scaled without it",
            sheet="Export",
        ),
        Problem("nounit.xls", UNKNOWN, sheet="Export", cell="A5", value="Atlantis"),
    ]
    assert parsed.frame().empty


def test_conflicting_unit_lines_and_a_table_without_period_columns(tmp_path: Path) -> None:
    sheet = Sheet("Export", [["Export, million USD"], ["thousand USD"], ["Countries"], ["Italy"]])
    parsed = parse(write_workbook(tmp_path / "units.xlsx", [sheet]))
    assert parsed.problems == [
        Problem(
            "units.xlsx",
            "conflicting unit lines (A1: 'Export, million USD'; A2: 'thousand USD')",
            sheet="Export",
        ),
        Problem("units.xlsx", "no year columns right of the country column", sheet="Export", cell="A3"),
    ]


def test_missing_country_column_and_unreadable_file(tmp_path: Path) -> None:
    sheet = Sheet("Export", [["thousand USD"], ["Partner", 2019], ["Italy", 1.5]])
    notes = Sheet("Notes", [["Methodology: see the committee's site."]])
    parsed = parse(write_workbook(tmp_path / "nocountry.xlsx", [notes, sheet]))
    assert parsed.problems == [
        Problem(
            "nocountry.xlsx",
            "no header row naming the country column (expected a cell reading one of 'Countries', 'Country', "
            "'Ölkə', 'Ölkələr')",
            sheet="Export",
        )
    ]
    only_notes = parse(write_workbook(tmp_path / "notes.xls", [notes]))
    assert only_notes.problems == [
        Problem("notes.xls", "no sheet holds a by-country table (no 'Countries' / 'Ölkələr' header)")
    ]
    broken = tmp_path / "broken.xls"
    broken.write_bytes(b"<html>not found</html>")
    problems = parse(broken).problems
    assert len(problems) == 1 and problems[0].message.startswith("not a readable Excel workbook")


def test_a_column_without_flow_or_year_is_named(tmp_path: Path) -> None:
    sheet = Sheet(
        "Trade",
        [["thousand USD"], ["Countries", "2019", "Remarks"], ["Italy", 1.5, "x"]],
    )
    parsed = parse(write_workbook(tmp_path / "cols.xlsx", [sheet]))
    assert parsed.problems == [
        Problem(
            "cols.xlsx",
            "column header names no flow, and neither the sheet name nor the title says export (İxrac) or "
            "import (İdxal)",
            sheet="Trade",
            cell="B2",
            value="2019",
        ),
        Problem(
            "cols.xlsx",
            "column header names no flow, and neither the sheet name nor the title says export (İxrac) or "
            "import (İdxal)",
            sheet="Trade",
            cell="C2",
            value="Remarks",
        ),
    ]


def test_text_numbers_and_markers() -> None:
    assert az_tables.cell_value("1,234.5") == (1234.5, 1, "reported", "")
    assert az_tables.cell_value("1 234,56") == (1234.56, 2, "reported", "")
    assert az_tables.cell_value("12,5*") == (12.5, 1, "estimated", "")
    assert az_tables.cell_value("* 7") == (7.0, 0, "estimated", "")
    assert az_tables.cell_value("...") == (None, 0, "", "")
    assert az_tables.cell_value("–") == (None, 0, "", "")
    assert az_tables.cell_value(2.50) == (2.5, 1, "reported", "")
    assert az_tables.cell_value("abc") == (None, 0, "", "not a number")


# --- the command line, as a user runs it ---


def run_parse(tmp_path: Path, *files: Path) -> subprocess.CompletedProcess[str]:
    out = tmp_path / "out.csv"
    return run_etl(
        "parse",
        "--source",
        "stat-az",
        "--output",
        str(out),
        *map(str, files),
        env=etl_environment(tmp_path),
        timeout=120,
    )


def test_cli_parses_a_good_file_and_refuses_a_broken_one(tmp_path: Path) -> None:
    good = write_workbook(tmp_path / "xt004.xls", azerbaijani_sheets())
    result = run_parse(tmp_path, good)
    assert result.returncode == 0, result.stderr
    frame = pd.read_csv(tmp_path / "out.csv", dtype={"period_start": str, "period_end": str})
    assert len(frame) == 18
    italy = frame[(frame.partner == "ITA") & (frame.flow == "export")]
    assert list(italy.value_usd) == [7_000_100.0, 6_000_000.0]
    assert list(italy.origin) == ["xt004.xls!'İxrac'!C11", "xt004.xls!'İxrac'!D11"]

    (tmp_path / "out.csv").unlink()
    bad = write_workbook(
        tmp_path / "bad.xlsx", [Sheet("İxrac", [["min ABŞ dolları"], ["Ölkələr", 2019], ["Atlantis", 1.0]])]
    )
    result = run_parse(tmp_path, bad)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert "bad.xlsx, sheet 'İxrac', A3: unknown country or group name" in " ".join(result.stderr.split())
    assert not (tmp_path / "out.csv").exists()


# --- fetch, against a real HTTP server on 127.0.0.1 ---


@pytest.fixture
def site(tmp_path: Path) -> Iterator[tuple[str, dict[str, bytes]]]:
    """A local stand-in for www.stat.gov.az serving `pages` (path -> body); anything else is a 404."""
    pages: dict[str, bytes] = {}

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            body = pages.get(self.path.lstrip("/"))
            self.send_response(200 if body is not None else 404)
            self.send_header("Content-Type", "application/vnd.ms-excel" if body else "text/html")
            payload = body if body is not None else b"<html>Not Found</html>"
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)

        def log_message(self, *_: object) -> None:
            return None

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}", pages
    server.shutdown()
    server.server_close()


POLICY = Policy(connect_timeout=2, read_timeout=2, attempts=2, backoff_base=0.01, backoff_cap=0.01)


def test_fetch_saves_the_workbooks_untouched_and_they_parse(
    tmp_path: Path, site: tuple[str, dict[str, bytes]]
) -> None:
    base, pages = site
    english = write_workbook(tmp_path / "en.xls", [english_column_groups()]).read_bytes()
    azerbaijani = write_workbook(tmp_path / "az.xls", azerbaijani_sheets()).read_bytes()
    pages["source/trade/en/f_trade/xt004en.xls"] = english
    pages["source/trade/az/f_trade/xt004.xls"] = azerbaijani
    seen: list[str] = []
    files = stat_az.fetch(
        raw_dir=tmp_path / "raw",
        release="2026-11-26",
        selection=Selection(),
        environ={stat_az.URL_ENV: base},
        policy=POLICY,
        progress=seen.append,
    )
    folder = tmp_path / "raw" / "stat_az" / "2026-11-26"
    assert files == [folder / "xt004en.xls", folder / "xt004.xls"]
    assert seen == ["xt004en.xls", "xt004.xls"]
    assert files[0].read_bytes() == english and files[1].read_bytes() == azerbaijani
    manifest = (folder / "manifest.json").read_text(encoding="utf-8")
    assert f"{base}/source/trade/az/f_trade/xt004.xls" in manifest
    assert len(rows(parse(files[0]))) == 16
    assert len(rows(parse(files[1]))) == 18


def test_fetch_fails_clearly_and_saves_nothing(tmp_path: Path, site: tuple[str, dict[str, bytes]]) -> None:
    base, pages = site
    pages["source/trade/en/f_trade/xt004en.xls"] = write_workbook(
        tmp_path / "en.xls", [english_column_groups()]
    ).read_bytes()
    with pytest.raises(FetchError) as missing:
        stat_az.fetch(
            raw_dir=tmp_path / "raw",
            release="r1",
            selection=Selection(),
            environ={stat_az.URL_ENV: base},
            policy=POLICY,
        )
    assert "HTTP 404" in str(missing.value)
    assert "correct FILES in etl/sources/stat_az.py" in str(missing.value)
    pages["source/trade/az/f_trade/xt004.xls"] = b"<html>moved</html>"
    with pytest.raises(FetchError, match="the reply is not an Excel workbook"):
        stat_az.fetch(
            raw_dir=tmp_path / "raw",
            release="r1",
            selection=Selection(),
            environ={stat_az.URL_ENV: base},
            policy=POLICY,
        )
    assert not (tmp_path / "raw" / "stat_az" / "r1").exists()
    assert (
        stat_az.fetch(
            raw_dir=tmp_path / "raw",
            release="r1",
            selection=Selection(reporters=("ITA",)),
            environ={stat_az.URL_ENV: base},
        )
        == []
    )


def test_header_on_the_first_row_with_units_in_its_cells(tmp_path: Path) -> None:
    sheet = Sheet(
        "Data",
        [
            ["Ölkələr", "İxrac 2019, min ABŞ dolları", "İdxal 2019, min ABŞ dolları"],
            ["İtaliya", 5638.6, 110.25],
        ],
    )
    parsed = parse(write_workbook(tmp_path / "top.xls", [sheet]))
    assert parsed.problems == []
    assert [(p, f, v, o) for p, f, _, _, v, _, _, o in rows(parsed)] == [
        ("ITA", "export", 5_638_600.0, "top.xls!'Data'!B2"),
        ("ITA", "import", 110_250.0, "top.xls!'Data'!C2"),
    ]


def test_a_figure_in_a_spacer_column_is_a_problem(tmp_path: Path) -> None:
    sheet = english_column_groups()
    stray = Sheet(sheet.name, [*sheet.rows[:6], ["CIS countries", 7.5], *sheet.rows[7:]], merges=sheet.merges)
    parsed = parse(write_workbook(tmp_path / "stray.xlsx", [stray]))
    assert parsed.problems == [
        Problem(
            "stray.xlsx", "value in a column without a header", sheet="Foreign trade", cell="B7", value="7.5"
        )
    ]
