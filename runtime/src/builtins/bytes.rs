//! bytes and bytearray: constructors and methods; str.encode, int.to_bytes/from_bytes.
use num_bigint::{BigInt, Sign};
use num_traits::Signed;

use super::{add_method, add_static, method_args, type_name};
use crate::ops;
use crate::types::bytes::{ByteArrayObj, BytesObj, as_bytes};
use crate::types::int::as_int;
use crate::types::str::as_str;
use crate::types::tuple::TupleObj;
use crate::value::Value;
use crate::vm::{Args, PyResult, Vm};
use crate::world::Types;

pub fn install(t: &Types) {
    for ty in [t.bytes, t.bytearray] {
        add_method(ty, "decode", decode);
        add_method(ty, "hex", hex);
        add_method(ty, "count", count);
        add_method(ty, "find", find);
        add_method(ty, "index", index);
        add_method(ty, "rfind", rfind);
        add_method(ty, "rindex", rindex);
        add_method(ty, "startswith", startswith);
        add_method(ty, "endswith", endswith);
        add_method(ty, "join", join);
        add_method(ty, "strip", strip);
        add_method(ty, "replace", replace);
        add_method(ty, "upper", upper);
        add_method(ty, "lower", lower);
        add_method(ty, "isdigit", isdigit);
        add_method(ty, "isalpha", isalpha);
    }
    add_static(t.bytes, "fromhex", fromhex);
    add_method(t.bytearray, "append", ba_append);
    add_method(t.bytearray, "extend", ba_extend);
    add_method(t.bytearray, "pop", ba_pop);
    add_method(t.bytearray, "insert", ba_insert);
    add_method(t.bytearray, "remove", ba_remove);
    add_method(t.bytearray, "reverse", ba_reverse);
    add_static(t.bytearray, "fromhex", fromhex);
    add_method(t.bytearray, "clear", ba_clear);
    add_method(t.bytearray, "copy", ba_copy);
    add_method(t.str, "encode", str_encode);
    add_method(t.int, "to_bytes", int_to_bytes);
    add_static(t.int, "from_bytes", int_from_bytes);
}

/// Build bytes/bytearray contents from a constructor argument.
pub fn bytes_from(vm: &mut Vm, a: &Args, name: &str) -> PyResult<Vec<u8>> {
    let p = a.pos();
    let Some(src) = p.first() else {
        return Ok(vec![]);
    };
    if let Some(s) = as_str(src) {
        let enc = p
            .get(1)
            .or_else(|| a.get_kw("encoding"))
            .and_then(|e| as_str(e))
            .map(|e| e.to_string());
        let Some(enc) = enc else {
            return Err(vm.type_error("string argument without an encoding"));
        };
        let errors = p
            .get(2)
            .or_else(|| a.get_kw("errors"))
            .and_then(|e| as_str(e))
            .unwrap_or("strict")
            .to_string();
        let s = s.to_string();
        return encode(vm, &s, &enc, &errors);
    }
    if let Some(b) = crate::modules::buffer::bytes_like(src) {
        return Ok(b.into_owned());
    }
    if let Some(n) = src.as_small_int() {
        if n < 0 {
            return Err(vm.value_error("negative count"));
        }
        return ops::zeros(vm, n as usize);
    }
    let it = iter_or(vm, src, |tn| {
        format!("cannot convert '{tn}' object to {name}")
    })?;
    let mut items = Vec::new();
    while let Some(v) = ops::next(vm, &it)? {
        items.push(v);
    }
    let mut out = Vec::with_capacity(items.len());
    for it in items {
        match it.as_small_int() {
            Some(b) if (0..256).contains(&b) => out.push(b as u8),
            Some(_) => return Err(vm.value_error("bytes must be in range(0, 256)")),
            None => {
                let tn = type_name(&it);
                return Err(
                    vm.type_error(format!("'{tn}' object cannot be interpreted as an integer"))
                );
            }
        }
    }
    Ok(out)
}

