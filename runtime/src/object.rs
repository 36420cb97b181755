//! Heap object memory: allocation, biased reference counting (owner fast path), and
//! deallocation.
//!
//! Every heap object is a `PyObj<T>`: the fixed [`ObjHeader`] followed by a Rust payload.
//! The type object (pointed to by the header) carries the `dealloc` function that knows
//! the payload type, so a decref that reaches zero can free any object.
//!
//! Reference counting follows PEP 703's biased scheme. The owner thread (the one that
//! allocated the object) counts in `ob_ref_local` without atomics; other threads use the
//! atomic `ob_ref_shared`. Until the threads crate lands the non-owner path is only
//! reached by objects whose owner gave them up (`ob_tid == 0`), and it frees the object
//! when the combined count reaches zero. The queue-to-owner protocol belongs to the
//! threads issue and plugs into [`decref_slow`].
//!
//! Deallocation is iterative past a small depth (a "trashcan"): freeing a million-deep
//! chain of tuples must not overflow the native stack.
use std::cell::{Cell, RefCell};
use std::sync::atomic::{AtomicBool, AtomicI64, Ordering};

pub use stitch_stencils::header::{IMMORTAL_LOCAL, ObjHeader, SHARED_SHIFT};
use stitch_stencils::value::RawValue;

/// A heap object: header then payload. `#[repr(C)]` so the header is at offset 0.
#[repr(C)]
pub struct PyObj<T> {
    pub header: ObjHeader,
    pub payload: T,
}

/// Signature of a type's deallocator: drops the payload and frees the memory.
pub type DeallocFn = unsafe fn(*mut ObjHeader);

thread_local! {
    static THREAD_ID: Cell<u64> = const { Cell::new(1) };
    static DEALLOC_DEPTH: Cell<u32> = const { Cell::new(0) };
    static DEALLOC_PENDING: RefCell<Vec<usize>> = const { RefCell::new(Vec::new()) };
}

/// The current thread's id (never reused; the main thread is 1).
#[inline(always)]
pub fn current_tid() -> u64 {
    THREAD_ID.with(|t| t.get())
}

/// Set by the thread registry when a thread attaches.
pub fn set_current_tid(tid: u64) {
    THREAD_ID.with(|t| t.set(tid));
}

static COUNT_LIVE: AtomicBool = AtomicBool::new(cfg!(debug_assertions));
static LIVE_OBJECTS: AtomicI64 = AtomicI64::new(0);

/// Turn the live-object counter on (debug builds have it on always).
pub fn enable_live_count() {
    COUNT_LIVE.store(true, Ordering::Relaxed);
}

/// Number of heap objects allocated and not yet freed (0 when counting is off).
pub fn live_objects() -> i64 {
    LIVE_OBJECTS.load(Ordering::Relaxed)
}

/// Allocate a heap object of type `ty` owned by the current thread, with one reference.
pub fn alloc<T>(ty: RawValue, payload: T) -> RawValue {
    if COUNT_LIVE.load(Ordering::Relaxed) {
        LIVE_OBJECTS.fetch_add(1, Ordering::Relaxed);
    }
    let obj = Box::new(PyObj {
        header: ObjHeader::new(current_tid(), ty.as_ptr() as *const ObjHeader),
        payload,
    });
    if ty.is_ptr() {
        incref(ty);
    }
    RawValue::from_ptr(Box::into_raw(obj) as *const u8)
}

/// Make an object immortal: reference counting skips it from now on.
pub fn make_immortal(v: RawValue) {
    if v.is_ptr() {
        // Immortal objects are never freed, so they leave the live-object count.
        // SAFETY: v is live; reading the local count is owner-only and we are the owner.
        let already =
            unsafe { *(*(v.as_ptr() as *const ObjHeader)).ob_ref_local.get() == IMMORTAL_LOCAL };
        if !already && COUNT_LIVE.load(Ordering::Relaxed) {
            LIVE_OBJECTS.fetch_sub(1, Ordering::Relaxed);
        }
        // SAFETY: v is a live heap object; immortalisation happens while only the
        // creating thread can see it (world setup, constants of a code object).
        unsafe { *(*(v.as_ptr() as *mut ObjHeader)).ob_ref_local.get() = IMMORTAL_LOCAL };
    }
}

/// Drop function used as every type's `dealloc`, instantiated per payload type.
///
/// # Safety
/// `p` must be a `PyObj<T>` allocated by [`alloc`] whose count reached zero.
pub unsafe fn dealloc_as<T>(p: *mut ObjHeader) {
    // SAFETY: caller guarantees `p` came from `Box<PyObj<T>>::into_raw`.
    let obj = unsafe { Box::from_raw(p as *mut PyObj<T>) };
    let ty = RawValue::from_ptr(obj.header.ob_type as *const u8);
    drop(obj);
    if COUNT_LIVE.load(Ordering::Relaxed) {
        LIVE_OBJECTS.fetch_sub(1, Ordering::Relaxed);
    }
    decref(ty);
}

