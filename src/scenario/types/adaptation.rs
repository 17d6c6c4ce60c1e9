//! Adaptive strategies, in the manner of Dynamic Adaptive Policy Pathways
//! (Haasnoot et al. 2013) and the signposts of assumption-based planning: a
//! rule watches a signpost (a weekly indicator), and when the signpost
//! crosses a trigger for a number of weeks takes the next step of its
//! pathway, a list of actions on levers, each used until it reaches its
//! tipping point (its cap, or a value of the signpost beyond which it no
//! longer suffices). With a release, a rule scales down again with
//! hysteresis: a lower trigger and a minimum holding time.

use serde::{Deserialize, Serialize};

/// One adaptive rule: a signpost, a trigger, a pathway of actions and,
/// optionally, a release.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Rule {
    /// Unique name: the `rule` column of `actions.csv`.
    pub name: String,
    pub signpost: Signpost,
    pub trigger: Trigger,
    /// Scaling down; absent: what is built stays.
    #[serde(default)]
    pub release: Option<Release>,
    /// The pathway: actions in the order they are used (at least one).
    pub actions: Vec<Action>,
}

/// What a rule watches: a weekly indicator, read from last week's
/// observation (a rule never sees the week it acts in).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Signpost {
    /// Any weekly indicator of `docs/model.md` (`reception_waiting`,
    /// `language_waiting`, `asylum_backlog`, `employment_rate`, …).
    pub indicator: String,
    /// `each`: the rule runs in every region on the region's value and acts
    /// there; `all`: on the national value; a region's name: on that
    /// region's value.
    #[serde(default = "each")]
    pub region: String,
    /// Weeks averaged (1: last week's value alone).
    #[serde(default = "one_week")]
    pub smoothing_weeks: u32,
    /// Watch the trend instead: the least-squares slope per week over the
    /// last `smoothing_weeks` weeks (at least 2).
    #[serde(default)]
    pub trend: bool,
}

/// The signpost's `region` for a rule that runs in every region.
pub const EACH_REGION: &str = "each";
/// The signpost's `region` for the national value.
pub const NATIONAL: &str = "all";

fn each() -> String {
    EACH_REGION.to_string()
}

/// When a rule acts: its signpost above (or below) a value for
/// `for_weeks` weeks in a row. Exactly one of `above` and `below`.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Trigger {
    #[serde(default)]
    pub above: Option<f64>,
    #[serde(default)]
    pub below: Option<f64>,
    #[serde(default = "one_week")]
    pub for_weeks: u32,
}

/// When a rule scales down one step: its signpost on the other side of a
/// second value (below it for a rule triggered `above`) for `for_weeks`
/// weeks in a row, at least `min_hold_weeks` after the rule's last change.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Release {
    #[serde(default)]
    pub above: Option<f64>,
    #[serde(default)]
    pub below: Option<f64>,
    #[serde(default = "one_week")]
    pub for_weeks: u32,
    /// The shortest time between a change and the next change the other
    /// way, or the next release.
    #[serde(default)]
    pub min_hold_weeks: u32,
}

fn one_week() -> u32 {
    1
}

/// One action of a pathway: steps on a lever.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Action {
    /// Unique within the rule: the `action` column of `actions.csv`.
    pub name: String,
    pub lever: Lever,
    /// Added per step, in the lever's unit; absent for the switches
    /// (`move_on_support`, `dispersal_rule`).
    #[serde(default)]
    pub step: Option<f64>,
    /// The most this action may add (per region for a regional lever):
    /// reaching it is the action's tipping point. Absent: no cap.
    #[serde(default)]
    pub max: Option<f64>,
    /// Beyond this value of the signpost (above it for a rule triggered
    /// `above`) the action no longer suffices, and the pathway moves on to
    /// the next action even before the cap.
    #[serde(default)]
    pub tipping_point: Option<f64>,
    /// Weeks from the decision until a step takes effect.
    #[serde(default)]
    pub lead_time_weeks: u32,
    /// `dispersal_rule`: the rule switched to.
    #[serde(default)]
    pub to: Option<super::DispersalRule>,
    /// A regional lever moved by a rule that watches `all` or one region:
    /// the regions acted on (empty: every region).
    #[serde(default)]
    pub regions: Vec<String>,
    #[serde(default)]
    pub cost: ActionCost,
}

