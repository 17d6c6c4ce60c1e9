//! Observation (bookkeeping after the weekly processes, before accounts):
//! counts every person once, by region, into this week's indicators, and
//! keeps the tallies next week's drivers and choices read. Nobody is lost:
//! every person who arrived is counted in exactly one legal status.
//!
//! Persons are counted ([`Sums::count`]) at the end of the labour market's
//! system, table by table while its columns are at hand: no later process
//! of the week changes a person, so the counts are the same as in a system
//! of their own. This system counts households and turns the sums into
//! indicators.

use bevy_ecs::prelude::*;

use super::components::*;
use super::earnings::EarningsRules;
use super::family_reunion::ReunionQueue;
use super::housing_market::HousingMarket;
use super::indicators as ind;
use super::means_test::{BenefitRates, NeedsLedger, benefits};
use super::resources::{Clock, Flows, Params, Record, Regions, Tally};
use super::status::Removals;
use super::tenancy::{HOMELESS_PATHS, Tenancy};
use super::volunteers::Volunteers;
use crate::scenario::TIERS;

/// Sums that are not indicators themselves, per slot (regions then
/// national), and this week's person counts per region.
#[derive(Resource)]
pub struct Sums {
    pub slots: Vec<SlotSums>,
    counts: Vec<PersonCounts>,
    /// Working-age refugees and those employed, by region and arrival
    /// cohort (year), `cohorts + 1` per region: the last catches those
    /// not counted, so that counting needs no branch.
    cohort_counts: Vec<[u32; 2]>,
    cohorts: usize,
    /// Each household's members by their place in a means test, and its
    /// counted earnings: noted as persons are counted, gathered by the
    /// household pass.
    needs: NeedsLedger,
}

/// Persons counted in one region this week: everything a person adds to is
/// in this one place, found once per person.
#[derive(Clone)]
struct PersonCounts {
    /// Persons by class (see [`class`]).
    classes: [u32; class::CLASSES],
    waiting: [u32; SERVICES],
    /// Adults' language, bonds, bridges and links, summed in person order.
    progress: [f64; 4],
    /// Derived from the classes ([`Sums::finish`]).
    working_age_refugees: u32,
    employed_refugees: u32,
    /// Gross earnings by job tier, summed in person order.
    earnings: [f64; TIERS],
    /// Pensions drawn by retired persons, and the top-ups of those with
    /// protection to the minimum income in old age.
    pensions: f64,
    top_ups: f64,
}

impl Default for PersonCounts {
    fn default() -> Self {
        PersonCounts {
            classes: [0; class::CLASSES],
            waiting: [0; SERVICES],
            progress: [0.0; 4],
            working_age_refugees: 0,
            employed_refugees: 0,
            earnings: [0.0; TIERS],
            pensions: 0.0,
            top_ups: 0.0,
        }
    }
}

/// A person's class for the weekly counts: one bit per trait counted, and
/// the tier of the job held (`TIERS` for none). Counting a person is one
/// increment of their class's count, without a branch on traits that vary
/// at random from one person to the next; the counts the indicators need
/// are sums over classes, once a week. Integer counts turned into `f64`
/// equal the sums of 1.0 per person they replace, exactly.
mod class {
    pub const ADULT: usize = 1;
    pub const REFUGEE: usize = 1 << 1;
    pub const WORKING_AGE: usize = 1 << 2;
    /// Arrived at least three years (156 weeks) ago.
    pub const THREE_YEARS: usize = 1 << 3;
    /// In a job below their skill tier.
    pub const UNDEREMPLOYED: usize = 1 << 4;
    /// Came of age here (the second generation).
    pub const GREW_UP_HERE: usize = 1 << 5;
    /// The job's tier (or `TIERS`: none) from this bit on.
    pub const JOB_SHIFT: u32 = 6;
    pub const CLASSES: usize = 4 << JOB_SHIFT;
}

