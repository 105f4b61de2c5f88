"""ETL for the bilateral trade dashboard: official sources -> tidy table -> versioned DuckDB store."""
