//! `foresight validate --explain FIELD`: a field's type, unit, default,
//! valid range and meaning, and the sources its default rests on, read from
//! the two documents that hold them, compiled into the binary:
//! `docs/scenario-format.md` (one row per field, its defaults checked
//! against the code by `tests/scenario_docs.rs`) and `docs/sources.md` (one
//! entry per source, its `Fields:` lines checked by `tests/citations.rs`).
//! Nothing here restates a default.

use std::fmt::Write as _;

const FORMAT: &str = include_str!("../../docs/scenario-format.md");
const SOURCES: &str = include_str!("../../docs/sources.md");

/// One row of a field table of `docs/scenario-format.md`.
#[derive(Debug, Clone, PartialEq)]
pub struct FieldDoc {
    /// The field path as the docs write it (`regions[].services.<service>.seats`).
    pub path: String,
    pub kind: String,
    pub unit: String,
    pub default: String,
    pub range: String,
    pub meaning: String,
    /// `scenario` or `experiment`: which format's table the row is in.
    pub format: &'static str,
    /// Source ids linked from the default (`q16`, `s8`, …), in order.
    pub sources: Vec<String>,
}

/// An entry of `docs/sources.md`.
#[derive(Debug, Clone, PartialEq)]
pub struct SourceDoc {
    /// As written in the heading (`Q16`, `seed 000`).
    pub id: String,
    /// The bold title line.
    pub title: String,
    /// The entry's `- Says:` / `- Value:` line and its continuation, if any.
    pub says: String,
    /// The `- Kind:` line.
    pub kind: String,
}

/// Every field row of the scenario and experiment formats.
pub fn fields() -> Vec<FieldDoc> {
    let mut out = Vec::new();
    let mut format = "scenario";
    for line in FORMAT.lines() {
        if line.starts_with("## Experiment files") {
            format = "experiment";
        }
        let Some(row) = line.strip_prefix("| `") else {
            continue;
        };
        let cells: Vec<&str> = split_row(row);
        // Field tables have six columns: path, type, unit, default, range, meaning.
        if cells.len() != 6 {
            continue;
        }
        let path = cells[0].trim().trim_end_matches('`').to_string();
        if path.contains(' ') {
            continue;
        }
        out.push(FieldDoc {
            sources: links(cells[3]),
            path,
            kind: plain(cells[1]),
            unit: plain(cells[2]),
            default: plain(cells[3]),
            range: plain(cells[4]),
            meaning: plain(cells[5]),
            format,
        });
    }
    out
}

/// The cells of a table row whose leading "| `" was removed. Pipes inside
/// backticks (none today) would split a cell; the docs avoid them.
fn split_row(row: &str) -> Vec<&str> {
    let row = row.trim_end().trim_end_matches('|');
    row.split(" | ").collect()
}

/// The source ids a Markdown cell links to (`sources.md#q16` → `q16`).
fn links(cell: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut rest = cell;
    while let Some(i) = rest.find("sources.md#") {
        rest = &rest[i + "sources.md#".len()..];
        let end = rest.find(')').unwrap_or(rest.len());
        let id = rest[..end].to_string();
        if !out.contains(&id) {
            out.push(id);
        }
        rest = &rest[end..];
    }
    out
}

