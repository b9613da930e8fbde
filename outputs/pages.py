"""The Jinja environment of the HTML pages; the templates are package data (outputs/templates/)."""

from __future__ import annotations

from jinja2 import Environment, PackageLoader, StrictUndefined


def page_environment() -> Environment:
    """Autoescaping, strict about undefined names; templates found through importlib.resources."""
    return Environment(
        loader=PackageLoader("outputs", "templates"),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
