//! Golden outputs: the model's results must stay bit-for-bit the same while
//! the engine is made faster. Each case runs one replication of a bundled
//! scenario or experiment cell through `run_replication` and compares a
//! SHA-256 of its series (every value's bit pattern), headline, cohort
//! values and agent-weeks with the digest recorded here.
//!
//! A change that alters results on purpose (a new random stream, a model
//! change) updates the digests in the same commit and says why. Run with
//! `FORESIGHT_GOLDEN_PRINT=1 cargo test --test golden -- --nocapture` to
//! print every case's digest.
//!
//! Horizons are cut short in most cases to keep the test to a few seconds;
//! each cut still reaches the events its scenario is chosen for (surges,
//! shocks, the end of the move-on period, overcrowding after long waits).

use std::path::Path;

use foresight::model::{ReplicationKey, ReplicationResult, run_replication};
use foresight::scenario::{DurationKind, Scenario};
use sha2::{Digest, Sha256};

/// SHA-256 of a replication's results. NaN (an empty field in the outputs)
/// is hashed as one canonical pattern, so the digest follows what is
/// written, not which instruction produced the NaN.
fn digest(r: &ReplicationResult) -> String {
    let mut h = Sha256::new();
    let mut put = |v: f64| {
        let bits = if v.is_nan() {
            f64::NAN.to_bits()
        } else {
            v.to_bits()
        };
        h.update(bits.to_le_bytes());
    };
    for &v in &r.series.values {
        put(v);
    }
    for &v in &r.headline {
        put(v);
    }
    for &v in &r.cohorts {
        put(v);
    }
    h.update(r.agent_weeks.to_le_bytes());
    h.update(r.seed.to_le_bytes());
    h.finalize().iter().map(|b| format!("{b:02x}")).collect()
}

/// One golden case: a configuration, the key it runs under, its digest.
struct Case {
    name: &'static str,
    scenario: Scenario,
    key: ReplicationKey,
    expected: &'static str,
}

/// A plain scenario file's replication, optionally with a shorter horizon.
fn plain(
    name: &'static str,
    file: &str,
    rep: u32,
    horizon: Option<u32>,
    expected: &'static str,
) -> Case {
    let mut s = foresight::scenario::load(Path::new(file)).unwrap_or_else(|d| panic!("{d}"));
    if let Some(h) = horizon {
        s.horizon_weeks = h;
    }
    Case {
        name,
        key: ReplicationKey::new(s.seed, rep),
        scenario: s,
        expected,
    }
}

/// One cell of an experiment file, keyed as the experiment runner keys it.
#[allow(clippy::too_many_arguments)]
fn cell(
    name: &'static str,
    file: &str,
    scenario: &str,
    policy: &str,
    sample: usize,
    rep: u32,
    horizon: u32,
    expected: &'static str,
) -> Case {
    let exp = foresight::experiment::load(Path::new(file)).unwrap_or_else(|d| panic!("{d}"));
    let si = exp
        .scenarios
        .iter()
        .position(|x| x == scenario)
        .expect("scenario");
    let pi = exp
        .policies
        .iter()
        .position(|x| x == policy)
        .expect("policy");
    let mut s = exp.config(si, pi, sample).clone();
    s.horizon_weeks = horizon;
    Case {
        name,
        key: ReplicationKey {
            master_seed: exp.seed,
            scenario: exp.stream_scenario(si).to_string(),
            sample: sample as u32,
            replication: rep,
        },
        scenario: s,
        expected,
    }
}

fn check(cases: Vec<Case>) {
    let print = std::env::var_os("FORESIGHT_GOLDEN_PRINT").is_some();
    let mut wrong = Vec::new();
    for c in cases {
        let r = run_replication(&c.scenario, c.key.clone());
        let d = digest(&r);
        if print {
            println!("{:<40} {d}  ({} agent-weeks)", c.name, r.agent_weeks);
        }
        if d != c.expected {
            wrong.push(format!("{}: expected {}, got {d}", c.name, c.expected));
        }
    }
    assert!(wrong.is_empty(), "results changed:\n{}", wrong.join("\n"));
}

