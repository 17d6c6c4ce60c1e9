//! Arrivals: a random number of households around the scenario's weekly rate
//! (baseline × trend × seasonality × surges), by channel and origin group.
//!
//! The weekly number of arriving households is Poisson with mean
//! rate / (mean household size of the week's origin mix), at every scale
//! (households are simulated at full resolution, [`super::sampling`]), so the
//! household count has variance equal to its mean; the person count is a
//! compound Poisson sum. Origin shares are shares of persons: a group's
//! households are drawn with weight share ÷ its mean household size. Evidence: seed 000 (the fast-changing pace and
//! profile of arrivals), S1 and S2 for the German 2015 volumes.

use crate::scenario::Arrivals;

/// Expected arrivals (persons) in a week: baseline × trend × seasonality ×
/// surge multiplier.
pub fn expected_rate(a: &Arrivals, week: u32) -> f64 {
    let w = f64::from(week);
    let trend = (1.0 + a.annual_trend).powf(w / 52.0);
    let phase = 2.0 * std::f64::consts::PI * (w - f64::from(a.seasonality.peak_week)) / 52.0;
    let season = 1.0 + a.seasonality.amplitude * phase.cos();
    a.weekly_rate.at(week) * trend * season * surge_multiplier(a, week)
}

/// 1 plus the excess of every active surge (overlapping surges add up).
pub fn surge_multiplier(a: &Arrivals, week: u32) -> f64 {
    let mut m = 1.0;
    for s in &a.surges {
        let shape = surge_shape(s.start_week, s.length_weeks, s.ramp_weeks, week);
        m += (s.peak_multiplier - 1.0) * shape;
    }
    m.max(0.0)
}

/// 0 outside the surge, 1 on its plateau, linear on the ramps.
pub fn surge_shape(start: u32, length: u32, ramp: u32, week: u32) -> f64 {
    if week < start || week >= start.saturating_add(length) {
        return 0.0;
    }
    let into = f64::from(week - start) + 1.0;
    let left = f64::from(start + length - week);
    if ramp == 0 {
        return 1.0;
    }
    let r = f64::from(ramp);
    (into / r).min(left / r).min(1.0)
}

use bevy_ecs::prelude::*;
use rand::RngExt;
use rand_distr::{Distribution, Poisson};
use rand_pcg::Pcg64Mcg;

use super::components::*;
use super::family;
use super::resources::{Clock, NewArrivals, Params, Roster, Streams};
use super::sampling::Sample;
use super::wildcards::Disruptions;

/// The origin shares in force in a week: the first active surge's mix, if it
/// has one, else the groups' own shares. Writes into `out` (one per group).
pub fn origin_mix(p: &Params, week: u32, out: &mut [f64]) {
    let a = &p.scenario.arrivals;
    for (i, g) in a.origin_groups.iter().enumerate() {
        out[i] = g.share;
    }
    for s in &a.surges {
        if week >= s.start_week
            && week < s.start_week.saturating_add(s.length_weeks)
            && let Some(mix) = &s.origin_mix
        {
            out.fill(0.0);
            for m in mix {
                if let Some(i) = a.origin_groups.iter().position(|g| g.name == m.group) {
                    out[i] = m.share;
                }
            }
            return;
        }
    }
}

/// Draw an index from non-negative weights summing to `total`.
pub fn draw_index(rng: &mut Pcg64Mcg, weights: &[f64], total: f64) -> usize {
    let mut u = rng.random::<f64>() * total;
    for (i, w) in weights.iter().enumerate() {
        if u < *w {
            return i;
        }
        u -= w;
    }
    // Rounding: the last index with weight.
    weights.iter().rposition(|w| *w > 0.0).unwrap_or(0)
}

/// A Poisson draw that accepts a zero mean.
pub fn poisson(rng: &mut Pcg64Mcg, mean: f64) -> u64 {
    if mean <= 0.0 {
        return 0;
    }
    match Poisson::new(mean) {
        Ok(d) => d.sample(rng) as u64,
        Err(_) => mean.round() as u64,
    }
}

