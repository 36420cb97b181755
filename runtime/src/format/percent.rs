//! printf-style `%` formatting: `str % args`, and PEP 461's `bytes % args` and
//! `bytearray % args`.
//!
//! CPython runs one algorithm over two unit types (`PyUnicode_Format` and
//! `_PyBytes_FormatEx`); here one engine parses the format, walks the arguments,
//! formats the numbers and pads, and a [`Flavor`] supplies what differs: the text
//! conversions, the mapping keys and a few messages. A str format is read as its UTF-8
//! bytes: every character the parser acts on is ASCII, so the runs between
//! conversions are copied whole and the output stays valid UTF-8.
use num_bigint::BigInt;

use super::float_text::{Flags, double_to_string};
use crate::types::bytes::BytesObj;
use crate::types::complex::ComplexObj;
use crate::types::int::{IntRef, as_int, to_str_radix};
use crate::types::str::{StrObj, new_string, new_string_flagged};
use crate::types::tuple::TupleObj;
use crate::value::Value;
use crate::vm::{Args, PyErr, PyResult, Vm, lookup_special};
use crate::world::types;

/// A converted argument and its length in the output's units (characters of a str,
/// bytes of bytes), which is what widths count.
pub(super) struct Text {
    bytes: Vec<u8>,
    units: usize,
}

/// What differs between str and bytes formatting.
pub(super) trait Flavor {
    /// What "not all arguments converted during ... formatting" names.
    const WHAT: &'static str;
    /// Are the arguments a mapping that `%(key)` indexes? CPython's test is "the type
    /// has `__getitem__`", less tuples and strs (and bytes and bytearrays for a bytes
    /// format): a list is a "mapping" here, so `'abc' % []` converts nothing silently.
    fn is_mapping(args: &Value) -> bool;
    /// The key of `%(key)` from its units in the format.
    fn key(units: &[u8]) -> Value;
    /// The text conversions (`%s %r %a %c`, bytes' `%b`), truncated to `prec` units
    /// where the conversion takes a precision; `None` when `conv` is none of them.
    fn text(
        &mut self,
        vm: &mut Vm,
        conv: u8,
        v: &Value,
        prec: Option<usize>,
    ) -> PyResult<Option<Text>>;
    /// The error a failed float conversion (`%e %f %g`) raises.
    fn float_error(vm: &mut Vm, v: &Value, e: PyErr) -> PyErr;
    /// "unsupported format character" for the conversion at byte `at` of `fmt`;
    /// `from_digits` when it was read as the end of a width or precision.
    fn unsupported(vm: &mut Vm, fmt: &[u8], at: usize, from_digits: bool) -> PyErr;
}

/// `fmt % args` for a str `fmt`.
pub fn percent_format(vm: &mut Vm, fmt: &str, args: &Value) -> PyResult<Value> {
    let mut flavor = StrFlavor { surrogate: false };
    let out = run(vm, &mut flavor, fmt.as_bytes(), args)?;
    // Valid by construction: UTF-8 runs of the format and whole str conversions.
    let s = String::from_utf8(out)
        .unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned());
    Ok(if flavor.surrogate {
        new_string_flagged(s, true)
    } else {
        new_string(s)
    })
}

/// `fmt % args` for a bytes or bytearray `fmt` (PEP 461): the result's bytes.
pub fn bytes_percent_format(vm: &mut Vm, fmt: &[u8], args: &Value) -> PyResult<Vec<u8>> {
    run(vm, &mut BytesFlavor, fmt, args)
}

/// The format read one unit at a time as CPython's parser reads it: once a read has
/// run past the end, the conversion is incomplete.
struct Reader<'a> {
    fmt: &'a [u8],
    pos: usize,
    ended: bool,
}

impl Reader<'_> {
    /// The number whose first digit is `*ch`, read on to the first non-digit (left in
    /// `*ch`; `from_digits` says a digit came before it); None past `limit`.
    fn number(&mut self, ch: &mut u8, from_digits: &mut bool, limit: usize) -> Option<usize> {
        let mut n = (*ch - b'0') as usize;
        while let Some(c) = self.next() {
            *ch = c;
            *from_digits = true;
            if !c.is_ascii_digit() {
                break;
            }
            let d = (c - b'0') as usize;
            if n > (limit - d) / 10 {
                return None;
            }
            n = n * 10 + d;
        }
        Some(n)
    }

    fn next(&mut self) -> Option<u8> {
        match self.fmt.get(self.pos) {
            Some(&c) => {
                self.pos += 1;
                Some(c)
            }
            None => {
                self.ended = true;
                None
            }
        }
    }
}

