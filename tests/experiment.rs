//! Experiments: byte-identical results whatever the thread count and the
//! order of policies in the file; adding a policy leaves the others'
//! results unchanged; summaries match a direct computation; sampling designs
//! are correct; regret and satisficing agree with first principles; the
//! bundled experiment runs end to end.

#[allow(dead_code)] // not every test file uses all of it
mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

use foresight::experiment::design::{quantile, sample};
use foresight::experiment::robustness::cell_regrets;
use foresight::experiment::stats::type7;
use foresight::experiment::*;
use foresight::model::indicators::{Better, headline};
use foresight::model::{HEADLINES, ReplicationResult};

const POLICIES: &[&str] = &[
    r#"  - name: status_quo"#,
    r#"  - name: day_one
    levers: {integration_from_day_one: true, early_work_access_weeks: 4}"#,
    r#"  - name: more_seats
    capacities:
      - {name: North, services: {language: {seats: 120}}}
      - {name: South, reception_places: 400}"#,
];

/// `--format csv` for a run that does not choose its format: these tests
/// read the CSV tables, which experiments no longer write by default.
fn csv_unless_chosen(args: &[&str]) -> &'static [&'static str] {
    if args.first() == Some(&"run") && !args.contains(&"--format") {
        &["--format", "csv"]
    } else {
        &[]
    }
}
fn experiment(policies: &[&str]) -> String {
    format!(
        r#"
experiment: small
world: world.yaml
seed: 4
replications: 3
scenarios:
  - name: steady
  - name: surge
    changes:
      arrivals:
        surges: [{{start_week: 5, length_weeks: 10, peak_multiplier: 3}}]
policies:
{}
uncertainties:
  - {{name: rate, field: arrivals.weekly_rate, mode: multiply, distribution: {{uniform: {{low: 0.5, high: 1.5}}}}}}
  - {{name: b_recognition, field: "arrivals.origin_groups[b].recognition_probability", distribution: {{triangular: {{low: 0.1, mode: 0.3, high: 0.6}}}}}}
sampling: {{design: latin_hypercube, samples: 3}}
thresholds:
  - {{indicator: language_wait_worst_region_weeks, below: 4}}
  - {{indicator: employment_rate_final, at_least: 0.02}}
"#,
        policies.join("\n")
    )
}

fn write_files(dir: &Path, policies: &[&str]) -> PathBuf {
    std::fs::write(dir.join("world.yaml"), common::WORLD).unwrap();
    let file = dir.join("experiment.yaml");
    std::fs::write(&file, experiment(policies)).unwrap();
    file
}

fn foresight(args: &[&str]) -> std::process::Output {
    let o = Command::new(env!("CARGO_BIN_EXE_foresight"))
        .args(args)
        .args(csv_unless_chosen(args))
        .output()
        .unwrap();
    assert!(
        o.status.success(),
        "foresight {args:?} failed:\n{}",
        String::from_utf8_lossy(&o.stderr)
    );
    o
}

fn read(dir: &Path, name: &str) -> String {
    std::fs::read_to_string(dir.join(name))
        .unwrap_or_else(|e| panic!("{}: {e}", dir.join(name).display()))
}

const FILES: [&str; 8] = [
    "summary.csv",
    "cost_benefit.csv",
    "experiments.csv",
    "outcomes.csv",
    "robustness.csv",
    "robustness_metrics.csv",
    "satisficing.csv",
    "failures.csv",
];

