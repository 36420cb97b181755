//! Type version tags: a number that names "this class and everything in its MRO, as
//! they are now", so a specialized instruction can check one word instead of walking
//! the MRO (CPython's `tp_version_tag`).
//!
//! Protocol (any thread may read; writers are class mutations and the specializer):
//! - A tag is assigned lazily from a global counter, so tags are never reused: a class
//!   freed and another allocated at the same address get different tags, and a cache
//!   that names a tag can never match the wrong class.
//! - `0` means "no valid tag". A change to a class's dict (setattr/delattr on the
//!   class) stores `0` in that class and, recursively, in every subclass, *after* the
//!   dict has changed (`Release`). A specializer reads the tag (assigning one if
//!   needed, `Acquire`) *before* it looks anything up, so a lookup that raced with a
//!   change is recorded under a tag that is already dead and never matches again.
//! - Lookups behind a specialization may be served by the per-thread attribute cache
//!   (`attr_cache`), so a class-dict change invalidates that cache's epoch before it
//!   zeroes the tag: a tag assigned afterwards can never be paired with a cached old
//!   value (found by a debug-build use-after-free check under a writer/readers race).
//! - Subclasses are tracked by address in their bases' `subclasses` lists; a class
//!   removes itself from its bases' lists when it is freed (its bases outlive it: it
//!   holds references to them).
use stitch_sync::shim::Ordering;

use super::class::TypeData;

/// Tags handed out so far (0 is never a tag). std atomic: a plain counter, not part of
/// a protocol that loom models.
static NEXT_TAG: std::sync::atomic::AtomicU32 = std::sync::atomic::AtomicU32::new(1);

/// The class's current tag, assigning a fresh one if it has none. Returns 0 only when
/// the tag space is exhausted (then nothing is specialized on this class any more).
pub fn type_version(td: &TypeData) -> u32 {
    let v = td.version.load(Ordering::Acquire);
    if v != 0 {
        return v;
    }
    let fresh = NEXT_TAG.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    if fresh == u32::MAX {
        NEXT_TAG.store(u32::MAX, std::sync::atomic::Ordering::Relaxed);
        return 0;
    }
    match td
        .version
        .compare_exchange(0, fresh, Ordering::AcqRel, Ordering::Acquire)
    {
        Ok(_) => fresh,
        Err(other) => other,
    }
}

/// The tag as it is now (0 = none); the hot-path check of specialized instructions.
#[inline(always)]
pub fn current_version(td: &TypeData) -> u32 {
    td.version.load(Ordering::Acquire)
}

/// The class's dict changed: forget its tag and every subclass's.
pub fn type_modified(td: &TypeData) {
    td.version.store(0, Ordering::Release);
    let subs = td.subclasses.get_clone();
    for s in subs {
        // SAFETY: addresses in `subclasses` are live classes: a class removes itself
        // from its bases' lists in its destructor, before its memory is freed.
        let sub = unsafe { &*(s as *const TypeData) };
        type_modified(sub);
    }
}

/// Change a class's dict through `change`, then invalidate the attribute caches and
/// the class's tag (and its subclasses'); whatever `change` returns (the replaced or removed values) is released
/// only after that.
///
/// Specialized instructions use objects from class dicts *borrowed* under a version
/// check; the reference the dict held is what keeps them alive. With other threads
/// running, the change therefore happens under stop-the-world: every other thread is
/// parked at an eval-breaker check (between instructions, never between a version
/// check and its use) or blocked outside Python code, and it sees the new tag when it
/// resumes.
pub fn modify_class_dict<R>(td: &TypeData, change: impl FnOnce(&TypeData) -> R) -> R {
    let apply = || {
        let r = change(td);
        // The per-thread lookup caches must be stale before the tag is: a specializer
        // that assigns a fresh tag next must not be served the old value by its cache
        // (it would record the old value, borrowed, under the new tag).
        crate::types::attr_cache::invalidate();
        type_modified(td);
        r
    };
    crate::thread_state::stop_the_world(apply)
}

/// Record `sub` (by the address of its `TypeData`) as a subclass of each of its bases.
pub fn register_subclass(sub: &TypeData, bases: &[crate::value::Value]) {
    let addr = sub as *const TypeData as usize;
    for b in bases {
        if let Some(bt) = super::class::as_type(b) {
            bt.subclasses.with(|s| s.push(addr));
        }
    }
}

/// The live direct subclasses of class `cls` (`type.__subclasses__()`), as new
/// references. A subclass being freed right now (count zero, not yet out of the list)
/// is skipped: its entry leaves the list under the same lock before its memory goes.
pub fn subclasses_of(cls: &crate::value::Value) -> Vec<crate::value::Value> {
    let Some(td) = super::class::as_type(cls) else {
        return vec![];
    };
    let me = crate::object::current_tid();
    let header = std::mem::offset_of!(crate::object::PyObj<super::class::TypeData>, payload);
    td.subclasses.with(|s| {
        s.iter()
            .filter_map(|&addr| {
                let h = (addr - header) as *const stitch_stencils::header::ObjHeader;
                // SAFETY: listed classes are allocated (see above).
                let counts = crate::object::Counts(unsafe { &*h });
                stitch_sync::weakref::try_incref(&counts, || me).then(|| {
                    // SAFETY: `try_incref` took a strong reference for us.
                    unsafe {
                        crate::value::Value::from_raw(stitch_stencils::value::RawValue::from_ptr(
                            h as *const u8,
                        ))
                    }
                })
            })
            .collect()
    })
}

/// Remove a dying class from its bases' subclass lists.
pub fn unregister_subclass(td: &TypeData) {
    let addr = td as *const TypeData as usize;
    for b in td.bases.get_clone() {
        if let Some(bt) = super::class::as_type(&b) {
            bt.subclasses.with(|s| s.retain(|&x| x != addr));
        }
    }
}
