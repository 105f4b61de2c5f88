"""Country groups offered as partners (data/reference/partner_groups.csv), and a group's sum of its members.

A group the source has no row for is summed from the members valid in each year, and marked derived.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path
from typing import Final

import pandas as pd

from dashboard.queries.periods import PERIOD_COLUMNS

PARTNER_GROUPS_CSV: Final = Path(__file__).resolve().parents[2] / "data" / "reference" / "partner_groups.csv"


@dataclass(frozen=True)
class PartnerGroup:
    """A country group offered as a partner: code, name, members with the years they count, reference."""

    code: str
    name: str
    members: tuple[tuple[str, int | None, int | None], ...]  # (code, from_year, to_year), None: open
    reference: str

    def all_members(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(code for code, _, _ in self.members))

    def members_in(self, year: int) -> tuple[str, ...]:
        """The members that count in `year`."""
        return tuple(
            code
            for code, start, end in self.members
            if (start is None or start <= year) and (end is None or year <= end)
        )

    def summed(self, values: pd.DataFrame) -> pd.DataFrame:
        """The group's values: per (flow, year, month), the sum of the members valid in that year.

        `values`: a `period_values` frame holding the members' rows. Returns rows in the same columns with
        partner = the group code, derived True and origin `sum of N members: A, B, …`; a period where no
        member has a figure is absent (not zero).
        """
        valid = pd.Series(
            [
                str(p) in self.members_in(int(y))
                for p, y in zip(values["partner"], values["year"], strict=True)
            ],
            index=values.index,
            dtype="bool",
        )
        members = values[valid]
        if members.empty:
            return pd.DataFrame(columns=list(PERIOD_COLUMNS))
        grouped = members.groupby(["flow", "year", "month"], as_index=False).agg(
            value_usd=("value_usd", "sum"),
            estimated=("estimated", "any"),
            partners=("partner", lambda p: sorted(set(map(str, p)))),
        )
        grouped["origin"] = [
            f"sum of {len(codes)} member{'s' if len(codes) != 1 else ''}: {', '.join(codes)}"
            for codes in grouped["partners"]
        ]
        grouped["partner"] = self.code
        grouped["derived"] = True
        return grouped[list(PERIOD_COLUMNS)]


def load_partner_groups(path: Path) -> dict[str, PartnerGroup]:
    """Country groups from a CSV (group, group_name, member, from_year, to_year, reference; `#` comments).

    A malformed row raises ValueError naming the file and line: the reference data ship with the code.
    """
    if not path.is_file():
        return {}
    members: dict[str, list[tuple[str, int | None, int | None]]] = {}
    names: dict[str, str] = {}
    references: dict[str, str] = {}
    with path.open(encoding="utf-8", newline="") as handle:
        lines = [line for line in handle if not line.startswith("#")]
    for number, row in enumerate(csv.DictReader(lines), start=2):
        try:
            code, member = row["group"].strip(), row["member"].strip()
            start = int(row["from_year"]) if row["from_year"].strip() else None
            end = int(row["to_year"]) if row["to_year"].strip() else None
        except (KeyError, ValueError, AttributeError) as exc:
            raise ValueError(f"{path}: data row {number}: {exc}") from exc
        if not code or len(member) != 3:
            raise ValueError(f"{path}: data row {number}: group and a three-letter member code are required")
        members.setdefault(code, []).append((member, start, end))
        names[code] = row["group_name"].strip()
        references[code] = row["reference"].strip()
    return {
        code: PartnerGroup(code=code, name=names[code], members=tuple(found), reference=references[code])
        for code, found in members.items()
    }
