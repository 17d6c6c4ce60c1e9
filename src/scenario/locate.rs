//! Where each field of a YAML file stands: a map from field paths such as
//! `regions[3].services.language.seats` to line and column, so that problems
//! found after deserialisation still point at the line a user must edit.

use std::collections::HashMap;
use std::ops::Range;

use serde_saphyr::granit_parser::{ErrorKind, Event, Parser, ScalarStyle, StructureStyle};

/// Line and column, both 1-based.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Position {
    pub line: usize,
    pub column: usize,
}

/// Where a value stands in the text, for editing it out (see
/// [`super::recover`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValueSpan {
    /// Byte range from the value's first character to its last.
    pub bytes: Range<usize>,
    /// A `|` or `>` block of text, whose header stands before the range.
    pub block_text: bool,
}

/// The YAML syntax error that stopped the reading of a text, and the
/// mappings and lists open when it was met.
#[derive(Debug, Clone)]
pub struct SyntaxError {
    pub kind: ErrorKind,
    /// The parser's own words.
    pub message: String,
    pub at: Position,
    /// Innermost last: the path of each open mapping or list, and whether
    /// it is a mapping.
    pub open: Vec<(String, bool)>,
}

/// Field path → position of its key (or, for list items, of the item).
#[derive(Debug, Default)]
pub struct Locator {
    positions: HashMap<String, Position>,
    /// Positions in document order, for mapping a position back to a path.
    ordered: Vec<(Position, String)>,
    /// Every mapping key's path and position, in document order.
    keys: Vec<(String, Position)>,
    /// Byte offset of each mapping key, by path.
    key_starts: HashMap<String, usize>,
    values: HashMap<String, ValueSpan>,
    /// Paths of the mappings and lists written `{...}` or `[...]`.
    flow: std::collections::HashSet<String>,
    syntax: Option<SyntaxError>,
}

enum Frame {
    Map {
        path: String,
        key: Option<String>,
        start: usize,
        end: usize,
        flow: bool,
    },
    Seq {
        path: String,
        index: usize,
        start: usize,
        end: usize,
        flow: bool,
    },
}

impl Frame {
    /// A child value ended at byte `at`: so does this collection, so far.
    fn extend(&mut self, at: usize) {
        let (Frame::Map { end, .. } | Frame::Seq { end, .. }) = self;
        *end = (*end).max(at);
    }
}

