"""A generator of malformed input files, by file type, for every parser in `etl.refresh.registry.SOURCE_MODULES`.

Each `Case` is one file on disk and what a correct parser must do with it:
- `expect="error"`: a clear error (problems naming the file), nothing published;
- `expect="error-or-same"`: corruption a format may not detect (a flipped byte in zip metadata that no
  reader looks at): either a clear error or exactly the rows of the intact file, never different data.

Generic cases (empty, random bytes, truncated and corrupt zip/xlsx/xls, zip bomb, XML bombs, wrong encodings,
huge files, JSON and CSV junk) go to every parser: whatever its native format, a parser must reject any other
bytes clearly. Structural cases (wrong or missing sheets, renamed/missing/extra columns, text in number cells,
negative, NaN, infinite and absurd values, duplicate keys) are built from a valid IMF DOTS workbook, as xlsx
and as real .xls (xlwt), and go to the DOTS parser.
"""

from __future__ import annotations

import io
import json
import random
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import xlwt

from tests.etl.dots_workbook import TITLES, write_dots_workbook

DOTS = "imf-dots-xlsx"
SEED = 20260126


@dataclass(frozen=True)
class Case:
    parser: str  # cli name in SOURCE_MODULES
    path: Path
    kind: str  # family of the defect, for the counts
    expect: str = "error"


# A valid table: World and two partners, two years; Italy's 2019 export is an IMF estimate.
YEARS = ("2018", "2019")
EXPORTS: list[tuple[str | None, list[Any]]] = [
    ("World", [100.0, 120.0]),
    ("Italy", [50.5, "60.25 e"]),
    ("Turkey", [10.0, 12.0]),
]
IMPORTS: list[tuple[str | None, list[Any]]] = [("World", [80.0, 90.0]), ("Italy", [1.5, 2.0])]


def valid_dots(path: Path, **changes: Any) -> Path:
    """The valid table above with `changes` to write_dots_workbook's arguments."""
    arguments: dict[str, Any] = {"years": YEARS, "exports": EXPORTS, "imports": IMPORTS} | changes
    return write_dots_workbook(path, **arguments)


def write_dots_xls(path: Path, **changes: Any) -> Path:
    """The same layout as a real BIFF .xls (xlwt), which calamine reads like xlsx."""
    arguments: dict[str, Any] = {
        "reporter": "Azerbaijan, Rep. of",
        "years": YEARS,
        "exports": EXPORTS,
        "imports": IMPORTS,
        "unit": "US Dollars, Millions",
        "sheets": ("Exports, FOB", "Imports, CIF"),
    } | changes
    book = xlwt.Workbook()
    for name in arguments["sheets"]:
        sheet = book.add_sheet(name[:31])
        sheet.write(1, 1, TITLES.get(name, name))
        sheet.write(3, 1, arguments["reporter"])
        sheet.write(4, 1, arguments["unit"])
        for offset, year in enumerate(arguments["years"]):
            sheet.write(6, 2 + offset, year)
        rows = arguments["exports"] if name.startswith("Exports") else arguments["imports"]
        for index, (label, values) in enumerate(rows):
            if label is not None:
                sheet.write(7 + index, 1, label)
            for offset, value in enumerate(values):
                if value is not None:
                    sheet.write(7 + index, 2 + offset, value)
    book.save(str(path))
    return path


def _with_export(row: int, column: int, value: Any) -> list[tuple[str | None, list[Any]]]:
    rows = [(label, list(values)) for label, values in EXPORTS]
    values = rows[row][1]
    while len(values) <= column:
        values.append(None)
    values[column] = value
    return rows


