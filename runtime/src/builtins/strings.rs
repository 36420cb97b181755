//! str methods.
use super::{add_method, method_args, type_name};
use crate::ops;
use crate::types::list::ListObj;
use crate::types::str::{StrObj, as_str, new_str, new_string};
use crate::types::tuple::TupleObj;
use crate::value::Value;
use crate::vm::{Args, PyResult, Vm};
use crate::world::Types;

/// A str method wrapped so that its str results carry the surrogate flag of its inputs
/// (`types::str::with_surrogates`).
macro_rules! surr {
    ($f:ident) => {{
        fn wrapped(vm: &mut Vm, a: &Args) -> PyResult<Value> {
            crate::types::str::with_surrogates(vm, a, $f)
        }
        wrapped
    }};
}

pub fn install(t: &Types) {
    let s = t.str;
    add_method(s, "join", surr!(join));
    add_method(s, "split", surr!(split));
    add_method(s, "rsplit", surr!(rsplit));
    add_method(s, "splitlines", surr!(splitlines));
    add_method(s, "strip", surr!(strip));
    add_method(s, "lstrip", surr!(lstrip));
    add_method(s, "rstrip", surr!(rstrip));
    add_method(s, "upper", surr!(upper));
    add_method(s, "lower", surr!(lower));
    add_method(s, "casefold", surr!(casefold));
    add_method(s, "capitalize", surr!(capitalize));
    add_method(s, "title", surr!(title));
    add_method(s, "swapcase", surr!(swapcase));
    add_method(s, "startswith", surr!(startswith));
    add_method(s, "endswith", surr!(endswith));
    add_method(s, "find", surr!(find));
    add_method(s, "rfind", surr!(rfind));
    add_method(s, "index", surr!(index));
    add_method(s, "rindex", surr!(rindex));
    add_method(s, "count", surr!(count));
    add_method(s, "replace", surr!(replace));
    add_method(s, "format", surr!(format));
    add_method(s, "format_map", surr!(format_map));
    add_method(s, "translate", surr!(translate));
    super::add_static(s, "maketrans", maketrans);
    add_method(s, "isdigit", surr!(isdigit));
    add_method(s, "isdecimal", surr!(isdigit));
    add_method(s, "isnumeric", surr!(isnumeric));
    add_method(s, "isalpha", surr!(isalpha));
    add_method(s, "isalnum", surr!(isalnum));
    add_method(s, "isspace", surr!(isspace));
    add_method(s, "isupper", surr!(isupper));
    add_method(s, "islower", surr!(islower));
    add_method(s, "istitle", surr!(istitle));
    add_method(s, "isidentifier", surr!(isidentifier));
    add_method(s, "isascii", surr!(isascii));
    add_method(s, "isprintable", surr!(isprintable));
    add_method(s, "center", surr!(center));
    add_method(s, "ljust", surr!(ljust));
    add_method(s, "rjust", surr!(rjust));
    add_method(s, "zfill", surr!(zfill));
    add_method(s, "partition", surr!(partition));
    add_method(s, "rpartition", surr!(rpartition));
    add_method(s, "expandtabs", surr!(expandtabs));
    add_method(s, "removeprefix", surr!(removeprefix));
    add_method(s, "removesuffix", surr!(removesuffix));
    add_method(s, "__len__", surr!(str_len));
    add_method(s, "__contains__", surr!(str_contains));
}

fn this<'a>(vm: &mut Vm, v: &'a Value, name: &str) -> PyResult<&'a str> {
    match v.downcast::<StrObj>() {
        Some(s) => Ok(&s.s),
        None => {
            let tn = type_name(v);
            Err(vm.type_error(format!(
                "descriptor '{name}' requires a 'str' object but received a '{tn}'"
            )))
        }
    }
}

fn str_arg<'a>(vm: &mut Vm, v: &'a Value, what: &str) -> PyResult<&'a str> {
    match as_str(v) {
        Some(s) => Ok(s),
        None => {
            let tn = type_name(v);
            Err(vm.type_error(format!("{what} must be str, not {tn}")))
        }
    }
}