#[inline(always)]
pub fn incref(v: RawValue) {
    if v.is_ptr() {
        let h = v.as_ptr() as *const ObjHeader;
        // SAFETY: v is a live heap object (the caller holds a reference); the local
        // count is only written by the owner thread, which we check first.
        unsafe {
            let local = (*h).ob_ref_local.get();
            if *local == IMMORTAL_LOCAL {
                return;
            }
            if (*h).ob_tid == current_tid() {
                *local += 1;
            } else {
                (*h).ob_ref_shared
                    .fetch_add(1 << SHARED_SHIFT, Ordering::Relaxed);
            }
        }
    }
}

#[inline(always)]
pub fn decref(v: RawValue) {
    if v.is_ptr() {
        let h = v.as_ptr() as *mut ObjHeader;
        // SAFETY: as in `incref`; the caller gives up one reference.
        unsafe {
            let local = (*h).ob_ref_local.get();
            if *local == IMMORTAL_LOCAL {
                return;
            }
            if (*h).ob_tid == current_tid() {
                *local -= 1;
                if *local == 0 {
                    merge_zero_local(h);
                }
            } else {
                decref_shared(h);
            }
        }
    }
}

/// The owner dropped its last local reference.
#[cold]
unsafe fn merge_zero_local(h: *mut ObjHeader) {
    // SAFETY: h is live; only the owner reaches here.
    unsafe {
        let shared = (*h).ob_ref_shared.load(Ordering::Acquire);
        if shared >> SHARED_SHIFT == 0 {
            dealloc(h);
        } else {
            // Other threads still hold references: give up ownership so the shared
            // count alone decides the object's life (the merged state).
            (*h).ob_tid = 0;
            (*h).ob_ref_shared.fetch_or(0b11, Ordering::Release);
        }
    }
}

#[cold]
unsafe fn decref_shared(h: *mut ObjHeader) {
    // SAFETY: h is live; the caller held a shared reference.
    unsafe {
        let new = (*h)
            .ob_ref_shared
            .fetch_sub(1 << SHARED_SHIFT, Ordering::AcqRel)
            - (1 << SHARED_SHIFT);
        if new >> SHARED_SHIFT <= 0 && (*h).ob_tid == 0 && *(*h).ob_ref_local.get() == 0 {
            dealloc(h);
        }
    }
}

/// Free an object whose count reached zero, iteratively past depth 64.
unsafe fn dealloc(h: *mut ObjHeader) {
    let depth = DEALLOC_DEPTH.with(|d| d.get());
    if depth >= 64 {
        let queued = DEALLOC_PENDING
            .try_with(|p| p.borrow_mut().push(h as usize))
            .is_ok();
        if queued {
            return;
        }
    }
    DEALLOC_DEPTH.with(|d| d.set(depth + 1));
    // SAFETY: h's count is zero; its type is alive (the object holds a reference).
    unsafe { dealloc_one(h) };
    if depth == 0 {
        while let Some(next) = DEALLOC_PENDING
            .try_with(|p| p.borrow_mut().pop())
            .ok()
            .flatten()
        {
            // SAFETY: queued objects had reached zero and were not freed yet.
            unsafe { dealloc_one(next as *mut ObjHeader) };
        }
    }
    DEALLOC_DEPTH.with(|d| d.set(depth));
}

unsafe fn dealloc_one(h: *mut ObjHeader) {
    // SAFETY: every type object is a `PyObj<TypeData>`.
    unsafe {
        let ty = (*h).ob_type as *const PyObj<crate::types::class::TypeData>;
        let f = (*ty).payload.dealloc;
        f(h);
    }
}

/// Reference count as seen by the owner (for tests and `sys.getrefcount`).
pub fn refcount(v: RawValue) -> i64 {
    if !v.is_ptr() {
        return i64::MAX;
    }
    let h = v.as_ptr() as *const ObjHeader;
    // SAFETY: v is live.
    unsafe {
        let local = *(*h).ob_ref_local.get();
        if local == IMMORTAL_LOCAL {
            return i64::MAX;
        }
        local as i64 + ((*h).ob_ref_shared.load(Ordering::Relaxed) >> SHARED_SHIFT)
    }
}

/// Interior mutability for object payloads (list items, dict tables, instance slots).
///
/// `with` hands out `&mut T` for the length of a closure that cannot reach the VM, so
/// it cannot run Python code and cannot re-enter the same object. This is the one place
/// where the per-object critical section (the header's lock byte) is taken once more
/// than one thread runs Python code; with a single thread it costs nothing.
pub struct ObjCell<T>(std::cell::UnsafeCell<T>);

impl<T> ObjCell<T> {
    pub const fn new(v: T) -> Self {
        ObjCell(std::cell::UnsafeCell::new(v))
    }

    #[inline(always)]
    pub fn with<R>(&self, f: impl FnOnce(&mut T) -> R) -> R {
        // SAFETY: one thread runs Python code at a time until free threading lands, and
        // the closure has no access to the VM, so no other `&mut` to this payload exists
        // while it runs.
        unsafe { f(&mut *self.0.get()) }
    }
}

impl<T: Clone> ObjCell<T> {
    pub fn get_clone(&self) -> T {
        self.with(|v| v.clone())
    }
}

// SAFETY: payloads are reached from several threads only under the per-object lock
// protocol described on `ObjCell::with` (the threads issue makes that lock real).
unsafe impl<T: Send> Sync for ObjCell<T> {}
