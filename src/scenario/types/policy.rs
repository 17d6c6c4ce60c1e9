//! The policy: the levers the government controls.

use serde::{Deserialize, Serialize};

/// The levers a policy sets. Defaults describe a status quo with no
/// programmes switched on.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Policy {
    /// How new asylum seekers are dispersed across regions.
    pub dispersal: Dispersal,
    /// Weeks after recognition during which a household may not move region
    /// (a residence rule); 0 lets them move at once.
    pub residence_rule_weeks: u32,
    /// Weeks after arrival until asylum seekers may work; absent: not until
    /// recognised.
    pub early_work_access_weeks: Option<u32>,
    /// Open services to asylum seekers (integration from day one).
    pub integration_from_day_one: bool,
    /// Move-on from reception after recognition.
    pub move_on: MoveOn,
    /// Where finally refused households live after the move-on period.
    pub rejected_accommodation: super::RejectedAccommodation,
    /// Intensive employment coaching (Swedish trial, Q28).
    pub intensive_coaching: Coaching,
    /// Mentoring (DUO for a JOB, Q34).
    pub mentoring: Mentoring,
    /// Community sponsorship (Q3, Q77).
    pub community_sponsorship: Sponsorship,
    /// One-stop shops and behavioural nudges (Q19, Q47).
    pub nudges: Nudges,
    /// Credential recognition fast track.
    pub credential_fast_track: FastTrack,
    /// Capacities that grow when an indicator crosses a trigger.
    pub adaptive_capacity: Vec<AdaptiveCapacity>,
    /// Adaptive rules and pathways on any lever, with release.
    pub adaptation: Vec<super::Rule>,
    /// Family reunion for recognised persons.
    pub family_reunion: super::FamilyReunion,
    /// School access for the children of asylum seekers.
    pub school_access: super::SchoolAccess,
}

block_with_defaults! {
    /// The dispersal rule.
    pub struct Dispersal {
        /// `population_share`, `quota_key`, `reception_capacity`,
        /// `municipal_quota` or `free_choice`.
        pub rule: DispersalRule = DispersalRule::PopulationShare,
        /// Free choice: weight multiplier of urban regions (large cities take
        /// the lion's share, Q14).
        pub urban_pull: f64 = 2.0,
        /// Free choice: extra weight per 1% of the arrivals' origin group already
        /// living in the region (networks, seed 003).
        pub network_pull: f64 = 0.5,
    }
}

/// Dispersal rules of `model.md`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DispersalRule {
    /// Drawn in proportion to regional population.
    PopulationShare,
    /// Drawn in proportion to `dispersal_weight` (Germany's EASY with the
    /// Königstein key, Q12 and S4).
    QuotaKey,
    /// Drawn in proportion to free reception places.
    ReceptionCapacity,
    /// Mandatory quotas (Sweden 2016, Q11): each household goes to the region
    /// furthest below its quota, the quota being the mean of its population
    /// and job shares.
    MunicipalQuota,
    /// Households choose: drawn to cities and to existing networks.
    FreeChoice,
}

block_with_defaults! {
    /// Move-on from reception after a positive decision.
    pub struct MoveOn {
        /// Weeks a recognised household may stay in reception while it finds a
        /// home (four weeks in the UK, Q16 and S8).
        pub period_weeks: u32 = 4,
        /// Move-on support: a household not housed by the end of the period is
        /// placed in temporary (emergency) accommodation instead of becoming
        /// homeless, at the emergency cost, and keeps waiting for a home.
        pub support: bool = false,
    }
}

block_with_defaults! {
    /// Intensive coaching: a share of working-age persons without a job who
    /// have access to services (status, or integration from day one) is offered
    /// coaching seats; while and after being coached their job finding is
    /// multiplied by `job_finding_multiplier`.
    pub struct Coaching {
        /// Share of eligible persons covered (0 switches coaching off).
        pub coverage: f64 = 0.0,
        /// Multiplier on job finding for coached persons, during coaching and
        /// after; calibrated so that the model reproduces the Swedish trial's
        /// 14% → 20% regular employment (Q28, A49; tests/calibration_guard.rs).
        pub job_finding_multiplier: f64 = 1.5,
    }
}

block_with_defaults! {
    /// Mentoring of recent arrivals by volunteers (DUO for a JOB, Q34–Q35).
    pub struct Mentoring {
        /// Mentor pairs available per year, nationally (Q34: 648 duos in 2017).
        pub pairs_per_year: f64 = 0.0,
        /// Weeks a mentoring pair lasts.
        pub duration_weeks: u32 = 26,
        /// Multiplier on job finding while mentored.
        pub job_finding_multiplier: f64 = 2.0,
    }
}

/// Community sponsorship: households resettled by community groups, who
/// provide a home and contact.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Sponsorship {
    /// Households sponsored per year (Q3: 500 refugees since 2016 in the UK).
    pub households_per_year: f64,
    /// Regions the sponsored households go to (names); empty: all regions by
    /// population. Listing rural regions is rural placement.
    pub regions: Vec<String>,
}

block_with_defaults! {
    /// One-stop shops and behavioural nudges: service take-up is multiplied by
    /// `1 + take_up_uplift` (A47: an assumption; Q47's 5–7% is an
    /// illustration, not a measured effect).
    pub struct Nudges {
        pub enabled: bool = false,
        pub take_up_uplift: f64 = 0.06,
    }
}

block_with_defaults! {
    /// Credential recognition fast track: recognition takes `duration_factor`
    /// times as long.
    pub struct FastTrack {
        pub enabled: bool = false,
        pub duration_factor: f64 = 0.5,
    }
}

/// What an adaptive capacity watches and grows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CapacityTarget {
    Reception,
    Language,
    Coaching,
    CredentialRecognition,
    Interpretation,
    HealthRegistration,
    MentalHealth,
}

/// An adaptive capacity: when, in a region, the waiting list of the target
/// (for reception: asylum seekers in emergency accommodation waiting for a
/// reception place) exceeds `trigger`,
/// `step` places are ordered and open `lead_time_weeks` later, until
/// `max_added` places have been added in that region.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AdaptiveCapacity {
    pub target: CapacityTarget,
    /// Waiting persons that trigger an order.
    pub trigger: f64,
    /// Places added per order.
    pub step: u32,
    /// Weeks from order to opening.
    #[serde(default)]
    pub lead_time_weeks: u32,
    /// Budget cap: places that may be added per region over the run.
    #[serde(default = "no_cap")]
    pub max_added: u32,
}

fn no_cap() -> u32 {
    u32::MAX
}
