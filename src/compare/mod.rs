//! `foresight compare A B [C...]`: the headline indicators of two or more
//! output folders, each later folder against the first. Replications that
//! share their random numbers (the same seeds for the same replications)
//! are compared in pairs; otherwise the folders are compared as
//! independent samples, and the comparison says so.

pub mod html;
pub mod stats;

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use crate::model::HEADLINES;
use crate::output::numbers::{Format, p_value};
use crate::output::text_table::{TextTable, paragraph, width as text_width, wrap_words};
use crate::report::ReportError;
use crate::report::data::{self, Kind, Manifest, Table};
use stats::Difference;

/// The manifest's kind of a comparison folder.
pub const KIND: &str = "compare";
/// The files a comparison writes.
pub const CSV: &str = "compare.csv";
pub const HTML: &str = "compare.html";

#[derive(Debug)]
pub enum CompareError {
    /// A folder could not be read.
    Read(ReportError),
    /// The folders cannot be compared: why, in words.
    Incompatible(String),
}

impl std::fmt::Display for CompareError {
    fn fmt(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        match self {
            CompareError::Read(e) => write!(f, "{e}"),
            CompareError::Incompatible(m) => f.write_str(m),
        }
    }
}

impl From<ReportError> for CompareError {
    fn from(e: ReportError) -> Self {
        CompareError::Read(e)
    }
}

/// Where a replication sits in its run: (scenario, sample, replication);
/// the scenario is empty and the sample 0 for a scenario run, whose
/// replications share random numbers whatever the scenario's name.
type Key = (String, u64, u64);

/// One output folder's headline values.
#[derive(Debug)]
pub struct Run {
    pub dir: PathBuf,
    /// How the run is named in tables: its folder's name, made unique.
    pub label: String,
    pub manifest: Manifest,
    /// The headline indicators, in the file's order.
    pub indicators: Vec<String>,
    /// Policy ("" for a scenario run) → key → (seed, values).
    pub groups: BTreeMap<String, BTreeMap<Key, (String, Vec<f64>)>>,
}

impl Run {
    pub fn read(dir: &Path) -> Result<Run, CompareError> {
        let manifest = data::manifest(dir)?;
        let (values, seeds) = match manifest.kind {
            Kind::Scenario => {
                let t = Table::read(&data::table(dir, "headline"))?;
                (t, None)
            }
            Kind::Experiment => (
                Table::read(&data::table(dir, "outcomes"))?,
                Some(Table::read(&data::table(dir, "experiments"))?),
            ),
        };
        let key_columns: &[&str] = match manifest.kind {
            Kind::Scenario => &["replication", "seed"],
            Kind::Experiment => &["scenario", "policy", "sample", "replication"],
        };
        let indicators: Vec<String> = values
            .headers
            .iter()
            .filter(|h| !key_columns.contains(&h.as_str()))
            .cloned()
            .collect();
        let ind_cols: Vec<usize> = indicators
            .iter()
            .map(|i| values.col(i))
            .collect::<Result<_, _>>()?;
        let c_rep = values.col("replication")?;
        let mut groups: BTreeMap<String, BTreeMap<Key, (String, Vec<f64>)>> = BTreeMap::new();
        for r in 0..values.rows.len() {
            let field = |c: usize| values.rows[r].get(c).cloned().unwrap_or_default();
            let replication = values.num(r, c_rep)? as u64;
            let vals = ind_cols
                .iter()
                .map(|&c| values.num(r, c))
                .collect::<Result<Vec<f64>, _>>()?;
            let (policy, key, seed) = match &seeds {
                None => (
                    String::new(),
                    (String::new(), 0, replication),
                    field(values.col("seed")?),
                ),
                Some(e) => {
                    // experiments and outcomes hold the cells in the same order.
                    let same = ["scenario", "policy", "sample", "replication"]
                        .iter()
                        .all(|c| {
                            matches!((values.col(c), e.col(c)), (Ok(x), Ok(y))
                                if values.rows[r].get(x) == e.rows.get(r).and_then(|row| row.get(y)))
                        });
                    if !same {
                        return Err(CompareError::Incompatible(format!(
                            "{}: row {} of the outcomes is not the same cell as row {} of the \
                             experiments table",
                            dir.display(),
                            r + 2,
                            r + 2
                        )));
                    }
                    let sample = values.num(r, values.col("sample")?)? as u64;
                    (
                        field(values.col("policy")?),
                        (field(values.col("scenario")?), sample, replication),
                        e.rows[r][e.col("seed")?].clone(),
                    )
                }
            };
            groups.entry(policy).or_default().insert(key, (seed, vals));
        }
        let label = dir.file_name().map_or_else(
            || dir.display().to_string(),
            |n| n.to_string_lossy().into_owned(),
        );
        Ok(Run {
            dir: dir.to_path_buf(),
            label,
            manifest,
            indicators,
            groups,
        })
    }

