//! `binascii`: conversions between binary data and ASCII encodings (hex, base64,
//! quoted-printable, uuencode) and the CRC-32 and CRC-CCITT checksums; the Lib's
//! `base64`, `quopri` and `uu` are written on it.
use std::borrow::Cow;
use std::sync::atomic::{AtomicU64, Ordering};

use stitch_stencils::value::RawValue;

use super::buffer;
use super::native_args::{bind, module, set, type_name, unpack};
use crate::ops;
use crate::types::bytes::BytesObj;
use crate::types::str::as_str;
use crate::value::Value;
use crate::vm::{Args, PyErr, PyResult, Vm};
use crate::world::types;

/// `binascii.Error` and `binascii.Incomplete`, once the module exists.
static ERROR: AtomicU64 = AtomicU64::new(0);
static INCOMPLETE: AtomicU64 = AtomicU64::new(0);

/// An exception class defined by a native module (a subclass of `base`).
pub(crate) fn exception_type(name: &str, module: &str, base: RawValue) -> Value {
    let t = crate::types::class::new_builtin_type(
        name,
        base,
        crate::types::class::Kind::Object,
        crate::object::dealloc_as::<crate::types::instance::Instance>,
        crate::types::layout::Layout::instance(),
    );
    crate::types::class::type_data_raw(t)
        .module
        .with(|m| *m = module.to_string());
    Value::from_borrowed(t)
}

fn error(vm: &mut Vm, msg: impl Into<String>) -> PyErr {
    let t = RawValue(ERROR.load(Ordering::Acquire));
    vm.err(t, msg)
}

pub fn init(_vm: &mut Vm) -> PyResult<Value> {
    let m = module(
        "binascii",
        &[
            ("a2b_base64", a2b_base64),
            ("a2b_hex", a2b_hex),
            ("a2b_qp", a2b_qp),
            ("a2b_uu", a2b_uu),
            ("b2a_base64", b2a_base64),
            ("b2a_hex", b2a_hex),
            ("b2a_qp", b2a_qp),
            ("b2a_uu", b2a_uu),
            ("crc32", crc32),
            ("crc_hqx", crc_hqx),
            ("hexlify", hexlify),
            ("unhexlify", unhexlify),
        ],
    );
    if ERROR.load(Ordering::Acquire) == 0 {
        let e = exception_type("Error", "binascii", types().value_error);
        ERROR.store(e.raw().0, Ordering::Release);
        let i = exception_type("Incomplete", "binascii", types().exception);
        INCOMPLETE.store(i.raw().0, Ordering::Release);
    }
    set(
        &m,
        "Error",
        Value::from_borrowed(RawValue(ERROR.load(Ordering::Acquire))),
    );
    set(
        &m,
        "Incomplete",
        Value::from_borrowed(RawValue(INCOMPLETE.load(Ordering::Acquire))),
    );
    Ok(m)
}

/// The `ascii_buffer` converter of the a2b functions: bytes-like, or a str of ASCII.
fn ascii_data<'a>(vm: &mut Vm, v: &'a Value) -> PyResult<Cow<'a, [u8]>> {
    if let Some(s) = as_str(v) {
        if !s.is_ascii() {
            return Err(vm.value_error("string argument should contain only ASCII characters"));
        }
        return Ok(Cow::Borrowed(s.as_bytes()));
    }
    match buffer::bytes_like(v) {
        Some(b) => Ok(b),
        None => {
            let tn = type_name(v);
            Err(vm.type_error(format!(
                "argument should be bytes, buffer or ASCII string, not '{tn}'"
            )))
        }
    }
}

fn truth(vm: &mut Vm, v: Option<&Value>, default: bool) -> PyResult<bool> {
    match v {
        Some(v) => ops::truthy(vm, v),
        None => Ok(default),
    }
}

fn bytes(v: Vec<u8>) -> PyResult<Value> {
    Ok(BytesObj::new_value(v))
}

// ---- base64 ---------------------------------------------------------------------------

const B64: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/// The value of a base64 digit, or 64 for anything else.
fn b64_value(c: u8) -> u8 {
    match c {
        b'A'..=b'Z' => c - b'A',
        b'a'..=b'z' => c - b'a' + 26,
        b'0'..=b'9' => c - b'0' + 52,
        b'+' => 62,
        b'/' => 63,
        _ => 64,
    }
}

