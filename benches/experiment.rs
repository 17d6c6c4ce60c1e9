//! Experiment throughput (`cargo bench --bench experiment`;
//! docs/performance.md): the bundled experiment `scenarios/experiment.yaml`
//! (3 scenarios × 4 policies × 3 samples) run through
//! `foresight::experiment::run_experiment` on one thread and on all
//! threads, in replications per second, with the speed-up and the parallel
//! efficiency (speed-up ÷ threads). `FORESIGHT_BENCH_EXP_SCALE` runs the
//! experiment's world at another `scale` (at scale 10 a replication is
//! about ten times cheaper while its series, and so the fold of the
//! summaries, stay the same size: the runner's serial part shows).
//!
//! To keep the bench practical it runs one replication per cell (36 cells)
//! instead of the file's two; `FORESIGHT_BENCH_EXP_REPS` sets another
//! number. `FORESIGHT_BENCH_THREADS` sets "all threads" (default: the
//! machine's logical cores). Cells are run in the same order and each is
//! the same work whatever the thread count, so the ratio of the two rates
//! is the parallel speed-up.
//!
//! On a machine shared with other jobs the speed of a core drifts by tens
//! of percent over minutes, which a one-thread run followed by an
//! all-threads run reads as (in)efficiency. So the runs are interleaved
//! ABBA (1 thread, all, all, 1 thread), which cancels a steady drift, and
//! the speed-up is the ratio of the summed times; `FORESIGHT_BENCH_ROUNDS`
//! (default 2, one AB or BA pair per round) sets how many.

use std::path::Path;
use std::time::Instant;

fn main() {
    let env = |k: &str| std::env::var(k).ok().and_then(|v| v.parse::<usize>().ok());
    let mut exp = foresight::experiment::load(Path::new("scenarios/experiment.yaml"))
        .unwrap_or_else(|d| panic!("{d}"));
    exp.replications = env("FORESIGHT_BENCH_EXP_REPS").unwrap_or(1).max(1) as u32;
    if let Some(scale) = env("FORESIGHT_BENCH_EXP_SCALE") {
        for c in &mut exp.configs {
            c.scale = scale.max(1) as u32;
        }
    }
    let cells = exp.cells();
    let all = env("FORESIGHT_BENCH_THREADS")
        .unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get()))
        .max(1);

    let time = |threads: usize| -> (f64, f64, f64, f64) {
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .expect("thread pool");
        pool.install(|| {
            let start = Instant::now();
            let result = foresight::experiment::run_experiment::<std::convert::Infallible>(
                &exp,
                &|| {},
                &mut |_, _| Ok(()),
            )
            .unwrap_or_else(|never| match never {});
            let secs = start.elapsed().as_secs_f64();
            std::hint::black_box(&result);
            (
                secs,
                result.person_weeks,
                result.runner_seconds,
                result.fold_seconds,
            )
        })
    };

    // Warm-up: one cell's replication (caches, allocator, page faults).
    std::hint::black_box(foresight::model::run_replication(
        exp.config(0, 0, 0),
        foresight::model::ReplicationKey::new(exp.seed, 0),
    ));

    println!(
        "experiment {}: {cells} cells ({} scenarios × {} policies × {} samples × {} replication(s)), scale {}",
        exp.name,
        exp.scenarios.len(),
        exp.policies.len(),
        exp.samples.len(),
        exp.replications,
        exp.configs.first().map_or(1, |c| c.scale)
    );
    let report = |threads: usize, secs: f64, pw: f64, own: f64, fold: f64| {
        let label = if threads == 1 {
            "1 thread: ".to_string()
        } else {
            format!("{threads} threads:")
        };
        println!(
            "  {label}  {secs:.2} s, {:.3} replications/s, {:.3e} person-weeks/s; the runner's own work on the calling thread {own:.3} s ({:.2}% of the time), of which the fold {fold:.3} s",
            cells as f64 / secs,
            pw / secs,
            100.0 * own / secs
        );
    };
    if all == 1 {
        let (secs, pw, own, fold) = time(1);
        report(1, secs, pw, own, fold);
        serial_estimate(secs, own, fold);
        return;
    }
    let rounds = env("FORESIGHT_BENCH_ROUNDS").unwrap_or(2).max(1);
    let (mut one_total, mut many_total) = (0.0, 0.0);
    let (mut one_own, mut one_fold) = (0.0, 0.0);
    for round in 0..rounds {
        // ABBA: the all-threads run first in every other round.
        let order = if round % 2 == 0 { [1, all] } else { [all, 1] };
        for threads in order {
            let (secs, pw, own, fold) = time(threads);
            report(threads, secs, pw, own, fold);
            if threads == 1 {
                one_total += secs;
                one_own += own;
                one_fold += fold;
            } else {
                many_total += secs;
            }
        }
    }
    let speedup = one_total / many_total;
    println!(
        "  speed-up {speedup:.2} (summed times of {rounds} round(s)), parallel efficiency {:.2}",
        speedup / all as f64
    );
    serial_estimate(one_total, one_own, one_fold);
}

/// What the one-thread runs say of many cores: the share of the time the
/// calling thread spends on the runner's own work is the serial fraction
/// `s` if nobody shares the fold; without the fold (which the pool's
/// threads steal in chunks once the calling thread falls behind), what
/// stays serial. Two readings of each on 64 cores: Amdahl's law (a fixed
/// experiment, the serial work never overlapping the cells': a lower
/// bound), and the pipeline the runner is (the calling thread folds cell
/// n while the others run later cells; with cells enough for every core,
/// as in weak scaling, it keeps up with about `1/s` cores). The model's
/// own limits on many cores (memory bandwidth shared by the replications)
/// are not in either.
fn serial_estimate(total: f64, own: f64, fold: f64) {
    for (what, serial) in [
        ("the runner's work all serial", own / total),
        ("the fold shared", (own - fold).max(0.0) / total),
    ] {
        let speedup = 1.0 / (serial + (1.0 - serial) / 64.0);
        println!(
            "  serial fraction ({what}): {:.3}%; on 64 cores: Amdahl's law, speed-up {speedup:.1} (efficiency {:.2}); as a pipeline, the calling thread keeps up with {:.0} cores (efficiency {:.2})",
            100.0 * serial,
            speedup / 64.0,
            1.0 / serial,
            (1.0 / (64.0 * serial)).min(1.0)
        );
    }
}