/// Weekly process 2: arrivals.
#[allow(clippy::too_many_arguments)] // a system's parameters are its data access
pub fn arrivals(
    mut commands: Commands,
    clock: Res<Clock>,
    params: Res<Params>,
    mut streams: ResMut<Streams>,
    mut new: ResMut<NewArrivals>,
    mut roster: ResMut<Roster>,
    mut sample: ResMut<Sample>,
    volunteers: Res<super::volunteers::Volunteers>,
    mut mix: Local<Vec<f64>>,
    disruptions: Res<Disruptions>,
) {
    new.0.clear();
    let week = clock.week;
    let streams = &mut *streams;
    let a = &params.scenario.arrivals;
    mix.resize(params.groups, 0.0);
    origin_mix(&params, week, &mut mix);
    // Shares are shares of persons: a group's households are drawn in
    // proportion to its share divided by its mean household size. A
    // wildcard surge and the named drivers multiply their groups' arrivals.
    let persons_total: f64 = mix.iter().sum();
    for (((m, size), surge), driven) in mix
        .iter_mut()
        .zip(&params.mean_household)
        .zip(&disruptions.arrivals)
        .zip(&disruptions.drivers.arrivals)
    {
        *m = *m * surge * driven / size;
    }
    let mix_total: f64 = mix.iter().sum();
    let households_per_person = mix_total / persons_total.max(f64::MIN_POSITIVE);
    let mut spawn = Spawn {
        commands: &mut commands,
        roster: &mut roster,
        params: &params,
        sample: &mut sample,
    };
    let (rng, members) = (&mut streams.arrivals, &mut streams.members);
    let households = poisson(rng, expected_rate(a, week) * households_per_person);
    let channels = a.channels.as_array();
    for _ in 0..households {
        let group = draw_index(rng, &mix, mix_total);
        let channel = match draw_index(rng, &channels, 1.0) {
            0 => Channel::Asylum,
            1 => Channel::Resettlement,
            2 => Channel::Family,
            _ => Channel::Labour,
        };
        let (e, _) = spawn.household(rng, members, group, channel, week);
        new.0.push(e);
    }
    // Community sponsorship: households per year, spread over the weeks.
    // Streams of their own, so that a policy's sponsorship does not change
    // the spontaneous arrivals of the same random future.
    let (rng, members) = (&mut streams.sponsorship, &mut streams.sponsored_members);
    let sponsorship = &params.scenario.policy.community_sponsorship;
    // The volunteer stock is 1 unless `feedback.volunteers` moves it.
    let sponsored = poisson(
        rng,
        sponsorship.households_per_year * volunteers.stock / 52.0,
    );
    for _ in 0..sponsored {
        let group = draw_index(rng, &params.group_shares, params.group_share_total);
        let (e, _) = spawn.household(rng, members, group, Channel::Sponsorship, week);
        new.0.push(e);
    }
}

/// What spawning a household needs: where to spawn it, and the sample
/// that says whether it carries person agents.
pub struct Spawn<'a, 'w, 's> {
    pub commands: &'a mut Commands<'w, 's>,
    pub roster: &'a mut Roster,
    pub params: &'a Params,
    pub sample: &'a mut Sample,
}

