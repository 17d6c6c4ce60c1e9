//! Which households carry person agents at `scale: k`.
//!
//! Households are simulated at full resolution whatever the scale: every
//! household arrives, is dispersed, decided, received and housed on its
//! own, so that the rationed capacities of those processes (reception
//! places, decisions, housing units) meet the same queue, with the same
//! timing, as at scale 1. What `scale` thins is persons: one household in
//! k carries its members as person agents, each standing for k persons;
//! the others carry only their size. Person processes (services,
//! integration, the labour market) run on those agents, so their work
//! falls k-fold, and their counts are multiplied by k.
//!
//! Thinning the households instead (one agent household standing for k
//! households, with capacities divided by k) is not scale-free: an FCFS
//! queue with a deadline whose arrivals and capacity are both k-fold
//! sparser runs k times slower in time (docs/model.md, "What scale
//! changes").
//!
//! The sample is systematic within each stratum (channel, origin group,
//! household size): of the households of a stratum, in arrival order, every
//! k-th carries agents, counted from a random start in 0..k drawn once per
//! replication. Each household is chosen with probability exactly 1/k,
//! and the agents' mix of channels, groups and sizes follows the
//! households' up to one household per stratum. The starts come from a
//! stream of their own, and only arrival order counts, so the sample does
//! not depend on the policy (common random numbers).

use bevy_ecs::prelude::*;
use rand::RngExt;
use rand_pcg::Pcg64Mcg;

use super::components::Channel;
use crate::scenario::MAX_HOUSEHOLD_SIZE;

/// Channels, for strata.
const CHANNELS: usize = 5;

/// The systematic sample of households that carry person agents.
#[derive(Resource)]
pub struct Sample {
    k: u32,
    groups: usize,
    /// Per stratum: households seen so far plus the random start.
    next: Vec<u32>,
}

impl Sample {
    /// The sample at scale `k` for `groups` origin groups, its random
    /// starts drawn from `rng`.
    pub fn new(k: u32, groups: usize, rng: &mut Pcg64Mcg) -> Sample {
        let k = k.max(1);
        let strata = CHANNELS * groups * MAX_HOUSEHOLD_SIZE;
        Sample {
            k,
            groups,
            next: (0..strata).map(|_| rng.random_range(0..k)).collect(),
        }
    }

    /// Does the next household of this stratum carry person agents?
    pub fn take(&mut self, channel: Channel, group: usize, size: usize) -> bool {
        if self.k == 1 {
            return true;
        }
        let stratum = (channel as usize * self.groups + group) * MAX_HOUSEHOLD_SIZE
            + size.clamp(1, MAX_HOUSEHOLD_SIZE)
            - 1;
        let n = &mut self.next[stratum];
        let chosen = n.is_multiple_of(self.k);
        *n = n.wrapping_add(1);
        chosen
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng;

    #[test]
    fn one_household_in_k_per_stratum() {
        let mut rng = Pcg64Mcg::seed_from_u64(3);
        let mut s = Sample::new(10, 2, &mut rng);
        let chosen = (0..1000).filter(|_| s.take(Channel::Asylum, 1, 4)).count();
        assert_eq!(chosen, 100);
        // Strata are counted apart: another size starts its own count.
        let other = (0..10).filter(|_| s.take(Channel::Asylum, 1, 5)).count();
        assert_eq!(other, 1);
        let mut one = Sample::new(1, 2, &mut rng);
        assert!((0..50).all(|_| one.take(Channel::Family, 0, 2)));
    }

    #[test]
    fn every_household_is_equally_likely_to_carry_agents() {
        // Over many replications (random starts), the first, second, …
        // household of a stratum are each chosen about 1/k of the time.
        let k = 4;
        let mut hits = [0u32; 8];
        for seed in 0..4000 {
            let mut rng = Pcg64Mcg::seed_from_u64(seed);
            let mut s = Sample::new(k, 1, &mut rng);
            for h in &mut hits {
                *h += u32::from(s.take(Channel::Labour, 0, 1));
            }
        }
        for h in hits {
            // 1000 expected; binomial sd about 27.
            assert!((880..1120).contains(&h), "{hits:?}");
        }
    }
}
