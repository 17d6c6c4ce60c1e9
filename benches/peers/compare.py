"""Side-by-side run of foresight and its Mesa peer on one scenario and horizon:
person-weeks per second on one core for each, their ratio, and whether the
two agree on the headline indicators within replication noise.

Called by compare.sh (which makes the virtual environment and the release
build); run it directly with the venv's python if both exist:

    python compare.py --scenario S.yaml --reps 5 --rust-reps 5 --seed 1 \
        --foresight target/release/foresight --work DIR

Speed is reported two ways. CPU: foresight's whole process (start-up, YAML,
every output file, with --threads 1) from the OS's accounting of the child,
against the CPU time of the Mesa replications in this process (model build,
steps, headline); CPU time is what one core spends, and is not inflated by
other jobs on a shared machine. Wall: foresight's own figure (the simulation
and its series output; `wall_seconds` in its manifest.json) against the Mesa
loop's wall time.

Agreement: for each headline indicator, an equivalence test (TOST: two
one-sided Welch t-tests) of the two sets of replications against a stated
margin: the means agree if the difference is shown to lie within
+-MARGIN_SHARE of foresight's mean (at least FLOOR for an indicator whose
means are shares near zero), each one-sided test at 5%. A difference
that Welch's two-sided test rejects (5%, Bonferroni over the indicators)
and that lies outside the margin is a disagreement; anything else is
inconclusive: too few replications to tell. Failing to reject a difference
is not agreement.
"""

from __future__ import annotations

import argparse
import csv
import json
import math
import os
import platform
import resource
import statistics
import subprocess
import sys
import time

from scipy import stats

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import mesa  # noqa: E402
import mesa_model  # noqa: E402

# The indicators the issue names as headline agreement checks.
KEY = (
    "arrivals_total",
    "asylum_backlog_final",
    "homeless_share_of_refugees_final",
    "language_wait_mean_weeks",
    "employment_rate_final",
    "employment_rate_3y_plus_final",
    "mean_language_final",
    "cumulative_discounted_balance",
)


# Equivalence margin: 5% of foresight's mean, as for the scale equivalence
# tests of issue 15; for shares (both means in [0, 1]) at least half a
# percentage point, so that a share near zero is not held to a margin
# smaller than a handful of persons.
MARGIN_SHARE = 0.05
FLOOR = 0.005
ALPHA = 0.05


def margin(ma, mb):
    m = MARGIN_SHARE * abs(ma)
    if 0.0 <= ma <= 1.0 and 0.0 <= mb <= 1.0:
        m = max(m, FLOOR)
    return m


def tost(a, b, delta):
    """p-value of the TOST for |mean(b) - mean(a)| < delta (Welch): the
    larger of the two one-sided p-values."""
    na, nb = len(a), len(b)
    ma, mb = statistics.fmean(a), statistics.fmean(b)
    va, vb = statistics.variance(a), statistics.variance(b)
    d = mb - ma
    se = math.sqrt(va / na + vb / nb)
    if se == 0:
        return 0.0 if abs(d) < delta else 1.0
    df = (va / na + vb / nb) ** 2 / (
        (va / na) ** 2 / (na - 1) + (vb / nb) ** 2 / (nb - 1)
    )
    p_low = stats.t.sf((d + delta) / se, df)  # H0: d <= -delta
    p_high = stats.t.cdf((d - delta) / se, df)  # H0: d >= +delta
    return max(float(p_low), float(p_high))


def read_headline(path):
    with open(path, newline="") as f:
        rows = list(csv.DictReader(f))
    return {
        name: [float(r[name]) for r in rows if r.get(name) not in (None, "", "NaN", "nan")]
        for name in mesa_model.HEADLINES
    }


