//! The builtin iterator types as Python sees them: the constructors of `enumerate`,
//! `zip`, `map`, `filter` and `reversed` (types, as CPython's, so they can be tested with
//! `isinstance` and subclassed), and the methods every builtin iterator type has
//! (`__next__`, `__iter__`, and CPython's `__length_hint__`, `__reduce__` and
//! `__setstate__` where its type has them, so `copy` and `pickle` handle iterators).
//! The iterators themselves are `types::iter`'s; `ops::iter` walks them.
use num_bigint::BigInt;
use num_traits::ToPrimitive;
use stitch_stencils::value::RawValue;

use super::{add_method, add_static, method_args, type_name};
use crate::ops;
use crate::types::class::type_data_raw;
use crate::types::dict::DictObj;
use crate::types::int::{IntRef, as_int};
use crate::types::iter::{IterObj, IterState};
use crate::types::list::ListObj;
use crate::types::range::RangeObj;
use crate::types::str::StrObj;
use crate::types::tuple::TupleObj;
use crate::value::Value;
use crate::vm::{Args, PyResult, Vm};
use crate::world::{Types, types};

pub fn install(t: &Types) {
    let constructible = [t.enumerate, t.zip, t.map, t.filter, t.reversed];
    let all = t.final_iterators().into_iter().chain(constructible);
    let no_hint = [t.callable_iterator, t.enumerate, t.zip, t.map, t.filter];
    let with_setstate = [
        t.iterator,
        t.list_iterator,
        t.list_reverseiterator,
        t.tuple_iterator,
        t.range_iterator,
        t.str_iterator,
        t.str_ascii_iterator,
        t.bytes_iterator,
        t.bytearray_iterator,
        t.reversed,
        t.zip,
    ];
    for ty in all {
        add_method(ty, "__next__", iter_next);
        add_method(ty, "__iter__", iter_self);
        add_method(ty, "__reduce__", iter_reduce);
        if !no_hint.contains(&ty) {
            add_method(ty, "__length_hint__", iter_length_hint);
        }
        if with_setstate.contains(&ty) {
            add_method(ty, "__setstate__", iter_setstate);
        }
    }
    add_static(t.enumerate, "__new__", enumerate_new);
    add_static(t.zip, "__new__", zip_new);
    add_static(t.map, "__new__", map_new);
    add_static(t.filter, "__new__", filter_new);
    add_static(t.reversed, "__new__", reversed_new);
}

/// `enumerate(...)`, `zip(...)`, `map(...)`, `filter(...)` and `reversed(...)`: the
/// instance, or None when `ty` is none of these types.
pub fn construct(vm: &mut Vm, ty: RawValue, a: &Args) -> Option<PyResult<Value>> {
    let t = types();
    Some(match () {
        _ if ty == t.enumerate => enumerate(vm, a),
        _ if ty == t.zip => zip(vm, a),
        _ if ty == t.map => map(vm, a),
        _ if ty == t.filter => filter(vm, a),
        _ if ty == t.reversed => reversed(vm, a),
        _ => return None,
    })
}

fn enumerate_new(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    super::subclass::immutable_new(vm, a, types().enumerate)
}
fn zip_new(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    super::subclass::immutable_new(vm, a, types().zip)
}
fn map_new(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    super::subclass::immutable_new(vm, a, types().map)
}
fn filter_new(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    super::subclass::immutable_new(vm, a, types().filter)
}
fn reversed_new(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    super::subclass::immutable_new(vm, a, types().reversed)
}

/// `enumerate(iterable, start=0)`.
fn enumerate(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let p = a.pos();
    if p.len() > 2 || p.len() + a.kwnames.len() > 2 {
        let n = p.len() + a.kwnames.len();
        return Err(vm.type_error(format!("enumerate() takes at most 2 arguments ({n} given)")));
    }
    for (k, _) in a.kw() {
        if k != "iterable" && k != "start" {
            return Err(vm.type_error(format!(
                "'{k}' is an invalid keyword argument for enumerate()"
            )));
        }
    }
    let Some(src) = p.first().or_else(|| a.get_kw("iterable")) else {
        return Err(vm.type_error("enumerate() missing required argument 'iterable'"));
    };
    let start = match p.get(1).or_else(|| a.get_kw("start")) {
        // An exact int, as CPython keeps the count (`start=True` counts 1, 2, ...).
        Some(v) if v.as_small_int().is_some() => v.clone(),
        Some(v) => Value::bigint(ops::to_index(vm, v)?),
        None => Value::int(0),
    };
    let it = ops::get_iter(vm, src)?;
    Ok(IterObj::new_value(
        types().enumerate,
        IterState::Enumerate { it, n: start },
    ))
}

