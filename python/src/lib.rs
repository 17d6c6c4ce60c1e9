//! `foresight._foresight`: the engine as a Python extension module. The
//! Python package (`python/foresight/`) wraps it: it turns the column dicts
//! returned here into DataFrames and holds the EMA Workbench connector.
//!
//! Every run happens on a worker thread with the GIL released; the calling
//! thread wakes every 100 ms to let Python see signals, and a Ctrl-C raises
//! the engine's stop flag (cells under way finish, no new cell starts)
//! before `KeyboardInterrupt` is raised.

use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{self, RecvTimeoutError};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use foresight::experiment::batch::{Cell, run_cells};
use foresight::experiment::patch::FieldPath;
use foresight::experiment::stats::STATS;
use foresight::experiment::{self, Experiment, Overrides, Stopped, run_experiment_until};
use foresight::model::indicators::{self, Better};
use foresight::model::{HEADLINES, ReplicationKey, run_replication_observed};
use foresight::output::format::SummaryScope;
use foresight::scenario::Diagnostics;
use numpy::{IntoPyArray, PyArray1, PyArray2, PyArrayMethods};
use pyo3::create_exception;
use pyo3::exceptions::{PyException, PyKeyboardInterrupt, PyValueError};
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyList};
use rayon::prelude::*;
use serde_json::Value;

create_exception!(
    _foresight,
    ForesightError,
    PyException,
    "A scenario or experiment is not valid, or overrides do not fit it. \
     `str(e)` is what `foresight validate` prints; `e.problems` lists each \
     problem as a dict (file, line, column, path, message)."
);

/// How often the calling thread wakes to check for Ctrl-C.
const TICK: Duration = Duration::from_millis(100);

fn diagnostics_error(py: Python<'_>, d: &Diagnostics, with_lines: bool) -> PyErr {
    let err = ForesightError::new_err(d.report());
    let problems = PyList::empty(py);
    for p in &d.problems {
        let item = PyDict::new(py);
        let _ = item.set_item("file", &p.file);
        let _ = item.set_item("line", p.line.filter(|_| with_lines));
        let _ = item.set_item("column", p.column.filter(|_| with_lines));
        let _ = item.set_item("path", &p.path);
        let _ = item.set_item("message", &p.message);
        let _ = problems.append(item);
    }
    let _ = err.value(py).setattr("problems", problems);
    err
}

/// An error not tied to a line of a file (an override, a cell of a batch).
fn plain_error(py: Python<'_>, source: &str, lines: &[String]) -> PyErr {
    let mut text = String::new();
    let problems = PyList::empty(py);
    for l in lines {
        text.push_str(&format!("error: {source}: {l}\n"));
        let item = PyDict::new(py);
        let (path, message) = l.split_once(": ").unwrap_or(("", l));
        let _ = item.set_item("file", source);
        let _ = item.set_item("line", py.None());
        let _ = item.set_item("column", py.None());
        let _ = item.set_item("path", path);
        let _ = item.set_item("message", message);
        let _ = problems.append(item);
    }
    let n = lines.len();
    text.push_str(&format!(
        "{n} problem{} found; nothing was run.",
        if n == 1 { "" } else { "s" }
    ));
    let err = ForesightError::new_err(text);
    let _ = err.value(py).setattr("problems", problems);
    err
}

/// Overrides given as (field path, value as JSON text).
fn parse_sets(sets: &[(String, String)]) -> Result<Vec<(FieldPath, Value)>, Vec<String>> {
    sets.iter()
        .map(|(path, json)| {
            let field = FieldPath::parse(path).map_err(|m| vec![format!("{path}: {m}")])?;
            let value = serde_json::from_str(json).map_err(|e| vec![format!("{path}: {e}")])?;
            Ok((field, value))
        })
        .collect()
}

