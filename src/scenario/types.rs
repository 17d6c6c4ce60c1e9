//! The scenario format: what a YAML scenario file may contain.
//!
//! Every struct denies unknown fields so that a misspelt key is an error, not
//! a silently ignored setting. Defaults are the documented defaults of
//! `docs/scenario-format.md`; where a default rests on a source, its id in
//! `docs/sources.md` is named beside it.

use serde::{Deserialize, Serialize};

/// Number of skill tiers (low, mid, high).
pub const TIERS: usize = 3;
/// Largest household size a scenario may describe.
pub const MAX_HOUSEHOLD_SIZE: usize = 12;

/// A whole scenario file: the world, the drivers (arrivals, labour market,
/// housing supply, attitudes) and the policy levers.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Scenario {
    /// Name used for the output folder and in reports.
    pub name: String,
    /// Free text shown in the manifest.
    #[serde(default)]
    pub description: String,
    /// Number of weekly steps to simulate.
    #[serde(deserialize_with = "horizon")]
    pub horizon_weeks: u32,
    /// Master seed of the experiment; every replication's random streams are
    /// derived from it and the replication's identity.
    #[serde(default = "default_seed")]
    pub seed: u64,
    /// Persons per agent. 1 simulates every person; 10 lets one agent stand for
    /// ten persons in a country-sized run. Every reported count is in persons.
    #[serde(default = "one_u32")]
    pub scale: u32,
    /// Replications run by `foresight run` unless `--replications` is given.
    #[serde(default = "one_u32", deserialize_with = "replications")]
    pub replications: u32,
    /// The regions of the world.
    pub regions: Vec<Region>,
    /// Who arrives, when and how.
    pub arrivals: Arrivals,
    /// National asylum processing.
    #[serde(default)]
    pub asylum: Asylum,
    /// Housing supply and the move-on from reception.
    #[serde(default)]
    pub housing: Housing,
    /// National settings of each public service (capacities are per region).
    #[serde(default)]
    pub services: Services,
    /// Integration progress: language, bonds, bridges and links.
    #[serde(default)]
    pub integration: Integration,
    /// Job finding, job loss and labour-market change.
    #[serde(default)]
    pub labour_market: LabourMarket,
    /// How host-community attitudes move.
    #[serde(default)]
    pub attitudes: Attitudes,
    /// Onward moves of recognised refugees between regions.
    #[serde(default)]
    pub secondary_movement: SecondaryMovement,
    /// Costs, contributions and discounting.
    #[serde(default)]
    pub accounts: Accounts,
    /// The levers the government controls.
    #[serde(default)]
    pub policy: Policy,
}

fn horizon<'de, D: serde::Deserializer<'de>>(d: D) -> Result<u32, D::Error> {
    whole_number_within(d, "weeks", super::validate::MAX_HORIZON_WEEKS)
}

fn replications<'de, D: serde::Deserializer<'de>>(d: D) -> Result<u32, D::Error> {
    whole_number_within(d, "replications", super::validate::MAX_REPLICATIONS)
}

/// Read a count that is stored as `u32` but may be written larger: a count
/// beyond the range of `u32` (a horizon of 10^10 weeks) is refused naming
/// the format's own limit, not the machine's (4294967295). Counts within
/// the range are checked against `limit` by validation, with the others.
pub fn whole_number_within<'de, D: serde::Deserializer<'de>>(
    d: D,
    unit: &'static str,
    limit: u32,
) -> Result<u32, D::Error> {
    struct Count {
        unit: &'static str,
        limit: u32,
    }
    impl serde::de::Visitor<'_> for Count {
        type Value = u32;
        fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
            write!(f, "a whole number from 0 to {}", self.limit)
        }
        fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<u32, E> {
            u32::try_from(v).map_err(|_| {
                E::custom(format!(
                    "{v} {} is beyond the limit of {} {}",
                    self.unit, self.limit, self.unit
                ))
            })
        }
        fn visit_i64<E: serde::de::Error>(self, v: i64) -> Result<u32, E> {
            match u64::try_from(v) {
                Ok(v) => self.visit_u64(v),
                Err(_) => Err(E::custom(format!(
                    "expected a whole number from 0 to {}, found {v}",
                    self.limit
                ))),
            }
        }
        // A quoted number ("52") is read as the number, as for other fields.
        fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<u32, E> {
            let t = v.trim();
            if let Ok(n) = t.parse::<u64>() {
                self.visit_u64(n)
            } else if let Ok(n) = t.parse::<i64>() {
                self.visit_i64(n)
            } else {
                Err(E::invalid_type(serde::de::Unexpected::Str(v), &self))
            }
        }
        fn visit_f64<E: serde::de::Error>(self, v: f64) -> Result<u32, E> {
            if v.fract() == 0.0 && v >= 0.0 && v <= u32::MAX as f64 {
                self.visit_u64(v as u64)
            } else if v.fract() == 0.0 && v > 0.0 {
                Err(E::custom(format!(
                    "{v:e} {} is beyond the limit of {} {}",
                    self.unit, self.limit, self.unit
                )))
            } else {
                Err(E::custom(format!(
                    "expected a whole number from 0 to {}, found {v}",
                    self.limit
                )))
            }
        }
    }
    // `any`, so that a number of any form reaches the visitor (the parser
    // would refuse `1e12` or 10^20 with the range of `u64` otherwise).
    d.deserialize_any(Count { unit, limit })
}

