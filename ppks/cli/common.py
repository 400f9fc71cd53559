"""What the subcommands share: path flags that override one setting each."""

from __future__ import annotations

from pathlib import Path

from ppks import settings


def setting_arg(parser, key: str, what: str, flag: str | None = None) -> None:
    """A path flag that overrides one setting (flag > environment > ppks.toml > default);
    its help shows the value in force and where it came from."""
    parser.add_argument(
        flag or f"--{key.replace('_', '-')}",
        dest=key,
        type=Path,
        default=None,
        metavar="DIR" if key in ("inbox", "outbox") else "FILE",
        help=settings.help_text(key, what),
    )
