"""The package against the command line: the same files give the same
tables, byte for byte; errors read as `foresight validate` prints them."""

import os
import signal
import threading
import time

import numpy as np
import pandas as pd
import pytest

import foresight
from conftest import ROOT, cli


def csv_value(v) -> str:
    """A value as the command line writes it (src/output/csv_file.rs):
    shortest round-trip decimal, no exponent; NaN empty."""
    if isinstance(v, (float, np.floating)):
        if np.isnan(v):
            return ""
        if v == int(v) and abs(v) < 1e15:
            return str(int(v))
        return np.format_float_positional(v, unique=True, trim="-")
    return str(v)


def csv_text(df: pd.DataFrame) -> str:
    lines = [",".join(df.columns)]
    cols = [df[c].tolist() for c in df.columns]
    for row in zip(*cols):
        lines.append(",".join(csv_value(v) for v in row))
    return "\n".join(lines) + "\n"


def test_experiment_tables_are_byte_identical_to_the_cli_files(files, cli_experiment):
    r = foresight.run(files / "experiment.yaml")
    for name, table in [
        ("experiments.csv", r.experiments),
        ("outcomes.csv", r.outcomes),
        ("summary.csv", r.summary),
    ]:
        expected = (cli_experiment / name).read_text()
        assert csv_text(table) == expected, name
    assert r.headline is None


def test_scenario_tables_are_byte_identical_and_threads_change_nothing(files, cli_world):
    one = foresight.run(files / "world.yaml", threads=1)
    two = foresight.run(files / "world.yaml", threads=2)
    assert csv_text(one.headline) == (cli_world / "headline.csv").read_text()
    assert csv_text(one.summary) == (cli_world / "summary.csv").read_text()
    assert csv_text(two.headline) == csv_text(one.headline)
    assert csv_text(two.summary) == csv_text(one.summary)


def test_the_comparison_can_fail_another_seed_differs(files, cli_world):
    other = foresight.run(files / "world.yaml", seed=10)
    assert csv_text(other.headline) != (cli_world / "headline.csv").read_text()


def test_overrides_by_path_equal_the_edited_file(files, tmp_path):
    edited = (files / "world.yaml").read_text().replace("weekly_rate: 50", "weekly_rate: 80")
    assert "weekly_rate: 80" in edited
    (tmp_path / "edited.yaml").write_text(edited)
    out = tmp_path / "out"
    assert cli("run", tmp_path / "edited.yaml", "--out", out, "-n", "2").returncode == 0
    r = foresight.run(
        files / "world.yaml", replications=2, overrides={"arrivals.weekly_rate": 80}
    )
    assert csv_text(r.headline) == (out / "headline.csv").read_text()
    plain = foresight.run(files / "world.yaml", replications=2)
    assert csv_text(plain.headline) != csv_text(r.headline)


def test_overrides_reach_every_configuration_of_an_experiment(files):
    base = foresight.load(files / "experiment.yaml")
    more = foresight.load(
        files / "experiment.yaml", overrides={"regions[South].services.language.seats": 200}
    )
    a, b = base.run().outcomes, more.run().outcomes
    assert len(a) == len(b) == base.cells == 800
    assert not a["language_wait_worst_region_weeks"].equals(b["language_wait_worst_region_weeks"])


def test_dict_input_equals_the_file(files):
    exp = {
        "experiment": "ema_check",
        "world": "world.yaml",
        "seed": 4,
        "scenarios": [{"name": "steady"}],
        "policies": [{"name": "status_quo"}],
        "sampling": {"samples": 3},
        "uncertainties": [
            {"name": "arrivals_multiplier", "field": "arrivals.weekly_rate", "mode": "multiply",
             "distribution": {"uniform": {"low": 0.5, "high": 1.5}}}
        ],
    }
    r = foresight.run(exp, base_dir=files)
    assert len(r.outcomes) == 3
    assert list(r.experiments.columns[-1:]) == ["arrivals_multiplier"]


def test_validation_errors_read_as_the_cli_prints_them(tmp_path):
    bad = tmp_path / "bad.yaml"
    text = (ROOT / "scenarios" / "baseline.yaml").read_text()
    text = text.replace("horizon_weeks:", "horizon_weeks: -5\nhorizon_weeks_was:", 1)
    bad.write_text(text)
    with pytest.raises(foresight.ForesightError) as e:
        foresight.validate(bad)
    printed = cli("validate", bad)
    assert printed.returncode == 2
    assert str(e.value) == printed.stderr.strip()
    first = e.value.problems[0]
    assert first["file"] == str(bad)
    assert isinstance(first["line"], int) and first["line"] > 0
    assert first["path"]


