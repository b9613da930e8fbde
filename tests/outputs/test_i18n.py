"""outputs.i18n: the pages' Babel catalogues, complete and installed into Jinja."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

from ingest.errors import CchcError
from outputs.i18n import (
    DEFAULT_LANGUAGE,
    LANGUAGES,
    catalogue_text,
    page_environment_for,
    page_suffix,
    translator,
)

OUTPUTS = Path(__file__).resolve().parents[2] / "outputs"


def extracted_ids() -> set[str]:
    """Every message id of the templates (``_()``) and of the Python code (``N_()``)."""
    method_map = [("**/templates/**.j2", "jinja2"), ("**.py", "python")]
    options = {"**/templates/**.j2": {"extensions": "jinja2.ext.i18n"}}
    found = extract_from_dir(
        str(OUTPUTS), method_map, options, keywords={"_": None, "gettext": None, "N_": None}
    )
    return {message if isinstance(message, str) else message[0] for _, _, message, _, _ in found}


def catalogue(lang: str) -> dict[str, str]:
    return {str(m.id): str(m.string) for m in read_po(io.StringIO(catalogue_text(lang))) if m.id}


def test_every_string_of_the_pages_is_in_both_catalogues_and_translated() -> None:
    ids = extracted_ids()
    assert "Findings" in ids and "error" in ids and len(ids) > 100
    vi, en = catalogue("vi"), catalogue("en")
    assert ids <= set(vi) and ids <= set(en)
    assert not [i for i in ids if not vi[i]]  # every id has a Vietnamese translation
    assert not [i for i in ids if en[i]]  # English is the id itself


def test_translations_and_defaults() -> None:
    assert DEFAULT_LANGUAGE == "vi" and LANGUAGES == ("vi", "en")
    assert translator("vi").gettext("resolved") == "đã khắc phục"
    assert translator("en").gettext("resolved") == "resolved"
    assert (page_suffix("vi"), page_suffix("en")) == ("", ".en")
    env = page_environment_for("vi")
    rendered = env.from_string('{{ _("%(n)s finding(s)", n=3) }} {{ x | t }} {{ y | t }}').render(
        x="<new>", y="new"
    )
    assert rendered == "3 phát hiện &lt;new&gt; mới"  # translated, formatted and still escaped


def test_unknown_language_is_refused() -> None:
    with pytest.raises(CchcError, match="language must be one of vi, en"):
        catalogue_text("fr")