#[derive(Clone, Default)]
pub struct SlotSums {
    pub adults: f64,
    pub language: f64,
    pub bonds: f64,
    pub bridges: f64,
    pub links: f64,
    pub underemployed: f64,
    pub wa_3y: f64,
    pub employed_3y: f64,
    pub cohort_wa: Vec<f64>,
    pub cohort_employed: Vec<f64>,
    /// Gross earnings of employed newcomers (all statuses) by tier, for
    /// contributions.
    pub earnings_by_tier: [f64; TIERS],
    /// Benefits paid to households (child benefit and means-tested basic
    /// income), and households receiving basic income (3.12).
    pub benefits: f64,
    pub households_on_benefits: f64,
    /// Pensions and top-ups to the minimum income in old age.
    pub pensions: f64,
    /// Children, adults past working age, and the second generation of
    /// working age and in work (every status).
    pub children: f64,
    pub retired: f64,
    pub second_generation: f64,
    pub second_generation_employed: f64,
}

impl Sums {
    pub fn new(regions: usize, cohorts: usize) -> Sums {
        let slot = SlotSums {
            cohort_wa: vec![0.0; cohorts],
            cohort_employed: vec![0.0; cohorts],
            ..SlotSums::default()
        };
        Sums {
            slots: vec![slot; regions + 1],
            counts: vec![PersonCounts::default(); regions],
            cohort_counts: vec![[0; 2]; regions * (cohorts + 1)],
            cohorts,
            needs: NeedsLedger::default(),
        }
    }

    /// Start this week's person counts.
    pub fn begin(&mut self) {
        self.needs.begin();
        self.counts.fill(PersonCounts::default());
        self.cohort_counts.fill([0; 2]);
        for s in &mut self.slots {
            let (mut a, mut b) = (
                std::mem::take(&mut s.cohort_wa),
                std::mem::take(&mut s.cohort_employed),
            );
            a.fill(0.0);
            b.fill(0.0);
            *s = SlotSums {
                cohort_wa: a,
                cohort_employed: b,
                ..SlotSums::default()
            };
        }
    }

    /// End this week's person counts: the classes' counts into the regions'
    /// counts and slots.
    pub fn finish(&mut self) {
        use class::*;
        let stride = self.cohorts + 1;
        for (r, c) in self.counts.iter_mut().enumerate() {
            let s = &mut self.slots[r];
            // Sums from 0.0 in the same order as the slots' own would be.
            [s.language, s.bonds, s.bridges, s.links] = c.progress;
            let (mut adults, mut underemployed, mut wa_3y, mut employed_3y) = (0, 0, 0, 0);
            let (mut retired, mut second, mut second_employed) = (0, 0, 0);
            // Without branches: a class counts towards a sum or it does not
            // (multiplied by 1 or 0), and classes come in no useful order.
            let (mut working_age_refugees, mut employed_refugees) = (0, 0);
            for (k, &n) in c.classes.iter().enumerate() {
                let is = |bit: usize| u32::from(k & bit != 0);
                let job = k >> JOB_SHIFT;
                let employed = u32::from(job < TIERS);
                let (adult, wa, refugee) = (is(ADULT), is(WORKING_AGE), is(REFUGEE));
                adults += n * adult;
                retired += n * adult * (1 - wa);
                let second_wa = n * is(GREW_UP_HERE) * wa;
                second += second_wa;
                second_employed += second_wa * employed;
                let refugee_wa = n * refugee * wa;
                working_age_refugees += refugee_wa;
                employed_refugees += refugee_wa * employed;
                underemployed += refugee_wa * employed * is(UNDEREMPLOYED);
                let three = refugee_wa * is(THREE_YEARS);
                wa_3y += three;
                employed_3y += three * employed;
            }
            c.working_age_refugees += working_age_refugees;
            c.employed_refugees += employed_refugees;
            s.adults = f64::from(adults);
            s.children = f64::from(c.classes.iter().sum::<u32>() - adults);
            s.retired = f64::from(retired);
            s.second_generation = f64::from(second);
            s.second_generation_employed = f64::from(second_employed);
            s.underemployed = f64::from(underemployed);
            s.wa_3y = f64::from(wa_3y);
            s.employed_3y = f64::from(employed_3y);
            s.earnings_by_tier = std::array::from_fn(|t| c.earnings[t]);
            s.pensions = c.pensions + c.top_ups;
            let cohorts = &self.cohort_counts[r * stride..r * stride + self.cohorts];
            for (k, &[wa, employed]) in cohorts.iter().enumerate() {
                s.cohort_wa[k] = f64::from(wa);
                s.cohort_employed[k] = f64::from(employed);
            }
        }
    }

