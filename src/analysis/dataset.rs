//! An experiment's results read back from its output folder, for the
//! analyses: `manifest.json`, `experiments.csv` (the inputs of each cell)
//! and `outcomes.csv` (its headline indicators), row by row in cell order.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// Why an output folder cannot be analysed.
#[derive(Debug)]
pub enum DataError {
    Io {
        path: PathBuf,
        error: std::io::Error,
    },
    /// A file is there but not as `foresight run` writes it.
    Format { path: PathBuf, message: String },
}

impl std::fmt::Display for DataError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            DataError::Io { path, error } if error.kind() == std::io::ErrorKind::NotFound => {
                write!(
                    f,
                    "{} is missing: is this the output folder of a complete experiment run?",
                    path.display()
                )
            }
            DataError::Io { path, error } => write!(f, "cannot read {}: {error}", path.display()),
            DataError::Format { path, message } => write!(f, "{}: {message}", path.display()),
        }
    }
}

impl std::error::Error for DataError {}

/// How the experiment's samples were drawn, from its manifest.
#[derive(Debug, Clone, PartialEq)]
pub struct SamplingInfo {
    /// `monte_carlo`, `latin_hypercube`, `full_factorial`, `sobol` or `morris`.
    pub design: String,
    /// The file's `samples`: base samples (Sobol), trajectories (Morris).
    pub samples: u64,
    /// Morris levels.
    pub levels: Option<u64>,
}

/// An experiment's cells, inputs and outcomes.
#[derive(Debug, Clone)]
pub struct Dataset {
    pub dir: PathBuf,
    pub name: String,
    pub seed: u64,
    pub replications: usize,
    /// Sorted, as in every output.
    pub scenarios: Vec<String>,
    pub policies: Vec<String>,
    /// Uncertainty names, in the file's column order.
    pub uncertainties: Vec<String>,
    /// Whether every value of an uncertainty is a whole number as written
    /// (pandas reads such a column as integers, and PRIM peels it so).
    pub whole: Vec<bool>,
    /// The experiment's thresholds, as its manifest states them.
    pub thresholds: Vec<Condition>,
    pub sampling: Option<SamplingInfo>,
    /// Per row (cell): scenario, policy, sample and replication.
    pub cells: Vec<CellRow>,
    /// `inputs[u][row]`.
    pub inputs: Vec<Vec<f64>>,
    /// Outcome (headline indicator) names, in column order.
    pub outcomes: Vec<String>,
    /// `values[o][row]`; NaN where undefined (an empty field).
    pub values: Vec<Vec<f64>>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CellRow {
    pub scenario: usize,
    pub policy: usize,
    pub sample: usize,
    pub replication: usize,
}

impl Dataset {
    /// The rows of one policy, in cell order.
    pub fn rows_of(&self, policy: usize) -> Vec<usize> {
        (0..self.cells.len())
            .filter(|&r| self.cells[r].policy == policy)
            .collect()
    }

    pub fn outcome(&self, name: &str) -> Option<usize> {
        self.outcomes.iter().position(|o| o == name)
    }

