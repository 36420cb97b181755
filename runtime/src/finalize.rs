//! Finalization: `__del__` methods (PEP 442) and weak-reference callbacks.
//!
//! An object's count can reach zero anywhere a reference is dropped: inside a
//! container's locked closure, in the middle of an instruction, in a trace. Python
//! code cannot run there (the interpreter's stack pointer is in a register, a
//! container may be half-updated), so deallocation only *queues* the Python work, per
//! thread, and the interpreter runs it at its next safe point (after the instruction
//! that dropped the reference: `STORE_*`, `DELETE_*`, `POP_TOP`, returns, calls from
//! traces; the same points that close abandoned generators), which is where CPython
//! would have run it, give or take the rest of one instruction.
//!
//! The order is CPython's (`subtype_dealloc`):
//! 1. `__del__`, once per object: the dying object is resurrected (one reference,
//!    owned by the queue; `FLAG_FINALIZED` set so it never runs again) and queued.
//!    When the queue drops that reference after `__del__`, the object dies again,
//!    unless `__del__` stored it somewhere (resurrection).
//! 2. Its weak references are cleared at once (no Python code needed), and the live
//!    ones that have callbacks are queued with them; the object is then freed.
//!
//! Errors in either are printed as CPython's "Exception ignored in: ..." and the
//! program goes on.
use std::cell::{Cell, RefCell};
use std::collections::VecDeque;
use std::sync::atomic::Ordering;

use stitch_stencils::header::{FLAG_FINALIZED, FLAG_NATIVE_FINALIZER, FLAG_WEAKREFS, ObjHeader};
use stitch_stencils::value::RawValue;

use crate::object::{Counts, PyObj, current_tid};
use crate::types::class::{HOOK_DEL, TypeData};
use crate::value::Value;
use crate::vm::{PyErr, Vm};
use crate::world::types;

/// Python work left by deallocation.
enum Work {
    /// Call the object's `__del__`, then drop it.
    Del(Value),
    /// Call `callback(weakref)`.
    Callback(Value, Value),
    /// Run a native type's finalizer (a coroutine's "was never awaited", a file object
    /// dying open), then drop.
    Native(Value),
}

thread_local! {
    static QUEUE: RefCell<VecDeque<Work>> = const { RefCell::new(VecDeque::new()) };
    /// Nesting of `run_queued` (a `__del__` whose own drops reach a safe point).
    static DEPTH: Cell<u32> = const { Cell::new(0) };
}

/// Deeper finalizers wait for an outer `run_queued` loop (no unbounded recursion).
const MAX_DEPTH: u32 = 16;

/// Does freeing the object at `h` need `before_free`? (One flag load, and for
/// instances of Python classes the type's cached hook bits.)
///
/// # Safety
/// `h` is a live object.
#[inline(always)]
pub unsafe fn needs_finalizing(h: *const ObjHeader) -> bool {
    // SAFETY: guaranteed by the caller; every type object is a `PyObj<TypeData>`.
    unsafe {
        let flags = (*h).ob_flags.load(Ordering::Relaxed);
        if flags & (FLAG_WEAKREFS | FLAG_NATIVE_FINALIZER) != 0 {
            return true;
        }
        if flags & FLAG_FINALIZED != 0 {
            return false;
        }
        let td = &(*((*h).ob_type as *const PyObj<TypeData>)).payload;
        td.is_heap && td.hook_bits() & HOOK_DEL != 0
    }
}

/// Called when the object at `h` is about to be freed. Returns false when it must not
/// be: it was resurrected to run its `__del__`.
///
/// # Safety
/// `h`'s count reached zero and this thread was told to free it.
pub unsafe fn before_free(h: *mut ObjHeader) -> bool {
    // SAFETY: guaranteed by the caller.
    let header = unsafe { &*h };
    let flags = header.ob_flags.load(Ordering::Relaxed);
    // SAFETY: every type object is a `PyObj<TypeData>`.
    let td = unsafe { &(*(header.ob_type as *const PyObj<TypeData>)).payload };
    if flags & FLAG_FINALIZED == 0 && td.is_heap && td.hook_bits() & HOOK_DEL != 0 {
        header.ob_flags.fetch_or(FLAG_FINALIZED, Ordering::Relaxed);
        stitch_sync::weakref::resurrect(&Counts(header), current_tid(), flags & FLAG_WEAKREFS != 0);
        // SAFETY: `resurrect` gave the object one reference, which the queue owns.
        let obj = unsafe { Value::from_raw(RawValue::from_ptr(h as *const u8)) };
        if let Err(obj) = push(Work::Del(obj)) {
            // The thread is exiting: nothing can run `__del__` any more. Keep the
            // object (it was resurrected) rather than free it under a live reference.
            std::mem::forget(obj);
        }
        return false;
    }
    if flags & (FLAG_NATIVE_FINALIZER | FLAG_FINALIZED) == FLAG_NATIVE_FINALIZER
        // SAFETY: guaranteed by the caller: `h` is still a live object.
        && unsafe { native_finalizer_due(h) }
    {
        header.ob_flags.fetch_or(FLAG_FINALIZED, Ordering::Relaxed);
        stitch_sync::weakref::resurrect(&Counts(header), current_tid(), flags & FLAG_WEAKREFS != 0);
        // SAFETY: `resurrect` gave the object one reference, which the queue owns.
        let obj = unsafe { Value::from_raw(RawValue::from_ptr(h as *const u8)) };
        if let Err(obj) = push(Work::Native(obj)) {
            // No VM can run the finalizer any more (thread exit): keep the object.
            std::mem::forget(obj);
        }
        return false;
    }
    if flags & FLAG_WEAKREFS != 0 {
        // SAFETY: guaranteed by the caller.
        let live = unsafe { crate::types::weakref::clear_dying(h) };
        for (w, cb) in live {
            if !cb.is_null() {
                let _ = push(Work::Callback(w, cb));
            }
        }
    }
    true
}

