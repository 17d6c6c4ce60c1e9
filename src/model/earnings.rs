//! Earnings and what they pay, shared by the labour market (which keeps a
//! worker's years in work, wage scar and pension points) and by the
//! observation and accounts (which sum earnings, contributions, benefits and
//! pensions): gross earnings by job tier growing with years in work here,
//! less the scar of long spells of seeking work (M31); the shares paid to
//! the public purse; the earnings a means test counts; and the pension a
//! retired person draws (`docs/model.md` 3.12).

use super::components::{Career, Tier};
use crate::scenario::{Accounts, TIERS};

/// Weeks in a month, for the monthly rates of benefits and pensions.
pub const WEEKS_PER_MONTH: f64 = 52.0 / 12.0;

/// Earnings a month that the means test leaves to a worker (Germany,
/// S47: SGB II section 11b (2) and (3), as of 1 July 2023): the first 100 in full,
/// then 20% of what lies between 100 and 520, 30% between 520 and 1,000,
/// and 10% between 1,000 and 1,200.
const ALLOWANCE_BANDS: [(f64, f64, f64); 4] = [
    (0.0, 100.0, 1.0),
    (100.0, 520.0, 0.2),
    (520.0, 1000.0, 0.3),
    (1000.0, 1200.0, 0.1),
];

/// The rules of earnings, derived once per replication from the accounts.
#[derive(Debug, Clone)]
pub struct EarningsRules {
    /// Gross earnings a week by tier and completed year in work here
    /// (`0 ..= growth_years`; later years earn the last).
    by_year: [Vec<f64>; TIERS],
    /// Share of gross earnings the accounts count as revenue (income tax,
    /// pension and unemployment contributions), and the share the worker
    /// keeps (after income tax and all their contributions), by tier.
    revenue_share: [f64; TIERS],
    net_share: [f64; TIERS],
    /// [`ALLOWANCE_BANDS`] in earnings a week.
    allowance_bands: [(f64, f64, f64); 4],
    /// Wage scar per week of a spell, and its ceiling.
    scar_per_week: f64,
    scar_max: f64,
    /// Earnings points per currency unit of gross earnings.
    points_per_unit: f64,
    /// Pension a week per earnings point.
    pension_per_point_week: f64,
    /// Minimum income in old age a week.
    pub old_age_minimum_week: f64,
    /// The age from which a person is retired (`demography.retirement_age`):
    /// draws a pension, and no basic income.
    pub retirement_age: u8,
}

impl EarningsRules {
    pub fn new(a: &Accounts, retirement_age: u32) -> EarningsRules {
        let e = &a.earnings;
        let base = e.per_week.as_array();
        let by_year = std::array::from_fn(|t| {
            (0..=e.growth_years)
                .map(|y| base[t] * (1.0 + e.growth_per_year).powi(y as i32))
                .collect()
        });
        let tax = e.income_tax_share.as_array();
        let p = &a.pensions;
        EarningsRules {
            by_year,
            revenue_share: tax.map(|t| t + e.counted_contributions_share),
            net_share: tax.map(|t| 1.0 - t - e.employee_contributions_share),
            allowance_bands: ALLOWANCE_BANDS
                .map(|(lo, hi, share)| (lo / WEEKS_PER_MONTH, hi / WEEKS_PER_MONTH, share)),
            scar_per_week: e.scar_per_month / WEEKS_PER_MONTH,
            scar_max: e.scar_max,
            points_per_unit: 1.0 / p.average_earnings_year,
            pension_per_point_week: p.value_per_point_month / WEEKS_PER_MONTH,
            old_age_minimum_week: p.old_age_minimum_per_month / WEEKS_PER_MONTH,
            retirement_age: retirement_age.min(u32::from(u8::MAX)) as u8,
        }
    }

    /// Gross earnings this week of a worker in a job of `tier`.
    #[inline]
    pub fn gross(&self, tier: Tier, career: &Career) -> f64 {
        let table = &self.by_year[tier.index()];
        let year = (usize::from(career.weeks_worked) / 52).min(table.len() - 1);
        table[year] * f64::from(career.earnings_kept)
    }

    /// What a week's gross earnings in `tier` pay to the public purse.
    #[inline]
    pub fn revenue(&self, tier: Tier, gross: f64) -> f64 {
        gross * self.revenue_share[tier.index()]
    }

    /// The earnings a means test counts: net earnings less the allowance
    /// for work, a week, of gross earnings in a job of tier index `tier`.
    #[inline]
    pub fn counted(&self, tier: usize, gross: f64) -> f64 {
        let allowance: f64 = self
            .allowance_bands
            .iter()
            .map(|&(lo, hi, share)| (gross.min(hi) - lo).max(0.0) * share)
            .sum();
        (gross * self.net_share[tier] - allowance).max(0.0)
    }

    /// Earnings points of a week's gross earnings.
    #[inline]
    pub fn points(&self, gross: f64) -> f32 {
        (gross * self.points_per_unit) as f32
    }

    /// The pension a week of a person with `career`'s points.
    #[inline]
    pub fn pension(&self, career: &Career) -> f64 {
        f64::from(career.points) * self.pension_per_point_week
    }

    /// The share of earnings a worker keeps after a spell of `weeks`
    /// without work since their last job, on top of the scars they carry
    /// (`kept`): each spell takes its share, all together at most
    /// `scar_max`.
    pub fn scarred(&self, kept: f32, weeks: u32) -> f32 {
        let spell = (f64::from(weeks) * self.scar_per_week).min(1.0);
        (f64::from(kept) * (1.0 - spell)).max(1.0 - self.scar_max) as f32
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::Accounts;

    #[test]
    fn the_allowance_follows_the_bands_of_the_law() {
        let mut a = Accounts::default();
        a.earnings.income_tax_share = crate::scenario::TierRates {
            low: 0.0,
            mid: 0.0,
            high: 0.0,
        };
        a.earnings.employee_contributions_share = 0.0;
        let r = EarningsRules::new(&a, 67);
        let counted_month =
            |gross_month: f64| r.counted(0, gross_month / WEEKS_PER_MONTH) * WEEKS_PER_MONTH;
        // 100 free; 520: 100 + 84 free; 1,000: 100 + 84 + 144 free; from
        // 1,200: 100 + 84 + 144 + 20 = 348 free.
        assert!((counted_month(100.0)).abs() < 1e-9);
        assert!((counted_month(520.0) - (520.0 - 184.0)).abs() < 1e-9);
        assert!((counted_month(1000.0) - (1000.0 - 328.0)).abs() < 1e-9);
        assert!((counted_month(2000.0) - (2000.0 - 348.0)).abs() < 1e-9);
    }

    #[test]
    fn scars_compound_up_to_their_ceiling() {
        let mut a = Accounts::default();
        a.earnings.scar_per_month = 0.01;
        a.earnings.scar_max = 0.3;
        let r = EarningsRules::new(&a, 67);
        let year = 52;
        // A year's spell: 12 months at 1%.
        assert!((r.scarred(1.0, year) - 0.88).abs() < 1e-6);
        // A second: 0.88 × 0.88 = 0.7744.
        assert!((r.scarred(0.88, year) - 0.7744).abs() < 1e-6);
        // Never below 1 − scar_max.
        assert!((r.scarred(0.7744, 5 * year) - 0.7).abs() < 1e-6);
    }
}
