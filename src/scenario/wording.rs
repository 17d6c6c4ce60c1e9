//! The deserialiser's messages in a planner's words. serde and the YAML
//! parser speak of `u32`, `struct ServiceCapacity` and `unit value`; a
//! scenario's author knows whole numbers, mappings and empty values.
//! Every message of the reading stage passes through [`explain`], so that no
//! Rust type name reaches a user.

/// Reword a deserialiser message. `path` is the field path in scenario
/// terms (`regions[0].services.language`), used to list the fields of an
/// expected mapping; empty where unknown.
pub fn explain(message: &str, path: &str) -> String {
    // The position is printed in front of the message already.
    let message = match message
        .rfind(" at line ")
        .or_else(|| message.rfind(" at char "))
    {
        Some(i) => &message[..i],
        None => message,
    };
    let message = message.trim();
    if let Some(rest) = message.strip_prefix("missing field ") {
        return format!("missing required field {rest}");
    }
    // Where a number may also be a list (a schedule), the parser reads the
    // value itself and refuses `.nan` and `.inf` in its own words.
    if let Some(rest) = message.strip_prefix("non-finite float ") {
        // Named as a plain number field names it (`NaN`, `inf`, `-inf`).
        let token = rest.split('`').nth(1).unwrap_or(rest).to_ascii_lowercase();
        let value = if token.contains("nan") {
            "NaN"
        } else if token.starts_with('-') {
            "-inf"
        } else {
            "inf"
        };
        return format!("expected a finite number, found {value}");
    }
    if message.contains("DuplicateKeyPolicy") || message.starts_with("duplicate mapping key") {
        return "this key is given twice in the same mapping; keep one".to_string();
    }
    if message.contains("Documents") {
        return "the file holds more than one YAML document (a second `---`); a scenario is one document".to_string();
    }
    if message.contains("illegal placement of ':'") {
        return format!(
            "{message}: a `:` inside `[...]` or `{{...}}` usually means a closing `]` or `}}` \
             is missing on an earlier line"
        );
    }
    if message.contains("budget breached") {
        return format!(
            "the file exceeds the parser's safety limits ({message}); scenario files are small: \
             check for runaway anchors and aliases or very deep nesting"
        );
    }
    if let Some(rest) = message
        .strip_prefix("invalid type: ")
        .or_else(|| message.strip_prefix("invalid value: "))
        && let Some((found, expected)) = rest.split_once(", expected ")
    {
        return format!(
            "expected {}, found {}",
            expectation(expected, path),
            found_words(found)
        );
    }
    if let Some(rest) = message.strip_prefix("invalid length ")
        && let Some((n, expected)) = rest.split_once(", expected ")
    {
        return format!("expected {}, found {n} items", expectation(expected, path));
    }
    if let Some(rest) = message.strip_prefix("unknown variant ") {
        return match rest.split_once(", expected one of ") {
            Some((value, list)) => format!(
                "unknown value {value}; expected one of {}",
                list.replace('`', "")
            ),
            None => format!("unknown value {}", rest.split(',').next().unwrap_or(rest)),
        };
    }
    if let Some(rest) = message.strip_prefix("unknown field ") {
        return match rest.split_once(", expected one of ") {
            Some((key, list)) => {
                format!(
                    "unknown field {key} (expected one of: {})",
                    list.replace('`', "")
                )
            }
            None => match rest.split_once(", expected ") {
                Some((key, one)) => {
                    format!("unknown field {key} (expected {})", one.replace('`', ""))
                }
                None => format!("unknown field {}", rest.split(',').next().unwrap_or(rest)),
            },
        };
    }
    if message.contains("found unknown anchor") || message.contains("references unknown anchor") {
        return "alias references unknown anchor: no `&name` above defines the `*name` used here"
            .to_string();
    }
    if message.contains("did not find expected ',' or '}'") {
        return "expected `,` or `}`: a comma is missing between two entries of `{...}`, \
                or its closing `}`"
            .to_string();
    }
    if message.contains("expected ',' or ']'") {
        return "expected `,` or `]`: a comma is missing between two items of `[...]`, \
                or its closing `]`"
            .to_string();
    }
    if message.contains("recursion limit exceeded") {
        return "the file nests mappings or lists too deeply (recursion limit exceeded); \
                scenario files need only a few levels"
            .to_string();
    }
    if message.starts_with("cannot deserialize null into string") {
        return "expected text, found an empty value".to_string();
    }
    if message.starts_with("invalid char") {
        return "expected a single character".to_string();
    }
    if message.starts_with("expected mapping start") {
        return format!(
            "expected {} (`key: value` lines or `{{...}}`)",
            expectation("a map", path)
        );
    }
    for (rust, plain) in [
        ("invalid u8", "expected a whole number from 0 to 255"),
        ("invalid u16", "expected a whole number from 0 to 65535"),
        (
            "invalid u32",
            "expected a whole number from 0 to 4294967295",
        ),
        (
            "invalid u64",
            "expected a whole number from 0 to 18446744073709551615",
        ),
        ("invalid usize", "expected a whole number ≥ 0"),
        (
            "invalid floating point",
            "expected a number (a finite decimal such as 12 or 0.5)",
        ),
        ("invalid i", "expected a whole number"),
        ("invalid f", "expected a number"),
        ("invalid boolean", "expected true or false"),
        (
            "expected string scalar",
            "expected a single value (a number or text), not a list or a mapping",
        ),
        (
            "expected sequence start",
            "expected a list (`- item` lines or `[...]`)",
        ),
        (
            "unexpected end of input",
            "the file is empty or ends too early; expected a scenario mapping",
        ),
    ] {
        if message.starts_with(rust) {
            return plain.to_string();
        }
    }
    scrub(message)
}

