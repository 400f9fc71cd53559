"""The contract (ppks.contract) against every other place that names its codes.

docs/contracts.md, the SQL, the labels the reporters read, the Pandera model
and the readers' reject codes must name exactly the contract's codes: a code
added in one place and not in the contract (or the other way round) fails here.
"""

from __future__ import annotations

import ast
import datetime as dt
import re
from pathlib import Path

import duckdb
import pytest
from ppks.schemas.canonical_record import REJECT_CHECKS, CanonicalRecord

from ppks.contract import columns, flags, nik, reasons, statuses
from ppks.link import features
from ppks.reporting import feedback, labels
from ppks.validate import REASON_TEXT

ROOT = Path(__file__).resolve().parents[2]
DOCS = (ROOT / "docs" / "contracts.md").read_text(encoding="utf-8")
SQL = {p: p.read_text(encoding="utf-8") for p in sorted((ROOT / "sql").rglob("*.sql"))}
PACKAGE = ROOT / "ppks"


def _section(title: str) -> str:
    """The text of the docs section whose heading starts with `title`."""
    parts = re.split(r"^## ", DOCS, flags=re.M)
    [text] = [p for p in parts if p.startswith(title)]
    return text


def _tables(text: str) -> list[set[str]]:
    """Per markdown table of a section: the codes (in backticks) of its first column."""
    tables: list[set[str]] = []
    in_table = False
    for line in text.splitlines():
        if not line.startswith("|"):
            in_table = False
            continue
        first = line.split("|")[1]
        if not in_table:
            in_table = True
            tables.append(set())
            continue  # the header row
        tables[-1].update(re.findall(r"`([a-z0-9_]+)`", first))
    return tables


def test_docs_flags_are_the_contracts():
    [table] = _tables(_section("Flags"))
    assert table == set(flags.FLAGS)


def test_docs_flag_groups_are_the_contracts():
    text = _section("Flags")
    for group in flags.GROUPS.values():
        assert ", ".join(f"`{f}`" for f in group) in " ".join(text.split())


def test_docs_reject_reasons_are_the_contracts():
    [table] = _tables(_section("Reject reasons"))
    assert table == set(reasons.ROW_REJECT_REASONS)


def test_docs_file_reasons_are_the_contracts():
    rejected, remarks, warnings = _tables(_section("File reasons"))
    assert rejected == set(reasons.FILE_REJECT_REASONS)
    assert remarks == set(reasons.FILE_LOAD_REMARKS)
    assert warnings == set(reasons.FILE_WARNINGS)


def test_docs_statuses_are_the_contracts():
    files, links, conflicts, ids = _tables(_section("Statuses"))
    assert files == set(statuses.FILE_STATUSES) | set(statuses.ROW_OUTCOMES)
    assert links == set(statuses.LINK_STATUSES)
    assert conflicts == set(statuses.LINK_CONFLICTS)
    assert ids == set(statuses.PERSON_ID_STATUSES)


def test_docs_canonical_columns_are_the_contracts():
    text = _section("The canonical record")
    [block] = [b for b in re.findall(r"`([^`]+)`", text, re.S) if "," in b and "record_id" in b]
    assert tuple(c.strip() for c in block.split(",")) == columns.SOURCE_RECORD_COLUMNS


def test_docs_nik_layout_is_the_contracts():
    rows = dict(re.findall(r"^\| (\d+-\d+) \| (.*) \|$", _section("The NIK"), re.M))
    for part in (nik.REGION, nik.DAY, nik.MONTH, nik.YEAR, nik.SERIAL):
        assert f"{part.start + 1}-{part.stop}" in rows
    assert f"plus {nik.WOMAN_DAY_OFFSET} for women" in rows["7-8"]


# --- the SQL ------------------------------------------------------------------


def _flag_literals(text: str) -> set[str]:
    found = set(re.findall(r"list_contains\(\s*\w*\.?flags,\s*'([a-z0-9_]+)'\)", text))
    for group in re.findall(r"list_has_any\(\s*\w*\.?flags,\s*\[([^\]]*)\]\)", text):
        found.update(re.findall(r"'([a-z0-9_]+)'", group))
    return found


def _python_sources() -> dict[Path, str]:
    return {
        p: p.read_text(encoding="utf-8")
        for p in sorted(PACKAGE.rglob("*.py"))
        if "generate" not in p.relative_to(PACKAGE).parts
    }


def test_every_flag_the_sql_tests_is_in_the_contract():
    found = set()
    for text in [*SQL.values(), *_python_sources().values()]:
        found |= _flag_literals(text)
    assert found, "the pattern no longer finds the SQL's flag tests"
    assert found <= set(flags.FLAGS), found - set(flags.FLAGS)


