//! A class's MRO after it is made: a metaclass's `mro()` override (called when the
//! class is created and whenever its bases change) and `cls.__bases__ = (...)`, as
//! CPython's `mro_invoke` / `mro_internal` / `mro_hierarchy` / `type_set_bases`.
//!
//! `mro()` is Python code and may itself assign `__bases__` (of this class or of
//! another one): a recomputation that finds the MRO replaced meanwhile leaves the newer
//! one alone, and an assignment whose bases were replaced meanwhile does not touch the
//! subclass lists, so reentrance never makes a cycle through bases or subclasses.
use crate::ops;
use crate::types::class::{TypeData, as_type, c3_mro, replace_mro, solid_base, type_data_raw};
use crate::types::tuple::TupleObj;
use crate::value::Value;
use crate::vm::{PyResult, Vm};
use crate::world::types;
use std::sync::atomic::Ordering;

/// `type.mro(cls)`: the C3 linearisation of the class's current bases.
pub fn c3_of(vm: &mut Vm, cls: &Value) -> PyResult<Vec<Value>> {
    let Some(td) = as_type(cls) else {
        return Err(vm.type_error("descriptor 'mro' requires a 'type' object"));
    };
    let bases = td.bases.get_clone();
    if !td.is_heap {
        return Ok(td.mro.get_clone());
    }
    c3_mro(cls, &bases).map_err(|m| vm.type_error(m))
}

/// The `mro` a class's metaclass defines, when it is not `type.mro` itself.
fn custom_mro(cls: &Value) -> Option<(Value, Value)> {
    let meta = cls.type_of();
    if meta.raw() == types().type_ {
        return None;
    }
    let m = as_type(&meta)?.lookup("mro")?;
    let own = type_data_raw(types().type_).dict.get_str("mro");
    if own.is_some_and(|o| o.is(&m)) {
        return None;
    }
    Some((m, meta))
}

/// Does the class's metaclass override `mro()`?
pub fn has_custom_mro(cls: &Value) -> bool {
    custom_mro(cls).is_some()
}

/// CPython's `mro_invoke`: the metaclass's `mro()` (checked: classes only, each with a
/// layout the class's instances have) or C3.
pub fn mro_invoke(vm: &mut Vm, cls: &Value) -> PyResult<Vec<Value>> {
    let Some((m, meta)) = custom_mro(cls) else {
        return c3_of(vm, cls);
    };
    let bound = ops::bind_descriptor(vm, m, cls, &meta)?;
    let r = vm.call(&bound, &[])?;
    let items = ops::collect(vm, &r)?;
    if items.is_empty() {
        return Err(vm.type_error("type MRO must not be empty"));
    }
    let td = as_type(cls).expect("class");
    let solid = solid_base(td, cls.raw());
    for e in &items {
        let Some(et) = as_type(e) else {
            let tn = crate::types::native::tp_name(e.type_data());
            return Err(vm.type_error(format!("mro() returned a non-class ('{tn}')")));
        };
        if !type_data_raw(solid).is_subtype_raw(solid_base(et, e.raw())) {
            let n = et.name.clone();
            return Err(vm.type_error(format!(
                "mro() returned base with unsuitable layout ('{n}')"
            )));
        }
    }
    Ok(items)
}

/// A freshly made class whose metaclass overrides `mro()`: that MRO replaces C3.
/// While `mro()` runs the class has no MRO yet (CPython's `tp_mro == NULL`:
/// `__mro__` is None, lookups find nothing, it cannot be subclassed); when `mro()`
/// set one itself (assigning `__bases__`), that one stays.
pub fn apply_custom_mro(vm: &mut Vm, cls: &Value) -> PyResult<()> {
    if has_custom_mro(cls) {
        let td = as_type(cls).expect("class");
        drop(replace_mro(cls, Vec::new()));
        let gen0 = td.mro_gen.load(Ordering::Relaxed);
        let mro = mro_invoke(vm, cls)?;
        if td.mro_gen.load(Ordering::Relaxed) == gen0 {
            drop(replace_mro(cls, mro));
        }
    }
    Ok(())
}

/// One class's MRO replaced by `mro_hierarchy`: the class, its MRO generation right
/// after, and the MRO before (for the undo).
type Changed = (Value, u32, Vec<Value>);

/// CPython's `mro_internal`: recompute and store; false when `mro()` replaced the MRO
/// itself meanwhile (reentrance), which is then kept.
fn mro_internal(vm: &mut Vm, cls: &Value, log: &mut Vec<Changed>) -> PyResult<bool> {
    let td = as_type(cls).expect("class");
    let gen0 = td.mro_gen.load(Ordering::Relaxed);
    let new = mro_invoke(vm, cls)?;
    if td.mro_gen.load(Ordering::Relaxed) != gen0 {
        return Ok(false);
    }
    let old = replace_mro(cls, new);
    log.push((cls.clone(), td.mro_gen.load(Ordering::Relaxed), old));
    Ok(true)
}

