//! Property: over randomly generated small valid scenarios, at scales from
//! 1 to 10, every person who arrived or was born is counted in exactly one
//! legal status in every week (departed included) or among the deceased,
//! and everyone present in exactly one housing status, and every homeless
//! person in exactly one path into homelessness; family members who join a
//! sponsor are arrivals; no school holds more pupils than places; every
//! member of every household exists as a person, an agent exactly if the
//! household is in the sample (checked at the end of each replication,
//! `run_replication` in debug builds); and persons are counted through
//! agents, each standing for `scale` persons.

use foresight::model::indicators as ind;
use foresight::model::{ReplicationKey, run_replication};
use foresight::scenario::validate::validate;
use foresight::scenario::*;
use proptest::prelude::*;

fn normalise(v: &mut [f64]) {
    let s: f64 = v.iter().sum();
    if s <= 0.0 {
        v.fill(0.0);
        v[0] = 1.0;
    } else {
        v.iter_mut().for_each(|x| *x /= s);
    }
}

/// A region's population, reception places, housing units by size, seats by
/// service, and whether it is urban.
type RegionKnobs = (u64, u32, [f64; 3], [u32; 6], bool);
/// An origin group's skills, household sizes, recognition and vulnerability.
type GroupKnobs = ([f64; 3], Vec<f64>, f64, f64);

#[derive(Debug, Clone)]
struct Knobs {
    horizon: u32,
    scale: u32,
    regions: Vec<RegionKnobs>,
    groups: Vec<GroupKnobs>,
    weekly_rate: f64,
    channels: [f64; 4],
    capacity: f64,
    backlog: u64,
    rule: u8,
    period: u32,
    support: bool,
    day_one: bool,
    early: Option<u32>,
    coaching: f64,
    mentoring: f64,
    sponsorship: f64,
    movement: f64,
    departure: f64,
    automation: f64,
    surge: Option<(u32, u32, f64)>,
    geometric: bool,
    adaptive: bool,
    /// Demography and families: mortality multiplier, total fertility rate,
    /// leaving-home rate, school places (primary, secondary), family
    /// members abroad per adult, subsidiary share, reunion wait, processing
    /// weeks, annual cap, subsidiary eligible, schools open to asylum seekers.
    life: LifeKnobs,
}

type LifeKnobs = (
    (f64, f64, f64, u32, u32),
    (f64, f64, u32, f64, Option<u32>),
    (bool, bool),
);

fn life_knobs() -> impl Strategy<Value = LifeKnobs> {
    (
        (0.0f64..60.0, 0.0f64..12.0, 0.0f64..=1.0, 0u32..30, 0u32..30),
        (
            0.0f64..3.0,
            0.0f64..=1.0,
            0u32..20,
            1.0f64..15.0,
            prop::option::of(0u32..100),
        ),
        (any::<bool>(), any::<bool>()),
    )
}

fn knobs() -> impl Strategy<Value = Knobs> {
    let region = (
        1_000u64..2_000_000,
        0u32..200,
        prop::array::uniform3(0.0f64..5.0),
        prop::array::uniform6(0u32..20),
        any::<bool>(),
    );
    let group = (
        prop::array::uniform3(0.01f64..1.0),
        prop::collection::vec(0.0f64..1.0, 1..7),
        0.0f64..=1.0,
        0.0f64..=1.0,
    );
    (
        (
            1u32..80,
            prop::sample::select(vec![1u32, 2, 3, 5, 10]),
            prop::collection::vec(region, 1..5),
            prop::collection::vec(group, 1..4),
        ),
        (
            0.0f64..60.0,
            prop::array::uniform4(0.0f64..1.0),
            0.0f64..80.0,
            0u64..200,
            0u8..5,
        ),
        (
            0u32..8,
            any::<bool>(),
            any::<bool>(),
            prop::option::of(0u32..10),
            0.0f64..=1.0,
        ),
        (
            0.0f64..500.0,
            0.0f64..100.0,
            0.0f64..0.2,
            0.0f64..0.5,
            0.0f64..0.3,
        ),
        (
            prop::option::of((0u32..30, 1u32..20, 0.0f64..6.0)),
            any::<bool>(),
            any::<bool>(),
            life_knobs(),
        ),
    )
        .prop_map(|(a, b, c, d, e)| Knobs {
            horizon: a.0,
            scale: a.1,
            regions: a.2,
            groups: a.3,
            weekly_rate: b.0,
            channels: b.1,
            capacity: b.2,
            backlog: b.3,
            rule: b.4,
            period: c.0,
            support: c.1,
            day_one: c.2,
            early: c.3,
            coaching: c.4,
            mentoring: d.0,
            sponsorship: d.1,
            movement: d.2,
            departure: d.3,
            automation: d.4,
            surge: e.0,
            geometric: e.1,
            adaptive: e.2,
            life: e.3,
        })
}

