"""PNG export with a warm browser: the app's `dashboard.export.ImageEngine`, else kaleido's persistent server.

kaleido's one-shot `fig.write_image` starts Chromium per image (2-3 s); `kaleido.start_sync_server()` once per
process keeps one browser and brings an image to a fraction of a second (STACK.md). The persistent server blocks
forever when its browser cannot start, so the browser is checked first and each export has a time limit.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from typing import Any

import plotly.graph_objects as go

EXPORT_TIMEOUT_S = 60.0
Exporter = Callable[[go.Figure], bytes]
BatchExporter = Callable[[list[go.Figure]], list[bytes]]


def browser_path() -> str | None:
    """The Chromium kaleido will use (BROWSER_PATH or Debian's), None when there is none."""
    for candidate in (os.environ.get("BROWSER_PATH"), "/usr/bin/chromium", shutil.which("chromium")):
        if candidate and os.path.exists(candidate):
            return candidate
    return None


_ENGINE: Any = None


def batch_exporter() -> BatchExporter:
    """A function figures -> PNG bytes each, drawn side by side on the app engine's tabs when it is in use
    (`ImageEngine.render_many`), else one after the other."""
    engine = _ENGINE
    if engine is not None:
        return lambda figures: engine.render_many(figures, fmt="png", width=900, height=500)
    return lambda figures: [figure.to_image(format="png", width=900, height=500) for figure in figures]


def _app_exporter() -> Exporter | None:
    """The app's own warm engine (`dashboard.export.ImageEngine`): what the download menu and the CLI use."""
    global _ENGINE
    try:
        from dashboard.export import ImageEngine
    except ImportError:
        return None
    engine = ImageEngine()
    _ENGINE = engine

    def export(figure: go.Figure) -> bytes:
        return engine.render(figure, fmt="png", width=900, height=500)

    return export


def warm_exporter() -> tuple[str, Exporter]:
    """(what is used, a function figure -> PNG bytes) with the browser already started."""
    found = _app_exporter()
    if found is not None:
        return "dashboard.export", found
    import kaleido

    if browser_path() is None:
        raise RuntimeError("no Chromium for kaleido (set BROWSER_PATH or apt-get install chromium)")
    kaleido.start_sync_server(silence_warnings=True)
    pool = ThreadPoolExecutor(max_workers=1)

    def export(figure: go.Figure) -> bytes:
        future = pool.submit(figure.to_image, format="png", width=900, height=500)
        try:
            return bytes(future.result(timeout=EXPORT_TIMEOUT_S))
        except FutureTimeout as exc:
            raise RuntimeError(f"a PNG export took over {EXPORT_TIMEOUT_S:.0f} s") from exc

    return "kaleido warm server", export


def stop_warm_exporter() -> None:
    if _ENGINE is not None:
        _ENGINE.close()
        return
    try:
        import kaleido

        kaleido.stop_sync_server(silence_warnings=True)
    except Exception:  # noqa: S110 - nothing to stop
        pass
