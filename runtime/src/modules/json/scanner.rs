//! The JSON decoder: `scanstring` and the `make_scanner` type (CPython's
//! `c_make_scanner`). A scanner reads its settings from the `JSONDecoder` it is made
//! for, and each call `scanner(s, idx)` parses one JSON value starting at code point
//! `idx`, returning `(value, end)` or raising `StopIteration(idx)` where no value
//! starts (the decoder turns that into "Expecting value").
use std::collections::HashMap;

use crate::native_payload;
use crate::types::class::Kind;
use crate::types::dict::DictObj;
use crate::types::list::ListObj;
use crate::types::native::{self, NativeType, downcast, new_type};
use crate::types::str::{StrObj, as_str, new_str};
use crate::types::tuple::TupleObj;
use crate::value::Value;
use crate::vm::{Args, PyErr, PyResult, Vm};
use crate::world::types;

/// Why a scan stopped: a decode error (message, byte offset), no value at a byte
/// offset (`StopIteration`), or a Python exception from a hook.
enum Fail {
    Msg(&'static str, usize),
    Stop(usize),
    Py(PyErr),
}

impl From<PyErr> for Fail {
    fn from(e: PyErr) -> Fail {
        Fail::Py(e)
    }
}

type Scan<T> = Result<T, Fail>;

/// Code point index of byte offset `b` of `s`.
fn char_index(s: &str, b: usize) -> usize {
    let b = b.min(s.len());
    if s.is_ascii() {
        return b;
    }
    s.as_bytes()[..b]
        .iter()
        .filter(|&&c| (c as i8) >= -0x40)
        .count()
}

/// Byte offset of code point index `i` of `s` (`s.len()` past the end).
fn byte_offset(s: &str, i: usize) -> usize {
    if s.is_ascii() {
        return i.min(s.len());
    }
    s.char_indices().nth(i).map(|(b, _)| b).unwrap_or(s.len())
}

/// The Python exception for a failed scan of `s`.
fn raise(vm: &mut Vm, s: &Value, text: &str, f: Fail) -> PyErr {
    match f {
        Fail::Py(e) => e,
        Fail::Stop(b) => vm.stop_iteration(Value::int(char_index(text, b) as i64)),
        Fail::Msg(msg, b) => {
            let pos = Value::int(char_index(text, b) as i64);
            let cls = match crate::import::import_module(vm, "json.decoder")
                .and_then(|m| crate::ops::getattr_str(vm, &m, "JSONDecodeError"))
            {
                Ok(c) => c,
                Err(e) => return e,
            };
            match vm.call(&cls, &[new_str(msg), s.clone(), pos]) {
                Ok(exc) => PyErr { exc },
                Err(e) => e,
            }
        }
    }
}

fn hex(c: u8) -> Option<u32> {
    (c as char).to_digit(16)
}

/// Four hex digits at `b[at..at + 4]`.
fn hex4(b: &[u8], at: usize) -> Option<u32> {
    let mut v = 0;
    for &c in b.get(at..at + 4)? {
        v = (v << 4) | hex(c)?;
    }
    Some(v)
}

/// The body of a JSON string whose opening quote is just before byte `start`: the
/// decoded text and the byte offset after the closing quote. `key` memoizes the
/// plain (escape-free) strings (object keys).
fn scan_string(text: &str, start: usize, strict: bool) -> Scan<(std::borrow::Cow<'_, str>, usize)> {
    let b = text.as_bytes();
    let len = b.len();
    let begin = start.saturating_sub(1);
    let mut out: Option<String> = None;
    let mut p = start;
    loop {
        let mut q = p;
        while q < len {
            let c = b[q];
            if c == b'"' || c == b'\\' {
                break;
            }
            if c < 0x20 && strict {
                return Err(Fail::Msg("Invalid control character at", q));
            }
            q += 1;
        }
        if q >= len {
            return Err(Fail::Msg("Unterminated string starting at", begin));
        }
        if b[q] == b'"' {
            return Ok(match out {
                None => (std::borrow::Cow::Borrowed(&text[p..q]), q + 1),
                Some(mut o) => {
                    o.push_str(&text[p..q]);
                    (std::borrow::Cow::Owned(o), q + 1)
                }
            });
        }
        let o = out.get_or_insert_with(String::new);
        o.push_str(&text[p..q]);
        // A backslash at q.
        q += 1;
        if q == len {
            return Err(Fail::Msg("Unterminated string starting at", begin));
        }
        if b[q] != b'u' {
            let ch = match b[q] {
                b'"' => '"',
                b'\\' => '\\',
                b'/' => '/',
                b'b' => '\x08',
                b'f' => '\x0c',
                b'n' => '\n',
                b'r' => '\r',
                b't' => '\t',
                _ => return Err(Fail::Msg("Invalid \\escape", q - 1)),
            };
            o.push(ch);
            p = q + 1;
            continue;
        }
        // \uXXXX at q - 1: the digits start at q + 1.
        let digits = q + 1;
        if digits + 4 >= len {
            return Err(Fail::Msg("Invalid \\uXXXX escape", q));
        }
        let Some(mut c) = hex4(b, digits) else {
            return Err(Fail::Msg("Invalid \\uXXXX escape", q));
        };
        let mut next = digits + 4;
        if (0xd800..0xdc00).contains(&c)
            && next + 6 < len
            && b[next] == b'\\'
            && b[next + 1] == b'u'
        {
            let Some(c2) = hex4(b, next + 2) else {
                return Err(Fail::Msg("Invalid \\uXXXX escape", next + 1));
            };
            if (0xdc00..0xe000).contains(&c2) {
                c = 0x10000 + (((c - 0xd800) << 10) | (c2 - 0xdc00));
                next += 6;
            }
        }
        // A lone surrogate is kept, as stitch's mapped code point (types/str.rs); the
        // str made from the result is flagged.
        if (0xd800..0xe000).contains(&c) {
            o.push(crate::types::str::surrogate_char(c));
        } else {
            o.push(char::from_u32(c).unwrap_or('\u{fffd}'));
        }
        p = next;
    }
}

/// A decoded JSON string as a str: `\udXXX` escapes of lone surrogates became mapped
/// code points, so a result holding any is flagged.
fn scanned(s: String) -> Value {
    crate::types::str::new_string_flagged(s, true)
}

/// `scanstring(s, end, strict=True)`: the string whose body starts at code point `end`
/// and the index after its closing quote.
pub fn scanstring(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let p = crate::modules::native_args::positional(vm, "scanstring", a.pos(), 2, 3)?;
    crate::modules::native_args::no_kw(vm, "scanstring", a)?;
    let sv = p[0].clone();
    let Some(text) = as_str(&sv) else {
        let tn = crate::modules::native_args::type_name(&sv);
        return Err(vm.type_error(format!("first argument must be a string, not {tn}")));
    };
    let end = crate::ops::to_isize(vm, &p[1])?;
    let strict = match p.get(2) {
        Some(v) => crate::ops::truthy(vm, v)?,
        None => true,
    };
    let nchars = sv.downcast::<StrObj>().map(|s| s.nchars).unwrap_or(0);
    if end < 0 || end as usize > nchars {
        return Err(vm.value_error("end is out of bounds"));
    }
    let start = byte_offset(text, end as usize);
    match scan_string(text, start, strict) {
        Ok((s, e)) => Ok(TupleObj::from_items([
            scanned(s.into_owned()),
            Value::int(char_index(text, e) as i64),
        ])),
        Err(f) => Err(raise(vm, &sv, text, f)),
    }
}

// ---- the scanner type -------------------------------------------------------------

pub struct Scanner {
    strict: bool,
    object_hook: Value,
    object_pairs_hook: Value,
    /// None when it is `float` (parsed natively).
    parse_float: Option<Value>,
    /// None when it is `int`.
    parse_int: Option<Value>,
    parse_constant: Value,
}
native_payload!(Scanner, SCANNER);
static SCANNER_T: NativeType = NativeType {
    new: Some(scanner_new),
    call: Some(scanner_call),
    ..NativeType::of::<Scanner>()
};

pub fn make_type() -> Value {
    let t = new_type::<Scanner>(
        "Scanner",
        "_json",
        types().object,
        Kind::Native,
        &SCANNER_T,
        &SCANNER,
    );
    crate::modules::native_args::methods(&t, &[("__call__", native::call_method)]);
    crate::modules::native_args::static_new(&t, scanner_dnew);
    t
}

fn scanner_dnew(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (cls, rest) = crate::modules::native_args::new_args(
        vm,
        a,
        <Scanner as crate::value::PyPayload>::class(),
    )?;
    scanner_new(vm, &cls, &rest)
}

fn scanner_new(vm: &mut Vm, cls: &Value, a: &Args) -> PyResult<Value> {
    let p = crate::modules::native_args::bind(vm, "make_scanner", a, &["context"], 1, 1)?;
    let ctx = p[0].cloned().unwrap_or_else(Value::none);
    let strict = crate::ops::getattr_str(vm, &ctx, "strict")?;
    let strict = crate::ops::truthy(vm, &strict)?;
    let object_hook = crate::ops::getattr_str(vm, &ctx, "object_hook")?;
    let object_pairs_hook = crate::ops::getattr_str(vm, &ctx, "object_pairs_hook")?;
    let parse_float = crate::ops::getattr_str(vm, &ctx, "parse_float")?;
    let parse_int = crate::ops::getattr_str(vm, &ctx, "parse_int")?;
    let parse_constant = crate::ops::getattr_str(vm, &ctx, "parse_constant")?;
    let t = types();
    Ok(native::alloc(
        cls,
        Scanner {
            strict,
            object_hook,
            object_pairs_hook,
            parse_float: (parse_float.raw() != t.float).then_some(parse_float),
            parse_int: (parse_int.raw() != t.int).then_some(parse_int),
            parse_constant,
        },
    ))
}

fn scanner_call(vm: &mut Vm, f: &Value, a: &Args) -> PyResult<Value> {
    let Some(sc) = downcast::<Scanner>(f) else {
        return Err(vm.type_error("Scanner expected"));
    };
    let p = crate::modules::native_args::bind(vm, "scan_once", a, &["string", "idx"], 2, 2)?;
    let sv = p[0].cloned().unwrap_or_else(Value::none);
    let Some(text) = as_str(&sv) else {
        let tn = crate::modules::native_args::type_name(&sv);
        return Err(vm.type_error(format!("first argument must be a string, not {tn}")));
    };
    let idx = crate::ops::to_isize(vm, p[1].unwrap_or(&Value::int(0)))?;
    if idx < 0 {
        return Err(vm.value_error("idx cannot be negative"));
    }
    let start = byte_offset(text, idx as usize);
    let limit = vm.recursion_limit;
    let mut st = State {
        sc,
        text,
        b: text.as_bytes(),
        memo: HashMap::new(),
        depth: 0,
        limit,
    };
    match st.scan(vm, start) {
        Ok((v, end)) => Ok(TupleObj::from_items([
            v,
            Value::int(char_index(text, end) as i64),
        ])),
        Err(f) => Err(raise(vm, &sv, text, f)),
    }
}

/// One scan: the text, the scanner's settings, the memo of object keys.
struct State<'a> {
    sc: &'a Scanner,
    text: &'a str,
    b: &'a [u8],
    memo: HashMap<&'a str, Value>,
    depth: u32,
    limit: u32,
}

