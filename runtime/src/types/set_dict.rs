//! `obj.__dict__ = d`: an instance swaps its attribute dict for another dict (object's
//! `__dict__` setter; `_threading_local` switches an object between per-thread dicts
//! this way on every access). `del obj.__dict__` replaces it with an empty dict.
//!
//! Readers take the dict pointer from the instance without a reference of their own
//! (attribute loads, specialized instructions), so the pointer is only replaced when
//! no other thread can be between reading it and using it: with other threads
//! running, inside a stop-the-world (parked threads are at safe points, detached ones
//! touch no object). The old dict is released after the world restarts. Paths that
//! may run Python code while using the dict (a key's `__eq__`) hold a reference
//! (`ops::attr`), so a swap from that code cannot free the dict under them.
use crate::object::{ObjHeader, PyObj};
use crate::types::class::Kind;
use crate::types::dict::DictObj;
use crate::types::instance::Instance;
use crate::value::Value;
use crate::vm::{PyResult, Vm};

/// The field holding `obj`'s instance dict, if its layout has one that is set.
fn dict_slot(obj: &Value) -> Option<*mut Value> {
    if !obj.raw().is_ptr() {
        return None;
    }
    let td = obj.type_data();
    let p = match td.kind {
        Kind::Object => {
            let o = obj.raw().as_ptr() as *mut PyObj<Instance>;
            // SAFETY: Kind::Object instances are `PyObj<Instance>`; no reference is made.
            unsafe { std::ptr::addr_of_mut!((*o).payload.dict) }
        }
        _ if (td.is_heap || td.native.is_some()) && td.dict_offset != 0 => {
            // SAFETY: as `TypeData::instance_dict`: the dict of a Python subclass of a
            // builtin sits at `dict_offset` in the payload, after the header.
            unsafe {
                obj.raw()
                    .as_ptr()
                    .add(std::mem::size_of::<ObjHeader>() + td.dict_offset)
                    as *mut Value
            }
        }
        _ => return None,
    };
    // SAFETY: `p` points at an initialised `Value` field of the live object.
    if unsafe { (*p).is_null() } {
        None
    } else {
        Some(p)
    }
}

/// Does `obj` have an instance dict that `__dict__` assignment can replace?
pub fn has_settable_dict(obj: &Value) -> bool {
    dict_slot(obj).is_some()
}

/// `obj.__dict__ = v` (`v` `None`: `del obj.__dict__`), with CPython's errors.
pub fn set_dict(vm: &mut Vm, obj: &Value, v: Option<Value>) -> PyResult<()> {
    let Some(slot) = dict_slot(obj) else {
        let tn = obj.type_data().name.clone();
        return Err(vm.attribute_error(format!("'{tn}' object has no attribute '__dict__'")));
    };
    // Deleting leaves the instance with no attributes (CPython makes a fresh dict on
    // the next access; stitch's instances always have one).
    let v = v.unwrap_or_else(DictObj::new_value);
    if v.downcast::<DictObj>().is_none() {
        let tn = v.type_data().name.clone();
        return Err(vm.type_error(format!(
            "__dict__ must be set to a dictionary, not a '{tn}'"
        )));
    }
    let swap = move || {
        // SAFETY: `slot` is the object's dict field (kept alive by the caller's
        // reference); no other thread reads it meanwhile (single-threaded, or the
        // world is stopped); the object's reference moves from `v` into the field and
        // from the field into the returned value.
        unsafe { std::ptr::replace(slot, v) }
    };
    let old = crate::thread_state::stop_the_world(swap);
    // Released after the world restarts (freeing it may run finalizers).
    drop(old);
    Ok(())
}
