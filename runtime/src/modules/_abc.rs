//! `_abc`: the machinery behind `abc.ABCMeta` (what `Lib/abc.py` imports): abstract
//! method bookkeeping, `register`, and the `isinstance`/`issubclass` checks with their
//! caches, as CPython's C `_abc`.
//!
//! Each ABC keeps an `_abc_data` object in its `_abc_impl` attribute: the registry of
//! virtual subclasses, a positive cache and a negative cache, all of *weak*
//! references, so an ABC never keeps the classes it has seen alive. The negative cache
//! is valid while its version equals the global invalidation counter, which every
//! `register` moves (`get_cache_token`).
use std::sync::atomic::{AtomicU64, Ordering};

use stitch_stencils::value::RawValue;

use crate::builtins::posargs;
use crate::object::ObjCell;
use crate::ops;
use crate::types::class::{TypeData, as_type};
use crate::types::func::{NativeFn, new_module_builtin};
use crate::types::set::SetObj;
use crate::types::tuple::TupleObj;
use crate::types::weakref::{as_weak, plain_ref};
use crate::value::{PyPayload, Value};
use crate::vm::{Args, PyResult, Vm};
use crate::world::types;

/// Moves on every `register` of any ABC: negative caches older than it are stale.
static INVALIDATION: AtomicU64 = AtomicU64::new(0);

/// The state of one ABC (`cls._abc_impl`).
pub struct AbcData {
    /// Weak references to the registered virtual subclasses.
    registry: ObjCell<Vec<Value>>,
    /// Weak references to classes known to be subclasses.
    cache: ObjCell<Vec<Value>>,
    /// Weak references to classes known not to be, valid for `negative_version`.
    negative: ObjCell<Vec<Value>>,
    negative_version: AtomicU64,
}

impl PyPayload for AbcData {
    fn class() -> RawValue {
        types().abc_data
    }
}

pub fn init(_vm: &mut Vm) -> PyResult<Value> {
    let m = crate::import::new_module("_abc", None);
    // SAFETY: new_module returns a module object.
    let d = unsafe { m.payload_unchecked::<crate::types::module::ModuleObj>() }.dict();
    for (name, f) in [
        ("get_cache_token", get_cache_token as NativeFn),
        ("_abc_init", abc_init),
        ("_abc_register", abc_register),
        ("_abc_instancecheck", abc_instancecheck),
        ("_abc_subclasscheck", abc_subclasscheck),
        ("_get_dump", get_dump),
        ("_reset_registry", reset_registry),
        ("_reset_caches", reset_caches),
    ] {
        d.set_str(name, new_module_builtin(name, f, "_abc"));
    }
    Ok(m)
}

fn get_cache_token(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    posargs(vm, "get_cache_token", a, 0, 0)?;
    Ok(Value::int(INVALIDATION.load(Ordering::Relaxed) as i64))
}

/// Is `v` abstract (`__isabstractmethod__`, also through the function a classmethod,
/// staticmethod or property wraps)?
fn is_abstract(vm: &mut Vm, v: &Value) -> PyResult<bool> {
    if let Some(f) = ops::getattr_opt(vm, v, "__isabstractmethod__")? {
        return ops::truthy(vm, &f);
    }
    let t = types();
    let inner: Vec<Value> = if v.type_raw() == t.classmethod || v.type_raw() == t.staticmethod {
        ops::getattr_opt(vm, v, "__func__")?.into_iter().collect()
    } else if v.type_raw() == t.property {
        let mut fs = Vec::new();
        for n in ["fget", "fset", "fdel"] {
            if let Some(f) = ops::getattr_opt(vm, v, n)? {
                fs.push(f);
            }
        }
        fs
    } else {
        vec![]
    };
    for f in inner {
        if let Some(x) = ops::getattr_opt(vm, &f, "__isabstractmethod__")?
            && ops::truthy(vm, &x)?
        {
            return Ok(true);
        }
    }
    Ok(false)
}

fn the_class<'a>(vm: &mut Vm, v: &'a Value) -> PyResult<&'a TypeData> {
    match as_type(v) {
        Some(t) => Ok(t),
        None => Err(vm.type_error("_abc_init() argument must be a class")),
    }
}