impl Locator {
    /// Index a YAML text. Where the text does not parse, the index covers
    /// what was read before the error, and [`Locator::syntax_error`] says
    /// what stopped it.
    pub fn new(text: &str) -> Locator {
        let mut locator = Locator::default();
        let mut stack: Vec<Frame> = Vec::new();
        for item in Parser::new_from_str(text) {
            let (event, span) = match item {
                Ok(ok) => ok,
                Err(e) => {
                    locator.syntax = Some(SyntaxError {
                        kind: e.kind().clone(),
                        message: e.to_string(),
                        at: Position {
                            line: e.marker().line(),
                            column: e.marker().col() + 1,
                        },
                        open: stack
                            .iter()
                            .map(|f| match f {
                                Frame::Map { path, .. } => (path.clone(), true),
                                Frame::Seq { path, .. } => (path.clone(), false),
                            })
                            .collect(),
                    });
                    break;
                }
            };
            let pos = Position {
                line: span.start.line(),
                column: span.start.col() + 1,
            };
            let start = span.start.byte_offset().unwrap_or(0);
            let end = span.end.byte_offset().unwrap_or(start);
            match event {
                Event::Scalar(value, style, ..) => {
                    if let Some(Frame::Map { key, .. }) = stack.last_mut()
                        && key.is_none()
                    {
                        // A mapping key: record where the field stands.
                        *key = Some(value.into_owned());
                        let path = Self::current_path(&stack);
                        locator.keys.push((path.clone(), pos));
                        locator.key_starts.entry(path.clone()).or_insert(start);
                        locator.record(path, pos);
                        continue;
                    }
                    let path = Self::current_path(&stack);
                    locator.record(path.clone(), pos);
                    let block_text = matches!(style, ScalarStyle::Literal | ScalarStyle::Folded);
                    locator.value(path, start..end, block_text);
                    Self::finish_value(&mut stack, end);
                }
                Event::Alias(_) => {
                    let path = Self::current_path(&stack);
                    locator.record(path.clone(), pos);
                    locator.value(path, start..end, false);
                    Self::finish_value(&mut stack, end);
                }
                Event::MappingStart(style, ..) | Event::SequenceStart(style, ..) => {
                    let path = Self::current_path(&stack);
                    locator.record(path.clone(), pos);
                    let flow = style == StructureStyle::Flow;
                    if flow {
                        locator.flow.insert(path.clone());
                    }
                    stack.push(if matches!(event, Event::MappingStart(..)) {
                        Frame::Map {
                            path,
                            key: None,
                            start,
                            end: start,
                            flow,
                        }
                    } else {
                        Frame::Seq {
                            path,
                            index: 0,
                            start,
                            end: start,
                            flow,
                        }
                    });
                }
                Event::MappingEnd | Event::SequenceEnd => {
                    let Some(frame) = stack.pop() else { continue };
                    // A block collection ends where its last value ends (its
                    // end event stands at the next token, after comments); a
                    // flow collection at its closing bracket.
                    let (path, start, last, flow) = match frame {
                        Frame::Map {
                            path,
                            start,
                            end,
                            flow,
                            ..
                        }
                        | Frame::Seq {
                            path,
                            start,
                            end,
                            flow,
                            ..
                        } => (path, start, end, flow),
                    };
                    let stop = if flow { end } else { last };
                    locator.value(path, start..stop, false);
                    Self::finish_value(&mut stack, stop);
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

    fn value(&mut self, path: String, bytes: Range<usize>, block_text: bool) {
        self.values
            .entry(path)
            .or_insert(ValueSpan { bytes, block_text });
    }

    /// The path of the key being read in the innermost mapping, or of the
    /// value about to be read.
    fn current_path(stack: &[Frame]) -> String {
        match stack.last() {
            Some(Frame::Map {
                path,
                key: Some(key),
                ..
            }) => join(path, key),
            Some(Frame::Map {
                path, key: None, ..
            }) => path.clone(),
            Some(Frame::Seq { path, index, .. }) => format!("{path}[{index}]"),
            None => String::new(),
        }
    }

    /// A value has been read, ending at byte `end`: a mapping now waits for
    /// its next key, a sequence moves to its next item.
    fn finish_value(stack: &mut [Frame], end: usize) {
        let Some(last) = stack.last_mut() else { return };
        last.extend(end);
        match last {
            Frame::Map { key, .. } => *key = None,
            Frame::Seq { index, .. } => *index += 1,
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

    /// Position of exactly this path, if it is in the file.
    pub fn get(&self, path: &str) -> Option<Position> {
        self.positions.get(path).copied()
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

    /// Byte offset of a mapping key.
    pub fn key_start(&self, path: &str) -> Option<usize> {
        self.key_starts.get(path).copied()
    }

    /// Where the value at a path stands.
    pub fn value_span(&self, path: &str) -> Option<&ValueSpan> {
        self.values.get(path)
    }

    /// The innermost value that holds a byte of the text, by path.
    pub fn value_containing(&self, at: usize) -> Option<&str> {
        self.values
            .iter()
            .filter(|(_, v)| v.bytes.start <= at && at < v.bytes.end)
            .min_by_key(|(_, v)| v.bytes.len())
            .map(|(p, _)| p.as_str())
    }

    /// Whether the mapping or list at a path is written `{...}` or `[...]`.
    pub fn is_flow(&self, path: &str) -> bool {
        self.flow.contains(path)
    }

    /// The syntax error that stopped the reading, if any.
    pub fn syntax_error(&self) -> Option<&SyntaxError> {
        self.syntax.as_ref()
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
