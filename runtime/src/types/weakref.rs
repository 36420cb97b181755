//! Weak reference objects (`weakref.ref`, `weakref.proxy`) and what an object's death
//! does to them.
//!
//! The thread-safety protocol (striped weak-reference lists, the maybe-weakly-
//! referenced counting state, upgrades that only succeed on a live count, clearing
//! by the thread that frees the object) is `stitch_sync::weakref`, written at the top
//! of its file and checked by `loom-tests/tests/weakref.rs`. This file keeps the lists
//! of the runtime's objects in [`LISTS`] (keyed by header address), marks each
//! referent with `FLAG_WEAKREFS` so deallocation knows to look, and orders the lists
//! as CPython does: the shared plain `ref` first, then the shared plain proxy, then the
//! references with callbacks or of subclasses, newest first (callbacks run in list
//! order).
use std::mem::offset_of;
use std::sync::LazyLock;
use std::sync::atomic::Ordering;

use stitch_stencils::header::{FLAG_WEAKREFS, ObjHeader};
use stitch_stencils::value::RawValue;
use stitch_sync::shim::AtomicUsize;
use stitch_sync::weakref::{self as proto, WeakLists};

use crate::object::{Counts, ObjCell, PyObj, current_tid};
use crate::types::class::{Kind, TypeData, type_data_raw};
use crate::types::instance::SubObj;
use crate::value::{PyPayload, Value};
use crate::vm::{PyResult, Vm};
use crate::world::types;

/// The weak-reference lists of every object (see `stitch_sync::weakref`).
pub static LISTS: LazyLock<WeakLists> = LazyLock::new(WeakLists::new);

/// A weak reference (`ref`, a subclass of it, or a proxy).
pub struct WeakRefObj {
    /// Header address of the referent; 0 once it died.
    pub slot: AtomicUsize,
    /// The callback (NULL: none). Taken out when the referent dies.
    pub callback: ObjCell<Value>,
    /// The referent's hash once computed (kept after its death, as CPython does).
    pub hash: ObjCell<Option<i64>>,
}

impl PyPayload for WeakRefObj {
    fn class() -> RawValue {
        types().weakref
    }
}

/// A proxy: the same state as a reference, with every operation forwarded.
#[repr(transparent)]
pub struct ProxyObj(pub WeakRefObj);

impl PyPayload for ProxyObj {
    fn class() -> RawValue {
        types().weakproxy
    }
}

/// The weak-reference state of a `ref` (or subclass) or proxy.
pub fn as_weak(v: &Value) -> Option<&WeakRefObj> {
    if let Some(w) = v.downcast::<WeakRefObj>() {
        return Some(w);
    }
    as_proxy(v)
}

/// The state of a proxy (callable or not).
pub fn as_proxy(v: &Value) -> Option<&WeakRefObj> {
    if !v.is_ptr() {
        return None;
    }
    let t = v.type_raw();
    if t == types().weakproxy || t == types().weakcallableproxy {
        // SAFETY: both proxy types' instances are `PyObj<ProxyObj>`.
        return Some(&unsafe { v.payload_unchecked::<ProxyObj>() }.0);
    }
    None
}

/// Header address of the object whose payload (or `SubObj` base) is `w`.
fn header_of(w: &WeakRefObj) -> usize {
    // `PyObj<T>` is `#[repr(C)]` with the payload after the header; `SubObj<T>` and
    // `ProxyObj` start with the `WeakRefObj`, so the offset is the same for all three.
    w as *const WeakRefObj as usize - offset_of!(PyObj<WeakRefObj>, payload)
}

/// The weak-reference state of the weak reference whose header is at `h`.
///
/// # Safety
/// `h` is a live weak reference (found in a list under its referent's stripe lock).
unsafe fn weak_at<'a>(h: usize) -> &'a WeakRefObj {
    // SAFETY: see above; all three layouts start their payload with a `WeakRefObj`.
    unsafe { &(*(h as *const PyObj<WeakRefObj>)).payload }
}

/// Counting words of the object whose header is at `h`.
fn counts<'a>(h: usize) -> Counts<'a> {
    // SAFETY: callers pass objects known to be allocated (under their stripe lock).
    Counts(unsafe { &*(h as *const ObjHeader) })
}

impl WeakRefObj {
    fn new(callback: Value) -> WeakRefObj {
        WeakRefObj {
            slot: AtomicUsize::new(0),
            callback: ObjCell::new(callback),
            hash: ObjCell::new(None),
        }
    }

    /// The referent, if it is alive (a new strong reference).
    pub fn get(&self) -> Option<Value> {
        let obj = proto::upgrade(&LISTS, &self.slot, current_tid, counts)?;
        // SAFETY: `upgrade` took a strong reference for us.
        Some(unsafe { Value::from_raw(RawValue::from_ptr(obj as *const u8)) })
    }