fn default_seed() -> u64 {
    1
}
fn one_u32() -> u32 {
    1
}

/// One region of the world.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Region {
    /// Unique name, used by references elsewhere in the file.
    pub name: String,
    /// Resident (host) population, persons.
    pub population: u64,
    /// Urban (true) or rural (false); free choice is drawn to urban regions.
    #[serde(default)]
    pub urban: bool,
    /// Dispersal weight, a share (the Königstein key share of a German Land,
    /// S5). Used by the `quota_key` rule; the weights must sum to 1
    /// when that rule is chosen.
    #[serde(default)]
    pub dispersal_weight: f64,
    /// Reception places (beds in initial accommodation), persons.
    pub reception_places: u32,
    /// Mainstream housing units that come free each week, by unit size.
    #[serde(default)]
    pub housing: RegionHousing,
    /// Service capacities, in places (seats) per service.
    #[serde(default)]
    pub services: RegionServices,
    /// Jobs in the region by tier (the whole regional labour market).
    pub jobs: JobsByTier,
    /// Host-community attitude index at the start, 0 (hostile) to 1 (welcoming).
    #[serde(default = "half")]
    pub attitude: f64,
}

fn half() -> f64 {
    0.5
}

/// Housing units coming free per week, by size class. A `small` unit houses
/// one person, `medium` two to four (social housing is built for families of
/// two to four, Q15), `large` five or more.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RegionHousing {
    /// Units per week that fit a single person.
    #[serde(default)]
    pub small_units_per_week: f64,
    /// Units per week that fit a household of two to four.
    #[serde(default)]
    pub medium_units_per_week: f64,
    /// Units per week that fit a household of five or more.
    #[serde(default)]
    pub large_units_per_week: f64,
}

/// Places per service in one region.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RegionServices {
    #[serde(default)]
    pub language: ServiceCapacity,
    #[serde(default)]
    pub coaching: ServiceCapacity,
    #[serde(default)]
    pub credential_recognition: ServiceCapacity,
    #[serde(default)]
    pub interpretation: ServiceCapacity,
    #[serde(default)]
    pub health_registration: ServiceCapacity,
    #[serde(default)]
    pub mental_health: ServiceCapacity,
}

/// Capacity of one service in one region.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ServiceCapacity {
    /// Persons that can be served at once.
    #[serde(default)]
    pub seats: u32,
}

/// Jobs by skill tier.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct JobsByTier {
    pub low: f64,
    pub mid: f64,
    pub high: f64,
}

impl JobsByTier {
    pub fn as_array(&self) -> [f64; TIERS] {
        [self.low, self.mid, self.high]
    }
}

/// Shares by skill tier (must sum to 1).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SkillMix {
    pub low: f64,
    pub mid: f64,
    pub high: f64,
}

impl SkillMix {
    pub fn as_array(&self) -> [f64; TIERS] {
        [self.low, self.mid, self.high]
    }
}

// ---------------------------------------------------------------- arrivals

/// The arrival process: a weekly rate shaped by trend, seasonality and surges,
/// split by channel and by origin group.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Arrivals {
    /// Baseline arrivals, persons per week.
    pub weekly_rate: f64,
    /// Growth of the rate per year (0.05 = +5% a year, compounded weekly).
    #[serde(default)]
    pub annual_trend: f64,
    /// Seasonal swing of the rate.
    #[serde(default)]
    pub seasonality: Seasonality,
    /// Surges: periods of arrivals several times the baseline.
    #[serde(default)]
    pub surges: Vec<Surge>,
    /// Shares of arrivals by channel (must sum to 1).
    #[serde(default)]
    pub channels: Channels,
    /// Origin groups and their profiles (shares must sum to 1).
    pub origin_groups: Vec<OriginGroup>,
}

