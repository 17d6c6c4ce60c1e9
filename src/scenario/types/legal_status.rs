//! Legal status after the first decision: the rights of subsidiary
//! protection (its share of grants is the origin group's,
//! `arrivals.origin_groups[].family_abroad.subsidiary_protection_share`),
//! appeals, and what follows a final refusal.

use serde::{Deserialize, Serialize};

block_with_defaults! {
    /// Legal status after the first decision (`docs/model.md` 3.4).
    pub struct LegalStatusRules {
        /// Multiplier on service take-up under subsidiary protection: a
        /// shorter, less secure residence (M16; A67).
        pub subsidiary_take_up_factor: f64 = 0.8,
        /// Share of first refusals that are appealed (S29: about 91%).
        pub appeal_share: f64 = 0.9,
        /// Weeks from filing before a court can decide an appeal (A68).
        pub appeal_min_weeks: u32 = 26,
        /// Appeals decided per week nationally, persons, first come first
        /// served (A69).
        pub court_capacity_per_week: f64 = 500.0,
        /// Share of appeals decided that grant protection (S29: 40% of the
        /// decisions on substance, about half of all).
        pub appeal_success: f64 = 0.2,
        /// Share of final refusals that cannot be returned and are tolerated
        /// (M13; A70).
        pub tolerated_share: f64 = 0.5,
        /// Removals per week nationally, persons, first come first served among
        /// the finally refused who can be returned (D3).
        pub removal_capacity_per_week: f64 = 0.0,
    }
}

/// Where a finally refused household lives once the move-on period has
/// passed (a lever).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum RejectedAccommodation {
    /// It loses its place and is homeless.
    #[default]
    None,
    /// It keeps its reception or emergency place, at their cost.
    BasicReception,
    /// Community groups host it: it stays with others (counted overcrowded).
    Community,
}
