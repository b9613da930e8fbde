"""Loading a sibling test module's helpers (imported by the test modules as ``sibling_modules``).

A test module that reuses the fixtures-as-functions of another one loads it by path under its
own name (``_cchc_<name>``), once per session via sys.modules, so that it works whatever
pytest's import mode and whichever module pytest collected first.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType


def sibling(test_file: str, name: str) -> ModuleType:
    """The test module `name` (without .py) that sits next to `test_file` (pass ``__file__``)."""
    module_name = f"_cchc_{name}"
    if module_name in sys.modules:
        return sys.modules[module_name]
    spec = importlib.util.spec_from_file_location(module_name, Path(test_file).with_name(f"{name}.py"))
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[module_name] = module
    spec.loader.exec_module(module)
    return module