fn join(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (sv, r) = method_args(vm, "join", a, 1, 1)?;
    let sep = this(vm, sv, "join")?.to_string();
    let items = ops::collect(vm, &r[0])?;
    // A single exact str is the result itself, as in CPython.
    if let [only] = items.as_slice()
        && only.downcast_exact::<StrObj>().is_some()
    {
        return Ok(only.clone());
    }
    let mut out = String::new();
    for (i, it) in items.iter().enumerate() {
        if i > 0 {
            out.push_str(&sep);
        }
        match as_str(it) {
            Some(s) => out.push_str(s),
            None => {
                let tn = type_name(it);
                return Err(vm.type_error(format!(
                    "sequence item {i}: expected str instance, {tn} found"
                )));
            }
        }
    }
    if crate::types::str::surrogates_seen() {
        let flag = crate::types::str::inputs_flag(items.iter().chain([sv]))
            .map_err(|m| vm.value_error(m))?;
        return Ok(crate::types::str::new_string_flagged(out, flag));
    }
    Ok(new_string(out))
}

fn split_args(vm: &mut Vm, a: &Args, name: &str) -> PyResult<(String, Option<String>, i64)> {
    let p = a.pos();
    let Some(sv) = p.first() else {
        return Err(vm.type_error(format!("{name} needs self")));
    };
    let s = this(vm, sv, name)?.to_string();
    let mut sep = p.get(1).cloned();
    let mut maxsplit = p.get(2).cloned();
    for (k, v) in a.kw() {
        match k {
            "sep" => sep = Some(v.clone()),
            "maxsplit" => maxsplit = Some(v.clone()),
            _ => {
                return Err(
                    vm.type_error(format!("'{k}' is an invalid keyword argument for {name}()"))
                );
            }
        }
    }
    let sep = match sep {
        Some(v) if !v.is_none() => {
            let x = str_arg(vm, &v, "sep")?.to_string();
            if x.is_empty() {
                return Err(vm.value_error("empty separator"));
            }
            Some(x)
        }
        _ => None,
    };
    let maxsplit = match maxsplit {
        Some(v) => ops::to_isize(vm, &v)?,
        None => -1,
    };
    Ok((s, sep, maxsplit))
}

fn split(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (s, sep, maxsplit) = split_args(vm, a, "split")?;
    let max = if maxsplit < 0 {
        usize::MAX
    } else {
        maxsplit as usize
    };
    let parts: Vec<String> = match sep {
        Some(sep) => {
            let mut out = vec![];
            let mut rest = s.as_str();
            while out.len() < max {
                match rest.find(&sep) {
                    Some(i) => {
                        out.push(rest[..i].to_string());
                        rest = &rest[i + sep.len()..];
                    }
                    None => break,
                }
            }
            out.push(rest.to_string());
            out
        }
        None => {
            let mut out = vec![];
            let mut rest = s.trim_start();
            while !rest.is_empty() {
                if out.len() >= max {
                    out.push(rest.to_string());
                    break;
                }
                match rest.find(char::is_whitespace) {
                    Some(i) => {
                        out.push(rest[..i].to_string());
                        rest = rest[i..].trim_start();
                    }
                    None => {
                        out.push(rest.to_string());
                        break;
                    }
                }
            }
            out
        }
    };
    Ok(ListObj::new_value(
        parts.iter().map(|p| new_str(p)).collect(),
    ))
}

fn rsplit(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (s, sep, maxsplit) = split_args(vm, a, "rsplit")?;
    let max = if maxsplit < 0 {
        usize::MAX
    } else {
        maxsplit as usize
    };
    let mut parts: Vec<String> = match sep {
        Some(sep) => {
            let mut out = vec![];
            let mut rest = s.as_str();
            while out.len() < max {
                match rest.rfind(&sep) {
                    Some(i) => {
                        out.push(rest[i + sep.len()..].to_string());
                        rest = &rest[..i];
                    }
                    None => break,
                }
            }
            out.push(rest.to_string());
            out
        }
        None => {
            let mut out = vec![];
            let mut rest = s.trim_end();
            while !rest.is_empty() {
                if out.len() >= max {
                    out.push(rest.to_string());
                    break;
                }
                match rest.rfind(char::is_whitespace) {
                    Some(i) => {
                        let ch = rest[i..].chars().next().map(|c| c.len_utf8()).unwrap_or(1);
                        out.push(rest[i + ch..].to_string());
                        rest = rest[..i].trim_end();
                    }
                    None => {
                        out.push(rest.to_string());
                        break;
                    }
                }
            }
            out
        }
    };
    parts.reverse();
    Ok(ListObj::new_value(
        parts.iter().map(|p| new_str(p)).collect(),
    ))
}

