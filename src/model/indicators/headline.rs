//! The headline indicators: one value per replication, each computed from
//! the replication's weekly series as its entry in [`HEADLINES`] says.
//! "Final" is the national value in the last week, "peak" the highest
//! national value over the weeks.

use super::weekly::{
    ARRIVALS, ASYLUM_BACKLOG, ATTITUDE, CONTRIBUTIONS, COST, CUMULATIVE_DISCOUNTED_BALANCE,
    EMERGENCY, EMPLOYMENT_RATE, EMPLOYMENT_RATE_3Y, HOMELESS, HOMELESS_REFUGEES, MEAN_LANGUAGE,
    OVERCROWDED_HOUSEHOLDS, RECOGNISED, RESETTLED, REUNION_ARRIVALS, REUNION_BACKLOG,
    SCHOOL_MEAN_WAIT_WEEKS, SCHOOL_STARTED, SCHOOL_WAITING, SECOND_GENERATION_EMPLOYMENT_RATE,
    SUBSIDIARY, UNDEREMPLOYMENT_RATE, WEEKLY,
};
use super::{Better, Series, Unit, UnknownName};
use crate::model::components::Service;
use crate::model::resources::Record;

/// One headline indicator.
#[derive(Debug, Clone, Copy)]
pub struct Headline {
    /// The name in `headline.csv`, `outcomes.csv`, `robustness.csv` and
    /// experiment files' thresholds.
    pub name: &'static str,
    /// For people (the report).
    pub label: &'static str,
    /// For a narrow column (the terminal's robustness table).
    pub short: &'static str,
    pub unit: Unit,
    /// Which way is better when policies are compared (regret).
    pub better: Better,
    /// How it is computed from the weekly series.
    pub value: Value,
    /// What it means, beyond what [`Value::describe`] says, for
    /// `docs/model.md` (Markdown).
    pub meaning: &'static str,
}

/// How a headline indicator is computed from a replication's series (a
/// weekly indicator's index in a series row, or a function).
#[derive(Debug, Clone, Copy)]
pub enum Value {
    /// The sum over the weeks of a national weekly value.
    Total(usize),
    /// A national weekly value in the last week.
    Final(usize),
    /// The highest national weekly value (0 if all are lower).
    Peak(usize),
    /// Computed otherwise, as the entry's meaning says.
    Other(fn(&Record) -> f64),
}

impl Value {
    /// The value for one replication's record.
    pub fn of(&self, record: &Record) -> f64 {
        let s = &record.series;
        let n = s.national();
        let over = |k: usize| (0..s.weeks).map(move |w| s.get(w, n, k));
        match *self {
            Value::Total(k) => over(k).sum(),
            Value::Final(k) => s.get(s.weeks - 1, n, k),
            Value::Peak(k) => over(k).fold(0.0_f64, f64::max),
            Value::Other(f) => f(record),
        }
    }

    /// How it is computed, in words (Markdown), for a value taken from one
    /// weekly indicator.
    pub fn describe(&self) -> Option<String> {
        let (how, k) = match *self {
            Value::Total(k) => ("Sum over the weeks of", k),
            Value::Final(k) => ("Final week's", k),
            Value::Peak(k) => ("Peak of", k),
            Value::Other(_) => return None,
        };
        Some(format!("{how} `{}`.", WEEKLY[k].name))
    }
}

use Better::{Higher, Lower, NotJudged};

