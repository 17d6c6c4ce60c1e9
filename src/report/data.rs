//! Reading an output folder: the manifest, the rows of `summary.csv` the
//! report draws (streamed, so a 250 MB experiment summary is never held in
//! memory), and the small result tables.

use crate::scenario::types::StartDate;
use std::collections::HashMap;
use std::fs::File;
use std::io::BufReader;
use std::path::{Path, PathBuf};

use super::{FAN_CHARTS, HEATMAP_INDICATOR, ReportError};

/// What kind of run wrote the folder.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Scenario,
    Experiment,
}

/// The fields of `manifest.json` the report shows.
#[derive(Debug, Clone)]
pub struct Manifest {
    pub kind: Kind,
    pub name: String,
    pub description: String,
    /// As written (a JSON number can exceed what an f64 holds exactly).
    pub seed: String,
    pub replications: Option<u64>,
    pub scenarios: Vec<String>,
    pub policies: Vec<String>,
    pub samples: Option<u64>,
    pub cells: Option<u64>,
    pub thresholds: Vec<Threshold>,
    pub uncertainties: Vec<String>,
    /// The feedback loops that were on, by scenario, sorted by scenario
    /// name (empty for a folder from before the loops).
    pub feedback_loops: Vec<(String, Vec<String>)>,
    pub sha256: String,
    pub file: String,
    pub version: String,
    pub horizon_weeks: Option<u64>,
    /// The calendar date of week 0, when the world gives one.
    pub start_date: Option<StartDate>,
    /// The scenario's currency (`currency` for a folder from before it
    /// was recorded).
    pub currency: String,
    pub wall_seconds: Option<f64>,
    /// Whether the run wrote a summary (not with `--summary none`).
    pub summary_written: bool,
}

/// A threshold as the manifest describes it, e.g.
/// `language_wait_worst_region_weeks < 12`.
#[derive(Debug, Clone)]
pub struct Threshold {
    pub text: String,
    pub indicator: String,
    /// `<`, `≤`, `>` or `≥`; empty if the text could not be read.
    pub op: String,
    pub value: Option<f64>,
}

impl Threshold {
    pub fn parse(text: &str) -> Threshold {
        let parts: Vec<&str> = text.split_whitespace().collect();
        if let [indicator, op, value] = parts[..] {
            let op = match op {
                "<=" => "≤",
                ">=" => "≥",
                o => o,
            };
            if ["<", "≤", ">", "≥"].contains(&op) {
                return Threshold {
                    text: text.to_string(),
                    indicator: indicator.to_string(),
                    op: op.to_string(),
                    value: value.parse::<f64>().ok().filter(|v| v.is_finite()),
                };
            }
        }
        Threshold {
            text: text.to_string(),
            indicator: parts.first().unwrap_or(&"").to_string(),
            op: String::new(),
            value: None,
        }
    }
}

pub fn manifest(dir: &Path) -> Result<Manifest, ReportError> {
    let path = dir.join("manifest.json");
    let text = read_to_string(&path)?;
    let v: serde_json::Value = serde_json::from_str(&text).map_err(|e| ReportError::Format {
        path: path.clone(),
        message: e.to_string(),
    })?;
    if !v.is_object() {
        return Err(ReportError::Format {
            path,
            message: "the manifest is not a JSON object".into(),
        });
    }
    let string = |key: &str| match &v[key] {
        serde_json::Value::String(s) => s.clone(),
        serde_json::Value::Null => String::new(),
        other => other.to_string(),
    };
    let strings = |key: &str| -> Vec<String> {
        v[key]
            .as_array()
            .map(|a| {
                a.iter()
                    .map(|x| x.as_str().map_or_else(|| x.to_string(), str::to_string))
                    .collect()
            })
            .unwrap_or_default()
    };
    let kind = match v["kind"].as_str() {
        Some("scenario") => Kind::Scenario,
        Some("experiment") => Kind::Experiment,
        Some(other) => {
            return Err(ReportError::Format {
                path,
                message: format!("unknown kind `{other}` (expected scenario or experiment)"),
            });
        }
        // Older folders have no kind: an experiment writes robustness.csv.
        None if table(dir, "robustness").exists() => Kind::Experiment,
        None => Kind::Scenario,
    };
    let mut name = string("name");
    if name.is_empty() {
        name = string("scenario");
    }
    Ok(Manifest {
        kind,
        name,
        description: string("description"),
        seed: string("seed"),
        replications: v["replications"].as_u64(),
        scenarios: strings("scenarios"),
        policies: strings("policies"),
        samples: v["samples"].as_u64(),
        cells: v["cells"].as_u64(),
        thresholds: strings("thresholds")
            .iter()
            .map(|t| Threshold::parse(t))
            .collect(),
        uncertainties: strings("uncertainties"),
        feedback_loops: v["feedback_loops"]
            .as_object()
            .map(|o| {
                o.iter()
                    .map(|(name, loops)| {
                        let on = loops
                            .as_array()
                            .map(|a| {
                                a.iter()
                                    .filter_map(|x| x.as_str())
                                    .map(str::to_string)
                                    .collect()
                            })
                            .unwrap_or_default();
                        (name.clone(), on)
                    })
                    .collect()
            })
            .unwrap_or_default(),
        sha256: string("scenario_sha256"),
        file: string("scenario_file"),
        version: string("foresight_version"),
        horizon_weeks: v["horizon_weeks"].as_u64(),
        start_date: v["start_date"]
            .as_str()
            .and_then(|d| StartDate::parse(d).ok()),
        currency: v["currency"]
            .as_str()
            .filter(|c| !c.is_empty())
            .unwrap_or("currency")
            .to_string(),
        wall_seconds: v["wall_seconds"].as_f64(),
        summary_written: v["summary"].as_str() != Some("none"),
    })
}