# Structural defects of the DOTS layout: name -> write_dots_workbook changes (each is a real error).
BAD_CELL_VALUES: dict[str, Any] = {
    "text": "abc",
    "text-two-points": "1.2.3",
    "text-unit": "12 USD",
    "text-estimate-marker-only": "e",
    "text-marker-before": "e 5.0",
    "text-nan": "NaN",
    "text-nan-lower": "nan",
    "text-inf": "inf",
    "text-minus-inf": "-Infinity",
    "text-html": "<script>alert(1)</script>",
    "text-sql": "1; DROP TABLE trade_flows",
    "text-comma-decimal": "12,5",
    "text-percent": "12%",
    "text-currency": "$12",
    "text-dash": "-",
    "text-ellipsis": "...",
    "text-zero-width": "1\u200b2",
    "text-long": "9" * 5000,
    "text-injection": "@SUM(1+1)*cmd|' /C calc'!A0",
    "text-plus": "+1+1",
    "boolean": True,
    "negative": -5.0,
    "negative-text": "-5",
    "absurd": 1e9,  # 1e9 millions = 1e15 USD, above any real bilateral flow
    "absurd-text": "1e12",
    "absurd-negative": -1e12,
    "huge-float": 1.7e308,
}

STRUCTURAL: dict[str, dict[str, Any]] = {
    "missing-export-sheet": {"sheets": ("Imports, CIF",)},
    "missing-import-sheet": {"sheets": ("Exports, FOB",)},
    "no-sheets-of-ours": {"sheets": ("Sheet1",)},
    "renamed-sheet": {"sheets": ("Exports FOB", "Imports, CIF")},
    "renamed-sheet-case": {"sheets": ("exports, fob", "Imports, CIF")},
    "unit-thousands-typo": {"unit": "US Dollar, Thousand"},
    "unit-missing": {"unit": None},
    "unit-euro": {"unit": "Euros, Millions"},
    "reporter-unknown": {"reporter": "Atlantis, Rep. of"},
    "reporter-missing": {"reporter": None},
    "reporter-number": {"reporter": 31},
    "reporter-mojibake": {"reporter": b"Azerbaijan, Rep. of".decode("latin-1") + "Ã©"},
    "reporter-cp1252-as-utf8": {"reporter": "C\u00c3\u00b4te d'Ivoire"},
    "years-missing": {"years": ()},
    "year-text": {"years": ("2018", "twenty19")},
    "year-two-digit": {"years": ("18", "19")},
    "year-date-like": {"years": ("2018-01", "2019")},
    "year-duplicate": {"years": ("2019", "2019")},
    "year-shifted-column": {"years": (None, "2018", "2019")},
    "extra-column-without-year": {"exports": _with_export(1, 3, 7.0)},
    "partner-unknown": {"exports": [*EXPORTS, ("Narnia", [1.0, 2.0])]},
    "partner-mojibake": {"exports": [*EXPORTS, ("TÃ¼rkiye, Rep. of", [1.0, 2.0])]},
    "partner-missing-label": {"exports": [*EXPORTS, (None, [1.0, 2.0])]},
    "partner-number-label": {"exports": [*EXPORTS, (42, [1.0, 2.0])]},
    "heading-with-values": {"exports": [*EXPORTS, ("Memorandum Items", [1.0, 2.0])]},
    "duplicate-partner-conflict": {"exports": [*EXPORTS, ("Italy", [51.0, "60.25 e"])]},
    "duplicate-partner-alias": {"exports": [*EXPORTS, ("Türkiye, Rep. of", [11.0, 12.0])]},
    "negative-country": {"exports": _with_export(1, 0, -50.5)},
}


def _title_changed(path: Path) -> Path:
    from openpyxl import load_workbook

    book = load_workbook(path)
    book["Exports, FOB"]["B2"] = "Exports to partners"
    book.save(path)
    return path


def _columns_shifted(path: Path) -> Path:
    """Every column moved one to the right (an inserted column A): renamed/moved columns."""
    from openpyxl import load_workbook

    book = load_workbook(path)
    for sheet in book.worksheets:
        sheet.insert_cols(1)
    book.save(path)
    return path


def _columns_deleted(path: Path) -> Path:
    """The partner-name column B removed (missing column)."""
    from openpyxl import load_workbook

    book = load_workbook(path)
    for sheet in book.worksheets:
        sheet.delete_cols(2)
    book.save(path)
    return path


def _rows_shifted(path: Path) -> Path:
    from openpyxl import load_workbook

    book = load_workbook(path)
    for sheet in book.worksheets:
        sheet.insert_rows(1)
    book.save(path)
    return path


def _empty_sheets(path: Path) -> Path:
    from openpyxl import Workbook

    book = Workbook()
    book.remove(book.active)
    for name in ("Exports, FOB", "Imports, CIF"):
        book.create_sheet(name)
    book.save(path)
    return path


