"""One side of one benchmark at one size, in its own process so peak memory is its own.

    python -m bench.worker prepare MODULE SIZE FOLDER
    python -m bench.worker ours|baseline MODULE SIZE FOLDER REPEATS

Prints one JSON line: {"times": [...seconds], "value": ..., "peak_kb": ...} or {"unavailable": reason}.
"""

from __future__ import annotations

import importlib
import json
import os
import resource
import sys
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


def _peak_kb(of: str) -> int:
    me = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    kids = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return kids if of == "children" else max(me, kids)


def main(argv: list[str]) -> int:
    action, module_name, size_text, folder_text = argv[:4]
    mod = importlib.import_module(f"bench.{module_name}")
    size = int(size_text)
    folder = Path(folder_text)
    if action == "prepare":
        t0 = time.perf_counter()
        mod.prepare(size, folder)
        print(json.dumps({"seconds": time.perf_counter() - t0}))
        return 0
    repeats = int(argv[4])
    check = getattr(mod, "available" if action == "ours" else "baseline_available", None)
    reason = check() if check else None
    if reason:
        print(json.dumps({"unavailable": reason}))
        return 0
    factory = getattr(mod, action)(size, folder)
    budget = float(getattr(mod, "BUDGET_SECONDS", 20.0))
    times: list[float] = []
    value: object = None
    for _ in range(repeats):
        fn = factory()
        t0 = time.perf_counter()
        value = fn()
        times.append(time.perf_counter() - t0)
        if sum(times) > budget:  # slow sides: fewer repeats so the suite stays within its time limit
            break
    extra = getattr(mod, "extra_times" if action == "ours" else "baseline_extra_times", None)
    out = {
        "times": times,
        "value": value,
        "peak_kb": _peak_kb(
            getattr(mod, "MEMORY_OF", "self") if action == "ours" else getattr(mod, "BASELINE_MEMORY_OF", "self")
        ),
    }
    if extra:
        out["extra"] = extra()
    print(json.dumps(out))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
