//! The levers' effects reproduce the trials they come from: the Swedish
//! intensive-coaching trial (Q28: regular employment 14% without coaching,
//! 20% with, "almost 6 percentage points"), run as the bundled experiment
//! `scenarios/sweden_coaching_trial.yaml` with the model's default
//! parameters.

use std::path::Path;

use foresight::experiment::{load, run_experiment};
use foresight::model::indicators as ind;

#[test]
fn the_swedish_coaching_trial_is_reproduced() {
    let exp = load(Path::new("scenarios/sweden_coaching_trial.yaml")).unwrap();
    let result =
        run_experiment::<std::convert::Infallible>(&exp, &|| {}, &mut |_, _| Ok(())).unwrap();
    let week = exp.horizon_weeks as usize - 1;
    let arm = |name: &str| {
        let p = exp.policies.iter().position(|x| x == name).unwrap();
        let pair = result.summaries.iter().find(|s| s.policy == p).unwrap();
        let stats = pair.get(week, pair.slots - 1, ind::COHORT_BASE);
        (stats[1], stats[2] / stats[0].sqrt()) // mean, standard error
    };
    let (control, se_c) = arm("control");
    let (coached, se_t) = arm("coaching");
    eprintln!("control {control:.4} ± {se_c:.4}, coaching {coached:.4} ± {se_t:.4}");
    // The trial reports whole percentages: each arm within 1.5 points of its
    // figure (the half-point rounding plus about three replication standard
    // errors here), and the effect "almost 6 points": between 4.5 and 7.
    assert!((control - 0.14).abs() < 0.015, "control arm {control}");
    assert!((coached - 0.20).abs() < 0.015, "coaching arm {coached}");
    let effect = coached - control;
    assert!((0.045..0.07).contains(&effect), "effect {effect}");
    // Replication noise is well inside the tolerance.
    assert!(se_c < 0.005 && se_t < 0.005);
}
