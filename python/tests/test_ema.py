"""The EMA Workbench connector: the Workbench's experiments run in process
give the command line's outcomes for the same samples, and PRIM finds the
same boxes on both."""

import logging

import numpy as np
import pandas as pd
import pytest

ema = pytest.importorskip("ema_workbench")
from ema_workbench import Policy, Scenario  # noqa: E402
from ema_workbench.analysis import feature_scoring, prim  # noqa: E402

import foresight  # noqa: E402
from foresight.ema import ForesightModel, perform_experiments  # noqa: E402

logging.disable(logging.WARNING)


def cli_design(out):
    """The command line's samples as Workbench scenarios (named by sample
    number) and its policies as Workbench policies."""
    x = pd.read_csv(out / "experiments.csv", float_precision="round_trip")
    names = [c for c in x.columns if c not in ("scenario", "policy", "sample", "replication", "seed")]
    cells = x[x.policy == x.policy.iloc[0]]
    scenarios = [
        Scenario(int(r["sample"]), scenario_name=r["scenario"], **{n: r[n] for n in names})
        for _, r in cells.iterrows()
    ]
    policies = [Policy(p, policy_name=p) for p in sorted(x.policy.unique())]
    return scenarios, policies


@pytest.fixture(scope="module")
def in_process(files, cli_experiment):
    model = ForesightModel("emacheck", files / "experiment.yaml")
    scenarios, policies = cli_design(cli_experiment)
    return perform_experiments(model, scenarios=scenarios, policies=policies)


def test_the_model_exposes_the_files_uncertainties_levers_and_outcomes(files):
    model = ForesightModel("emacheck", files / "experiment.yaml",
                           levers={"regions[North].services.language.seats": (20, 200)})
    assert [u.name for u in model.uncertainties] == [
        "arrivals_multiplier", "origin_b_recognition", "housing_supply_multiplier", "scenario_name"
    ]
    assert [l.name for l in model.levers] == ["policy_name", "regions[North].services.language.seats"]
    kinds = {o.name: o.kind for o in model.outcomes}
    assert kinds["employment_rate_final"] == 1  # MAXIMIZE
    assert kinds["language_wait_worst_region_weeks"] == -1  # MINIMIZE


def test_in_process_outcomes_equal_the_cli_outcomes(in_process, cli_experiment):
    experiments, outcomes = in_process
    y = pd.read_csv(cli_experiment / "outcomes.csv", float_precision="round_trip")
    ours = pd.DataFrame(outcomes)
    ours["scenario"] = experiments["scenario_name"].astype(str).to_numpy()
    ours["policy"] = experiments["policy_name"].astype(str).to_numpy()
    ours["sample"] = experiments["scenario"].astype(int).to_numpy()
    merged = y.merge(ours, on=["scenario", "policy", "sample"], suffixes=("", "_py"))
    assert len(merged) == len(y) == 800
    for name in outcomes:
        assert np.array_equal(merged[name].to_numpy(), merged[name + "_py"].to_numpy(), equal_nan=True), name


def boxes(x, y_of_interest):
    alg = prim.Prim(x.reset_index(drop=True), y_of_interest, threshold=0.8)
    box = alg.find_box()
    i = box._cur_box
    return box.box_lims[i], float(box.coverage), float(box.density)


def test_prim_finds_the_same_boxes_as_on_the_cli_files(in_process, cli_experiment):
    experiments, outcomes = in_process
    x = pd.read_csv(cli_experiment / "experiments.csv", float_precision="round_trip")
    y = pd.read_csv(cli_experiment / "outcomes.csv", float_precision="round_trip")
    # Cases of interest, from a path's inputs and outcomes: the experiment's
    # thresholds missed (an undefined value misses), and the top quarter of
    # the arrivals multiplier. In this small world the outcomes hang on the
    # inputs only loosely, so whether PRIM finds a box for the thresholds
    # depends on the model's numbers; for the arrivals it finds one whatever
    # they are, so that the boxes' limits are compared on a real box.
    cases = {
        "language_wait_worst_region_weeks": lambda i, o: ~(o["language_wait_worst_region_weeks"] < 4),
        "employment_rate_final": lambda i, o: ~(o["employment_rate_final"] >= 0.02),
        "high_arrivals": lambda i, o: i["arrivals_multiplier"] >= np.quantile(i["arrivals_multiplier"], 0.75),
    }
    found = set()
    for policy in ["status_quo", "more_seats"]:
        # The files, as a user reads them (tests/ema/compare_prim.py).
        mine = (x.policy == policy).to_numpy()
        inputs = x.loc[mine].drop(columns=["policy", "sample", "replication", "seed"])
        inputs = inputs.rename(columns={"scenario": "scenario_name"})
        inputs["scenario_name"] = inputs["scenario_name"].astype("category")
        files_o = {n: y.loc[mine, n].to_numpy() for n in outcomes}
        # The Workbench's own results, in process, in the files' order.
        ours = (experiments.policy_name == policy).to_numpy()
        ex = experiments.loc[ours].assign(k=experiments["scenario"].astype(int))
        ex = ex.sort_values(["scenario_name", "k"])
        order = ex.index.to_numpy()
        ex_inputs = ex[inputs.columns]
        ex_o = {n: outcomes[n][order] for n in outcomes}
        for case, of_interest in cases.items():
            files_y = np.asarray(of_interest(inputs, files_o)).astype(int)
            ex_y = np.asarray(of_interest(ex_inputs, ex_o)).astype(int)
            assert np.array_equal(ex_y, files_y), (policy, case)
            a, b = boxes(inputs, files_y), boxes(ex_inputs, ex_y)
            assert a[1:] == b[1:], (policy, case, a, b)
            pd.testing.assert_frame_equal(
                a[0].astype(str).reset_index(drop=True), b[0].astype(str).reset_index(drop=True)
            )
            if a[2] >= 0.8:
                found.add(case)
    assert "high_arrivals" in found, "PRIM found no box of density 0.8 for the top quarter of arrivals"