fn splitlines(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (sv, rest) = crate::modules::native_args::receiver(vm, "splitlines", a)?;
    let b = crate::modules::native_args::bind(vm, "splitlines", &rest, &["keepends"], 0, 1)?;
    let s = this(vm, sv, "splitlines")?.to_string();
    // Argument Clinic's `bool(accept={int})`: an int's truth.
    let keep = match b[0] {
        Some(v) => crate::modules::native_args::int_arg(vm, Some(v), 0)? != 0,
        None => false,
    };
    let mut out = vec![];
    let mut start = 0;
    let chars: Vec<(usize, char)> = s.char_indices().collect();
    let mut i = 0;
    while i < chars.len() {
        let (b, c) = chars[i];
        let is_break = matches!(
            c,
            '\n' | '\r'
                | '\x0b'
                | '\x0c'
                | '\x1c'
                | '\x1d'
                | '\x1e'
                | '\u{85}'
                | '\u{2028}'
                | '\u{2029}'
        );
        if is_break {
            let mut end = b + c.len_utf8();
            if c == '\r' && i + 1 < chars.len() && chars[i + 1].1 == '\n' {
                end += 1;
                i += 1;
            }
            out.push(if keep {
                s[start..end].to_string()
            } else {
                s[start..b].to_string()
            });
            start = end;
        }
        i += 1;
    }
    if start < s.len() {
        out.push(s[start..].to_string());
    }
    Ok(ListObj::new_value(out.iter().map(|p| new_str(p)).collect()))
}

fn strip_impl(vm: &mut Vm, a: &Args, name: &str, left: bool, right: bool) -> PyResult<Value> {
    let (sv, r) = method_args(vm, name, a, 0, 1)?;
    let s = this(vm, sv, name)?;
    let chars: Option<Vec<char>> = match r.first() {
        Some(v) if !v.is_none() => Some(str_arg(vm, v, "strip arg")?.chars().collect()),
        _ => None,
    };
    let pred = |c: char| match &chars {
        Some(cs) => cs.contains(&c),
        None => c.is_whitespace(),
    };
    let mut t = s;
    if left {
        t = t.trim_start_matches(pred);
    }
    if right {
        t = t.trim_end_matches(pred);
    }
    if t.len() == s.len() {
        return Ok(crate::types::str::unchanged(sv));
    }
    Ok(new_str(t))
}

fn strip(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    strip_impl(vm, a, "strip", true, true)
}
fn lstrip(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    strip_impl(vm, a, "lstrip", true, false)
}
fn rstrip(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    strip_impl(vm, a, "rstrip", false, true)
}

fn map_str(vm: &mut Vm, a: &Args, name: &str, f: impl Fn(&str) -> String) -> PyResult<Value> {
    let (sv, _) = method_args(vm, name, a, 0, 0)?;
    let s = this(vm, sv, name)?;
    Ok(new_string(f(s)))
}

fn upper(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    map_str(vm, a, "upper", |s| s.to_uppercase())
}
fn lower(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    map_str(vm, a, "lower", |s| s.to_lowercase())
}
fn capitalize(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    map_str(vm, a, "capitalize", |s| {
        let mut c = s.chars();
        match c.next() {
            Some(f) => f.to_uppercase().collect::<String>() + &c.as_str().to_lowercase(),
            None => String::new(),
        }
    })
}
fn title(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    map_str(vm, a, "title", |s| {
        let mut out = String::with_capacity(s.len());
        let mut prev_cased = false;
        for c in s.chars() {
            if prev_cased {
                out.extend(c.to_lowercase());
            } else {
                out.extend(c.to_uppercase());
            }
            prev_cased = c.is_alphabetic();
        }
        out
    })
}
fn swapcase(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    map_str(vm, a, "swapcase", |s| {
        s.chars()
            .flat_map(|c| {
                if c.is_uppercase() {
                    c.to_lowercase().collect::<Vec<_>>()
                } else {
                    c.to_uppercase().collect::<Vec<_>>()
                }
            })
            .collect()
    })
}

/// Resolve optional start/end arguments to a char range of `s`.
/// The `start, end` of `find`/`count`/`startswith`/..., as CPython's ADJUST_INDICES
/// makes them: negative ones count from the end, and only `end` is cut to the length
/// (a start past it finds nothing, not even the empty string).
fn range_args(vm: &mut Vm, s: &StrObj, args: &[Value]) -> PyResult<(usize, usize)> {
    let n = s.nchars as i64;
    let conv = |vm: &mut Vm, v: Option<&Value>, d: i64| -> PyResult<i64> {
        match v {
            Some(v) if !v.is_none() => {
                let i = ops::slice_index(vm, v)?;
                Ok(if i < 0 { (i + n).max(0) } else { i })
            }
            _ => Ok(d),
        }
    };
    let st = conv(vm, args.first(), 0)?;
    let en = conv(vm, args.get(1), n)?.min(n);
    Ok((st as usize, en as usize))
}

