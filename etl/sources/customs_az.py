"""State Customs Committee of Azerbaijan: monthly foreign-trade tables by country, January–month cumulative.

**The layout is unverified** (SOURCES.md 6: the committee publishes PDF bulletins and press releases; no Excel
table was seen). The parser finds, in each sheet of an `.xls` or `.xlsx` workbook (see `etl.sources.az_tables`):

- the period in the title ("January–July 2020" / "2020-ci ilin yanvar-iyul ayları"), or else in the sheet name,
  in English or Azerbaijani month names; a workbook with one sheet per month gives one cumulative period each;
- the units line: "thousand USD" / "min ABŞ dolları" (x1,000) or plain "USD" / "ABŞ dolları" (x1);
- the header row by its country cell ("Countries" / "Ölkələr"), then turnover / export / import columns,
  possibly split into this year and the same period of the previous year, and shares in %.

What is stored: export and import figures of the period as published, **cumulative from January**
(period 2020-01..2020-07). Single months are derived by difference in the query layer, not here. The previous
year's columns are not stored (that year's own table is the source of those figures, and storing both would give
one key two values when revised); turnover, balance and share columns are not stored but checked against export
and import. A later cumulative smaller than an earlier one can be a genuine revision: `cumulative_warnings`
lists such cases for the refresh to print instead of failing.

Cells follow the Statistical Committee's conventions (assumed, as the layout): "-" and "..." give no row, "0.0" is
kept as published, "*" marks an estimate; a negative export or import, or text where a number belongs, is a
problem naming its cell. Partner names as in `stat_az` (data/reference/names_az.csv, names_az_en.csv).

Valuation: exports FOB, imports CIF (customs declarations' convention). Customs totals are lower than the State
Statistical Committee's on exports (no estimate for uncleared oil and gas); the two sources are kept apart.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pandas as pd

from etl import schema
from etl.http import FetchError
from etl.problems import Problem
from etl.reference import Reference
from etl.sources import Parsed, az_tables, source_info

INFO = source_info("customs_az")  # data/reference/sources.csv

DEFAULT_RELEASE = "manual"
FILE_PATTERNS = ("*.xls", "*.xlsx")
# Files are read one after the other (reading in worker processes was measured for the IMF workbooks only).
PARALLEL_PARSE = False
FLOW_MAP = az_tables.FLOW_MAP
BULLETIN_PAGE = INFO.url

# Month names held as data: Azerbaijani stems take case endings ("iyulun", "mayın"), English full or short.
MONTHS_AZ = (
    "yanvar",
    "fevral",
    "mart",
    "aprel",
    "may",
    "iyun",
    "iyul",
    "avqust",
    "sentyabr",
    "oktyabr",
    "noyabr",
    "dekabr",
)
MONTHS_EN = (
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
)
_MONTH_NUMBER = {
    **{name: i for i, name in enumerate(MONTHS_AZ, start=1)},
    **{name: i for i, name in enumerate(MONTHS_EN, start=1)},
    **{name[:3]: i for i, name in enumerate(MONTHS_EN, start=1)},
    "sept": 9,
}
_MONTH = re.compile(
    r"(?<![^\W\d_])(?:(?P<az>" + "|".join(MONTHS_AZ) + r")\w*"
    r"|(?P<en>"
    + "|".join(sorted({*MONTHS_EN, *(m[:3] for m in MONTHS_EN), "sept"}, key=len, reverse=True))
    + r")\b\.?)"
)
# Between the two months of a range: a dash of any kind, "to", spaces.
_RANGE_JOIN = re.compile(r"^\s*(?:[-‐‑‒–—]|to)\s*$")
_YEAR = re.compile(r"(?<!\d)(19\d\d|20\d\d)(?!\d)")


def fetch(**_: object) -> list[Path]:
    """The committee publishes no machine-readable table at a stable address: nothing to download."""
    raise FetchError(
        INFO.source,
        "none",
        "the State Customs Committee publishes its monthly statistics as PDF bulletins and press releases, with "
        "no machine-readable table at a stable address",
        f"Download the monthly Excel table by hand (statistics bulletin page: {BULLETIN_PAGE}) and give it with "
        "--source customs-az --input FILE",
    )


def period_named(text: str) -> tuple[str, str] | str | None:
    """(period_start, period_end) named by a title or sheet name, e.g. "January–July 2020" -> ("2020-01",
    "2020-07"), "2020-ci ilin yanvar-iyul ayları" likewise, "Iyul 2020" -> ("2020-07", "2020-07");
    None when it names no month; an error message when it names months without a year or a backward range."""
    words = az_tables.folded(text)
    months = list(_MONTH.finditer(words))
    if not months:
        return None
    first = months[0]
    last = first
    if len(months) > 1 and _RANGE_JOIN.match(words[first.end() : months[1].start()]):
        last = months[1]
    year = _YEAR.search(words)
    if year is None:
        return "names months but no year"
    start, end = _month_of(first), _month_of(last)
    if end < start:
        return f"the month range runs backwards ({first.group(0)}–{last.group(0)})"
    return f"{year.group(1)}-{start:02d}", f"{year.group(1)}-{end:02d}"


def _month_of(match: re.Match[str]) -> int:
    return _MONTH_NUMBER[match.group("az") or match.group("en")]


def parse(path: Path, *, release: str, reference: Reference) -> Parsed:
    """Export and import figures of one workbook as tidy rows (full US dollars, January–month cumulative), or
    the problems. Every sheet holding a by-country table is read, each with its own period."""
    file = path.name

    def targets(table: az_tables.Table, problems: list[Problem]) -> dict[int, az_tables.Target] | None:
        period = _period(table, file=file, problems=problems)
        return None if period is None else _targets(table, period, file=file, problems=problems)

    return az_tables.parse_workbook(
        path, source=INFO.source, release=release, reference=reference, targets=targets
    )


def _period(table: az_tables.Table, *, file: str, problems: list[Problem]) -> tuple[str, str] | None:
    """The sheet's period from its title, else its name; a problem when neither names one or they differ."""
    named = {"title": period_named(table.title), "sheet name": period_named(table.sheet)}
    for where, found in named.items():
        if isinstance(found, str):
            text = table.title if where == "title" else table.sheet
            problems.append(Problem(file, f"the {where} {found}", sheet=table.sheet, value=text[:80]))
            return None
    periods = {where: found for where, found in named.items() if isinstance(found, tuple)}
    if not periods:
        problems.append(
            Problem(
                file,
                "no period found: the title or the sheet name must name it, e.g. 'January–July 2020' or "
                "'2020-ci ilin yanvar-iyul ayları'",
                sheet=table.sheet,
                value=table.title[:80],
            )
        )
        return None
    if len(set(periods.values())) > 1:
        shown = ", ".join(f"{where} {start}..{end}" for where, (start, end) in periods.items())
        problems.append(
            Problem(file, f"the title and the sheet name name different periods ({shown})", sheet=table.sheet)
        )
        return None
    return next(iter(periods.values()))


