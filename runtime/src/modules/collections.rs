//! `_collections`: `deque` (a ring buffer whose operations are atomic under threads),
//! its iterators, `defaultdict` (a dict with `__missing__`), `_count_elements`
//! (`Counter`'s loop) and `_tuplegetter` (namedtuple's field descriptors).
use std::collections::VecDeque;

use crate::native_payload;
use crate::object::ObjCell;
use crate::ops;
use crate::types::class::Kind;
use crate::types::dict::DictObj;
use crate::types::native::{self, NativeType, downcast, new_type};
use crate::types::str::new_string;
use crate::types::tuple::TupleObj;
use crate::value::Value;
use crate::vm::{Args, PyErr, PyResult, Vm};
use crate::world::types;

use super::itertools::{iter_self, next_method};
use super::native_args::{
    bind, methods, module, object_type, receiver, set, static_new, this, unpack,
};

// ---- deque -----------------------------------------------------------------------

pub struct Deque {
    st: ObjCell<DequeState>,
}

impl crate::gc::Traverse for Deque {
    fn traverse(&self, visit: crate::gc::Visit<'_>) {
        self.st.read(|s| {
            s.items
                .iter()
                .for_each(|v| crate::gc::visit_value(v, visit))
        });
    }
    fn clear(&self) {
        drop(self.st.with(|s| {
            s.changed();
            std::mem::take(&mut s.items)
        }));
    }
}

struct DequeState {
    items: VecDeque<Value>,
    maxlen: Option<usize>,
    /// Bumped by every change of the items: iterators compare it.
    state: u64,
}

impl DequeState {
    fn changed(&mut self) {
        self.state = self.state.wrapping_add(1);
    }
    /// Append on the right, dropping from the left past maxlen (returns the dropped).
    fn push_back(&mut self, v: Value) -> Option<Value> {
        if self.maxlen == Some(0) {
            return Some(v);
        }
        self.items.push_back(v);
        self.changed();
        match self.maxlen {
            Some(m) if self.items.len() > m => self.items.pop_front(),
            _ => None,
        }
    }
    fn push_front(&mut self, v: Value) -> Option<Value> {
        if self.maxlen == Some(0) {
            return Some(v);
        }
        self.items.push_front(v);
        self.changed();
        match self.maxlen {
            Some(m) if self.items.len() > m => self.items.pop_back(),
            _ => None,
        }
    }
}

native_payload!(Deque, DEQUE);
static DEQUE_T: NativeType = NativeType {
    new: Some(deque_new),
    has_init: true,
    weakrefable: true,
    ..NativeType::of::<Deque>()
};

fn new_deque(maxlen: Option<usize>, items: VecDeque<Value>) -> Deque {
    Deque {
        st: ObjCell::new(DequeState {
            items,
            maxlen,
            state: 0,
        }),
    }
}

fn deque_new(_vm: &mut Vm, cls: &Value, _a: &Args) -> PyResult<Value> {
    Ok(native::alloc(cls, new_deque(None, VecDeque::new())))
}

fn deque_dnew(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let base = <Deque as crate::value::PyPayload>::class();
    let (cls, rest) = super::native_args::new_args(vm, a, base)?;
    deque_new(vm, &cls, &rest)
}

fn dq<'a>(vm: &mut Vm, v: &'a Value) -> PyResult<&'a Deque> {
    match downcast::<Deque>(v) {
        Some(d) => Ok(d),
        None => Err(not_a_deque(vm, v)),
    }
}

#[cold]
#[inline(never)]
fn not_a_deque(vm: &mut Vm, v: &Value) -> crate::vm::PyErr {
    let tn = v.type_data().name.clone();
    vm.type_error(format!(
        "descriptor requires a 'collections.deque' object but received a '{tn}'"
    ))
}

fn deque_init(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (s, rest) = receiver(vm, "__init__", a)?;
    let b = bind(vm, "deque", &rest, &["iterable", "maxlen"], 0, 2)?;
    let d = dq(vm, s)?;
    let maxlen = match b[1] {
        Some(m) if !m.is_none() => {
            if crate::types::int::as_int(m).is_none() {
                return Err(vm.type_error("an integer is required"));
            }
            let n = ops::to_isize(vm, m)?;
            if n < 0 {
                return Err(vm.value_error("maxlen must be non-negative"));
            }
            Some(n as usize)
        }
        _ => None,
    };
    let old = d.st.with(|st| {
        st.maxlen = maxlen;
        st.changed();
        std::mem::take(&mut st.items)
    });
    drop(old);
    if let Some(src) = b[0] {
        extend_with(vm, s, d, src, false)?;
    }
    Ok(Value::none())
}

