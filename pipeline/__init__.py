"""The build: ingest -> dbt build -> outputs, in order (what `cchc build` runs)."""
