//! The public accounts: costs, contributions and discounting.

use serde::{Deserialize, Serialize};

use super::TierRates;

/// Costs and contributions, per person-week, in one currency.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Accounts {
    /// Currency label for the outputs.
    pub currency: String,
    /// Annual discount rate.
    pub discount_rate_annual: f64,
    /// Cost of a reception place per occupied person-week.
    pub reception_cost_per_person_week: f64,
    /// Cost of emergency accommodation per person-week (it costs more).
    pub emergency_cost_per_person_week: f64,
    /// Public cost of a homeless person-week (outreach, health, shelters).
    pub homeless_cost_per_person_week: f64,
    /// Benefits paid per week to a recognised or resettled person without a job.
    pub benefit_per_person_week: f64,
    /// Taxes and contributions per worker-week, by job tier.
    pub tax_per_worker_week: TierRates,
}

impl Default for Accounts {
    fn default() -> Self {
        Accounts {
            currency: "EUR".into(),
            // Section 7: not in the seeds; 3.5% is the UK Green Book rate, an
            // assumption here.
            discount_rate_annual: 0.035,
            reception_cost_per_person_week: 250.0,
            emergency_cost_per_person_week: 450.0,
            homeless_cost_per_person_week: 150.0,
            benefit_per_person_week: 110.0,
            tax_per_worker_week: TierRates::new(90.0, 200.0, 420.0),
        }
    }
}
