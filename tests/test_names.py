"""The naming rule of the README's "Contributing": no two modules with one file name.

Two ``model.py`` (or ``identity.py``) make every traceback, grep and import
ambiguous; the name of a module says what it holds, within the whole product.
``ppks/generate`` (the test-data generator, to leave the product) is not held
to it yet.
"""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PRODUCT = ("ppks", "flows", "schemas")
NOT_MODULES = {"__init__.py", "__main__.py", "conftest.py"}


def _same_names(paths: list[Path]) -> dict[str, list[str]]:
    by_name: dict[str, list[str]] = defaultdict(list)
    for path in paths:
        if path.name not in NOT_MODULES:
            by_name[path.name].append(str(path.relative_to(ROOT)))
    return {name: where for name, where in by_name.items() if len(where) > 1}


def _product_modules() -> list[Path]:
    generator = ROOT / "ppks" / "generate"
    return [
        path
        for top in PRODUCT
        for path in sorted((ROOT / top).rglob("*.py"))
        if generator not in path.parents and ".venv" not in path.parts
    ]


def test_no_two_product_modules_share_a_file_name():
    modules = _product_modules()
    assert len(modules) > 50, "the scan no longer finds the package"
    assert _same_names(modules) == {}


def test_no_two_test_modules_share_a_file_name():
    assert _same_names(sorted((ROOT / "tests").rglob("*.py"))) == {}


def test_the_rule_is_written_in_the_readme():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "no two modules with the same file name" in " ".join(readme.lower().split())
