//! Family reunion (a lever) and the second generation.

block_with_defaults! {
    /// Family reunion: recognised persons with family abroad apply once
    /// eligible; applications are processed, then visas are issued first
    /// come first served within any annual cap, and the family joins the
    /// sponsor's household.
    pub struct FamilyReunion {
        /// Weeks after recognition before a sponsor may apply (D4: none).
        pub waiting_period_weeks: u32 = 0,
        /// Holders of subsidiary protection may sponsor (D4; see
        /// `arrivals.origin_groups[].family_abroad.subsidiary_protection_share`).
        pub subsidiary_protection_eligible: bool = true,
        /// Most family members admitted per year of the run; absent: no cap
        /// (D4).
        pub annual_cap: Option<u32> = None,
        /// Mean weeks from application to visa, geometric (memoryless): the
        /// German missions' waits of one to eighteen months in 2016–2017,
        /// about nine months (S24).
        pub processing_weeks: f64 = 39.0,
    }
}

block_with_defaults! {
    /// Young people who grew up here: what schooling and their parents' work
    /// bring them when they come of age.
    pub struct SecondGeneration {
        /// Multiplier on job finding for a young adult whose household had
        /// someone in work in most of the years they grew up here (M61; A58).
        pub parents_work_effect: f64 = 1.2,
    }
}
