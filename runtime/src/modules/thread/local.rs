//! `_thread._local` (`threading.local`): an object whose attributes are per thread.
//!
//! `_local` is a class made by `type()` (so Python subclasses and their `__init__`
//! work as for any class) whose `__getattribute__`, `__setattr__` and `__delattr__`
//! are native: they resolve attributes as `object` does, but against the calling
//! thread's dict instead of the instance dict. The per-thread dicts live in a
//! [`LocalState`] kept in the instance dict under `_local__impl`; a thread that first
//! touches the object gets a fresh dict and the subclass's `__init__` runs with the
//! constructor's arguments (as in CPython). When a thread ends, its dicts are dropped
//! from every local it touched ([`thread_ended`]).
use std::collections::HashMap;
use std::sync::{Arc, Weak};

use parking_lot::Mutex;

use crate::modules::native_args::{self, object_type};
use crate::modules::native_class;
use crate::native_payload;
use crate::object::current_tid;
use crate::ops;
use crate::types::class::Kind;
use crate::types::dict::DictObj;
use crate::types::misc::PropertyObj;
use crate::types::native::{NativeType, new_type};
use crate::types::str::as_str;
use crate::types::tuple::TupleObj;
use crate::value::Value;
use crate::vm::{Args, PyResult, Vm};
use crate::world::types;

/// Key of the state in the instance dict (the name `_threading_local` uses too).
const IMPL_KEY: &str = "_local__impl";

/// Per-thread dicts of one local object, by thread id.
struct Dicts(Mutex<HashMap<u64, Value>>);

// SAFETY: the dicts are shared Python objects (atomic counts for non-owners, locked
// containers in multi-threaded mode); the mutex orders access to the map itself.
unsafe impl Send for Dicts {}
// SAFETY: as for Send: every access to the map goes through the mutex.
unsafe impl Sync for Dicts {}

/// The hidden state of a `_local`: constructor arguments and the per-thread dicts.
pub struct LocalState {
    args: Value,
    kwargs: Value,
    dicts: Arc<Dicts>,
}
native_payload!(LocalState, LOCAL_STATE);

/// The collector sees the constructor arguments and every thread's dict (a local
/// whose dict refers back to the object that holds it is a cycle).
impl crate::gc::Traverse for LocalState {
    fn traverse(&self, visit: crate::gc::Visit<'_>) {
        crate::gc::visit_value(&self.args, visit);
        crate::gc::visit_value(&self.kwargs, visit);
        for d in self.dicts.0.lock().values() {
            crate::gc::visit_value(d, visit);
        }
    }

    fn clear(&self) {
        let taken = std::mem::take(&mut *self.dicts.0.lock());
        drop(taken);
    }
}
static LOCAL_STATE_T: NativeType = NativeType::of::<LocalState>();

/// For each thread id, the locals it has a dict in (weak: a local may die first).
static TOUCHED: Mutex<Vec<(u64, Weak<Dicts>)>> = Mutex::new(Vec::new());

pub fn init_type(vm: &mut Vm) -> PyResult<Value> {
    new_type::<LocalState>(
        "_localdummy",
        "_thread",
        object_type(),
        Kind::Native,
        &LOCAL_STATE_T,
        &LOCAL_STATE,
    );
    // Named "_thread._local" (qualname "_local"): messages name the type as CPython's
    // static type does ('_thread._local' object has no attribute ...).
    let cls = native_class::new(
        vm,
        "_thread",
        "_thread._local",
        &[
            ("__getattribute__", local_getattribute),
            ("__setattr__", local_setattr),
            ("__delattr__", local_delattr),
        ],
    )?;
    native_args::static_new(&cls, local_new);
    crate::types::class::type_data_raw(cls.raw())
        .qualname
        .with(|q| *q = "_local".to_string());
    crate::types::class::hooks_changed();
    Ok(cls)
}

