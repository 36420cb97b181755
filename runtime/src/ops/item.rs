//! Subscription (`obj[key]` load, store, delete), membership, and set algebra.
use num_traits::ToPrimitive;

use crate::instructions as opc;
use crate::types::dict::DictObj;
use crate::types::int::as_int;
use crate::types::list::ListObj;
use crate::types::misc::SliceObj;
use crate::types::range::RangeObj;
use crate::types::set::as_set;
use crate::types::str::{StrObj, new_str, new_string_flagged};
use crate::types::tuple::TupleObj;
use crate::value::Value;
use crate::vm::{PyResult, Vm, lookup_special};
use crate::world::types;

/// A slice's bounds as ints, before they meet a length (CPython's `PySlice_Unpack`).
/// Unpacking may run Python code (`__index__`), which may resize the very sequence
/// being sliced, or another thread may: so mutable sequences unpack first and
/// `adjust` against the length they see under their lock.
#[derive(Clone, Copy, Debug)]
pub struct SliceSpec {
    start: Option<i64>,
    stop: Option<i64>,
    step: i64,
}

impl SliceSpec {
    /// (start, stop, step, count) for a sequence of `len` items
    /// (`PySlice_AdjustIndices`): every index produced is within `0..len`.
    pub fn adjust(&self, len: i64) -> (i64, i64, i64, i64) {
        let step = self.step;
        let (lower, upper) = if step < 0 { (-1, len - 1) } else { (0, len) };
        let clamp = |i: Option<i64>, default: i64| match i {
            None => default,
            Some(i) if i < 0 => (i + len).max(lower),
            Some(i) => i.min(upper),
        };
        let start = clamp(self.start, if step < 0 { upper } else { lower });
        let stop = clamp(self.stop, if step < 0 { lower } else { upper });
        let count = if step < 0 {
            if stop < start {
                (start - stop - 1) / (-step) + 1
            } else {
                0
            }
        } else if start < stop {
            (stop - start - 1) / step + 1
        } else {
            0
        };
        (start, stop, step, count)
    }
}

/// Read a slice's start, stop and step as ints (calling `__index__` where needed).
pub fn slice_unpack(vm: &mut Vm, s: &SliceObj) -> PyResult<SliceSpec> {
    let step = if s.step.is_none() {
        1
    } else {
        slice_index(vm, &s.step)?
    };
    if step == 0 {
        return Err(vm.value_error("slice step cannot be zero"));
    }
    let conv = |vm: &mut Vm, v: &Value| -> PyResult<Option<i64>> {
        if v.is_none() {
            return Ok(None);
        }
        slice_index(vm, v).map(Some)
    };
    let start = conv(vm, &s.start)?;
    let stop = conv(vm, &s.stop)?;
    Ok(SliceSpec { start, stop, step })
}

/// A slice bound or step as an int (CPython's `_PyEval_SliceIndex`): an int or an
/// `__index__` object, whose value past a machine word is clamped rather than refused
/// (`lst[::1 << 100]` is `lst[:1]`). The clamp is at half the i64 range so that
/// `i + len` cannot overflow; no sequence is long enough for that to change a result.
pub fn slice_index(vm: &mut Vm, v: &Value) -> PyResult<i64> {
    clamped_index(
        vm,
        v,
        "slice indices must be integers or None or have an __index__ method",
    )
}

/// A start/stop argument of `index` methods (`list.index(x, start, stop)`), read as a
/// slice bound that cannot be None (CPython's `_PyEval_SliceIndexNotNone`).
pub fn index_bound(vm: &mut Vm, v: &Value) -> PyResult<i64> {
    clamped_index(
        vm,
        v,
        "slice indices must be integers or have an __index__ method",
    )
}

/// Index `i` of a sequence of `len` items as `insert(i, x)` and `index(x, start,
/// stop)` read it: a negative one counts from the end, and both ends clamp.
pub fn clamp_to_len(i: i64, len: usize) -> usize {
    let n = len as i64;
    (if i < 0 { (i + n).max(0) } else { i.min(n) }) as usize
}

