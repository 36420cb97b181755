//! The text-like methods of bytes and bytearray that the Lib's binary-data modules use
//! (`base64`: maketrans/translate; `hmac`: ljust; `zipfile`, `gzip`, `quopri`:
//! rstrip, partition, splitlines...): ASCII semantics, CPython's argument errors, and
//! a result of the receiver's type.
use super::{add_method, add_static, method_args, posargs, type_name};
use crate::modules::buffer::bytes_like;
use crate::ops;
use crate::types::bytes::{ByteArrayObj, BytesObj};
use crate::types::list::ListObj;
use crate::types::tuple::TupleObj;
use crate::value::Value;
use crate::vm::{Args, PyResult, Vm};
use crate::world::Types;

pub fn install(t: &Types) {
    for ty in [t.bytes, t.bytearray] {
        add_method(ty, "translate", translate);
        add_method(ty, "ljust", ljust);
        add_method(ty, "rjust", rjust);
        add_method(ty, "center", center);
        add_method(ty, "lstrip", lstrip);
        add_method(ty, "rstrip", rstrip);
        add_method(ty, "partition", partition);
        add_method(ty, "rpartition", rpartition);
        add_method(ty, "split", split);
        add_method(ty, "rsplit", rsplit);
        add_method(ty, "splitlines", splitlines);
        add_method(ty, "zfill", zfill);
        add_method(ty, "isalnum", isalnum);
        add_method(ty, "isspace", isspace);
        add_method(ty, "islower", islower);
        add_method(ty, "isupper", isupper);
        add_method(ty, "isascii", isascii);
        add_method(ty, "istitle", istitle);
        add_method(ty, "title", title);
        add_method(ty, "capitalize", capitalize);
        add_method(ty, "swapcase", swapcase);
        add_method(ty, "expandtabs", expandtabs);
        add_method(ty, "removeprefix", removeprefix);
        add_method(ty, "removesuffix", removesuffix);
        add_static(ty, "maketrans", maketrans);
    }
}

fn data(vm: &mut Vm, v: &Value) -> PyResult<Vec<u8>> {
    match bytes_like(v) {
        Some(b) => Ok(b.into_owned()),
        None => Err(vm.type_error("descriptor requires a 'bytes' object")),
    }
}

/// A bytes-like argument, with CPython's "a bytes-like object is required" error.
fn arg(vm: &mut Vm, v: &Value) -> PyResult<Vec<u8>> {
    match bytes_like(v) {
        Some(b) => Ok(b.into_owned()),
        None => {
            let tn = type_name(v);
            Err(vm.type_error(format!("a bytes-like object is required, not '{tn}'")))
        }
    }
}

/// A result of the receiver's type (bytes or bytearray).
fn like(v: &Value, d: Vec<u8>) -> Value {
    if v.downcast::<ByteArrayObj>().is_some() {
        ByteArrayObj::new_value(d)
    } else {
        BytesObj::new_value(d)
    }
}

const WHITESPACE: &[u8] = b" \t\n\r\x0b\x0c";

/// `bytes.maketrans(frm, to)`: a 256-byte translation table.
fn maketrans(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let p = posargs(vm, "maketrans", a, 2, 2)?;
    let (frm, to) = (arg(vm, &p[0])?, arg(vm, &p[1])?);
    if frm.len() != to.len() {
        return Err(vm.value_error("maketrans arguments must have same length"));
    }
    let mut table: Vec<u8> = (0..=255).collect();
    for (f, t) in frm.iter().zip(to.iter()) {
        table[*f as usize] = *t;
    }
    Ok(BytesObj::new_value(table))
}

/// `translate(table, /, delete=b'')`.
fn translate(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let p = a.pos();
    let Some(s) = p.first() else {
        return Err(vm.type_error("descriptor 'translate' needs an argument"));
    };
    let d = data(vm, s)?;
    let Some(table) = p.get(1) else {
        return Err(vm.type_error("translate() takes at least 1 argument (0 given)"));
    };
    let table = if table.is_none() {
        None
    } else {
        let t = arg(vm, table)?;
        if t.len() != 256 {
            return Err(vm.value_error("translation table must be 256 characters long"));
        }
        Some(t)
    };
    let delete = match p.get(2).or(a.get_kw("delete")) {
        Some(v) => arg(vm, v)?,
        None => vec![],
    };
    let out: Vec<u8> = d
        .iter()
        .filter(|b| !delete.contains(b))
        .map(|b| table.as_ref().map_or(*b, |t| t[*b as usize]))
        .collect();
    Ok(like(s, out))
}

