//! Codec error handling: what happens to bytes a decoder cannot read and characters an
//! encoder cannot write, by the `errors=` name. The built-in handlers run in Rust; any
//! other name is looked up in the registry (`codecs.register_error`) and called with
//! the `UnicodeDecodeError` / `UnicodeEncodeError`, as CPython does.
use std::collections::HashMap;

use parking_lot::Mutex;

use crate::builtins::unicode_errors::{decode_error, encode_error};
use crate::ops;
use crate::types::str::as_str;
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
        Handler::Strict | Handler::SurrogateEscape | Handler::SurrogatePass => {
            // stitch's strings hold Unicode scalar values only, so the two surrogate
            // handlers cannot represent their result: the error is raised instead.
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
) -> PyResult<(Replacement, usize)> {
    let bad = &chars[start..end];
    let text = match handler(errors) {
        Handler::Strict | Handler::SurrogateEscape | Handler::SurrogatePass => {
            let s: String = chars.iter().collect();
            let e = encode_error(vm, encoding, &s, start, end, reason);
            return Err(PyErr { exc: e });
        }
        Handler::Ignore => String::new(),
        Handler::Replace => "?".repeat(bad.len()),
        Handler::BackslashReplace => bad.iter().map(|c| backslash(*c)).collect(),
        Handler::XmlCharRefReplace => bad.iter().map(|c| format!("&#{};", *c as u32)).collect(),
        Handler::NameReplace => {
            return Err(vm.err(
                types().lookup_error,
                "stitch does not support the 'namereplace' error handler yet (it needs the Unicode name table)",
            ));
        }
        Handler::Custom => {
            let s: String = chars.iter().collect();
            let exc = encode_error(vm, encoding, &s, start, end, reason);
            let (rep, pos) = call_custom(vm, errors, exc, chars.len())?;
            if let Some(t) = as_str(&rep) {
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
    let n = c as u32;
    if n < 0x100 {
        format!("\\x{n:02x}")
    } else if n < 0x10000 {
        format!("\\u{n:04x}")
    } else {
        format!("\\U{n:08x}")
    }
}