/// `_abc_init(cls)`: compute `__abstractmethods__` and give the class its state.
fn abc_init(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let p = posargs(vm, "_abc_init", a, 1, 1)?;
    let cls = &p[0];
    let td = the_class(vm, cls)?;
    let mut abstracts: Vec<Value> = Vec::new();
    for (k, v) in td.dict.items() {
        if is_abstract(vm, &v)? {
            abstracts.push(k);
        }
    }
    for base in td.bases.get_clone() {
        let Some(names) = ops::getattr_opt(vm, &base, "__abstractmethods__")? else {
            continue;
        };
        for name in ops::collect(vm, &names)? {
            let value = match crate::types::str::as_str(&name) {
                Some(n) => ops::getattr_opt(vm, cls, n)?,
                None => None,
            };
            if let Some(value) = value
                && is_abstract(vm, &value)?
            {
                abstracts.push(name);
            }
        }
    }
    let set = Value::alloc_with_type(&Value::from_borrowed(types().frozenset), SetObj::new());
    for n in abstracts {
        ops::set_update(vm, &set, &TupleObj::from_items([n]))?;
    }
    ops::setattr(vm, cls, &crate::world::intern("__abstractmethods__"), set)?;
    // collections.abc's pattern-matching flags: stitch reads no type flags; CPython
    // removes the attribute once applied.
    if td.dict.get_str("__abc_tpflags__").is_some() {
        ops::delattr(vm, cls, &crate::world::intern("__abc_tpflags__"))?;
    }
    let data = Value::alloc(AbcData {
        registry: ObjCell::new(Vec::new()),
        cache: ObjCell::new(Vec::new()),
        negative: ObjCell::new(Vec::new()),
        negative_version: AtomicU64::new(INVALIDATION.load(Ordering::Relaxed)),
    });
    ops::setattr(vm, cls, &crate::world::intern("_abc_impl"), data)?;
    Ok(Value::none())
}

/// `cls._abc_impl`, checked.
fn impl_of(vm: &mut Vm, cls: &Value) -> PyResult<Value> {
    let v = ops::getattr_str(vm, cls, "_abc_impl")?;
    if v.downcast::<AbcData>().is_none() {
        return Err(vm.type_error("_abc_impl is set to a wrong type"));
    }
    Ok(v)
}

fn data(v: &Value) -> &AbcData {
    // SAFETY: `impl_of` checked the type.
    unsafe { v.payload_unchecked::<AbcData>() }
}

/// Does `set` hold a live weak reference to `cls`? (Compares the referent's address;
/// dead references are pruned.)
fn contains(set: &ObjCell<Vec<Value>>, cls: &Value) -> bool {
    let addr = cls.raw().as_ptr() as usize;
    set.with(|v| {
        v.retain(|w| as_weak(w).is_some_and(|w| !w.is_dead()));
        v.iter().any(|w| {
            as_weak(w).is_some_and(|w| w.slot.load(std::sync::atomic::Ordering::Acquire) == addr)
        })
    })
}

fn add(vm: &mut Vm, set: &ObjCell<Vec<Value>>, cls: &Value) -> PyResult<()> {
    if contains(set, cls) {
        return Ok(());
    }
    let r = plain_ref(vm, cls)?;
    set.with(|v| v.push(r));
    Ok(())
}

fn clear(set: &ObjCell<Vec<Value>>) {
    let old = set.with(std::mem::take);
    drop(old);
}

fn abc_register(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let p = posargs(vm, "_abc_register", a, 2, 2)?;
    let (cls, sub) = (&p[0], &p[1]);
    if as_type(sub).is_none() {
        return Err(vm.type_error("Can only register classes"));
    }
    if crate::builtins::issubclass(vm, sub, cls)? {
        return Ok(sub.clone());
    }
    if crate::builtins::issubclass(vm, cls, sub)? {
        return Err(vm.runtime_error("Refusing to create an inheritance cycle"));
    }
    let imp = impl_of(vm, cls)?;
    add(vm, &data(&imp).registry, sub)?;
    INVALIDATION.fetch_add(1, Ordering::Relaxed);
    Ok(sub.clone())
}

fn abc_instancecheck(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let p = posargs(vm, "_abc_instancecheck", a, 2, 2)?;
    let (cls, inst) = (&p[0], &p[1]);
    let imp = impl_of(vm, cls)?;
    let d = data(&imp);
    let subclass = ops::getattr_str(vm, inst, "__class__")?;
    if contains(&d.cache, &subclass) {
        return Ok(Value::bool(true));
    }
    let subtype = inst.type_of();
    let check = ops::getattr_str(vm, cls, "__subclasscheck__")?;
    if subtype.is(&subclass) {
        if d.negative_version.load(Ordering::Relaxed) == INVALIDATION.load(Ordering::Relaxed)
            && contains(&d.negative, &subclass)
        {
            return Ok(Value::bool(false));
        }
        return vm.call(&check, &[subclass]);
    }
    let r = vm.call(&check, &[subclass])?;
    if ops::truthy(vm, &r)? {
        return Ok(r);
    }
    vm.call(&check, &[subtype])
}