/// CPython's argument cursor: a tuple gives its items in turn, anything else is the
/// one argument (`len` -1, `idx` -2 until it is taken).
struct Cursor {
    args: Value,
    len: isize,
    idx: isize,
}

impl Cursor {
    fn new(args: Value) -> Cursor {
        match args.downcast::<TupleObj>().map(|t| t.items.len()) {
            Some(n) => Cursor {
                args,
                len: n as isize,
                idx: 0,
            },
            None => Cursor {
                args,
                len: -1,
                idx: -2,
            },
        }
    }

    fn left(&self) -> bool {
        self.idx < self.len
    }

    fn next(&mut self, vm: &mut Vm) -> PyResult<Value> {
        if !self.left() {
            return Err(vm.type_error("not enough arguments for format string"));
        }
        self.idx += 1;
        if self.len < 0 {
            return Ok(self.args.clone());
        }
        let t = self.args.downcast::<TupleObj>();
        Ok(t.and_then(|t| t.items.get(self.idx as usize - 1).cloned())
            .unwrap_or_else(Value::none))
    }
}

/// One conversion's flags, width and precision.
#[derive(Default)]
struct Conv {
    ljust: bool,
    plus: bool,
    blank: bool,
    alt: bool,
    zero: bool,
    width: usize,
    prec: Option<usize>,
}

/// What a conversion produced: a number is signed and may be zero-padded after its
/// sign and `0x` prefix; text is only space-padded.
enum Piece {
    Number(String),
    Text(Text),
}

fn run<F: Flavor>(vm: &mut Vm, flavor: &mut F, fmt: &[u8], args: &Value) -> PyResult<Vec<u8>> {
    let dict = F::is_mapping(args).then(|| args.clone());
    let mut cur = Cursor::new(args.clone());
    let mut out = Vec::with_capacity(fmt.len() + 16);
    let mut rd = Reader {
        fmt,
        pos: 0,
        ended: false,
    };
    while rd.pos < fmt.len() {
        let start = rd.pos;
        let end = fmt[start..]
            .iter()
            .position(|&b| b == b'%')
            .map_or(fmt.len(), |k| start + k);
        out.extend_from_slice(&fmt[start..end]);
        if end == fmt.len() {
            break;
        }
        rd.pos = end + 1;
        conversion(vm, flavor, &mut rd, dict.as_ref(), &mut cur, &mut out)?;
    }
    if dict.is_none() && cur.left() {
        return Err(vm.type_error(format!(
            "not all arguments converted during {} formatting",
            F::WHAT
        )));
    }
    Ok(out)
}

/// A `*` width or precision argument in `lo..=hi` (CPython's `Py_ssize_t` or C `int`,
/// named by `c_type` in the overflow message).
fn star_arg(vm: &mut Vm, v: &Value, lo: i64, hi: i64, c_type: &str) -> PyResult<i64> {
    let Some(n) = as_int(v) else {
        return Err(vm.type_error("* wants int"));
    };
    match n.to_i64() {
        Some(x) if (lo..=hi).contains(&x) => Ok(x),
        _ => Err(vm.overflow_error(format!("Python int too large to convert to C {c_type}"))),
    }
}

