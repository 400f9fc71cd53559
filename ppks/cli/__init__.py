"""The ``ppks`` command: one module per group of subcommands, registered below."""

from __future__ import annotations

import argparse
import gc
import sys

from ppks.cli import analyst_commands, ops_commands, pipeline_commands, review_commands
from ppks.ops import stops
from ppks.ops.private import private_umask

# Each module has register(subparsers); add a group by adding its module here.
COMMAND_GROUPS = [pipeline_commands, analyst_commands, ops_commands, review_commands]


def main(argv: list[str] | None = None) -> int:
    # Most commands write names, NIKs and KKs (the warehouse, its .wal, exports,
    # reports): every file this process creates is private from its first byte.
    private_umask()
    parser = build_parser()
    args = parser.parse_args(argv)
    if not hasattr(args, "run"):
        parser.print_help()
        return 2
    try:
        return args.run(args)
    except KeyboardInterrupt as exc:
        return _interrupted(exc)
    except Exception as exc:  # the operator gets one line, not a traceback
        if stops.is_interrupted(exc):  # Ctrl-C inside a DuckDB statement
            return _interrupted(exc)
        text = str(exc).strip()
        message = text.splitlines()[0] if text else type(exc).__name__
        print(f"ppks {args.command}: error: {message}", file=sys.stderr)
        return 1


def _interrupted(exc: BaseException) -> int:
    published = stops.PUBLISHED_NOTE in getattr(exc, "__notes__", ())
    done = stops.PUBLISHED_NOTE if published else "the warehouse was not changed"
    print(f"ppks: interrupted; {done}", file=sys.stderr)
    return 130


def run() -> int:
    """The ``ppks`` command as a process: `main`, and then the exit."""
    try:
        return main()
    finally:
        # The interpreter's exit collects garbage over every object the command made
        # (most of a second after a night) only to hand memory back to the system,
        # which the process's end does anyway. The atexit handlers still run. Not in
        # `main`: tests call it in a process that goes on.
        gc.freeze()


def installed_version() -> str:
    """The installed distribution's version (the wheel's), else the source tree's."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("ppks-warehouse")
    except PackageNotFoundError:
        from ppks import __version__

        return __version__


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="ppks",
        description="Nightly PPKS pipeline: TKSK, PSM and SLRT spreadsheets into one "
        "DuckDB warehouse.",
    )
    parser.add_argument("--version", action="version", version=f"ppks {installed_version()}")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    for group in COMMAND_GROUPS:
        group.register(subparsers)
    return parser