    /// Agents present this week: everyone counted is in one class.
    fn present(&self) -> u64 {
        self.counts
            .iter()
            .flat_map(|c| c.classes.iter())
            .map(|&n| u64::from(n))
            .sum()
    }

    /// Count one person present this week (not departed, dispersed). Counts
    /// are integers (the same as adding 1.0 per person: both are exact);
    /// the progress sums are added in person order.
    #[allow(clippy::too_many_arguments)]
    #[inline]
    pub fn count(
        &mut self,
        week: usize,
        rules: &EarningsRules,
        p: &Person,
        (age, role, career): (&Age, &Role, &Career),
        res: &Residence,
        progress: &Progress,
        work: &Work,
        uses: &ServiceUse,
    ) {
        // Branch-free: the traits tested vary at random from one person to
        // the next, and mispredicted branches cost more than the counting.
        let r = res.region as usize;
        let c = &mut self.counts[r];
        for i in services_in(uses.waiting) {
            c.waiting[i] += 1;
        }
        let employed = work.job.is_some();
        let refugee = res.legal.is_refugee();
        let counted = refugee & p.working_age;
        let k = (usize::from(p.adult) * class::ADULT)
            | (usize::from(refugee) * class::REFUGEE)
            | (usize::from(p.working_age) * class::WORKING_AGE)
            | (usize::from(week >= usize::from(p.arrival_week) + 156) * class::THREE_YEARS)
            | (usize::from(employed & (work.job < Some(p.skill))) * class::UNDEREMPLOYED)
            | (usize::from(work.grew_up_here) * class::GREW_UP_HERE)
            | (work.job.map_or(TIERS, Tier::index) << class::JOB_SHIFT);
        c.classes[k % class::CLASSES] += 1;
        // The progress sums add in person order; a child adds 0.0, which
        // leaves the (non-negative) sums as if the child had been skipped.
        let adult = f64::from(u8::from(p.adult));
        c.progress[0] += adult * f64::from(progress.language);
        c.progress[1] += adult * f64::from(progress.bonds);
        c.progress[2] += adult * f64::from(progress.bridges);
        c.progress[3] += adult * f64::from(progress.links);
        let cohort = usize::from(p.arrival_week) / 52;
        let cohort = if counted & (cohort < self.cohorts) {
            cohort
        } else {
            self.cohorts
        };
        let k = &mut self.cohort_counts[r * (self.cohorts + 1) + cohort];
        k[0] += 1;
        k[1] += u32::from(employed);
        // Money: earnings, pensions, and the household's means test. These
        // branch, unlike the counts above: a person in work, retired or with
        // a residence status is what they ask about, and most persons skip
        // most of it (a worker's gross earnings are kept by the labour
        // market).
        let mut counted = 0.0;
        if let Some(t) = work.job {
            let gross = f64::from(career.gross);
            c.earnings[t.index()] += gross;
            if refugee {
                counted = rules.counted(t.index(), gross);
            }
        }
        // Retired by age: an adult not of working age may also be younger
        // than `demography.working_age_from`.
        let retired = age.years >= rules.retirement_age;
        if retired {
            let pension = rules.pension(career);
            c.pensions += pension;
            if refugee {
                c.top_ups += (rules.old_age_minimum_week - pension).max(0.0);
            }
        }
        // Only households with a residence status draw benefits.
        if res.legal.has_status() {
            self.needs.note(res.slot, p, age, *role, retired, counted);
        }
    }
}

