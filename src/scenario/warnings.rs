//! Warnings: settings that are valid, and give the same answer at any
//! scale, but whose results `scale` leaves resting on few agents.
//!
//! At scale k every household and every service place is simulated, but
//! only one household in k has its members followed as agents
//! (docs/model.md, "What scale changes and what it does not"). A capacity
//! that holds fewer than [`FEW_AGENTS`] agents at a time (service seats), or
//! gives fewer a year (mentoring pairs), is rationed exactly as at scale 1,
//! but what it does for the persons served (their language, their jobs) is
//! followed through those few agents: the mean is right, the spread across
//! replications wide. `foresight validate` prints these as warnings.

use super::types::Scenario;
use super::validate::Issue;

/// Fewer agents than this at a time (a year, for mentoring) is few.
pub const FEW_AGENTS: f64 = 3.0;

/// The warnings for one configuration.
pub fn scale_warnings(s: &Scenario) -> Vec<Issue> {
    let mut out = Vec::new();
    if s.scale <= 1 {
        return out;
    }
    let k = f64::from(s.scale);
    for (i, region) in s.regions.iter().enumerate() {
        let sv = &region.services;
        for (name, seats) in [
            ("language", sv.language.seats),
            ("coaching", sv.coaching.seats),
            ("credential_recognition", sv.credential_recognition.seats),
            ("interpretation", sv.interpretation.seats),
            ("health_registration", sv.health_registration.seats),
            ("mental_health", sv.mental_health.seats),
        ] {
            let agents = f64::from(seats) / k;
            if seats > 0 && agents < FEW_AGENTS {
                out.push(Issue {
                    path: format!("regions[{i}].services.{name}.seats"),
                    message: format!(
                        "{seats} seats in region '{}' hold about {agents:.1} agents at a time at \
                         scale {}: the seats are simulated in full, but the outcomes of those served \
                         rest on fewer than {FEW_AGENTS} agents; lower `scale` for this region's results",
                        region.name, s.scale
                    ),
                });
            }
        }
    }
    let pairs = s.policy.mentoring.pairs_per_year;
    if pairs > 0.0 && pairs / k < FEW_AGENTS {
        out.push(Issue {
            path: "policy.mentoring.pairs_per_year".into(),
            message: format!(
                "{pairs} pairs a year mentor about {:.1} agents a year at scale {}: \
                 mentoring's effect rests on fewer than {FEW_AGENTS} agents a year; lower `scale`",
                pairs / k,
                s.scale
            ),
        });
    }
    out
}

/// The warnings of every configuration, each once, in order.
pub fn all_scale_warnings<'a>(configs: impl IntoIterator<Item = &'a Scenario>) -> Vec<Issue> {
    let mut out: Vec<Issue> = Vec::new();
    for s in configs {
        for w in scale_warnings(s) {
            if !out.contains(&w) {
                out.push(w);
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scenario(scale: u32, seats: u32, pairs: f64) -> Scenario {
        let yaml = format!(
            "name: w\nhorizon_weeks: 10\nscale: {scale}\nregions:\n  - name: north\n    population: 1000\n    \
             reception_places: 10\n    jobs: {{low: 1, mid: 1, high: 1}}\n    services:\n      \
             credential_recognition: {{seats: {seats}}}\narrivals: {{weekly_rate: 1, origin_groups: \
             [{{name: g, share: 1, skills: {{low: 1, mid: 0, high: 0}}, household_sizes: [1], \
             recognition_probability: 1}}]}}\npolicy: {{mentoring: {{pairs_per_year: {pairs}}}}}\n"
        );
        crate::scenario::parse_str(&yaml, "w.yaml").unwrap_or_else(|d| panic!("{d}"))
    }

    #[test]
    fn seats_and_pairs_holding_few_agents_are_named_with_their_region() {
        let w = scale_warnings(&scenario(10, 25, 20.0));
        assert_eq!(w.len(), 2, "{w:?}");
        assert_eq!(
            w[0].path,
            "regions[0].services.credential_recognition.seats"
        );
        assert!(w[0].message.contains("'north'") && w[0].message.contains("2.5 agents"));
        assert_eq!(w[1].path, "policy.mentoring.pairs_per_year");
        // Enough agents, scale 1, or none at all: no warning.
        assert!(scale_warnings(&scenario(10, 30, 30.0)).is_empty());
        assert!(scale_warnings(&scenario(1, 1, 1.0)).is_empty());
        assert!(scale_warnings(&scenario(10, 0, 0.0)).is_empty());
    }
}
