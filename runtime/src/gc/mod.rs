//! The cycle collector: finds groups of objects that only reference each other
//! (reference counting alone never frees them) and breaks them.
//!
//! - **Tracking** (`list.rs`): container objects (those whose type has [`GcOps`]) are
//!   allocated with a prefix linking them on a per-thread list; ints, floats, strs and
//!   bytes are not.
//! - **Traversal**: each container payload type implements [`Traverse`] (next to its
//!   type, in `traverse.rs` for the builtins): `traverse` visits every reference the
//!   object holds, `clear` drops the ones that can form cycles (CPython's
//!   `tp_traverse`/`tp_clear`). A type's ops live in its `TypeData::gc`, chosen when the
//!   type is made from its instance payload ([`ops_for`]).
//! - **Collection** (`collect.rs`): CPython's algorithm, run with the world stopped
//!   after merging every thread's queued biased counts; then PEP 442 finalizers, weak
//!   references and clearing, with the world running again.
//! - **Automatic collection** (`auto.rs`): one generation, CPython 3.11's API shape
//!   (three thresholds and counts; only the first of each is used). A collection is
//!   requested when tracked allocations minus frees since the last one exceed
//!   `threshold0` *and* a quarter of the objects that survived it (as CPython 3.13's
//!   free-threaded collector does, so that big heaps are not rescanned every 700
//!   allocations), and runs at the requesting thread's next safe point.
pub mod auto;
pub mod collect;
pub mod list;
pub mod traverse;

use std::any::TypeId;

use stitch_stencils::header::ObjHeader;
use stitch_stencils::value::RawValue;

use crate::object::PyObj;

pub use auto::{note_alloc, note_free};

/// Visits each reference an object holds (NULLs and non-heap values may be passed).
pub type Visit<'a> = &'a mut dyn FnMut(RawValue);

/// `traverse` of one type, on the object's header.
pub type TraverseFn = unsafe fn(*const ObjHeader, Visit<'_>);
/// `clear` of one type: drop the references that may form cycles.
pub type ClearFn = unsafe fn(*const ObjHeader);

/// How the collector walks and breaks objects of one type.
#[derive(Clone, Copy)]
pub struct GcOps {
    pub traverse: TraverseFn,
    pub clear: ClearFn,
}

/// A payload holding references to other objects.
pub trait Traverse: 'static {
    /// Visit every reference held (as `Value::raw()` words).
    fn traverse(&self, visit: Visit<'_>);
    /// Drop the references that can form cycles (the object stays usable: empty).
    fn clear(&self) {}
}

/// The ops for payload `T`.
pub fn ops<T: Traverse>() -> GcOps {
    GcOps {
        traverse: traverse_as::<T>,
        clear: clear_as::<T>,
    }
}

/// # Safety
/// `h` is a live `PyObj<T>` (or a `PyObj<SubObj<T>>`, which starts the same).
unsafe fn traverse_as<T: Traverse>(h: *const ObjHeader, visit: Visit<'_>) {
    // SAFETY: guaranteed by the caller.
    unsafe { (*(h as *const PyObj<T>)).payload.traverse(visit) }
}

/// # Safety
/// As [`traverse_as`].
unsafe fn clear_as<T: Traverse>(h: *const ObjHeader) {
    // SAFETY: guaranteed by the caller.
    unsafe { (*(h as *const PyObj<T>)).payload.clear() }
}

/// The ops of instances whose payload is the Rust type `t`, if it holds references.
pub fn ops_for(t: TypeId) -> Option<GcOps> {
    traverse::TABLE
        .iter()
        .find(|(id, _)| id() == t)
        .map(|(_, ops)| ops())
}

/// Visit `v` if it is set (a convenience for `traverse` bodies).
#[inline(always)]
pub fn visit_value(v: &crate::value::Value, visit: Visit<'_>) {
    if v.is_ptr() {
        visit(v.raw());
    }
}

/// The references of the object at `h` as the collector sees them: its type (every
/// object holds one) and what its type's ops visit.
///
/// # Safety
/// `h` is a live object.
pub unsafe fn referents(h: *const ObjHeader, visit: Visit<'_>) {
    // SAFETY: guaranteed by the caller; every type object is a `PyObj<TypeData>`.
    unsafe {
        let ty = (*h).ob_type;
        if !ty.is_null() {
            visit(RawValue::from_ptr(ty as *const u8));
            let td = &(*(ty as *const PyObj<crate::types::class::TypeData>)).payload;
            if let Some(ops) = td.gc {
                (ops.traverse)(h, visit);
            }
        }
    }
}

/// `gc.callbacks` and `gc.garbage` (immortal lists made by the `gc` module), once it
/// has been imported.
static CALLBACKS: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
static GARBAGE: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);

/// Publish the module's `callbacks` and `garbage` lists (made immortal).
pub fn set_module_lists(callbacks: &crate::value::Value, garbage: &crate::value::Value) {
    use std::sync::atomic::Ordering;
    crate::object::make_immortal(callbacks.raw());
    crate::object::make_immortal(garbage.raw());
    CALLBACKS.store(callbacks.bits(), Ordering::Release);
    GARBAGE.store(garbage.bits(), Ordering::Release);
}

type ListRef = &'static crate::types::list::ListObj;

/// (`gc.callbacks`, `gc.garbage`).
pub(crate) fn module_lists() -> (Option<ListRef>, Option<ListRef>) {
    use std::sync::atomic::Ordering;
    let get = |c: &std::sync::atomic::AtomicU64| -> Option<ListRef> {
        let bits = c.load(Ordering::Acquire);
        if bits == 0 {
            return None;
        }
        let p = RawValue(bits).as_ptr() as *const PyObj<crate::types::list::ListObj>;
        // SAFETY: the published values are immortal list objects.
        Some(unsafe { &(*p).payload })
    };
    (get(&CALLBACKS), get(&GARBAGE))
}
