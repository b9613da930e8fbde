"""Template-family parsers and their registry.

Every family module declares ``TEMPLATE``, a :class:`~ingest.families.contract.TemplateFamily`
(its id, its structural markers, ``score`` and ``parse``); :data:`REGISTRY` lists them in the order
detection tries them and :data:`FAMILIES` finds one by its id. Shared machinery: ``tabular``
(tab-separated tables), ``row_paths`` (the ``~k`` / ``#n`` row paths of every family).
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

from ingest.families import national_2023, national_commune_2024, soctrang_2021, soctrang_2022
from ingest.families.contract import FamilyParser, TemplateFamily

__all__ = [
    "FAMILIES",
    "REGISTRY",
    "FamilyParser",
    "TemplateFamily",
    "national_2023",
    "national_commune_2024",
    "soctrang_2021",
    "soctrang_2022",
]

REGISTRY: tuple[TemplateFamily, ...] = (
    soctrang_2021.TEMPLATE,
    soctrang_2022.TEMPLATE,
    national_2023.TEMPLATE,
    national_commune_2024.TEMPLATE,
)

FAMILIES: Mapping[str, TemplateFamily] = MappingProxyType({family.name: family for family in REGISTRY})