/// Run `f` on a worker thread (in a pool of `threads` threads if given)
/// with the GIL released, honouring Ctrl-C: `f` is handed the stop flag and
/// returns None when it stopped on it.
fn interruptible<T: Send>(
    py: Python<'_>,
    threads: Option<usize>,
    f: impl FnOnce(&AtomicBool) -> Option<T> + Send,
) -> PyResult<T> {
    let pool = match threads {
        Some(0) => return Err(PyValueError::new_err("threads must be at least 1")),
        Some(n) => Some(
            rayon::ThreadPoolBuilder::new()
                .num_threads(n)
                .build()
                .map_err(|e| PyValueError::new_err(format!("cannot start {n} threads: {e}")))?,
        ),
        None => None,
    };
    let stop = AtomicBool::new(false);
    std::thread::scope(|s| {
        let (tx, rx) = mpsc::channel();
        let (stop, pool) = (&stop, &pool);
        s.spawn(move || {
            let out = match pool {
                Some(p) => p.install(|| f(stop)),
                None => f(stop),
            };
            let _ = tx.send(out);
        });
        let mut rx = Some(rx);
        loop {
            match recv(py, &mut rx) {
                Ok(Some(out)) => return Ok(out),
                Ok(None) => return Err(PyKeyboardInterrupt::new_err("the run was stopped")),
                Err(RecvTimeoutError::Timeout) => {
                    if let Err(e) = py.check_signals() {
                        stop.store(true, Ordering::SeqCst);
                        // Cells under way finish; their results are dropped.
                        let rx = rx.take().expect("the receiver is back");
                        let _ = py.detach(move || rx.recv());
                        return Err(e);
                    }
                }
                // The worker panicked: the scope re-raises its panic.
                Err(RecvTimeoutError::Disconnected) => {
                    return Err(PyException::new_err("the engine stopped unexpectedly"));
                }
            }
        }
    })
}

/// Wait up to [`TICK`] for a message with the GIL released. (A receiver
/// cannot be shared with the released section, only moved there and back.)
fn recv<T: Send>(
    py: Python<'_>,
    slot: &mut Option<mpsc::Receiver<T>>,
) -> Result<T, RecvTimeoutError> {
    let rx = slot.take().expect("the receiver is back");
    let (rx, got) = py.detach(move || {
        let got = rx.recv_timeout(TICK);
        (rx, got)
    });
    *slot = Some(rx);
    got
}

/// A scenario or experiment file, resolved and validated: every
/// configuration built, ready to run.
#[pyclass(frozen, module = "foresight._foresight")]
struct Loaded {
    exp: Arc<Experiment>,
    source: String,
    /// The overrides given at load, applied to every configuration built
    /// later too ([`Loaded::run_cells`]).
    sets: Vec<(FieldPath, Value)>,
}

/// Read and validate a scenario or experiment from a file (`path`) or from
/// text (`text`, named `source` in messages; an experiment's world file is
/// looked for in `base_dir`). `seed` and `replications` replace the file's;
/// `overrides` (field path, value as JSON) replace values in every
/// configuration, after the scenario's, the policy's and the sample's
/// changes.
#[pyfunction]
#[pyo3(signature = (*, path=None, text=None, source="<dict>".to_string(), base_dir=None, seed=None, replications=None, overrides=Vec::new()))]
#[allow(clippy::too_many_arguments)]
fn load(
    py: Python<'_>,
    path: Option<PathBuf>,
    text: Option<String>,
    source: String,
    base_dir: Option<PathBuf>,
    seed: Option<u64>,
    replications: Option<u32>,
    overrides: Vec<(String, String)>,
) -> PyResult<Loaded> {
    let o = Overrides {
        replications,
        seed,
        world_file: None,
    };
    let sets = parse_sets(&overrides).map_err(|m| plain_error(py, "overrides", &m))?;
    let (loaded, source, lines) = py.detach(|| match (&path, &text) {
        (Some(p), None) => (experiment::load_with(p, &o), p.display().to_string(), true),
        (None, Some(t)) => {
            let dir = base_dir.clone().unwrap_or_else(|| PathBuf::from("."));
            (experiment::parse_str(t, &source, &dir, &o), source, false)
        }
        _ => unreachable!("the package passes a path or a text"),
    });
    let mut exp = loaded.map_err(|d| diagnostics_error(py, &d, lines))?;
    if !sets.is_empty() {
        configure_all(&mut exp, &sets).map_err(|m| plain_error(py, &source, &m))?;
    }
    Ok(Loaded {
        exp: Arc::new(exp),
        source,
        sets,
    })
}