/// `zip(*iterables, strict=False)`.
fn zip(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    if a.kwnames.len() > 1 {
        let n = a.kwnames.len();
        return Err(vm.type_error(format!(
            "zip() takes at most 1 keyword argument ({n} given)"
        )));
    }
    let mut strict = false;
    for (k, v) in a.kw() {
        if k != "strict" {
            return Err(vm.type_error(format!("'{k}' is an invalid keyword argument for zip()")));
        }
        strict = ops::truthy(vm, v)?;
    }
    let mut its = Vec::with_capacity(a.pos().len());
    for v in a.pos() {
        its.push(ops::get_iter(vm, v)?);
    }
    Ok(IterObj::new_value(
        types().zip,
        IterState::Zip { its, strict },
    ))
}

/// `map(func, *iterables)`.
fn map(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    if a.has_kw() {
        return Err(vm.type_error("map() takes no keyword arguments"));
    }
    let p = a.pos();
    if p.len() < 2 {
        return Err(vm.type_error("map() must have at least two arguments."));
    }
    let mut its = Vec::with_capacity(p.len() - 1);
    for v in &p[1..] {
        its.push(ops::get_iter(vm, v)?);
    }
    Ok(IterObj::new_value(
        types().map,
        IterState::Map {
            f: p[0].clone(),
            its,
        },
    ))
}

/// `filter(function or None, iterable)`.
fn filter(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let p = exact_args(vm, "filter", a, 2)?;
    let it = ops::get_iter(vm, &p[1])?;
    Ok(IterObj::new_value(
        types().filter,
        IterState::Filter {
            f: p[0].clone(),
            it,
        },
    ))
}

/// Exactly `n` positional arguments and no keywords, with CPython's messages for
/// `filter` and `reversed` ("filter expected 2 arguments, got 1").
fn exact_args<'a>(vm: &mut Vm, name: &str, a: &Args<'a>, n: usize) -> PyResult<&'a [Value]> {
    if a.has_kw() {
        return Err(vm.type_error(format!("{name}() takes no keyword arguments")));
    }
    let p = a.pos();
    if p.len() != n {
        let s = if n == 1 { "" } else { "s" };
        let got = p.len();
        return Err(vm.type_error(format!("{name} expected {n} argument{s}, got {got}")));
    }
    Ok(p)
}

/// `reversed(sequence)`: what `__reversed__` gives, else a walk back by index.
fn reversed(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let p = exact_args(vm, "reversed", a, 1)?;
    let v = &p[0];
    match crate::vm::lookup_special(v, "__reversed__") {
        // `__reversed__ = None` marks a class as not reversible.
        Some(f) if f.is_none() => {
            let tn = type_name(v);
            Err(vm.type_error(format!("'{tn}' object is not reversible")))
        }
        Some(f) => vm.call(&f, std::slice::from_ref(v)),
        None => reversed_base(vm, v),
    }
}

/// `reversed(v)` for the builtin sequences and mappings, without asking `__reversed__`
/// (what `list.__reversed__` runs): a `list_reverseiterator` for lists, a backwards
/// `range_iterator` for ranges, the reverse dict iterators for dicts and their views,
/// else a `reversed` object indexing the sequence.
pub fn reversed_base(vm: &mut Vm, v: &Value) -> PyResult<Value> {
    let t = types();
    if let Some(r) = v.downcast::<RangeObj>()
        && r.big.is_none()
    {
        let n = r.len();
        let last = r.start.wrapping_add((n - 1).wrapping_mul(r.step));
        let step = r.step.wrapping_neg();
        return Ok(IterObj::new_value(
            t.range_iterator,
            ops::range_state(last, step, n),
        ));
    }
    let dict_kind = if v.downcast::<DictObj>().is_some() {
        Some(0)
    } else {
        crate::types::misc::as_dict_view(v).map(|dv| dv.kind(v))
    };
    if let Some(kind) = dict_kind {
        let mut items = ops::collect(vm, v)?;
        items.reverse();
        let ty = [
            t.dict_reversekeyiterator,
            t.dict_reversevalueiterator,
            t.dict_reverseitemiterator,
        ][kind as usize];
        let seq = TupleObj::new_value(items);
        return Ok(IterObj::new_value(ty, IterState::Seq { seq, i: 0 }));
    }
    let is_seq = v.downcast::<ListObj>().is_some()
        || v.downcast::<TupleObj>().is_some()
        || v.downcast::<StrObj>().is_some()
        || v.downcast::<RangeObj>().is_some()
        || v.downcast::<crate::types::bytes::BytesObj>().is_some()
        || v.downcast::<crate::types::bytes::ByteArrayObj>().is_some()
        || v.downcast::<crate::types::memoryview::MemoryView>()
            .is_some()
        || crate::vm::lookup_special(v, "__getitem__").is_some();
    if !is_seq {
        let tn = type_name(v);
        return Err(vm.type_error(format!("'{tn}' object is not reversible")));
    }
    let n = ops::len(vm, v)?;
    let ty = if v.downcast::<ListObj>().is_some() {
        t.list_reverseiterator
    } else {
        t.reversed
    };
    Ok(IterObj::new_value(
        ty,
        IterState::Reversed {
            seq: v.clone(),
            i: n as isize - 1,
        },
    ))
}

