//! The Unicode codecs written in Rust: UTF-8, UTF-16, UTF-32, Latin-1, ASCII and the
//! charmap codecs (the single-byte code pages the Lib's `encodings` package defines
//! by table). Decoders return the text and how many bytes they consumed: when `final`
//! is false an incomplete sequence at the end is left for the next call (incremental
//! decoders and stream readers rely on that).
use super::errors::{Replacement, on_decode_error, on_encode_error};
use crate::types::str::is_mapped;
use crate::vm::{PyResult, Vm};

/// What a decoder found at one position.
pub enum Step {
    Char(char, usize),
    /// Bytes that decode to nothing (an escaped newline).
    Skip(usize),
    /// `len` bytes that cannot be decoded, and why.
    Bad(usize, &'static str),
    /// The data ends inside a sequence.
    Incomplete,
}

/// Run a decoder that reads one character at a time, handling errors by name.
pub fn decode_loop(
    vm: &mut Vm,
    encoding: &str,
    data: &[u8],
    errors: &str,
    final_: bool,
    mut step: impl FnMut(&[u8], usize) -> Step,
) -> PyResult<(String, usize)> {
    let mut out = String::with_capacity(data.len());
    let mut i = 0;
    while i < data.len() {
        match step(data, i) {
            Step::Char(c, n) => {
                out.push(c);
                i += n;
            }
            Step::Skip(n) => i += n,
            Step::Bad(n, reason) => {
                i = on_decode_error(vm, errors, encoding, data, i, i + n, reason, &mut out)?;
            }
            Step::Incomplete => {
                if !final_ {
                    break;
                }
                let end = data.len();
                i = on_decode_error(
                    vm,
                    errors,
                    encoding,
                    data,
                    i,
                    end,
                    incomplete_reason(encoding),
                    &mut out,
                )?;
            }
        }
    }
    Ok((out, i))
}

fn incomplete_reason(encoding: &str) -> &'static str {
    if encoding.starts_with("utf-8") {
        "unexpected end of data"
    } else {
        "truncated data"
    }
}

// ---- UTF-8 ----------------------------------------------------------------------------

/// UTF-8: valid runs are copied whole; errors cover what CPython's decoder reports (a
/// bad start byte alone, or a start byte and the valid continuation bytes before the
/// bad one).
pub fn utf8_decode(
    vm: &mut Vm,
    data: &[u8],
    errors: &str,
    final_: bool,
) -> PyResult<(String, usize)> {
    if let Ok(s) = std::str::from_utf8(data) {
        return Ok((s.to_string(), data.len()));
    }
    let mut out = String::with_capacity(data.len());
    let mut i = 0;
    while i < data.len() {
        let rest = &data[i..];
        match std::str::from_utf8(rest) {
            Ok(s) => {
                out.push_str(s);
                i = data.len();
            }
            Err(e) => {
                let good = e.valid_up_to();
                // SAFETY-free: the prefix was validated by from_utf8.
                out.push_str(std::str::from_utf8(&rest[..good]).unwrap_or(""));
                i += good;
                let (n, reason) = match utf8_error_at(&data[i..]) {
                    Some(x) => x,
                    None => {
                        if !final_ {
                            break;
                        }
                        (data.len() - i, "unexpected end of data")
                    }
                };
                i = on_decode_error(vm, errors, "utf-8", data, i, i + n, reason, &mut out)?;
            }
        }
    }
    Ok((out, i))
}

/// At an invalid UTF-8 position: the length of the bad part and the reason, or None
/// when the data ends inside an otherwise valid sequence.
pub(crate) fn utf8_error_at(s: &[u8]) -> Option<(usize, &'static str)> {
    let b = s[0];
    let (len, lo, hi) = match b {
        0xC2..=0xDF => (2, 0x80, 0xBF),
        0xE0 => (3, 0xA0, 0xBF),
        0xE1..=0xEC | 0xEE..=0xEF => (3, 0x80, 0xBF),
        0xED => (3, 0x80, 0x9F),
        0xF0 => (4, 0x90, 0xBF),
        0xF1..=0xF3 => (4, 0x80, 0xBF),
        0xF4 => (4, 0x80, 0x8F),
        _ => return Some((1, "invalid start byte")),
    };
    for k in 1..len {
        let &c = s.get(k)?;
        let (l, h) = if k == 1 { (lo, hi) } else { (0x80, 0xBF) };
        if !(l..=h).contains(&c) {
            return Some((k, "invalid continuation byte"));
        }
    }
    Some((1, "invalid start byte"))
}

pub fn utf8_encode(s: &str) -> Vec<u8> {
    s.as_bytes().to_vec()
}