#[inline]
fn is_ws(c: u8) -> bool {
    matches!(c, b' ' | b'\t' | b'\n' | b'\r')
}

impl<'a> State<'a> {
    #[inline]
    fn skip_ws(&self, mut i: usize) -> usize {
        while i < self.b.len() && is_ws(self.b[i]) {
            i += 1;
        }
        i
    }

    fn at(&self, i: usize, lit: &[u8]) -> bool {
        self.b.get(i..i + lit.len()) == Some(lit)
    }

    /// One JSON value at byte `i`: the value and the byte offset after it.
    fn scan(&mut self, vm: &mut Vm, i: usize) -> Scan<(Value, usize)> {
        let Some(&c) = self.b.get(i) else {
            return Err(Fail::Stop(i));
        };
        match c {
            b'"' => {
                let (s, e) = scan_string(self.text, i + 1, self.sc.strict)?;
                return Ok((scanned(s.into_owned()), e));
            }
            b'{' | b'[' => {
                if self.depth >= self.limit {
                    let what = if c == b'{' { "object" } else { "array" };
                    return Err(Fail::Py(vm.err(
                        types().recursion_error,
                        format!(
                            "maximum recursion depth exceeded while decoding a JSON {what} from a unicode string"
                        ),
                    )));
                }
                self.depth += 1;
                let r = if c == b'{' {
                    self.object(vm, i + 1)
                } else {
                    self.array(vm, i + 1)
                };
                self.depth -= 1;
                return r;
            }
            b'n' if self.at(i, b"null") => return Ok((Value::none(), i + 4)),
            b't' if self.at(i, b"true") => return Ok((Value::bool(true), i + 4)),
            b'f' if self.at(i, b"false") => return Ok((Value::bool(false), i + 5)),
            b'N' if self.at(i, b"NaN") => return self.constant(vm, "NaN", i),
            b'I' if self.at(i, b"Infinity") => return self.constant(vm, "Infinity", i),
            b'-' if self.at(i, b"-Infinity") => return self.constant(vm, "-Infinity", i),
            _ => {}
        }
        self.number(vm, i)
    }

