//! Special functions the analyses need: the log-gamma function, the
//! regularised incomplete beta function and the binomial upper tail (for
//! PRIM's quasi-p-values).

/// ln Γ(x) for x > 0 (Lanczos approximation, g = 7, nine coefficients;
/// relative error about 1e-15).
pub fn ln_gamma(x: f64) -> f64 {
    const G: f64 = 7.0;
    const C: [f64; 9] = [
        0.999_999_999_999_809_9,
        676.520_368_121_885_1,
        -1_259.139_216_722_402_8,
        771.323_428_777_653_1,
        -176.615_029_162_140_6,
        12.507_343_278_686_905,
        -0.138_571_095_265_720_12,
        9.984_369_578_019_572e-6,
        1.505_632_735_149_311_6e-7,
    ];
    if x < 0.5 {
        // Reflection: Γ(x)Γ(1−x) = π / sin(πx).
        let pi = std::f64::consts::PI;
        return (pi / (pi * x).sin()).ln() - ln_gamma(1.0 - x);
    }
    let x = x - 1.0;
    let mut a = C[0];
    let t = x + G + 0.5;
    for (i, c) in C.iter().enumerate().skip(1) {
        a += c / (x + i as f64);
    }
    0.5 * (2.0 * std::f64::consts::PI).ln() + (x + 0.5) * t.ln() - t + a.ln()
}

/// ln n! for a whole number n, exact summation up to 256 (where Lanczos
/// loses a few digits to cancellation in differences), Lanczos beyond.
fn ln_factorial(n: u64) -> f64 {
    if n < 256 {
        (2..=n).map(|k| (k as f64).ln()).sum()
    } else {
        ln_gamma(n as f64 + 1.0)
    }
}

/// The regularised incomplete beta function I_x(a, b) (continued fraction
/// by the modified Lentz method, Numerical Recipes, chapter 6.4).
pub fn incomplete_beta(a: f64, b: f64, x: f64) -> f64 {
    if x <= 0.0 {
        return 0.0;
    }
    if x >= 1.0 {
        return 1.0;
    }
    let ln_front = ln_gamma(a + b) - ln_gamma(a) - ln_gamma(b) + a * x.ln() + b * (-x).ln_1p();
    if x < (a + 1.0) / (a + b + 2.0) {
        (ln_front.exp() * beta_fraction(a, b, x) / a).clamp(0.0, 1.0)
    } else {
        (1.0 - ln_front.exp() * beta_fraction(b, a, 1.0 - x) / b).clamp(0.0, 1.0)
    }
}

fn beta_fraction(a: f64, b: f64, x: f64) -> f64 {
    const TINY: f64 = 1e-300;
    let (qab, qap, qam) = (a + b, a + 1.0, a - 1.0);
    let mut c = 1.0;
    let mut d = 1.0 - qab * x / qap;
    if d.abs() < TINY {
        d = TINY;
    }
    d = 1.0 / d;
    let mut h = d;
    for m in 1..100_000 {
        let m = m as f64;
        let m2 = 2.0 * m;
        let aa = m * (b - m) * x / ((qam + m2) * (a + m2));
        d = 1.0 + aa * d;
        if d.abs() < TINY {
            d = TINY;
        }
        c = 1.0 + aa / c;
        if c.abs() < TINY {
            c = TINY;
        }
        d = 1.0 / d;
        h *= d * c;
        let aa = -(a + m) * (qab + m) * x / ((a + m2) * (qap + m2));
        d = 1.0 + aa * d;
        if d.abs() < TINY {
            d = TINY;
        }
        c = 1.0 + aa / c;
        if c.abs() < TINY {
            c = TINY;
        }
        d = 1.0 / d;
        let del = d * c;
        h *= del;
        if (del - 1.0).abs() < 1e-16 {
            break;
        }
    }
    h
}

/// P(X ≥ k) for X ~ Binomial(n, p): the one-sided ("greater") binomial
/// test's p-value, as `scipy.stats.binomtest(k, n, p,
/// alternative="greater").pvalue` computes it.
pub fn binomial_upper_tail(k: u64, n: u64, p: f64) -> f64 {
    if k == 0 {
        return 1.0;
    }
    if k > n {
        return 0.0;
    }
    if p <= 0.0 {
        return 0.0;
    }
    if p >= 1.0 {
        return 1.0;
    }
    // For small n, the sum of the probabilities of k..=n is exact to
    // rounding; beyond, the incomplete beta function I_p(k, n − k + 1).
    if n <= 2000 {
        let (lp, lq) = (p.ln(), (-p).ln_1p());
        let ln_n = ln_factorial(n);
        let mut terms: Vec<f64> = (k..=n)
            .map(|j| {
                (ln_n - ln_factorial(j) - ln_factorial(n - j) + j as f64 * lp + (n - j) as f64 * lq)
                    .exp()
            })
            .collect();
        // Smallest first, for an accurate sum.
        terms.sort_by(f64::total_cmp);
        return terms.iter().sum::<f64>().min(1.0);
    }
    incomplete_beta(k as f64, (n - k + 1) as f64, p).min(1.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ln_gamma_matches_factorials() {
        for (n, f) in [
            (1u64, 1.0f64),
            (5, 24.0),
            (10, 362_880.0),
            (20, 1.216_451_004_088_32e17),
        ] {
            assert!((ln_gamma(n as f64) - f.ln()).abs() < 1e-12, "{n}");
        }
        assert!((ln_gamma(0.5) - std::f64::consts::PI.sqrt().ln()).abs() < 1e-14);
    }

    #[test]
    fn binomial_tail_against_hand_sums() {
        // P(X ≥ 3), X ~ Bin(4, 0.5) = (4 + 1) / 16.
        assert!((binomial_upper_tail(3, 4, 0.5) - 5.0 / 16.0).abs() < 1e-15);
        // P(X ≥ 1), X ~ Bin(10, 0.1) = 1 − 0.9^10.
        assert!((binomial_upper_tail(1, 10, 0.1) - (1.0 - 0.9f64.powi(10))).abs() < 1e-14);
        assert_eq!(binomial_upper_tail(0, 7, 0.3), 1.0);
        assert_eq!(binomial_upper_tail(8, 7, 0.3), 0.0);
        // The two routes agree where they meet.
        for (k, n, p) in [
            (1200u64, 2000u64, 0.55),
            (30, 2000, 0.01),
            (1990, 2000, 0.99),
        ] {
            let sum = binomial_upper_tail(k, n, p);
            let beta = incomplete_beta(k as f64, (n - k + 1) as f64, p);
            assert!(
                (sum - beta).abs() <= 1e-12 * sum.max(1e-300) + 1e-300,
                "{k} {n} {p}: {sum} {beta}"
            );
        }
    }
}