/// `iter(src)`, its TypeError (not iterable) replaced by `msg(type name)`: only that
/// error means "not convertible" (CPython's `PyBytes_FromObject`, `bytearray.extend`);
/// others, such as a released memoryview's ValueError, propagate.
fn iter_or(vm: &mut Vm, src: &Value, msg: impl FnOnce(&str) -> String) -> PyResult<Value> {
    match ops::get_iter(vm, src) {
        Err(e)
            if e.exc
                .type_data()
                .is_subtype_raw(crate::world::types().type_error) =>
        {
            let tn = type_name(src);
            Err(vm.type_error(msg(&tn)))
        }
        r => r,
    }
}

/// Encode through the codec machinery (`modules/codecs`): UTF-8, ASCII and Latin-1
/// directly, every other encoding through the registry.
fn encode(vm: &mut Vm, s: &str, enc: &str, errors: &str) -> PyResult<Vec<u8>> {
    let b = crate::modules::codecs::encode_str(vm, s, enc, errors)?;
    Ok(as_bytes(&b).unwrap_or_default())
}

/// The receiver's bytes: borrowed from an immutable bytes object (a method on a big
/// buffer must not copy it per call), copied from a bytearray (its methods may run
/// Python code, which must not happen under the bytearray's lock).
fn this<'a>(vm: &mut Vm, v: &'a Value) -> PyResult<std::borrow::Cow<'a, [u8]>> {
    if let Some(b) = v.downcast::<BytesObj>() {
        return Ok(std::borrow::Cow::Borrowed(&b.data));
    }
    as_bytes(v)
        .map(std::borrow::Cow::Owned)
        .ok_or_else(|| vm.type_error("descriptor requires a 'bytes' object"))
}

/// A result of the receiver's type (bytes or bytearray).
fn like(v: &Value, data: Vec<u8>) -> Value {
    if v.downcast::<ByteArrayObj>().is_some() {
        ByteArrayObj::new_value(data)
    } else {
        BytesObj::new_value(data)
    }
}

fn decode(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let p = a.pos();
    let Some(s) = p.first() else {
        return Err(vm.type_error("decode needs self"));
    };
    let data = this(vm, s)?;
    let enc = p
        .get(1)
        .or_else(|| a.get_kw("encoding"))
        .and_then(|e| as_str(e))
        .unwrap_or("utf-8")
        .to_ascii_lowercase();
    let errors = p
        .get(2)
        .or_else(|| a.get_kw("errors"))
        .and_then(|e| as_str(e))
        .unwrap_or("strict")
        .to_string();
    crate::modules::codecs::decode_bytes(vm, &data, &enc, &errors)
}

fn hex(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    crate::modules::binascii::hex_method(vm, a)
}

/// `bytes.fromhex(s)`: pairs of hex digits, optionally separated by ASCII
/// whitespace (and only between pairs); the error names the first bad position, as
/// CPython's `_PyBytes_FromHex`.
fn fromhex(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let p = a.pos();
    let Some(src) = p.first().and_then(|v| as_str(v)) else {
        return Err(vm.type_error("fromhex() argument must be str"));
    };
    let chars: Vec<char> = src.chars().collect();
    let digit = |i: usize| chars.get(i).and_then(|c| c.to_digit(16));
    let mut out = Vec::with_capacity(chars.len() / 2);
    let mut i = 0;
    loop {
        while i < chars.len() && matches!(chars[i], ' ' | '\t' | '\n' | '\x0b' | '\x0c' | '\r') {
            i += 1;
        }
        if i >= chars.len() {
            break;
        }
        let Some(hi) = digit(i) else {
            return Err(bad_hex(vm, i));
        };
        let Some(lo) = digit(i + 1) else {
            return Err(bad_hex(vm, i + 1));
        };
        out.push((hi * 16 + lo) as u8);
        i += 2;
    }
    Ok(BytesObj::new_value(out))
}