/// The receiver and `sub[, start[, end]]` of `find`/`count`/`startswith`/..., counted
/// with `PyArg_ParseTuple`'s messages ("find() takes at most 3 arguments (4 given)").
fn sub_range_args<'a>(vm: &mut Vm, name: &str, a: &Args<'a>) -> PyResult<(&'a Value, &'a [Value])> {
    let (sv, r) = method_args(vm, name, a, 0, usize::MAX)?;
    if r.is_empty() || r.len() > 3 {
        let (how, k) = if r.is_empty() {
            ("least", 1)
        } else {
            ("most", 3)
        };
        let s = if k == 1 { "" } else { "s" };
        let n = r.len();
        return Err(vm.type_error(format!(
            "{name}() takes at {how} {k} argument{s} ({n} given)"
        )));
    }
    Ok((sv, r))
}

fn affix(vm: &mut Vm, a: &Args, name: &str, starts: bool) -> PyResult<Value> {
    let (sv, r) = sub_range_args(vm, name, a)?;
    let Some(so) = sv.downcast::<StrObj>() else {
        return Err(vm.type_error("expected str"));
    };
    let (st, en) = range_args(vm, so, &r[1..])?;
    if st > en {
        return Ok(Value::bool(false));
    }
    let sub = so.substr(st, en);
    let cands: Vec<Value> = match r[0].downcast::<TupleObj>() {
        Some(t) => t.items.to_vec(),
        None => vec![r[0].clone()],
    };
    for c in cands {
        let Some(p) = as_str(&c) else {
            let tn = type_name(&c);
            return Err(vm.type_error(format!(
                "{name} first arg must be str or a tuple of str, not {tn}"
            )));
        };
        if (starts && sub.starts_with(p)) || (!starts && sub.ends_with(p)) {
            return Ok(Value::bool(true));
        }
    }
    Ok(Value::bool(false))
}

fn startswith(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    affix(vm, a, "startswith", true)
}
fn endswith(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    affix(vm, a, "endswith", false)
}

/// Find in char indices: Some(char index).
fn find_impl(vm: &mut Vm, a: &Args, name: &str, rev: bool) -> PyResult<Option<usize>> {
    let (sv, r) = sub_range_args(vm, name, a)?;
    let Some(so) = sv.downcast::<StrObj>() else {
        return Err(vm.type_error("expected str"));
    };
    let sub = str_arg(vm, &r[0], "must be str")?.to_string();
    let (st, en) = range_args(vm, so, &r[1..])?;
    if st > en {
        return Ok(None);
    }
    let hay = so.substr(st, en);
    let found = if rev { hay.rfind(&sub) } else { hay.find(&sub) };
    Ok(found.map(|b| st + hay[..b].chars().count()))
}

fn find(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    Ok(Value::int(
        find_impl(vm, a, "find", false)?
            .map(|i| i as i64)
            .unwrap_or(-1),
    ))
}
fn rfind(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    Ok(Value::int(
        find_impl(vm, a, "rfind", true)?
            .map(|i| i as i64)
            .unwrap_or(-1),
    ))
}
fn index(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    match find_impl(vm, a, "index", false)? {
        Some(i) => Ok(Value::int(i as i64)),
        None => Err(vm.value_error("substring not found")),
    }
}
fn rindex(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    match find_impl(vm, a, "rindex", true)? {
        Some(i) => Ok(Value::int(i as i64)),
        None => Err(vm.value_error("substring not found")),
    }
}

fn count(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (sv, r) = sub_range_args(vm, "count", a)?;
    let Some(so) = sv.downcast::<StrObj>() else {
        return Err(vm.type_error("expected str"));
    };
    let sub = str_arg(vm, &r[0], "must be str")?.to_string();
    let (st, en) = range_args(vm, so, &r[1..])?;
    if st > en {
        return Ok(Value::int(0));
    }
    let hay = so.substr(st, en);
    let n = if sub.is_empty() {
        hay.chars().count() + 1
    } else {
        hay.matches(&sub).count()
    };
    Ok(Value::int(n as i64))
}

