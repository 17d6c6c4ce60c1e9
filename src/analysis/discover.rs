//! `foresight discover`: scenario discovery on an experiment's output
//! folder. For each policy and each target (a threshold the policy misses,
//! or a condition given on the command line), PRIM with covering; feature
//! scores for each outcome; Sobol or Morris sensitivity indices when the
//! experiment used those designs. Results go to `DIR/discovery/`, written
//! as a whole or not at all, never over a folder the tool did not write.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use super::dataset::{Condition, Dataset};
use super::feature_scores::{self, ForestSettings};
use super::prim::{self, Input, Limit, Search, Values};
use super::sensitivity::{self, SensitivityRow};
use crate::output::csv_file::CsvFile;
use crate::output::folder::{OutputError, RunFolder};

/// The folder `discover` writes inside an output folder.
pub const FOLDER: &str = "discovery";
/// The `kind` in its manifest, which marks a folder `discover` wrote.
pub const KIND: &str = "discovery";

/// What to look for, and how.
#[derive(Debug, Clone)]
pub struct Options {
    /// Policies to analyse (empty: all).
    pub policies: Vec<String>,
    /// Conditions that make a case of interest (empty: each threshold of
    /// the experiment missed, and any of them missed).
    pub conditions: Vec<Condition>,
    pub prim: prim::Settings,
    /// Most boxes per policy and target (covering).
    pub max_boxes: usize,
    pub forest: ForestSettings,
    /// Bootstrap resamples for the confidence intervals of Sobol and Morris indices.
    pub resamples: usize,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            policies: Vec::new(),
            conditions: Vec::new(),
            prim: prim::Settings::default(),
            max_boxes: 3,
            forest: ForestSettings::default(),
            resamples: 1000,
        }
    }
}

/// What makes a case "of interest" for PRIM.
#[derive(Debug, Clone, PartialEq)]
pub enum Target {
    /// A condition given on the command line holds.
    Holds(Condition),
    /// The experiment's threshold does not hold (undefined values miss it,
    /// as in the satisficing share).
    Misses(Condition),
    /// Some threshold does not hold.
    MissesAny(Vec<Condition>),
}

impl Target {
    pub fn name(&self) -> String {
        match self {
            Target::Holds(c) => c.describe(),
            Target::Misses(c) => format!("misses {}", c.describe()),
            Target::MissesAny(_) => "misses any threshold".into(),
        }
    }

    /// Whether each row is a case of interest; an error names an unknown indicator.
    pub fn cases(&self, data: &Dataset, rows: &[usize]) -> Result<Vec<bool>, String> {
        let column = |c: &Condition| {
            data.outcome(&c.indicator).ok_or_else(|| {
                format!(
                    "unknown indicator '{}'; outcomes.csv has: {}",
                    c.indicator,
                    data.outcomes.join(", ")
                )
            })
        };
        Ok(match self {
            Target::Holds(c) => {
                let o = column(c)?;
                rows.iter().map(|&r| c.holds(data.values[o][r])).collect()
            }
            Target::Misses(c) => {
                let o = column(c)?;
                rows.iter().map(|&r| !c.holds(data.values[o][r])).collect()
            }
            Target::MissesAny(cs) => {
                let cols = cs.iter().map(column).collect::<Result<Vec<_>, _>>()?;
                rows.iter()
                    .map(|&r| {
                        cs.iter()
                            .zip(&cols)
                            .any(|(c, &o)| !c.holds(data.values[o][r]))
                    })
                    .collect()
            }
        })
    }
}

/// The targets of a run: the conditions given, or the thresholds.
pub fn targets(data: &Dataset, conditions: &[Condition]) -> Vec<Target> {
    if !conditions.is_empty() {
        return conditions.iter().cloned().map(Target::Holds).collect();
    }
    let mut out: Vec<Target> = data
        .thresholds
        .iter()
        .cloned()
        .map(Target::Misses)
        .collect();
    if data.thresholds.len() > 1 {
        out.push(Target::MissesAny(data.thresholds.clone()));
    }
    out
}

/// PRIM's inputs for some rows: the scenario (a category), then each
/// uncertainty (whole numbers as such).
pub fn prim_inputs(data: &Dataset, rows: &[usize]) -> Vec<Input> {
    let mut inputs = vec![Input {
        name: "scenario".into(),
        values: Values::Categories {
            codes: rows.iter().map(|&r| data.cells[r].scenario).collect(),
            levels: data.scenarios.clone(),
        },
    }];
    for (u, name) in data.uncertainties.iter().enumerate() {
        let x = &data.inputs[u];
        inputs.push(Input {
            name: name.clone(),
            values: if data.whole[u] {
                Values::Whole(rows.iter().map(|&r| x[r] as i64).collect())
            } else {
                Values::Real(rows.iter().map(|&r| x[r]).collect())
            },
        });
    }
    inputs
}

