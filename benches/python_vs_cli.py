"""Speed check of the Python package (docs/python.md, issue 22): the
bundled experiment run in process through Python costs what the command
line's run of it costs (the Python layer adds nothing per person-week).

    python benches/python_vs_cli.py [--foresight target/release/foresight] [--rounds 2] [--reps 1]

Run with a Python in which the package is installed (`pip install
./python`) and a release build of the command line (`cargo build
--release`). Each timing is a fresh process, as a user runs it: `foresight
run scenarios/experiment.yaml -n REPS --out TMP` against `python -c
"foresight.run('scenarios/experiment.yaml', replications=REPS)"`, both on
all cores. The command line also writes its files; Python returns the same
tables in memory. The runs are interleaved ABBA (CLI, Python, Python, CLI
per round), which cancels a steady drift of a shared machine's speed; the
ratio is that of the summed times.
"""

import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
FILE = ROOT / "scenarios" / "experiment.yaml"


def timed(cmd):
    start = time.perf_counter()
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, cwd=ROOT)
    return time.perf_counter() - start


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--foresight", default=str(ROOT / "target" / "release" / "foresight"))
    p.add_argument("--rounds", type=int, default=2)
    p.add_argument("--reps", type=int, default=1)
    a = p.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        cli = [a.foresight, "run", str(FILE), "-n", str(a.reps), "--out", f"{tmp}/out", "--force"]
        py = [sys.executable, "-c",
              f"import foresight; foresight.run({str(FILE)!r}, replications={a.reps})"]
        times = {"cli": [], "python": []}
        for r in range(a.rounds):
            order = ["cli", "python", "python", "cli"] if r % 2 == 0 else ["python", "cli", "cli", "python"]
            for which in order:
                times[which].append(timed(cli if which == "cli" else py))
                print(f"{which:7} {times[which][-1]:7.2f} s", flush=True)
    c, y = sum(times["cli"]), sum(times["python"])
    print(f"command line {c / len(times['cli']):.2f} s, Python {y / len(times['python']):.2f} s a run; "
          f"Python / command line = {y / c:.3f}")


if __name__ == "__main__":
    main()
