//! YAML syntax errors in a planner's words, on the line where the mistake
//! is. The parser reports where it gave up, which for the two commonest
//! mistakes is not the line to edit: a tab is reported on the line before
//! it (while a value is being read), and a line indented wrongly as a
//! missing field of the mapping it left. Here the text around the error is
//! read again to find the line that is wrong.

use serde_saphyr::granit_parser::ErrorKind;

use super::Problem;
use super::locate::{Locator, SyntaxError};

/// The problem for the syntax error that stopped the reading of `text`,
/// when it is a tab or a line indented wrongly.
pub fn problem(text: &str, file: &str, locator: &Locator, err: &SyntaxError) -> Option<Problem> {
    let lines: Vec<&str> = text.lines().collect();
    let at = |line: usize, column: usize, path: String, message: String| Problem {
        file: file.to_string(),
        path,
        line: Some(line),
        column: Some(column),
        message,
    };
    if let Some((line, column)) = tab_line(&lines, err) {
        let others: Vec<String> = lines
            .iter()
            .enumerate()
            .skip(line)
            .filter(|(_, l)| indent_has_tab(l))
            .map(|(i, _)| (i + 1).to_string())
            .take(5)
            .collect();
        let mut message = "tabs cannot indent YAML; use spaces".to_string();
        if !others.is_empty() {
            message.push_str(&format!(
                " (line{} {} also start{} with a tab)",
                if others.len() > 1 { "s" } else { "" },
                others.join(", "),
                if others.len() > 1 { "" } else { "s" },
            ));
        }
        // The mapping the tab's line stands in: the last key above it if
        // that key waits for its fields, or else the mapping of that key.
        let path = match locator.keys().iter().rev().find(|(_, p)| p.line < line) {
            Some((key, pos)) => {
                let text = lines[pos.line - 1]
                    .chars()
                    .skip(pos.column - 1)
                    .collect::<String>();
                let after = text.split_once(':').map_or("", |(_, v)| v.trim());
                if after.is_empty() || after.starts_with('#') {
                    key.clone()
                } else {
                    parent(key).to_string()
                }
            }
            None => String::new(),
        };
        return Some(at(line, column, path, message));
    }
    let (line, column, path, message) = misindented(&lines, locator, err)?;
    Some(at(line, column, path, message))
}

/// A line of content (not blank, not only a comment) whose indentation
/// holds a tab.
fn indent_has_tab(line: &str) -> bool {
    let rest = line.trim_start_matches([' ', '\t']);
    let indent = &line[..line.len() - rest.len()];
    indent.contains('\t') && !rest.is_empty() && !rest.starts_with('#')
}

/// The line (1-based) and column of a tab that caused the error: on the
/// error's line or the next line of content. The parser meets a tab that
/// indents a line while still reading the value of the line before.
fn tab_line(lines: &[&str], err: &SyntaxError) -> Option<(usize, usize)> {
    let tab_kind = matches!(
        err.kind,
        ErrorKind::TabNotAllowed
            | ErrorKind::TabInBlockIndentation
            | ErrorKind::TabInIndentation
            | ErrorKind::TabInPlainScalar
            | ErrorKind::TabAtBlockScalarStart
    );
    let mut first = err.at.line.checked_sub(1)?;
    // A document whose first line is indented ends, for the parser, at the
    // next line: the mistake may be on the first line.
    if err.kind == ErrorKind::ExpectedDocumentStart
        && let Some(start) = first_content(lines)
    {
        first = first.min(start);
    }
    for (i, line) in lines.iter().enumerate().skip(first) {
        if indent_has_tab(line) {
            let column = line.chars().position(|c| c == '\t').unwrap_or(0) + 1;
            return Some((i + 1, column));
        }
        let content = !line.trim().is_empty() && !line.trim_start().starts_with('#');
        // Past the error's own line, the first line of content decides.
        if i > first && content {
            break;
        }
    }
    // A tab error elsewhere on the line (`key:<tab>value` is allowed, so
    // this is a tab inside a flow or a block of text).
    tab_kind.then_some((err.at.line, err.at.column))
}

