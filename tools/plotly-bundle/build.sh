#!/usr/bin/env bash
# Rebuild assets/05-plotly-dashboard.min.js from the pinned plotly.js (package-lock.json): `make plotly-bundle`.
# Needs node and npm (the npm registry); not part of `make run` or `make test`, which use the committed file.
# Keep plotly.js at the version the plotly Python package bundles (tests/dashboard/test_plotly_bundle.py).
set -euo pipefail
cd "$(dirname "$0")"
npm ci --no-audit --no-fund --ignore-scripts
# `global`: some of plotly.js's dependencies expect Node's name for the global object. No CSS file: the only
# stylesheet plotly.js imports is maplibre's, for map traces the page does not draw (Dash would serve it).
npx esbuild entry.js --bundle --minify --format=iife --global-name=Plotly --define:global=window \
  --loader:.css=empty --outfile=../../assets/05-plotly-dashboard.min.js --log-level=warning