/// Parse and format the conversion after a `%` (the reader just past it), appending it
/// to `out`: CPython's `unicode_format_arg`, read for read.
fn conversion<F: Flavor>(
    vm: &mut Vm,
    flavor: &mut F,
    rd: &mut Reader,
    dict: Option<&Value>,
    cur: &mut Cursor,
    out: &mut Vec<u8>,
) -> PyResult<()> {
    let fmt = rd.fmt;
    let mut ch = fmt.get(rd.pos).copied().unwrap_or(0);
    if ch == b'%' {
        rd.pos += 1;
        out.push(b'%');
        return Ok(());
    }
    if ch == b'(' {
        let Some(dict) = dict else {
            return Err(vm.type_error("format requires a mapping"));
        };
        rd.pos += 1;
        let key_start = rd.pos;
        let mut depth = 1;
        while depth > 0 {
            let Some(c) = rd.next() else { break };
            ch = c;
            match c {
                b')' => depth -= 1,
                b'(' => depth += 1,
                _ => {}
            }
        }
        if depth > 0 {
            return Err(vm.value_error("incomplete format key"));
        }
        let key = F::key(&fmt[key_start..rd.pos - 1]);
        let v = crate::ops::getitem(vm, dict, &key)?;
        *cur = Cursor {
            args: v,
            len: -1,
            idx: -2,
        };
    }
    let mut a = Conv::default();
    // Whether `ch` ended a run of digits (bytes formats show such a byte unsigned).
    let mut from_digits = false;
    while let Some(c) = rd.next() {
        ch = c;
        match c {
            b'-' => a.ljust = true,
            b'+' => a.plus = true,
            b' ' => a.blank = true,
            b'#' => a.alt = true,
            b'0' => a.zero = true,
            _ => break,
        }
    }
    if ch == b'*' {
        let v = cur.next(vm)?;
        let w = star_arg(vm, &v, i64::MIN, i64::MAX, "ssize_t")?;
        if w < 0 {
            // A negative `*` width left-aligns, as the `-` flag.
            a.ljust = true;
        }
        a.width = w.unsigned_abs() as usize;
        if let Some(c) = rd.next() {
            ch = c;
        }
    } else if ch.is_ascii_digit() {
        a.width = rd
            .number(&mut ch, &mut from_digits, isize::MAX as usize)
            .ok_or_else(|| vm.value_error("width too big"))?;
    }
    if ch == b'.' {
        a.prec = Some(0);
        if let Some(c) = rd.next() {
            ch = c;
            from_digits = false;
        }
        if ch == b'*' {
            let v = cur.next(vm)?;
            let p = star_arg(vm, &v, i32::MIN as i64, i32::MAX as i64, "int")?;
            a.prec = Some(p.max(0) as usize);
            if let Some(c) = rd.next() {
                ch = c;
            }
        } else if ch.is_ascii_digit() {
            let p = rd
                .number(&mut ch, &mut from_digits, i32::MAX as usize)
                .ok_or_else(|| vm.value_error("precision too big"))?;
            a.prec = Some(p);
        }
    }
    // A C length modifier (`%ld`, `%hs`) is read and ignored.
    if !rd.ended
        && matches!(ch, b'h' | b'l' | b'L')
        && let Some(c) = rd.next()
    {
        ch = c;
        from_digits = false;
    }
    if rd.ended {
        return Err(vm.value_error("incomplete format"));
    }
    // The argument is taken before the conversion character is checked, as CPython.
    let v = cur.next(vm)?;
    let piece = match ch {
        b'i' | b'd' | b'u' | b'o' | b'x' | b'X' => {
            let n = int_arg(vm, &v, ch)?;
            Piece::Number(format_long(vm, &IntRef::Big(&n), a.alt, a.prec, ch)?)
        }
        b'e' | b'E' | b'f' | b'F' | b'g' | b'G' => {
            let x = match crate::modules::real_number(vm, &v) {
                Ok(x) => x,
                Err(e) => return Err(F::float_error(vm, &v, e)),
            };
            let flags = Flags {
                alt: a.alt,
                ..Flags::default()
            };
            Piece::Number(double_to_string(x, ch as char, a.prec.unwrap_or(6), flags))
        }
        _ => match flavor.text(vm, ch, &v, a.prec)? {
            Some(t) => Piece::Text(t),
            None => return Err(F::unsupported(vm, fmt, rd.pos - 1, from_digits)),
        },
    };
    emit(vm, out, &a, ch, piece)?;
    if dict.is_some() && cur.left() {
        return Err(vm.type_error(format!(
            "not all arguments converted during {} formatting",
            F::WHAT
        )));
    }
    Ok(())
}

/// Append `n` copies of `b`; `MemoryError` (as CPython) when they cannot be allocated.
fn push_fill(vm: &mut Vm, out: &mut Vec<u8>, b: u8, n: usize) -> PyResult<()> {
    if out.try_reserve(n).is_err() {
        return Err(PyErr {
            exc: vm.new_exception(types().memory_error, vec![]),
        });
    }
    out.resize(out.len() + n, b);
    Ok(())
}