#[test]
fn results_are_identical_across_threads_and_policy_order() {
    let tmp = tempfile::tempdir().unwrap();
    let a = tmp.path().join("a");
    let b = tmp.path().join("b");
    std::fs::create_dir_all(&a).unwrap();
    std::fs::create_dir_all(&b).unwrap();
    let fa = write_files(&a, POLICIES);
    let reversed: Vec<&str> = POLICIES.iter().rev().copied().collect();
    let fb = write_files(&b, &reversed);
    let out1 = tmp.path().join("one_thread");
    let out2 = tmp.path().join("two_threads_reversed");
    foresight(&[
        "run",
        fa.to_str().unwrap(),
        "--threads",
        "1",
        "--out",
        out1.to_str().unwrap(),
    ]);
    let o = foresight(&[
        "run",
        fb.to_str().unwrap(),
        "--threads",
        "2",
        "--out",
        out2.to_str().unwrap(),
    ]);
    for f in FILES {
        assert_eq!(read(&out1, f), read(&out2, f), "{f} differs");
    }
    // The terminal shows the robustness table.
    let stdout = String::from_utf8_lossy(&o.stdout);
    assert!(
        stdout.contains("satisficing") && stdout.contains("more_seats"),
        "{stdout}"
    );
    // Tidy tables, one row per cell.
    let outcomes = read(&out1, "outcomes.csv");
    assert_eq!(outcomes.lines().count(), 1 + 2 * 3 * 3 * 3);
    assert!(outcomes.starts_with("scenario,policy,sample,replication,arrivals_total,"));
    let experiments = read(&out1, "experiments.csv");
    assert!(
        experiments.starts_with("scenario,policy,sample,replication,seed,rate,b_recognition\n")
    );
}

#[test]
fn adding_a_policy_leaves_the_others_unchanged() {
    let tmp = tempfile::tempdir().unwrap();
    let two = write_files(&tmp.path().join("x").tap_mkdir(), &POLICIES[..2]);
    let three = write_files(&tmp.path().join("y").tap_mkdir(), POLICIES);
    let e2 = load(&two).unwrap();
    let e3 = load(&three).unwrap();
    let r2 = run(&e2);
    let r3 = run(&e3);
    for o in &r2.outcomes {
        let policy = &e2.policies[o.cell.policy];
        let p3 = e3.policies.iter().position(|p| p == policy).unwrap();
        let same = r3
            .outcomes
            .iter()
            .find(|x| {
                x.cell.policy == p3
                    && x.cell.scenario == o.cell.scenario
                    && x.cell.sample == o.cell.sample
                    && x.cell.replication == o.cell.replication
            })
            .unwrap();
        assert_eq!(o.seed, same.seed);
        let bits = |v: &[f64]| v.iter().map(|x| x.to_bits()).collect::<Vec<_>>();
        assert_eq!(
            bits(&o.headline),
            bits(&same.headline),
            "policy {policy} changed"
        );
    }
}

trait TapMkdir {
    fn tap_mkdir(self) -> Self;
}
impl TapMkdir for PathBuf {
    fn tap_mkdir(self) -> Self {
        std::fs::create_dir_all(&self).unwrap();
        self
    }
}

fn run(exp: &Experiment) -> ExperimentResult {
    run_experiment::<std::convert::Infallible>(exp, &|| {}, &mut |_, _| Ok(())).unwrap()
}

#[test]
fn summaries_match_a_direct_computation() {
    let tmp = tempfile::tempdir().unwrap();
    let file = write_files(tmp.path(), POLICIES);
    let exp = load(&file).unwrap();
    let mut kept: Vec<(CellId, ReplicationResult)> = Vec::new();
    let result = run_experiment::<std::convert::Infallible>(&exp, &|| {}, &mut |c, r| {
        kept.push((*c, r.clone()));
        Ok(())
    })
    .unwrap();
    let pair = &result.summaries[0];
    assert_eq!((pair.scenario, pair.policy), (0, 0));
    let series: Vec<&ReplicationResult> = kept
        .iter()
        .filter(|(c, _)| c.scenario == 0 && c.policy == 0)
        .map(|(_, r)| r)
        .collect();
    assert_eq!(series.len(), 9);
    let mut checked = 0;
    for week in [0, 7, 29] {
        for slot in 0..pair.slots {
            for k in 0..pair.indicators {
                let mut v: Vec<f64> = series
                    .iter()
                    .map(|r| r.series.get(week, slot, k))
                    .filter(|x| !x.is_nan())
                    .collect();
                let stats = pair.get(week, slot, k);
                assert_eq!(stats[0], v.len() as f64);
                if v.is_empty() {
                    continue;
                }
                v.sort_by(f64::total_cmp);
                let n = v.len() as f64;
                let mean = v.iter().sum::<f64>() / n;
                let close = |a: f64, b: f64| (a - b).abs() <= 1e-9 * (1.0 + b.abs());
                assert!(close(stats[1], mean), "mean {} vs {mean}", stats[1]);
                if v.len() > 1 {
                    let sd = (v.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / (n - 1.0)).sqrt();
                    assert!(close(stats[2], sd), "sd {} vs {sd}", stats[2]);
                }
                // Exact percentiles (type 7) while replications ≤ 64.
                for (i, q) in [0.05, 0.25, 0.5, 0.75, 0.95].into_iter().enumerate() {
                    assert_eq!(stats[3 + i], type7(&v, q));
                }
                checked += 1;
            }
        }
    }
    assert!(checked > 100);
}

