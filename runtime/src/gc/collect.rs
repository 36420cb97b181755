//! One collection: CPython's cycle-finding algorithm over every tracked object, then
//! PEP 442 finalization, weak references and clearing.
//!
//! With the world stopped (every other thread parked at a safe point or detached):
//! 1. every thread's queued biased counts are merged, so each object's local plus
//!    shared count is its true count and no object awaits a merge that may free it;
//! 2. each tracked object's count is copied, and every reference found by traversing
//!    a tracked object is subtracted from its target's copy: what remains counts the
//!    references from outside the tracked objects (frames, native state, the VM);
//! 3. objects with outside references are reachable, and so is everything reachable
//!    from them; the rest is garbage. Each is held (one reference) so it stays alive;
//! 4. weak references to the garbage are cleared (their callbacks are kept, unless
//!    the weak reference is garbage itself).
//!
//! Then, with the world running again (the garbage cannot be reached by any thread):
//! weak-reference callbacks run, `__del__` runs once on each garbage object that has
//! one (marked finalized), a second stopped-world scan of the garbage alone drops the
//! objects finalizers resurrected (and what they reach), and the rest are cleared
//! (`GcOps::clear`), which breaks their cycles; releasing the holds frees them.
//!
//! Frames are never traversed (a running generator's frame neither), so every value
//! a live frame holds, in tier 1 or in a trace, is an outside reference: nothing in
//! use can be found unreachable.
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, AtomicU32, Ordering};

use stitch_stencils::header::{FLAG_FINALIZED, FLAG_GC_FROZEN, FLAG_WEAKREFS, ObjHeader};
use stitch_stencils::value::RawValue;

use super::list::{all_lists, is_tracked, link_of};
use crate::object::{IMMORTAL_LOCAL, PyObj, SHARED_SHIFT};
use crate::types::class::{HOOK_DEL, TypeData};
use crate::types::dict::DictObj;
use crate::types::instance::Instance;
use crate::value::Value;
use crate::vm::Vm;

static RUNNING: AtomicBool = AtomicBool::new(false);

/// `gc.set_debug` flags.
pub(crate) static DEBUG: AtomicU32 = AtomicU32::new(0);
pub const DEBUG_STATS: u32 = 1;
pub const DEBUG_COLLECTABLE: u32 = 2;
pub const DEBUG_UNCOLLECTABLE: u32 = 4;
pub const DEBUG_SAVEALL: u32 = 32;
pub const DEBUG_LEAK: u32 = 38;

/// Per generation: collections, objects collected, uncollectable (always 0: every
/// Python-level finalizer is a PEP 442 one).
pub(crate) static STATS: Mutex<[(u64, u64, u64); 3]> = Mutex::new([(0, 0, 0); 3]);

/// Why a collection runs.
#[derive(Clone, Copy)]
pub enum Reason {
    /// `gc.collect(generation)`.
    Manual(usize),
    /// The allocation threshold.
    Automatic,
}

/// Is a collection under way (collections do not nest)?
pub fn running() -> bool {
    RUNNING.load(Ordering::Relaxed)
}

/// The collector's marks in `ob_gc_bits`, set and cleared by the collecting thread
/// while the world is stopped (or on garbage, which no other thread can reach).
const CANDIDATE: u8 = 1;
const UNREACHABLE: u8 = 2;

/// Set or clear `UNREACHABLE` on each of `objs`.
///
/// # Safety
/// The objects are live and no other thread reads their GC bits meanwhile.
unsafe fn mark(objs: impl Iterator<Item = *const ObjHeader>, on: bool) {
    for h in objs {
        let h = h as *mut ObjHeader;
        // SAFETY: guaranteed by the caller.
        unsafe {
            if on {
                (*h).ob_gc_bits |= UNREACHABLE;
            } else {
                (*h).ob_gc_bits &= !UNREACHABLE;
            }
        }
    }
}

/// Is the object marked `UNREACHABLE`?
fn marked(v: RawValue) -> bool {
    // SAFETY: callers pass live objects.
    v.is_ptr() && unsafe { (*(v.as_ptr() as *const ObjHeader)).ob_gc_bits } & UNREACHABLE != 0
}

/// The true reference count (world stopped, queues merged).
///
/// # Safety
/// `h` is live and no thread is counting meanwhile.
unsafe fn true_count(h: *const ObjHeader) -> i64 {
    // SAFETY: guaranteed by the caller.
    unsafe {
        let local = (*h).ob_ref_local.load(Ordering::Relaxed);
        if local == IMMORTAL_LOCAL {
            return i64::MAX / 2;
        }
        local as i64 + ((*h).ob_ref_shared.load(Ordering::Relaxed) >> SHARED_SHIFT)
    }
}

