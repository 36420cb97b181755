//! `UnicodeEncodeError`, `UnicodeDecodeError` and `UnicodeTranslateError`: their
//! constructor arguments become the attributes error handlers read and write
//! (`encoding`, `object`, `start`, `end`, `reason`), and their message is built from
//! those attributes when printed (so a handler that moves `start` changes it), as in
//! CPython.
use super::{add_method, arg_count_error};
use crate::ops;
use crate::types::str::{as_str, new_str, new_string};
use crate::value::Value;
use crate::vm::{Args, PyResult, Vm};
use crate::world::{Types, types};

pub fn install(t: &Types) {
    add_method(t.unicode_encode_error, "__init__", encode_init);
    add_method(t.unicode_decode_error, "__init__", decode_init);
    add_method(t.unicode_translate_error, "__init__", translate_init);
    add_method(t.unicode_encode_error, "__str__", encode_str);
    add_method(t.unicode_decode_error, "__str__", decode_str);
    add_method(t.unicode_translate_error, "__str__", translate_str);
}

/// Build a `UnicodeDecodeError` as the codecs raise it.
pub fn decode_error(
    vm: &mut Vm,
    encoding: &str,
    data: &[u8],
    start: usize,
    end: usize,
    reason: &str,
) -> Value {
    let args = vec![
        new_str(encoding),
        crate::types::bytes::BytesObj::new_value(data.to_vec()),
        Value::int(start as i64),
        Value::int(end as i64),
        new_str(reason),
    ];
    let e = vm.new_exception(types().unicode_decode_error, args.clone());
    let _ = set_fields(
        vm,
        &e,
        &["encoding", "object", "start", "end", "reason"],
        &args,
    );
    e
}

/// Build a `UnicodeEncodeError` as the codecs raise it (`start`/`end` count characters).
pub fn encode_error(
    vm: &mut Vm,
    encoding: &str,
    s: &str,
    start: usize,
    end: usize,
    reason: &str,
) -> Value {
    encode_error_obj(vm, encoding, new_str(s), start, end, reason)
}

/// [`encode_error`] for a str value (which may hold lone surrogates).
pub fn encode_error_obj(
    vm: &mut Vm,
    encoding: &str,
    obj: Value,
    start: usize,
    end: usize,
    reason: &str,
) -> Value {
    let args = vec![
        new_str(encoding),
        obj,
        Value::int(start as i64),
        Value::int(end as i64),
        new_str(reason),
    ];
    let e = vm.new_exception(types().unicode_encode_error, args.clone());
    let _ = set_fields(
        vm,
        &e,
        &["encoding", "object", "start", "end", "reason"],
        &args,
    );
    e
}

fn set_fields(vm: &mut Vm, e: &Value, names: &[&str], vals: &[Value]) -> PyResult<()> {
    for (n, v) in names.iter().zip(vals) {
        ops::generic_setattr(vm, e, n, v.clone())?;
    }
    Ok(())
}

/// Check and store the constructor's arguments; the BaseException part keeps `args`.
fn init(vm: &mut Vm, a: &Args, kinds: &[Kind], names: &[&str]) -> PyResult<Value> {
    let p = a.pos();
    let Some(slf) = p.first() else {
        return Err(vm.type_error("__init__ needs self"));
    };
    let args = &p[1..];
    super::classes::set_exc_args(slf, args.to_vec());
    if args.len() != kinds.len() {
        return Err(arg_count_error(
            vm,
            "function",
            args.len(),
            kinds.len(),
            kinds.len(),
        ));
    }
    for (i, (v, k)) in args.iter().zip(kinds).enumerate() {
        let ok = match k {
            Kind::Str => as_str(v).is_some(),
            Kind::Bytes => crate::modules::buffer::bytes_like(v).is_some(),
            Kind::Int => v.as_small_int().is_some(),
        };
        if !ok {
            let want = match k {
                Kind::Str => "str",
                Kind::Bytes => "a bytes-like object",
                Kind::Int => "int",
            };
            let got = super::type_name(v);
            return Err(vm.type_error(format!("argument {} must be {want}, not {got}", i + 1)));
        }
    }
    // A bytes-like object (bytearray, memoryview) is kept as bytes, as CPython's
    // UnicodeDecodeError does.
    let values: Vec<Value> = args
        .iter()
        .zip(kinds)
        .map(|(v, k)| match k {
            Kind::Bytes
                if v.downcast_exact::<crate::types::bytes::BytesObj>()
                    .is_none() =>
            {
                crate::modules::buffer::bytes_like(v)
                    .map(|b| crate::types::bytes::BytesObj::new_value(b.into_owned()))
                    .unwrap_or_else(|| v.clone())
            }
            _ => v.clone(),
        })
        .collect();
    set_fields(vm, slf, names, &values)?;
    Ok(Value::none())
}

