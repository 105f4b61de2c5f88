"""`refresh`: fetch, then read the snapshot, the saved releases and the given files in order, validate
everything, and publish a new store version only when nothing is wrong."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import pandas as pd

from etl import raw, schema, store
from etl.http import Policy
from etl.problems import DataProblems, Problem
from etl.reference import Reference
from etl.refresh.fetch import Fetched, FetchProgress, fetch_sources
from etl.refresh.frames import combine, without_identical_repeats
from etl.refresh.inputs import batches_to_read
from etl.refresh.parse import Progress, no_progress, parse_files
from etl.refresh.registry import SOURCE_MODULES
from etl.refresh.snapshot import SNAPSHOT_FILE, read_snapshot
from etl.refresh.tables import build_tables
from etl.settings import Settings
from etl.sources import Selection, imf_dots_excel
from etl.validate import problems_in


@dataclass
class RefreshReport:
    publication: store.Publication
    rows_by_source: dict[str, int]
    notes: list[str]
    fetched: list[Fetched] = field(default_factory=list)
    releases: pd.DataFrame | None = None


def refresh(
    settings: Settings,
    *,
    inputs: Iterable[Path] = (),
    source: str = imf_dots_excel.INFO.cli_name,
    release: str | None = None,
    fetch: Sequence[str] = (),
    selection: Selection | None = None,
    environ: Mapping[str, str] | None = None,
    transport: httpx.BaseTransport | None = None,
    policy: Policy | None = None,
    progress: Progress = no_progress,
    fetch_progress: FetchProgress | None = None,
) -> RefreshReport:
    """Fetch the live sources named in `fetch`, then publish a new store version from the snapshot,
    `data/raw/` and `inputs`.

    Rows parsed from raw files supersede snapshot rows with the same key (a later release of a source
    superseding an earlier one), and `inputs` supersede both; once everything validates, `inputs` are saved
    under `data/raw/<source>/<release>/` for later refreshes. Raises `FetchError` if a service fails, or
    `DataProblems` listing every problem if any input fails to parse or validate; either way nothing is
    published and the previous store stays current.
    """
    fetched = fetch_sources(
        settings,
        fetch,
        selection=selection or Selection(),
        environ=environ or {},
        transport=transport,
        policy=policy,
        progress=fetch_progress,
    )
    release = release or SOURCE_MODULES[source].DEFAULT_RELEASE
    reference = Reference(settings.reference_dir)
    notes: list[str] = []
    given = [Path(p) for p in inputs]
    frame, manifest = read_snapshot(settings.snapshot_dir)
    # What each (source, release) was read from, recorded in the `releases` table.
    read_from: dict[tuple[str, str], list[str]] = {}
    if manifest:
        notes.append(
            f"snapshot: {len(frame):,} rows, {manifest.get('title')} release {manifest.get('release')}"
        )
        key = (str(manifest.get("source")), str(manifest.get("release")))
        read_from.setdefault(key, []).append(f"data/snapshot/{SNAPSHOT_FILE}")
    problems: list[Problem] = []
    parts = int(not frame.empty)  # frames combined so far; repeats across parts are removed below
    for batch in batches_to_read(settings.raw_dir, given, source=source, release=release):
        parsed = parse_files(
            batch.files, source=batch.source, release=batch.release, reference=reference, progress=progress
        )
        problems.extend(parsed.problems)
        notes.extend(parsed.notes)
        frame, superseded = combine(frame, parsed.frame)
        parts += int(not parsed.frame.empty)
        key = (SOURCE_MODULES[batch.source].INFO.source, batch.release)
        read_from.setdefault(key, []).append(f"{batch.label}: {len(batch.files)} file(s)")
        notes.append(
            f"{batch.label}: {len(batch.files)} file(s), {len(parsed.frame):,} rows "
            f"({superseded:,} earlier rows superseded)"
        )
    if parts > 1:  # one part had its repeats removed when it was parsed (or is the snapshot as published)
        frame, repeat_notes = without_identical_repeats(frame)
        notes.extend(repeat_notes)
    for module in SOURCE_MODULES.values():
        # Source-specific warnings that are not errors (e.g. a customs cumulative smaller than an earlier one).
        if module.published_warnings is not None:
            notes.extend(module.published_warnings(frame[frame[schema.SOURCE] == module.INFO.source]))
    tables = build_tables(
        frame,
        reference=reference,
        previous=store.read_published(settings.store_dir, schema.TRADE_FLOWS),
        read_from={key: "; ".join(places) for key, places in read_from.items()},
        previous_releases=store.read_published(settings.store_dir, schema.RELEASES),
    )
    # The tables are made ready to write on a thread while they are validated: both only read them.
    with ThreadPoolExecutor(max_workers=1) as beside:
        preparing = beside.submit(store.prepare, tables)
        problems.extend(problems_in(frame, areas=tables.areas))
        if problems:
            preparing.cancel()
            raise DataProblems(problems)
        prepared = preparing.result()
    if given:
        # Saved only once they are known to be good, so a bad file never blocks the next refresh.
        info = SOURCE_MODULES[source].INFO
        raw.save_inputs(
            given,
            raw_dir=settings.raw_dir,
            source=info.source,
            release=release,
            info={"licence": info.licence, "url": info.url, "title": info.title},
        )
    publication = store.publish(tables, store_dir=settings.store_dir, prepared=prepared)
    counts = frame.groupby(schema.SOURCE, observed=True).size()
    rows_by_source = {str(source): int(rows) for source, rows in counts.items()}
    return RefreshReport(
        publication=publication,
        rows_by_source=rows_by_source,
        notes=notes,
        fetched=fetched,
        releases=tables.releases,
    )