/// Items of `src` (a snapshot when `src` is the deque itself).
fn items_of(vm: &mut Vm, s: &Value, src: &Value) -> PyResult<Vec<Value>> {
    if src.is(s)
        && let Some(d) = downcast::<Deque>(src)
    {
        return Ok(d.st.with(|st| st.items.iter().cloned().collect()));
    }
    ops::collect(vm, src)
}

fn extend_with(vm: &mut Vm, s: &Value, d: &Deque, src: &Value, left: bool) -> PyResult<()> {
    if src.is(s) || ops::seq_items_fast(src).is_some() {
        let items = items_of(vm, s, src)?;
        let dropped: Vec<Value> = d.st.with(|st| {
            items
                .into_iter()
                .filter_map(|v| {
                    if left {
                        st.push_front(v)
                    } else {
                        st.push_back(v)
                    }
                })
                .collect()
        });
        drop(dropped);
        return Ok(());
    }
    let it = ops::get_iter(vm, src)?;
    while let Some(v) = ops::next(vm, &it)? {
        let dropped = d.st.with(|st| {
            if left {
                st.push_front(v)
            } else {
                st.push_back(v)
            }
        });
        drop(dropped);
    }
    Ok(())
}

fn append(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (s, r) = this(vm, "append", a, 1, 1)?;
    let d = dq(vm, s)?;
    let dropped = d.st.with(|st| st.push_back(r[0].clone()));
    drop(dropped);
    Ok(Value::none())
}

fn appendleft(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (s, r) = this(vm, "appendleft", a, 1, 1)?;
    let d = dq(vm, s)?;
    let dropped = d.st.with(|st| st.push_front(r[0].clone()));
    drop(dropped);
    Ok(Value::none())
}

fn pop(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (s, _) = this(vm, "pop", a, 0, 0)?;
    let d = dq(vm, s)?;
    let v = d.st.with(|st| {
        let v = st.items.pop_back();
        st.changed();
        v
    });
    v.ok_or_else(|| vm.index_error("pop from an empty deque"))
}

fn popleft(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (s, _) = this(vm, "popleft", a, 0, 0)?;
    let d = dq(vm, s)?;
    let v = d.st.with(|st| {
        let v = st.items.pop_front();
        st.changed();
        v
    });
    v.ok_or_else(|| vm.index_error("pop from an empty deque"))
}

fn extend(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (s, r) = this(vm, "extend", a, 1, 1)?;
    let d = dq(vm, s)?;
    extend_with(vm, s, d, &r[0], false)?;
    Ok(Value::none())
}

fn extendleft(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (s, r) = this(vm, "extendleft", a, 1, 1)?;
    let d = dq(vm, s)?;
    extend_with(vm, s, d, &r[0], true)?;
    Ok(Value::none())
}

fn clear(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (s, _) = this(vm, "clear", a, 0, 0)?;
    let d = dq(vm, s)?;
    let old = d.st.with(|st| {
        st.changed();
        std::mem::take(&mut st.items)
    });
    drop(old);
    Ok(Value::none())
}

fn snapshot(d: &Deque) -> (Vec<Value>, u64) {
    d.st.with(|st| (st.items.iter().cloned().collect(), st.state))
}

fn mutated(vm: &mut Vm) -> PyErr {
    vm.runtime_error("deque mutated during iteration")
}

fn count(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (s, r) = this(vm, "count", a, 1, 1)?;
    let d = dq(vm, s)?;
    let (items, state) = snapshot(d);
    let mut n = 0;
    for v in &items {
        if v.is(&r[0]) || vm.eq(v, &r[0])? {
            n += 1;
        }
        if d.st.with(|st| st.state) != state {
            return Err(mutated(vm));
        }
    }
    Ok(Value::int(n))
}

/// A deque position argument of index/insert: clamped like CPython's.
fn clamp_index(vm: &mut Vm, v: &Value, len: usize) -> PyResult<usize> {
    let mut i = ops::to_isize(vm, v)?;
    if i < 0 {
        i += len as i64;
        if i < 0 {
            i = 0;
        }
    }
    Ok((i as usize).min(len))
}

fn index(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (s, r) = this(vm, "index", a, 1, 3)?;
    let d = dq(vm, s)?;
    let (items, state) = snapshot(d);
    let n = items.len();
    let start = match r.get(1) {
        Some(v) => clamp_index(vm, v, n)?,
        None => 0,
    };
    let stop = match r.get(2) {
        Some(v) => clamp_index(vm, v, n)?,
        None => n,
    };
    for (i, v) in items.iter().enumerate().take(stop).skip(start) {
        if v.is(&r[0]) || vm.eq(v, &r[0])? {
            return Ok(Value::int(i as i64));
        }
        if d.st.with(|st| st.state) != state {
            return Err(mutated(vm));
        }
    }
    let rep = ops::repr(vm, &r[0])?;
    Err(vm.value_error(format!("{rep} is not in deque")))
}