def test_a_dict_error_names_the_field_path():
    with pytest.raises(foresight.ForesightError) as e:
        foresight.validate({"name": "x", "horizon_weeks": "soon"})
    paths = [p["path"] for p in e.value.problems]
    assert "horizon_weeks" in paths, e.value.problems
    assert all(p["line"] is None for p in e.value.problems)


def test_a_bad_override_names_the_path(files):
    with pytest.raises(foresight.ForesightError) as e:
        foresight.load(files / "world.yaml", overrides={"regions[East].attitude": 0.5})
    assert "regions[East]" in str(e.value) and "East" in e.value.problems[0]["message"]
    with pytest.raises(foresight.ForesightError) as e:
        foresight.load(files / "world.yaml", overrides={"arrivals.weekly_rate": "many"})
    assert "arrivals.weekly_rate" in str(e.value)


def test_streamed_weeks_equal_the_cli_weekly_csv(files, cli_world):
    weekly = pd.read_csv(cli_world / "weekly.csv", float_precision="round_trip")
    weekly = weekly[weekly.replication == 1]
    seen = []
    s = foresight.stream(files / "world.yaml", replication=1, callback=seen.append)
    assert [w.week for w in seen] == list(range(30))
    rows = pd.concat(
        w.values.stack(future_stack=True).rename("value").reset_index().assign(week=w.week) for w in seen
    )
    merged = weekly.merge(rows, on=["week", "region", "indicator"], suffixes=("_cli", "_py"))
    assert len(merged) == len(weekly) == len(rows)
    assert np.array_equal(merged.value_cli.to_numpy(), merged.value_py.to_numpy(), equal_nan=True)
    head = pd.read_csv(cli_world / "headline.csv", float_precision="round_trip")
    row = head[head.replication == 1].iloc[0]
    assert s.seed == row["seed"]
    for name, v in s.headline.items():
        assert (np.isnan(v) and np.isnan(row[name])) or v == row[name], name


def test_a_stream_is_read_as_it_is_simulated(files):
    s = foresight.load(files / "world.yaml").stream()
    it = iter(s)
    first = next(it)
    assert first.week == 0 and s.headline is None
    assert list(first.values.index) == ["North", "South", "all"]
    rest = list(it)
    assert len(rest) == 29 and s.headline is not None


def test_ctrl_c_stops_a_run_and_raises_keyboard_interrupt(files):
    # Python leaves SIGINT ignored if its parent ignored it (a job a shell
    # started in the background, say): Ctrl-C must raise here whatever
    # started pytest, as it does at a terminal.
    previous = signal.signal(signal.SIGINT, signal.default_int_handler)
    try:
        _ctrl_c_stops_a_run(files)
    finally:
        signal.signal(signal.SIGINT, previous)


def _ctrl_c_stops_a_run(files):
    exp = foresight.load(files / "world.yaml", replications=5000)
    timer = threading.Timer(0.5, lambda: os.kill(os.getpid(), signal.SIGINT))
    start = time.monotonic()
    timer.start()
    with pytest.raises(KeyboardInterrupt):
        exp.run(threads=2)
    stopped = time.monotonic() - start
    # 5000 replications would take far longer than the cells under way.
    small = foresight.load(files / "world.yaml", replications=50)
    t = time.monotonic()
    small.run(threads=2)
    fifty = time.monotonic() - t
    assert stopped < 0.5 + 10 * fifty + 1, (stopped, fifty)


def test_experiment_properties(files):
    exp = foresight.load(files / "experiment.yaml")
    assert exp.is_experiment and exp.scenarios == ["steady", "surge"]
    assert exp.policies == ["more_seats", "status_quo"]
    assert [u["name"] for u in exp.uncertainties] == [
        "arrivals_multiplier", "origin_b_recognition", "housing_supply_multiplier"
    ]
    assert exp.samples.shape == (200, 3)
    assert exp.cells == 800
    assert [h[0] for h in foresight.headlines()][:1] and len(foresight.headlines()) > 5