/// Every headline indicator, in output order. Adding one: an entry here;
/// its [`Value`] is its computation.
pub const HEADLINES: &[Headline] = &[
    Headline {
        name: "arrivals_total",
        label: "Arrivals, total",
        short: "arrivals",
        unit: Unit::Persons,
        better: NotJudged,
        value: Value::Total(ARRIVALS),
        meaning: "The initial backlog is not included. Not judged: arrivals are part of the future, not an outcome of policy.",
    },
    Headline {
        name: "asylum_backlog_final",
        label: "Asylum backlog, final week",
        short: "asylum backlog",
        unit: Unit::Persons,
        better: Lower,
        value: Value::Final(ASYLUM_BACKLOG),
        meaning: "Persons awaiting a decision.",
    },
    Headline {
        name: "asylum_backlog_peak",
        label: "Asylum backlog, peak",
        short: "asylum backlog (peak)",
        unit: Unit::Persons,
        better: Lower,
        value: Value::Peak(ASYLUM_BACKLOG),
        meaning: "Persons awaiting a decision.",
    },
    Headline {
        name: "emergency_accommodation_peak",
        label: "Emergency accommodation, peak",
        short: "emergency acc. (peak)",
        unit: Unit::Persons,
        better: Lower,
        value: Value::Peak(EMERGENCY),
        meaning: "",
    },
    Headline {
        name: "homeless_peak",
        label: "Homeless (all statuses), peak",
        short: "homeless (peak)",
        unit: Unit::Persons,
        better: Lower,
        value: Value::Peak(HOMELESS),
        meaning: "All statuses, including rejected persons in limbo.",
    },
    Headline {
        name: "homeless_refugees_peak",
        label: "Homeless refugees, peak",
        short: "homeless refugees (peak)",
        unit: Unit::Persons,
        better: Lower,
        value: Value::Peak(HOMELESS_REFUGEES),
        meaning: "Recognised or resettled.",
    },
    Headline {
        name: "homeless_share_of_refugees_final",
        label: "Homeless share of refugees, final week",
        short: "homeless share",
        unit: Unit::Share,
        better: Lower,
        value: Value::Other(homeless_share_final),
        meaning: "`homeless_refugees / (recognised + resettled)` in the last week; undefined (empty) if there are no refugees then.",
    },
    Headline {
        name: "homeless_share_of_refugees_peak",
        label: "Homeless share of refugees, peak",
        short: "homeless share (peak)",
        unit: Unit::Share,
        better: Lower,
        value: Value::Other(homeless_share_peak),
        meaning: "The highest weekly `homeless_refugees / (recognised + resettled)`, over the weeks with refugees; empty only if there never were any.",
    },
    Headline {
        name: "language_wait_mean_weeks",
        label: "Language-course wait, mean",
        short: "lang. wait, mean",
        unit: Unit::Weeks,
        better: Lower,
        value: Value::Other(language_wait_mean),
        meaning: "Over the whole run and all regions: total weeks waited ÷ persons who started a language course. People still waiting at the end are not counted, so a growing queue is understated.",
    },
    Headline {
        name: "language_wait_worst_region_weeks",
        label: "Language-course wait, worst region",
        short: "lang. wait, worst region",
        unit: Unit::Weeks,
        better: Lower,
        value: Value::Other(language_wait_worst_region),
        meaning: "The same as `language_wait_mean_weeks`, for the region with the longest mean wait.",
    },
    Headline {
        name: "employment_rate_final",
        label: "Employment rate, final week",
        short: "employment",
        unit: Unit::Share,
        better: Higher,
        value: Value::Final(EMPLOYMENT_RATE),
        meaning: "",
    },
    Headline {
        name: "employment_rate_3y_plus_final",
        label: "Employment rate after 3+ years, final week",
        short: "employment 3y+",
        unit: Unit::Share,
        better: Higher,
        value: Value::Final(EMPLOYMENT_RATE_3Y),
        meaning: "",
    },
    Headline {
        name: "underemployment_rate_final",
        label: "Underemployment rate, final week",
        short: "underemployment",
        unit: Unit::Share,
        better: Lower,
        value: Value::Final(UNDEREMPLOYMENT_RATE),
        meaning: "",
    },
    Headline {
        name: "mean_language_final",
        label: "Language skill, mean, final week",
        short: "language skill",
        unit: Unit::Index,
        better: Higher,
        value: Value::Final(MEAN_LANGUAGE),
        meaning: "",
    },
    Headline {
        name: "attitude_final",
        label: "Public attitude, final week",
        short: "attitude",
        unit: Unit::Index,
        better: Higher,
        value: Value::Final(ATTITUDE),
        meaning: "National (population-weighted).",
    },
    Headline {
        name: "attitude_min_region_final",
        label: "Public attitude, lowest region, final week",
        short: "attitude, lowest region",
        unit: Unit::Index,
        better: Higher,
        value: Value::Other(attitude_min_region_final),
        meaning: "The lowest regional `attitude` in the last week.",
    },
    Headline {
        name: "total_cost",
        label: "Total cost",
        short: "total cost",
        unit: Unit::Currency,
        better: Lower,
        value: Value::Total(COST),
        meaning: "Undiscounted.",
    },
    Headline {
        name: "total_contributions",
        label: "Total contributions",
        short: "contributions",
        unit: Unit::Currency,
        better: Higher,
        value: Value::Total(CONTRIBUTIONS),
        meaning: "Undiscounted.",
    },
    Headline {
        name: "school_waiting_peak",
        label: "Children waiting for a school place, peak",
        short: "school waiting (peak)",
        unit: Unit::Persons,
        better: Lower,
        value: Value::Peak(SCHOOL_WAITING),
        meaning: "",
    },
    Headline {
        name: "school_wait_mean_weeks",
        label: "School-place wait, mean",
        short: "school wait, mean",
        unit: Unit::Weeks,
        better: Lower,
        value: Value::Other(school_wait_mean),
        meaning: "Over the whole run, nationally: weeks waited ÷ children who took a school place. Children still waiting at the end are not counted.",
    },
    Headline {
        name: "reunion_arrivals_total",
        label: "Family reunion arrivals, total",
        short: "reunion arrivals",
        unit: Unit::Persons,
        better: NotJudged,
        value: Value::Total(REUNION_ARRIVALS),
        meaning: "Family members who joined a sponsor. Not judged: a right exercised is not a cost or a gain in itself; its consequences are in the other indicators.",
    },
    Headline {
        name: "reunion_backlog_final",
        label: "Family reunion backlog, final week",
        short: "reunion backlog",
        unit: Unit::Persons,
        better: Lower,
        value: Value::Final(REUNION_BACKLOG),
        meaning: "Family members applied for and not yet arrived.",
    },
    Headline {
        name: "overcrowded_households_peak",
        label: "Overcrowded households, peak",
        short: "overcrowded hh (peak)",
        unit: Unit::Households,
        better: Lower,
        value: Value::Peak(OVERCROWDED_HOUSEHOLDS),
        meaning: "",
    },
    Headline {
        name: "second_generation_employment_rate_final",
        label: "Employment rate of the second generation, final week",
        short: "2nd generation employment",
        unit: Unit::Share,
        better: Higher,
        value: Value::Final(SECOND_GENERATION_EMPLOYMENT_RATE),
        meaning: "Empty when nobody has come of age here by the end.",
    },
    Headline {
        name: "cumulative_discounted_balance",
        label: "Discounted fiscal balance, end of run",
        short: "discounted balance",
        unit: Unit::Currency,
        better: Higher,
        value: Value::Final(CUMULATIVE_DISCOUNTED_BALANCE),
        meaning: "Contributions minus costs, discounted to week 0, over the whole run.",
    },
];