    /// Is the referent dead?
    pub fn is_dead(&self) -> bool {
        self.slot.load(Ordering::Acquire) == 0
    }

    /// The callback, or None.
    pub fn callback(&self) -> Value {
        let c = self.callback.with(|c| c.clone());
        if c.is_null() { Value::none() } else { c }
    }
}

impl Drop for WeakRefObj {
    fn drop(&mut self) {
        proto::forget(&LISTS, header_of(self), &self.slot);
    }
}

/// Does `v`'s type support weak references (CPython's `tp_weaklistoffset`)?
pub fn weakrefable(v: &Value) -> bool {
    if !v.is_ptr() {
        return false;
    }
    let td = v.type_data();
    if !td.is_heap {
        return native_type_weakrefable(td);
    }
    heap_class_weakrefable(td)
}

/// Do instances of the builtin type `td` support weak references?
pub fn native_type_weakrefable(td: &TypeData) -> bool {
    matches!(
        td.kind,
        Kind::Set
            | Kind::FrozenSet
            | Kind::Function
            | Kind::Builtin
            | Kind::Type
            | Kind::Code
            | Kind::Module
            | Kind::Method
            | Kind::Generator
    ) || td.self_raw() == types().lock
        || td.native.is_some_and(|n| n.weakrefable)
}

/// A Python class's instances have `__weakref__` unless every Python class in its MRO
/// declares `__slots__` without it, or the layout is a variable-size builtin.
pub fn heap_class_weakrefable(td: &TypeData) -> bool {
    if matches!(td.kind, Kind::Int | Kind::Bool | Kind::Tuple | Kind::Bytes) {
        return false;
    }
    td.mro.read(|mro| {
        mro.iter().any(|c| {
            let ct = type_data_raw(c.raw());
            if !ct.is_heap {
                // Weak-referenceable builtin bases (ref subclasses with `__weakref__`
                // are handled by their own `__slots__`).
                return matches!(
                    ct.kind,
                    Kind::Set | Kind::FrozenSet | Kind::Type | Kind::Function
                );
            }
            match ct.dict.get_str("__slots__") {
                None => ct.kind != Kind::WeakRef,
                Some(s) => slots_name_weakref(&s),
            }
        })
    })
}

fn slots_name_weakref(s: &Value) -> bool {
    if let Some(n) = crate::types::str::as_str(s) {
        return n == "__weakref__";
    }
    crate::ops::seq_items_fast(s)
        .unwrap_or_default()
        .iter()
        .any(|x| crate::types::str::as_str(x) == Some("__weakref__"))
}

/// What a new weak reference is: a plain `ref`, an instance of a `ref` subclass, or a
/// proxy (callable when the referent is).
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Flavor {
    Ref,
    Proxy,
}

/// A plain `weakref.ref(obj)` with no callback (the shared one when it exists).
pub fn plain_ref(vm: &mut Vm, obj: &Value) -> PyResult<Value> {
    let cls = Value::from_borrowed(types().weakref);
    new_weak(vm, &cls, obj, Value::none(), Flavor::Ref)
}

