#!/usr/bin/env bash
# System packages the test suite needs (Debian): Chromium for the report page tests, the PostgreSQL
# server (package postgresql, server 15 on Debian 12) for tests/dbt/test_postgres_build.py,
# LibreOffice (writer, headless) to make real PDFs and .doc files from the generated DOCX originals
# (tests/ingest/readers) and to convert legacy .doc/.xls reports at ingest, poppler-utils (pdftotext)
# to read the printed audit page back.
# Installs only what is missing, and only when run as root (CI, fresh machines).
set -euo pipefail
need=()
command -v chromium >/dev/null 2>&1 || need+=(chromium)
compgen -G "/usr/lib/postgresql/*/bin/initdb" >/dev/null || need+=(postgresql)
command -v soffice >/dev/null 2>&1 || need+=(libreoffice-writer-nogui)
command -v pdftotext >/dev/null 2>&1 || need+=(poppler-utils)
if [ ${#need[@]} -eq 0 ]; then exit 0; fi
if [ "$(id -u)" != "0" ]; then
  echo "missing system packages: ${need[*]} (install them with apt-get as root)" >&2
  exit 0
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq >/dev/null
apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
