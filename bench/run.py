"""Run the benchmark suite: `python bench/run.py [--smoke] [--only NAME,...]`.

Every benchmark generates its own seeded data (bench/out/data, regenerated each run), then runs
"ours" and the baseline each in a fresh process (so peak memory is measured per side and no run
pollutes another), at 2-3 sizes. Prints a table and writes it as Markdown to bench/out/results.md.
--smoke runs tiny sizes once each: it checks the suite works and never fails on ratio targets.
The suite times itself: a full run must stay under 10 minutes and a smoke run under 1 minute
(`BUDGET_SECONDS`), also as benchmarks are added; a run over its budget is flagged and fails.
Exit status: 0 when every benchmark ran (or reported "not available") within the budget, 1 when one
crashed, 3 when all ran but the suite took longer than its budget.
"""

from __future__ import annotations

import argparse
import datetime as dt
import importlib
import json
import math
import os
import platform
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

MODULES = (
    "open_doc",
    "apply_code",
    "import_docs",
    "csv_export",
    "agreement_spans",
    "agreement_project",
    "agreement_bootstrap",
    "kalpha",
    "spans_import",
    "retrieve",
    "search",
    "reanchor",
)
BUDGET_SECONDS = {"full": 600.0, "smoke": 60.0}  # the whole suite, data preparation included
OVER_BUDGET = 3  # exit status of a run that worked but took longer than its budget