/// `_local.__new__(cls, *args, **kwargs)`.
fn local_new(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let Some((cls, rest)) = a.pos().split_first() else {
        return Err(vm.type_error("_local.__new__(): not enough arguments"));
    };
    let Some(td) = crate::types::class::as_type(cls) else {
        return Err(vm.type_error("_local.__new__(X): X is not a type object"));
    };
    let has_args = !rest.is_empty() || a.has_kw();
    let obj_init = crate::types::class::type_data_raw(types().object)
        .dict
        .get_str("__init__");
    let own_init = td.lookup("__init__");
    if has_args && own_init.as_ref().map(Value::bits) == obj_init.as_ref().map(Value::bits) {
        return Err(vm.type_error("Initialization arguments are not supported"));
    }
    let object_new = crate::types::class::type_data_raw(types().object)
        .dict
        .get_str("__new__")
        .ok_or_else(|| vm.type_error("object.__new__ missing"))?;
    let obj = vm.call(&object_new, std::slice::from_ref(cls))?;
    let kwargs = if a.has_kw() {
        let d = DictObj::new();
        for (k, v) in a.kw() {
            d.set_str(k, v.clone());
        }
        Value::alloc(d)
    } else {
        Value::none()
    };
    let state = Value::alloc(LocalState {
        args: TupleObj::new_value(rest.to_vec()),
        kwargs,
        dicts: Arc::new(Dicts(Mutex::new(HashMap::new()))),
    });
    let Some(d) = native_class::dict_of(&obj) else {
        return Err(vm.type_error("_local subclass instances need a __dict__"));
    };
    d.set_str(IMPL_KEY, state.clone());
    // The creating thread's dict: type.__call__ runs __init__ on it next.
    let st = state_of(vm, &obj)?;
    register(&st.dicts, DictObj::new_value());
    drop(state);
    Ok(obj)
}

fn state_of(vm: &mut Vm, obj: &Value) -> PyResult<StateRef> {
    let v = native_class::dict_of(obj).and_then(|d| d.get_str(IMPL_KEY));
    match v {
        Some(v) if v.downcast::<LocalState>().is_some() => Ok(StateRef(v)),
        _ => Err(vm.type_error("'_thread._local' object is not initialized")),
    }
}

/// An owned reference to a `LocalState` object.
struct StateRef(Value);

impl std::ops::Deref for StateRef {
    type Target = LocalState;
    fn deref(&self) -> &LocalState {
        // SAFETY: checked to be a LocalState in `state_of`.
        unsafe { self.0.payload_unchecked::<LocalState>() }
    }
}

/// Record `dict` as the calling thread's dict of `dicts`.
fn register(dicts: &Arc<Dicts>, dict: Value) {
    let tid = current_tid();
    let old = dicts.0.lock().insert(tid, dict);
    if old.is_none() {
        TOUCHED.lock().push((tid, Arc::downgrade(dicts)));
    }
    drop(old);
}

/// The calling thread's dict of `obj`, made (and `__init__` run) on first use.
fn local_dict(vm: &mut Vm, obj: &Value) -> PyResult<Value> {
    let st = state_of(vm, obj)?;
    let tid = current_tid();
    if let Some(d) = st.dicts.0.lock().get(&tid) {
        return Ok(d.clone());
    }
    let d = DictObj::new_value();
    register(&st.dicts, d.clone());
    let td = obj.type_data();
    let obj_init = crate::types::class::type_data_raw(types().object)
        .dict
        .get_str("__init__");
    if let Some(init) = td.lookup("__init__")
        && Some(init.bits()) != obj_init.as_ref().map(Value::bits)
    {
        let mut argv = vec![obj.clone()];
        let mut kwnames = Vec::new();
        if let Some(t) = st.args.downcast::<TupleObj>() {
            argv.extend(t.items.iter().cloned());
        }
        if let Some(kw) = st.kwargs.downcast::<DictObj>() {
            for (k, v) in kw.items() {
                kwnames.push(k);
                argv.push(v);
            }
        }
        if let Err(e) = vm.call_kw(&init, &argv, &kwnames) {
            let old = st.dicts.0.lock().remove(&tid);
            drop(old);
            return Err(e);
        }
    }
    Ok(d)
}

fn name_arg<'a>(vm: &mut Vm, v: &'a Value) -> PyResult<&'a str> {
    match as_str(v) {
        Some(s) => Ok(s),
        None => Err(vm.type_error(format!(
            "attribute name must be string, not '{}'",
            v.type_data().name
        ))),
    }
}

