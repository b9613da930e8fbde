"""Exceptions of the project: one root, :class:`CchcError`.

Every error derives from :class:`CchcError` and carries the file and the line
(1-based) it is about, so that a message always says where the problem is. The
errors of the outputs (outputs/errors.py) derive from the same root.
"""

from __future__ import annotations

from ingest.records import ExpectationOutcome


class CchcError(Exception):
    """Root of every error the ingest package raises on purpose."""

    def __init__(self, message: str, *, source_file: str | None = None, line: int | None = None) -> None:
        self.message = message
        self.source_file = source_file
        self.line = line
        super().__init__(self.__str__())

    def __str__(self) -> str:
        where = ""
        if self.source_file is not None:
            where = self.source_file
            if self.line is not None:
                where += f":{self.line}"
            where += ": "
        return f"{where}{self.message}"


class ValueParseError(CchcError):
    """A value cell could not be read as any known way of writing a value."""


class TemplateDetectionError(CchcError):
    """No template family fits the text of a report."""


class ParseError(CchcError):
    """A report's structure could not be parsed by its family's parser."""


class ManifestError(CchcError):
    """The report manifest is missing, malformed or inconsistent."""


class TemplateRowsError(CchcError):
    """A template row list (seeds/template_rows/*.csv) is malformed."""


class UnparseableFileError(CchcError):
    """A file that cannot be parsed at all (not UTF-8, no family fits, the parser failed)."""

    def __init__(
        self, message: str, *, source_file: str, line: int | None, report_id: str, line_count: int
    ) -> None:
        super().__init__(message, source_file=source_file, line=line)
        self.report_id = report_id
        self.line_count = line_count


class ValidationFailedError(CchcError):
    """A Great Expectations expectation failed on the parsed rows of one file."""


class SuiteFailedError(ValidationFailedError):
    """ValidationFailedError carrying the outcome of every expectation of the run."""

    def __init__(
        self, message: str, outcomes: tuple[ExpectationOutcome, ...], *, source_file: str, line: int | None
    ) -> None:
        super().__init__(message, source_file=source_file, line=line)
        self.outcomes = outcomes

    @property
    def failed(self) -> tuple[ExpectationOutcome, ...]:
        return tuple(o for o in self.outcomes if not o.success)


class LoadError(CchcError):
    """Writing a parsed report into the warehouse failed; nothing was committed."""


class HandEnteredValueError(CchcError):
    """A row of the hand-entered values CSV is invalid (unknown unit, period, indicator...)."""


class DocumentReadError(CchcError):
    """An original document (DOCX, XLSX, PDF, legacy Office file) cannot be read; says why.

    ``location`` is the place in the document the problem is about (a page, a sheet), when there
    is one; ``command`` is a command that would make the file readable, when there is one.
    """

    def __init__(
        self,
        message: str,
        *,
        source_file: str | None = None,
        line: int | None = None,
        location: str | None = None,
        command: str | None = None,
    ) -> None:
        self.location = location
        self.command = command
        super().__init__(message, source_file=source_file, line=line)


class ScannedPdfError(DocumentReadError):
    """A PDF has no text layer (a scan): held, to be typed or OCR-read, never guessed."""


class LegacyFormatError(DocumentReadError):
    """A legacy binary Office file (.doc/.xls) and no LibreOffice to convert it."""


class EncryptedDocumentError(DocumentReadError):
    """A password-protected (encrypted) Office document."""


class CorruptDocumentError(DocumentReadError):
    """A file that claims a format but cannot be opened as one (truncated zip, broken XML...)."""


class UnsupportedFormatError(DocumentReadError):
    """A file whose content is none of the formats read (text, DOCX, XLSX, PDF, .doc, .xls)."""


class RegisterError(CchcError):
    """The official register of administrative units could not be loaded or queried."""


class UnitNotFoundError(RegisterError):
    """A unit name matches no unit of the register in the given context."""


class AmbiguousUnitError(RegisterError):
    """A unit name matches several units of the register; more context is needed."""


class NotATextReportError(ParseError):
    """The file is not a UTF-8 text report but something else: a PDF, an Office document, a zip,
    UTF-16 text, binary data or Vietnamese text in a legacy font encoding (the message says which)."""


class LegacyEncodingError(TemplateDetectionError):
    """The text is Vietnamese typed with a legacy font encoding (TCVN3/ABC, VNI), not Unicode."""


class WarehouseLockedError(CchcError):
    """The warehouse file is locked by another process (a build, dbt, another cchc); says which."""


class WarehouseCorruptError(CchcError):
    """The warehouse file is not a DuckDB database, or a damaged one."""


class ReportTooLargeError(LoadError):
    """An input file larger than the size limit (MAX_REPORT_BYTES); refused before it is read."""