/// `a2b_base64(data, /, *, strict_mode=False)`: in the default mode characters outside
/// the alphabet are skipped and decoding stops at the padding that ends a quad.
fn a2b_base64(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let b = super::kwonly::bind(vm, "a2b_base64", a, &["data", "strict_mode"], 1, 1)?;
    let Some(data) = b[0] else {
        return Err(vm.type_error("a2b_base64() missing required argument 'data' (pos 1)"));
    };
    let data = ascii_data(vm, data)?;
    let strict = truth(vm, b[1], false)?;
    if strict && data.first() == Some(&b'=') {
        return Err(error(vm, "Leading padding not allowed"));
    }
    let mut out = Vec::with_capacity(data.len() / 4 * 3 + 3);
    let (mut quad_pos, mut left, mut pads) = (0u8, 0u8, 0u8);
    let mut padding_started = false;
    for (i, &c) in data.iter().enumerate() {
        if c == b'=' {
            padding_started = true;
            if quad_pos >= 2 {
                pads += 1;
                if quad_pos + pads >= 4 {
                    if strict && i + 1 < data.len() {
                        return Err(error(vm, "Excess data after padding"));
                    }
                    return bytes(out);
                }
            }
            continue;
        }
        let v = b64_value(c);
        if v >= 64 {
            if strict {
                return Err(error(vm, "Only base64 data is allowed"));
            }
            continue;
        }
        if strict && padding_started {
            return Err(error(vm, "Discontinuous padding not allowed"));
        }
        pads = 0;
        match quad_pos {
            0 => {
                quad_pos = 1;
                left = v;
            }
            1 => {
                quad_pos = 2;
                out.push((left << 2) | (v >> 4));
                left = v & 0x0f;
            }
            2 => {
                quad_pos = 3;
                out.push((left << 4) | (v >> 2));
                left = v & 0x03;
            }
            _ => {
                quad_pos = 0;
                out.push((left << 6) | v);
                left = 0;
            }
        }
    }
    match quad_pos {
        0 => bytes(out),
        1 => {
            let n = out.len() / 3 * 4 + 1;
            Err(error(
                vm,
                format!(
                    "Invalid base64-encoded string: number of data characters ({n}) cannot be 1 more than a multiple of 4"
                ),
            ))
        }
        _ => Err(error(vm, "Incorrect padding")),
    }
}

/// Standard base64 (with padding) of `data`.
pub(crate) fn base64_encode(data: &[u8], out: &mut Vec<u8>) {
    for chunk in data.chunks(3) {
        let b = [
            chunk[0],
            chunk.get(1).copied().unwrap_or(0),
            chunk.get(2).copied().unwrap_or(0),
        ];
        out.push(B64[(b[0] >> 2) as usize]);
        out.push(B64[(((b[0] & 3) << 4) | (b[1] >> 4)) as usize]);
        out.push(if chunk.len() > 1 {
            B64[(((b[1] & 15) << 2) | (b[2] >> 6)) as usize]
        } else {
            b'='
        });
        out.push(if chunk.len() > 2 {
            B64[(b[2] & 63) as usize]
        } else {
            b'='
        });
    }
}

/// `b2a_base64(data, /, *, newline=True)`.
fn b2a_base64(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let b = super::kwonly::bind(vm, "b2a_base64", a, &["data", "newline"], 1, 1)?;
    let Some(data) = b[0] else {
        return Err(vm.type_error("b2a_base64() missing required argument 'data' (pos 1)"));
    };
    let data = buffer::need(vm, data)?;
    let newline = truth(vm, b[1], true)?;
    let mut out = Vec::with_capacity(data.len().div_ceil(3) * 4 + 1);
    base64_encode(&data, &mut out);
    if newline {
        out.push(b'\n');
    }
    bytes(out)
}

// ---- hex ------------------------------------------------------------------------------

const HEX: &[u8; 16] = b"0123456789abcdef";

/// Hex digits of `data`, with `sep` between groups of `per_sep` bytes counted from the
/// right (from the left when `per_sep` is negative), as `bytes.hex` and `hexlify` do.
pub(crate) fn hex_with_sep(data: &[u8], sep: Option<u8>, per_sep: i64) -> Vec<u8> {
    let group = per_sep.unsigned_abs() as usize;
    let Some(sep) = sep.filter(|_| group != 0 && !data.is_empty()) else {
        let mut out = Vec::with_capacity(data.len() * 2);
        for b in data {
            out.push(HEX[(b >> 4) as usize]);
            out.push(HEX[(b & 15) as usize]);
        }
        return out;
    };
    let n = data.len();
    let mut out = Vec::with_capacity(n * 3);
    for (i, b) in data.iter().enumerate() {
        // A separator goes before byte i when a group boundary falls there.
        let boundary = if per_sep > 0 {
            (n - i).is_multiple_of(group)
        } else {
            i.is_multiple_of(group)
        };
        if i > 0 && boundary {
            out.push(sep);
        }
        out.push(HEX[(b >> 4) as usize]);
        out.push(HEX[(b & 15) as usize]);
    }
    out
}

