//! Rules of housing shared by the processes that move households between
//! homes (moving on, the housing market, secondary movement) and by the
//! observation: unit sizes, who searches, and the paths into homelessness.

use bevy_ecs::prelude::*;

use super::components::{Household, HousingStatus, NEVER};
use crate::scenario::Housing;

/// Unit size class a household needs: 0 small (1), 1 medium (2–4), 2 large (5+).
pub fn size_class(size: u8) -> usize {
    match size {
        0 | 1 => 0,
        2..=4 => 1,
        _ => 2,
    }
}

/// How a household came to be homeless: every homeless household has
/// exactly one path, set when it lost its accommodation (`docs/model.md`,
/// 3.5). `None` for a household that is not homeless.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[repr(u8)]
pub enum HomelessPath {
    #[default]
    None = 0,
    /// Granted protection, not housed by the end of the move-on period, and
    /// no move-on support.
    MoveOn = 1,
    /// Refused, and its accommodation ended after the move-on period.
    Rejected = 2,
}

/// Number of [`HomelessPath`] values, `None` included.
pub const HOMELESS_PATHS: usize = 3;

/// A household's place in the housing market, beside [`Household`] (every
/// household has one): why it is homeless, if it is, and the draw that
/// decides whether a private rent is within its reach without work.
#[derive(Component, Debug, Clone, Copy, Default)]
pub struct Tenancy {
    pub homeless_path: HomelessPath,
    /// Uniform on [0, 1), drawn each time the household joins a housing
    /// queue: without work it can pay a private rent if the draw is at
    /// least `housing.rent_barrier` (one draw, whatever the barrier).
    pub rent_draw: f32,
}

/// Looks for a home: has the right to rent (status), lives in the country,
/// and is in reception, emergency or temporary accommodation, homeless or
/// overcrowded (overcrowded households keep searching).
pub fn searching(h: &Household) -> bool {
    h.legal.has_status()
        & (h.region != u16::MAX)
        & matches!(
            h.housing,
            HousingStatus::Reception
                | HousingStatus::Emergency
                | HousingStatus::Homeless
                | HousingStatus::Overcrowded
        )
}

/// Still waiting for a home of size `class` in region `r` (queue entries
/// of households that moved, were housed, left, or changed size are
/// dropped when they are reached).
pub fn waiting_in(h: &Household, r: usize, class: usize) -> bool {
    h.region as usize == r
        && h.housing_queue_since != NEVER
        && size_class(h.size) == class
        && searching(h)
}

/// Multiplier on service take-up and job finding for a person living in
/// `housing`: housing is a precondition of training and work (M16).
#[inline]
pub fn activity_factor(housing: HousingStatus, rules: &Housing) -> f64 {
    if housing == HousingStatus::Homeless {
        rules.homeless_activity_factor
    } else {
        1.0
    }
}
