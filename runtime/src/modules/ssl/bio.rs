//! `_ssl.MemoryBIO`: a byte queue between an `SSLObject` and its transport (asyncio's
//! `sslproto` feeds received bytes into one and sends what TLS writes to the other).
use std::collections::VecDeque;

use super::errors;
use crate::modules::buffer;
use crate::modules::native_args::{getset, methods, object_type, static_new, this};
use crate::native_payload;
use crate::object::ObjCell;
use crate::types::bytes::BytesObj;
use crate::types::class::Kind;
use crate::types::native::{self, NativeType, new_type};
use crate::value::Value;
use crate::vm::{Args, PyResult, Vm};

pub struct BioState {
    pub data: VecDeque<u8>,
    /// `write_eof()` was called: no more data will come.
    pub eof_written: bool,
}

pub struct MemoryBio {
    pub st: ObjCell<BioState>,
}
native_payload!(MemoryBio, MEMORY_BIO);
static MEMORY_BIO_T: NativeType = NativeType {
    new: Some(bio_new),
    ..NativeType::of::<MemoryBio>()
};

pub fn make_type() -> Value {
    let t = new_type::<MemoryBio>(
        "MemoryBIO",
        "_ssl",
        object_type(),
        Kind::Native,
        &MEMORY_BIO_T,
        &MEMORY_BIO,
    );
    methods(
        &t,
        &[
            ("read", bio_read),
            ("write", bio_write),
            ("write_eof", bio_write_eof),
        ],
    );
    getset(&t, "pending", bio_pending, None);
    getset(&t, "eof", bio_eof, None);
    static_new(&t, bio_dnew);
    t
}

fn bio_new(vm: &mut Vm, cls: &Value, a: &Args) -> PyResult<Value> {
    if !a.pos().is_empty() {
        return Err(vm.type_error("MemoryBIO() takes no arguments"));
    }
    if a.has_kw() {
        return Err(vm.type_error("MemoryBIO() takes no keyword arguments"));
    }
    Ok(native::alloc(
        cls,
        MemoryBio {
            st: ObjCell::new(BioState {
                data: VecDeque::new(),
                eof_written: false,
            }),
        },
    ))
}

fn bio_dnew(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let base = <MemoryBio as crate::value::PyPayload>::class();
    let (cls, rest) = crate::modules::native_args::new_args(vm, a, base)?;
    bio_new(vm, &cls, &rest)
}

/// The payload of a MemoryBIO argument.
pub fn of<'a>(vm: &mut Vm, v: &'a Value) -> PyResult<&'a MemoryBio> {
    native::downcast::<MemoryBio>(v).ok_or_else(|| {
        vm.type_error(format!(
            "argument must be _ssl.MemoryBIO, not {}",
            v.type_data().name
        ))
    })
}

fn me<'a>(
    vm: &mut Vm,
    name: &str,
    a: &Args<'a>,
    max: usize,
) -> PyResult<(&'a MemoryBio, &'a [Value])> {
    let (s, r) = this(vm, name, a, 0, max)?;
    Ok((of(vm, s)?, r))
}

/// `read(size=-1, /)`: up to `size` bytes (all with a negative size).
fn bio_read(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (b, r) = me(vm, "read", a, 1)?;
    let size = match r.first() {
        Some(v) => {
            let n = crate::ops::to_index(vm, v)?;
            i64::try_from(&n).unwrap_or(if n < 0.into() { -1 } else { i64::MAX })
        }
        None => -1,
    };
    let out = b.st.with(|s| {
        let n = if size < 0 {
            s.data.len()
        } else {
            (size as usize).min(s.data.len())
        };
        s.data.drain(..n).collect::<Vec<u8>>()
    });
    Ok(BytesObj::new_value(out))
}

/// `write(b, /)`: queue the bytes; returns how many.
fn bio_write(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (b, r) = me(vm, "write", a, 1)?;
    let Some(data) = r.first() else {
        return Err(vm.type_error("write() takes exactly one argument (0 given)"));
    };
    let data = buffer::need(vm, data)?;
    if data.len() > i32::MAX as usize {
        return Err(vm.overflow_error(format!("string longer than {} bytes", i32::MAX)));
    }
    let ok = b.st.with(|s| {
        if s.eof_written {
            return false;
        }
        s.data.extend(data.iter());
        true
    });
    if !ok {
        return Err(errors::ssl_error(
            vm,
            errors::Kind::Error,
            errors::SSL_ERROR_SSL,
            None,
            "cannot write() after write_eof()",
        ));
    }
    Ok(Value::int(data.len() as i64))
}

fn bio_write_eof(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (b, _) = me(vm, "write_eof", a, 0)?;
    b.st.with(|s| s.eof_written = true);
    Ok(Value::none())
}

fn bio_pending(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (b, _) = me(vm, "pending", a, 0)?;
    Ok(Value::int(b.st.read(|s| s.data.len()) as i64))
}

/// True once `write_eof()` was called and everything was read.
fn bio_eof(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (b, _) = me(vm, "eof", a, 0)?;
    Ok(Value::bool(
        b.st.read(|s| s.eof_written && s.data.is_empty()),
    ))
}