/// The fill byte of ljust/rjust/center: a bytes or bytearray of length 1.
fn fill_arg(vm: &mut Vm, name: &str, v: Option<&Value>) -> PyResult<u8> {
    let Some(v) = v else { return Ok(b' ') };
    match v
        .downcast::<BytesObj>()
        .map(|b| b.data.to_vec())
        .or_else(|| v.downcast::<ByteArrayObj>().map(|b| b.data.get_clone()))
    {
        Some(b) if b.len() == 1 => Ok(b[0]),
        _ => Err(vm.type_error(format!(
            "{name}() argument 2 must be a byte string of length 1, not {}",
            type_name(v)
        ))),
    }
}

fn justify(vm: &mut Vm, a: &Args, name: &str, left: bool, centre: bool) -> PyResult<Value> {
    let (s, r) = method_args(vm, name, a, 1, 2)?;
    let d = data(vm, s)?;
    let width = ops::to_isize(vm, &r[0])?;
    let fill = fill_arg(vm, name, r.get(1))?;
    let n = d.len() as i64;
    if width <= n {
        return Ok(like(s, d));
    }
    let pad = (width - n) as usize;
    let (l, rr) = if centre {
        // CPython's rule: the extra byte goes left when the width is odd.
        let l = pad / 2 + (pad & width as usize & 1);
        (l, pad - l)
    } else if left {
        (0, pad)
    } else {
        (pad, 0)
    };
    let mut out = vec![fill; l];
    out.extend_from_slice(&d);
    out.extend(std::iter::repeat_n(fill, rr));
    Ok(like(s, out))
}

fn ljust(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    justify(vm, a, "ljust", true, false)
}
fn rjust(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    justify(vm, a, "rjust", false, false)
}
fn center(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    justify(vm, a, "center", false, true)
}

fn strip_chars(vm: &mut Vm, r: &[Value]) -> PyResult<Vec<u8>> {
    match r.first().filter(|v| !v.is_none()) {
        Some(c) => arg(vm, c),
        None => Ok(WHITESPACE.to_vec()),
    }
}

fn lstrip(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (s, r) = method_args(vm, "lstrip", a, 0, 1)?;
    let d = data(vm, s)?;
    let chars = strip_chars(vm, r)?;
    let start = d.iter().position(|b| !chars.contains(b)).unwrap_or(d.len());
    Ok(like(s, d[start..].to_vec()))
}

fn rstrip(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (s, r) = method_args(vm, "rstrip", a, 0, 1)?;
    let d = data(vm, s)?;
    let chars = strip_chars(vm, r)?;
    let end = d
        .iter()
        .rposition(|b| !chars.contains(b))
        .map_or(0, |i| i + 1);
    Ok(like(s, d[..end].to_vec()))
}

fn find_sub(h: &[u8], n: &[u8]) -> Option<usize> {
    if n.is_empty() {
        return Some(0);
    }
    h.windows(n.len()).position(|w| w == n)
}

fn rfind_sub(h: &[u8], n: &[u8]) -> Option<usize> {
    if n.is_empty() {
        return Some(h.len());
    }
    h.windows(n.len()).rposition(|w| w == n)
}

fn part(vm: &mut Vm, a: &Args, name: &str, right: bool) -> PyResult<Value> {
    let (s, r) = method_args(vm, name, a, 1, 1)?;
    let d = data(vm, s)?;
    let sep = arg(vm, &r[0])?;
    if sep.is_empty() {
        return Err(vm.value_error("empty separator"));
    }
    let at = if right {
        rfind_sub(&d, &sep)
    } else {
        find_sub(&d, &sep)
    };
    let parts = match at {
        Some(i) => [d[..i].to_vec(), sep.clone(), d[i + sep.len()..].to_vec()],
        None if right => [vec![], vec![], d.clone()],
        None => [d.clone(), vec![], vec![]],
    };
    let items = parts.into_iter().map(|p| like(s, p)).collect();
    Ok(TupleObj::new_value(items))
}

fn partition(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    part(vm, a, "partition", false)
}
fn rpartition(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    part(vm, a, "rpartition", true)
}

/// The receiver of `split`/`rsplit`, its bytes, the separator (None: runs of
/// whitespace) and the most splits to make (-1: no limit).
type SplitArgs<'a> = (&'a Value, Vec<u8>, Option<Vec<u8>>, i64);

/// The arguments of `split` and `rsplit`, positional or by keyword as in CPython.
fn split_args<'a>(vm: &mut Vm, a: &Args<'a>, name: &str) -> PyResult<SplitArgs<'a>> {
    let b = crate::modules::native_args::bind(vm, name, a, &["self", "sep", "maxsplit"], 1, 3)?;
    let Some(s) = b[0] else {
        return Err(vm.type_error(format!("descriptor '{name}' needs an argument")));
    };
    let d = data(vm, s)?;
    let sep = match b[1].filter(|v| !v.is_none()) {
        Some(v) => {
            let sep = arg(vm, v)?;
            if sep.is_empty() {
                return Err(vm.value_error("empty separator"));
            }
            Some(sep)
        }
        None => None,
    };
    let maxsplit = match b[2] {
        Some(v) => ops::to_isize(vm, v)?,
        None => -1,
    };
    Ok((s, d, sep, maxsplit))
}

