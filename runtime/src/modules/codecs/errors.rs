//! Codec error handling: what happens to bytes a decoder cannot read and characters an
//! encoder cannot write, by the `errors=` name. The built-in handlers run in Rust; any
//! other name is looked up in the registry (`codecs.register_error`) and called with
//! the `UnicodeDecodeError` / `UnicodeEncodeError`, as CPython does.
use std::collections::HashMap;

use parking_lot::Mutex;

use crate::builtins::unicode_errors::{decode_error, encode_error_obj};
use crate::ops;
use crate::types::str::{as_str, as_str_flag, logical_cp, new_string_flagged, surrogate_char};
use crate::value::Value;
use crate::vm::{PyErr, PyResult, Vm};
use crate::world::types;

/// Handlers registered from Python (`codecs.register_error`), by name.
pub static HANDLERS: Mutex<Option<HashMap<String, Value>>> = Mutex::new(None);

pub fn register(name: &str, handler: Value) {
    HANDLERS
        .lock()
        .get_or_insert_with(HashMap::new)
        .insert(name.to_string(), handler);
}

pub fn lookup_custom(name: &str) -> Option<Value> {
    HANDLERS.lock().as_ref().and_then(|h| h.get(name).cloned())
}

/// A named error handler.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Handler {
    Strict,
    Ignore,
    Replace,
    BackslashReplace,
    XmlCharRefReplace,
    SurrogateEscape,
    SurrogatePass,
    NameReplace,
    Custom,
}

pub fn handler(errors: &str) -> Handler {
    match errors {
        "strict" => Handler::Strict,
        "ignore" => Handler::Ignore,
        "replace" => Handler::Replace,
        "backslashreplace" => Handler::BackslashReplace,
        "xmlcharrefreplace" => Handler::XmlCharRefReplace,
        "surrogateescape" => Handler::SurrogateEscape,
        "surrogatepass" => Handler::SurrogatePass,
        "namereplace" => Handler::NameReplace,
        _ => Handler::Custom,
    }
}

fn unknown_handler(vm: &mut Vm, errors: &str) -> PyErr {
    vm.err(
        types().lookup_error,
        format!("unknown error handler name '{errors}'"),
    )
}

/// Call a Python error handler with `exc`; returns its replacement and the position to
/// go on from (negative positions count from the end, as CPython allows).
fn call_custom(vm: &mut Vm, errors: &str, exc: Value, len: usize) -> PyResult<(Value, usize)> {
    let Some(h) = lookup_custom(errors) else {
        return Err(unknown_handler(vm, errors));
    };
    let r = vm.call(&h, &[exc])?;
    let items = ops::seq_items_fast(&r).filter(|v| v.len() == 2);
    let Some(items) = items.filter(|v| v[1].as_small_int().is_some()) else {
        return Err(vm.type_error("encoding error handler must return (str/bytes, int) tuple"));
    };
    let mut pos = items[1].as_small_int().unwrap_or(0);
    if pos < 0 {
        pos += len as i64;
    }
    if pos < 0 || pos as usize > len {
        return Err(vm.err(
            types().index_error,
            format!("position {pos} from error handler out of bounds"),
        ));
    }
    Ok((items[0].clone(), pos as usize))
}

/// Handle undecodable `data[start..end]`: append the replacement to `out` and return
/// where decoding goes on.
#[allow(
    clippy::too_many_arguments,
    reason = "the arguments of CPython's UnicodeDecodeError and its handler"
)]
pub fn on_decode_error(
    vm: &mut Vm,
    errors: &str,
    encoding: &str,
    data: &[u8],
    start: usize,
    end: usize,
    reason: &str,
    out: &mut String,
) -> PyResult<usize> {
    match handler(errors) {
        Handler::SurrogateEscape if data[start..end].iter().all(|&b| b >= 0x80) => {
            // PEP 383: each undecodable byte becomes the lone surrogate U+DC80..U+DCFF.
            for &b in &data[start..end] {
                out.push(surrogate_char(0xDC00 + b as u32));
            }
            Ok(end)
        }
        Handler::SurrogatePass
            if let Some((u, n)) = encoded_surrogate(encoding, &data[start..]) =>
        {
            out.push(surrogate_char(u));
            Ok(start + n)
        }
        Handler::Strict | Handler::SurrogateEscape | Handler::SurrogatePass => {
            let e = decode_error(vm, encoding, data, start, end, reason);
            Err(PyErr { exc: e })
        }
        Handler::Ignore => Ok(end),
        Handler::Replace => {
            out.push('\u{fffd}');
            Ok(end)
        }
        Handler::BackslashReplace => {
            for b in &data[start..end] {
                out.push_str(&format!("\\x{b:02x}"));
            }
            Ok(end)
        }
        Handler::XmlCharRefReplace | Handler::NameReplace => {
            let e = decode_error(vm, encoding, data, start, end, reason);
            let name = if handler(errors) == Handler::NameReplace {
                "namereplace"
            } else {
                "xmlcharrefreplace"
            };
            Err(vm.type_error(format!(
                "don't know how to handle UnicodeDecodeError in error callback ({name}: {})",
                e.type_data().name
            )))
        }
        Handler::Custom => {
            let exc = decode_error(vm, encoding, data, start, end, reason);
            let (rep, pos) = call_custom(vm, errors, exc, data.len())?;
            match as_str(&rep) {
                Some(s) => out.push_str(s),
                None => {
                    return Err(
                        vm.type_error("decoding error handler must return (str, int) tuple")
                    );
                }
            }
            Ok(pos)
        }
    }
}

