//! `_json`: the accelerator of the Lib's `json` package. `scanstring` and
//! `make_scanner` (the whole decoder: it calls back into Python only for the hooks and
//! custom number parsers), `make_encoder` (the one-shot encoder `json.dumps` uses when
//! `indent` is None) and the two string escapers, with CPython's error messages and
//! positions.
//!
//! Positions: Python indexes strings by code point, stitch keeps str as UTF-8. All of
//! JSON's syntax is ASCII, so the scanner walks the bytes and converts a byte offset to
//! a code point index only where one is reported (an error, the end of a scan).
mod encoder;
mod scanner;

use crate::modules::native_args::{module, set};
use crate::types::str::as_str;
use crate::value::Value;
use crate::vm::{Args, PyResult, Vm};

pub fn init(_vm: &mut Vm) -> PyResult<Value> {
    let m = module(
        "_json",
        &[
            ("scanstring", scanner::scanstring),
            ("encode_basestring_ascii", encode_basestring_ascii),
            ("encode_basestring", encode_basestring),
        ],
    );
    set(&m, "make_scanner", scanner::make_type());
    set(&m, "make_encoder", encoder::make_type());
    Ok(m)
}

/// The str argument of the escapers.
fn str_arg<'a>(vm: &mut Vm, a: &Args<'a>, fname: &str) -> PyResult<&'a str> {
    let p = crate::modules::native_args::positional(vm, fname, a.pos(), 1, 1)?;
    crate::modules::native_args::no_kw(vm, fname, a)?;
    match as_str(&p[0]) {
        Some(s) => Ok(s),
        None => {
            let tn = crate::modules::native_args::type_name(&p[0]);
            Err(vm.type_error(format!("first argument must be a string, not {tn}")))
        }
    }
}

/// `encode_basestring_ascii(s)`: a JSON string literal with every non-ASCII code point
/// escaped (`\uXXXX`, surrogate pairs above the BMP).
pub fn encode_basestring_ascii(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let s = str_arg(vm, a, "encode_basestring_ascii")?;
    let surr = crate::types::str::is_flagged(&a.pos()[0]);
    let mut out = String::with_capacity(s.len() + 2);
    write_ascii(&mut out, s, surr);
    Ok(crate::types::str::new_string_len(out.clone(), out.len()))
}

/// `encode_basestring(s)`: a JSON string literal escaping only `"`, `\` and controls.
pub fn encode_basestring(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let s = str_arg(vm, a, "encode_basestring")?;
    let mut out = String::with_capacity(s.len() + 2);
    write_unicode(&mut out, s);
    let surr = crate::types::str::is_flagged(&a.pos()[0]);
    Ok(crate::types::str::new_string_flagged(out, surr))
}

const HEX: &[u8; 16] = b"0123456789abcdef";

fn push_u(out: &mut String, c: u32) {
    out.push_str("\\u");
    for shift in [12, 8, 4, 0] {
        out.push(HEX[((c >> shift) & 0xf) as usize] as char);
    }
}

/// The escape of an ASCII byte, if it needs one (the short forms first).
#[inline]
fn short_escape(b: u8) -> Option<&'static str> {
    Some(match b {
        b'"' => "\\\"",
        b'\\' => "\\\\",
        b'\n' => "\\n",
        b'\r' => "\\r",
        b'\t' => "\\t",
        0x08 => "\\b",
        0x0c => "\\f",
        _ => return None,
    })
}

/// Append `s` as an ASCII-only JSON string literal (`surr`: `s` holds lone surrogates,
/// which are written as their own `\uXXXX`).
pub(crate) fn write_ascii(out: &mut String, s: &str, surr: bool) {
    out.push('"');
    if s.is_ascii() {
        let b = s.as_bytes();
        let mut start = 0;
        for (i, &c) in b.iter().enumerate() {
            if (0x20..0x7f).contains(&c) && c != b'"' && c != b'\\' {
                continue;
            }
            out.push_str(&s[start..i]);
            match short_escape(c) {
                Some(e) => out.push_str(e),
                None => push_u(out, c as u32),
            }
            start = i + 1;
        }
        out.push_str(&s[start..]);
    } else {
        for ch in s.chars() {
            let c = ch as u32;
            if (0x20..0x7f).contains(&c) && ch != '"' && ch != '\\' {
                out.push(ch);
            } else if let Some(e) = short_escape(c as u8).filter(|_| c < 0x80) {
                out.push_str(e);
            } else if surr && crate::types::str::is_mapped(ch) {
                push_u(out, crate::types::str::logical_cp(ch, true));
            } else if c >= 0x10000 {
                let v = c - 0x10000;
                push_u(out, 0xd800 | (v >> 10));
                push_u(out, 0xdc00 | (v & 0x3ff));
            } else {
                push_u(out, c);
            }
        }
    }
    out.push('"');
}

/// Append `s` as a JSON string literal keeping non-ASCII code points.
pub(crate) fn write_unicode(out: &mut String, s: &str) {
    out.push('"');
    let b = s.as_bytes();
    let mut start = 0;
    for (i, &c) in b.iter().enumerate() {
        if c >= 0x20 && c != b'"' && c != b'\\' {
            continue;
        }
        out.push_str(&s[start..i]);
        match short_escape(c) {
            Some(e) => out.push_str(e),
            None => push_u(out, c as u32),
        }
        start = i + 1;
    }
    out.push_str(&s[start..]);
    out.push('"');
}