/// Build every configuration again with `sets` applied last.
fn configure_all(exp: &mut Experiment, sets: &[(FieldPath, Value)]) -> Result<(), Vec<String>> {
    let (np, ns) = (exp.policies.len(), exp.samples.len());
    let configs = (0..exp.configs.len())
        .into_par_iter()
        .map(|i| {
            let (s, p, k) = (i / (np * ns), i / ns % np, i % ns);
            exp.configure(s, p, &exp.samples[k], sets)
        })
        .collect::<Result<Vec<_>, _>>()?;
    exp.configs = configs;
    Ok(())
}

/// A column of strings as codes into a list of categories.
fn categorical<'py>(
    py: Python<'py>,
    codes: Vec<u32>,
    categories: &[String],
) -> PyResult<Bound<'py, PyAny>> {
    Ok(("category", codes.into_pyarray(py), categories.to_vec())
        .into_pyobject(py)?
        .into_any())
}

fn f64_col<'py>(py: Python<'py>, v: Vec<f64>) -> Bound<'py, PyAny> {
    v.into_pyarray(py).into_any()
}

fn u64_col<'py>(py: Python<'py>, v: Vec<u64>) -> Bound<'py, PyAny> {
    v.into_pyarray(py).into_any()
}

#[pymethods]
impl Loaded {
    #[getter]
    fn name(&self) -> &str {
        &self.exp.name
    }
    #[getter]
    fn description(&self) -> &str {
        &self.exp.description
    }
    #[getter]
    fn source(&self) -> &str {
        &self.source
    }
    /// True for a scenario file, False for an experiment file.
    #[getter]
    fn plain(&self) -> bool {
        self.exp.plain
    }
    #[getter]
    fn seed(&self) -> u64 {
        self.exp.seed
    }
    #[getter]
    fn replications(&self) -> u32 {
        self.exp.replications
    }
    #[getter]
    fn scenarios(&self) -> Vec<String> {
        self.exp.scenarios.clone()
    }
    #[getter]
    fn policies(&self) -> Vec<String> {
        self.exp.policies.clone()
    }
    #[getter]
    fn regions(&self) -> Vec<String> {
        self.exp.region_names.clone()
    }
    #[getter]
    fn horizon_weeks(&self) -> u32 {
        self.exp.horizon_weeks
    }
    #[getter]
    fn cells(&self) -> u64 {
        self.exp.cells()
    }
    /// The weekly indicators' names, in the order of streamed rows.
    #[getter]
    fn indicators(&self) -> Vec<String> {
        indicators::names(self.exp.horizon_weeks)
    }
    /// The uncertainties as JSON (name, field, mode, distribution).
    #[getter]
    fn uncertainties_json(&self) -> String {
        let list: Vec<Value> = self
            .exp
            .uncertainties
            .iter()
            .map(|u| {
                let mut v = serde_json::to_value(u).expect("an uncertainty serialises");
                v["name"] = Value::String(u.label().to_string());
                v
            })
            .collect();
        Value::Array(list).to_string()
    }
    /// The thresholds as JSON.
    #[getter]
    fn thresholds_json(&self) -> String {
        serde_json::to_string(&self.exp.thresholds).expect("thresholds serialise")
    }
    /// The samples of uncertainties: one row per sample, one column per
    /// uncertainty.
    #[getter]
    fn samples<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyArray2<f64>>> {
        let n = self.exp.uncertainties.len();
        let flat: Vec<f64> = self.exp.samples.iter().flatten().copied().collect();
        let a = PyArray1::from_vec(py, flat);
        a.reshape([self.exp.samples.len(), n])
    }

