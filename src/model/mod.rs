//! The simulation: one bevy_ecs `World` per replication, persons and
//! households as entities, one system per weekly process.

pub mod arrivals;
