"""Settings, read once from the environment and passed down (DESIGN.md, habit 8)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Final

from dashboard.queries.controls import whole_number

REPO_ROOT = Path(__file__).resolve().parents[1]
DEFAULT_STORE_DIR = REPO_ROOT / "data" / "store"
ASSETS_DIR = REPO_ROOT / "assets"

# The `source` values the ETL writes, most preferred first: national sources (monthly, as published), then
# the IMF's monthly and annual series, then UN Comtrade.
DEFAULT_SOURCE_ORDER: Final = (
    "stat_az",
    "customs_az",
    "imf_imts",
    "imf_dots",
    "imf_dots_api",
    "comtrade",
    "comtrade_legacy",
)
DEFAULT_COMPARISON = ("ITA", "TUR", "RUS", "CHN", "ISR", "DEU")
_TRUE = {"1", "true", "yes", "on"}


@dataclass(frozen=True)
class Settings:
    """What the dashboard needs to know before it reads any data.

    Rows of two sources for the same flow are never added together: `sources` is the order of preference
    (per reporter and frequency the first one with data is shown, and the user may pick another one with
    data); `source`, when set, limits the dashboard to that one source. Codes are ISO alpha-3 (or the
    store's own group codes).
    """

    store_dir: Path = DEFAULT_STORE_DIR
    sources: tuple[str, ...] = DEFAULT_SOURCE_ORDER
    source: str | None = None
    reporter: str = "AZE"
    partner: str = "ITA"
    comparison: tuple[str, ...] = DEFAULT_COMPARISON
    top_partners: int = 15
    debug: bool = False


def from_env(environ: Mapping[str, str]) -> Settings:
    """Settings from environment variables, falling back to the defaults above.

    TRADE_STORE_DIR, TRADE_SOURCES (comma-separated source names, most preferred first), TRADE_SOURCE (one
    source only), TRADE_REPORTER, TRADE_PARTNER, TRADE_COMPARISON (comma-separated codes),
    TRADE_TOP_PARTNERS, TRADE_DASHBOARD_DEBUG.
    """
    defaults = Settings()
    comparison = environ.get("TRADE_COMPARISON")
    sources = tuple(s.strip() for s in environ.get("TRADE_SOURCES", "").split(",") if s.strip())
    top = whole_number(environ.get("TRADE_TOP_PARTNERS", ""))
    return Settings(
        store_dir=Path(environ["TRADE_STORE_DIR"]) if environ.get("TRADE_STORE_DIR") else defaults.store_dir,
        sources=sources or defaults.sources,
        source=environ.get("TRADE_SOURCE", "").strip() or None,
        reporter=environ.get("TRADE_REPORTER", "").strip().upper() or defaults.reporter,
        partner=environ.get("TRADE_PARTNER", "").strip().upper() or defaults.partner,
        comparison=(
            tuple(code.strip().upper() for code in comparison.split(",") if code.strip())
            if comparison
            else defaults.comparison
        ),
        top_partners=top if top is not None and top > 0 else defaults.top_partners,
        debug=environ.get("TRADE_DASHBOARD_DEBUG", "").strip().lower() in _TRUE,
    )
