"""Reading the files of one source into one compact frame, in forked worker processes where the source allows it.

The result, problems included, is the same as reading the files one after the other.
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from etl.problems import Problem
from etl.reference import Reference
from etl.refresh.frames import compact, concat_compact, without_identical_repeats
from etl.refresh.registry import SOURCE_MODULES
from etl.sources import CodedRows, SourceModule, coded_frame

# Called with a file's name each time one is read.
Progress = Callable[[str], None]


def no_progress(_: str) -> None:
    return None


@dataclass
class Inputs:
    """A tidy frame with origins, the problems met reading it and notes worth telling the user."""

    frame: pd.DataFrame
    problems: list[Problem] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def parse_files(
    paths: Sequence[Path],
    *,
    source: str,
    release: str,
    reference: Reference,
    progress: Progress = no_progress,
    workers: int | None = None,
) -> Inputs:
    """Parse files of one source's native format; identical repeats across files are kept once.

    Sources whose module sets `PARALLEL_PARSE` are read by up to `workers` processes at once (default: one per
    CPU core); the result, problems included, is the same as reading the files one after the other.
    """
    module = SOURCE_MODULES[source]
    pieces: list[pd.DataFrame | CodedRows] = []
    problems: list[Problem] = []
    notes: list[str] = []
    present = []
    for path in paths:
        if path.is_file():
            present.append(path)
        else:
            progress(path.name)
            problems.append(Problem(str(path), "file not found"))
    for path, (file_pieces, file_problems, file_notes) in _parsed_each(
        module, present, release=release, reference=reference, workers=workers
    ):
        progress(path.name)
        problems.extend(file_problems)
        notes.extend(file_notes)
        pieces.extend(file_pieces)
    frame, repeat_notes = without_identical_repeats(_assembled(pieces))
    return Inputs(frame=frame, problems=problems, notes=notes + repeat_notes)


# What reading one file gives: its rows (frames and coded rows, in order), problems and notes.
ParsedFile = tuple[list[pd.DataFrame | CodedRows], list[Problem], list[str]]


def _parse_compact(module: SourceModule, path: Path, *, release: str, reference: Reference) -> ParsedFile:
    parsed = module.parse(path, release=release, reference=reference)
    pieces: list[pd.DataFrame | CodedRows] = [compact(f) for f in parsed.frames if len(f)]
    pieces.extend(c for c in parsed.coded if len(c))
    return pieces, list(parsed.problems), list(parsed.notes)


def _assembled(pieces: Sequence[pd.DataFrame | CodedRows]) -> pd.DataFrame:
    """One compact frame of every piece, in order (runs of coded rows are decoded together, in one go)."""
    frames: list[pd.DataFrame] = []
    run: list[CodedRows] = []
    for piece in [*pieces, None]:
        if isinstance(piece, CodedRows):
            run.append(piece)
            continue
        if run:
            frames.append(compact(coded_frame(run)))
            run = []
        if piece is not None:
            frames.append(piece)
    return concat_compact(frames)


def parse_workers(module: SourceModule, files: int) -> int:
    """How many processes read `files` files of `module`: one per usable core, for sources that allow it."""
    if not module.PARALLEL_PARSE or files < 2:
        return 1
    return max(1, min(len(os.sched_getaffinity(0)), files))


def _parsed_each(
    module: SourceModule, paths: Sequence[Path], *, release: str, reference: Reference, workers: int | None
) -> Iterator[tuple[Path, ParsedFile]]:
    """(path, parse result) for each path, in the order given."""
    count = parse_workers(module, len(paths)) if workers is None else min(workers, len(paths))
    if count <= 1:
        for path in paths:
            yield path, _parse_compact(module, path, release=release, reference=reference)
        return
    # Forked workers inherit the reference tables already read here instead of each reading them again.
    _ = reference.overrides, reference.headings, reference.iso_names
    done = 0
    try:
        with _pool(count, reference) as pool:
            results = pool.map(
                _parse_in_worker,
                [module.INFO.cli_name] * len(paths),
                paths,
                [release] * len(paths),
            )
            for path, result in zip(paths, results, strict=True):
                yield path, result
                done += 1
    except BrokenProcessPool:
        # A worker died (a reader abort on a damaged file takes its whole process down). Read the rest one
        # file per process, so the damaged file is named and the good ones are still read.
        for path in paths[done:]:
            yield path, _parse_alone(module, path, release=release, reference=reference)


def _pool(count: int, reference: Reference) -> ProcessPoolExecutor:
    # fork: a worker starts in milliseconds with pandas and the reference already loaded (forkserver or spawn
    # would import pandas again, ~1.7 s per worker on this machine). Nothing has started DuckDB's threads yet.
    return ProcessPoolExecutor(
        max_workers=count,
        mp_context=multiprocessing.get_context("fork"),
        initializer=_start_worker,
        initargs=(reference,),
    )


_worker_reference: Reference | None = None


def _start_worker(reference: Reference) -> None:
    global _worker_reference
    _worker_reference = reference


def _parse_in_worker(cli_name: str, path: Path, release: str) -> ParsedFile:
    assert _worker_reference is not None, "worker started without its reference"
    return _parse_compact(SOURCE_MODULES[cli_name], path, release=release, reference=_worker_reference)


def _parse_alone(module: SourceModule, path: Path, *, release: str, reference: Reference) -> ParsedFile:
    try:
        with _pool(1, reference) as pool:
            return pool.submit(_parse_in_worker, module.INFO.cli_name, path, release).result()
    except BrokenProcessPool:
        problem = Problem(
            path.name, "the reader crashed on this file (its process died); the file is damaged"
        )
        return [], [problem], []