/// CPython's `mro_hierarchy`: the class, then every subclass, depth first.
fn mro_hierarchy(vm: &mut Vm, cls: &Value, log: &mut Vec<Changed>) -> PyResult<()> {
    if !mro_internal(vm, cls, log)? {
        return Ok(());
    }
    for sub in crate::types::type_version::subclasses_of(cls) {
        mro_hierarchy(vm, &sub, log)?;
    }
    Ok(())
}

/// Is `target` reached from `b` along the `__base__` chain (assigned before any
/// `mro()` runs, so it shows a cycle an MRO not yet recomputed hides)?
fn base_chain_reaches(b: &Value, target: &Value) -> bool {
    let mut cur = Some(b.clone());
    // A chain longer than this is itself a cycle.
    for _ in 0..100_000 {
        let Some(c) = cur else { return false };
        if c.is(target) {
            return true;
        }
        cur = as_type(&c).and_then(|t| t.best_base());
    }
    true
}

/// CPython's `best_base` over `bases` (all classes): the base whose solid base every
/// other's derives from.
fn best_base_of(vm: &mut Vm, bases: &[Value]) -> PyResult<Value> {
    let mut best: Option<(Value, stitch_stencils::value::RawValue)> = None;
    for b in bases {
        let bt = as_type(b).expect("class");
        if !bt.basetype.load(Ordering::Relaxed) {
            let n = crate::types::native::tp_name(bt);
            return Err(vm.type_error(format!("type '{n}' is not an acceptable base type")));
        }
        let solid = solid_base(bt, b.raw());
        match &best {
            None => best = Some((b.clone(), solid)),
            Some((_, w)) if type_data_raw(*w).is_subtype_raw(solid) => {}
            Some((_, w)) if type_data_raw(solid).is_subtype_raw(*w) => {
                best = Some((b.clone(), solid))
            }
            Some(_) => {
                return Err(vm.type_error("multiple bases have instance lay-out conflict"));
            }
        }
    }
    Ok(best.expect("non-empty bases").0)
}

/// Whether instances of `t` are freed the way a garbage-collected object is (CPython's
/// `tp_free`): every Python class, and the builtin containers.
fn frees_as_gc(t: &TypeData, raw: stitch_stencils::value::RawValue) -> bool {
    raw != types().object && (t.is_heap || t.gc.is_some())
}

/// CPython's `compatible_with_tp_base`: `t` adds nothing to its base's layout; then
/// that base.
fn adds_nothing(t: &TypeData) -> Option<Value> {
    let base = t.best_base()?;
    let bt = as_type(&base)?;
    let same = if t.is_heap {
        // A builtin base has no instance dict of its own here (as `object`).
        let dict = bt.is_heap && bt.has_dict;
        t.slots_len() == t.slots_inherited
            && t.has_dict == dict
            && t.is_exception == bt.is_exception
    } else {
        !bt.is_heap && bt.layout.payload == t.layout.payload
    };
    same.then_some(base)
}

/// CPython's `same_slots_added`: two Python classes extending one base the same way.
fn same_slots_added(a: &TypeData, b: &TypeData) -> bool {
    let own = |t: &TypeData| {
        t.slots
            .as_ref()
            .map(|s| s[t.slots_inherited..].to_vec())
            .unwrap_or_default()
    };
    a.is_heap
        && b.is_heap
        && own(a) == own(b)
        && a.has_dict == b.has_dict
        && crate::types::weakref::heap_class_weakrefable(a)
            == crate::types::weakref::heap_class_weakrefable(b)
}

/// CPython's `compatible_for_assignment`, for `__bases__`: the new best base lays out
/// instances as the old one did.
fn check_compatible(vm: &mut Vm, old: &Value, new: &Value) -> PyResult<()> {
    let (ot, nt) = (as_type(old).expect("class"), as_type(new).expect("class"));
    let (on, nn) = (ot.name.clone(), nt.name.clone());
    if frees_as_gc(ot, old.raw()) != frees_as_gc(nt, new.raw()) {
        return Err(vm.type_error(format!(
            "__bases__ assignment: '{nn}' deallocator differs from '{on}'"
        )));
    }
    // stitch's own instance layout must also stay: the builtin payload and the
    // exception state.
    if layouts_differ(old, new)
        || ot.layout.payload != nt.layout.payload
        || ot.is_exception != nt.is_exception
    {
        return Err(vm.type_error(format!(
            "__bases__ assignment: '{nn}' object layout differs from '{on}'"
        )));
    }
    Ok(())
}

