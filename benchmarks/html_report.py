"""Measure the HTML report, and regenerate the README's screenshots of it.

    python benchmarks/html_report.py [N ...] [--screenshots DIR]     (default N: 1000)

For the shipped example and for benchmarks/generate.py's manifest of each N, two
processes are timed, each run REPEAT times (best wall time): ``steer check FILE
--format json --output OUT`` and the same with ``--format html``. Printed: both
times, what html adds (importing networkx and numpy, describing the deployment,
laying out and writing the page) and the page's size. The example's what-if page
(every scenario of examples/scenarios) is measured the same way.

With ``--screenshots DIR`` the example's pages, as the command line writes them,
are opened in headless Chromium (Debian's, driven by Playwright) 1280 pixels wide,
and DIR gets check.png (the top of the check page), check-topology.png,
check-dataflow.png, check-timeline.png and whatif.png (the what-if page at its
scenarios, side by side with the baseline).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
EXAMPLE = "examples/china-platform.yaml"
SCENARIOS = [
    p.relative_to(ROOT).as_posix() for p in sorted((ROOT / "examples/scenarios").glob("*.yaml"))
]
AS_OF = "2026-11-26"
REPEAT = int(os.environ.get("STEER_BENCH_REPEAT", "3"))
SHOTS = (
    ("check", "check.png", None),
    ("check", "check-topology.png", "#topology-svg"),
    ("check", "check-dataflow.png", "#dataflow"),
    ("check", "check-timeline.png", "#timeline"),
    ("whatif", "whatif.png", "top:#scenarios"),
)
"""(page, file, what): None is the top of the page; a selector, that element alone;
``top:SELECTOR``, the window scrolled to that element."""


def steer_argv() -> list[str]:
    exe = Path(sys.executable).with_name("steer")
    return [str(exe)] if exe.exists() else [sys.executable, "-m", "steer"]


def best(argv: list[str]) -> float:
    """Best wall time (s) over REPEAT runs of a command that exits 0 or 1."""
    times = []
    for _ in range(REPEAT):
        start = time.perf_counter()
        done = subprocess.run(argv, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        times.append(time.perf_counter() - start)
        if done.returncode not in (0, 1):
            raise SystemExit(f"{' '.join(argv)} exited {done.returncode}: {done.stderr.decode()}")
    return min(times)


def compare(label: str, args: list[str], out: Path) -> None:
    """Time ``steer ARGS`` as json and as html; print both, the difference and the size."""
    json_s = best([*steer_argv(), *args, "--format", "json", "--output", str(out)])
    html_s = best([*steer_argv(), *args, "--format", "html", "--output", str(out)])
    size = out.stat().st_size
    print(
        f"{label:28} json {json_s:5.2f} s   html {html_s:5.2f} s   "
        f"+{html_s - json_s:4.2f} s   page {size / 1e3:8,.0f} kB"
    )


def generate(n: int, folder: Path) -> str:
    out = folder / f"synthetic-{n}.yaml"
    argv = [sys.executable, str(HERE / "generate.py"), str(n), str(out)]
    subprocess.run(argv, check=True, stdout=subprocess.DEVNULL)
    return str(out)


def screenshots(folder: Path, work: Path) -> None:
    """The README's screenshots, from the pages the command line writes."""
    from playwright.sync_api import sync_playwright

    pages = {
        "check": ["check", EXAMPLE, "--as-of", AS_OF],
        "whatif": ["whatif", EXAMPLE, *SCENARIOS, "--as-of", AS_OF],
    }
    for name, args in pages.items():
        argv = [*steer_argv(), *args, "--format", "html", "--output", str(work / f"{name}.html")]
        subprocess.run(argv, cwd=ROOT, check=False, stdout=subprocess.DEVNULL)
    folder.mkdir(parents=True, exist_ok=True)
    executable = shutil.which("chromium") or shutil.which("chromium-browser")
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=executable, args=["--no-sandbox"])
        view = browser.new_page(viewport={"width": 1280, "height": 1000})
        for name, target, selector in SHOTS:
            view.goto((work / f"{name}.html").as_uri())
            path = folder / target
            if selector is None:
                view.screenshot(path=str(path))
            elif selector.startswith("top:"):
                view.locator(selector[4:]).evaluate("e => e.scrollIntoView()")
                view.screenshot(path=str(path))
            else:
                view.locator(selector).screenshot(path=str(path))
            print(f"{path}: {path.stat().st_size / 1e3:,.0f} kB")
        browser.close()


def main(argv: list[str]) -> int:
    shots: list[str] = []
    if "--screenshots" in argv:
        at = argv.index("--screenshots")
        shots = argv[at + 1 : at + 2]
        argv = argv[:at] + argv[at + 2 :]
    sizes = [int(a) for a in argv if a.isdigit()] or [1000]
    print(f"steer --format html: best of {REPEAT} runs, {os.cpu_count()} CPUs")
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        out = work / "report"
        compare("example, check", ["check", EXAMPLE, "--as-of", AS_OF], out)
        compare(
            "example, whatif (6 scenarios)", ["whatif", EXAMPLE, *SCENARIOS, "--as-of", AS_OF], out
        )
        for n in sizes:
            compare(f"N = {n:,}, check", ["check", generate(n, work), "--as-of", AS_OF], out)
        if shots:
            screenshots(Path(shots[0]).resolve(), work)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