fn insert(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (s, r) = this(vm, "insert", a, 2, 2)?;
    let d = dq(vm, s)?;
    let n = d.st.with(|st| st.items.len());
    let i = ops::to_isize(vm, &r[0])?;
    let full =
        d.st.with(|st| st.maxlen.is_some_and(|m| st.items.len() >= m));
    if full {
        return Err(vm.index_error("deque already at its maximum size"));
    }
    let mut at = if i < 0 { i + n as i64 } else { i };
    at = at.clamp(0, n as i64);
    d.st.with(|st| {
        let at = (at as usize).min(st.items.len());
        st.items.insert(at, r[1].clone());
        st.changed();
    });
    Ok(Value::none())
}

fn remove(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (s, r) = this(vm, "remove", a, 1, 1)?;
    let d = dq(vm, s)?;
    let (items, state) = snapshot(d);
    for (i, v) in items.iter().enumerate() {
        let eq = v.is(&r[0]) || vm.eq(v, &r[0])?;
        if d.st.with(|st| st.state) != state {
            return Err(mutated(vm));
        }
        if eq {
            let old = d.st.with(|st| {
                st.changed();
                st.items.remove(i)
            });
            drop(old);
            return Ok(Value::none());
        }
    }
    let rep = ops::repr(vm, &r[0])?;
    Err(vm.value_error(format!("{rep} is not in deque")))
}

fn reverse(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (s, _) = this(vm, "reverse", a, 0, 0)?;
    let d = dq(vm, s)?;
    d.st.with(|st| {
        st.items.make_contiguous().reverse();
        st.changed();
    });
    Ok(Value::none())
}

fn rotate(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (s, r) = this(vm, "rotate", a, 0, 1)?;
    let d = dq(vm, s)?;
    let n = match r.first() {
        Some(v) => ops::to_isize(vm, v)?,
        None => 1,
    };
    d.st.with(|st| {
        let len = st.items.len() as i64;
        if len > 1 {
            let k = n.rem_euclid(len) as usize;
            st.items.rotate_right(k);
            st.changed();
        }
    });
    Ok(Value::none())
}

fn maxlen(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (s, _) = this(vm, "maxlen", a, 0, 0)?;
    let d = dq(vm, s)?;
    Ok(match d.st.with(|st| st.maxlen) {
        Some(m) => Value::int(m as i64),
        None => Value::none(),
    })
}

fn len(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (s, _) = this(vm, "__len__", a, 0, 0)?;
    let d = dq(vm, s)?;
    Ok(Value::int(d.st.with(|st| st.items.len()) as i64))
}

fn bool_(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (s, _) = this(vm, "__bool__", a, 0, 0)?;
    let d = dq(vm, s)?;
    Ok(Value::bool(!d.st.with(|st| st.items.is_empty())))
}

/// An item index: ints only (deques do not slice).
fn item_index(vm: &mut Vm, d: &Deque, key: &Value) -> PyResult<usize> {
    let is_int = crate::types::int::as_int(key).is_some()
        || crate::vm::lookup_special(key, "__index__").is_some();
    if !is_int {
        let tn = key.type_data().name.clone();
        return Err(vm.type_error(format!("sequence index must be integer, not '{tn}'")));
    }
    let i = ops::to_isize(vm, key)?;
    let n = d.st.with(|st| st.items.len()) as i64;
    let idx = if i < 0 { i + n } else { i };
    if idx < 0 || idx >= n {
        return Err(vm.index_error("deque index out of range"));
    }
    Ok(idx as usize)
}

fn getitem(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (s, r) = this(vm, "__getitem__", a, 1, 1)?;
    let d = dq(vm, s)?;
    if let Some(i) = r[0].as_small_int() {
        let v = d.st.with(|st| {
            let n = st.items.len() as i64;
            let idx = if i < 0 { i + n } else { i };
            if idx >= 0 && idx < n {
                Some(st.items[idx as usize].clone())
            } else {
                None
            }
        });
        return v.ok_or_else(|| vm.index_error("deque index out of range"));
    }
    let i = item_index(vm, d, &r[0])?;
    d.st.with(|st| st.items.get(i).cloned())
        .ok_or_else(|| vm.index_error("deque index out of range"))
}

fn setitem(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (s, r) = this(vm, "__setitem__", a, 2, 2)?;
    let d = dq(vm, s)?;
    let i = item_index(vm, d, &r[0])?;
    let old = d.st.with(|st| {
        st.items
            .get_mut(i)
            .map(|slot| std::mem::replace(slot, r[1].clone()))
    });
    match old {
        Some(o) => {
            drop(o);
            Ok(Value::none())
        }
        None => Err(vm.index_error("deque index out of range")),
    }
}

