//! Heap object memory: allocation, biased reference counting, and deallocation.
//!
//! Every heap object is a `PyObj<T>`: the fixed [`ObjHeader`] followed by a Rust payload.
//! The type object (pointed to by the header) carries the `dealloc` function that knows
//! the payload type, so a decref that reaches zero can free any object.
//!
//! # Biased reference counting (PEP 703, after CPython's `Python/brc.c`)
//!
//! The counting rules are `stitch_sync::brc` (shared with the loom models); this file
//! supplies the header, freeing and queuing.
//!
//! - The owner thread (the one that allocated the object) counts in `ob_ref_local`
//!   with plain (relaxed) loads and stores; every other thread adds and subtracts on
//!   the atomic `ob_ref_shared`, in units of 4 (the two low bits are the state:
//!   default, queued, merged). The true count is `local + shared / 4`.
//! - Owner reaches local 0: if nothing is shared, free. If the object is queued (see
//!   below), leave it: the owner's merge will settle it. Otherwise *give up
//!   ownership*: mark the shared word merged and clear `ob_tid`; from then on only the
//!   shared count matters, and the thread that brings it to zero frees the object.
//! - Non-owner brings the shared count below zero (it is dropping a reference the
//!   owner counted locally): it marks the object queued, in the same compare-exchange,
//!   and hands it to the owner through the thread registry
//!   (`stitch_sync::threads::Registry::queue`). The owner merges queued objects at its
//!   next eval-breaker check: local moves into shared, the word becomes merged, and a
//!   zero total frees the object. A detached owner (blocked) is pinned and the queuing
//!   thread merges for it; an exited owner can no longer count, so the queuing thread
//!   merges itself. A queued object stays allocated until merged, so the owner's
//!   queue never holds a dangling pointer.
//! - Decrements on merged objects are plain atomic subtractions; the one that reaches
//!   zero frees.
//!
//! Deallocation is iterative past a small depth (a "trashcan"): freeing a million-deep
//! chain of tuples must not overflow the native stack.
use std::cell::{Cell, RefCell};
use std::sync::atomic::{AtomicBool, AtomicI64, Ordering};

use stitch_stencils::header::FLAG_GC_TRACKED;
pub use stitch_stencils::header::{IMMORTAL_LOCAL, ObjHeader, SHARED_SHIFT};
use stitch_stencils::value::RawValue;
use stitch_sync::brc::Next;

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
    /// Set when a deallocation past depth 64 was deferred to `DEALLOC_PENDING`: the
    /// outermost `dealloc` then drains it (without the flag, every top-level free
    /// would pay for borrowing the list to find it empty).
    static DEALLOC_DEFERRED: Cell<bool> = const { Cell::new(false) };
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

/// True once a second thread has been started: containers then take their locks.
/// Set (never cleared) by `thread_state::about_to_start_thread` before the new OS
/// thread exists, so the new thread sees it through the spawn's happens-before edge.
pub static MULTI_THREADED: AtomicBool = AtomicBool::new(false);

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
    let obj = PyObj {
        header: ObjHeader::new(current_tid(), ty.as_ptr() as *const ObjHeader),
        payload,
    };
    // Containers (types with collector ops) get the cycle collector's link prefix.
    let p = if ty.is_ptr() && crate::types::class::type_data_raw(ty).gc.is_some() {
        crate::gc::list::alloc_tracked(obj)
    } else {
        Box::into_raw(Box::new(obj))
    };
    if ty.is_ptr() {
        incref(ty);
    }
    RawValue::from_ptr(p as *const u8)
}

/// Is `v` an immortal heap object (reference counting skips it)?
#[inline]
pub fn is_immortal(v: RawValue) -> bool {
    // SAFETY: the caller holds `v` (or it is otherwise alive); the immortal mark, once
    // stored, never changes, so a relaxed load of the local count answers.
    v.is_ptr()
        && unsafe { &*(v.as_ptr() as *const ObjHeader) }
            .ob_ref_local
            .load(Ordering::Relaxed)
            == IMMORTAL_LOCAL
}

