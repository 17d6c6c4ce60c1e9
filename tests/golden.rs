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
            "0771066fe845390aed32f70df70915fbcb316db7a4bf87aaea4d705a9b4de78e",
        ),
        plain(
            "baseline r1 (104 weeks)",
            "scenarios/baseline.yaml",
            1,
            Some(104),
            "e3323094ba670f578f97200fe1d383f7614140364fb8e204755147e3632b8bcd",
        ),
        plain(
            "germany_2015 r0 (scale 10)",
            "scenarios/germany_2015.yaml",
            0,
            None,
            "a7941b6bddab6e32eeb0eeb4b81d381b2f9481b7ca8ecb689cb3d59669f91406",
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
            "7081943f62dada47a20e208d6af36705005ae65413f79f9823edfa92665dc3d9",
        ),
        cell(
            "automation/adaptive_capacity/s1",
            f,
            "automation",
            "adaptive_capacity",
            1,
            1,
            130,
            "61092feac587ffaeffb2fabe30c2a3619dc5d28d7882bd69d3c6377da0c4c2ec",
        ),
        cell(
            "steady/day_one/s2",
            f,
            "steady",
            "day_one",
            2,
            0,
            104,
            "b6a4b57daa94881a84d0d4c2a9741f99eb8fa8445cf64da7ef44a5798d9c3f53",
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
            "e8451d391a006940767e197b77f1e660243bc53a58a5e024cdb25a30f6016403",
        ),
        cell(
            "dispersal reception_capacity",
            d,
            "steady",
            "reception_capacity",
            0,
            0,
            60,
            "f33839aa64d3f2fac3770cdddc73dd22fa15f34599e30885afb18ae8fbf0ef39",
        ),
        cell(
            "dispersal municipal_quota",
            d,
            "steady",
            "municipal_quota",
            0,
            0,
            60,
            "66463fc17ec3684369e10cc49417d0dec90b4c8785f66012f1d299de2b95f626",
        ),
        cell(
            "dispersal free_choice",
            d,
            "steady",
            "free_choice",
            0,
            0,
            60,
            "c9c240b08edc5d0232ea2e3b15bd4f91091641d118b1e7caa2374b7cefd1cead",
        ),
        cell(
            "integration surge/sponsorship",
            i,
            "surge",
            "community_sponsorship_rural",
            0,
            0,
            110,
            "3467085c7be56d86f66e1f317496ea2aa9949a7eb2c23a6c3acf46cb283b9b16",
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
        "bbca32e951ef35d9af7cf3c7c6391fd76828474848f7a38eb6710564c5abf7ec",
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
            "fb0bb098312edda7967c3dc8c952a73c5c864823afd38c32e61beb69343515e0",
        ),
        levers,
    ]);
}
