"""ARIA attributes for Dash HTML components, which take them only as `aria-*` keyword arguments."""

from __future__ import annotations

from typing import Any


def aria(**attributes: str) -> dict[str, Any]:
    """`aria(label="Chart", live="polite")` -> {"aria-label": "Chart", "aria-live": "polite"}."""
    return {f"aria-{name}": value for name, value in attributes.items()}