/// The headline values of one replication, in [`HEADLINES`] order.
pub fn values(record: &Record) -> Vec<f64> {
    HEADLINES.iter().map(|h| h.value.of(record)).collect()
}

/// The names, in output order.
pub fn names() -> impl Iterator<Item = &'static str> {
    HEADLINES.iter().map(|h| h.name)
}

/// A headline indicator by name.
pub fn get(name: &str) -> Option<&'static Headline> {
    HEADLINES.iter().find(|h| h.name == name)
}

/// The index of a headline indicator, or an error listing them all.
pub fn position(name: &str) -> Result<usize, UnknownName> {
    HEADLINES
        .iter()
        .position(|h| h.name == name)
        .ok_or_else(|| {
            UnknownName::new(
                "headline indicator",
                name,
                names().map(String::from).collect(),
            )
        })
}

/// The index of a headline indicator named in code: panics (at compile
/// time, in a constant) if there is none of that name.
pub const fn index(name: &str) -> usize {
    let mut i = 0;
    while i < HEADLINES.len() {
        let (a, b) = (HEADLINES[i].name.as_bytes(), name.as_bytes());
        if a.len() == b.len() {
            let mut j = 0;
            while j < a.len() && a[j] == b[j] {
                j += 1;
            }
            if j == a.len() {
                return i;
            }
        }
        i += 1;
    }
    panic!("not in the table of headline indicators")
}

