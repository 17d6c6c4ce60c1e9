//! Validation: family reunion arrivals per recognised sponsor follow the
//! configured share and delay.
//!
//! 40,000 single adults seek asylum at the start (the initial backlog) and
//! are all recognised in week 0. With `members_per_adult` 0.4 and every
//! household a single adult, each has a spouse abroad with probability 0.4
//! (`arrivals.origin_groups[].family_abroad`). A sponsor applies in week
//! `W` = 10 (the waiting period after recognition), the application is
//! processed for T weeks, T geometric with mean 20, and the spouse arrives
//! in week W + T. So:
//!
//! - the applications (persons) are binomial(40,000, 0.4): within four
//!   standard deviations;
//! - the weeks of arrival follow W + T: Pearson's chi-square over bins of
//!   weeks (each with at least 40 expected, the last bin everything beyond,
//!   those still waiting at the end included) must stay below its 0.999
//!   quantile, and the Kolmogorov distance is reported;
//! - the same arrivals must reject a processing time 15% longer on average,
//!   a waiting period two weeks longer, and a fixed processing time of 20
//!   weeks, so the check can fail.
//!
//! Two more levers: with half the recognitions granting subsidiary
//! protection and subsidiary protection not eligible, half the sponsors
//! apply; with an annual cap, no year admits more than the cap.
//!
//! And against what nobody here wrote: the bundled Germany scenario,
//! carried on to 2018 with the published asylum figures, issues family-
//! reunion visas of the order Germany issued in 2016–2018 (S26).

use foresight::model::indicators as ind;
use foresight::model::{ReplicationKey, run_replication};
use foresight::scenario::{Scenario, parse_str};

const SPONSORS: u64 = 40_000;
const SHARE: f64 = 0.4;
const WAIT: u32 = 10;
const MEAN: f64 = 20.0;
const HORIZON: u32 = 300;

fn scenario(reunion: &str, subsidiary: f64) -> Scenario {
    let yaml = format!(
        r#"
name: reunion
horizon_weeks: {HORIZON}
seed: 41
regions:
  - name: r
    population: 10000000
    reception_places: 1000000
    jobs: {{low: 0, mid: 0, high: 0}}
arrivals:
  weekly_rate: 0
  origin_groups:
    - name: g
      share: 1
      skills: {{low: 1, mid: 0, high: 0}}
      household_sizes: [1]
      recognition_probability: 1
      family_abroad: {{members_per_adult: {SHARE}, subsidiary_protection_share: {subsidiary}}}
asylum:
  decision_capacity_per_week: 10000000
  initial_backlog: {SPONSORS}
  rejected_departure_rate_per_week: 0
secondary_movement: {{rate_per_week: 0}}
demography: {{mortality_multiplier: 0, total_fertility_rate: 0}}
policy:
  family_reunion: {reunion}
"#
    );
    parse_str(&yaml, "reunion.yaml").unwrap_or_else(|e| panic!("{e}"))
}

/// A distribution of the week of arrival.
type Reference = Box<dyn Fn(u32) -> f64>;

/// National weekly values of an indicator.
fn weekly(s: &foresight::model::Series, k: usize) -> Vec<f64> {
    (0..s.weeks).map(|w| s.get(w, s.national(), k)).collect()
}

/// P(arrival in week w) for a wait `wait` and a processing time `t(k)`,
/// P(T = k) for k ≥ 1.
fn reference(wait: u32, t: impl Fn(u32) -> f64) -> impl Fn(u32) -> f64 {
    move |w| if w > wait { t(w - wait) } else { 0.0 }
}

fn geometric(mean: f64) -> impl Fn(u32) -> f64 {
    let q = 1.0 / mean;
    move |k| q * (1.0 - q).powi(k as i32 - 1)
}

/// Pearson's chi-square of the weekly arrivals (and those still waiting,
/// the last bin) against a reference, over bins of at least 40 expected
/// under the `right` reference; and the degrees of freedom.
fn chi_square(
    arrivals: &[f64],
    waiting: f64,
    p: &dyn Fn(u32) -> f64,
    right: &dyn Fn(u32) -> f64,
) -> (f64, usize) {
    let n: f64 = arrivals.iter().sum::<f64>() + waiting;
    let (mut chi, mut bins) = (0.0, 0);
    let (mut o, mut e, mut e_right) = (0.0, 0.0, 0.0);
    let mut close = |o: f64, e: f64| {
        if e > 0.0 {
            chi += (o - e).powi(2) / e;
        } else if o > 0.0 {
            chi = f64::INFINITY;
        }
        bins += 1;
    };
    for (w, &a) in arrivals.iter().enumerate() {
        o += a;
        e += n * p(w as u32);
        e_right += n * right(w as u32);
        if e_right >= 40.0 {
            close(o, e);
            (o, e, e_right) = (0.0, 0.0, 0.0);
        }
    }
    // Everything after the last full bin, and beyond the horizon.
    let seen: f64 = (0..arrivals.len() as u32).map(p).sum();
    let tail_e = e + n * (1.0 - seen).max(0.0);
    close(o + waiting, tail_e);
    (chi, bins - 1)
}

