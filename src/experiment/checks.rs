//! The checks of an experiment file's own fields, before any configuration
//! is built: its name, replications, names, sampling, thresholds, and the
//! size of what it would build (stage 2 of "Validation" in
//! `docs/scenario-format.md`).

use std::collections::HashSet;

use super::format::*;
use super::patch::FieldPath;
use super::resolve::Report;
use super::{MAX_CELLS, MAX_CONFIG_BYTES, MAX_SAMPLES, MAX_UNCERTAINTIES};
use crate::model::indicators::headline;
use crate::scenario::validate::{MAX_NAME_BYTES, MAX_REPLICATIONS};
use crate::scenario::{Problem, Scenario};

/// Every problem of the experiment's own fields, in the order of the file:
/// its name, replications, the names of scenarios, policies and
/// uncertainties, the sampling and the thresholds.
pub(super) fn check_experiment(
    file: &ExperimentFile,
    scenarios: &[ScenarioSpec],
    policies: &[PolicySpec],
    report: &Report,
) -> Vec<Problem> {
    let mut problems = Vec::new();
    check_name(&mut problems, report, &file.experiment);
    if file.replications == 0 || file.replications > MAX_REPLICATIONS {
        problems.push(report.at(
            "replications",
            format!(
                "expected 1 to {MAX_REPLICATIONS} replications, found {}",
                file.replications
            ),
        ));
    }
    unique_names(
        &mut problems,
        report,
        "scenarios",
        scenarios.iter().map(|s| s.name.as_str()),
    );
    unique_names(
        &mut problems,
        report,
        "policies",
        policies.iter().map(|p| p.name.as_str()),
    );
    unique_names(
        &mut problems,
        report,
        "uncertainties",
        file.uncertainties.iter().map(|u| u.label()),
    );
    check_sampling(&mut problems, report, file);
    check_thresholds(&mut problems, report, &file.thresholds);
    problems
}

/// The experiment's name becomes the output folder.
fn check_name(problems: &mut Vec<Problem>, report: &Report, name: &str) {
    if name.trim().is_empty()
        || name.contains(['/', '\\'])
        || name.starts_with('.')
        || name.len() > MAX_NAME_BYTES
    {
        problems.push(report.at(
            "experiment",
            format!(
                "expected a name usable as a folder name (no '/', '\\' or leading '.', \
                 at most {MAX_NAME_BYTES} bytes)"
            ),
        ));
    }
}

/// Names become CSV fields and keys: non-empty, unique, no commas, quotes
/// or line breaks.
fn unique_names<'a>(
    problems: &mut Vec<Problem>,
    report: &Report,
    list: &str,
    names: impl Iterator<Item = &'a str>,
) {
    let mut seen = HashSet::new();
    for (i, n) in names.enumerate() {
        if n.trim().is_empty() || n.contains([',', '"', '\n']) {
            problems.push(report.at(
                &format!("{list}[{i}].name"),
                "expected a non-empty name without commas, quotes or line breaks",
            ));
        } else if !seen.insert(n.to_string()) {
            problems.push(report.at(
                &format!("{list}[{i}].name"),
                format!("duplicate name '{n}'; names must be unique"),
            ));
        }
    }
}

/// The number of samples, the distributions' parameters, the full
/// factorial's needs and size, and the syntax of every field path.
fn check_sampling(problems: &mut Vec<Problem>, report: &Report, file: &ExperimentFile) {
    let s = &file.sampling;
    if s.design != Design::FullFactorial && (s.samples == 0 || s.samples > MAX_SAMPLES) {
        problems.push(report.at(
            "sampling.samples",
            format!("expected 1 to {MAX_SAMPLES} samples, found {}", s.samples),
        ));
    }
    check_sensitivity_design(problems, report, file);
    if file.uncertainties.len() > MAX_UNCERTAINTIES {
        problems.push(report.at(
            "uncertainties",
            format!(
                "{} uncertainties is beyond the limit of {MAX_UNCERTAINTIES}",
                file.uncertainties.len()
            ),
        ));
        return;
    }
    let mut combinations: u64 = 1;
    for (i, u) in file.uncertainties.iter().enumerate() {
        let p = format!("uncertainties[{i}].distribution");
        if let Some(m) = distribution_problem(&u.distribution) {
            problems.push(report.at(&p, m));
        }
        if s.design == Design::FullFactorial {
            match &u.distribution {
                Distribution::Discrete { values, .. } => {
                    combinations = combinations.saturating_mul(values.len() as u64)
                }
                _ => problems.push(report.at(
                    &p,
                    "a full factorial design needs listed values: use `discrete: {values: [...]}`",
                )),
            }
        }
        if let Err(m) = FieldPath::parse(&u.field) {
            problems.push(report.at(&format!("uncertainties[{i}].field"), m));
        }
    }
    if s.design == Design::FullFactorial && combinations > u64::from(MAX_SAMPLES) {
        problems.push(report.at(
            "sampling",
            format!(
                "the full factorial has {combinations} combinations, beyond the limit of {MAX_SAMPLES}"
            ),
        ));
    }
}

