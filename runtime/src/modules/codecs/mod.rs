//! `_codecs`: the codec registry and the codecs CPython writes in C. The Lib's
//! `codecs` module and `encodings` package are built on it: `encodings` registers a
//! search function that maps an encoding name to a `CodecInfo` whose functions are
//! the ones below (`utf_8_decode`, `charmap_decode` with a table, ...).
//!
//! `str.encode` and `bytes.decode` call [`encode_str`] / [`decode_bytes`], which run
//! UTF-8, ASCII and Latin-1 directly and go through the registry for every other name
//! (importing `encodings` the first time, as CPython does at start-up).
pub mod errors;
mod escape;
pub(crate) mod unicode;

use std::collections::HashMap;

use parking_lot::Mutex;

use crate::builtins::module_with;
use crate::ops;
use crate::types::bytes::{BytesObj, as_bytes};
use crate::types::dict::DictObj;
use crate::types::str::{as_str, as_str_flag, new_str, new_string};
use crate::types::tuple::TupleObj;
use crate::value::Value;
use crate::vm::{Args, PyResult, Vm};
use crate::world::types;

pub fn init(_vm: &mut Vm) -> PyResult<Value> {
    Ok(module_with(
        "_codecs",
        &[
            ("register", register),
            ("unregister", unregister),
            ("lookup", lookup_fn),
            ("encode", encode_fn),
            ("decode", decode_fn),
            ("register_error", register_error),
            ("lookup_error", lookup_error),
            ("_forget_codec", forget_codec),
            ("utf_8_encode", utf_8_encode),
            ("utf_8_decode", utf_8_decode),
            ("latin_1_encode", latin_1_encode),
            ("latin_1_decode", latin_1_decode),
            ("ascii_encode", ascii_encode),
            ("ascii_decode", ascii_decode),
            ("utf_16_encode", utf_16_encode),
            ("utf_16_le_encode", utf_16_le_encode),
            ("utf_16_be_encode", utf_16_be_encode),
            ("utf_16_decode", utf_16_decode),
            ("utf_16_le_decode", utf_16_le_decode),
            ("utf_16_be_decode", utf_16_be_decode),
            ("utf_16_ex_decode", utf_16_ex_decode),
            ("utf_32_encode", utf_32_encode),
            ("utf_32_le_encode", utf_32_le_encode),
            ("utf_32_be_encode", utf_32_be_encode),
            ("utf_32_decode", utf_32_decode),
            ("utf_32_le_decode", utf_32_le_decode),
            ("utf_32_be_decode", utf_32_be_decode),
            ("utf_32_ex_decode", utf_32_ex_decode),
            ("unicode_escape_encode", unicode_escape_encode),
            ("unicode_escape_decode", unicode_escape_decode),
            ("raw_unicode_escape_encode", raw_unicode_escape_encode),
            ("raw_unicode_escape_decode", raw_unicode_escape_decode),
            ("escape_encode", escape_encode),
            ("escape_decode", escape_decode),
            ("charmap_build", charmap_build),
            ("charmap_encode", charmap_encode),
            ("charmap_decode", charmap_decode),
            ("readbuffer_encode", readbuffer_encode),
            ("strict_errors", strict_errors),
            ("ignore_errors", ignore_errors),
            ("replace_errors", replace_errors),
            ("backslashreplace_errors", backslashreplace_errors),
            ("xmlcharrefreplace_errors", xmlcharrefreplace_errors),
        ],
    ))
}

// ---- the registry ----------------------------------------------------------------------------

struct Registry {
    search: Vec<Value>,
    cache: HashMap<String, Value>,
}

/// Search functions and looked-up codecs, shared by all threads (their reference
/// counts are safe to change from any thread). Emptied at shutdown ([`clear`]).
static REGISTRY: Mutex<Option<Registry>> = Mutex::new(None);

fn with_registry<R>(f: impl FnOnce(&mut Registry) -> R) -> R {
    let mut g = REGISTRY.lock();
    f(g.get_or_insert_with(|| Registry {
        search: Vec::new(),
        cache: HashMap::new(),
    }))
}

/// CPython's normalisation before searching: lower case, spaces to underscores.
fn normalize(name: &str) -> String {
    name.chars()
        .map(|c| {
            if c == ' ' {
                '_'
            } else {
                c.to_ascii_lowercase()
            }
        })
        .collect()
}