/// Runs `f` with the objects of `objs` numbered: `f` gets a function mapping a
/// visited reference to its index in `objs` (None for objects outside the set). The
/// number is kept in the link's `list` word and the `CANDIDATE` bit, both restored
/// before returning (before anything can be freed).
///
/// # Safety
/// The world is stopped; `objs` are live tracked objects, without duplicates.
unsafe fn numbered<R>(
    objs: &[*mut ObjHeader],
    f: impl FnOnce(&dyn Fn(RawValue) -> Option<usize>) -> R,
) -> R {
    let mut saved = Vec::with_capacity(objs.len());
    // SAFETY: tracked objects have a link prefix; nobody else reads it meanwhile.
    unsafe {
        for (i, &h) in objs.iter().enumerate() {
            let l = link_of(h);
            saved.push((*l).list);
            (*l).list = i;
            (*h).ob_gc_bits |= CANDIDATE;
        }
    }
    let index = |v: RawValue| -> Option<usize> {
        if !v.is_ptr() {
            return None;
        }
        let h = v.as_ptr() as *const ObjHeader;
        // SAFETY: visited references are live objects; candidates have a prefix.
        unsafe {
            if (*h).ob_gc_bits & CANDIDATE != 0 && is_tracked(h) {
                Some((*link_of(h)).list)
            } else {
                None
            }
        }
    };
    let r = f(&index);
    // SAFETY: as above.
    unsafe {
        for (i, &h) in objs.iter().enumerate() {
            (*link_of(h)).list = saved[i];
            (*h).ob_gc_bits &= !CANDIDATE;
        }
    }
    r
}

/// Which of `objs` are reachable from outside the set, where the caller holds `held`
/// references to each object that are not to count as outside references.
///
/// # Safety
/// As [`numbered`].
unsafe fn reachable(objs: &[*mut ObjHeader], held: i64) -> Vec<bool> {
    // SAFETY: guaranteed by the caller.
    unsafe {
        numbered(objs, |index| {
            let mut refs: Vec<i64> = objs.iter().map(|&h| true_count(h) - held).collect();
            for &h in objs {
                super::referents(h, &mut |v| {
                    if let Some(i) = index(v) {
                        refs[i] -= 1;
                    }
                });
            }
            // A count left positive is an outside reference. (A negative one would
            // mean a type's traverse visited a reference it does not hold: treat it
            // as reachable, which is always safe.)
            let mut live = vec![false; objs.len()];
            let mut work: Vec<usize> = (0..objs.len()).filter(|&i| refs[i] != 0).collect();
            for &i in &work {
                live[i] = true;
            }
            while let Some(i) = work.pop() {
                super::referents(objs[i], &mut |v| {
                    if let Some(j) = index(v)
                        && !live[j]
                    {
                        live[j] = true;
                        work.push(j);
                    }
                });
            }
            live
        })
    }
}

/// Of garbage `objs` (no outside references but the caller's holds), the ones that
/// are on a cycle or reachable from one: the rest would be freed by reference
/// counting alone once released (finalizers broke their cycles), and CPython does
/// not count those as collected.
///
/// # Safety
/// As [`numbered`].
unsafe fn on_cycles(objs: &[*mut ObjHeader]) -> Vec<bool> {
    // SAFETY: guaranteed by the caller.
    unsafe {
        numbered(objs, |index| {
            let mut indegree = vec![0usize; objs.len()];
            for &h in objs {
                super::referents(h, &mut |v| {
                    if let Some(i) = index(v) {
                        indegree[i] += 1;
                    }
                });
            }
            let mut stays = vec![true; objs.len()];
            let mut work: Vec<usize> = (0..objs.len()).filter(|&i| indegree[i] == 0).collect();
            while let Some(i) = work.pop() {
                stays[i] = false;
                super::referents(objs[i], &mut |v| {
                    if let Some(j) = index(v) {
                        indegree[j] -= 1;
                        if indegree[j] == 0 {
                            work.push(j);
                        }
                    }
                });
            }
            stays
        })
    }
}

/// Every tracked object not frozen and not immortal. Leaving out immortal objects
/// (builtin types and their method tables, constants) is exact, not an
/// approximation: like frozen ones they are never garbage, and references from
/// outside the candidates count as outside references, which is what they are.
///
/// # Safety
/// The world is stopped.
unsafe fn candidates() -> Vec<*mut ObjHeader> {
    let mut objs = Vec::new();
    for l in all_lists() {
        // SAFETY: the world is stopped (caller's contract).
        unsafe {
            l.for_each(|h| {
                if (*h).ob_flags.load(Ordering::Relaxed) & FLAG_GC_FROZEN == 0
                    && (*h).ob_ref_local.load(Ordering::Relaxed) != IMMORTAL_LOCAL
                {
                    objs.push(h);
                }
            })
        };
    }
    objs
}

