//! The public accounts: costs, contributions and discounting.

use super::TierRates;

block_with_defaults! {
    /// Costs and contributions, per person-week, in one currency.
    pub struct Accounts {
        /// Currency label for the outputs.
        pub currency: String = "EUR".into(),
        /// Annual discount rate (G9: not in the sources; 3.5% is the UK
        /// Green Book rate, S9, an assumption here).
        pub discount_rate_annual: f64 = 0.035,
        /// Cost of a reception place per occupied person-week.
        pub reception_cost_per_person_week: f64 = 250.0,
        /// Cost of emergency accommodation per person-week (it costs more).
        pub emergency_cost_per_person_week: f64 = 450.0,
        /// Public cost of a homeless person-week (outreach, health, shelters).
        pub homeless_cost_per_person_week: f64 = 150.0,
        /// Benefits paid per week to a recognised or resettled person without a job.
        pub benefit_per_person_week: f64 = 110.0,
        /// Taxes and contributions per worker-week, by job tier.
        pub tax_per_worker_week: TierRates = TierRates::new(90.0, 200.0, 420.0),
    }
}
