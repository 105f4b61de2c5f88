"""Problems found in input data, with the place they were found, collected before failing once."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True, order=True)
class Problem:
    """One defect: which file, sheet and cell (or row/column), the offending value and what is wrong."""

    file: str
    message: str
    sheet: str = ""
    cell: str = ""
    value: str = ""

    def __str__(self) -> str:
        where = self.file
        if self.sheet:
            where += f", sheet {self.sheet!r}"
        if self.cell:
            where += f", {self.cell}"
        shown = f" (value {self.value!r})" if self.value else ""
        return f"{where}: {self.message}{shown}"


class DataProblems(ValueError):
    """Raised once with every problem found, so a user fixes them all in one pass."""

    def __init__(self, problems: Iterable[Problem], *, limit: int = 50) -> None:
        self.problems = sorted(set(problems))
        shown = "\n".join(f"  - {p}" for p in self.problems[:limit])
        more = len(self.problems) - limit
        tail = f"\n  … and {more} more" if more > 0 else ""
        super().__init__(
            f"{len(self.problems)} problem(s) in the input; nothing was published:\n{shown}{tail}"
        )
