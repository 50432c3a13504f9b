"""Entry point: parse arguments, run one command, turn user mistakes into one line on stderr.

The command modules are imported directly (a broken one fails at once, and in the tests); each keeps
the store and Qt out of its module level, so `annotator --help` imports neither and starts fast.
"""

from __future__ import annotations

import argparse
import sys

from annotator import __version__
from annotator.cli import agreement, basic, exchange, report
from annotator.core.crash_log import log_crash
from annotator.core.errors import UserError
from annotator.core.secrets import redact, remember_secrets_in

COMMAND_MODULES = (basic, agreement, report, exchange)  # each with register(subparsers)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="annotator",
        description="Code political discourse: documents, codebooks, coded spans, agreement, export.",
        epilog="Without a command the coding window opens. Offsets are 0-based, end-exclusive "
        "code-point offsets into the stored text.",
    )
    parser.add_argument(
        "--project",
        metavar="P",
        help="project file (SQLite) or SQLAlchemy URL; default: a project in your user data folder",
    )
    parser.add_argument("--version", action="version", version=f"annotator {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for module in COMMAND_MODULES:
        module.register(sub)
    return parser


def _say(message: str) -> None:
    for line in redact(message).splitlines():
        print(f"annotator: {line}" if not line.startswith("annotator") else line, file=sys.stderr)


def _log(exc: BaseException) -> str:
    from annotator.store.paths import user_data_dir

    return str(log_crash(user_data_dir() / "crash.log", (type(exc), exc, exc.__traceback__), "command line"))


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    remember_secrets_in(" ".join(argv))  # a password in --project is masked in every message and log
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command is None:
        args.command = "gui"
        args.func = basic.cmd_gui
    try:
        return int(args.func(args) or 0)
    except UserError as exc:
        _say(str(exc))
        return 1
    except KeyboardInterrupt:
        print("annotator: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0
    except Exception as exc:  # last resort: never a traceback in the user's face
        where = _log(exc)
        first = (str(exc).splitlines() or [""])[0][:200]
        _say(f"internal error: {type(exc).__name__}: {first} (details in {where}; please report it)")
        return 2


if __name__ == "__main__":
    raise SystemExit(main())