/// Pad a conversion to its width and append it: CPython's `unicode_format_arg_output`.
/// A number's sign (and `#`'s `0x`/`0o`) goes before zero padding and after space
/// padding.
fn emit(vm: &mut Vm, out: &mut Vec<u8>, a: &Conv, conv: u8, piece: Piece) -> PyResult<()> {
    let s = match piece {
        Piece::Text(t) => {
            let pad = a.width.saturating_sub(t.units);
            if !a.ljust {
                push_fill(vm, out, b' ', pad)?;
            }
            out.extend_from_slice(&t.bytes);
            if a.ljust {
                push_fill(vm, out, b' ', pad)?;
            }
            return Ok(());
        }
        Piece::Number(s) => s,
    };
    let fill = if a.zero { b'0' } else { b' ' };
    let mut body = s.as_bytes();
    let sign = match body.first() {
        Some(&c @ (b'-' | b'+')) => {
            body = &body[1..];
            Some(c)
        }
        _ if a.plus => Some(b'+'),
        _ if a.blank => Some(b' '),
        _ => None,
    };
    let mut width = a.width.max(body.len());
    if let Some(c) = sign {
        if fill != b' ' {
            out.push(c);
        }
        if width > body.len() {
            width -= 1;
        }
    }
    let prefix = if a.alt && matches!(conv, b'x' | b'X' | b'o') {
        let (p, rest) = body.split_at(2);
        body = rest;
        width = width.saturating_sub(2);
        if fill != b' ' {
            out.extend_from_slice(p);
        }
        p
    } else {
        &[]
    };
    if width > body.len() && !a.ljust {
        push_fill(vm, out, fill, width - body.len())?;
        width = body.len();
    }
    if fill == b' ' {
        out.extend(sign);
        out.extend_from_slice(prefix);
    }
    out.extend_from_slice(body);
    push_fill(vm, out, b' ', width.saturating_sub(body.len()))
}

/// The int a `%d %i %u %o %x %X` conversion formats: an int itself, else CPython's
/// `PyNumber_Long` (`PyNumber_Index` for `%o %x %X`) of a number, its TypeError
/// reworded.
fn int_arg(vm: &mut Vm, v: &Value, conv: u8) -> PyResult<BigInt> {
    if let Some(i) = as_int(v) {
        return Ok(i.to_big());
    }
    let integer = matches!(conv, b'o' | b'x' | b'X');
    // `PyNumber_Check`: the type has `__index__`, `__int__` or `__float__`, or is complex.
    let number = v.as_float().is_some()
        || v.downcast::<ComplexObj>().is_some()
        || ["__index__", "__int__", "__float__"]
            .iter()
            .any(|m| lookup_special(v, m).is_some());
    if number {
        let r = if integer {
            crate::ops::to_index(vm, v).map(Value::bigint)
        } else {
            crate::builtins::int_new(vm, &Args::new(std::slice::from_ref(v)))
        };
        match r {
            Ok(n) => {
                if let Some(i) = as_int(&n) {
                    return Ok(i.to_big());
                }
            }
            Err(e) if vm.err_matches(&e, types().type_error) => {}
            Err(e) => return Err(e),
        }
    }
    let tn = v.type_data().name.clone();
    let what = if integer {
        "an integer"
    } else {
        "a real number"
    };
    Err(vm.type_error(format!(
        "%{} format: {what} is required, not {tn}",
        conv as char
    )))
}

/// An int in a `%` integer conversion, signed, with `#`'s base prefix and zeros up to
/// `prec` digits: CPython's `_PyUnicode_FormatLong`.
fn format_long(
    vm: &mut Vm,
    n: &IntRef,
    alt: bool,
    prec: Option<usize>,
    conv: u8,
) -> PyResult<String> {
    let prec = prec.unwrap_or(0);
    if prec > i32::MAX as usize - 3 {
        return Err(vm.overflow_error("precision too large"));
    }
    let text = match conv {
        b'o' => to_str_radix(n, 8),
        b'x' | b'X' => to_str_radix(n, 16),
        _ => crate::types::int_digits::to_decimal(vm, n)?,
    };
    let (neg, digits) = match text.strip_prefix('-') {
        Some(d) => (true, d),
        None => (false, &text[..]),
    };
    let zeros = prec.saturating_sub(digits.len());
    let mut r = Vec::new();
    if neg {
        r.push(b'-');
    }
    if alt && matches!(conv, b'o' | b'x' | b'X') {
        r.extend([b'0', conv]);
    }
    push_fill(vm, &mut r, b'0', zeros)?;
    r.extend_from_slice(digits.as_bytes());
    if conv == b'X' {
        r.make_ascii_uppercase();
    }
    Ok(String::from_utf8(r).unwrap_or_default())
}

