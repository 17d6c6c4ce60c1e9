//! The indicators of `docs/model.md` ("Outputs"), each described once:
//!
//! - [`WEEKLY`]: the weekly indicators, recorded per region and nationally
//!   into a dense [`Series`], one per replication; single indicators and
//!   families expanded per service or arrival cohort ([`weekly`]);
//! - [`HEADLINES`]: one value per replication, each computed from the
//!   series as its entry says;
//! - [`COHORT`]: outcomes of each arrival cohort by years since arrival,
//!   observed once a year ([`cohort`]).
//!
//! Each entry holds the name used in the outputs, a label for people, the
//! unit, which direction is better, how it is aggregated and what it means.
//! CSV headers, threshold validation, robustness, the report, the terminal
//! summary and the tables of `docs/model.md` (tested) all read these
//! tables; nothing else lists indicators.
//!
//! The weekly processes write a series row by the index constants of
//! [`weekly`] (e.g. [`ARRIVALS`]), which the compiler derives from the
//! table by name, so the hot loop indexes an array and order is never
//! matched by hand.

pub mod cohort;
mod expand;
pub mod headline;
mod series;
mod weekly;

pub use cohort::{COHORT, CohortIndicator};
pub use expand::*;
pub use headline::{HEADLINES, Headline, Value};
pub use series::Series;
pub use weekly::*;

/// The unit of an indicator's values.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unit {
    Persons,
    Households,
    Places,
    Jobs,
    /// From 0 to 1.
    Share,
    /// An index from 0 to 1.
    Index,
    /// A multiple of a reference level (1 = the reference).
    Multiple,
    Weeks,
    /// The scenario's currency.
    Currency,
    CurrencyPerWeek,
}

impl Unit {
    /// How the unit reads after a value or in a heading.
    pub fn text(self) -> &'static str {
        match self {
            Unit::Persons => "persons",
            Unit::Households => "households",
            Unit::Places => "places",
            Unit::Jobs => "jobs",
            Unit::Share => "share",
            Unit::Index => "index 0–1",
            Unit::Multiple => "multiple of the policy's level",
            Unit::Weeks => "weeks",
            Unit::Currency => "currency",
            Unit::CurrencyPerWeek => "currency per week",
        }
    }

    /// How people read values of this unit: multiplied by the first, in the
    /// unit the second names (`{currency}`: the scenario's currency).
    /// Shares read as percentages and money in millions; the files keep
    /// the unit of [`Unit::text`]. `output::numbers` formats with it.
    pub fn display(self) -> (f64, &'static str) {
        match self {
            Unit::Share => (100.0, "%"),
            Unit::Currency => (1e-6, "million {currency}"),
            Unit::CurrencyPerWeek => (1e-6, "million {currency} per week"),
            other => (1.0, other.text()),
        }
    }
}

/// Which way is better when policies are compared.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Better {
    Lower,
    Higher,
    /// Not a judgement: a quantity of the future (arrivals) or a count
    /// whose good value depends on the rest.
    NotJudged,
}

impl Better {
    /// The `better` field of `robustness.csv`: empty when not judged.
    pub fn name(self) -> &'static str {
        match self {
            Better::Lower => "lower",
            Better::Higher => "higher",
            Better::NotJudged => "",
        }
    }
}

/// How a weekly indicator's national value is formed from the regions'.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum National {
    /// The sum of the regions' values.
    Sum,
    /// A rate or mean computed again from the national numerator and
    /// denominator (not a mean of the regions' rates).
    Ratio,
    /// The regions' values weighted by their population.
    PopulationWeighted,
}

impl National {
    pub fn text(self) -> &'static str {
        match self {
            National::Sum => "sum of regions",
            National::Ratio => "from national totals",
            National::PopulationWeighted => "population-weighted mean",
        }
    }
}

/// A name looked up that is not there (an indicator, a region), with the
/// names that are.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnknownName {
    /// What was looked up, e.g. "headline indicator".
    pub what: &'static str,
    pub name: String,
    pub known: Vec<String>,
}

impl UnknownName {
    pub fn new(what: &'static str, name: &str, known: Vec<String>) -> UnknownName {
        UnknownName {
            what,
            name: name.to_string(),
            known,
        }
    }
}

impl std::fmt::Display for UnknownName {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "unknown {} '{}'; expected one of: {}",
            self.what,
            self.name,
            self.known.join(", ")
        )
    }
}

impl std::error::Error for UnknownName {}