/// `  - key: value` → (indent, `key`) for a line that starts a mapping
/// entry in block style; `None` for anything else.
fn block_key(line: &str) -> Option<(usize, &str)> {
    let indent = line.len() - line.trim_start_matches(' ').len();
    let mut rest = &line[indent..];
    if let Some(r) = rest.strip_prefix("- ") {
        rest = r.trim_start_matches(' ');
    }
    let end = rest.find(':')?;
    let key = &rest[..end];
    let after = &rest[end + 1..];
    let plain = !key.is_empty()
        && key
            .chars()
            .all(|c| c.is_alphanumeric() || matches!(c, '_' | '-' | '.'));
    (plain && (after.is_empty() || after.starts_with([' ', '\t']))).then_some((indent, key))
}

/// A key line indented so that it fits no open mapping: the line, column,
/// the mapping being read and the message.
fn misindented(
    lines: &[&str],
    locator: &Locator,
    err: &SyntaxError,
) -> Option<(usize, usize, String, String)> {
    if err.kind == ErrorKind::ExpectedDocumentStart {
        return indented_start(lines, locator);
    }
    let continues_value = matches!(
        err.kind,
        ErrorKind::MappingValueNotAllowed | ErrorKind::CommentInterceptedScalar
    );
    let structural = continues_value
        || matches!(
            err.kind,
            ErrorKind::ExpectedBlockSequenceEntry
                | ErrorKind::ExpectedBlockMappingKey
                | ErrorKind::InvalidIndentation
                | ErrorKind::SimpleKeyExpected
        );
    if !structural {
        return None;
    }
    // Inside `{...}` or `[...]` indentation does not matter.
    if err.open.iter().any(|(p, _)| locator.is_flow(p)) {
        return None;
    }
    // A comment ends a value; the line after it cannot continue the value.
    let line = if err.kind == ErrorKind::CommentInterceptedScalar {
        (err.at.line..lines.len()).find(|&i| {
            let l = lines[i].trim_start();
            !l.is_empty() && !l.starts_with('#')
        })? + 1
    } else {
        err.at.line
    };
    let (indent, key) = block_key(lines.get(line - 1)?)?;
    // A key read as a key on this line: the mistake is elsewhere in it.
    if locator.keys().iter().any(|(_, p)| p.line == line) {
        return None;
    }
    // The last key read above the line, and the mapping it stands in (the
    // parser may have closed that mapping already, on meeting the line).
    let mut prev = locator
        .keys()
        .iter()
        .rev()
        .find(|(_, pos)| pos.line < line)?
        .0
        .as_str();
    // A key inside `{...}` does not set an indentation: its mapping's key does.
    loop {
        let container = parent(prev);
        let flow = locator.is_flow(container) || locator.is_flow(owner_key(container));
        if container.is_empty() || !flow {
            break;
        }
        prev = owner_key(container);
    }
    // The mappings around the line, innermost first: each with the
    // indentation of its keys and the key that shows it.
    let mut levels: Vec<(&str, usize, &str, usize)> = Vec::new();
    let mut k = prev;
    loop {
        let pos = locator.get(k)?;
        levels.push((parent(k), pos.column - 1, k, pos.line));
        let m = parent(k);
        if m.is_empty() {
            break;
        }
        k = owner_key(m);
        if k.is_empty() {
            break;
        }
    }
    let (_, prev_indent, _, _) = levels[0];
    if levels.iter().any(|l| l.1 == indent) || indent == prev_indent {
        return None;
    }
    let read_as = if continues_value && indent > prev_indent {
        format!(
            ", so it was read as part of the value of `{}`",
            last_key(prev)
        )
    } else {
        String::new()
    };
    // The mapping the key belongs to, where the format knows it.
    let home = levels
        .iter()
        .find(|(m, ..)| super::schema::is_field(&join(m, key)));
    // A key above that is itself out of place (its mapping's first key,
    // indented like the mapping's own key) is the line to edit.
    if home.is_none()
        && let Some(unknown) = levels
            .iter()
            .rev()
            .map(|l| l.2)
            .find(|k| !super::schema::is_field(k))
        && let Some((_, hint)) = super::schema::misplaced_key(locator, unknown)
    {
        let pos = locator.get(unknown)?;
        return Some((pos.line, pos.column, unknown.to_string(), hint));
    }
    let message = match home {
        Some(&(m, m_indent, shown, shown_line)) => format!(
            "`{key}` is indented {} than the other fields of {}: {indent} spaces, where `{}` \
             on line {shown_line} has {m_indent}{read_as}; the fields of a mapping must line up \
             exactly",
            if indent < m_indent { "less" } else { "more" },
            describe(m),
            last_key(shown),
        ),
        None => {
            let around: Vec<String> = levels
                .iter()
                .map(|(m, i, ..)| format!("{} at {i}", describe(m)))
                .collect();
            format!(
                "`{key}` is indented {indent} spaces, which lines it up with no mapping around \
                 it{read_as} (the fields of {}); the fields of a mapping must line up exactly",
                around.join(", of ")
            )
        }
    };
    let mapping = home.map_or(levels[0].0, |h| h.0);
    Some((line, indent + 1, mapping.to_string(), message))
}

