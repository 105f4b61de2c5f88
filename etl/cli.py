"""`python -m etl`: refresh, parse, export, status and snapshot, with one-paragraph errors and exit codes."""

from __future__ import annotations

import argparse
import os
import sys
import time
from collections.abc import Sequence
from pathlib import Path

import pandas as pd
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from etl import pipeline, schema, store
from etl.problems import DataProblems
from etl.reference import Reference
from etl.settings import Settings
from etl.sources import imf_dots_excel
from etl.validate import problems_in

EXIT_FAILURE = 1
# Spreadsheet programs run cells starting with these as formulas; exported text cells get a leading quote.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
XLSX_ROW_LIMIT = 1_048_575

console = Console(stderr=True)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m etl",
        description="Bilateral trade ETL: official sources -> tidy table `trade_flows` -> versioned DuckDB store.",
    )
    parser.add_argument("--debug", action="store_true", help="show the full traceback on failure")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    refresh = commands.add_parser(
        "refresh",
        help="build and publish the store from the shipped snapshot, data/raw/ and --input files",
        description="Build a new store version and switch to it atomically. Rows parsed from files in data/raw/ "
        "(and --input files, which are first copied there) supersede snapshot rows with the same key. "
        "Nothing is published unless every input parses and validates.",
    )
    refresh.add_argument(
        "--offline", action="store_true", help="use only saved files (no live service is called)"
    )
    refresh.add_argument(
        "--input", nargs="+", type=Path, default=[], metavar="FILE", help="files a user downloaded"
    )
    refresh.add_argument("--source", choices=sorted(pipeline.SOURCE_MODULES), default="imf-dots-xlsx")
    refresh.add_argument(
        "--release", default=imf_dots_excel.DEFAULT_RELEASE, help="vintage of the --input files"
    )
    refresh.add_argument(
        "--if-missing", action="store_true", help="do nothing when a store is already published"
    )

    parse = commands.add_parser(
        "parse", help="parse files of a source's native format into the tidy table as CSV, without publishing"
    )
    parse.add_argument("--source", choices=sorted(pipeline.SOURCE_MODULES), required=True)
    parse.add_argument("--output", type=Path, required=True, metavar="OUT.csv")
    parse.add_argument("--release", default=imf_dots_excel.DEFAULT_RELEASE)
    parse.add_argument("files", nargs="+", type=Path, metavar="FILE")

    export = commands.add_parser("export", help="write the published tidy table to a file")
    export.add_argument("--format", choices=("csv", "parquet", "xlsx"), required=True)
    export.add_argument("--output", type=Path, required=True, metavar="FILE")
    export.add_argument("--reporter", help="only rows of this reporter (ISO alpha-3), e.g. AZE")

    commands.add_parser("status", help="what is published: releases, sources, rows, coverage by reporter")

    snapshot = commands.add_parser(
        "snapshot", help="rebuild data/snapshot (the Azerbaijan-centred tidy table the app ships with)"
    )
    snapshot.add_argument("--input", nargs="+", type=Path, required=True, metavar="FILE")
    snapshot.add_argument("--release", default=imf_dots_excel.DEFAULT_RELEASE)
    return parser


