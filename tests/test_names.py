"""The naming rule of the README's "Contributing": no two modules with one file name.

Two ``model.py`` (or ``identity.py``) make every traceback, grep and import
ambiguous; the name of a module says what it holds, within the whole product.
The test-data generator ``ppks_generator`` is held to it too: it is
installed beside the product.
"""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PRODUCT = ("ppks", "flows", "schemas", "ppks_generator")
NOT_MODULES = {"__init__.py", "__main__.py", "conftest.py"}


def _same_names(paths: list[Path]) -> dict[str, list[str]]:
    by_name: dict[str, list[str]] = defaultdict(list)
    for path in paths:
        if path.name not in NOT_MODULES:
            by_name[path.name].append(str(path.relative_to(ROOT)))
    return {name: where for name, where in by_name.items() if len(where) > 1}


def _product_modules() -> list[Path]:
    return [
        path
        for top in PRODUCT
        for path in sorted((ROOT / top).rglob("*.py"))
        if ".venv" not in path.parts
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


def test_the_generator_imports_nothing_of_the_product_but_its_reference_data():
    """An independent oracle: the generator must not read files with the readers it tests."""
    imports = set()
    for path in sorted((ROOT / "ppks_generator").rglob("*.py")):
        for line in path.read_text(encoding="utf-8").splitlines():
            words = line.split()
            if len(words) >= 2 and words[0] in ("from", "import"):
                top = words[1].split(".")
                if top[0] == "ppks":
                    imports.add(".".join(top[:2]))
    assert imports == {"ppks.reference"}