fn replace(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (sv, r) = method_args(vm, "replace", a, 2, 3)?;
    let s = this(vm, sv, "replace")?.to_string();
    let old = str_arg(vm, &r[0], "replace() argument 1")?.to_string();
    let new = str_arg(vm, &r[1], "replace() argument 2")?.to_string();
    let n = match r.get(2) {
        Some(v) => ops::to_isize(vm, v)?,
        None => -1,
    };
    if n < 0 {
        return Ok(new_string(s.replace(&old, &new)));
    }
    if old.is_empty() {
        let mut out = String::new();
        let mut k = 0;
        for c in s.chars() {
            if (k as i64) < n {
                out.push_str(&new);
                k += 1;
            }
            out.push(c);
        }
        if (k as i64) < n {
            out.push_str(&new);
        }
        return Ok(new_string(out));
    }
    Ok(new_string(s.replacen(&old, &new, n as usize)))
}

fn pred(vm: &mut Vm, a: &Args, name: &str, f: impl Fn(&str) -> bool) -> PyResult<Value> {
    let (sv, _) = method_args(vm, name, a, 0, 0)?;
    let s = this(vm, sv, name)?;
    Ok(Value::bool(f(s)))
}

fn isdigit(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    pred(vm, a, "isdigit", |s| {
        !s.is_empty()
            && s.chars()
                .all(|c| c.is_ascii_digit() || (!c.is_ascii() && c.is_numeric()))
    })
}
fn isnumeric(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    pred(vm, a, "isnumeric", |s| {
        !s.is_empty() && s.chars().all(|c| c.is_numeric())
    })
}
fn isalpha(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    pred(vm, a, "isalpha", |s| {
        !s.is_empty() && s.chars().all(|c| c.is_alphabetic())
    })
}
fn isalnum(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    pred(vm, a, "isalnum", |s| {
        !s.is_empty() && s.chars().all(|c| c.is_alphanumeric())
    })
}
fn isspace(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    pred(vm, a, "isspace", |s| {
        !s.is_empty() && s.chars().all(|c| c.is_whitespace())
    })
}
/// `str.isprintable`: no character that `repr` would escape (space counts as
/// printable).
fn isprintable(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    pred(vm, a, "isprintable", |s| {
        s.chars().all(|c| {
            let n = c as u32;
            n >= 0x20 && n != 0x7f && !crate::ops::is_unprintable(c)
        })
    })
}
fn isupper(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    pred(vm, a, "isupper", |s| {
        s.chars().any(|c| c.is_uppercase()) && !s.chars().any(|c| c.is_lowercase())
    })
}
fn islower(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    pred(vm, a, "islower", |s| {
        s.chars().any(|c| c.is_lowercase()) && !s.chars().any(|c| c.is_uppercase())
    })
}
fn istitle(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    pred(vm, a, "istitle", |s| {
        let mut prev_cased = false;
        let mut any = false;
        for c in s.chars() {
            if c.is_uppercase() {
                if prev_cased {
                    return false;
                }
                prev_cased = true;
                any = true;
            } else if c.is_lowercase() {
                if !prev_cased {
                    return false;
                }
                prev_cased = true;
                any = true;
            } else {
                prev_cased = false;
            }
        }
        any
    })
}
fn isidentifier(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    pred(vm, a, "isidentifier", is_identifier)
}

/// `str.isidentifier()` (also the check on `__slots__` names).
pub fn is_identifier(s: &str) -> bool {
    let mut c = s.chars();
    match c.next() {
        Some(f) if f == '_' || f.is_alphabetic() => c.all(|x| x == '_' || x.is_alphanumeric()),
        _ => false,
    }
}
fn isascii(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    pred(vm, a, "isascii", |s| s.is_ascii())
}

fn pad_impl(vm: &mut Vm, a: &Args, name: &str, align: char) -> PyResult<Value> {
    let (sv, r) = method_args(vm, name, a, 1, 2)?;
    let so = sv
        .downcast::<StrObj>()
        .ok_or_else(|| vm.type_error("expected str"))?;
    let width = ops::to_isize(vm, &r[0])?.max(0) as usize;
    let fill = match r.get(1) {
        Some(f) => {
            let fs = str_arg(vm, f, "fill character")?;
            let mut it = fs.chars();
            match (it.next(), it.next()) {
                (Some(c), None) => c,
                _ => {
                    return Err(
                        vm.type_error("The fill character must be exactly one character long")
                    );
                }
            }
        }
        None => ' ',
    };
    if so.nchars >= width {
        return Ok(crate::types::str::unchanged(sv));
    }
    let total = width - so.nchars;
    let (l, rr) = match align {
        '<' => (0, total),
        '>' => (total, 0),
        _ => {
            // CPython's centering puts the extra pad on the left when width is odd.
            let left = total / 2 + (total & width & 1);
            (left, total - left)
        }
    };
    let f = |n| std::iter::repeat_n(fill, n).collect::<String>();
    Ok(new_string(format!("{}{}{}", f(l), so.s, f(rr))))
}