/// A Markdown cell as plain text: links become their text, code and bold
/// marks go.
fn plain(cell: &str) -> String {
    let mut out = String::with_capacity(cell.len());
    let mut rest = cell.trim();
    while let Some(open) = rest.find('[') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        match (after.find("]("), after.find(')')) {
            (Some(close), Some(end)) if close < end => {
                out.push_str(&after[..close]);
                rest = &after[end + 1..];
            }
            _ => {
                out.push('[');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out.replace("**", "").replace('`', "")
}

/// The entries of `docs/sources.md`, by their anchor (`q16`, `seed-000`).
pub fn sources() -> Vec<(String, SourceDoc)> {
    let mut out = Vec::new();
    let mut lines = SOURCES.lines().peekable();
    while let Some(line) = lines.next() {
        let Some(id) = line.strip_prefix("### ") else {
            continue;
        };
        let mut entry = SourceDoc {
            id: id.trim().to_string(),
            title: String::new(),
            says: String::new(),
            kind: String::new(),
        };
        // The entry runs to the next heading.
        let mut current: Option<&str> = None;
        while let Some(next) = lines.peek() {
            if next.starts_with('#') {
                break;
            }
            let l = lines.next().unwrap_or_default();
            let t = l.trim();
            if entry.title.is_empty() && t.starts_with("**") {
                entry.title = t.trim_matches('*').to_string();
                current = Some("title");
            } else if let Some(s) = t.strip_prefix("- Says:").or(t.strip_prefix("- Value:")) {
                if entry.says.is_empty() {
                    entry.says = s.trim().to_string();
                    current = Some("says");
                } else {
                    current = None;
                }
            } else if let Some(s) = t.strip_prefix("- Kind:") {
                entry.kind = s.trim().to_string();
                current = None;
            } else if t.starts_with("- ") || t.is_empty() || t.starts_with('|') {
                current = None;
            } else if let Some(c) = current {
                let target = if c == "title" {
                    &mut entry.title
                } else {
                    &mut entry.says
                };
                target.push(' ');
                target.push_str(t.trim_matches('*'));
            }
        }
        let anchor = entry.id.to_lowercase().replace(' ', "-");
        out.push((anchor, entry));
    }
    out
}

/// The rows a field path given by a user matches: exact paths, and the
/// docs' generic forms (`regions[2].services.language.seats` matches
/// `regions[].services.<service>.seats`; `policies[0].changes...` the
/// experiment's own rows).
pub fn find(path: &str) -> Vec<FieldDoc> {
    let wanted = normalise(path);
    fields()
        .into_iter()
        .filter(|f| matches(&normalise(&f.path), &wanted))
        .collect()
}

/// Indices dropped (`[3]` and `[name]` become `[]`).
fn normalise(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    let mut depth = 0;
    for c in path.trim().chars() {
        match c {
            '[' => {
                depth += 1;
                out.push('[');
            }
            ']' => {
                depth -= 1;
                out.push(']');
            }
            _ if depth > 0 => {}
            _ => out.push(c),
        }
    }
    out
}

const SERVICES: [&str; 6] = [
    "language",
    "coaching",
    "credential_recognition",
    "interpretation",
    "health_registration",
    "mental_health",
];

/// A docs path matches a user's path segment by segment; `<service>`
/// stands for any service, `{low,mid,high}` for any tier.
fn matches(doc: &str, user: &str) -> bool {
    let d: Vec<&str> = doc.split('.').collect();
    let u: Vec<&str> = user.split('.').collect();
    d.len() == u.len()
        && d.iter().zip(&u).all(|(d, u)| {
            d == u
                || (*d == "<service>" && SERVICES.contains(u))
                || (*d == "{low,mid,high}" && ["low", "mid", "high"].contains(u))
        })
}

/// Field paths close to `path`, for an unknown one.
pub fn suggestions(path: &str) -> Vec<String> {
    let wanted = normalise(path);
    let last = wanted.rsplit('.').next().unwrap_or(&wanted).to_string();
    let mut close: Vec<(usize, String)> = fields()
        .into_iter()
        .map(|f| f.path)
        .filter_map(|p| {
            let tail = p.rsplit('.').next().unwrap_or(&p).to_string();
            let d = distance(&tail, &last).min(distance(&normalise(&p), &wanted));
            (d <= 3 || p.contains(&last)).then_some((d, p))
        })
        .collect();
    close.sort();
    close.dedup_by(|a, b| a.1 == b.1);
    close.into_iter().take(5).map(|(_, p)| p).collect()
}

/// Levenshtein distance, for suggestions.
fn distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut prev = row[0];
        row[0] = i + 1;
        for j in 0..b.len() {
            let cur = row[j + 1];
            row[j + 1] = (prev + usize::from(ca != b[j]))
                .min(row[j] + 1)
                .min(cur + 1);
            prev = cur;
        }
    }
    row[b.len()]
}

