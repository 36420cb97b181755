//! Methods of list, tuple, dict and set.
use super::{add_method, method_args, type_name};
use crate::ops;
use crate::types::dict::DictObj;
use crate::types::list::ListObj;
use crate::types::misc::DictViewObj;
use crate::types::set::{SetObj, as_set};
use crate::types::set_algebra as alg;
use crate::types::tuple::TupleObj;
use crate::value::Value;
use crate::vm::{Args, PyResult, Vm};
use crate::world::{Types, types};

pub fn install(t: &Types) {
    add_method(t.slice, "indices", slice_indices);
    add_method(t.list, "append", list_append);
    add_method(t.list, "extend", list_extend);
    add_method(t.list, "insert", list_insert);
    add_method(t.list, "pop", list_pop);
    add_method(t.list, "remove", list_remove);
    add_method(t.list, "index", seq_index);
    add_method(t.list, "count", seq_count);
    add_method(t.list, "sort", list_sort);
    add_method(t.list, "reverse", list_reverse);
    add_method(t.list, "copy", list_copy);
    add_method(t.list, "clear", list_clear);
    add_method(t.tuple, "index", seq_index);
    add_method(t.tuple, "count", seq_count);
    add_method(t.dict, "get", dict_get);
    add_method(t.dict, "keys", dict_keys);
    for ty in [t.dict_keys, t.dict_items] {
        add_method(ty, "isdisjoint", view_isdisjoint);
    }
    add_method(t.dict, "values", dict_values);
    add_method(t.dict, "items", dict_items);
    add_method(t.dict, "pop", dict_pop);
    add_method(t.dict, "popitem", dict_popitem);
    add_method(t.dict, "setdefault", dict_setdefault);
    add_method(t.dict, "update", dict_update);
    add_method(t.dict, "copy", dict_copy);
    add_method(t.dict, "clear", dict_clear);
    super::add_static(t.dict, "fromkeys", dict_fromkeys);
    for ty in [t.set, t.frozenset] {
        add_method(ty, "copy", set_copy);
        add_method(ty, "union", set_union);
        add_method(ty, "intersection", set_intersection);
        add_method(ty, "difference", set_difference);
        add_method(ty, "symmetric_difference", set_symmetric_difference);
        add_method(ty, "issubset", set_issubset);
        add_method(ty, "issuperset", set_issuperset);
        add_method(ty, "isdisjoint", set_isdisjoint);
    }
    add_method(t.set, "add", set_add);
    add_method(t.set, "remove", set_remove);
    add_method(t.set, "discard", set_discard);
    add_method(t.set, "pop", set_pop);
    add_method(t.set, "clear", set_clear);
    add_method(t.set, "update", set_update);
    add_method(t.set, "intersection_update", set_intersection_update);
    add_method(t.set, "difference_update", set_difference_update);
    add_method(
        t.set,
        "symmetric_difference_update",
        set_symmetric_difference_update,
    );
}

fn list<'a>(vm: &mut Vm, v: &'a Value) -> PyResult<&'a ListObj> {
    v.downcast::<ListObj>()
        .ok_or_else(|| vm.type_error("descriptor requires a 'list' object"))
}

fn list_append(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (s, r) = method_args(vm, "append", a, 1, 1)?;
    list(vm, s)?.push(r[0].clone());
    Ok(Value::none())
}

fn list_extend(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (s, r) = method_args(vm, "extend", a, 1, 1)?;
    let items = ops::collect(vm, &r[0])?;
    list(vm, s)?.items.with(|v| v.extend(items));
    Ok(Value::none())
}

fn list_insert(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (s, r) = method_args(vm, "insert", a, 2, 2)?;
    let i = ops::to_isize(vm, &r[0])?;
    let l = list(vm, s)?;
    let x = r[1].clone();
    l.items.with(|v| v.insert(ops::clamp_to_len(i, v.len()), x));
    Ok(Value::none())
}

