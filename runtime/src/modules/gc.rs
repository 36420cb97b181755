//! `gc`: the interface of the cycle collector (`crate::gc`), with CPython 3.11's names,
//! signatures and messages.
//!
//! stitch's collector has one generation: the API keeps CPython's three (thresholds,
//! counts, stats), but a collection of any generation scans every tracked object, only
//! the first threshold triggers collections, the counts after the first are always 0,
//! and `get_objects(generation)` returns every tracked object whatever the generation.
//! Automatic collections are counted under generation 0 in `get_stats()`, and
//! `collect(g)` under `g`.
use std::sync::atomic::Ordering;

use num_traits::ToPrimitive;
use stitch_stencils::header::{FLAG_FINALIZED, FLAG_GC_FROZEN, ObjHeader};
use stitch_stencils::value::RawValue;

use crate::gc::auto::{ENABLED, THRESHOLDS};
use crate::gc::collect::{DEBUG, Reason, STATS};
use crate::types::dict::DictObj;
use crate::types::func::{NativeFn, new_module_builtin};
use crate::types::list::ListObj;
use crate::types::str::new_str;
use crate::types::tuple::TupleObj;
use crate::value::Value;
use crate::vm::{Args, PyResult, Vm};

pub fn init(_vm: &mut Vm) -> PyResult<Value> {
    let m = crate::import::new_module("gc", None);
    // SAFETY: new_module returns a module object.
    let d = unsafe { m.payload_unchecked::<crate::types::module::ModuleObj>() }.dict();
    for (name, f) in [
        ("enable", enable as NativeFn),
        ("disable", disable),
        ("isenabled", isenabled),
        ("collect", collect),
        ("get_count", get_count),
        ("get_threshold", get_threshold),
        ("set_threshold", set_threshold),
        ("get_debug", get_debug),
        ("set_debug", set_debug),
        ("get_objects", get_objects),
        ("get_referrers", get_referrers),
        ("get_referents", get_referents),
        ("is_tracked", is_tracked),
        ("is_finalized", is_finalized),
        ("freeze", freeze),
        ("unfreeze", unfreeze),
        ("get_freeze_count", get_freeze_count),
        ("get_stats", get_stats),
    ] {
        d.set_str(name, new_module_builtin(name, f, "gc"));
    }
    let callbacks = ListObj::new_value(Vec::new());
    let garbage = ListObj::new_value(Vec::new());
    crate::gc::set_module_lists(&callbacks, &garbage);
    d.set_str("callbacks", callbacks);
    d.set_str("garbage", garbage);
    for (name, v) in [
        ("DEBUG_STATS", crate::gc::collect::DEBUG_STATS),
        ("DEBUG_COLLECTABLE", crate::gc::collect::DEBUG_COLLECTABLE),
        (
            "DEBUG_UNCOLLECTABLE",
            crate::gc::collect::DEBUG_UNCOLLECTABLE,
        ),
        ("DEBUG_SAVEALL", crate::gc::collect::DEBUG_SAVEALL),
        ("DEBUG_LEAK", crate::gc::collect::DEBUG_LEAK),
    ] {
        d.set_str(name, Value::int(v as i64));
    }
    d.set_str("__doc__", new_str(DOC));
    Ok(m)
}

const DOC: &str = "This module provides access to the garbage collector for reference cycles.\n\nenable() -- Enable automatic garbage collection.\ndisable() -- Disable automatic garbage collection.\nisenabled() -- Returns true if automatic collection is enabled.\ncollect() -- Do a full collection right now.\nget_count() -- Return the current collection counts.\nget_stats() -- Return list of dictionaries containing per-generation stats.\nset_debug() -- Set debugging flags.\nget_debug() -- Get debugging flags.\nset_threshold() -- Set the collection thresholds.\nget_threshold() -- Return the current the collection thresholds.\nget_objects() -- Return a list of all objects tracked by the collector.\nis_tracked() -- Returns true if a given object is tracked.\nis_finalized() -- Returns true if a given object has been already finalized.\nget_referrers() -- Return the list of objects that refer to an object.\nget_referents() -- Return the list of objects that an object refers to.\nfreeze() -- Freeze all tracked objects and ignore them for future collections.\nunfreeze() -- Unfreeze all objects in the permanent generation.\nget_freeze_count() -- Return the number of objects in the permanent generation.\n";

