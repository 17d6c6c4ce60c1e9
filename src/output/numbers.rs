//! Numbers for people, the one rule of the terminal, `discover` and the
//! report: thousands separators, about three significant digits, and each
//! indicator in the unit it reads in ([`Unit::display`]): shares as
//! percentages, money in millions of the scenario's currency. The files
//! keep every digit; this is only how numbers are shown.

use crate::model::indicators::Unit;

/// The minus sign (U+2212), as wide as a digit in monospaced fonts.
pub const MINUS: char = '−';

/// Shown for an undefined value (a rate with no one to count).
pub const UNDEFINED: &str = "–";

/// `v` rounded to `decimals` decimals, with a comma every three digits
/// before the point: `grouped(-1234567.85, 1)` is `−1,234,567.9`. A value
/// that rounds to zero has no sign.
pub fn grouped(v: f64, decimals: usize) -> String {
    if !v.is_finite() {
        return UNDEFINED.into();
    }
    let text = format!("{:.decimals$}", v.abs());
    let (int, frac) = text.split_once('.').unwrap_or((&text, ""));
    let mut out = String::with_capacity(text.len() + text.len() / 3 + 1);
    let zero = text.bytes().all(|b| b == b'0' || b == b'.');
    if v < 0.0 && !zero {
        out.push(MINUS);
    }
    for (i, ch) in int.chars().enumerate() {
        if i > 0 && (int.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(ch);
    }
    if !frac.is_empty() {
        out.push('.');
        out.push_str(frac);
    }
    out
}

/// The decimals that show about three significant digits of a value of
/// this size: none from 100 on, at most `max`.
pub fn decimals_for(magnitude: f64, max: usize) -> usize {
    let a = magnitude.abs();
    if !a.is_finite() || a >= 100.0 || a == 0.0 {
        return 0;
    }
    ((2.0 - a.log10().floor()).max(0.0) as usize).min(max)
}

/// A number of no known unit (an uncertainty's value, a parameter):
/// three significant digits with separators; very small values in
/// scientific notation.
pub fn general(v: f64) -> String {
    if !v.is_finite() {
        return UNDEFINED.into();
    }
    if v != 0.0 && v.abs() < 1e-3 {
        let s = format!("{:.2e}", v.abs());
        let sign = if v < 0.0 {
            MINUS.to_string()
        } else {
            "".into()
        };
        return format!("{sign}{}", s.replace("e-", "e−"));
    }
    if v == v.trunc() {
        return grouped(v, 0);
    }
    grouped(v, decimals_for(v, 3))
}

/// A share (0 to 1) as a percentage: `0.253` is `25.3%`, `0.0084` is
/// `0.84%`, `1` is `100%`.
pub fn percent(share: f64) -> String {
    if !share.is_finite() {
        return UNDEFINED.into();
    }
    let p = share * 100.0;
    if p == p.trunc() {
        return format!("{}%", grouped(p, 0));
    }
    format!("{}%", grouped(p, decimals_for(p, 2).max(1)))
}

/// How a unit reads after a value or in a heading: `%`, `million EUR`,
/// `persons`.
pub fn unit_text(unit: Unit, currency: &str) -> String {
    unit.display().1.replace("{currency}", currency)
}

/// How the values of one indicator are shown: scaled into the unit people
/// read (percent, millions), with decimals chosen once for every value
/// shown beside each other (a row, a column, an axis), so they line up.
#[derive(Debug, Clone, PartialEq)]
pub struct Format {
    /// What a shown value is multiplied by.
    pub scale: f64,
    pub decimals: usize,
    /// Whole numbers of a count show without decimals.
    counts: bool,
    /// The unit as it reads after a label: `persons`, `%`, `million EUR`.
    pub unit: String,
}

impl Format {
    /// The format for values of `unit` whose largest size is `magnitude`
    /// (in the indicator's own unit: 0.25 for a share of 25%); `currency`
    /// names the money.
    pub fn new(unit: Unit, currency: &str, magnitude: f64) -> Format {
        let scale = unit.display().0;
        let scaled = magnitude.abs() * scale;
        let decimals = match unit {
            Unit::Index | Unit::Multiple => 3,
            Unit::Share => decimals_for(scaled, 2).max(1),
            _ => decimals_for(scaled, 2),
        };
        Format {
            scale,
            decimals,
            counts: matches!(unit, Unit::Persons | Unit::Places | Unit::Jobs),
            unit: unit_text(unit, currency),
        }
    }

    /// The format of a number of no known unit (an uncertainty's value, a
    /// ratio) whose largest size is `magnitude`: as it is, to about three
    /// significant digits.
    pub fn plain(magnitude: f64) -> Format {
        Format {
            scale: 1.0,
            decimals: decimals_for(magnitude, 3),
            counts: false,
            unit: String::new(),
        }
    }

    /// The format that suits every one of `values` (undefined ones left out).
    pub fn fitting(unit: Unit, currency: &str, values: &[f64]) -> Format {
        let top = values
            .iter()
            .filter(|v| v.is_finite())
            .fold(0.0f64, |m, v| m.max(v.abs()));
        Format::new(unit, currency, top)
    }

    /// A value in this format, without the unit.
    pub fn show(&self, v: f64) -> String {
        if !v.is_finite() {
            return UNDEFINED.into();
        }
        let x = v * self.scale;
        if self.unit.is_empty() && x != 0.0 && x.abs() < 1e-3 {
            // A plain number too small for its decimals.
            return general(x);
        }
        if self.counts && x == x.trunc() {
            return grouped(x, 0);
        }
        grouped(x, self.decimals)
    }

    /// A value followed by its unit: `25.3%`, `1,776 million EUR`.
    pub fn with_unit(&self, v: f64) -> String {
        let shown = self.show(v);
        if !v.is_finite() {
            shown
        } else if self.unit == "%" {
            format!("{shown}%")
        } else {
            format!("{shown} {}", self.unit)
        }
    }
}

/// A count in words for a sentence: `63.2 million`, `9,362`.
pub fn count_words(v: f64) -> String {
    let a = v.abs();
    if a >= 1e9 {
        format!("{} billion", grouped(v / 1e9, decimals_for(v / 1e9, 1)))
    } else if a >= 1e6 {
        format!("{} million", grouped(v / 1e6, decimals_for(v / 1e6, 1)))
    } else {
        grouped(v, 0)
    }
}

/// A p-value: `0.032`, `< 0.001`.
pub fn p_value(p: f64) -> String {
    if !p.is_finite() {
        UNDEFINED.into()
    } else if p < 0.001 {
        "< 0.001".into()
    } else {
        format!("{p:.3}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn separators_signs_and_rounding() {
        assert_eq!(grouped(1234567.85, 1), "1,234,567.9");
        assert_eq!(grouped(-1511.2, 0), "−1,511");
        assert_eq!(grouped(999.6, 0), "1,000");
        assert_eq!(grouped(-0.04, 1), "0.0");
        assert_eq!(grouped(12.0, 0), "12");
        assert_eq!(grouped(f64::NAN, 2), UNDEFINED);
    }

    #[test]
    fn three_significant_digits() {
        assert_eq!(decimals_for(113_942.0, 3), 0);
        assert_eq!(decimals_for(24.62, 3), 1);
        assert_eq!(decimals_for(5.78, 3), 2);
        assert_eq!(decimals_for(0.417, 3), 3);
        assert_eq!(decimals_for(0.0004, 3), 3);
        assert_eq!(general(0.2358), "0.236");
        assert_eq!(general(1_250.0), "1,250");
        assert_eq!(general(0.00012), "1.20e−4");
        assert_eq!(percent(0.253), "25.3%");
        assert_eq!(percent(0.0084), "0.84%");
        assert_eq!(percent(2.0 / 3.0), "66.7%");
        assert_eq!(percent(1.0), "100%");
        assert_eq!(count_words(6.322e7), "63.2 million");
        assert_eq!(p_value(0.0001), "< 0.001");
    }

    #[test]
    fn each_unit_reads_in_its_own_terms() {
        let money = Format::new(Unit::Currency, "EUR", 1.776e9);
        assert_eq!(money.with_unit(-1.511e9), "−1,511 million EUR");
        assert_eq!(
            Format::new(Unit::Currency, "SEK", 1.12e8).show(1.126e8),
            "113"
        );
        assert_eq!(
            Format::new(Unit::Currency, "SEK", 1.12e7).show(1.126e7),
            "11.3"
        );
        let share = Format::new(Unit::Share, "EUR", 0.253);
        assert_eq!(share.with_unit(0.2534), "25.3%");
        assert_eq!(share.show(0.0084), "0.8");
        let persons = Format::fitting(Unit::Persons, "EUR", &[26.8, 55.0, 0.0]);
        assert_eq!(
            (persons.show(26.8), persons.show(55.0)),
            ("26.8".into(), "55".into())
        );
        assert_eq!(
            Format::new(Unit::Persons, "EUR", 113_942.0).show(113_942.4),
            "113,942"
        );
        assert_eq!(
            Format::new(Unit::Weeks, "EUR", 24.6).with_unit(24.62),
            "24.6 weeks"
        );
        assert_eq!(Format::new(Unit::Index, "EUR", 0.4).show(0.4168), "0.417");
        assert_eq!(
            Format::new(Unit::Weeks, "EUR", 1.0).show(f64::NAN),
            UNDEFINED
        );
    }
}
