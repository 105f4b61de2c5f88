"""Which files a refresh reads: every release saved under data/raw/, then the files the user gives."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from etl import raw
from etl.refresh.registry import SOURCE_MODULES


@dataclass(frozen=True)
class Batch:
    """Files of one source and release, parsed together; `label` says where they came from."""

    source: str  # --source name
    release: str
    files: list[Path]
    label: str


def raw_files(raw_dir: Path) -> dict[str, list[tuple[str, list[Path]]]]:
    """Files saved under `raw_dir/<source>/<release>/`, by source and release (oldest release first)."""
    found: dict[str, list[tuple[str, list[Path]]]] = {}
    for module in SOURCE_MODULES.values():
        for release_dir in raw.release_folders(raw_dir, module.INFO.source):
            files = sorted(
                {
                    p
                    for pattern in module.FILE_PATTERNS
                    for p in release_dir.glob(pattern)
                    if p.is_file() and not p.name.startswith(("~$", ".")) and p.name != raw.MANIFEST
                }
            )
            if files:
                found.setdefault(module.INFO.cli_name, []).append((release_dir.name, files))
    return found


def batches_to_read(raw_dir: Path, given: Sequence[Path], *, source: str, release: str) -> list[Batch]:
    """The batches of a refresh in the order they supersede each other: each saved release of each source
    (oldest first), then the `given` files of `source` as release `release`.

    A file given again under the same release replaces its saved copy (the saved one is not read).
    """
    given_names = {p.name for p in given}
    batches = []
    for cli_name, releases in raw_files(raw_dir).items():
        for raw_release, files in releases:
            if cli_name == source and raw_release == release:
                files = [f for f in files if f.name not in given_names]
            if files:
                label = f"data/raw/{SOURCE_MODULES[cli_name].INFO.source}/{raw_release}"
                batches.append(Batch(cli_name, raw_release, files, label))
    if given:
        batches.append(Batch(source, release, list(given), f"--input ({source}, release {release})"))
    return batches