/// `ref(obj, callback)` / `cls(obj, callback)` for a `ref` subclass / `proxy(obj,
/// callback)`: reuses the shared plain reference or proxy when there is no callback.
pub fn new_weak(
    vm: &mut Vm,
    cls: &Value,
    obj: &Value,
    callback: Value,
    flavor: Flavor,
) -> PyResult<Value> {
    if !weakrefable(obj) {
        let tn = obj.type_data().name.clone();
        return Err(vm.type_error(format!("cannot create weak reference to '{tn}' object")));
    }
    let t = types();
    let callback = if callback.is_none() {
        Value::NULL
    } else {
        callback
    };
    let ty = match flavor {
        Flavor::Ref => cls.raw(),
        Flavor::Proxy if is_callable(obj) => t.weakcallableproxy,
        Flavor::Proxy => t.weakproxy,
    };
    // The shared ones: plain `ref` or proxy, no callback.
    let basic = callback.is_null() && (flavor == Flavor::Proxy || ty == t.weakref);
    let w = if ty == t.weakref || flavor == Flavor::Proxy {
        Value::alloc_with_type(&Value::from_borrowed(ty), WeakRefObj::new(callback))
    } else {
        Value::alloc_with_type(
            cls,
            SubObj {
                base: WeakRefObj::new(callback),
                dict: crate::types::dict::DictObj::new_value(),
            },
        )
    };
    let Some(ws) = as_weak(&w) else {
        unreachable!("a new weak reference has the weak-reference layout")
    };
    let oh = obj.raw().as_ptr() as usize;
    let wh = w.raw().as_ptr() as usize;
    // SAFETY: both are live heap objects (we hold references).
    let (oheader, wheader) = unsafe { (&*(oh as *const ObjHeader), &*(wh as *const ObjHeader)) };
    let me = current_tid();
    let found = proto::register(
        &LISTS,
        oh,
        Counts(oheader),
        wh,
        Counts(wheader),
        &ws.slot,
        |list| {
            // Shared entries sit at the head: the basic ref, then the basic proxy.
            let is_basic_ref = |h: usize| {
                // SAFETY: entries are live weak references (we hold the stripe lock).
                let hd = unsafe { &*(h as *const ObjHeader) };
                // SAFETY: as above.
                let cb_null = unsafe { weak_at(h) }.callback.with(|c| c.is_null());
                cb_null && std::ptr::eq(hd.ob_type as *const u8, t.weakref.as_ptr())
            };
            let is_basic_proxy = |h: usize| {
                // SAFETY: as above.
                let hd = unsafe { &*(h as *const ObjHeader) };
                let pt = hd.ob_type as usize;
                // SAFETY: as above.
                let cb_null = unsafe { weak_at(h) }.callback.with(|c| c.is_null());
                cb_null
                    && (pt == t.weakproxy.as_ptr() as usize
                        || pt == t.weakcallableproxy.as_ptr() as usize)
            };
            let nref = usize::from(list.first().is_some_and(|&h| is_basic_ref(h)));
            let nproxy = usize::from(list.get(nref).is_some_and(|&h| is_basic_proxy(h)));
            if basic {
                let existing = if flavor == Flavor::Ref {
                    (nref == 1).then(|| list[0])
                } else {
                    (nproxy == 1).then(|| list[nref])
                };
                if let Some(e) = existing
                    && proto::try_incref(&counts(e), || me)
                {
                    return Err(e);
                }
                // A dying shared reference stays where it is until it leaves.
                return Ok(if flavor == Flavor::Ref { 0 } else { nref });
            }
            Ok(nref + nproxy)
        },
    );
    if let Some(e) = found {
        // SAFETY: `try_incref` took a strong reference for us.
        return Ok(unsafe { Value::from_raw(RawValue::from_ptr(e as *const u8)) });
    }
    oheader.ob_flags.fetch_or(FLAG_WEAKREFS, Ordering::Relaxed);
    Ok(w)
}

/// `callable(v)`.
pub fn is_callable(v: &Value) -> bool {
    matches!(
        v.type_data().kind,
        Kind::Function | Kind::Builtin | Kind::Method | Kind::Type
    ) || crate::vm::lookup_special(v, "__call__").is_some()
}

/// The weak references to `obj` (`weakref.getweakrefs`), in list order, alive ones.
pub fn refs_of(obj: &Value) -> Vec<Value> {
    if !obj.is_ptr() {
        return vec![];
    }
    let oh = obj.raw().as_ptr() as usize;
    let me = current_tid();
    let stripe = LISTS.lock(oh);
    let mut out = Vec::new();
    if let Some(list) = stripe.get(&oh) {
        for &h in list {
            if proto::try_incref(&counts(h), || me) {
                // SAFETY: `try_incref` took a strong reference for us.
                out.push(unsafe { Value::from_raw(RawValue::from_ptr(h as *const u8)) });
            }
        }
    }
    drop(stripe);
    out
}

/// Number of weak references to `obj` (`weakref.getweakrefcount`).
pub fn count_of(obj: &Value) -> usize {
    if !obj.is_ptr() {
        return 0;
    }
    let oh = obj.raw().as_ptr() as usize;
    LISTS.lock(oh).get(&oh).map_or(0, |l| l.len())
}

/// The object at `h` is being freed and has (or had) weak references: empty them all.
/// Returns the ones still alive (new references), each with its callback (NULL if
/// none), in list order, for the caller to run the callbacks outside the lock.
///
/// # Safety
/// `h`'s count reached zero: no strong reference to it exists.
pub unsafe fn clear_dying(h: *mut ObjHeader) -> Vec<(Value, Value)> {
    let me = current_tid();
    let mut live: Vec<(usize, Value)> = Vec::new();
    proto::clear(
        &LISTS,
        h as usize,
        // SAFETY: list entries are live weak references (under the stripe lock).
        |w| &unsafe { weak_at(w) }.slot,
        |w| {
            if proto::try_incref(&counts(w), || me) {
                // SAFETY: as above.
                let cb = unsafe { weak_at(w) }
                    .callback
                    .with(|c| std::mem::replace(c, Value::NULL));
                live.push((w, cb));
            }
        },
    );
    live.into_iter()
        .map(|(w, cb)| {
            // SAFETY: `try_incref` took a strong reference for us.
            let w = unsafe { Value::from_raw(RawValue::from_ptr(w as *const u8)) };
            (w, cb)
        })
        .collect()
}