/// An integer argument as `PyLong_AsLongAndOverflow` reads it (an int or an object
/// with `__index__`); `None` for anything else (the TypeError callers reword).
fn index_arg(vm: &mut Vm, v: &Value) -> PyResult<Option<BigInt>> {
    if let Some(i) = as_int(v) {
        return Ok(Some(i.to_big()));
    }
    match crate::ops::to_index(vm, v) {
        Ok(n) => Ok(Some(n)),
        Err(e) if vm.err_matches(&e, types().type_error) => Ok(None),
        Err(e) => Err(e),
    }
}

/// Whether `args` has `__getitem__` and is of none of the `excluded` types.
fn mapping_except(args: &Value, excluded: &[stitch_stencils::value::RawValue]) -> bool {
    let td = args.type_data();
    !excluded.iter().any(|&t| td.is_subtype_raw(t)) && td.lookup("__getitem__").is_some()
}

/// `str % args`.
struct StrFlavor {
    /// Set when `%c` made a lone surrogate: the result is then a flagged str.
    surrogate: bool,
}

impl Flavor for StrFlavor {
    const WHAT: &'static str = "string";

    fn is_mapping(args: &Value) -> bool {
        mapping_except(args, &[types().tuple, types().str])
    }

    fn key(units: &[u8]) -> Value {
        new_string(String::from_utf8_lossy(units).into_owned())
    }

    fn text(
        &mut self,
        vm: &mut Vm,
        conv: u8,
        v: &Value,
        prec: Option<usize>,
    ) -> PyResult<Option<Text>> {
        let s = match conv {
            b's' => crate::ops::to_str(vm, v)?,
            b'r' => crate::ops::repr(vm, v)?,
            b'a' => {
                let a = crate::ops::ascii_value(vm, v)?;
                crate::types::str::as_str(&a).unwrap_or("").to_string()
            }
            b'c' => {
                let c = self.char_arg(vm, v)?;
                return Ok(Some(Text {
                    bytes: c.to_string().into_bytes(),
                    units: 1,
                }));
            }
            _ => return Ok(None),
        };
        let (s, units) = match prec {
            Some(p) => match s.char_indices().nth(p) {
                Some((end, _)) => (s[..end].to_string(), p),
                None => {
                    let n = s.chars().count();
                    (s, n)
                }
            },
            None => {
                let n = s.chars().count();
                (s, n)
            }
        };
        Ok(Some(Text {
            bytes: s.into_bytes(),
            units,
        }))
    }

    fn float_error(_vm: &mut Vm, _v: &Value, e: PyErr) -> PyErr {
        e
    }

    fn unsupported(vm: &mut Vm, fmt: &[u8], at: usize, _from_digits: bool) -> PyErr {
        let tail = &fmt[at..fmt.len().min(at + 4)];
        let c = String::from_utf8_lossy(tail).chars().next().unwrap_or('\0');
        let code = if crate::types::str::is_mapped(c) {
            c as u32 - crate::types::str::SURR_BASE + 0xD800
        } else {
            c as u32
        };
        let shown = if (31..=126).contains(&code) { c } else { '?' };
        let index = fmt[..at].iter().filter(|&&b| b & 0xC0 != 0x80).count();
        vm.value_error(format!(
            "unsupported format character '{shown}' (0x{code:x}) at index {index}"
        ))
    }
}

