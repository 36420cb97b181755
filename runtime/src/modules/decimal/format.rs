//! `Decimal.__format__`: the format-specification mini-language as CPython's C decimal
//! reads it (`[[fill]align][sign][z][0][width][,][.precision][type]`, types
//! `eEfFgGn%`; no `#` and no `_`: "invalid format string"), numbers placed as
//! `_pydecimal`'s `__format__`/`_format_number` do, `n` with the C library's locale or
//! an override dict whose grouping is a string of group lengths.
use super::context::{self, State};
use super::decimal_type::{rest, this};
use super::number::{Dec, Round};
use super::text;
use crate::modules::native_args;
use crate::ops;
use crate::types::dict::DictObj;
use crate::types::str::{as_str, new_string};
use crate::value::Value;
use crate::vm::{Args, PyResult, Vm};

/// `CHAR_MAX`: a grouping entry that ends grouping.
const CHAR_MAX: u32 = 127;

struct Spec {
    fill: char,
    align: char,
    sign: char,
    no_neg_0: bool,
    zeropad: bool,
    width: usize,
    thousands: bool,
    precision: Option<i64>,
    ty: Option<char>,
}

fn parse(s: &str) -> Option<Spec> {
    let c: Vec<char> = s.chars().collect();
    let mut i = 0;
    let is_align = |ch: char| "<>=^".contains(ch);
    let (mut fill, mut align) = (None, None);
    if c.len() >= 2 && is_align(c[1]) {
        fill = Some(c[0]);
        align = Some(c[1]);
        i = 2;
    } else if !c.is_empty() && is_align(c[0]) {
        align = Some(c[0]);
        i = 1;
    }
    let mut sign = '-';
    if i < c.len() && "-+ ".contains(c[i]) {
        sign = c[i];
        i += 1;
    }
    let no_neg_0 = i < c.len() && c[i] == 'z';
    i += no_neg_0 as usize;
    let zeropad = i < c.len() && c[i] == '0';
    i += zeropad as usize;
    if zeropad && (fill.is_some() || align.is_some()) {
        return None;
    }
    let digits = |i: &mut usize| -> Option<Option<usize>> {
        let start = *i;
        while *i < c.len() && c[*i].is_ascii_digit() {
            *i += 1;
        }
        if *i == start {
            return Some(None);
        }
        let t: String = c[start..*i].iter().collect();
        t.parse::<usize>().ok().filter(|&v| v < 1 << 48).map(Some)
    };
    if i < c.len() && c[i] == '0' {
        return None;
    }
    let width = digits(&mut i)?.unwrap_or(0);
    let thousands = i < c.len() && c[i] == ',';
    i += thousands as usize;
    let mut precision = None;
    if i < c.len() && c[i] == '.' {
        i += 1;
        if i + 1 < c.len() && c[i] == '0' && c[i + 1].is_ascii_digit() {
            return None;
        }
        precision = Some(digits(&mut i)?? as i64);
    }
    let mut ty = None;
    if i < c.len() && "eEfFgGn%".contains(c[i]) {
        ty = Some(c[i]);
        i += 1;
    }
    if i != c.len() {
        return None;
    }
    if precision == Some(0) && matches!(ty, None | Some('g' | 'G' | 'n')) {
        precision = Some(1);
    }
    Some(Spec {
        fill: fill.unwrap_or(' '),
        align: align.unwrap_or('>'),
        sign,
        no_neg_0,
        zeropad,
        width,
        thousands,
        precision,
        ty,
    })
}

/// Separators and grouping for the digits before the point.
struct Locale {
    point: String,
    sep: String,
    grouping: Vec<u32>,
}

fn sign_str(neg: bool, spec: &Spec) -> String {
    if neg {
        "-".into()
    } else if spec.sign == '+' || spec.sign == ' ' {
        spec.sign.to_string()
    } else {
        String::new()
    }
}

fn align(sign: &str, body: &str, spec: &Spec) -> String {
    let len = sign.chars().count() + body.chars().count();
    let pad: String = std::iter::repeat_n(spec.fill, spec.width.saturating_sub(len)).collect();
    match spec.align {
        '<' => format!("{sign}{body}{pad}"),
        '=' => format!("{sign}{pad}{body}"),
        '^' => {
            let half: String = pad.chars().take(pad.chars().count() / 2).collect();
            let rest: String = pad.chars().skip(half.chars().count()).collect();
            format!("{half}{sign}{body}{rest}")
        }
        _ => format!("{pad}{sign}{body}"),
    }
}