/// What `--explain` prints for one field path: every matching row and the
/// sources behind its default; `Err` with suggestions if none matches.
pub fn explain(path: &str) -> Result<String, String> {
    let rows = find(path);
    if rows.is_empty() {
        let close = suggestions(path);
        let hint = if close.is_empty() {
            String::new()
        } else {
            format!("; did you mean {}?", close.join(", "))
        };
        return Err(format!(
            "'{path}' is not a field of the scenario or experiment format{hint} \
             (docs/scenario-format.md lists every field)"
        ));
    }
    let sources = sources();
    let mut out = String::new();
    for f in rows {
        let _ = writeln!(out, "{} ({} file)", f.path, f.format);
        let _ = writeln!(out, "  type:     {}", f.kind);
        if f.unit != "—" {
            let _ = writeln!(out, "  unit:     {}", f.unit);
        }
        let _ = writeln!(out, "  default:  {}", f.default);
        if f.range != "—" {
            // The format's own upper limit means "no limit" to a reader.
            let range = f.range.replace("–4294967295", " or more");
            let _ = writeln!(out, "  valid:    {range}");
        }
        let _ = writeln!(out, "  meaning:  {}", f.meaning);
        for id in &f.sources {
            match sources.iter().find(|(anchor, _)| anchor == id) {
                Some((_, s)) => {
                    let _ = writeln!(out, "  source {}: {}", s.id, s.title);
                    if !s.says.is_empty() {
                        let _ = writeln!(out, "    {}", s.says);
                    }
                    if !s.kind.is_empty() {
                        let _ = writeln!(out, "    kind: {}", s.kind);
                    }
                    let _ = writeln!(out, "    docs/sources.md#{id}");
                }
                None => {
                    let _ = writeln!(out, "  source: docs/sources.md#{id}");
                }
            }
        }
        if f.sources.is_empty() {
            let _ = writeln!(
                out,
                "  source:   none: a required field, or a setting the file itself chooses"
            );
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_field_with_a_cited_default_names_its_source() {
        let text = explain("policy.move_on.period_weeks").unwrap();
        assert!(text.contains("default:  4"), "{text}");
        assert!(text.contains("unit:     weeks"), "{text}");
        assert!(text.contains("source Q16:"), "{text}");
        assert!(text.contains("four"), "{text}");
        assert!(text.contains("docs/sources.md#q16"), "{text}");
    }

    #[test]
    fn indices_are_dropped_to_match_the_docs_rows() {
        let rows = find("regions[3].services.language.seats");
        assert_eq!(rows.len(), 1, "{rows:?}");
        assert_eq!(rows[0].path, "regions[].services.language.seats");
        assert!(!find("services.mental_health.duration_weeks").is_empty());
    }

    #[test]
    fn an_unknown_field_is_refused_with_the_close_ones() {
        let e = explain("policy.move_on.period_week").unwrap_err();
        assert!(e.contains("policy.move_on.period_weeks"), "{e}");
        assert!(explain("no.such.thing").is_err());
    }

    #[test]
    fn every_documented_field_explains_and_every_linked_source_exists() {
        let sources = sources();
        let fields = fields();
        assert!(fields.len() > 100, "{} rows read", fields.len());
        for f in &fields {
            assert!(!f.default.is_empty(), "{}: no default read", f.path);
            for id in &f.sources {
                assert!(
                    sources.iter().any(|(a, s)| a == id && !s.title.is_empty()),
                    "{}: source {id} not found or without a title",
                    f.path
                );
            }
        }
    }
}
