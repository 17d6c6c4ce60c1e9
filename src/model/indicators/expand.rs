//! The weekly indicators as they appear in the outputs: the table's
//! entries, families expanded per service and arrival cohort, in series
//! order; and lookups by name.

use super::UnknownName;
use super::weekly::*;
use crate::model::components::Service;

/// A service's phrases in labels: `{service}` ("a language course") and
/// `{Service}` ("Language-course").
fn service_phrases(s: Service) -> (&'static str, &'static str) {
    match s {
        Service::Language => ("a language course", "Language-course"),
        Service::Coaching => ("coaching", "Coaching"),
        Service::CredentialRecognition => ("credential recognition", "Credential-recognition"),
        Service::Interpretation => ("interpretation", "Interpretation"),
        Service::HealthRegistration => ("health registration", "Health-registration"),
        Service::MentalHealth => ("mental-health care", "Mental-health-care"),
    }
}

/// Which member of a family an indicator is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Member {
    One,
    Service(Service),
    Cohort(usize),
}

/// One weekly indicator as it appears in the outputs: a single entry of
/// [`WEEKLY`], or a family entry expanded for one service or cohort.
#[derive(Debug, Clone, PartialEq)]
pub struct Indicator {
    pub name: String,
    pub label: String,
    pub member: Member,
    /// The table entry: unit, direction, national aggregation, meaning.
    pub entry: &'static Weekly,
}

impl Weekly {
    /// This entry for one member of its family.
    pub fn expand(&'static self, member: Member) -> Indicator {
        let (name, label) = match member {
            Member::One => (self.name.to_string(), self.label.to_string()),
            Member::Service(s) => {
                let (object, adjective) = service_phrases(s);
                (
                    self.name.replace("<service>", s.name()),
                    self.label
                        .replace("{service}", object)
                        .replace("{Service}", adjective),
                )
            }
            Member::Cohort(c) => (
                self.name.replace("<c>", &c.to_string()),
                self.label.replace("{c}", &c.to_string()),
            ),
        };
        Indicator {
            name,
            label,
            member,
            entry: self,
        }
    }
}

fn entries(family: Family) -> impl Iterator<Item = &'static Weekly> {
    WEEKLY.iter().filter(move |w| w.family == family)
}

/// The weekly indicators of a horizon, in output order (the order of a
/// series row).
pub fn weekly(horizon_weeks: u32) -> Vec<Indicator> {
    let mut v: Vec<Indicator> = entries(Family::One)
        .map(|w| w.expand(Member::One))
        .collect();
    for s in Service::ALL {
        v.extend(entries(Family::PerService).map(|w| w.expand(Member::Service(s))));
    }
    for c in 0..cohorts(horizon_weeks) {
        v.extend(entries(Family::PerCohort).map(|w| w.expand(Member::Cohort(c))));
    }
    v
}

/// The names of the weekly indicators of a horizon, in output order.
pub fn names(horizon_weeks: u32) -> Vec<String> {
    weekly(horizon_weeks).into_iter().map(|i| i.name).collect()
}

/// A weekly indicator by its name in the outputs, for any horizon (a
/// cohort's indicator is found whatever the cohort's year).
pub fn find(name: &str) -> Option<Indicator> {
    for w in WEEKLY {
        match w.family {
            Family::One if w.name == name => return Some(w.expand(Member::One)),
            Family::One => {}
            Family::PerService => {
                if let Some(s) = Service::ALL
                    .into_iter()
                    .find(|s| w.name.replace("<service>", s.name()) == name)
                {
                    return Some(w.expand(Member::Service(s)));
                }
            }
            Family::PerCohort => {
                let (prefix, suffix) = w.name.split_once("<c>").unwrap_or((w.name, ""));
                let Some(year) = name
                    .strip_prefix(prefix)
                    .and_then(|r| r.strip_suffix(suffix))
                else {
                    continue;
                };
                // One spelling per year: no sign, no leading zero.
                if let Ok(c) = year.parse::<usize>()
                    && c.to_string() == year
                {
                    return Some(w.expand(Member::Cohort(c)));
                }
            }
        }
    }
    None
}

/// The index of a weekly indicator in a series row of a horizon, or an
/// error listing the horizon's indicators.
pub fn position(name: &str, horizon_weeks: u32) -> Result<usize, UnknownName> {
    let names = names(horizon_weeks);
    names
        .iter()
        .position(|n| n == name)
        .ok_or_else(|| UnknownName::new("weekly indicator", name, names.clone()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rows_hold_every_indicator_once_in_table_order() {
        let horizon = 3 * 52 + 1;
        let all = weekly(horizon);
        assert_eq!(all.len(), COHORT_BASE + 4 * COHORT_FIELDS);
        let mut seen = std::collections::HashSet::new();
        for i in &all {
            assert!(seen.insert(i.name.clone()), "{} twice", i.name);
            assert!(
                !i.name.contains('<') && !i.label.contains('{'),
                "{} / {} not expanded",
                i.name,
                i.label
            );
        }
        assert_eq!(all[ARRIVALS].name, "arrivals");
        assert_eq!(all[EMERGENCY].name, "emergency_accommodation");
        assert_eq!(all[JOBS + 2].name, "jobs_high");
        assert_eq!(
            all[CUMULATIVE_DISCOUNTED_BALANCE].name,
            "cumulative_discounted_balance"
        );
        assert_eq!(
            all[service_indicator(Service::Language, WAITING)].name,
            "language_waiting"
        );
        assert_eq!(
            all[service_indicator(Service::MentalHealth, SEATS)].name,
            "mental_health_seats"
        );
        assert_eq!(
            all[service_indicator(Service::Coaching, MEAN_WAIT_WEEKS)].label,
            "Coaching wait of this week's starters"
        );
        assert_eq!(
            all[cohort_indicator(3, COHORT_EMPLOYMENT_RATE)].name,
            "employment_rate_cohort_3"
        );
    }

    #[test]
    fn find_inverts_expansion_and_rejects_near_misses() {
        for i in weekly(520) {
            assert_eq!(find(&i.name).as_ref(), Some(&i));
        }
        for bad in [
            "arrival",
            "language_wait",
            "employment_rate_cohort_",
            "employment_rate_cohort_01",
            "employment_rate_cohort_x",
            "<service>_waiting",
        ] {
            assert_eq!(find(bad), None, "{bad}");
        }
    }

    #[test]
    fn position_names_the_known_indicators_when_unknown() {
        assert_eq!(
            position("language_seats", 52),
            Ok(service_indicator(Service::Language, SEATS))
        );
        let e = position("employment_rate_cohort_1", 52).unwrap_err();
        assert!(e.known.contains(&"employment_rate_cohort_0".to_string()));
        assert!(e.to_string().starts_with(
            "unknown weekly indicator 'employment_rate_cohort_1'; expected one of: arrivals, asylum_backlog,"
        ));
    }
}