/// Sinusoidal seasonality: rate × (1 + amplitude × cos(2π (week − peak_week) / 52)).
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Seasonality {
    /// Relative swing, 0 to 1.
    #[serde(default)]
    pub amplitude: f64,
    /// Week of the year (0–51) at which arrivals peak.
    #[serde(default)]
    pub peak_week: u32,
}

/// A surge: the rate rises linearly to `peak_multiplier` × baseline over
/// `ramp_weeks`, stays there, and falls back over the last `ramp_weeks`.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Surge {
    /// First week of the surge (0-based).
    pub start_week: u32,
    /// Length in weeks.
    pub length_weeks: u32,
    /// Rate multiplier at the peak (3.0 = three times the baseline).
    pub peak_multiplier: f64,
    /// Weeks to ramp up (and down). 0 gives a step.
    #[serde(default)]
    pub ramp_weeks: u32,
    /// Origin mix during the surge, by group name; shares must sum to 1.
    /// Absent: the groups' own shares.
    #[serde(default)]
    pub origin_mix: Option<Vec<OriginShare>>,
}

/// An origin group's share of arrivals during a surge.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OriginShare {
    pub group: String,
    pub share: f64,
}

/// Arrival channels. `asylum` arrivals are dispersed and await a decision;
/// `resettlement` arrivals come with refugee status and a home; `family` and
/// `labour` arrivals come with a residence permit and find their own home.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Channels {
    #[serde(default)]
    pub asylum: f64,
    #[serde(default)]
    pub resettlement: f64,
    #[serde(default)]
    pub family: f64,
    #[serde(default)]
    pub labour: f64,
}

impl Default for Channels {
    fn default() -> Self {
        Channels {
            asylum: 1.0,
            resettlement: 0.0,
            family: 0.0,
            labour: 0.0,
        }
    }
}

impl Channels {
    pub fn as_array(&self) -> [f64; 4] {
        [self.asylum, self.resettlement, self.family, self.labour]
    }
}

/// An origin group and the profile of the people who arrive from it.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OriginGroup {
    /// Unique name.
    pub name: String,
    /// Share of arrivals outside surges.
    pub share: f64,
    /// Skill tiers of adults (shares sum to 1).
    pub skills: SkillMix,
    /// Share of adults who read and write in some language (Q20: one third of
    /// users had difficulties with written text).
    #[serde(default = "default_literacy")]
    pub literacy: f64,
    /// Host-language proficiency on arrival, 0 to 1.
    #[serde(default)]
    pub initial_language: f64,
    /// Shares of households of size 1, 2, 3, … (sum to 1; at most 12 sizes).
    pub household_sizes: Vec<f64>,
    /// Share of persons with trauma or health needs that slow integration.
    #[serde(default)]
    pub vulnerability: f64,
    /// Probability that an asylum claim is granted.
    pub recognition_probability: f64,
}

fn default_literacy() -> f64 {
    2.0 / 3.0
}

// ---------------------------------------------------------------- asylum

/// National asylum processing.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Asylum {
    /// Decisions per week, persons, worked through the backlog first come
    /// first served.
    pub decision_capacity_per_week: f64,
    /// Persons already awaiting a decision at week 0, drawn over origin
    /// groups by share and dispersed by the policy's rule like arrivals (but
    /// not counted as arrivals).
    #[serde(default)]
    pub initial_backlog: u64,
    /// Weekly probability that a rejected person leaves the country
    /// (returns); the others stay on in legal limbo.
    #[serde(default = "default_rejected_departure")]
    pub rejected_departure_rate_per_week: f64,
}

fn default_rejected_departure() -> f64 {
    0.02
}

impl Default for Asylum {
    fn default() -> Self {
        Asylum {
            decision_capacity_per_week: 1000.0,
            initial_backlog: 0,
            rejected_departure_rate_per_week: default_rejected_departure(),
        }
    }
}

// ---------------------------------------------------------------- housing

