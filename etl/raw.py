"""Raw files: every reply or file a source gives, kept untouched under `data/raw/<source>/<release>/` with a
`manifest.json` (URL without secrets, SHA-256, time, size, HTTP status). `parse` reads only from there.

A download goes to a hidden staging folder first and becomes a release folder only once every request of the
source succeeded (one `os.replace`), so a source failing half-way never leaves half a release behind.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

MANIFEST = "manifest.json"
STAGING_PREFIX = ".partial-"


def release_dir(raw_dir: Path, source: str, release: str) -> Path:
    _check_name(source)
    _check_name(release)
    return raw_dir / source / release


def _check_name(name: str) -> None:
    # Source and release names become folder names: nothing that climbs out of data/raw/.
    if not name or name.startswith(".") or "/" in name or "\\" in name or name in {".", ".."}:
        raise ValueError(f"{name!r} is not a usable source or release name (letters, digits, '-', '_', '.')")


def read_manifest(folder: Path) -> dict[str, Any]:
    path = folder / MANIFEST
    if not path.exists():
        return {"files": {}}
    try:
        manifest: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise ValueError(
            f"{path}: the raw manifest cannot be read ({exc}); delete the folder and refresh"
        ) from exc
    manifest.setdefault("files", {})
    return manifest


def _write_atomically(path: Path, data: bytes) -> None:
    partial = path.with_name(f"{STAGING_PREFIX}{path.name}")
    with open(partial, "wb") as handle:
        handle.write(data)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(partial, path)


def _write_manifest(folder: Path, manifest: dict[str, Any]) -> None:
    _write_atomically(folder / MANIFEST, (json.dumps(manifest, indent=2, sort_keys=True) + "\n").encode())


def _entry(data: bytes, **extra: Any) -> dict[str, Any]:
    return {
        "sha256": hashlib.sha256(data).hexdigest(),
        "size": len(data),
        **{k: v for k, v in extra.items() if v is not None},
    }


def save_inputs(
    paths: Iterable[Path], *, raw_dir: Path, source: str, release: str, info: dict[str, str]
) -> list[Path]:
    """Copy files a user downloaded into the release folder, untouched, and record them in its manifest."""
    target = release_dir(raw_dir, source, release)
    target.mkdir(parents=True, exist_ok=True)
    manifest = read_manifest(target)
    copies = []
    for path in paths:
        copy = target / path.name
        if path.resolve() != copy.resolve():
            shutil.copyfile(path, copy)
        data = copy.read_bytes()
        manifest["files"][path.name] = _entry(
            data, origin=str(path), ingested=datetime.now(UTC).isoformat(timespec="seconds")
        )
        copies.append(copy)
    manifest.update(source=source, release=release, **info)
    _write_manifest(target, manifest)
    return copies


class Download:
    """The replies of one source's online fetch, written to a staging folder until `commit`."""

    def __init__(self, raw_dir: Path, *, source: str, release: str, info: dict[str, str]) -> None:
        self.final = release_dir(raw_dir, source, release)
        self.staging = self.final.parent / f"{STAGING_PREFIX}{release}"
        self.source = source
        self.release = release
        self.info = info
        self.files: list[Path] = []
        self._manifest: dict[str, Any] = {"files": {}}

    def start(self) -> None:
        if self.staging.exists():  # left by a refresh that was killed: never trusted
            shutil.rmtree(self.staging)
        self.staging.mkdir(parents=True)

    def save(
        self, name: str, content: bytes, *, url: str, status: int, fetched_at: str, **extra: Any
    ) -> Path:
        """Keep one reply untouched. `url` must already be redacted (`etl.http.redacted`)."""
        _check_name(name)
        path = self.staging / name
        _write_atomically(path, content)
        self._manifest["files"][name] = _entry(content, url=url, status=status, fetched=fetched_at, **extra)
        self.files.append(path)
        return path

    def commit(self) -> list[Path]:
        """Turn the staging folder into the release folder; returns the saved files at their final place."""
        self._manifest.update(source=self.source, release=self.release, **self.info)
        _write_manifest(self.staging, self._manifest)
        if self.final.exists():
            # The same release fetched again (same day): the new complete set replaces the old one.
            old = self.final.with_name(f"{STAGING_PREFIX}old-{self.release}")
            if old.exists():
                shutil.rmtree(old)
            os.replace(self.final, old)
            os.replace(self.staging, self.final)
            shutil.rmtree(old)
        else:
            os.replace(self.staging, self.final)
        return [self.final / p.name for p in self.files]

    def abandon(self) -> None:
        shutil.rmtree(self.staging, ignore_errors=True)


@contextmanager
def download(raw_dir: Path, *, source: str, release: str, info: dict[str, str]) -> Iterator[Download]:
    """`with download(...) as d: d.save(...)`; committed only if the block finishes without an exception."""
    saved = Download(raw_dir, source=source, release=release, info=info)
    saved.start()
    try:
        yield saved
    except BaseException:
        saved.abandon()
        raise
    saved.commit()


def release_folders(raw_dir: Path, source: str) -> list[Path]:
    """Complete release folders of a source, oldest name first (staging folders are skipped)."""
    base = raw_dir / source
    if not base.is_dir():
        return []
    return sorted(p for p in base.iterdir() if p.is_dir() and not p.name.startswith("."))
