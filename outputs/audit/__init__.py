"""The auditor's report: set-based SQL over the warehouse (query.py), finding rows as the pages show
them (html.py), the pages, JSON and CSV written (report.py); constants and dbt results (data.py)."""
