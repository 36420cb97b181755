//! The escape codecs: `unicode_escape` and `raw_unicode_escape` (text <-> Python
//! string-literal escapes in Latin-1 bytes) and `escape_encode`/`escape_decode` (bytes
//! <-> bytes-literal escapes, used by `pickle` protocol 0 and `codecs.escape_decode`).
use super::errors::backslash;
use super::unicode::{Step, decode_loop};
use crate::vm::{PyResult, Vm};

fn hex_value(d: &[u8]) -> Option<u32> {
    let s = std::str::from_utf8(d).ok()?;
    u32::from_str_radix(s, 16).ok()
}

/// `\xhh`, `\uXXXX` or `\UXXXXXXXX` at `d[i]` (the byte after the backslash is the
/// letter at `i + 1`): a character, or the error CPython reports.
fn hex_escape(d: &[u8], i: usize, digits: usize) -> Step {
    let start = i + 2;
    let mut k = 0;
    while k < digits && start + k < d.len() && d[start + k].is_ascii_hexdigit() {
        k += 1;
    }
    let reason = match digits {
        2 => "truncated \\xXX escape",
        4 => "truncated \\uXXXX escape",
        _ => "truncated \\UXXXXXXXX escape",
    };
    if k < digits {
        return Step::Bad(2 + k, reason);
    }
    match hex_value(&d[start..start + digits]).and_then(char::from_u32) {
        Some(c) => Step::Char(c, 2 + digits),
        None => Step::Bad(2 + digits, "illegal Unicode character"),
    }
}

pub fn unicode_escape_decode(
    vm: &mut Vm,
    data: &[u8],
    errors: &str,
    final_: bool,
) -> PyResult<(String, usize)> {
    decode_loop(vm, "unicodeescape", data, errors, final_, |d, i| {
        let b = d[i];
        if b != b'\\' {
            return Step::Char(b as char, 1);
        }
        let Some(&e) = d.get(i + 1) else {
            return Step::Bad(1, "\\ at end of string");
        };
        let simple = match e {
            b'\n' => Some(None),
            b'\\' => Some(Some('\\')),
            b'\'' => Some(Some('\'')),
            b'"' => Some(Some('"')),
            b'b' => Some(Some('\x08')),
            b'f' => Some(Some('\x0c')),
            b't' => Some(Some('\t')),
            b'n' => Some(Some('\n')),
            b'r' => Some(Some('\r')),
            b'v' => Some(Some('\x0b')),
            b'a' => Some(Some('\x07')),
            _ => None,
        };
        match (simple, e) {
            (Some(Some(c)), _) => Step::Char(c, 2),
            // A backslash-newline is a line continuation: nothing.
            (Some(None), _) => Step::Skip(2),
            (None, b'0'..=b'7') => {
                let mut v = 0u32;
                let mut k = 1;
                while k <= 3 && i + k < d.len() && (b'0'..=b'7').contains(&d[i + k]) {
                    v = v * 8 + (d[i + k] - b'0') as u32;
                    k += 1;
                }
                Step::Char(char::from_u32(v).unwrap_or('\u{fffd}'), k)
            }
            (None, b'x') => hex_escape(d, i, 2),
            (None, b'u') => hex_escape(d, i, 4),
            (None, b'U') => hex_escape(d, i, 8),
            (None, b'N') => Step::Bad(2, "stitch cannot decode \\N{...} escapes yet"),
            (None, _) => Step::Char('\\', 1),
        }
    })
}

pub fn unicode_escape_encode(s: &str) -> Vec<u8> {
    let mut out = Vec::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '\\' => out.extend_from_slice(b"\\\\"),
            '\t' => out.extend_from_slice(b"\\t"),
            '\n' => out.extend_from_slice(b"\\n"),
            '\r' => out.extend_from_slice(b"\\r"),
            ' '..='~' => out.push(c as u8),
            _ => out.extend_from_slice(backslash(c).as_bytes()),
        }
    }
    out
}

pub fn raw_unicode_escape_decode(
    vm: &mut Vm,
    data: &[u8],
    errors: &str,
    final_: bool,
) -> PyResult<(String, usize)> {
    decode_loop(vm, "rawunicodeescape", data, errors, final_, |d, i| {
        let b = d[i];
        if b != b'\\' {
            return Step::Char(b as char, 1);
        }
        // Only an odd run of backslashes escapes: count the ones before this one.
        let mut before = 0;
        while before < i && d[i - 1 - before] == b'\\' {
            before += 1;
        }
        if before % 2 == 1 {
            return Step::Char('\\', 1);
        }
        match d.get(i + 1) {
            Some(b'u') => hex_escape(d, i, 4),
            Some(b'U') => hex_escape(d, i, 8),
            _ => Step::Char('\\', 1),
        }
    })
}

pub fn raw_unicode_escape_encode(s: &str) -> Vec<u8> {
    let mut out = Vec::with_capacity(s.len());
    for c in s.chars() {
        let n = c as u32;
        if n < 0x100 {
            out.push(n as u8);
        } else {
            out.extend_from_slice(backslash(c).as_bytes());
        }
    }
    out
}

/// Bytes-literal escapes to bytes; errors as CPython's `escape_decode`.
pub fn escape_decode(data: &[u8]) -> Result<Vec<u8>, String> {
    let mut out = Vec::with_capacity(data.len());
    let mut i = 0;
    while i < data.len() {
        let b = data[i];
        if b != b'\\' {
            out.push(b);
            i += 1;
            continue;
        }
        let Some(&e) = data.get(i + 1) else {
            return Err("Trailing \\ in string".into());
        };
        i += 2;
        match e {
            b'\n' => {}
            b'\\' => out.push(b'\\'),
            b'\'' => out.push(b'\''),
            b'"' => out.push(b'"'),
            b'b' => out.push(8),
            b'f' => out.push(12),
            b't' => out.push(b'\t'),
            b'n' => out.push(b'\n'),
            b'r' => out.push(b'\r'),
            b'v' => out.push(11),
            b'a' => out.push(7),
            b'0'..=b'7' => {
                let mut v = (e - b'0') as u32;
                let mut k = 0;
                while k < 2 && i < data.len() && (b'0'..=b'7').contains(&data[i]) {
                    v = v * 8 + (data[i] - b'0') as u32;
                    i += 1;
                    k += 1;
                }
                out.push(v as u8);
            }
            b'x' => {
                let h = data.get(i..i + 2).and_then(hex_value);
                match h {
                    Some(v) => {
                        out.push(v as u8);
                        i += 2;
                    }
                    None => return Err(format!("invalid \\x escape at position {}", i - 2)),
                }
            }
            _ => {
                out.push(b'\\');
                out.push(e);
            }
        }
    }
    Ok(out)
}

pub fn escape_encode(data: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(data.len());
    for &b in data {
        match b {
            b'\\' => out.extend_from_slice(b"\\\\"),
            b'\'' => out.extend_from_slice(b"\\'"),
            b'\t' => out.extend_from_slice(b"\\t"),
            b'\n' => out.extend_from_slice(b"\\n"),
            b'\r' => out.extend_from_slice(b"\\r"),
            32..=126 => out.push(b),
            _ => out.extend_from_slice(format!("\\x{b:02x}").as_bytes()),
        }
    }
    out
}
