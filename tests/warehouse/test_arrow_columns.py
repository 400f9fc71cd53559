import subprocess
import sys

import duckdb
import pyarrow as pa

from ppks.warehouse.arrow_columns import integers, string_lists, strings


def test_columns_keep_nulls_empty_lists_and_empty_strings():
    lists = [["a", None], [], None, [""], ["x", "y", "z"]]
    table = pa.table(
        {
            "k": strings(["p", None, "", "q", "r"]),
            "w": string_lists(lists),
            "i": integers([1, None, 3, 4, 5]),
        }
    )
    con = duckdb.connect()
    con.register("t", table)
    assert con.sql("SELECT k, w, i FROM t").fetchall() == [
        ("p", ["a", None], 1),
        (None, [], None),
        ("", None, 3),
        ("q", [""], 4),
        ("r", ["x", "y", "z"], 5),
    ]
    assert [t for _, t, *_ in con.sql("DESCRIBE t").fetchall()] == [
        "VARCHAR",
        "VARCHAR[]",
        "BIGINT",
    ]


def test_empty_columns():
    assert string_lists([]).to_pylist() == []
    assert strings([]).to_pylist() == []


def test_building_columns_does_not_import_pandas():
    # pyarrow.array on a Python list imports pandas: a third of a second of a small night.
    code = (
        "import sys\n"
        "from ppks.warehouse.arrow_columns import string_lists, strings, integers\n"
        "string_lists([['a'], None]); strings(['a']); integers([1])\n"
        "print('pandas' in sys.modules)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
