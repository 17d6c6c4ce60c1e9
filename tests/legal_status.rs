//! Legal status after the first decision: appeals against Little's law and
//! the courts' capacity, the split of outcomes, removals at capacity, and
//! the accommodation of the finally refused as a lever.
//!
//! The configuration: one region; every arrival is a one-person asylum
//! household, decided in its arrival week (decision capacity far above
//! arrivals). With a court capacity above the inflow of appeals, every
//! appeal is decided exactly `appeal_min_weeks` (m) after it was filed, so
//! a household appealing in week j is pending at the end of weeks j, …,
//! j + m − 1: m times. The mean number pending is therefore λ_a × m, λ_a the
//! weekly inflow of appeals (Little's law with a fixed sojourn).

use foresight::model::indicators as ind;
use foresight::model::{ReplicationKey, ReplicationResult, run_replication};
use foresight::scenario::{RejectedAccommodation, Scenario, parse_str};

fn scenario(weekly_rate: f64, recognition: f64, extra: &str) -> Scenario {
    let off = "{take_up_per_week: 0, duration_weeks: 1, cost_per_place_week: 0}";
    let yaml = format!(
        r#"
name: legal_status
horizon_weeks: 300
seed: 3
regions:
  - name: Only
    population: 1000000
    reception_places: 1000000
    jobs: {{low: 0, mid: 0, high: 0}}
arrivals:
  weekly_rate: {weekly_rate}
  channels: {{asylum: 1}}
  origin_groups:
    - name: g
      share: 1
      skills: {{low: 1, mid: 0, high: 0}}
      household_sizes: [1]
      family_abroad: {{members_per_adult: 0}}
      recognition_probability: {recognition}
asylum: {{decision_capacity_per_week: 1000000, rejected_departure_rate_per_week: 0}}
services:
  language: {off}
  coaching: {off}
  credential_recognition: {off}
  interpretation: {off}
  health_registration: {off}
  mental_health: {off}
demography: {{mortality_multiplier: 0, total_fertility_rate: 0, leaving_home_rate_per_year: 0}}
secondary_movement: {{rate_per_week: 0}}
{extra}
"#
    );
    parse_str(&yaml, "legal_status.yaml").unwrap_or_else(|e| panic!("scenario invalid:\n{e}"))
}

fn run(s: &Scenario, rep: u32) -> ReplicationResult {
    run_replication(s, ReplicationKey::new(s.seed, rep))
}

#[test]
fn appeals_pending_follow_littles_law_when_courts_keep_up() {
    // λ = 10 arrivals a week, all refused, 80% appeal: λ_a = 8; m = 20.
    let s = scenario(
        10.0,
        0.0,
        "legal_status: {appeal_share: 0.8, appeal_min_weeks: 20, court_capacity_per_week: 100000}",
    );
    let (from, to) = (60, 300);
    let mut means = Vec::new();
    for rep in 0..8 {
        let r = run(&s, rep);
        let n = r.series.national();
        let sum: f64 = (from..to).map(|w| r.series.get(w, n, ind::APPEALING)).sum();
        means.push(sum / (to - from) as f64);
    }
    let k = means.len() as f64;
    let mean = means.iter().sum::<f64>() / k;
    let se = (means.iter().map(|m| (m - mean).powi(2)).sum::<f64>() / (k - 1.0) / k).sqrt();
    let expected = 10.0 * 0.8 * 20.0;
    assert!(
        (mean - expected).abs() <= 4.0 * se + 0.5,
        "appeals pending {mean:.2} ± {se:.2}, Little's law gives {expected}"
    );
}

#[test]
fn a_court_short_of_capacity_lets_appeals_pile_up_at_the_gap() {
    // Inflow about 8 a week against a capacity of 5: the pending appeals
    // grow by about 3 a week once the first appeals are due.
    let s = scenario(
        10.0,
        0.0,
        "legal_status: {appeal_share: 0.8, appeal_min_weeks: 10, court_capacity_per_week: 5}",
    );
    let r = run(&s, 0);
    let n = r.series.national();
    let (a, b) = (50, 290);
    let slope =
        (r.series.get(b, n, ind::APPEALING) - r.series.get(a, n, ind::APPEALING)) / (b - a) as f64;
    // The inflow over 240 weeks has a standard deviation of about
    // √(8 × 240) / 240 ≈ 0.18 a week.
    assert!(
        (slope - 3.0).abs() < 0.8,
        "pending grew by {slope:.2} a week"
    );
}

