//! Throughput of the real path: whole replications of the bundled baseline,
//! on one thread, after a warm-up. Reports agent-weeks per second (persons
//! present summed over simulated weeks), ns per agent-week, and
//! replications per second. Run with `cargo bench`.

use std::time::Instant;

use foresight::model::{ReplicationKey, run_replication};

fn main() {
    let path = std::path::Path::new("scenarios/baseline.yaml");
    let scenario = foresight::scenario::load(path).unwrap_or_else(|d| panic!("{d}"));
    // Warm-up: one replication.
    let warm = run_replication(&scenario, ReplicationKey::new(scenario.seed, 1000));
    std::hint::black_box(&warm);
    let reps: u32 = std::env::var("FORESIGHT_BENCH_REPS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(5);
    let start = Instant::now();
    let mut agent_weeks = 0u64;
    for i in 0..reps {
        let r = run_replication(&scenario, ReplicationKey::new(scenario.seed, i));
        agent_weeks += r.agent_weeks;
        std::hint::black_box(&r);
    }
    let secs = start.elapsed().as_secs_f64();
    println!(
        "baseline, one thread, {reps} replications of {} weeks",
        scenario.horizon_weeks
    );
    println!("  agent-weeks/s    {:.3e}", agent_weeks as f64 / secs);
    println!("  ns/agent-week    {:.1}", secs * 1e9 / agent_weeks as f64);
    println!("  replications/s   {:.3}", f64::from(reps) / secs);
}
