"""Why a row or a file is not loaded (or is loaded with a remark): code -> rule.

Rows: ``rejected_row.reasons`` holds the codes (a list, every one that
applies) and ``rejected_row.reason_text`` the reporter's words for them.
Files: ``ingest_file.reason_code`` holds the code and ``ingest_file.reason``
the operator's sentence. The code is always the ``..._code``/``reasons``
column; the words are ``reason``/``reason_text``.
"""

from __future__ import annotations

NO_NAME = "no_name"
CATEGORY_UNRESOLVED = "category_unresolved"
PLACE_UNRESOLVED = "place_unresolved"

ROW_REJECT_REASONS: dict[str, str] = {
    NO_NAME: "no name, or the name has no letters",
    CATEGORY_UNRESOLVED: "the PPKS category cannot be resolved to one of the 26",
    PLACE_UNRESOLVED: (
        "no kecamatan in Jawa Timur from the row, the title block, the desa code "
        "or (PSM) the desa of its list"
    ),
}

# A file rejected whole (status rejected).
FILE_REJECT_REASONS: dict[str, str] = {
    "empty_file": "the file has no bytes",
    "empty_workbook": "no sheet holds a data row",
    "wrong_template": "the header does not match the template of the file's folder",
    "corrupt": "not a workbook, or a sheet cannot be read",
    "password_protected": "the workbook is encrypted",
    "xls": "an Excel 97-2003 `.xls`",
    "unsupported_type": "neither `.xlsx` nor (for SLRT) `.csv`",
    "too_large": "a sheet reaches an absurd cell such as `XFD999999`",
    "csv_encoding_unknown": "a CSV neither UTF-8, UTF-16 nor Windows-1252",
    "reader_crashed": "the reader process died on the file (memory limit, crash)",
    "reader_timeout": "reading the file took longer than `PPKS_READ_TIMEOUT_S`",
    "io_error": "the file could not be read from disk, even in a fresh process",
    "internal": "an internal error while reading the file (the text stays in the log)",
}

# A file loaded with a remark (status loaded, reason_code set).
FILE_LOAD_REMARKS: dict[str, str] = {
    "csv_encoding_cp1252": 'a CSV read as Windows-1252 (Excel\'s "CSV" on an office PC)',
    "csv_encoding_utf16": 'a CSV read as UTF-16 (Excel\'s "Unicode Text")',
}

# A loaded file's warning that is not its reason_code (a file may carry both): it has
# a column of its own in ingest_file, and words for the reporter.
FILE_WARNINGS: dict[str, str] = {
    "rows_below_blank": "rows below the sheet's first empty row that look like data, not loaded "
    "(ingest_file.rows_below_blank)",
}

FILE_REASONS: dict[str, str] = {**FILE_REJECT_REASONS, **FILE_LOAD_REMARKS}