#[test]
fn outcomes_split_as_the_shares_say() {
    // Half recognised at first instance, a third of those subsidiary; all
    // refusals appealed, a quarter succeed; of final refusals, 40% tolerated.
    let mut s = scenario(
        20.0,
        0.5,
        "legal_status: {appeal_share: 1, appeal_min_weeks: 4, \
         court_capacity_per_week: 100000, appeal_success: 0.25, tolerated_share: 0.4}",
    );
    s.arrivals.origin_groups[0]
        .family_abroad
        .subsidiary_protection_share = 1.0 / 3.0;
    let r = run(&s, 0);
    let (n, w) = (r.series.national(), r.series.weeks - 1);
    let get = |k| r.series.get(w, n, k);
    let (recognised, subsidiary) = (get(ind::RECOGNISED), get(ind::SUBSIDIARY));
    let (rejected, tolerated) = (get(ind::REJECTED), get(ind::TOLERATED));
    let share = subsidiary / (recognised + subsidiary);
    assert!(
        (share - 1.0 / 3.0).abs() < 0.03,
        "subsidiary share {share:.3}"
    );
    let tolerated_share = tolerated / (rejected + tolerated);
    assert!(
        (tolerated_share - 0.4).abs() < 0.04,
        "tolerated share {tolerated_share:.3}"
    );
    // Protected: a half at first instance plus a quarter of the other half.
    let protected = (recognised + subsidiary) / (recognised + subsidiary + rejected + tolerated);
    assert!(
        (protected - 0.625).abs() < 0.03,
        "protected share {protected:.3}"
    );
}

#[test]
fn removals_run_at_capacity_while_returnable_persons_wait() {
    // 10 refused a week, no appeals, none tolerated; 6 removals a week.
    let s = scenario(
        10.0,
        0.0,
        "legal_status: {appeal_share: 0, tolerated_share: 0, removal_capacity_per_week: 6}",
    );
    let r = run(&s, 0);
    let n = r.series.national();
    for w in 20..r.series.weeks {
        assert_eq!(r.series.get(w, n, ind::REMOVALS), 6.0, "week {w}");
    }
    // Tolerated persons are never removed.
    let s = scenario(
        10.0,
        0.0,
        "legal_status: {appeal_share: 0, tolerated_share: 1, removal_capacity_per_week: 6}",
    );
    let r = run(&s, 0);
    let n = r.series.national();
    assert!((0..r.series.weeks).all(|w| r.series.get(w, n, ind::REMOVALS) == 0.0));
}

#[test]
fn accommodation_of_the_finally_refused_decides_their_homelessness() {
    let base = "legal_status: {appeal_share: 0}\npolicy: {move_on: {period_weeks: 4}, rejected_accommodation: ";
    let outcome = |lever: &str| {
        let s = scenario(10.0, 0.0, &format!("{base}{lever}}}"));
        assert_eq!(
            s.policy.rejected_accommodation,
            match lever {
                "none" => RejectedAccommodation::None,
                "basic_reception" => RejectedAccommodation::BasicReception,
                _ => RejectedAccommodation::Community,
            }
        );
        let r = run(&s, 0);
        let (n, w) = (r.series.national(), r.series.weeks - 1);
        [
            ind::HOMELESS_AFTER_REJECTION,
            ind::RECEPTION_OCCUPANCY,
            ind::OVERCROWDED,
        ]
        .map(|k| r.series.get(w, n, k))
    };
    let none = outcome("none");
    let basic = outcome("basic_reception");
    let community = outcome("community");
    assert!(none[0] > 1000.0, "{none:?}");
    assert_eq!(basic[0], 0.0);
    assert_eq!(community[0], 0.0);
    // Kept in reception, or hosted by others.
    assert!(basic[1] > none[1] + 1000.0, "{basic:?} {none:?}");
    assert!(community[2] > 1000.0, "{community:?}");
}
