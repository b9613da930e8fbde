"""Template-family parsers.

Each family module exposes the same three names:

- ``FAMILY``: the family's id (``soctrang_2021`` ...);
- ``score(text: str) -> float``: 0..1, how sure it is that a text is of this family
  (pure, cheap, from structural markers, never from one sample's exact wording);
- ``parse(text: str, source_file: str) -> ParseResult``: pure, no I/O.
"""

from __future__ import annotations

from types import ModuleType

from ingest.families import national_2023, national_commune_2024, soctrang_2021, soctrang_2022

__all__ = ["FAMILIES", "national_2023", "national_commune_2024", "soctrang_2021", "soctrang_2022"]

FAMILIES: dict[str, ModuleType] = {
    module.FAMILY: module for module in (soctrang_2021, soctrang_2022, national_2023, national_commune_2024)
}
