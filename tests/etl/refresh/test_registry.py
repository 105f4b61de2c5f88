"""The registry of source modules: complete, consistent, and each module's shared column map meaningful.

mypy checks that every registered module has the shape of `etl.sources.SourceModule`; these tests check what
a type cannot: that no source module is left out, and what the modules' members say.
"""

from __future__ import annotations

import importlib
import pkgutil

import etl.sources
from etl import schema
from etl.refresh.registry import SOURCE_INFOS, SOURCE_MODULES


def test_every_source_module_is_registered_once_under_its_own_names() -> None:
    defining_info = {
        f"etl.sources.{m.name}"
        for m in pkgutil.iter_modules(etl.sources.__path__)
        if hasattr(importlib.import_module(f"etl.sources.{m.name}"), "INFO")
    }
    registered = {getattr(module, "__name__", "") for module in SOURCE_MODULES.values()}
    assert registered == defining_info
    assert len(defining_info) == 7
    assert all(module.INFO.cli_name == name for name, module in SOURCE_MODULES.items())
    assert sorted(SOURCE_INFOS) == sorted(module.INFO.source for module in SOURCE_MODULES.values())


def test_each_flow_map_gives_the_tidy_flows_and_their_valuations() -> None:
    pairs = {name: set(module.FLOW_MAP.values()) for name, module in SOURCE_MODULES.items()}
    usual = {("export", "FOB"), ("import", "CIF")}
    assert pairs == {
        "imf-dots-xlsx": usual,
        "imf-sdmx": usual,
        "imf-compact-json": usual | {("import", "FOB")},  # the old bulk file's "Imports, FOB"
        "stat-az": usual,
        "customs-az": usual,
        "comtrade": usual,
        "comtrade-legacy": usual,
    }
    assert {flow for found in pairs.values() for flow, _ in found} == set(schema.FLOWS)
    assert {valuation for found in pairs.values() for _, valuation in found} == set(schema.VALUATIONS)
    assert SOURCE_MODULES["imf-dots-xlsx"].FLOW_MAP == {
        "Exports, FOB": ("export", "FOB"),
        "Imports, CIF": ("import", "CIF"),
    }
    assert SOURCE_MODULES["stat-az"].FLOW_MAP["ixrac"] == ("export", "FOB")


def test_only_the_imf_workbooks_are_read_in_parallel_and_only_customs_warns_after_parsing() -> None:
    assert [name for name, module in SOURCE_MODULES.items() if module.PARALLEL_PARSE] == ["imf-dots-xlsx"]
    warning = [name for name, module in SOURCE_MODULES.items() if module.published_warnings is not None]
    assert warning == ["customs-az"]
