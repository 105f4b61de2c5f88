"""Request bodies for `/_dash-update-component`, built from the app's own `/_dash-dependencies`.

Built generically from what the server declares, so callbacks that views add later are exercised too; values
for the page's known controls come from `values` (reporter, partner, year, ...), anything else is None.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from dashboard import ids
from dashboard.callbacks.routes import ROUTES


@dataclass(frozen=True)
class Callback:
    """One registered server-side callback: its output key and (id, property) of inputs and states."""

    output: str
    outputs: tuple[tuple[str, str], ...]
    inputs: tuple[tuple[str, str], ...]
    state: tuple[tuple[str, str], ...]

    def body(self, values: Mapping[tuple[str, str], Any], *, changed: int | None = 0) -> dict[str, Any]:
        """The JSON Dash's renderer posts when input number `changed` changed (None: every input, as when a
        callback answers only what changed and every output is wanted)."""

        def item(pair: tuple[str, str]) -> dict[str, Any]:
            return {"id": pair[0], "property": pair[1], "value": values.get(pair, values.get((pair[0], "*")))}

        outputs = [{"id": i, "property": p} for i, p in self.outputs]
        return {
            "output": self.output,
            "outputs": outputs if self.output.startswith("..") else outputs[0],
            "inputs": [item(pair) for pair in self.inputs],
            "state": [item(pair) for pair in self.state],
            "changedPropIds": [
                f"{i}.{p}"
                for i, p in (self.inputs if changed is None else self.inputs[changed : changed + 1])
            ],
        }


def _pair(text: str) -> tuple[str, str]:
    component, _, prop = text.rpartition(".")
    return component, prop


def callbacks_of(dependencies: list[dict[str, Any]]) -> list[Callback]:
    """Server-side callbacks with plain string ids (pattern-matching and clientside ones are skipped)."""
    found = []
    for dep in dependencies:
        if dep.get("clientside_function"):
            continue
        output = str(dep["output"])
        parts = output[2:-2].split("...") if output.startswith("..") else [output]
        if any(p.startswith("{") for p in parts):
            continue
        inputs = tuple((str(i["id"]), str(i["property"])) for i in dep.get("inputs", []))
        state = tuple((str(s["id"]), str(s["property"])) for s in dep.get("state", []))
        if any(i.startswith("{") for i, _ in (*inputs, *state)):
            continue
        found.append(
            Callback(output=output, outputs=tuple(_pair(p) for p in parts), inputs=inputs, state=state)
        )
    return found


def page_values(
    *,
    reporter: str = "AZE",
    partner: str = "ITA",
    year: int | str = 2019,
    measure: str = "turnover",
    top: int = 15,
    compare: tuple[str, ...] = ("ITA", "TUR", "RUS", "CHN", "ISR", "DEU"),
    view: str = "bilateral",
    frequency: str = "annual",
) -> dict[tuple[str, str], Any]:
    """Values of the page's controls as the browser sends them (annual periods are years, sent as text).

    `view` is the open tab: each view's callbacks answer only while their tab is open (no_update otherwise),
    so a benchmark of the ranking callback must send `view="partners"`.
    """
    period = str(year)
    controls: dict[str, Any] = {
        "reporter": reporter, "partner": partner, "frequency": frequency, "period": period, "source": None,
        "measure": measure, "top": top, "compare": list(compare), "map_measure": "turnover",
    }  # fmt: skip
    # What the page's clientside router (dashboard/callbacks/routes.py) puts in the open view's route stores;
    # the other views' stores stay empty, and their callbacks answer nothing, as on the page.
    routes = {
        (ids.route(route), "data"): {name: controls[name] for name in uses} if route_view == view else None
        for route, (route_view, uses) in ROUTES.items()
    }
    return routes | {
        ("reporter", "value"): reporter,
        ("partner", "value"): partner,
        ("frequency", "value"): frequency,
        ("period", "value"): period,
        ("source", "value"): None,
        ("flows", "value"): ["exports", "imports", "turnover", "balance"],
        ("view-tabs", "value"): view,
        ("lang", "data"): "en",
        ("ranking-measure", "value"): measure,
        ("ranking-top", "value"): top,
        ("compare-partners", "value"): list(compare),
        ("map-measure", "value"): "turnover",
        (
            "url",
            "search",
        ): f"?view={view}&reporter={reporter}&partner={partner}&freq={frequency}&period={period}",
        ("view-options-reporter", "data"): f"{reporter}|{frequency}|",
        (ids.NAVIGATION, "data"): {
            "search": f"?view={view}&reporter={reporter}&partner={partner}",
            "first": False,
        },
    }