fn clamped_index(vm: &mut Vm, v: &Value, not_index: &str) -> PyResult<i64> {
    const LIMIT: i64 = i64::MAX / 2;
    let clamp_big = |b: &num_bigint::BigInt| {
        b.to_i64()
            .unwrap_or(if b.sign() == num_bigint::Sign::Minus {
                -LIMIT
            } else {
                LIMIT
            })
    };
    let i = match as_int(v) {
        Some(crate::types::int::IntRef::Small(i)) => i,
        Some(i) => clamp_big(&i.to_big()),
        None if lookup_special(v, "__index__").is_some() => clamp_big(&super::to_index(vm, v)?),
        None => return Err(vm.type_error(not_index)),
    };
    Ok(i.clamp(-LIMIT, LIMIT))
}

/// Resolve a slice against a sequence length: (start, stop, step, count). For
/// sequences whose length cannot change meanwhile; mutable ones use `slice_unpack`.
pub fn slice_indices(vm: &mut Vm, s: &SliceObj, len: i64) -> PyResult<(i64, i64, i64, i64)> {
    Ok(slice_unpack(vm, s)?.adjust(len))
}

/// An index argument as an int (calling `__index__`), not yet checked against a
/// length: the caller does that under the sequence's lock (`in_bounds`).
fn index_arg(vm: &mut Vm, key: &Value, what: &str) -> PyResult<i64> {
    if !is_index(key) {
        return Err(bad_index(vm, what, key));
    }
    super::to_isize(vm, key)
}

/// `i` (negative from the end) as a position in `0..len`, if it is one.
fn in_bounds(i: i64, len: usize) -> Option<usize> {
    let idx = if i < 0 { i + len as i64 } else { i };
    (0..len as i64).contains(&idx).then_some(idx as usize)
}

fn norm_index(vm: &mut Vm, key: &Value, len: usize, what: &str) -> PyResult<usize> {
    let i = super::to_isize(vm, key)?;
    let idx = if i < 0 { i + len as i64 } else { i };
    if idx < 0 || idx >= len as i64 {
        return Err(vm.index_error(format!("{what} index out of range")));
    }
    Ok(idx as usize)
}

/// The `n` items at `start`, `start + step`, ... of `items`, leaving out any past its
/// end (a mutable sequence may have shrunk while the slice's `__index__` ran): one
/// copy of the run when `step` is 1.
pub fn slice_items<T: Clone>(items: &[T], start: i64, step: i64, n: i64) -> Vec<T> {
    if n <= 0 {
        return Vec::new();
    }
    if step == 1 {
        let lo = (start as usize).min(items.len());
        let hi = ((start + n) as usize).min(items.len());
        return items[lo..hi].to_vec();
    }
    (0..n)
        .filter_map(|k| items.get((start + k * step) as usize).cloned())
        .collect()
}

fn is_index(v: &Value) -> bool {
    as_int(v).is_some() || lookup_special(v, "__index__").is_some()
}

pub fn getitem(vm: &mut Vm, obj: &Value, key: &Value) -> PyResult<Value> {
    if let Some(r) = crate::modules::array::fast_getitem(vm, obj, key) {
        return r;
    }
    if let Some(f) = crate::vm::subclass_override(obj, "__getitem__") {
        return vm.call(&f, &[obj.clone(), key.clone()]);
    }
    getitem_base(vm, obj, key)
}