/// `split(sep=None, maxsplit=-1)`: runs of ASCII whitespace (as `Py_ISSPACE`: vertical
/// tab too) or each `sep`, at most `maxsplit` splits from the left.
fn split(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (s, d, sep, maxsplit) = split_args(vm, a, "split")?;
    let mut parts: Vec<Vec<u8>> = Vec::new();
    let mut splits = 0;
    match sep {
        None => {
            let mut start = 0;
            loop {
                while start < d.len() && WHITESPACE.contains(&d[start]) {
                    start += 1;
                }
                if start == d.len() {
                    break;
                }
                if maxsplit >= 0 && splits >= maxsplit {
                    // The rest, with only its trailing whitespace kept (as CPython).
                    parts.push(d[start..].to_vec());
                    break;
                }
                let mut end = start;
                while end < d.len() && !WHITESPACE.contains(&d[end]) {
                    end += 1;
                }
                parts.push(d[start..end].to_vec());
                splits += 1;
                start = end;
            }
        }
        Some(sep) => {
            let mut start = 0;
            loop {
                if maxsplit >= 0 && splits >= maxsplit {
                    parts.push(d[start..].to_vec());
                    break;
                }
                match find_sub(&d[start..], &sep) {
                    Some(i) => {
                        parts.push(d[start..start + i].to_vec());
                        splits += 1;
                        start += i + sep.len();
                    }
                    None => {
                        parts.push(d[start..].to_vec());
                        break;
                    }
                }
            }
        }
    }
    let items = parts.into_iter().map(|x| like(s, x)).collect();
    Ok(ListObj::new_value(items))
}

/// `rsplit(sep=None, maxsplit=-1)`.
fn rsplit(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (s, d, sep, maxsplit) = split_args(vm, a, "rsplit")?;
    let mut parts: Vec<Vec<u8>> = Vec::new();
    let mut splits = 0;
    match sep {
        None => {
            let mut end = d.len();
            loop {
                while end > 0 && WHITESPACE.contains(&d[end - 1]) {
                    end -= 1;
                }
                if end == 0 {
                    break;
                }
                if maxsplit >= 0 && splits >= maxsplit {
                    parts.push(d[..end].to_vec());
                    break;
                }
                let mut start = end;
                while start > 0 && !WHITESPACE.contains(&d[start - 1]) {
                    start -= 1;
                }
                parts.push(d[start..end].to_vec());
                splits += 1;
                end = start;
            }
        }
        Some(sep) => {
            let mut end = d.len();
            loop {
                if maxsplit >= 0 && splits >= maxsplit {
                    parts.push(d[..end].to_vec());
                    break;
                }
                match rfind_sub(&d[..end], &sep) {
                    Some(i) => {
                        parts.push(d[i + sep.len()..end].to_vec());
                        splits += 1;
                        end = i;
                    }
                    None => {
                        parts.push(d[..end].to_vec());
                        break;
                    }
                }
            }
        }
    }
    parts.reverse();
    let items = parts.into_iter().map(|x| like(s, x)).collect();
    Ok(ListObj::new_value(items))
}

/// `splitlines(keepends=False)`: \n, \r and \r\n end lines.
fn splitlines(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let p = a.pos();
    let Some(s) = p.first() else {
        return Err(vm.type_error("descriptor 'splitlines' needs an argument"));
    };
    let d = data(vm, s)?;
    let keep = match p.get(1).or(a.get_kw("keepends")) {
        Some(v) => ops::truthy(vm, v)?,
        None => false,
    };
    let mut out = Vec::new();
    let mut i = 0;
    let mut start = 0;
    while i < d.len() {
        let eol = match d[i] {
            b'\n' => 1,
            b'\r' if d.get(i + 1) == Some(&b'\n') => 2,
            b'\r' => 1,
            _ => 0,
        };
        if eol == 0 {
            i += 1;
            continue;
        }
        let end = if keep { i + eol } else { i };
        out.push(like(s, d[start..end].to_vec()));
        i += eol;
        start = i;
    }
    if start < d.len() {
        out.push(like(s, d[start..].to_vec()));
    }
    Ok(ListObj::new_value(out))
}

fn zfill(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (s, r) = method_args(vm, "zfill", a, 1, 1)?;
    let d = data(vm, s)?;
    let width = ops::to_isize(vm, &r[0])?;
    if width <= d.len() as i64 {
        return Ok(like(s, d));
    }
    let pad = width as usize - d.len();
    let mut out = Vec::with_capacity(width as usize);
    let signed = matches!(d.first(), Some(b'+') | Some(b'-'));
    if signed {
        out.push(d[0]);
    }
    out.extend(std::iter::repeat_n(b'0', pad));
    out.extend_from_slice(if signed { &d[1..] } else { &d });
    Ok(like(s, out))
}