#[derive(Clone, Copy)]
enum Kind {
    Str,
    Bytes,
    Int,
}

const FIELDS: [&str; 5] = ["encoding", "object", "start", "end", "reason"];

fn encode_init(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    use Kind::*;
    init(vm, a, &[Str, Str, Int, Int, Str], &FIELDS)
}

fn decode_init(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    use Kind::*;
    init(vm, a, &[Str, Bytes, Int, Int, Str], &FIELDS)
}

fn translate_init(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    use Kind::*;
    init(
        vm,
        a,
        &[Str, Int, Int, Str],
        &["object", "start", "end", "reason"],
    )
}

/// The attributes the message is made of, or None when they are not all set (an
/// error built with other arguments prints as a plain exception).
fn fields(vm: &mut Vm, e: &Value, names: &[&str]) -> PyResult<Option<Vec<Value>>> {
    let mut out = Vec::new();
    for n in names {
        match ops::getattr_opt(vm, e, n)? {
            Some(v) => out.push(v),
            None => return Ok(None),
        }
    }
    Ok(Some(out))
}

fn char_repr(n: u32) -> String {
    if n < 0x100 {
        format!("\\x{n:02x}")
    } else if n < 0x10000 {
        format!("\\u{n:04x}")
    } else {
        format!("\\U{n:08x}")
    }
}

fn text(vm: &mut Vm, v: &Value) -> PyResult<String> {
    ops::to_str(vm, v)
}

fn encode_str(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let Some(e) = a.pos().first() else {
        return Err(vm.type_error("__str__ needs self"));
    };
    let Some(f) = fields(vm, e, &FIELDS)? else {
        return Ok(new_str(""));
    };
    let (enc, obj) = (text(vm, &f[0])?, text(vm, &f[1])?);
    let (start, end) = (
        f[2].as_small_int().unwrap_or(0),
        f[3].as_small_int().unwrap_or(0),
    );
    let reason = text(vm, &f[4])?;
    let surr = crate::types::str::is_flagged(&f[1]);
    let one = (start >= 0 && end == start + 1)
        .then(|| obj.chars().nth(start as usize))
        .flatten()
        .map(|c| crate::types::str::logical_cp(c, surr));
    Ok(new_string(match one {
        Some(c) => format!(
            "'{enc}' codec can't encode character '{}' in position {start}: {reason}",
            char_repr(c)
        ),
        None => format!(
            "'{enc}' codec can't encode characters in position {start}-{}: {reason}",
            end - 1
        ),
    }))
}

fn decode_str(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let Some(e) = a.pos().first() else {
        return Err(vm.type_error("__str__ needs self"));
    };
    let Some(f) = fields(vm, e, &FIELDS)? else {
        return Ok(new_str(""));
    };
    let enc = text(vm, &f[0])?;
    let obj = crate::types::bytes::as_bytes(&f[1]).unwrap_or_default();
    let (start, end) = (
        f[2].as_small_int().unwrap_or(0),
        f[3].as_small_int().unwrap_or(0),
    );
    let reason = text(vm, &f[4])?;
    let one = (start >= 0 && end == start + 1)
        .then(|| obj.get(start as usize).copied())
        .flatten();
    Ok(new_string(match one {
        Some(b) => {
            format!("'{enc}' codec can't decode byte 0x{b:02x} in position {start}: {reason}")
        }
        None => format!(
            "'{enc}' codec can't decode bytes in position {start}-{}: {reason}",
            end - 1
        ),
    }))
}

fn translate_str(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let Some(e) = a.pos().first() else {
        return Err(vm.type_error("__str__ needs self"));
    };
    let Some(f) = fields(vm, e, &["object", "start", "end", "reason"])? else {
        return Ok(new_str(""));
    };
    let obj = text(vm, &f[0])?;
    let (start, end) = (
        f[1].as_small_int().unwrap_or(0),
        f[2].as_small_int().unwrap_or(0),
    );
    let reason = text(vm, &f[3])?;
    let surr = crate::types::str::is_flagged(&f[0]);
    let one = (start >= 0 && end == start + 1)
        .then(|| obj.chars().nth(start as usize))
        .flatten()
        .map(|c| crate::types::str::logical_cp(c, surr));
    Ok(new_string(match one {
        Some(c) => format!(
            "can't translate character '{}' in position {start}: {reason}",
            char_repr(c)
        ),
        None => format!(
            "can't translate characters in position {start}-{}: {reason}",
            end - 1
        ),
    }))
}