@dataclass
class Side:
    times: list[float] = field(default_factory=list)
    value: object = None
    peak_kb: int | None = None
    unavailable: str | None = None
    error: str | None = None
    extra: dict | None = None

    @property
    def median(self) -> float | None:
        if not self.times:
            return None
        t = sorted(self.times)
        n = len(t)
        return t[n // 2] if n % 2 else (t[n // 2 - 1] + t[n // 2]) / 2


@dataclass
class Row:
    module: str
    name: str
    size: int
    size_label: str
    target: str
    ours: Side
    base: Side
    check_error: str | None = None
    met: bool | None = None

    @property
    def ratio(self) -> float | None:
        if self.ours.median is None or not self.base.median:
            return None
        return self.ours.median / self.base.median


def _worker(args: list[str], timeout: float) -> tuple[dict | None, str | None]:
    env = dict(os.environ)
    env.setdefault("QT_QPA_PLATFORM", "offscreen")
    env["PYTHONPATH"] = str(ROOT) + os.pathsep + env.get("PYTHONPATH", "")
    try:
        proc = subprocess.run(
            [sys.executable, "-m", "bench.worker", *args],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=timeout,
        )
    except subprocess.TimeoutExpired:
        return None, f"timed out after {timeout:.0f} s"
    lines = [ln for ln in proc.stdout.splitlines() if ln.startswith("{")]
    if proc.returncode != 0 or not lines:
        tail = (proc.stderr.strip().splitlines() or ["no output"])[-1]
        return None, f"worker failed (exit {proc.returncode}): {tail}"
    return json.loads(lines[-1]), None


def _side(args: list[str], timeout: float) -> Side:
    data, err = _worker(args, timeout)
    if err:
        return Side(error=err)
    assert data is not None
    if "unavailable" in data:
        return Side(unavailable=data["unavailable"])
    return Side(times=data["times"], value=data.get("value"), peak_kb=data.get("peak_kb"), extra=data.get("extra"))


# (prepare function, size) -> a folder it already filled: benchmarks sharing a data set (open document,
# apply one code) get a copy instead of generating it again, which keeps the suite within its budget.
_PREPARED: dict[tuple[str, int], Path] = {}


def _prepare(mod, name: str, size: int, folder: Path, timeout: float) -> str | None:
    key = (f"{mod.prepare.__module__}.{mod.prepare.__qualname__}", size)
    done = _PREPARED.get(key)
    if done is not None and done.is_dir():
        shutil.copytree(done, folder, dirs_exist_ok=True)
        return None
    _prep, err = _worker(["prepare", name, str(size), str(folder)], timeout)
    if err is None:
        _PREPARED[key] = folder
    return err


def run_module(name: str, mode: str, data_root: Path, timeout: float, log) -> list[Row]:
    mod = importlib.import_module(f"bench.{name}")
    rows: list[Row] = []
    n_ours, n_base = mod.REPEATS[mode]
    for size in mod.SIZES[mode]:
        folder = data_root / f"{name}-{size}"
        folder.mkdir(parents=True, exist_ok=True)
        label = mod.size_label(size) if hasattr(mod, "size_label") else mod.SIZE_LABEL.format(size=size)
        log(f"{mod.NAME} [{label}]: preparing data ...")
        err = _prepare(mod, name, size, folder, timeout)
        if err:
            rows.append(
                Row(
                    name, mod.NAME, size, label, mod.TARGET, Side(error=f"prepare: {err}"), Side(error="prepare failed")
                )
            )
            continue
        log(f"{mod.NAME} [{label}]: ours x{n_ours} ...")
        ours = _side(["ours", name, str(size), str(folder), str(n_ours)], timeout)
        if getattr(mod, "NO_BASELINE", None):
            base = Side(unavailable=mod.NO_BASELINE)
        else:
            log(f"{mod.NAME} [{label}]: baseline x{n_base} ...")
            base = _side(["baseline", name, str(size), str(folder), str(n_base)], timeout)
        row = Row(name, mod.NAME, size, label, mod.TARGET, ours, base)
        check = getattr(mod, "check", None)
        if check and ours.times and base.times:
            row.check_error = check(ours.value, base.value)
        targeted = getattr(mod, "TARGET_SIZES", None)
        if mode == "smoke" or targeted is None or size in targeted:
            row.met = mod.judge(row)
        rows.append(row)
    return rows


# ----------------------------------------------------------------------------------- reporting


def _ms(seconds: float | None) -> str:
    if seconds is None:
        return "n/a"
    ms = seconds * 1000
    return f"{ms:.3g} ms" if ms < 1000 else f"{seconds:.3g} s"


def _mb(kb: int | None) -> str:
    return "n/a" if kb is None else f"{kb / 1024:.0f} MB"


def _side_text(side: Side, no_baseline: bool = False) -> str:
    if no_baseline:
        return "none"
    if side.unavailable:
        return "not available"
    if side.error:
        return "FAILED"
    return f"{_ms(side.median)} (n={len(side.times)})"


def exponent(sizes: list[int], times: list[float]) -> float | None:
    """Least-squares slope of log(time) on log(size): 1 = linear, 0 = flat."""
    pts = [(math.log(s), math.log(t)) for s, t in zip(sizes, times, strict=True) if t and t > 0]
    if len(pts) < 2:
        return None
    mx = sum(p[0] for p in pts) / len(pts)
    my = sum(p[1] for p in pts) / len(pts)
    sxx = sum((p[0] - mx) ** 2 for p in pts)
    return sum((p[0] - mx) * (p[1] - my) for p in pts) / sxx if sxx else None


def _growth_word(k: float) -> str:
    if k < 0.3:
        return "near-flat"
    if k < 0.8:
        return "sublinear"
    if k <= 1.2:
        return "linear"
    return "superlinear"


def growth_notes(rows: list[Row]) -> list[str]:
    notes = []
    by_mod: dict[str, list[Row]] = {}
    for r in rows:
        by_mod.setdefault(r.module, []).append(r)
    for name, group in by_mod.items():
        mod = importlib.import_module(f"bench.{name}")
        ok = [r for r in group if r.ours.median]
        if len(ok) < 2:
            continue
        sizes = [r.size for r in ok]
        k = exponent(sizes, [r.ours.median for r in ok])
        kb = exponent([r.size for r in ok if r.base.median], [r.base.median for r in ok if r.base.median])
        if k is None:
            continue
        text = (
            f"{mod.NAME}: ours grows as size^{k:.2f} ({_growth_word(k)}) from {ok[0].size_label} to {ok[-1].size_label}"
        )
        if kb is not None:
            text += f"; baseline size^{kb:.2f} ({_growth_word(kb)})"
        ratios = [f"{r.ratio:.2f}" for r in ok if r.ratio is not None]
        if ratios:
            text += f"; ratio per size {', '.join(ratios)}"
        growth = getattr(mod, "judge_growth", None)
        targeted = [r for r in ok if r.size in getattr(mod, "TARGET_SIZES", ())]
        if len(targeted) >= 2 and len(targeted) < len(ok):
            k = exponent([r.size for r in targeted], [r.ours.median for r in targeted]) or k
            text += f"; between the target sizes ours grows as size^{k:.2f} ({_growth_word(k)})"
        if growth:
            verdict = growth(k)
            if verdict is not None:
                text += f" -> growth target {'met' if verdict else 'MISSED'}"
        notes.append(text)
    return notes


def table(rows: list[Row], mode: str) -> list[str]:
    head = [
        "benchmark",
        "size",
        "ours (median)",
        "baseline (median)",
        "ratio",
        "ours peak mem",
        "baseline peak mem",
        "target",
        "met?",
    ]
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for r in rows:
        ratio = "n/a" if r.ratio is None else f"{r.ratio:.2f}x"
        if r.met is None:
            met = "n/a"
        elif mode == "smoke":
            met = "(smoke)"
        else:
            met = "met" if r.met else "MISSED"
        lines.append(
            "| "
            + " | ".join(
                [
                    r.name,
                    r.size_label,
                    _side_text(r.ours),
                    _side_text(
                        r.base, bool(getattr(importlib.import_module(f"bench.{r.module}"), "NO_BASELINE", None))
                    ),
                    ratio,
                    _mb(r.ours.peak_kb),
                    _mb(r.base.peak_kb),
                    r.target,
                    met,
                ]
            )
            + " |"
        )
    return lines


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    try:
        from PySide6 import QtCore

        qt = (
            f"Qt {QtCore.qVersion()} / PySide6 {QtCore.__version__}"
            if hasattr(QtCore, "__version__")
            else f"Qt {QtCore.qVersion()}"
        )
    except ImportError:
        qt = "Qt not installed"
    sqlite = (
        subprocess.run(["sqlite3", "--version"], capture_output=True, text=True).stdout.split(" ")[0]
        if _which("sqlite3")
        else "absent"
    )
    return (
        f"{os.cpu_count()} CPU(s), {cpu}; {platform.system()} {platform.release()}; "
        f"Python {platform.python_version()}; {qt}; sqlite3 CLI {sqlite}"
    )


def _which(name: str) -> bool:
    return shutil.which(name) is not None


def notes_for(rows: list[Row]) -> list[str]:
    out = []
    for r in rows:
        no_baseline = getattr(importlib.import_module(f"bench.{r.module}"), "NO_BASELINE", None)
        for side_name, side in (("ours", r.ours), ("baseline", r.base)):
            if side.unavailable and not (side_name == "baseline" and no_baseline):
                out.append(f"{r.name} [{r.size_label}] {side_name}: not available: {side.unavailable}")
            if side.error:
                out.append(f"{r.name} [{r.size_label}] {side_name}: FAILED: {side.error}")
            if side.extra:
                out.append(
                    f"{r.name} [{r.size_label}] {side_name}: "
                    + ", ".join(f"{k} {_ms(v) if isinstance(v, float) else v}" for k, v in side.extra.items())
                )
        if r.check_error:
            out.append(f"{r.name} [{r.size_label}]: CHECK FAILED: {r.check_error}")
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--smoke", action="store_true", help="tiny sizes, one repeat: checks the suite works")
    ap.add_argument("--only", default="", help=f"comma-separated subset of {', '.join(MODULES)}")
    ap.add_argument("--out", default=str(ROOT / "bench" / "out"), help="output folder (default bench/out)")
    args = ap.parse_args(argv)
    mode = "smoke" if args.smoke else "full"
    chosen = [m.strip() for m in args.only.split(",") if m.strip()] or list(MODULES)
    unknown = [m for m in chosen if m not in MODULES]
    if unknown:
        ap.error(f"unknown benchmark(s) {', '.join(unknown)}; choose from {', '.join(MODULES)}")
    out = Path(args.out)
    data_root = out / "data"
    shutil.rmtree(data_root, ignore_errors=True)
    data_root.mkdir(parents=True)
    started = time.perf_counter()

    def log(msg: str) -> None:
        print(f"[bench {time.perf_counter() - started:6.1f}s] {msg}", flush=True)

    timeout = 90.0 if args.smoke else 400.0
    rows: list[Row] = []
    module_seconds: dict[str, float] = {}
    for name in chosen:
        t0 = time.perf_counter()
        rows.extend(run_module(name, mode, data_root, timeout, log))
        module_seconds[name] = time.perf_counter() - t0
    elapsed = time.perf_counter() - started
    shutil.rmtree(data_root, ignore_errors=True)

    lines = table(rows, mode)
    growth = growth_notes(rows)
    notes = notes_for(rows)
    print()
    print("\n".join(lines))
    print()
    for g in growth + notes:
        print("- " + g)
    if mode == "full":
        judged = [r for r in rows if r.met is not None]
        missed = [r for r in judged if not r.met]
        print(f"\ntargets: {len(judged) - len(missed)} met, {len(missed)} missed, {len(rows) - len(judged)} not judged")
    timing = budget_lines(mode, elapsed, module_seconds)
    print("\n" + "\n".join(timing))
    write_markdown(out / "results.md", rows, lines, growth, notes + timing, mode, elapsed, chosen)
    failed = [r for r in rows if r.ours.error or r.base.error]
    if failed:
        return 1
    return OVER_BUDGET if elapsed > BUDGET_SECONDS[mode] else 0


def budget_lines(mode: str, elapsed: float, module_seconds: dict[str, float]) -> list[str]:
    """How long the suite and each benchmark took, against the suite's budget for this mode."""
    budget = BUDGET_SECONDS[mode]
    parts = ", ".join(f"{name} {seconds:.0f} s" for name, seconds in module_seconds.items())
    verdict = "within" if elapsed <= budget else "OVER BUDGET: more than"
    return [f"suite took {elapsed:.0f} s, {verdict} the {budget:.0f} s budget of a {mode} run ({parts})"]


def write_markdown(path: Path, rows, lines, growth, notes, mode, elapsed, chosen) -> None:
    doc = [
        f"# Benchmark results ({mode} run)",
        "",
        f"Run on {dt.datetime.now().strftime('%Y-%m-%d %H:%M')} on {machine()}.",
        f"Command: `python3 dev.py bench{' --smoke' if mode == 'smoke' else ''}`; the suite took "
        f"{elapsed:.0f} s. Times are medians of repeated runs; ratio = ours / baseline measured in the same "
        "run on the same data; peak memory is the peak RSS of the process running that side.",
        "",
        *lines,
        "",
        "## Growth with size",
        "",
    ]
    doc += [f"- {g}" for g in growth] or ["- (only one size run)"]
    if notes:
        doc += ["", "## Notes", "", *[f"- {n}" for n in notes]]
    doc += ["", "## What is measured", ""]
    for name in chosen:
        mod = importlib.import_module(f"bench.{name}")
        doc.append(f"- **{mod.NAME}**: " + " ".join((mod.__doc__ or "").split()))
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(doc) + "\n", encoding="utf-8")


if __name__ == "__main__":
    raise SystemExit(main())
