//! Arrivals: a random number of households around the scenario's weekly rate
//! (baseline × trend × seasonality × surges), by channel and origin group.
//!
//! The weekly number of arriving households is Poisson with mean
//! rate / (scale × mean household size of the week's origin mix), so the
//! household count has variance equal to its mean; the person count is a
//! compound Poisson sum. Evidence: seed 000 (the fast-changing pace and
//! profile of arrivals), section 8 for the German 2015 volumes.

use crate::scenario::Arrivals;

/// Expected arrivals (persons) in a week: baseline × trend × seasonality ×
/// surge multiplier.
pub fn expected_rate(a: &Arrivals, week: u32) -> f64 {
    let w = f64::from(week);
    let trend = (1.0 + a.annual_trend).powf(w / 52.0);
    let phase = 2.0 * std::f64::consts::PI * (w - f64::from(a.seasonality.peak_week)) / 52.0;
    let season = 1.0 + a.seasonality.amplitude * phase.cos();
    a.weekly_rate * trend * season * surge_multiplier(a, week)
}

/// 1 plus the excess of every active surge (overlapping surges add up).
pub fn surge_multiplier(a: &Arrivals, week: u32) -> f64 {
    let mut m = 1.0;
    for s in &a.surges {
        let shape = surge_shape(s.start_week, s.length_weeks, s.ramp_weeks, week);
        m += (s.peak_multiplier - 1.0) * shape;
    }
    m.max(0.0)
}

/// 0 outside the surge, 1 on its plateau, linear on the ramps.
fn surge_shape(start: u32, length: u32, ramp: u32, week: u32) -> f64 {
    if week < start || week >= start.saturating_add(length) {
        return 0.0;
    }
    let into = f64::from(week - start) + 1.0;
    let left = f64::from(start + length - week);
    if ramp == 0 {
        return 1.0;
    }
    let r = f64::from(ramp);
    (into / r).min(left / r).min(1.0)
}