fn list_pop(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (s, r) = method_args(vm, "pop", a, 0, 1)?;
    let i = match r.first() {
        Some(v) => ops::to_isize(vm, v)?,
        None => -1,
    };
    let l = list(vm, s)?;
    let res = l.items.with(|v| {
        if v.is_empty() {
            return Err(true);
        }
        let n = v.len() as i64;
        let idx = if i < 0 { i + n } else { i };
        if idx < 0 || idx >= n {
            return Err(false);
        }
        Ok(v.remove(idx as usize))
    });
    match res {
        Ok(v) => Ok(v),
        Err(true) => Err(vm.index_error("pop from empty list")),
        Err(false) => Err(vm.index_error("pop index out of range")),
    }
}

fn list_remove(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (s, r) = method_args(vm, "remove", a, 1, 1)?;
    let l = list(vm, s)?;
    let items = l.snapshot();
    for (i, x) in items.iter().enumerate() {
        if x.is(&r[0]) || vm.eq(x, &r[0])? {
            let old = l
                .items
                .with(|v| if i < v.len() { Some(v.remove(i)) } else { None });
            drop(old);
            return Ok(Value::none());
        }
    }
    Err(vm.value_error("list.remove(x): x not in list"))
}

fn seq_index(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (s, r) = method_args(vm, "index", a, 1, 3)?;
    let items = ops::seq_items_fast(s).unwrap_or_default();
    let start = match r.get(1) {
        Some(v) => ops::clamp_to_len(ops::index_bound(vm, v)?, items.len()),
        None => 0,
    };
    let end = match r.get(2) {
        Some(v) => ops::clamp_to_len(ops::index_bound(vm, v)?, items.len()),
        None => items.len(),
    };
    for (i, x) in items.iter().enumerate().take(end).skip(start) {
        if x.is(&r[0]) || vm.eq(x, &r[0])? {
            return Ok(Value::int(i as i64));
        }
    }
    if s.downcast::<ListObj>().is_some() {
        let r = ops::repr(vm, &r[0])?;
        return Err(vm.value_error(format!("{r} is not in list")));
    }
    Err(vm.value_error("tuple.index(x): x not in tuple"))
}

fn seq_count(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (s, r) = method_args(vm, "count", a, 1, 1)?;
    let items = ops::seq_items_fast(s).unwrap_or_default();
    let mut n = 0;
    for x in &items {
        if x.is(&r[0]) || vm.eq(x, &r[0])? {
            n += 1;
        }
    }
    Ok(Value::int(n))
}

fn list_sort(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let p = a.pos();
    if p.len() != 1 {
        return Err(vm.type_error("sort() takes no positional arguments"));
    }
    let (key, reverse) = super::functions::sort_kwargs(vm, a, "sort")?;
    let l = list(vm, &p[0])?;
    // Sort the items detached (CPython empties the list while sorting), then store
    // them back: sorted, or as they were when a key or a comparison raised.
    let mut items = l.items.with(std::mem::take);
    let res = super::sort::sort_in_place(vm, &mut items, key.as_ref(), reverse);
    let added = l.items.with(|v| std::mem::replace(v, items));
    res?;
    // The detached list started with no storage: any growth during the sort (even
    // an append undone by a pop) left some, as CPython's check of `allocated`.
    if added.capacity() != 0 {
        return Err(vm.value_error("list modified during sort"));
    }
    Ok(Value::none())
}

fn list_reverse(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (s, _) = method_args(vm, "reverse", a, 0, 0)?;
    list(vm, s)?.items.with(|v| v.reverse());
    Ok(Value::none())
}

fn list_copy(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (s, _) = method_args(vm, "copy", a, 0, 0)?;
    Ok(ListObj::new_value(list(vm, s)?.snapshot()))
}

fn list_clear(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (s, _) = method_args(vm, "clear", a, 0, 0)?;
    let old = list(vm, s)?.items.with(std::mem::take);
    drop(old);
    Ok(Value::none())
}

