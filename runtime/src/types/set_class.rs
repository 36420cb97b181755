//! `obj.__class__ = cls`: an instance changes its class in place (object's `__class__`
//! setter). Allowed between heap classes whose instances have the same layout (same
//! payload and deallocator, instance dict, slots, collector tracking), so that
//! everything the old class laid out is what the new class expects.
//!
//! Specialized code needs nothing more: every specialized instruction and trace guard
//! reads the object's type from its header and checks that type's version, so an
//! object whose class changed just misses and deoptimizes.
use crate::object::ObjHeader;
use crate::types::class::{Kind, TypeData, as_type};
use crate::value::Value;
use crate::vm::{PyResult, Vm};

/// Do instances of `a` and `b` have the same layout?
fn same_layout(a: &TypeData, b: &TypeData) -> bool {
    // Modules and their Python subclasses all are `ModuleObj`s (types/layout.rs).
    let both_modules = a.kind == Kind::Module && b.kind == Kind::Module;
    let slots = |t: &TypeData| t.slots.clone().unwrap_or_default();
    (both_modules
        || (std::ptr::fn_addr_eq(a.dealloc, b.dealloc)
            && a.has_dict == b.has_dict
            && a.dict_offset == b.dict_offset))
        && a.kind == b.kind
        && slots(a) == slots(b)
        && a.is_exception == b.is_exception
        && a.gc.is_some() == b.gc.is_some()
        // CPython's instances carry a weak reference list or not (stitch keeps weak
        // references outside the object, but the layouts differ there).
        && (both_modules || weak(a) == weak(b))
}

fn weak(t: &TypeData) -> bool {
    t.is_heap && crate::types::weakref::heap_class_weakrefable(t)
}

/// Set `obj`'s class to `v`, with CPython's errors.
pub fn set_class(vm: &mut Vm, obj: &Value, v: Value) -> PyResult<()> {
    let Some(new) = as_type(&v) else {
        let tn = v.type_data().name.clone();
        return Err(vm.type_error(format!(
            "__class__ must be set to a class, not '{tn}' object"
        )));
    };
    let old = obj.type_data();
    // Modules may change between `module` and its subclasses (the lazy-module and
    // deprecation patterns assign `sys.modules[__name__].__class__`).
    let module = crate::world::types().module;
    let modules = old.is_subtype_raw(module) && new.is_subtype_raw(module);
    if !modules && (!new.is_heap || !old.is_heap) || as_type(obj).is_some() {
        return Err(vm.type_error(
            "__class__ assignment only supported for mutable types or ModuleType subclasses",
        ));
    }
    if !same_layout(old, new)
        || (!modules && crate::types::set_bases::layouts_differ(&obj.type_of(), &v))
    {
        return Err(vm.type_error(format!(
            "__class__ assignment: '{}' object layout differs from '{}'",
            new.name, old.name
        )));
    }
    let h = obj.raw().as_ptr() as *mut ObjHeader;
    let swap = || {
        // SAFETY: `obj` is a live heap object, so `h` points at its header; with other
        // threads running the world is stopped (no thread is between reading the type
        // and using it), and the object keeps one reference to its class, moved here
        // from `v` to the header and from the header to `old_ty`.
        unsafe {
            let old_ty = (*h).ob_type;
            (*h).ob_type = v.clone().into_raw().as_ptr() as *const ObjHeader;
            Value::from_raw(stitch_stencils::RawValue::from_ptr(old_ty as *const u8))
        }
    };
    let old_ty = crate::thread_state::stop_the_world(swap);
    // Released after the world restarts (the class may be freed, running code).
    drop(old_ty);
    Ok(())
}