/// A missing file is `Missing`; any other failure to read it is `Io`.
fn read_error(path: &Path, error: std::io::Error) -> ReportError {
    if error.kind() == std::io::ErrorKind::NotFound {
        ReportError::Missing(path.to_path_buf())
    } else {
        ReportError::Io {
            path: path.to_path_buf(),
            error,
        }
    }
}

/// The file of table `stem` in an output folder, CSV or Parquet.
pub fn table(dir: &Path, stem: &str) -> PathBuf {
    crate::output::format::table_path(dir, stem, None)
}

/// A table's file name as the folder holds it (`STEM.parquet` for
/// `STEM.csv` in a Parquet folder).
pub fn shown(dir: &Path, name: &str) -> String {
    match name.strip_suffix(".csv") {
        Some(stem) => table(dir, stem)
            .file_name()
            .map_or_else(|| name.to_string(), |n| n.to_string_lossy().into_owned()),
        None => name.to_string(),
    }
}

fn is_parquet(path: &Path) -> bool {
    path.extension().is_some_and(|e| e == "parquet")
}

fn parquet_error(e: crate::output::parquet::ReadError) -> ReportError {
    match e.io {
        Some(error) => read_error(&e.path, error),
        None => ReportError::Format {
            path: e.path,
            message: e.message,
        },
    }
}

fn read_to_string(path: &Path) -> Result<String, ReportError> {
    std::fs::read_to_string(path).map_err(|e| read_error(path, e))
}

fn open_csv(path: &Path) -> Result<csv::Reader<BufReader<File>>, ReportError> {
    let file = File::open(path).map_err(|e| read_error(path, e))?;
    Ok(csv::ReaderBuilder::new()
        .has_headers(true)
        .from_reader(BufReader::with_capacity(1 << 20, file)))
}

fn csv_error(path: &Path, e: csv::Error) -> ReportError {
    if e.is_io_error() {
        if let csv::ErrorKind::Io(error) = e.into_kind() {
            return ReportError::Io {
                path: path.to_path_buf(),
                error,
            };
        }
        unreachable!("is_io_error implies an Io kind");
    }
    ReportError::Format {
        path: path.to_path_buf(),
        message: e.to_string(),
    }
}

fn column(path: &Path, headers: &[Vec<u8>], name: &str) -> Result<usize, ReportError> {
    headers
        .iter()
        .position(|h| h == name.as_bytes())
        .ok_or_else(|| ReportError::Format {
            path: path.to_path_buf(),
            message: format!("no column `{name}`"),
        })
}

/// An empty field is undefined (NaN).
fn number(path: &Path, line: u64, field: &[u8]) -> Result<f64, ReportError> {
    if field.is_empty() {
        return Ok(f64::NAN);
    }
    std::str::from_utf8(field)
        .ok()
        .and_then(|s| s.trim().parse::<f64>().ok())
        .ok_or_else(|| ReportError::Format {
            path: path.to_path_buf(),
            message: format!(
                "line {line}: `{}` is not a number",
                String::from_utf8_lossy(field)
            ),
        })
}

/// One week of a summary series: the week and p5, p25, p50, p75, p95
/// (NaN where undefined).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Point {
    pub week: f64,
    pub q: [f64; 5],
}