/// The `CodecInfo` for `encoding`, importing `encodings` (which registers the
/// standard search function) the first time.
pub fn lookup(vm: &mut Vm, encoding: &str) -> PyResult<Value> {
    let key = normalize(encoding);
    if let Some(c) = with_registry(|r| r.cache.get(&key).cloned()) {
        return Ok(c);
    }
    if with_registry(|r| r.search.is_empty()) {
        crate::import::import_module(vm, "encodings")?;
    }
    let search = with_registry(|r| r.search.clone());
    for f in search {
        let r = vm.call(&f, &[new_str(&key)])?;
        if r.is_none() {
            continue;
        }
        if ops::seq_items_fast(&r).is_none_or(|t| t.len() < 4) {
            return Err(vm.type_error("codec search functions must return 4-tuples"));
        }
        with_registry(|reg| reg.cache.insert(key, r.clone()));
        return Ok(r);
    }
    Err(vm.err(
        types().lookup_error,
        format!("unknown encoding: {encoding}"),
    ))
}

/// Drop every registered search function, cached codec and error handler (at
/// shutdown, as CPython's interpreter finalisation clears its codec state).
pub fn clear() {
    let taken = REGISTRY.lock().take();
    drop(taken);
    let handlers = errors::HANDLERS.lock().take();
    drop(handlers);
}

fn register(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let p = crate::builtins::posargs(vm, "register", a, 1, 1)?;
    if !ops::callable(&p[0]) {
        return Err(vm.type_error("argument must be callable"));
    }
    with_registry(|r| r.search.push(p[0].clone()));
    Ok(Value::none())
}

fn unregister(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let p = crate::builtins::posargs(vm, "unregister", a, 1, 1)?;
    with_registry(|r| {
        r.search.retain(|f| !f.is(&p[0]));
        r.cache.clear();
    });
    Ok(Value::none())
}

fn forget_codec(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let p = crate::builtins::posargs(vm, "_forget_codec", a, 1, 1)?;
    let name = str_arg(vm, &p[0], "_forget_codec")?;
    with_registry(|r| r.cache.remove(&normalize(&name)));
    Ok(Value::none())
}

fn lookup_fn(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let p = crate::builtins::posargs(vm, "lookup", a, 1, 1)?;
    let name = str_arg(vm, &p[0], "lookup")?;
    lookup(vm, &name)
}

fn register_error(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let p = crate::builtins::posargs(vm, "register_error", a, 2, 2)?;
    let name = str_arg(vm, &p[0], "register_error")?;
    if !ops::callable(&p[1]) {
        return Err(vm.type_error("handler must be callable"));
    }
    errors::register(&name, p[1].clone());
    Ok(Value::none())
}

fn lookup_error(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let p = crate::builtins::posargs(vm, "lookup_error", a, 1, 1)?;
    let name = str_arg(vm, &p[0], "lookup_error")?;
    if let Some(h) = errors::lookup_custom(&name) {
        return Ok(h);
    }
    let f: Option<(&'static str, crate::types::func::NativeFn)> = match name.as_str() {
        "strict" => Some(("strict_errors", strict_errors)),
        "ignore" => Some(("ignore_errors", ignore_errors)),
        "replace" => Some(("replace_errors", replace_errors)),
        "backslashreplace" => Some(("backslashreplace_errors", backslashreplace_errors)),
        "xmlcharrefreplace" => Some(("xmlcharrefreplace_errors", xmlcharrefreplace_errors)),
        "surrogateescape" => Some(("surrogateescape", surrogateescape_errors)),
        "surrogatepass" => Some(("surrogatepass", surrogatepass_errors)),
        _ => None,
    };
    match f {
        Some((n, f)) => Ok(crate::types::func::new_builtin(n, f)),
        None => Err(vm.err(
            types().lookup_error,
            format!("unknown error handler name '{name}'"),
        )),
    }
}

// ---- encode / decode through the registry -----------------------------------------------------

/// Names whose codecs run directly (CPython's fast paths for the same three).
fn fast_name(encoding: &str) -> Option<&'static str> {
    let n: String = encoding
        .chars()
        .map(|c| match c {
            '_' | ' ' => '-',
            c => c.to_ascii_lowercase(),
        })
        .collect();
    match n.as_str() {
        "utf-8" | "utf8" | "u8" | "utf" | "cp65001" => Some("utf-8"),
        "ascii" | "us-ascii" | "646" => Some("ascii"),
        "latin-1" | "latin1" | "iso-8859-1" | "iso8859-1" | "l1" | "8859" | "cp819" | "latin" => {
            Some("latin-1")
        }
        _ => None,
    }
}

