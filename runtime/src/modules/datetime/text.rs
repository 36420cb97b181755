//! Text forms: `isoformat`'s time part, `fromisoformat` parsing (CPython 3.11's C
//! parser: ASCII digits only, its separator rules and its leniencies), the
//! `strftime` wrapper (`%z`, `%Z` and `%f` expanded here, the rest left to
//! `time.strftime`), and `time.struct_time` values.
use super::tz;
use crate::ops;
use crate::types::str::{as_str, new_string};
use crate::types::tuple::TupleObj;
use crate::value::Value;
use crate::vm::{Args, PyResult, Vm};

/// `time.struct_time((y, m, d, hh, mm, ss, wday, yday, dst))`.
pub fn struct_time(vm: &mut Vm, f: [i64; 9]) -> PyResult<Value> {
    let time = crate::import::import_module(vm, "time")?;
    let st = ops::getattr_str(vm, &time, "struct_time")?;
    let t = TupleObj::from_items(f.map(Value::int));
    vm.call(&st, &[t])
}

/// The 9 fields of a time tuple for (y, m, d, hh, mm, ss) and a dst flag.
pub fn tm_fields(y: i32, m: i32, d: i32, hh: i32, mi: i32, ss: i32, dst: i64) -> [i64; 9] {
    let wd = super::calendar::weekday(y, m, d);
    let yday = super::calendar::days_before_month(y, m) + d;
    [
        i64::from(y),
        i64::from(m),
        i64::from(d),
        i64::from(hh),
        i64::from(mi),
        i64::from(ss),
        i64::from(wd),
        i64::from(yday),
        dst,
    ]
}

/// The time part of `isoformat` for `timespec`.
pub fn fmt_time(vm: &mut Vm, h: i32, m: i32, s: i32, us: i32, spec: &str) -> PyResult<String> {
    Ok(match spec {
        "auto" if us != 0 => format!("{h:02}:{m:02}:{s:02}.{us:06}"),
        "auto" | "seconds" => format!("{h:02}:{m:02}:{s:02}"),
        "hours" => format!("{h:02}"),
        "minutes" => format!("{h:02}:{m:02}"),
        "milliseconds" => format!("{h:02}:{m:02}:{s:02}.{:03}", us / 1000),
        "microseconds" => format!("{h:02}:{m:02}:{s:02}.{us:06}"),
        _ => return Err(vm.value_error("Unknown timespec value")),
    })
}

/// `timespec` argument: a str.
pub fn timespec_arg<'a>(vm: &mut Vm, v: Option<&'a Value>) -> PyResult<&'a str> {
    match v {
        None => Ok("auto"),
        Some(v) => match as_str(v) {
            Some(s) => Ok(s),
            None => Err(vm.type_error(format!(
                "isoformat() argument 2 must be str, not {}",
                super::tp_name(v)
            ))),
        },
    }
}