    /// Read an experiment's output folder.
    pub fn read(dir: &Path) -> Result<Dataset, DataError> {
        let manifest_path = dir.join("manifest.json");
        let text = std::fs::read_to_string(&manifest_path).map_err(|error| DataError::Io {
            path: manifest_path.clone(),
            error,
        })?;
        let bad = |path: &Path, message: String| DataError::Format {
            path: path.to_path_buf(),
            message,
        };
        let m: serde_json::Value = serde_json::from_str(&text)
            .map_err(|e| bad(&manifest_path, format!("not valid JSON: {e}")))?;
        match m["kind"].as_str() {
            Some("experiment") => {}
            Some("scenario") => {
                return Err(bad(
                    &manifest_path,
                    "this is a plain scenario run: discovery needs an experiment's outputs \
                     (experiments.csv and outcomes.csv), from `foresight run` on an experiment file"
                        .into(),
                ));
            }
            _ => {
                return Err(bad(
                    &manifest_path,
                    "not the manifest of a foresight experiment run (no `kind: experiment`)".into(),
                ));
            }
        }
        let strings = |key: &str| -> Vec<String> {
            m[key]
                .as_array()
                .map(|a| {
                    a.iter()
                        .filter_map(|x| x.as_str().map(str::to_string))
                        .collect()
                })
                .unwrap_or_default()
        };
        let scenarios = strings("scenarios");
        let policies = strings("policies");
        let mut thresholds = Vec::new();
        for t in strings("thresholds") {
            thresholds.push(
                Condition::parse(&t)
                    .map_err(|e| bad(&manifest_path, format!("threshold '{t}': {e}")))?,
            );
        }
        let sampling = m["sampling"]["design"].as_str().map(|d| SamplingInfo {
            design: d.to_string(),
            samples: m["sampling"]["samples"].as_u64().unwrap_or(0),
            levels: m["sampling"]["levels"].as_u64(),
        });

        // experiments.csv: scenario, policy, sample, replication, seed, inputs.
        let path = crate::output::format::table_path(dir, "experiments", None);
        let (header, rows) = read_csv(&path)?;
        const FIXED: [&str; 5] = ["scenario", "policy", "sample", "replication", "seed"];
        if header.len() < FIXED.len() || header[..FIXED.len()] != FIXED {
            return Err(bad(
                &path,
                format!("expected the columns to start with {}", FIXED.join(", ")),
            ));
        }
        let uncertainties: Vec<String> = header[FIXED.len()..].to_vec();
        let index = |names: &[String], name: &str, line: usize, what: &str| {
            names.iter().position(|n| n == name).ok_or_else(|| {
                bad(
                    &path,
                    format!("line {line}: {what} '{name}' is not in the manifest"),
                )
            })
        };
        let mut cells = Vec::with_capacity(rows.len());
        let mut inputs = vec![Vec::with_capacity(rows.len()); uncertainties.len()];
        let mut whole = vec![true; uncertainties.len()];
        for (i, row) in rows.iter().enumerate() {
            let line = i + 2;
            let whole_number = |field: &str, what: &str| {
                field.parse::<usize>().map_err(|_| {
                    bad(
                        &path,
                        format!("line {line}: {what} '{field}' is not a whole number"),
                    )
                })
            };
            cells.push(CellRow {
                scenario: index(&scenarios, &row[0], line, "scenario")?,
                policy: index(&policies, &row[1], line, "policy")?,
                sample: whole_number(&row[2], "sample")?,
                replication: whole_number(&row[3], "replication")?,
            });
            for (u, field) in row[FIXED.len()..].iter().enumerate() {
                whole[u] &= field.parse::<i64>().is_ok();
                inputs[u].push(field.parse::<f64>().map_err(|_| {
                    bad(
                        &path,
                        format!(
                            "line {line}: {} = '{field}' is not a number",
                            uncertainties[u]
                        ),
                    )
                })?);
            }
        }

        // outcomes.csv: the same cells, then the outcomes.
        let path = crate::output::format::table_path(dir, "outcomes", None);
        let (header, rows) = read_csv(&path)?;
        if header.len() < 4 || header[..4] != FIXED[..4] {
            return Err(bad(
                &path,
                format!(
                    "expected the columns to start with {}",
                    FIXED[..4].join(", ")
                ),
            ));
        }
        if rows.len() != cells.len() {
            return Err(bad(
                &path,
                format!(
                    "{} rows, but experiments.csv has {}: the two files should come from the same run",
                    rows.len(),
                    cells.len()
                ),
            ));
        }
        let outcomes: Vec<String> = header[4..].to_vec();
        let mut values = vec![Vec::with_capacity(rows.len()); outcomes.len()];
        for (i, row) in rows.iter().enumerate() {
            let line = i + 2;
            let c = &cells[i];
            if row[0] != scenarios[c.scenario]
                || row[1] != policies[c.policy]
                || row[2].parse::<usize>().ok() != Some(c.sample)
                || row[3].parse::<usize>().ok() != Some(c.replication)
            {
                return Err(bad(
                    &path,
                    format!("line {line}: not the same cell as line {line} of experiments.csv"),
                ));
            }
            for (o, field) in row[4..].iter().enumerate() {
                values[o].push(if field.is_empty() {
                    f64::NAN
                } else {
                    field.parse::<f64>().map_err(|_| {
                        bad(
                            &path,
                            format!("line {line}: {} = '{field}' is not a number", outcomes[o]),
                        )
                    })?
                });
            }
        }
        Ok(Dataset {
            dir: dir.to_path_buf(),
            name: m["name"].as_str().unwrap_or_default().to_string(),
            seed: m["seed"].as_u64().unwrap_or(0),
            replications: m["replications"].as_u64().unwrap_or(1) as usize,
            scenarios,
            policies,
            uncertainties,
            whole,
            thresholds,
            sampling,
            cells,
            inputs,
            outcomes,
            values,
        })
    }
}

/// A table's header and rows, every row as long as the header (a Parquet
/// table's numbers written as CSV writes them).
fn read_csv(path: &Path) -> Result<(Vec<String>, Vec<Vec<String>>), DataError> {
    if path.extension().is_some_and(|e| e == "parquet") {
        return crate::output::parquet::read_text(path).map_err(|e| match e.io {
            Some(error) => DataError::Io {
                path: e.path,
                error,
            },
            None => DataError::Format {
                path: e.path,
                message: e.message,
            },
        });
    }
    let file = std::fs::File::open(path).map_err(|error| DataError::Io {
        path: path.to_path_buf(),
        error,
    })?;
    let mut rdr = csv::ReaderBuilder::new()
        .flexible(false)
        .from_reader(std::io::BufReader::new(file));
    let err = |e: csv::Error| DataError::Format {
        path: path.to_path_buf(),
        message: match e.position() {
            Some(p) => format!("line {}: {e}", p.line()),
            None => e.to_string(),
        },
    };
    let header: Vec<String> = rdr
        .headers()
        .map_err(err)?
        .iter()
        .map(str::to_string)
        .collect();
    let mut rows = Vec::new();
    for rec in rdr.records() {
        rows.push(rec.map_err(err)?.iter().map(str::to_string).collect());
    }
    Ok((header, rows))
}

/// A comparison of an outcome with a value, e.g. `employment_rate_3y_plus_final < 0.2`.
#[derive(Debug, Clone, PartialEq)]
pub struct Condition {
    pub indicator: String,
    pub op: Op,
    pub value: f64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Op {
    Below,
    AtMost,
    Above,
    AtLeast,
}

impl Op {
    pub fn symbol(self) -> &'static str {
        match self {
            Op::Below => "<",
            Op::AtMost => "<=",
            Op::Above => ">",
            Op::AtLeast => ">=",
        }
    }
}

impl Condition {
    /// Read `name<0.2`, `name <= 3`, `name ≥ 0.5` (spaces optional).
    pub fn parse(text: &str) -> Result<Condition, String> {
        let ops: [(&str, Op); 6] = [
            ("<=", Op::AtMost),
            (">=", Op::AtLeast),
            ("≤", Op::AtMost),
            ("≥", Op::AtLeast),
            ("<", Op::Below),
            (">", Op::Above),
        ];
        let found = ops
            .iter()
            .filter_map(|(s, op)| text.find(s).map(|i| (i, *s, *op)))
            .min_by_key(|(i, s, _)| (*i, usize::MAX - s.len()));
        let Some((i, s, op)) = found else {
            return Err(
                "expected INDICATOR OP VALUE with OP one of <, <=, >, >= (e.g. employment_rate_final<0.2)"
                    .into(),
            );
        };
        let indicator = text[..i].trim();
        let value_text = text[i + s.len()..].trim();
        if indicator.is_empty() {
            return Err("no indicator before the comparison".into());
        }
        let value: f64 = value_text
            .parse()
            .ok()
            .filter(|v: &f64| v.is_finite())
            .ok_or_else(|| format!("'{value_text}' is not a finite number"))?;
        Ok(Condition {
            indicator: indicator.to_string(),
            op,
            value,
        })
    }

