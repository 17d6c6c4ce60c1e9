"""The EMA Workbench connector: a scenario or experiment file as a Workbench
model, run in process on all cores by the engine's own parallel runner.

    from ema_workbench.analysis import prim
    from foresight.ema import ForesightModel, perform_experiments

    model = ForesightModel("policyrobustness", "scenarios/experiment.yaml")
    experiments, outcomes = perform_experiments(model, scenarios=200, policies=4)

What the model exposes:

- **uncertainties**: each uncertainty of the file, by its name (a uniform
  one as a ``RealParameter`` over its range; triangular, normal and
  log-normal ones with their distribution, ``RealParameter.from_dist``;
  a discrete one as a ``CategoricalParameter`` of its values, equally
  likely), and, when the file has several scenarios, ``scenario_name``
  (a ``CategoricalParameter`` of them);
- **levers**: ``policy_name`` (a ``CategoricalParameter`` of the file's
  policies) when it has several, and any numeric lever given as
  ``levers={"policy.mentoring.pairs_per_year": (0, 1000)}`` (a field path
  and a range; whole-numbered bounds give an ``IntegerParameter``), set in
  every configuration after the policy's changes;
- **outcomes**: the headline indicators (``foresight.headlines()``), or
  those named in ``outcomes``, as ``ScalarOutcome``, to be minimised or
  maximised as ``robustness.csv`` judges them (``INFO`` when not judged).

Seeds: a cell's random streams depend on the master seed (the file's, or
``seed``), the scenario's name, the sample and the replication, as in an
experiment run by ``foresight run``. The Workbench's scenario (one sample
of the uncertainties) is the engine's sample: a scenario whose name is a
whole number (as the Workbench names those it samples) is sample number
``name``; any other is numbered by first appearance in the call. Every
policy therefore meets the same random futures (common random numbers),
and a Workbench scenario named ``k`` with the values of the file's sample
``k`` gives exactly the outcomes ``foresight run`` writes for it.
With ``replications`` above 1, each outcome is the mean over the
replications.

Plain ``ema_workbench.perform_experiments(model, ...)`` also works, one
experiment at a time; pass ``evaluator=ForesightEvaluator(model)`` (or use
this module's :func:`perform_experiments` or :func:`optimize`) to run the
whole design in one parallel batch.
"""

from __future__ import annotations

import json
import math
import numbers
from typing import Any, Iterable, Mapping, Optional, Sequence, Union

import numpy as np
from ema_workbench import (
    CategoricalParameter,
    IntegerParameter,
    RealParameter,
    ScalarOutcome,
)
from ema_workbench.em_framework.evaluators import BaseEvaluator
from ema_workbench.em_framework.model import AbstractModel
from ema_workbench.em_framework.points import experiment_generator
from scipy import stats

from . import Experiment, Source, headlines, load

__all__ = ["ForesightModel", "ForesightEvaluator", "perform_experiments", "optimize"]

SCENARIO = "scenario_name"
POLICY = "policy_name"


def _parameter(u: Mapping[str, Any]):
    name, dist = u["name"], u["distribution"]
    (kind, p), = dist.items()
    if kind == "uniform":
        return RealParameter(name, p["low"], p["high"])
    if kind == "triangular":
        width = p["high"] - p["low"]
        c = (p["mode"] - p["low"]) / width
        return RealParameter.from_dist(name, stats.triang(c, loc=p["low"], scale=width))
    if kind == "normal":
        return RealParameter.from_dist(name, stats.norm(p["mean"], p["sd"]))
    if kind == "log_normal":
        return RealParameter.from_dist(name, stats.lognorm(p["sigma"], scale=math.exp(p["mu"])))
    if kind == "discrete":
        return CategoricalParameter(name, list(p["values"]))
    raise ValueError(f"uncertainty {name!r}: distribution {kind!r} is not known to the connector")


def _plain(v: Any) -> Any:
    """A Workbench value as a JSON-able Python value."""
    if isinstance(v, np.generic):
        v = v.item()
    if isinstance(v, numbers.Integral) and not isinstance(v, bool):
        return int(v)
    return v