def _date_cell(path: Path) -> Path:
    import datetime

    from openpyxl import load_workbook

    book = load_workbook(path)
    book["Exports, FOB"]["C9"] = datetime.datetime(2019, 1, 1)
    book.save(path)
    return path


EDITED: dict[str, Callable[[Path], Path]] = {
    "title-changed": _title_changed,
    "columns-shifted": _columns_shifted,
    "name-column-deleted": _columns_deleted,
    "rows-shifted": _rows_shifted,
    "empty-sheets": _empty_sheets,
    "date-in-number-cell": _date_cell,
}


# --- generic byte-level defects ---------------------------------------------------------------------------


def _zip_bomb(path: Path, *, inflated_mb: int) -> Path:
    """An xlsx-shaped zip whose sheet inflates to `inflated_mb` MB of spaces (about 1000:1)."""
    chunk = b" " * (1 << 20)
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr("[Content_Types].xml", _CONTENT_TYPES)
        archive.writestr("_rels/.rels", _RELS)
        archive.writestr("xl/workbook.xml", _WORKBOOK)
        archive.writestr("xl/_rels/workbook.xml.rels", _WORKBOOK_RELS)
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as sheet:
            sheet.write(b'<?xml version="1.0"?><worksheet xmlns="' + _NS + b'"><sheetData><row r="1">')
            for _ in range(inflated_mb):
                sheet.write(chunk)
    return path


def _nested_zip_bomb(path: Path) -> Path:
    inner = io.BytesIO()
    with zipfile.ZipFile(inner, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for i in range(16):
            archive.writestr(f"layer{i}.xml", b"\0" * (4 << 20))
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for i in range(16):
            archive.writestr(f"xl/worksheets/sheet{i}.zip", inner.getvalue())
    return path


_NS = b"http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_CONTENT_TYPES = (
    '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Override PartName="/xl/workbook.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>'
)
_RELS = (
    '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
    'officeDocument" Target="xl/workbook.xml"/></Relationships>'
)
_WORKBOOK = (
    '<?xml version="1.0"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets>'
    '<sheet name="Exports, FOB" sheetId="1" r:id="rId1"/></sheets></workbook>'
)
_WORKBOOK_RELS = (
    '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
    'worksheet" Target="worksheets/sheet1.xml"/></Relationships>'
)

BILLION_LAUGHS = (
    '<?xml version="1.0"?>\n<!DOCTYPE lolz [\n <!ENTITY lol "lol">\n'
    + "".join(
        f' <!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 10}">\n' for i in range(1, 10)
    )
    + ']>\n<message:StructureSpecificData xmlns:message="http://www.sdmx.org/resources/sdmxml/schemas/v2_1/message">'
    "&lol9;</message:StructureSpecificData>\n"
)
EXTERNAL_ENTITY = (
    '<?xml version="1.0"?>\n<!DOCTYPE data [<!ENTITY secret SYSTEM "file:///etc/passwd">]>\n'
    '<message:GenericData xmlns:message="http://www.sdmx.org/resources/sdmxml/schemas/v2_1/message">'
    "&secret;</message:GenericData>\n"
)
QUADRATIC_BLOWUP = (
    '<?xml version="1.0"?>\n<!DOCTYPE q [<!ENTITY a "'
    + "a" * 50_000
    + '">]>\n<q>'
    + "&a;" * 20_000
    + "</q>\n"
)


def _bomb_in_xlsx(path: Path, valid: Path, xml: str) -> Path:
    """The valid workbook with its first sheet replaced by an XML bomb."""
    with zipfile.ZipFile(valid) as source, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                data = xml.encode()
            target.writestr(item, data)
    return path


def _with_raw_value(path: Path, valid: Path, raw: str) -> Path:
    """The valid workbook with Italy's 2018 export (C9 of the first sheet) stored as `<v>{raw}</v>`: values
    such as NaN, INF or 1e400 that no spreadsheet program writes but a hand-made file can hold."""
    with zipfile.ZipFile(valid) as source, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                data = data.replace(b"<v>50.5</v>", f"<v>{raw}</v>".encode(), 1)
                assert raw.encode() in data
            target.writestr(item, data)
    return path