def _targets(
    table: az_tables.Table, period: tuple[str, str], *, file: str, problems: list[Problem]
) -> dict[int, az_tables.Target]:
    """Each headed column as a flow over the sheet's period; previous-year and growth (%) columns are ignored."""
    start, end = period
    year = int(start[:4])
    default_flows = az_tables.flows_named(table.sheet) or az_tables.flows_named(table.title)
    default_flow = default_flows[0] if len(default_flows) == 1 else None
    targets: dict[int, az_tables.Target] = {}
    for column, flow, problem in az_tables.headed_columns(
        table,
        default_flow=default_flow,
        no_flow="column header names no flow (Turnover/Export/Import, Dövriyyə/İxrac/İdxal)",
        no_columns="no export or import columns right of the country column",
        file=file,
        problems=problems,
    ):
        years = column.years
        if years == [year - 1]:
            continue  # the same period of the previous year, shown for comparison: that year's table has it
        if years not in ([], [year]):
            problem(f"column header names a year that is neither the period's ({year}) nor the one before")
            continue
        targets[column.index] = az_tables.Target(flow=flow, start=start, end=end, share=column.is_share)
    return targets


def cumulative_warnings(frame: pd.DataFrame) -> list[str]:
    """Messages for every January–month cumulative smaller than the one before it for the same source, reporter,
    partner, flow and year (e.g. January–August below January–July).

    That can be a genuine revision, so it is a warning for the refresh to print, never a failure. Only rows
    starting in January and ending in the same year count as cumulative; other periods are ignored. Expects the
    tidy columns; `origin` is quoted when present. An empty frame gives [].
    """
    if frame.empty:
        return []
    start = frame[schema.PERIOD_START].astype(str)
    end = frame[schema.PERIOD_END].astype(str)
    cumulative = frame[start.str.endswith("-01") & (start.str[:4] == end.str[:4])].copy()
    if cumulative.empty:
        return []
    cumulative["cumulative_year"] = cumulative[schema.PERIOD_START].astype(str).str[:4]
    keys = [schema.SOURCE, schema.REPORTER, schema.PARTNER, schema.FLOW, "cumulative_year"]
    messages = []
    ordered = cumulative.sort_values([*keys, schema.PERIOD_END], kind="stable")
    for key, group in ordered.groupby(keys, sort=True, observed=True):
        source, reporter, partner, flow, _ = key
        previous: dict[Any, Any] | None = None
        for record in group.to_dict("records"):
            if previous is not None and record[schema.VALUE_USD] < previous[schema.VALUE_USD]:
                messages.append(
                    f"{source}: {reporter} {flow} with {partner}: {record[schema.PERIOD_START]}.."
                    f"{record[schema.PERIOD_END]} ({record[schema.VALUE_USD]:,.2f} USD"
                    f"{_at(record)}) is smaller than {previous[schema.PERIOD_START]}..{previous[schema.PERIOD_END]} "
                    f"({previous[schema.VALUE_USD]:,.2f} USD{_at(previous)}); a revision, or a wrong table?"
                )
            previous = record
    return messages


# The refresh prints these over every release of the source together (`SourceModule.published_warnings`).
published_warnings = cumulative_warnings


def _at(record: dict[Any, Any]) -> str:
    origin = record.get(schema.ORIGIN)
    return f" at {origin}" if origin else ""