    /// Run every cell in parallel; the tables of the output folder as
    /// columns (numbers as arrays, names as ("category", codes,
    /// categories)).
    #[pyo3(signature = (threads=None))]
    fn run<'py>(&self, py: Python<'py>, threads: Option<usize>) -> PyResult<Bound<'py, PyDict>> {
        let exp = &*self.exp;
        let result = interruptible(py, threads, |stop| {
            match run_experiment_until::<std::convert::Infallible>(
                exp,
                &|| {},
                stop,
                &mut |_, _| Ok(()),
            ) {
                Ok(r) => Some(r),
                Err(Stopped::Interrupted) => None,
                Err(Stopped::Failed(never)) => match never {},
            }
        })?;
        let tables = PyDict::new(py);
        let cell_cols = |d: &Bound<'py, PyDict>| -> PyResult<()> {
            if !exp.plain {
                let sc = result.outcomes.iter().map(|o| o.cell.scenario as u32);
                let po = result.outcomes.iter().map(|o| o.cell.policy as u32);
                d.set_item("scenario", categorical(py, sc.collect(), &exp.scenarios)?)?;
                d.set_item("policy", categorical(py, po.collect(), &exp.policies)?)?;
                let k = result.outcomes.iter().map(|o| o.cell.sample as u64);
                d.set_item("sample", u64_col(py, k.collect()))?;
            }
            let r = result
                .outcomes
                .iter()
                .map(|o| u64::from(o.cell.replication));
            d.set_item("replication", u64_col(py, r.collect()))?;
            Ok(())
        };
        let seeds = || u64_col(py, result.outcomes.iter().map(|o| o.seed).collect());
        let headline_cols = |d: &Bound<'py, PyDict>| -> PyResult<()> {
            for (i, h) in HEADLINES.iter().enumerate() {
                let v: Vec<f64> = result.outcomes.iter().map(|o| o.headline[i]).collect();
                d.set_item(h.name, f64_col(py, v))?;
            }
            Ok(())
        };
        if exp.plain {
            let headline = PyDict::new(py);
            cell_cols(&headline)?;
            headline.set_item("seed", seeds())?;
            headline_cols(&headline)?;
            tables.set_item("headline", headline)?;
        } else {
            let experiments = PyDict::new(py);
            cell_cols(&experiments)?;
            experiments.set_item("seed", seeds())?;
            for (u, unc) in exp.uncertainties.iter().enumerate() {
                let v: Vec<f64> = result
                    .outcomes
                    .iter()
                    .map(|o| exp.samples[o.cell.sample][u])
                    .collect();
                experiments.set_item(unc.label(), f64_col(py, v))?;
            }
            tables.set_item("experiments", experiments)?;
            let outcomes = PyDict::new(py);
            cell_cols(&outcomes)?;
            headline_cols(&outcomes)?;
            tables.set_item("outcomes", outcomes)?;
        }

        // summary.csv's rows, in its order, as `foresight run` writes them
        // by default: every region's and the national rows for a scenario,
        // the national rows alone for an experiment (`--summary`).
        let mut regions = exp.region_names.clone();
        regions.push("all".into());
        let slots = if SummaryScope::default_for(exp.plain).regions() {
            0..regions.len()
        } else {
            regions.len() - 1..regions.len()
        };
        let names = &result.indicator_names;
        let rows: usize = result
            .summaries
            .iter()
            .map(|p| p.weeks * slots.len() * names.len())
            .sum();
        let (mut sc, mut po, mut wk, mut rg, mut ind) = (
            Vec::with_capacity(rows),
            Vec::with_capacity(rows),
            Vec::with_capacity(rows),
            Vec::with_capacity(rows),
            Vec::with_capacity(rows),
        );
        let mut stats: Vec<Vec<f64>> = vec![Vec::with_capacity(rows); STATS.len()];
        for pair in &result.summaries {
            for week in 0..pair.weeks {
                for slot in slots.clone() {
                    for k in 0..names.len() {
                        sc.push(pair.scenario as u32);
                        po.push(pair.policy as u32);
                        wk.push(week as u64);
                        rg.push(slot as u32);
                        ind.push(k as u32);
                        for (col, v) in stats.iter_mut().zip(pair.get(week, slot, k)) {
                            col.push(*v);
                        }
                    }
                }
            }
        }
        let summary = PyDict::new(py);
        summary.set_item("scenario", categorical(py, sc, &exp.scenarios)?)?;
        summary.set_item("policy", categorical(py, po, &exp.policies)?)?;
        summary.set_item("week", u64_col(py, wk))?;
        summary.set_item("region", categorical(py, rg, &regions)?)?;
        summary.set_item("indicator", categorical(py, ind, names)?)?;
        for (name, col) in STATS.iter().zip(stats) {
            summary.set_item(*name, f64_col(py, col))?;
        }
        tables.set_item("summary", summary)?;
        tables.set_item("person_weeks", result.person_weeks)?;
        Ok(tables)
    }

    /// Run a list of cells, each (scenario index, policy index, values of
    /// the uncertainties, overrides as (field path, JSON), sample key,
    /// replication), in parallel. The overrides given at load apply first. Returns (seeds, headlines): one row per
    /// cell, one column per headline indicator. A cell's random streams
    /// depend on the master seed, its scenario's name, its sample key and
    /// replication, as an experiment's cells do.
    #[allow(clippy::type_complexity)]
    #[pyo3(signature = (cells, threads=None))]
    fn run_cells<'py>(
        &self,
        py: Python<'py>,
        cells: Vec<(usize, usize, Vec<f64>, Vec<(String, String)>, u32, u32)>,
        threads: Option<usize>,
    ) -> PyResult<(Bound<'py, PyArray1<u64>>, Bound<'py, PyArray2<f64>>)> {
        let exp = &*self.exp;
        for (i, c) in cells.iter().enumerate() {
            if c.0 >= exp.scenarios.len() || c.1 >= exp.policies.len() {
                return Err(PyValueError::new_err(format!(
                    "cell {i}: scenario {} or policy {} out of range",
                    c.0, c.1
                )));
            }
        }
        let built = py.detach(|| {
            cells
                .par_iter()
                .enumerate()
                .map(|(i, (s, p, sample, sets, _, _))| {
                    let mut sets = parse_sets(sets)?;
                    sets.splice(0..0, self.sets.iter().cloned());
                    exp.configure(*s, *p, sample, &sets).map_err(|m| {
                        m.into_iter()
                            .map(|l| format!("cell {i}: {l}"))
                            .collect::<Vec<_>>()
                    })
                })
                .collect::<Result<Vec<_>, _>>()
        });
        let configs = built.map_err(|m| plain_error(py, &self.source, &m))?;
        let batch: Vec<Cell> = cells
            .iter()
            .zip(&configs)
            .map(|((s, _, _, _, key, rep), config)| Cell {
                config,
                key: ReplicationKey {
                    master_seed: exp.seed,
                    scenario: exp.stream_scenario(*s).to_string(),
                    sample: *key,
                    replication: *rep,
                },
            })
            .collect();
        let results = interruptible(py, threads, |stop| {
            run_cells(&batch, &|| {}, Some(stop), &|_, r| (r.seed, r.headline))
        })?;
        let seeds: Vec<u64> = results.iter().map(|r| r.0).collect();
        let flat: Vec<f64> = results.iter().flat_map(|r| r.1.iter().copied()).collect();
        let rows = results.len();
        Ok((
            seeds.into_pyarray(py),
            PyArray1::from_vec(py, flat).reshape([rows, HEADLINES.len()])?,
        ))
    }

    /// Start one replication of (scenario, policy, sample) on a worker
    /// thread; the returned iterator gives each week's rows as it is
    /// simulated.
    fn stream(&self, scenario: usize, policy: usize, sample: usize, replication: u32) -> Stream {
        let exp = self.exp.clone();
        let (tx, rx) = mpsc::sync_channel(4);
        let slots = exp.region_names.len() + 1;
        let n = indicators::count_for(exp.horizon_weeks);
        std::thread::spawn(move || {
            let config = exp.config(scenario, policy, sample);
            let key = ReplicationKey {
                master_seed: exp.seed,
                scenario: exp.stream_scenario(scenario).to_string(),
                sample: sample as u32,
                replication,
            };
            let mut open = true;
            let r = run_replication_observed(config, key, &mut |week, series| {
                if !open {
                    return;
                }
                let mut rows = Vec::with_capacity(slots * n);
                for slot in 0..slots {
                    rows.extend((0..n).map(|k| series.get(week, slot, k)));
                }
                // The reader is gone: finish quietly.
                open = tx.send(Message::Week(week, rows)).is_ok();
            });
            let _ = tx.send(Message::Done(r.seed, r.headline));
        });
        Stream {
            rx: Mutex::new(Some(rx)),
            slots,
            indicators: n,
            end: Mutex::new(None),
        }
    }
}

