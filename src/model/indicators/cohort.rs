//! The cohort indicators: outcomes of each arrival cohort (the simulation
//! year of arrival) by years since arrival, as integration statistics are
//! published. One table, [`COHORT`]: each entry says whom it is about
//! (persons, or households) and what each of them adds, so adding an
//! indicator is one entry (and, if it needs a component the [`Subject`] or
//! [`HouseholdSubject`] does not yet carry, that field).
//!
//! A cohort is everyone who arrived in year *c* of the run (weeks 52*c* to
//! 52*c* + 51) through a humanitarian channel (asylum, resettlement or
//! community sponsorship) and is still in the country, whatever their
//! status since; the initial backlog belongs to cohort 0. Family and
//! labour arrivals (status `resident`) are not in any cohort. Each cohort
//! is observed at the end of every complete year of the run (week 52*t* +
//! 51): years since arrival *y* = *t* − *c*, so *y* = 0 is the end of the
//! arrival year.
//!
//! A household belongs to the cohort of the year the household arrived: a
//! sponsor's household stays in the sponsor's cohort when their family
//! joins, and the household a young adult forms on leaving home takes the
//! arrival year of the household they left.

use super::{Better, Unit};
use crate::model::components::{
    Household, HousingStatus, LegalStatus, Person, Progress, Residence, Reunion, ReunionPhase,
    SchoolLevel, SchoolPhase, Schooling, Service, ServiceUse, Work,
};

/// A language index at or above this counts as proficient
/// ([A46](../../../docs/sources.md#a46)): the level at which the language
/// penalty on job finding ends (`labour_market.language_needed`'s
/// default, [A23](../../../docs/sources.md#a23)). The sources give no
/// mapping from the model's index to a test level.
pub const PROFICIENT_LANGUAGE: f32 = 0.6;

/// A person as the cohort indicators see them at an observation.
#[derive(Debug, Clone, Copy)]
pub struct Subject<'a> {
    pub person: &'a Person,
    pub residence: &'a Residence,
    pub progress: &'a Progress,
    pub work: &'a Work,
    pub services: &'a ServiceUse,
    pub schooling: &'a Schooling,
    /// May work this week (the labour market's rule, `WorkRights`).
    pub may_work: bool,
}

/// A household as the cohort indicators see it at an observation.
#[derive(Debug, Clone, Copy)]
pub struct HouseholdSubject<'a> {
    pub household: &'a Household,
    pub reunion: &'a Reunion,
}

/// Whom a cohort indicator is about, and what each of them adds.
#[derive(Debug, Clone, Copy)]
pub enum About {
    /// Persons of the cohort.
    Persons {
        /// Which: the denominator of a mean, the persons counted.
        of: fn(&Subject) -> bool,
        /// What each of them adds to the numerator of a mean.
        value: fn(&Subject) -> f64,
    },
    /// Households of the cohort.
    Households {
        of: fn(&HouseholdSubject) -> bool,
        value: fn(&HouseholdSubject) -> f64,
    },
}

/// How a cohort indicator's value is formed from its persons.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Aggregate {
    /// The mean of `value` over the persons (or households) it is about
    /// (a share when `value` is 0 or 1); undefined (empty) if there are
    /// none.
    Mean,
    /// How many persons (or households) it is about, in the population
    /// whatever the scale.
    Persons,
}

/// One cohort indicator.
#[derive(Debug, Clone, Copy)]
pub struct CohortIndicator {
    /// The name in the `indicator` column of `cohorts.csv` and
    /// `cohort_summary.csv`.
    pub name: &'static str,
    /// For people (the report).
    pub label: &'static str,
    pub unit: Unit,
    pub better: Better,
    pub aggregate: Aggregate,
    pub about: About,
    /// What it means, for `docs/model.md` (Markdown).
    pub meaning: &'static str,
}

fn everyone(_: &Subject) -> bool {
    true
}

fn adult(s: &Subject) -> bool {
    s.person.adult
}

fn one(b: bool) -> f64 {
    f64::from(u8::from(b))
}

use About::{Households, Persons};
use Better::{Higher, Lower, NotJudged};