/// Subscription with the builtin types' own behaviour (no Python overrides).
pub fn getitem_base(vm: &mut Vm, obj: &Value, key: &Value) -> PyResult<Value> {
    if let Some(l) = obj.downcast::<ListObj>() {
        if let Some(i) = key.as_small_int() {
            let r = l.items.with(|v| {
                let n = v.len() as i64;
                let idx = if i < 0 { i + n } else { i };
                if idx >= 0 && idx < n {
                    Some(v[idx as usize].clone())
                } else {
                    None
                }
            });
            return match r {
                Some(v) => Ok(v),
                None => Err(vm.index_error("list index out of range")),
            };
        }
        if let Some(s) = key.downcast::<SliceObj>() {
            // Bounds first (`__index__` may run Python code), then the items copied
            // under the list's lock: no snapshot of the whole list for a short slice.
            let spec = slice_unpack(vm, s)?;
            let out = l.items.read(|items| {
                let (start, _, step, n) = spec.adjust(items.len() as i64);
                slice_items(items, start, step, n)
            });
            return Ok(ListObj::new_value(out));
        }
        if is_index(key) {
            let n = l.len();
            let i = norm_index(vm, key, n, "list")?;
            return l
                .get(i)
                .ok_or_else(|| vm.index_error("list index out of range"));
        }
        return Err(bad_index(vm, "list", key));
    }
    if let Some(t) = obj.downcast::<TupleObj>() {
        if let Some(s) = key.downcast::<SliceObj>() {
            let (start, _, step, n) = slice_indices(vm, s, t.items.len() as i64)?;
            return Ok(TupleObj::new_value(slice_items(&t.items, start, step, n)));
        }
        if is_index(key) {
            let i = norm_index(vm, key, t.items.len(), "tuple")?;
            return Ok(t.items[i].clone());
        }
        return Err(bad_index(vm, "tuple", key));
    }
    if let Some(d) = obj.downcast::<DictObj>() {
        return match d.get(vm, key)? {
            Some(v) => Ok(v),
            None => {
                if let Some(m) = crate::vm::subclass_override(obj, "__missing__") {
                    return vm.call(&m, &[obj.clone(), key.clone()]);
                }
                Err(vm.key_error(key.clone()))
            }
        };
    }
    if let Some(s) = obj.downcast::<StrObj>() {
        if let Some(sl) = key.downcast::<SliceObj>() {
            let (start, _, step, n) = slice_indices(vm, sl, s.nchars as i64)?;
            if step == 1 {
                let sub = s.substr(start as usize, (start + n) as usize);
                if s.surrogates {
                    return Ok(new_string_flagged(sub.to_string(), true));
                }
                return Ok(new_str(sub));
            }
            let chars: Vec<char> = s.s.chars().collect();
            let out: String = (0..n).map(|k| chars[(start + k * step) as usize]).collect();
            return Ok(new_string_flagged(out, s.surrogates));
        }
        if is_index(key) {
            let i = norm_index(vm, key, s.nchars, "string")?;
            return Ok(crate::types::str::char_str(s.char_at(i), s.surrogates));
        }
        let tn = key.type_data().name.clone();
        return Err(vm.type_error(format!("string indices must be integers, not '{tn}'")));
    }
    if crate::types::bytes::with_bytes(obj, |_| ()).is_some() {
        let bytearray = obj
            .downcast::<crate::types::bytes::ByteArrayObj>()
            .is_some();
        if let Some(sl) = key.downcast::<SliceObj>() {
            let len = crate::types::bytes::with_bytes(obj, |d| d.len()).unwrap_or(0);
            let (start, _, step, n) = slice_indices(vm, sl, len as i64)?;
            // The length may have changed while `__index__` ran: clamp.
            let d: Vec<u8> =
                crate::types::bytes::with_bytes(obj, |data| slice_items(data, start, step, n))
                    .unwrap_or_default();
            return Ok(if bytearray {
                crate::types::bytes::ByteArrayObj::new_value(d)
            } else {
                crate::types::bytes::BytesObj::new_value(d)
            });
        }
        let what = if bytearray { "bytearray" } else { "index" };
        let len = crate::types::bytes::with_bytes(obj, |d| d.len()).unwrap_or(0);
        let i = norm_index(vm, key, len, what)?;
        // A bytearray shrunk by another thread (or `__index__`) since: IndexError.
        return match crate::types::bytes::with_bytes(obj, |d| d.get(i).copied()).flatten() {
            Some(b) => Ok(Value::int(b as i64)),
            None => Err(vm.index_error(format!("{what} index out of range"))),
        };
    }
    if let Some(r) = obj.downcast::<RangeObj>() {
        if let Some(b) = &r.big {
            return big_range_getitem(vm, b, key);
        }
        if let Some(sl) = key.downcast::<SliceObj>() {
            let (start, _, step, n) = slice_indices(vm, sl, r.len())?;
            let st = r.item(start);
            let sp = step * r.step;
            return Ok(Value::alloc(RangeObj {
                start: st,
                stop: st + n * sp,
                step: sp,
                big: None,
            }));
        }
        let i = norm_index(vm, key, r.len() as usize, "range object")?;
        return Ok(Value::int(r.item(i as i64)));
    }
    if let Some(f) = lookup_special(obj, "__getitem__") {
        return vm.call(&f, &[obj.clone(), key.clone()]);
    }
    if crate::types::class::as_type(obj).is_some() {
        // Class subscription (PEP 560): `__class_getitem__` (list[int] makes a
        // `types.GenericAlias`); a class without one is not subscriptable.
        if obj.raw() == types().type_ {
            // `type[int]` (type itself has no `__class_getitem__`, as in CPython).
            return Ok(crate::types::generic_alias::new(
                obj.clone(),
                key.clone(),
                false,
            ));
        }
        if let Some(cg) = super::getattr_opt(vm, obj, "__class_getitem__")? {
            return vm.call(&cg, std::slice::from_ref(key));
        }
        let tn = crate::types::class::as_type(obj).map_or(String::new(), |t| t.name.clone());
        return Err(vm.type_error(format!("type '{tn}' is not subscriptable")));
    }
    let tn = obj.type_data().name.clone();
    Err(vm.type_error(format!("'{tn}' object is not subscriptable")))
}