/// The iterator payload of a method's receiver (a builtin iterator or an instance of
/// a Python subclass of one).
fn receiver<'a>(vm: &mut Vm, name: &str, a: &Args<'a>) -> PyResult<(&'a Value, &'a IterObj)> {
    let (it, _) = method_args(vm, name, a, 0, usize::MAX)?;
    match it.downcast::<IterObj>() {
        Some(io) => Ok((it, io)),
        None => {
            let tn = type_name(it);
            Err(vm.type_error(format!(
                "descriptor '{name}' requires an iterator object but received a '{tn}'"
            )))
        }
    }
}

fn iter_next(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    method_args(vm, "__next__", a, 0, 0)?;
    let (_, io) = receiver(vm, "__next__", a)?;
    match ops::next_iter_obj(vm, io)? {
        Some(v) => Ok(v),
        None => Err(vm.stop_iteration(Value::none())),
    }
}

fn iter_self(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (it, _) = method_args(vm, "__iter__", a, 0, 0)?;
    Ok(it.clone())
}

/// A builtin by name, as CPython's iterators' `__reduce__` find `iter` and `reversed`
/// (through the builtins module, so a replaced `builtins.iter` is what they name).
pub(crate) fn builtin(vm: &mut Vm, name: &str) -> PyResult<Value> {
    let b = vm.builtins.clone();
    let found = b
        .downcast::<crate::types::module::ModuleObj>()
        .and_then(|m| m.dict().get_str(name));
    found.ok_or_else(|| vm.err(types().attribute_error, name.to_string()))
}

/// The builtin iterator type whose behaviour `it` has (its own type, or the builtin
/// base of a Python subclass).
fn base_type(it: &Value) -> RawValue {
    crate::types::layout::builtin_type_of(it).raw()
}

fn tuple(items: Vec<Value>) -> Value {
    TupleObj::new_value(items)
}

/// The items left in a dict iterator (`kind` 0 keys, 1 values, 2 items) from entry
/// `pos` on, or the error of a dict that changed size.
fn dict_rest(vm: &mut Vm, dict: &Value, pos: usize, kind: u8, len: usize) -> PyResult<Vec<Value>> {
    let Some(d) = dict.downcast::<DictObj>() else {
        return Ok(vec![]);
    };
    if d.len() != len {
        return Err(vm.runtime_error("dictionary changed size during iteration"));
    }
    Ok(d.d.read(|dd| {
        let mut out = Vec::new();
        let mut p = pos;
        while let Some((np, k, v)) = dd.next_entry(p) {
            p = np;
            out.push(match kind {
                0 => k,
                1 => v,
                _ => tuple(vec![k, v]),
            });
        }
        out
    }))
}

/// The keys left in a set iterator from table slot `pos` on.
fn set_rest(vm: &mut Vm, set: &Value, pos: usize, len: usize) -> PyResult<Vec<Value>> {
    let Some(s) = crate::types::set::as_set(set) else {
        return Ok(vec![]);
    };
    if s.len() != len {
        return Err(vm.runtime_error("Set changed size during iteration"));
    }
    Ok(s.d.read(|d| {
        d.table
            .iter()
            .skip(pos)
            .filter(|e| !e.key.is_null())
            .map(|e| e.key.clone())
            .collect()
    }))
}