/// `str.encode(encoding, errors)`.
pub fn encode_str(vm: &mut Vm, s: &str, encoding: &str, errors: &str) -> PyResult<Value> {
    encode_text(vm, s, false, encoding, errors)
}

/// `str.encode` of a str that holds lone surrogates when `surr` is set.
pub fn encode_text(
    vm: &mut Vm,
    s: &str,
    surr: bool,
    encoding: &str,
    errors: &str,
) -> PyResult<Value> {
    let out = match fast_name(encoding) {
        Some("utf-8") => unicode::utf8_encode_text(vm, s, errors, surr)?,
        Some("ascii") => unicode::ascii_encode(vm, s, errors, surr)?,
        Some(_) => unicode::latin1_encode(vm, s, errors, surr)?,
        None => {
            let codec = lookup(vm, encoding)?;
            let arg = crate::types::str::new_string_flagged(s.to_string(), surr);
            let r = call_codec(vm, &codec, 0, arg, errors, "encoder")?;
            if as_bytes(&r).is_none() {
                let tn = r.type_data().name.clone();
                return Err(vm.type_error(format!(
                    "'{encoding}' encoder returned '{tn}' instead of 'bytes'; use codecs.encode() to encode to arbitrary types"
                )));
            }
            return Ok(r);
        }
    };
    Ok(BytesObj::new_value(out))
}

/// `bytes.decode(encoding, errors)`.
pub fn decode_bytes(vm: &mut Vm, data: &[u8], encoding: &str, errors: &str) -> PyResult<Value> {
    let s = match fast_name(encoding) {
        Some("utf-8") => unicode::utf8_decode(vm, data, errors, true)?.0,
        Some("ascii") => unicode::ascii_decode(vm, data, errors)?.0,
        Some(_) => unicode::latin1_decode(data),
        None => {
            let codec = lookup(vm, encoding)?;
            let arg = BytesObj::new_value(data.to_vec());
            let r = call_codec(vm, &codec, 1, arg, errors, "decoder")?;
            if as_str(&r).is_none() {
                let tn = r.type_data().name.clone();
                return Err(vm.type_error(format!(
                    "'{encoding}' decoder returned '{tn}' instead of 'str'; use codecs.decode() to decode to arbitrary types"
                )));
            }
            return Ok(r);
        }
    };
    Ok(decoded(s, errors))
}

/// Call the codec's encoder (index 0) or decoder (1) and check its `(result, length)`.
fn call_codec(
    vm: &mut Vm,
    codec: &Value,
    index: usize,
    arg: Value,
    errors: &str,
    what: &str,
) -> PyResult<Value> {
    let f = ops::seq_items_fast(codec).unwrap_or_default()[index].clone();
    let r = vm.call(&f, &[arg, new_str(errors)])?;
    match ops::seq_items_fast(&r) {
        Some(t) if t.len() == 2 && r.downcast::<TupleObj>().is_some() => Ok(t[0].clone()),
        _ => Err(vm.type_error(format!("{what} must return a tuple (object, integer)"))),
    }
}

fn opt_errors(vm: &mut Vm, v: Option<&Value>) -> PyResult<String> {
    match v {
        None => Ok("strict".into()),
        Some(v) if v.is_none() => Ok("strict".into()),
        Some(v) => str_arg(vm, v, "errors"),
    }
}

fn str_arg(vm: &mut Vm, v: &Value, what: &str) -> PyResult<String> {
    match as_str(v) {
        Some(s) => Ok(s.to_string()),
        None => Err(vm.type_error(format!(
            "{what}() argument must be str, not {}",
            v.type_data().name
        ))),
    }
}

/// Positional-or-keyword argument `i` named `name`.
fn arg<'a>(a: &Args<'a>, i: usize, name: &str) -> Option<&'a Value> {
    a.pos().get(i).or_else(|| a.get_kw(name))
}