/// Whether `d` (found on the type) is a data descriptor.
fn is_data_descriptor(d: &Value) -> bool {
    d.downcast::<PropertyObj>().is_some()
        || crate::ops::user_descriptor(d, "__set__").is_some()
        || crate::ops::user_descriptor(d, "__delete__").is_some()
        || crate::types::native::table(d).is_some_and(|t| t.data_get.is_some())
}

fn local_getattribute(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (obj, p) = native_args::this(vm, "__getattribute__", a, 1, 1)?;
    let n = name_arg(vm, &p[0])?;
    let ldict = local_dict(vm, obj)?;
    if n == "__dict__" {
        return Ok(ldict);
    }
    if n == "__class__" {
        return Ok(obj.type_of());
    }
    let td = obj.type_data();
    let descr = td.lookup(n);
    if let Some(d) = &descr
        && is_data_descriptor(d)
    {
        return ops::bind_descriptor(vm, d.clone(), obj, &obj.type_of());
    }
    if let Some(v) = ldict.downcast::<DictObj>().and_then(|d| d.get_str(n)) {
        return Ok(v);
    }
    if let Some(d) = descr {
        return ops::bind_descriptor(vm, d, obj, &obj.type_of());
    }
    Err(ops::no_attribute(vm, obj, n))
}

fn read_only(vm: &mut Vm, obj: &Value) -> crate::vm::PyErr {
    vm.attribute_error(format!(
        "'{}' object attribute '__dict__' is read-only",
        crate::types::native::tp_name(obj.type_data())
    ))
}

fn local_setattr(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (obj, p) = native_args::this(vm, "__setattr__", a, 2, 2)?;
    let n = name_arg(vm, &p[0])?;
    if n == "__dict__" {
        return Err(read_only(vm, obj));
    }
    let ldict = local_dict(vm, obj)?;
    if let Some(d) = obj.type_data().lookup(n)
        && is_data_descriptor(&d)
    {
        ops::generic_setattr(vm, obj, n, p[1].clone())?;
        return Ok(Value::none());
    }
    if let Some(d) = ldict.downcast::<DictObj>() {
        d.set_str(n, p[1].clone());
    }
    Ok(Value::none())
}

fn local_delattr(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (obj, p) = native_args::this(vm, "__delattr__", a, 1, 1)?;
    let n = name_arg(vm, &p[0])?;
    if n == "__dict__" {
        return Err(read_only(vm, obj));
    }
    let ldict = local_dict(vm, obj)?;
    if let Some(d) = obj.type_data().lookup(n)
        && is_data_descriptor(&d)
    {
        // Not `ops::delattr`: it would come back to this hook.
        if let Some(del) = crate::ops::user_descriptor(&d, "__delete__") {
            vm.call(&del, &[d.clone(), obj.clone()])?;
            return Ok(Value::none());
        }
        if let Some(pr) = d.downcast::<PropertyObj>() {
            crate::ops::property_set(vm, pr, obj, None)?;
            return Ok(Value::none());
        }
        return Err(vm.attribute_error(format!("__delete__ of '{n}' is not supported")));
    }
    let removed = ldict
        .downcast::<DictObj>()
        .map(|d| d.remove(vm, &crate::world::intern(n)))
        .transpose()?
        .flatten();
    match removed {
        Some(v) => {
            drop(v);
            Ok(Value::none())
        }
        None => Err(ops::no_attribute(vm, obj, n)),
    }
}

/// The calling thread ends: drop its dict from every local it touched.
pub fn thread_ended(_vm: &mut Vm) {
    let tid = current_tid();
    let mine: Vec<Weak<Dicts>> = {
        let mut t = TOUCHED.lock();
        let mut mine = Vec::new();
        t.retain(|(id, w)| {
            if *id == tid {
                mine.push(w.clone());
                false
            } else {
                w.strong_count() > 0
            }
        });
        mine
    };
    for w in mine {
        if let Some(dicts) = w.upgrade() {
            let old = dicts.0.lock().remove(&tid);
            // Released outside the lock: a finalizer may use the local again.
            drop(old);
        }
    }
}