#[test]
fn baseline() {
    check(vec![
        plain(
            "baseline r0",
            "scenarios/baseline.yaml",
            0,
            None,
            "622a929e756acedd5a922d8e2b0b609580af364d2b01d94d410d73d615918959",
        ),
        plain(
            "baseline r1 (104 weeks)",
            "scenarios/baseline.yaml",
            1,
            Some(104),
            "b730dbd4b58f39173e2b69577e6f04c9fd61e8e5809abc2ef74cb638f7519536",
        ),
        plain(
            "germany_2015 r0 (scale 10)",
            "scenarios/germany_2015.yaml",
            0,
            None,
            "603f3bed6fdc2165e564453b3869c638c3a330250de2a9b58647af137c1e4a55",
        ),
    ]);
}

#[test]
fn experiment_cells() {
    let f = "scenarios/experiment.yaml";
    check(vec![
        cell(
            "surge/coaching_mentoring/s0",
            f,
            "surge",
            "coaching_mentoring",
            0,
            0,
            130,
            "fd049fdd25c88e6edd89006f79ce9cf0d05f2e0ee364466a8e5527846e86590c",
        ),
        cell(
            "automation/adaptive_capacity/s1",
            f,
            "automation",
            "adaptive_capacity",
            1,
            1,
            130,
            "de1225b57b2c81a8cfd4b99530af76ac700473dd80e1716ec6cad791a3a8b70b",
        ),
        cell(
            "steady/day_one/s2",
            f,
            "steady",
            "day_one",
            2,
            0,
            104,
            "add4a1a18e72e37f174f24dbb9f723942c49a44386bd6167529cfe812f3e431a",
        ),
    ]);
}

#[test]
fn dispersal_and_integration_policies() {
    let d = "scenarios/dispersal_rules.yaml";
    let i = "scenarios/integration_policies.yaml";
    check(vec![
        cell(
            "dispersal quota_key",
            d,
            "steady",
            "quota_key",
            0,
            0,
            60,
            "00bf88c6a8a774ea17b8c340012472c3124b7c9275ca82cbba99da6582ee5e9d",
        ),
        cell(
            "dispersal reception_capacity",
            d,
            "steady",
            "reception_capacity",
            0,
            0,
            60,
            "4c6739f14c75e1a245d4b035408f67cc5739dc9e019fe77027830b8d9247e435",
        ),
        cell(
            "dispersal municipal_quota",
            d,
            "steady",
            "municipal_quota",
            0,
            0,
            60,
            "0d11bb618653b8824aef4ee37c8f9e8eef972d073a2d3bec27999fa1662796c5",
        ),
        cell(
            "dispersal free_choice",
            d,
            "steady",
            "free_choice",
            0,
            0,
            60,
            "e2ef41f9f89d924340b50efa8a34725efde06b4103155f2a6f426354e344491c",
        ),
        cell(
            "integration surge/sponsorship",
            i,
            "surge",
            "community_sponsorship_rural",
            0,
            0,
            110,
            "5b8dd0e494dd9e627bab8a7a3f14f902cabd2137a9ea8ee7415b8f8604471696",
        ),
    ]);
}

#[test]
fn labour_market_and_levers() {
    // The recession of year four starts in week 156.
    let l = "scenarios/labour_market_experiment.yaml";
    // Levers no bundled file pulls: move-on support, a residence rule,
    // mentoring, nudges, fast-tracked credentials, early work, geometric
    // service lengths.
    let mut levers = plain(
        "baseline with every lever",
        "scenarios/baseline.yaml",
        2,
        Some(104),
        "e9a26bafcfb0d86ce203ff84a88e22e79fb5df51f4cd7b1d77af9963b16afbe0",
    );
    let p = &mut levers.scenario.policy;
    p.move_on.support = true;
    p.residence_rule_weeks = 26;
    p.mentoring.pairs_per_year = 650.0;
    p.nudges.enabled = true;
    p.credential_fast_track.enabled = true;
    p.early_work_access_weeks = Some(26);
    p.intensive_coaching.coverage = 0.5;
    levers.scenario.services.language.duration = DurationKind::Geometric;
    levers.scenario.services.mental_health.duration = DurationKind::Geometric;
    check(vec![
        cell(
            "labour automation_recession/coaching",
            l,
            "automation_recession",
            "coaching",
            0,
            0,
            164,
            "3e763c7029a0bfaf20d923a037128c81211ea8888bef878e8f5700bf5b6d0bd2",
        ),
        levers,
    ]);
}
