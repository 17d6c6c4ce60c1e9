//! Rules of legal status shared by the processes that decide it (asylum
//! decisions, appeals) and the one that ends a stay (removals): the split
//! of protection into refugee status and subsidiary protection, what a
//! final refusal leads to, and the queues of the courts and of removals.

use std::collections::VecDeque;

use bevy_ecs::prelude::*;
use rand::RngExt;
use rand_pcg::Pcg64Mcg;

use super::components::{Household, LegalStatus};
use crate::scenario::{LegalStatusRules, OriginGroup};

/// Appeals pending before the courts, first come first served (in the
/// order filed), and the court capacity carried within the week (persons).
#[derive(Resource, Default)]
pub struct Court {
    pub queue: VecDeque<Entity>,
    pub credit: f64,
}

/// Finally refused households that can be returned, in the order refused,
/// the removal capacity carried within the week (persons), and this week's
/// removals by region (persons).
#[derive(Resource, Default)]
pub struct Removals {
    pub queue: VecDeque<Entity>,
    pub credit: f64,
    pub removed: Vec<f64>,
}

/// The status a grant of protection gives: subsidiary protection with the
/// origin group's `family_abroad.subsidiary_protection_share` (no draw
/// when it is 0), refugee status otherwise.
pub fn protection(rng: &mut Pcg64Mcg, group: &OriginGroup) -> LegalStatus {
    let share = group.family_abroad.subsidiary_protection_share;
    if share > 0.0 && rng.random::<f64>() < share {
        LegalStatus::Subsidiary
    } else {
        LegalStatus::Recognised
    }
}

/// A final refusal: tolerated with probability `tolerated_share` (it cannot
/// be returned), otherwise returnable and queued for removal.
pub fn refuse_finally(
    rng: &mut Pcg64Mcg,
    rules: &LegalStatusRules,
    e: Entity,
    h: &mut Household,
    week: u16,
    removals: &mut Removals,
) {
    h.status_week = week;
    if rng.random::<f64>() < rules.tolerated_share {
        h.legal = LegalStatus::Tolerated;
    } else {
        h.legal = LegalStatus::Rejected;
        removals.queue.push_back(e);
    }
}

/// Multiplier on service take-up for a person of status `legal`: a shorter,
/// less secure residence under subsidiary protection (M16).
#[inline]
pub fn take_up_factor(legal: LegalStatus, rules: &LegalStatusRules) -> f64 {
    if legal == LegalStatus::Subsidiary {
        rules.subsidiary_take_up_factor
    } else {
        1.0
    }
}