/// `r[i]` and `r[a:b:c]` of a range with big bounds: index arithmetic in big ints.
fn big_range_getitem(
    vm: &mut Vm,
    b: &crate::types::range::BigRange,
    key: &Value,
) -> PyResult<Value> {
    use num_bigint::BigInt;
    use num_traits::{Signed, Zero};
    let len = b.len();
    if let Some(sl) = key.downcast::<SliceObj>() {
        // Clamp each bound as `slice.indices` does, in big ints.
        let big = |vm: &mut Vm, v: &Value| -> PyResult<Option<BigInt>> {
            if v.is_none() {
                Ok(None)
            } else {
                super::to_index(vm, v).map(Some)
            }
        };
        let step = big(vm, &sl.step)?.unwrap_or_else(|| BigInt::from(1));
        if step.is_zero() {
            return Err(vm.value_error("slice step cannot be zero"));
        }
        let neg = step.is_negative();
        let (lower, upper) = if neg {
            (BigInt::from(-1), &len - 1u32)
        } else {
            (BigInt::zero(), len.clone())
        };
        let clamp = |x: Option<BigInt>, dflt: &BigInt| match x {
            None => dflt.clone(),
            Some(x) if x.is_negative() => (x + &len).max(lower.clone()),
            Some(x) => x.min(upper.clone()),
        };
        let start = clamp(big(vm, &sl.start)?, if neg { &upper } else { &lower });
        let stop = clamp(big(vm, &sl.stop)?, if neg { &lower } else { &upper });
        return Ok(crate::types::range::new_range(
            b.item(&start),
            b.item(&stop),
            &step * &b.step,
        ));
    }
    if key.is_float() || crate::types::int::as_int(key).is_none() {
        return Err(bad_index(vm, "range", key));
    }
    let mut i = super::to_index(vm, key)?;
    if i.is_negative() {
        i += &len;
    }
    if i.is_negative() || i >= len {
        return Err(vm.index_error("range object index out of range"));
    }
    Ok(Value::bigint(b.item(&i)))
}