/// CPython's `wrap_strftime`: `%z`, `%Z` and `%f` replaced (from `tz`'s answers for
/// `tzarg`, and `us`), then `time.strftime(fmt, timetuple)`.
pub fn wrap_strftime(
    vm: &mut Vm,
    fmt: &str,
    timetuple: Value,
    tz: Option<&Value>,
    tzarg: &Value,
    us: i32,
) -> PyResult<Value> {
    let mut out = String::with_capacity(fmt.len() + 8);
    let mut z: Option<String> = None;
    let mut zname: Option<String> = None;
    let mut chars = fmt.chars();
    while let Some(c) = chars.next() {
        if c == '\0' {
            break;
        }
        if c != '%' {
            out.push(c);
            continue;
        }
        match chars.clone().next() {
            None | Some('\0') => {
                out.push('%');
            }
            Some('z') => {
                chars.next();
                if z.is_none() {
                    let mut s = String::new();
                    if let Some(t) = tz
                        && let Some(off) = tz::offset_us(vm, t, tzarg, "utcoffset")?
                    {
                        s = tz::fmt_offset(off, "");
                    }
                    z = Some(s);
                }
                out.push_str(z.as_deref().unwrap_or(""));
            }
            Some('Z') => {
                chars.next();
                if zname.is_none() {
                    let mut s = String::new();
                    if let Some(t) = tz {
                        let n = tz::call_tzname(vm, t, tzarg)?;
                        if crate::types::str::is_flagged(&n) {
                            return Err(vm.value_error("surrogates not allowed"));
                        }
                        if n.downcast_exact::<crate::types::str::StrObj>().is_some() {
                            s = as_str(&n).unwrap_or("").replace('%', "%%");
                        } else if !n.is_none() {
                            let pct = new_string("%".into());
                            let pct2 = new_string("%%".into());
                            let r = super::call_method(vm, &n, "replace", &[pct, pct2])?;
                            match as_str(&r) {
                                Some(x) => s = x.to_string(),
                                None => {
                                    return Err(vm.type_error(format!(
                                        "tzname.replace() did not return a string, not {}",
                                        super::tp_name(&r)
                                    )));
                                }
                            }
                        }
                    }
                    zname = Some(s);
                }
                out.push_str(zname.as_deref().unwrap_or(""));
            }
            Some('f') => {
                chars.next();
                out.push_str(&format!("{us:06}"));
            }
            Some(other) => {
                chars.next();
                out.push('%');
                out.push(other);
            }
        }
    }
    let f = new_string(out);
    crate::modules::time::calendar::strftime(vm, &Args::new(&[f, timetuple]))
}

// ---- fromisoformat ----------------------------------------------------------------------

/// The string as chars, read as C reads a NUL-terminated buffer: '\0' past the end.
pub struct Iso {
    pub c: Vec<char>,
}

impl Iso {
    pub fn new(s: &str) -> Iso {
        Iso {
            c: s.chars().collect(),
        }
    }
    fn at(&self, i: usize) -> char {
        self.c.get(i).copied().unwrap_or('\0')
    }
    /// `n` ASCII digits from `i`: (value, next index).
    fn digits(&self, i: usize, n: usize) -> Option<(i32, usize)> {
        let mut v = 0i32;
        for k in 0..n {
            let c = self.at(i + k);
            let d = c.to_digit(10).filter(|_| c.is_ascii_digit())?;
            v = v * 10 + d as i32;
        }
        Some((v, i + n))
    }

    /// CPython's `_find_isoformat_datetime_separator`.
    pub fn separator(&self) -> usize {
        let len = self.c.len();
        if len == 7 {
            return 7;
        }
        if self.at(4) == '-' {
            if self.at(5) == 'W' {
                if len > 8 && self.at(8) == '-' {
                    if len == 9 {
                        return 9;
                    }
                    if len > 10 && self.at(10).is_ascii_digit() {
                        return 8;
                    }
                    return 10;
                }
                return 8;
            }
            return 10;
        }
        if self.at(4) == 'W' {
            let mut idx = 7;
            while idx < len {
                if !self.at(idx).is_ascii_digit() {
                    break;
                }
                idx += 1;
            }
            if idx < 9 {
                return idx;
            }
            return if idx % 2 == 0 { 7 } else { 8 };
        }
        8
    }

    /// CPython's `parse_isoformat_date` on the first `len` chars; Err for a refused
    /// string, Ok((y, m, d)) unchecked (the constructor checks), or an ISO-week error.
    pub fn date(&self, len: usize) -> Result<(i32, i32, i32), IsoDateErr> {
        let (year, mut p) = self.digits(0, 4).ok_or(IsoDateErr::Bad)?;
        let sep = self.at(p) == '-';
        if sep {
            p += 1;
        }
        if self.at(p) == 'W' {
            p += 1;
            let (week, np) = self.digits(p, 2).ok_or(IsoDateErr::Bad)?;
            p = np;
            let mut day = 1;
            if p < len {
                if sep {
                    if self.at(p) != '-' {
                        return Err(IsoDateErr::Bad);
                    }
                    p += 1;
                }
                let (d, _) = self.digits(p, 1).ok_or(IsoDateErr::Bad)?;
                day = d;
            }
            return super::calendar::iso_to_ymd(year, week, day).map_err(|_| IsoDateErr::Bad);
        }
        let (month, np) = self.digits(p, 2).ok_or(IsoDateErr::Bad)?;
        p = np;
        if sep {
            if self.at(p) != '-' {
                return Err(IsoDateErr::Bad);
            }
            p += 1;
        }
        let (day, _) = self.digits(p, 2).ok_or(IsoDateErr::Bad)?;
        Ok((year, month, day))
    }