/// Code points of `s` before byte offset `byte`.
fn char_index(s: &Value, byte: usize) -> usize {
    s.downcast::<StrObj>().map_or(0, |st| st.char_index(byte))
}

/// `__reduce__`: CPython's tuple for each iterator type, e.g. `(iter, (seq,), index)`
/// for the sequence iterators and `(iter, (remaining items,))` for set and dict ones.
fn iter_reduce(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    method_args(vm, "__reduce__", a, 0, 0)?;
    let (it, io) = receiver(vm, "__reduce__", a)?;
    let t = types();
    let ty = base_type(it);
    let st = io.state.with(|s| s.clone());
    let iter = builtin(vm, "iter")?;
    let int = |i: i64| Value::int(i);
    Ok(match st {
        IterState::Seq { seq, i }
            if ty == t.dict_reversekeyiterator
                || ty == t.dict_reversevalueiterator
                || ty == t.dict_reverseitemiterator =>
        {
            let rest = ops::seq_items_fast(&seq)
                .map(|v| v.get(i..).map(<[Value]>::to_vec).unwrap_or_default())
                .unwrap_or_default();
            tuple(vec![iter, tuple(vec![ListObj::new_value(rest)])])
        }
        IterState::Seq { seq, i } | IterState::Bytes { seq, i } => {
            tuple(vec![iter, tuple(vec![seq]), int(i as i64)])
        }
        IterState::GetItem { obj, i } => tuple(vec![iter, tuple(vec![obj]), int(i)]),
        IterState::Str { s, byte } => {
            let i = char_index(&s, byte);
            tuple(vec![iter, tuple(vec![s]), int(i as i64)])
        }
        IterState::Range {
            cur,
            step,
            left,
            len,
        } => {
            let index = len - left.max(0);
            let start = cur as i128 - index as i128 * step as i128;
            let stop = start + len as i128 * step as i128;
            let range = crate::types::range::new_range(
                BigInt::from(start),
                BigInt::from(stop),
                BigInt::from(step),
            );
            tuple(vec![iter, tuple(vec![range]), int(index)])
        }
        IterState::Dict {
            dict,
            pos,
            kind,
            len,
        } => {
            let rest = dict_rest(vm, &dict, pos, kind, len)?;
            tuple(vec![iter, tuple(vec![ListObj::new_value(rest)])])
        }
        IterState::Set { set, pos, len } => {
            let rest = set_rest(vm, &set, pos, len)?;
            tuple(vec![iter, tuple(vec![ListObj::new_value(rest)])])
        }
        IterState::Callable { f, sentinel } => tuple(vec![iter, tuple(vec![f, sentinel])]),
        IterState::Reversed { seq, i } if ty == t.list_reverseiterator => {
            let rev = builtin(vm, "reversed")?;
            tuple(vec![rev, tuple(vec![seq]), int(i as i64)])
        }
        IterState::Reversed { seq, i } => {
            tuple(vec![it.type_of(), tuple(vec![seq]), int(i as i64)])
        }
        IterState::Enumerate { it: inner, n } => tuple(vec![it.type_of(), tuple(vec![inner, n])]),
        IterState::Zip { its, strict } => {
            let mut parts = vec![it.type_of(), tuple(its)];
            if strict {
                parts.push(Value::bool(true));
            }
            tuple(parts)
        }
        IterState::Map { f, its } => {
            let mut args = vec![f];
            args.extend(its);
            tuple(vec![it.type_of(), tuple(args)])
        }
        IterState::Filter { f, it: inner } => tuple(vec![it.type_of(), tuple(vec![f, inner])]),
        IterState::Exhausted if ty == t.reversed => {
            tuple(vec![it.type_of(), tuple(vec![tuple(vec![])])])
        }
        IterState::Exhausted => {
            // What an exhausted iterator of each type names: an empty one of its kind.
            let empty = if ty == t.list_iterator
                || ty == t.list_reverseiterator
                || ty == t.set_iterator
                || type_data_raw(ty).name.starts_with("dict_")
            {
                ListObj::new_value(vec![])
            } else if ty == t.str_iterator || ty == t.str_ascii_iterator {
                crate::types::str::new_str("")
            } else {
                tuple(vec![])
            };
            tuple(vec![iter, tuple(vec![empty])])
        }
    })
}