/// Housing supply change and overcrowding.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Housing {
    /// Growth of the units coming free per week, per year (-0.02 = supply
    /// shrinks 2% a year).
    #[serde(default)]
    pub annual_supply_trend: f64,
    /// Weeks a household waits for a unit of its size before it accepts one a
    /// size smaller and is counted as overcrowded.
    #[serde(default = "default_overcrowding_after")]
    pub overcrowding_after_weeks: u32,
}

fn default_overcrowding_after() -> u32 {
    12
}

impl Default for Housing {
    fn default() -> Self {
        Housing {
            annual_supply_trend: 0.0,
            overcrowding_after_weeks: default_overcrowding_after(),
        }
    }
}

// ---------------------------------------------------------------- services

/// National settings for each service.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Services {
    #[serde(default = "ServiceSettings::language")]
    pub language: ServiceSettings,
    #[serde(default = "ServiceSettings::coaching")]
    pub coaching: ServiceSettings,
    #[serde(default = "ServiceSettings::credential_recognition")]
    pub credential_recognition: ServiceSettings,
    #[serde(default = "ServiceSettings::interpretation")]
    pub interpretation: ServiceSettings,
    #[serde(default = "ServiceSettings::health_registration")]
    pub health_registration: ServiceSettings,
    #[serde(default = "ServiceSettings::mental_health")]
    pub mental_health: ServiceSettings,
}

impl Default for Services {
    fn default() -> Self {
        Services {
            language: ServiceSettings::language(),
            coaching: ServiceSettings::coaching(),
            credential_recognition: ServiceSettings::credential_recognition(),
            interpretation: ServiceSettings::interpretation(),
            health_registration: ServiceSettings::health_registration(),
            mental_health: ServiceSettings::mental_health(),
        }
    }
}

/// How long a service lasts: a fixed number of weeks, or geometric
/// (memoryless, the discrete analogue of exponential service).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DurationKind {
    Fixed,
    Geometric,
}

/// One service's national settings. Leaving a service out keeps its
/// defaults; writing its block replaces them, so every field but `duration`
/// must then be given.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ServiceSettings {
    /// Weekly probability that an eligible person not yet served joins the
    /// waiting list.
    pub take_up_per_week: f64,
    /// Mean length of the service, weeks.
    pub duration_weeks: f64,
    /// `fixed` or `geometric`.
    #[serde(default = "fixed")]
    pub duration: DurationKind,
    /// Cost of one occupied place for one week (currency of `accounts`).
    /// Required when the block is written, so a cost is never silently zero.
    pub cost_per_place_week: f64,
}

fn fixed() -> DurationKind {
    DurationKind::Fixed
}

impl ServiceSettings {
    // Assumptions (A8): the sources give no course lengths, capacities or
    // costs (G2). Values are round orders of magnitude.
    pub fn language() -> Self {
        Self::new(0.10, 26.0, 120.0)
    }
    pub fn coaching() -> Self {
        Self::new(0.05, 26.0, 150.0)
    }
    pub fn credential_recognition() -> Self {
        Self::new(0.05, 16.0, 80.0)
    }
    pub fn interpretation() -> Self {
        Self::new(0.10, 2.0, 60.0)
    }
    pub fn health_registration() -> Self {
        Self::new(0.25, 1.0, 40.0)
    }
    pub fn mental_health() -> Self {
        Self::new(0.05, 12.0, 200.0)
    }
    fn new(take_up_per_week: f64, duration_weeks: f64, cost_per_place_week: f64) -> Self {
        ServiceSettings {
            take_up_per_week,
            duration_weeks,
            duration: DurationKind::Fixed,
            cost_per_place_week,
        }
    }
}

// ---------------------------------------------------------------- integration