fn dict<'a>(vm: &mut Vm, v: &'a Value) -> PyResult<&'a DictObj> {
    v.downcast::<DictObj>()
        .ok_or_else(|| vm.type_error("descriptor requires a 'dict' object"))
}

fn dict_get(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (s, r) = method_args(vm, "get", a, 1, 2)?;
    let d = dict(vm, s)?;
    Ok(d.get(vm, &r[0])?
        .unwrap_or_else(|| r.get(1).cloned().unwrap_or_else(Value::none)))
}

fn view(
    vm: &mut Vm,
    a: &Args,
    name: &str,
    ty: stitch_stencils::value::RawValue,
) -> PyResult<Value> {
    let (s, _) = method_args(vm, name, a, 0, 0)?;
    dict(vm, s)?;
    Ok(Value::alloc_with_type(
        &Value::from_borrowed(ty),
        DictViewObj { dict: s.clone() },
    ))
}

fn dict_keys(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    view(vm, a, "keys", types().dict_keys)
}
fn dict_values(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    view(vm, a, "values", types().dict_values)
}
fn dict_items(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    view(vm, a, "items", types().dict_items)
}

fn dict_pop(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (s, r) = method_args(vm, "pop", a, 1, 2)?;
    let d = dict(vm, s)?;
    match d.remove(vm, &r[0])? {
        Some(v) => Ok(v),
        None => match r.get(1) {
            Some(def) => Ok(def.clone()),
            None => Err(vm.key_error(r[0].clone())),
        },
    }
}

fn dict_popitem(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (s, _) = method_args(vm, "popitem", a, 0, 0)?;
    let d = dict(vm, s)?;
    let last = d.d.with(|dd| dd.iter().last().map(|e| e.key.clone()));
    match last {
        Some(k) => {
            let v = d.remove(vm, &k)?.unwrap_or_else(Value::none);
            Ok(TupleObj::from_items([k, v]))
        }
        None => Err(vm.key_error_msg("popitem(): dictionary is empty")),
    }
}

fn dict_setdefault(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (s, r) = method_args(vm, "setdefault", a, 1, 2)?;
    let d = dict(vm, s)?;
    if let Some(v) = d.get(vm, &r[0])? {
        return Ok(v);
    }
    let def = r.get(1).cloned().unwrap_or_else(Value::none);
    d.set(vm, r[0].clone(), def.clone())?;
    Ok(def)
}

/// dict.update(src): a mapping or an iterable of pairs.
pub fn dict_update_from(vm: &mut Vm, d: &DictObj, src: &Value) -> PyResult<()> {
    if src.downcast::<DictObj>().is_some() || ops::getattr_opt(vm, src, "keys")?.is_some() {
        for (k, v) in ops::mapping_items(vm, src)? {
            d.set(vm, k, v)?;
        }
        return Ok(());
    }
    let items = ops::collect(vm, src)?;
    for (i, it) in items.iter().enumerate() {
        let pair = match ops::collect(vm, it) {
            Ok(p) => p,
            Err(_) => {
                let tn = type_name(it);
                return Err(vm.type_error(format!(
                    "cannot convert dictionary update sequence element #{i} to a sequence ({tn})"
                )));
            }
        };
        if pair.len() != 2 {
            let n = pair.len();
            return Err(vm.value_error(format!(
                "dictionary update sequence element #{i} has length {n}; 2 is required"
            )));
        }
        let mut pi = pair.into_iter();
        let (k, v) = (
            pi.next().unwrap_or_else(Value::none),
            pi.next().unwrap_or_else(Value::none),
        );
        d.set(vm, k, v)?;
    }
    Ok(())
}

fn dict_update(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let p = a.pos();
    let Some(s) = p.first() else {
        return Err(vm.type_error("update needs self"));
    };
    let d = dict(vm, s)?;
    if p.len() > 2 {
        return Err(vm.type_error(format!(
            "update expected at most 1 argument, got {}",
            p.len() - 1
        )));
    }
    if let Some(src) = p.get(1) {
        dict_update_from(vm, d, src)?;
    }
    for (k, v) in a.kw() {
        d.set(vm, crate::types::str::new_str(k), v.clone())?;
    }
    Ok(Value::none())
}