fn center(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    pad_impl(vm, a, "center", '^')
}
fn ljust(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    pad_impl(vm, a, "ljust", '<')
}
fn rjust(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    pad_impl(vm, a, "rjust", '>')
}

fn zfill(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (sv, r) = method_args(vm, "zfill", a, 1, 1)?;
    let s = this(vm, sv, "zfill")?.to_string();
    let width = ops::to_isize(vm, &r[0])?.max(0) as usize;
    let n = s.chars().count();
    if n >= width {
        return Ok(crate::types::str::unchanged(sv));
    }
    let (sign, rest) = if s.starts_with(['+', '-']) {
        s.split_at(1)
    } else {
        ("", s.as_str())
    };
    Ok(new_string(format!("{sign}{}{rest}", "0".repeat(width - n))))
}

fn partition_impl(vm: &mut Vm, a: &Args, name: &str, rev: bool) -> PyResult<Value> {
    let (sv, r) = method_args(vm, name, a, 1, 1)?;
    let s = this(vm, sv, name)?.to_string();
    let sep = str_arg(vm, &r[0], "must be str")?.to_string();
    if sep.is_empty() {
        return Err(vm.value_error("empty separator"));
    }
    let found = if rev { s.rfind(&sep) } else { s.find(&sep) };
    let parts = match found {
        Some(i) => (
            s[..i].to_string(),
            sep.clone(),
            s[i + sep.len()..].to_string(),
        ),
        None => {
            if rev {
                (String::new(), String::new(), s.clone())
            } else {
                (s.clone(), String::new(), String::new())
            }
        }
    };
    Ok(TupleObj::from_items([
        new_string(parts.0),
        new_string(parts.1),
        new_string(parts.2),
    ]))
}

fn partition(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    partition_impl(vm, a, "partition", false)
}
fn rpartition(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    partition_impl(vm, a, "rpartition", true)
}

fn expandtabs(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (sv, rest) = crate::modules::native_args::receiver(vm, "expandtabs", a)?;
    let r = crate::modules::native_args::bind(vm, "expandtabs", &rest, &["tabsize"], 0, 1)?;
    let s = this(vm, sv, "expandtabs")?.to_string();
    let ts = match r[0] {
        Some(v) => ops::to_isize(vm, v)?.max(0) as usize,
        None => 8,
    };
    let mut out = String::new();
    let mut col = 0;
    for c in s.chars() {
        match c {
            '\t' => {
                if ts > 0 {
                    let n = ts - col % ts;
                    out.push_str(&" ".repeat(n));
                    col += n;
                }
            }
            '\n' | '\r' => {
                out.push(c);
                col = 0;
            }
            _ => {
                out.push(c);
                col += 1;
            }
        }
    }
    Ok(new_string(out))
}

fn removeprefix(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (sv, r) = method_args(vm, "removeprefix", a, 1, 1)?;
    let s = this(vm, sv, "removeprefix")?;
    let p = str_arg(vm, &r[0], "removeprefix() argument")?;
    Ok(new_str(s.strip_prefix(p).unwrap_or(s)))
}

fn removesuffix(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (sv, r) = method_args(vm, "removesuffix", a, 1, 1)?;
    let s = this(vm, sv, "removesuffix")?;
    let p = str_arg(vm, &r[0], "removesuffix() argument")?;
    Ok(new_str(if p.is_empty() {
        s
    } else {
        s.strip_suffix(p).unwrap_or(s)
    }))
}

fn str_len(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (sv, _) = method_args(vm, "__len__", a, 0, 0)?;
    Ok(Value::int(ops::len(vm, sv)? as i64))
}

fn str_contains(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (sv, r) = method_args(vm, "__contains__", a, 1, 1)?;
    Ok(Value::bool(ops::contains(vm, sv, &r[0])?))
}