/// The rows of `summary.csv` the report draws.
#[derive(Debug, Default)]
pub struct Summary {
    /// In the manifest's order, then in order of appearance.
    pub scenarios: Vec<String>,
    pub policies: Vec<String>,
    /// National series by (scenario, policy, index in [`FAN_CHARTS`]).
    pub fans: HashMap<(usize, usize, usize), Vec<Point>>,
    /// The heat map's scenario and policy (the reference case).
    pub heat_scenario: String,
    pub heat_policy: String,
    /// Regions in order of appearance, each with (week, p50) of
    /// [`HEATMAP_INDICATOR`].
    pub heat: Vec<(String, Vec<(f64, f64)>)>,
    /// Last week seen plus one.
    pub weeks: f64,
}

fn index_of(names: &mut Vec<String>, name: &[u8]) -> usize {
    if let Some(i) = names.iter().position(|n| n.as_bytes() == name) {
        return i;
    }
    names.push(String::from_utf8_lossy(name).into_owned());
    names.len() - 1
}

/// Stream `summary.csv`, keeping the national rows of the fan-chart
/// indicators and the regional rows of the heat-map indicator for the
/// reference scenario and policy.
pub fn summary(dir: &Path, m: &Manifest) -> Result<Summary, ReportError> {
    let path = table(dir, "summary");
    if !m.summary_written && !path.exists() {
        return Ok(Summary {
            scenarios: m.scenarios.clone(),
            policies: m.policies.clone(),
            ..Summary::default()
        });
    }
    let mut rows = SummaryRows::open(&path)?;
    let headers = rows.headers.clone();
    let c_scenario = column(&path, &headers, "scenario")?;
    let c_policy = column(&path, &headers, "policy")?;
    let c_week = column(&path, &headers, "week")?;
    let c_region = column(&path, &headers, "region")?;
    let c_indicator = column(&path, &headers, "indicator")?;
    let c_q = [
        column(&path, &headers, "p5")?,
        column(&path, &headers, "p25")?,
        column(&path, &headers, "p50")?,
        column(&path, &headers, "p75")?,
        column(&path, &headers, "p95")?,
    ];
    let mut s = Summary {
        scenarios: m.scenarios.clone(),
        policies: m.policies.clone(),
        ..Summary::default()
    };
    // The heat map shows the reference case: the status quo (or the first
    // policy) in the steady or baseline scenario (or the first scenario).
    let prefer = |names: &[String], wanted: &[&str]| {
        wanted
            .iter()
            .find_map(|w| names.iter().find(|n| n == w))
            .or(names.first())
            .cloned()
    };
    let mut heat_pair: Option<(Vec<u8>, Vec<u8>)> = match (
        prefer(&m.scenarios, &["steady", "baseline"]),
        prefer(&m.policies, &["status_quo", "default"]),
    ) {
        (Some(sc), Some(p)) => Some((sc.into_bytes(), p.into_bytes())),
        _ => None,
    };
    let mut heat_index: HashMap<Vec<u8>, usize> = HashMap::new();
    let mut last_week = -1.0f64;
    while let Some((line, rec)) = rows.next()? {
        let field = |i: usize| rec.get(i).map_or(&b""[..], |f| f.as_ref());
        let region = field(c_region);
        let indicator = field(c_indicator);
        let scenario = field(c_scenario);
        let policy = field(c_policy);
        if heat_pair.is_none() {
            heat_pair = Some((scenario.to_vec(), policy.to_vec()));
        }
        if region == b"all" {
            let Some(k) = FAN_CHARTS
                .iter()
                .position(|name| name.as_bytes() == indicator)
            else {
                continue;
            };
            let week = number(&path, line, field(c_week))?;
            let mut q = [f64::NAN; 5];
            for (j, c) in c_q.iter().enumerate() {
                q[j] = number(&path, line, field(*c))?;
            }
            let si = index_of(&mut s.scenarios, scenario);
            let pi = index_of(&mut s.policies, policy);
            last_week = last_week.max(week);
            s.fans
                .entry((si, pi, k))
                .or_default()
                .push(Point { week, q });
        } else if indicator == HEATMAP_INDICATOR.as_bytes()
            && heat_pair
                .as_ref()
                .is_some_and(|(hs, hp)| hs == scenario && hp == policy)
        {
            let week = number(&path, line, field(c_week))?;
            let p50 = number(&path, line, field(c_q[2]))?;
            let r = *heat_index.entry(region.to_vec()).or_insert_with(|| {
                s.heat
                    .push((String::from_utf8_lossy(region).into_owned(), Vec::new()));
                s.heat.len() - 1
            });
            s.heat[r].1.push((week, p50));
        }
    }
    if let Some((hs, hp)) = heat_pair {
        s.heat_scenario = String::from_utf8_lossy(&hs).into_owned();
        s.heat_policy = String::from_utf8_lossy(&hp).into_owned();
    }
    for points in s.fans.values_mut() {
        points.sort_by(|a, b| a.week.total_cmp(&b.week));
    }
    for (_, points) in &mut s.heat {
        points.sort_by(|a, b| a.0.total_cmp(&b.0));
    }
    s.weeks = last_week + 1.0;
    Ok(s)
}