/// A headline indicator's name written in code, checked: panics (at
/// compile time, in a constant) if there is none of that name.
pub const fn checked(name: &'static str) -> &'static str {
    HEADLINES[index(name)].name
}

/// `homeless_refugees / (recognised + subsidiary_protection + resettled)`
/// nationally in week `w`,
/// NaN without refugees.
fn homeless_share(s: &Series, w: usize) -> f64 {
    let n = s.national();
    let refugees = s.get(w, n, RECOGNISED) + s.get(w, n, SUBSIDIARY) + s.get(w, n, RESETTLED);
    if refugees > 0.0 {
        s.get(w, n, HOMELESS_REFUGEES) / refugees
    } else {
        f64::NAN
    }
}

fn homeless_share_final(r: &Record) -> f64 {
    homeless_share(&r.series, r.series.weeks - 1)
}

fn homeless_share_peak(r: &Record) -> f64 {
    // f64::max ignores NaN: the peak over the weeks with refugees.
    (0..r.series.weeks)
        .map(|w| homeless_share(&r.series, w))
        .fold(f64::NAN, f64::max)
}

const LANGUAGE: usize = Service::Language as usize;

fn language_wait_mean(r: &Record) -> f64 {
    let started: f64 = r.total_started.iter().map(|x| x[LANGUAGE]).sum();
    let waited: f64 = r.total_wait.iter().map(|x| x[LANGUAGE]).sum();
    if started > 0.0 {
        waited / started
    } else {
        f64::NAN
    }
}

fn language_wait_worst_region(r: &Record) -> f64 {
    (0..r.total_started.len())
        .filter(|&g| r.total_started[g][LANGUAGE] > 0.0)
        .map(|g| r.total_wait[g][LANGUAGE] / r.total_started[g][LANGUAGE])
        .fold(f64::NAN, f64::max)
}

fn school_wait_mean(r: &Record) -> f64 {
    let s = &r.series;
    let n = s.national();
    let (mut waited, mut started) = (0.0, 0.0);
    for w in 0..s.weeks {
        let k = s.get(w, n, SCHOOL_STARTED);
        if k > 0.0 {
            waited += s.get(w, n, SCHOOL_MEAN_WAIT_WEEKS) * k;
            started += k;
        }
    }
    if started > 0.0 {
        waited / started
    } else {
        f64::NAN
    }
}

fn attitude_min_region_final(r: &Record) -> f64 {
    let s = &r.series;
    (0..s.national())
        .map(|g| s.get(s.weeks - 1, g, ATTITUDE))
        .fold(f64::INFINITY, f64::min)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_unique_and_lookups_agree() {
        for (i, h) in HEADLINES.iter().enumerate() {
            assert_eq!(position(h.name), Ok(i));
            assert_eq!(index(h.name), i);
            assert_eq!(get(h.name).map(|g| g.name), Some(h.name));
            assert!(
                h.short.len() <= 28,
                "{} is too long for its column",
                h.short
            );
        }
    }

    #[test]
    fn an_unknown_name_lists_the_known_ones() {
        let e = position("happiness").unwrap_err();
        assert_eq!(e.known.len(), HEADLINES.len());
        assert!(e.to_string().starts_with(
            "unknown headline indicator 'happiness'; expected one of: arrivals_total, asylum_backlog_final,"
        ));
        assert!(get("happiness").is_none());
    }
}
