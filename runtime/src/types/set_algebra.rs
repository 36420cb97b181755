//! Set algebra (`|`, `&`, `-`, `^`, their methods and in-place forms, subset and
//! disjointness tests) by CPython's own algorithms in `setobject.c`.
//!
//! Two things ride on following them exactly. Speed: entries carry their hash, so
//! probing another set with a key from this one never calls `__hash__` again, and
//! intersection and disjointness walk the smaller set. Output: a set's iteration order
//! is its table layout, which depends on the order keys were added and removed; a
//! program printing `a & b` or `a - b` sees CPython's order only if the result was
//! built as CPython builds it (`a - b` copies `a` and removes `b`'s keys when `a` is
//! much the larger; `a ^ b` starts from a copy of `b`; `a &= b` takes the
//! intersection's table).
//!
//! Python code (`__eq__` of keys) can run during a probe, so the general walk reads
//! one slot at a time (`next_entry`) and holds its own reference to the key it visits,
//! as CPython's `set_next` loops do. Between two sets, a walk first runs wholly under
//! both sets' locks (`ObjCell::read_pair`), probing with [`SetData::find`], which
//! decides without Python code for keys whose equality is the builtin's (ints, strs,
//! tuples of them, ...): no reference is taken per key visited and no lock per probe.
//! It gives up at the first key that needs `__eq__` (having changed nothing anyone can
//! see), and the general walk runs instead. What such a walk removes is dropped after
//! the locks are released, since a key's last reference can run a finalizer.
use super::set::{Found, SetData, SetObj, as_set};
use crate::types::dict::DictObj;
use crate::value::Value;
use crate::vm::{PyResult, Vm};

impl SetObj {
    /// The next live (key, hash) at or after slot `*pos`, moving `*pos` past it
    /// (CPython's `set_next`). One slot is read per call under the lock, so Python
    /// code run between calls (a key's `__eq__`) may change the set: the walk then
    /// sees the table as it is, never freed memory.
    pub fn next_entry(&self, pos: &mut usize) -> Option<(Value, i64)> {
        self.d.read(|d| {
            while let Some(s) = d.table.get(*pos) {
                *pos += 1;
                if !s.key.is_null() {
                    return Some((s.key.clone(), s.hash));
                }
            }
            None
        })
    }

    /// A new set with this one's keys in the same layout (`set_copy`).
    pub fn copy(&self) -> SetObj {
        SetObj::from_data(self.d.read(|d| d.copy_layout()))
    }

    /// Take `other`'s table as this set's (`set_swap_bodies` for the in-place forms).
    pub fn replace_with(&self, other: SetObj) {
        let mut data = other.d.with(std::mem::take::<SetData>);
        self.d.with(|d| {
            data.mutations = d.mutations + 1;
            std::mem::swap(d, &mut data);
        });
        drop(data);
    }
}

/// A set built from any iterable (`make_new_set`): sets are copied with their layout.
pub fn set_from(vm: &mut Vm, v: &Value) -> PyResult<SetObj> {
    if let Some(s) = as_set(v) {
        return Ok(s.copy());
    }
    let out = SetObj::new();
    update_from(vm, &out, v)?;
    Ok(out)
}

/// Add every item of `v` (`set_update_internal`).
pub fn update_from(vm: &mut Vm, out: &SetObj, v: &Value) -> PyResult<()> {
    if let Some(s) = as_set(v) {
        return out.merge(vm, s);
    }
    if let Some(d) = v.downcast::<DictObj>() {
        // One resize up front for the dict's keys, as CPython's (the table size
        // decides the iteration order).
        let n = d.len();
        out.d.with(|s| {
            if (s.fill + n) * 5 >= s.mask() * 3 {
                let u = s.used;
                s.resize((u + n) * 2);
            }
        });
        for k in d.keys() {
            out.add(vm, k)?;
        }
        return Ok(());
    }
    for k in crate::ops::collect(vm, v)? {
        out.add(vm, k)?;
    }
    Ok(())
}

/// `so | other` for two sets (`set_or`).
pub fn union(vm: &mut Vm, so: &SetObj, other: &SetObj) -> PyResult<SetObj> {
    let out = so.copy();
    if !std::ptr::eq(so, other) {
        out.merge(vm, other)?;
    }
    Ok(out)
}