fn dict_copy(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (s, _) = method_args(vm, "copy", a, 0, 0)?;
    Ok(Value::alloc(dict(vm, s)?.copy()))
}

fn dict_clear(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (s, _) = method_args(vm, "clear", a, 0, 0)?;
    let old = dict(vm, s)?.d.with(|d| d.clear());
    drop(old);
    Ok(Value::none())
}

fn dict_fromkeys(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let p = a.pos();
    // Called as dict.fromkeys(keys[, value]) (a plain function in the type dict).
    let (keys, val) = match p.len() {
        1 => (&p[0], Value::none()),
        2 => (&p[0], p[1].clone()),
        n => return Err(vm.type_error(format!("fromkeys expected at most 2 arguments, got {n}"))),
    };
    let d = DictObj::new();
    for k in ops::collect(vm, keys)? {
        d.set(vm, k, val.clone())?;
    }
    Ok(Value::alloc(d))
}

fn set_of<'a>(vm: &mut Vm, v: &'a Value) -> PyResult<&'a SetObj> {
    as_set(v).ok_or_else(|| vm.type_error("descriptor requires a 'set' object"))
}

fn new_like(s: &Value, set: SetObj) -> Value {
    Value::alloc_with_type(&crate::types::layout::builtin_type_of(s), set)
}

fn set_add(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (s, r) = method_args(vm, "add", a, 1, 1)?;
    set_of(vm, s)?.add(vm, r[0].clone())?;
    Ok(Value::none())
}

fn set_remove(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (s, r) = method_args(vm, "remove", a, 1, 1)?;
    if !set_of(vm, s)?.discard(vm, &r[0])? {
        return Err(vm.key_error(r[0].clone()));
    }
    Ok(Value::none())
}

fn set_discard(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (s, r) = method_args(vm, "discard", a, 1, 1)?;
    set_of(vm, s)?.discard(vm, &r[0])?;
    Ok(Value::none())
}

fn set_pop(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (s, _) = method_args(vm, "pop", a, 0, 0)?;
    let set = set_of(vm, s)?;
    let k = set.d.with(|d| d.pop());
    match k {
        Some(k) => Ok(k),
        None => Err(vm.key_error_msg("pop from an empty set")),
    }
}

fn set_clear(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (s, _) = method_args(vm, "clear", a, 0, 0)?;
    set_of(vm, s)?.d.with(|d| d.clear());
    Ok(Value::none())
}

fn set_copy(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (s, _) = method_args(vm, "copy", a, 0, 0)?;
    let out = SetObj::new();
    let src = set_of(vm, s)?;
    out.merge(vm, src)?;
    Ok(new_like(s, out))
}

fn set_union(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (s, r) = method_args(vm, "union", a, 0, usize::MAX)?;
    let so = set_of(vm, s)?;
    let out = so.copy();
    for o in r {
        if !o.is(s) {
            alg::update_from(vm, &out, o)?;
        }
    }
    Ok(new_like(s, out))
}

/// `set_intersection_multi`: a copy with no arguments.
fn intersection_multi(vm: &mut Vm, s: &Value, others: &[Value]) -> PyResult<SetObj> {
    let so = set_of(vm, s)?;
    let mut out = so.copy();
    for o in others {
        out = alg::intersection(vm, &out, o)?;
    }
    Ok(out)
}

fn set_intersection(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (s, r) = method_args(vm, "intersection", a, 0, usize::MAX)?;
    let out = intersection_multi(vm, s, r)?;
    Ok(new_like(s, out))
}

