use foresight::model::components::Service;
use foresight::model::indicators::service_indicator;
use foresight::model::{ReplicationKey, run_replication};
use foresight::scenario::parse_str;

fn yaml(c: u32, m: f64, lambda: f64, weeks: u32) -> String {
    format!(
        r#"
name: mmc
horizon_weeks: {weeks}
seed: 11
regions:
  - name: Only
    population: 1000000
    reception_places: 0
    jobs: {{low: 0, mid: 0, high: 0}}
    services: {{language: {{seats: {c}}}}}
arrivals:
  weekly_rate: {lambda}
  channels: {{asylum: 0, resettlement: 1}}
  origin_groups:
    - name: g
      share: 1
      skills: {{low: 1, mid: 0, high: 0}}
      household_sizes: [1]
      initial_language: 0
      recognition_probability: 1
services:
  language: {{take_up_per_week: 1, duration_weeks: {m}, duration: geometric, cost_per_place_week: 0}}
  coaching: {{take_up_per_week: 0, duration_weeks: 1, cost_per_place_week: 0}}
  credential_recognition: {{take_up_per_week: 0, duration_weeks: 1, cost_per_place_week: 0}}
  interpretation: {{take_up_per_week: 0, duration_weeks: 1, cost_per_place_week: 0}}
  health_registration: {{take_up_per_week: 0, duration_weeks: 1, cost_per_place_week: 0}}
  mental_health: {{take_up_per_week: 0, duration_weeks: 1, cost_per_place_week: 0}}
integration: {{language_gain_in_course: 0, language_gain_at_work: 0, language_gain_everyday: 0}}
secondary_movement: {{rate_per_week: 0}}
"#
    )
}

#[test]
fn bench() {
    for (c, m, rho, weeks) in [(100u32, 26.0, 0.95, 2000u32), (10, 26.0, 0.7, 4000)] {
        let lambda = rho * f64::from(c) / m;
        let s = parse_str(&yaml(c, m, lambda, weeks), "mmc.yaml").unwrap_or_else(|d| panic!("{d}"));
        let t = std::time::Instant::now();
        let r = run_replication(&s, ReplicationKey::new(s.seed, 0));
        let el = t.elapsed().as_secs_f64();
        let n = r.series.national();
        let w = service_indicator(Service::Language, 0);
        let b = service_indicator(Service::Language, 1);
        let q: f64 = (weeks as usize / 4..weeks as usize).map(|k| r.series.get(k, n, w)).sum::<f64>() / (0.75 * weeks as f64);
        let bb: f64 = (weeks as usize / 4..weeks as usize).map(|k| r.series.get(k, n, b)).sum::<f64>() / (0.75 * weeks as f64);
        println!("c={c} agent_weeks={} time={el:.2}s ns/pw={:.1} Lq={q:.3} B={bb:.2}", r.agent_weeks, el * 1e9 / r.agent_weeks as f64);
    }
}