/// What serde says it expected, in user words.
fn expectation(expected: &str, path: &str) -> String {
    let e = expected.trim();
    let whole = |range: &str| format!("a whole number{range}");
    match e {
        "u8" => whole(" from 0 to 255"),
        "u16" => whole(" from 0 to 65535"),
        "u32" => whole(" from 0 to 4294967295"),
        "u64" => whole(" from 0 to 18446744073709551615"),
        "usize" => whole(" ≥ 0"),
        "i8" | "i16" | "i32" | "i64" | "i128" | "isize" | "u128" => whole(""),
        "f32" | "f64" => "a number".to_string(),
        "a boolean" | "bool" => "true or false".to_string(),
        "a string" | "a borrowed string" | "string" | "String" => "text".to_string(),
        "a sequence" | "a list" => "a list".to_string(),
        "a character" | "char" => "a single character".to_string(),
        "unit" => "an empty value".to_string(),
        "option" => "a value".to_string(),
        _ if e.starts_with("struct ") || e == "a map" || e == "a mapping" || e == "map" => {
            match super::schema::fields_of(path) {
                // A long list (the top level) says less than the name.
                Some(fields) if !fields.is_empty() && fields.len() <= 8 => {
                    format!("a mapping with the fields {}", fields.join(", "))
                }
                _ => "a mapping".to_string(),
            }
        }
        _ if e.starts_with("enum ") => "one of the allowed values".to_string(),
        _ if e.starts_with("a tuple of size ") || e.starts_with("tuple struct ") => {
            "a list".to_string()
        }
        _ if e.starts_with("unit struct ") => "an empty value".to_string(),
        _ if e.starts_with("variant ") || e.ends_with(" identifier") => "a name".to_string(),
        _ => scrub(e),
    }
}

/// What serde says it found, in user words.
fn found_words(found: &str) -> String {
    let f = found.trim();
    let quoted = |s: &str| -> String { s.trim_matches('`').to_string() };
    if let Some(s) = f.strip_prefix("string ") {
        return format!("the text {s}");
    }
    for number in ["integer ", "floating point ", "boolean ", "char "] {
        if let Some(v) = f.strip_prefix(number) {
            return quoted(v);
        }
    }
    match f {
        "map" => "a mapping".to_string(),
        "sequence" => "a list".to_string(),
        "unit value" | "null" | "Option value" | "unit variant" => "an empty value".to_string(),
        "newtype struct" | "newtype variant" | "tuple variant" | "struct variant" => {
            "a value of another kind".to_string()
        }
        _ => scrub(f),
    }
}