/// The rows of a summary, CSV streamed or Parquet by row group.
struct SummaryRows {
    path: PathBuf,
    headers: Vec<Vec<u8>>,
    source: Source,
}

enum Source {
    Csv(csv::Reader<BufReader<File>>, csv::ByteRecord),
    Parquet(
        crate::output::parquet::ParquetReader,
        Option<crate::output::parquet::Group>,
        usize,
        u64,
    ),
}

impl SummaryRows {
    fn open(path: &Path) -> Result<SummaryRows, ReportError> {
        let (headers, source) = if is_parquet(path) {
            let r = crate::output::parquet::ParquetReader::open(path).map_err(parquet_error)?;
            let headers = r
                .columns()
                .iter()
                .map(|c| c.name.clone().into_bytes())
                .collect();
            (headers, Source::Parquet(r, None, 0, 1))
        } else {
            let mut rdr = open_csv(path)?;
            let h = rdr.byte_headers().map_err(|e| csv_error(path, e))?;
            let headers = h.iter().map(<[u8]>::to_vec).collect();
            (headers, Source::Csv(rdr, csv::ByteRecord::new()))
        };
        Ok(SummaryRows {
            path: path.to_path_buf(),
            headers,
            source,
        })
    }

    /// The next row's line (as in CSV, the header being line 1) and fields.
    #[allow(clippy::type_complexity)]
    fn next(&mut self) -> Result<Option<(u64, Vec<std::borrow::Cow<'_, [u8]>>)>, ReportError> {
        use std::borrow::Cow;
        match &mut self.source {
            Source::Csv(rdr, rec) => match rdr.read_byte_record(rec) {
                Ok(true) => {
                    let line = rec.position().map_or(0, |p| p.line());
                    Ok(Some((line, rec.iter().map(Cow::Borrowed).collect())))
                }
                Ok(false) => Ok(None),
                Err(e) => Err(csv_error(&self.path, e)),
            },
            Source::Parquet(r, group, row, line) => {
                while group.as_ref().is_none_or(|g| *row >= g.rows) {
                    *group = r.next_group().map_err(parquet_error)?;
                    *row = 0;
                    if group.is_none() {
                        return Ok(None);
                    }
                }
                let g = group.as_ref().expect("a group with rows left");
                let fields = (0..self.headers.len())
                    .map(|c| match g.field(c, *row) {
                        Cow::Borrowed(s) => Cow::Owned(s.as_bytes().to_vec()),
                        Cow::Owned(s) => Cow::Owned(s.into_bytes()),
                    })
                    .collect();
                *row += 1;
                *line += 1;
                Ok(Some((*line, fields)))
            }
        }
    }
}

/// A small table (CSV or Parquet) read whole: its header and rows of raw
/// fields (Parquet's numbers written as CSV writes them).
#[derive(Debug, Clone)]
pub struct Table {
    pub path: PathBuf,
    pub headers: Vec<String>,
    pub rows: Vec<Vec<String>>,
}

impl Table {
    pub fn read(path: &Path) -> Result<Table, ReportError> {
        if is_parquet(path) {
            let (headers, rows) = crate::output::parquet::read_text(path).map_err(parquet_error)?;
            return Ok(Table {
                path: path.to_path_buf(),
                headers,
                rows,
            });
        }
        let mut rdr = open_csv(path)?;
        let headers = rdr
            .headers()
            .map_err(|e| csv_error(path, e))?
            .iter()
            .map(str::to_string)
            .collect();
        let mut rows = Vec::new();
        for rec in rdr.records() {
            let rec = rec.map_err(|e| csv_error(path, e))?;
            rows.push(rec.iter().map(str::to_string).collect());
        }
        Ok(Table {
            path: path.to_path_buf(),
            headers,
            rows,
        })
    }

    /// The index of a column, or a format error naming it.
    pub fn col(&self, name: &str) -> Result<usize, ReportError> {
        self.headers
            .iter()
            .position(|h| h == name)
            .ok_or_else(|| ReportError::Format {
                path: self.path.clone(),
                message: format!("no column `{name}`"),
            })
    }

    /// A field parsed as a number: NaN if empty, an error if not a number.
    pub fn num(&self, row: usize, col: usize) -> Result<f64, ReportError> {
        let field = self.rows[row].get(col).map_or("", String::as_str);
        number(&self.path, row as u64 + 2, field.as_bytes())
    }
}