def test_the_sql_flag_groups_are_the_contracts():
    groups = []
    for text in SQL.values():
        groups += re.findall(r"list_has_any\(\s*\w*\.?flags,\s*(\[[^\]]*\])\)", text)
    assert groups, "the quality marts no longer test flag groups this way"
    allowed = {flags.sql_list(group) for group in flags.GROUPS.values()}
    assert {" ".join(g.split()) for g in groups} <= allowed


def _comment(table: str, column: str) -> str:
    pattern = rf"COMMENT ON COLUMN {table}\.{column} IS '((?:[^']|'')*)'"
    found = [m for text in SQL.values() for m in re.findall(pattern, text)]
    assert found, f"no comment on {table}.{column}"
    return found[-1]


def test_the_sql_comments_name_only_contract_codes():
    words = set(re.findall(r"[a-z][a-z0-9_]+", _comment("source_record", "flags")))
    assert {w for w in words if "_" in w} <= set(flags.FLAGS)
    link_status = _comment("person_link", "status")
    assert set(re.findall(r"\b([a-z_]+) \(", link_status)) | set(
        re.findall(r"(reviewer_\w+)", link_status)
    ) <= set(statuses.LINK_STATUSES)
    for code in statuses.LINK_STATUSES:
        assert re.search(rf"\b{code}\b", link_status), code
    conflict = _comment("person_link", "conflict").split(":", 1)[1].split(";")[0]
    codes = set(re.findall(r"\b([a-z_]+)\b(?! \()", re.sub(r"\([^)]*\)", "", conflict)))
    assert codes <= set(statuses.LINK_CONFLICTS), codes - set(statuses.LINK_CONFLICTS)
    ids = _comment("person_identity", "status")
    assert set(re.findall(r"\b(active|retired)\b", ids)) == set(statuses.PERSON_ID_STATUSES)


def test_the_sql_file_statuses_are_the_contracts():
    found = set()
    for text in SQL.values():
        for match in re.findall(r"\bf?\.?status\s*(?:=\s*'(\w+)'|IN\s*\(([^)]*)\))", text):
            found.update(c for c in re.findall(r"\w+", " ".join(match)))
    known = (
        set(statuses.FILE_STATUSES)
        | set(statuses.LINK_STATUSES)
        | set(statuses.PERSON_ID_STATUSES)
        | {"completed"}  # run_log.status
    )
    assert found and found <= known, found - known


# --- Python -------------------------------------------------------------------


def test_labels_and_texts_are_keyed_by_contract_codes():
    assert set(labels.FLAG_LABEL) == set(flags.FLAGS)
    assert set(feedback.FLAG_TEXT) == set(flags.FLAGS)
    assert set(labels.REASON_LABEL) == set(reasons.ROW_REJECT_REASONS)
    assert set(REASON_TEXT) == set(reasons.ROW_REJECT_REASONS)
    assert set(labels.STATUS_LABEL) == set(statuses.FILE_STATUSES)
    assert set(labels.SOURCE_LABEL) == set(columns.SOURCES)
    # Codes without words fall back to the operator's sentence (ingest_file.reason).
    assert set(labels.FILE_REASON_TEXT) <= set(reasons.FILE_REASONS) | set(reasons.FILE_WARNINGS)


def test_the_pandera_model_rejects_with_the_contracts_reasons():
    assert set(REJECT_CHECKS.values()) == set(reasons.ROW_REJECT_REASONS)
    fields = set(CanonicalRecord.to_schema().columns)
    assert fields <= set(columns.CANONICAL_COLUMNS), fields - set(columns.CANONICAL_COLUMNS)


def _reader_codes() -> set[str]:
    """The codes the readers reject a file with: FileRejected(code, ...) and
    FileOutcome(item, status, code, ...) with a literal code."""
    found = set()
    sources = [PACKAGE / "pipeline.py", *sorted((PACKAGE / "ingest").glob("*.py"))]
    for path in sources:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
                position = {"FileRejected": 0, "FileOutcome": 2}.get(node.func.id)
                if position is not None and len(node.args) > position:
                    arg = node.args[position]
                    if isinstance(arg, ast.Constant) and isinstance(arg.value, str):
                        found.add(arg.value)
    return found


def _string_constants(paths: list[Path]) -> set[str]:
    return {
        node.value
        for path in paths
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
        if isinstance(node, ast.Constant) and isinstance(node.value, str)
    }


def test_the_readers_reject_files_with_contract_codes_only():
    found = _reader_codes()
    assert {"corrupt", "xls", "wrong_template"} <= found, "the scan no longer finds the calls"
    assert found <= set(reasons.FILE_REASONS), found - set(reasons.FILE_REASONS)