fn bad_hex(vm: &mut Vm, at: usize) -> crate::vm::PyErr {
    vm.value_error(format!(
        "non-hexadecimal number found in fromhex() arg at position {at}"
    ))
}

fn sub_arg(vm: &mut Vm, v: &Value) -> PyResult<Vec<u8>> {
    if let Some(b) = as_bytes(v) {
        return Ok(b);
    }
    if let Some(i) = v.as_small_int()
        && (0..256).contains(&i)
    {
        return Ok(vec![i as u8]);
    }
    let tn = type_name(v);
    Err(vm.type_error(format!(
        "argument should be integer or bytes-like object, not '{tn}'"
    )))
}

fn find_sub(hay: &[u8], needle: &[u8], start: usize) -> Option<usize> {
    if needle.is_empty() {
        return (start <= hay.len()).then_some(start);
    }
    memchr::memmem::find(hay.get(start..)?, needle).map(|i| i + start)
}

fn count(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (s, r) = method_args(vm, "count", a, 1, 1)?;
    let (hay, needle) = (this(vm, s)?, sub_arg(vm, &r[0])?);
    let mut n = 0;
    let mut i = 0;
    while let Some(j) = find_sub(&hay, &needle, i) {
        n += 1;
        i = j + needle.len().max(1);
        if i > hay.len() {
            break;
        }
    }
    Ok(Value::int(n))
}

/// The `[start:end]` window of optional slice-style bounds (None allowed, negatives
/// count from the end), clamped to `len`.
fn window(vm: &mut Vm, bounds: &[Value], len: usize) -> PyResult<(usize, usize)> {
    let mut get = |i: usize, dflt: usize| -> PyResult<usize> {
        match bounds.get(i) {
            Some(v) if !v.is_none() => {
                let x = crate::ops::to_isize(vm, v)?;
                Ok(crate::ops::clamp_to_len(x, len))
            }
            _ => Ok(dflt),
        }
    };
    let start = get(0, 0)?;
    let end = get(1, len)?;
    Ok((start, end.max(start)))
}

/// Index of `needle` in `hay[start..end]` (absolute), searching from the left or right.
fn search(vm: &mut Vm, a: &Args, name: &str, from_right: bool) -> PyResult<Option<usize>> {
    let (s, r) = method_args(vm, name, a, 1, 3)?;
    let needle = sub_arg(vm, &r[0])?;
    // The receiver is searched in place (no copy: `find` in a scanning loop over a
    // big buffer must not be quadratic); its bounds are read first, since reading
    // `start`/`end` may run Python code.
    let len = crate::types::bytes::with_bytes(s, |d| d.len())
        .ok_or_else(|| vm.type_error("descriptor requires a 'bytes' object"))?;
    if let Some(st) = r.get(1).filter(|v| !v.is_none())
        && crate::ops::to_isize(vm, st)? > len as i64
    {
        return Ok(None);
    }
    let (start, end) = window(vm, &r[1..], len)?;
    if end - start < needle.len() {
        return Ok(None);
    }
    let found = crate::types::bytes::with_bytes(s, |hay| {
        // A bytearray resized meanwhile: search what is left of the window.
        let part = &hay[start.min(hay.len())..end.min(hay.len())];
        if from_right {
            memchr::memmem::rfind(part, &needle)
        } else {
            memchr::memmem::find(part, &needle)
        }
    })
    .flatten();
    Ok(found.map(|i| i + start))
}

fn find(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let r = search(vm, a, "find", false)?;
    Ok(Value::int(r.map(|i| i as i64).unwrap_or(-1)))
}

fn rfind(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let r = search(vm, a, "rfind", true)?;
    Ok(Value::int(r.map(|i| i as i64).unwrap_or(-1)))
}

fn index(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    match search(vm, a, "index", false)? {
        Some(i) => Ok(Value::int(i as i64)),
        None => Err(vm.value_error("subsection not found")),
    }
}

