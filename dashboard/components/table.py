"""The table view's grid: column definitions and rows from a ranking frame (the data behind the view)."""

from __future__ import annotations

import math
from typing import Any

import pandas as pd

from dashboard.i18n import N_, label, t

# The grid calls assets/dashAgGridFunctions.js, which writes numbers with the browser's own Intl (ICU, CLDR
# data) in the page's language: $1,234 / 1.234 USD / 1 234 $.
MONEY = "localMoney(params.value, '{lang}')"
PERCENT = "localPercent(params.value, '{lang}', true)"
SHARE = "localPercent(params.value, '{lang}', false)"
KINDS = {"country": N_("country"), "group": N_("group"), "historical": N_("former economy"),
         "unspecified": N_("not specified")}  # fmt: skip


def grid_columns(*, previous_label: str | None, lang: str = "en") -> list[dict[str, Any]]:
    """Partner, kind, period, the four measures, rank and share, and for each measure the same period a
    year earlier with the absolute and relative change. Money in full US dollars."""
    before = previous_label or t(lang, "year before")

    def money(field: str, header: str, **extra: Any) -> dict[str, Any]:
        return {
            "field": field,
            "headerName": header,
            "type": "numericColumn",
            "filter": "agNumberColumnFilter",
            "valueFormatter": {"function": MONEY.format(lang=lang)},
            **extra,
        }

    columns: list[dict[str, Any]] = [
        {
            "field": "name",
            "headerName": label(lang, "partner"),
            "filter": "agTextColumnFilter",
            "pinned": "left",
            "minWidth": 170,
        },
        {"field": "partner", "headerName": t(lang, "Code"), "filter": "agTextColumnFilter", "width": 95},
        {"field": "kind_label", "headerName": t(lang, "Kind"), "filter": "agTextColumnFilter", "width": 110},
        {"field": "label", "headerName": label(lang, "period"), "width": 130},
        {
            "field": "rank",
            "headerName": t(lang, "Rank"),
            "type": "numericColumn",
            "filter": "agNumberColumnFilter",
            "width": 95,
        },
        {
            "field": "share",
            "headerName": t(lang, "Share"),
            "type": "numericColumn",
            "valueFormatter": {"function": SHARE.format(lang=lang)},
            "width": 105,
        },
    ]
    for measure in ("turnover", "exports", "imports", "balance"):
        name = label(lang, measure)
        columns += [
            money(measure, name),
            money(f"{measure}_previous", f"{name}, {before}"),
            money(f"{measure}_change", t(lang, "{measure}, change", measure=name)),
            {
                "field": f"{measure}_change_pct",
                "headerName": t(lang, "{measure}, change %", measure=name),
                "type": "numericColumn",
                "filter": "agNumberColumnFilter",
                "valueFormatter": {"function": PERCENT.format(lang=lang)},
            },
        ]
    columns += [
        {"field": "flags", "headerName": t(lang, "Notes"), "filter": "agTextColumnFilter"},
        {
            "field": "origin",
            "headerName": t(lang, "Stored cells / derivation"),
            "filter": "agTextColumnFilter",
            "minWidth": 260,
        },
    ]
    return columns


def grid_locale_text(lang: str) -> dict[str, str]:
    """AG Grid's own words (its empty and loading notes, the column filters) in `lang`; English is its own."""
    if lang == "en":
        return {}
    words = {
        "noRowsToShow": N_("No rows to show"),
        "loadingOoo": N_("Loading…"),
        "filterOoo": N_("Filter…"),
        "searchOoo": N_("Search…"),
        "contains": N_("Contains"),
        "notContains": N_("Does not contain"),
        "equals": N_("Equals"),
        "notEqual": N_("Does not equal"),
        "startsWith": N_("Begins with"),
        "endsWith": N_("Ends with"),
        "blank": N_("Blank"),
        "notBlank": N_("Not blank"),
        "lessThan": N_("Less than"),
        "greaterThan": N_("Greater than"),
        "lessThanOrEqual": N_("Less than or equal to"),
        "greaterThanOrEqual": N_("Greater than or equal to"),
        "inRange": N_("Between"),
        "andCondition": N_("AND"),
        "orCondition": N_("OR"),
        "applyFilter": N_("Apply"),
        "resetFilter": N_("Reset"),
        "clearFilter": N_("Clear"),
        "selectAll": N_("Select all"),
        "inRangeStart": N_("From"),
        "inRangeEnd": N_("To"),
    }
    return {key: t(lang, english) for key, english in words.items()}


def _json_value(value: Any) -> Any:
    if value is None or value is pd.NA:
        return None
    if isinstance(value, float) and math.isnan(value):
        return None
    if hasattr(value, "item"):
        return value.item()
    return value


def grid_rows(frame: pd.DataFrame, lang: str = "en") -> list[dict[str, Any]]:
    """One JSON-safe record per partner (missing values as null, never zero)."""
    fields = ["partner", "name", "kind", "label", "rank", "share"]
    for measure in ("turnover", "exports", "imports", "balance"):
        fields += [measure, f"{measure}_previous", f"{measure}_change", f"{measure}_change_pct"]
    rows = []
    for record in frame.to_dict("records"):
        row = {f: _json_value(record.get(f)) for f in fields}
        kind = str(record.get("kind") or "")
        row["kind_label"] = t(lang, KINDS[kind]) if kind in KINDS else kind
        flags = [
            t(lang, word)
            for word, key in (
                (N_("estimated"), "estimated"),
                (N_("derived"), "derived"),
                (N_("one flow only"), "partial"),
            )
            if record.get(key) is True
        ]
        row["flags"] = ", ".join(flags)
        origins = [
            o for o in (record.get("exports_origin"), record.get("imports_origin")) if isinstance(o, str)
        ]
        row["origin"] = " | ".join(origins)
        rows.append(row)
    return rows
