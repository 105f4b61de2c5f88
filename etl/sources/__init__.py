"""One module per official source, all of the same shape: `INFO`, `fetch`, `parse`, column maps as data.

Only the ETL pipeline imports these modules; the dashboard never does.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class SourceInfo:
    """Facts constant for a source; written to the store's `sources` table at publish time."""

    source: str  # value of trade_flows.source
    cli_name: str  # the --source name on the command line
    publisher: str
    title: str
    url: str
    licence: str
    attribution: str
    unit_original: str