/// Make an object immortal: reference counting skips it from now on.
pub fn make_immortal(v: RawValue) {
    if v.is_ptr() {
        // Immortal objects are never freed, so they leave the live-object count.
        if !is_immortal(v) && COUNT_LIVE.load(Ordering::Relaxed) {
            LIVE_OBJECTS.fetch_sub(1, Ordering::Relaxed);
        }
        // SAFETY: v is a live heap object; immortalisation happens while only the
        // creating thread can see it (world setup, constants of a code object).
        unsafe {
            (*(v.as_ptr() as *const ObjHeader))
                .ob_ref_local
                .store(IMMORTAL_LOCAL, Ordering::Relaxed)
        };
        crate::types::instance_getsets::immortal_with_class(v);
    }
}

/// Drop function used as every type's `dealloc`, instantiated per payload type.
///
/// # Safety
/// `p` must be a `PyObj<T>` allocated by [`alloc`] whose count reached zero.
pub unsafe fn dealloc_as<T>(p: *mut ObjHeader) {
    // SAFETY: `p` is live until freed just below.
    let ty = RawValue::from_ptr(unsafe { (*p).ob_type } as *const u8);
    // SAFETY: caller guarantees `p` came from `alloc`: with the collector's prefix when
    // it is tracked, else from `Box<PyObj<T>>::into_raw`.
    unsafe {
        if crate::gc::list::is_tracked(p) {
            crate::gc::list::free_tracked(p as *mut PyObj<T>);
        } else {
            drop(Box::from_raw(p as *mut PyObj<T>));
        }
    }
    if COUNT_LIVE.load(Ordering::Relaxed) {
        LIVE_OBJECTS.fetch_sub(1, Ordering::Relaxed);
    }
    decref(ty);
}

/// Move the payload out of `v` when the caller holds its only reference (owned by this
/// thread, no shared references, not deferred): the memory is freed and the payload
/// returned. How a fresh builtin object becomes an instance of a Python subclass
/// without copying (see `types::class::Layout`). Gives `v` back when it is shared.
///
/// # Safety
/// `v` must be a `PyObj<T>`.
pub unsafe fn take_unique<T>(v: crate::value::Value) -> Result<T, crate::value::Value> {
    let r = v.raw();
    if !r.is_ptr() {
        return Err(v);
    }
    let h = r.as_ptr() as *const ObjHeader;
    // SAFETY: `v` keeps the object alive; the owner-only local count is read by its owner.
    let unique = unsafe {
        (*h).ob_tid.load(Ordering::Relaxed) == current_tid()
            && (*h).ob_flags.load(Ordering::Relaxed) & !FLAG_GC_TRACKED == 0
            && (*h).ob_ref_local.load(Ordering::Relaxed) == 1
            && (*h).ob_ref_shared.load(Ordering::Relaxed) == 0
    };
    if !unique {
        return Err(v);
    }
    let raw = v.into_raw();
    let p = raw.as_ptr() as *mut PyObj<T>;
    // SAFETY: the object came from `alloc` as a `PyObj<T>` (caller's contract) and the
    // reference we consumed was the only one, so nobody can observe it any more.
    let PyObj { header, payload } = unsafe {
        if crate::gc::list::is_tracked(h) {
            crate::gc::list::take_tracked(p)
        } else {
            *Box::from_raw(p)
        }
    };
    if COUNT_LIVE.load(Ordering::Relaxed) {
        LIVE_OBJECTS.fetch_sub(1, Ordering::Relaxed);
    }
    decref(RawValue::from_ptr(header.ob_type as *const u8));
    Ok(payload)
}

/// The runtime's object header seen through `stitch_sync::brc`'s counting rules.
pub(crate) struct Counts<'a>(pub(crate) &'a ObjHeader);

