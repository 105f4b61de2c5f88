"""Security headers on every response of the dashboard's Flask server.

The Content-Security-Policy is the smallest one under which the Dash 4 page runs with no violation in
headless Chromium (tests/reliability/test_security.py loads the page and fails on any CSP report):

- scripts only from this server, plus Dash's one inline script (`var renderer = new DashRenderer(...)`) and
  any clientside-callback scripts, allowed by their SHA-256 hashes (`app.csp_hashes()`), never by
  'unsafe-inline'. Dash 4, its components and plotly.js (SVG traces) need no 'unsafe-eval'. The
  `_dash-config` script is JSON (type application/json), which a browser never runs, so it needs nothing.
- styles from this server and inline: React components and plotly.js set `style` attributes and inject
  `<style>` elements at run time, which only 'unsafe-inline' allows (style injection cannot run script).
- images from this server, data: and blob: URLs (plotly's "download as PNG" and its SVG patterns);
  requests (`/_dash-update-component`) only to this server; no plugins, no `<base>`, no framing.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import flask

# frame-ancestors 'none' and X-Frame-Options DENY (for older browsers) forbid framing: no clickjacking.
_POLICY = (
    "default-src 'self'",
    "script-src 'self'{hashes}",
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self' data:",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
)
STATIC_HEADERS: dict[str, str] = {
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "strict-origin-when-cross-origin",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=(), payment=()",
}


def content_security_policy(script_hashes: Sequence[str]) -> str:
    """The policy text with the inline scripts allowed by their hashes (`'sha256-…'` strings)."""
    return "; ".join(_POLICY).format(hashes="".join(f" {h}" for h in script_hashes))


def harden(server: flask.Flask, *, script_hashes: Callable[[], Sequence[str]] = tuple) -> flask.Flask:
    """Add the security headers to every response of `server`; returns `server`.

    `script_hashes` is called per response (e.g. `app.csp_hashes`), so inline scripts registered after this
    call (clientside callbacks of views added later) are still allowed; hashing them costs microseconds.
    """

    @server.after_request
    def _headers(response: flask.Response) -> flask.Response:
        for name, value in STATIC_HEADERS.items():
            response.headers.setdefault(name, value)
        response.headers.setdefault("Content-Security-Policy", content_security_policy(script_hashes()))
        return response

    return server