/// Words that name Rust types, in any message: the last resort, for
/// messages not reworded above.
const RUST_WORDS: [(&str, &str); 22] = [
    ("Option<String>", "text"),
    ("Option<char>", "a character"),
    ("usize", "whole number"),
    ("isize", "whole number"),
    ("u128", "whole number"),
    ("i128", "whole number"),
    ("u64", "whole number"),
    ("u32", "whole number"),
    ("u16", "whole number"),
    ("u8", "whole number"),
    ("i64", "whole number"),
    ("i32", "whole number"),
    ("i16", "whole number"),
    ("i8", "whole number"),
    ("f64", "number"),
    ("f32", "number"),
    ("bool", "true or false"),
    ("String", "text"),
    ("Vec", "list"),
    ("HashMap", "mapping"),
    ("BTreeMap", "mapping"),
    ("Option", "value"),
];

/// Replace Rust type names (whole words) and `struct X` / `enum X`.
fn scrub(message: &str) -> String {
    let mut out = message.to_string();
    for kind in ["struct ", "enum "] {
        while let Some(i) = find_word(&out, kind.trim_end()) {
            let rest = &out[i + kind.len()..];
            let name_len = rest
                .find(|c: char| !(c.is_alphanumeric() || c == '_'))
                .unwrap_or(rest.len());
            let plain = if kind == "struct " {
                "a mapping"
            } else {
                "one of the allowed values"
            };
            if !out[i..].starts_with(kind) {
                break;
            }
            out.replace_range(i..i + kind.len() + name_len, plain);
        }
    }
    for (rust, plain) in RUST_WORDS {
        while let Some(i) = find_word(&out, rust) {
            out.replace_range(i..i + rust.len(), plain);
        }
    }
    out
}

/// Byte offset of `word` in `text` standing as a whole word.
fn find_word(text: &str, word: &str) -> Option<usize> {
    let is_word = |c: char| c.is_alphanumeric() || c == '_';
    let mut from = 0;
    while let Some(i) = text[from..].find(word) {
        let at = from + i;
        let before = text[..at].chars().next_back();
        let after = text[at + word.len()..].chars().next();
        if !before.is_some_and(is_word) && !after.is_some_and(is_word) {
            return Some(at);
        }
        from = at + word.len();
    }
    None
}

/// Whether a message names a Rust type: for tests over every message.
pub fn names_a_rust_type(message: &str) -> Option<&'static str> {
    for (rust, _) in RUST_WORDS {
        if find_word(message, rust).is_some() {
            return Some(rust);
        }
    }
    ["struct", "enum", "variant", "unit value"]
        .into_iter()
        .find(|w| find_word(message, w).is_some())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn serde_messages_in_user_words() {
        for (raw, path, want) in [
            (
                "invalid type: floating point `1.5`, expected u32",
                "regions[0].reception_places",
                "expected a whole number from 0 to 4294967295, found 1.5",
            ),
            (
                "invalid type: integer `520`, expected struct ServiceCapacity",
                "regions[0].services.language",
                "expected a mapping with the fields seats, found 520",
            ),
            (
                "invalid type: string \"abc\", expected f64",
                "arrivals.weekly_rate",
                "expected a number, found the text \"abc\"",
            ),
            (
                "invalid type: integer `3`, expected a boolean",
                "regions[0].urban",
                "expected true or false, found 3",
            ),
            (
                "unknown variant `lottery`, expected one of `population_share`, `quota_key`",
                "policy.dispersal.rule",
                "unknown value `lottery`; expected one of population_share, quota_key",
            ),
            (
                "cannot deserialize null into string; use Option<String>",
                "name",
                "expected text, found an empty value",
            ),
            (
                "invalid type: unit value, expected struct Jobs",
                "regions[0].jobs",
                "expected a mapping with the fields high, low, mid, found an empty value",
            ),
            (
                "invalid length 2, expected a tuple of size 3",
                "",
                "expected a list, found 2 items",
            ),
        ] {
            let got = explain(raw, path);
            assert_eq!(got, want, "{raw}");
            assert_eq!(names_a_rust_type(&got), None, "{got}");
        }
    }

    #[test]
    fn rust_type_names_are_scrubbed_from_any_message() {
        let got = scrub("expected Vec<f64> or struct Foo, not an enum Bar or usize");
        assert_eq!(names_a_rust_type(&got), None, "{got}");
        assert_eq!(
            got,
            "expected list<number> or a mapping, not an one of the allowed values or whole number"
        );
        // Words that merely contain a type name are left alone.
        assert_eq!(scrub("u32x Options boolean"), "u32x Options boolean");
    }
}