fn type_of(h: *const ObjHeader) -> &'static TypeData {
    // SAFETY: every live object's type is a live `PyObj<TypeData>`.
    unsafe { &(*((*h).ob_type as *const PyObj<TypeData>)).payload }
}

/// What the stopped-world part found.
struct Found {
    garbage: Vec<Value>,
    /// Weak-reference callbacks to run: (weak reference, callback).
    callbacks: Vec<(Value, Value)>,
}

/// Steps 1-4 of the module doc.
fn find_garbage() -> Found {
    crate::thread_state::stop_the_world(|| {
        crate::thread_state::merge_all_queues();
        // SAFETY: the world is stopped.
        let objs = unsafe { candidates() };
        // SAFETY: the world is stopped; `candidates` lists each object once.
        let live = unsafe { reachable(&objs, 0) };
        let dead: Vec<*mut ObjHeader> = objs
            .iter()
            .zip(&live)
            .filter(|(_, l)| !**l)
            .map(|(h, _)| *h)
            .collect();
        // SAFETY: the world is stopped; the marks are cleared below.
        unsafe { mark(dead.iter().map(|&h| h as *const ObjHeader), true) };
        let garbage: Vec<Value> = dead
            .iter()
            .map(|&h| Value::from_borrowed(RawValue::from_ptr(h as *const u8)))
            .collect();
        let mut callbacks = Vec::new();
        for &h in &dead {
            // SAFETY: `h` is live (held above).
            if unsafe { (*h).ob_flags.load(Ordering::Relaxed) } & FLAG_WEAKREFS == 0 {
                continue;
            }
            // SAFETY: no thread can reach `h` (it is garbage and the world is stopped),
            // so no weak reference to it can be upgraded meanwhile.
            for (w, cb) in unsafe { crate::types::weakref::clear_dying(h) } {
                if !cb.is_null() && !marked(w.raw()) {
                    callbacks.push((w, cb));
                }
            }
        }
        // SAFETY: as above.
        unsafe { mark(dead.iter().map(|&h| h as *const ObjHeader), false) };
        Found { garbage, callbacks }
    })
}

/// Instance dicts in `garbage` held only by their instance (and the collector's
/// hold): CPython 3.11 keeps such attributes inline, with no dict object, so they are
/// not counted as collected objects.
fn hidden_dicts(garbage: &[Value]) -> usize {
    let objs = || garbage.iter().map(|g| g.raw().as_ptr() as *const ObjHeader);
    // SAFETY: the garbage is held, and no other thread can reach it.
    unsafe { mark(objs(), true) };
    let n = objs()
        .filter_map(instance_of)
        .filter(|inst| marked(inst.dict.raw()) && crate::object::refcount(inst.dict.raw()) == 2)
        .count();
    // SAFETY: as above.
    unsafe { mark(objs(), false) };
    n
}

/// The `Instance` payload of an object whose type lays its instances out so.
fn instance_of<'a>(h: *const ObjHeader) -> Option<&'a Instance> {
    let td = type_of(h);
    if td.layout.payload == std::any::TypeId::of::<Instance>() {
        // SAFETY: the type says the payload is an `Instance`.
        Some(unsafe { &(*(h as *const PyObj<Instance>)).payload })
    } else {
        None
    }
}

/// Does the object still need its `__del__` run?
fn needs_del(v: &Value) -> bool {
    let Some(h) = v.header() else { return false };
    let td = v.type_data();
    h.ob_flags.load(Ordering::Relaxed) & FLAG_FINALIZED == 0
        && td.is_heap
        && td.hook_bits() & HOOK_DEL != 0
}