enum Message {
    Week(usize, Vec<f64>),
    Done(u64, Vec<f64>),
}

/// One replication's weeks as they are simulated: iterating gives (week,
/// array of regions and "all" × weekly indicators).
#[pyclass(module = "foresight._foresight")]
struct Stream {
    rx: Mutex<Option<mpsc::Receiver<Message>>>,
    slots: usize,
    indicators: usize,
    end: Mutex<Option<(u64, Vec<f64>)>>,
}

#[pymethods]
impl Stream {
    fn __iter__(slf: PyRef<'_, Self>) -> PyRef<'_, Self> {
        slf
    }

    fn __next__<'py>(
        &self,
        py: Python<'py>,
    ) -> PyResult<Option<(usize, Bound<'py, PyArray2<f64>>)>> {
        let mut rx = self.rx.lock().expect("one reader at a time");
        loop {
            match recv(py, &mut rx) {
                Ok(Message::Week(week, rows)) => {
                    let a = PyArray1::from_vec(py, rows).reshape([self.slots, self.indicators])?;
                    return Ok(Some((week, a)));
                }
                Ok(Message::Done(seed, headline)) => {
                    *self.end.lock().expect("not poisoned") = Some((seed, headline));
                }
                Err(RecvTimeoutError::Timeout) => py.check_signals()?,
                Err(RecvTimeoutError::Disconnected) => return Ok(None),
            }
        }
    }

    /// (seed, headline values) once every week has been read, else None.
    #[getter]
    fn result(&self) -> Option<(u64, Vec<f64>)> {
        self.end.lock().expect("not poisoned").clone()
    }
}

/// The headline indicators: (name, better: "lower", "higher" or "",
/// label), in the order of the columns of `run_cells`.
#[pyfunction]
fn headlines() -> Vec<(&'static str, &'static str, &'static str)> {
    HEADLINES
        .iter()
        .map(|h| {
            let better = match h.better {
                Better::Lower => "lower",
                Better::Higher => "higher",
                Better::NotJudged => "",
            };
            (h.name, better, h.label)
        })
        .collect()
}

#[pymodule]
fn _foresight(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add("ForesightError", m.py().get_type::<ForesightError>())?;
    m.add("VERSION", foresight::VERSION)?;
    m.add_class::<Loaded>()?;
    m.add_class::<Stream>()?;
    m.add_function(wrap_pyfunction!(load, m)?)?;
    m.add_function(wrap_pyfunction!(headlines, m)?)?;
    Ok(())
}
