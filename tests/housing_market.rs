//! The housing market against an independent computation of its queue, and
//! the accounting of homelessness by path.
//!
//! # The queue (`housing_queue_matches_the_reflected_walk_...`)
//!
//! One region; every arrival is a one-person asylum household recognised in
//! its arrival week (recognition probability 1, decision capacity far above
//! arrivals) and held in accommodation for the whole run (a move-on period
//! longer than the horizon), so it searches for a small unit from its
//! arrival week until it is housed, and nobody leaves the queue otherwise.
//! Arrivals per week are Poisson with mean λ (households of one), units
//! coming free per week Poisson with mean μ (small units, let directly,
//! stock 0, no supply trend), and unused units stay vacant up to
//! L = ⌊carry_over_weeks × μ⌋.
//!
//! A week runs: the week's arrivals join, then the week's units and the
//! vacant ones are offered, front first. With Q households searching and V
//! units vacant at the end of a week, at most one of them is non-zero, so
//! the state is N = Q − V ∈ {−L, −L+1, …}, and
//!
//!   N(t+1) = max(N(t) + A − U, −L),   A ~ Poisson(λ), U ~ Poisson(μ),
//!
//! a random walk reflected at −L, started at N = 0 before week 0. Its law
//! is iterated exactly (the distribution of A − U convolved week by week on
//! −L..=n_max), which gives the expected mean of Q = max(N, 0) over the
//! measured window, warm-up bias included; the replications' mean must lie
//! within four standard errors of it. The search time is checked by the
//! discrete Little's law: a household that joins in week j and is housed in
//! week s waits s − j weeks and is in the end-of-week queue s − j times, so
//! over the window Σ waits ≈ Σ Q, and the mean recorded wait is E[Q] / λ
//! (the two sides differ only by the households in the queue at the window's
//! ends, which the tolerance covers).
//!
//! The accounting of homelessness by path (every homeless person-week in
//! exactly one path) is checked over generated scenarios in
//! `tests/nobody_lost.rs`.

use foresight::model::indicators as ind;
use foresight::model::{ReplicationKey, run_replication};
use foresight::scenario::{Scenario, parse_str};

/// One market to test.
struct Design {
    /// Arrivals (households of one) per week.
    lambda: f64,
    /// Units coming free per week.
    mu: f64,
    /// `housing.carry_over_weeks`.
    carry_over_weeks: f64,
    warm_up: usize,
    window: usize,
    replications: u32,
    seed: u64,
}

impl Design {
    fn limit(&self) -> i64 {
        (self.carry_over_weeks * self.mu).floor() as i64
    }
}

fn scenario(d: &Design) -> Scenario {
    let off = "{take_up_per_week: 0, duration_weeks: 1, cost_per_place_week: 0}";
    let yaml = format!(
        r#"
name: housing_queue
horizon_weeks: {weeks}
seed: {seed}
regions:
  - name: Only
    population: 1000000
    reception_places: 1000000
    jobs: {{low: 0, mid: 0, high: 0}}
    housing: {{small_units_per_week: {mu}}}
arrivals:
  weekly_rate: {lambda}
  channels: {{asylum: 1}}
  origin_groups:
    - name: g
      share: 1
      skills: {{low: 1, mid: 0, high: 0}}
      household_sizes: [1]
      family_abroad: {{members_per_adult: 0}}
      recognition_probability: 1
asylum: {{decision_capacity_per_week: 1000000}}
housing: {{carry_over_weeks: {carry}}}
services:
  language: {off}
  coaching: {off}
  credential_recognition: {off}
  interpretation: {off}
  health_registration: {off}
  mental_health: {off}
demography: {{mortality_multiplier: 0, total_fertility_rate: 0, leaving_home_rate_per_year: 0}}
secondary_movement: {{rate_per_week: 0}}
policy: {{move_on: {{period_weeks: 1000000}}}}
"#,
        weeks = d.warm_up + d.window,
        seed = d.seed,
        mu = d.mu,
        lambda = d.lambda,
        carry = d.carry_over_weeks,
    );
    parse_str(&yaml, "housing_queue.yaml").unwrap_or_else(|e| panic!("scenario invalid:\n{e}"))
}

fn poisson_pmf(mean: f64) -> Vec<f64> {
    let mut p = vec![(-mean).exp()];
    let mut k = 0.0;
    while k < mean || *p.last().unwrap() > 1e-30 {
        k += 1.0;
        let next = p.last().unwrap() * mean / k;
        p.push(next);
    }
    p
}