RAW_VALUES = {"nan": "NaN", "inf": "INF", "minus-inf": "-INF", "overflow": "1e400", "absurd": "1e300"}


def _zip_without(path: Path, valid: Path, member: str) -> Path:
    with zipfile.ZipFile(valid) as source, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            if item.filename != member:
                target.writestr(item, source.read(item.filename))
    return path


def generic_cases(
    folder: Path, parser: str, *, valid_xlsx: Path, valid_xls: Path, long: bool
) -> Iterator[Case]:
    """Defects that do not depend on the parser's format; every parser gets them all."""
    rng = random.Random(f"{SEED}-{parser}")
    folder.mkdir(parents=True, exist_ok=True)

    def file(name: str, data: bytes | str, kind: str) -> Case:
        path = folder / name
        path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
        return Case(parser, path, kind)

    yield file("empty.xlsx", b"", "empty")
    yield file("empty.xls", b"", "empty")
    yield file("empty.csv", b"", "empty")
    yield file("empty.json", b"", "empty")
    yield file("empty.xml", b"", "empty")
    yield file("whitespace.xlsx", b" \n\t\n", "empty")
    yield file("nul-bytes.xlsx", b"\0" * 4096, "corrupt")
    for i in range(4 if long else 2):
        yield file(f"random-{i}.xlsx", rng.randbytes(rng.randint(1, 200_000)), "corrupt")
        yield file(f"random-{i}.xls", rng.randbytes(rng.randint(1, 200_000)), "corrupt")
    yield file("pk-header-only.xlsx", b"PK\x03\x04" + b"\0" * 26, "corrupt")
    yield file("ole-header-only.xls", bytes.fromhex("d0cf11e0a1b11ae1") + b"\0" * 504, "corrupt")
    yield file("html-as.xlsx", "<html><body><table><tr><td>1</td></tr></table></body></html>", "wrong type")
    yield file(
        "pdf-as.xlsx", b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n", "wrong type"
    )
    yield file("png-as.xlsx", bytes.fromhex("89504e470d0a1a0a") + rng.randbytes(200), "wrong type")
    yield file("json-as.xlsx", json.dumps({"dataset": [1, 2, 3]}), "wrong type")
    yield file("json-garbage.json", '{"data": [1, 2, ', "corrupt")
    yield file("json-wrong-shape.json", json.dumps([{"unexpected": "shape"}]), "wrong type")
    yield file("json-deep.json", "[" * 100_000 + "]" * 100_000, "bomb")
    yield file("csv-junk.csv", 'a,b,c\n1,2\n"unterminated\n', "corrupt")
    yield file("csv-latin1.csv", "Partner,Value\nCôte d'Ivoire,12\n".encode("latin-1"), "encoding")
    yield file("csv-utf16.csv", "Partner,Value\nItaly,12\n".encode("utf-16"), "encoding")
    yield file("csv-cp1251.csv", "Страна,Сумма\nИталия,12\n".encode("cp1251"), "encoding")
    yield file("utf16-as.xlsx", "Exports, FOB\tItaly\t12\n".encode("utf-16"), "encoding")
    yield file("billion-laughs.xml", BILLION_LAUGHS, "xml bomb")
    yield file("billion-laughs.xlsx", BILLION_LAUGHS, "xml bomb")
    yield file("external-entity.xml", EXTERNAL_ENTITY, "xml bomb")
    yield file("quadratic-blowup.xml", QUADRATIC_BLOWUP, "xml bomb")
    yield Case(parser, _bomb_in_xlsx(folder / "laughs-in-sheet.xlsx", valid_xlsx, BILLION_LAUGHS), "xml bomb")
    yield Case(parser, _bomb_in_xlsx(folder / "xxe-in-sheet.xlsx", valid_xlsx, EXTERNAL_ENTITY), "xml bomb")
    yield Case(
        parser, _bomb_in_xlsx(folder / "quadratic-in-sheet.xlsx", valid_xlsx, QUADRATIC_BLOWUP), "xml bomb"
    )
    yield Case(parser, _zip_bomb(folder / "zip-bomb.xlsx", inflated_mb=2048 if long else 256), "zip bomb")
    yield Case(parser, _nested_zip_bomb(folder / "nested-zip-bomb.xlsx"), "zip bomb")
    for member in (
        "xl/workbook.xml",
        "xl/worksheets/sheet1.xml",
        "[Content_Types].xml",
        "xl/_rels/workbook.xml.rels",
    ):
        name = member.replace("/", "_").replace("[", "").replace("]", "")
        # Readers need no [Content_Types].xml to find the cells: without it the same rows are right.
        expect = "error-or-same" if member == "[Content_Types].xml" else "error"
        yield Case(
            parser, _zip_without(folder / f"without-{name}.xlsx", valid_xlsx, member), "corrupt", expect
        )
    # Huge: junk of tens of MB (a user picking the wrong file), and a file that claims to be a workbook.
    huge = folder / "huge-junk.xlsx"
    with huge.open("wb") as handle:
        block = rng.randbytes(1 << 20)
        for _ in range(200 if long else 40):
            handle.write(block)
    yield Case(parser, huge, "huge")
    huge_csv = folder / "huge.csv"
    with huge_csv.open("w", encoding="utf-8") as handle:
        line = "Italy,Azerbaijan,2019,abc\n" * 1000
        for _ in range(800 if long else 200):
            handle.write(line)
    yield Case(parser, huge_csv, "huge")
    # Truncated and corrupted copies of a valid xlsx and xls.
    for valid, suffix in ((valid_xlsx, "xlsx"), (valid_xls, "xls")):
        data = valid.read_bytes()
        cuts = sorted(
            {1, 2, 4, 30, 100, len(data) // 2, len(data) - 22, len(data) - 1}
            | {rng.randrange(1, len(data)) for _ in range(60 if long else 24)}
        )
        for cut in cuts:
            case = file(f"truncated-{cut}.{suffix}", data[:cut], "truncated")
            # Cutting only the padding at the end of an .xls (OLE sectors) loses no cell: same rows are right.
            yield Case(parser, case.path, case.kind, expect="error-or-same")
        for i in range(150 if long else 90):
            spoiled = bytearray(data)
            for _ in range(rng.randint(1, 8)):
                spoiled[rng.randrange(len(spoiled))] ^= 1 << rng.randrange(8)
            case = file(f"flipped-{i}.{suffix}", bytes(spoiled), "corrupt")
            # A flip in zip metadata no reader looks at changes nothing: the same rows are then right. Zip
            # members carry a CRC, so an xlsx flip can never give different rows; BIFF .xls has no checksum, so
            # a flipped byte in a cell record can change a figure undetectably: for .xls we require only that
            # the parser stays clean (no exception, in time) and count the silent changes.
            yield Case(parser, case.path, case.kind, expect="error-or-same" if suffix == "xlsx" else "clean")


def dots_cases(folder: Path, *, long: bool) -> Iterator[Case]:
    """Structural defects of the IMF DOTS layout, each as xlsx and as xls."""
    folder.mkdir(parents=True, exist_ok=True)
    for name, changes in STRUCTURAL.items():
        yield Case(DOTS, valid_dots(folder / f"{name}.xlsx", **changes), f"layout: {name}")
        xls_changes = {k: v for k, v in changes.items()}
        yield Case(DOTS, write_dots_xls(folder / f"{name}.xls", **xls_changes), f"layout: {name}")
    valid = valid_dots(folder / "valid-for-raw.xlsx")
    for name, raw in RAW_VALUES.items():
        yield Case(DOTS, _with_raw_value(folder / f"raw-{name}.xlsx", valid, raw), f"cell: raw {name}")
    for name, edit in EDITED.items():
        yield Case(DOTS, edit(valid_dots(folder / f"{name}.xlsx")), f"layout: {name}")
    for name, value in BAD_CELL_VALUES.items():
        for row, column in ((0, 0), (1, 1), (2, 0)):
            changes = {"exports": _with_export(row, column, value)}
            yield Case(
                DOTS, valid_dots(folder / f"cell-{name}-{row}-{column}.xlsx", **changes), f"cell: {name}"
            )
            yield Case(
                DOTS, write_dots_xls(folder / f"cell-{name}-{row}-{column}.xls", **changes), f"cell: {name}"
            )