fn rindex(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    match search(vm, a, "rindex", true)? {
        Some(i) => Ok(Value::int(i as i64)),
        None => Err(vm.value_error("subsection not found")),
    }
}

/// `startswith`/`endswith(affix[, start[, end]])`: `affix` a bytes-like object or a
/// tuple of them, matched against the `[start:end]` window (slice-style bounds; a start
/// past the end matches nothing, not even an empty affix, as in CPython).
fn affix(vm: &mut Vm, a: &Args, starts: bool) -> PyResult<Value> {
    let (s, r) = method_args(vm, if starts { "startswith" } else { "endswith" }, a, 1, 3)?;
    let data = this(vm, s)?;
    if let Some(st) = r.get(1).filter(|v| !v.is_none())
        && crate::ops::to_isize(vm, st)? > data.len() as i64
    {
        return Ok(Value::bool(false));
    }
    let (start, end) = window(vm, &r[1..], data.len())?;
    let part = &data[start..end];
    let cands: Vec<Value> = match r[0].downcast::<TupleObj>() {
        Some(t) => t.items.to_vec(),
        None => vec![r[0].clone()],
    };
    for c in cands {
        let p = sub_arg(vm, &c)?;
        if (starts && part.starts_with(&p)) || (!starts && part.ends_with(&p)) {
            return Ok(Value::bool(true));
        }
    }
    Ok(Value::bool(false))
}

fn startswith(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    affix(vm, a, true)
}
fn endswith(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    affix(vm, a, false)
}

fn join(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (s, r) = method_args(vm, "join", a, 1, 1)?;
    let sep = this(vm, s)?;
    let items = ops::collect(vm, &r[0])?;
    let mut out = vec![];
    for (i, it) in items.iter().enumerate() {
        if i > 0 {
            out.extend_from_slice(&sep);
        }
        match crate::modules::buffer::bytes_like(it) {
            Some(b) => out.extend_from_slice(&b),
            None => {
                let tn = type_name(it);
                return Err(vm.type_error(format!(
                    "sequence item {i}: expected a bytes-like object, {tn} found"
                )));
            }
        }
    }
    Ok(like(s, out))
}

fn strip(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (s, r) = method_args(vm, "strip", a, 0, 1)?;
    let data = this(vm, s)?;
    let chars: Vec<u8> = match r.first().filter(|v| !v.is_none()) {
        Some(c) => sub_arg(vm, c)?,
        None => b" \t\n\r\x0b\x0c".to_vec(),
    };
    let start = data
        .iter()
        .position(|b| !chars.contains(b))
        .unwrap_or(data.len());
    let end = data
        .iter()
        .rposition(|b| !chars.contains(b))
        .map(|i| i + 1)
        .unwrap_or(start);
    Ok(like(s, data[start..end.max(start)].to_vec()))
}

fn replace(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (s, r) = method_args(vm, "replace", a, 2, 2)?;
    let data = this(vm, s)?;
    let (old, new) = (sub_arg(vm, &r[0])?, sub_arg(vm, &r[1])?);
    if old.is_empty() {
        return Ok(like(s, data.into_owned()));
    }
    let mut out = vec![];
    let mut i = 0;
    while let Some(j) = find_sub(&data, &old, i) {
        out.extend_from_slice(&data[i..j]);
        out.extend_from_slice(&new);
        i = j + old.len();
    }
    out.extend_from_slice(&data[i..]);
    Ok(like(s, out))
}