    fn constant(&mut self, vm: &mut Vm, name: &str, i: usize) -> Scan<(Value, usize)> {
        let v = vm.call(&self.sc.parse_constant, &[new_str(name)])?;
        Ok((v, i + name.len()))
    }

    fn number(&mut self, vm: &mut Vm, start: usize) -> Scan<(Value, usize)> {
        let b = self.b;
        let n = b.len();
        let digit = |i: usize| i < n && b[i].is_ascii_digit();
        let mut i = start;
        if b[i] == b'-' {
            i += 1;
            if i >= n {
                return Err(Fail::Stop(start));
            }
        }
        if (b'1'..=b'9').contains(&b[i]) {
            i += 1;
            while digit(i) {
                i += 1;
            }
        } else if b[i] == b'0' {
            i += 1;
        } else {
            return Err(Fail::Stop(start));
        }
        let mut is_float = false;
        if i + 1 < n && b[i] == b'.' && b[i + 1].is_ascii_digit() {
            is_float = true;
            i += 2;
            while digit(i) {
                i += 1;
            }
        }
        if i + 1 < n && (b[i] == b'e' || b[i] == b'E') {
            let e_start = i;
            i += 1;
            if i + 1 < n && (b[i] == b'-' || b[i] == b'+') {
                i += 1;
            }
            while digit(i) {
                i += 1;
            }
            if b[i - 1].is_ascii_digit() {
                is_float = true;
            } else {
                i = e_start;
            }
        }
        let s = &self.text[start..i];
        let custom = if is_float {
            &self.sc.parse_float
        } else {
            &self.sc.parse_int
        };
        if let Some(f) = custom {
            let v = vm.call(f, &[new_str(s)])?;
            return Ok((v, i));
        }
        if is_float {
            let f: f64 = s.parse().unwrap_or(f64::NAN);
            return Ok((Value::float(f), i));
        }
        if s.len() <= 18
            && let Ok(v) = s.parse::<i64>()
        {
            return Ok((Value::int(v), i));
        }
        let int_t = Value::from_borrowed(types().int);
        let v = vm.call(&int_t, &[new_str(s)])?;
        Ok((v, i))
    }