/// UTF-8 of a str that may hold lone surrogates (`surr`): they go to the error handler
/// (`surrogatepass`, `surrogateescape`, ...), as CPython's "surrogates not allowed".
pub fn utf8_encode_text(vm: &mut Vm, s: &str, errors: &str, surr: bool) -> PyResult<Vec<u8>> {
    if !surr {
        return Ok(utf8_encode(s));
    }
    encode_mapped(
        vm,
        "utf-8",
        s,
        errors,
        "surrogates not allowed",
        &|c| Some(c.encode_utf8(&mut [0; 4]).as_bytes().to_vec()),
        true,
    )
}

/// UTF-16 or UTF-32 (`wide32`) of a str holding lone surrogates, in byte order
/// `byteorder` (0: native with a BOM).
pub fn wide_encode_surrogates(
    vm: &mut Vm,
    s: &str,
    errors: &str,
    byteorder: i32,
    wide32: bool,
) -> PyResult<Vec<u8>> {
    let big = byteorder == 1;
    let name = match (wide32, byteorder) {
        (false, 0) => "utf-16",
        (false, 1) => "utf-16-be",
        (false, _) => "utf-16-le",
        (true, 0) => "utf-32",
        (true, 1) => "utf-32-be",
        (true, _) => "utf-32-le",
    };
    let unit = move |c: char| {
        let mut v = vec![];
        if wide32 {
            let u = c as u32;
            v.extend(if big {
                u.to_be_bytes()
            } else {
                u.to_le_bytes()
            });
        } else {
            for u in c.encode_utf16(&mut [0; 2]) {
                v.extend(if big {
                    u.to_be_bytes()
                } else {
                    u.to_le_bytes()
                });
            }
        }
        Some(v)
    };
    let body = encode_mapped(vm, name, s, errors, "surrogates not allowed", &unit, true)?;
    let mut out = match (byteorder, wide32) {
        (0, false) => vec![0xFF, 0xFE],
        (0, true) => vec![0xFF, 0xFE, 0, 0],
        _ => vec![],
    };
    out.extend(body);
    Ok(out)
}

// ---- single-byte codecs ---------------------------------------------------------------------

/// Encode with a per-character mapping; unmappable runs go to the error handler.
pub fn encode_mapped(
    vm: &mut Vm,
    encoding: &str,
    s: &str,
    errors: &str,
    reason: &str,
    map: &dyn Fn(char) -> Option<Vec<u8>>,
    surr: bool,
) -> PyResult<Vec<u8>> {
    // In a flagged str the mapped code points are surrogates, which no codec maps.
    let map = |c: char| {
        if surr && is_mapped(c) { None } else { map(c) }
    };
    let mut out = Vec::with_capacity(s.len());
    if s.is_ascii() && map('a').is_some() && encoding != "charmap" {
        out.extend_from_slice(s.as_bytes());
        return Ok(out);
    }
    let chars: Vec<char> = s.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        if let Some(b) = map(chars[i]) {
            out.extend_from_slice(&b);
            i += 1;
            continue;
        }
        let mut j = i + 1;
        while j < chars.len() && map(chars[j]).is_none() {
            j += 1;
        }
        let (rep, next) = on_encode_error(vm, errors, encoding, &chars, i, j, reason, surr)?;
        match rep {
            Replacement::Bytes(b) => out.extend_from_slice(&b),
            Replacement::Text(t) => {
                for c in t.chars() {
                    match map(c) {
                        Some(b) => out.extend_from_slice(&b),
                        None => {
                            let all: String = chars.iter().collect();
                            let obj = crate::types::str::new_string_flagged(all, surr);
                            let e = crate::builtins::unicode_errors::encode_error_obj(
                                vm, encoding, obj, i, j, reason,
                            );
                            return Err(crate::vm::PyErr { exc: e });
                        }
                    }
                }
            }
        }
        i = next;
    }
    Ok(out)
}

pub fn latin1_encode(vm: &mut Vm, s: &str, errors: &str, surr: bool) -> PyResult<Vec<u8>> {
    encode_mapped(
        vm,
        "latin-1",
        s,
        errors,
        "ordinal not in range(256)",
        &|c| ((c as u32) < 256).then(|| vec![c as u32 as u8]),
        surr,
    )
}

pub fn ascii_encode(vm: &mut Vm, s: &str, errors: &str, surr: bool) -> PyResult<Vec<u8>> {
    encode_mapped(
        vm,
        "ascii",
        s,
        errors,
        "ordinal not in range(128)",
        &|c| c.is_ascii().then(|| vec![c as u8]),
        surr,
    )
}

pub fn latin1_decode(data: &[u8]) -> String {
    data.iter().map(|b| *b as char).collect()
}

pub fn ascii_decode(vm: &mut Vm, data: &[u8], errors: &str) -> PyResult<(String, usize)> {
    if data.is_ascii() {
        // SAFETY-free: ASCII is valid UTF-8.
        return Ok((String::from_utf8_lossy(data).into_owned(), data.len()));
    }
    decode_loop(vm, "ascii", data, errors, true, |d, i| {
        if d[i] < 0x80 {
            Step::Char(d[i] as char, 1)
        } else {
            Step::Bad(1, "ordinal not in range(128)")
        }
    })
}