/// Integration progress. All rates are weekly; every quantity is on a 0–1
/// scale and grows towards 1 by `rate × (1 − level)` (or towards a target).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Integration {
    /// Language growth per week while in a language course.
    #[serde(default = "d_course")]
    pub language_gain_in_course: f64,
    /// Language growth per week while employed (work is a place to practise, seed 003).
    #[serde(default = "d_work")]
    pub language_gain_at_work: f64,
    /// Language growth per week from everyday life.
    #[serde(default = "d_everyday")]
    pub language_gain_everyday: f64,
    /// Multiplier on language growth for persons without literacy.
    #[serde(default = "d_illiterate")]
    pub illiteracy_factor: f64,
    /// Multiplier on language growth, bridges growth and job finding for
    /// persons with untreated trauma.
    #[serde(default = "d_trauma")]
    pub trauma_factor: f64,
    /// Same-origin persons in a region at which bonds reach their full level.
    #[serde(default = "d_bonds_saturation")]
    pub bonds_saturation: f64,
    /// Weekly adjustment of bonds towards their target.
    #[serde(default = "d_bonds_rate")]
    pub bonds_rate: f64,
    /// Bridges growth per week while employed.
    #[serde(default = "d_bridges_work")]
    pub bridges_gain_at_work: f64,
    /// Bridges growth per week for sponsored households' members.
    #[serde(default = "d_bridges_sponsor")]
    pub bridges_gain_sponsored: f64,
    /// Bridges growth per week while mentored.
    #[serde(default = "d_bridges_mentor")]
    pub bridges_gain_mentored: f64,
    /// Links growth per week while using any service.
    #[serde(default = "d_links")]
    pub links_gain_in_service: f64,
}

fn d_course() -> f64 {
    0.03
}
fn d_work() -> f64 {
    0.01
}
fn d_everyday() -> f64 {
    0.002
}
fn d_illiterate() -> f64 {
    0.5
}
fn d_trauma() -> f64 {
    0.6
}
fn d_bonds_saturation() -> f64 {
    2000.0
}
fn d_bonds_rate() -> f64 {
    0.05
}
fn d_bridges_work() -> f64 {
    0.01
}
fn d_bridges_sponsor() -> f64 {
    0.02
}
fn d_bridges_mentor() -> f64 {
    0.02
}
fn d_links() -> f64 {
    0.02
}

impl Default for Integration {
    fn default() -> Self {
        Integration {
            language_gain_in_course: d_course(),
            language_gain_at_work: d_work(),
            language_gain_everyday: d_everyday(),
            illiteracy_factor: d_illiterate(),
            trauma_factor: d_trauma(),
            bonds_saturation: d_bonds_saturation(),
            bonds_rate: d_bonds_rate(),
            bridges_gain_at_work: d_bridges_work(),
            bridges_gain_sponsored: d_bridges_sponsor(),
            bridges_gain_mentored: d_bridges_mentor(),
            links_gain_in_service: d_links(),
        }
    }
}

// ---------------------------------------------------------------- labour market

/// Job finding, job loss and the change of the labour market.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LabourMarket {
    /// Weekly job-finding hazard of a job seeker with full language, no
    /// network, in a neutral region with vacancies to spare, by tier sought.
    /// Calibrated on the control arm of the Swedish trial (Q28).
    #[serde(default = "d_base_hazard")]
    pub base_job_finding_per_week: TierRates,
    /// Weekly probability that a newcomer loses a job, by tier.
    #[serde(default = "d_separation")]
    pub job_loss_per_week: TierRates,
    /// Share of a tier's jobs that fall vacant each week.
    #[serde(default = "d_turnover")]
    pub vacancy_rate_per_week: TierRates,
    /// Share of vacancies newcomers can realistically compete for.
    #[serde(default = "d_newcomer_access")]
    pub newcomer_vacancy_share: f64,
    /// Language level at which the language penalty on job finding vanishes.
    #[serde(default = "d_language_needed")]
    pub language_needed: f64,
    /// Share of the job-finding hazard kept at zero host-language
    /// proficiency (the hazard rises linearly to full at `language_needed`).
    #[serde(default = "d_language_floor")]
    pub language_floor: f64,
    /// Multiplier on job finding at full bonds (networks of people like them, seed 003).
    #[serde(default = "d_network_effect")]
    pub network_effect: f64,
    /// How strongly hostile attitudes cut job finding: factor = 1 − effect × (1 − attitude).
    #[serde(default = "d_attitude_effect")]
    pub attitude_effect: f64,
    /// Language level needed to compete for mid- and high-tier jobs; below it
    /// a person seeks low-tier work.
    #[serde(default = "d_tier_language")]
    pub tier_language_threshold: f64,
    /// Youngest and oldest working age are not modelled: this share of adults
    /// is of working age.
    #[serde(default = "d_working_age")]
    pub working_age_share_of_adults: f64,
    /// Automation: share of jobs removed per year, by tier (Nedelkoska and
    /// Quintini 2018, S7: 14% of jobs highly automatable).
    #[serde(default)]
    pub automation_annual_rate: TierRates,
    /// Shocks such as a recession.
    #[serde(default)]
    pub shocks: Vec<LabourShock>,
}

