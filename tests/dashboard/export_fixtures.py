"""Shared by the export tests: one warm image engine for the whole test session, and hostile names.

A cold Chromium start costs seconds, so every test that renders images uses the same `ImageEngine`
(closed when the session ends); tests that need a broken engine build their own.
"""

from __future__ import annotations

import atexit
import threading

from dashboard.export import ImageEngine
from tests.dashboard.stores import AREAS

_lock = threading.Lock()
_engine: list[ImageEngine] = []


def session_engine() -> ImageEngine:
    """The test session's one image engine (started on its first image)."""
    with _lock:
        if not _engine:
            engine = ImageEngine(start_timeout=60, render_timeout=60)
            atexit.register(engine.close)
            _engine.append(engine)
        return _engine[0]


# Names a spreadsheet would run as formulas, and one that tries to end the HTML page's script.
HOSTILE_NAMES = {
    "AZE": "@SUM(1+1)*cmd|' /C calc'!A0",
    "ITA": '=HYPERLINK("http://evil.example/","Italy")',
    "TUR": "+Türkiye",
    "RUS": "-Russia</script><script>alert(1)</script>",
}
HOSTILE_AREAS = tuple((code, HOSTILE_NAMES.get(code, name), kind) for code, name, kind in AREAS)
