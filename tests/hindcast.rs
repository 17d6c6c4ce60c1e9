//! The Germany 2015–2020 hindcast (`scenarios/germany_2015_2020.yaml`)
//! carries the published statistics it cites: summed over each year, its
//! schedules give back the arrivals, decisions and protection rates of
//! `docs/sources.md` (S2, S3, S11–S13). A typo in a step, a step in the
//! wrong week or a rate split wrongly among the origin groups fails here.
//! The run's outcomes are not tested against German outcome statistics:
//! they are an out-of-sample check printed in `docs/model.md`, never a
//! target.

use std::path::Path;

use foresight::model::arrivals::expected_rate;

fn hindcast() -> foresight::scenario::Scenario {
    foresight::scenario::load(Path::new("scenarios/germany_2015_2020.yaml")).unwrap()
}

/// Arrivals 2015–2020: the ministry's 890,000 and 280,000 (S2, S11, S12),
/// then 186,644 registered, 161,931, 111,094 and 76,061 first applications
/// (S12).
const ARRIVALS: [f64; 6] = [
    890_000.0, 280_000.0, 186_644.0, 161_931.0, 111_094.0, 76_061.0,
];
/// BAMF's decisions 2015–2020 (S3, S13).
const DECISIONS: [f64; 6] = [
    282_726.0, 695_733.0, 603_428.0, 216_873.0, 183_954.0, 145_071.0,
];
/// Total protection rates 2015–2020 (S3, S13).
const PROTECTION: [f64; 6] = [0.498, 0.624, 0.434, 0.350, 0.382, 0.431];

#[test]
fn the_schedules_sum_to_the_published_years() {
    let s = hindcast();
    assert_eq!(s.horizon_weeks, 6 * 52);
    for year in 0..6u32 {
        let weeks = 52 * year..52 * (year + 1);
        let arrivals: f64 = weeks.clone().map(|w| expected_rate(&s.arrivals, w)).sum();
        let want = ARRIVALS[year as usize];
        // Weekly rates are rounded to whole persons: within 0.05%.
        assert!(
            (arrivals - want).abs() < 5e-4 * want,
            "{}: arrivals {arrivals:.0}, published {want}",
            2015 + year
        );
        let decisions: f64 = weeks
            .map(|w| s.asylum.decision_capacity_per_week.at(w))
            .sum();
        let want = DECISIONS[year as usize];
        assert!(
            (decisions - want).abs() < 52.0,
            "{}: decisions {decisions}, published {want}",
            2015 + year
        );
        let groups = &s.arrivals.origin_groups;
        let rate: f64 = groups
            .iter()
            .map(|g| g.share * g.recognition_probability.at(52 * year))
            .sum();
        let want = PROTECTION[year as usize];
        assert!(
            (rate - want).abs() < 1e-3,
            "{}: share-weighted protection {rate:.4}, published {want}",
            2015 + year
        );
        // Each year's probabilities hold for the whole year.
        for g in groups {
            let p = &g.recognition_probability;
            assert_eq!(p.at(52 * year), p.at(52 * year + 51), "{}", g.name);
        }
    }
}

#[test]
fn the_world_is_germany_2015s_unchanged() {
    // The hindcast may add time-varying inputs, never retune the world: its
    // regions are germany_2015.yaml's, and the labour-market, language and
    // housing blocks are the model's defaults in both.
    let old = foresight::scenario::load(Path::new("scenarios/germany_2015.yaml")).unwrap();
    let new = hindcast();
    assert_eq!(json(&old.regions), json(&new.regions));
    assert_eq!(json(&old.labour_market), json(&new.labour_market));
    assert_eq!(json(&old.integration), json(&new.integration));
    assert_eq!(json(&old.housing), json(&new.housing));
    assert_eq!(json(&old.services), json(&new.services));
    assert_eq!(json(&old.attitudes), json(&new.attitudes));
    assert_eq!(json(&old.policy), json(&new.policy));
    assert_eq!((old.scale, old.seed), (new.scale, new.seed));
    // The origin groups' profiles too: only their recognition varies by year.
    let profile = |g: &foresight::scenario::OriginGroup| {
        let mut v = serde_json::to_value(g).unwrap();
        v.as_object_mut().unwrap().remove("recognition_probability");
        v
    };
    let groups = |s: &foresight::scenario::Scenario| -> Vec<_> {
        s.arrivals.origin_groups.iter().map(profile).collect()
    };
    assert_eq!(groups(&old), groups(&new));
}

fn json<T: serde::Serialize>(v: &T) -> String {
    serde_json::to_string(v).unwrap()
}