fn none_args(vm: &mut Vm, name: &str, a: &Args) -> PyResult<()> {
    if !a.pos().is_empty() || a.kw().next().is_some() {
        return Err(vm.type_error(format!(
            "gc.{name}() takes no arguments ({} given)",
            a.pos().len() + a.kw().count()
        )));
    }
    Ok(())
}

/// The one positional argument of a METH_O function.
fn one_arg<'a>(vm: &mut Vm, name: &str, a: &Args<'a>) -> PyResult<&'a Value> {
    if a.kw().next().is_some() {
        return Err(vm.type_error(format!("gc.{name}() takes no keyword arguments")));
    }
    match a.pos() {
        [v] => Ok(v),
        p => Err(vm.type_error(format!(
            "gc.{name}() takes exactly one argument ({} given)",
            p.len()
        ))),
    }
}

/// An int argument as C `int` (CPython's "i" format).
fn c_int(vm: &mut Vm, v: &Value) -> PyResult<i64> {
    if v.is_float() {
        return Err(vm.type_error("'float' object cannot be interpreted as an integer"));
    }
    let n = crate::ops::to_index(vm, v)?;
    match n.to_i32() {
        Some(i) => Ok(i as i64),
        None if n.sign() == num_bigint::Sign::Minus => {
            Err(vm.overflow_error("signed integer is less than minimum"))
        }
        None => Err(vm.overflow_error("signed integer is greater than maximum")),
    }
}

fn enable(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    none_args(vm, "enable", a)?;
    ENABLED.store(true, Ordering::Relaxed);
    Ok(Value::none())
}

fn disable(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    none_args(vm, "disable", a)?;
    ENABLED.store(false, Ordering::Relaxed);
    Ok(Value::none())
}

fn isenabled(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    none_args(vm, "isenabled", a)?;
    Ok(Value::bool(ENABLED.load(Ordering::Relaxed)))
}

/// `collect(generation=2)`.
fn collect(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let p = super::args::bind(vm, "collect", a, &["generation"], 1, 0)?;
    let generation = match p[0] {
        Some(v) => c_int(vm, v)?,
        None => 2,
    };
    if !(0..=2).contains(&generation) {
        return Err(vm.value_error("invalid generation"));
    }
    let n = crate::gc::collect::collect(vm, Reason::Manual(generation as usize));
    Ok(Value::int(n as i64))
}

fn get_count(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    none_args(vm, "get_count", a)?;
    let c = crate::gc::auto::count();
    Ok(TupleObj::from_items([
        Value::int(c),
        Value::int(0),
        Value::int(0),
    ]))
}

fn get_threshold(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    none_args(vm, "get_threshold", a)?;
    Ok(TupleObj::new_value(
        THRESHOLDS
            .iter()
            .map(|t| Value::int(t.load(Ordering::Relaxed) as i32 as i64))
            .collect(),
    ))
}

/// `set_threshold(threshold0, [threshold1, [threshold2]])`.
fn set_threshold(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    if a.kw().next().is_some() {
        return Err(vm.type_error("set_threshold() takes no keyword arguments"));
    }
    let p = a.pos();
    if p.is_empty() || p.len() > 3 {
        let msg = if p.is_empty() {
            "set_threshold() takes at least 1 argument (0 given)".to_string()
        } else {
            format!(
                "set_threshold() takes at most 3 arguments ({} given)",
                p.len()
            )
        };
        return Err(vm.type_error(msg));
    }
    let mut vals = Vec::new();
    for v in p {
        vals.push(c_int(vm, v)?);
    }
    for (i, v) in vals.into_iter().enumerate() {
        THRESHOLDS[i].store(v as i32 as u32, Ordering::Relaxed);
    }
    Ok(Value::none())
}

fn get_debug(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    none_args(vm, "get_debug", a)?;
    Ok(Value::int(DEBUG.load(Ordering::Relaxed) as i64))
}

