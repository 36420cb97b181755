//! The set of tracked objects: an intrusive doubly-linked list per thread, threaded
//! through a three-word prefix allocated just before each container object's header
//! (CPython's `PyGC_Head` idea; the header itself stays the 32 bytes machine code
//! knows).
//!
//! ```text
//!  [padding] | Link { prev, next, list } | ObjHeader | payload
//!                                          ^ the object pointer everyone uses
//! ```
//!
//! Why this shape: allocation and freeing stay O(1) with no hashing (two pointer
//! writes each), and the collector walks exactly the container objects. Objects that
//! cannot hold references (ints, floats, strs, bytes) are allocated without a prefix
//! and never seen by the collector.
//!
//! Threads: each thread links new objects into its own list. Any thread may free an
//! object (the last decrement can happen anywhere), so a list has a one-byte lock,
//! taken only once a second thread has started (`MULTI_THREADED`, as `ObjCell`
//! does); the prefix's `list` word says which list (and so which lock) an object is
//! in. A thread's list outlives the thread: on exit it goes back to a pool for the
//! next thread, its objects staying on it, so an object's `list` word never dangles.
//! The collector runs with the world stopped and reads every list.
use std::alloc::Layout;
use std::cell::{Cell, UnsafeCell};
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};

use parking_lot::lock_api::RawMutex as _;
use stitch_stencils::header::{FLAG_GC_TRACKED, ObjHeader};

use crate::object::{MULTI_THREADED, PyObj};

/// The prefix before a tracked object.
#[repr(C)]
pub(crate) struct Link {
    pub(crate) prev: *mut Link,
    pub(crate) next: *mut Link,
    /// The `GcList` the object is on; during a collection (world stopped), the
    /// object's index in the collector's table instead (`collect.rs` restores it).
    pub(crate) list: usize,
}

const LINK: usize = std::mem::size_of::<Link>();

/// One thread's tracked objects: a circular list around a sentinel.
pub(crate) struct GcList {
    lock: parking_lot::RawMutex,
    head: UnsafeCell<Link>,
    /// Written under the lock (or by the only thread); read by anyone for counts.
    len: AtomicUsize,
}

// SAFETY: the links and the length are only touched under `lock` once a second
// thread exists, and by the owning thread alone before that (see the module doc).
unsafe impl Sync for GcList {}

impl GcList {
    fn new() -> &'static GcList {
        let l: &'static GcList = Box::leak(Box::new(GcList {
            lock: parking_lot::RawMutex::INIT,
            head: UnsafeCell::new(Link {
                prev: std::ptr::null_mut(),
                next: std::ptr::null_mut(),
                list: 0,
            }),
            len: AtomicUsize::new(0),
        }));
        let h = l.head.get();
        // SAFETY: the list was just made; nobody else sees it yet.
        unsafe {
            (*h).prev = h;
            (*h).next = h;
        }
        ALL.lock().unwrap_or_else(|p| p.into_inner()).push(l);
        l
    }

    fn locked<R>(&self, f: impl FnOnce() -> R) -> R {
        if MULTI_THREADED.load(Ordering::Relaxed) {
            self.lock.lock();
            let r = f();
            // SAFETY: locked just above by this thread.
            unsafe { self.lock.unlock() };
            r
        } else {
            f()
        }
    }

    /// Number of objects on the list (exact with the world stopped).
    pub(crate) fn len(&self) -> usize {
        self.len.load(Ordering::Relaxed)
    }

    fn add_len(&self, d: isize) {
        let n = self.len.load(Ordering::Relaxed);
        self.len.store(n.wrapping_add_signed(d), Ordering::Relaxed);
    }

    /// Every object on the list.
    ///
    /// # Safety
    /// The world is stopped (or only one thread exists), so no list changes meanwhile.
    pub(crate) unsafe fn for_each(&self, mut f: impl FnMut(*mut ObjHeader)) {
        let h = self.head.get();
        // SAFETY: the list is well formed and frozen (caller's contract).
        unsafe {
            let mut p = (*h).next;
            while p != h {
                let next = (*p).next;
                f(header_of(p));
                p = next;
            }
        }
    }
}

/// Every list ever made (walked by the collector), and the lists of exited threads
/// waiting for a new thread.
static ALL: Mutex<Vec<&'static GcList>> = Mutex::new(Vec::new());
static POOL: Mutex<Vec<&'static GcList>> = Mutex::new(Vec::new());

/// Returns the thread's list to the pool when the thread ends.
struct Mine(Cell<Option<&'static GcList>>);

impl Drop for Mine {
    fn drop(&mut self) {
        if let Some(l) = self.0.get() {
            POOL.lock().unwrap_or_else(|p| p.into_inner()).push(l);
        }
    }
}

thread_local! {
    static MINE: Mine = const { Mine(Cell::new(None)) };
}

/// Objects allocated while a thread's locals are being torn down go here.
static LATE: std::sync::OnceLock<&'static GcList> = std::sync::OnceLock::new();

fn my_list() -> &'static GcList {
    MINE.try_with(|m| match m.0.get() {
        Some(l) => l,
        None => {
            let reused = POOL.lock().unwrap_or_else(|p| p.into_inner()).pop();
            let l = reused.unwrap_or_else(GcList::new);
            m.0.set(Some(l));
            l
        }
    })
    .unwrap_or_else(|_| LATE.get_or_init(GcList::new))
}