#[test]
fn latin_hypercube_puts_one_sample_in_each_stratum() {
    let yaml = r#"
- {field: a, distribution: {uniform: {low: 0, high: 1}}}
- {field: b, distribution: {uniform: {low: 10, high: 20}}}
- {field: c, distribution: {normal: {mean: 0, sd: 1}}}
"#;
    let us: Vec<Uncertainty> = serde_saphyr::from_str(yaml).unwrap();
    for n in [1usize, 7, 50] {
        let sampling = Sampling {
            design: Design::LatinHypercube,
            samples: n as u32,
            levels: None,
        };
        let points = sample(&us, &sampling, 123);
        assert_eq!(points.len(), n);
        for (d, u) in us.iter().enumerate() {
            // Map each value back to its probability stratum.
            let mut seen = vec![false; n];
            for p in &points {
                let prob = match &u.distribution {
                    Distribution::Uniform { low, high } => (p[d] - low) / (high - low),
                    Distribution::Normal { .. } => {
                        // Invert by bisection on the quantile function.
                        let (mut lo, mut hi) = (0.0, 1.0);
                        for _ in 0..60 {
                            let mid = (lo + hi) / 2.0;
                            if quantile(&u.distribution, mid) < p[d] {
                                lo = mid
                            } else {
                                hi = mid
                            }
                        }
                        lo
                    }
                    _ => unreachable!(),
                };
                let stratum = ((prob * n as f64).floor() as usize).min(n - 1);
                assert!(
                    !seen[stratum],
                    "dimension {d}: two samples in stratum {stratum} of {n}"
                );
                seen[stratum] = true;
            }
            assert!(seen.iter().all(|s| *s));
        }
    }
}

#[test]
fn full_factorial_covers_every_combination_once() {
    let yaml = r#"
- {field: a, distribution: {discrete: {values: [1, 2, 3]}}}
- {field: b, distribution: {discrete: {values: [10, 20]}}}
- {field: c, distribution: {discrete: {values: [0.5, 0.7]}}}
"#;
    let us: Vec<Uncertainty> = serde_saphyr::from_str(yaml).unwrap();
    let points = sample(
        &us,
        &Sampling {
            design: Design::FullFactorial,
            samples: 1,
            levels: None,
        },
        1,
    );
    assert_eq!(points.len(), 12);
    let mut keys: Vec<String> = points.iter().map(|p| format!("{p:?}")).collect();
    keys.sort();
    keys.dedup();
    assert_eq!(keys.len(), 12, "every combination exactly once");
}

