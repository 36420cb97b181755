//! `PickleBuffer` (PEP 574): a wrapper around a bytes-like object that protocol 5
//! pickles out of band (handed to `buffer_callback`) or in band (BYTEARRAY8 for a
//! writable buffer, bytes for a read-only one). It holds a memoryview of the object;
//! `memoryview(pb)` and the bytes-like readers see through it to the object.
use parking_lot::Mutex;

use crate::modules::native_args::{methods, new_args, object_type, this};
use crate::native_payload;
use crate::types::class::Kind;
use crate::types::native::{self, NativeType, downcast, new_type};
use crate::value::{PyPayload, Value};
use crate::vm::{Args, PyResult, Vm};

pub struct PickleBufferObj {
    /// A memoryview of the wrapped object; None once released.
    view: Mutex<Option<Value>>,
}
native_payload!(PickleBufferObj, PICKLE_BUFFER);
static PICKLE_BUFFER_T: NativeType = NativeType {
    new: Some(pb_new),
    weakrefable: true,
    ..NativeType::of::<PickleBufferObj>()
};

pub fn make_type() -> Value {
    let t = new_type::<PickleBufferObj>(
        "PickleBuffer",
        "pickle",
        object_type(),
        Kind::Native,
        &PICKLE_BUFFER_T,
        &PICKLE_BUFFER,
    );
    methods(
        &t,
        &[
            ("raw", pb_raw),
            ("release", pb_release),
            ("__enter__", pb_enter),
            ("__exit__", pb_exit),
        ],
    );
    crate::modules::native_args::static_new(&t, pb_dnew);
    t
}

pub fn class() -> stitch_stencils::value::RawValue {
    PickleBufferObj::class()
}

fn pb_new(vm: &mut Vm, cls: &Value, a: &Args) -> PyResult<Value> {
    let p = crate::modules::native_args::bind(vm, "PickleBuffer", a, &["buffer"], 1, 1)?;
    let obj = p[0].cloned().unwrap_or_else(Value::none);
    let is_view = downcast::<crate::types::memoryview::MemoryView>(&obj).is_some();
    if !is_view && crate::modules::buffer::bytes_like(&obj).is_none() && view_of(&obj).is_none() {
        return Err(crate::modules::buffer::not_bytes_like(vm, &obj));
    }
    let view = crate::types::memoryview::new_view(vm, &obj)?;
    Ok(native::alloc(
        cls,
        PickleBufferObj {
            view: Mutex::new(Some(view)),
        },
    ))
}

fn pb_dnew(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (cls, rest) = new_args(vm, a, PickleBufferObj::class())?;
    pb_new(vm, &cls, &rest)
}

/// The memoryview a PickleBuffer holds (None: not a PickleBuffer, or released).
pub fn view_of(v: &Value) -> Option<Value> {
    downcast::<PickleBufferObj>(v).and_then(|pb| pb.view.lock().clone())
}

/// The view of a PickleBuffer, or CPython's error once it is released.
pub fn live_view(vm: &mut Vm, v: &Value) -> PyResult<Value> {
    match view_of(v) {
        Some(m) => Ok(m),
        None => Err(vm.value_error("operation forbidden on released PickleBuffer object")),
    }
}

fn pb_raw(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (s, _) = this(vm, "raw", a, 0, 0)?;
    let view = live_view(vm, s)?;
    let cast = crate::ops::getattr_str(vm, &view, "cast")?;
    vm.call(&cast, &[crate::types::str::new_str("B")])
}

fn pb_release(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (s, _) = this(vm, "release", a, 0, 0)?;
    let old = downcast::<PickleBufferObj>(s).and_then(|pb| pb.view.lock().take());
    if let Some(v) = old {
        let r = crate::ops::getattr_str(vm, &v, "release")?;
        vm.call(&r, &[])?;
    }
    Ok(Value::none())
}

fn pb_enter(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (s, _) = this(vm, "__enter__", a, 0, 0)?;
    Ok(s.clone())
}

fn pb_exit(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (s, _) = this(vm, "__exit__", a, 0, 3)?;
    pb_release(vm, &Args::new(std::slice::from_ref(s)))
}