/// One policy's PRIM boxes for one target.
#[derive(Debug, Clone)]
pub struct PrimResult {
    pub policy: usize,
    pub target: String,
    /// The cases and cases of interest searched.
    pub cases: usize,
    pub cases_of_interest: usize,
    pub inputs: Vec<Input>,
    /// The searches, box after box (the last may have found nothing).
    pub searches: Vec<Search>,
    /// Why PRIM could not run (e.g. no case of interest).
    pub skipped: Option<String>,
}

/// Everything `discover` found.
#[derive(Debug, Clone)]
pub struct Discovery {
    pub policies: Vec<usize>,
    pub targets: Vec<String>,
    pub prim: Vec<PrimResult>,
    pub feature_scores: Vec<feature_scores::Score>,
    pub sensitivity: Vec<SensitivityRow>,
    /// What sensitivity analysis was done, or why none was.
    pub sensitivity_note: String,
}

/// Run every analysis on an experiment's results.
pub fn discover(data: &Dataset, opts: &Options) -> Result<Discovery, String> {
    let policies: Vec<usize> = if opts.policies.is_empty() {
        (0..data.policies.len()).collect()
    } else {
        opts.policies
            .iter()
            .map(|p| {
                data.policies.iter().position(|q| q == p).ok_or_else(|| {
                    format!(
                        "unknown policy '{p}'; the experiment has: {}",
                        data.policies.join(", ")
                    )
                })
            })
            .collect::<Result<_, _>>()?
    };
    let targets = targets(data, &opts.conditions);
    // Check every target before the long work.
    for t in &targets {
        t.cases(data, &[])?;
    }
    let jobs: Vec<(usize, &Target)> = policies
        .iter()
        .flat_map(|&p| targets.iter().map(move |t| (p, t)))
        .collect();
    let prim = jobs
        .par_iter()
        .map(|&(p, t)| {
            let rows = data.rows_of(p);
            let y = t.cases(data, &rows).expect("checked above");
            let inputs = prim_inputs(data, &rows);
            let cases_of_interest = y.iter().filter(|&&b| b).count();
            let (searches, skipped) = match prim::covering(&inputs, y, opts.prim, opts.max_boxes) {
                Ok(s) => (s, None),
                Err(e) => (Vec::new(), Some(e.to_string())),
            };
            PrimResult {
                policy: p,
                target: t.name(),
                cases: rows.len(),
                cases_of_interest,
                inputs,
                searches,
                skipped,
            }
        })
        .collect();
    let feature_scores = feature_scores::for_experiment(data, &policies, &targets, &opts.forest);
    let (sensitivity, sensitivity_note) =
        sensitivity::for_experiment(data, &policies, opts.resamples)?;
    Ok(Discovery {
        policies,
        targets: targets.iter().map(Target::name).collect(),
        prim,
        feature_scores,
        sensitivity,
        sensitivity_note,
    })
}

/// Why discovery's outputs could not be written.
#[derive(Debug)]
pub enum WriteError {
    /// `DIR/discovery` exists and was not written by `discover`.
    NotOurs(PathBuf),
    Output(OutputError),
}

impl std::fmt::Display for WriteError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            WriteError::NotOurs(p) => write!(
                f,
                "{} exists and was not written by `foresight discover` (it has no discovery \
                 manifest); move it away first: discover never replaces what it did not write",
                p.display()
            ),
            WriteError::Output(OutputError::Exists(p)) => write!(
                f,
                "{} already exists (from an earlier `foresight discover`); pass --force to replace it",
                p.display()
            ),
            WriteError::Output(e) => write!(f, "{e}"),
        }
    }
}

impl std::error::Error for WriteError {}

impl From<OutputError> for WriteError {
    fn from(e: OutputError) -> Self {
        WriteError::Output(e)
    }
}

/// Whether a folder is one `discover` wrote (its manifest says so).
pub fn written_by_discover(folder: &Path) -> bool {
    std::fs::read_to_string(folder.join("manifest.json"))
        .ok()
        .and_then(|t| serde_json::from_str::<serde_json::Value>(&t).ok())
        .is_some_and(|m| m["kind"] == KIND)
}