/// `_insert_thousands_sep`: `digits` grouped, zero-padded to `min_width` characters.
fn group(digits: &str, loc: &Locale, mut min_width: i64) -> String {
    // Group sizes from the right; a 0 (or the end) repeats the last one, CHAR_MAX
    // leaves the remaining digits ungrouped.
    let mut lens: Vec<u32> = vec![];
    let mut repeat_last = true;
    for &g in &loc.grouping {
        if g == 0 {
            break;
        }
        if g == CHAR_MAX {
            repeat_last = false;
            break;
        }
        lens.push(g);
    }
    let mut digits = digits.to_string();
    let sep_len = loc.sep.chars().count() as i64;
    let mut groups: Vec<String> = vec![];
    let mut k = 0;
    loop {
        let l = if k < lens.len() {
            lens[k] as i64
        } else if repeat_last && !lens.is_empty() {
            *lens.last().unwrap_or(&3) as i64
        } else {
            let l = (digits.len() as i64).max(min_width).max(1);
            groups.push(format!(
                "{}{}",
                "0".repeat((l - digits.len() as i64) as usize),
                digits
            ));
            break;
        };
        k += 1;
        let l = (digits.len() as i64).max(min_width).max(1).min(l.max(1));
        let take = (l as usize).min(digits.len());
        let tail = digits.split_off(digits.len() - take);
        groups.push(format!("{}{}", "0".repeat(l as usize - take), tail));
        min_width -= l;
        if digits.is_empty() && min_width <= 0 {
            break;
        }
        min_width -= sep_len;
    }
    groups.reverse();
    groups.join(&loc.sep)
}

/// `Decimal.__format__(spec, override=None)`.
pub fn dec_format(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (_, d) = this(vm, "__format__", a)?;
    let p = native_args::unpack(vm, "__format__", &rest(a), 1, 2)?;
    let Some(fmt) = as_str(&p[0]) else {
        return Err(vm.type_error("format arg must be str"));
    };
    let fmt = fmt.to_string();
    let over = p.get(1).filter(|v| !v.is_none()).cloned();
    if let Some(o) = &over
        && o.downcast::<DictObj>().is_none()
    {
        return Err(vm.type_error("optional argument must be a dict"));
    }
    let Some(mut spec) = parse(&fmt) else {
        return Err(vm.value_error("invalid format string"));
    };
    let c = context::current(vm)?;
    let s = context::state(&c);
    if spec.ty == Some('n') && spec.thousands {
        return Err(vm.value_error("invalid format string"));
    }
    let loc = if let Some(o) = &over {
        // Separators given by the caller take precedence for every type.
        override_locale(vm, o)?
    } else if spec.ty == Some('n') {
        locale(vm)?
    } else {
        let (sep, grouping) = if spec.thousands {
            (",".into(), vec![3, 3])
        } else {
            (String::new(), vec![])
        };
        Locale {
            point: ".".into(),
            sep,
            grouping,
        }
    };
    if spec.ty == Some('n') {
        spec.ty = Some('g');
    }
    Ok(new_string(format_dec(d, &mut spec, &loc, &s)))
}

/// The `n` type's separators: the C library's (`_locale.localeconv()`).
fn locale(vm: &mut Vm) -> PyResult<Locale> {
    let m = crate::import::import_module(vm, "_locale")?;
    let f = ops::getattr_str(vm, &m, "localeconv")?;
    let conv = vm.call(&f, &[])?;
    let Some(dict) = conv.downcast::<DictObj>() else {
        return Err(vm.type_error("localeconv() must return a dict"));
    };
    let text = |key: &str, dflt: &str| {
        dict.get_str(key)
            .and_then(|v| as_str(&v).map(str::to_string))
            .unwrap_or_else(|| dflt.to_string())
    };
    let (point, sep) = (text("decimal_point", "."), text("thousands_sep", ""));
    let grouping = match dict.get_str("grouping") {
        Some(g) => ops::collect(vm, &g)?
            .iter()
            .map(|v| {
                let n = crate::types::int::as_int(v).and_then(|i| i.to_i64());
                n.unwrap_or(0).clamp(0, CHAR_MAX as i64) as u32
            })
            .collect(),
        None => vec![],
    };
    Ok(Locale {
        point,
        sep,
        grouping,
    })
}