def test_perform_experiments_samples_and_runs_the_design_in_one_batch(files):
    model = ForesightModel("emacheck", files / "experiment.yaml")
    experiments, outcomes = perform_experiments(model, scenarios=30, policies=2)
    assert len(experiments) == 60
    assert set(experiments.policy_name.astype(str)) <= {"status_quo", "more_seats"}
    assert np.isfinite(outcomes["employment_rate_final"]).all()
    # Both policies of a sampled scenario meet the same random future: the
    # arrivals, which no policy changes, are equal.
    arrived = pd.DataFrame({"s": experiments.scenario, "a": outcomes["arrivals_total"]})
    assert (arrived.groupby("s", observed=True).a.nunique() == 1).all()
    # Trees reject undefined values: only outcomes defined in every experiment.
    defined = {k: v for k, v in outcomes.items() if np.isfinite(v).all()}
    scores = feature_scoring.get_feature_scores_all(
        experiments[[u.name for u in model.uncertainties]], defined
    )
    assert scores.shape[0] == 4
    # The sequential path (one experiment at a time) gives the same values.
    from ema_workbench import perform_experiments as ema_perform

    scenarios = [Scenario(k, **{p: experiments.iloc[k][p] for p in experiments.columns
                                 if p in {u.name for u in model.uncertainties}}) for k in range(3)]
    policy = [Policy("status_quo", policy_name="status_quo")]
    _, seq = ema_perform(model, scenarios=scenarios, policies=policy)
    _, batch = perform_experiments(model, scenarios=scenarios, policies=policy)
    assert np.array_equal(seq["employment_rate_final"], batch["employment_rate_final"])


def test_optimize_finds_lever_settings_with_platypus(files):
    pytest.importorskip("platypus")
    from foresight.ema import optimize

    model = ForesightModel(
        "emacheck", files / "experiment.yaml",
        levers={"regions[North].services.language.seats": (10, 300)},
        outcomes=["language_wait_worst_region_weeks", "employment_rate_final"],
    )
    reference = Scenario("reference", arrivals_multiplier=1.0, origin_b_recognition=0.3,
                         housing_supply_multiplier=1.0, scenario_name="surge")
    results = optimize(model, nfe=200, epsilons=[0.5, 0.01], reference=reference)
    assert len(results) >= 1
    assert {"regions[North].services.language.seats", "language_wait_worst_region_weeks"} <= set(results.columns)


def test_the_models_overrides_reach_every_experiment(files):
    overrides = {"regions[South].services.language.seats": 200}
    model = ForesightModel("emacheck", files / "experiment.yaml", overrides=overrides)
    exp = foresight.load(files / "experiment.yaml", overrides=overrides)
    expected = exp.run().outcomes
    plain = foresight.load(files / "experiment.yaml").run().outcomes
    samples = exp.samples
    scenarios = [Scenario(k, scenario_name="surge", **samples.iloc[k].to_dict()) for k in range(5)]
    _, outcomes = perform_experiments(
        model, scenarios=scenarios, policies=[Policy("status_quo", policy_name="status_quo")]
    )
    mine = expected[(expected.scenario == "surge") & (expected.policy == "status_quo")].iloc[:5]
    base = plain[(plain.scenario == "surge") & (plain.policy == "status_quo")].iloc[:5]
    name = "language_wait_worst_region_weeks"
    assert np.array_equal(outcomes[name], mine[name].to_numpy(), equal_nan=True)
    assert not np.array_equal(outcomes[name], base[name].to_numpy(), equal_nan=True)