fn encode_fn(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let Some(obj) = arg(a, 0, "obj") else {
        return Err(vm.type_error("encode() missing required argument 'obj' (pos 1)"));
    };
    let enc = match arg(a, 1, "encoding") {
        Some(e) => str_arg(vm, e, "encode")?,
        None => "utf-8".into(),
    };
    let errors = opt_errors(vm, arg(a, 2, "errors"))?;
    if let (Some((s, surr)), Some(_)) = (as_str_flag(obj), fast_name(&enc)) {
        return encode_text(vm, s, surr, &enc, &errors);
    }
    let codec = lookup(vm, &enc)?;
    call_codec(vm, &codec, 0, obj.clone(), &errors, "encoder")
}

fn decode_fn(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let Some(obj) = arg(a, 0, "obj") else {
        return Err(vm.type_error("decode() missing required argument 'obj' (pos 1)"));
    };
    let enc = match arg(a, 1, "encoding") {
        Some(e) => str_arg(vm, e, "decode")?,
        None => "utf-8".into(),
    };
    let errors = opt_errors(vm, arg(a, 2, "errors"))?;
    if let (Some(b), Some(_)) = (as_bytes(obj), fast_name(&enc)) {
        return decode_bytes(vm, &b, &enc, &errors);
    }
    let codec = lookup(vm, &enc)?;
    call_codec(vm, &codec, 1, obj.clone(), &errors, "decoder")
}

// ---- the per-codec functions -------------------------------------------------------------------

fn text_arg(vm: &mut Vm, a: &Args, fname: &str) -> PyResult<String> {
    text_arg_flag(vm, a, fname).map(|t| t.0)
}

/// The str argument and whether it holds lone surrogates.
fn text_arg_flag(vm: &mut Vm, a: &Args, fname: &str) -> PyResult<(String, bool)> {
    match a.pos().first() {
        Some(v) => match as_str_flag(v) {
            Some((s, f)) => Ok((s.to_string(), f)),
            None => Err(vm.type_error(format!(
                "{fname}() argument 1 must be str, not {}",
                v.type_data().name
            ))),
        },
        None => Err(vm.type_error(format!("{fname}() missing required argument 'str' (pos 1)"))),
    }
}

fn data_arg(vm: &mut Vm, a: &Args, fname: &str) -> PyResult<Vec<u8>> {
    match a.pos().first() {
        Some(v) => match crate::modules::buffer::bytes_like(v) {
            Some(b) => Ok(b.into_owned()),
            None if as_str(v).is_some() && fname.contains("escape") => {
                Ok(as_str(v).unwrap_or("").as_bytes().to_vec())
            }
            None => Err(vm.type_error(format!(
                "a bytes-like object is required, not '{}'",
                v.type_data().name
            ))),
        },
        None => Err(vm.type_error(format!(
            "{fname}() missing required argument 'data' (pos 1)"
        ))),
    }
}

fn final_arg(vm: &mut Vm, a: &Args, i: usize) -> PyResult<bool> {
    match arg(a, i, "final") {
        Some(v) => ops::truthy(vm, v),
        None => Ok(false),
    }
}

fn bytes_result(data: Vec<u8>, consumed: usize) -> Value {
    TupleObj::from_iter([BytesObj::new_value(data), Value::int(consumed as i64)])
}

fn str_result(s: String, consumed: usize, errors: &str) -> Value {
    TupleObj::from_iter([decoded(s, errors), Value::int(consumed as i64)])
}

/// A decoder's text as a str: the surrogate handlers (and Python handlers, whose
/// replacements may hold surrogates) put lone surrogates in it as mapped code points.
fn decoded(s: String, errors: &str) -> Value {
    let flag = matches!(
        errors::handler(errors),
        errors::Handler::SurrogateEscape | errors::Handler::SurrogatePass | errors::Handler::Custom
    );
    crate::types::str::new_string_flagged(s, flag)
}

fn utf_8_encode(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (s, surr) = text_arg_flag(vm, a, "utf_8_encode")?;
    let errors = opt_errors(vm, arg(a, 1, "errors"))?;
    let n = s.chars().count();
    let out = unicode::utf8_encode_text(vm, &s, &errors, surr)?;
    Ok(bytes_result(out, n))
}

fn utf_8_decode(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let d = data_arg(vm, a, "utf_8_decode")?;
    let errors = opt_errors(vm, arg(a, 1, "errors"))?;
    let fin = final_arg(vm, a, 2)?;
    let (s, n) = unicode::utf8_decode(vm, &d, &errors, fin)?;
    Ok(str_result(s, n, &errors))
}

