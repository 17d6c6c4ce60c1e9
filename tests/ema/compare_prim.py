"""Run the EMA Workbench's PRIM on an experiment's output folder, as a user
would, and print its boxes as JSON, for tests/ema_workbench.rs to compare
with `foresight discover`.

    python compare_prim.py DIR POLICY:CONDITION... [--threshold 0.8] [--boxes 3]

Each job is a policy and a condition, separated by the first colon.

CONDITION is `indicator<value` (also <=, >, >=): the futures of interest are
those where it holds (an undefined value does not hold, as in pandas); with
the prefix `misses:` they are those where it does not hold (an undefined
value misses, as a threshold does in foresight).

The scenario column is renamed (the Workbench drops a column called
`scenario`, its own experiment identifier) and cast to a category; the
policy, sample, replication and seed columns are left out.
"""

import argparse
import json
import logging
import math
import re

import numpy as np
import pandas as pd
from ema_workbench.analysis import prim

OPS = {
    "<=": np.less_equal,
    ">=": np.greater_equal,
    "<": np.less,
    ">": np.greater,
}


def cases(outcomes, condition):
    misses = condition.startswith("misses:")
    if misses:
        condition = condition[len("misses:"):]
    m = re.match(r"^\s*([^<>=\s]+)\s*(<=|>=|<|>)\s*(\S+)\s*$", condition)
    if not m:
        raise SystemExit(f"cannot read condition {condition!r}")
    name, op, value = m.group(1), m.group(2), float(m.group(3))
    v = outcomes[name].to_numpy(dtype=float)
    holds = OPS[op](v, value)  # NaN compares False
    return (~holds if misses else holds).astype(int)


def number(v):
    v = float(v)
    return None if math.isnan(v) else v


def main():
    p = argparse.ArgumentParser()
    p.add_argument("dir")
    p.add_argument("jobs", nargs="+")
    p.add_argument("--threshold", type=float, default=0.8)
    p.add_argument("--peel-alpha", type=float, default=0.05)
    p.add_argument("--paste-alpha", type=float, default=0.05)
    p.add_argument("--mass-min", type=float, default=0.05)
    p.add_argument("--boxes", type=int, default=3)
    a = p.parse_args()
    logging.disable(logging.CRITICAL)

    x = pd.read_parquet(f"{a.dir}/experiments.parquet")
    y = pd.read_parquet(f"{a.dir}/outcomes.parquet")
    out = []
    for job in a.jobs:
        policy, condition = job.split(":", 1)
        result = search(x, y, policy, condition, a)
        result.update(policy=policy, condition=condition)
        out.append(result)
    print(json.dumps(out, indent=1))


def search(x, y, policy, condition, a):
    mine = (x.policy == policy).to_numpy()
    inputs = x.loc[mine].drop(columns=["policy", "sample", "replication", "seed"])
    inputs = inputs.rename(columns={"scenario": "future"})
    inputs["future"] = inputs["future"].astype("category")
    inputs = inputs.reset_index(drop=True)
    y_of_interest = cases(y.loc[mine].reset_index(drop=True), condition)

    kwargs = dict(
        peel_alpha=a.peel_alpha, paste_alpha=a.paste_alpha, mass_min=a.mass_min
    )
    try:
        alg = prim.Prim(inputs, y_of_interest, threshold=a.threshold, **kwargs)
    except TypeError:  # 3.0 has no threshold: the box is the last one
        alg = prim.Prim(inputs, y_of_interest, **kwargs)

    boxes = []
    for _ in range(a.boxes):
        if boxes:
            # foresight stops once no case of interest remains
            alg._update_yi_remaining(alg)
            if y_of_interest[alg.yi_remaining].sum() == 0:
                break
        box = alg.find_box()
        if box is None:
            break
        found = bool(box.mean >= a.threshold)
        i = box._cur_box
        lims = box.box_lims[i]
        res = prim.sdutil._determine_restricted_dims(lims, alg.box_init)
        qp = box.qp[i] if hasattr(box, "qp") else box.p_values[i]
        limits = {}
        for dim in res:
            name = "scenario" if dim == "future" else dim
            lower, upper = lims.loc[0, dim], lims.loc[1, dim]
            q = [number(v) if v != -1 else None for v in qp[dim]]
            if isinstance(lower, set):
                limits[name] = {"levels": sorted(str(v) for v in lower), "qp": q}
            else:
                limits[name] = {"lower": float(lower), "upper": float(upper), "qp": q}
        boxes.append(
            {
                "found": found,
                "coverage": float(box.coverage),
                "density": float(box.density),
                "mass": float(box.mass),
                "limits": limits if found else {},
            }
        )
        if not found:
            break
    return {
        "cases": int(len(y_of_interest)),
        "of_interest": int(y_of_interest.sum()),
        "boxes": boxes,
    }

if __name__ == "__main__":
    main()