#[test]
fn regret_is_zero_for_the_best_policy_and_satisficing_matches_a_direct_count() {
    let tmp = tempfile::tempdir().unwrap();
    let file = write_files(tmp.path(), POLICIES);
    let exp = load(&file).unwrap();
    let result = run(&exp);
    let judged = judge(&exp, &result.outcomes);
    for (h, indicator) in HEADLINES.iter().enumerate() {
        if indicator.better == Better::NotJudged {
            continue;
        }
        let name = indicator.name;
        for regrets in cell_regrets(&exp, &result.outcomes, h) {
            let defined: Vec<f64> = regrets.iter().copied().filter(|x| !x.is_nan()).collect();
            if defined.is_empty() {
                continue;
            }
            let best = defined.iter().copied().fold(f64::INFINITY, f64::min);
            assert_eq!(best, 0.0, "{name}: the best policy's regret is 0");
            assert!(defined.iter().all(|r| *r >= 0.0));
        }
    }
    // Satisficing share against a direct count.
    let wait = headline::position("language_wait_worst_region_weeks").unwrap();
    let employment = headline::position("employment_rate_final").unwrap();
    for p in 0..exp.policies.len() {
        let cells: Vec<_> = result
            .outcomes
            .iter()
            .filter(|o| o.cell.policy == p)
            .collect();
        let ok = cells
            .iter()
            .filter(|o| o.headline[wait] < 4.0 && o.headline[employment] >= 0.02)
            .count();
        let share = judged
            .satisficing
            .iter()
            .find(|s| s.policy == p && s.scenario.is_none())
            .unwrap();
        assert_eq!(share.cells, cells.len());
        assert_eq!(
            share.share,
            ok as f64 / cells.len() as f64,
            "policy {}",
            exp.policies[p]
        );
    }
}

