"""The query package: the only reader of the published store and the only home of derived numbers.

    store.QueryStore --current()--> answers.TradeQueries (one per store version; reader.StoreReader reads SQL)
        answers use derived.py (turnover, balance, change, rank, share), periods.py (months from cumulatives,
        cumulatives from months, years), groups.py (groups from members); mirror.py (both reports of a pair,
        gaps, the CIF/FOB band test, partners ranked by gap) reads the rows of the one preferred source per side
    model.py holds what comes back (no database): components and figures import it, never the reader.

This file imports nothing, so `dashboard.queries.model` can be imported without DuckDB.
"""
