//! Shared rules of the life course, read by the processes that spawn,
//! age and remove persons: the life stage an age gives, drawing ages from
//! an origin group's age profile, and the quantities derived once per
//! replication from the scenario's demography and origin groups.

use rand::RngExt;
use rand_pcg::Pcg64Mcg;

use super::components::SchoolLevel;
use super::life_table;
use crate::scenario::{Demography, Scenario};

/// Oldest age a person reaches (ages stop here; the life table's last
/// probability applies from 100 on, so nobody is expected to get close).
pub const MAX_AGE: u8 = 120;

/// What an age makes a person.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Stage {
    pub adult: bool,
    pub working_age: bool,
    /// The school level the age calls for.
    pub school: SchoolLevel,
}

/// The life stage of a person of `age` years.
pub fn stage(age: u8, d: &Demography) -> Stage {
    let a = u32::from(age);
    let school = if a < d.school_start_age || a >= d.school_leaving_age {
        SchoolLevel::None
    } else if a < d.secondary_school_age {
        SchoolLevel::Primary
    } else {
        SchoolLevel::Secondary
    };
    Stage {
        adult: a >= d.adult_age,
        working_age: a >= d.working_age_from && a < d.retirement_age,
        school,
    }
}

/// Quantities of the life course derived from the scenario once per
/// replication.
#[derive(Debug, Clone)]
pub struct Life {
    /// Probability of dying within a year at each age 0 … [`MAX_AGE`].
    pub death_probability: Vec<f64>,
    /// Births per mother-year within the childbearing span.
    pub birth_rate: f64,
    /// Yearly probabilities of the events drawn for the year ahead, each
    /// with ln(1 − p) for parts of a year: dying at each age, giving birth
    /// (a mother in the childbearing span), leaving home.
    pub yearly_death: Vec<(f64, f64)>,
    pub yearly_birth: (f64, f64),
    pub yearly_leaving: (f64, f64),
    /// Per origin group: cumulative age weights, `cumulative[a]` the weight
    /// of ages below `a` (ages 0 … [`MAX_AGE`]).
    pub cumulative_ages: Vec<Vec<f64>>,
    /// Per origin group: shares of households of two or more that are
    /// single parents, and extended.
    pub household_types: Vec<(f64, f64)>,
    /// Per origin group: probability that a household arriving as a single
    /// adult (asylum) has a family abroad, and the cumulative shares of the
    /// family's size (spouse and children: 1, 2, …).
    pub abroad_share: Vec<f64>,
    pub abroad_sizes: Vec<Vec<f64>>,
}

impl Life {
    pub fn new(s: &Scenario) -> Life {
        let d = &s.demography;
        let span = f64::from(d.fertility_to_age.saturating_sub(d.fertility_from_age) + 1);
        let mut cumulative_ages = Vec::new();
        let mut household_types = Vec::new();
        let mut abroad_share = Vec::new();
        let mut abroad_sizes = Vec::new();
        for g in &s.arrivals.origin_groups {
            let mut weight = vec![0.0; usize::from(MAX_AGE) + 1];
            for (lo, hi, share) in g.age_profile.bands() {
                let width = f64::from(hi - lo + 1);
                for w in &mut weight[lo as usize..=hi as usize] {
                    *w += share / width;
                }
            }
            let mut acc = 0.0;
            let mut cum = vec![0.0];
            for w in weight {
                acc += w;
                cum.push(acc);
            }
            cumulative_ages.push(cum);
            let t = &g.household_types;
            household_types.push((t.single_parent, t.extended));
            let (share, sizes) = abroad(g);
            abroad_share.push(share);
            abroad_sizes.push(sizes);
        }
        let death_probability =
            life_table::probabilities(d.life_table, d.mortality_multiplier, usize::from(MAX_AGE));
        let birth_rate = d.total_fertility_rate / span;
        let with_log = |p: f64| {
            let p = p.clamp(0.0, 1.0);
            (p, (-p).ln_1p())
        };
        Life {
            yearly_death: death_probability.iter().map(|&q| with_log(q)).collect(),
            yearly_birth: with_log(birth_rate),
            yearly_leaving: with_log(d.leaving_home_rate_per_year),
            death_probability,
            birth_rate,
            cumulative_ages,
            household_types,
            abroad_share,
            abroad_sizes,
        }
    }

    /// An age from group `g`'s profile between `lo` and `hi` (inclusive);
    /// uniform over the range where the profile gives it no weight.
    pub fn draw_age(&self, rng: &mut Pcg64Mcg, g: usize, lo: u8, hi: u8) -> u8 {
        let (lo, hi) = (lo.min(MAX_AGE), hi.min(MAX_AGE).max(lo.min(MAX_AGE)));
        let cum = &self.cumulative_ages[g];
        let (a, b) = (cum[usize::from(lo)], cum[usize::from(hi) + 1]);
        if b <= a {
            return lo + (rng.random::<f64>() * f64::from(hi - lo + 1)) as u8;
        }
        let u = a + rng.random::<f64>() * (b - a);
        // The first age whose cumulative weight passes u.
        let i = cum[usize::from(lo) + 1..=usize::from(hi) + 1].partition_point(|&c| c <= u);
        (usize::from(lo) + i).min(usize::from(hi)) as u8
    }
}