fn upper(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (s, _) = method_args(vm, "upper", a, 0, 0)?;
    let d = this(vm, s)?;
    Ok(like(s, d.to_ascii_uppercase()))
}
fn lower(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (s, _) = method_args(vm, "lower", a, 0, 0)?;
    let d = this(vm, s)?;
    Ok(like(s, d.to_ascii_lowercase()))
}
fn isdigit(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (s, _) = method_args(vm, "isdigit", a, 0, 0)?;
    let d = this(vm, s)?;
    Ok(Value::bool(
        !d.is_empty() && d.iter().all(|b| b.is_ascii_digit()),
    ))
}
fn isalpha(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (s, _) = method_args(vm, "isalpha", a, 0, 0)?;
    let d = this(vm, s)?;
    Ok(Value::bool(
        !d.is_empty() && d.iter().all(|b| b.is_ascii_alphabetic()),
    ))
}

fn ba<'a>(vm: &mut Vm, v: &'a Value) -> PyResult<&'a ByteArrayObj> {
    v.downcast::<ByteArrayObj>()
        .ok_or_else(|| vm.type_error("descriptor requires a 'bytearray' object"))
}

/// A bytearray item argument: an integer (`__index__`) in range(0, 256).
fn byte_value(vm: &mut Vm, v: &Value) -> PyResult<u8> {
    let i = ops::to_index(vm, v)?;
    num_traits::ToPrimitive::to_u8(&i)
        .ok_or_else(|| vm.value_error("byte must be in range(0, 256)"))
}

fn ba_append(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (s, r) = method_args(vm, "append", a, 1, 1)?;
    let b = byte_value(vm, &r[0])?;
    ba(vm, s)?.data.with(|d| d.push(b));
    Ok(Value::none())
}

/// `bytearray.insert(index, item)`: a negative index counts from the end and both
/// ends clamp, as `list.insert`.
fn ba_insert(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (s, r) = method_args(vm, "insert", a, 2, 2)?;
    let at = ops::to_isize(vm, &r[0])?;
    let b = byte_value(vm, &r[1])?;
    ba(vm, s)?
        .data
        .with(|d| d.insert(ops::clamp_to_len(at, d.len()), b));
    Ok(Value::none())
}

fn ba_remove(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (s, r) = method_args(vm, "remove", a, 1, 1)?;
    let b = byte_value(vm, &r[0])?;
    let found = ba(vm, s)?
        .data
        .with(|d| match d.iter().position(|&x| x == b) {
            Some(i) => {
                d.remove(i);
                true
            }
            None => false,
        });
    if !found {
        return Err(vm.value_error("value not found in bytearray"));
    }
    Ok(Value::none())
}

fn ba_reverse(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (s, _) = method_args(vm, "reverse", a, 0, 0)?;
    ba(vm, s)?.data.with(|d| d.reverse());
    Ok(Value::none())
}

/// `bytearray.extend(b)`: the bytes of a buffer (bytes in place, without a copy
/// first), else the items of an iterable, each a byte value.
fn ba_extend(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (s, r) = method_args(vm, "extend", a, 1, 1)?;
    let target = ba(vm, s)?;
    let src = &r[0];
    if let Some(b) = src.downcast::<BytesObj>() {
        target.data.with(|d| d.extend_from_slice(&b.data));
        return Ok(Value::none());
    }
    if let Some(b) = crate::modules::buffer::bytes_like(src) {
        target.data.with(|d| d.extend_from_slice(&b));
        return Ok(Value::none());
    }
    let it = iter_or(vm, src, |tn| format!("can't extend bytearray with {tn}"))?;
    let mut more = Vec::new();
    while let Some(v) = ops::next(vm, &it)? {
        more.push(byte_value(vm, &v)?);
    }
    target.data.with(|d| d.extend(more));
    Ok(Value::none())
}

/// `bytearray.pop([index])`: the last item by default; a negative index counts from
/// the end.
fn ba_pop(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (s, r) = method_args(vm, "pop", a, 0, 1)?;
    let at = match r.first() {
        Some(i) => Some(ops::to_isize(vm, i)?),
        None => None,
    };
    let popped = ba(vm, s)?.data.with(|d| {
        if d.is_empty() {
            return Err("pop from empty bytearray");
        }
        let n = d.len() as i64;
        let i = at.unwrap_or(-1);
        let i = if i < 0 { i + n } else { i };
        if !(0..n).contains(&i) {
            return Err("pop index out of range");
        }
        Ok(d.remove(i as usize))
    });
    match popped {
        Ok(b) => Ok(Value::int(b as i64)),
        Err(m) => Err(vm.index_error(m)),
    }
}