/// `bytes.hex(sep=<none>, bytes_per_sep=1)` (and bytearray's, memoryview's): `a` holds
/// the data first, then the method's own arguments.
pub(crate) fn hex_method(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let r = hex_impl(vm, "hex", a)?;
    let text = buffer::bytes_like(&r)
        .map(|b| String::from_utf8_lossy(&b).into_owned())
        .unwrap_or_default();
    Ok(crate::types::str::new_string(text))
}

/// `hexlify(data, sep=<none>, bytes_per_sep=1)` and `b2a_hex`.
fn hex_impl(vm: &mut Vm, fname: &str, a: &Args) -> PyResult<Value> {
    let b = bind(vm, fname, a, &["data", "sep", "bytes_per_sep"], 1, 3)?;
    let data = match b[0] {
        Some(d) => buffer::need(vm, d)?,
        None => unreachable!("bind checks the required argument"),
    };
    let sep = match b[1] {
        None => None,
        Some(s) => {
            let sb: Vec<u8> = if let Some(st) = as_str(s) {
                st.chars().map(|c| c as u32 as u8).collect::<Vec<u8>>()
            } else if let Some(bb) = buffer::bytes_like(s) {
                bb.into_owned()
            } else {
                let n = crate::ops::len(vm, s)?;
                if n != 1 {
                    return Err(vm.value_error("sep must be length 1."));
                }
                return Err(vm.type_error("sep must be str or bytes."));
            };
            if sb.len() != 1 {
                return Err(vm.value_error("sep must be length 1."));
            }
            Some(sb[0])
        }
    };
    let per_sep = match b[2] {
        Some(v) => {
            if v.is_float() {
                return Err(vm.type_error("'float' object cannot be interpreted as an integer"));
            }
            ops::to_isize(vm, v)?
        }
        None => 1,
    };
    bytes(hex_with_sep(&data, sep, per_sep))
}

fn hexlify(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    hex_impl(vm, "hexlify", a)
}

fn b2a_hex(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    hex_impl(vm, "b2a_hex", a)
}

fn hex_value(c: u8) -> Option<u8> {
    (c as char).to_digit(16).map(|d| d as u8)
}

fn unhex_impl(vm: &mut Vm, fname: &str, a: &Args) -> PyResult<Value> {
    let p = unpack(vm, fname, a, 1, 1)?;
    let data = ascii_data(vm, &p[0])?;
    if data.len() % 2 != 0 {
        return Err(error(vm, "Odd-length string"));
    }
    let mut out = Vec::with_capacity(data.len() / 2);
    for pair in data.chunks(2) {
        match (hex_value(pair[0]), hex_value(pair[1])) {
            (Some(h), Some(l)) => out.push((h << 4) | l),
            _ => return Err(error(vm, "Non-hexadecimal digit found")),
        }
    }
    bytes(out)
}

fn unhexlify(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    unhex_impl(vm, "unhexlify", a)
}

fn a2b_hex(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    unhex_impl(vm, "a2b_hex", a)
}

// ---- checksums ------------------------------------------------------------------------

/// The CRC-32 table (reflected polynomial 0xEDB88320), built at compile time.
const CRC_TABLE: [u32; 256] = {
    let mut t = [0u32; 256];
    let mut i = 0;
    while i < 256 {
        let mut c = i as u32;
        let mut k = 0;
        while k < 8 {
            c = if c & 1 != 0 {
                0xEDB8_8320 ^ (c >> 1)
            } else {
                c >> 1
            };
            k += 1;
        }
        t[i] = c;
        i += 1;
    }
    t
};

/// zlib's CRC-32 of `data` continuing from `crc`.
pub(crate) fn crc32_update(crc: u32, data: &[u8]) -> u32 {
    let mut c = !crc;
    for &b in data {
        c = CRC_TABLE[((c ^ b as u32) & 0xff) as usize] ^ (c >> 8);
    }
    !c
}

