//! Throughput and memory of one replication, on one thread, in-process
//! after a warm-up (`cargo bench --bench replication`; docs/performance.md):
//!
//! - the bundled baseline (`scenarios/baseline.yaml`, about 125,000
//!   persons over 260 weeks): person-weeks per second, ns per person-week,
//!   replications per second;
//! - the baseline over thirty years (1,560 weeks, the horizon of
//!   `scenarios/families_30y.yaml`): one replication, person-weeks per
//!   second and seconds per replication;
//! - the large scenario (`benches/large.yaml`, about a million persons over
//!   260 weeks at scale 1): the same, and the peak resident memory of the
//!   process per simulated person (`VmHWM` of `/proc/self/status`, reset
//!   before the run through `/proc/self/clear_refs`).
//!
//! A person-week is one person present for one week (departed persons are
//! not counted). Each baseline replication is also timed on its own, and
//! the fastest, median and slowest are shown: on a machine shared with
//! other jobs the speed of a core drifts by tens of percent over seconds,
//! and the median says more than one total. Environment:
//! `FORESIGHT_BENCH_REPS` (baseline replications, default 10; 0 runs the
//! warm-up replication only, for profilers such as callgrind),
//! `FORESIGHT_BENCH_30Y` (0 skips the thirty-year run),
//! `FORESIGHT_BENCH_LARGE` (0 skips the large scenario).

use std::path::Path;
use std::time::Instant;

use foresight::model::indicators as ind;
use foresight::model::{ReplicationKey, ReplicationResult, run_replication};
use foresight::scenario::Scenario;

mod common;
use common::{reset_peak, status_bytes};

fn load(path: &str) -> Scenario {
    foresight::scenario::load(Path::new(path)).unwrap_or_else(|d| panic!("{d}"))
}

/// Everyone who ever arrived or was born, from the last week's legal
/// statuses (every person is counted in exactly one, departed included) and
/// the deceased.
fn persons_simulated(r: &ReplicationResult) -> f64 {
    let s = &r.series;
    let (last, n) = (s.weeks - 1, s.national());
    [
        ind::ASYLUM_SEEKERS,
        ind::RECOGNISED,
        ind::REJECTED,
        ind::RESETTLED,
        ind::RESIDENTS,
        ind::DEPARTED,
        ind::SUBSIDIARY,
        ind::APPEALING,
        ind::TOLERATED,
        ind::DECEASED,
    ]
    .iter()
    .map(|&k| s.get(last, n, k))
    .sum()
}

/// Run `reps` replications one after another; returns the results' person-
/// weeks, the seconds taken, the ns per person-week of each replication,
/// and the last result.
fn run(scenario: &Scenario, reps: u32) -> (f64, f64, Vec<f64>, ReplicationResult) {
    let start = Instant::now();
    let mut person_weeks = 0.0;
    let mut each = Vec::with_capacity(reps as usize);
    let mut last = None;
    for i in 0..reps {
        let one = Instant::now();
        let r = run_replication(scenario, ReplicationKey::new(scenario.seed, i));
        each.push(one.elapsed().as_secs_f64() * 1e9 / r.person_weeks);
        person_weeks += r.person_weeks;
        last = Some(std::hint::black_box(r));
    }
    let secs = start.elapsed().as_secs_f64();
    (
        person_weeks,
        secs,
        each,
        last.expect("at least one replication"),
    )
}

fn report(name: &str, reps: u32, weeks: u32, person_weeks: f64, secs: f64) {
    println!("{name}: {reps} replication(s) of {weeks} weeks on one thread, {secs:.2} s");
    println!("  person-weeks/s   {:.3e}", person_weeks / secs);
    println!("  ns/person-week   {:.1}", secs * 1e9 / person_weeks);
    println!("  replications/s   {:.3}", f64::from(reps) / secs);
}

fn main() {
    let env = |k: &str, d: u32| {
        std::env::var(k)
            .ok()
            .and_then(|v| v.parse().ok())
            .unwrap_or(d)
    };
    let reps = env("FORESIGHT_BENCH_REPS", 10);

    let baseline = load("scenarios/baseline.yaml");
    // Warm-up: one replication (caches, allocator, page faults).
    std::hint::black_box(run_replication(
        &baseline,
        ReplicationKey::new(baseline.seed, 1000),
    ));
    if reps == 0 {
        return;
    }
    let (pw, secs, mut each, _) = run(&baseline, reps);
    report("baseline", reps, baseline.horizon_weeks, pw, secs);
    each.sort_by(f64::total_cmp);
    let median = if each.len() % 2 == 1 {
        each[each.len() / 2]
    } else {
        (each[each.len() / 2 - 1] + each[each.len() / 2]) / 2.0
    };
    println!(
        "  each replication {:.1} / {median:.1} / {:.1} ns/person-week (fastest / median / slowest; median {:.3e} person-weeks/s)",
        each[0],
        each[each.len() - 1],
        1e9 / median
    );

    if env("FORESIGHT_BENCH_30Y", 1) != 0 {
        let mut thirty = baseline.clone();
        thirty.horizon_weeks = 30 * 52;
        let (pw, secs, _, r) = run(&thirty, 1);
        report("baseline, 30 years", 1, thirty.horizon_weeks, pw, secs);
        println!("  persons simulated {:.0}", persons_simulated(&r));
    }

    if env("FORESIGHT_BENCH_LARGE", 1) == 0 {
        return;
    }
    let large = load("benches/large.yaml");
    let before = status_bytes("VmRSS:").unwrap_or(f64::NAN);
    let reset = reset_peak();
    let (pw, secs, _, r) = run(&large, 1);
    report("large", 1, large.horizon_weeks, pw, secs);
    let persons = persons_simulated(&r);
    let peak = status_bytes("VmHWM:").unwrap_or(f64::NAN);
    println!("  persons simulated {persons:.0}");
    println!(
        "  peak RSS         {:.1} MB{}",
        peak / 1e6,
        if reset {
            ""
        } else {
            " (peak not reset: includes the baseline runs)"
        }
    );
    println!(
        "  bytes/person     {:.1} (peak RSS of the process ÷ persons)",
        peak / persons
    );
    println!(
        "  bytes/person     {:.1} (peak RSS above the {:.1} MB resident before the run ÷ persons)",
        (peak - before) / persons,
        before / 1e6
    );
}
