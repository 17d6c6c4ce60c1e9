"""foresight from Python: validate and run scenarios and experiments in
process, get their tables as pandas DataFrames, and stream a replication's
weeks as they are simulated.

    import foresight
    exp = foresight.load("scenarios/experiment.yaml",
                         overrides={"arrivals.weekly_rate": 600})
    results = exp.run(threads=4)
    results.outcomes        # one row per cell, as outcomes.csv
    results.summary         # as summary.csv

The tables hold exactly the values the command line writes (`foresight
run` on the same file, seed and replications): the same engine runs them.
The EMA Workbench connector is in :mod:`foresight.ema`.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Iterator, Mapping, Optional, Union

import numpy as np
import pandas as pd

from . import _foresight
from ._foresight import ForesightError

__all__ = [
    "ForesightError",
    "Experiment",
    "Results",
    "Week",
    "ReplicationStream",
    "load",
    "validate",
    "run",
    "stream",
    "headlines",
    "__version__",
]

__version__: str = _foresight.VERSION

#: A scenario or experiment: a YAML file's path, or the file's content as a
#: dict (an experiment's world file is then looked for in ``base_dir``).
Source = Union[str, "os.PathLike[str]", Mapping[str, Any]]


def _load(
    source: Source,
    *,
    seed: Optional[int] = None,
    replications: Optional[int] = None,
    overrides: Optional[Mapping[str, Any]] = None,
    base_dir: Union[str, "os.PathLike[str]", None] = None,
) -> "_foresight.Loaded":
    sets = [(str(k), json.dumps(v)) for k, v in (overrides or {}).items()]
    if isinstance(source, Mapping):
        return _foresight.load(
            text=json.dumps(source, indent=1),
            source="<dict>",
            base_dir=os.fspath(base_dir) if base_dir is not None else None,
            seed=seed,
            replications=replications,
            overrides=sets,
        )
    if not isinstance(source, (str, os.PathLike)):
        raise TypeError(
            f"a scenario or experiment is a file path or a dict, not {type(source).__name__}"
        )
    return _foresight.load(
        path=os.fspath(source), seed=seed, replications=replications, overrides=sets
    )


def _frame(columns: Mapping[str, Any]) -> pd.DataFrame:
    """A table from the engine's columns: arrays, or ("category", codes,
    categories) for names."""
    data = {}
    for name, col in columns.items():
        if isinstance(col, tuple) and col[0] == "category":
            _, codes, categories = col
            data[name] = pd.Categorical.from_codes(codes.astype(np.int64), categories=categories)
        else:
            data[name] = col
    return pd.DataFrame(data, copy=False)


@dataclass(frozen=True)
class Results:
    """What a run produced, as the tables of its output folder.

    ``summary`` is ``summary.csv``: per (scenario, policy, week, region,
    indicator) the count, mean, sd and percentiles across samples and
    replications, with the rows ``foresight run`` writes by default: every
    region's and the national (``all``) for a scenario file, the national
    alone for an experiment. A scenario file gives ``headline`` (``headline.csv``,
    one row per replication); an experiment gives ``experiments`` and
    ``outcomes`` (``experiments.csv`` and ``outcomes.csv``, one row per
    cell: the EMA Workbench's experiments and outcomes).
    """

    summary: pd.DataFrame
    headline: Optional[pd.DataFrame]
    experiments: Optional[pd.DataFrame]
    outcomes: Optional[pd.DataFrame]
    person_weeks: float


@dataclass(frozen=True)
class Week:
    """One simulated week of a streamed replication: ``values`` has one row
    per region (and ``"all"``, the nation) and one column per weekly
    indicator (docs/model.md lists them)."""

    week: int
    values: pd.DataFrame


class ReplicationStream:
    """One replication's weeks, each given as soon as it is simulated (the
    engine runs on its own thread, a few weeks ahead). Iterate it; once
    every week is read, ``seed`` and ``headline`` hold the replication's
    seed and headline indicators. A stream left unread runs to its end in
    the background and is then dropped."""

    def __init__(self, inner: "_foresight.Stream", regions: list[str], indicators: list[str]):
        self._inner = inner
        self._index = pd.Index(regions + ["all"], name="region")
        self._columns = pd.Index(indicators, name="indicator")

    def __iter__(self) -> Iterator[Week]:
        for week, values in self._inner:
            yield Week(week, pd.DataFrame(values, index=self._index, columns=self._columns))

    @property
    def seed(self) -> Optional[int]:
        r = self._inner.result
        return None if r is None else r[0]

    @property
    def headline(self) -> Optional[dict[str, float]]:
        r = self._inner.result
        return None if r is None else dict(zip((h[0] for h in headlines()), r[1]))


class Experiment:
    """A scenario or experiment file, validated, with every configuration
    built: ready to run, stream, or hand to the EMA Workbench
    (:class:`foresight.ema.ForesightModel`). Made by :func:`load`."""

    def __init__(self, inner: "_foresight.Loaded"):
        self._inner = inner

    @property
    def name(self) -> str:
        return self._inner.name

    @property
    def source(self) -> str:
        """The file (or ``"<dict>"``) it was read from."""
        return self._inner.source

    @property
    def is_experiment(self) -> bool:
        """False for a plain scenario file."""
        return not self._inner.plain

    @property
    def seed(self) -> int:
        return self._inner.seed

    @property
    def replications(self) -> int:
        return self._inner.replications

    @property
    def scenarios(self) -> list[str]:
        """Scenario names, sorted (as the outputs order them)."""
        return self._inner.scenarios

    @property
    def policies(self) -> list[str]:
        """Policy names, sorted."""
        return self._inner.policies

    @property
    def regions(self) -> list[str]:
        return self._inner.regions

    @property
    def horizon_weeks(self) -> int:
        return self._inner.horizon_weeks

    @property
    def cells(self) -> int:
        """scenarios × policies × samples × replications."""
        return self._inner.cells

    @property
    def indicators(self) -> list[str]:
        """The weekly indicators, in the columns of a streamed week."""
        return self._inner.indicators

    @property
    def uncertainties(self) -> list[dict[str, Any]]:
        """Each uncertainty as the file gives it: name, field, mode,
        distribution."""
        return json.loads(self._inner.uncertainties_json)

    @property
    def thresholds(self) -> list[dict[str, Any]]:
        return json.loads(self._inner.thresholds_json)

    @property
    def samples(self) -> pd.DataFrame:
        """The file's samples of the uncertainties, one row per sample."""
        names = [u["name"] for u in self.uncertainties]
        return pd.DataFrame(self._inner.samples, columns=names).rename_axis("sample")

    def run(self, *, threads: Optional[int] = None) -> Results:
        """Run every cell on ``threads`` threads (default: all cores), with
        the GIL released; Ctrl-C stops it (cells under way finish) and
        raises ``KeyboardInterrupt``."""
        t = self._inner.run(threads)
        get = lambda name: _frame(t[name]) if name in t else None  # noqa: E731
        return Results(
            summary=get("summary"),
            headline=get("headline"),
            experiments=get("experiments"),
            outcomes=get("outcomes"),
            person_weeks=t["person_weeks"],
        )

    def stream(
        self,
        *,
        scenario: Optional[str] = None,
        policy: Optional[str] = None,
        sample: int = 0,
        replication: int = 0,
    ) -> ReplicationStream:
        """Stream one cell's replication week by week (default: the first
        scenario and policy). Its values are those of the same cell in
        :meth:`run` and on the command line."""
        s = _index("scenario", self.scenarios, scenario)
        p = _index("policy", self.policies, policy)
        n = len(self._inner.samples)
        if not 0 <= sample < n:
            raise ValueError(f"sample must be from 0 to {n - 1}, found {sample}")
        inner = self._inner.stream(s, p, sample, replication)
        return ReplicationStream(inner, self.regions, self.indicators)

    def __repr__(self) -> str:
        kind = "experiment" if self.is_experiment else "scenario"
        return f"<foresight {kind} {self.name!r}: {self.cells} cells>"


