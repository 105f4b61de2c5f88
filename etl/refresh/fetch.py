"""Asking the live services: which sources to ask, and their replies saved under data/raw/<source>/<release>/."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import httpx

from etl.http import Policy
from etl.refresh.registry import SOURCE_MODULES
from etl.settings import Settings
from etl.sources import Selection

# Sources with a live service that `refresh` (without --offline) asks by default, and the environment variables
# each needs; a source whose variable is unset is skipped with a note (asked for explicitly, it fails with advice).
LIVE_SOURCES: dict[str, tuple[str, ...]] = {
    "imf-sdmx": (),
    "stat-az": (),
    "comtrade": ("COMTRADE_API_KEY",),
}

# Called with (--source name, a short label of the request) each time one completes.
FetchProgress = Callable[[str, str], None]


@dataclass
class Fetched:
    """What one source's online fetch gave: the release saved and its files, or why it was skipped."""

    source: str  # --source name
    release: str = ""
    files: list[Path] = field(default_factory=list)
    skipped: str = ""


def fetch_release_name(now: datetime | None = None) -> str:
    """The release name of an online fetch: the UTC date it was made (a second fetch that day replaces it)."""
    return (now or datetime.now(UTC)).strftime("%Y-%m-%d")


def live_sources(requested: Sequence[str], environ: Mapping[str, str]) -> tuple[list[str], list[Fetched]]:
    """The sources to fetch: those `requested` (all of them, even if unready: their fetch explains what is
    missing), or by default every live source whose environment is ready; plus the ones skipped and why."""
    if requested:
        return list(requested), []
    chosen, skipped = [], []
    for name, needs in LIVE_SOURCES.items():
        if name not in SOURCE_MODULES:
            continue
        missing = [variable for variable in needs if not environ.get(variable)]
        if missing:
            skipped.append(Fetched(source=name, skipped=f"{', '.join(missing)} not set"))
        else:
            chosen.append(name)
    return chosen, skipped


def fetch_sources(
    settings: Settings,
    names: Sequence[str],
    *,
    selection: Selection,
    environ: Mapping[str, str],
    release: str | None = None,
    transport: httpx.BaseTransport | None = None,
    policy: Policy | None = None,
    progress: FetchProgress | None = None,
) -> list[Fetched]:
    """Ask each live service and save its replies under data/raw/<source>/<release>/.

    Sources are fetched one after the other; the first failure raises its `FetchError` (the replies of that
    source are discarded, see `etl.raw.download`), so nothing is published from a half-fetched refresh.
    """
    done = []
    release = release or fetch_release_name()
    for name in names:
        module = SOURCE_MODULES[name]

        def step(label: str, source: str = name) -> None:
            if progress is not None:
                progress(source, label)

        files = module.fetch(
            raw_dir=settings.raw_dir,
            release=release,
            selection=selection,
            environ=environ,
            transport=transport,
            policy=policy,
            progress=step,
        )
        done.append(Fetched(source=name, release=release, files=list(files)))
    return done
