//! What persons who are not agents ([`super::sampling`]) borrow from the
//! agents, and the one thing they simulate themselves.
//!
//! At scale k every household and person is simulated where capacity is
//! rationed (reception, decisions, housing, service places), but only the
//! agents work and are counted. Where a rationed process asks about what
//! only agents simulate, the others borrow it from the agents like them:
//!
//! - **Work, for coaching.** A person who is not an agent counts as in work
//!   while their `work_draw` (uniform, drawn at arrival) is below the
//!   agents' employment rate in their stratum (origin group, years since
//!   status), so that the share in work is the agents', and a person's
//!   standing changes only as that rate moves.
//! - **Work, for secondary movement.** A household whose members are not
//!   agents moves at the rate times the share without work among the
//!   agents' households that may move in its stratum (origin group, years
//!   since status, unit size class).
//! - **Language**, which the services' eligibility reads (interpretation
//!   below 0.3, language courses below 0.95), is grown as the integration
//!   process grows everyone's: everyday contact, the course, school and
//!   work (the work they borrow, as for coaching), slowed by missing
//!   literacy and trauma. It is grown when the services or schools look at
//!   the person, over the weeks since they last did, at the rate of their
//!   situation then ([`grow_language`]). Without the work, non-agents'
//!   language lagged the agents' and at scale 10 a quarter more waited for
//!   an interpreter (housing_pressure, 20 paired replications).

use bevy_ecs::prelude::Resource;

use super::components::*;
use super::tenancy::size_class;
use crate::scenario::{Integration, Schools};

/// Years since status in the strata: 0–4, 5+.
const YEARS: usize = 6;

fn years_since(week: u16, status_week: u16) -> usize {
    (usize::from(week.saturating_sub(status_week)) / 52).min(YEARS - 1)
}

/// The agents' employment rate by origin group and years since status,
/// counted by the services each week at scale > 1 (schools read it after).
#[derive(Resource, Default)]
pub struct Employment {
    /// Per stratum: agents of working age with a status, and those in work.
    counts: Vec<[u32; 2]>,
    /// Per stratum: the share in work (NaN where no agent is counted, so
    /// that no draw is below it), asked for each person who is not an agent.
    rates: Vec<f64>,
}

impl Employment {
    fn stratum(p: &Person, res: &Residence, week: u16) -> usize {
        usize::from(p.origin) * YEARS + years_since(week, res.status_week)
    }

    /// Count this week's agents (present or not: those not present are
    /// passed over).
    pub fn count<'a>(
        &mut self,
        groups: usize,
        week: u16,
        agents: impl Iterator<Item = (&'a Person, &'a Residence, &'a Work)>,
    ) {
        self.counts.clear();
        self.counts.resize(groups * YEARS, [0; 2]);
        for (p, res, work) in agents {
            if p.working_age && res.legal.has_status() && res.region != u16::MAX {
                let c = &mut self.counts[Self::stratum(p, res, week)];
                c[0] += 1;
                c[1] += u32::from(work.job.is_some());
            }
        }
        self.rates.clear();
        self.rates.extend(self.counts.iter().map(|&[n, employed]| {
            if n > 0 {
                f64::from(employed) / f64::from(n)
            } else {
                f64::NAN
            }
        }));
    }

    /// Does a person who is not an agent count as in work?
    pub fn in_work(&self, p: &Person, res: &Residence, week: u16) -> bool {
        if !(p.working_age && res.legal.has_status()) {
            return false;
        }
        self.rates
            .get(Self::stratum(p, res, week))
            .is_some_and(|&rate| f64::from(p.work_draw) < rate)
    }
}

/// The weekly language gains of the integration process and schools, as
/// [`grow_language`] needs them.
#[derive(Clone, Copy)]
pub struct Learning {
    everyday: f64,
    in_course: f64,
    at_work: f64,
    in_school: f64,
    illiteracy_factor: f64,
    trauma_factor: f64,
}

impl Learning {
    pub fn new(c: &Integration, schools: &Schools) -> Learning {
        Learning {
            everyday: c.language_gain_everyday,
            in_course: c.language_gain_in_course,
            at_work: c.language_gain_at_work,
            in_school: schools.language_gain_in_school,
            illiteracy_factor: c.illiteracy_factor,
            trauma_factor: c.trauma_factor,
        }
    }
}