/// Run one collection; returns the number of unreachable objects found (as CPython
/// counts them). Returns 0 at once if a collection is already running.
pub fn collect(vm: &mut Vm, reason: Reason) -> usize {
    // Only a registered thread can stop the world (and so be sure the others wait).
    if !crate::thread_state::is_registered() || RUNNING.swap(true, Ordering::Acquire) {
        return 0;
    }
    let generation = match reason {
        Reason::Manual(g) => g,
        Reason::Automatic => 0,
    };
    run_callbacks(vm, "start", generation, 0);
    let debug = DEBUG.load(Ordering::Relaxed);
    let started = std::time::Instant::now();
    if debug & DEBUG_STATS != 0 {
        eprintln!("gc: collecting generation {generation}...");
    }
    let Found {
        mut garbage,
        callbacks,
    } = find_garbage();
    let found = garbage.len();
    if debug & DEBUG_COLLECTABLE != 0 {
        for g in &garbage {
            let r = crate::ops::repr(vm, g).unwrap_or_default();
            eprintln!(
                "gc: collectable <{} {:p}>",
                g.type_data().name,
                g.raw().as_ptr()
            );
            let _ = r;
        }
    }
    for (w, cb) in callbacks {
        if let Err(e) = vm.call(&cb, std::slice::from_ref(&w)) {
            crate::finalize::report(vm, &cb, e);
        }
    }
    // PEP 442: finalizers, once each.
    let mut finalized = false;
    for g in &garbage {
        if let Some(go) = crate::types::generator::gen_payload(g)
            && go.kind != crate::types::generator::GenKind::AsyncGenerator
            && go.state() == crate::types::generator::GenState::Suspended
        {
            // A generator's finalizer closes it (CPython's `_PyGen_Finalize`).
            finalized = true;
            if let Err(e) = crate::builtins::generators::close(vm, g) {
                crate::builtins::generators::report_unraisable(vm, g, &e);
            }
            continue;
        }
        if !needs_del(g) {
            continue;
        }
        if let Some(h) = g.header() {
            h.ob_flags.fetch_or(FLAG_FINALIZED, Ordering::Relaxed);
        }
        finalized = true;
        if let Some(f) = g.type_data().lookup("__del__")
            && let Err(e) = vm.call(&f, std::slice::from_ref(g))
        {
            crate::finalize::report(vm, &f, e);
        }
    }
    if finalized {
        garbage = drop_resurrected(garbage);
    }
    let collected = garbage.len() - hidden_dicts(&garbage);
    if debug & DEBUG_SAVEALL != 0 {
        if let Some(list) = super::module_lists().1 {
            for g in &garbage {
                list.push(g.clone());
            }
        }
    } else {
        for g in &garbage {
            if let (Some(ops), Some(h)) = (g.type_data().gc, g.header()) {
                // SAFETY: `g` is live (held) and its type's ops match its layout.
                unsafe { (ops.clear)(h as *const ObjHeader) };
            }
        }
    }
    drop(garbage);
    crate::builtins::generators::run_pending(vm);
    let survivors: usize = all_lists().iter().map(|l| l.len()).sum();
    super::auto::reset(survivors);
    {
        let mut s = STATS.lock().unwrap_or_else(|p| p.into_inner());
        s[generation].0 += 1;
        s[generation].1 += collected as u64;
    }
    if debug & DEBUG_STATS != 0 {
        eprintln!(
            "gc: done, {found} unreachable, 0 uncollectable, {:.4}s elapsed",
            started.elapsed().as_secs_f64()
        );
    }
    RUNNING.store(false, Ordering::Release);
    run_callbacks(vm, "stop", generation, collected);
    collected
}

/// After finalizers ran: keep only the garbage nothing outside it references now.
fn drop_resurrected(garbage: Vec<Value>) -> Vec<Value> {
    let objs: Vec<*mut ObjHeader> = garbage
        .iter()
        .map(|v| v.raw().as_ptr() as *mut ObjHeader)
        .collect();
    let keep = crate::thread_state::stop_the_world(|| {
        crate::thread_state::merge_all_queues();
        // SAFETY: the world is stopped; each object is live (held once by
        // `garbage`, which the scan discounts) and listed once.
        let live = unsafe { reachable(&objs, 1) };
        let dead: Vec<*mut ObjHeader> = objs
            .iter()
            .zip(&live)
            .filter(|(_, l)| !**l)
            .map(|(h, _)| *h)
            .collect();
        // SAFETY: as above (a subset of the same objects).
        let cyclic = unsafe { on_cycles(&dead) };
        let mut keep = vec![false; objs.len()];
        let mut k = 0;
        for (i, l) in live.iter().enumerate() {
            if !*l {
                keep[i] = cyclic[k];
                k += 1;
            }
        }
        keep
    });
    // Resurrected objects and those finalizers freed from cycles leave the garbage
    // (released with the holds).
    garbage
        .into_iter()
        .zip(keep)
        .filter(|(_, k)| *k)
        .map(|(g, _)| g)
        .collect()
}

/// Call each of `gc.callbacks` with `(phase, info)`.
fn run_callbacks(vm: &mut Vm, phase: &str, generation: usize, collected: usize) {
    let Some(list) = super::module_lists().0 else {
        return;
    };
    let cbs = list.snapshot();
    if cbs.is_empty() {
        return;
    }
    let info = DictObj::new_value();
    // SAFETY: `new_value` makes a dict.
    let d = unsafe { info.payload_unchecked::<DictObj>() };
    d.set_str("generation", Value::int(generation as i64));
    d.set_str("collected", Value::int(collected as i64));
    d.set_str("uncollectable", Value::int(0));
    let phase = crate::types::str::new_str(phase);
    for cb in cbs {
        if let Err(e) = vm.call(&cb, &[phase.clone(), info.clone()]) {
            crate::finalize::report(vm, &cb, e);
        }
    }
}