def run_foresight(binary, scenario, reps, seed, out):
    cmd = [binary, "run", scenario, "-n", str(reps), "--seed", str(seed),
           "--out", out, "--force", "--threads", "1"]
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    proc = subprocess.run(cmd, capture_output=True, text=True)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if proc.returncode != 0:
        sys.exit(f"foresight failed ({proc.returncode}):\n{proc.stderr}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    # The run's person-weeks and wall time, exactly, from its manifest (the
    # speed line printed at the end rounds them for reading).
    with open(os.path.join(out, "manifest.json")) as f:
        manifest = json.load(f)
    return {
        "command": " ".join(cmd),
        "person_weeks": float(manifest["person_weeks"]),
        "wall": float(manifest["wall_seconds"]),
        "cpu": cpu,
        "headline": read_headline(os.path.join(out, "headline.csv")),
    }


def run_mesa(scenario_path, reps, seed, out):
    scenario = mesa_model.load_scenario(scenario_path)
    rows, person_weeks, cpu, wall = [], 0.0, 0.0, 0.0
    for rep in range(reps):
        rep_seed = seed * 1_000_003 + rep
        c0, w0 = time.process_time(), time.perf_counter()
        model = mesa_model.run_replication(scenario, rep_seed)
        head = model.headline()
        c, w = time.process_time() - c0, time.perf_counter() - w0
        cpu += c
        wall += w
        pw = model.agent_weeks * model.scale
        person_weeks += pw
        rows.append({"replication": rep, "seed": rep_seed, **head})
        print(f"  mesa replication {rep + 1}/{reps}: {pw:.3e} person-weeks, "
              f"{c:.1f} s CPU, {w:.1f} s wall", file=sys.stderr, flush=True)
    path = os.path.join(out, "mesa_headline.csv")
    with open(path, "w", newline="") as f:
        wr = csv.DictWriter(f, fieldnames=["replication", "seed", *mesa_model.HEADLINES])
        wr.writeheader()
        for row in rows:
            wr.writerow({k: ("" if isinstance(v, float) and math.isnan(v) else v)
                         for k, v in row.items()})
    return {"person_weeks": person_weeks, "cpu": cpu, "wall": wall, "headline": read_headline(path)}


def mean_sd(xs):
    if not xs:
        return math.nan, math.nan
    return statistics.fmean(xs), (statistics.stdev(xs) if len(xs) > 1 else math.nan)


def fmt(x):
    if isinstance(x, float) and math.isnan(x):
        return "-"
    a = abs(x)
    if a != 0 and (a >= 1e5 or a < 1e-3):
        return f"{x:.4g}"
    return f"{x:.4f}" if a < 10 else f"{x:.1f}"


def main():
    ap = argparse.ArgumentParser(description="foresight vs Mesa: speed and agreement")
    ap.add_argument("--scenario", required=True)
    ap.add_argument("--reps", type=int, default=5, help="Mesa replications")
    ap.add_argument("--rust-reps", type=int, default=None, help="foresight replications (default: --reps)")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--foresight", default="target/release/foresight")
    ap.add_argument("--work", required=True, help="folder for both sides' outputs")
    args = ap.parse_args()
    rust_reps = args.rust_reps or args.reps
    os.makedirs(args.work, exist_ok=True)
    horizon = mesa_model.load_scenario(args.scenario)["horizon_weeks"]

    print(f"foresight: {rust_reps} replications of {horizon} weeks, one thread ...",
          file=sys.stderr, flush=True)
    rs = run_foresight(args.foresight, args.scenario, rust_reps, args.seed,
                       os.path.join(args.work, "foresight"))
    print(f"mesa {mesa.__version__}: {args.reps} replications of {horizon} weeks ...",
          file=sys.stderr, flush=True)
    py = run_mesa(args.scenario, args.reps, args.seed, args.work)

    print(f"\nscenario {args.scenario}, horizon {horizon} weeks, seed {args.seed}; "
          f"{platform.processor() or platform.machine()}, Python {platform.python_version()}, "
          f"Mesa {mesa.__version__}")
    print(f"\n{'':28s}{'replications':>13s}{'person-weeks':>14s}{'CPU s':>9s}{'wall s':>9s}"
          f"{'pw/s (CPU)':>13s}{'ns/pw (CPU)':>13s}{'pw/s (wall)':>13s}")
    for name, r, n in (("foresight (1 thread)", rs, rust_reps), ("mesa", py, args.reps)):
        print(f"{name:28s}{n:>13d}{r['person_weeks']:>14.4g}{r['cpu']:>9.2f}{r['wall']:>9.2f}"
              f"{r['person_weeks'] / r['cpu']:>13.4g}{r['cpu'] * 1e9 / r['person_weeks']:>13.1f}"
              f"{r['person_weeks'] / r['wall']:>13.4g}")
    ratio_cpu = (rs["person_weeks"] / rs["cpu"]) / (py["person_weeks"] / py["cpu"])
    ratio_wall = (rs["person_weeks"] / rs["wall"]) / (py["person_weeks"] / py["wall"])
    print(f"\nratio foresight / mesa, person-weeks per second on one core: "
          f"{ratio_cpu:.0f}x (CPU time), {ratio_wall:.0f}x (wall time)")
    print(f"goal: at least 100x -> {'met' if ratio_cpu >= 100 else 'NOT met'} (CPU time)")

    names = [n for n in mesa_model.HEADLINES
             if len(rs["headline"][n]) > 1 and len(py["headline"][n]) > 1]
    alpha_diff = ALPHA / len(names)
    print(f"\nagreement: TOST per indicator (margin {MARGIN_SHARE:.0%} of foresight's mean, "
          f"at least {FLOOR} for shares; each one-sided test at {ALPHA}); "
          f"different: Welch p < {alpha_diff:.4f} (Bonferroni over {len(names)}) and outside "
          f"the margin; * = named in the issue")
    print(f"{'indicator':36s}{'foresight mean ± sd':>26s}{'mesa mean ± sd':>26s}"
          f"{'diff %':>9s}{'margin':>11s}{'p TOST':>9s}{'p Welch':>9s}  verdict")
    verdicts = {}
    for n in names:
        a, b = rs["headline"][n], py["headline"][n]
        (ma, sa), (mb, sb) = mean_sd(a), mean_sd(b)
        delta = margin(ma, mb)
        p_eq = tost(a, b, delta)
        if sa == 0 and sb == 0:
            p_diff = 1.0 if ma == mb else 0.0
        else:
            p_diff = float(stats.ttest_ind(a, b, equal_var=False).pvalue)
        if p_eq < ALPHA:
            v = "agree"
        elif p_diff < alpha_diff and abs(mb - ma) >= delta:
            v = "DIFFER"
        else:
            v = "inconclusive"
        verdicts[n] = v
        diff = (mb - ma) / abs(ma) * 100 if ma else math.nan
        mark = "*" if n in KEY else " "
        print(f"{mark}{n:35s}{fmt(ma) + ' ± ' + fmt(sa):>26s}{fmt(mb) + ' ± ' + fmt(sb):>26s}"
              f"{diff:>+9.2f}{fmt(delta):>11s}{p_eq:>9.3g}{p_diff:>9.3g}  {v}")
    skipped = [n for n in mesa_model.HEADLINES if n not in names]
    if skipped:
        print(f"not compared (fewer than two defined values on a side): {', '.join(skipped)}")
    count = {v: sum(1 for x in verdicts.values() if x == v) for v in ("agree", "inconclusive", "DIFFER")}
    key = [n for n in names if n in KEY]
    key_agree = [n for n in key if verdicts[n] == "agree"]
    key_differ = [n for n in key if verdicts[n] == "DIFFER"]
    print(f"\n{count['agree']}/{len(names)} indicators shown equivalent within the margin, "
          f"{count['inconclusive']} inconclusive, {count['DIFFER']} different; "
          f"named in the issue: {len(key_agree)}/{len(key)} equivalent, {len(key_differ)} different")
    print(f"outputs: {args.work}")
    return 1 if key_differ else 0


if __name__ == "__main__":
    sys.exit(main())
