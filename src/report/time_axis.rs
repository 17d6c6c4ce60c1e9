//! The time axis of the charts: weeks since the start read as years (runs
//! of two years or more) or weeks, or, when the world gives a
//! `start_date`, as calendar years (ticks on 1 January) or months.

use super::svg::nice_step;
use crate::scenario::types::StartDate;

/// Ticks (week, label) and the axis title.
#[derive(Debug, Clone, PartialEq)]
pub struct TimeAxis {
    pub ticks: Vec<(f64, String)>,
    pub title: &'static str,
}

/// Most ticks on a time axis.
const MOST_TICKS: usize = 7;

const MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];

/// The time axis of a run of `weeks` weeks (week 0 to `weeks - 1`).
pub fn time_axis(weeks: f64, start: Option<StartDate>) -> TimeAxis {
    let last = (weeks - 1.0).max(1.0);
    match start {
        None => since_start(last),
        Some(start) if last >= 104.0 => years(start, last),
        Some(start) => months(start, last),
    }
}

/// Without a calendar: every year (or every few) for runs of two years or
/// more, else round numbers of weeks.
fn since_start(last: f64) -> TimeAxis {
    let in_years = last >= 104.0;
    let step = if in_years {
        52.0 * (last / 52.0 / 6.0).ceil().max(1.0)
    } else {
        // Weeks are whole numbers.
        nice_step(last, 5.0).max(1.0).round()
    };
    let n = (last / step + 1e-9).floor() as usize;
    TimeAxis {
        ticks: (0..=n)
            .map(|i| {
                let t = i as f64 * step;
                let label = if in_years {
                    format!("{}", (t / 52.0).round())
                } else {
                    format!("{t}")
                };
                (t, label)
            })
            .collect(),
        title: if in_years {
            "years since the start"
        } else {
            "weeks since the start"
        },
    }
}

/// Calendar years: a tick on 1 January of every year (or every few) in
/// the run.
fn years(start: StartDate, last: f64) -> TimeAxis {
    let end = start.week(last);
    // A run that starts on 1 January has its first tick at week 0.
    let first = if (start.month, start.day) == (1, 1) {
        start.year
    } else {
        start.year + 1
    };
    let count = (end.year - first + 1).max(1) as usize;
    let step = count.div_ceil(MOST_TICKS - 1).max(1) as i32;
    // Round years when there is a step: 2030, 2035, not 2027, 2032.
    let ticks = (first..=end.year)
        .filter(|y| y.rem_euclid(step) == 0 || step == 1)
        .map(|year| {
            let week = start.week_of(StartDate {
                year,
                month: 1,
                day: 1,
            });
            (week, year.to_string())
        })
        .filter(|(w, _)| *w <= last)
        .collect();
    TimeAxis {
        ticks,
        title: "year (ticks on 1 January)",
    }
}

/// Months: a tick on the first of every month (or every 2, 3, 6 or 12),
/// named with the year on January and on the first tick.
fn months(start: StartDate, last: f64) -> TimeAxis {
    let end = start.week(last);
    // Months from the first of the month after the start.
    let index = |d: StartDate| d.year * 12 + d.month as i32 - 1;
    // A run that starts on the first of a month has a tick at week 0.
    let from = index(start) + i32::from(start.day != 1);
    let to = index(end);
    let count = (to - from + 1).max(1) as usize;
    let step = [1, 2, 3, 6, 12]
        .into_iter()
        .find(|s| count.div_ceil(*s) <= MOST_TICKS)
        .unwrap_or(12);
    let mut ticks = Vec::new();
    for m in from..=to {
        let (year, month) = (m.div_euclid(12), m.rem_euclid(12) as u32 + 1);
        if !((month - 1) as usize).is_multiple_of(step) {
            continue;
        }
        let week = start.week_of(StartDate {
            year,
            month,
            day: 1,
        });
        if week > last {
            continue;
        }
        let name = MONTHS[(month - 1) as usize];
        let label = if month == 1 || ticks.is_empty() {
            format!("{name} {year}")
        } else {
            name.to_string()
        };
        ticks.push((week, label));
    }
    TimeAxis {
        ticks,
        title: "date (ticks on the first of the month)",
    }
}

/// A week as a sentence names it: `week 52`, or with a calendar, the
/// month its first day falls in (`Jan 2016`).
pub fn week_name(week: f64, start: Option<StartDate>) -> String {
    match start {
        None => format!("week {week}"),
        Some(start) => {
            let d = start.week(week);
            format!("{} {}", MONTHS[(d.month - 1) as usize], d.year)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(text: &str) -> Option<StartDate> {
        Some(StartDate::parse(text).unwrap())
    }

    fn labels(a: &TimeAxis) -> Vec<&str> {
        a.ticks.iter().map(|t| t.1.as_str()).collect()
    }

    #[test]
    fn without_a_calendar_weeks_read_as_years_or_weeks() {
        let five = time_axis(261.0, None);
        assert_eq!(labels(&five), ["0", "1", "2", "3", "4", "5"]);
        assert_eq!(five.ticks[2].0, 104.0);
        assert_eq!(five.title, "years since the start");
        let short = time_axis(60.0, None);
        assert_eq!(short.ticks[2], (20.0, "20".to_string()));
        assert_eq!(short.title, "weeks since the start");
    }

    #[test]
    fn with_a_start_date_ticks_fall_on_new_year_or_the_first_of_the_month() {
        // The hindcast: 2015-01-05 for 312 weeks (to the end of 2020).
        let hindcast = time_axis(312.0, date("2015-01-05"));
        assert_eq!(labels(&hindcast), ["2016", "2017", "2018", "2019", "2020"]);
        // 1 January 2016 is 361 days after 5 January 2015.
        assert!((hindcast.ticks[0].0 - 361.0 / 7.0).abs() < 1e-12);
        // Thirty years: every fifth year, round ones, so at most seven ticks.
        let long = time_axis(1560.0, date("2026-01-05"));
        assert_eq!(
            labels(&long),
            ["2030", "2035", "2040", "2045", "2050", "2055"]
        );
        // A run from 1 January, or from the first of a month, has a tick
        // at week 0.
        let new_year = time_axis(156.0, date("2016-01-01"));
        assert_eq!(new_year.ticks[0], (0.0, "2016".to_string()));
        let month = time_axis(30.0, date("2016-03-01"));
        assert_eq!(month.ticks[0], (0.0, "Mar 2016".to_string()));
        // A year (to 2016-08-29): every second month, with the year on the
        // first tick and on January.
        let year = time_axis(52.0, date("2015-09-07"));
        assert_eq!(labels(&year), ["Nov 2015", "Jan 2016", "Mar", "May", "Jul"]);
        assert!(year.ticks.iter().all(|(w, _)| (0.0..=51.0).contains(w)));
        assert_eq!(week_name(17.0, date("2015-09-07")), "Jan 2016");
        assert_eq!(week_name(17.0, None), "week 17");
    }
}