/// Every list (for the collector and `gc.get_objects`).
pub(crate) fn all_lists() -> Vec<&'static GcList> {
    ALL.lock().unwrap_or_else(|p| p.into_inner()).clone()
}

/// Memory layout of a tracked `PyObj<T>` with its prefix, and the object's offset.
fn layout_of<T>() -> (Layout, usize) {
    let obj = Layout::new::<PyObj<T>>();
    let align = obj.align().max(std::mem::align_of::<Link>());
    let off = LINK.div_ceil(align) * align;
    // Sizes of Rust types are bounded well below overflow.
    let layout = Layout::from_size_align(off + obj.size(), align).expect("object layout");
    (layout, off)
}

/// The prefix of a tracked object.
#[inline(always)]
pub(crate) fn link_of(h: *const ObjHeader) -> *mut Link {
    (h as *mut u8).wrapping_sub(LINK) as *mut Link
}

#[inline(always)]
fn header_of(l: *mut Link) -> *mut ObjHeader {
    (l as *mut u8).wrapping_add(LINK) as *mut ObjHeader
}

/// Is the object allocated with a prefix (a container the collector tracks)?
///
/// # Safety
/// `h` is a live object.
#[inline(always)]
pub(crate) unsafe fn is_tracked(h: *const ObjHeader) -> bool {
    // SAFETY: guaranteed by the caller.
    unsafe { (*h).ob_flags.load(Ordering::Relaxed) & FLAG_GC_TRACKED != 0 }
}

/// Allocate `obj` with a prefix and link it on this thread's list.
pub(crate) fn alloc_tracked<T>(mut obj: PyObj<T>) -> *mut PyObj<T> {
    // Marked before it is written: a plain store, where a `fetch_or` on the written
    // object would be a locked instruction on every container allocation.
    *obj.header.ob_flags.get_mut() |= FLAG_GC_TRACKED;
    let (layout, off) = layout_of::<T>();
    // SAFETY: the layout has a non-zero size (it includes the prefix).
    let base = unsafe { std::alloc::alloc(layout) };
    if base.is_null() {
        std::alloc::handle_alloc_error(layout);
    }
    // SAFETY: `base + off` is inside the allocation and aligned for `PyObj<T>`.
    let p = unsafe { base.add(off) } as *mut PyObj<T>;
    // SAFETY: as above; the memory is ours and uninitialised.
    unsafe { p.write(obj) };
    let list = my_list();
    let l = link_of(p as *const ObjHeader);
    list.locked(|| {
        let h = list.head.get();
        // SAFETY: the list is ours to change (locked or single-threaded); `l` is the
        // fresh object's prefix.
        unsafe {
            let last = (*h).prev;
            (*l).prev = last;
            (*l).next = h;
            (*l).list = list as *const GcList as usize;
            (*last).next = l;
            (*h).prev = l;
        }
        list.add_len(1);
    });
    super::note_alloc();
    p
}

/// Unlink a tracked object from its list.
///
/// # Safety
/// `h` is a tracked object being freed (or emptied by `take_tracked`).
unsafe fn unlink(h: *const ObjHeader) {
    let l = link_of(h);
    // SAFETY: a tracked object's `list` word names its list (outside collections).
    let list = unsafe { &*((*l).list as *const GcList) };
    list.locked(|| {
        // SAFETY: the list is locked (or single-threaded); `l` is on it.
        unsafe {
            (*(*l).prev).next = (*l).next;
            (*(*l).next).prev = (*l).prev;
        }
        list.add_len(-1);
    });
    super::note_free();
}

/// Drop and free a tracked `PyObj<T>`.
///
/// # Safety
/// `p` came from [`alloc_tracked::<T>`] and its count reached zero.
pub(crate) unsafe fn free_tracked<T>(p: *mut PyObj<T>) {
    let (layout, off) = layout_of::<T>();
    // SAFETY: guaranteed by the caller.
    unsafe {
        unlink(p as *const ObjHeader);
        std::ptr::drop_in_place(p);
        std::alloc::dealloc((p as *mut u8).sub(off), layout);
    }
}

/// Move the payload out of a tracked `PyObj<T>` and free its memory (the object is
/// not dropped: its header holds nothing to release but the type, which the caller
/// releases).
///
/// # Safety
/// `p` came from [`alloc_tracked::<T>`]; the caller holds its only reference.
pub(crate) unsafe fn take_tracked<T>(p: *mut PyObj<T>) -> PyObj<T> {
    let (layout, off) = layout_of::<T>();
    // SAFETY: guaranteed by the caller.
    unsafe {
        unlink(p as *const ObjHeader);
        let obj = p.read();
        std::alloc::dealloc((p as *mut u8).sub(off), layout);
        obj
    }
}