// ---- UTF-16 and UTF-32 ------------------------------------------------------------------------

/// Byte order: -1 little-endian, 1 big-endian, 0 not known yet (read a BOM).
pub fn utf16_decode(
    vm: &mut Vm,
    data: &[u8],
    errors: &str,
    byteorder: &mut i32,
    final_: bool,
) -> PyResult<(String, usize)> {
    let mut start = 0;
    if *byteorder == 0 && data.len() >= 2 {
        match (data[0], data[1]) {
            (0xFF, 0xFE) => {
                *byteorder = -1;
                start = 2;
            }
            (0xFE, 0xFF) => {
                *byteorder = 1;
                start = 2;
            }
            _ => {}
        }
    } else if *byteorder == 0 && !final_ {
        return Ok((String::new(), 0));
    }
    let big = *byteorder == 1;
    let unit = |d: &[u8], i: usize| -> u16 {
        if big {
            u16::from_be_bytes([d[i], d[i + 1]])
        } else {
            u16::from_le_bytes([d[i], d[i + 1]])
        }
    };
    let name = match *byteorder {
        1 => "utf-16-be",
        -1 => "utf-16-le",
        _ => "utf-16-le",
    };
    let (s, n) = decode_loop(vm, name, &data[start..], errors, final_, |d, i| {
        if i + 2 > d.len() {
            return Step::Incomplete;
        }
        let u = unit(d, i);
        match u {
            0xD800..=0xDBFF => {
                if i + 4 > d.len() {
                    return Step::Incomplete;
                }
                let v = unit(d, i + 2);
                if (0xDC00..=0xDFFF).contains(&v) {
                    let c = 0x10000 + (((u as u32) - 0xD800) << 10) + ((v as u32) - 0xDC00);
                    Step::Char(char::from_u32(c).unwrap_or('\u{fffd}'), 4)
                } else {
                    Step::Bad(2, "illegal UTF-16 surrogate")
                }
            }
            0xDC00..=0xDFFF => Step::Bad(2, "illegal encoding"),
            _ => Step::Char(char::from_u32(u as u32).unwrap_or('\u{fffd}'), 2),
        }
    })?;
    Ok((s, n + start))
}

pub fn utf16_encode(s: &str, byteorder: i32) -> Vec<u8> {
    let mut out = Vec::with_capacity(s.len() * 2 + 2);
    if byteorder == 0 {
        out.extend_from_slice(&[0xFF, 0xFE]);
    }
    for u in s.encode_utf16() {
        if byteorder == 1 {
            out.extend_from_slice(&u.to_be_bytes());
        } else {
            out.extend_from_slice(&u.to_le_bytes());
        }
    }
    out
}

pub fn utf32_decode(
    vm: &mut Vm,
    data: &[u8],
    errors: &str,
    byteorder: &mut i32,
    final_: bool,
) -> PyResult<(String, usize)> {
    let mut start = 0;
    if *byteorder == 0 && data.len() >= 4 {
        match data[..4] {
            [0xFF, 0xFE, 0, 0] => {
                *byteorder = -1;
                start = 4;
            }
            [0, 0, 0xFE, 0xFF] => {
                *byteorder = 1;
                start = 4;
            }
            _ => {}
        }
    } else if *byteorder == 0 && !final_ {
        return Ok((String::new(), 0));
    }
    let big = *byteorder == 1;
    let name = if big { "utf-32-be" } else { "utf-32-le" };
    let (s, n) = decode_loop(vm, name, &data[start..], errors, final_, |d, i| {
        if i + 4 > d.len() {
            return Step::Incomplete;
        }
        let b = [d[i], d[i + 1], d[i + 2], d[i + 3]];
        let v = if big {
            u32::from_be_bytes(b)
        } else {
            u32::from_le_bytes(b)
        };
        match v {
            0xD800..=0xDFFF => Step::Bad(
                4,
                "code point in surrogate code point range(0xd800, 0xe000)",
            ),
            0x110000.. => Step::Bad(4, "code point not in range(0x110000)"),
            _ => Step::Char(char::from_u32(v).unwrap_or('\u{fffd}'), 4),
        }
    })?;
    Ok((s, n + start))
}

pub fn utf32_encode(s: &str, byteorder: i32) -> Vec<u8> {
    let mut out = Vec::with_capacity(s.len() * 4 + 4);
    if byteorder == 0 {
        out.extend_from_slice(&[0xFF, 0xFE, 0, 0]);
    }
    for c in s.chars() {
        let v = c as u32;
        if byteorder == 1 {
            out.extend_from_slice(&v.to_be_bytes());
        } else {
            out.extend_from_slice(&v.to_le_bytes());
        }
    }
    out
}