/// The expected mean of Q over the window, from the exact law of the
/// reflected walk started at N = 0.
fn expected_queue(d: &Design) -> f64 {
    let (a, u) = (poisson_pmf(d.lambda), poisson_pmf(d.mu));
    // The law of A − U, offset by the largest U.
    let off = u.len() as i64 - 1;
    let mut step = vec![0.0; a.len() + u.len() - 1];
    for (i, pa) in a.iter().enumerate() {
        for (j, pu) in u.iter().enumerate() {
            step[(i as i64 - j as i64 + off) as usize] += pa * pu;
        }
    }
    let low = -d.limit();
    // The walk drifts down by μ − λ a week against a weekly variance of
    // λ + μ: its tail falls off like e^(−2(μ−λ)n/(λ+μ)).
    let n_max = (60.0 * (d.lambda + d.mu) / (d.mu - d.lambda)) as i64;
    let size = (n_max - low + 1) as usize;
    let mut p = vec![0.0; size];
    p[(-low) as usize] = 1.0;
    let mut next = vec![0.0; size];
    let mut sum = 0.0;
    let mut lost = 0.0;
    for week in 0..d.warm_up + d.window {
        next.fill(0.0);
        for (i, &pi) in p.iter().enumerate() {
            if pi == 0.0 {
                continue;
            }
            for (k, &pk) in step.iter().enumerate() {
                let n = (i as i64 + low) + k as i64 - off;
                let n = n.max(low);
                match next.get_mut((n - low) as usize) {
                    Some(x) => *x += pi * pk,
                    None => lost += pi * pk,
                }
            }
        }
        std::mem::swap(&mut p, &mut next);
        if week >= d.warm_up {
            let q: f64 = p
                .iter()
                .enumerate()
                .map(|(i, x)| (i as i64 + low).max(0) as f64 * x)
                .sum();
            sum += q;
        }
    }
    assert!(lost < 1e-12, "probability lost beyond n_max: {lost}");
    sum / d.window as f64
}

/// A mean over replications and its standard error.
fn estimate(values: &[f64]) -> (f64, f64) {
    let r = values.len() as f64;
    let mean = values.iter().sum::<f64>() / r;
    let var = values.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / (r - 1.0);
    (mean, (var / r).sqrt())
}

/// Checks the design; returns the replications' mean queue and its
/// standard error.
fn check(d: &Design) -> (f64, f64) {
    let s = scenario(d);
    let expected = expected_queue(d);
    let mut queues = Vec::new();
    let mut waits = Vec::new();
    for i in 0..d.replications {
        let r = run_replication(&s, ReplicationKey::new(d.seed, i));
        let (series, n) = (&r.series, r.series.national());
        let (mut q, mut wait_sum, mut housed) = (0.0, 0.0, 0.0);
        for w in d.warm_up..d.warm_up + d.window {
            q += series.get(w, n, ind::SEARCHING_FOR_HOME);
            let h = series.get(w, n, ind::HOUSED);
            if h > 0.0 {
                wait_sum += series.get(w, n, ind::HOUSING_WAIT_WEEKS) * h;
                housed += h;
            }
            // Nobody else is housed, overcrowded or homeless.
            assert_eq!(series.get(w, n, ind::OVERCROWDED), 0.0);
            assert_eq!(series.get(w, n, ind::HOMELESS), 0.0);
        }
        queues.push(q / d.window as f64);
        waits.push(wait_sum / housed);
    }
    let (q, se) = estimate(&queues);
    assert!(
        (q - expected).abs() <= 4.0 * se,
        "λ {} μ {} L {}: mean queue {q:.3} ± {se:.3}, the walk gives {expected:.3}",
        d.lambda,
        d.mu,
        d.limit()
    );
    let (w, se_w) = estimate(&waits);
    let little = expected / d.lambda;
    // The households in the queue at the window's ends: at most about
    // 2 E[Q] waits out of λ × window.
    let ends = 2.0 * expected / (d.lambda * d.window as f64) * little.max(1.0);
    assert!(
        (w - little).abs() <= 4.0 * se_w + ends,
        "λ {} μ {} L {}: mean search {w:.3} ± {se_w:.3} weeks, Little's law gives {little:.3}",
        d.lambda,
        d.mu,
        d.limit()
    );
    (q, se)
}

#[test]
fn housing_queue_matches_the_reflected_walk_without_carry_over() {
    let _ = check(&Design {
        lambda: 8.0,
        mu: 10.0,
        carry_over_weeks: 0.0,
        warm_up: 100,
        window: 600,
        replications: 16,
        seed: 11,
    });
}

#[test]
fn housing_queue_matches_the_reflected_walk_with_carry_over() {
    // L = 10 vacant units at most: shorter queues than without.
    let d = Design {
        lambda: 8.0,
        mu: 10.0,
        carry_over_weeks: 1.0,
        warm_up: 100,
        window: 600,
        replications: 16,
        seed: 12,
    };
    let (q, se) = check(&d);
    // The check tells the two rules apart: the walk without carry-over is
    // far from what the model gives.
    let without = expected_queue(&Design {
        carry_over_weeks: 0.0,
        ..d
    });
    assert!(
        (q - without).abs() > 5.0 * se,
        "mean queue {q:.3} ± {se:.3} is also near the walk without carry-over ({without:.3})"
    );
}