impl stitch_sync::brc::BrcObject for Counts<'_> {
    #[inline(always)]
    fn tid(&self) -> &std::sync::atomic::AtomicU64 {
        &self.0.ob_tid
    }
    #[inline(always)]
    fn local(&self) -> &std::sync::atomic::AtomicU32 {
        &self.0.ob_ref_local
    }
    #[inline(always)]
    fn shared(&self) -> &AtomicI64 {
        &self.0.ob_ref_shared
    }
}

#[inline(always)]
pub fn incref(v: RawValue) {
    if v.is_ptr() {
        // SAFETY: v is a live heap object (the caller holds a reference).
        let h = unsafe { &*(v.as_ptr() as *const ObjHeader) };
        if cfg!(debug_assertions) && h.ob_gc_bits == 0xDD {
            use_after_free(v, "incref");
        }
        stitch_sync::brc::incref(&Counts(h), current_tid);
    }
}

#[inline(always)]
pub fn decref(v: RawValue) {
    if v.is_ptr() {
        let p = v.as_ptr() as *mut ObjHeader;
        // SAFETY: as in `incref` (reading one byte of a live header).
        if cfg!(debug_assertions) && unsafe { (*p).ob_gc_bits } == 0xDD {
            use_after_free(v, "decref");
        }
        // SAFETY: as in `incref`; the caller gives up one reference.
        let next = stitch_sync::brc::decref(&Counts(unsafe { &*p }), current_tid);
        if next != Next::Nothing {
            // SAFETY: the counting rules say the object is dead or must be queued.
            unsafe { after_decref(p, next) };
        }
    }
}

#[cold]
unsafe fn after_decref(p: *mut ObjHeader, next: Next) {
    // SAFETY: guaranteed by the caller.
    unsafe {
        match next {
            Next::Free => dealloc(p),
            Next::Queue => crate::thread_state::queue_to_owner(p),
            Next::Nothing => {}
        }
    }
}

/// Merge an object's two counts into the shared one (the owner at its eval breaker,
/// or another thread for a detached or exited owner, whose local count cannot
/// change meanwhile); frees it if the total is zero.
///
/// # Safety
/// `h` is a live object queued for merging (it stays allocated until merged).
pub unsafe fn merge_queued(h: *mut ObjHeader) {
    // SAFETY: guaranteed by the caller.
    unsafe {
        if stitch_sync::brc::merge(&Counts(&*h)) == Next::Free {
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
            DEALLOC_DEFERRED.with(|f| f.set(true));
            return;
        }
    }
    DEALLOC_DEPTH.with(|d| d.set(depth + 1));
    // SAFETY: h's count is zero; its type is alive (the object holds a reference).
    unsafe { dealloc_one(h) };
    if depth == 0 && DEALLOC_DEFERRED.with(|f| f.replace(false)) {
        drain_deferred();
    }
    DEALLOC_DEPTH.with(|d| d.set(depth));
}

/// Free the objects `dealloc` deferred past depth 64 (at depth 1, so what they free
/// in turn nests again up to 64 before being deferred).
#[cold]
#[inline(never)]
fn drain_deferred() {
    while let Some(next) = DEALLOC_PENDING
        .try_with(|p| p.borrow_mut().pop())
        .ok()
        .flatten()
    {
        // SAFETY: queued objects had reached zero and were not freed yet.
        unsafe { dealloc_one(next as *mut ObjHeader) };
    }
    DEALLOC_DEFERRED.with(|f| f.set(false));
}

/// Debug builds poison freed headers; touching one again is a reference-counting bug.
#[cold]
#[inline(never)]
fn use_after_free(v: RawValue, what: &str) -> ! {
    eprintln!("{}", std::backtrace::Backtrace::force_capture());
    panic!(
        "stitch internal error: {what} of a freed object at {:p}",
        v.as_ptr()
    );
}