fn bad_index(vm: &mut Vm, what: &str, key: &Value) -> crate::vm::PyErr {
    let tn = key.type_data().name.clone();
    vm.type_error(format!(
        "{what} indices must be integers or slices, not {tn}"
    ))
}

pub fn setitem(vm: &mut Vm, obj: &Value, key: Value, v: Value) -> PyResult<()> {
    if let Some(r) = crate::modules::array::fast_setitem(vm, obj, &key, &v) {
        return r;
    }
    if let Some(f) = crate::vm::subclass_override(obj, "__setitem__") {
        vm.call(&f, &[obj.clone(), key, v])?;
        return Ok(());
    }
    setitem_base(vm, obj, key, v)
}

/// Item assignment with the builtin types' own behaviour.
pub fn setitem_base(vm: &mut Vm, obj: &Value, key: Value, v: Value) -> PyResult<()> {
    if let Some(ba) = obj.downcast::<crate::types::bytes::ByteArrayObj>() {
        if let Some(s) = key.downcast::<SliceObj>() {
            // The new bytes: any bytes-like object, or an iterable of ints in range.
            let new: Vec<u8> = match crate::types::bytes::as_bytes(&v) {
                Some(b) => b,
                None => {
                    let mut out = Vec::new();
                    for item in super::collect(vm, &v)? {
                        match item.as_small_int() {
                            Some(b) if (0..256).contains(&b) => out.push(b as u8),
                            _ => return Err(vm.value_error("byte must be in range(0, 256)")),
                        }
                    }
                    out
                }
            };
            let spec = slice_unpack(vm, s)?;
            let r = ba.data.with(|d| {
                let (start, stop, step, count) = spec.adjust(d.len() as i64);
                if step == 1 {
                    let stop = stop.max(start);
                    d.splice(start as usize..stop as usize, new);
                    return Ok(());
                }
                if new.len() as i64 != count {
                    return Err((new.len(), count));
                }
                for (k, b) in new.into_iter().enumerate() {
                    d[(start + k as i64 * step) as usize] = b;
                }
                Ok(())
            });
            return r.map_err(|(size, count)| {
                vm.value_error(format!(
                    "attempt to assign bytes of size {size} to extended slice of size {count}"
                ))
            });
        }
        let i = index_arg(vm, &key, "bytearray")?;
        let b = match v.as_small_int() {
            Some(b) if (0..256).contains(&b) => b as u8,
            _ => return Err(vm.value_error("byte must be in range(0, 256)")),
        };
        let ok = ba.data.with(|d| match in_bounds(i, d.len()) {
            Some(i) => {
                d[i] = b;
                true
            }
            None => false,
        });
        if !ok {
            return Err(vm.index_error("bytearray index out of range"));
        }
        return Ok(());
    }
    if let Some(d) = obj.downcast::<DictObj>() {
        return d.set(vm, key, v);
    }
    if let Some(l) = obj.downcast::<ListObj>() {
        if let Some(s) = key.downcast::<SliceObj>() {
            let new_items = super::collect(vm, &v)?;
            let spec = slice_unpack(vm, s)?;
            // Bounds meet the length under the lock; the replaced items are dropped
            // after it (their finalizers may touch the list).
            let r = l.items.with(|items| {
                let (start, stop, step, count) = spec.adjust(items.len() as i64);
                if step == 1 {
                    let stop = stop.max(start);
                    let old: Vec<Value> = items
                        .splice(start as usize..stop as usize, new_items)
                        .collect();
                    return Ok(old);
                }
                if new_items.len() as i64 != count {
                    return Err((new_items.len(), count));
                }
                let mut old = Vec::with_capacity(new_items.len());
                for (k, it) in new_items.into_iter().enumerate() {
                    old.push(std::mem::replace(
                        &mut items[(start + k as i64 * step) as usize],
                        it,
                    ));
                }
                Ok(old)
            });
            return match r {
                Ok(old) => {
                    drop(old);
                    Ok(())
                }
                Err((size, count)) => Err(vm.value_error(format!(
                    "attempt to assign sequence of size {size} to extended slice of size {count}"
                ))),
            };
        }
        let i = index_arg(vm, &key, "list")?;
        let old = l
            .items
            .with(|items| in_bounds(i, items.len()).map(|i| std::mem::replace(&mut items[i], v)));
        return match old {
            Some(old) => {
                drop(old);
                Ok(())
            }
            None => Err(vm.index_error("list assignment index out of range")),
        };
    }
    if let Some(f) = lookup_special(obj, "__setitem__") {
        vm.call(&f, &[obj.clone(), key, v])?;
        return Ok(());
    }
    let tn = obj.type_data().name.clone();
    Err(vm.type_error(format!("'{tn}' object does not support item assignment")))
}