/// `str.format(*args, **kwargs)`.
fn format(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let p = a.pos();
    let Some(sv) = p.first() else {
        return Err(vm.type_error("format needs self"));
    };
    let fmt = this(vm, sv, "format")?.to_string();
    let args = &p[1..];
    let kwargs: Vec<(String, Value)> = a.kw().map(|(k, v)| (k.to_string(), v.clone())).collect();
    let out = format_impl(vm, &fmt, args, &kwargs, &mut 0, 0)?;
    Ok(new_string(out))
}

fn format_impl(
    vm: &mut Vm,
    fmt: &str,
    args: &[Value],
    kwargs: &[(String, Value)],
    auto: &mut usize,
    depth: usize,
) -> PyResult<String> {
    if depth > 2 {
        return Err(vm.value_error("Max string recursion exceeded"));
    }
    let c: Vec<char> = fmt.chars().collect();
    let mut out = String::new();
    let mut i = 0;
    while i < c.len() {
        let ch = c[i];
        if ch == '}' {
            if i + 1 < c.len() && c[i + 1] == '}' {
                out.push('}');
                i += 2;
                continue;
            }
            return Err(vm.value_error("Single '}' encountered in format string"));
        }
        if ch != '{' {
            out.push(ch);
            i += 1;
            continue;
        }
        if i + 1 < c.len() && c[i + 1] == '{' {
            out.push('{');
            i += 2;
            continue;
        }
        // Parse a replacement field up to the matching '}'.
        let mut j = i + 1;
        let mut nest = 1;
        while j < c.len() {
            if c[j] == '{' {
                nest += 1;
            } else if c[j] == '}' {
                nest -= 1;
                if nest == 0 {
                    break;
                }
            }
            j += 1;
        }
        if j >= c.len() {
            return Err(vm.value_error("expected '}' before end of string"));
        }
        let field: String = c[i + 1..j].iter().collect();
        i = j + 1;
        let (head, spec) = match field.find(':') {
            Some(k) => (field[..k].to_string(), field[k + 1..].to_string()),
            None => (field.clone(), String::new()),
        };
        let (name, conv) = match head.find('!') {
            Some(k) => (head[..k].to_string(), Some(head[k + 1..].to_string())),
            None => (head, None),
        };
        // First part of the name: index or keyword; then .attr / [key] accessors.
        let first_end = name.find(['.', '[']).unwrap_or(name.len());
        let first = &name[..first_end];
        let mut v = if first.is_empty() {
            if *auto == usize::MAX {
                return Err(vm.value_error(
                    "cannot switch from manual field specification to automatic field numbering",
                ));
            }
            let k = *auto;
            *auto += 1;
            match args.get(k) {
                Some(v) => v.clone(),
                None => {
                    return Err(vm.index_error(format!(
                        "Replacement index {k} out of range for positional args tuple"
                    )));
                }
            }
        } else if let Ok(k) = first.parse::<usize>() {
            // `*auto` counts the automatic fields so far; MAX marks manual numbering.
            if *auto != 0 && *auto != usize::MAX {
                return Err(vm.value_error(
                    "cannot switch from automatic field numbering to manual field specification",
                ));
            }
            *auto = usize::MAX;
            match args.get(k) {
                Some(v) => v.clone(),
                None => {
                    return Err(vm.index_error(format!(
                        "Replacement index {k} out of range for positional args tuple"
                    )));
                }
            }
        } else {
            match kwargs.iter().find(|(n, _)| n == first) {
                Some((_, v)) => v.clone(),
                None => return Err(vm.key_error(new_str(first))),
            }
        };
        let mut rest = &name[first_end..];
        while !rest.is_empty() {
            if let Some(r) = rest.strip_prefix('.') {
                let end = r.find(['.', '[']).unwrap_or(r.len());
                v = ops::getattr_str(vm, &v, &r[..end])?;
                rest = &r[end..];
            } else if let Some(r) = rest.strip_prefix('[') {
                let end = r.find(']').unwrap_or(r.len());
                let key = &r[..end];
                let kv = match key.parse::<i64>() {
                    Ok(n) => Value::int(n),
                    Err(_) => new_str(key),
                };
                v = ops::getitem(vm, &v, &kv)?;
                rest = if end < r.len() { &r[end + 1..] } else { "" };
            } else {
                break;
            }
        }
        let v = match conv.as_deref() {
            Some("r") => ops::repr_value(vm, &v)?,
            Some("s") => ops::str_value(vm, &v)?,
            Some("a") => ops::ascii_value(vm, &v)?,
            Some(other) => {
                return Err(vm.value_error(format!("Unknown conversion specifier {other}")));
            }
            None => v,
        };
        let spec = if spec.contains('{') {
            format_impl(vm, &spec, args, kwargs, auto, depth + 1)?
        } else {
            spec
        };
        let r = ops::format(vm, &v, &spec)?;
        out.push_str(as_str(&r).unwrap_or(""));
    }
    Ok(out)
}