    fn kind_words(&self) -> &'static str {
        match self.manifest.kind {
            Kind::Scenario => "a scenario run",
            Kind::Experiment => "an experiment",
        }
    }
}

/// How the replications of two runs are matched.
#[derive(Debug, Clone, PartialEq)]
pub enum Pairing {
    /// Every replication of one run has its twin, with the same seed, in the other.
    Paired,
    /// Independent samples; why they are not paired.
    Unpaired(String),
}

impl Pairing {
    pub fn name(&self) -> &'static str {
        match self {
            Pairing::Paired => "paired",
            Pairing::Unpaired(_) => "unpaired",
        }
    }
}

/// One row of `compare.csv`.
#[derive(Debug, Clone)]
pub struct Row {
    /// Index of the run compared with the first (1, 2, …).
    pub other: usize,
    pub policy: String,
    pub indicator: String,
    pub d: Difference,
}

/// The comparison of every later run with the first.
#[derive(Debug)]
pub struct Comparison {
    pub runs: Vec<Run>,
    /// For each later run (index − 1): how it is matched with the first.
    pub pairing: Vec<Pairing>,
    pub rows: Vec<Row>,
}

/// Whether two runs' replications share their random numbers.
fn pairing(a: &Run, b: &Run) -> Pairing {
    if a.manifest.seed != b.manifest.seed {
        return Pairing::Unpaired(format!(
            "{} and {} have different seeds ({} and {})",
            a.label, b.label, a.manifest.seed, b.manifest.seed
        ));
    }
    if a.manifest.replications != b.manifest.replications {
        let n = |r: &Run| {
            r.manifest
                .replications
                .map_or("?".into(), |n| n.to_string())
        };
        return Pairing::Unpaired(format!(
            "{} and {} have different numbers of replications ({} and {})",
            a.label,
            b.label,
            n(a),
            n(b)
        ));
    }
    for (policy, ga) in &a.groups {
        let Some(gb) = b.groups.get(policy) else {
            continue;
        };
        let same = ga.len() == gb.len()
            && ga
                .iter()
                .all(|(k, (seed, _))| gb.get(k).is_some_and(|(s, _)| s == seed));
        if !same {
            return Pairing::Unpaired(format!(
                "{} and {} do not run the same futures with the same seeds (different \
                 scenarios or samples)",
                a.label, b.label
            ));
        }
    }
    Pairing::Paired
}

