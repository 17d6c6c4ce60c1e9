//! Plain-text tables and paragraphs for the terminal, measured in
//! characters (every character foresight prints, `±`, `…` and `−`
//! included, takes one column): columns aligned, headers wrapped word by
//! word over as many lines as they need, text wrapped with a hanging
//! indent.

/// The width the terminal output keeps to unless `--wide` is given.
pub const WIDTH: usize = 100;

/// The narrowest a wrapped header's lines may be.
pub const HEADER_LINE: usize = 14;

/// The width of a text in columns.
pub fn width(s: &str) -> usize {
    s.chars().count()
}

fn pad(s: &str, w: usize, right: bool) -> String {
    let fill = " ".repeat(w.saturating_sub(width(s)));
    if right {
        format!("{fill}{s}")
    } else {
        format!("{s}{fill}")
    }
}

/// A table: a header and cells per column, each column aligned left (text)
/// or right (numbers), two spaces between columns.
#[derive(Debug, Clone, Default)]
pub struct TextTable {
    headers: Vec<String>,
    right: Vec<bool>,
    rows: Vec<Vec<String>>,
}

impl TextTable {
    pub fn new() -> TextTable {
        TextTable::default()
    }

    /// Add a column; `right` aligns it to the right.
    pub fn column(mut self, header: impl Into<String>, right: bool) -> TextTable {
        self.headers.push(header.into());
        self.right.push(right);
        self
    }

    /// Add a row: one cell per column (missing cells are empty).
    pub fn row(&mut self, cells: Vec<String>) {
        self.rows.push(cells);
    }

    /// Each column's width: its widest cell, its header's longest word,
    /// and at least [`HEADER_LINE`] (or the whole header, if shorter) so
    /// that a header over a narrow column is not one word a line.
    fn widths(&self) -> Vec<usize> {
        self.headers
            .iter()
            .enumerate()
            .map(|(c, h)| {
                let cells = self.rows.iter().filter_map(|r| r.get(c)).map(|s| width(s));
                let word = h.split(' ').map(width);
                let line = width(h).min(HEADER_LINE);
                cells.chain(word).chain([line]).max().unwrap_or(0)
            })
            .collect()
    }

    /// The width of the table rendered after `indent` spaces.
    pub fn total_width(&self, indent: usize) -> usize {
        let w = self.widths();
        indent + w.iter().sum::<usize>() + 2 * w.len().saturating_sub(1)
    }

    /// The table as lines, each after `indent` spaces; headers wrap to
    /// their column's width and sit on the last header lines.
    pub fn render(&self, indent: usize) -> String {
        let w = self.widths();
        let heads: Vec<Vec<String>> = self
            .headers
            .iter()
            .zip(&w)
            .map(|(h, &cw)| wrap_words(h, cw))
            .collect();
        let depth = heads.iter().map(Vec::len).max().unwrap_or(0);
        let mut lines: Vec<Vec<String>> = Vec::new();
        for k in 0..depth {
            lines.push(
                heads
                    .iter()
                    .map(|h| {
                        let skip = depth - h.len();
                        if k >= skip {
                            h[k - skip].clone()
                        } else {
                            String::new()
                        }
                    })
                    .collect(),
            );
        }
        lines.extend(self.rows.iter().cloned());
        let mut out = String::new();
        for cells in lines {
            let mut line = " ".repeat(indent);
            for (c, &cw) in w.iter().enumerate() {
                if c > 0 {
                    line.push_str("  ");
                }
                let cell = cells.get(c).map_or("", String::as_str);
                line.push_str(&pad(cell, cw, self.right[c]));
            }
            out.push_str(line.trim_end());
            out.push('\n');
        }
        out
    }
}

/// Words joined into lines of at most `w` columns (a longer word has a
/// line of its own).
pub fn wrap_words(text: &str, w: usize) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    let mut line = String::new();
    for word in text.split(' ').filter(|x| !x.is_empty()) {
        if !line.is_empty() && width(&line) + 1 + width(word) > w {
            lines.push(std::mem::take(&mut line));
        }
        if !line.is_empty() {
            line.push(' ');
        }
        line.push_str(word);
    }
    if !line.is_empty() || lines.is_empty() {
        lines.push(line);
    }
    lines
}

/// A paragraph: `first` (e.g. an indent, or a name and its padding) then
/// `text`, wrapped to `width` columns (none: one line), later lines
/// indented by `hang` spaces.
pub fn paragraph(first: &str, text: &str, width: Option<usize>, hang: usize) -> String {
    let Some(w) = width else {
        return format!("{first}{text}\n");
    };
    let mut out = String::new();
    let mut line = first.to_string();
    let mut empty = true;
    for word in text.split(' ').filter(|x| !x.is_empty()) {
        if !empty && self::width(&line) + 1 + self::width(word) > w {
            out.push_str(line.trim_end());
            out.push('\n');
            line = " ".repeat(hang);
            empty = true;
        }
        if !empty {
            line.push(' ');
        }
        line.push_str(word);
        empty = false;
    }
    out.push_str(line.trim_end());
    out.push('\n');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_align_and_headers_wrap_to_their_column() {
        let mut t = TextTable::new()
            .column("policy", false)
            .column("lang. wait, worst region (weeks)", true);
        t.row(vec!["status_quo".into(), "34.0 [16.2 … 57.0]".into()]);
        t.row(vec!["day_one".into(), "8.8 [1.1 … 22.9]".into()]);
        let text = t.render(2);
        assert_eq!(
            text,
            "               lang. wait, worst\n\
             \x20 policy          region (weeks)\n\
             \x20 status_quo  34.0 [16.2 … 57.0]\n\
             \x20 day_one       8.8 [1.1 … 22.9]\n"
        );
        assert_eq!(t.total_width(2), 2 + 10 + 2 + 18);
        assert!(text.lines().all(|l| width(l) <= t.total_width(2)));
    }

    #[test]
    fn a_header_over_a_narrow_column_wraps_at_the_header_line() {
        let mut t = TextTable::new().column("lang. wait, worst region (weeks)", true);
        t.row(vec!["8.8".into()]);
        assert_eq!(
            t.render(0),
            "   lang. wait,\n  worst region\n       (weeks)\n           8.8\n"
        );
    }

    #[test]
    fn paragraphs_wrap_with_a_hanging_indent() {
        let p = paragraph("day_one  ", "one two three four five six", Some(20), 9);
        assert_eq!(
            p,
            "day_one  one two\n         three four\n         five six\n"
        );
        assert!(p.lines().all(|l| width(l) <= 20));
        assert_eq!(paragraph("a ", "b c", None, 4), "a b c\n");
        assert_eq!(
            paragraph("  ", "one two three", Some(10), 4),
            "  one two\n    three\n"
        );
    }
}