fn predicate(vm: &mut Vm, a: &Args, name: &str, f: fn(&[u8]) -> bool) -> PyResult<Value> {
    let (s, _) = method_args(vm, name, a, 0, 0)?;
    let d = data(vm, s)?;
    Ok(Value::bool(f(&d)))
}

fn isalnum(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    predicate(vm, a, "isalnum", |d| {
        !d.is_empty() && d.iter().all(u8::is_ascii_alphanumeric)
    })
}
fn isspace(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    predicate(vm, a, "isspace", |d| {
        !d.is_empty() && d.iter().all(|b| WHITESPACE.contains(b))
    })
}
fn islower(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    predicate(vm, a, "islower", |d| {
        d.iter().any(u8::is_ascii_lowercase) && !d.iter().any(u8::is_ascii_uppercase)
    })
}
fn isupper(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    predicate(vm, a, "isupper", |d| {
        d.iter().any(u8::is_ascii_uppercase) && !d.iter().any(u8::is_ascii_lowercase)
    })
}
/// Cased runs start with an uppercase letter and go on in lowercase, with at least
/// one cased letter (ASCII only, as CPython's bytes).
fn istitle(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    predicate(vm, a, "istitle", |d| {
        let (mut cased, mut previous_cased) = (false, false);
        for b in d {
            if b.is_ascii_uppercase() {
                if previous_cased {
                    return false;
                }
                (cased, previous_cased) = (true, true);
            } else if b.is_ascii_lowercase() {
                if !previous_cased {
                    return false;
                }
                (cased, previous_cased) = (true, true);
            } else {
                previous_cased = false;
            }
        }
        cased
    })
}
fn isascii(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    predicate(vm, a, "isascii", |d| d.is_ascii())
}

fn map_bytes(vm: &mut Vm, a: &Args, name: &str, f: fn(&[u8]) -> Vec<u8>) -> PyResult<Value> {
    let (s, _) = method_args(vm, name, a, 0, 0)?;
    let d = data(vm, s)?;
    Ok(like(s, f(&d)))
}

fn title(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    map_bytes(vm, a, "title", |d| {
        let mut prev_cased = false;
        d.iter()
            .map(|&b| {
                let out = if prev_cased {
                    b.to_ascii_lowercase()
                } else {
                    b.to_ascii_uppercase()
                };
                prev_cased = b.is_ascii_alphabetic();
                out
            })
            .collect()
    })
}
fn capitalize(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    map_bytes(vm, a, "capitalize", |d| {
        d.iter()
            .enumerate()
            .map(|(i, b)| {
                if i == 0 {
                    b.to_ascii_uppercase()
                } else {
                    b.to_ascii_lowercase()
                }
            })
            .collect()
    })
}
fn swapcase(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    map_bytes(vm, a, "swapcase", |d| {
        d.iter()
            .map(|b| {
                if b.is_ascii_uppercase() {
                    b.to_ascii_lowercase()
                } else {
                    b.to_ascii_uppercase()
                }
            })
            .collect()
    })
}

/// `expandtabs(tabsize=8)`.
fn expandtabs(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let p = a.pos();
    let Some(s) = p.first() else {
        return Err(vm.type_error("descriptor 'expandtabs' needs an argument"));
    };
    let d = data(vm, s)?;
    let tab = match p.get(1).or(a.get_kw("tabsize")) {
        Some(v) => ops::to_isize(vm, v)?,
        None => 8,
    };
    let mut out = Vec::with_capacity(d.len());
    let mut col = 0i64;
    for &b in &d {
        match b {
            b'\t' => {
                if tab > 0 {
                    let n = tab - col % tab;
                    out.extend(std::iter::repeat_n(b' ', n as usize));
                    col += n;
                }
            }
            b'\n' | b'\r' => {
                out.push(b);
                col = 0;
            }
            _ => {
                out.push(b);
                col += 1;
            }
        }
    }
    Ok(like(s, out))
}

fn removeprefix(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (s, r) = method_args(vm, "removeprefix", a, 1, 1)?;
    let d = data(vm, s)?;
    let pre = arg(vm, &r[0])?;
    let out = d.strip_prefix(pre.as_slice()).unwrap_or(&d).to_vec();
    Ok(like(s, out))
}

fn removesuffix(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (s, r) = method_args(vm, "removesuffix", a, 1, 1)?;
    let d = data(vm, s)?;
    let suf = arg(vm, &r[0])?;
    let out = d.strip_suffix(suf.as_slice()).unwrap_or(&d).to_vec();
    Ok(like(s, out))
}