class ForesightModel(AbstractModel):
    """A scenario or experiment file (or dict) as an EMA Workbench model.

    Parameters
    ----------
    name : the Workbench's name for the model (letters and digits only)
    source : a scenario or experiment file, or a dict (see
        :func:`foresight.load`)
    seed : the master seed (default: the file's)
    replications : replications per experiment; outcomes are their mean
    levers : numeric levers, field path → (lower, upper)
    outcomes : headline indicators to expose (default: all)
    overrides : field path → value, applied to every configuration
    threads : worker threads (default: all cores)
    """

    def __init__(
        self,
        name: str,
        source: Source,
        *,
        seed: Optional[int] = None,
        replications: int = 1,
        levers: Optional[Mapping[str, tuple[float, float]]] = None,
        outcomes: Optional[Sequence[str]] = None,
        overrides: Optional[Mapping[str, Any]] = None,
        threads: Optional[int] = None,
        base_dir=None,
    ):
        super().__init__(name)
        if replications < 1:
            raise ValueError("replications must be at least 1")
        self.experiment: Experiment = load(
            source, seed=seed, overrides=overrides, base_dir=base_dir
        )
        self.replications_per_experiment = replications
        self.threads = threads
        exp = self.experiment
        self._uncertainty_names = [u["name"] for u in exp.uncertainties]
        params = [_parameter(u) for u in exp.uncertainties]
        if len(exp.scenarios) > 1:
            params.append(CategoricalParameter(SCENARIO, exp.scenarios))
        self.uncertainties = params

        self._lever_paths = dict(levers or {})
        lever_params = []
        if len(exp.policies) > 1:
            lever_params.append(CategoricalParameter(POLICY, exp.policies))
        for path, (low, high) in self._lever_paths.items():
            if float(low).is_integer() and float(high).is_integer():
                lever_params.append(IntegerParameter(path, int(low), int(high)))
            else:
                lever_params.append(RealParameter(path, float(low), float(high)))
        self.levers = lever_params

        known = {h[0]: h[1] for h in headlines()}
        names = list(outcomes) if outcomes is not None else list(known)
        for n in names:
            if n not in known:
                raise ValueError(f"no headline indicator named {n!r}; they are {list(known)}")
        kind = {"lower": ScalarOutcome.MINIMIZE, "higher": ScalarOutcome.MAXIMIZE}
        self.outcomes = [ScalarOutcome(n, kind=kind.get(known[n], ScalarOutcome.INFO)) for n in names]
        self._columns = [list(known).index(n) for n in names]

    def run_batch(self, pairs: Sequence[tuple[Any, Any]]) -> list[dict[str, float]]:
        """Run (Workbench scenario, Workbench policy) pairs in one parallel
        batch; returns each pair's outcomes."""
        exp = self.experiment
        keys: dict[Any, int] = {}
        used = {s.name for s, _ in pairs if _is_index(s.name)}
        cells = []
        reps = self.replications_per_experiment
        for scenario, policy in pairs:
            key = _sample_key(scenario.name, keys, used)
            s = exp.scenarios.index(scenario[SCENARIO]) if SCENARIO in scenario else 0
            p = exp.policies.index(policy[POLICY]) if POLICY in policy else 0
            try:
                values = [float(_plain(scenario[n])) for n in self._uncertainty_names]
            except KeyError as e:
                raise ValueError(
                    f"scenario {scenario.name!r} has no value for uncertainty {e}; "
                    "give every uncertainty a value (optimize over levers: reference=Scenario(...))"
                ) from None
            sets = []
            for path in self._lever_paths:
                if path not in policy:
                    raise ValueError(f"policy {policy.name!r} has no value for lever {path!r}")
                sets.append((path, json.dumps(_plain(policy[path]))))
            for r in range(reps):
                cells.append((s, p, values, sets, key, r))
        _, table = exp._inner.run_cells(cells, self.threads)
        table = table[:, self._columns].reshape(len(pairs), reps, len(self._columns))
        means = table.mean(axis=1) if reps > 1 else table[:, 0, :]
        names = [o.name for o in self.outcomes]
        return [dict(zip(names, map(float, row))) for row in means]

    def run_model(self, scenario, policy):
        """One experiment (the Workbench's sequential path)."""
        super().run_model(scenario, policy)
        (out,) = self.run_batch([(scenario, policy)])
        self.outcomes_output = out


def _is_index(name: Any) -> bool:
    return isinstance(name, numbers.Integral) and not isinstance(name, bool) and name >= 0


def _sample_key(name: Any, keys: dict[Any, int], used: set) -> int:
    if _is_index(name):
        return int(name)
    if name not in keys:
        k = len(keys)
        while k in used:
            k += 1
        keys[name] = k
        used.add(k)
    return keys[name]


class ForesightEvaluator(BaseEvaluator):
    """Runs every experiment of a Workbench design in one parallel batch of
    the engine (in this process, on all cores or ``threads``)."""

    def __init__(self, msis: Union[ForesightModel, Iterable[ForesightModel]], threads: Optional[int] = None):
        super().__init__(msis)
        for m in self._msis:
            if not isinstance(m, ForesightModel):
                raise TypeError(f"ForesightEvaluator runs ForesightModel models, not {type(m).__name__}")
        self.threads = threads

    def initialize(self):
        pass

    def finalize(self):
        pass

    def evaluate_experiments(self, scenarios, policies, callback, combine="factorial", **kwargs):
        experiments = list(experiment_generator(scenarios, self._msis, policies, combine=combine))
        models = {m.name: m for m in self._msis}
        for name, model in models.items():
            mine = [e for e in experiments if e.model_name == name]
            if not mine:
                continue
            threads, model.threads = model.threads, self.threads or model.threads
            try:
                results = model.run_batch([(e.scenario, e.policy) for e in mine])
            finally:
                model.threads = threads
            for e, out in zip(mine, results):
                callback(e, out)


def perform_experiments(model: ForesightModel, scenarios=0, policies=0, threads: Optional[int] = None, **kwargs):
    """The Workbench's ``perform_experiments`` with a
    :class:`ForesightEvaluator`: returns (experiments, outcomes)."""
    from ema_workbench import perform_experiments as ema_perform

    return ema_perform(model, scenarios=scenarios, policies=policies, evaluator=ForesightEvaluator(model, threads), **kwargs)


def optimize(model: ForesightModel, nfe: int, epsilons, threads: Optional[int] = None, **kwargs):
    """The Workbench's ``optimize`` (MORDM, with platypus-opt) over the
    model's levers, each generation run as one batch."""
    from ema_workbench import optimize as ema_optimize

    return ema_optimize(model, nfe=nfe, epsilons=epsilons, evaluator=ForesightEvaluator(model, threads), **kwargs)