/// The first line (0-based) that is not blank or only a comment.
fn first_content(lines: &[&str]) -> Option<usize> {
    lines.iter().position(|l| {
        let t = l.trim_start();
        !t.is_empty() && !t.starts_with('#') && t != "---"
    })
}

/// A document whose first key is indented: its top level is read at that
/// indentation, and the next key in the first column ends it.
fn indented_start(lines: &[&str], locator: &Locator) -> Option<(usize, usize, String, String)> {
    let (first, _) = locator.keys().first()?;
    let pos = locator.get(first)?;
    let (next, next_pos) = locator
        .keys()
        .iter()
        .find(|(k, p)| !k.contains(['.', '[']) && p.line > pos.line)
        .map(|(k, p)| (k.as_str(), p.line))
        .or_else(|| {
            // The key that ended the document was not read: find it.
            let i = (pos.line..lines.len())
                .find(|&i| block_key(lines[i]).is_some_and(|(n, _)| n == 0))?;
            Some((block_key(lines[i])?.1, i + 1))
        })?;
    (pos.column > 1).then(|| {
        (
            pos.line,
            pos.column,
            String::new(),
            format!(
                "`{first}` is indented {} spaces, but the top-level fields start in the first \
                 column, as `{next}` on line {next_pos} does",
                pos.column - 1
            ),
        )
    })
}

/// `regions[0]` → `regions`: the key that holds a list item.
fn owner_key(path: &str) -> &str {
    let mut p = path;
    while p.ends_with(']') {
        match p.rfind('[') {
            Some(i) => p = &p[..i],
            None => break,
        }
    }
    p
}

fn last_key(path: &str) -> &str {
    &path[path.rfind('.').map_or(0, |i| i + 1)..]
}

fn join(parent: &str, key: &str) -> String {
    if parent.is_empty() {
        key.to_string()
    } else {
        format!("{parent}.{key}")
    }
}

fn parent(path: &str) -> &str {
    match path.rfind('.') {
        Some(i) => &path[..i],
        None => "",
    }
}

fn describe(mapping: &str) -> String {
    if mapping.is_empty() {
        "the top level".to_string()
    } else {
        mapping.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn first(text: &str) -> Problem {
        let locator = Locator::new(text);
        let err = locator.syntax_error().expect("a syntax error");
        problem(text, "f.yaml", &locator, err).expect("a tab or an indentation")
    }

    #[test]
    fn a_tab_is_reported_on_its_own_line() {
        let p = first("a:\n  b: 1\n\tc: 2\n");
        assert_eq!((p.line, p.column), (Some(3), Some(1)));
        assert_eq!(p.message, "tabs cannot indent YAML; use spaces");
    }

    #[test]
    fn an_under_indented_key_is_named_on_its_line() {
        let text = "regions:\n  - name: a\n    population: 1\n  reception_places: 3\n";
        let p = first(text);
        assert_eq!((p.line, p.column), (Some(4), Some(3)), "{p}");
        assert_eq!(p.path, "regions[0]");
        assert!(
            p.message.starts_with(
                "`reception_places` is indented less than the other fields of regions[0]: \
                 2 spaces, where `population` on line 3 has 4"
            ),
            "{p}"
        );
    }

    #[test]
    fn an_over_indented_key_is_named_on_its_line() {
        let text = "arrivals:\n  weekly_rate: 4\n    annual_trend: 0\n";
        let p = first(text);
        assert_eq!((p.line, p.column), (Some(3), Some(5)), "{p}");
        assert!(
            p.message.starts_with(
                "`annual_trend` is indented more than the other fields of arrivals: 4 spaces, \
                 where `weekly_rate` on line 2 has 2, so it was read as part of the value of \
                 `weekly_rate`"
            ),
            "{p}"
        );
    }
}
