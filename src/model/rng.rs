//! Random streams. Each replication has one PCG stream per weekly process,
//! seeded from the master seed and the replication's identity alone, so a
//! replication is a pure function of (scenario, seed, identity), and a
//! change to one process leaves the other processes' draws unchanged.

use rand::SeedableRng;
use rand_pcg::Pcg64Mcg;

/// Which random future a replication lives in. Policies are deliberately
/// not part of it: every policy run in the same (scenario, sample,
/// replication) cell sees the same random future (common random numbers).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct ReplicationKey {
    pub master_seed: u64,
    /// Scenario name within an experiment; empty for a plain scenario file.
    pub scenario: String,
    /// Index of the sample of uncertainties; 0 for a plain scenario file.
    pub sample: u32,
    pub replication: u32,
}

impl ReplicationKey {
    /// The key of replication `replication` of a plain scenario file.
    pub fn new(master_seed: u64, replication: u32) -> ReplicationKey {
        ReplicationKey {
            master_seed,
            scenario: String::new(),
            sample: 0,
            replication,
        }
    }

    /// A 64-bit digest of the key, reported as the replication's seed.
    pub fn seed(&self) -> u64 {
        let mut h = mix(self.master_seed ^ 0x666f_7265_7369_6768); // "foresigh"
        for b in self.scenario.bytes() {
            h = mix(h ^ u64::from(b));
        }
        h = mix(h ^ (self.scenario.len() as u64) << 8);
        h = mix(h ^ u64::from(self.sample));
        mix(h ^ u64::from(self.replication).rotate_left(32))
    }

    /// The stream of one weekly process.
    pub fn stream(&self, process: Process) -> Pcg64Mcg {
        let s = mix(self.seed() ^ mix(process as u64 + 1));
        Pcg64Mcg::seed_from_u64(s)
    }
}

impl ReplicationKey {
    /// The stream of one named part of a process (a wildcard by its name):
    /// adding, removing or reordering the others leaves its draws unchanged.
    pub fn named_stream(&self, process: Process, name: &str) -> Pcg64Mcg {
        let mut h = mix(self.seed() ^ mix(process as u64 + 1));
        for b in name.bytes() {
            h = mix(h ^ u64::from(b));
        }
        Pcg64Mcg::seed_from_u64(mix(h ^ (name.len() as u64) << 8))
    }

    /// The stream of a named driver, in the wildcards' process: a first
    /// byte 0xFF, which no name (UTF-8) contains, keeps it apart from every
    /// wildcard's stream.
    pub fn driver_stream(&self, name: &str) -> Pcg64Mcg {
        let mut h = mix(self.seed() ^ mix(Process::Wildcards as u64 + 1));
        for b in std::iter::once(0xFF).chain(name.bytes()) {
            h = mix(h ^ u64::from(b));
        }
        Pcg64Mcg::seed_from_u64(mix(h ^ (name.len() as u64 + 1) << 8))
    }
}

/// The weekly processes that draw random numbers.
#[derive(Debug, Clone, Copy)]
#[repr(u64)]
pub enum Process {
    Arrivals = 1,
    Dispersal = 2,
    AsylumDecisions = 3,
    MovingOn = 4,
    SecondaryMovement = 5,
    Services = 6,
    LabourMarket = 7,
    Setup = 8,
    Sponsorship = 9,
    /// Traits of the members of spontaneous arrivals and of the initial
    /// backlog, apart from the households' own draws, so that the
    /// households are the same at every scale ([`super::sampling`]).
    Members = 10,
    /// Traits of the members of sponsored households.
    SponsoredMembers = 11,
    /// The sample's random starts ([`super::sampling`]).
    Sampling = 12,
    /// Wildcards and named drivers: each its own stream, keyed by its name
    /// ([`ReplicationKey::named_stream`], [`ReplicationKey::driver_stream`]).
    Wildcards = 13,
    Ageing = 14,
    Deaths = 15,
    Births = 16,
    LeavingHome = 17,
    FamilyReunion = 18,
    HousingMarket = 19,
    Appeals = 20,
}

/// SplitMix64's finaliser: a fixed, well-mixed bijection (its constants are
/// part of the output format: changing them changes every result).
pub fn mix(mut z: u64) -> u64 {
    z = z.wrapping_add(0x9e37_79b9_7f4a_7c15);
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::Rng;

    #[test]
    fn streams_differ_by_identity_and_process() {
        let a = ReplicationKey::new(7, 0);
        let b = ReplicationKey::new(7, 1);
        assert_ne!(a.seed(), b.seed());
        assert_eq!(a.seed(), ReplicationKey::new(7, 0).seed());
        let x = a.stream(Process::Arrivals).next_u64();
        let y = a.stream(Process::Dispersal).next_u64();
        assert_ne!(x, y);
        let mut k = a.clone();
        k.scenario = "surge".into();
        assert_ne!(k.seed(), a.seed());
    }
}