fn abc_subclasscheck(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let p = posargs(vm, "_abc_subclasscheck", a, 2, 2)?;
    let (cls, sub) = (&p[0], &p[1]);
    if as_type(sub).is_none() {
        return Err(vm.type_error("issubclass() arg 1 must be a class"));
    }
    let imp = impl_of(vm, cls)?;
    let d = data(&imp);
    // 1. Positive cache.
    if contains(&d.cache, sub) {
        return Ok(Value::bool(true));
    }
    // 2. Negative cache, dropped when a registration happened since it was filled.
    let now = INVALIDATION.load(Ordering::Relaxed);
    if d.negative_version.load(Ordering::Relaxed) < now {
        clear(&d.negative);
        d.negative_version.store(now, Ordering::Relaxed);
    } else if contains(&d.negative, sub) {
        return Ok(Value::bool(false));
    }
    // 3. The subclass hook.
    let hook = ops::getattr_str(vm, cls, "__subclasshook__")?;
    let ok = vm.call(&hook, std::slice::from_ref(sub))?;
    if ok.is_true_singleton() {
        add(vm, &d.cache, sub)?;
        return Ok(ok);
    }
    if ok.is_bool() {
        add(vm, &d.negative, sub)?;
        return Ok(ok);
    }
    if !ok.is(&Value::not_implemented()) {
        return Err(vm.err(
            types().assertion_error,
            "__subclasshook__ must return either False, True, or NotImplemented",
        ));
    }
    // 4. A direct subclass.
    if let Some(st) = as_type(sub)
        && st.is_subtype_raw(cls.raw())
    {
        add(vm, &d.cache, sub)?;
        return Ok(Value::bool(true));
    }
    // 5. A registered class (not cached), or a subclass of one.
    if contains(&d.registry, sub) {
        return Ok(Value::bool(true));
    }
    let registered: Vec<Value> = d.registry.with(|v| v.clone());
    for w in registered {
        let Some(rcls) = as_weak(&w).and_then(|w| w.get()) else {
            continue;
        };
        if crate::builtins::issubclass(vm, sub, &rcls)? {
            add(vm, &d.cache, sub)?;
            return Ok(Value::bool(true));
        }
    }
    // 6. A subclass of a subclass (recursive, through their own checks).
    for scls in crate::types::type_version::subclasses_of(cls) {
        if crate::builtins::issubclass(vm, sub, &scls)? {
            add(vm, &d.cache, sub)?;
            return Ok(Value::bool(true));
        }
    }
    // 7. No.
    add(vm, &d.negative, sub)?;
    Ok(Value::bool(false))
}

/// `_get_dump(cls)`: (registry, cache, negative cache, negative cache version), the
/// first three as sets of weak references.
fn get_dump(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let p = posargs(vm, "_get_dump", a, 1, 1)?;
    let imp = impl_of(vm, &p[0])?;
    let d = data(&imp);
    let mut parts = Vec::new();
    for set in [&d.registry, &d.cache, &d.negative] {
        // Dead references leave the sets (CPython's sets drop them by callback).
        let items: Vec<Value> = set.with(|v| {
            v.retain(|w| as_weak(w).is_some_and(|w| !w.is_dead()));
            v.clone()
        });
        let s = Value::alloc(SetObj::new());
        ops::set_update(vm, &s, &TupleObj::new_value(items))?;
        parts.push(s);
    }
    parts.push(Value::int(d.negative_version.load(Ordering::Relaxed) as i64));
    Ok(TupleObj::new_value(parts))
}

fn reset_registry(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let p = posargs(vm, "_reset_registry", a, 1, 1)?;
    let imp = impl_of(vm, &p[0])?;
    clear(&data(&imp).registry);
    Ok(Value::none())
}

fn reset_caches(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let p = posargs(vm, "_reset_caches", a, 1, 1)?;
    let imp = impl_of(vm, &p[0])?;
    clear(&data(&imp).cache);
    clear(&data(&imp).negative);
    Ok(Value::none())
}

/// Instances of an abstract class cannot be created (`object.__new__`'s check:
/// CPython's `Py_TPFLAGS_IS_ABSTRACT`, set by assigning a non-empty
/// `__abstractmethods__`).
pub fn check_instantiable(vm: &mut Vm, cls: &Value) -> PyResult<()> {
    let Some(td) = as_type(cls) else {
        return Ok(());
    };
    if !td.is_heap {
        return Ok(());
    }
    let Some(abs) = td.dict.get_str("__abstractmethods__") else {
        return Ok(());
    };
    let mut names: Vec<String> = ops::collect(vm, &abs)?
        .iter()
        .filter_map(|n| crate::types::str::as_str(n).map(str::to_string))
        .collect();
    if names.is_empty() {
        return Ok(());
    }
    names.sort();
    let s = if names.len() > 1 { "s" } else { "" };
    Err(vm.type_error(format!(
        "Can't instantiate abstract class {} with abstract method{s} {}",
        td.name,
        names.join(", ")
    )))
}