/// A value per skill tier.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TierRates {
    // All three are required when the block is written, so that a tier left
    // out is an error rather than a silent zero.
    pub low: f64,
    pub mid: f64,
    pub high: f64,
}

impl TierRates {
    pub fn as_array(&self) -> [f64; TIERS] {
        [self.low, self.mid, self.high]
    }
    fn new(low: f64, mid: f64, high: f64) -> Self {
        TierRates { low, mid, high }
    }
}

fn d_base_hazard() -> TierRates {
    // Calibrated so that the Swedish coaching trial's control arm is in
    // regular employment at 14% after the trial's 87 weeks (Q28–Q30;
    // scenarios/sweden_coaching_trial.yaml, tests/calibration.rs).
    TierRates::new(0.0045, 0.003, 0.00225)
}
fn d_separation() -> TierRates {
    TierRates::new(0.01, 0.006, 0.004)
}
fn d_turnover() -> TierRates {
    TierRates::new(0.006, 0.004, 0.003)
}
fn d_newcomer_access() -> f64 {
    0.25
}
fn d_language_needed() -> f64 {
    0.6
}
fn d_language_floor() -> f64 {
    0.3
}
fn d_network_effect() -> f64 {
    1.5
}
fn d_attitude_effect() -> f64 {
    0.5
}
fn d_tier_language() -> f64 {
    0.4
}
fn d_working_age() -> f64 {
    0.9
}

impl Default for LabourMarket {
    fn default() -> Self {
        LabourMarket {
            base_job_finding_per_week: d_base_hazard(),
            job_loss_per_week: d_separation(),
            vacancy_rate_per_week: d_turnover(),
            newcomer_vacancy_share: d_newcomer_access(),
            language_needed: d_language_needed(),
            language_floor: d_language_floor(),
            network_effect: d_network_effect(),
            attitude_effect: d_attitude_effect(),
            tier_language_threshold: d_tier_language(),
            working_age_share_of_adults: d_working_age(),
            automation_annual_rate: TierRates::default(),
            shocks: Vec::new(),
        }
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
    #[serde(default = "one_f64")]
    pub hiring_multiplier: f64,
}

fn one_f64() -> f64 {
    1.0
}

// ---------------------------------------------------------------- secondary movement

/// Secondary movement: recognised refugees, resettled persons and residents
/// without a job may move to a region with jobs and people like them, unless
/// a residence rule holds them (`policy.residence_rule_weeks`). Movers stay
/// with family or friends at first and are counted as overcrowded.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SecondaryMovement {
    /// Weekly probability that an eligible household moves.
    #[serde(default = "d_move_rate")]
    pub rate_per_week: f64,
    /// Exponent on a region's jobs per resident in the choice of destination.
    #[serde(default = "one_f64")]
    pub job_pull: f64,
    /// Extra weight per 1% of the household's origin group living in a region.
    #[serde(default = "d_network_pull")]
    pub network_pull: f64,
}

fn d_move_rate() -> f64 {
    0.002
}

impl Default for SecondaryMovement {
    fn default() -> Self {
        SecondaryMovement {
            rate_per_week: d_move_rate(),
            job_pull: 1.0,
            network_pull: d_network_pull(),
        }
    }
}

// ---------------------------------------------------------------- attitudes

/// Host-community attitudes: they fall when services are overloaded and
/// arrivals per head are high, and rise with contact (seed 000, seed 003).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Attitudes {
    /// Weekly fall per unit of overload (emergency accommodation and
    /// homelessness as a share of reception capacity).
    #[serde(default = "d_overload")]
    pub overload_sensitivity: f64,
    /// Weekly fall per arrival per 1,000 residents in the week.
    #[serde(default = "d_arrival_sens")]
    pub arrivals_sensitivity: f64,
    /// Weekly rise per sponsored person living in the region per 100,000 residents.
    #[serde(default = "d_contact")]
    pub contact_gain: f64,
    /// Weekly pull back towards the starting value.
    #[serde(default = "d_reversion")]
    pub reversion_rate: f64,
}

fn d_overload() -> f64 {
    0.002
}
fn d_arrival_sens() -> f64 {
    0.05
}
fn d_contact() -> f64 {
    0.0005
}
fn d_reversion() -> f64 {
    0.02
}

impl Default for Attitudes {
    fn default() -> Self {
        Attitudes {
            overload_sensitivity: d_overload(),
            arrivals_sensitivity: d_arrival_sens(),
            contact_gain: d_contact(),
            reversion_rate: d_reversion(),
        }
    }
}

