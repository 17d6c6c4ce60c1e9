//! Waiting for a weekly chance: instead of a trial every week (or for
//! every person in a list), one draw says how many trials fail before the
//! first success. Shared by the services (the week a person who is not an
//! agent takes a service up) and the labour market (which seekers are
//! candidates this week, by thinning).

use rand::RngExt;
use rand_pcg::Pcg64Mcg;

/// Failures before the first success of independent trials with chance
/// `p` each (geometric): P(result ≥ n) = (1 − p)^n. 0 if `p` ≥ 1, `u64::MAX`
/// (never) if `p` ≤ 0.
pub fn failures_before_success(rng: &mut Pcg64Mcg, p: f64) -> u64 {
    if p >= 1.0 {
        return 0;
    }
    if p <= 0.0 || p.is_nan() {
        return u64::MAX;
    }
    let u: f64 = 1.0 - rng.random::<f64>(); // (0, 1]
    // `as` saturates: a wait beyond 2^64 is never.
    (u.ln() / (1.0 - p).ln()).floor() as u64
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng;

    /// The mean of a geometric number of failures is (1 − p)/p, and
    /// P(0) = p: checked on 200,000 draws against the law of large numbers
    /// (tolerances of about five standard errors).
    #[test]
    fn failures_follow_the_geometric_law() {
        let mut rng = Pcg64Mcg::seed_from_u64(7);
        for p in [0.02, 0.3, 0.9] {
            let n = 200_000;
            let draws: Vec<u64> = (0..n)
                .map(|_| failures_before_success(&mut rng, p))
                .collect();
            let mean = draws.iter().sum::<u64>() as f64 / f64::from(n);
            let expected = (1.0 - p) / p;
            let sd = ((1.0 - p) / (p * p) / f64::from(n)).sqrt();
            assert!(
                (mean - expected).abs() < 5.0 * sd,
                "p {p}: mean {mean} against {expected}"
            );
            let zeros = draws.iter().filter(|&&d| d == 0).count() as f64 / f64::from(n);
            let sd0 = (p * (1.0 - p) / f64::from(n)).sqrt();
            assert!((zeros - p).abs() < 5.0 * sd0, "p {p}: P(0) {zeros}");
        }
        assert_eq!(failures_before_success(&mut rng, 1.0), 0);
        assert_eq!(failures_before_success(&mut rng, 0.0), u64::MAX);
    }
}