fn delitem(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (s, r) = this(vm, "__delitem__", a, 1, 1)?;
    let d = dq(vm, s)?;
    let i = item_index(vm, d, &r[0])?;
    let old = d.st.with(|st| {
        st.changed();
        st.items.remove(i)
    });
    match old {
        Some(o) => {
            drop(o);
            Ok(Value::none())
        }
        None => Err(vm.index_error("deque index out of range")),
    }
}

fn contains(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (s, r) = this(vm, "__contains__", a, 1, 1)?;
    let d = dq(vm, s)?;
    let (items, state) = snapshot(d);
    for v in &items {
        let eq = v.is(&r[0]) || vm.eq(v, &r[0])?;
        if d.st.with(|st| st.state) != state {
            return Err(mutated(vm));
        }
        if eq {
            return Ok(Value::bool(true));
        }
    }
    Ok(Value::bool(false))
}

fn deque_repr(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (s, _) = this(vm, "__repr__", a, 0, 0)?;
    let d = dq(vm, s)?;
    let name = s.type_data().name.clone();
    let (items, _) = snapshot(d);
    let parts = ops::repr_guard(vm, s, "[...]", |vm| {
        let mut parts = Vec::with_capacity(items.len());
        for v in &items {
            parts.push(ops::repr(vm, v)?);
        }
        Ok(parts)
    })?;
    let parts = match parts {
        Ok(parts) => parts,
        Err(rec) => return Ok(new_string(rec)),
    };
    let body = format!("[{}]", parts.join(", "));
    Ok(new_string(match d.st.with(|st| st.maxlen) {
        Some(m) => format!("{name}({body}, maxlen={m})"),
        None => format!("{name}({body})"),
    }))
}

fn deque_compare(vm: &mut Vm, a: &Args, name: &str, op: u32) -> PyResult<Value> {
    let (s, r) = this(vm, name, a, 1, 1)?;
    let (Some(x), Some(y)) = (downcast::<Deque>(s), downcast::<Deque>(&r[0])) else {
        return Ok(Value::not_implemented());
    };
    let xs = TupleObj::new_value(snapshot(x).0);
    let ys = TupleObj::new_value(snapshot(y).0);
    ops::compare(vm, &xs, &ys, op)
}

macro_rules! deque_cmp {
    ($($f:ident, $n:literal, $op:expr;)*) => {
        $(fn $f(vm: &mut Vm, a: &Args) -> PyResult<Value> { deque_compare(vm, a, $n, $op) })*
    };
}
deque_cmp! {
    d_lt, "__lt__", ops::LT;
    d_le, "__le__", ops::LE;
    d_eq, "__eq__", ops::EQ;
    d_ne, "__ne__", ops::NE;
    d_gt, "__gt__", ops::GT;
    d_ge, "__ge__", ops::GE;
}

/// A copy of the deque `s` of the same type (`type(d)(d, maxlen)` for subclasses).
fn copy_of(vm: &mut Vm, s: &Value, d: &Deque) -> PyResult<Value> {
    let (items, maxlen) = d.st.with(|st| (st.items.clone(), st.maxlen));
    if s.type_raw() == <Deque as crate::value::PyPayload>::class() {
        return Ok(Value::alloc(new_deque(maxlen, items)));
    }
    let cls = s.type_of();
    match maxlen {
        Some(m) => vm.call(&cls, &[s.clone(), Value::int(m as i64)]),
        None => vm.call(&cls, std::slice::from_ref(s)),
    }
}

fn copy(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (s, _) = this(vm, "copy", a, 0, 0)?;
    let d = dq(vm, s)?;
    copy_of(vm, s, d)
}

fn add(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (s, r) = this(vm, "__add__", a, 1, 1)?;
    let d = dq(vm, s)?;
    if downcast::<Deque>(&r[0]).is_none() {
        let tn = r[0].type_data().name.clone();
        return Err(vm.type_error(format!(
            "can only concatenate deque (not \"{tn}\") to deque"
        )));
    }
    let new = copy_of(vm, s, d)?;
    if let Some(nd) = downcast::<Deque>(&new) {
        extend_with(vm, &new, nd, &r[0], false)?;
    }
    Ok(new)
}

fn iadd(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (s, r) = this(vm, "__iadd__", a, 1, 1)?;
    let d = dq(vm, s)?;
    extend_with(vm, s, d, &r[0], false)?;
    Ok(s.clone())
}