fn set_debug(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let p = super::args::bind(vm, "set_debug", a, &["flags"], 1, 1)?;
    let flags = c_int(vm, p[0].unwrap_or(&Value::NULL))?;
    DEBUG.store(flags as i32 as u32, Ordering::Relaxed);
    Ok(Value::none())
}

/// `get_objects(generation=None)`.
fn get_objects(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let p = super::args::bind(vm, "get_objects", a, &["generation"], 1, 0)?;
    if let Some(g) = p[0]
        && !g.is_none()
    {
        let g = c_int(vm, g)?;
        if g >= 3 {
            return Err(vm.value_error(
                "generation parameter must be less than the number of available generations (3)",
            ));
        }
        if g < -1 {
            return Err(vm.value_error("generation parameter cannot be negative"));
        }
    }
    let objs = crate::thread_state::stop_the_world(|| {
        crate::thread_state::merge_all_queues();
        let mut out = Vec::new();
        each_tracked(|h| out.push(Value::from_borrowed(RawValue::from_ptr(h as *const u8))));
        out
    });
    Ok(ListObj::new_value(objs))
}

/// Every tracked object, not frozen. Called with the world stopped.
fn each_tracked(mut f: impl FnMut(*mut ObjHeader)) {
    for l in crate::gc::list::all_lists() {
        // SAFETY: callers stop the world, so no list changes meanwhile.
        unsafe {
            l.for_each(|h| {
                if (*h).ob_flags.load(Ordering::Relaxed) & FLAG_GC_FROZEN == 0 {
                    f(h)
                }
            })
        };
    }
}

/// What `obj`'s type's traverse visits (plus its type for instances of heap classes),
/// as CPython's `tp_traverse` reports them.
fn referents_of(v: &Value, mut f: impl FnMut(RawValue)) {
    let Some(h) = v.header() else { return };
    let h = h as *const ObjHeader;
    let td = v.type_data();
    if td.is_heap {
        f(v.type_raw());
    }
    // The builtin containers also refer to their unboxed items (small ints, floats),
    // which CPython's objects are too; the collector's traversal skips them.
    if let Some(l) = v.downcast_exact::<ListObj>() {
        l.snapshot().iter().rev().for_each(|x| f(x.raw()));
        return;
    }
    if let Some(t) = v.downcast_exact::<TupleObj>() {
        t.items.iter().rev().for_each(|x| f(x.raw()));
        return;
    }
    if let Some(d) = v.downcast_exact::<DictObj>() {
        for (k, x) in d.items() {
            f(x.raw());
            f(k.raw());
        }
        return;
    }
    if let Some(ops) = td.gc {
        // SAFETY: `v` is live and its type's ops match its layout.
        unsafe {
            (ops.traverse)(h, &mut |r| {
                if r.is_ptr() {
                    f(r)
                }
            })
        };
    }
}

fn get_referrers(_vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let targets: Vec<RawValue> = a.pos().iter().map(|v| v.raw()).collect();
    let objs = crate::thread_state::stop_the_world(|| {
        crate::thread_state::merge_all_queues();
        let mut out = Vec::new();
        each_tracked(|h| {
            let v = Value::from_borrowed(RawValue::from_ptr(h as *const u8));
            let mut hit = false;
            referents_of(&v, |r| hit |= targets.contains(&r));
            if hit {
                out.push(v);
            }
        });
        out
    });
    Ok(ListObj::new_value(objs))
}

fn get_referents(_vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let mut out = Vec::new();
    for v in a.pos() {
        referents_of(v, |r| out.push(Value::from_borrowed(r)));
    }
    Ok(ListObj::new_value(out))
}