/// Upper 0.999 quantile of chi-square with `df` degrees of freedom
/// (Wilson–Hilferty; within 1% for df ≥ 10).
fn critical(df: usize) -> f64 {
    let k = df as f64;
    let z = 3.0902; // 0.999 normal quantile
    k * (1.0 - 2.0 / (9.0 * k) + z * (2.0 / (9.0 * k)).sqrt()).powi(3)
}

#[test]
fn reunion_arrivals_follow_the_share_and_the_delay() {
    let reunion = format!("{{waiting_period_weeks: {WAIT}, processing_weeks: {MEAN}}}");
    let r = run_replication(&scenario(&reunion, 0.0), ReplicationKey::new(41, 0));
    let s = &r.series;
    let applied: f64 = weekly(s, ind::REUNION_APPLICATIONS).iter().sum();
    let arrivals = weekly(s, ind::REUNION_ARRIVALS);
    let waiting = s.get(s.weeks - 1, s.national(), ind::REUNION_BACKLOG);
    let arrived: f64 = arrivals.iter().sum();
    assert_eq!(
        arrived + waiting,
        applied,
        "every application arrives or waits"
    );

    // The share.
    let n = SPONSORS as f64;
    let sd = (n * SHARE * (1.0 - SHARE)).sqrt();
    println!("applications {applied} (expected {} ± {sd:.0})", n * SHARE);
    assert!((applied - n * SHARE).abs() < 4.0 * sd);
    // Everyone applied in the week the wait ended.
    let apps = weekly(s, ind::REUNION_APPLICATIONS);
    assert_eq!(apps[WAIT as usize], applied);

    // The delay.
    let right = reference(WAIT, geometric(MEAN));
    let (chi, df) = chi_square(&arrivals, waiting, &right, &right);
    let mut cdf_o = 0.0;
    let mut cdf_e = 0.0;
    let mut ks: f64 = 0.0;
    for (w, &a) in arrivals.iter().enumerate() {
        cdf_o += a / applied;
        cdf_e += right(w as u32);
        ks = ks.max((cdf_o - cdf_e).abs());
    }
    println!(
        "delay: chi-square {chi:.1} on {df} df (0.999 quantile {:.1}); Kolmogorov distance {ks:.4} \
         (1.95/sqrt(n) = {:.4})",
        critical(df),
        1.95 / applied.sqrt()
    );
    assert!(chi < critical(df), "delays differ from W + geometric(mean)");
    assert!(ks < 1.95 / applied.sqrt(), "Kolmogorov distance too large");

    let wrong: [(&str, Reference); 3] = [
        (
            "mean processing 15% longer",
            Box::new(reference(WAIT, geometric(MEAN * 1.15))),
        ),
        (
            "waiting period two weeks longer",
            Box::new(reference(WAIT + 2, geometric(MEAN))),
        ),
        (
            "fixed processing of 20 weeks",
            Box::new(reference(WAIT, |k| f64::from(u8::from(k == MEAN as u32)))),
        ),
    ];
    for (what, p) in &wrong {
        let (chi_wrong, _) = chi_square(&arrivals, waiting, p.as_ref(), &right);
        println!("    rejects {what:<34} chi-square {chi_wrong:.1}");
        assert!(
            chi_wrong > critical(df),
            "{what} is not rejected: {chi_wrong:.1}"
        );
    }
}

