"""Driver for the crash and concurrency tests: writes spans through the real store services.

    python tests/safety/span_writer.py PROJECT --coder NAME [--count N] [--seed S] [--delete-every K]
                                          [--wait-for FILE [--after N]]

For every change it prints an intent line *before* the call and a done line *after* the call returned
(i.e. after COMMIT): `try UID`, `add UID`, `trydel UID`, `del UID`, flushing each line. A test that kills
the process at any moment may then demand that every `add` is in the project and every `del` is not.
Busy waits are reported on stderr, exactly as the CLI does. Tests synchronise on more lines: `opening`
(before the project is opened), `opened`, and with --wait-for, `waiting` after N spans (0: right after
opening) until FILE exists.
"""

from __future__ import annotations

import argparse
import random
import sys
import time
import uuid
from pathlib import Path
from typing import TextIO

from annotator.store.engine import open_project
from annotator.store.services.documents import list_documents
from annotator.store.services.spans import add_span, delete_span

CODES = ("threat.terror", "threat.migration", "response")


def _say(out: TextIO, line: str) -> None:
    out.write(f"{line}\n")
    out.flush()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("project")
    parser.add_argument("--coder", default="writer")
    parser.add_argument("--count", type=int, default=0, help="number of spans to add; 0 = until killed")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--delete-every", type=int, default=0, help="delete one of our spans every K adds")
    parser.add_argument("--wait-for", type=Path, help="after --after spans, print 'waiting' and wait for this file")
    parser.add_argument("--after", type=int, default=0)
    args = parser.parse_args(argv)
    rng = random.Random(args.seed)
    out = sys.stdout
    _say(out, "opening")
    with open_project(args.project, on_busy=lambda msg: print(msg, file=sys.stderr, flush=True)) as project:
        _say(out, "opened")
        docs = [(d.id, d.length) for d in list_documents(project)]
        mine: dict[str, int] = {}
        used: set[tuple[int, str, int, int]] = set()  # a passage takes a code once per coder (schema 0002)
        n = 0
        while args.count == 0 or n < args.count:
            if args.wait_for is not None and n == args.after:
                _say(out, "waiting")
                while not args.wait_for.exists():
                    time.sleep(0.005)
            while True:
                doc_id, length = rng.choice(docs)
                start = rng.randrange(0, length - 1)
                end = rng.randrange(start + 1, min(length, start + 80) + 1)
                code = rng.choice(CODES)
                if (doc_id, code, start, end) not in used:
                    used.add((doc_id, code, start, end))
                    break
            uid = uuid.uuid4().hex
            out.write(f"try {uid}\n")
            out.flush()
            record = add_span(
                project,
                document_id=doc_id,
                acting_coder=args.coder,
                code_key=code,
                start=start,
                end=end,
                memo=f"memo {n} ✓",
                uid=uid,
            )
            out.write(f"add {record.uid}\n")
            out.flush()
            mine[uid] = record.id or 0
            n += 1
            if args.delete_every and n % args.delete_every == 0:
                victim = rng.choice(sorted(mine))
                out.write(f"trydel {victim}\n")
                out.flush()
                delete_span(project, mine.pop(victim), acting_coder=args.coder)
                out.write(f"del {victim}\n")
                out.flush()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