fn ba_clear(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (s, _) = method_args(vm, "clear", a, 0, 0)?;
    ba(vm, s)?.data.with(|d| d.clear());
    Ok(Value::none())
}

fn ba_copy(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (s, _) = method_args(vm, "copy", a, 0, 0)?;
    Ok(ByteArrayObj::new_value(ba(vm, s)?.data.get_clone()))
}

fn str_encode(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let p = a.pos();
    let Some(s) = p.first().and_then(|v| as_str(v)) else {
        return Err(vm.type_error("encode needs a str"));
    };
    let s = s.to_string();
    let enc = p
        .get(1)
        .or_else(|| a.get_kw("encoding"))
        .and_then(|e| as_str(e))
        .unwrap_or("utf-8")
        .to_string();
    let errors = p
        .get(2)
        .or_else(|| a.get_kw("errors"))
        .and_then(|e| as_str(e))
        .unwrap_or("strict")
        .to_string();
    let surr = crate::types::str::is_flagged(&p[0]);
    crate::modules::codecs::encode_text(vm, &s, surr, &enc, &errors)
}

fn byteorder(vm: &mut Vm, v: Option<&Value>) -> PyResult<bool> {
    match v.and_then(|v| as_str(v)) {
        None | Some("big") => Ok(true),
        Some("little") => Ok(false),
        Some(_) => Err(vm.value_error("byteorder must be either 'little' or 'big'")),
    }
}

fn int_to_bytes(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let p = a.pos();
    let Some(s) = p.first() else {
        return Err(vm.type_error("to_bytes needs self"));
    };
    let Some(n) = as_int(s).map(|i| i.to_big()) else {
        return Err(vm.type_error("to_bytes needs an int"));
    };
    let length = match p.get(1).or_else(|| a.get_kw("length")) {
        Some(l) => ops::to_isize(vm, l)?,
        None => 1,
    };
    let big = byteorder(vm, p.get(2).or_else(|| a.get_kw("byteorder")))?;
    let signed = match a.get_kw("signed") {
        Some(v) => ops::truthy(vm, v)?,
        None => false,
    };
    if n.is_negative() && !signed {
        return Err(vm.overflow_error("can't convert negative int to unsigned"));
    }
    let mut bytes = if signed {
        n.to_signed_bytes_le()
    } else {
        n.to_bytes_le().1
    };
    if n == BigInt::from(0) {
        bytes.clear();
    }
    if bytes.len() > length as usize {
        return Err(vm.overflow_error("int too big to convert"));
    }
    let fill = if n.is_negative() { 0xff } else { 0 };
    bytes.resize(length as usize, fill);
    if big {
        bytes.reverse();
    }
    Ok(BytesObj::new_value(bytes))
}

fn int_from_bytes(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let p = a.pos();
    let Some(src) = p.first().or_else(|| a.get_kw("bytes")) else {
        return Err(vm.type_error("from_bytes() missing required argument 'bytes'"));
    };
    let mut data = match as_bytes(src) {
        Some(d) => d,
        None => bytes_from(vm, &Args::new(std::slice::from_ref(src)), "bytes")?,
    };
    let big = byteorder(vm, p.get(1).or_else(|| a.get_kw("byteorder")))?;
    let signed = match a.get_kw("signed") {
        Some(v) => ops::truthy(vm, v)?,
        None => false,
    };
    if big {
        data.reverse();
    }
    let n = if signed {
        BigInt::from_signed_bytes_le(&data)
    } else {
        BigInt::from_bytes_le(Sign::Plus, &data)
    };
    Ok(Value::bigint(n))
}