#[test]
fn invalid_experiments_name_the_field() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    std::fs::write(dir.join("world.yaml"), common::WORLD).unwrap();
    let cases = [
        (
            experiment(&[r#"  - name: typo
    levers: {integration_from_day_on: true}"#]),
            "policies[0].levers",
            "integration_from_day_on",
        ),
        (
            experiment(POLICIES).replace(
                "changes:\n      arrivals:",
                "changes:\n      policy: {residence_rule_weeks: 3}\n      arrivals:",
            ),
            "scenarios[1].changes.policy",
            "may not change",
        ),
        (
            experiment(POLICIES).replace(
                "language_wait_worst_region_weeks, below: 4",
                "language_wait, below: 4",
            ),
            "thresholds[0].indicator",
            "unknown headline indicator",
        ),
        (
            experiment(POLICIES).replace("design: latin_hypercube", "design: full_factorial"),
            "uncertainties[0].distribution",
            "full factorial",
        ),
        (
            experiment(POLICIES).replace("origin_groups[b]", "origin_groups[z]"),
            "uncertainties[1].field",
            "no item named 'z'",
        ),
        (
            experiment(POLICIES).replace(
                "{name: South, reception_places: 400}",
                "{name: Nowhere, reception_places: 400}",
            ),
            "policies[2].capacities[1].name",
            "unknown region",
        ),
        (
            experiment(POLICIES).replace("low: 0.5, high: 1.5", "low: 3, high: 1.5"),
            "uncertainties[0].distribution",
            "low ≤ high",
        ),
        (
            // A sampled value that makes a configuration invalid.
            experiment(POLICIES).replace(
                "low: 0.1, mode: 0.3, high: 0.6",
                "low: 1.1, mode: 1.3, high: 1.6",
            ),
            "uncertainties[1]",
            "recognition_probability",
        ),
    ];
    for (i, (yaml, path, fragment)) in cases.iter().enumerate() {
        let file = dir.join(format!("bad{i}.yaml"));
        std::fs::write(&file, yaml).unwrap();
        let o = Command::new(env!("CARGO_BIN_EXE_foresight"))
            .args([
                "run",
                file.to_str().unwrap(),
                "--out",
                dir.join(format!("out{i}")).to_str().unwrap(),
            ])
            .output()
            .unwrap();
        let err = String::from_utf8_lossy(&o.stderr);
        assert_eq!(o.status.code(), Some(2), "case {i}: {err}");
        assert!(
            err.contains(&format!(": {path}")),
            "case {i}: expected path {path}:\n{err}"
        );
        assert!(
            err.contains(fragment),
            "case {i}: expected '{fragment}':\n{err}"
        );
        assert!(
            !dir.join(format!("out{i}")).exists(),
            "case {i}: nothing may be written"
        );
    }
}

#[test]
fn the_bundled_experiment_runs_end_to_end() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("bundled");
    let o = foresight(&[
        "run",
        "scenarios/experiment.yaml",
        "--replications",
        "1",
        "--out",
        out.to_str().unwrap(),
    ]);
    let stdout = String::from_utf8_lossy(&o.stdout);
    let exp = load(Path::new("scenarios/experiment.yaml")).unwrap();
    assert!(exp.scenarios.len() >= 3 && exp.policies.len() >= 3);
    for p in &exp.policies {
        assert!(
            stdout.contains(p.as_str()),
            "{p} missing from the table:\n{stdout}"
        );
    }
    for f in FILES {
        assert!(out.join(f).exists(), "{f}");
    }
    let satisficing = read(&out, "satisficing.csv");
    assert_eq!(
        satisficing.lines().count(),
        1 + exp.policies.len() * (exp.scenarios.len() + 1)
    );

    // The report of the same folder: every chart, and table numbers equal to the CSVs.
    let html = foresight::report::render(&out).unwrap();
    assert!(
        html.len() < 5 * 1024 * 1024,
        "report is {} bytes",
        html.len()
    );
    assert!(!html.contains("<script"), "no JavaScript");
    for s in &exp.scenarios {
        for indicator in foresight::report::FAN_CHARTS {
            assert!(
                html.contains(&format!("id=\"fan-{s}-{indicator}\"")),
                "fan chart {s}/{indicator}"
            );
        }
    }
    // An experiment's summary is national by default: no regional heat map,
    // and a note saying how to have one.
    assert!(html.contains("--summary regions"));
    let summary = read(&out, "summary.csv");
    assert!(
        summary
            .lines()
            .skip(1)
            .all(|l| l.split(',').nth(3) == Some("all")),
        "only national rows by default"
    );
    let start = html.find("id=\"robustness\"").expect("robustness table");
    let table = &html[start..start + html[start..].find("</table>").unwrap()];
    let csv_fields: std::collections::HashSet<String> =
        [read(&out, "robustness.csv"), satisficing.clone()]
            .iter()
            .flat_map(|t| {
                t.lines()
                    .skip(1)
                    .flat_map(|l| l.split(',').map(str::to_string).collect::<Vec<_>>())
            })
            .collect();
    let values: Vec<&str> = table
        .split("data-value=\"")
        .skip(1)
        .map(|v| &v[..v.find('"').unwrap()])
        .collect();
    assert!(
        values.len() >= exp.policies.len() * 4,
        "{} numbers in the table",
        values.len()
    );
    for v in &values {
        assert!(
            csv_fields.contains(*v),
            "table value {v} is not in the CSVs"
        );
    }
    // The cost-benefit table's numbers are cost_benefit.csv's.
    let start = html
        .find("id=\"cost-benefit\"")
        .expect("cost-benefit table");
    let table = &html[start..start + html[start..].find("</table>").unwrap()];
    let cb = read(&out, "cost_benefit.csv");
    let cb_fields: std::collections::HashSet<&str> =
        cb.lines().skip(1).flat_map(|l| l.split(',')).collect();
    let cb_values: Vec<&str> = table
        .split("data-value=\"")
        .skip(1)
        .map(|v| &v[..v.find('"').unwrap()])
        .collect();
    assert!(cb_values.len() >= exp.policies.len() * exp.scenarios.len() * 8);
    for v in &cb_values {
        assert!(
            cb_fields.contains(v),
            "cost-benefit value {v} is not in the CSV"
        );
    }
    // Money totals read in millions, money per person-year in units.
    assert!(table.contains("NPV against reference, mean <span class=\"u\">(million EUR)</span>"));
    assert!(table.contains("cost per employment year <span class=\"u\">(EUR)</span>"));
    let first_npv = cb
        .lines()
        .find(|l| l.split(',').nth(4) == Some("npv_vs_reference") && !l.contains(",0,0,0,"))
        .and_then(|l| l.split(',').nth(6))
        .expect("an npv_vs_reference row");
    let v: f64 = first_npv.parse().unwrap();
    let cell = format!("data-value=\"{first_npv}\">");
    let shown = &table[table.find(&cell).unwrap() + cell.len()..];
    let shown: String = shown[..shown.find('<').unwrap()].replace(['−', ','], "");
    let shown: f64 = shown.parse().unwrap();
    assert!(
        (shown.abs() - (v / 1e6).abs()).abs() <= 0.5,
        "{first_npv} is shown as {shown} million"
    );
    // Its charts: per scenario, a dot per policy but the reference for the
    // net present value, and the cumulative net over time.
    let reference = cb.lines().nth(1).unwrap().split(',').nth(2).unwrap();
    for scenario in &exp.scenarios {
        let start = html
            .find(&format!("id=\"npv-{scenario}\""))
            .unwrap_or_else(|| panic!("no net present value chart for {scenario}"));
        let chart = &html[start..start + html[start..].find("</svg>").unwrap()];
        assert_eq!(chart.matches("<circle").count(), exp.policies.len() - 1);
        assert!(!chart.contains(&format!(">{reference}</text>")));
        assert!(html.contains(&format!("id=\"cumulative-net-{scenario}\"")));
    }
    // Each policy's overall satisficing share is in the table.
    for line in satisficing
        .lines()
        .skip(1)
        .filter(|l| l.split(',').nth(1) == Some("all"))
    {
        let share = line.rsplit(',').next().unwrap();
        assert!(
            values.contains(&share),
            "satisficing share {share} missing: {line}"
        );
    }
}