/// Write `DIR/discovery/` through a staging folder. An existing discovery
/// folder is replaced only with `force`, and only if `discover` wrote it.
pub fn write(
    data: &Dataset,
    d: &Discovery,
    opts: &Options,
    force: bool,
) -> Result<PathBuf, WriteError> {
    let target = data.dir.join(FOLDER);
    if target.exists() && !written_by_discover(&target) {
        return Err(WriteError::NotOurs(target));
    }
    let folder = RunFolder::create(&target, force)?;
    let mut files = vec!["boxes.csv", "trajectory.csv", "feature_scores.csv"];
    write_boxes(&folder, data, d)?;
    write_trajectory(&folder, data, d)?;
    feature_scores::write(&folder, data, &d.feature_scores)?;
    if !d.sensitivity.is_empty() {
        sensitivity::write(&folder, data, &d.sensitivity)?;
        files.push("sensitivity.csv");
    }
    files.push("manifest.json");
    let s = &opts.prim;
    let manifest = serde_json::json!({
        "kind": KIND,
        "foresight_version": crate::VERSION,
        "experiment": data.name,
        "command_line": std::env::args().collect::<Vec<_>>().join(" "),
        "policies": d.policies.iter().map(|&p| &data.policies[p]).collect::<Vec<_>>(),
        "targets": d.targets,
        "prim": {
            "threshold": s.threshold,
            "peel_alpha": s.peel_alpha,
            "paste_alpha": s.paste_alpha,
            "mass_min": s.mass_min,
            "max_boxes": opts.max_boxes,
            "box_choice": match s.choice {
                prim::BoxChoice::Last => "last box on the trajectory (EMA Workbench)".to_string(),
                prim::BoxChoice::DensestWithCoverage(c) =>
                    format!("densest box with coverage at least {c}"),
            },
        },
        "feature_scores": {
            "method": "extra trees, impurity importance (EMA Workbench's feature_scoring defaults)",
            "trees": opts.forest.trees,
            "seed": opts.forest.seed,
        },
        "sensitivity": d.sensitivity_note,
        "bootstrap_resamples": opts.resamples,
        "files": files,
    });
    folder.file("manifest.json")?.json(&manifest)?;
    folder.commit()?;
    Ok(target)
}

/// The levels inside a set limit, joined by `;`.
pub fn levels_text(set: &[bool], levels: &[String]) -> String {
    levels
        .iter()
        .zip(set)
        .filter(|(_, inside)| **inside)
        .map(|(l, _)| l.as_str())
        .collect::<Vec<_>>()
        .join(";")
}

/// `boxes.csv`: one row per restricted input of each box found.
fn write_boxes(folder: &RunFolder, data: &Dataset, d: &Discovery) -> Result<(), OutputError> {
    let mut f = CsvFile::new(folder.file("boxes.csv")?);
    f.record([
        "policy",
        "target",
        "box",
        "coverage",
        "density",
        "mass",
        "cases",
        "cases_of_interest",
        "restricted",
        "input",
        "lower",
        "upper",
        "levels",
        "input_min",
        "input_max",
        "qp_lower",
        "qp_upper",
    ])?;
    for r in &d.prim {
        for (b, s) in r.searches.iter().enumerate().filter(|(_, s)| s.found) {
            let step = s.chosen_step();
            // The box's own fields, repeated on each of its rows.
            let prefix = |f: &mut CsvFile| -> Result<(), OutputError> {
                f.field(&data.policies[r.policy])?;
                f.field(&r.target)?;
                f.int(b as u64)?;
                for v in [step.coverage, step.density, step.mass] {
                    f.value(v)?;
                }
                for n in [step.n, step.k, step.restricted] {
                    f.int(n as u64)?;
                }
                Ok(())
            };
            if s.quasi_p.is_empty() {
                prefix(&mut f)?;
                for _ in 0..8 {
                    f.field("")?;
                }
                f.end()?;
            }
            for q in &s.quasi_p {
                let input = &r.inputs[q.input];
                prefix(&mut f)?;
                f.field(&input.name)?;
                match (&step.limits[q.input], &input.values) {
                    (Limit::Range { lower, upper }, _) => {
                        f.value(*lower)?;
                        f.value(*upper)?;
                        f.field("")?;
                    }
                    (Limit::Set(set), Values::Categories { levels, .. }) => {
                        f.field("")?;
                        f.field("")?;
                        f.field(levels_text(set, levels))?;
                    }
                    _ => {
                        for _ in 0..3 {
                            f.field("")?;
                        }
                    }
                }
                let (min, max) = input_range(&input.values);
                for v in [min, max, q.lower, q.upper] {
                    f.value(v)?;
                }
                f.end()?;
            }
        }
    }
    f.finish()
}

