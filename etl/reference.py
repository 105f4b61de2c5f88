"""Codes and names of economies and groups: pycountry for ISO 3166, reviewed overrides held as data.

The overrides in `data/reference/` are the only hand-made part: IMF spellings that ISO does not know (or that a
lookup would resolve wrongly), former economies and the IMF aggregates. A label that neither resolves is an
error, never a guess: fuzzy matching is not used.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

import pandas as pd
import pycountry

from etl import schema

REFERENCE_DIR = Path(__file__).resolve().parent.parent / "data" / "reference"

# IMF writes the form of state after a comma ("Armenia, Rep. of"); ISO's short names do not carry it.
# ", Dem. Rep. of the" is deliberately absent: stripping it turns "Congo, Dem. Rep. of the" into Congo (COG).
_IMF_SUFFIXES = re.compile(
    r",\s*(Rep\. of|Republic of|The|Islamic Rep\. of|Kingdom of|Kingdom of the Netherlands|Union of the|"
    r"United Rep\. of|Arab Rep\. of|Rep\. Bolivariana de|Federated States of)$"
)


def _read_reference(name: str, directory: Path) -> pd.DataFrame:
    return pd.read_csv(directory / name, comment="#", dtype=str, keep_default_na=False, skipinitialspace=True)


@dataclass(frozen=True)
class Reference:
    """Name -> code resolution and the `areas` table, read from one reference folder."""

    directory: Path = REFERENCE_DIR
    _cache: dict[str, str | None] = field(default_factory=dict, compare=False, repr=False)

    @cached_property
    def overrides(self) -> dict[str, str]:
        table = _read_reference("imf_names.csv", self.directory)
        return dict(zip(table["imf_name"].str.strip(), table["code"].str.strip(), strict=True))

    @cached_property
    def headings(self) -> frozenset[str]:
        return frozenset(_read_reference("headings.csv", self.directory)["imf_name"].str.strip())

    @cached_property
    def groups(self) -> pd.DataFrame:
        return _read_reference("groups.csv", self.directory)

    @cached_property
    def former_economies(self) -> pd.DataFrame:
        return _read_reference("former_economies.csv", self.directory)

    @cached_property
    def display_names(self) -> dict[str, str]:
        table = _read_reference("display_names.csv", self.directory)
        return dict(zip(table["code"], table["name"], strict=True))

    def is_heading(self, label: str) -> bool:
        """True for section headings such as "Memorandum Items", which name no partner."""
        return label.strip() in self.headings

    def code_for(self, label: str) -> str | None:
        """The code for an IMF economy or group name, or None when it resolves to nothing."""
        label = label.strip()
        if label not in self._cache:
            self._cache[label] = self._resolve(label)
        return self._cache[label]

    def _resolve(self, label: str) -> str | None:
        if label in self.overrides:
            return self.overrides[label]
        stripped = _IMF_SUFFIXES.sub("", label).strip()
        for candidate in dict.fromkeys((label, stripped)):
            code = self.iso_names.get(candidate.casefold())
            if code is not None:
                return code
        return None

    @cached_property
    def iso_names(self) -> dict[str, str]:
        """ISO 3166-1 names (short, official and common) -> alpha-3.

        Only whole names count: `pycountry.countries.lookup` would also accept codes, so a label such as
        "Mu" would silently become Mauritius (MU).
        """
        names: dict[str, str] = {}
        for country in pycountry.countries:
            for attribute in ("name", "official_name", "common_name"):
                name = getattr(country, attribute, None)
                if name:
                    names[name.casefold()] = country.alpha_3
        return names

    def areas(self) -> pd.DataFrame:
        """Every known code with a display name and its kind (see `schema.AREA_KINDS`)."""
        countries = pd.DataFrame(
            {
                schema.CODE: [c.alpha_3 for c in pycountry.countries],
                schema.NAME: [
                    self.display_names.get(c.alpha_3, getattr(c, "common_name", None) or c.name)
                    for c in pycountry.countries
                ],
                schema.KIND: "country",
            }
        )
        extra_countries = {
            code for code in self.overrides.values() if code not in set(countries[schema.CODE])
        }
        former = self.former_economies.assign(**{schema.KIND: "historical"})
        groups = self.groups
        unlisted = extra_countries - set(former[schema.CODE]) - set(groups[schema.CODE])
        own_countries = pd.DataFrame(
            {
                schema.CODE: sorted(unlisted),
                schema.NAME: [self.display_names.get(code, code) for code in sorted(unlisted)],
                schema.KIND: "country",
            }
        )
        table = pd.concat(
            [countries, own_countries, former[list(schema.AREA_COLUMNS)], groups[list(schema.AREA_COLUMNS)]],
            ignore_index=True,
        )
        duplicated = table[table[schema.CODE].duplicated(keep=False)]
        if not duplicated.empty:
            raise ValueError(f"reference codes defined twice: {sorted(set(duplicated[schema.CODE]))}")
        return table.sort_values(schema.CODE).reset_index(drop=True)