impl Spawn<'_, '_, '_> {
    /// Spawn one household of an origin group and its members (their roles
    /// and ages: [`family::draw_makeup`]). A single adult seeking asylum may
    /// have a family abroad, who may join them once recognised (family
    /// reunion). The household's own draws (size, make-up, family abroad)
    /// come from `rng`, the members' traits from `members`, the same for
    /// every household, so that households and persons are the same at
    /// every scale; the sample then says whether the members are agents.
    pub fn household(
        &mut self,
        rng: &mut Pcg64Mcg,
        members: &mut Pcg64Mcg,
        group: usize,
        channel: Channel,
        week: u32,
    ) -> (Entity, usize) {
        let p = self.params;
        let cdf = &p.household_cdf[group];
        let u = rng.random::<f64>() * cdf.last().copied().unwrap_or(1.0);
        let size = cdf.iter().position(|c| u < *c).unwrap_or(cdf.len() - 1) + 1;
        let (legal, housing) = match channel {
            Channel::Asylum => (LegalStatus::AsylumSeeker, HousingStatus::Reception),
            Channel::Resettlement | Channel::Sponsorship => {
                (LegalStatus::Resettled, HousingStatus::Mainstream)
            }
            Channel::Family | Channel::Labour => (LegalStatus::Resident, HousingStatus::Mainstream),
        };
        let week16 = week.min(u32::from(u16::MAX - 1)) as u16;
        let status_week = if legal == LegalStatus::AsylumSeeker {
            NEVER
        } else {
            week16
        };
        let mut makeup = Vec::with_capacity(size);
        family::draw_makeup(rng, p, group, size, &mut makeup);
        // A single adult seeking asylum may have come ahead of their family.
        let mut reunion = Reunion::default();
        if size == 1 && channel == Channel::Asylum {
            let life = &p.life;
            if rng.random::<f64>() < life.abroad_share[group] {
                let cdf = &life.abroad_sizes[group];
                let u = rng.random::<f64>() * cdf.last().copied().unwrap_or(1.0);
                let members = cdf.iter().position(|c| u < *c).unwrap_or(cdf.len() - 1) + 1;
                reunion = Reunion {
                    phase: ReunionPhase::Abroad,
                    members: members as u8,
                    week: NEVER,
                };
            }
        }
        let agents = self.sample.take(channel, group, size);
        let household = self.commands.spawn_empty().id();
        let newcomer = family::Newcomer {
            household,
            group,
            week: week16,
            residence: Residence {
                region: u16::MAX,
                legal,
                housing,
                sponsored: channel == Channel::Sponsorship,
                status_week,
                family_at_school: false,
                slot: 0, // set by residence before anyone counts
            },
            labour: channel == Channel::Labour,
            born_here: false,
            agent: agents,
        };
        let mut employed = 0u8;
        let first = u32::try_from(self.roster.0.len()).expect("at most 2^32 persons");
        for &(role, age) in &makeup {
            let (person, working) =
                family::spawn_person(self.commands, p, members, &newcomer, role, age);
            employed += u8::from(working);
            self.roster.0.push(person);
        }
        self.commands.entity(household).insert((
            Household {
                size: size as u8,
                origin: group as u8,
                channel,
                region: u16::MAX,
                legal,
                housing,
                arrival_week: week16,
                status_week,
                housing_queue_since: NEVER,
                sponsored: channel == Channel::Sponsorship,
                employed,
                agents,
                members: first,
                slot: self.roster.1.take(),
                pupils: 0,
                outgrown: NO_CLASS,
            },
            reunion,
        ));
        if reunion.phase == ReunionPhase::Abroad {
            self.commands.entity(household).insert(Abroad);
        }
        (household, size)
    }
}

/// Spawn the asylum backlog present at week 0, spread over origin groups by
/// share; it is dispersed like arrivals but not counted as arriving.
pub fn initial_backlog(
    mut commands: Commands,
    params: Res<Params>,
    mut streams: ResMut<Streams>,
    mut new: ResMut<NewArrivals>,
    mut roster: ResMut<Roster>,
    mut sample: ResMut<Sample>,
) {
    let streams = &mut *streams;
    let (rng, members) = (&mut streams.setup, &mut streams.members);
    let target = params.scenario.asylum.initial_backlog as f64;
    let mut spawn = Spawn {
        commands: &mut commands,
        roster: &mut roster,
        params: &params,
        sample: &mut sample,
    };
    let mut persons = 0.0;
    while persons < target {
        let group = draw_index(rng, &params.group_shares, params.group_share_total);
        let (e, size) = spawn.household(rng, members, group, Channel::Asylum, 0);
        new.0.push(e);
        persons += size as f64;
    }
}
