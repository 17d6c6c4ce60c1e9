//! Schools: places per region, what schooling does for children and their
//! parents, and access for the children of asylum seekers.

use serde::{Deserialize, Serialize};

/// School places in one region (`regions[].schools`).
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct RegionSchools {
    /// Places in primary schools for newcomers' children (pupils at once).
    pub primary_places: u32,
    /// Places in secondary schools for newcomers' children.
    pub secondary_places: u32,
}

block_with_defaults! {
    /// What a school place does (the `schools` block). Growth rates are
    /// weekly, as in `integration`.
    pub struct Schools {
        /// Language growth per week of a child in school (A55).
        pub language_gain_in_school: f64 = 0.02,
        /// Bridges growth per week of a child in school (A56).
        pub bridges_gain_in_school: f64 = 0.01,
        /// Bridges growth per week of the adults of a household with a child
        /// in school: schools as family hubs (M63; A57).
        pub bridges_gain_school_parent: f64 = 0.005,
    }
}

block_with_defaults! {
    /// Access to school for the children of asylum seekers (a lever). Children
    /// of every other status present may take a place at once.
    pub struct SchoolAccess {
        /// Children of asylum seekers may take a school place.
        pub asylum_seekers: bool = true,
        /// Weeks after arrival before they may (the EU Reception Conditions
        /// Directive: no later than three months, S23).
        pub asylum_seeker_wait_weeks: u32 = 13,
    }
}