/// Grow the language of a person who is not an agent up to `week`
/// (exclusive), at the weekly rate of their present situation (in a
/// language course or not, at school or not, in work or not, literate,
/// vulnerable): as the integration process grows an agent's,
/// `l ← l + rate × (1 − l)` each week. `in_work` is the work they borrow
/// ([`Employment::in_work`]); whatever changes the situation (the
/// services, schools) grows the language up to that week first.
pub fn grow_language(
    n: &mut NotAgent,
    p: &Person,
    progress: &mut Progress,
    uses: &ServiceUse,
    c: &Learning,
    in_work: bool,
    week: u16,
) {
    let weeks = week.saturating_sub(n.grown_to);
    if weeks == 0 {
        return;
    }
    n.grown_to = week;
    let in_course = uses.in_service(Service::Language);
    let slow = if p.literate { 1.0 } else { c.illiteracy_factor }
        * if progress.vulnerable {
            c.trauma_factor
        } else {
            1.0
        };
    let gain = c.everyday
        + if in_course { c.in_course } else { 0.0 }
        + if in_work { c.at_work } else { 0.0 }
        + if progress.at_school { c.in_school } else { 0.0 };
    let rate = (gain * slow).min(1.0);
    let left = (1.0 - f64::from(progress.language)) * (1.0 - rate).powi(i32::from(weeks));
    progress.language = (1.0 - left) as f32;
}

/// Among the agents' households that may move, by stratum: how many, and
/// how many have no member in work.
#[derive(Default)]
pub struct WithoutWork {
    counts: Vec<[u32; 2]>,
    /// Over all strata, for a stratum without any.
    overall: f64,
}

impl WithoutWork {
    fn stratum(h: &Household, week: u16) -> usize {
        // Housed or not: work and a home go together (a mover leaves its
        // home), so the share without work is taken among households alike.
        let housed = usize::from(h.housing == HousingStatus::Mainstream);
        ((usize::from(h.origin) * YEARS + years_since(week, h.status_week)) * 3
            + size_class(h.size))
            * 2
            + housed
    }

    /// Count this week's agents' households that may move.
    pub fn count<'a>(
        &mut self,
        groups: usize,
        week: u16,
        households: impl Iterator<Item = &'a Household>,
    ) {
        self.counts.clear();
        self.counts.resize(groups * YEARS * 3 * 2, [0; 2]);
        for h in households {
            let c = &mut self.counts[Self::stratum(h, week)];
            c[0] += 1;
            c[1] += u32::from(h.employed == 0);
        }
        let (n, w) = self.counts.iter().fold((0u64, 0u64), |(n, w), c| {
            (n + u64::from(c[0]), w + u64::from(c[1]))
        });
        self.overall = if n > 0 { w as f64 / n as f64 } else { 1.0 };
    }

    /// The share without work in the household's stratum.
    pub fn share(&self, h: &Household, week: u16) -> f64 {
        match self.counts.get(Self::stratum(h, week)) {
            Some(&[n, w]) if n > 0 => f64::from(w) / f64::from(n),
            _ => self.overall,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn language_grown_at_once_equals_week_by_week() {
        let c = Integration::default();
        let learning = Learning::new(&c, &Schools::default());
        let p = Person {
            household: bevy_ecs::entity::Entity::from_raw_u32(0).unwrap(),
            adult: true,
            working_age: true,
            skill: Tier::Low,
            literate: false,
            origin: 0,
            arrival_week: 0,
            coaching_draw: 0.5,
            agent: false,
            work_draw: 0.5,
        };
        let uses = ServiceUse::default();
        let start = Progress {
            language: 0.05,
            vulnerable: true,
            ..Progress::default()
        };
        let (mut once, mut n1) = (
            start,
            NotAgent {
                grown_to: 3,
                scheduled: 0,
            },
        );
        grow_language(&mut n1, &p, &mut once, &uses, &learning, false, 23);
        let (mut weekly, mut n2) = (
            start,
            NotAgent {
                grown_to: 3,
                scheduled: 0,
            },
        );
        for w in 4..=23 {
            grow_language(&mut n2, &p, &mut weekly, &uses, &learning, false, w);
        }
        let rate = c.language_gain_everyday * c.illiteracy_factor * c.trauma_factor;
        let expected = 1.0 - 0.95 * (1.0 - rate).powi(20);
        assert!((f64::from(once.language) - expected).abs() < 1e-6);
        assert!((once.language - weekly.language).abs() < 1e-6);
        assert_eq!((n1.grown_to, n2.grown_to), (23, 23));

        // In work (borrowed), work's gain adds to everyday contact's, as
        // for an agent in work.
        let (mut working, mut n3) = (
            start,
            NotAgent {
                grown_to: 3,
                scheduled: 0,
            },
        );
        grow_language(&mut n3, &p, &mut working, &uses, &learning, true, 23);
        let rate = (c.language_gain_everyday + c.language_gain_at_work)
            * c.illiteracy_factor
            * c.trauma_factor;
        let expected = 1.0 - 0.95 * (1.0 - rate).powi(20);
        assert!((f64::from(working.language) - expected).abs() < 1e-6);
        assert!(working.language > once.language);
    }
}