/// The share of single adults with a family abroad, and the cumulative
/// shares of that family's size, for one origin group: the family is sized
/// like the group's households of two or more less the sponsor, and the
/// share is set so that arrivals have `members_per_adult` family members
/// abroad per adult, at most every single adult having one.
fn abroad(g: &crate::scenario::OriginGroup) -> (f64, Vec<f64>) {
    let h = &g.household_sizes;
    let single = h.first().copied().unwrap_or(0.0);
    let larger: f64 = h.iter().skip(1).sum();
    let (sp, ex) = (g.household_types.single_parent, g.household_types.extended);
    // Adults per arriving household: 1 alone; of two, 1 for a single
    // parent, else 2; of three or more, 1, 3 (extended) or 2.
    let mut adults = single;
    for (k, &w) in h.iter().enumerate().skip(1) {
        adults += w * if k == 1 { 2.0 - sp } else { 2.0 - sp + ex };
    }
    let mut acc = 0.0;
    let sizes: Vec<f64> = if larger > 0.0 {
        h.iter()
            .skip(1)
            .map(|w| {
                acc += w / larger;
                acc
            })
            .collect()
    } else {
        vec![1.0]
    };
    let mean_members = if larger > 0.0 {
        h.iter()
            .enumerate()
            .skip(1)
            .map(|(k, w)| k as f64 * w / larger)
            .sum()
    } else {
        1.0
    };
    let share = if single > 0.0 {
        (g.family_abroad.members_per_adult * adults / (single * mean_members)).min(1.0)
    } else {
        0.0
    };
    (share, sizes)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scenario() -> Scenario {
        crate::scenario::parse_str(
            "name: x\nhorizon_weeks: 1\nregions: [{name: r, population: 1, reception_places: 1, jobs: {low: 1, mid: 1, high: 1}}]\n\
             arrivals: {weekly_rate: 1, origin_groups: [{name: g, share: 1, skills: {low: 1, mid: 0, high: 0}, \
             household_sizes: [0.5, 0.1, 0.4], recognition_probability: 1}]}\n",
            "x.yaml",
        )
        .expect("valid")
    }

    #[test]
    fn stages_follow_the_ages_of_the_demography_block() {
        let d = Demography::default();
        assert_eq!(stage(5, &d).school, SchoolLevel::None);
        assert_eq!(stage(6, &d).school, SchoolLevel::Primary);
        assert_eq!(stage(10, &d).school, SchoolLevel::Secondary);
        assert_eq!(stage(16, &d).school, SchoolLevel::None);
        assert!(!stage(17, &d).adult && stage(18, &d).adult);
        assert!(stage(18, &d).working_age && stage(66, &d).working_age);
        assert!(!stage(67, &d).working_age && stage(67, &d).adult);
    }

    #[test]
    fn ages_keep_to_their_range_and_follow_the_profile() {
        let life = Life::new(&scenario());
        let mut rng = <Pcg64Mcg as rand::SeedableRng>::seed_from_u64(3);
        let mut under_4 = 0;
        let n = 200_000;
        for _ in 0..n {
            let a = life.draw_age(&mut rng, 0, 0, 17);
            assert!(a <= 17);
            under_4 += usize::from(a < 4);
        }
        // Default profile: 0.12 of 0.314 under 18 are under 4.
        let p = 0.12 / 0.314;
        let sd = (p * (1.0 - p) / n as f64).sqrt();
        assert!((under_4 as f64 / n as f64 - p).abs() < 5.0 * sd);
        for _ in 0..1000 {
            let a = life.draw_age(&mut rng, 0, 30, 79);
            assert!((30..=79).contains(&a));
        }
        // A range with no weight is drawn uniformly.
        for _ in 0..1000 {
            assert!((100..=110).contains(&life.draw_age(&mut rng, 0, 100, 110)));
        }
    }

    #[test]
    fn the_abroad_share_gives_the_members_per_adult() {
        let life = Life::new(&scenario());
        // Sizes 1: 0.5, 2: 0.1, 3: 0.4; types 0.15 single parent, 0.10
        // extended: adults per household 0.5 + 0.1 × 1.85 + 0.4 × 1.95 =
        // 1.465; members abroad 0.1/0.5 × 1 + 0.4/0.5 × 2 = 1.8; share =
        // 0.275 × 1.465 / (0.5 × 1.8).
        let expected = 0.275 * 1.465 / (0.5 * 1.8);
        assert!((life.abroad_share[0] - expected).abs() < 1e-12);
        assert_eq!(life.abroad_sizes[0], vec![0.2, 1.0]);
    }
}
