//! Golden outputs: the model's results must stay bit-for-bit the same while
//! the engine is made faster. Each case runs one replication of a bundled
//! scenario or experiment cell through `run_replication` and compares a
//! SHA-256 of its series (every value's bit pattern), headline and
//! agent-weeks with the digest recorded here.
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
            "2c1396b81faca1ac0e5848a1b709c332bf0b5d4f2061faac3a7adcdc821df517",
        ),
        plain(
            "baseline r1 (104 weeks)",
            "scenarios/baseline.yaml",
            1,
            Some(104),
            "7b8c2aded374b8a670f4c96dcb84e21e8817ad6baa4cec94fe451ddf4459bed3",
        ),
        plain(
            "germany_2015 r0 (scale 10)",
            "scenarios/germany_2015.yaml",
            0,
            None,
            "be1f214bc459935579cd8e700bb11f541691092c7a3542f1cac8bb074d3525f1",
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
            "e3fcba8b5024fb9dfc910fc991dee691907c8006b28b6c1dcb388418efc4e501",
        ),
        cell(
            "automation/adaptive_capacity/s1",
            f,
            "automation",
            "adaptive_capacity",
            1,
            1,
            130,
            "1ba5dcd70bb3dd303ce7cca09e106c3d81a7e925a91e5f6c4a984bbb072bc38a",
        ),
        cell(
            "steady/day_one/s2",
            f,
            "steady",
            "day_one",
            2,
            0,
            104,
            "2e107232f3a4279ea65085013b7acc4906932fd3cd68171d54756563c565d84e",
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
            "ffe517133e7fb6efeee363894bb6f217316da6b6be67126c3b8b443156753701",
        ),
        cell(
            "dispersal reception_capacity",
            d,
            "steady",
            "reception_capacity",
            0,
            0,
            60,
            "84f7fa805c15572c5175e0484283633d0acb46505f49dd0eb69d8f84727fc060",
        ),
        cell(
            "dispersal municipal_quota",
            d,
            "steady",
            "municipal_quota",
            0,
            0,
            60,
            "da68dbcd1658ad3ce681d2885bf1e2644255066f8e35f8e03650294d2f7f37be",
        ),
        cell(
            "dispersal free_choice",
            d,
            "steady",
            "free_choice",
            0,
            0,
            60,
            "8116919e036e0e8e088bfb1c284286fb39deee563394b47ea740f49c018e34a8",
        ),
        cell(
            "integration surge/sponsorship",
            i,
            "surge",
            "community_sponsorship_rural",
            0,
            0,
            110,
            "8e251d4054f2d87edaf8604ec88ebf08303f1ee3bc4b79d212eb90f164ec4d8b",
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
        "6d764affd8c0457959e61bcec6dd3f98bc2ddfa75a9db4e09f0a936696cb02f5",
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
            "0df9c7c853bbd0590715dc8f441fb4ae1855a246892bbe959fd5784e79f8add9",
        ),
        levers,
    ]);
}