unsafe fn dealloc_one(h: *mut ObjHeader) {
    // `__del__` and weak references (runtime/src/finalize.rs): a finalizer resurrects
    // the object, which is then not freed now.
    // SAFETY: h's count is zero and this thread was told to free it.
    if unsafe { crate::finalize::needs_finalizing(h) && !crate::finalize::before_free(h) } {
        return;
    }
    if cfg!(debug_assertions) {
        // SAFETY: h is live until freed below; poison its GC byte (see `use_after_free`).
        unsafe {
            if (*h).ob_gc_bits == 0xDD {
                use_after_free(RawValue::from_ptr(h as *const u8), "double free");
            }
            (*h).ob_gc_bits = 0xDD;
        }
    }
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
        let local = (*h).ob_ref_local.load(Ordering::Relaxed);
        if local == IMMORTAL_LOCAL {
            return i64::MAX;
        }
        local as i64 + ((*h).ob_ref_shared.load(Ordering::Relaxed) >> SHARED_SHIFT)
    }
}

/// Interior mutability for object payloads (list items, dict tables, instance slots).
///
/// `with` hands out `&mut T` (and `read` a `&T`) for the length of a closure that
/// cannot reach the VM, so it cannot run Python code and cannot re-enter the same
/// object. Once a second thread has started ([`MULTI_THREADED`]), the closure runs
/// under the cell's one-byte spin lock (`stitch_sync::spin_lock`: a compare-and-swap to
/// take it, a release store to drop it, yielding the time slice after a short spin),
/// which makes every container operation atomic with respect to other threads: no lost
/// `append`s, no torn reads. With one thread it costs one relaxed load and a
/// predictable branch.
///
/// `read` marks the operations that only read. They take the same lock today: a
/// reader-writer lock was measured slower (its shared-count word bounces between
/// cores just like the mutex, and it costs 8 bytes per cell instead of 1). They are
/// where optimistic lock-free reads (with QSBR-deferred freeing of container
/// buffers, as CPython's free-threaded build does) will go.
pub struct ObjCell<T> {
    lock: stitch_sync::spin_lock::SpinLock,
    cell: std::cell::UnsafeCell<T>,
}

impl<T> ObjCell<T> {
    pub const fn new(v: T) -> Self {
        ObjCell {
            lock: stitch_sync::spin_lock::SpinLock::new(),
            cell: std::cell::UnsafeCell::new(v),
        }
    }

    #[inline(always)]
    pub fn with<R>(&self, f: impl FnOnce(&mut T) -> R) -> R {
        // One call site for the closure (so it inlines once); the lock is out of line.
        let _guard = self.lock_if_shared();
        // SAFETY: either only one thread has ever run Python code (MULTI_THREADED is
        // false) or the lock is held; the closure has no access to the VM. Either way
        // no other reference to this payload exists while it runs.
        unsafe { f(&mut *self.cell.get()) }
    }

    #[inline(always)]
    fn lock_if_shared(&self) -> Option<Unlock<'_>> {
        if MULTI_THREADED.load(Ordering::Relaxed) {
            Some(self.lock())
        } else {
            None
        }
    }

    #[inline(always)]
    fn lock(&self) -> Unlock<'_> {
        self.lock.lock();
        Unlock(&self.lock)
    }

    /// Like `with`, for closures that only read: other readers may run at once.
    #[inline(always)]
    pub fn read<R>(&self, f: impl FnOnce(&T) -> R) -> R {
        let _guard = self.lock_if_shared();
        // SAFETY: as in `with`; the closure only gets a shared reference.
        unsafe { f(&*self.cell.get()) }
    }

    /// Like `read`, over two cells at once (a walk of one set probing another). When
    /// shared, both locks are taken in address order, so two threads reading the same
    /// pair in opposite roles (`a <= b` and `b <= a`) cannot deadlock; the same cell
    /// given twice is locked once.
    #[inline(always)]
    pub fn read_pair<U, R>(&self, other: &ObjCell<U>, f: impl FnOnce(&T, &U) -> R) -> R {
        let (a, b) = (
            self as *const Self as usize,
            other as *const ObjCell<U> as usize,
        );
        let _guards = if MULTI_THREADED.load(Ordering::Relaxed) {
            if a == b {
                (Some(self.lock()), None)
            } else if a < b {
                (Some(self.lock()), Some(other.lock()))
            } else {
                let second = other.lock();
                (Some(self.lock()), Some(second))
            }
        } else {
            (None, None)
        };
        // SAFETY: as in `read`, for both cells (each locked, or only one thread runs);
        // both references are shared, so the same cell given twice is sound.
        unsafe { f(&*self.cell.get(), &*other.cell.get()) }
    }
}

