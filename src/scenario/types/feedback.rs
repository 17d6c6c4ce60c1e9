//! The feedback loops (`docs/model.md` 3.1, 3.9, 3.10 and "Volunteers"):
//! each can be switched off, so that a run shows what the loop changes.

block_with_defaults! {
    /// Which feedback loops run, and their strengths (A60). Switched off, a
    /// loop's quantity keeps its starting value: attitudes stay where they
    /// start, budgets do not cap adaptive capacity, the volunteer stock stays
    /// at 1, bridges neither feed job finding nor depend on attitude.
    pub struct Feedback {
        /// Attitudes respond to pressure (emergency accommodation,
        /// homelessness, arrivals) and to contact (sponsored persons,
        /// refugees' bridges), as `attitudes` says.
        pub attitude: bool = true,
        /// Adaptive capacity may add at most `max_added × min(1, attitude ÷
        /// reference_attitude)` places in a region: a budget that follows
        /// attitude (seed 000, M47).
        pub budgets: bool = false,
        /// Mentoring pairs and sponsored households follow a national stock
        /// of volunteers that grows with attitude and arrivals and decays
        /// with time (seed 001, M50).
        pub volunteers: bool = false,
        /// Bridges raise job finding (about half of refugees in Germany found
        /// their first job through social contacts), and bridges grow at most
        /// `min(1, attitude ÷ reference_attitude)` of their rate.
        pub bridges_to_jobs: bool = false,
        /// The attitude at or above which budgets and the growth of bridges
        /// are not held back (A60).
        pub reference_attitude: f64 = 0.5,
        /// Weekly growth of the volunteer stock per unit of national attitude
        /// per arrival per 1,000 residents in the week before (A60).
        pub volunteer_recruitment: f64 = 0.1,
        /// Weekly share of the volunteer stock that stops (A60).
        pub volunteer_decay_per_week: f64 = 0.01,
        /// Job finding of a person with full bridges relative to one with none
        /// (A60; half of first jobs through contacts).
        pub bridges_job_effect: f64 = 2.0,
    }
}

impl Feedback {
    /// The names of the loops that are on, in the order of the format.
    pub fn loops_on(&self) -> Vec<&'static str> {
        [
            ("attitude", self.attitude),
            ("budgets", self.budgets),
            ("volunteers", self.volunteers),
            ("bridges_to_jobs", self.bridges_to_jobs),
        ]
        .into_iter()
        .filter_map(|(name, on)| on.then_some(name))
        .collect()
    }

    /// The share of a loop's full effect that an attitude allows (budgets,
    /// the growth of bridges): 1 at or above the reference attitude.
    pub fn attitude_allows(&self, attitude: f64) -> f64 {
        if self.reference_attitude <= 0.0 {
            1.0
        } else {
            (attitude / self.reference_attitude).clamp(0.0, 1.0)
        }
    }
}
