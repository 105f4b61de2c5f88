"""`python -m dashboard`: serve the dashboard locally (the only place that serves it)."""

from __future__ import annotations

import argparse
import dataclasses
import os
import sys
from collections.abc import Sequence

from dashboard.settings import from_env
from etl.store import StoreError, current_store_path


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m dashboard", description="Serve the bilateral trade dashboard on this machine."
    )
    parser.add_argument("--host", default="127.0.0.1", help="interface to listen on (default 127.0.0.1)")
    parser.add_argument("--port", type=int, default=8050, help="port to listen on (default 8050)")
    parser.add_argument("--debug", action="store_true", help="Dash debug mode: reloader and dev tools (off)")
    args = parser.parse_args(argv)

    settings = from_env(os.environ)
    settings = dataclasses.replace(settings, debug=args.debug or settings.debug)
    try:
        store = current_store_path(settings.store_dir)
    except StoreError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    if store is None:
        print(
            f"error: no trade store is published in {settings.store_dir}.\n"
            "Build it first with:  python -m etl refresh\n"
            "(or set TRADE_STORE_DIR to a directory that holds a published store)",
            file=sys.stderr,
        )
        return 2

    from dashboard.app import create_app  # imported late: a missing store is reported without loading Dash

    app = create_app(settings)
    print(f"Serving {store.name} on http://{args.host}:{args.port}/  (Ctrl+C to stop)", flush=True)
    app.run(host=args.host, port=args.port, debug=settings.debug)
    return 0


if __name__ == "__main__":
    sys.exit(main())
