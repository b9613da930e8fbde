"""The auditor's report: set-based SQL over the warehouse (query.py), finding rows as the pages show
them (export.py: JSON, CSV and the pages' data files written by DuckDB), the pages (report.py);
constants and dbt results (data.py)."""