pub fn delitem(vm: &mut Vm, obj: &Value, key: &Value) -> PyResult<()> {
    if let Some(f) = crate::vm::subclass_override(obj, "__delitem__") {
        vm.call(&f, &[obj.clone(), key.clone()])?;
        return Ok(());
    }
    delitem_base(vm, obj, key)
}

/// `del obj[key]` by the builtin types' own rules (no subclass override asked).
pub fn delitem_base(vm: &mut Vm, obj: &Value, key: &Value) -> PyResult<()> {
    if let Some(d) = obj.downcast::<DictObj>() {
        return match d.remove(vm, key)? {
            Some(_) => Ok(()),
            None => Err(vm.key_error(key.clone())),
        };
    }
    if let Some(l) = obj.downcast::<ListObj>() {
        if let Some(s) = key.downcast::<SliceObj>() {
            let spec = slice_unpack(vm, s)?;
            let removed = l.items.with(|items| {
                let (start, _, step, count) = spec.adjust(items.len() as i64);
                remove_slice(items, start, step, count)
            });
            drop(removed);
            return Ok(());
        }
        let i = index_arg(vm, key, "list")?;
        let old = l
            .items
            .with(|items| in_bounds(i, items.len()).map(|i| items.remove(i)));
        return match old {
            Some(old) => {
                drop(old);
                Ok(())
            }
            None => Err(vm.index_error("list assignment index out of range")),
        };
    }
    if let Some(ba) = obj.downcast::<crate::types::bytes::ByteArrayObj>() {
        if let Some(s) = key.downcast::<SliceObj>() {
            let spec = slice_unpack(vm, s)?;
            ba.data.with(|d| {
                let n = d.len();
                let (start, _, step, count) = spec.adjust(n as i64);
                // Bytes need no dropping outside the lock: a run is drained without
                // collecting what it removes.
                if step == 1 && count > 0 {
                    d.drain(start as usize..(start + count) as usize);
                } else {
                    drop(remove_slice(d, start, step, count));
                }
            });
            return Ok(());
        }
        let i = index_arg(vm, key, "bytearray")?;
        let found = ba.data.with(|d| in_bounds(i, d.len()).map(|i| d.remove(i)));
        if found.is_none() {
            return Err(vm.index_error("bytearray index out of range"));
        }
        return Ok(());
    }
    if let Some(f) = lookup_special(obj, "__delitem__") {
        vm.call(&f, &[obj.clone(), key.clone()])?;
        return Ok(());
    }
    // CPython words it by which protocol it gave up in: the sequence one (an index
    // into a type with sequence methods; heap types always have them) or the last.
    let td = obj.type_data();
    let seq = td.is_heap
        || ["__len__", "__contains__", "__getitem__"]
            .iter()
            .any(|n| td.lookup(n).is_some());
    let tn = td.name.clone();
    let verb = if seq && is_index(key) {
        "doesn't"
    } else {
        "does not"
    };
    Err(vm.type_error(format!("'{tn}' object {verb} support item deletion")))
}

