"""The analyst edition's key and its keyed hashes (HMAC-SHA256) of NIK and KK.

The key: ``PPKS_SECRET_KEY`` (the key itself), else the key file named by
``PPKS_SECRET_KEY_FILE`` (or passed in), else ``<warehouse stem>.key`` beside
the warehouse, created with mode 0600 by the first run and reused after.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
import secrets
from pathlib import Path

KEY_ENV = "PPKS_SECRET_KEY"
KEY_FILE_ENV = "PPKS_SECRET_KEY_FILE"
TOKEN_CHARS = 32


def default_key_file(warehouse: Path) -> Path:
    warehouse = Path(warehouse)
    return warehouse.with_name(f"{warehouse.stem}.key")


class SecretKeyError(RuntimeError):
    """The key cannot be found or read; the message is one line for the operator."""


def load_key(warehouse: Path, key_file: Path | str | None = None) -> bytes:
    """The HMAC key: environment, else a named key file, else the file beside the warehouse.

    A key file named explicitly (argument or PPKS_SECRET_KEY_FILE) must exist: making a
    new key there would silently change every token. Only the default key file beside
    the warehouse is created when missing (mode 0600, 256 random bits).
    """
    value = os.environ.get(KEY_ENV, "").strip()
    if value:
        return value.encode("utf-8")
    named = key_file or os.environ.get(KEY_FILE_ENV) or None
    path = Path(named) if named else default_key_file(warehouse)
    if not path.exists():
        if named:
            raise SecretKeyError(f"key file not found: {path} (named by the settings)")
        _create_key_file(path)
    text = path.read_text(encoding="utf-8").strip()
    if not text:
        raise SecretKeyError(f"key file is empty: {path}")
    return text.encode("utf-8")


def _create_key_file(path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return  # another process made it first; use theirs
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        fh.write(secrets.token_hex(32) + "\n")
        fh.flush()
        os.fsync(fh.fileno())


def token(key: bytes, kind: str, value: str) -> str:
    """Keyed hash of one value, base32 (letters a-z and digits 2-7, never a long digit run)."""
    return tokens(key, kind, [value])[0]


TOKEN_BYTES = TOKEN_CHARS * 5 // 8  # base32: 5 bits a character, whole 5-byte groups


def tokens(key: bytes, kind: str, values: list[str]) -> list[str]:
    """`token` of many values: one base32 pass over all the digests (a provincial
    edition hashes a million values, and base32 is pure Python)."""
    digests = b"".join(
        hmac.digest(key, f"{kind}:{value}".encode(), "sha256")[:TOKEN_BYTES] for value in values
    )
    text = base64.b32encode(digests).decode("ascii").lower()
    return [text[i : i + TOKEN_CHARS] for i in range(0, len(text), TOKEN_CHARS)]


def key_id(key: bytes) -> str:
    """A short public fingerprint of the key: editions with the same key_id share tokens."""
    return hashlib.sha256(b"ppks-key-id:" + key).hexdigest()[:8]
