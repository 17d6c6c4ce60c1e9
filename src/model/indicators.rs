//! The weekly indicators of `model.md` ("What comes out"), recorded per
//! region and nationally into a dense array, one per replication.

use super::components::{SERVICES, Service};

/// Fixed indicators, in output order. Service indicators and cohort
/// employment rates follow them.
pub const FIXED: &[&str] = &[
    "arrivals",
    "asylum_backlog",
    "decisions",
    "recognitions",
    "asylum_seekers",
    "recognised",
    "rejected",
    "resettled",
    "residents",
    "departed",
    "present",
    "reception_capacity",
    "reception_occupancy",
    "emergency_accommodation",
    "homeless",
    "homeless_refugees",
    "mainstream_housed",
    "overcrowded",
    "mean_language",
    "mean_bonds",
    "mean_bridges",
    "mean_links",
    "working_age_refugees",
    "employed_refugees",
    "employment_rate",
    "underemployment_rate",
    "employment_rate_3y_plus",
    "attitude",
    "jobs_low",
    "jobs_mid",
    "jobs_high",
    "cost",
    "contributions",
    "balance",
    "cumulative_discounted_balance",
];

pub const ARRIVALS: usize = 0;
pub const ASYLUM_BACKLOG: usize = 1;
pub const DECISIONS: usize = 2;
pub const RECOGNITIONS: usize = 3;
pub const ASYLUM_SEEKERS: usize = 4;
pub const RECOGNISED: usize = 5;
pub const REJECTED: usize = 6;
pub const RESETTLED: usize = 7;
pub const RESIDENTS: usize = 8;
pub const DEPARTED: usize = 9;
pub const PRESENT: usize = 10;
pub const RECEPTION_CAPACITY: usize = 11;
pub const RECEPTION_OCCUPANCY: usize = 12;
pub const EMERGENCY: usize = 13;
pub const HOMELESS: usize = 14;
pub const HOMELESS_REFUGEES: usize = 15;
pub const MAINSTREAM: usize = 16;
pub const OVERCROWDED: usize = 17;
pub const MEAN_LANGUAGE: usize = 18;
pub const MEAN_BONDS: usize = 19;
pub const MEAN_BRIDGES: usize = 20;
pub const MEAN_LINKS: usize = 21;
pub const WORKING_AGE_REFUGEES: usize = 22;
pub const EMPLOYED_REFUGEES: usize = 23;
pub const EMPLOYMENT_RATE: usize = 24;
pub const UNDEREMPLOYMENT_RATE: usize = 25;
pub const EMPLOYMENT_RATE_3Y: usize = 26;
pub const ATTITUDE: usize = 27;
pub const JOBS: usize = 28; // + tier
pub const COST: usize = 31;
pub const CONTRIBUTIONS: usize = 32;
pub const BALANCE: usize = 33;
pub const CUMULATIVE_DISCOUNTED_BALANCE: usize = 34;

/// Per service: waiting list, in service, started this week, mean wait of
/// those who started this week (weeks), and places (seats).
pub const SERVICE_FIELDS: [&str; 5] = [
    "waiting",
    "in_service",
    "started",
    "mean_wait_weeks",
    "seats",
];
pub const SERVICE_BASE: usize = 35;

pub fn service_indicator(s: Service, field: usize) -> usize {
    SERVICE_BASE + s as usize * SERVICE_FIELDS.len() + field
}

pub const COHORT_BASE: usize = SERVICE_BASE + SERVICES * SERVICE_FIELDS.len();

/// Indicator names for a horizon: the fixed ones, the service ones, then
/// the employment rate of each yearly arrival cohort.
pub fn names(horizon_weeks: u32) -> Vec<String> {
    let mut v: Vec<String> = FIXED.iter().map(|s| s.to_string()).collect();
    for s in Service::ALL {
        for f in SERVICE_FIELDS {
            v.push(format!("{}_{}", s.name(), f));
        }
    }
    for c in 0..cohorts(horizon_weeks) {
        v.push(format!("employment_rate_cohort_{c}"));
    }
    v
}

/// Yearly arrival cohorts over a horizon.
pub fn cohorts(horizon_weeks: u32) -> usize {
    horizon_weeks.div_ceil(52) as usize
}

/// One replication's weekly indicators: `values[(week × slots + slot) ×
/// indicators + indicator]`, slot = region index, with the last slot national.
#[derive(Debug, Clone)]
pub struct Series {
    pub weeks: usize,
    pub slots: usize,
    pub indicators: usize,
    pub values: Vec<f64>,
}

impl Series {
    pub fn new(weeks: usize, regions: usize, indicators: usize) -> Series {
        Series {
            weeks,
            slots: regions + 1,
            indicators,
            values: vec![0.0; weeks * (regions + 1) * indicators],
        }
    }
    #[inline]
    pub fn index(&self, week: usize, slot: usize, indicator: usize) -> usize {
        (week * self.slots + slot) * self.indicators + indicator
    }
    pub fn get(&self, week: usize, slot: usize, indicator: usize) -> f64 {
        self.values[self.index(week, slot, indicator)]
    }
    pub fn set(&mut self, week: usize, slot: usize, indicator: usize, v: f64) {
        let i = self.index(week, slot, indicator);
        self.values[i] = v;
    }
    /// The national slot.
    pub fn national(&self) -> usize {
        self.slots - 1
    }
    /// One week's row of a slot.
    pub fn row_mut(&mut self, week: usize, slot: usize) -> &mut [f64] {
        let start = self.index(week, slot, 0);
        &mut self.values[start..start + self.indicators]
    }
}
