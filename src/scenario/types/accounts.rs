//! The public accounts: prices, contributions and discounting. Every lever
//! and every place held has a price here or in `services`
//! (`docs/model.md` 3.12 lists which price each lever pays).

use super::TierRates;

block_with_defaults! {
    /// Prices, contributions and discounting, in one currency.
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
        /// What an empty reception place, service seat or school place costs a week, as a
        /// share of an occupied one: places are paid for whether used or not
        /// (S30; the share is A71).
        pub empty_place_cost_share: f64 = 0.5,
        /// One-off cost of a place added by an adaptive capacity, in weeks of
        /// that place's occupied cost, paid in the week it is ordered (A72).
        pub setup_weeks_per_added_place: f64 = 13.0,
        /// Cost of a first-instance asylum decision per person decided
        /// (S34: nine hours of casework a decision; A73).
        pub decision_cost_per_person: f64 = 540.0,
        /// Cost of an appeal decided, per person (S40: the full cost of
        /// an oral hearing at the UK's First-tier Tribunal, £800 in 2016).
        pub appeal_cost_per_person: f64 = 980.0,
        /// Cost of a removal, per person removed (S41: £11,000 per
        /// enforced removal in the UK, 2003–04).
        pub removal_cost_per_person: f64 = 16000.0,
        /// Cost of one mentoring pair (S31: DUO for a JOB).
        pub mentoring_cost_per_pair: f64 = 1080.0,
        /// Public cost per community-sponsored person on arrival (S32).
        pub sponsorship_cost_per_person: f64 = 3000.0,
        /// Public spending per pupil-year at a primary school, for a place
        /// held for newcomers' children (S35: Destatis, 8,400 at
        /// Grundschulen, 2023); an empty place costs
        /// `empty_place_cost_share` of it.
        pub primary_school_cost_per_pupil_year: f64 = 8400.0,
        /// The same at a secondary school (S35: 10,900 at Gymnasien, 2023).
        pub secondary_school_cost_per_pupil_year: f64 = 10900.0,
        /// Extra cost of a credential recognition on the fast track, per case
        /// started (S33; A74).
        pub fast_track_cost_per_case: f64 = 550.0,
        /// Years beyond the horizon that the terminal value counts: the mean
        /// annual net balance of the run's last five years, received this
        /// many more years and discounted (A76; 0: no terminal value).
        pub terminal_years: f64 = 20.0,
        /// Fixed cost per year of each programme while its lever is on (A75).
        pub programme_cost_per_year: ProgrammeCosts = ProgrammeCosts::default(),
    }
}

block_with_defaults! {
    /// Fixed national costs per year of running a programme (management,
    /// outreach, premises), paid weekly while the lever is on and shared
    /// among regions by population (A75).
    pub struct ProgrammeCosts {
        /// While `policy.intensive_coaching.coverage` > 0.
        pub intensive_coaching: f64 = 100_000.0,
        /// While `policy.mentoring.pairs_per_year` > 0; the price per pair
        /// (S31) already covers the organisation, hence 0.
        pub mentoring: f64 = 0.0,
        /// While `policy.community_sponsorship.households_per_year` > 0.
        pub community_sponsorship: f64 = 100_000.0,
        /// While `policy.nudges.enabled` (one-stop shops, letters).
        pub nudges: f64 = 250_000.0,
        /// While `policy.credential_fast_track.enabled`.
        pub credential_fast_track: f64 = 100_000.0,
    }
}
