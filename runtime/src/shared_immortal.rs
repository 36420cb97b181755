//! Objects every thread shares become immortal once the program runs threads, so
//! threads do not fight over their reference counts (CPython 3.13t's design: its
//! free-threading HOWTO, "Immortalization").
//!
//! With biased reference counting, a thread that is not an object's owner counts its
//! references with an atomic add on the object's shared word. The objects every loop
//! touches — module-level functions and the classes' methods, classes, modules and
//! their globals, code objects and the constants in them — are owned by the thread that
//! made them (the main thread, at import), so two worker threads calling the same
//! function bounce its cache line between cores on every call: measured on 2 cores,
//! 2 threads ran most of `bench/threads/scaling` slower than 1 (geomean 0.93x).
//!
//! The kinds immortalized are CPython 3.13t's: functions whose code is not nested in
//! another function (closures stay mortal: they capture data that should be freed
//! promptly) and whose globals are a module's, heap classes not defined inside a
//! function (3.13t makes every class immortal, and its own test suite then needs
//! `suppress_immortalization`; CPython 3.11's tests expect local classes to die),
//! modules and their dicts, code objects and their constants (literals, tuples and
//! frozensets of literals, nested code, names), and the functions of native modules
//! (`math.floor`) present at the switch.
//!
//! - **When.** Once, as the program goes from one thread to several
//!   (`thread_state::about_to_start_thread`, before the second OS thread exists): every
//!   such object alive then is made immortal with no other thread running. From then
//!   on each new one is made immortal by the thread that creates it
//!   ([`new_function`], [`new_class`], [`new_module`]). Objects of the world made by
//!   `Vm::new` (builtins, sys, the import machinery) are immortal from the start
//!   ([`world_ready`]).
//! - **Only the owner immortalizes.** The owner writes its local count with plain
//!   stores, so another thread writing the immortal mark could be overwritten (or
//!   overwrite an increment). After the switch, an object is made immortal only by
//!   its owning thread (a fresh object, or a code constant this thread made); one owned
//!   elsewhere stays mortal. A queued merge of an immortal object does nothing
//!   (`stitch_sync::brc::merge`).
//! - **Cost.** These objects are never freed: a program that keeps creating classes
//!   or module-level functions while threads run keeps them all (as CPython 3.13t
//!   does). Single-threaded programs never reach the switch.
//! - **Exit.** The objects made immortal during the run are remembered; the VM's
//!   teardown empties them ([`release_all`]: a function's defaults and attributes, a
//!   class's dict, a module's globals) so what they held is freed and the live-object
//!   count at exit stays exact.
use std::sync::Mutex;

use stitch_stencils::header::ObjHeader;
use stitch_stencils::value::RawValue;

use crate::object::{current_tid, is_immortal, make_immortal};
use crate::thread_state::is_multi_threaded;
use crate::types::class::as_type;
use crate::types::code::{CO_NESTED, CodeObj};
use crate::types::dict::DictObj;
use crate::types::func::{CellObj, FuncObj};
use crate::types::module::ModuleObj;
use crate::value::Value;

/// Objects made immortal during the run (not at world setup): emptied at teardown.
static MADE: Mutex<Vec<usize>> = Mutex::new(Vec::new());

/// How this pass may treat objects it did not create.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Scope {
    /// No other thread runs: every object may be made immortal.
    Alone,
    /// Other threads may run: only objects this thread owns.
    Owned,
}

/// Whether `v` may be made immortal now, and is not already.
fn candidate(v: &Value, scope: Scope) -> bool {
    let Some(h) = v.header() else { return false };
    !is_immortal(v.raw())
        && (scope == Scope::Alone
            || h.ob_tid.load(std::sync::atomic::Ordering::Relaxed) == current_tid())
}