fn repeat_in_place(vm: &mut Vm, d: &Deque, n: &Value) -> PyResult<()> {
    let n = ops::to_isize(vm, n)?;
    let dropped = d.st.with(|st| {
        let orig: Vec<Value> = st.items.iter().cloned().collect();
        if n <= 0 {
            st.changed();
            return std::mem::take(&mut st.items)
                .into_iter()
                .collect::<Vec<_>>();
        }
        let mut dropped = Vec::new();
        for _ in 1..n {
            for v in &orig {
                dropped.extend(st.push_back(v.clone()));
            }
        }
        dropped
    });
    drop(dropped);
    Ok(())
}

fn mul(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (s, r) = this(vm, "__mul__", a, 1, 1)?;
    let d = dq(vm, s)?;
    if crate::types::int::as_int(&r[0]).is_none()
        && crate::vm::lookup_special(&r[0], "__index__").is_none()
    {
        return Ok(Value::not_implemented());
    }
    let new = copy_of(vm, s, d)?;
    if let Some(nd) = downcast::<Deque>(&new) {
        repeat_in_place(vm, nd, &r[0])?;
    }
    Ok(new)
}

fn imul(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (s, r) = this(vm, "__imul__", a, 1, 1)?;
    let d = dq(vm, s)?;
    if crate::types::int::as_int(&r[0]).is_none()
        && crate::vm::lookup_special(&r[0], "__index__").is_none()
    {
        return Ok(Value::not_implemented());
    }
    repeat_in_place(vm, d, &r[0])?;
    Ok(s.clone())
}

fn deque_reduce(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (s, _) = this(vm, "__reduce__", a, 0, 0)?;
    let d = dq(vm, s)?;
    let (items, maxlen) =
        d.st.with(|st| (st.items.iter().cloned().collect(), st.maxlen));
    let args = match maxlen {
        Some(m) => TupleObj::from_items([TupleObj::from_items([]), Value::int(m as i64)]),
        None => TupleObj::from_items([]),
    };
    let state = match s.type_data().instance_dict(s) {
        Some(dv) if dv.downcast::<DictObj>().is_some_and(|x| !x.is_empty()) => dv.clone(),
        _ => Value::none(),
    };
    let it = ops::get_iter(vm, &crate::types::list::ListObj::new_value(items))?;
    Ok(TupleObj::from_items([s.type_of(), args, state, it]))
}

// ---- deque iterators -------------------------------------------------------------

pub struct DequeIter {
    deque: Value,
    /// (next index from the iteration's end, items left, deque state at the start)
    st: ObjCell<(usize, usize, u64)>,
    reverse: bool,
}
native_payload!(DequeIter, DEQUEITER);
static DEQUEITER_T: NativeType = NativeType {
    iternext: Some(dequeiter_next),
    ..NativeType::of::<DequeIter>()
};
pub struct DequeRevIter(DequeIter);
native_payload!(DequeRevIter, DEQUEREVITER);
static DEQUEREVITER_T: NativeType = NativeType {
    iternext: Some(dequerev_next),
    ..NativeType::of::<DequeRevIter>()
};

fn deque_iter(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (s, _) = this(vm, "__iter__", a, 0, 0)?;
    let d = dq(vm, s)?;
    let (n, state) = d.st.with(|st| (st.items.len(), st.state));
    Ok(Value::alloc(DequeIter {
        deque: s.clone(),
        st: ObjCell::new((0, n, state)),
        reverse: false,
    }))
}

fn deque_reversed(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (s, _) = this(vm, "__reversed__", a, 0, 0)?;
    let d = dq(vm, s)?;
    let (n, state) = d.st.with(|st| (st.items.len(), st.state));
    Ok(Value::alloc(DequeRevIter(DequeIter {
        deque: s.clone(),
        st: ObjCell::new((0, n, state)),
        reverse: true,
    })))
}

fn iter_step(vm: &mut Vm, it: &DequeIter) -> PyResult<Option<Value>> {
    let Some(d) = downcast::<Deque>(&it.deque) else {
        return Ok(None);
    };
    let (i, left, state) = it.st.with(|s| *s);
    if left == 0 {
        return Ok(None);
    }
    let r = d.st.with(|st| {
        if st.state != state {
            return Err(());
        }
        let n = st.items.len();
        let idx = if it.reverse { n - 1 - i } else { i };
        Ok(st.items[idx].clone())
    });
    match r {
        Ok(v) => {
            it.st.with(|s| {
                s.0 += 1;
                s.1 -= 1;
            });
            Ok(Some(v))
        }
        Err(()) => {
            it.st.with(|s| s.1 = 0);
            Err(mutated(vm))
        }
    }
}

fn dequeiter_next(vm: &mut Vm, it: &Value) -> PyResult<Option<Value>> {
    match downcast::<DequeIter>(it) {
        Some(di) => iter_step(vm, di),
        None => Ok(None),
    }
}

fn dequerev_next(vm: &mut Vm, it: &Value) -> PyResult<Option<Value>> {
    match downcast::<DequeRevIter>(it) {
        Some(di) => iter_step(vm, &di.0),
        None => Ok(None),
    }
}

