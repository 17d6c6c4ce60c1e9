//! Where each field of a YAML file stands: a map from field paths such as
//! `regions[3].services.language.seats` to line and column, so that problems
//! found after deserialisation still point at the line a user must edit.

use std::collections::HashMap;

use serde_saphyr::granit_parser::{Event, Parser};

/// Line and column, both 1-based.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Position {
    pub line: usize,
    pub column: usize,
}

/// Field path → position of its key (or, for list items, of the item).
#[derive(Debug, Default)]
pub struct Locator {
    positions: HashMap<String, Position>,
    /// Positions in document order, for mapping a position back to a path.
    ordered: Vec<(Position, String)>,
    /// Every mapping key's path and position, in document order.
    keys: Vec<(String, Position)>,
}

enum Frame {
    Map { path: String, key: Option<String> },
    Seq { path: String, index: usize },
}

impl Locator {
    /// Index a YAML text. A text that does not parse gives an empty locator:
    /// the syntax error is reported by the deserialiser with its own position.
    pub fn new(text: &str) -> Locator {
        let mut locator = Locator::default();
        let mut stack: Vec<Frame> = Vec::new();
        for item in Parser::new_from_str(text) {
            let Ok((event, span)) = item else { break };
            let pos = Position {
                line: span.start.line(),
                column: span.start.col() + 1,
            };
            match event {
                Event::Scalar(value, ..) => {
                    if let Some(Frame::Map { key, .. }) = stack.last_mut()
                        && key.is_none()
                    {
                        // A mapping key: record where the field stands.
                        *key = Some(value.into_owned());
                        let path = Self::current_path(&stack);
                        locator.keys.push((path.clone(), pos));
                        locator.record(path, pos);
                        continue;
                    }
                    let path = Self::value_path(&mut stack);
                    locator.record(path, pos);
                    Self::finish_value(&mut stack);
                }
                Event::Alias(_) => {
                    let path = Self::value_path(&mut stack);
                    locator.record(path, pos);
                    Self::finish_value(&mut stack);
                }
                Event::MappingStart(..) => {
                    let path = Self::value_path(&mut stack);
                    locator.record(path.clone(), pos);
                    stack.push(Frame::Map { path, key: None });
                }
                Event::SequenceStart(..) => {
                    let path = Self::value_path(&mut stack);
                    locator.record(path.clone(), pos);
                    stack.push(Frame::Seq { path, index: 0 });
                }
                Event::MappingEnd | Event::SequenceEnd => {
                    stack.pop();
                    Self::finish_value(&mut stack);
                }
                _ => {}
            }
        }
        locator.ordered.sort_by_key(|(p, _)| (p.line, p.column));
        locator
    }

    fn record(&mut self, path: String, pos: Position) {
        if !self.positions.contains_key(&path) {
            self.positions.insert(path.clone(), pos);
            self.ordered.push((pos, path));
        }
    }

    /// The path of the key being read in the innermost mapping.
    fn current_path(stack: &[Frame]) -> String {
        match stack.last() {
            Some(Frame::Map {
                path,
                key: Some(key),
            }) => join(path, key),
            Some(Frame::Map { path, key: None }) => path.clone(),
            Some(Frame::Seq { path, index }) => format!("{path}[{index}]"),
            None => String::new(),
        }
    }

    /// The path of a value about to be read.
    fn value_path(stack: &mut [Frame]) -> String {
        Self::current_path(stack)
    }

    /// A value has been read: a mapping now waits for its next key, a
    /// sequence moves to its next item.
    fn finish_value(stack: &mut [Frame]) {
        match stack.last_mut() {
            Some(Frame::Map { key, .. }) => *key = None,
            Some(Frame::Seq { index, .. }) => *index += 1,
            None => {}
        }
    }

    /// Position of a path, or of its nearest ancestor that is in the file
    /// (a missing field is reported where its parent stands).
    pub fn find(&self, path: &str) -> Option<Position> {
        let mut p = path;
        loop {
            if let Some(pos) = self.positions.get(p) {
                return Some(*pos);
            }
            let cut = p.rfind(['.', '['])?;
            p = &p[..cut];
        }
    }

    /// A problem at a field path, positioned at the field (or its nearest
    /// ancestor in the file).
    pub fn problem(&self, file: &str, path: String, message: String) -> super::Problem {
        let pos = self.find(&path);
        super::Problem {
            file: file.to_string(),
            path,
            line: pos.map(|p| p.line),
            column: pos.map(|p| p.column),
            message,
        }
    }

    /// Every mapping key's path (`regions[2].jobs.low`) and position.
    pub fn keys(&self) -> &[(String, Position)] {
        &self.keys
    }

    /// The path of the last field that starts at or before a position: used
    /// to name the field of a deserialisation error that only has a position.
    pub fn path_at(&self, pos: Position) -> Option<&str> {
        let i = self
            .ordered
            .partition_point(|(p, _)| (p.line, p.column) <= (pos.line, pos.column));
        if i == 0 {
            return None;
        }
        Some(self.ordered[i - 1].1.as_str())
    }
}

fn join(parent: &str, key: &str) -> String {
    if parent.is_empty() {
        key.to_string()
    } else {
        format!("{parent}.{key}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_and_positions() {
        let text = "name: x\nregions:\n  - name: a\n    services:\n      language: {seats: 3}\n  - name: b\n";
        let loc = Locator::new(text);
        assert_eq!(loc.find("name"), Some(Position { line: 1, column: 1 }));
        assert_eq!(
            loc.find("regions[0].services.language.seats"),
            Some(Position {
                line: 5,
                column: 18
            })
        );
        assert_eq!(
            loc.find("regions[1].name"),
            Some(Position { line: 6, column: 5 })
        );
        // Missing field: its parent's position.
        assert_eq!(
            loc.find("regions[1].jobs.low"),
            Some(Position { line: 6, column: 5 })
        );
        assert_eq!(
            loc.path_at(Position {
                line: 5,
                column: 25
            }),
            Some("regions[0].services.language.seats")
        );
    }
}