#[test]
fn an_experiment_can_be_built_and_run_from_rust() {
    let world = foresight::scenario::parse_str(common::WORLD, "world.yaml").unwrap();
    let file = ExperimentFile {
        experiment: "from_rust".into(),
        description: String::new(),
        world: WorldSource::Inline(serde_json::to_value(&world).unwrap()),
        seed: Some(1),
        replications: 2,
        scenarios: Vec::new(),
        policies: vec![
            PolicySpec {
                name: "a".into(),
                description: String::new(),
                levers: serde_json::json!({}),
                capacities: Vec::new(),
            },
            PolicySpec {
                name: "b".into(),
                description: String::new(),
                levers: serde_json::json!({"move_on": {"period_weeks": 8}}),
                capacities: Vec::new(),
            },
        ],
        uncertainties: Vec::new(),
        sampling: Sampling::default(),
        thresholds: Vec::new(),
    };
    let exp = Experiment::new(file).unwrap();
    assert_eq!(exp.scenarios, ["baseline"]);
    assert_eq!(exp.config(0, 1, 0).policy.move_on.period_weeks, 8);
    let result = run(&exp);
    assert_eq!(result.outcomes.len(), 4);
    assert_eq!(result.summaries.len(), 2);
    let judged = judge(&exp, &result.outcomes);
    assert_eq!(judged.indicators.len(), 2 * HEADLINES.len());
}

/// An experiment of relative levers: `all` regions and multipliers, in a
/// policy and in a scenario, beside the same capacities written out.
const RELATIVE: &str = r#"
experiment: relative
world: world.yaml
seed: 4
replications: 2
scenarios:
  - name: steady
  - name: cuts
    changes:
      regions:
        - {name: all, services: {language: {seats: {multiplier: 0.5}}}}
      arrivals: {weekly_rate: {multiplier: 1.2}}
policies:
  - name: relative
    capacities:
      - {name: all, services: {language: {seats: {multiplier: 1.5}}}}
      - {name: South, reception_places: {multiplier: 2}}
  - name: written_out
    capacities:
      - {name: North, services: {language: {seats: 60}}}
      - {name: South, reception_places: 200, services: {language: {seats: 30}}}
"#;