/// Take the `count` items at `start`, `start + step`, ... out of `items` in one pass
/// (the caller drops them outside the sequence's lock: their `__del__` may run).
fn remove_slice<T>(items: &mut Vec<T>, start: i64, step: i64, count: i64) -> Vec<T> {
    if count <= 0 {
        return Vec::new();
    }
    // A negative step names the same items as the positive one from its low end.
    let (lo, step) = if step < 0 {
        (start + (count - 1) * step, -step)
    } else {
        (start, step)
    };
    let (lo, step, count) = (lo as usize, step as usize, count as usize);
    if step == 1 {
        return items.drain(lo..lo + count).collect();
    }
    let mut out = Vec::with_capacity(count);
    let mut kept = Vec::with_capacity(items.len() - count);
    for (i, v) in std::mem::take(items).into_iter().enumerate() {
        if i >= lo && (i - lo) % step == 0 && (i - lo) / step < count {
            out.push(v);
        } else {
            kept.push(v);
        }
    }
    *items = kept;
    out
}

/// Lookup in a namespace mapping (a dict, or any object with `__getitem__`).
pub fn mapping_get(vm: &mut Vm, m: &Value, key: &Value) -> PyResult<Option<Value>> {
    if let Some(d) = m.downcast::<DictObj>() {
        return d.get(vm, key);
    }
    match getitem(vm, m, key) {
        Ok(v) => Ok(Some(v)),
        Err(e) if vm.err_matches(&e, types().key_error) => Ok(None),
        Err(e) => Err(e),
    }
}

/// (key, value) pairs of a mapping (dict or an object with keys() and __getitem__).
pub fn mapping_items(vm: &mut Vm, m: &Value) -> PyResult<Vec<(Value, Value)>> {
    // A dict subclass with its own `__iter__` (OrderedDict) is read through `keys()`
    // and `[]`, in its order, as CPython's dict_merge reads it.
    if let Some(d) = m.downcast::<DictObj>()
        && crate::vm::subclass_override(m, "__iter__").is_none()
    {
        return Ok(d.items());
    }
    let keys_f = super::getattr_str(vm, m, "keys")?;
    let keys = vm.call(&keys_f, &[])?;
    let keys = super::collect(vm, &keys)?;
    let mut out = Vec::with_capacity(keys.len());
    for k in keys {
        let v = getitem(vm, m, &k)?;
        out.push((k, v));
    }
    Ok(out)
}

/// `item in container`.
pub fn contains(vm: &mut Vm, container: &Value, item: &Value) -> PyResult<bool> {
    if let Some(f) = crate::vm::subclass_override(container, "__contains__") {
        let r = vm.call(&f, &[container.clone(), item.clone()])?;
        return super::truthy(vm, &r);
    }
    contains_base(vm, container, item)
}