/// Does `h`, flagged as having a native finalizer, need it run now? Asked by type: a
/// coroutine (the most common flagged object, usually dying finished) is asked about
/// nothing else; the other checks walk MROs.
///
/// # Safety
/// `h` is a live object.
unsafe fn native_finalizer_due(h: *mut ObjHeader) -> bool {
    // SAFETY: the caller's contract.
    unsafe {
        if std::ptr::eq((*h).ob_type as *const u8, types().coroutine.as_ptr()) {
            return crate::builtins::coroutines::needs_finalizer(h);
        }
        // A file object dying open; with no queue (the thread is exiting) it is
        // freed as it is (its descriptor closed by the native state).
        (crate::modules::io::finalize::is_file_object(h) && queue_open())
            // An asyncio Future whose exception was never retrieved, a Task
            // destroyed pending.
            || (crate::modules::asyncio::needs_finalizer(h) && queue_open())
    }
}

/// Can this thread still queue work (its queue not torn down)?
fn queue_open() -> bool {
    QUEUE
        .try_with(|q| q.try_borrow_mut().is_ok())
        .unwrap_or(false)
}

/// Queue `w` for this thread's next safe point; gives it back if the thread's queue is
/// gone (thread exit).
fn push(w: Work) -> Result<(), Value> {
    let mut w = Some(w);
    let _ = QUEUE.try_with(|q| {
        if let (Ok(mut q), Some(x)) = (q.try_borrow_mut(), w.take()) {
            q.push_back(x);
        }
    });
    match w {
        None => {
            crate::builtins::generators::note_pending();
            Ok(())
        }
        Some(Work::Del(v)) | Some(Work::Native(v)) => Err(v),
        Some(Work::Callback(wr, cb)) => {
            // Dropped without a VM: no callback can run.
            drop(cb);
            Err(wr)
        }
    }
}

/// Run the queued `__del__` methods and callbacks (in the order they were queued).
pub fn run_queued(vm: &mut Vm) {
    let depth = DEPTH.with(|d| d.get());
    if depth >= MAX_DEPTH {
        return;
    }
    DEPTH.with(|d| d.set(depth + 1));
    while let Some(w) = QUEUE.with(|q| q.borrow_mut().pop_front()) {
        match w {
            Work::Del(obj) => {
                if let Some(f) = obj.type_data().lookup("__del__")
                    && let Err(e) = vm.call(&f, std::slice::from_ref(&obj))
                {
                    report(vm, &f, e);
                }
                drop(obj);
            }
            Work::Native(obj) => {
                if obj.type_raw() == crate::world::types().coroutine {
                    crate::builtins::coroutines::finalize(vm, &obj);
                } else if crate::modules::asyncio::is_future(&obj) {
                    crate::modules::asyncio::finalize(vm, &obj);
                } else {
                    crate::modules::io::finalize::finalize(vm, &obj);
                }
                drop(obj);
            }
            Work::Callback(wr, cb) => {
                if let Err(e) = vm.call(&cb, std::slice::from_ref(&wr)) {
                    report(vm, &cb, e);
                }
                drop(wr);
                drop(cb);
            }
        }
    }
    DEPTH.with(|d| d.set(depth));
}

/// Is Python work queued on this thread?
pub fn has_queued() -> bool {
    QUEUE.with(|q| !q.borrow().is_empty())
}

/// CPython's unraisable-exception report: "Exception ignored in: <what>" and the
/// traceback, on stderr.
pub fn report(vm: &mut Vm, what: &Value, e: PyErr) {
    vm.flush_stdout();
    let what = crate::ops::repr(vm, what).unwrap_or_default();
    let text = crate::traceback::format_exception(vm, &e.exc);
    eprint!("Exception ignored in: {what}\n{text}");
}