/// Every cohort indicator, in output order. Adding one: an entry here.
pub const COHORT: &[CohortIndicator] = &[
    CohortIndicator {
        name: "persons",
        label: "Persons in the cohort",
        unit: Unit::Persons,
        better: NotJudged,
        aggregate: Aggregate::Persons,
        about: Persons {
            of: everyone,
            value: |_| 1.0,
        },
        meaning: "Members of the cohort still in the country, of every status.",
    },
    CohortIndicator {
        name: "with_protection",
        label: "With protection",
        unit: Unit::Share,
        better: NotJudged,
        aggregate: Aggregate::Mean,
        about: Persons {
            of: everyone,
            value: |s| one(s.residence.legal.is_refugee()),
        },
        meaning: "Share with refugee status or subsidiary protection, or resettled.",
    },
    CohortIndicator {
        name: "awaiting_decision",
        label: "Awaiting an asylum decision",
        unit: Unit::Share,
        better: Lower,
        aggregate: Aggregate::Mean,
        about: Persons {
            of: everyone,
            value: |s| one(s.residence.legal.awaiting_decision()),
        },
        meaning: "Share still awaiting a final asylum decision: a first decision, or an appeal against a refusal.",
    },
    CohortIndicator {
        name: "employment_rate",
        label: "Employment rate",
        unit: Unit::Share,
        better: Higher,
        aggregate: Aggregate::Mean,
        about: Persons {
            of: |s| s.person.working_age & (s.may_work | s.work.job.is_some()),
            value: |s| one(s.work.job.is_some()),
        },
        meaning: "Share in work of working-age members with the right to work (recognised, resettled, or asylum seekers once early access to work applies).",
    },
    CohortIndicator {
        name: "employment_rate_working_age",
        label: "Employment rate, every status",
        unit: Unit::Share,
        better: Higher,
        aggregate: Aggregate::Mean,
        about: Persons {
            of: |s| s.person.working_age,
            value: |s| one(s.work.job.is_some()),
        },
        meaning: "Share in work of all working-age members, whatever their status or right to work: the definition of published survey rates such as the IAB-BAMF-SOEP survey's employment rate of refugees by years since arrival.",
    },
    CohortIndicator {
        name: "underemployment_rate",
        label: "In work below their skill tier",
        unit: Unit::Share,
        better: Lower,
        aggregate: Aggregate::Mean,
        about: Persons {
            of: |s| s.person.working_age & s.work.job.is_some(),
            value: |s| one(s.work.job < Some(s.person.skill)),
        },
        meaning: "Share of working-age members in work whose job's tier is below their skill tier.",
    },
    CohortIndicator {
        name: "language_proficient",
        label: "Proficient in the language",
        unit: Unit::Share,
        better: Higher,
        aggregate: Aggregate::Mean,
        about: Persons {
            of: adult,
            value: |s| one(s.progress.language >= PROFICIENT_LANGUAGE),
        },
        meaning: "Share of adult members whose language index is at least 0.6 (A46: a threshold of the model's index, not a test level).",
    },
    CohortIndicator {
        name: "mean_language",
        label: "Language skill, mean",
        unit: Unit::Index,
        better: Higher,
        aggregate: Aggregate::Mean,
        about: Persons {
            of: adult,
            value: |s| f64::from(s.progress.language),
        },
        meaning: "Mean language index of adult members.",
    },
    CohortIndicator {
        name: "language_course_completed",
        label: "Completed a language course",
        unit: Unit::Share,
        better: Higher,
        aggregate: Aggregate::Mean,
        about: Persons {
            of: adult,
            value: |s| one(s.services.done & (1 << Service::Language as u8) != 0),
        },
        meaning: "Share of adult members who have completed a language course.",
    },
    CohortIndicator {
        name: "in_reception",
        label: "In reception",
        unit: Unit::Share,
        better: Lower,
        aggregate: Aggregate::Mean,
        about: Persons {
            of: everyone,
            value: |s| one(s.residence.housing == HousingStatus::Reception),
        },
        meaning: "Share still in reception.",
    },
    CohortIndicator {
        name: "in_emergency_accommodation",
        label: "In emergency accommodation",
        unit: Unit::Share,
        better: Lower,
        aggregate: Aggregate::Mean,
        about: Persons {
            of: everyone,
            value: |s| one(s.residence.housing == HousingStatus::Emergency),
        },
        meaning: "Share in emergency or temporary accommodation.",
    },
    CohortIndicator {
        name: "in_mainstream_housing",
        label: "In mainstream housing",
        unit: Unit::Share,
        better: Higher,
        aggregate: Aggregate::Mean,
        about: Persons {
            of: everyone,
            value: |s| one(s.residence.housing == HousingStatus::Mainstream),
        },
        meaning: "Share in mainstream housing of a fitting size: a social or private rented home found in the housing market, or the home of resettled and sponsored arrivals.",
    },
    CohortIndicator {
        name: "overcrowded",
        label: "Overcrowded",
        unit: Unit::Share,
        better: Lower,
        aggregate: Aggregate::Mean,
        about: Persons {
            of: everyone,
            value: |s| one(s.residence.housing == HousingStatus::Overcrowded),
        },
        meaning: "Share in overcrowded housing: a home too small (taken after a long search, or outgrown), or staying with others (after moving region, or hosted by the community after a final refusal).",
    },
    CohortIndicator {
        name: "homeless",
        label: "Homeless",
        unit: Unit::Share,
        better: Lower,
        aggregate: Aggregate::Mean,
        about: Persons {
            of: everyone,
            value: |s| one(s.residence.housing == HousingStatus::Homeless),
        },
        meaning: "Share homeless (of every status, finally refused persons included), by any path into homelessness.",
    },
    CohortIndicator {
        name: "in_school",
        label: "In a school place",
        unit: Unit::Share,
        better: Higher,
        aggregate: Aggregate::Mean,
        about: Persons {
            of: |s| s.schooling.due != SchoolLevel::None,
            value: |s| one(s.schooling.phase == SchoolPhase::Enrolled),
        },
        meaning: "Share of members of school age (from `demography.school_start_age` to below `school_leaving_age`) who hold a primary or secondary school place; the others wait for one, or may not take one yet (asylum seekers' children before access, 3.8a). Empty for a cohort with no child of school age.",
    },
    CohortIndicator {
        name: "family_reunited",
        label: "Family reunited",
        unit: Unit::Share,
        better: Higher,
        aggregate: Aggregate::Mean,
        about: Households {
            of: |h| {
                matches!(
                    h.reunion.phase,
                    ReunionPhase::Applied | ReunionPhase::Reunited
                )
            },
            value: |h| one(h.reunion.phase == ReunionPhase::Reunited),
        },
        meaning: "Share of the cohort's households with a family abroad that have applied for family reunion (each applies once eligible, 3.3a) whose family has joined them. Over households: a sponsor's household is in the cohort of the sponsor's arrival. Empty for a cohort with no such household.",
    },
];