/// Releases an `ObjCell`'s lock when dropped (also when the closure panics).
struct Unlock<'a>(&'a stitch_sync::spin_lock::SpinLock);

impl Drop for Unlock<'_> {
    #[inline(always)]
    fn drop(&mut self) {
        // An `Unlock` is only made by `ObjCell::lock`, right after locking.
        self.0.unlock();
    }
}

impl<T: Clone> ObjCell<T> {
    pub fn get_clone(&self) -> T {
        self.with(|v| v.clone())
    }
}

// SAFETY: a payload is reached from several threads only through `with`, which locks
// whenever more than one thread runs Python code.
unsafe impl<T: Send> Sync for ObjCell<T> {}

/// A field written only before its object is published (while no other thread can
/// reach the object) or with the world stopped, then read without a lock: a class's
/// MRO, which every `isinstance` and instantiation reads and only `__bases__`
/// assignment changes, with the world stopped (`types/set_bases.rs`); the function a staticmethod
/// or classmethod wraps, which every call through the class reads. Read through an
/// `ObjCell`, the MRO cost a mutex per subtype check: with a thread making instances
/// of one class, about a quarter of its time (perf, `bench/threads/scaling`
/// create_object).
pub struct PublishedCell<T> {
    cell: std::cell::UnsafeCell<T>,
}

impl<T> PublishedCell<T> {
    pub const fn new(v: T) -> Self {
        PublishedCell {
            cell: std::cell::UnsafeCell::new(v),
        }
    }

    /// Set the value.
    ///
    /// # Safety
    /// No other thread can reach the owning object yet (it is being made, or the world
    /// is being set up) or the world is stopped, and no `read` of this cell is running.
    pub unsafe fn set(&self, v: T) {
        // SAFETY: the caller's contract: nobody else reads or writes the cell now.
        unsafe { *self.cell.get() = v }
    }

    /// Replace the value, returning the old one (to be dropped by the caller once
    /// other threads may run again: dropping can run a finalizer).
    ///
    /// # Safety
    /// As `set`: no other thread reads the cell now (the object is not published yet,
    /// or the world is stopped, as `staticmethod.__init__` called again does).
    pub unsafe fn replace(&self, v: T) -> T {
        // SAFETY: the caller's contract.
        unsafe { std::mem::replace(&mut *self.cell.get(), v) }
    }

    #[inline(always)]
    pub fn read<R>(&self, f: impl FnOnce(&T) -> R) -> R {
        // SAFETY: written only while no other thread can read it (`set` and
        // `replace`'s contract) or through `&mut self`; every other access is a read.
        f(unsafe { &*self.cell.get() })
    }

    pub fn get_mut(&mut self) -> &mut T {
        self.cell.get_mut()
    }
}

impl<T: Clone> PublishedCell<T> {
    pub fn get_clone(&self) -> T {
        self.read(|v| v.clone())
    }
}

// SAFETY: see `read`: after publication the cell is only read.
unsafe impl<T: Send + Sync> Sync for PublishedCell<T> {}

// The counting rules in `stitch_sync::brc` and the header layout must agree.
const _: () = {
    assert!(stitch_sync::brc::IMMORTAL == IMMORTAL_LOCAL);
    assert!(stitch_sync::brc::SHIFT == SHARED_SHIFT);
    assert!(stitch_sync::brc::QUEUED == stitch_stencils::header::SHARED_QUEUED);
    assert!(stitch_sync::brc::MERGED == stitch_stencils::header::SHARED_MERGED);
    assert!(stitch_sync::brc::STATE_MASK == stitch_stencils::header::SHARED_FLAG_MASK);
};
