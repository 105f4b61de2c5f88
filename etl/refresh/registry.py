"""The source modules a refresh knows, by their `--source` name. One line per source."""

from __future__ import annotations

from collections.abc import Mapping

from etl.sources import (
    SourceInfo,
    SourceModule,
    comtrade,
    comtrade_legacy,
    customs_az,
    imf_compact_json,
    imf_dots_excel,
    imf_sdmx,
    stat_az,
)

# Typed by the protocol, so mypy checks that each module offers what the refresh reads from it.
_SOURCES: tuple[SourceModule, ...] = (
    imf_dots_excel,
    imf_sdmx,
    imf_compact_json,
    stat_az,
    customs_az,
    comtrade,
    comtrade_legacy,
)
# --source name -> module.
SOURCE_MODULES: Mapping[str, SourceModule] = {module.INFO.cli_name: module for module in _SOURCES}
# trade_flows.source value -> the facts of that source.
SOURCE_INFOS: Mapping[str, SourceInfo] = {module.INFO.source: module.INFO for module in _SOURCES}