/// `so & other` (`set_intersection`): walks the smaller set when both are sets, else
/// the iterable.
pub fn intersection(vm: &mut Vm, so: &SetObj, other: &Value) -> PyResult<SetObj> {
    if let Some(o) = as_set(other) {
        if std::ptr::eq(so, o) {
            return Ok(so.copy());
        }
        let (big, small) = if o.len() > so.len() { (o, so) } else { (so, o) };
        let fast = small.d.read_pair(&big.d, |s, b| {
            let mut out = SetData::new();
            for e in s.iter() {
                match b.find(&e.key, e.hash) {
                    Found::Hit(_) => out.insert_new(e.key.clone(), e.hash),
                    Found::Absent => {}
                    Found::Undecided => return Err(out),
                }
            }
            Ok(out)
        });
        match fast {
            Ok(d) => return Ok(SetObj::from_data(d)),
            Err(partial) => drop(partial),
        }
        let out = SetObj::new();
        let mut pos = 0;
        while let Some((k, h)) = small.next_entry(&mut pos) {
            if big.contains_entry(vm, &k, h)? {
                out.add_entry(vm, k, h)?;
            }
        }
        return Ok(out);
    }
    let out = SetObj::new();
    let it = crate::ops::get_iter(vm, other)?;
    while let Some(k) = crate::ops::next(vm, &it)? {
        let h = vm.hash(&k)?;
        if so.contains_entry(vm, &k, h)? {
            out.add_entry(vm, k, h)?;
            if out.len() >= so.len() {
                break;
            }
        }
    }
    Ok(out)
}

/// `so - other` (`set_difference`): copy-and-remove when `so` is much the larger (or
/// `other` is not a set or dict), else add what `other` lacks.
pub fn difference(vm: &mut Vm, so: &SetObj, other: &Value) -> PyResult<SetObj> {
    let other_size = match (as_set(other), other.downcast::<DictObj>()) {
        (Some(o), _) => Some(o.len()),
        (None, Some(d)) => Some(d.len()),
        _ => None,
    };
    if let Some(o) = as_set(other)
        && !std::ptr::eq(so, o)
    {
        // `(result, removed keys)`, both dropped outside the locks.
        let fast = so.d.read_pair(&o.d, |a, b| {
            if a.used >> 2 > b.used {
                // Copy and remove, as below.
                let mut d = a.copy_layout();
                let mut removed = Vec::new();
                for e in b.iter() {
                    match d.find(&e.key, e.hash) {
                        Found::Hit(j) => removed.push(d.remove_at(j)),
                        Found::Absent => {}
                        Found::Undecided => return Err((d, removed)),
                    }
                }
                d.compact_if_sparse();
                Ok((d, removed))
            } else {
                let mut d = SetData::new();
                for e in a.iter() {
                    match b.find(&e.key, e.hash) {
                        Found::Absent => d.insert_new(e.key.clone(), e.hash),
                        Found::Hit(_) => {}
                        Found::Undecided => return Err((d, Vec::new())),
                    }
                }
                Ok((d, Vec::new()))
            }
        });
        match fast {
            Ok((d, removed)) => {
                drop(removed);
                return Ok(SetObj::from_data(d));
            }
            Err(partial) => drop(partial),
        }
    }
    match other_size {
        Some(n) if so.len() >> 2 <= n => {}
        _ => {
            let out = so.copy();
            difference_update(vm, &out, other)?;
            return Ok(out);
        }
    }
    let out = SetObj::new();
    if let Some(o) = as_set(other) {
        let mut pos = 0;
        while let Some((k, h)) = so.next_entry(&mut pos) {
            if !o.contains_entry(vm, &k, h)? {
                out.add_entry(vm, k, h)?;
            }
        }
    } else if let Some(d) = other.downcast::<DictObj>() {
        let mut pos = 0;
        while let Some((k, h)) = so.next_entry(&mut pos) {
            if !d.contains(vm, &k)? {
                out.add_entry(vm, k, h)?;
            }
        }
    }
    Ok(out)
}

/// `so -= other` (`set_difference_update_internal`): removes in place, keeping the
/// layout of what stays.
pub fn difference_update(vm: &mut Vm, so: &SetObj, other: &Value) -> PyResult<()> {
    if let Some(o) = as_set(other) {
        if std::ptr::eq(so, o) {
            so.d.with(|d| d.clear());
            return Ok(());
        }
        // When `other` is more than 8 times larger, discard only the common keys.
        let common;
        let walk = if o.len() >> 3 > so.len() {
            common = intersection(vm, so, other)?;
            &common
        } else {
            o
        };
        let mut pos = 0;
        while let Some((k, h)) = walk.next_entry(&mut pos) {
            so.discard_entry(vm, &k, h)?;
        }
    } else {
        let it = crate::ops::get_iter(vm, other)?;
        while let Some(k) = crate::ops::next(vm, &it)? {
            so.discard(vm, &k)?;
        }
    }
    so.d.with(|d| d.compact_if_sparse());
    Ok(())
}

