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
            "80dd29ff7f7637249b7afddb00d9d5767fee673cff1b900fe95f54717d423bd4",
        ),
        plain(
            "baseline r1 (104 weeks)",
            "scenarios/baseline.yaml",
            1,
            Some(104),
            "314cd2fc4c9a92a8ab6c62b3f2268053b4dfcb8ae4a8d5072394d1f5a1d1a892",
        ),
        plain(
            "germany_2015 r0 (scale 10)",
            "scenarios/germany_2015.yaml",
            0,
            None,
            "f8389b52ae4136c744f55417ba64a837bcd396d508f23c84e34db992795fe4ae",
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
            "d9ee751d125070d37788048190297e48b2b6ea98f9fd72432b071c1c91e425f2",
        ),
        cell(
            "automation/adaptive_capacity/s1",
            f,
            "automation",
            "adaptive_capacity",
            1,
            1,
            130,
            "c61556b4eb53b71c5eb3332e3b8bdba573ee6078963fa9d675c92b7dbb756a7a",
        ),
        cell(
            "steady/day_one/s2",
            f,
            "steady",
            "day_one",
            2,
            0,
            104,
            "9e948e211a04fc4b0bff6401b91a3367c07767c8b226f97252c9cbd57cd67fcf",
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
            "118386c650cb839b699c50b26aa9f223feeb8cb2c541a6361ce498b58c525789",
        ),
        cell(
            "dispersal reception_capacity",
            d,
            "steady",
            "reception_capacity",
            0,
            0,
            60,
            "948753f5f49117cef376538b2b897803a03ceacaf7c6f00d5f2f43e44e8b1397",
        ),
        cell(
            "dispersal municipal_quota",
            d,
            "steady",
            "municipal_quota",
            0,
            0,
            60,
            "844ee37485180a3e48ad2a36a7588376c68149f1bedc396b6c90d391e7a34921",
        ),
        cell(
            "dispersal free_choice",
            d,
            "steady",
            "free_choice",
            0,
            0,
            60,
            "03972dce08355918fdf6cda2db77c8df51d9c279fe2f08b677aef3ab7fc970ab",
        ),
        cell(
            "integration surge/sponsorship",
            i,
            "surge",
            "community_sponsorship_rural",
            0,
            0,
            110,
            "80f161193b052816a4c99ec9197d7ab50c598fc5a3f13786caa4beb031e614f6",
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
        "185256c55233c7815310a3dac3377b261041aa7705540dca50b3cc176039faa7",
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
            "a3d837921d8d777776cd7c8269516e502a229c9ed70e95678a9c6d64b1513512",
        ),
        levers,
    ]);
}