/// `__length_hint__`: how many items are left (0 once a set or dict changed size).
fn iter_length_hint(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    method_args(vm, "__length_hint__", a, 0, 0)?;
    let (_, io) = receiver(vm, "__length_hint__", a)?;
    let st = io.state.with(|s| s.clone());
    let n: i64 = match st {
        IterState::Seq { seq, i } => {
            let n = ops::seq_items_fast(&seq).map_or(0, |v| v.len());
            n as i64 - i as i64
        }
        IterState::Bytes { seq, i } => {
            let n = crate::types::bytes::with_bytes(&seq, |d| d.len()).unwrap_or(0);
            n as i64 - i as i64
        }
        IterState::Str { s, byte } => {
            let n = s.downcast::<StrObj>().map_or(0, |st| st.nchars);
            (n - char_index(&s, byte)) as i64
        }
        IterState::Range { left, .. } => left,
        IterState::Dict {
            dict,
            pos,
            kind,
            len,
        } => match dict_rest(vm, &dict, pos, kind, len) {
            Ok(rest) => rest.len() as i64,
            Err(_) => 0,
        },
        IterState::Set { set, pos, len } => match set_rest(vm, &set, pos, len) {
            Ok(rest) => rest.len() as i64,
            Err(_) => 0,
        },
        IterState::Reversed { seq, i } => {
            let n = ops::len(vm, &seq)? as i64;
            let position = i as i64 + 1;
            if n < position { 0 } else { position }
        }
        IterState::GetItem { obj, i } => {
            if crate::vm::lookup_special(&obj, "__len__").is_none() {
                return Ok(Value::not_implemented());
            }
            ops::len(vm, &obj)? as i64 - i
        }
        _ => 0,
    };
    Ok(Value::int(n.max(0)))
}

/// The index `__setstate__` gets (a C `Py_ssize_t` in CPython: an int, no `__index__`).
pub(crate) fn state_index(vm: &mut Vm, v: &Value) -> PyResult<i64> {
    match as_int(v) {
        Some(IntRef::Small(i)) => Ok(i),
        Some(IntRef::Big(b)) => b.to_i64().ok_or_else(|| {
            vm.err(
                types().overflow_error,
                "Python int too large to convert to C ssize_t",
            )
        }),
        None => Err(vm.type_error("an integer is required")),
    }
}

/// `__setstate__(index)` of the index-walking iterators (`zip`'s takes `strict`).
fn iter_setstate(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (it, r) = method_args(vm, "__setstate__", a, 1, 1)?;
    let (_, io) = receiver(vm, "__setstate__", a)?;
    if base_type(it) == types().zip {
        let strict = ops::truthy(vm, &r[0])?;
        io.state.with(|s| {
            if let IterState::Zip { strict: st, .. } = s {
                *st = strict;
            }
        });
        return Ok(Value::none());
    }
    let index = state_index(vm, &r[0])?;
    // The length of a `reversed` object's sequence may run Python code: asked first.
    let seq_len = match io.state.with(|s| s.clone()) {
        IterState::Reversed { seq, .. } => Some(ops::len(vm, &seq)? as i64),
        _ => None,
    };
    io.state.with(|s| match s {
        IterState::Seq { seq, i } => {
            let n = ops::seq_items_fast(seq).map_or(0, |v| v.len()) as i64;
            *i = index.clamp(0, n) as usize;
        }
        IterState::Bytes { seq, i } => {
            let n = crate::types::bytes::with_bytes(seq, |d| d.len()).unwrap_or(0) as i64;
            *i = index.clamp(0, n) as usize;
        }
        IterState::GetItem { i, .. } => *i = index.max(0),
        IterState::Str { s: sv, byte } => {
            if let Some(st) = sv.downcast::<StrObj>() {
                let ci = index.clamp(0, st.nchars as i64) as usize;
                *byte = st.byte_offset(ci);
            }
        }
        IterState::Range {
            cur,
            step,
            left,
            len,
        } => {
            let old = *len - (*left).max(0);
            let start = cur.wrapping_sub(old.wrapping_mul(*step));
            let index = index.clamp(0, *len);
            *cur = start.wrapping_add(index.wrapping_mul(*step));
            *left = *len - index;
        }
        IterState::Reversed { i, .. } => {
            let n = seq_len.unwrap_or(0);
            *i = index.clamp(-1, n - 1) as isize;
        }
        _ => {}
    });
    Ok(Value::none())
}