fn latin_1_encode(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (s, surr) = text_arg_flag(vm, a, "latin_1_encode")?;
    let errors = opt_errors(vm, arg(a, 1, "errors"))?;
    let n = s.chars().count();
    let out = unicode::latin1_encode(vm, &s, &errors, surr)?;
    Ok(bytes_result(out, n))
}

fn latin_1_decode(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let d = data_arg(vm, a, "latin_1_decode")?;
    let n = d.len();
    Ok(str_result(unicode::latin1_decode(&d), n, "strict"))
}

fn ascii_encode(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (s, surr) = text_arg_flag(vm, a, "ascii_encode")?;
    let errors = opt_errors(vm, arg(a, 1, "errors"))?;
    let n = s.chars().count();
    let out = unicode::ascii_encode(vm, &s, &errors, surr)?;
    Ok(bytes_result(out, n))
}

fn ascii_decode(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let d = data_arg(vm, a, "ascii_decode")?;
    let errors = opt_errors(vm, arg(a, 1, "errors"))?;
    let (s, n) = unicode::ascii_decode(vm, &d, &errors)?;
    Ok(str_result(s, n, &errors))
}

fn wide_encode(
    vm: &mut Vm,
    a: &Args,
    fname: &str,
    order: Option<i32>,
    wide32: bool,
) -> PyResult<Value> {
    let (s, surr) = text_arg_flag(vm, a, fname)?;
    let order = match order {
        Some(o) => o,
        None => arg(a, 2, "byteorder")
            .and_then(|v| v.as_small_int())
            .unwrap_or(0)
            .signum() as i32,
    };
    let n = s.chars().count();
    if surr {
        let errors = opt_errors(vm, arg(a, 1, "errors"))?;
        let out = unicode::wide_encode_surrogates(vm, &s, &errors, order, wide32)?;
        return Ok(bytes_result(out, n));
    }
    let out = if wide32 {
        unicode::utf32_encode(&s, order)
    } else {
        unicode::utf16_encode(&s, order)
    };
    Ok(bytes_result(out, n))
}

fn wide_decode(
    vm: &mut Vm,
    a: &Args,
    fname: &str,
    order: i32,
    wide32: bool,
    ex: bool,
) -> PyResult<Value> {
    let d = data_arg(vm, a, fname)?;
    let errors = opt_errors(vm, arg(a, 1, "errors"))?;
    let (mut order, fin) = if ex {
        let o = arg(a, 2, "byteorder")
            .and_then(|v| v.as_small_int())
            .unwrap_or(0)
            .signum() as i32;
        (o, final_arg(vm, a, 3)?)
    } else {
        (order, final_arg(vm, a, 2)?)
    };
    let (s, n) = if wide32 {
        unicode::utf32_decode(vm, &d, &errors, &mut order, fin)?
    } else {
        unicode::utf16_decode(vm, &d, &errors, &mut order, fin)?
    };
    if ex {
        Ok(TupleObj::from_iter([
            decoded(s, &errors),
            Value::int(n as i64),
            Value::int(order as i64),
        ]))
    } else {
        Ok(str_result(s, n, &errors))
    }
}

macro_rules! wide_codecs {
    ($($enc:ident, $dec:ident, $order:expr, $wide32:expr;)*) => {$(
        fn $enc(vm: &mut Vm, a: &Args) -> PyResult<Value> {
            wide_encode(vm, a, stringify!($enc), $order, $wide32)
        }
        fn $dec(vm: &mut Vm, a: &Args) -> PyResult<Value> {
            wide_decode(vm, a, stringify!($dec), $order.unwrap_or(0), $wide32, false)
        }
    )*};
}

wide_codecs! {
    utf_16_encode, utf_16_decode, None, false;
    utf_16_le_encode, utf_16_le_decode, Some(-1), false;
    utf_16_be_encode, utf_16_be_decode, Some(1), false;
    utf_32_encode, utf_32_decode, None, true;
    utf_32_le_encode, utf_32_le_decode, Some(-1), true;
    utf_32_be_encode, utf_32_be_decode, Some(1), true;
}

fn utf_16_ex_decode(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    wide_decode(vm, a, "utf_16_ex_decode", 0, false, true)
}

fn utf_32_ex_decode(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    wide_decode(vm, a, "utf_32_ex_decode", 0, true, true)
}

