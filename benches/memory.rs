//! Memory of an experiment as its replications grow
//! (`cargo bench --bench memory`; docs/performance.md): the bundled
//! baseline run as a plain experiment of 100, 1,000 and 10,000
//! replications through `foresight::experiment::run_experiment` on all
//! threads, and the peak resident memory of the process for each
//! (`VmHWM` of `/proc/self/status`, reset before each run through
//! `/proc/self/clear_refs`).
//!
//! What an experiment keeps grows with its series points (weeks × regions
//! × indicators) and, if unbounded, with replications; not with persons,
//! which live only inside the replication being run. So that 10,000
//! replications take minutes rather than hours, the baseline runs at scale
//! 100 (one agent for 100 persons): the same 260 weeks, regions and
//! indicators (the same 200,200 series points, each summarised over every
//! replication), with a hundredth of the agents.
//!
//! Environment: `FORESIGHT_BENCH_MEMORY_REPS` (comma-separated, default
//! `100,1000,10000`), `FORESIGHT_BENCH_MEMORY_SCALE` (default 100),
//! `FORESIGHT_BENCH_THREADS` (default: the machine's logical cores).

use std::path::Path;
use std::time::Instant;

use foresight::experiment::{Experiment, run_experiment};

mod common;
use common::{reset_peak, status_bytes};

fn main() {
    let var = |k: &str| std::env::var(k).ok();
    let counts: Vec<u32> = var("FORESIGHT_BENCH_MEMORY_REPS")
        .unwrap_or_else(|| "100,1000,10000".into())
        .split(',')
        .map(|n| {
            n.trim()
                .parse()
                .expect("FORESIGHT_BENCH_MEMORY_REPS: numbers")
        })
        .collect();
    let scale: u32 = var("FORESIGHT_BENCH_MEMORY_SCALE")
        .map_or(100, |s| s.parse().expect("FORESIGHT_BENCH_MEMORY_SCALE"));
    let threads = var("FORESIGHT_BENCH_THREADS")
        .and_then(|v| v.parse().ok())
        .unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get()));

    let mut scenario = foresight::scenario::load(Path::new("scenarios/baseline.yaml"))
        .unwrap_or_else(|d| panic!("{d}"));
    scenario.scale = scale;
    let points = scenario.horizon_weeks as usize
        * (scenario.regions.len() + 1)
        * foresight::model::indicators::names(scenario.horizon_weeks).len();
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .expect("thread pool");
    println!(
        "baseline at scale {scale} as an experiment, {threads} thread(s), {points} series points"
    );
    println!("  replications   seconds   replications/s   peak RSS (MB)");
    for n in counts {
        let mut exp = Experiment::from_scenario(scenario.clone());
        exp.replications = n;
        let reset = reset_peak();
        let start = Instant::now();
        let result = pool.install(|| {
            run_experiment::<std::convert::Infallible>(&exp, &|| {}, &mut |_, _| Ok(()))
                .unwrap_or_else(|never| match never {})
        });
        let secs = start.elapsed().as_secs_f64();
        let peak = status_bytes("VmHWM:").unwrap_or(f64::NAN);
        assert_eq!(result.outcomes.len(), n as usize, "every replication ran");
        std::hint::black_box(&result);
        drop(result);
        println!(
            "  {n:>12}   {secs:>7.1}   {:>14.1}   {:>13.1}{}",
            f64::from(n) / secs,
            peak / 1e6,
            if reset { "" } else { " (peak not reset)" }
        );
    }
}
