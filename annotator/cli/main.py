"""Entry point: parse arguments, run one command, turn user mistakes into one line on stderr."""

from __future__ import annotations

import argparse
import importlib
import sys
import traceback
from datetime import datetime

from annotator import __version__
from annotator.core.errors import UserError

# Command modules, each with register(subparsers). Kept as names so `annotator --help` imports no Qt.
COMMAND_MODULES = ("annotator.cli.basic",)
OPTIONAL_MODULES = ("annotator.cli.agreement", "annotator.cli.report", "annotator.cli.exchange")


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
    for name in COMMAND_MODULES:
        importlib.import_module(name).register(sub)
    for name in OPTIONAL_MODULES:
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as exc:
            if exc.name != name:
                _optional_unavailable(name, exc)
            continue
        except Exception as exc:  # a broken optional module must not take the whole CLI down
            _optional_unavailable(name, exc)
            continue
        module.register(sub)
    return parser


def _optional_unavailable(name: str, exc: BaseException) -> None:
    """Say once, in one line, that some commands are missing, instead of a traceback for every command."""
    first = (str(exc).splitlines() or [""])[0][:200]
    print(f"annotator: warning: commands from {name} are unavailable ({type(exc).__name__}: {first})", file=sys.stderr)


def _log_crash() -> str:
    from annotator.store.paths import user_data_dir

    path = user_data_dir() / "crash.log"
    with path.open("a", encoding="utf-8") as fh:
        fh.write(f"\n--- {datetime.now().isoformat()} annotator {__version__} {sys.argv!r}\n")
        fh.write(traceback.format_exc())
    return str(path)


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command is None:
        args.command = "gui"
        args.func = __import__("annotator.cli.basic", fromlist=["cmd_gui"]).cmd_gui
    try:
        return int(args.func(args) or 0)
    except UserError as exc:
        for line in str(exc).splitlines():
            print(f"annotator: {line}" if not line.startswith("annotator") else line, file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("annotator: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0
    except Exception as exc:  # last resort: never a traceback in the user's face
        where = _log_crash()
        first = (str(exc).splitlines() or [""])[0][:200]
        print(
            f"annotator: internal error: {type(exc).__name__}: {first} (details in {where}; please report it)",
            file=sys.stderr,
        )
        return 2


if __name__ == "__main__":
    raise SystemExit(main())
