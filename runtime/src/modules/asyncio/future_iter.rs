//! `_asyncio.FutureIter`: what `await fut` drives (`Future.__await__`). The first step
//! on a pending future yields the future itself with `_asyncio_future_blocking` set
//! (that tells the Task to wait for it); a step on a done future ends the await with
//! the future's result (or raises its exception).
//!
//! The interpreter's SEND reaches [`send`] without any method lookup
//! (`ops::iter::send`), and `await` on a Future makes the iterator directly
//! (`ops::iter::awaitable_iter` through [`super::await_iter`]).
use super::future::{self, FutState};
use crate::object::ObjCell;
use crate::types::native::{self as native_ty, NativeType};
use crate::value::Value;
use crate::vm::{Args, PyErr, PyResult, Vm};

pub struct FutureIterObj {
    /// The future, NULL once the await is over (or after `close`/`throw`).
    future: ObjCell<Value>,
}
crate::native_payload!(FutureIterObj, FUTURE_ITER);

impl crate::gc::Traverse for FutureIterObj {
    fn traverse(&self, visit: crate::gc::Visit<'_>) {
        self.future.read(|f| crate::gc::visit_value(f, visit));
    }
    fn clear(&self) {
        let old = self.future.with(|f| std::mem::replace(f, Value::NULL));
        drop(old);
    }
}

pub static FUTURE_ITER_T: NativeType = NativeType {
    iternext: Some(iternext),
    ..NativeType::of::<FutureIterObj>()
};

pub fn class_cell() -> &'static std::sync::atomic::AtomicU64 {
    &FUTURE_ITER
}

pub fn new(fut: Value) -> Value {
    Value::alloc(FutureIterObj {
        future: ObjCell::new(fut),
    })
}

/// One step: `Ok((fut, true))` yields the future, `Ok((result, false))` ends the await.
fn step(vm: &mut Vm, it: &FutureIterObj) -> PyResult<(Value, bool)> {
    let fv = it.future.read(|f| f.clone());
    if fv.is_null() {
        return Ok((Value::none(), false));
    }
    let Some(f) = future::fut(&fv) else {
        return Ok((Value::none(), false));
    };
    // None: done; Some(true): yield it now; Some(false): resumed while still pending.
    let pending = f.st.with(|s| {
        if s.state != FutState::Pending {
            None
        } else if !s.blocking {
            s.blocking = true;
            Some(true)
        } else {
            Some(false)
        }
    });
    match pending {
        Some(true) => return Ok((fv, true)),
        Some(false) => return Err(vm.runtime_error("await wasn't used with future")),
        None => {}
    }
    let old = it.future.with(|f| std::mem::replace(f, Value::NULL));
    drop(old);
    future::result_value(vm, f).map(|r| (r, false))
}

/// SEND into a FutureIter (the value sent is ignored, as in CPython).
pub fn send(vm: &mut Vm, recv: &Value) -> Option<PyResult<(Value, bool)>> {
    let it = recv.downcast_exact::<FutureIterObj>()?;
    Some(step(vm, it))
}

fn iternext(vm: &mut Vm, v: &Value) -> PyResult<Option<Value>> {
    let Some(it) = v.downcast_exact::<FutureIterObj>() else {
        return Ok(None);
    };
    match step(vm, it)? {
        (y, true) => Ok(Some(y)),
        (r, false) if r.is_none() => Ok(None),
        (r, false) => Err(vm.stop_iteration(r)),
    }
}

fn this<'a>(vm: &mut Vm, name: &str, a: &Args<'a>) -> PyResult<(&'a FutureIterObj, &'a [Value])> {
    let (s, rest) = crate::modules::native_args::receiver(vm, name, a)?;
    match s.downcast_exact::<FutureIterObj>() {
        Some(it) => Ok((it, rest.args)),
        None => Err(vm.type_error(format!(
            "descriptor '{name}' for '_asyncio.FutureIter' objects doesn't apply to a '{}' object",
            s.type_data().name
        ))),
    }
}

fn send_method(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (it, rest) = this(vm, "send", a)?;
    if rest.len() != 1 {
        return Err(vm.type_error(format!(
            "send() takes exactly one argument ({} given)",
            rest.len()
        )));
    }
    match step(vm, it)? {
        (y, true) => Ok(y),
        (r, false) => Err(vm.stop_iteration(r)),
    }
}

/// `throw(type, value=None, traceback=None)`: the await ends with that exception.
fn throw(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (it, rest) = this(vm, "throw", a)?;
    if rest.is_empty() || rest.len() > 3 {
        return Err(vm.type_error(format!(
            "throw expected at {} 3 arguments, got {}",
            if rest.is_empty() {
                "least 1 argument, at most"
            } else {
                "most"
            },
            rest.len()
        )));
    }
    let typ = &rest[0];
    let val = rest.get(1).filter(|v| !v.is_none());
    let tb = rest.get(2).filter(|v| !v.is_none());
    if let Some(tb) = tb
        && tb.type_data().name != "traceback"
    {
        return Err(vm.type_error("throw() third argument must be a traceback"));
    }
    let exc = if crate::ops::is_exception_class(typ) {
        match val {
            Some(v)
                if crate::ops::is_exception_instance(v)
                    && v.type_data().is_subtype_raw(typ.raw()) =>
            {
                v.clone()
            }
            Some(v) => vm.call(typ, std::slice::from_ref(v))?,
            None => vm.call(typ, &[])?,
        }
    } else if crate::ops::is_exception_instance(typ) {
        if val.is_some() {
            return Err(vm.type_error("instance exception may not have a separate value"));
        }
        typ.clone()
    } else {
        return Err(vm.type_error(
            "exceptions must be classes deriving BaseException or instances of such a class",
        ));
    };
    if let Some(tb) = tb
        && let Some(d) = crate::vm::exc_data(&exc)
    {
        let old = d.with(|d| std::mem::replace(&mut d.traceback, tb.clone()));
        drop(old);
    }
    let old = it.future.with(|f| std::mem::replace(f, Value::NULL));
    drop(old);
    Err(PyErr { exc })
}

fn close(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (it, _) = this(vm, "close", a)?;
    let old = it.future.with(|f| std::mem::replace(f, Value::NULL));
    drop(old);
    Ok(Value::none())
}

pub fn install(t: &Value) {
    crate::modules::native_args::methods(
        t,
        &[
            ("__iter__", native_ty::iter_self),
            ("__next__", native_ty::next_method),
            ("send", send_method),
            ("throw", throw),
            ("close", close),
        ],
    );
}
