"""CCHC report ingestion: parse administrative-reform reports into DuckDB with line lineage."""

__version__ = "0.1.0"