def _index(what: str, names: list[str], name: Optional[str]) -> int:
    if name is None:
        return 0
    try:
        return names.index(name)
    except ValueError:
        raise ValueError(f"no {what} named {name!r}; the {what}s are {names}") from None


def load(
    source: Source,
    *,
    seed: Optional[int] = None,
    replications: Optional[int] = None,
    overrides: Optional[Mapping[str, Any]] = None,
    base_dir: Union[str, "os.PathLike[str]", None] = None,
) -> Experiment:
    """Read and validate a scenario or experiment (a file path or a dict).

    ``seed`` and ``replications`` replace the file's, as ``--seed`` and
    ``--replications`` do. ``overrides`` maps field paths to values, e.g.
    ``{"arrivals.weekly_rate": 600, "regions[capital].attitude": 0.4,
    "policy.mentoring.pairs_per_year": 650}``: in an experiment each is
    applied to every configuration, after the scenario's, the policy's and
    the sample's changes. Raises :class:`ForesightError` with the problems
    ``foresight validate`` reports (file, line, field path, message)."""
    return Experiment(
        _load(source, seed=seed, replications=replications, overrides=overrides, base_dir=base_dir)
    )


def validate(
    source: Source, *, base_dir: Union[str, "os.PathLike[str]", None] = None
) -> Experiment:
    """Check a scenario or experiment as ``foresight validate`` does;
    returns it, or raises :class:`ForesightError`."""
    return load(source, base_dir=base_dir)


def run(
    source: Source,
    *,
    replications: Optional[int] = None,
    seed: Optional[int] = None,
    threads: Optional[int] = None,
    overrides: Optional[Mapping[str, Any]] = None,
    base_dir: Union[str, "os.PathLike[str]", None] = None,
) -> Results:
    """Load and run a scenario or experiment in memory (see :func:`load`
    and :meth:`Experiment.run`)."""
    exp = load(source, seed=seed, replications=replications, overrides=overrides, base_dir=base_dir)
    return exp.run(threads=threads)


def stream(
    source: Source,
    *,
    scenario: Optional[str] = None,
    policy: Optional[str] = None,
    sample: int = 0,
    replication: int = 0,
    seed: Optional[int] = None,
    overrides: Optional[Mapping[str, Any]] = None,
    callback: Optional[Callable[[Week], None]] = None,
    base_dir: Union[str, "os.PathLike[str]", None] = None,
) -> ReplicationStream:
    """Stream one replication week by week (see
    :meth:`Experiment.stream`). With ``callback``, each week is handed to
    it before this returns; the stream is then already read."""
    exp = load(source, seed=seed, overrides=overrides, base_dir=base_dir)
    s = exp.stream(scenario=scenario, policy=policy, sample=sample, replication=replication)
    if callback is None:
        return s
    for week in s:
        callback(week)
    return s


def headlines() -> list[tuple[str, str, str]]:
    """The headline indicators: (name, better, label), ``better`` being
    ``"lower"``, ``"higher"`` or ``""`` (not judged)."""
    return _foresight.headlines()