def test_every_file_reason_of_the_contract_is_written_by_the_readers():
    constants = _string_constants([PACKAGE / "pipeline.py", *(PACKAGE / "ingest").glob("*.py")])
    missing = set(reasons.FILE_REASONS) - constants
    assert not missing, f"in the contract but no reader writes them: {missing}"


def test_inserts_name_their_columns():
    """Inserts go by column name (or BY NAME), never by position."""
    positional = re.compile(r"INSERT\s+INTO\s+[\w.]+\s+VALUES", re.I)
    offenders = [
        str(path.relative_to(ROOT))
        for path, text in [*_python_sources().items(), *SQL.items()]
        if positional.search(text)
    ]
    assert not offenders


def test_the_source_record_table_has_the_contracts_columns():
    [ddl] = [
        m
        for text in SQL.values()
        for m in re.findall(r"CREATE TABLE IF NOT EXISTS source_record \(.*?\n\);", text, re.S)
    ]
    con = duckdb.connect()
    con.execute(ddl)
    found = [name for (name,) in con.execute("SELECT name FROM pragma_table_info('source_record')")
             .fetchall()]  # fmt: skip
    assert tuple(found) == columns.SOURCE_RECORD_COLUMNS


# --- the NIK ------------------------------------------------------------------


def test_nik_layout_reads_a_womans_nik():
    value = "3514134105100003"  # 35.14.13, 01-05-(20)10, a woman (41 = 1 + 40), serial 0003
    assert nik.kode_kecamatan(value) == "35.14.13"
    assert nik.date_parts(value) == nik.NikDate(41, 1, 5, 10)
    assert nik.gender_of(41) == "P" and nik.gender_of(1) == "L"
    assert value[nik.SERIAL] == "0003"
    assert nik.region_digits("35.14.13") == value[nik.REGION]


@pytest.mark.parametrize(
    ("value", "valid"),
    [
        ("3514132902000001", True),  # 29 Feb 2000
        ("3514132902010001", False),  # no 29 Feb in 1901 or 2001
        ("3514136902000001", True),  # a woman born 29 Feb
        ("3514133208550001", False),  # day 32
        ("3514130013550001", False),  # month 13
    ],
)
def test_nik_date_validity(value, valid):
    assert nik.date_valid(value) is valid


def test_the_linkage_sql_reads_the_nik_as_the_contract_does():
    """ppks.link.features decodes the NIK in SQL: same digits, same +40 rule."""
    sql = " ".join(features.FEATURES_SQL.split())

    def substr(part: slice) -> str:
        return f"substr(nik, {part.start + 1}, {part.stop - part.start})"

    for part in (nik.DAY, nik.MONTH, nik.YEAR):
        assert substr(part) in sql, substr(part)
    assert f"nik_dd > {nik.WOMAN_DAY_OFFSET}" in sql
    assert f"nik_dd - {nik.WOMAN_DAY_OFFSET}" in sql


def test_the_generators_niks_read_back_as_written():
    """The generator writes NIKs with its own code (the independent oracle)."""
    import random

    from ppks_generator.population import _Numbers

    value = _Numbers(random.Random(7)).nik("351413", dt.date(1987, 3, 9), "P")
    assert nik.is_nik_shaped(value)
    assert nik.kode_kecamatan(value) == "35.14.13"
    parts = nik.date_parts(value)
    assert (parts.day, parts.month, parts.yy) == (9, 3, 87)
    assert nik.gender_of(parts.day_written) == "P"


# --- what the stages write ----------------------------------------------------


@pytest.fixture(scope="module")
def sample_batch():
    """The sample inbox read, normalised and validated, in this process."""
    from ppks.ingest.inbox import discover
    from ppks.pipeline import process_batch

    files, _ = discover(ROOT / "tests" / "fixtures" / "samples" / "inbox")
    return process_batch(files)


def test_the_normaliser_writes_the_canonical_columns(sample_batch):
    for frame in sample_batch.loaded:
        assert tuple(frame.columns) == columns.CANONICAL_COLUMNS


def test_rows_and_files_carry_contract_codes_only(sample_batch):
    found_flags = {f for frame in sample_batch.loaded for fs in frame["flags"] for f in fs}
    assert found_flags and found_flags <= set(flags.FLAGS), found_flags - set(flags.FLAGS)
    found_reasons = {r for frame in sample_batch.rejected for rs in frame["reasons"] for r in rs}
    assert found_reasons and found_reasons <= set(reasons.ROW_REJECT_REASONS)
    outcomes = sample_batch.outcomes
    assert {o.status for o in outcomes} <= set(statuses.FILE_STATUSES)
    codes = {o.reason_code for o in outcomes if o.reason_code}
    assert codes and codes <= set(reasons.FILE_REASONS)
