//! Reading "bytes-like" arguments (CPython's buffer protocol, as the binary-data modules
//! use it): `bytes` is read in place, `bytearray` and `array.array` are copied out of
//! their cells, since another thread may resize them while the caller works.
use std::borrow::Cow;

use crate::types::bytes::{ByteArrayObj, BytesObj};
use crate::value::Value;
use crate::vm::{PyErr, PyResult, Vm};

/// The bytes of `v` if it supports the buffer protocol.
pub fn bytes_like(v: &Value) -> Option<Cow<'_, [u8]>> {
    if let Some(b) = v.downcast::<BytesObj>() {
        return Some(Cow::Borrowed(&b.data));
    }
    if let Some(m) = super::pickle::buffer::view_of(v) {
        return crate::types::memoryview::view_bytes(&m).map(Cow::Owned);
    }
    if let Some(b) = v.downcast::<ByteArrayObj>() {
        return Some(Cow::Owned(b.data.get_clone()));
    }
    if let Some(b) = crate::types::memoryview::view_bytes(v) {
        return Some(Cow::Owned(b));
    }
    super::array::raw_bytes(v).map(Cow::Owned)
}

/// Run `f` on the bytes of `v` in place (a bytearray's or array's cell is held for
/// the call, so `f` must not run Python code); None if `v` is not bytes-like.
pub fn with_bytes<R>(v: &Value, f: impl FnOnce(&[u8]) -> R) -> Option<R> {
    if let Some(b) = v.downcast::<BytesObj>() {
        return Some(f(&b.data));
    }
    if let Some(b) = v.downcast::<ByteArrayObj>() {
        return Some(b.data.read(|d| f(d)));
    }
    if crate::types::memoryview::is_view(v) {
        return crate::types::memoryview::with_view_bytes(v, f);
    }
    if let Some(m) = super::pickle::buffer::view_of(v) {
        return crate::types::memoryview::with_view_bytes(&m, f);
    }
    super::array::with_raw(v, f)
}

/// CPython's "a bytes-like object is required, not 'T'".
pub fn not_bytes_like(vm: &mut Vm, v: &Value) -> PyErr {
    let tn = super::native_args::type_name(v);
    vm.type_error(format!("a bytes-like object is required, not '{tn}'"))
}

/// The bytes of a bytes-like argument, or CPython's TypeError.
pub fn need<'a>(vm: &mut Vm, v: &'a Value) -> PyResult<Cow<'a, [u8]>> {
    match bytes_like(v) {
        Some(b) => Ok(b),
        None => Err(not_bytes_like(vm, v)),
    }
}