fn iter_length_hint(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (s, _) = this(vm, "__length_hint__", a, 0, 0)?;
    let it = downcast::<DequeIter>(s).or_else(|| downcast::<DequeRevIter>(s).map(|r| &r.0));
    Ok(Value::int(it.map_or(0, |i| i.st.with(|s| s.1)) as i64))
}

// ---- defaultdict -----------------------------------------------------------------

/// A dict followed by its `default_factory` (the dict first, so every dict operation
/// works on a defaultdict unchanged).
#[repr(C)]
pub struct DefaultDict {
    dict: DictObj,
    factory: ObjCell<Value>,
}
native_payload!(DefaultDict, DEFAULTDICT);

impl crate::gc::Traverse for DefaultDict {
    fn traverse(&self, visit: crate::gc::Visit<'_>) {
        crate::gc::Traverse::traverse(&self.dict, visit);
        self.factory.read(|v| crate::gc::visit_value(v, visit));
    }
    fn clear(&self) {
        crate::gc::Traverse::clear(&self.dict);
        drop(self.factory.with(std::mem::take));
    }
}
static DEFAULTDICT_T: NativeType = NativeType {
    new: Some(defaultdict_new),
    has_init: true,
    ..NativeType::of::<DefaultDict>()
};

fn defaultdict_new(_vm: &mut Vm, cls: &Value, _a: &Args) -> PyResult<Value> {
    Ok(native::alloc(
        cls,
        DefaultDict {
            dict: DictObj::new(),
            factory: ObjCell::new(Value::none()),
        },
    ))
}

fn defaultdict_dnew(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let base = <DefaultDict as crate::value::PyPayload>::class();
    let (cls, rest) = super::native_args::new_args(vm, a, base)?;
    defaultdict_new(vm, &cls, &rest)
}

fn dd<'a>(vm: &mut Vm, v: &'a Value) -> PyResult<&'a DefaultDict> {
    downcast::<DefaultDict>(v).ok_or_else(|| vm.type_error("defaultdict expected"))
}

fn defaultdict_init(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let p = a.pos();
    let Some(s) = p.first() else {
        return Err(vm.type_error("descriptor '__init__' needs an argument"));
    };
    let d = dd(vm, s)?;
    let mut rest_start = 1;
    if let Some(f) = p.get(1) {
        if !f.is_none() && !super::functools::is_callable(f) {
            return Err(vm.type_error("first argument must be callable or None"));
        }
        let old = d.factory.with(|x| std::mem::replace(x, f.clone()));
        drop(old);
        rest_start = 2;
    }
    let mut args = vec![s.clone()];
    args.extend_from_slice(&a.args[rest_start..]);
    if args.len() - a.kwnames.len() > 2 {
        let n = args.len() - a.kwnames.len() - 1;
        return Err(vm.type_error(format!("dict expected at most 1 argument, got {n}")));
    }
    let init = crate::types::class::type_data_raw(types().dict)
        .dict
        .get_str("__init__");
    if let Some(init) = init {
        vm.call_kw(&init, &args, a.kwnames)?;
    }
    Ok(Value::none())
}

fn missing(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (s, r) = this(vm, "__missing__", a, 1, 1)?;
    let d = dd(vm, s)?;
    let f = d.factory.get_clone();
    if f.is_none() {
        return Err(vm.key_error(r[0].clone()));
    }
    let v = vm.call(&f, &[])?;
    ops::setitem(vm, s, r[0].clone(), v.clone())?;
    Ok(v)
}

fn defaultdict_repr(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (s, _) = this(vm, "__repr__", a, 0, 0)?;
    let d = dd(vm, s)?;
    let name = s.type_data().name.clone();
    let f = d.factory.get_clone();
    let fr = if f.is_none() {
        "None".to_string()
    } else {
        ops::repr_guard(vm, &f, "...", |vm| ops::repr(vm, &f))?.unwrap_or_else(|rec| rec)
    };
    let body = ops::repr_base(vm, s)?;
    Ok(new_string(format!("{name}({fr}, {body})")))
}

fn defaultdict_copy(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (s, _) = this(vm, "copy", a, 0, 0)?;
    let d = dd(vm, s)?;
    let f = d.factory.get_clone();
    let cls = s.type_of();
    vm.call(&cls, &[f, s.clone()])
}

fn defaultdict_or(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (s, r) = this(vm, "__or__", a, 1, 1)?;
    if r[0].downcast::<DictObj>().is_none() {
        return Ok(Value::not_implemented());
    }
    let new = defaultdict_copy(vm, &Args::new(std::slice::from_ref(s)))?;
    let upd = ops::getattr_str(vm, &new, "update")?;
    vm.call(&upd, std::slice::from_ref(&r[0]))?;
    Ok(new)
}