/// An override dict's separators: strings (a missing key is empty), the grouping a
/// string of group lengths; checked as libmpdec does (a point of one to four UTF-8
/// bytes, a separator of at most four, no grouping byte past 127).
fn override_locale(vm: &mut Vm, o: &Value) -> PyResult<Locale> {
    let Some(dict) = o.downcast::<DictObj>() else {
        return Err(vm.type_error("optional argument must be a dict"));
    };
    let mut parts = [String::new(), String::new(), String::new()];
    for (i, key) in ["decimal_point", "thousands_sep", "grouping"]
        .iter()
        .enumerate()
    {
        if let Some(v) = dict.get_str(key) {
            match as_str(&v) {
                Some(t) => parts[i] = t.to_string(),
                None => return Err(vm.type_error("bad argument type for built-in operation")),
            }
        }
    }
    let [point, sep, grouping] = parts;
    let bad_grouping = grouping.bytes().any(|b| b > 127);
    if point.is_empty() || point.len() > 4 || sep.len() > 4 || bad_grouping {
        return Err(vm.value_error("invalid override dict"));
    }
    // A C string: the grouping ends at its first NUL.
    let grouping: Vec<u32> = grouping.bytes().map(u32::from).collect();
    Ok(Locale {
        point,
        sep,
        grouping,
    })
}

/// `round(places)` to `places` significant digits (`_round`).
fn round_sig(d: &Dec, places: i64, round: Round) -> Dec {
    if d.is_special() || d.is_zero() {
        return d.clone();
    }
    let ans = d.rescale(d.adjusted() + 1 - places, round);
    if ans.adjusted() != d.adjusted() {
        return ans.rescale(ans.adjusted() + 1 - places, round);
    }
    ans
}

fn format_dec(d: &Dec, spec: &mut Spec, loc: &Locale, s: &State) -> String {
    if d.is_special() {
        let sign = sign_str(d.neg, spec);
        let mut body = text::to_string(&d.with_sign(false), false, true);
        if spec.ty == Some('%') {
            body.push('%');
        }
        return align(&sign, &body, spec);
    }
    let ty = spec.ty.unwrap_or(if s.capitals { 'G' } else { 'g' });
    let mut x = d.clone();
    if ty == '%' {
        x.exp += 2;
    }
    let round = s.ctx.round;
    if let Some(p) = spec.precision {
        match ty {
            'e' | 'E' => x = round_sig(&x, p + 1, round),
            'f' | 'F' | '%' => x = x.rescale(-p, round),
            _ if (x.digits() as i64) > p => x = round_sig(&x, p, round),
            _ => {}
        }
    }
    if x.is_zero() && x.exp > 0 && matches!(ty, 'f' | 'F' | '%') {
        x = x.rescale(0, round);
    }
    let neg = x.neg && !(x.is_zero() && spec.no_neg_0);
    let digits = x.coeff.to_decimal_string();
    let nd = digits.len() as i64;
    let leftdigits = x.exp + nd;
    let dotplace = match ty {
        'e' | 'E' => match spec.precision {
            Some(p) if x.is_zero() => 1 - p,
            _ => 1,
        },
        'f' | 'F' | '%' => leftdigits,
        _ => {
            if x.exp <= 0 && leftdigits > -6 {
                leftdigits
            } else {
                1
            }
        }
    };
    let (intpart, mut frac) = if dotplace < 0 {
        (
            "0".to_string(),
            format!("{}{digits}", "0".repeat((-dotplace) as usize)),
        )
    } else if dotplace > nd {
        (
            format!("{digits}{}", "0".repeat((dotplace - nd) as usize)),
            String::new(),
        )
    } else {
        let (a, b) = digits.split_at(dotplace as usize);
        (
            if a.is_empty() {
                "0".into()
            } else {
                a.to_string()
            },
            b.to_string(),
        )
    };
    let exp = leftdigits - dotplace;
    let sign = sign_str(neg, spec);
    if !frac.is_empty() {
        frac = format!("{}{frac}", loc.point);
    }
    if exp != 0 || matches!(ty, 'e' | 'E') {
        let e = if matches!(ty, 'E' | 'G') { 'E' } else { 'e' };
        frac.push_str(&format!("{e}{exp:+}"));
    }
    if ty == '%' {
        frac.push('%');
    }
    let min_width = if spec.zeropad {
        spec.width as i64 - frac.chars().count() as i64 - sign.chars().count() as i64
    } else {
        0
    };
    let intpart = group(&intpart, loc, min_width);
    align(&sign, &format!("{intpart}{frac}"), spec)
}
