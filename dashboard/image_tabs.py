"""kaleido's browser, with its tabs handed back without reloading plotly.js after every image.

kaleido reloads a tab's page (plotly.js, ~4 MB of script, parsed and compiled again) after every image, and
hands the image back only once that reload is done: ~0.1 s of every ~0.17 s PNG here (bench P4: 20 charts on
two tabs, 0.165 s -> ~0.06 s a chart; one at a time 0.20 s -> 0.06 s; the same PNG bytes either way).

The reload is needed only when an image leaves something behind in the page. plotly.js draws a PNG, JPEG,
WebP or SVG in a scratch element it removes (`Plotly.toImage` on a figure object), so those return the tab as
it is. A PDF is printed from the page itself, and kaleido's page keeps the first PDF's background colour in a
page-wide variable, so a PDF reloads its tab as kaleido always does; so does every `RELOAD_EVERY`-th image of a
tab, which bounds what a long-lived page can gather (its console log, plotly.js caches).

This leans on two internals of kaleido 1.5 (`Kaleido._return_kaleido_tab` and its `tabs_ready` queue), checked
by `reuses_tabs` and a test, so an upgrade that renames them falls back to kaleido's own behaviour loudly in the
test suite and quietly (slower, still correct) in the app.
"""

from __future__ import annotations

import contextvars
from typing import Any

import kaleido

# A tab's page is reloaded after this many images drawn in it without a reload. 400 PNGs of bench P4's charts
# on two tabs: Chromium's memory levelled at ~1.4-1.6 GB with reloads this often or never, at 0.054-0.057 s a
# chart either way; the reload is a bound on a page that lives for weeks, not a measured need.
RELOAD_EVERY = 64
# Formats whose drawing leaves nothing in kaleido's page (see the module's text).
_LEAVES_NO_TRACE = frozenset({"png", "jpg", "jpeg", "webp", "svg"})

# The format being drawn, as seen by the render task that hands the tab back (asyncio tasks copy the context in
# which `calc_fig` created them).
_drawing: contextvars.ContextVar[str | None] = contextvars.ContextVar("kaleido_format", default=None)


def reuses_tabs() -> bool:
    """Whether this kaleido has the internals `TabKeepingKaleido` overrides (kaleido 1.5's)."""
    handing_back = getattr(kaleido.Kaleido, "_return_kaleido_tab", None)
    code = getattr(handing_back, "__code__", None)
    return code is not None and {"tabs_ready", "reload"} <= set(code.co_names)


_REUSES_TABS = reuses_tabs()


class TabKeepingKaleido(kaleido.Kaleido):
    """`kaleido.Kaleido` whose tabs skip the page reload after images that leave nothing behind."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._since_reload: dict[int, int] = {}  # id(tab) -> images drawn since its page was loaded

    async def calc_fig(self, fig: Any, opts: Any = None, **kwargs: Any) -> Any:
        fmt = str((opts or {}).get("format") or "png").lower()
        token = _drawing.set(fmt)
        try:
            return await super().calc_fig(fig, opts, **kwargs)
        finally:
            _drawing.reset(token)

    async def _return_kaleido_tab(self, tab: Any) -> None:
        drawn = self._since_reload.get(id(tab), 0) + 1
        if _drawing.get() in _LEAVES_NO_TRACE and drawn < RELOAD_EVERY and _REUSES_TABS:
            self._since_reload[id(tab)] = drawn
            await self.tabs_ready.put(tab)
            return
        self._since_reload[id(tab)] = 0
        await super()._return_kaleido_tab(tab)