/// Refuse what cannot be compared, in words; then compare each later run
/// with the first.
pub fn compare(dirs: &[PathBuf]) -> Result<Comparison, CompareError> {
    if dirs.len() < 2 {
        return Err(CompareError::Incompatible(
            "compare needs two output folders or more".into(),
        ));
    }
    let mut runs = dirs
        .iter()
        .map(|d| Run::read(d))
        .collect::<Result<Vec<Run>, _>>()?;
    // Unique labels: a folder name seen before gets its position.
    for i in 1..runs.len() {
        if runs[..i].iter().any(|r| r.label == runs[i].label) {
            runs[i].label = format!("{} ({})", runs[i].label, i + 1);
        }
    }
    let a = &runs[0];
    for b in &runs[1..] {
        if b.manifest.version != a.manifest.version {
            return Err(CompareError::Incompatible(format!(
                "{} was written by foresight {} and {} by foresight {}: their indicators may be \
                 computed differently; run both with one version",
                a.dir.display(),
                a.manifest.version,
                b.dir.display(),
                b.manifest.version
            )));
        }
        if b.manifest.currency != a.manifest.currency {
            return Err(CompareError::Incompatible(format!(
                "{} counts money in {} and {} in {}: their costs and balances cannot be \
                 subtracted; give both worlds one `accounts.currency`",
                a.dir.display(),
                a.manifest.currency,
                b.dir.display(),
                b.manifest.currency
            )));
        }
        if b.manifest.kind != a.manifest.kind {
            return Err(CompareError::Incompatible(format!(
                "{} is {} and {} is {}: compare scenario runs with scenario runs and \
                 experiments with experiments",
                a.dir.display(),
                a.kind_words(),
                b.dir.display(),
                b.kind_words()
            )));
        }
        if b.indicators != a.indicators {
            let only = |x: &Run, y: &Run| -> Vec<String> {
                x.indicators
                    .iter()
                    .filter(|i| !y.indicators.contains(i))
                    .cloned()
                    .collect()
            };
            let (oa, ob) = (only(a, b), only(b, a));
            return Err(CompareError::Incompatible(format!(
                "{} and {} have different headline indicators (only in the first: {}; only in \
                 the second: {}{})",
                a.dir.display(),
                b.dir.display(),
                words(&oa),
                words(&ob),
                if oa.is_empty() && ob.is_empty() {
                    "; the same names in another order"
                } else {
                    ""
                }
            )));
        }
        if !b.groups.keys().any(|p| a.groups.contains_key(p)) {
            return Err(CompareError::Incompatible(format!(
                "{} and {} have no policy in common ({} against {})",
                a.dir.display(),
                b.dir.display(),
                words(&a.groups.keys().cloned().collect::<Vec<_>>()),
                words(&b.groups.keys().cloned().collect::<Vec<_>>())
            )));
        }
    }
    let mut pairings = Vec::new();
    let mut rows = Vec::new();
    for (bi, b) in runs.iter().enumerate().skip(1) {
        let p = pairing(a, b);
        for (policy, ga) in &a.groups {
            let Some(gb) = b.groups.get(policy) else {
                continue;
            };
            for (k, indicator) in a.indicators.iter().enumerate() {
                let d = match p {
                    Pairing::Paired => {
                        let (va, vb): (Vec<f64>, Vec<f64>) =
                            ga.iter().map(|(key, (_, v))| (v[k], gb[key].1[k])).unzip();
                        stats::paired(&va, &vb)
                    }
                    Pairing::Unpaired(_) => {
                        let va: Vec<f64> = ga.values().map(|(_, v)| v[k]).collect();
                        let vb: Vec<f64> = gb.values().map(|(_, v)| v[k]).collect();
                        stats::unpaired(&va, &vb)
                    }
                };
                rows.push(Row {
                    other: bi,
                    policy: policy.clone(),
                    indicator: indicator.clone(),
                    d,
                });
            }
        }
        pairings.push(p);
    }
    Ok(Comparison {
        runs,
        pairing: pairings,
        rows,
    })
}

fn words(names: &[String]) -> String {
    if names.is_empty() {
        "none".into()
    } else {
        names.join(", ")
    }
}

impl Comparison {
    /// `compare.csv`: one row per (run compared, policy, indicator).
    pub fn csv(&self) -> String {
        let mut out = String::from(
            "run_a,run_b,pairing,policy,indicator,n_a,n_b,mean_a,mean_b,difference,\
             ci95_low,ci95_high,p_value\n",
        );
        let mut w = csv::WriterBuilder::new()
            .has_headers(false)
            .from_writer(Vec::new());
        for r in &self.rows {
            let v = |x: f64| {
                let mut s = String::new();
                crate::output::csv_file::fmt_value(&mut s, x);
                s
            };
            let d = &r.d;
            w.write_record([
                self.runs[0].label.clone(),
                self.runs[r.other].label.clone(),
                self.pairing[r.other - 1].name().to_string(),
                r.policy.clone(),
                r.indicator.clone(),
                d.n_a.to_string(),
                d.n_b.to_string(),
                v(d.mean_a),
                v(d.mean_b),
                v(d.difference),
                v(d.ci_low),
                v(d.ci_high),
                v(d.p_value),
            ])
            .expect("writing to memory");
        }
        out.push_str(&String::from_utf8(w.into_inner().expect("memory")).expect("UTF-8"));
        out
    }

    /// Each row's values formatted alike (labels, units, separators), as
    /// the terminal and compare.html show them: (label, unit, a, b,
    /// difference, interval, p).
    pub fn shown(&self, r: &Row) -> [String; 7] {
        let h = HEADLINES.iter().find(|h| h.name == r.indicator);
        let d = &r.d;
        let (label, f) = match h {
            Some(h) => (
                h.label.to_string(),
                Format::fitting(
                    h.unit,
                    &self.runs[0].manifest.currency,
                    &[d.mean_a, d.mean_b],
                ),
            ),
            None => (
                r.indicator.clone(),
                Format::fitting(
                    crate::model::indicators::Unit::Index,
                    &self.runs[0].manifest.currency,
                    &[d.mean_a, d.mean_b],
                ),
            ),
        };
        let signed = |x: f64| {
            let s = f.show(x);
            if x > 0.0 { format!("+{s}") } else { s }
        };
        let interval = if d.ci_low.is_finite() {
            format!("[{} … {}]", signed(d.ci_low), signed(d.ci_high))
        } else {
            "—".into()
        };
        [
            label,
            f.unit.clone(),
            f.show(d.mean_a),
            f.show(d.mean_b),
            signed(d.difference),
            interval,
            p_value(d.p_value),
        ]
    }