/// The layout half of CPython's `compatible_for_assignment` (for `__bases__` and
/// `__class__`): past the classes that add nothing to their base's layout, the two
/// are one class, or siblings that added the same slots.
pub(crate) fn layouts_differ(old: &Value, new: &Value) -> bool {
    let walk = |v: &Value| {
        let mut cur = v.clone();
        while let Some(b) = as_type(&cur).and_then(adds_nothing) {
            cur = b;
        }
        cur
    };
    let (ob, nb) = (walk(old), walk(new));
    let (Some(obt), Some(nbt)) = (as_type(&ob), as_type(&nb)) else {
        return true;
    };
    !ob.is(&nb)
        && (!matches!((obt.best_base(), nbt.best_base()), (Some(x), Some(y)) if x.is(&y))
            || !same_slots_added(obt, nbt))
}

fn same_bases(td: &TypeData, bases: &[Value]) -> bool {
    td.bases
        .read(|b| b.len() == bases.len() && b.iter().zip(bases).all(|(x, y)| x.is(y)))
}

/// `cls.__bases__ = value` (`None`: `del cls.__bases__`), for a Python class.
pub fn set_bases(vm: &mut Vm, cls: &Value, value: Option<Value>) -> PyResult<()> {
    let td = as_type(cls).expect("class");
    let name = td.name.clone();
    if !td.is_heap {
        return Err(vm.type_error(format!(
            "cannot set '__bases__' attribute of immutable type '{name}'"
        )));
    }
    let Some(value) = value else {
        return Err(vm.type_error(format!(
            "cannot delete '__bases__' attribute of immutable type '{name}'"
        )));
    };
    let Some(tuple) = value.downcast::<TupleObj>() else {
        let tn = crate::types::native::tp_name(value.type_data());
        return Err(vm.type_error(format!(
            "can only assign tuple to {name}.__bases__, not {tn}"
        )));
    };
    let new_bases = tuple.items.to_vec();
    if new_bases.is_empty() {
        return Err(vm.type_error(format!(
            "can only assign non-empty tuple to {name}.__bases__, not ()"
        )));
    }
    for b in &new_bases {
        let Some(bt) = as_type(b) else {
            let tn = crate::types::native::tp_name(b.type_data());
            return Err(vm.type_error(format!(
                "{name}.__bases__ must be tuple of classes, not '{tn}'"
            )));
        };
        if bt.is_subtype_raw(cls.raw()) || base_chain_reaches(b, cls) {
            return Err(vm.type_error("a __bases__ item causes an inheritance cycle"));
        }
    }
    let new_best = best_base_of(vm, &new_bases)?;
    let old_best = td
        .best_base()
        .unwrap_or_else(|| Value::from_borrowed(types().object));
    check_compatible(vm, &old_best, &new_best)?;

    let old_bases = td.bases.with(|b| std::mem::replace(b, new_bases.clone()));
    let mut log = Vec::new();
    match mro_hierarchy(vm, cls, &mut log) {
        Ok(()) => {
            // Bases replaced again by a reentrant `mro()` were registered there.
            if same_bases(td, &new_bases) {
                remove_subclass(td, &old_bases);
                crate::types::type_version::register_subclass(td, &new_bases);
            }
            crate::types::attr_cache::invalidate();
            crate::types::type_version::type_modified(td);
            crate::types::class::hooks_changed();
            drop((old_bases, log));
            Ok(())
        }
        Err(e) => {
            // Undo, newest first, leaving an MRO a reentrant call replaced.
            for (c, gen_after, old_mro) in log.into_iter().rev() {
                let ct = as_type(&c).expect("class");
                if ct.mro_gen.load(Ordering::Relaxed) == gen_after {
                    drop(replace_mro(&c, old_mro));
                }
            }
            if same_bases(td, &new_bases) {
                let replaced = td.bases.with(|b| std::mem::replace(b, old_bases));
                drop(replaced);
            }
            crate::types::attr_cache::invalidate();
            Err(e)
        }
    }
}

/// Take the class (by its `TypeData` address) out of these bases' subclass lists.
fn remove_subclass(td: &TypeData, bases: &[Value]) {
    let addr = td as *const TypeData as usize;
    for b in bases {
        if let Some(bt) = as_type(b) {
            bt.subclasses.with(|s| {
                if let Some(i) = s.iter().position(|&x| x == addr) {
                    s.remove(i);
                }
            });
        }
    }
}
