"""State Statistical Committee of Azerbaijan: foreign trade of the Republic of Azerbaijan by countries.

**The layout is unverified** (SOURCES.md 5: no real by-country workbook was found), so nothing is read from a fixed
cell. The parser finds, in each sheet of an `.xls` or `.xlsx` workbook (see `etl.sources.az_tables`):

- the title block, e.g. "Foreign trade of the Republic of Azerbaijan by countries" /
  "Azərbaycan Respublikasının ölkələr üzrə xarici ticarəti";
- the units line, "thousand USD" / "min ABŞ dolları" (thousand -> x1,000, million -> x10^6); a sheet without
  one is a problem, never a guess;
- the header row by its country cell ("Countries" / "Ölkələr") and the years right of it ("2019"), with flows
  either per sheet (sheet name or title saying Export/İxrac, Import/İdxal) or as column groups (a year over
  Export / Import / Turnover, or a flow over years; merged group cells are spread over their columns);
- one row per partner (Azerbaijani names via data/reference/names_az.csv, English via names_az_en.csv and the
  ISO/IMF names of `Reference.code_for`; "Cəmi"/"Total" -> WLD, "MDB ölkələri"/"CIS countries" -> XCS,
  "Aİ ölkələri"/"EU countries" -> EUU); an unknown label is a problem naming its cell; notes below the last
  figure are ignored.

Conventions (the committee's own): "-" not applicable and "..." missing give no row; "0.0" (negligible, i.e. less
than 50 USD in a thousand-USD table with one decimal) is stored as the published number 0.0 with status
`reported` — the store keeps what was published, and the origin cell shows the rounding; "*" before or after a
number marks an estimate (status `estimated`). Turnover and balance columns are not stored (the query layer
derives them) but checked: export + import must equal turnover within the rounding of the three figures.

Valuation: exports FOB, imports CIF (the committee's convention). Since 2011 its totals add statistical estimates
of crude oil and gas exported without full customs clearance to the customs data, so they exceed the State
Customs Committee's (`customs_az`) on exports; the two sources are kept apart, never merged.

`fetch` downloads the static workbooks listed in `FILES` (paths unverified; base URL `TRADE_STAT_AZ_URL`); the
saved files are parsed exactly like `--input` files.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from etl import raw
from etl.http import Client, FetchError, Policy
from etl.problems import Problem
from etl.reference import Reference
from etl.sources import Parsed, Progress, Selection, az_tables, source_info

if TYPE_CHECKING:  # httpx is imported by etl.http when a request is made
    import httpx

INFO = source_info("stat_az")  # data/reference/sources.csv

# Files given with --input carry no vintage of their own; name one with --release when you know it.
DEFAULT_RELEASE = "manual"
FILE_PATTERNS = ("*.xls", "*.xlsx")
# Files are read one after the other (reading in worker processes was measured for the IMF workbooks only).
PARALLEL_PARSE = False
# Nothing to check across this source's published rows beyond validation.
published_warnings = None
FLOW_MAP = az_tables.FLOW_MAP

BASE_URL = "https://www.stat.gov.az"
URL_ENV = "TRADE_STAT_AZ_URL"
# The committee's static workbooks (SOURCES.md 5): English under /en/ with an `en` suffix, Azerbaijani under
# /az/ without. The by-country table's code is **unverified** (no real file was seen); correct it here if the
# fetch answers 404.
FILES: dict[str, tuple[str, ...]] = {
    "en": ("source/trade/en/f_trade/xt004en.xls",),
    "az": ("source/trade/az/f_trade/xt004.xls",),
}
# Excel files start with the OLE2 signature (.xls) or a zip header (.xlsx); anything else is an error page.
EXCEL_SIGNATURES = (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", b"PK\x03\x04")


def fetch(
    *,
    raw_dir: Path,
    release: str,
    selection: Selection,
    environ: Mapping[str, str],
    transport: httpx.BaseTransport | None = None,
    policy: Policy | None = None,
    progress: Progress | None = None,
) -> list[Path]:
    """Download every workbook in `FILES` untouched into data/raw/stat_az/<release>/; [] when the selection
    does not ask for Azerbaijan's own report (the committee publishes no other reporter)."""
    if az_tables.REPORTER not in selection.reporters:
        return []
    base = environ.get(URL_ENV, BASE_URL).rstrip("/")
    options: dict[str, Any] = {"policy": policy} if policy is not None else {}
    client = Client(
        INFO.source,
        transport=transport,
        advice={
            404: f"The committee may have renamed the table: check {INFO.url} and correct FILES in "
            f"etl/sources/stat_az.py, or download the workbook by hand and use --input",
            403: "The site refused the request; download the workbook by hand and use --input",
        },
        **options,
    )
    info = {"licence": INFO.licence, "url": INFO.url, "title": INFO.title}
    with client, raw.download(raw_dir, source=INFO.source, release=release, info=info) as saved:
        for language, paths in FILES.items():
            for path in paths:
                url = f"{base}/{path}"
                reply = client.get(url)
                if not reply.content.startswith(EXCEL_SIGNATURES):
                    raise FetchError(
                        INFO.source,
                        reply.url,
                        f"the reply is not an Excel workbook (content type {reply.content_type or 'none'!r})",
                        "The site may have moved the table; download it by hand and use --input",
                    )
                name = Path(path).name
                saved.save(
                    name,
                    reply.content,
                    url=reply.url,
                    status=reply.status,
                    fetched_at=reply.fetched_at,
                    language=language,
                )
                if progress is not None:
                    progress(name)
    return [saved.final / p.name for p in saved.files]


def parse(path: Path, *, release: str, reference: Reference) -> Parsed:
    """Export and import figures of one by-country workbook as tidy rows (full US dollars), or the problems.

    Every sheet holding a by-country table is read; sheets with no figures at all (notes) are skipped.
    """
    file = path.name
    return az_tables.parse_workbook(
        path,
        source=INFO.source,
        release=release,
        reference=reference,
        targets=lambda table, problems: _targets(table, file=file, problems=problems),
    )


def sheet_flow(sheet: str, title: str) -> str | None:
    """The flow a whole sheet holds, when its name (first) or its title names exactly one."""
    for text in (sheet, title):
        flows = az_tables.flows_named(text)
        if len(flows) == 1:
            return flows[0]
    return None


def _targets(table: az_tables.Table, *, file: str, problems: list[Problem]) -> dict[int, az_tables.Target]:
    """Each headed column as a flow over a calendar year; growth-rate (%) columns are ignored."""
    default_flow = sheet_flow(table.sheet, table.title)
    targets: dict[int, az_tables.Target] = {}
    for column, flow, problem in az_tables.headed_columns(
        table,
        default_flow=default_flow,
        no_flow="column header names no flow, and neither the sheet name nor the title says "
        "export (İxrac) or import (İdxal)",
        no_columns="no year columns right of the country column",
        file=file,
        problems=problems,
    ):
        years = column.years
        if len(years) != 1:
            problem("column header should name one year (e.g. 2019)")
            continue
        year = years[0]
        targets[column.index] = az_tables.Target(
            flow=flow, start=f"{year}-01", end=f"{year}-12", share=column.is_share
        )
    return targets