/// Persons counted through their households in one region this week
/// (agents), by legal status and by housing (in the enums' order).
#[derive(Clone, Copy, Default)]
pub struct HouseholdCounts {
    legal: [u32; LEGAL_STATUSES],
    housing: [u32; 6],
    homeless_refugees: u32,
    /// Homeless persons by path (`HomelessPath` order).
    homeless_by_path: [u32; HOMELESS_PATHS],
    searching: u32,
    emergency_asylum: u32,
    sponsored: u32,
    /// Households present, overcrowded, needing a larger home; family
    /// members of pending reunion applications.
    households: u32,
    overcrowded: u32,
    outgrown: u32,
    /// Benefits paid to agents' households, and those on basic income.
    benefits: f64,
    on_benefits: u32,
}

#[allow(clippy::too_many_arguments)]
pub fn observe(
    clock: Res<Clock>,
    params: Res<Params>,
    regions: Res<Regions>,
    market: Res<HousingMarket>,
    removals: Res<Removals>,
    volunteers: Res<Volunteers>,
    flows: Res<Flows>,
    mut tally: ResMut<Tally>,
    mut record: ResMut<Record>,
    mut sums: ResMut<Sums>,
    reunion: Res<ReunionQueue>,
    households: Query<(&Household, &Tenancy)>,
    mut hh: Local<Vec<HouseholdCounts>>,
    mut origin: Local<Vec<u32>>,
) {
    let week = clock.week as usize;
    let nr = params.regions;
    let scale = params.scale;
    let record = &mut *record;
    let series = &mut record.series;
    tally.by_origin.fill(0.0);
    tally.origin_total.fill(0.0);
    tally.emergency.fill(0.0);
    tally.homeless.fill(0.0);
    tally.sponsored.fill(0.0);
    tally.bridges.fill(0.0);
    tally.waiting.fill([0.0; SERVICES]);

    // Household-level counts (persons: households are simulated at full
    // resolution at every scale), as integers per region, written
    // once per region (the same values as adding each household's size:
    // sums of whole numbers are exact).
    hh.clear();
    hh.resize(nr, HouseholdCounts::default());
    origin.clear();
    origin.resize(nr * params.groups, 0);
    // Without branches on statuses, which mix at random: each count adds
    // the household's size or nothing.
    let rates = BenefitRates::new(&params.scenario.accounts.benefits);
    let tables = || {
        households
            .contiguous_iter()
            .expect("households are stored in tables")
    };
    // Only agents' members were counted into their household's needs.
    sums.needs
        .gather(tables().flat_map(|(households, _)| households.iter().map(|h| h.slot)));
    let mut i = 0;
    for (households, tenancies) in tables() {
        for (h, t) in households.iter().zip(tenancies) {
            let needs = sums.needs.get(i);
            i += 1;
            if h.region == u16::MAX {
                continue;
            }
            let r = h.region as usize;
            if h.agents & h.legal.has_status() {
                let (paid, basic) = benefits(needs, h, &rates);
                hh[r].benefits += paid;
                hh[r].on_benefits += u32::from(basic);
            }
            let n = u32::from(h.size);
            let c = &mut hh[r];
            c.legal[h.legal as usize] += n;
            let present = h.legal != LegalStatus::Departed;
            let counted = |b: bool| n * u32::from(present & b);
            c.housing[h.housing as usize] += counted(true);
            let homeless = h.housing == HousingStatus::Homeless;
            c.homeless_refugees += counted(homeless & h.legal.is_refugee());
            c.homeless_by_path[t.homeless_path as usize] += counted(homeless);
            c.searching += counted(h.housing_queue_since != NEVER);
            c.emergency_asylum += counted(
                (h.legal == LegalStatus::AsylumSeeker) & (h.housing == HousingStatus::Emergency),
            );
            c.sponsored += counted(h.sponsored);
            let one = |b: bool| u32::from(present & b);
            c.households += one(true);
            c.overcrowded += one(h.housing == HousingStatus::Overcrowded);
            c.outgrown += one(h.needs_larger_home());
            origin[r * params.groups + h.origin as usize] += counted(true);
        }
    }
    for (r, c) in hh.iter().enumerate() {
        let row = series.row_mut(week, r);
        let legal = |s: LegalStatus| f64::from(c.legal[s as usize]);
        let housing = |s: HousingStatus| f64::from(c.housing[s as usize]);
        row[ind::ASYLUM_SEEKERS] += legal(LegalStatus::AsylumSeeker);
        row[ind::RECOGNISED] += legal(LegalStatus::Recognised);
        row[ind::REJECTED] += legal(LegalStatus::Rejected);
        row[ind::SUBSIDIARY] += legal(LegalStatus::Subsidiary);
        row[ind::APPEALING] += legal(LegalStatus::Appealing);
        row[ind::TOLERATED] += legal(LegalStatus::Tolerated);
        row[ind::RESETTLED] += legal(LegalStatus::Resettled);
        row[ind::RESIDENTS] += legal(LegalStatus::Resident);
        row[ind::DEPARTED] += legal(LegalStatus::Departed);
        let present: u32 = c.legal.iter().sum::<u32>() - c.legal[LegalStatus::Departed as usize];
        row[ind::PRESENT] += f64::from(present);
        row[ind::RECEPTION_OCCUPANCY] += housing(HousingStatus::Reception);
        row[ind::EMERGENCY] += housing(HousingStatus::Emergency);
        row[ind::MAINSTREAM] += housing(HousingStatus::Mainstream);
        row[ind::OVERCROWDED] += housing(HousingStatus::Overcrowded);
        row[ind::HOMELESS] += housing(HousingStatus::Homeless);
        row[ind::HOMELESS_REFUGEES] += f64::from(c.homeless_refugees);
        row[ind::HOMELESS_AFTER_MOVE_ON] += f64::from(c.homeless_by_path[1]);
        row[ind::HOMELESS_AFTER_REJECTION] += f64::from(c.homeless_by_path[2]);
        row[ind::SEARCHING_FOR_HOME] += f64::from(c.searching);
        row[ind::HOUSEHOLDS] += f64::from(c.households);
        row[ind::OVERCROWDED_HOUSEHOLDS] += f64::from(c.overcrowded);
        row[ind::NEEDING_LARGER_HOME] += f64::from(c.outgrown);
        row[ind::REUNION_BACKLOG] += reunion.backlog[r];
        tally.emergency[r] += f64::from(c.emergency_asylum);
        tally.homeless[r] += housing(HousingStatus::Homeless);
        tally.sponsored[r] += f64::from(c.sponsored);
        record.person_weeks += f64::from(present);
        sums.slots[r].benefits = c.benefits;
        sums.slots[r].households_on_benefits = f64::from(c.on_benefits);
    }
    for (i, &n) in origin.iter().enumerate() {
        tally.by_origin[i] += f64::from(n);
    }
    for g in 0..params.groups {
        let n: u32 = (0..nr).map(|r| origin[r * params.groups + g]).sum();
        tally.origin_total[g] += f64::from(n);
    }

    // Those who left the country or died are no longer in the world.
    for (r, &n) in record.departed.iter().enumerate() {
        series.row_mut(week, r)[ind::DEPARTED] += n;
    }
    for (r, &n) in record.deceased.iter().enumerate() {
        series.row_mut(week, r)[ind::DECEASED] += n;
    }

    // Person counts, taken during the labour market's pass.
    record.agent_weeks += sums.present();
    for (r, c) in sums.counts.iter().enumerate() {
        let row = series.row_mut(week, r);
        // Waiting lists: everyone waits for places, at every scale; the
        // agents are counted here, the others by the services.
        for sv in Service::ALL {
            let others = regions.0[r].waiting_not_agents[sv as usize];
            let n = f64::from(c.waiting[sv as usize] + others);
            row[ind::service_indicator(sv, ind::WAITING)] += n;
            tally.waiting[r][sv as usize] += n;
        }
        row[ind::WORKING_AGE_REFUGEES] += f64::from(c.working_age_refugees);
        row[ind::EMPLOYED_REFUGEES] += f64::from(c.employed_refugees);
    }

    // Region-level values, then the national slot as the sum of regions.
    for (r, region) in regions.0.iter().enumerate() {
        let row = series.row_mut(week, r);
        row[ind::ARRIVALS] = flows.arrivals[r];
        // Next week's contact and salience (3.1, volunteers).
        tally.bridges[r] = sums.slots[r].bridges * scale;
        row[ind::DECISIONS] = flows.decisions[r];
        row[ind::APPEAL_DECISIONS] = flows.appeal_decisions[r];
        row[ind::RECOGNITIONS] = flows.recognitions[r];
        row[ind::ASYLUM_BACKLOG] = row[ind::ASYLUM_SEEKERS];
        row[ind::RECEPTION_CAPACITY] = f64::from(region.reception_capacity);
        row[ind::JOBS..ind::JOBS + TIERS].copy_from_slice(&region.jobs);
        let m = &market.0[r];
        row[ind::HOUSED] = f64::from(m.housed);
        row[ind::REMOVALS] = removals.removed[r];
        row[ind::HOUSING_WAIT_WEEKS] = m.wait_sum;
        row[ind::VACANT_UNITS] = m.vacant.iter().flatten().sum::<u64>() as f64;
        row[ind::BIRTHS] = flows.births[r];
        row[ind::DEATHS] = flows.deaths[r];
        row[ind::HOUSEHOLDS_FORMED] = flows.households_formed[r];
        row[ind::REUNION_APPLICATIONS] = flows.reunion_applications[r];
        row[ind::REUNION_ARRIVALS] = flows.reunion_arrivals[r];
        row[ind::SCHOOL_STARTED] = flows.school_started[r];
        row[ind::SCHOOL_MEAN_WAIT_WEEKS] = flows.school_wait_sum[r];
        row[ind::SCHOOL_WAITING] = f64::from(region.school_waiting[0] + region.school_waiting[1]);
        for level in 0..2 {
            row[ind::PUPILS + level] = f64::from(region.pupils[level]);
            row[ind::SCHOOL_PLACES + level] = f64::from(region.school_places[level]);
        }
        for s in Service::ALL {
            let i = s as usize;
            row[ind::service_indicator(s, ind::IN_SERVICE)] = f64::from(region.in_service[i]);
            row[ind::service_indicator(s, ind::SEATS)] = f64::from(region.seats[i]);
            row[ind::service_indicator(s, ind::STARTED)] = f64::from(flows.started[r][i]);
            row[ind::service_indicator(s, ind::MEAN_WAIT_WEEKS)] = flows.wait_sum[r][i];
            record.total_started[r][i] += f64::from(flows.started[r][i]);
            record.total_wait[r][i] += flows.wait_sum[r][i];
        }
    }
    tally.arrivals = flows.arrivals.iter().sum();
    let national = nr;
    for r in 0..nr {
        for k in 0..series.indicators {
            let v = series.get(week, r, k);
            let i = series.index(week, national, k);
            series.values[i] += v;
        }
        let (regional, rest) = sums.slots.split_at_mut(nr);
        let n = &mut rest[0];
        let s = &regional[r];
        n.adults += s.adults;
        n.language += s.language;
        n.bonds += s.bonds;
        n.bridges += s.bridges;
        n.links += s.links;
        n.underemployed += s.underemployed;
        n.wa_3y += s.wa_3y;
        n.employed_3y += s.employed_3y;
        for c in 0..s.cohort_wa.len() {
            n.cohort_wa[c] += s.cohort_wa[c];
            n.cohort_employed[c] += s.cohort_employed[c];
        }
        for t in 0..TIERS {
            n.earnings_by_tier[t] += s.earnings_by_tier[t];
        }
        n.benefits += s.benefits;
        n.households_on_benefits += s.households_on_benefits;
        n.pensions += s.pensions;
        n.children += s.children;
        n.retired += s.retired;
        n.second_generation += s.second_generation;
        n.second_generation_employed += s.second_generation_employed;
    }

    // Finish each slot: counts to persons, sums to means and rates.
    let total_pop: f64 = params
        .scenario
        .regions
        .iter()
        .map(|r| r.population as f64)
        .sum();
    for slot in 0..=nr {
        let s = &sums.slots[slot];
        let attitude = if slot < nr {
            regions.0[slot].attitude
        } else {
            regions
                .0
                .iter()
                .zip(&params.scenario.regions)
                .map(|(x, spec)| x.attitude * spec.population as f64)
                .sum::<f64>()
                / total_pop
        };
        let row = series.row_mut(week, slot);
        // Mean waits of those who started or moved, before counts are scaled.
        let housed = row[ind::HOUSED];
        row[ind::HOUSING_WAIT_WEEKS] = ratio(row[ind::HOUSING_WAIT_WEEKS], housed);
        for sv in Service::ALL {
            let started = row[ind::service_indicator(sv, ind::STARTED)];
            let wait = ind::service_indicator(sv, ind::MEAN_WAIT_WEEKS);
            row[wait] = if started > 0.0 {
                row[wait] / started
            } else {
                f64::NAN
            };
        }
        // Counts of households' members and of service places are persons
        // already; counts of person agents stand for `scale` persons each.
        let started = row[ind::SCHOOL_STARTED];
        row[ind::SCHOOL_MEAN_WAIT_WEEKS] = ratio(row[ind::SCHOOL_MEAN_WAIT_WEEKS], started);
        row[ind::CHILDREN] = s.children * scale;
        row[ind::RETIRED] = s.retired * scale;
        row[ind::SECOND_GENERATION_WORKING_AGE] = s.second_generation * scale;
        row[ind::SECOND_GENERATION_EMPLOYMENT_RATE] =
            ratio(s.second_generation_employed, s.second_generation);
        let wa = row[ind::WORKING_AGE_REFUGEES];
        let emp = row[ind::EMPLOYED_REFUGEES];
        row[ind::EMPLOYMENT_RATE] = ratio(emp, wa);
        row[ind::UNDEREMPLOYMENT_RATE] = ratio(s.underemployed, emp);
        row[ind::EMPLOYMENT_RATE_3Y] = ratio(s.employed_3y, s.wa_3y);
        row[ind::WORKING_AGE_REFUGEES] = wa * scale;
        row[ind::EMPLOYED_REFUGEES] = emp * scale;
        row[ind::MEAN_LANGUAGE] = ratio(s.language, s.adults);
        row[ind::MEAN_BONDS] = ratio(s.bonds, s.adults);
        row[ind::MEAN_BRIDGES] = ratio(s.bridges, s.adults);
        row[ind::MEAN_LINKS] = ratio(s.links, s.adults);
        row[ind::ATTITUDE] = attitude;
        row[ind::VOLUNTEERS] = volunteers.stock;
        for c in 0..s.cohort_wa.len() {
            row[ind::cohort_indicator(c, ind::COHORT_EMPLOYMENT_RATE)] =
                ratio(s.cohort_employed[c], s.cohort_wa[c]);
        }
    }
}

/// A rate, or NaN (written as an empty field) when the denominator is zero.
fn ratio(num: f64, den: f64) -> f64 {
    if den > 0.0 { num / den } else { f64::NAN }
}