/// Whether a person belongs to any cohort: humanitarian arrivals, whatever
/// their status since (not family or labour arrivals).
#[inline]
pub fn in_a_cohort(legal: LegalStatus) -> bool {
    !matches!(legal, LegalStatus::Resident | LegalStatus::Departed)
}

/// Complete years of a horizon: the years at whose end cohorts are
/// observed, and the number of cohorts observed.
pub fn years(horizon_weeks: u32) -> usize {
    (horizon_weeks / 52) as usize
}

/// Values of one replication's cohort table: one per (cohort, years since
/// arrival, indicator), including the (cohort, years) pairs past the
/// horizon, which stay undefined.
pub fn points(horizon_weeks: u32) -> usize {
    let y = years(horizon_weeks);
    y * y * COHORT.len()
}

/// The place of (cohort, years since arrival, indicator) in a replication's
/// cohort values, for a horizon of `years` complete years.
#[inline]
pub fn index(years: usize, cohort: usize, since: usize, indicator: usize) -> usize {
    (cohort * years + since) * COHORT.len() + indicator
}

/// The (cohort, years since arrival) pairs observed within a horizon, in
/// output order (cohort, then years since arrival).
pub fn observed(horizon_weeks: u32) -> impl Iterator<Item = (usize, usize)> {
    let y = years(horizon_weeks);
    (0..y).flat_map(move |c| (0..y - c).map(move |s| (c, s)))
}

/// A cohort indicator by name.
pub fn find(name: &str) -> Option<&'static CohortIndicator> {
    COHORT.iter().find(|c| c.name == name)
}

/// A cohort indicator's name written in code, checked: panics (at compile
/// time, in a constant) if the table has no entry of that name.
pub const fn checked(name: &'static str) -> &'static str {
    let mut i = 0;
    while i < COHORT.len() {
        if super::weekly::same(COHORT[i].name, name) {
            return COHORT[i].name;
        }
        i += 1;
    }
    panic!("not in the table of cohort indicators")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_unique_and_observations_fill_the_triangle() {
        for (i, a) in COHORT.iter().enumerate() {
            assert!(
                COHORT[i + 1..].iter().all(|b| b.name != a.name),
                "{}",
                a.name
            );
        }
        let pairs: Vec<_> = observed(3 * 52 + 10).collect();
        assert_eq!(pairs, [(0, 0), (0, 1), (0, 2), (1, 0), (1, 1), (2, 0)]);
        assert_eq!(points(51), 0);
        assert_eq!(points(104), 4 * COHORT.len());
        assert_eq!(index(2, 1, 1, 0), 3 * COHORT.len());
    }
}
