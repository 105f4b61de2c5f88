"""Values from the page's controls and links, checked: a control may hold anything a URL or a user typed."""

from __future__ import annotations


def whole_number(value: object) -> int | None:
    """An int from a control's value (an int or a string of digits); anything else, booleans too, is None."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    # ASCII digits only: str.isdigit() also accepts '¹' or '٣', which int() rejects or reads as another number.
    if isinstance(value, str) and value.strip().isascii() and value.strip().isdecimal():
        return int(value.strip())
    return None


def year_of(value: object) -> int | None:
    """A calendar year from a dropdown value; anything else is None."""
    year = whole_number(value)
    return year if year is not None and 1000 <= year <= 9999 else None
