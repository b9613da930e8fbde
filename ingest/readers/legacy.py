"""Legacy binary Office files (.doc, .xls): converted by LibreOffice headless, or refused."""

from __future__ import annotations

import shlex
import shutil
import subprocess
import tempfile
from collections.abc import Callable
from pathlib import Path

from ingest.errors import CorruptDocumentError, LegacyFormatError
from ingest.readers.base import DocumentFormat, DocumentText

_TARGET = {DocumentFormat.DOC: "docx", DocumentFormat.XLS: "xlsx"}
_TIMEOUT_SECONDS = 180


def convert_command(path: Path, fmt: DocumentFormat, outdir: Path | None = None) -> list[str]:
    """The LibreOffice command that converts a .doc/.xls to .docx/.xlsx."""
    target = _TARGET[fmt]
    return [
        "soffice",
        "--headless",
        "--convert-to",
        target,
        "--outdir",
        str(outdir or path.parent),
        str(path),
    ]


def read_legacy(
    path: Path,
    source_file: str,
    fmt: DocumentFormat,
    read_converted: Callable[[Path, str], DocumentText],
) -> DocumentText:
    """Convert with LibreOffice when ``soffice`` is on PATH and read the result; else refuse."""
    kind = "Word 97-2003 (.doc)" if fmt is DocumentFormat.DOC else "Excel 97-2003 (.xls)"
    soffice = shutil.which("soffice")
    if soffice is None:
        command = shlex.join(convert_command(path, fmt))
        raise LegacyFormatError(
            f"legacy {kind} file: LibreOffice (soffice) is not installed to convert it; "
            f"convert it and load the result: {command}",
            source_file=source_file,
            command=command,
        )
    with tempfile.TemporaryDirectory(prefix="cchc-convert-") as tmp:
        outdir = Path(tmp)
        command_list = [soffice, *convert_command(path, fmt, outdir)[1:]]
        profile = f"-env:UserInstallation=file://{outdir / 'profile'}"
        completed = subprocess.run(
            [command_list[0], profile, *command_list[1:]],
            capture_output=True,
            text=True,
            timeout=_TIMEOUT_SECONDS,
            check=False,
        )
        converted = outdir / f"{path.stem}.{_TARGET[fmt]}"
        if completed.returncode != 0 or not converted.exists():
            raise CorruptDocumentError(
                f"legacy {kind} file could not be converted by LibreOffice "
                f"(exit {completed.returncode}): {completed.stderr.strip()[:300]}",
                source_file=source_file,
                command=shlex.join(convert_command(path, fmt)),
            )
        document = read_converted(converted, source_file)
    note = f"converted from legacy {kind} by LibreOffice headless; locations refer to the converted file"
    return DocumentText(document.text, document.locations, document.format, (note, *document.notes))