    /// An object whose `{` is just before byte `i`.
    fn object(&mut self, vm: &mut Vm, i: usize) -> Scan<(Value, usize)> {
        let pairs_hook = !self.sc.object_pairs_hook.is_none();
        let mut pairs: Vec<Value> = Vec::new();
        let dict = DictObj::new();
        let n = self.b.len();
        let mut i = self.skip_ws(i);
        if i >= n || self.b[i] != b'}' {
            loop {
                if i >= n || self.b[i] != b'"' {
                    return Err(Fail::Msg(
                        "Expecting property name enclosed in double quotes",
                        i,
                    ));
                }
                let (k, e) = scan_string(self.text, i + 1, self.sc.strict)?;
                let key = match k {
                    std::borrow::Cow::Borrowed(s) => match self.memo.get(s) {
                        Some(v) => v.clone(),
                        None => {
                            let v = new_str(s);
                            self.memo.insert(s, v.clone());
                            v
                        }
                    },
                    std::borrow::Cow::Owned(s) => scanned(s),
                };
                i = self.skip_ws(e);
                if i >= n || self.b[i] != b':' {
                    return Err(Fail::Msg("Expecting ':' delimiter", i));
                }
                i = self.skip_ws(i + 1);
                let (val, e) = self.scan(vm, i)?;
                if pairs_hook {
                    pairs.push(TupleObj::from_items([key, val]));
                } else {
                    dict.set(vm, key, val)?;
                }
                i = self.skip_ws(e);
                if i < n && self.b[i] == b'}' {
                    break;
                }
                if i >= n || self.b[i] != b',' {
                    return Err(Fail::Msg("Expecting ',' delimiter", i));
                }
                i = self.skip_ws(i + 1);
            }
        }
        let end = i + 1;
        if pairs_hook {
            let l = ListObj::new_value(pairs);
            let v = vm.call(&self.sc.object_pairs_hook, &[l])?;
            return Ok((v, end));
        }
        let d = Value::alloc(dict);
        if !self.sc.object_hook.is_none() {
            let v = vm.call(&self.sc.object_hook, &[d])?;
            return Ok((v, end));
        }
        Ok((d, end))
    }

    /// An array whose `[` is just before byte `i`.
    fn array(&mut self, vm: &mut Vm, i: usize) -> Scan<(Value, usize)> {
        let mut items = Vec::new();
        let n = self.b.len();
        let mut i = self.skip_ws(i);
        if i >= n || self.b[i] != b']' {
            loop {
                let (v, e) = self.scan(vm, i)?;
                items.push(v);
                i = self.skip_ws(e);
                if i < n && self.b[i] == b']' {
                    break;
                }
                if i >= n || self.b[i] != b',' {
                    return Err(Fail::Msg("Expecting ',' delimiter", i));
                }
                i = self.skip_ws(i + 1);
            }
        }
        Ok((ListObj::new_value(items), i + 1))
    }
}
