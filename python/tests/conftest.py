"""Shared fixtures: a small world and experiment (those of
tests/ema_workbench.rs), written to a temporary folder, and the command
line's outputs for them, to compare with the package's."""

import os
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

WORLD = """\
name: small_world
horizon_weeks: 30
seed: 9
replications: 3
regions:
  - {name: North, population: 500000, urban: true, reception_places: 300, jobs: {low: 50000, mid: 40000, high: 20000},
     housing: {small_units_per_week: 2, medium_units_per_week: 3, large_units_per_week: 1},
     services: {language: {seats: 40}, coaching: {seats: 10}}}
  - {name: South, population: 300000, reception_places: 100, jobs: {low: 40000, mid: 20000, high: 5000},
     housing: {small_units_per_week: 1, medium_units_per_week: 2, large_units_per_week: 0.5},
     services: {language: {seats: 20}}}
arrivals:
  weekly_rate: 50
  origin_groups:
    - {name: a, share: 0.6, skills: {low: 0.5, mid: 0.3, high: 0.2}, household_sizes: [0.4, 0.2, 0.2, 0.2], recognition_probability: 0.7}
    - {name: origin_b, share: 0.4, skills: {low: 0.7, mid: 0.2, high: 0.1}, household_sizes: [0.6, 0.1, 0.1, 0.1, 0.1], recognition_probability: 0.3}
asylum: {decision_capacity_per_week: 40}
"""

EXPERIMENT = """\
experiment: ema_check
world: world.yaml
seed: 4
replications: 1
scenarios:
  - name: steady
  - name: surge
    changes:
      arrivals:
        surges: [{start_week: 5, length_weeks: 10, peak_multiplier: 3}]
policies:
  - name: status_quo
  - name: more_seats
    capacities:
      - {name: North, services: {language: {seats: 120}}}
uncertainties:
  - {name: arrivals_multiplier, field: arrivals.weekly_rate, mode: multiply, distribution: {uniform: {low: 0.5, high: 1.5}}}
  - {name: origin_b_recognition, field: "arrivals.origin_groups[origin_b].recognition_probability", distribution: {triangular: {low: 0.1, mode: 0.3, high: 0.6}}}
  - {name: housing_supply_multiplier, field: "regions[*].housing.medium_units_per_week", mode: multiply, distribution: {uniform: {low: 0.7, high: 1.1}}}
sampling: {design: latin_hypercube, samples: 200}
thresholds:
  - {indicator: language_wait_worst_region_weeks, below: 4}
  - {indicator: employment_rate_final, at_least: 0.02}
"""


def cli_binary() -> str:
    """The command line: FORESIGHT_BIN (set by tests/python_package.rs),
    else the repository's release or debug build."""
    env = os.environ.get("FORESIGHT_BIN")
    if env:
        return env
    for kind in ("release", "debug"):
        p = ROOT / "target" / kind / "foresight"
        if p.exists():
            return str(p)
    pytest.skip("no foresight binary: set FORESIGHT_BIN or run cargo build")


def cli(*args) -> subprocess.CompletedProcess:
    return subprocess.run([cli_binary(), *map(str, args)], capture_output=True, text=True)


@pytest.fixture(scope="session")
def files(tmp_path_factory) -> Path:
    d = tmp_path_factory.mktemp("files")
    (d / "world.yaml").write_text(WORLD)
    (d / "experiment.yaml").write_text(EXPERIMENT)
    return d


@pytest.fixture(scope="session")
def cli_experiment(files) -> Path:
    """`foresight run` of the small experiment."""
    out = files / "out_experiment"
    r = cli("run", files / "experiment.yaml", "--out", out)
    assert r.returncode == 0, r.stderr
    return out


@pytest.fixture(scope="session")
def cli_world(files) -> Path:
    """`foresight run` of the small world (3 replications, weekly.csv)."""
    out = files / "out_world"
    r = cli("run", files / "world.yaml", "--out", out)
    assert r.returncode == 0, r.stderr
    return out