/// A surrogate encoded at the start of `d` in `encoding` (what `surrogatepass` lets
/// through): the surrogate and its length in bytes.
fn encoded_surrogate(encoding: &str, d: &[u8]) -> Option<(u32, usize)> {
    let u = match encoding {
        "utf-8" => {
            if d.len() < 3
                || d[0] != 0xED
                || !(0xA0..=0xBF).contains(&d[1])
                || !(0x80..=0xBF).contains(&d[2])
            {
                return None;
            }
            return Some((
                0xD000 | ((d[1] as u32 & 0x3F) << 6) | (d[2] as u32 & 0x3F),
                3,
            ));
        }
        "utf-16-le" if d.len() >= 2 => (u16::from_le_bytes([d[0], d[1]]) as u32, 2),
        "utf-16-be" if d.len() >= 2 => (u16::from_be_bytes([d[0], d[1]]) as u32, 2),
        "utf-32-le" if d.len() >= 4 => (u32::from_le_bytes([d[0], d[1], d[2], d[3]]), 4),
        "utf-32-be" if d.len() >= 4 => (u32::from_be_bytes([d[0], d[1], d[2], d[3]]), 4),
        _ => return None,
    };
    (0xD800..0xE000).contains(&u.0).then_some(u)
}

/// The bytes `surrogatepass` writes for surrogate `u` in `encoding`.
fn surrogate_bytes(encoding: &str, u: u32) -> Option<Vec<u8>> {
    Some(match encoding {
        "utf-8" => vec![
            0xED,
            0x80 | ((u >> 6) & 0x3F) as u8,
            0x80 | (u & 0x3F) as u8,
        ],
        "utf-16-le" | "utf-16" => (u as u16).to_le_bytes().to_vec(),
        "utf-16-be" => (u as u16).to_be_bytes().to_vec(),
        "utf-32-le" | "utf-32" => u.to_le_bytes().to_vec(),
        "utf-32-be" => u.to_be_bytes().to_vec(),
        _ => return None,
    })
}

/// The replacement for unencodable `chars[start..end]`: either text to encode with the
/// same codec (`Ok(Err(text))`) or bytes to copy (`Ok(Ok(bytes))`), and the position
/// to go on from.
pub enum Replacement {
    Bytes(Vec<u8>),
    Text(String),
}

#[allow(
    clippy::too_many_arguments,
    reason = "the arguments of CPython's UnicodeEncodeError and its handler"
)]
pub fn on_encode_error(
    vm: &mut Vm,
    errors: &str,
    encoding: &str,
    chars: &[char],
    start: usize,
    end: usize,
    reason: &str,
    surr: bool,
) -> PyResult<(Replacement, usize)> {
    let bad: Vec<u32> = chars[start..end]
        .iter()
        .map(|&c| logical_cp(c, surr))
        .collect();
    let the_error = |vm: &mut Vm| {
        let s: String = chars.iter().collect();
        let e = encode_error_obj(
            vm,
            encoding,
            new_string_flagged(s, surr),
            start,
            end,
            reason,
        );
        PyErr { exc: e }
    };
    let text = match handler(errors) {
        Handler::SurrogateEscape if bad.iter().all(|u| (0xDC80..=0xDCFF).contains(u)) => {
            return Ok((
                Replacement::Bytes(bad.iter().map(|&u| (u - 0xDC00) as u8).collect()),
                end,
            ));
        }
        Handler::SurrogatePass if bad.iter().all(|u| (0xD800..0xE000).contains(u)) => {
            let mut out = vec![];
            for &u in &bad {
                match surrogate_bytes(encoding, u) {
                    Some(b) => out.extend(b),
                    None => return Err(the_error(vm)),
                }
            }
            return Ok((Replacement::Bytes(out), end));
        }
        Handler::Strict | Handler::SurrogateEscape | Handler::SurrogatePass => {
            return Err(the_error(vm));
        }
        Handler::Ignore => String::new(),
        Handler::Replace => "?".repeat(bad.len()),
        Handler::BackslashReplace => bad.iter().map(|&u| backslash_cp(u)).collect(),
        Handler::XmlCharRefReplace => bad.iter().map(|u| format!("&#{u};")).collect(),
        Handler::NameReplace => {
            return Err(vm.err(
                types().lookup_error,
                "stitch does not support the 'namereplace' error handler yet (it needs the Unicode name table)",
            ));
        }
        Handler::Custom => {
            let exc = the_error(vm).exc;
            let (rep, pos) = call_custom(vm, errors, exc, chars.len())?;
            if let Some((t, f)) = as_str_flag(&rep) {
                if f {
                    // A replacement holding surrogates cannot be encoded.
                    return Err(the_error(vm));
                }
                return Ok((Replacement::Text(t.to_string()), pos));
            }
            if let Some(b) = crate::types::bytes::as_bytes(&rep) {
                return Ok((Replacement::Bytes(b), pos));
            }
            return Err(vm.type_error("encoding error handler must return (str/bytes, int) tuple"));
        }
    };
    Ok((Replacement::Text(text), end))
}

/// `\xNN`, `\uNNNN` or `\UNNNNNNNN` for a character.
pub fn backslash(c: char) -> String {
    backslash_cp(c as u32)
}

/// `\xNN`, `\uNNNN` or `\UNNNNNNNN` for a code point (surrogates included).
pub fn backslash_cp(n: u32) -> String {
    if n < 0x100 {
        format!("\\x{n:02x}")
    } else if n < 0x10000 {
        format!("\\u{n:04x}")
    } else {
        format!("\\U{n:08x}")
    }
}