    /// CPython's `parse_hh_mm_ss_ff` over [start, end): Err for malformed, Ok((fields,
    /// more)) where `more` says the text goes on past what was read.
    fn hh_mm_ss_ff(&self, start: usize, end: usize) -> Result<([i32; 4], bool), ()> {
        let mut vals = [0i32; 4];
        let mut p = start;
        let mut has_sep = true;
        let mut fraction = false;
        for i in 0..3 {
            let (v, np) = self.digits(p, 2).ok_or(())?;
            vals[i] = v;
            p = np;
            let c = self.at(p);
            p += 1;
            if i == 0 {
                has_sep = c == ':';
            }
            if p >= end {
                return Ok((vals, c != '\0'));
            } else if has_sep && c == ':' {
                continue;
            } else if c == '.' || c == ',' {
                fraction = true;
                break;
            } else if !has_sep {
                p -= 1;
            } else {
                return Err(());
            }
        }
        let _ = fraction;
        let remains = end.saturating_sub(p);
        let n = remains.min(6);
        let (mut us, mut np) = self.digits(p, n).ok_or(())?;
        if n == 0 {
            return Err(());
        }
        const CORRECTION: [i32; 5] = [100_000, 10_000, 1000, 100, 10];
        if n < 6 {
            us *= CORRECTION[n - 1];
        }
        vals[3] = us;
        while self.at(np).is_ascii_digit() {
            np += 1;
        }
        Ok((vals, self.at(np) != '\0'))
    }

    /// CPython's `parse_isoformat_time` from `start`: (h, m, s, us, tz offset in
    /// microseconds if any).
    pub fn time(&self, start: usize) -> Result<([i32; 4], Option<i64>), ()> {
        let end = self.c.len();
        if start >= end {
            return Err(());
        }
        let mut tzpos = start;
        loop {
            let c = self.at(tzpos);
            if c == 'Z' || c == '+' || c == '-' {
                break;
            }
            tzpos += 1;
            if tzpos >= end {
                break;
            }
        }
        let (vals, more) = self.hh_mm_ss_ff(start, tzpos)?;
        if tzpos == end {
            return if more { Err(()) } else { Ok((vals, None)) };
        }
        if self.at(tzpos) == 'Z' {
            if tzpos + 1 != end {
                return Err(());
            }
            return Ok((vals, Some(0)));
        }
        let sign: i64 = if self.at(tzpos) == '-' { -1 } else { 1 };
        let (tzv, more) = self.hh_mm_ss_ff(tzpos + 1, end)?;
        if more {
            return Err(());
        }
        let off = sign
            * ((i64::from(tzv[0]) * 3600 + i64::from(tzv[1]) * 60 + i64::from(tzv[2])) * 1_000_000
                + i64::from(tzv[3]));
        Ok((vals, Some(off)))
    }
}

pub enum IsoDateErr {
    Bad,
}

/// The tzinfo of a parsed offset: None, `timezone.utc` for zero, else a timezone.
pub fn iso_tzinfo(vm: &mut Vm, off: Option<i64>) -> PyResult<Value> {
    match off {
        None => Ok(Value::none()),
        Some(0) => Ok(tz::utc()),
        Some(us) => tz::timezone_us(vm, us),
    }
}

/// `Invalid isoformat string: '...'`.
pub fn invalid_iso(vm: &mut Vm, s: &Value) -> crate::vm::PyErr {
    let r = ops::repr(vm, s).unwrap_or_default();
    vm.value_error(format!("Invalid isoformat string: {r}"))
}

/// The str argument of `fromisoformat`.
pub fn iso_arg<'a>(vm: &mut Vm, v: &'a Value) -> PyResult<&'a str> {
    match as_str(v) {
        Some(s) => Ok(s),
        None => Err(vm.type_error("fromisoformat: argument must be str")),
    }
}
