"""`cchc`, the command line: a thin face over ingest, pipeline and outputs."""