// ---------------------------------------------------------------- accounts

/// Costs and contributions, per person-week, in one currency.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Accounts {
    /// Currency label for the outputs.
    #[serde(default = "d_currency")]
    pub currency: String,
    /// Annual discount rate (G9: not in the sources; 3.5% is the UK
    /// Green Book rate, S9, an assumption here).
    #[serde(default = "d_discount")]
    pub discount_rate_annual: f64,
    /// Cost of a reception place per occupied person-week.
    #[serde(default = "d_reception_cost")]
    pub reception_cost_per_person_week: f64,
    /// Cost of emergency accommodation per person-week (it costs more).
    #[serde(default = "d_emergency_cost")]
    pub emergency_cost_per_person_week: f64,
    /// Public cost of a homeless person-week (outreach, health, shelters).
    #[serde(default = "d_homeless_cost")]
    pub homeless_cost_per_person_week: f64,
    /// Benefits paid per week to a recognised or resettled person without a job.
    #[serde(default = "d_benefit")]
    pub benefit_per_person_week: f64,
    /// Taxes and contributions per worker-week, by job tier.
    #[serde(default = "d_tax")]
    pub tax_per_worker_week: TierRates,
}

fn d_currency() -> String {
    "EUR".into()
}
fn d_discount() -> f64 {
    0.035
}
fn d_reception_cost() -> f64 {
    250.0
}
fn d_emergency_cost() -> f64 {
    450.0
}
fn d_homeless_cost() -> f64 {
    150.0
}
fn d_benefit() -> f64 {
    110.0
}
fn d_tax() -> TierRates {
    TierRates::new(90.0, 200.0, 420.0)
}

impl Default for Accounts {
    fn default() -> Self {
        Accounts {
            currency: d_currency(),
            discount_rate_annual: d_discount(),
            reception_cost_per_person_week: d_reception_cost(),
            emergency_cost_per_person_week: d_emergency_cost(),
            homeless_cost_per_person_week: d_homeless_cost(),
            benefit_per_person_week: d_benefit(),
            tax_per_worker_week: d_tax(),
        }
    }
}

// ---------------------------------------------------------------- policy

/// The levers a policy sets. Defaults describe a status quo with no
/// programmes switched on.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Policy {
    /// How new asylum seekers are dispersed across regions.
    #[serde(default)]
    pub dispersal: Dispersal,
    /// Weeks after recognition during which a household may not move region
    /// (a residence rule); 0 lets them move at once.
    #[serde(default)]
    pub residence_rule_weeks: u32,
    /// Weeks after arrival until asylum seekers may work; absent: not until
    /// recognised.
    #[serde(default)]
    pub early_work_access_weeks: Option<u32>,
    /// Open services to asylum seekers (integration from day one).
    #[serde(default)]
    pub integration_from_day_one: bool,
    /// Move-on from reception after recognition.
    #[serde(default)]
    pub move_on: MoveOn,
    /// Intensive employment coaching (Swedish trial, Q28).
    #[serde(default)]
    pub intensive_coaching: Coaching,
    /// Mentoring (DUO for a JOB, Q34).
    #[serde(default)]
    pub mentoring: Mentoring,
    /// Community sponsorship (Q3, Q77).
    #[serde(default)]
    pub community_sponsorship: Sponsorship,
    /// One-stop shops and behavioural nudges (Q19, Q47).
    #[serde(default)]
    pub nudges: Nudges,
    /// Credential recognition fast track.
    #[serde(default)]
    pub credential_fast_track: FastTrack,
    /// Capacities that grow when an indicator crosses a trigger.
    #[serde(default)]
    pub adaptive_capacity: Vec<AdaptiveCapacity>,
}

/// The dispersal rule.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Dispersal {
    /// `population_share`, `quota_key`, `reception_capacity`,
    /// `municipal_quota` or `free_choice`.
    #[serde(default = "d_rule")]
    pub rule: DispersalRule,
    /// Free choice: weight multiplier of urban regions (large cities take
    /// the lion's share, Q14).
    #[serde(default = "d_urban_pull")]
    pub urban_pull: f64,
    /// Free choice: extra weight per 1% of the arrivals' origin group already
    /// living in the region (networks, seed 003).
    #[serde(default = "d_network_pull")]
    pub network_pull: f64,
}