#[test]
fn subsidiary_protection_and_the_cap_bind() {
    // Half the recognitions grant subsidiary protection, which may not sponsor.
    let r = run_replication(
        &scenario(
            "{subsidiary_protection_eligible: false, processing_weeks: 4}",
            0.5,
        ),
        ReplicationKey::new(41, 1),
    );
    let applied: f64 = weekly(&r.series, ind::REUNION_APPLICATIONS).iter().sum();
    let p = SHARE * 0.5;
    let n = SPONSORS as f64;
    let sd = (n * p * (1.0 - p)).sqrt();
    println!(
        "subsidiary not eligible: applications {applied} (expected {} ± {sd:.0})",
        n * p
    );
    assert!((applied - n * p).abs() < 4.0 * sd);

    // A cap of 1,000 family members a year.
    let r = run_replication(
        &scenario("{annual_cap: 1000, processing_weeks: 4}", 0.0),
        ReplicationKey::new(41, 2),
    );
    let arrivals = weekly(&r.series, ind::REUNION_ARRIVALS);
    for (year, weeks) in arrivals.chunks(52).enumerate() {
        let admitted: f64 = weeks.iter().sum();
        assert!(admitted <= 1000.0, "year {year}: {admitted} admitted");
        if year + 1 < arrivals.len() / 52 {
            assert_eq!(admitted, 1000.0, "year {year}: the cap is used in full");
        }
    }
    let s = &r.series;
    assert!(s.get(s.weeks - 1, s.national(), ind::REUNION_BACKLOG) > 0.0);
}

/// Family-reunion visas a year, Germany (S26): 2016, 2017, 2018.
const PUBLISHED_VISAS: [f64; 3] = [50_000.0, 54_000.0, 30_000.0];

/// The bundled Germany scenario carried on to the end of 2018 with the
/// published asylum figures of 2016–2018 and the law of the time; nothing
/// here is tuned to the visas (`docs/model.md`, section 6).
fn germany_2015_2018() -> Scenario {
    let mut s = foresight::scenario::load(std::path::Path::new("scenarios/germany_2015.yaml"))
        .unwrap_or_else(|d| panic!("{d}"));
    s.horizon_weeks = 4 * 52;
    // Asylum seekers arriving a year (S27) over the file's 7,000 a week.
    let base = s.arrivals.weekly_rate.at(0) * 52.0;
    for (year, arrived) in [(1, 280_000.0), (2, 186_644.0), (3, 162_000.0)] {
        s.arrivals.surges.push(foresight::scenario::Surge {
            start_week: 52 * year,
            length_weeks: 52,
            peak_multiplier: arrived / base,
            ramp_weeks: 0,
            origin_mix: None,
        });
    }
    // BAMF's decisions 2015–2018 (S3, S27) over the four years: the model
    // has one capacity for the whole run.
    s.asylum.decision_capacity_per_week =
        ((282_726.0 + 695_733.0 + 603_428.0 + 216_873.0) / f64::from(4 * 52)).into();
    // Syrians: 31% of protection subsidiary (S25); family reunion for it
    // suspended from March 2016 to July 2018 (S26), taken as the whole run.
    for g in &mut s.arrivals.origin_groups {
        if g.name == "syria" {
            g.family_abroad.subsidiary_protection_share = 0.31;
        }
    }
    s.policy.family_reunion.subsidiary_protection_eligible = false;
    s
}

#[test]
fn germany_family_reunion_visas_2016_2018_against_published_figures() {
    let s = germany_2015_2018();
    let reps = 2;
    let mut visas = [0.0; 4];
    for rep in 0..reps {
        let r = run_replication(&s, ReplicationKey::new(s.seed, rep));
        let arrivals = weekly(&r.series, ind::REUNION_ARRIVALS);
        for (year, weeks) in arrivals.chunks(52).enumerate() {
            visas[year] += weeks.iter().sum::<f64>() / f64::from(reps);
        }
    }
    println!("year   model   published (S26)");
    println!(
        "2015 {:7.0}   about 25,000 (Syrians and Iraqis only)",
        visas[0]
    );
    for (i, p) in PUBLISHED_VISAS.iter().enumerate() {
        println!("{} {:7.0}   {p:7.0}", 2016 + i, visas[i + 1]);
    }
    let model: f64 = visas[1..].iter().sum();
    let published: f64 = PUBLISHED_VISAS.iter().sum();
    let ratio = model / published;
    println!("2016-2018 {model:.0} against {published:.0}: ratio {ratio:.2}");
    // Not a calibration: the order of magnitude. The published visas also
    // go to families of those who came before 2015 and to relatives the
    // model does not have (docs/model.md, section 6).
    assert!(
        (0.5..2.0).contains(&ratio),
        "2016-2018 visas {model:.0} against {published:.0} published"
    );
    for (i, p) in PUBLISHED_VISAS.iter().enumerate() {
        let r = visas[i + 1] / p;
        assert!((1.0 / 3.0..3.0).contains(&r), "{}: {r:.2}", 2016 + i);
    }
}