/// The sensitivity designs' own rules: uncertainties to vary, a size
/// within the limit, Morris levels even.
fn check_sensitivity_design(problems: &mut Vec<Problem>, report: &Report, file: &ExperimentFile) {
    let s = &file.sampling;
    if let Some(levels) = s.levels
        && s.design != Design::Morris
    {
        problems.push(report.at(
            "sampling.levels",
            format!(
                "`levels` is for the morris design only (found {levels} with design {})",
                s.design.name()
            ),
        ));
    }
    if !matches!(s.design, Design::Sobol | Design::Morris) {
        return;
    }
    if file.uncertainties.is_empty() {
        problems.push(report.at(
            "sampling.design",
            format!(
                "a {} design needs at least one uncertainty to vary",
                s.design.name()
            ),
        ));
        return;
    }
    let levels = s.levels.unwrap_or(super::design::DEFAULT_LEVELS);
    if s.design == Design::Morris && (!(2..=100).contains(&levels) || !levels.is_multiple_of(2)) {
        problems.push(report.at(
            "sampling.levels",
            format!("expected an even number of levels from 2 to 100, found {levels}"),
        ));
    }
    let points = super::design::count(&file.uncertainties, s);
    if points > u64::from(MAX_SAMPLES) && s.samples <= MAX_SAMPLES {
        let per = match s.design {
            Design::Sobol => format!(
                "{} per base sample (2k + 2)",
                2 * file.uncertainties.len() + 2
            ),
            _ => format!("{} per trajectory (k + 1)", file.uncertainties.len() + 1),
        };
        problems.push(report.at(
            "sampling.samples",
            format!(
                "{} samples × {per} = {points} points, beyond the limit of {MAX_SAMPLES}",
                s.samples
            ),
        ));
    }
}

/// What is wrong with a distribution's parameters, if anything.
fn distribution_problem(d: &Distribution) -> Option<&'static str> {
    let finite = |v: &[f64]| v.iter().all(|x| x.is_finite());
    match d {
        Distribution::Uniform { low, high } => {
            (!finite(&[*low, *high]) || low > high).then_some("expected finite low ≤ high")
        }
        Distribution::Normal { mean, sd } => {
            (!finite(&[*mean, *sd]) || *sd < 0.0).then_some("expected a finite mean and sd ≥ 0")
        }
        Distribution::Triangular { low, mode, high } => {
            (!finite(&[*low, *mode, *high]) || low > mode || mode > high)
                .then_some("expected finite low ≤ mode ≤ high")
        }
        Distribution::LogNormal { mu, sigma } => (!finite(&[*mu, *sigma]) || *sigma < 0.0)
            .then_some("expected a finite mu and sigma ≥ 0"),
        Distribution::Discrete { values, weights } => {
            if values.is_empty() || !finite(values) {
                Some("expected at least one finite value")
            } else if let Some(w) = weights {
                (w.len() != values.len()
                    || !finite(w)
                    || w.iter().any(|x| *x < 0.0)
                    || w.iter().sum::<f64>() <= 0.0)
                    .then_some("expected one weight ≥ 0 per value, not all zero")
            } else {
                None
            }
        }
    }
}

/// Each threshold names a headline indicator and gives exactly one finite
/// bound.
fn check_thresholds(problems: &mut Vec<Problem>, report: &Report, thresholds: &[Threshold]) {
    for (i, t) in thresholds.iter().enumerate() {
        let p = format!("thresholds[{i}]");
        if let Err(e) = headline::position(&t.indicator) {
            problems.push(report.at(&format!("{p}.indicator"), e.to_string()));
        }
        if t.bounds() != 1 {
            problems.push(report.at(
                &p,
                "expected exactly one of below, at_most, above, at_least",
            ));
        }
        for b in [t.below, t.at_most, t.above, t.at_least]
            .into_iter()
            .flatten()
        {
            if !b.is_finite() {
                problems.push(report.at(&p, format!("expected a finite bound, found {b}")));
            }
        }
    }
}

/// Refuse, before any is built, configurations that would not fit in
/// memory: each is a copy of the world, estimated by the size of the world
/// written as JSON (larger than its form in memory); the sample table and
/// its Latin hypercube strata take 16 bytes a value.
pub(super) fn check_memory(
    file: &ExperimentFile,
    scenarios: usize,
    policies: usize,
    world: &Scenario,
    report: &Report,
) -> Option<Problem> {
    let draws = super::design::count(&file.uncertainties, &file.sampling);
    let configs = ((scenarios * policies) as u64).saturating_mul(draws);
    let world_bytes = serde_json::to_vec(world).map_or(0, |v| v.len()) as u64;
    let bytes = configs
        .saturating_add(4 * (scenarios + policies) as u64)
        .saturating_mul(world_bytes)
        .saturating_add(draws.saturating_mul(file.uncertainties.len() as u64 * 16));
    (bytes > MAX_CONFIG_BYTES).then(|| {
        report.at(
            "",
            format!(
                "{configs} configurations (scenarios × policies × samples) of a world of \
                 {} kB would take about {} MB of memory, beyond the limit of {} MB; \
                 draw fewer samples or split the experiment",
                world_bytes / 1000,
                bytes / 1_000_000,
                MAX_CONFIG_BYTES / 1_000_000
            ),
        )
    })
}

/// The cells (scenarios × policies × samples × replications) are within
/// [`MAX_CELLS`].
pub(super) fn check_cells(cells: u64, report: &Report) -> Option<Problem> {
    (cells > MAX_CELLS).then(|| {
        report.at(
            "replications",
            format!(
                "{cells} cells (scenarios × policies × samples × replications) is beyond the limit of {MAX_CELLS}"
            ),
        )
    })
}