/// The smallest and largest value of a numeric input (NaN for a category).
pub fn input_range(v: &Values) -> (f64, f64) {
    let fold = |it: &mut dyn Iterator<Item = f64>| {
        it.fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), x| {
            (a.min(x), b.max(x))
        })
    };
    match v {
        Values::Real(x) => fold(&mut x.iter().copied()),
        Values::Whole(x) => fold(&mut x.iter().map(|&v| v as f64)),
        Values::Categories { .. } => (f64::NAN, f64::NAN),
    }
}

/// `trajectory.csv`: every box on every peeling and pasting trajectory.
fn write_trajectory(folder: &RunFolder, data: &Dataset, d: &Discovery) -> Result<(), OutputError> {
    let mut f = CsvFile::new(folder.file("trajectory.csv")?);
    f.record([
        "policy",
        "target",
        "box",
        "found",
        "step",
        "phase",
        "coverage",
        "density",
        "mass",
        "cases",
        "cases_of_interest",
        "restricted",
        "chosen",
    ])?;
    for r in &d.prim {
        for (b, s) in r.searches.iter().enumerate() {
            for (i, step) in s.trajectory.iter().enumerate() {
                f.field(&data.policies[r.policy])?;
                f.field(&r.target)?;
                f.int(b as u64)?;
                f.field(if s.found { "true" } else { "false" })?;
                f.int(i as u64)?;
                f.field(step.phase.name())?;
                for v in [step.coverage, step.density, step.mass] {
                    f.value(v)?;
                }
                for n in [step.n, step.k, step.restricted] {
                    f.int(n as u64)?;
                }
                f.field(if i == s.chosen { "true" } else { "false" })?;
                f.end()?;
            }
        }
    }
    f.finish()
}

/// The terminal's account of what was found.
pub fn summary(data: &Dataset, d: &Discovery, opts: &Options) -> String {
    let mut out = String::new();
    use crate::output::numbers::{general as num, p_value, percent};
    for r in &d.prim {
        let _ = writeln!(
            out,
            "{} — {}: {} of {} futures",
            data.policies[r.policy], r.target, r.cases_of_interest, r.cases
        );
        if let Some(why) = &r.skipped {
            let _ = writeln!(out, "  no search: {why}");
            continue;
        }
        for (b, s) in r.searches.iter().enumerate() {
            let step = s.chosen_step();
            if !s.found {
                let _ = writeln!(
                    out,
                    "  {}: no box reaches density {} (best: coverage {}, density {})",
                    if b == 0 { "no box" } else { "no further box" },
                    percent(opts.prim.threshold),
                    percent(step.coverage),
                    percent(step.density)
                );
                continue;
            }
            let _ = writeln!(
                out,
                "  box {}: coverage {}, density {}, mass {} ({} cases)",
                b + 1,
                percent(step.coverage),
                percent(step.density),
                percent(step.mass),
                crate::output::numbers::grouped(step.n as f64, 0)
            );
            for q in &s.quasi_p {
                let input = &r.inputs[q.input];
                let limit = match (&step.limits[q.input], &input.values) {
                    (Limit::Range { lower, upper }, v) => {
                        let (min, max) = input_range(v);
                        match (*lower > min, *upper < max) {
                            (true, true) => {
                                format!("{} ≤ {} ≤ {}", num(*lower), input.name, num(*upper))
                            }
                            (true, false) => format!("{} ≥ {}", input.name, num(*lower)),
                            _ => format!("{} ≤ {}", input.name, num(*upper)),
                        }
                    }
                    (Limit::Set(set), Values::Categories { levels, .. }) => {
                        format!(
                            "{} in {{{}}}",
                            input.name,
                            levels_text(set, levels).replace(';', ", ")
                        )
                    }
                    _ => String::new(),
                };
                let qp = [q.lower, q.upper]
                    .iter()
                    .filter(|v| !v.is_nan())
                    .map(|v| p_value(*v))
                    .collect::<Vec<_>>()
                    .join(", ");
                let _ = writeln!(out, "    {limit}   (quasi-p {qp})");
            }
        }
    }
    out
}
