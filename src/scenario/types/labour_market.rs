//! The labour market: job finding, job loss and change (automation, shocks).

use serde::{Deserialize, Serialize};

use super::TierRates;

block_with_defaults! {
    /// Job finding, job loss and the change of the labour market.
    pub struct LabourMarket {
        /// Weekly job-finding hazard of a job seeker with full language, no
        /// network, in a neutral region with vacancies to spare, by tier sought.
        /// Calibrated so that the Swedish coaching trial's control arm is in
        /// regular employment at 14% at the end of its observation period,
        /// participants having enrolled over 87 weeks (Q28–Q30, A49;
        /// scenarios/sweden_coaching_trial.yaml, tests/calibration_guard.rs).
        pub base_job_finding_per_week: TierRates = TierRates::new(0.0093, 0.0062, 0.0047),
        /// Weekly probability that a newcomer loses a job, by tier.
        pub job_loss_per_week: TierRates = TierRates::new(0.01, 0.006, 0.004),
        /// Share of a tier's jobs that fall vacant each week.
        pub vacancy_rate_per_week: TierRates = TierRates::new(0.006, 0.004, 0.003),
        /// Share of vacancies newcomers can realistically compete for.
        pub newcomer_vacancy_share: f64 = 0.25,
        /// Language level at which the language penalty on job finding vanishes.
        pub language_needed: f64 = 0.6,
        /// Share of the job-finding hazard kept at zero host-language
        /// proficiency (the hazard rises linearly to full at `language_needed`).
        pub language_floor: f64 = 0.3,
        /// Multiplier on job finding at full bonds (networks of people like them, seed 003).
        pub network_effect: f64 = 1.5,
        /// How strongly hostile attitudes cut job finding: factor = 1 − effect × (1 − attitude).
        pub attitude_effect: f64 = 0.5,
        /// Language level needed to compete for mid- and high-tier jobs; below it
        /// a person seeks low-tier work.
        pub tier_language_threshold: f64 = 0.4,
        /// Automation: share of jobs removed per year, by tier (Nedelkoska and
        /// Quintini 2018, S7: 14% of jobs highly automatable).
        pub automation_annual_rate: TierRates = TierRates::default(),
        /// Shocks such as a recession.
        pub shocks: Vec<LabourShock> = Vec::new(),
    }
}

/// A labour-market shock: at `start_week` a share of jobs in each tier
/// disappears, and for `length_weeks` hiring runs at `hiring_multiplier`.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LabourShock {
    pub start_week: u32,
    pub length_weeks: u32,
    /// Share of jobs lost at the start, by tier.
    #[serde(default)]
    pub job_loss_share: TierRates,
    /// Multiplier on vacancies while the shock lasts (0.5 halves hiring).
    #[serde(default = "unchanged_hiring")]
    pub hiring_multiplier: f64,
}

fn unchanged_hiring() -> f64 {
    1.0
}