/// A C `unsigned int` with bitwise conversion: any int, taken modulo 2**32.
pub(crate) fn u32_bitwise(vm: &mut Vm, v: &Value) -> PyResult<u32> {
    if v.is_float() {
        return Err(vm.type_error("'float' object cannot be interpreted as an integer"));
    }
    if let Some(i) = v.as_small_int() {
        return Ok(i as u32);
    }
    let n = ops::to_index(vm, v)?;
    let m: num_bigint::BigInt = n & num_bigint::BigInt::from(0xFFFF_FFFFu32);
    Ok(u32::try_from(&m).unwrap_or(0))
}

/// `crc32(data, crc=0, /)`.
fn crc32(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let p = unpack(vm, "crc32", a, 1, 2)?;
    let data = buffer::need(vm, &p[0])?;
    let crc = match p.get(1) {
        Some(v) => u32_bitwise(vm, v)?,
        None => 0,
    };
    Ok(Value::int(crc32_update(crc, &data) as i64))
}

/// `crc_hqx(data, crc, /)`: CRC-CCITT (polynomial 0x1021, not reflected).
fn crc_hqx(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let p = unpack(vm, "crc_hqx", a, 2, 2)?;
    let data = buffer::need(vm, &p[0])?;
    let mut crc = (u32_bitwise(vm, &p[1])? & 0xffff) as u16;
    for &b in data.iter() {
        crc ^= (b as u16) << 8;
        for _ in 0..8 {
            crc = if crc & 0x8000 != 0 {
                (crc << 1) ^ 0x1021
            } else {
                crc << 1
            };
        }
    }
    Ok(Value::int(crc as i64))
}

// ---- quoted-printable -----------------------------------------------------------------

/// `a2b_qp(data, header=False)`.
fn a2b_qp(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let b = bind(vm, "a2b_qp", a, &["data", "header"], 1, 2)?;
    let data = match b[0] {
        Some(d) => ascii_data(vm, d)?,
        None => unreachable!("bind checks the required argument"),
    };
    let header = truth(vm, b[1], false)?;
    let n = data.len();
    let mut out = Vec::with_capacity(n);
    let mut i = 0;
    while i < n {
        let c = data[i];
        if c == b'=' {
            i += 1;
            if i >= n {
                break;
            }
            if data[i] == b'\n' || data[i] == b'\r' {
                // A soft line break: skip to past the end of the line.
                if data[i] != b'\n' {
                    while i < n && data[i] != b'\n' {
                        i += 1;
                    }
                }
                if i < n {
                    i += 1;
                }
            } else if data[i] == b'=' {
                out.push(b'=');
                i += 1;
            } else if i + 1 < n
                && let (Some(h), Some(l)) = (hex_value(data[i]), hex_value(data[i + 1]))
            {
                out.push((h << 4) | l);
                i += 2;
            } else {
                out.push(b'=');
            }
        } else if header && c == b'_' {
            out.push(b' ');
            i += 1;
        } else {
            out.push(c);
            i += 1;
        }
    }
    bytes(out)
}

const MAXLINESIZE: usize = 76;

fn push_hex_upper(out: &mut Vec<u8>, c: u8) {
    const UP: &[u8; 16] = b"0123456789ABCDEF";
    out.push(UP[(c >> 4) as usize]);
    out.push(UP[(c & 15) as usize]);
}

/// `b2a_qp(data, quotetabs=False, istext=True, header=False)`: lines are kept under 76
/// characters with soft breaks, and line ends follow the data's first one (CRLF or LF).
fn b2a_qp(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let b = bind(
        vm,
        "b2a_qp",
        a,
        &["data", "quotetabs", "istext", "header"],
        1,
        4,
    )?;
    let data = match b[0] {
        Some(d) => buffer::need(vm, d)?,
        None => unreachable!("bind checks the required argument"),
    };
    let quotetabs = truth(vm, b[1], false)?;
    let istext = truth(vm, b[2], true)?;
    let header = truth(vm, b[3], false)?;
    let d: &[u8] = &data;
    let n = d.len();
    let crlf = match d.iter().position(|&c| c == b'\n') {
        Some(p) => p > 0 && d[p - 1] == b'\r',
        None => false,
    };
    let soft_break = |out: &mut Vec<u8>| {
        out.push(b'=');
        if crlf {
            out.push(b'\r');
        }
        out.push(b'\n');
    };
    let mut out: Vec<u8> = Vec::with_capacity(n * 3 / 2);
    let (mut i, mut linelen) = (0usize, 0usize);
    while i < n {
        let c = d[i];
        let encode = c > 126
            || c == b'='
            || (header && c == b'_')
            || (c == b'.'
                && linelen == 0
                && (i + 1 == n || d[i + 1] == b'\n' || d[i + 1] == b'\r' || d[i + 1] == 0))
            || (!istext && (c == b'\r' || c == b'\n'))
            || ((c == b'\t' || c == b' ') && i + 1 == n)
            || (c < 33 && c != b'\r' && c != b'\n' && (quotetabs || (c != b'\t' && c != b' ')));
        if encode {
            if linelen + 3 >= MAXLINESIZE {
                soft_break(&mut out);
                linelen = 0;
            }
            out.push(b'=');
            push_hex_upper(&mut out, c);
            i += 1;
            linelen += 3;
        } else if istext && (c == b'\n' || (i + 1 < n && c == b'\r' && d[i + 1] == b'\n')) {
            linelen = 0;
            // Whitespace at the end of a line is encoded.
            if let Some(&last) = out.last()
                && (last == b' ' || last == b'\t')
            {
                let l = out.len();
                out[l - 1] = b'=';
                push_hex_upper(&mut out, last);
            }
            if crlf {
                out.push(b'\r');
            }
            out.push(b'\n');
            i += if c == b'\r' { 2 } else { 1 };
        } else {
            if i + 1 != n && d[i + 1] != b'\n' && linelen + 1 >= MAXLINESIZE {
                soft_break(&mut out);
                linelen = 0;
            }
            linelen += 1;
            out.push(if header && c == b' ' { b'_' } else { c });
            i += 1;
        }
    }
    bytes(out)
}