/// At exit, as CPython's `finalize_modules` treats `__main__`: the module leaves
/// `sys.modules` and a collection frees it when only cycles keep it (functions refer
/// to their globals), as garbage: `__del__` runs with every global still bound, and
/// weak references that are garbage themselves are cleared without calling back.
/// A main module something else still holds is wiped instead (`wipe_globals`).
pub fn finalize_main(vm: &mut Vm) {
    run_queued(vm);
    let modules = vm.modules.clone();
    // SAFETY: vm.modules is a dict.
    let mods = unsafe { modules.payload_unchecked::<crate::types::dict::DictObj>() };
    let Some(main) = mods.get_str("__main__") else {
        return;
    };
    let weak_ref = |vm: &mut Vm, v: &Value| crate::types::weakref::plain_ref(vm, v).ok();
    let alive = |w: &Value| crate::types::weakref::as_weak(w).and_then(|w| w.get());
    let globals = main
        .downcast::<crate::types::module::ModuleObj>()
        .map(|m| m.dict.clone());
    let Some(weak) = weak_ref(vm, &main) else {
        if let Some(g) = &globals {
            wipe_globals(vm, g);
        }
        return;
    };
    // The main module's classes, found again after the collection: one that a
    // reference from outside the collector's view keeps (a specialization cache)
    // still has its dict cleared, breaking its method -> `__class__` cell -> class
    // cycle as before.
    let classes: Vec<Value> = main
        .downcast::<crate::types::module::ModuleObj>()
        .map(|m| m.dict().values())
        .unwrap_or_default()
        .into_iter()
        .filter(|v| crate::types::class::as_type(v).is_some_and(|td| td.is_heap))
        .collect();
    let weak_classes: Vec<Value> = classes.iter().filter_map(|c| weak_ref(vm, c)).collect();
    drop(classes);
    let globals_addr = globals.map_or(0, |g| g.raw().0);
    drop(mods.d.with(|d| d.remove_str("__main__")));
    drop(main);
    // The type attribute cache holds what it found (functions, classes) from
    // outside the collector's view.
    crate::types::attr_cache::clear();
    crate::gc::collect::collect(vm, crate::gc::collect::Reason::Manual(2));
    crate::builtins::generators::run_pending(vm);
    let survivor = alive(&weak);
    drop(weak);
    if let Some(main) = survivor
        && let Some(m) = main.downcast::<crate::types::module::ModuleObj>()
    {
        wipe_globals(vm, &m.dict.clone());
    } else if let Some(globals) = surviving_dict(globals_addr) {
        // The module went but its globals live on, held from outside the
        // collector's view (a suspended generator's frame object, say).
        wipe_globals(vm, &globals);
    }
    for w in weak_classes {
        if let Some(c) = alive(&w)
            && let Some(td) = crate::types::class::as_type(&c)
        {
            drop(w);
            let gone = td.dict.d.with(|d| d.clear());
            crate::types::type_version::type_modified(td);
            crate::types::attr_cache::invalidate();
            drop(gone);
            drop(c);
            crate::builtins::generators::run_pending(vm);
        }
    }
}

/// Globals become None as CPython's `_PyModule_ClearDict` sets them: `_`-names first,
/// then the rest but `__builtins__`, so finalizers and weak-reference callbacks that
/// run meanwhile (logging's `_removeHandlerRef`) find None, which the Lib checks for,
/// rather than failing with a NameError. The keys stay, as CPython's do.
pub fn wipe_module_dict(vm: &mut Vm, d: &crate::types::dict::DictObj) {
    for private_pass in [true, false] {
        for key in d.keys() {
            let Some(name) = crate::types::str::as_str(&key) else {
                continue;
            };
            let private = name.starts_with('_') && !name.starts_with("__");
            if private == private_pass && name != "__builtins__" {
                drop(d.replace_str_value(&key, Value::none()));
                crate::builtins::generators::run_pending(vm);
            }
        }
    }
}

/// The main module (or its globals dict) outlived the collection, something else
/// holding it: its globals are wiped (`wipe_module_dict`), the dict emptied, and a
/// last collection frees the cycles that held (classes, methods).
fn wipe_globals(vm: &mut Vm, globals: &Value) {
    let Some(d) = globals.downcast::<crate::types::dict::DictObj>() else {
        return;
    };
    wipe_module_dict(vm, d);
    let entries = d.d.with(|d| d.clear());
    drop(entries);
    crate::builtins::generators::run_pending(vm);
    crate::gc::collect::collect(vm, crate::gc::collect::Reason::Manual(2));
    crate::builtins::generators::run_pending(vm);
}

/// The main module's globals dict, if the object at `addr` is still alive and is it:
/// found among the tracked objects (so the address is not dangling), and checked to
/// be a dict whose `__name__` is `'__main__'` (the address could have been reused).
/// Only this thread runs now (the caller's condition), so no list changes meanwhile.
fn surviving_dict(addr: u64) -> Option<Value> {
    if addr == 0 {
        return None;
    }
    let mut found = false;
    for l in crate::gc::list::all_lists() {
        // SAFETY: no other thread runs, so the lists do not change during the walk.
        unsafe { l.for_each(|h| found |= h as u64 == addr) };
    }
    if !found {
        return None;
    }
    let v = Value::from_borrowed(RawValue(addr));
    let d = v.downcast::<crate::types::dict::DictObj>()?;
    let name = d.get_str("__name__")?;
    (crate::types::str::as_str(&name) == Some("__main__")).then_some(v)
}