fn d_rule() -> DispersalRule {
    DispersalRule::PopulationShare
}
fn d_urban_pull() -> f64 {
    2.0
}
fn d_network_pull() -> f64 {
    0.5
}

impl Default for Dispersal {
    fn default() -> Self {
        Dispersal {
            rule: d_rule(),
            urban_pull: d_urban_pull(),
            network_pull: d_network_pull(),
        }
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

/// Move-on from reception after a positive decision.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MoveOn {
    /// Weeks a recognised household may stay in reception while it finds a
    /// home (four weeks in the UK, Q16 and S8).
    #[serde(default = "d_move_on_weeks")]
    pub period_weeks: u32,
    /// Move-on support: a household not housed by the end of the period is
    /// placed in temporary (emergency) accommodation instead of becoming
    /// homeless, at the emergency cost, and keeps waiting for a home.
    #[serde(default)]
    pub support: bool,
}

fn d_move_on_weeks() -> u32 {
    4
}

impl Default for MoveOn {
    fn default() -> Self {
        MoveOn {
            period_weeks: d_move_on_weeks(),
            support: false,
        }
    }
}

/// Intensive coaching: a share of working-age persons without a job who
/// have access to services (status, or integration from day one) is offered
/// coaching seats; while and after being coached their job finding is
/// multiplied by `job_finding_multiplier`.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Coaching {
    /// Share of eligible persons covered (0 switches coaching off).
    #[serde(default)]
    pub coverage: f64,
    /// Multiplier on job finding for coached persons, during coaching and
    /// after; calibrated so that the model reproduces the Swedish trial's
    /// 14% → 20% regular employment (Q28; tests/calibration.rs).
    #[serde(default = "d_coach_mult")]
    pub job_finding_multiplier: f64,
}

fn d_coach_mult() -> f64 {
    1.45
}

impl Default for Coaching {
    fn default() -> Self {
        Coaching {
            coverage: 0.0,
            job_finding_multiplier: d_coach_mult(),
        }
    }
}

/// Mentoring of recent arrivals by volunteers (DUO for a JOB, Q34–Q35).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Mentoring {
    /// Mentor pairs available per year, nationally (Q34: 648 duos in 2017).
    #[serde(default)]
    pub pairs_per_year: f64,
    /// Weeks a mentoring pair lasts.
    #[serde(default = "d_mentor_weeks")]
    pub duration_weeks: u32,
    /// Multiplier on job finding while mentored.
    #[serde(default = "d_mentor_mult")]
    pub job_finding_multiplier: f64,
}

fn d_mentor_weeks() -> u32 {
    26
}
fn d_mentor_mult() -> f64 {
    2.0
}

impl Default for Mentoring {
    fn default() -> Self {
        Mentoring {
            pairs_per_year: 0.0,
            duration_weeks: d_mentor_weeks(),
            job_finding_multiplier: d_mentor_mult(),
        }
    }
}

/// Community sponsorship: households resettled by community groups, who
/// provide a home and contact.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Sponsorship {
    /// Households sponsored per year (Q3: 500 refugees since 2016 in the UK).
    #[serde(default)]
    pub households_per_year: f64,
    /// Regions the sponsored households go to (names); empty: all regions by
    /// population. Listing rural regions is rural placement.
    #[serde(default)]
    pub regions: Vec<String>,
}

/// One-stop shops and behavioural nudges: service take-up is multiplied by
/// `1 + take_up_uplift` (Q47: 5–7%).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Nudges {
    #[serde(default)]
    pub enabled: bool,
    #[serde(default = "d_uplift")]
    pub take_up_uplift: f64,
}

fn d_uplift() -> f64 {
    0.06
}

impl Default for Nudges {
    fn default() -> Self {
        Nudges {
            enabled: false,
            take_up_uplift: d_uplift(),
        }
    }
}

/// Credential recognition fast track: recognition takes `duration_factor`
/// times as long.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FastTrack {
    #[serde(default)]
    pub enabled: bool,
    #[serde(default = "d_fast_factor")]
    pub duration_factor: f64,
}

fn d_fast_factor() -> f64 {
    0.5
}

impl Default for FastTrack {
    fn default() -> Self {
        FastTrack {
            enabled: false,
            duration_factor: d_fast_factor(),
        }
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
    #[serde(default = "d_max_added")]
    pub max_added: u32,
}

fn d_max_added() -> u32 {
    u32::MAX
}
