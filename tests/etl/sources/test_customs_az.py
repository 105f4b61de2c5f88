"""The State Customs Committee's monthly by-country tables (January–month cumulative), on workbooks built here in
the assumed layout (SOURCES.md 6): a title naming the period, a units line, a country column, then turnover /
export / import columns with the previous year and shares beside them."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pandas as pd
import pytest

from etl.http import FetchError
from etl.problems import Problem
from etl.reference import Reference
from etl.sources import Selection, customs_az
from tests.etl.sources.az_workbooks import Sheet, checked_rows, write_workbook
from tests.helpers import etl_environment, run_etl

REFERENCE = Reference()


def parse(path: Path) -> customs_az.Parsed:
    return customs_az.parse(path, release="2020-08", reference=REFERENCE)


def rows(parsed: customs_az.Parsed) -> list[tuple[str, str, str, str, float, str, str, str]]:
    return checked_rows(parsed, source="customs_az", release="2020-08")


def english_july(italy_share: float = 30.0) -> Sheet:
    """English, thousand USD: turnover / export / import, each this year and last, export shares in %."""
    return Sheet(
        "Table 1",
        [
            ["State Customs Committee of the Republic of Azerbaijan"],
            ["Foreign trade by countries, January–July 2020"],
            [None, None, None, None, None, None, None, "thousand USD"],
            ["Countries", "Turnover", None, "Export", None, None, "Import"],
            [None, "2020", "2019", "2020", "share, %", "2019", "2020", "2019"],
            ["Total", 13000.5, 14000, 8000.0, 100.0, 9000, 5000.5, 5000],
            ["Italy", 2500.25, 3000, 2400.0, italy_share, 2900, 100.25, 100],
            # 800.4 / 8000 = 10.005 %, published as 10.0: within the rounding.
            ["Russia", 1700.4, 1500, 800.4, 10.0, 700, 900, 800],
            ["CIS countries", "...", 2000, "...", "...", 1000, 1000, 1000],
            [],
            ["Note: preliminary data; exports FOB, imports CIF."],
        ],
        merges=[(3, 1, 2), (3, 3, 5), (3, 6, 7)],
    )


@pytest.mark.parametrize("suffix", [".xls", ".xlsx"])
def test_english_cumulative_table_gives_exact_rows(tmp_path: Path, suffix: str) -> None:
    parsed = parse(write_workbook(tmp_path / f"jul{suffix}", [english_july()]))
    assert parsed.problems == []
    at = f"jul{suffix}!'Table 1'!"
    jul = ("2020-01", "2020-07")
    assert rows(parsed) == [
        ("ITA", "export", *jul, 2_400_000.0, "FOB", "reported", at + "D7"),
        ("ITA", "import", *jul, 100_250.0, "CIF", "reported", at + "G7"),
        ("RUS", "export", *jul, 800_400.0, "FOB", "reported", at + "D8"),
        ("RUS", "import", *jul, 900_000.0, "CIF", "reported", at + "G8"),
        ("WLD", "export", *jul, 8_000_000.0, "FOB", "reported", at + "D6"),
        ("WLD", "import", *jul, 5_000_500.0, "CIF", "reported", at + "G6"),
        ("XCS", "import", *jul, 1_000_000.0, "CIF", "reported", at + "G9"),
    ]


def azerbaijani_months() -> list[Sheet]:
    """Azerbaijani, plain USD, one sheet per month: June's period in its title, July's only in its sheet name."""
    header = ["Ölkələr", "Xarici ticarət dövriyyəsi", "İxrac", "İdxal", "Saldo"]
    june = Sheet(
        "Cədvəl 1",
        [
            ["2020-ci ilin yanvar-iyun ayları üzrə ölkələr üzrə xarici ticarət"],
            ["ABŞ dolları"],
            header,
            ["Cəmi", 1000.50, 600.25, 400.25, 200.00],
            ["İtaliya", 300.75, 300.75, "-", 300.75],
            ["Rusiya", 100, 40, 60, -20],
        ],
    )
    july = Sheet(
        "2020 yanvar-iyul",
        [
            ["Azərbaycan Respublikasının ölkələr üzrə xarici ticarəti"],
            [],
            ["ABŞ dolları"],
            header,
            ["Cəmi", 1200.50, 700.25, 500.25, 200],
            ["İtaliya", 300, 290.00, 10, 280],
            ["Rusiya", 120, 50, 70, -20],
            ["Mənbə: Dövlət Gömrük Komitəsi"],
        ],
    )
    return [june, july]


@pytest.mark.parametrize("suffix", [".xls", ".xlsx"])
def test_one_sheet_per_month_gives_each_cumulative_period(tmp_path: Path, suffix: str) -> None:
    parsed = parse(write_workbook(tmp_path / f"2020{suffix}", azerbaijani_months()))
    assert parsed.problems == []
    jun, jul = f"2020{suffix}!'Cədvəl 1'!", f"2020{suffix}!'2020 yanvar-iyul'!"
    h1, h2 = ("2020-01", "2020-06"), ("2020-01", "2020-07")
    assert rows(parsed) == [
        ("ITA", "export", *h1, 300.75, "FOB", "reported", jun + "C5"),
        ("ITA", "export", *h2, 290.0, "FOB", "reported", jul + "C6"),
        ("ITA", "import", *h2, 10.0, "CIF", "reported", jul + "D6"),
        ("RUS", "export", *h1, 40.0, "FOB", "reported", jun + "C6"),
        ("RUS", "export", *h2, 50.0, "FOB", "reported", jul + "C7"),
        ("RUS", "import", *h1, 60.0, "CIF", "reported", jun + "D6"),
        ("RUS", "import", *h2, 70.0, "CIF", "reported", jul + "D7"),
        ("WLD", "export", *h1, 600.25, "FOB", "reported", jun + "C4"),
        ("WLD", "export", *h2, 700.25, "FOB", "reported", jul + "C5"),
        ("WLD", "import", *h1, 400.25, "CIF", "reported", jun + "D4"),
        ("WLD", "import", *h2, 500.25, "CIF", "reported", jul + "D5"),
    ]
    # Italy's exports January–July are below January–June: a warning (maybe a revision), not a failure.
    assert customs_az.cumulative_warnings(parsed.frame()) == [
        f"customs_az: AZE export with ITA: 2020-01..2020-07 (290.00 USD at {jul}C6) is smaller than "
        f"2020-01..2020-06 (300.75 USD at {jun}C5); a revision, or a wrong table?"
    ]


def test_cumulative_warnings_ignore_other_periods_and_years() -> None:
    def row(start: str, end: str, value: float) -> dict[str, object]:
        return {
            "source": "customs_az",
            "reporter": "AZE",
            "partner": "ITA",
            "flow": "import",
            "period_start": start,
            "period_end": end,
            "value_usd": value,
        }

    frame = pd.DataFrame(
        [
            row("2020-01", "2020-03", 30.0),
            row("2020-01", "2020-02", 20.0),
            row("2020-03", "2020-03", 5.0),  # a single month, not a cumulative
            row("2021-01", "2021-01", 1.0),  # another year starts afresh
            row("2020-01", "2020-04", 29.5),
        ]
    )
    assert customs_az.cumulative_warnings(frame) == [
        "customs_az: AZE import with ITA: 2020-01..2020-04 (29.50 USD) is smaller than 2020-01..2020-03 "
        "(30.00 USD); a revision, or a wrong table?"
    ]
    assert customs_az.cumulative_warnings(frame.iloc[0:0]) == []


@pytest.mark.parametrize(
    ("text", "period"),
    [
        ("January–July 2020", ("2020-01", "2020-07")),
        ("Foreign trade, January - December, 2019", ("2019-01", "2019-12")),
        ("2020-ci ilin yanvar-iyul ayları", ("2020-01", "2020-07")),
        ("2021-ci ilin YANVAR ayı", ("2021-01", "2021-01")),
        ("Jan-Sep 2022", ("2022-01", "2022-09")),
        ("İyun 2020", ("2020-06", "2020-06")),
        ("yanvar-avqust 2020 (2019-cu ilin yanvar-avqust ayları ilə müqayisədə)", ("2020-01", "2020-08")),
        ("Foreign trade of Azerbaijan by countries", None),
        ("Sheet1", None),
        ("yanvar-iyul", "names months but no year"),
        ("July–January 2020", "the month range runs backwards (july–january)"),
    ],
)
def test_period_named(text: str, period: object) -> None:
    assert customs_az.period_named(text) == period


@pytest.mark.parametrize("suffix", [".xls", ".xlsx"])
def test_broken_tables_give_exact_problems(tmp_path: Path, suffix: str) -> None:
    wrong = Sheet(
        "yanvar-mart 2021",
        [
            ["January–March 2021"],
            ["thousand USD"],
            ["Countries", "Turnover", "Export", "Import", None, "Growth, %"],
            ["Total", 310.0, 200.0, 100.0, None, 105.2],
            ["Narnia", 1, 1, "n/a"],
            ["Italy", 50.0, 30.2, 21.1],
            ["Georgia", 5, -5, 10],
        ],
    )
    no_period = Sheet(
        "Sheet2", [["Foreign trade by countries"], ["USD"], ["Country", "Export"], ["Italy", 1]]
    )
    disagree = Sheet("fevral 2021", [["January 2021"], ["USD"], ["Country", "Export"], ["Italy", 1]])
    no_unit = Sheet("Sheet4", [["January 2021"], ["Country", "Export"], ["Italy", 1]])
    path = write_workbook(tmp_path / f"bad{suffix}", [wrong, no_period, disagree, no_unit])
    file = f"bad{suffix}"
    assert parse(path).problems == [
        Problem(
            file,
            "unknown country or group name; add it with its ISO 3166 alpha-3 or group code to "
            "data/reference/names_az.csv (Azerbaijani) or names_az_en.csv (English)",
            sheet="yanvar-mart 2021",
            cell="A5",
            value="Narnia",
        ),
        Problem(
            file,
            "negative export value: trade cannot be negative",
            sheet="yanvar-mart 2021",
            cell="C7",
            value="-5",
        ),
        Problem(
            file,
            "no period found: the title or the sheet name must name it, e.g. 'January–July 2020' or "
            "'2020-ci ilin yanvar-iyul ayları'",
            sheet="Sheet2",
            value="Foreign trade by countries USD",
        ),
        Problem(
            file,
            "the title and the sheet name name different periods (title 2021-01..2021-01, sheet name "
            "2021-02..2021-02)",
            sheet="fevral 2021",
        ),
        Problem(
            file,
            "no unit line above the table (looked for US dollars, e.g. 'thousand USD' / 'min ABŞ dolları', "
            "in rows 1-2); the figures cannot be scaled without it",
            sheet="Sheet4",
        ),
        Problem(
            file,
            "turnover 310 is not export 200 + import 100 = 300 (export at yanvar-mart 2021!C4, import at "
            "yanvar-mart 2021!D4)",
            sheet="yanvar-mart 2021",
            cell="B4",
            value="310",
        ),
        Problem(
            file,
            "turnover 50 is not export 30.2 + import 21.1 = 51.3 (export at yanvar-mart 2021!C6, import at "
            "yanvar-mart 2021!D6)",
            sheet="yanvar-mart 2021",
            cell="B6",
            value="50",
        ),
    ]


def test_a_wrong_share_is_a_problem(tmp_path: Path) -> None:
    parsed = parse(
        write_workbook(tmp_path / "share.xlsx", [english_july(italy_share=31.0)])
    )  # 2400/8000 = 30 %
    assert parsed.problems == [
        Problem(
            "share.xlsx",
            "share 31% disagrees with export 2400 / total 8000 = 30% (at D7 and D6)",
            sheet="Table 1",
            cell="E7",
            value="31",
        )
    ]


def test_fetch_says_where_to_download_by_hand(tmp_path: Path) -> None:
    with pytest.raises(FetchError) as error:
        customs_az.fetch(raw_dir=tmp_path, release="r", selection=Selection(), environ={})
    message = str(error.value)
    assert "PDF" in message
    assert "https://customs.gov.az/en/faydali/gomruk-statistikasi/statistics-bulletin" in message
    assert "--input" in message
    assert not any(tmp_path.iterdir())


def test_cli_parses_a_good_file_and_refuses_a_broken_one(tmp_path: Path) -> None:
    env = etl_environment(tmp_path)

    def run(path: Path) -> subprocess.CompletedProcess[str]:
        return run_etl(
            "parse", "--source", "customs-az", "--output", str(out), str(path), env=env, timeout=120
        )

    out = tmp_path / "out.csv"
    result = run(write_workbook(tmp_path / "2020.xls", azerbaijani_months()))
    assert result.returncode == 0, result.stderr
    frame = pd.read_csv(out, dtype={"period_start": str, "period_end": str})
    assert len(frame) == 11
    assert sorted(set(zip(frame.period_start, frame.period_end, strict=True))) == [
        ("2020-01", "2020-06"),
        ("2020-01", "2020-07"),
    ]
    out.unlink()
    result = run(
        write_workbook(
            tmp_path / "bad.xlsx", [Sheet("Sheet1", [["USD"], ["Country", "Export"], ["Italy", 1]])]
        )
    )
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert "bad.xlsx, sheet 'Sheet1': no period found" in " ".join(result.stderr.split())
    assert not out.exists()


def test_missing_country_column_and_text_in_a_number_cell(tmp_path: Path) -> None:
    no_country = Sheet("yanvar 2021", [["ABŞ dolları"], ["Tərəfdaş", "İxrac"], ["İtaliya", 5.0]])
    text_cell = Sheet(
        "Sheet2",
        [
            [None, "January–February 2021"],
            [None, "USD"],
            [None, "Countries", "Export", "Import"],
            [None, "Italy", 4, "n/a"],
        ],
    )
    parsed = parse(write_workbook(tmp_path / "b.xls", [no_country, text_cell]))
    assert parsed.problems == [
        Problem(
            "b.xls",
            "no header row naming the country column (expected a cell reading one of 'Countries', 'Country', "
            "'Ölkə', 'Ölkələr')",
            sheet="yanvar 2021",
        ),
        Problem("b.xls", "not a number", sheet="Sheet2", cell="D4", value="n/a"),
    ]
    assert [(p, f, s, e, v) for p, f, s, e, v, *_ in rows(parsed)] == [
        ("ITA", "export", "2021-01", "2021-02", 4.0)
    ]
