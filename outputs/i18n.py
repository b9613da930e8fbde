"""Translations of the HTML pages: Babel message catalogues, one source of strings.

The catalogues are ``outputs/locale/<lang>/LC_MESSAGES/messages.po`` (package data). They are
compiled in memory with :mod:`babel.messages` when a page is rendered (no ``.mo`` files to
keep in step) and installed into a Jinja2 environment with the ``jinja2.ext.i18n`` extension:
templates use ``_("literal")`` for their own strings and ``value | t`` for a value from the data
(``_()`` returns markup, which autoescape would not escape); Python code uses :func:`translator`.

Message ids are English; the ``vi`` catalogue translates them, the ``en`` catalogue is the
identity (an empty ``msgstr`` falls back to the id). Vietnamese is the default language.
"""

from __future__ import annotations

import gettext
import io
from functools import cache
from importlib import resources

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from jinja2 import Environment

from ingest.errors import CchcError
from outputs.pages import page_environment

LANGUAGES: tuple[str, ...] = ("vi", "en")
DEFAULT_LANGUAGE = "vi"
DOMAIN = "messages"


def other_language(lang: str) -> str:
    """The language a page's switch points to."""
    return "en" if lang == "vi" else "vi"


def page_suffix(lang: str) -> str:
    """File-name suffix of a page in ``lang``: '' for Vietnamese (the default), '.en' for English."""
    return "" if lang == DEFAULT_LANGUAGE else f".{lang}"


def catalogue_text(lang: str) -> str:
    """The ``.po`` text of ``lang`` as shipped in the package."""
    if lang not in LANGUAGES:
        raise CchcError(f"language must be one of {', '.join(LANGUAGES)}, got {lang!r}")
    path = resources.files("outputs") / "locale" / lang / "LC_MESSAGES" / f"{DOMAIN}.po"
    return path.read_text(encoding="utf-8")


@cache
def translations(lang: str) -> gettext.GNUTranslations:
    """The catalogue of ``lang`` compiled in memory to a GNU translations object."""
    catalog = read_po(io.StringIO(catalogue_text(lang)), locale=lang, domain=DOMAIN)
    buffer = io.BytesIO()
    write_mo(buffer, catalog)
    buffer.seek(0)
    return gettext.GNUTranslations(buffer)


def translator(lang: str) -> gettext.GNUTranslations:
    """``translator(lang).gettext(msgid)`` for strings built in Python."""
    return translations(lang)


@cache
def page_environment_for(lang: str) -> Environment:
    """The pages' Jinja environment (:func:`outputs.pages.page_environment`) speaking ``lang``.

    One per language and process, so that each template is compiled once, not once per page.
    """
    env = page_environment()
    env.add_extension("jinja2.ext.i18n")
    env.install_gettext_translations(translations(lang), newstyle=True)  # type: ignore[attr-defined]
    # a value from the data translated as plain text (``{{ value | t }}``), so autoescape still applies;
    # ``_()`` marks its result safe and is kept for the templates' own literal strings
    env.filters["t"] = lambda value: translations(lang).gettext(str(value))
    env.globals["lang"] = lang
    env.globals["other_lang"] = other_language(lang)
    env.globals["page_suffix"] = page_suffix
    return env


def N_(message: str) -> str:
    """Mark a message id for extraction; it is translated where it is shown (``_(value)``)."""
    return message


# Values shown translated through a variable (``_(f.severity)``): listed so extraction finds them.
DYNAMIC_MESSAGES: tuple[str, ...] = (
    N_("error"),
    N_("warning"),
    N_("info"),
    N_("new"),
    N_("open"),
    N_("resolved"),
    N_("passed"),
    N_("failed"),
    N_("skipped"),
    N_("district"),
    N_("commune"),
    N_("province"),
    N_("year"),
    N_("half"),
    N_("quarter"),
    N_("nine_months"),
)