fn immortalize(v: &Value, scope: Scope, remember: bool) -> bool {
    if !candidate(v, scope) {
        return false;
    }
    make_immortal(v.raw());
    if remember {
        MADE.lock()
            .unwrap_or_else(|p| p.into_inner())
            .push(v.raw().as_ptr() as usize);
    }
    true
}

/// Make a class a native module keeps for the whole process (in a static) immortal,
/// remembered so that teardown empties it as it does the classes made here.
pub fn module_class(v: &Value) {
    immortalize(v, Scope::Alone, true);
}

/// `module_class` for a class already made immortal where it was created (a struct
/// sequence type): remembered so that teardown empties it.
pub fn remember_module_class(v: &Value) {
    if !immortalize(v, Scope::Alone, true) {
        MADE.lock()
            .unwrap_or_else(|p| p.into_inner())
            .push(v.raw().as_ptr() as usize);
    }
}

/// A function not nested in another, with its code, constants and `__class__` cell.
fn function(v: &Value, scope: Scope, remember: bool) {
    let Some(f) = v.downcast::<FuncObj>() else {
        return;
    };
    // A function whose globals are not a module's (immortal) dict, such as the ones
    // `exec` makes in a namespace of its own (`namedtuple`'s `__new__`), stays mortal:
    // it would keep that namespace alive forever.
    if f.code().flags & CO_NESTED != 0 || !is_immortal(f.globals.raw()) {
        return;
    }
    if !immortalize(v, scope, remember) {
        return;
    }
    code(f.code_slot.get(), scope);
    for c in f.closure.iter() {
        if c.downcast::<CellObj>().is_some() {
            immortalize(c, scope, remember);
        }
    }
}

/// A code object and what it holds: constants (deeply), names, its name strings.
fn code(v: &Value, scope: Scope) {
    let Some(co) = v.downcast::<CodeObj>() else {
        return;
    };
    if !immortalize(v, scope, false) {
        return;
    }
    for c in co.consts.iter() {
        constant(c, scope);
    }
    for n in co.names.iter() {
        immortalize(n, scope, false);
    }
    if let Some((a, b)) = co.name_objs.get() {
        immortalize(a, scope, false);
        immortalize(b, scope, false);
    }
}

/// A literal of a code object: immutable, so immortal with no owner to release it.
fn constant(v: &Value, scope: Scope) {
    use crate::types::class::Kind;
    if v.downcast::<CodeObj>().is_some() {
        return code(v, scope);
    }
    match v.type_data().kind {
        _ if v.type_data().is_heap => {}
        Kind::Str | Kind::Bytes | Kind::Int | Kind::Float => {
            immortalize(v, scope, false);
        }
        Kind::Tuple => {
            if immortalize(v, scope, false)
                && let Some(t) = v.downcast::<crate::types::tuple::TupleObj>()
            {
                for x in t.items.iter() {
                    constant(x, scope);
                }
            }
        }
        Kind::FrozenSet => {
            if immortalize(v, scope, false)
                && let Some(s) = crate::types::set::as_set(v)
            {
                for x in s.keys() {
                    constant(&x, scope);
                }
            }
        }
        _ => {}
    }
}

/// A heap class defined at a module's top level (or in such a class). Classes made
/// inside functions stay mortal, as closures do: they are often temporary, and code
/// (CPython's own tests among it) expects them to be collected.
fn class(v: &Value, scope: Scope, remember: bool) {
    if as_type(v).is_some_and(|t| t.is_heap && !t.qualname.read(|q| q.contains("<locals>"))) {
        immortalize(v, scope, remember);
    }
}

fn module(v: &Value, scope: Scope, remember: bool) {
    let Some(m) = v.downcast::<ModuleObj>() else {
        return;
    };
    immortalize(v, scope, remember);
    immortalize(&m.dict, scope, remember);
}

