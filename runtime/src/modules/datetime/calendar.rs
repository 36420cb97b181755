//! The proleptic Gregorian calendar: ordinals (day 1 is 0001-01-01), month lengths,
//! ISO weeks. Pure arithmetic on machine integers; callers check ranges.

pub const MINYEAR: i32 = 1;
pub const MAXYEAR: i32 = 9999;
/// `date.max.toordinal()`.
pub const MAX_ORDINAL: i64 = 3_652_059;
/// Ordinal of 1970-01-01, the Unix epoch.
pub const EPOCH_ORDINAL: i64 = 719_163;

const DAYS_IN_MONTH: [i32; 13] = [0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
const DAYS_BEFORE_MONTH: [i32; 13] = [0, 0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334];

pub fn is_leap(y: i32) -> bool {
    y % 4 == 0 && (y % 100 != 0 || y % 400 == 0)
}

pub fn days_in_month(y: i32, m: i32) -> i32 {
    if m == 2 && is_leap(y) {
        29
    } else {
        DAYS_IN_MONTH[m as usize]
    }
}

pub fn days_before_month(y: i32, m: i32) -> i32 {
    DAYS_BEFORE_MONTH[m as usize] + i32::from(m > 2 && is_leap(y))
}

pub fn days_before_year(y: i32) -> i64 {
    let y = i64::from(y) - 1;
    y * 365 + y.div_euclid(4) - y.div_euclid(100) + y.div_euclid(400)
}

pub fn ymd_to_ord(y: i32, m: i32, d: i32) -> i64 {
    days_before_year(y) + i64::from(days_before_month(y, m)) + i64::from(d)
}

const DI400Y: i64 = 146_097;
const DI100Y: i64 = 36_524;
const DI4Y: i64 = 1_461;

/// (year, month, day) of ordinal `n` (any integer; years outside 1..9999 come out as
/// they are, for the callers to refuse).
pub fn ord_to_ymd(n: i64) -> (i32, i32, i32) {
    let n = n - 1;
    let n400 = n.div_euclid(DI400Y);
    let n = n.rem_euclid(DI400Y);
    let mut year = n400 * 400 + 1;
    let n100 = n / DI100Y;
    let n = n % DI100Y;
    let n4 = n / DI4Y;
    let n = n % DI4Y;
    let n1 = n / 365;
    let n = n % 365;
    year += n100 * 100 + n4 * 4 + n1;
    if n1 == 4 || n100 == 4 {
        return ((year - 1) as i32, 12, 31);
    }
    let year = year as i32;
    let leap = n1 == 3 && (n4 != 24 || n100 == 3);
    let n = n as i32;
    let mut month = (n + 50) >> 5;
    let mut preceding = DAYS_BEFORE_MONTH[month as usize] + i32::from(month > 2 && leap);
    if preceding > n {
        month -= 1;
        preceding -= DAYS_IN_MONTH[month as usize] + i32::from(month == 2 && leap);
    }
    (year, month, n - preceding + 1)
}

/// Monday == 0.
pub fn weekday(y: i32, m: i32, d: i32) -> i32 {
    (ymd_to_ord(y, m, d) + 6).rem_euclid(7) as i32
}

/// Ordinal of the Monday starting ISO week 1 of `year`.
pub fn iso_week1_monday(year: i32) -> i64 {
    let first = ymd_to_ord(year, 1, 1);
    let first_wd = (first + 6).rem_euclid(7);
    let mut monday = first - first_wd;
    if first_wd > 3 {
        monday += 7;
    }
    monday
}

/// (ISO year, week, weekday 1..7).
pub fn iso_calendar(y: i32, m: i32, d: i32) -> (i32, i32, i32) {
    let mut year = y;
    let today = ymd_to_ord(y, m, d);
    let mut week1 = iso_week1_monday(year);
    let mut week = (today - week1).div_euclid(7);
    let day = (today - week1).rem_euclid(7);
    if week < 0 {
        year -= 1;
        week1 = iso_week1_monday(year);
        week = (today - week1).div_euclid(7);
    } else if week >= 52 && today >= iso_week1_monday(year + 1) {
        year += 1;
        week = 0;
    }
    (year, week as i32 + 1, day as i32 + 1)
}

/// Why an ISO (year, week, day) is refused.
pub enum IsoErr {
    Week,
    Day,
}

/// (year, month, day) of an ISO calendar date (the year is not range-checked).
pub fn iso_to_ymd(year: i32, week: i32, day: i32) -> Result<(i32, i32, i32), IsoErr> {
    if week <= 0 || week >= 53 {
        let mut out = true;
        if week == 53 {
            let first_wd = (ymd_to_ord(year, 1, 1) + 6).rem_euclid(7);
            if first_wd == 3 || (first_wd == 2 && is_leap(year)) {
                out = false;
            }
        }
        if out {
            return Err(IsoErr::Week);
        }
    }
    if day <= 0 || day >= 8 {
        return Err(IsoErr::Day);
    }
    let ord = iso_week1_monday(year) + i64::from((week - 1) * 7 + day - 1);
    Ok(ord_to_ymd(ord))
}

/// Seconds since 0001-01-01T00:00 of a broken-down UTC time.
pub fn utc_to_seconds(y: i32, m: i32, d: i32, hh: i32, mm: i32, ss: i32) -> i64 {
    ((ymd_to_ord(y, m, d) * 24 + i64::from(hh)) * 60 + i64::from(mm)) * 60 + i64::from(ss)
}

const MONTH_NAMES: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];
const DAY_NAMES: [&str; 7] = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];

/// C's `asctime` layout.
pub fn ctime(y: i32, m: i32, d: i32, hh: i32, mm: i32, ss: i32) -> String {
    format!(
        "{} {} {:2} {:02}:{:02}:{:02} {:04}",
        DAY_NAMES[weekday(y, m, d) as usize],
        MONTH_NAMES[(m - 1) as usize],
        d,
        hh,
        mm,
        ss,
        y
    )
}
