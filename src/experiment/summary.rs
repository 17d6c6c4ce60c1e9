//! The summary statistics of one (scenario, policy) across samples and
//! replications, looked up by index (fast) or by region and indicator name.

use std::sync::Arc;

use super::stats::STATS;
use crate::model::indicators::UnknownName;

/// The region name of the national slot, as in the CSV files.
pub const NATIONAL: &str = "all";

/// The names along an experiment's summaries, shared by its pairs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Names {
    /// Scenario names, in [`PairSummary::scenario`] order.
    pub scenarios: Vec<String>,
    /// Policy names, in [`PairSummary::policy`] order.
    pub policies: Vec<String>,
    /// Region names by slot, the national slot last ([`NATIONAL`]).
    pub regions: Vec<String>,
    /// Weekly indicator names, in series order.
    pub indicators: Vec<String>,
}

/// The summary statistics of one (scenario, policy) across samples and
/// replications: `stats[point × STATS.len() + stat]` with the stats of
/// [`STATS`], point = (week × slots + slot) × indicators + indicator; and
/// likewise `cohort_stats` of the cohort values, point as
/// [`cohort::index`](crate::model::indicators::cohort::index) says.
#[derive(Debug, Clone)]
pub struct PairSummary {
    pub scenario: usize,
    pub policy: usize,
    pub weeks: usize,
    pub slots: usize,
    pub indicators: usize,
    pub stats: Vec<f64>,
    /// Complete years of the horizon: cohorts observed.
    pub years: usize,
    pub cohort_stats: Vec<f64>,
    /// What the indices stand for.
    pub names: Arc<Names>,
}

/// The statistics of one point (week, region, indicator) across samples
/// and replications. Only defined values count; a statistic with no value
/// to summarise is NaN.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PointStats {
    pub count: f64,
    pub mean: f64,
    pub sd: f64,
    pub p5: f64,
    pub p25: f64,
    pub p50: f64,
    pub p75: f64,
    pub p95: f64,
}

impl PointStats {
    /// From the statistics in [`STATS`] order.
    pub fn from_slice(s: &[f64]) -> PointStats {
        let [count, mean, sd, p5, p25, p50, p75, p95] =
            <[f64; STATS.len()]>::try_from(s).expect("one value per statistic");
        PointStats {
            count,
            mean,
            sd,
            p5,
            p25,
            p50,
            p75,
            p95,
        }
    }
}

/// Why a summary lookup by name failed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LookupError {
    /// No region, indicator, scenario or policy of that name.
    Unknown(UnknownName),
    /// The week is past the horizon.
    Week { week: usize, weeks: usize },
}

impl std::fmt::Display for LookupError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            LookupError::Unknown(u) => u.fmt(f),
            LookupError::Week { week, weeks } => write!(
                f,
                "week {week} is past the horizon: weeks run from 0 to {}",
                weeks.saturating_sub(1)
            ),
        }
    }
}

impl std::error::Error for LookupError {}

impl From<UnknownName> for LookupError {
    fn from(u: UnknownName) -> Self {
        LookupError::Unknown(u)
    }
}

/// The position of `name` in `names`, or an error listing them.
pub(crate) fn position(
    what: &'static str,
    names: &[String],
    name: &str,
) -> Result<usize, UnknownName> {
    names
        .iter()
        .position(|n| n == name)
        .ok_or_else(|| UnknownName::new(what, name, names.to_vec()))
}

impl PairSummary {
    /// The statistics of a point, in [`STATS`] order (count, mean, sd, p5,
    /// p25, p50, p75, p95).
    pub fn get(&self, week: usize, slot: usize, indicator: usize) -> &[f64] {
        let n = STATS.len();
        let point = (week * self.slots + slot) * self.indicators + indicator;
        &self.stats[point * n..point * n + n]
    }

    /// The statistics of one cohort indicator (its index in
    /// [`COHORT`](crate::model::indicators::COHORT)) of arrival cohort
    /// `cohort`, `since` years after arrival, in [`STATS`] order.
    pub fn cohort(&self, cohort: usize, since: usize, indicator: usize) -> &[f64] {
        let n = STATS.len();
        let point = crate::model::indicators::cohort::index(self.years, cohort, since, indicator);
        &self.cohort_stats[point * n..point * n + n]
    }

    /// The statistics of a point by region name (`"all"` for the national
    /// total) and weekly indicator name, e.g. `get_by_name(52, "all",
    /// "employment_rate")`.
    pub fn get_by_name(
        &self,
        week: usize,
        region: &str,
        indicator: &str,
    ) -> Result<PointStats, LookupError> {
        if week >= self.weeks {
            return Err(LookupError::Week {
                week,
                weeks: self.weeks,
            });
        }
        let slot = self.slot(region)?;
        let k = self.indicator(indicator)?;
        Ok(PointStats::from_slice(self.get(week, slot, k)))
    }

    /// The slot of a region by name (`"all"`: the national slot).
    pub fn slot(&self, region: &str) -> Result<usize, UnknownName> {
        position("region", &self.names.regions, region)
    }

    /// The index of a weekly indicator by name.
    pub fn indicator(&self, name: &str) -> Result<usize, UnknownName> {
        position("weekly indicator", &self.names.indicators, name)
    }

    pub fn scenario_name(&self) -> &str {
        &self.names.scenarios[self.scenario]
    }

    pub fn policy_name(&self) -> &str {
        &self.names.policies[self.policy]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn summary() -> PairSummary {
        let names = Names {
            scenarios: vec!["steady".into()],
            policies: vec!["a".into(), "b".into()],
            regions: vec!["north".into(), "south".into(), NATIONAL.into()],
            indicators: vec!["arrivals".into(), "employment_rate".into()],
        };
        let (weeks, slots, indicators) = (2, 3, 2);
        // Every statistic of a point holds the point's number × 10 + the
        // statistic's.
        let stats = (0..weeks * slots * indicators)
            .flat_map(|p| (0..STATS.len()).map(move |s| (p * 10 + s) as f64))
            .collect();
        PairSummary {
            scenario: 0,
            policy: 1,
            weeks,
            slots,
            indicators,
            stats,
            years: 0,
            cohort_stats: Vec::new(),
            names: Arc::new(names),
        }
    }

    #[test]
    fn lookup_by_name_finds_the_same_point_as_by_index() {
        let s = summary();
        let p = s.get_by_name(1, "all", "employment_rate").unwrap();
        // week 1, slot 2, indicator 1: point (1 × 3 + 2) × 2 + 1 = 11.
        assert_eq!(p, PointStats::from_slice(s.get(1, 2, 1)));
        assert_eq!((p.count, p.mean, p.p95), (110.0, 111.0, 117.0));
        assert_eq!(s.get_by_name(0, "south", "arrivals").unwrap().count, 20.0);
        assert_eq!((s.scenario_name(), s.policy_name()), ("steady", "b"));
    }

    #[test]
    fn unknown_names_and_weeks_say_what_there_is() {
        let s = summary();
        let e = s.get_by_name(0, "east", "arrivals").unwrap_err();
        assert_eq!(
            e.to_string(),
            "unknown region 'east'; expected one of: north, south, all"
        );
        let e = s.get_by_name(0, "all", "employment").unwrap_err();
        assert_eq!(
            e.to_string(),
            "unknown weekly indicator 'employment'; expected one of: arrivals, employment_rate"
        );
        let e = s.get_by_name(2, "all", "arrivals").unwrap_err();
        assert_eq!(
            e.to_string(),
            "week 2 is past the horizon: weeks run from 0 to 1"
        );
    }
}