def main(argv: Sequence[str] | None = None, environ: dict[str, str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    settings = Settings.from_env(os.environ if environ is None else environ)
    try:
        handler = {
            "refresh": _refresh,
            "parse": _parse,
            "export": _export,
            "status": _status,
            "snapshot": _snapshot,
        }
        return handler[args.command](args, settings)
    except (DataProblems, store.StoreError, OSError, ValueError) as exc:
        if args.debug:
            raise
        console.print(f"[bold red]error:[/] {exc}", markup=True, highlight=False, soft_wrap=True)
        return EXIT_FAILURE
    except KeyboardInterrupt:
        console.print("interrupted; the published store is unchanged")
        return 130
    except Exception as exc:  # a defect of ours: still one paragraph, and the store is unchanged
        if args.debug:
            raise
        console.print(
            f"[bold red]internal error:[/] {type(exc).__name__}: {exc}. The published store is unchanged. "
            "Rerun with --debug for the traceback and report it.",
            markup=True,
            highlight=False,
        )
        return EXIT_FAILURE


class _Bar:
    """A rich progress bar over files, passed to the pipeline as a plain callable."""

    def __init__(self, total: int, label: str) -> None:
        self.progress = Progress(
            TextColumn("{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            TextColumn("{task.fields[file]}"),
            console=console,
            transient=True,
        )
        self.task = self.progress.add_task(label, total=total, file="")

    def __enter__(self) -> _Bar:
        self.progress.start()
        return self

    def __exit__(self, *_: object) -> None:
        self.progress.stop()

    def __call__(self, name: str) -> None:
        self.progress.update(self.task, advance=1, file=name)


def _refresh(args: argparse.Namespace, settings: Settings) -> int:
    if args.if_missing and store.current_store_path(settings.store_dir) is not None:
        console.print(f"store already published at {store.current_store_path(settings.store_dir)}")
        return 0
    if not args.offline:
        console.print(
            "no live service is configured for these sources yet; using saved files only (as --offline)"
        )
    started = time.perf_counter()
    raw = pipeline.raw_files(settings.raw_dir)
    total = len(args.input) + sum(len(files) for releases in raw.values() for _, files in releases)
    with _Bar(total, "parsing") as bar:
        report = pipeline.refresh(
            settings, inputs=args.input, source=args.source, release=args.release, progress=bar
        )
    for note in report.notes:
        console.print(f"  {note}")
    table = Table(title="published")
    for column in ("source", "rows"):
        table.add_column(column)
    for source, rows in sorted(report.rows_by_source.items()):
        table.add_row(str(source), f"{rows:,}")
    console.print(table)
    elapsed = time.perf_counter() - started
    console.print(
        f"store {report.publication.path} ({report.publication.trade_flow_rows:,} rows) in {elapsed:.1f} s"
    )
    return 0


def _parse(args: argparse.Namespace, settings: Settings) -> int:
    reference = Reference(settings.reference_dir)
    with _Bar(len(args.files), "parsing") as bar:
        parsed = pipeline.parse_files(
            args.files, source=args.source, release=args.release, reference=reference, progress=bar
        )
    problems = parsed.problems + problems_in(parsed.frame, areas=reference.areas())
    if problems:
        raise DataProblems(problems)
    frame = pipeline.canonical_with_origin(parsed.frame)
    _write_csv(frame, args.output)
    console.print(f"{len(frame):,} rows written to {args.output}")
    for note in parsed.notes:
        console.print(f"  {note}")
    return 0


def _published(settings: Settings, table: str) -> pd.DataFrame:
    frame = store.read_published(settings.store_dir, table)
    if frame is None:
        raise store.StoreError(
            f"nothing is published in {settings.store_dir}; run `python -m etl refresh` first"
        )
    return frame


def _export(args: argparse.Namespace, settings: Settings) -> int:
    frame = _published(settings, schema.TRADE_FLOWS)
    if args.reporter:
        frame = frame[frame[schema.REPORTER] == args.reporter.upper()]
    args.output.parent.mkdir(parents=True, exist_ok=True)
    if args.format == "csv":
        _write_csv(frame, args.output)
    elif args.format == "parquet":
        frame.to_parquet(args.output, index=False)
    else:
        if len(frame) > XLSX_ROW_LIMIT:
            raise ValueError(
                f"{len(frame):,} rows do not fit one Excel sheet ({XLSX_ROW_LIMIT:,} max); "
                "use --format csv or parquet, or --reporter to select fewer rows"
            )
        neutralised(frame).to_excel(
            args.output, index=False, sheet_name=schema.TRADE_FLOWS, engine="openpyxl"
        )
    console.print(f"{len(frame):,} rows written to {args.output}")
    return 0


def neutralised(frame: pd.DataFrame) -> pd.DataFrame:
    """`frame` with text cells that a spreadsheet would run as a formula prefixed by a quote."""
    result = frame.copy()
    for column in result.columns:
        if result[column].dtype == object or pd.api.types.is_string_dtype(result[column]):
            text = result[column].astype("object")
            risky = text.map(lambda v: isinstance(v, str) and v.startswith(FORMULA_PREFIXES))
            result[column] = text.where(~risky, "'" + text.astype(str))
    return result


def _write_csv(frame: pd.DataFrame, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    neutralised(frame).to_csv(path, index=False)


def _status(args: argparse.Namespace, settings: Settings) -> int:
    path = store.current_store_path(settings.store_dir)
    if path is None:
        raise store.StoreError(
            f"nothing is published in {settings.store_dir}; run `python -m etl refresh` first"
        )
    out = Console()
    out.print(f"published store: {path}")
    releases = store.read_table(path, schema.RELEASES)
    shown = ["source", "release", "rows", "rows_added", "rows_removed", "rows_revised"]
    table = Table(title="releases (changes against the version published before)")
    for column in shown:
        table.add_column(
            column.replace("rows_", ""), justify="right" if column.startswith("rows") else "left"
        )
    for record in releases[shown].itertuples(index=False):
        table.add_row(*(f"{v:,}" if not isinstance(v, str) else v for v in record))
    out.print(table)
    sources = store.read_table(path, schema.SOURCES)
    for row in sources.itertuples(index=False):
        out.print(f"{row.source}: {row.title} — {row.publisher}; {row.licence}; {row.attribution}")
    flows = store.read_table(path, schema.TRADE_FLOWS)
    years = flows[schema.PERIOD_START].str.slice(0, 4)
    coverage = (
        flows.assign(year=years)
        .groupby(schema.REPORTER)
        .agg(
            rows=(schema.VALUE_USD, "size"),
            partners=(schema.PARTNER, "nunique"),
            first=("year", "min"),
            last=("year", "max"),
        )
        .sort_values("rows", ascending=False)
    )
    out.print(f"{len(flows):,} rows, {len(coverage)} reporters, years {years.min()}–{years.max()}")
    table = Table(title="coverage by reporter (largest 15)")
    for column in ("reporter", "rows", "partners", "years"):
        table.add_column(column)
    for reporter, line in coverage.head(15).iterrows():
        table.add_row(
            str(reporter), f"{line['rows']:,}", str(line["partners"]), f"{line['first']}–{line['last']}"
        )
    out.print(table)
    return 0


def _snapshot(args: argparse.Namespace, settings: Settings) -> int:
    reference = Reference(settings.reference_dir)
    with _Bar(len(args.input), "parsing") as bar:
        parsed = pipeline.parse_files(
            args.input, source="imf-dots-xlsx", release=args.release, reference=reference, progress=bar
        )
    problems = parsed.problems + problems_in(parsed.frame, areas=reference.areas())
    if problems:
        raise DataProblems(problems)
    path = pipeline.write_snapshot(
        parsed.frame, snapshot_dir=settings.snapshot_dir, inputs=args.input, release=args.release
    )
    console.print(f"snapshot written to {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