    /// The text the terminal prints: per run compared, how the runs are
    /// matched, then a table of the indicators per policy.
    pub fn text(&self, width: Option<usize>) -> String {
        let mut out = String::new();
        let a = &self.runs[0];
        for (i, b) in self.runs.iter().enumerate().skip(1) {
            let how = match &self.pairing[i - 1] {
                Pairing::Paired => format!(
                    "paired: the same seed ({}) and replications, so each replication of {} \
                     meets its twin in {} (common random numbers)",
                    a.manifest.seed, b.label, a.label
                ),
                Pairing::Unpaired(why) => {
                    format!("unpaired (Welch's t): {why}, so the runs are independent samples")
                }
            };
            out.push_str(&paragraph(
                "",
                &format!("{} − {}: {how}", b.label, a.label),
                width,
                2,
            ));
            let policies: Vec<&String> = a
                .groups
                .keys()
                .filter(|p| b.groups.contains_key(*p))
                .collect();
            for policy in policies {
                if !policy.is_empty() {
                    let _ = writeln!(out, "policy {policy}");
                }
                // `labels`: the widest an indicator's name may be, wrapped
                // over more lines beyond it (none: one line each).
                let table = |means: bool, labels: Option<usize>| {
                    let mut t = TextTable::new()
                        .column("indicator", false)
                        .column("unit", false);
                    if means {
                        t = t
                            .column(a.label.clone(), true)
                            .column(b.label.clone(), true);
                    }
                    t = t
                        .column("difference", true)
                        .column("95% interval", true)
                        .column("p", true);
                    for r in self
                        .rows
                        .iter()
                        .filter(|r| r.other == i && &r.policy == policy)
                    {
                        let mut cells = self.shown(r).to_vec();
                        if !means {
                            cells.drain(2..4);
                        }
                        let Some(lw) = labels else {
                            t.row(cells);
                            continue;
                        };
                        let mut lines = wrap_words(&cells[0], lw).into_iter();
                        cells[0] = lines.next().unwrap_or_default();
                        t.row(cells);
                        for more in lines {
                            t.row(vec![more]);
                        }
                    }
                    t
                };
                let full = table(true, None);
                let fits = |t: &TextTable| width.is_none_or(|w| t.total_width(2) <= w);
                if !fits(&full) {
                    let mut narrow = table(false, None);
                    if let (false, Some(w)) = (fits(&narrow), width) {
                        // Still too wide: wrap the longest names.
                        let longest = self
                            .rows
                            .iter()
                            .filter(|r| r.other == i && &r.policy == policy)
                            .map(|r| text_width(&self.shown(r)[0]))
                            .max()
                            .unwrap_or(0);
                        let over = narrow.total_width(2) - w;
                        narrow = table(false, Some(longest.saturating_sub(over).max(16)));
                    }
                    out.push_str(&narrow.render(2));
                    out.push_str(
                        "  (the runs' own values left out to fit 100 columns: --wide shows them)\n",
                    );
                } else {
                    out.push_str(&full.render(2));
                }
            }
        }
        out.push_str(&paragraph(
            "",
            "difference: second run minus the first, in the indicator's unit; 95% interval: \
             where the true difference lies with 95% confidence; p: the chance of a \
             difference at least this large if the runs did not differ",
            width,
            2,
        ));
        out
    }
}

/// Write compare.csv, compare.html and a manifest to `out` (through a
/// staging folder; an existing folder is replaced only with `force` and
/// only if foresight wrote it).
pub fn write(c: &Comparison, out: &Path, force: bool) -> Result<(), crate::output::OutputError> {
    let folder = crate::output::RunFolder::create(out, force)?;
    for (name, text) in [(CSV, c.csv()), (HTML, html::page(c))] {
        let mut f = folder.file(name)?;
        f.put(text.as_bytes())?;
        f.finish()?;
    }
    let manifest = serde_json::json!({
        "foresight_version": crate::VERSION,
        "kind": KIND,
        "compared": c.runs.iter().map(|r| r.dir.display().to_string()).collect::<Vec<_>>(),
        "pairing": c.pairing.iter().map(Pairing::name).collect::<Vec<_>>(),
        "files": ["manifest.json", CSV, HTML],
    });
    folder.file("manifest.json")?.json(&manifest)?;
    folder.commit()
}