/// `item in container` by the builtin types' own rules (no subclass override asked).
pub fn contains_base(vm: &mut Vm, container: &Value, item: &Value) -> PyResult<bool> {
    if let Some(d) = container.downcast::<DictObj>() {
        return d.contains(vm, item);
    }
    if let Some(s) = as_set(container) {
        return s.contains(vm, item);
    }
    if let Some(i) = item.as_small_int()
        && let Some(found) = crate::types::bytes::with_bytes(container, |d| {
            (0..256).contains(&i) && d.contains(&(i as u8))
        })
    {
        return Ok(found);
    }
    if let Some(data) = crate::types::bytes::as_bytes(container) {
        let sub = crate::modules::buffer::need(vm, item)?;
        return Ok(sub.is_empty() || data.windows(sub.len()).any(|w| w == &*sub));
    }
    if let Some(s) = container.downcast::<StrObj>() {
        let Some(sub) = item.downcast::<StrObj>() else {
            let tn = item.type_data().name.clone();
            return Err(vm.type_error(format!(
                "'in <string>' requires string as left operand, not {tn}"
            )));
        };
        return Ok(s.s.contains(&*sub.s));
    }
    // A subclass's `__iter__` does not change `in` (CPython's sq_contains scans the
    // storage); `__contains__` overrides were handled by the caller.
    if let Some(t) = container.downcast::<TupleObj>() {
        for x in t.items.iter() {
            if x.is(item) || vm.eq(x, item)? {
                return Ok(true);
            }
        }
        return Ok(false);
    }
    if let Some(l) = container.downcast::<ListObj>() {
        // In place, as CPython's list_contains: identity and the comparisons that
        // cannot run Python code under the list's lock; an item that needs `__eq__`
        // is compared outside it, and the scan goes on from the next index (the
        // list may change meanwhile).
        let mut i = 0;
        loop {
            let step = l.items.read(|v| {
                while let Some(x) = v.get(i) {
                    if x.is(item) {
                        return Ok(true);
                    }
                    match super::compare::eq_fast(x, item) {
                        Some(true) => return Ok(true),
                        Some(false) => i += 1,
                        None => return Err(x.clone()),
                    }
                }
                Ok(false)
            });
            match step {
                Ok(found) => return Ok(found),
                Err(x) => {
                    if vm.eq(&x, item)? {
                        return Ok(true);
                    }
                    i += 1;
                }
            }
        }
    }
    if let Some(r) = container.downcast::<RangeObj>()
        && let Some(b) = &r.big
        && let Some(i) = crate::types::int::as_int(item)
        && !item.is_float()
    {
        return Ok(b.contains(&i.to_big()));
    }
    if let Some(r) = container.downcast::<RangeObj>()
        && r.big.is_none()
        && let Some(i) = item.as_small_int()
    {
        let ok = if r.step > 0 {
            i >= r.start && i < r.stop
        } else {
            i <= r.start && i > r.stop
        };
        return Ok(ok && (i - r.start) % r.step == 0);
    }
    if let Some(dv) = crate::types::misc::as_dict_view(container) {
        return dv.contains(vm, container, item);
    }
    if let Some(f) = lookup_special(container, "__contains__") {
        let r = vm.call(&f, &[container.clone(), item.clone()])?;
        return super::truthy(vm, &r);
    }
    let it = match super::get_iter(vm, container) {
        Ok(it) => it,
        Err(_) => {
            let tn = container.type_data().name.clone();
            return Err(vm.type_error(format!("argument of type '{tn}' is not iterable")));
        }
    };
    while let Some(x) = super::next(vm, &it)? {
        if x.is(item) || vm.eq(&x, item)? {
            return Ok(true);
        }
    }
    Ok(false)
}

/// `a | b`, `a & b`, `a - b`, `a ^ b` on sets; the result has a's type.
pub fn set_binop(vm: &mut Vm, a: &Value, b: &Value, op: u32) -> PyResult<Value> {
    let (Some(sa), Some(_)) = (as_set(a), as_set(b)) else {
        return Err(vm.type_error("unsupported operand type(s) for set operation"));
    };
    let Some(out) = crate::types::set_algebra::binop(vm, sa, b, op)? else {
        let sym = opc::BIN_OPS[op as usize];
        let (na, nb) = (a.type_data().name.clone(), b.type_data().name.clone());
        return Err(vm.type_error(format!(
            "unsupported operand type(s) for {sym}: '{na}' and '{nb}'"
        )));
    };
    let ty = crate::types::layout::builtin_type_of(a);
    Ok(Value::alloc_with_type(&ty, out))
}

/// `s.update(src)`: merge sets directly (CPython's order), else add items one by one.
pub fn set_update(vm: &mut Vm, s: &Value, src: &Value) -> PyResult<()> {
    let Some(set) = as_set(s) else { return Ok(()) };
    crate::types::set_algebra::update_from(vm, set, src)
}