fn unicode_escape_encode(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let s = text_arg(vm, a, "unicode_escape_encode")?;
    let n = s.chars().count();
    Ok(bytes_result(escape::unicode_escape_encode(&s), n))
}

fn unicode_escape_decode(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let d = data_arg(vm, a, "unicode_escape_decode")?;
    let errors = opt_errors(vm, arg(a, 1, "errors"))?;
    let fin = match arg(a, 2, "final") {
        Some(v) => ops::truthy(vm, v)?,
        None => true,
    };
    let (s, n) = escape::unicode_escape_decode(vm, &d, &errors, fin)?;
    Ok(str_result(s, n, &errors))
}

fn raw_unicode_escape_encode(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let s = text_arg(vm, a, "raw_unicode_escape_encode")?;
    let n = s.chars().count();
    Ok(bytes_result(escape::raw_unicode_escape_encode(&s), n))
}

fn raw_unicode_escape_decode(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let d = data_arg(vm, a, "raw_unicode_escape_decode")?;
    let errors = opt_errors(vm, arg(a, 1, "errors"))?;
    let fin = match arg(a, 2, "final") {
        Some(v) => ops::truthy(vm, v)?,
        None => true,
    };
    let (s, n) = escape::raw_unicode_escape_decode(vm, &d, &errors, fin)?;
    Ok(str_result(s, n, &errors))
}

fn escape_encode(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let Some(d) = a
        .pos()
        .first()
        .and_then(|v| v.downcast::<BytesObj>().map(|b| b.data.to_vec()))
    else {
        return Err(vm.type_error("escape_encode() argument 1 must be bytes"));
    };
    let n = d.len();
    Ok(bytes_result(escape::escape_encode(&d), n))
}

fn escape_decode(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let d = data_arg(vm, a, "escape_decode")?;
    let n = d.len();
    match escape::escape_decode(&d) {
        Ok(out) => Ok(bytes_result(out, n)),
        Err(m) => Err(vm.value_error(m)),
    }
}

fn readbuffer_encode(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let d = data_arg(vm, a, "readbuffer_encode")?;
    let n = d.len();
    Ok(bytes_result(d, n))
}

// ---- charmap ---------------------------------------------------------------------------------------

/// `charmap_build(decoding_table)`: the encoding map (a dict from code point to byte;
/// CPython uses a compact `EncodingMap` type for the same lookups).
fn charmap_build(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let table = text_arg(vm, a, "charmap_build")?;
    let d = DictObj::new_value();
    for (i, c) in table.chars().enumerate() {
        if c != '\u{fffe}' {
            ops::setitem(vm, &d, Value::int(c as i64), Value::int(i as i64))?;
        }
    }
    Ok(d)
}

fn charmap_decode(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let d = data_arg(vm, a, "charmap_decode")?;
    let errors = opt_errors(vm, arg(a, 1, "errors"))?;
    let mapping = arg(a, 2, "mapping").cloned().unwrap_or_else(Value::none);
    if mapping.is_none() {
        let n = d.len();
        return Ok(str_result(unicode::latin1_decode(&d), n, "strict"));
    }
    if let Some(table) = as_str(&mapping) {
        let table: Vec<char> = table.chars().collect();
        let (s, n) = unicode::decode_loop(vm, "charmap", &d, &errors, true, |d, i| {
            match table.get(d[i] as usize) {
                Some(&c) if c != '\u{fffe}' => unicode::Step::Char(c, 1),
                _ => unicode::Step::Bad(1, "character maps to <undefined>"),
            }
        })?;
        return Ok(str_result(s, n, &errors));
    }
    // A general mapping: byte -> int, str or None, looked up item by item.
    let mut out = String::with_capacity(d.len());
    let mut i = 0;
    while i < d.len() {
        let r = match ops::getitem(vm, &mapping, &Value::int(d[i] as i64)) {
            Ok(v) => Some(v),
            Err(e) if vm.err_matches(&e, types().lookup_error) => None,
            Err(e) => return Err(e),
        };
        let c = match r {
            Some(v) if as_str(&v).is_some() => {
                let s = as_str(&v).unwrap_or("").to_string();
                if s != "\u{fffe}" {
                    out.push_str(&s);
                    i += 1;
                    continue;
                }
                None
            }
            Some(v) if v.as_small_int().is_some() => {
                let n = v.as_small_int().unwrap_or(-1);
                match u32::try_from(n).ok().and_then(char::from_u32) {
                    Some(c) if n != 0xFFFE => Some(c),
                    Some(_) => None,
                    None => {
                        return Err(vm.type_error("character mapping must be in range(0x110000)"));
                    }
                }
            }
            Some(v) if v.is_none() => None,
            Some(_) => {
                return Err(vm.type_error("character mapping must return integer, None or str"));
            }
            None => None,
        };
        match c {
            Some(c) => {
                out.push(c);
                i += 1;
            }
            None => {
                i = errors::on_decode_error(
                    vm,
                    &errors,
                    "charmap",
                    &d,
                    i,
                    i + 1,
                    "character maps to <undefined>",
                    &mut out,
                )?;
            }
        }
    }
    let n = d.len();
    Ok(str_result(out, n, &errors))
}

