//! The calendar date of a run's first week (`start_date: 2015-09-07`).
//! It changes nothing in the model: the weeks stay numbered from 0, and
//! the report reads them as dates (its axes in years, or months).

use serde::{Deserialize, Serialize};

/// A day of the proleptic Gregorian calendar.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct StartDate {
    pub year: i32,
    pub month: u32,
    pub day: u32,
}

impl StartDate {
    /// Read `YYYY-MM-DD`; the message says what was expected, in words.
    pub fn parse(text: &str) -> Result<StartDate, String> {
        let expected = || {
            format!("expected a date written as year-month-day, such as 2015-09-07, found `{text}`")
        };
        let parts: Vec<&str> = text.trim().split('-').collect();
        let [y, m, d] = parts[..] else {
            return Err(expected());
        };
        if y.len() != 4 || m.len() != 2 || d.len() != 2 {
            return Err(expected());
        }
        let (Ok(year), Ok(month), Ok(day)) = (y.parse::<i32>(), m.parse::<u32>(), d.parse::<u32>())
        else {
            return Err(expected());
        };
        if !(1..=12).contains(&month) {
            return Err(format!("{text}: there is no month {month}"));
        }
        if !(1900..=2200).contains(&year) {
            return Err(format!("{text}: expected a year from 1900 to 2200"));
        }
        if day == 0 || day > days_in_month(year, month) {
            return Err(format!("{text}: there is no day {day} in that month"));
        }
        Ok(StartDate { year, month, day })
    }

    /// Days since 1970-01-01.
    pub fn days(self) -> i64 {
        days_from_civil(i64::from(self.year), self.month, self.day)
    }

    /// The date `days` days since 1970-01-01.
    pub fn from_days(days: i64) -> StartDate {
        let (y, month, day) = civil_from_days(days);
        StartDate {
            year: y as i32,
            month,
            day,
        }
    }

    /// The first day of week `week` of a run starting on this date.
    pub fn week(self, week: f64) -> StartDate {
        StartDate::from_days(self.days() + (week * 7.0).floor() as i64)
    }

    /// The week (fractional) of a run starting on this date in which `date` falls.
    pub fn week_of(self, date: StartDate) -> f64 {
        (date.days() - self.days()) as f64 / 7.0
    }
}

impl std::fmt::Display for StartDate {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

impl Serialize for StartDate {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.to_string())
    }
}

impl<'de> Deserialize<'de> for StartDate {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<StartDate, D::Error> {
        struct Date;
        impl serde::de::Visitor<'_> for Date {
            type Value = StartDate;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                write!(f, "a date written as year-month-day, such as 2015-09-07")
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<StartDate, E> {
                StartDate::parse(v).map_err(E::custom)
            }
        }
        d.deserialize_str(Date)
    }
}

fn is_leap(year: i32) -> bool {
    (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
}

fn days_in_month(year: i32, month: u32) -> u32 {
    match month {
        2 if is_leap(year) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// (year, month, day) to days since 1970-01-01, proleptic Gregorian
/// (Howard Hinnant's algorithm).
pub fn days_from_civil(y: i64, m: u32, d: u32) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y.rem_euclid(400);
    let m = i64::from(m);
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(d) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// Days since 1970-01-01 to (year, month, day), proleptic Gregorian
/// (Howard Hinnant's algorithm).
pub fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (if m <= 2 { y + 1 } else { y }, m, d)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn days_and_dates_agree_with_the_calendar() {
        assert_eq!(civil_from_days(0), (1970, 1, 1));
        assert_eq!(civil_from_days(11_016), (2000, 2, 29));
        assert_eq!(civil_from_days(20_415), (2025, 11, 23));
        assert_eq!(civil_from_days(-1), (1969, 12, 31));
        for z in -800_000..800_000 {
            if z % 997 == 0 {
                let (y, m, d) = civil_from_days(z);
                assert_eq!(days_from_civil(y, m, d), z);
            }
        }
        let start = StartDate::parse("2015-09-07").unwrap();
        // 2015-09-07 was a Monday; 52 weeks on is 2016-09-05.
        assert_eq!(start.week(52.0).to_string(), "2016-09-05");
        // 116 days from 2015-09-07 to 2016-01-01.
        let week = start.week_of(StartDate::parse("2016-01-01").unwrap());
        assert!((week - 116.0 / 7.0).abs() < 1e-12, "{week}");
    }

    #[test]
    fn bad_dates_say_what_was_expected() {
        for bad in [
            "2015-9-7",
            "07.09.2015",
            "2015-13-01",
            "2015-02-29",
            "1800-01-01",
            "",
        ] {
            let e = StartDate::parse(bad).unwrap_err();
            assert!(e.contains(bad) || e.contains("expected"), "{bad}: {e}");
        }
        assert!(StartDate::parse("2016-02-29").is_ok());
        assert_eq!(
            StartDate::parse("2015-13-01").unwrap_err(),
            "2015-13-01: there is no month 13"
        );
    }
}