fn set_difference(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (s, r) = method_args(vm, "difference", a, 0, usize::MAX)?;
    let so = set_of(vm, s)?;
    let Some((first, rest)) = r.split_first() else {
        let out = so.copy();
        return Ok(new_like(s, out));
    };
    let out = alg::difference(vm, so, first)?;
    for o in rest {
        alg::difference_update(vm, &out, o)?;
    }
    Ok(new_like(s, out))
}

fn set_symmetric_difference(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (s, r) = method_args(vm, "symmetric_difference", a, 1, 1)?;
    let so = set_of(vm, s)?;
    let out = alg::symmetric_difference(vm, so, &r[0])?;
    Ok(new_like(s, out))
}

fn set_issubset(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (s, r) = method_args(vm, "issubset", a, 1, 1)?;
    let so = set_of(vm, s)?;
    let r = match as_set(&r[0]) {
        Some(o) => alg::is_subset(vm, so, o)?,
        None => {
            let o = alg::set_from(vm, &r[0])?;
            alg::is_subset(vm, so, &o)?
        }
    };
    Ok(Value::bool(r))
}

fn set_issuperset(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (s, r) = method_args(vm, "issuperset", a, 1, 1)?;
    let so = set_of(vm, s)?;
    if let Some(o) = as_set(&r[0]) {
        return Ok(Value::bool(alg::is_subset(vm, o, so)?));
    }
    let it = ops::get_iter(vm, &r[0])?;
    while let Some(k) = ops::next(vm, &it)? {
        if !so.contains(vm, &k)? {
            return Ok(Value::bool(false));
        }
    }
    Ok(Value::bool(true))
}

fn set_isdisjoint(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (s, r) = method_args(vm, "isdisjoint", a, 1, 1)?;
    let so = set_of(vm, s)?;
    Ok(Value::bool(alg::is_disjoint(vm, so, &r[0])?))
}

/// `view.isdisjoint(iterable)` of dict keys and items views: no item of the iterable
/// is in the view.
fn view_isdisjoint(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (s, r) = method_args(vm, "isdisjoint", a, 1, 1)?;
    let it = ops::get_iter(vm, &r[0])?;
    while let Some(item) = ops::next(vm, &it)? {
        if ops::contains_base(vm, s, &item)? {
            return Ok(Value::bool(false));
        }
    }
    Ok(Value::bool(true))
}

fn set_update(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (s, r) = method_args(vm, "update", a, 0, usize::MAX)?;
    set_of(vm, s)?;
    for o in r {
        ops::set_update(vm, s, o)?;
    }
    Ok(Value::none())
}

fn set_intersection_update(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (s, r) = method_args(vm, "intersection_update", a, 0, usize::MAX)?;
    let out = intersection_multi(vm, s, r)?;
    set_of(vm, s)?.replace_with(out);
    Ok(Value::none())
}

fn set_difference_update(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (s, r) = method_args(vm, "difference_update", a, 0, usize::MAX)?;
    let so = set_of(vm, s)?;
    for o in r {
        alg::difference_update(vm, so, o)?;
    }
    Ok(Value::none())
}

fn set_symmetric_difference_update(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (s, r) = method_args(vm, "symmetric_difference_update", a, 1, 1)?;
    let so = set_of(vm, s)?;
    alg::symmetric_difference_update(vm, so, &r[0])?;
    Ok(Value::none())
}

/// `slice.indices(length)`: (start, stop, step) normalised for a sequence of `length`.
fn slice_indices(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (s, r) = method_args(vm, "indices", a, 1, 1)?;
    let Some(sl) = s.downcast::<crate::types::misc::SliceObj>() else {
        return Err(vm.type_error("descriptor 'indices' requires a 'slice' object"));
    };
    let len = ops::to_isize(vm, &r[0])?;
    if len < 0 {
        return Err(vm.value_error("length should not be negative"));
    }
    let (start, stop, step, _) = ops::slice_indices(vm, sl, len)?;
    Ok(TupleObj::from_items([
        Value::int(start),
        Value::int(stop),
        Value::int(step),
    ]))
}