fn charmap_encode(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let s = text_arg(vm, a, "charmap_encode")?;
    let errors = opt_errors(vm, arg(a, 1, "errors"))?;
    let mapping = arg(a, 2, "mapping").cloned().unwrap_or_else(Value::none);
    let n = s.chars().count();
    if mapping.is_none() {
        let out = unicode::latin1_encode(vm, &s, &errors, false)?;
        return Ok(bytes_result(out, n));
    }
    // Resolve every distinct character once, then encode with the resolved map.
    let mut resolved: HashMap<char, Option<Vec<u8>>> = HashMap::new();
    for c in s.chars() {
        if resolved.contains_key(&c) {
            continue;
        }
        let r = match ops::getitem(vm, &mapping, &Value::int(c as i64)) {
            Ok(v) => Some(v),
            Err(e) if vm.err_matches(&e, types().lookup_error) => None,
            Err(e) => return Err(e),
        };
        let b = match r {
            None => None,
            Some(v) if v.is_none() => None,
            Some(v) => match v.as_small_int() {
                Some(k) if (0..256).contains(&k) => Some(vec![k as u8]),
                Some(_) => {
                    return Err(vm.type_error("character mapping must be in range(256)"));
                }
                None => match as_bytes(&v) {
                    Some(b) => Some(b),
                    None => {
                        return Err(vm.type_error(
                            "character mapping must return integer, bytes or None, not str",
                        ));
                    }
                },
            },
        };
        resolved.insert(c, b);
    }
    let out = unicode::encode_mapped(
        vm,
        "charmap",
        &s,
        &errors,
        "character maps to <undefined>",
        &|c| resolved.get(&c).cloned().flatten(),
        false,
    )?;
    Ok(bytes_result(out, n))
}

// ---- the built-in error handlers as callables ---------------------------------------------------------

fn exc_range(vm: &mut Vm, exc: &Value) -> PyResult<(usize, usize)> {
    let s = ops::getattr(vm, exc, &new_str("start"))?;
    let e = ops::getattr(vm, exc, &new_str("end"))?;
    Ok((
        s.as_small_int().unwrap_or(0).max(0) as usize,
        e.as_small_int().unwrap_or(0).max(0) as usize,
    ))
}

fn exc_arg(vm: &mut Vm, a: &Args, name: &str) -> PyResult<Value> {
    match a.pos().first() {
        Some(e) if e.type_data().is_subtype_raw(types().unicode_error) => Ok(e.clone()),
        Some(e) => Err(vm.type_error(format!(
            "don't know how to handle {} in error callback",
            e.type_data().name
        ))),
        None => Err(vm.type_error(format!("{name}() takes exactly one argument (0 given)"))),
    }
}

fn strict_errors(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let e = exc_arg(vm, a, "strict_errors")?;
    Err(crate::vm::PyErr { exc: e })
}

fn ignore_errors(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let e = exc_arg(vm, a, "ignore_errors")?;
    let (_, end) = exc_range(vm, &e)?;
    Ok(TupleObj::from_iter([new_str(""), Value::int(end as i64)]))
}

