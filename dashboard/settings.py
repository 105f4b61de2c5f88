"""Settings, read once from the environment and passed down (DESIGN.md, habit 8)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
DEFAULT_STORE_DIR = REPO_ROOT / "data" / "store"
ASSETS_DIR = REPO_ROOT / "assets"

DEFAULT_COMPARISON = ("ITA", "TUR", "RUS", "CHN", "ISR", "DEU")
_TRUE = {"1", "true", "yes", "on"}


@dataclass(frozen=True)
class Settings:
    """What the dashboard needs to know before it reads any data.

    `source` picks the rows the dashboard shows: rows of two sources for the same flow would otherwise be
    added together. Codes are ISO alpha-3 (or the store's own group codes).
    """

    store_dir: Path = DEFAULT_STORE_DIR
    source: str = "imf_dots"
    reporter: str = "AZE"
    partner: str = "ITA"
    comparison: tuple[str, ...] = DEFAULT_COMPARISON
    top_partners: int = 15
    debug: bool = False


def from_env(environ: Mapping[str, str]) -> Settings:
    """Settings from environment variables, falling back to the defaults above.

    TRADE_STORE_DIR, TRADE_SOURCE, TRADE_REPORTER, TRADE_PARTNER, TRADE_COMPARISON (comma-separated codes),
    TRADE_TOP_PARTNERS, TRADE_DASHBOARD_DEBUG.
    """
    defaults = Settings()
    comparison = environ.get("TRADE_COMPARISON")
    top = environ.get("TRADE_TOP_PARTNERS", "").strip()
    return Settings(
        store_dir=Path(environ["TRADE_STORE_DIR"]) if environ.get("TRADE_STORE_DIR") else defaults.store_dir,
        source=environ.get("TRADE_SOURCE", "").strip() or defaults.source,
        reporter=environ.get("TRADE_REPORTER", "").strip().upper() or defaults.reporter,
        partner=environ.get("TRADE_PARTNER", "").strip().upper() or defaults.partner,
        comparison=(
            tuple(code.strip().upper() for code in comparison.split(",") if code.strip())
            if comparison
            else defaults.comparison
        ),
        top_partners=int(top) if top.isdigit() and int(top) > 0 else defaults.top_partners,
        debug=environ.get("TRADE_DASHBOARD_DEBUG", "").strip().lower() in _TRUE,
    )