/// `so ^ other` (`set_symmetric_difference`): a copy of `other` updated with `so`.
pub fn symmetric_difference(vm: &mut Vm, so: &SetObj, other: &Value) -> PyResult<SetObj> {
    let out = set_from(vm, other)?;
    symmetric_difference_update_with(vm, &out, so)?;
    Ok(out)
}

/// `so ^= other` (`set_symmetric_difference_update`).
pub fn symmetric_difference_update(vm: &mut Vm, so: &SetObj, other: &Value) -> PyResult<()> {
    if let Some(o) = as_set(other) {
        if std::ptr::eq(so, o) {
            so.d.with(|d| d.clear());
            return Ok(());
        }
        return symmetric_difference_update_with(vm, so, o);
    }
    if let Some(d) = other.downcast::<DictObj>() {
        // A dict's keys in its own order, as CPython's.
        for k in d.keys() {
            let h = vm.hash(&k)?;
            if !so.discard_entry(vm, &k, h)? {
                so.add_entry(vm, k, h)?;
            }
        }
        return Ok(());
    }
    let tmp = set_from(vm, other)?;
    symmetric_difference_update_with(vm, so, &tmp)
}

fn symmetric_difference_update_with(vm: &mut Vm, so: &SetObj, other: &SetObj) -> PyResult<()> {
    let mut pos = 0;
    while let Some((k, h)) = other.next_entry(&mut pos) {
        if !so.discard_entry(vm, &k, h)? {
            so.add_entry(vm, k, h)?;
        }
    }
    Ok(())
}

/// `so <= other` (`set_issubset`).
pub fn is_subset(vm: &mut Vm, so: &SetObj, other: &SetObj) -> PyResult<bool> {
    if so.len() > other.len() {
        return Ok(false);
    }
    let fast = so.d.read_pair(&other.d, |a, b| {
        for e in a.iter() {
            match b.find(&e.key, e.hash) {
                Found::Hit(_) => {}
                Found::Absent => return Some(false),
                Found::Undecided => return None,
            }
        }
        Some(true)
    });
    if let Some(r) = fast {
        return Ok(r);
    }
    let mut pos = 0;
    while let Some((k, h)) = so.next_entry(&mut pos) {
        if !other.contains_entry(vm, &k, h)? {
            return Ok(false);
        }
    }
    Ok(true)
}

/// `so.isdisjoint(other)` (`set_isdisjoint`): walks the smaller of two sets.
pub fn is_disjoint(vm: &mut Vm, so: &SetObj, other: &Value) -> PyResult<bool> {
    if let Some(o) = as_set(other) {
        if std::ptr::eq(so, o) {
            return Ok(so.is_empty());
        }
        let (big, small) = if o.len() > so.len() { (o, so) } else { (so, o) };
        let mut pos = 0;
        while let Some((k, h)) = small.next_entry(&mut pos) {
            if big.contains_entry(vm, &k, h)? {
                return Ok(false);
            }
        }
        return Ok(true);
    }
    // An iterable is consumed only as far as the first common item.
    let it = crate::ops::get_iter(vm, other)?;
    while let Some(k) = crate::ops::next(vm, &it)? {
        if so.contains(vm, &k)? {
            return Ok(false);
        }
    }
    Ok(true)
}

/// `so |= other`, `&=`, `-=`, `^=` for two sets (`set_ior` & co.): in place, as
/// CPython's, so the surviving keys keep their layout. `op` is the binary operator's
/// `NB_*` number; false when it is not a set operator.
pub fn inplace(vm: &mut Vm, so: &SetObj, other: &Value, op: u32) -> PyResult<bool> {
    use crate::instructions as opc;
    match op {
        opc::NB_OR => update_from(vm, so, other)?,
        opc::NB_AND => {
            let r = intersection(vm, so, other)?;
            so.replace_with(r);
        }
        opc::NB_SUBTRACT => difference_update(vm, so, other)?,
        opc::NB_XOR => symmetric_difference_update(vm, so, other)?,
        _ => return Ok(false),
    }
    Ok(true)
}

/// `a <op> b` for two sets, `op` a binary operator's `NB_*` number (`set_or` & co.);
/// None when it is not a set operator.
pub fn binop(vm: &mut Vm, so: &SetObj, other: &Value, op: u32) -> PyResult<Option<SetObj>> {
    use crate::instructions as opc;
    Ok(Some(match op {
        opc::NB_OR => match as_set(other) {
            Some(o) => union(vm, so, o)?,
            None => return Ok(None),
        },
        opc::NB_AND => intersection(vm, so, other)?,
        opc::NB_SUBTRACT => difference(vm, so, other)?,
        opc::NB_XOR => symmetric_difference(vm, so, other)?,
        _ => return Ok(None),
    }))
}
