"""sql/ is laid out as sql/README.md says: one object per file, with all its comments."""

from __future__ import annotations

import re

import duckdb
import pytest

from ppks.link.persons import write_thresholds
from ppks.warehouse import schema
from ppks.warehouse.marts import apply_model

OBJECT_FOLDERS = sorted(set(schema.TABLE_LAYERS) | set(schema.MODEL_LAYERS))
FILES = [(folder, path) for folder in OBJECT_FOLDERS for path in schema.sql_files(folder)]
COMMENT_TARGET = re.compile(r"^COMMENT ON (TABLE|VIEW|COLUMN|MACRO) (\w+)", re.I | re.M)


@pytest.mark.parametrize(("folder", "path"), FILES, ids=[f"{f}/{p.name}" for f, p in FILES])
def test_each_file_defines_the_object_it_is_named_after_and_comments_only_on_it(folder, path):
    text = path.read_text(encoding="utf-8")
    kind, name, _ = schema.defines(text)
    assert name == path.name.removesuffix(".sql")
    creates = re.findall(r"^\s*CREATE\b", text, re.I | re.M)
    assert len(creates) == 1, "one object per file"
    targets = {target for _, target in COMMENT_TARGET.findall(text)}
    if folder == "intermediate":
        assert re.search(r"CREATE OR REPLACE TEMP VIEW", text), "intermediate views are TEMP"
        assert targets == set()
    else:
        assert targets == {name}, "a file comments on its own object only"
        assert re.search(rf"^COMMENT ON {kind} {name} IS", text, re.M), "the object's own comment"


def test_every_object_is_defined_once_and_the_folders_are_the_layers():
    names = [schema.defines(p.read_text(encoding="utf-8"))[1] for _, p in FILES]
    assert len(names) == len(set(names))
    folders = {
        p.name for p in schema.sql_root().iterdir() if p.is_dir() and p.name != "__pycache__"
    }
    assert folders == set(OBJECT_FOLDERS) | {"macros", "transforms"}


def test_every_column_of_every_stored_object_has_its_comment_in_its_file():
    """Without a night: the tables and models built on an empty warehouse."""
    con = duckdb.connect()
    assert schema.apply_tables(con) == []
    schema.apply(con, "macros")
    write_thresholds(con)
    assert apply_model(con) == []
    missing = con.execute(
        """
        SELECT table_name || '.' || column_name FROM duckdb_columns()
        WHERE database_name = 'memory' AND schema_name = 'main' AND comment IS NULL
        UNION ALL
        SELECT table_name FROM duckdb_tables()
        WHERE database_name = 'memory' AND schema_name = 'main' AND comment IS NULL
        UNION ALL
        SELECT view_name FROM duckdb_views()
        WHERE database_name = 'memory' AND schema_name = 'main' AND NOT internal
          AND comment IS NULL
        """
    ).fetchall()
    assert missing == []


def test_no_threshold_is_written_as_a_literal_in_review_queue():
    text = schema.sql_text("linkage/review_queue.sql")
    body = "\n".join(line for line in text.splitlines() if not line.startswith(("--", "COMMENT")))
    assert "conflict_review_weight()" in body
    assert not re.search(r"match_weight\s*[<>]=?\s*\d", body)


def test_the_model_stage_runs_every_transform_once():
    from ppks.warehouse.write_steps import TRANSFORMS

    files = sorted(p.name.removesuffix(".sql") for p in schema.sql_files("transforms"))
    assert sorted(TRANSFORMS) == files
    assert TRANSFORMS[0] == "person_touched" and TRANSFORMS[-1] == "person_rows_kept"