    /// Does a value meet the condition? An undefined value (NaN) does not.
    pub fn holds(&self, v: f64) -> bool {
        match self.op {
            Op::Below => v < self.value,
            Op::AtMost => v <= self.value,
            Op::Above => v > self.value,
            Op::AtLeast => v >= self.value,
        }
    }

    /// How the condition reads, e.g. `employment_rate_final < 0.2`.
    pub fn describe(&self) -> String {
        format!("{} {} {}", self.indicator, self.op.symbol(), self.value)
    }
}

/// Group rows by a key, keys in order (for per-scenario or per-sample work).
pub fn group<K: Ord + Copy>(rows: &[usize], key: impl Fn(usize) -> K) -> BTreeMap<K, Vec<usize>> {
    let mut out: BTreeMap<K, Vec<usize>> = BTreeMap::new();
    for &r in rows {
        out.entry(key(r)).or_default().push(r);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn conditions_read_as_written() {
        let c = Condition::parse("employment_rate_final<0.2").unwrap();
        assert_eq!(
            (c.indicator.as_str(), c.op, c.value),
            ("employment_rate_final", Op::Below, 0.2)
        );
        assert_eq!(Condition::parse("x >= 3").unwrap().op, Op::AtLeast);
        assert_eq!(Condition::parse("x ≤ -1.5").unwrap().value, -1.5);
        assert_eq!(
            Condition::parse("wait < 12").unwrap().describe(),
            "wait < 12"
        );
        assert!(Condition::parse("x = 3").is_err());
        assert!(Condition::parse("<3").is_err());
        assert!(Condition::parse("x < high").is_err());
        let c = Condition::parse("x>1").unwrap();
        assert!(c.holds(2.0) && !c.holds(1.0) && !c.holds(f64::NAN));
    }
}
