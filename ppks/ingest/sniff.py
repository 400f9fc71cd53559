"""Tell what a file really is from its first bytes, before any parser sees it.

A workbook that claims to be ``.xlsx`` may be an old ``.xls``, a
password-protected workbook (an OLE container holding ``EncryptionInfo``), or
random bytes. Naming the real problem gives the reporter a message they can act on.
"""

from __future__ import annotations

from pathlib import Path

ZIP_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ENCRYPTION_STREAM = "EncryptionInfo".encode("utf-16-le")
MAX_FILE_BYTES = 100 * 1024 * 1024


class FileRejected(Exception):
    """The whole file cannot be loaded; ``reason`` says why in plain words."""

    def __init__(self, code: str, reason: str):
        super().__init__(reason)
        self.code = code
        self.reason = reason


def check_size(path: Path) -> None:
    """Raise FileRejected for an empty file or one too large to read safely."""
    size = path.stat().st_size
    if size == 0:
        raise FileRejected("empty_file", "the file is empty (0 bytes)")
    if size > MAX_FILE_BYTES:
        raise FileRejected(
            "too_large",
            f"the file is {size / 1e6:.1f} MB, more than the {MAX_FILE_BYTES / 1e6:.1f} MB allowed",
        )


def check_workbook_bytes(path: Path) -> None:
    """Raise FileRejected unless ``path`` looks like an .xlsx workbook."""
    check_size(path)
    with path.open("rb") as fh:
        head = fh.read(8)
    if head.startswith(ZIP_MAGIC):
        return
    if head == OLE_MAGIC:
        if _encrypted(path):
            raise FileRejected(
                "password_protected",
                "the workbook is password-protected: remove the password and send it again",
            )
        raise FileRejected(
            "xls",
            "the file is an old Excel 97-2003 workbook (.xls): save it as .xlsx and send it again",
        )
    raise FileRejected(
        "corrupt", "the file is not a readable .xlsx workbook (corrupt or not Excel)"
    )


def _encrypted(path: Path) -> bool:
    """An OLE container that holds an encrypted workbook (msoffcrypto-tool reads the
    container as Office does); a container it cannot parse falls back to the stream name."""
    import msoffcrypto

    try:
        with path.open("rb") as fh:
            return bool(msoffcrypto.OfficeFile(fh).is_encrypted())
    except Exception:
        return ENCRYPTION_STREAM in path.read_bytes()
