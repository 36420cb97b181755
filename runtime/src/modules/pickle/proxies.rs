//! `Pickler.memo` and `Unpickler.memo`: proxies on the owner's memo with `clear`,
//! `copy` (a dict: `{id(obj): (index, obj)}` for a pickler, `{index: obj}` for an
//! unpickler) and `__reduce__` (pickled as that dict), as CPython offers them.
use crate::modules::native_args::{attr, methods, object_type, this};
use crate::native_payload;
use crate::types::class::Kind;
use crate::types::dict::DictObj;
use crate::types::native::{NativeType, downcast, new_type};
use crate::types::tuple::TupleObj;
use crate::value::Value;
use crate::vm::{Args, PyResult, Vm};
use crate::world::types;

pub struct PicklerMemoProxy {
    pickler: Value,
}
native_payload!(PicklerMemoProxy, PICKLER_PROXY);
static PICKLER_PROXY_T: NativeType = NativeType::of::<PicklerMemoProxy>();

pub struct UnpicklerMemoProxy {
    unpickler: Value,
}
native_payload!(UnpicklerMemoProxy, UNPICKLER_PROXY);
static UNPICKLER_PROXY_T: NativeType = NativeType::of::<UnpicklerMemoProxy>();

pub fn make_types() {
    let t = new_type::<PicklerMemoProxy>(
        "PicklerMemoProxy",
        "_pickle",
        object_type(),
        Kind::Native,
        &PICKLER_PROXY_T,
        &PICKLER_PROXY,
    );
    methods(
        &t,
        &[
            ("clear", p_clear),
            ("copy", p_copy),
            ("__reduce__", p_reduce),
        ],
    );
    attr(&t, "__hash__", Value::none());
    let t = new_type::<UnpicklerMemoProxy>(
        "UnpicklerMemoProxy",
        "_pickle",
        object_type(),
        Kind::Native,
        &UNPICKLER_PROXY_T,
        &UNPICKLER_PROXY,
    );
    methods(
        &t,
        &[
            ("clear", u_clear),
            ("copy", u_copy),
            ("__reduce__", u_reduce),
        ],
    );
    attr(&t, "__hash__", Value::none());
}

pub fn pickler_proxy(p: &Value) -> Value {
    Value::alloc(PicklerMemoProxy { pickler: p.clone() })
}

pub fn unpickler_proxy(u: &Value) -> Value {
    Value::alloc(UnpicklerMemoProxy {
        unpickler: u.clone(),
    })
}

/// The pickler behind a `PicklerMemoProxy` (for `pickler.memo = other.memo`).
pub fn proxied_pickler(v: &Value) -> Option<Value> {
    v.downcast_exact::<PicklerMemoProxy>()
        .map(|p| p.pickler.clone())
}

/// The unpickler behind an `UnpicklerMemoProxy`.
pub fn proxied_unpickler(v: &Value) -> Option<Value> {
    v.downcast_exact::<UnpicklerMemoProxy>()
        .map(|p| p.unpickler.clone())
}

fn pproxy<'a>(vm: &mut Vm, a: &Args<'a>, name: &str) -> PyResult<&'a PicklerMemoProxy> {
    let (s, _) = this(vm, name, a, 0, 0)?;
    downcast::<PicklerMemoProxy>(s).ok_or_else(|| vm.type_error("PicklerMemoProxy expected"))
}

fn uproxy<'a>(vm: &mut Vm, a: &Args<'a>, name: &str) -> PyResult<&'a UnpicklerMemoProxy> {
    let (s, _) = this(vm, name, a, 0, 0)?;
    downcast::<UnpicklerMemoProxy>(s).ok_or_else(|| vm.type_error("UnpicklerMemoProxy expected"))
}

fn p_clear(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let p = pproxy(vm, a, "clear")?;
    let pk = super::pickler::this_pickler(vm, &p.pickler)?;
    let old = std::mem::take(&mut pk.st.lock().memo);
    drop(old);
    Ok(Value::none())
}

fn p_copy_of(vm: &mut Vm, p: &PicklerMemoProxy) -> PyResult<Value> {
    let pk = super::pickler::this_pickler(vm, &p.pickler)?;
    let entries = pk.st.lock().memo.entries();
    let d = DictObj::new();
    for (id, idx, obj) in entries {
        let key = Value::bigint(id.into());
        let val = TupleObj::from_items([Value::int(idx as i64), obj]);
        d.set(vm, key, val)?;
    }
    Ok(Value::alloc(d))
}

fn p_copy(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let p = pproxy(vm, a, "copy")?;
    p_copy_of(vm, p)
}

fn p_reduce(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let p = pproxy(vm, a, "__reduce__")?;
    let d = p_copy_of(vm, p)?;
    Ok(TupleObj::from_items([
        Value::from_borrowed(types().dict),
        TupleObj::from_items([d]),
    ]))
}

fn u_clear(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let p = uproxy(vm, a, "clear")?;
    let u = super::unpickler::this_unpickler(vm, &p.unpickler)?;
    let old = std::mem::take(&mut u.st.lock().memo);
    drop(old);
    Ok(Value::none())
}

fn u_copy_of(vm: &mut Vm, p: &UnpicklerMemoProxy) -> PyResult<Value> {
    let u = super::unpickler::this_unpickler(vm, &p.unpickler)?;
    let memo = u.st.lock().memo.clone();
    let d = DictObj::new();
    for (i, v) in memo.into_iter().enumerate() {
        if let Some(v) = v {
            d.set(vm, Value::int(i as i64), v)?;
        }
    }
    Ok(Value::alloc(d))
}

fn u_copy(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let p = uproxy(vm, a, "copy")?;
    u_copy_of(vm, p)
}

fn u_reduce(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let p = uproxy(vm, a, "__reduce__")?;
    let d = u_copy_of(vm, p)?;
    Ok(TupleObj::from_items([
        Value::from_borrowed(types().dict),
        TupleObj::from_items([d]),
    ]))
}