fn format_map(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (sv, r) = method_args(vm, "format_map", a, 1, 1)?;
    let fmt = this(vm, sv, "format_map")?.to_string();
    let items = ops::mapping_items(vm, &r[0])?;
    let kwargs: Vec<(String, Value)> = items
        .into_iter()
        .filter_map(|(k, v)| as_str(&k).map(|s| (s.to_string(), v)))
        .collect();
    let out = format_impl(vm, &fmt, &[], &kwargs, &mut 0, 0)?;
    Ok(new_string(out))
}

/// `str.maketrans(x[, y[, z]])`: a dict from code points to replacements.
fn maketrans(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let p = a.pos();
    let d = crate::types::dict::DictObj::new();
    match p.len() {
        1 => {
            for (k, v) in ops::mapping_items(vm, &p[0])? {
                let key = match as_str(&k) {
                    Some(s) if s.chars().count() == 1 => {
                        Value::int(s.chars().next().map(|c| c as i64).unwrap_or(0))
                    }
                    Some(_) => {
                        return Err(
                            vm.value_error("string keys in translate table must be of length 1")
                        );
                    }
                    None if crate::types::int::as_int(&k).is_some() => k,
                    None => {
                        return Err(
                            vm.type_error("keys in translate table must be strings or integers")
                        );
                    }
                };
                d.set(vm, key, v)?;
            }
        }
        2 | 3 => {
            let x: Vec<char> = str_arg(vm, &p[0], "maketrans() argument 1")?
                .chars()
                .collect();
            let y: Vec<char> = str_arg(vm, &p[1], "maketrans() argument 2")?
                .chars()
                .collect();
            if x.len() != y.len() {
                return Err(
                    vm.value_error("the first two maketrans arguments must have equal length")
                );
            }
            for (a, b) in x.iter().zip(y.iter()) {
                d.set(vm, Value::int(*a as i64), Value::int(*b as i64))?;
            }
            if let Some(z) = p.get(2) {
                for c in str_arg(vm, z, "maketrans() argument 3")?
                    .chars()
                    .collect::<Vec<_>>()
                {
                    d.set(vm, Value::int(c as i64), Value::none())?;
                }
            }
        }
        _ => return Err(vm.type_error("maketrans() takes 1 to 3 arguments")),
    }
    Ok(Value::alloc(d))
}

fn translate(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (sv, r) = method_args(vm, "translate", a, 1, 1)?;
    let s = this(vm, sv, "translate")?.to_string();
    let table = r[0].clone();
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match ops::getitem(vm, &table, &Value::int(c as i64)) {
            Ok(v) => {
                if v.is_none() {
                    continue;
                }
                if let Some(t) = as_str(&v) {
                    out.push_str(t);
                } else if let Some(n) = v.as_small_int() {
                    match char::from_u32(n as u32) {
                        Some(ch) => out.push(ch),
                        None => {
                            return Err(
                                vm.value_error("character mapping must be in range(0x110000)")
                            );
                        }
                    }
                } else {
                    return Err(vm.type_error("character mapping must return integer, None or str"));
                }
            }
            Err(e) if vm.err_matches(&e, crate::world::types().lookup_error) => out.push(c),
            Err(e) => return Err(e),
        }
    }
    Ok(new_string(out))
}

/// `str.casefold`: lower case plus the full case foldings that change length
/// (German sharp s and the long s), which `lower` leaves alone.
fn casefold(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (s, _) = method_args(vm, "casefold", a, 0, 0)?;
    let Some(text) = as_str(s) else {
        return Err(vm.type_error("descriptor 'casefold' requires a 'str' object"));
    };
    let mut out = String::with_capacity(text.len());
    for ch in text.chars() {
        match ch {
            '\u{df}' | '\u{1e9e}' => out.push_str("ss"),
            '\u{17f}' => out.push('s'),
            c => out.extend(c.to_lowercase()),
        }
    }
    Ok(new_str(&out))
}