fn defaultdict_reduce(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (s, _) = this(vm, "__reduce__", a, 0, 0)?;
    let d = dd(vm, s)?;
    let f = d.factory.get_clone();
    let args = if f.is_none() {
        TupleObj::from_items([])
    } else {
        TupleObj::from_items([f])
    };
    let items = ops::getattr_str(vm, s, "items")?;
    let items = vm.call(&items, &[])?;
    let it = ops::get_iter(vm, &items)?;
    Ok(TupleObj::from_items([
        s.type_of(),
        args,
        Value::none(),
        Value::none(),
        it,
    ]))
}

fn factory_get(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (s, _) = this(vm, "default_factory", a, 0, 0)?;
    Ok(dd(vm, s)?.factory.get_clone())
}

fn factory_set(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (s, r) = this(vm, "default_factory", a, 1, 1)?;
    let d = dd(vm, s)?;
    let old = d.factory.with(|x| std::mem::replace(x, r[0].clone()));
    drop(old);
    Ok(Value::none())
}

// ---- _count_elements, _tuplegetter -----------------------------------------------

/// `_count_elements(mapping, iterable)`: `mapping[x] = mapping.get(x, 0) + 1` for each
/// item, with the dict operations inline unless the mapping overrides them.
fn count_elements(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let p = unpack(vm, "_count_elements", a, 2, 2)?;
    let (m, src) = (&p[0], &p[1]);
    let it = ops::get_iter(vm, src)?;
    let plain = m.downcast::<DictObj>().filter(|_| {
        crate::vm::subclass_override(m, "get").is_none()
            && crate::vm::subclass_override(m, "__setitem__").is_none()
    });
    let one = Value::int(1);
    if let Some(d) = plain {
        while let Some(k) = ops::next(vm, &it)? {
            let n = match d.get(vm, &k)? {
                Some(old) => ops::binary_op(vm, &old, &one, crate::instructions::NB_ADD)?,
                None => one.clone(),
            };
            d.set(vm, k, n)?;
        }
        return Ok(Value::none());
    }
    let get = ops::getattr_str(vm, m, "get")?;
    let zero = Value::int(0);
    while let Some(k) = ops::next(vm, &it)? {
        let old = vm.call(&get, &[k.clone(), zero.clone()])?;
        let n = ops::binary_op(vm, &old, &one, crate::instructions::NB_ADD)?;
        ops::setitem(vm, m, k, n)?;
    }
    Ok(Value::none())
}

pub struct TupleGetter {
    index: usize,
    doc: ObjCell<Value>,
}
native_payload!(TupleGetter, TUPLEGETTER);
static TUPLEGETTER_T: NativeType = NativeType {
    new: Some(tuplegetter_new),
    data_get: Some(tuplegetter_get_slot),
    ..NativeType::of::<TupleGetter>()
};

fn tuplegetter_new(vm: &mut Vm, cls: &Value, a: &Args) -> PyResult<Value> {
    let p = unpack(vm, "_tuplegetter", a, 2, 2)?;
    let i = ops::to_isize(vm, &p[0])?;
    Ok(native::alloc(
        cls,
        TupleGetter {
            index: i.max(0) as usize,
            doc: ObjCell::new(p[1].clone()),
        },
    ))
}

fn tuplegetter_dnew(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let base = <TupleGetter as crate::value::PyPayload>::class();
    let (cls, rest) = super::native_args::new_args(vm, a, base)?;
    tuplegetter_new(vm, &cls, &rest)
}

fn tuplegetter_get_slot(vm: &mut Vm, d: &Value, obj: &Value) -> PyResult<Value> {
    let Some(g) = downcast::<TupleGetter>(d) else {
        return Err(vm.type_error("_tuplegetter expected"));
    };
    match obj.downcast::<TupleObj>() {
        Some(t) => match t.items.get(g.index) {
            Some(v) => Ok(v.clone()),
            None => Err(vm.index_error("tuple index out of range")),
        },
        None => {
            let tn = obj.type_data().name.clone();
            Err(vm.type_error(format!(
                "descriptor for index '{}' for tuple subclasses doesn't apply to '{tn}' object",
                g.index
            )))
        }
    }
}

fn tuplegetter_get(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (s, r) = this(vm, "__get__", a, 1, 2)?;
    if r[0].is_none() {
        return Ok(s.clone());
    }
    tuplegetter_get_slot(vm, s, &r[0])
}

fn tuplegetter_set(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let _ = this(vm, "__set__", a, 2, 2)?;
    Err(vm.attribute_error("can't set attribute"))
}

fn tuplegetter_delete(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let _ = this(vm, "__delete__", a, 1, 1)?;
    Err(vm.attribute_error("can't delete attribute"))
}