#[test]
fn relative_levers_scale_each_scenarios_values_and_run_as_written_out() {
    let tmp = tempfile::tempdir().unwrap();
    std::fs::write(tmp.path().join("world.yaml"), common::WORLD).unwrap();
    let file = tmp.path().join("relative.yaml");
    std::fs::write(&file, RELATIVE).unwrap();
    let exp = load(&file).unwrap();
    assert_eq!(exp.scenarios, ["cuts", "steady"]);
    assert_eq!(exp.policies, ["relative", "written_out"]);
    let seats = |s: usize, p: usize| -> Vec<u32> {
        let c = exp.config(s, p, 0);
        c.regions
            .iter()
            .map(|r| r.services.language.seats)
            .collect()
    };
    // North 40 and South 20 seats: halved by `cuts`, then × 1.5.
    assert_eq!(seats(1, 0), [60, 30]);
    assert_eq!(seats(0, 0), [30, 15]);
    assert_eq!(seats(0, 1), [60, 30], "a written-out number replaces");
    let c = exp.config(1, 0, 0);
    assert_eq!(
        (c.regions[0].reception_places, c.regions[1].reception_places),
        (300, 200)
    );
    assert_eq!(c.regions[0].services.coaching.seats, 10, "untouched");
    assert!((exp.config(0, 0, 0).arrivals.weekly_rate.at(0) - 60.0).abs() < 1e-9);
    // In `steady` the two policies are the same world, so with common
    // random numbers they give the same outcomes.
    let result = run(&exp);
    let outcomes = |p: usize| -> Vec<Vec<u64>> {
        result
            .outcomes
            .iter()
            .filter(|o| o.cell.scenario == 1 && o.cell.policy == p)
            .map(|o| o.headline.iter().map(|v| v.to_bits()).collect())
            .collect()
    };
    assert_eq!(outcomes(0).len(), 2);
    assert_eq!(outcomes(0), outcomes(1));
}

#[test]
fn relative_levers_that_cannot_apply_are_refused_where_written() {
    let tmp = tempfile::tempdir().unwrap();
    std::fs::write(tmp.path().join("world.yaml"), common::WORLD).unwrap();
    let cases = [
        (
            "{name: South, reception_places: {multiplier: 2}}",
            "{name: South, reception_places: {multiplier: -2}}",
            "policies[0].capacities[1].reception_places",
            "a multiplier is a number, 0 or more",
        ),
        (
            "arrivals: {weekly_rate: {multiplier: 1.2}}",
            "arrivals: {surges: {multiplier: 1.2}}",
            "scenarios[1].changes.arrivals.surges",
            "the world's value here is not one",
        ),
        (
            "{name: all, services: {language: {seats: {multiplier: 1.5}}}}",
            "{name: all, services: {language: {seats: {multiplier: 1.5}}}, jobs: {low: 1}}",
            "policies[0].capacities[0].jobs",
            "not `jobs`",
        ),
        (
            "{name: South, reception_places: {multiplier: 2}}",
            "{name: South, reception_places: {multiplier: 2e10}}",
            "policies[0].capacities[1].reception_places",
            "whole number",
        ),
    ];
    for (i, (from, to, path, fragment)) in cases.iter().enumerate() {
        let yaml = RELATIVE.replace(from, to);
        assert_ne!(yaml, RELATIVE, "case {i}");
        let file = tmp.path().join(format!("bad{i}.yaml"));
        std::fs::write(&file, &yaml).unwrap();
        let o = Command::new(env!("CARGO_BIN_EXE_foresight"))
            .args(["validate", file.to_str().unwrap()])
            .output()
            .unwrap();
        let err = String::from_utf8_lossy(&o.stderr);
        assert_eq!(o.status.code(), Some(2), "case {i}: {err}");
        assert!(
            err.contains(&format!(": {path}: ")) && err.contains(fragment),
            "case {i}: expected {path}: …{fragment}…:\n{err}"
        );
        assert!(!err.contains("serde") && !err.contains("u32"), "{err}");
    }
}
