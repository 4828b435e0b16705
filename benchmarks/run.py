"""Measure `steer check` against the floor: a process that only parses the same file.

    python benchmarks/run.py [N ...]        (default: 100 1000 10000)

For each N, a synthetic manifest is generated (benchmarks/generate.py) and two
processes are timed, each run REPEAT times (best wall time and its peak RSS):

- check: `steer check FILE --format json --output OUT`, the whole command as a user
  runs it (start-up, imports, loading, schema, references, lineage, every guardrail
  of the cn pack, the JSON report);
- floor: `python -c` loading the file with PyYAML's LibYAML loader, the garbage
  collector paused, as a tuned loader does.

Printed: time and peak memory of each, the ratios (targets at N = 10,000: time at
most 2x the floor, memory at most 1.5x), and how time scales from one N to the next
(target: 10x the input costs at most 11x the time). Then the everyday commands:
`steer --help` and the pre-commit check of the shipped example.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent

REPEAT = int(os.environ.get("STEER_BENCH_REPEAT", "3"))
FLOOR = (
    "import gc, sys, yaml; gc.disable(); "
    "yaml.load(open(sys.argv[1], encoding='utf-8'), Loader=yaml.CSafeLoader)"
)


def generate(n: int, out: Path) -> Path:
    """Write the synthetic manifest in a child process: a child forked from a large
    parent starts with the parent's peak memory (Linux keeps the high-water mark across
    fork and exec), so this process stays small for the figures to be the commands' own."""
    argv = [sys.executable, str(HERE / "generate.py"), str(n), str(out)]
    subprocess.run(argv, check=True, stdout=subprocess.DEVNULL)
    return out


def measure(argv: list[str]) -> tuple[float, float]:
    """Best wall time (s) over REPEAT runs, and the peak RSS (MB) of that run."""
    best: tuple[float, float] | None = None
    for _ in range(REPEAT):
        start = time.perf_counter()
        proc = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        _pid, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - start
        code = os.waitstatus_to_exitcode(status)
        if code not in (0, 1):
            err = proc.stderr.read().decode() if proc.stderr else ""
            raise SystemExit(f"{' '.join(argv)} exited {code}: {err}")
        peak = usage.ru_maxrss / 1024  # KiB on Linux
        if best is None or wall < best[0]:
            best = (wall, peak)
    assert best is not None
    return best


def steer_argv() -> list[str]:
    exe = Path(sys.executable).with_name("steer")
    return [str(exe)] if exe.exists() else [sys.executable, "-m", "steer"]


def main(args: list[str]) -> int:
    sizes = [int(a) for a in args] or [100, 1000, 10000]
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for n in sizes:
            manifest = generate(n, Path(tmp) / f"synthetic-{n}.yaml")
            size = manifest.stat().st_size / 1e6
            out = Path(tmp) / f"report-{n}.json"
            check = measure(
                [
                    *steer_argv(),
                    "check",
                    str(manifest),
                    "--format",
                    "json",
                    "--as-of",
                    "2026-11-26",
                    "--output",
                    str(out),
                ]
            )
            floor = measure([sys.executable, "-c", FLOOR, str(manifest)])
            rows.append((n, size, check, floor))
    print(
        f"steer benchmark: best of {REPEAT} runs, {os.cpu_count()} CPUs, "
        f"Python {sys.version.split()[0]}"
    )
    print(
        f"{'N':>7} {'YAML MB':>8} {'check s':>8} {'floor s':>8} {'time x':>7} "
        f"{'check MB':>9} {'floor MB':>9} {'mem x':>6} {'scaling':>8}"
    )
    previous = None
    for n, size, (ct, cm), (ft, fm) in rows:
        scaling = f"{ct / previous[1]:.1f}x/{n / previous[0]:.0f}x" if previous else "-"
        print(
            f"{n:>7} {size:>8.1f} {ct:>8.2f} {ft:>8.2f} {ct / ft:>7.2f} "
            f"{cm:>9.0f} {fm:>9.0f} {cm / fm:>6.2f} {scaling:>8}"
        )
        previous = (n, ct)
    # What a developer waits for many times a day: start-up, and the pre-commit check
    # of the example (the speed of --help is measured here, not in a timed unit test).
    example = HERE.parent / "examples" / "china-platform.yaml"
    everyday = [
        ("steer --help", [*steer_argv(), "--help"]),
        (
            "steer check examples/china-platform.yaml",
            [*steer_argv(), "check", str(example), "--as-of", "2026-11-26"],
        ),
    ]
    print(f"\neveryday commands (best of {REPEAT}):")
    for label, argv in everyday:
        wall, peak = measure(argv)
        print(f"  {label:<42} {wall:>6.2f} s {peak:>6.0f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