impl StrFlavor {
    /// `%c`'s character: a str of length 1, or an int below 0x110000 (CPython's
    /// `formatchar`).
    fn char_arg(&mut self, vm: &mut Vm, v: &Value) -> PyResult<char> {
        let code = if let Some(s) = v.downcast::<StrObj>() {
            match s.s.chars().next() {
                Some(c) if s.nchars == 1 => {
                    self.surrogate |= s.surrogates;
                    return Ok(c);
                }
                _ => None,
            }
        } else {
            match index_arg(vm, v)? {
                Some(n) => {
                    return match u32::try_from(n).ok().filter(|&n| n < 0x110000) {
                        Some(n) => Ok(char::from_u32(n).unwrap_or_else(|| {
                            self.surrogate = true;
                            crate::types::str::surrogate_char(n)
                        })),
                        None => Err(vm.overflow_error("%c arg not in range(0x110000)")),
                    };
                }
                None => None,
            }
        };
        match code {
            Some(c) => Ok(c),
            None => Err(vm.type_error("%c requires int or char")),
        }
    }
}

/// `bytes % args` and `bytearray % args`.
struct BytesFlavor;

impl Flavor for BytesFlavor {
    const WHAT: &'static str = "bytes";

    fn is_mapping(args: &Value) -> bool {
        let t = types();
        mapping_except(args, &[t.tuple, t.bytes, t.str, t.bytearray])
    }

    fn key(units: &[u8]) -> Value {
        BytesObj::new_value(units.to_vec())
    }

    fn text(
        &mut self,
        vm: &mut Vm,
        conv: u8,
        v: &Value,
        prec: Option<usize>,
    ) -> PyResult<Option<Text>> {
        let mut bytes = match conv {
            // `%r` is `%a` here: bytes take no non-ASCII text.
            b'r' | b'a' => {
                let a = crate::ops::ascii_value(vm, v)?;
                crate::types::str::as_str(&a)
                    .unwrap_or("")
                    .as_bytes()
                    .to_vec()
            }
            // `%s` is `%b`, for code shared with Python 2.
            b's' | b'b' => bytes_arg(vm, v)?,
            b'c' => vec![byte_arg(vm, v)?],
            _ => return Ok(None),
        };
        if conv != b'c'
            && let Some(p) = prec
        {
            bytes.truncate(p);
        }
        let units = bytes.len();
        Ok(Some(Text { bytes, units }))
    }

    fn float_error(vm: &mut Vm, v: &Value, _e: PyErr) -> PyErr {
        let tn = v.type_data().name.clone();
        vm.type_error(format!("float argument required, not {tn}"))
    }

    fn unsupported(vm: &mut Vm, fmt: &[u8], at: usize, from_digits: bool) -> PyErr {
        let b = fmt[at];
        // CPython reads the character as a C `char`: a byte from 0x80 up is negative
        // unless it ended a run of digits, and then not a character at all.
        if b >= 0x80 && !from_digits {
            return vm.overflow_error("character argument not in range(0x110000)");
        }
        vm.value_error(format!(
            "unsupported format character '{}' (0x{b:x}) at index {at}",
            b as char
        ))
    }
}

/// `%b`'s bytes: a bytes or bytearray, `__bytes__`, or the buffer protocol.
fn bytes_arg(vm: &mut Vm, v: &Value) -> PyResult<Vec<u8>> {
    if let Some(d) = crate::types::bytes::as_bytes(v) {
        return Ok(d);
    }
    if let Some(f) = lookup_special(v, "__bytes__") {
        let r = vm.call(&f, std::slice::from_ref(v))?;
        return match r.downcast::<BytesObj>() {
            Some(b) => Ok(b.data.to_vec()),
            None => {
                let rn = r.type_data().name.clone();
                Err(vm.type_error(format!("__bytes__ returned non-bytes (type {rn})")))
            }
        };
    }
    if let Some(b) = crate::modules::buffer::bytes_like(v) {
        return Ok(b.into_owned());
    }
    let tn = v.type_data().name.clone();
    Err(vm.type_error(format!(
        "%b requires a bytes-like object, or an object that implements __bytes__, not '{tn}'"
    )))
}

/// `%c`'s byte: a bytes or bytearray of length 1, or an int in `range(256)`.
fn byte_arg(vm: &mut Vm, v: &Value) -> PyResult<u8> {
    if let Some(d) = crate::types::bytes::as_bytes(v)
        && d.len() == 1
    {
        return Ok(d[0]);
    }
    match index_arg(vm, v)? {
        Some(n) => u8::try_from(n).map_err(|_| vm.overflow_error("%c arg not in range(256)")),
        None => Err(vm.type_error("%c requires an integer in range(256) or a single byte")),
    }
}
