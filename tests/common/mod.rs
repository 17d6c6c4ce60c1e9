//! What several test files share: small two-region worlds.

use std::path::Path;

/// A two-region world with two origin groups, coaching seats in the north
/// and a decision capacity, for experiments: thirty weeks, quick to run.
#[allow(dead_code)] // the files that write the one-group world do not use it
pub const WORLD: &str = r#"
name: small_world
horizon_weeks: 30
seed: 9
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
    - {name: b, share: 0.4, skills: {low: 0.7, mid: 0.2, high: 0.1}, household_sizes: [0.6, 0.1, 0.1, 0.1, 0.1], recognition_probability: 0.3}
asylum: {decision_capacity_per_week: 40}
"#;

/// Write `world.yaml` in `dir`: two regions, one origin group, quick to run.
pub fn write_small_world(dir: &Path, horizon_weeks: u32, weekly_rate: u32) {
    std::fs::write(
        dir.join("world.yaml"),
        format!(
            r#"
name: small_world
horizon_weeks: {horizon_weeks}
seed: 9
regions:
  - {{name: North, population: 500000, urban: true, reception_places: 300, jobs: {{low: 50000, mid: 40000, high: 20000}},
     housing: {{small_units_per_week: 2, medium_units_per_week: 3, large_units_per_week: 1}},
     services: {{language: {{seats: 40}}}}}}
  - {{name: South, population: 300000, reception_places: 100, jobs: {{low: 40000, mid: 20000, high: 5000}},
     housing: {{small_units_per_week: 1, medium_units_per_week: 2, large_units_per_week: 0.5}},
     services: {{language: {{seats: 20}}}}}}
arrivals:
  weekly_rate: {weekly_rate}
  origin_groups:
    - {{name: a, share: 1, skills: {{low: 0.5, mid: 0.3, high: 0.2}}, household_sizes: [0.4, 0.2, 0.2, 0.2], recognition_probability: 0.7}}
"#
        ),
    )
    .unwrap();
}

/// A path as a command-line argument.
pub fn s(p: &Path) -> &str {
    p.to_str().unwrap()
}