block_with_defaults! {
    /// What an action costs, per unit of its lever: once when a step is
    /// decided, and every week a unit is held. Counted in the accounts as
    /// `adaptation_cost`, part of `cost`.
    pub struct ActionCost {
        pub setup_per_unit: f64 = 0.0,
        pub holding_per_unit_week: f64 = 0.0,
    }
}

/// The levers an action can move, with their unit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Lever {
    /// Reception places of a region (places).
    ReceptionPlaces,
    /// Places of one service in a region (places).
    LanguageSeats,
    CoachingSeats,
    CredentialRecognitionSeats,
    InterpretationSeats,
    HealthRegistrationSeats,
    MentalHealthSeats,
    /// National asylum decisions per week (persons per week).
    DecisionCapacity,
    /// A housing programme: units of a size coming free per week in a region.
    HousingSmallUnits,
    HousingMediumUnits,
    HousingLargeUnits,
    /// Move-on support switched on (a switch).
    MoveOnSupport,
    /// Intensive coaching's coverage (a share, up to 1 in all).
    CoachingCoverage,
    /// Community sponsorship (households per year).
    SponsorshipPlaces,
    /// The dispersal rule switched to `to` (a switch).
    DispersalRule,
}

/// Whether a lever is national or regional, numeric or a switch.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LeverScope {
    Regional,
    National,
}

impl Lever {
    pub const ALL: [Lever; 15] = [
        Lever::ReceptionPlaces,
        Lever::LanguageSeats,
        Lever::CoachingSeats,
        Lever::CredentialRecognitionSeats,
        Lever::InterpretationSeats,
        Lever::HealthRegistrationSeats,
        Lever::MentalHealthSeats,
        Lever::DecisionCapacity,
        Lever::HousingSmallUnits,
        Lever::HousingMediumUnits,
        Lever::HousingLargeUnits,
        Lever::MoveOnSupport,
        Lever::CoachingCoverage,
        Lever::SponsorshipPlaces,
        Lever::DispersalRule,
    ];

    /// The name in the scenario file and in `actions.csv`.
    pub fn name(self) -> &'static str {
        match self {
            Lever::ReceptionPlaces => "reception_places",
            Lever::LanguageSeats => "language_seats",
            Lever::CoachingSeats => "coaching_seats",
            Lever::CredentialRecognitionSeats => "credential_recognition_seats",
            Lever::InterpretationSeats => "interpretation_seats",
            Lever::HealthRegistrationSeats => "health_registration_seats",
            Lever::MentalHealthSeats => "mental_health_seats",
            Lever::DecisionCapacity => "decision_capacity",
            Lever::HousingSmallUnits => "housing_small_units",
            Lever::HousingMediumUnits => "housing_medium_units",
            Lever::HousingLargeUnits => "housing_large_units",
            Lever::MoveOnSupport => "move_on_support",
            Lever::CoachingCoverage => "coaching_coverage",
            Lever::SponsorshipPlaces => "sponsorship_places",
            Lever::DispersalRule => "dispersal_rule",
        }
    }

    pub fn scope(self) -> LeverScope {
        match self {
            Lever::DecisionCapacity
            | Lever::MoveOnSupport
            | Lever::CoachingCoverage
            | Lever::SponsorshipPlaces
            | Lever::DispersalRule => LeverScope::National,
            _ => LeverScope::Regional,
        }
    }

    /// A switch is on or off: it has no step and no cap.
    pub fn is_switch(self) -> bool {
        matches!(self, Lever::MoveOnSupport | Lever::DispersalRule)
    }

    /// Counted in whole places (reception, service seats).
    pub fn in_places(self) -> bool {
        matches!(
            self,
            Lever::ReceptionPlaces
                | Lever::LanguageSeats
                | Lever::CoachingSeats
                | Lever::CredentialRecognitionSeats
                | Lever::InterpretationSeats
                | Lever::HealthRegistrationSeats
                | Lever::MentalHealthSeats
        )
    }

    /// The unit of a step, for people.
    pub fn unit(self) -> &'static str {
        match self {
            l if l.in_places() => "places",
            Lever::DecisionCapacity => "decisions per week",
            Lever::HousingSmallUnits | Lever::HousingMediumUnits | Lever::HousingLargeUnits => {
                "units per week"
            }
            Lever::CoachingCoverage => "share of the eligible",
            Lever::SponsorshipPlaces => "households per year",
            _ => "on or off",
        }
    }
}