/// `surrogateescape` / `surrogatepass` as callables (`codecs.lookup_error`): the
/// built-in handling of `errors.rs` applied to the exception's fields; the exception
/// itself is raised when the handler cannot deal with it, as in CPython.
fn surrogate_handler(vm: &mut Vm, a: &Args, name: &str) -> PyResult<Value> {
    let e = exc_arg(vm, a, name)?;
    let (start, end) = exc_range(vm, &e)?;
    let obj = ops::getattr(vm, &e, &new_str("object"))?;
    let enc = ops::getattr(vm, &e, &new_str("encoding"))?;
    let enc = as_str(&enc)
        .unwrap_or("")
        .to_ascii_lowercase()
        .replace('_', "-");
    let enc = match enc.as_str() {
        "utf8" => "utf-8".to_string(),
        _ => enc,
    };
    let reason = ops::getattr(vm, &e, &new_str("reason"))?;
    let reason = as_str(&reason).unwrap_or("").to_string();
    let fail = || Err(crate::vm::PyErr { exc: e.clone() });
    if is_decode(&e) {
        let data = as_bytes(&obj).unwrap_or_default();
        if start >= end || end > data.len() {
            return fail();
        }
        let mut out = String::new();
        match errors::on_decode_error(vm, name, &enc, &data, start, end, &reason, &mut out) {
            Ok(pos) => Ok(TupleObj::from_iter([
                crate::types::str::new_string_flagged(out, true),
                Value::int(pos as i64),
            ])),
            Err(_) => fail(),
        }
    } else if e.type_data().is_subtype_raw(types().unicode_encode_error) {
        let Some((s, surr)) = as_str_flag(&obj) else {
            return fail();
        };
        let chars: Vec<char> = s.chars().collect();
        if start >= end || end > chars.len() {
            return fail();
        }
        match errors::on_encode_error(vm, name, &enc, &chars, start, end, &reason, surr) {
            Ok((errors::Replacement::Bytes(b), pos)) => Ok(TupleObj::from_iter([
                BytesObj::new_value(b),
                Value::int(pos as i64),
            ])),
            _ => fail(),
        }
    } else {
        Err(vm.type_error(format!(
            "don't know how to handle {} in error callback",
            e.type_data().name
        )))
    }
}

fn surrogateescape_errors(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    surrogate_handler(vm, a, "surrogateescape")
}

fn surrogatepass_errors(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    surrogate_handler(vm, a, "surrogatepass")
}

fn is_decode(e: &Value) -> bool {
    e.type_data().is_subtype_raw(types().unicode_decode_error)
}

fn replace_errors(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let e = exc_arg(vm, a, "replace_errors")?;
    let (start, end) = exc_range(vm, &e)?;
    let rep = if is_decode(&e) {
        "\u{fffd}".to_string()
    } else if e.type_data().is_subtype_raw(types().unicode_encode_error) {
        "?".repeat(end.saturating_sub(start))
    } else {
        "\u{fffd}".repeat(end.saturating_sub(start))
    };
    Ok(TupleObj::from_iter([
        new_string(rep),
        Value::int(end as i64),
    ]))
}

fn backslashreplace_errors(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let e = exc_arg(vm, a, "backslashreplace_errors")?;
    let (start, end) = exc_range(vm, &e)?;
    let obj = ops::getattr(vm, &e, &new_str("object"))?;
    let rep: String = if is_decode(&e) {
        let b = as_bytes(&obj).unwrap_or_default();
        b.get(start..end.min(b.len()))
            .unwrap_or(&[])
            .iter()
            .map(|x| format!("\\x{x:02x}"))
            .collect()
    } else {
        let s = as_str(&obj).unwrap_or("");
        s.chars()
            .skip(start)
            .take(end.saturating_sub(start))
            .map(errors::backslash)
            .collect()
    };
    Ok(TupleObj::from_iter([
        new_string(rep),
        Value::int(end as i64),
    ]))
}

fn xmlcharrefreplace_errors(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let e = exc_arg(vm, a, "xmlcharrefreplace_errors")?;
    if !e.type_data().is_subtype_raw(types().unicode_encode_error) {
        return Err(vm.type_error(format!(
            "don't know how to handle {} in error callback",
            e.type_data().name
        )));
    }
    let (start, end) = exc_range(vm, &e)?;
    let obj = ops::getattr(vm, &e, &new_str("object"))?;
    let s = as_str(&obj).unwrap_or("");
    let rep: String = s
        .chars()
        .skip(start)
        .take(end.saturating_sub(start))
        .map(|c| format!("&#{};", c as u32))
        .collect();
    Ok(TupleObj::from_iter([
        new_string(rep),
        Value::int(end as i64),
    ]))
}
