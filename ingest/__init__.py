"""CCHC report ingestion: documents and hand-entered CSVs in, ``raw`` rows out (with line lineage).

Pure stages (detect, families, values, resolve, frames, prepare) never touch the warehouse; one
module, :mod:`ingest.writer`, writes the ``raw`` schema.
"""

__version__ = "0.1.0"
