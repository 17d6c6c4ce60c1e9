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
        /// What work earns, what it pays to the public purse, and the scar
        /// of long spells without it.
        pub earnings: Earnings = Earnings::default(),
        /// Basic income support of households with protection, by
        /// household composition, means-tested against their earnings.
        pub benefits: Benefits = Benefits::default(),
        /// Old-age pensions earned by work here, and the minimum income in
        /// old age.
        pub pensions: Pensions = Pensions::default(),
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
        /// Money values of outcomes money does not count, for a monetised
        /// view kept apart from the fiscal one (off unless switched on).
        pub shadow_prices: ShadowPrices = ShadowPrices::default(),
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

block_with_defaults! {
    /// Gross earnings by job tier, growing with years in work here; what
    /// they pay to the public purse and what the worker keeps; and the
    /// wage scar of a long spell without work after a job (M31).
    pub struct Earnings {
        /// Gross earnings per worker-week in a job of each tier, in the
        /// first year of work here (S42, S43).
        pub per_week: TierRates = TierRates::new(337.0, 436.0, 594.0),
        /// Growth of earnings with each completed year in work here (S44).
        pub growth_per_year: f64 = 0.03,
        /// Years in work after which earnings stop growing (S44).
        pub growth_years: u32 = 10,
        /// Income tax as a share of gross earnings, by job tier (S45).
        pub income_tax_share: TierRates = TierRates::new(0.017, 0.052, 0.093),
        /// The employee's social contributions (pensions, unemployment,
        /// health and care insurance) as a share of gross earnings: what
        /// the worker does not keep besides income tax (S45).
        pub employee_contributions_share: f64 = 0.204,
        /// The pension and unemployment insurance contributions of employee
        /// and employer together, as a share of gross earnings: the
        /// contributions the accounts count as revenue (S45).
        pub counted_contributions_share: f64 = 0.212,
        /// Earnings lost for good per month of a spell without work after
        /// a job here, applied when the spell ends in a job (S46; M31).
        pub scar_per_month: f64 = 0.008,
        /// The largest share of earnings the scars of all spells take
        /// together (A84).
        pub scar_max: f64 = 0.3,
    }
}

block_with_defaults! {
    /// Basic income support (as Germany's Bürgergeld): monthly standard
    /// rates by a member's place in the household, and the housing costs of
    /// a household in mainstream housing, less the household's counted
    /// earnings.
    pub struct Benefits {
        /// The one adult of a household with no partner.
        pub single_adult_per_month: f64 = 563.0,
        /// Each of a couple.
        pub partner_per_month: f64 = 506.0,
        /// Any other adult of the household (grown children, relatives).
        pub other_adult_per_month: f64 = 451.0,
        /// Children by age: under 6, 6 to 13, 14 to 17.
        pub child_under_6_per_month: f64 = 357.0,
        pub child_6_to_13_per_month: f64 = 390.0,
        pub child_14_to_17_per_month: f64 = 471.0,
        /// Child benefit a month for each child of a household with a
        /// residence status (refugee status, subsidiary protection,
        /// resettlement or a residence permit), counted as the household's
        /// income in the means test.
        pub child_benefit_per_month: f64 = 250.0,
        /// Housing costs paid for a household in mainstream housing: for
        /// its first member, and for each further member (S48, A85).
        pub housing_per_month: f64 = 420.0,
        pub housing_per_further_member_month: f64 = 90.0,
    }
}

block_with_defaults! {
    /// Statutory old-age pensions: earnings points from work here, their
    /// value, and the minimum income in old age that tops up a small
    /// pension of a person with protection.
    pub struct Pensions {
        /// Monthly pension per earnings point (a year's work at average
        /// earnings earns one point).
        pub value_per_point_month: f64 = 39.32,
        /// Average yearly gross earnings of all insured, the earnings that
        /// earn one point a year.
        pub average_earnings_year: f64 = 45358.0,
        /// The minimum income in old age per person a month (standard rate
        /// and housing), paid in full or as a top-up to a smaller pension.
        pub old_age_minimum_per_month: f64 = 851.0,
    }
}

block_with_defaults! {
    /// Shadow prices: what a year of an outcome is worth to the person, in
    /// wellbeing valued in money (S50). `cost_benefit.csv` adds a monetised
    /// view when `enabled`; the fiscal accounts never include them.
    pub struct ShadowPrices {
        pub enabled: bool = false,
        /// A year in work instead of out of it.
        pub employment_year: f64 = 13400.0,
        /// A year housed instead of homeless.
        pub homeless_year: f64 = 33700.0,
    }
}
