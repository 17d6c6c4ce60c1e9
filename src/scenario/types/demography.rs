//! Ages and the life course: the ages at which life stages begin, deaths
//! by a life table, births, young adults leaving home; and the age
//! profiles and household types of arriving households.

use serde::{Deserialize, Serialize};

block_with_defaults! {
    /// Ages of the life stages, mortality, fertility and household
    /// formation (the `demography` block).
    pub struct Demography {
        /// Age of majority: adults may take language courses and form a
        /// household of their own (the German civil code, S15).
        pub adult_age: u32 = 18,
        /// First age of working age: from it a person may seek work (A52).
        pub working_age_from: u32 = 18,
        /// Age at which people retire: they leave the labour market and any
        /// job (the German standard retirement age, S16).
        pub retirement_age: u32 = 67,
        /// Age at which children start primary school (S17).
        pub school_start_age: u32 = 6,
        /// Age at which children move from primary to secondary school (S17).
        pub secondary_school_age: u32 = 10,
        /// Age at which compulsory full-time schooling ends (S17).
        pub school_leaving_age: u32 = 16,
        /// The life table whose probabilities of dying by age apply.
        pub life_table: LifeTable = LifeTable::Destatis2016To2018,
        /// Multiplier on the life table's probabilities of dying (1: as
        /// published).
        pub mortality_multiplier: f64 = 1.0,
        /// Children a woman would have over ages `fertility_from_age` to
        /// `fertility_to_age` at this year's rates (Destatis 2016, women of
        /// foreign nationality in Germany: 2.28, S18).
        pub total_fertility_rate: f64 = 2.28,
        /// First and last age of the childbearing span over which the total
        /// fertility rate is spread evenly (S18 defines it over 15–49).
        pub fertility_from_age: u32 = 15,
        pub fertility_to_age: u32 = 49,
        /// Yearly probability that an adult son or daughter leaves the
        /// parental household to form one of their own: 1 / (23.8 − 18), the
        /// mean age at leaving home in Germany (S19) less the age of majority.
        pub leaving_home_rate_per_year: f64 = 0.17,
    }
}

/// A published life table (probabilities of dying by single year of age).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LifeTable {
    /// Destatis, Sterbetafel 2016/2018 for Germany (GENESIS 12621-0001), the
    /// mean of the male and female probabilities (S20).
    #[serde(rename = "destatis_2016_2018")]
    Destatis2016To2018,
}

block_with_defaults! {
    /// Shares of arriving persons by age band. Children's ages are drawn from
    /// the bands under 18, adults' from the bands from 18; within a band every
    /// year of age is equally likely. Defaults: first-time asylum applicants
    /// in Germany, January to November 2016 (S21); the split of the bands
    /// 40–64 and 65+ is an assumption (A53).
    pub struct AgeProfile {
        /// Ages 0–3.
        pub under_4: f64 = 0.12,
        /// Ages 4–17.
        pub from_4_to_17: f64 = 0.194,
        /// Ages 18–24.
        pub from_18_to_24: f64 = 0.251,
        /// Ages 25–39.
        pub from_25_to_39: f64 = 0.335,
        /// Ages 40–64.
        pub from_40_to_64: f64 = 0.095,
        /// Ages 65–79.
        pub from_65: f64 = 0.005,
    }
}

impl AgeProfile {
    /// The bands as (first age, last age, share), in order.
    pub fn bands(&self) -> [(u32, u32, f64); 6] {
        [
            (0, 3, self.under_4),
            (4, 17, self.from_4_to_17),
            (18, 24, self.from_18_to_24),
            (25, 39, self.from_25_to_39),
            (40, 64, self.from_40_to_64),
            (65, 79, self.from_65),
        ]
    }
}

block_with_defaults! {
    /// Who lives in a household of two or more persons. A household of one is
    /// a single adult. A larger one is a single parent with children, a couple
    /// with their children (a couple alone when of two), or an extended
    /// household (a couple, their children and one more adult relative; two
    /// adult relatives when of two). Shares of households of two or more;
    /// `couple` is what remains (A54).
    pub struct HouseholdTypes {
        pub single_parent: f64 = 0.15,
        pub extended: f64 = 0.10,
    }
}

block_with_defaults! {
    /// Family members abroad who may join a recognised sponsor (family
    /// reunion) and the protection granted.
    pub struct FamilyAbroad {
        /// Spouses and minor children abroad per recognised adult (IAB,
        /// 100,000–120,000 per 400,000 adults with refugee status, S22). They
        /// are given to households that arrived as a single adult: the share
        /// of those with a family abroad is set so that the group's arrivals
        /// have this many family members abroad per adult. The family
        /// abroad is a spouse and children, sized like the group's households
        /// of two or more less the sponsor.
        pub members_per_adult: f64 = 0.275,
        /// Share of grants of protection (first decisions and appeals) that
        /// are subsidiary protection rather than refugee status (D5; S28:
        /// 2.7% of positive decisions in Germany in 2015, 41% in 2016).
        /// Family reunion's eligibility and service take-up
        /// (`legal_status.subsidiary_take_up_factor`) depend on it.
        pub subsidiary_protection_share: f64 = 0.0,
    }
}