fn tuplegetter_doc(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (s, _) = this(vm, "__doc__", a, 0, 0)?;
    match downcast::<TupleGetter>(s) {
        Some(g) => Ok(g.doc.get_clone()),
        None => Ok(Value::none()),
    }
}

fn tuplegetter_set_doc(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (s, r) = this(vm, "__doc__", a, 1, 1)?;
    if let Some(g) = downcast::<TupleGetter>(s) {
        let old = g.doc.with(|d| std::mem::replace(d, r[0].clone()));
        drop(old);
    }
    Ok(Value::none())
}

pub fn init(_vm: &mut Vm) -> PyResult<Value> {
    let m = module("_collections", &[("_count_elements", count_elements)]);
    let t = new_type::<Deque>(
        "deque",
        "collections",
        object_type(),
        Kind::Native,
        &DEQUE_T,
        &DEQUE,
    );
    methods(
        &t,
        &[
            ("__init__", deque_init),
            ("append", append),
            ("appendleft", appendleft),
            ("pop", pop),
            ("popleft", popleft),
            ("extend", extend),
            ("extendleft", extendleft),
            ("clear", clear),
            ("copy", copy),
            ("__copy__", copy),
            ("count", count),
            ("index", index),
            ("insert", insert),
            ("remove", remove),
            ("reverse", reverse),
            ("rotate", rotate),
            ("__len__", len),
            ("__bool__", bool_),
            ("__getitem__", getitem),
            ("__setitem__", setitem),
            ("__delitem__", delitem),
            ("__contains__", contains),
            ("__iter__", deque_iter),
            ("__reversed__", deque_reversed),
            ("__repr__", deque_repr),
            ("__lt__", d_lt),
            ("__le__", d_le),
            ("__eq__", d_eq),
            ("__ne__", d_ne),
            ("__gt__", d_gt),
            ("__ge__", d_ge),
            ("__add__", add),
            ("__iadd__", iadd),
            ("__mul__", mul),
            ("__rmul__", mul),
            ("__imul__", imul),
            ("__reduce__", deque_reduce),
        ],
    );
    super::native_args::getset(&t, "maxlen", maxlen, None);
    super::native_args::attr(&t, "__hash__", Value::none());
    static_new(&t, deque_dnew);
    classmethod(
        &t,
        "__class_getitem__",
        crate::types::generic_alias::class_getitem,
    );
    set(&m, "deque", t);

    for (name, table, cell) in [
        ("_deque_iterator", &DEQUEITER_T, &DEQUEITER),
        ("_deque_reverse_iterator", &DEQUEREVITER_T, &DEQUEREVITER),
    ] {
        let it = if name == "_deque_iterator" {
            new_type::<DequeIter>(
                name,
                "collections",
                object_type(),
                Kind::Native,
                table,
                cell,
            )
        } else {
            new_type::<DequeRevIter>(
                name,
                "collections",
                object_type(),
                Kind::Native,
                table,
                cell,
            )
        };
        methods(
            &it,
            &[
                ("__iter__", iter_self),
                ("__next__", next_method),
                ("__length_hint__", iter_length_hint),
            ],
        );
        set(&m, name, it);
    }

    let t = new_type::<DefaultDict>(
        "defaultdict",
        "collections",
        types().dict,
        Kind::Dict,
        &DEFAULTDICT_T,
        &DEFAULTDICT,
    );
    methods(
        &t,
        &[
            ("__init__", defaultdict_init),
            ("__missing__", missing),
            ("__repr__", defaultdict_repr),
            ("copy", defaultdict_copy),
            ("__copy__", defaultdict_copy),
            ("__or__", defaultdict_or),
            ("__reduce__", defaultdict_reduce),
        ],
    );
    super::native_args::getset(&t, "default_factory", factory_get, Some(factory_set));
    static_new(&t, defaultdict_dnew);
    set(&m, "defaultdict", t);

    let t = new_type::<TupleGetter>(
        "_tuplegetter",
        "collections",
        object_type(),
        Kind::Native,
        &TUPLEGETTER_T,
        &TUPLEGETTER,
    );
    methods(
        &t,
        &[
            ("__get__", tuplegetter_get),
            ("__set__", tuplegetter_set),
            ("__delete__", tuplegetter_delete),
        ],
    );
    super::native_args::getset(&t, "__doc__", tuplegetter_doc, Some(tuplegetter_set_doc));
    static_new(&t, tuplegetter_dnew);
    set(&m, "_tuplegetter", t);
    Ok(m)
}

/// A classmethod in a native type's dict.
fn classmethod(t: &Value, name: &'static str, f: crate::types::func::NativeFn) {
    crate::builtins::add_classmethod(t.raw(), name, f);
}
