"""The bundled experiment (scenarios/experiment.yaml) explored with the EMA
Workbench, in process: a sampled design over the file's uncertainties,
scenarios and four policies; PRIM on the futures where a policy misses a
threshold; feature scores; and a short MORDM search (platypus-opt) over
the policy and the number of mentoring pairs.

    pip install "./python[ema]"
    python python/examples/ema_bundled.py                 # small, as CI runs it
    python python/examples/ema_bundled.py --scenarios 200 --scale 1 --nfe 2000 --population 100

--scale N simulates one agent per N persons (the world's own scale is 1):
faster, coarser. CI runs it with the defaults below (16 scenarios × 4
policies at scale 50, and a search of 24 evaluations), to stay short.
"""

import argparse
import logging
import time
from pathlib import Path

import numpy as np
from ema_workbench import Scenario
from ema_workbench.analysis import feature_scoring, prim

from foresight.ema import ForesightModel, optimize, perform_experiments

HERE = Path(__file__).resolve().parent
FILE = HERE.parents[1] / "scenarios" / "experiment.yaml"


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--scenarios", type=int, default=16)
    p.add_argument("--scale", type=int, default=50)
    p.add_argument("--nfe", type=int, default=24)
    p.add_argument("--population", type=int, default=8)
    p.add_argument("--threads", type=int, default=None)
    a = p.parse_args()
    logging.disable(logging.WARNING)

    model = ForesightModel(
        "policyrobustness",
        FILE,
        overrides={"scale": a.scale},
        levers={"policy.mentoring.pairs_per_year": (0, 1000)},
        threads=a.threads,
    )
    print("uncertainties:", [u.name for u in model.uncertainties])
    print("levers:", [lv.name for lv in model.levers])

    # 1. A sampled design: every Workbench scenario meets every policy; the
    # engine runs the whole design as one parallel batch.
    start = time.monotonic()
    experiments, outcomes = perform_experiments(model, scenarios=a.scenarios, policies=4)
    print(f"{len(experiments)} experiments in {time.monotonic() - start:.1f} s")

    # 2. PRIM: where does employment of refugees here 3+ years stay below 20%?
    uncertainties = [u.name for u in model.uncertainties]
    x = experiments[uncertainties]
    y = outcomes["employment_rate_3y_plus_final"] < 0.2
    print(f"futures below 20% employment after 3 years: {y.sum()} of {len(y)}")
    if 0 < y.sum() < len(y):
        box = prim.Prim(x, y, threshold=0.8).find_box()
        i = box._cur_box
        print(f"PRIM box: coverage {box.coverage:.2f}, density {box.density:.2f}")
        print(box.box_lims[i].T.to_string())

    # 3. Feature scores of every uncertainty for every outcome.
    # Trees reject undefined values: only outcomes defined in every experiment.
    defined = {k: v for k, v in outcomes.items() if np.isfinite(v).all()}
    scores = feature_scoring.get_feature_scores_all(x, defined)
    print(scores[["employment_rate_3y_plus_final", "language_wait_worst_region_weeks"]].round(3))
    assert np.isfinite(outcomes["employment_rate_3y_plus_final"]).all()

    # 4. MORDM: search the policy and mentoring pairs in one reference future.
    search = ForesightModel(
        "mentoring",
        FILE,
        overrides={"scale": a.scale},
        levers={"policy.mentoring.pairs_per_year": (0, 1000)},
        outcomes=["employment_rate_3y_plus_final", "language_wait_worst_region_weeks"],
        threads=a.threads,
    )
    reference = Scenario(
        "reference",
        arrivals_multiplier=1.0,
        housing_supply_multiplier=1.0,
        origin_b_recognition=0.35,
        scenario_name="surge",
    )
    front = optimize(
        search, nfe=a.nfe, epsilons=[0.01, 0.5], reference=reference, population_size=a.population
    )
    print("non-dominated policies found:")
    print(front.to_string(index=False))
    assert len(front) >= 1


if __name__ == "__main__":
    main()