/// `is_tracked(obj)`. CPython leaves dicts holding only untracked keys and values
/// untracked (and untracks them in collections), and its empty tuple is a singleton
/// it never tracks: both are reported the same way here.
fn is_tracked(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let v = one_arg(vm, "is_tracked", a)?;
    let Some(h) = v.header() else {
        return Ok(Value::bool(false));
    };
    // CPython's builtin types are static objects, and a bare `object()` refers to
    // nothing: neither is ever tracked there.
    if crate::types::class::as_type(v).is_some_and(|td| !td.is_heap)
        || v.type_raw() == crate::world::types().object
    {
        return Ok(Value::bool(false));
    }
    // SAFETY: `v` is live.
    if !unsafe { crate::gc::list::is_tracked(h as *const ObjHeader) } {
        return Ok(Value::bool(false));
    }
    if let Some(t) = v.downcast_exact::<TupleObj>() {
        // CPython's empty tuple is an untracked singleton.
        return Ok(Value::bool(!t.items.is_empty()));
    }
    if let Some(d) = v.downcast_exact::<DictObj>() {
        let mut any = false;
        crate::gc::Traverse::traverse(d, &mut |r| {
            if r.is_ptr() {
                // SAFETY: a dict's keys and values are live.
                any |= unsafe { crate::gc::list::is_tracked(r.as_ptr() as *const ObjHeader) };
            }
        });
        return Ok(Value::bool(any));
    }
    Ok(Value::bool(true))
}

fn is_finalized(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let v = one_arg(vm, "is_finalized", a)?;
    let fin = v
        .header()
        .is_some_and(|h| h.ob_flags.load(Ordering::Relaxed) & FLAG_FINALIZED != 0);
    Ok(Value::bool(fin))
}

fn set_frozen(on: bool) {
    crate::thread_state::stop_the_world(|| {
        for l in crate::gc::list::all_lists() {
            // SAFETY: the world is stopped; the objects on the lists are live.
            unsafe {
                l.for_each(|h| {
                    if on {
                        (*h).ob_flags.fetch_or(FLAG_GC_FROZEN, Ordering::Relaxed);
                    } else {
                        (*h).ob_flags.fetch_and(!FLAG_GC_FROZEN, Ordering::Relaxed);
                    }
                })
            };
        }
    });
}

fn freeze(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    none_args(vm, "freeze", a)?;
    set_frozen(true);
    Ok(Value::none())
}

fn unfreeze(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    none_args(vm, "unfreeze", a)?;
    set_frozen(false);
    Ok(Value::none())
}

fn get_freeze_count(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    none_args(vm, "get_freeze_count", a)?;
    let n = crate::thread_state::stop_the_world(|| {
        let mut n = 0i64;
        for l in crate::gc::list::all_lists() {
            // SAFETY: the world is stopped.
            unsafe {
                l.for_each(|h| {
                    if (*h).ob_flags.load(Ordering::Relaxed) & FLAG_GC_FROZEN != 0 {
                        n += 1;
                    }
                })
            };
        }
        n
    });
    Ok(Value::int(n))
}

fn get_stats(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    none_args(vm, "get_stats", a)?;
    let s = *STATS.lock().unwrap_or_else(|p| p.into_inner());
    let out = s
        .iter()
        .map(|&(c, col, un)| {
            let d = DictObj::new_value();
            // SAFETY: `new_value` makes a dict.
            let dd = unsafe { d.payload_unchecked::<DictObj>() };
            dd.set_str("collections", Value::int(c as i64));
            dd.set_str("collected", Value::int(col as i64));
            dd.set_str("uncollectable", Value::int(un as i64));
            d
        })
        .collect();
    Ok(ListObj::new_value(out))
}

/// The tracked objects still alive (not immortal), counted by type name, most common first: what
/// `STITCH_LEAKS=1` prints after `-X stats`'s teardown to find what an acyclic
/// program failed to free.
pub fn live_tracked_by_type() -> Vec<(String, usize)> {
    let mut counts: std::collections::HashMap<String, usize> = std::collections::HashMap::new();
    crate::thread_state::stop_the_world(|| {
        crate::thread_state::merge_all_queues();
        each_tracked(|h| {
            // SAFETY: tracked objects are live while the world is stopped.
            let local = unsafe { (*h).ob_ref_local.load(Ordering::Relaxed) };
            if local == crate::object::IMMORTAL_LOCAL {
                return;
            }
            let v = Value::from_borrowed(RawValue::from_ptr(h as *const u8));
            let key = match crate::types::class::as_type(&v) {
                Some(t) => format!("type {}", t.name),
                None => v.type_data().name.clone(),
            };
            *counts.entry(key).or_default() += 1;
        });
    });
    let mut out: Vec<(String, usize)> = counts.into_iter().collect();
    out.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    out
}