fn build(k: &Knobs) -> Scenario {
    let mut weights: Vec<f64> = k.regions.iter().map(|r| r.0 as f64).collect();
    normalise(&mut weights);
    let regions = k
        .regions
        .iter()
        .enumerate()
        .map(|(i, (pop, reception, units, seats, urban))| Region {
            name: format!("r{i}"),
            population: *pop,
            urban: *urban,
            dispersal_weight: weights[i],
            reception_places: *reception,
            housing: RegionHousing {
                small_units_per_week: units[0],
                medium_units_per_week: units[1],
                large_units_per_week: units[2],
                // A rented stock whose re-lets add as much again.
                stock: HousingStock {
                    small: units[0] * 52.0 / 0.008,
                    medium: units[1] * 52.0 / 0.008,
                    large: units[2] * 52.0 / 0.008,
                },
            },
            services: RegionServices {
                language: ServiceCapacity { seats: seats[0] },
                coaching: ServiceCapacity { seats: seats[1] },
                credential_recognition: ServiceCapacity { seats: seats[2] },
                interpretation: ServiceCapacity { seats: seats[3] },
                health_registration: ServiceCapacity { seats: seats[4] },
                mental_health: ServiceCapacity { seats: seats[5] },
            },
            schools: RegionSchools {
                primary_places: k.life.0.3,
                secondary_places: k.life.0.4,
            },
            jobs: JobsByTier {
                low: *pop as f64 * 0.2,
                mid: *pop as f64 * 0.15,
                high: *pop as f64 * 0.05,
            },
            attitude: 0.5,
        })
        .collect::<Vec<_>>();
    let mut shares: Vec<f64> = k.groups.iter().map(|g| g.0[0] + 0.1).collect();
    normalise(&mut shares);
    let origin_groups = k
        .groups
        .iter()
        .enumerate()
        .map(|(i, (skills, sizes, recognition, vulnerability))| {
            let mut sk = skills.to_vec();
            normalise(&mut sk);
            let mut hs = sizes.clone();
            normalise(&mut hs);
            OriginGroup {
                name: format!("g{i}"),
                share: shares[i],
                skills: SkillMix {
                    low: sk[0],
                    mid: sk[1],
                    high: sk[2],
                },
                literacy: 0.7,
                initial_language: 0.1,
                household_sizes: hs,
                vulnerability: *vulnerability,
                recognition_probability: (*recognition).into(),
                age_profile: AgeProfile::default(),
                household_types: HouseholdTypes::default(),
                family_abroad: FamilyAbroad {
                    members_per_adult: k.life.1.0,
                    subsidiary_protection_share: k.life.1.1,
                },
            }
        })
        .collect();
    let mut ch = k.channels.to_vec();
    normalise(&mut ch);
    let yaml_base =
        "name: p\nhorizon_weeks: 1\nregions: []\narrivals: {weekly_rate: 0, origin_groups: []}\n";
    let mut s: Scenario = serde_saphyr::from_str(yaml_base).unwrap();
    s.horizon_weeks = k.horizon;
    s.scale = k.scale;
    s.regions = regions;
    s.arrivals.weekly_rate = k.weekly_rate.into();
    s.arrivals.origin_groups = origin_groups;
    s.arrivals.channels = Channels {
        asylum: ch[0],
        resettlement: ch[1],
        family: ch[2],
        labour: ch[3],
    };
    if let Some((start, length, peak)) = k.surge {
        s.arrivals.surges.push(Surge {
            start_week: start,
            length_weeks: length,
            peak_multiplier: peak,
            ramp_weeks: length / 3,
            origin_mix: None,
        });
    }
    s.asylum.decision_capacity_per_week = k.capacity.into();
    s.asylum.initial_backlog = k.backlog;
    s.asylum.rejected_departure_rate_per_week = k.departure;
    s.policy.dispersal.rule = [
        DispersalRule::PopulationShare,
        DispersalRule::QuotaKey,
        DispersalRule::ReceptionCapacity,
        DispersalRule::MunicipalQuota,
        DispersalRule::FreeChoice,
    ][k.rule as usize];
    s.policy.move_on.period_weeks = k.period;
    s.housing.carry_over_weeks = f64::from(k.period) / 2.0;
    s.housing.rent_barrier = k.coaching;
    s.housing.private_share = k.departure * 2.0;
    s.legal_status.appeal_share = k.departure * 2.0;
    s.legal_status.appeal_min_weeks = k.period;
    s.legal_status.court_capacity_per_week = k.capacity / 2.0;
    s.legal_status.tolerated_share = 1.0 - k.coaching;
    s.legal_status.removal_capacity_per_week = k.mentoring / 10.0;
    s.policy.rejected_accommodation = [
        RejectedAccommodation::None,
        RejectedAccommodation::BasicReception,
        RejectedAccommodation::Community,
    ][k.rule as usize % 3];
    s.policy.move_on.support = k.support;
    // The feedback loops: each on in some generated worlds, off in others.
    s.feedback.attitude = !k.day_one;
    s.feedback.budgets = k.support;
    s.feedback.volunteers = k.rule.is_multiple_of(2);
    s.feedback.bridges_to_jobs = k.rule.is_multiple_of(3);
    s.attitudes.bridges_contact_gain = k.coaching / 1000.0;
    s.policy.integration_from_day_one = k.day_one;
    s.policy.early_work_access_weeks = k.early;
    s.policy.intensive_coaching.coverage = k.coaching;
    s.policy.mentoring.pairs_per_year = k.mentoring;
    s.policy.community_sponsorship.households_per_year = k.sponsorship;
    s.policy.nudges.enabled = k.day_one;
    s.policy.credential_fast_track.enabled = k.support;
    s.secondary_movement.rate_per_week = k.movement;
    s.labour_market.automation_annual_rate = TierRates {
        low: k.automation,
        mid: k.automation / 2.0,
        high: 0.0,
    };
    let ((mortality, tfr, leaving, _, _), (_, _, wait, processing, cap), (eligible, open)) = k.life;
    s.demography.mortality_multiplier = mortality;
    s.demography.total_fertility_rate = tfr;
    s.demography.leaving_home_rate_per_year = leaving;
    s.policy.family_reunion.waiting_period_weeks = wait;
    s.policy.family_reunion.processing_weeks = processing;
    s.policy.family_reunion.annual_cap = cap;
    s.policy.family_reunion.subsidiary_protection_eligible = eligible;
    s.policy.school_access.asylum_seekers = open;
    if k.geometric {
        s.services.language.duration = DurationKind::Geometric;
        s.services.coaching.duration = DurationKind::Geometric;
    }
    if k.adaptive {
        s.policy.adaptive_capacity.push(AdaptiveCapacity {
            target: CapacityTarget::Reception,
            trigger: 5.0,
            step: 20,
            lead_time_weeks: 3,
            max_added: 100,
        });
        s.policy.adaptive_capacity.push(AdaptiveCapacity {
            target: CapacityTarget::Language,
            trigger: 5.0,
            step: 5,
            lead_time_weeks: 0,
            max_added: 50,
        });
    }
    s
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 96, ..ProptestConfig::default() })]

    #[test]
    fn nobody_is_lost(k in knobs(), replication in 0u32..1000) {
        let s = build(&k);
        let issues = validate(&s);
        prop_assert!(issues.is_empty(), "generated scenario invalid: {issues:?}");
        let r = run_replication(&s, ReplicationKey::new(7, replication));
        let series = &r.series;
        let statuses = [ind::ASYLUM_SEEKERS, ind::RECOGNISED, ind::REJECTED, ind::RESETTLED, ind::RESIDENTS, ind::DEPARTED, ind::SUBSIDIARY, ind::APPEALING, ind::TOLERATED];
        let housing = [ind::RECEPTION_OCCUPANCY, ind::EMERGENCY, ind::MAINSTREAM, ind::OVERCROWDED, ind::HOMELESS];
        let n = series.national();
        let mut before: Option<f64> = None;
        for w in 0..series.weeks {
            for slot in 0..series.slots {
                let total: f64 = statuses.iter().map(|&k| series.get(w, slot, k)).sum();
                let present = series.get(w, slot, ind::PRESENT);
                prop_assert_eq!(total - series.get(w, slot, ind::DEPARTED), present);
                let housed: f64 = housing.iter().map(|&k| series.get(w, slot, k)).sum();
                prop_assert_eq!(housed, present, "week {} slot {}", w, slot);
                let by_path = series.get(w, slot, ind::HOMELESS_AFTER_MOVE_ON)
                    + series.get(w, slot, ind::HOMELESS_AFTER_REJECTION);
                prop_assert_eq!(by_path, series.get(w, slot, ind::HOMELESS), "week {} slot {}", w, slot);
                if k.support {
                    // With move-on support nobody granted protection is put out.
                    prop_assert_eq!(series.get(w, slot, ind::HOMELESS_AFTER_MOVE_ON), 0.0);
                }
                if s.policy.rejected_accommodation != RejectedAccommodation::None {
                    // Sheltered after a refusal: that path is closed.
                    prop_assert_eq!(series.get(w, slot, ind::HOMELESS_AFTER_REJECTION), 0.0);
                }
                let searching = series.get(w, slot, ind::SEARCHING_FOR_HOME);
                prop_assert!(searching <= present - series.get(w, slot, ind::MAINSTREAM));
                let occupancy = series.get(w, slot, ind::RECEPTION_OCCUPANCY);
                prop_assert!(occupancy <= series.get(w, slot, ind::RECEPTION_CAPACITY));
                for level in 0..2 {
                    prop_assert!(
                        series.get(w, slot, ind::PUPILS + level)
                            <= series.get(w, slot, ind::SCHOOL_PLACES + level)
                    );
                }
                prop_assert!(
                    series.get(w, slot, ind::REUNION_ARRIVALS) <= series.get(w, slot, ind::ARRIVALS)
                );
                // Children are counted through agents: an estimate at
                // scale > 1, which may exceed the persons present.
                if k.scale == 1 {
                    prop_assert!(series.get(w, slot, ind::CHILDREN) <= present);
                }
                let agents = series.get(w, slot, ind::WORKING_AGE_REFUGEES);
                prop_assert_eq!(agents % f64::from(k.scale), 0.0, "week {} slot {}", w, slot);
                let children = series.get(w, slot, ind::CHILDREN);
                prop_assert_eq!(children % f64::from(k.scale), 0.0, "week {} slot {}", w, slot);
                for sv in foresight::model::components::Service::ALL {
                    let served = series.get(w, slot, ind::service_indicator(sv, ind::IN_SERVICE));
                    prop_assert!(served <= series.get(w, slot, ind::service_indicator(sv, ind::SEATS)));
                }
            }
            // Everyone who ever came or was born: in a status, departed or deceased.
            let total: f64 = statuses.iter().map(|&k| series.get(w, n, k)).sum::<f64>()
                + series.get(w, n, ind::DECEASED);
            let came = series.get(w, n, ind::ARRIVALS) + series.get(w, n, ind::BIRTHS);
            if let Some(b) = before {
                prop_assert_eq!(total, b + came, "week {}", w);
            } else {
                prop_assert!(total - came >= k.backlog as f64);
            }
            before = Some(total);
        }
    }
}