// ---- uuencode -------------------------------------------------------------------------

/// `a2b_uu(data, /)`: one line of uuencoded data.
fn a2b_uu(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let p = unpack(vm, "a2b_uu", a, 1, 1)?;
    let data = ascii_data(vm, &p[0])?;
    let d: &[u8] = &data;
    // The first character holds the line's byte count.
    let first = d.first().copied().unwrap_or(0);
    let mut bin_len = (first.wrapping_sub(b' ') & 0o77) as usize;
    let mut rest = d.get(1..).unwrap_or(&[]);
    let mut out = Vec::with_capacity(bin_len);
    let (mut left, mut bits) = (0u32, 0u32);
    while bin_len > 0 {
        let c = rest.first().copied();
        let v = match c {
            None | Some(b'\n') | Some(b'\r') => 0,
            Some(c) => {
                if !(b' '..=b' ' + 64).contains(&c) {
                    return Err(error(vm, "Illegal char"));
                }
                ((c - b' ') & 0o77) as u32
            }
        };
        if !rest.is_empty() {
            rest = &rest[1..];
        }
        left = (left << 6) | v;
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push(((left >> bits) & 0xff) as u8);
            left &= (1 << bits) - 1;
            bin_len -= 1;
        }
    }
    // Anything after the data must be padding or a line end.
    for &c in rest {
        if c != b' ' && c != b' ' + 64 && c != b'\n' && c != b'\r' {
            return Err(error(vm, "Trailing garbage"));
        }
    }
    bytes(out)
}

/// `b2a_uu(data, /, *, backtick=False)`: at most 45 bytes, as one line.
fn b2a_uu(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let b = super::kwonly::bind(vm, "b2a_uu", a, &["data", "backtick"], 1, 1)?;
    let Some(data) = b[0] else {
        return Err(vm.type_error("b2a_uu() missing required argument 'data' (pos 1)"));
    };
    let data = buffer::need(vm, data)?;
    let backtick = truth(vm, b[1], false)?;
    if data.len() > 45 {
        return Err(error(vm, "At most 45 bytes at once"));
    }
    let ch = |v: u32| -> u8 {
        if backtick && v == 0 {
            b'`'
        } else {
            b' ' + v as u8
        }
    };
    let mut out = vec![ch(data.len() as u32)];
    let (mut left, mut bits) = (0u32, 0u32);
    let mut i = 0;
    while i < data.len() || bits != 0 {
        left = (left << 8) | data.get(i).copied().unwrap_or(0) as u32;
        bits += 8;
        while bits >= 6 {
            let v = (left >> (bits - 6)) & 0x3f;
            bits -= 6;
            out.push(ch(v));
        }
        left &= (1 << bits) - 1;
        i += 1;
    }
    out.push(b'\n');
    bytes(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn crc32_known() {
        assert_eq!(crc32_update(0, b"hello"), 0x3610_a686);
    }

    #[test]
    fn hex_groups() {
        assert_eq!(hex_with_sep(b"abcde", Some(b':'), 2), b"61:6263:6465");
        assert_eq!(hex_with_sep(b"abcde", Some(b':'), -2), b"6162:6364:65");
    }
}
