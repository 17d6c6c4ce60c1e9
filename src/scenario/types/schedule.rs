//! Schedules: a number of the scenario that may change during the run,
//! such as arrivals by month or decision capacity by year. Written either
//! as a plain number (the same every week) or as a list of steps, each
//! value holding from its `from_week` until the next step's:
//!
//! ```yaml
//! weekly_rate: 440
//! weekly_rate:
//!   - {from_week: 0, value: 7400}
//!   - {from_week: 31, value: 19600}
//! ```

use serde::de::{self, Deserializer, SeqAccess, Visitor};
use serde::ser::{SerializeSeq, Serializer};
use serde::{Deserialize, Serialize};

/// Most steps a schedule may have.
pub const MAX_STEPS: usize = 10_000;

/// A number by week: one value, or steps (see the module's comment). Never
/// empty; the first step starts in week 0 (checked by validation).
#[derive(Debug, Clone, PartialEq)]
pub struct Schedule {
    steps: Vec<Step>,
}

/// One step of a [`Schedule`]: `value` from week `from_week` on.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Step {
    pub from_week: u32,
    pub value: f64,
}

impl Schedule {
    /// Steps as written (one step at week 0 for a plain number).
    pub fn from_steps(steps: Vec<Step>) -> Schedule {
        Schedule { steps }
    }

    /// The steps, in order.
    pub fn steps(&self) -> &[Step] {
        &self.steps
    }

    /// The value in week `week`: the last step starting at or before it
    /// (the first step's value before it, for a schedule not checked).
    pub fn at(&self, week: u32) -> f64 {
        let i = self.steps.partition_point(|s| s.from_week <= week);
        self.steps[i.saturating_sub(1)].value
    }

    /// Whether it was written as one number.
    pub fn is_constant(&self) -> bool {
        self.steps.len() == 1 && self.steps[0].from_week == 0
    }
}

impl From<f64> for Schedule {
    fn from(value: f64) -> Schedule {
        Schedule {
            steps: vec![Step {
                from_week: 0,
                value,
            }],
        }
    }
}

impl Serialize for Schedule {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        if self.is_constant() {
            return serializer.serialize_f64(self.steps[0].value);
        }
        let mut seq = serializer.serialize_seq(Some(self.steps.len()))?;
        for s in &self.steps {
            seq.serialize_element(s)?;
        }
        seq.end()
    }
}

impl<'de> Deserialize<'de> for Schedule {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Schedule, D::Error> {
        struct Expect;
        impl<'de> Visitor<'de> for Expect {
            type Value = Schedule;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a number, or a list of steps like {from_week: 0, value: 100}")
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<Schedule, E> {
                Ok(Schedule::from(v))
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<Schedule, E> {
                Ok(Schedule::from(v as f64))
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<Schedule, E> {
                Ok(Schedule::from(v as f64))
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Schedule, A::Error> {
                let mut steps = Vec::new();
                while let Some(step) = seq.next_element::<Step>()? {
                    if steps.len() == MAX_STEPS {
                        return Err(de::Error::custom(format!(
                            "a schedule has at most {MAX_STEPS} steps"
                        )));
                    }
                    steps.push(step);
                }
                if steps.is_empty() {
                    return Err(de::Error::custom(
                        "a schedule needs at least one step, starting at from_week 0",
                    ));
                }
                Ok(Schedule { steps })
            }
        }
        deserializer.deserialize_any(Expect)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_value_holds_until_the_next_step() {
        let s = Schedule::from_steps(vec![
            Step {
                from_week: 0,
                value: 1.0,
            },
            Step {
                from_week: 10,
                value: 2.0,
            },
            Step {
                from_week: 12,
                value: 0.5,
            },
        ]);
        let got: Vec<f64> = [0, 9, 10, 11, 12, 500].map(|w| s.at(w)).to_vec();
        assert_eq!(got, [1.0, 1.0, 2.0, 2.0, 0.5, 0.5]);
        assert!(!s.is_constant());
        assert!(Schedule::from(3.0).is_constant());
        assert_eq!(Schedule::from(3.0).at(77), 3.0);
    }

    #[test]
    fn written_as_a_number_or_as_steps_and_back() {
        let c: Schedule = serde_json::from_str("440").unwrap();
        assert_eq!(c, Schedule::from(440.0));
        assert_eq!(serde_json::to_string(&c).unwrap(), "440.0");
        let text = r#"[{"from_week":0,"value":1.5},{"from_week":26,"value":3.0}]"#;
        let s: Schedule = serde_json::from_str(text).unwrap();
        assert_eq!(s.steps().len(), 2);
        assert_eq!(serde_json::to_string(&s).unwrap(), text);
        let e = serde_json::from_str::<Schedule>("[]").unwrap_err();
        assert!(e.to_string().contains("at least one step"), "{e}");
        let e = serde_json::from_str::<Schedule>(r#""x""#).unwrap_err();
        assert!(e.to_string().contains("a list of steps"), "{e}");
        let e = serde_json::from_str::<Schedule>(r#"[{"from_week":0,"valeu":1}]"#).unwrap_err();
        assert!(e.to_string().contains("valeu"), "{e}");
    }
}