/// A native module's functions (`math.floor`), found in module dicts at the switch:
/// bound to nothing or to a module, so nothing else is kept alive with them. (A native
/// module imported later keeps mortal functions: they are added to its dict after
/// the module is made.)
fn module_functions(v: &Value) {
    let Some(d) = v
        .downcast::<ModuleObj>()
        .and_then(|m| m.dict.downcast::<DictObj>())
    else {
        return;
    };
    for f in d.values() {
        if let Some(b) = f.downcast_exact::<crate::types::func::BuiltinFuncObj>()
            && !b.is_method
            && (b.self_.is_null() || b.self_.downcast::<ModuleObj>().is_some())
        {
            immortalize(&f, Scope::Alone, false);
        }
    }
}

/// Every tracked object of the kinds above, made immortal. No other thread runs.
fn walk_all(remember: bool) {
    let mut objs = Vec::new();
    for l in crate::gc::list::all_lists() {
        // SAFETY: only this thread runs Python code (callers' contract), so the lists
        // do not change while walked; each listed object is alive.
        unsafe {
            l.for_each(|h: *mut ObjHeader| {
                objs.push(Value::from_borrowed(RawValue::from_ptr(h as *const u8)))
            })
        };
    }
    // Modules first: whether a function is made immortal depends on its globals.
    for v in &objs {
        module(v, Scope::Alone, remember);
        module_functions(v);
    }
    for v in &objs {
        function(v, Scope::Alone, remember);
        class(v, Scope::Alone, remember);
    }
}

/// The world `Vm::new` made (builtins, sys, the import machinery): immortal from the
/// start, so the live-object count a program starts from leaves them out.
pub fn world_ready() {
    if !is_multi_threaded() {
        walk_all(false);
    }
}

/// The program is about to start its second thread (a `thread_state` switch hook).
pub fn on_multi_threaded() {
    walk_all(true);
}

/// Made a function: immortal if threads run and it is not a closure.
pub fn new_function(v: &Value) {
    if is_multi_threaded() {
        function(v, Scope::Owned, true);
    }
}

/// Made a class.
pub fn new_class(v: &Value) {
    if is_multi_threaded() {
        class(v, Scope::Owned, true);
    }
}

/// Made a module.
pub fn new_module(v: &Value) {
    if is_multi_threaded() {
        module(v, Scope::Owned, true);
    }
}

/// `f.__code__ = c`: an immortal function's new code becomes immortal too (it would
/// otherwise be kept alive forever with nothing to release it), with the world
/// stopped, since `c` may belong to another thread.
pub fn code_assigned(f: &Value, c: &Value) {
    if !is_immortal(f.raw()) || !is_multi_threaded() {
        return;
    }
    crate::thread_state::stop_the_world(|| code(c, Scope::Alone));
}

/// Teardown (one thread left): empty the objects made immortal during the run, so
/// what only they held is freed.
pub fn release_all() {
    let made = std::mem::take(&mut *MADE.lock().unwrap_or_else(|p| p.into_inner()));
    for p in made {
        let v = Value::from_borrowed(RawValue::from_ptr(p as *const u8));
        if let Some(f) = v.downcast::<FuncObj>() {
            // SAFETY: `v` is a live (immortal) function.
            unsafe { clear(&v) };
            f.code_slot.drop_retired();
            for slot in [&f.name, &f.qualname] {
                drop(slot.with(|s| std::mem::replace(s, Value::none())));
            }
        } else if let Some(d) = v.downcast::<DictObj>() {
            // A module's globals (the module itself, remembered too, holds only them).
            drop(d.d.with(|d| d.clear()));
        } else {
            // SAFETY: as above (classes, cells; a module has no `clear`).
            unsafe { clear(&v) };
        }
    }
}

/// The collector's `clear` of `v`'s type (drops what may hold cycles).
///
/// # Safety
/// `v` is live.
unsafe fn clear(v: &Value) {
    if let (Some(h), Some(ops)) = (v.header(), v.type_data().gc) {
        // SAFETY: `h` is a live object of a type with these ops.
        unsafe { (ops.clear)(h as *const ObjHeader) };
    }
}
