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
            "70fd29256a5af6edd382bb89efb60bd37fe08c7453c467d96deb7eb6c717348a",
        ),
        plain(
            "baseline r1 (104 weeks)",
            "scenarios/baseline.yaml",
            1,
            Some(104),
            "bd9ca335edc70972fa65e12995c52c65297f39e3fb45b3d8fb21f6401597ae58",
        ),
        plain(
            "germany_2015 r0 (scale 10)",
            "scenarios/germany_2015.yaml",
            0,
            None,
            "16fbf6646bd3a68e3c6b8ab6db1510d5495be44eaddd1e91afb40a793d3a01c5",
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
            "0db773ce8e72a4f5cd88e796e9f0c4ab8b618832487f0693f02c2dde5f96d5b7",
        ),
        cell(
            "automation/adaptive_capacity/s1",
            f,
            "automation",
            "adaptive_capacity",
            1,
            1,
            130,
            "ebdbcb5defb483d57f56e37c8d49e5afe59e33ed581bcfaf4360459b6bfaddf4",
        ),
        cell(
            "steady/day_one/s2",
            f,
            "steady",
            "day_one",
            2,
            0,
            104,
            "c01509d123bf1376072736894d1cb71d0bc96475128a553992b83b7c6320768d",
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
            "8af6fd3475b08442aaa52f8c7715c02c1887d5458a4ef326fc59e0e1bdbe26ae",
        ),
        cell(
            "dispersal reception_capacity",
            d,
            "steady",
            "reception_capacity",
            0,
            0,
            60,
            "424761aa2e8f35d9c80d68feae4dc382f4e7f6bcc3b70a5f9de2c44fbc4d2fdf",
        ),
        cell(
            "dispersal municipal_quota",
            d,
            "steady",
            "municipal_quota",
            0,
            0,
            60,
            "27fd16b76eed517606c0979344cc6a54e6922cf8c553e67af4ff25bde538441d",
        ),
        cell(
            "dispersal free_choice",
            d,
            "steady",
            "free_choice",
            0,
            0,
            60,
            "7f1619bd7d4b5e18a736d67df49634174b67ba3561ebdd748a3358f8b26e1275",
        ),
        cell(
            "integration surge/sponsorship",
            i,
            "surge",
            "community_sponsorship_rural",
            0,
            0,
            110,
            "9108c95a6b4723bf810379d1035a59619c4cfd11c9db9ce6650532ff69c953d7",
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
        "f018583e965741ca9ac602b39a2fa265de8a22aaf0b1a320af5ca9b9b842ed11",
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
            "25ee1a6ae07458231b337012aef4e517e762b035afdba96c7ea5b1a97126ba30",
        ),
        levers,
    ]);
}
