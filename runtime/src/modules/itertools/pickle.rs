//! Pickling of the itertools objects, as CPython 3.11 has it (`copy` and `pickle` go
//! through it): each type's `__reduce__` names the call that rebuilds the object and,
//! where that call cannot say it all (a cycle's saved items, a combination's indices),
//! a state that `__setstate__` puts back. `_tee_dataobject`'s constructor is here too:
//! only unpickling calls it.
use crate::builtins::iter_types::{builtin, state_index};
use crate::object::ObjCell;
use crate::ops;
use crate::types::func::NativeFn;
use crate::types::iter::{IterObj, IterState};
use crate::types::list::ListObj;
use crate::types::native::{self, downcast};
use crate::types::tuple::TupleObj;
use crate::value::{PyPayload, Value};
use crate::vm::{Args, PyResult, Vm};
use crate::world::types;

use super::super::native_args::{int_arg, this, unpack};
use super::{
    Accumulate, Chain, Combinations, Combo, Compress, Count, Cwr, Cycle, DropWhile, Filter,
    FilterFalse, GroupBy, Grouper, ISlice, LINKCELLS, Permutations, Product, Repeat, StarMap,
    TakeWhile, Tee, TeeData, TeeDataState, ZipLongest, fast_count, me, tuple,
};

pub(super) const COUNT: &[(&str, NativeFn)] = &[("__reduce__", count_reduce)];
pub(super) const CYCLE: &[(&str, NativeFn)] = &[
    ("__reduce__", cycle_reduce),
    ("__setstate__", cycle_setstate),
];
pub(super) const REPEAT: &[(&str, NativeFn)] = &[("__reduce__", repeat_reduce)];
pub(super) const ACCUMULATE: &[(&str, NativeFn)] = &[
    ("__reduce__", accumulate_reduce),
    ("__setstate__", accumulate_setstate),
];
pub(super) const CHAIN: &[(&str, NativeFn)] = &[
    ("__reduce__", chain_reduce),
    ("__setstate__", chain_setstate),
];
pub(super) const COMPRESS: &[(&str, NativeFn)] = &[("__reduce__", compress_reduce)];
pub(super) const DROPWHILE: &[(&str, NativeFn)] = &[
    ("__reduce__", dropwhile_reduce),
    ("__setstate__", dropwhile_setstate),
];
pub(super) const TAKEWHILE: &[(&str, NativeFn)] = &[
    ("__reduce__", takewhile_reduce),
    ("__setstate__", takewhile_setstate),
];
pub(super) const FILTERFALSE: &[(&str, NativeFn)] = &[("__reduce__", filterfalse_reduce)];
pub(super) const STARMAP: &[(&str, NativeFn)] = &[("__reduce__", starmap_reduce)];
pub(super) const GROUPBY: &[(&str, NativeFn)] = &[
    ("__reduce__", groupby_reduce),
    ("__setstate__", groupby_setstate),
];
pub(super) const GROUPER: &[(&str, NativeFn)] = &[("__reduce__", grouper_reduce)];
pub(super) const ISLICE: &[(&str, NativeFn)] = &[
    ("__reduce__", islice_reduce),
    ("__setstate__", islice_setstate),
];
pub(super) const TEE: &[(&str, NativeFn)] =
    &[("__reduce__", tee_reduce), ("__setstate__", tee_setstate)];
pub(super) const TEEDATA: &[(&str, NativeFn)] = &[("__reduce__", teedata_reduce)];
pub(super) const ZIPLONGEST: &[(&str, NativeFn)] = &[
    ("__reduce__", ziplongest_reduce),
    ("__setstate__", ziplongest_setstate),
];
pub(super) const PRODUCT: &[(&str, NativeFn)] = &[
    ("__reduce__", product_reduce),
    ("__setstate__", product_setstate),
];
pub(super) const PERMUTATIONS: &[(&str, NativeFn)] = &[
    ("__reduce__", permutations_reduce),
    ("__setstate__", permutations_setstate),
];
pub(super) const COMBINATIONS: &[(&str, NativeFn)] = &[
    ("__reduce__", combinations_reduce),
    ("__setstate__", combinations_setstate),
];
pub(super) const CWR: &[(&str, NativeFn)] =
    &[("__reduce__", cwr_reduce), ("__setstate__", cwr_setstate)];

// ---- shared pieces ---------------------------------------------------------------

/// A `__reduce__` receiver and its payload.
fn reduce_of<'a, T: PyPayload>(vm: &mut Vm, a: &Args<'a>) -> PyResult<(&'a Value, &'a T)> {
    let (s, _) = this(vm, "__reduce__", a, 0, 0)?;
    Ok((s, me::<T>(vm, s)?))
}

/// A `__setstate__` receiver's payload and the state.
fn setstate_of<'a, T: PyPayload>(vm: &mut Vm, a: &Args<'a>) -> PyResult<(&'a T, &'a Value)> {
    let (s, r) = this(vm, "__setstate__", a, 1, 1)?;
    Ok((me::<T>(vm, s)?, &r[0]))
}

/// The items of a state tuple, counted as `PyArg_ParseTuple` counts them (after
/// CPython's own "state is not a tuple" check).
fn state_items<'a>(vm: &mut Vm, state: &'a Value, min: usize, max: usize) -> PyResult<&'a [Value]> {
    let Some(t) = state.downcast::<TupleObj>() else {
        return Err(vm.type_error("state is not a tuple"));
    };
    let n = t.items.len();
    if (min..=max).contains(&n) {
        return Ok(&t.items);
    }
    let (how, k) = if min == max {
        ("exactly", min)
    } else if n < min {
        ("at least", min)
    } else {
        ("at most", max)
    };
    let s = if k == 1 { "" } else { "s" };
    Err(vm.type_error(format!("function takes {how} {k} argument{s} ({n} given)")))
}

/// `PyArg_ParseTuple`'s `O!` check of state item `pos` (1-based) against `ty`.
fn state_item_of<'a, T: PyPayload>(
    vm: &mut Vm,
    v: &'a Value,
    pos: usize,
    ty: &str,
) -> PyResult<&'a T> {
    match v.downcast::<T>() {
        Some(p) => Ok(p),
        None => {
            let tn = v.type_data().name.clone();
            Err(vm.type_error(format!("argument {pos} must be {ty}, not {tn}")))
        }
    }
}

/// A state the C code reads as `Py_ssize_t` indices: a tuple of `n` ints, else
/// CPython's `ValueError`.
fn state_indices(vm: &mut Vm, state: &Value, n: usize) -> PyResult<Vec<i64>> {
    let items = match state.downcast::<TupleObj>() {
        Some(t) if t.items.len() == n => t.items.to_vec(),
        _ => return Err(vm.value_error("invalid arguments")),
    };
    items.iter().map(|v| state_index(vm, v)).collect()
}

fn int(n: i64) -> Value {
    Value::int(n)
}

fn ints(ns: impl Iterator<Item = usize>) -> Value {
    tuple(ns.map(|n| int(n as i64)).collect())
}

/// `NULL` as the `None` the C code puts in its place.
fn or_none(v: Value) -> Value {
    if v.is_null() { Value::none() } else { v }
}

/// The class of a payload type of this module.
fn class_of<T: PyPayload>() -> Value {
    Value::from_borrowed(T::class())
}

// ---- count, cycle, repeat ----------------------------------------------------------

/// `count(n)` while in CPython's fast mode, else `count(value, step)`.
fn count_reduce(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (s, c) = reduce_of::<Count>(vm, a)?;
    let (cur, step) = c.st.with(|st| (st.0.clone(), st.1.clone()));
    let args = match fast_count(c, &cur) {
        Some(n) => vec![int(n)],
        None => vec![cur, step],
    };
    Ok(tuple(vec![s.type_of(), tuple(args)]))
}

/// `cycle(source)` with state `(saved items, firstpass)`; once the source is done,
/// an iterator over the saved items from the current position stands for it.
fn cycle_reduce(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (s, c) = reduce_of::<Cycle>(vm, a)?;
    let (src, saved, index, firstpass) =
        c.st.with(|st| (st.it.clone(), st.saved.clone(), st.index, st.firstpass));
    let saved = ListObj::new_value(saved);
    let (src, firstpass) = if src.is_null() {
        let rest = IterObj::new_value(
            types().list_iterator,
            IterState::Seq {
                seq: saved.clone(),
                i: index,
            },
        );
        (rest, true)
    } else {
        (src, firstpass)
    };
    Ok(tuple(vec![
        s.type_of(),
        tuple(vec![src]),
        tuple(vec![saved, Value::bool(firstpass)]),
    ]))
}

fn cycle_setstate(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (c, state) = setstate_of::<Cycle>(vm, a)?;
    let items = state_items(vm, state, 2, 2)?;
    let saved = state_item_of::<ListObj>(vm, &items[0], 1, "list")?.snapshot();
    let firstpass = int_arg(vm, Some(&items[1]), 0)? != 0;
    let old = c.st.with(|st| {
        st.firstpass = firstpass;
        st.index = 0;
        std::mem::replace(&mut st.saved, saved)
    });
    drop(old);
    Ok(Value::none())
}

fn repeat_reduce(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (s, r) = reduce_of::<Repeat>(vm, a)?;
    let mut args = vec![r.obj.clone()];
    let cnt = r.cnt.with(|c| *c);
    if cnt >= 0 {
        args.push(int(cnt));
    }
    Ok(tuple(vec![s.type_of(), tuple(args)]))
}

// ---- accumulate, chain -----------------------------------------------------------

/// `accumulate(source, func)` with the running total as the state. An initial value
/// not yet given is chained before the source; a total of None (which the state
/// cannot carry, pickle dropping a None state) is replayed by
/// `islice(accumulate(chain((None,), source), func), 1, None)`.
fn accumulate_reduce(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (s, acc) = reduce_of::<Accumulate>(vm, a)?;
    let (total, initial) = acc.st.with(|st| (st.0.clone(), st.1.clone()));
    let chain = class_of::<Chain>();
    if !initial.is_null() {
        let src = vm.call(&chain, &[tuple(vec![initial]), acc.it.clone()])?;
        return Ok(tuple(vec![
            s.type_of(),
            tuple(vec![src, acc.func.clone()]),
            Value::none(),
        ]));
    }
    if !total.is_null() && total.is_none() {
        let src = vm.call(&chain, &[tuple(vec![total]), acc.it.clone()])?;
        let inner = vm.call(&s.type_of(), &[src, acc.func.clone()])?;
        return Ok(tuple(vec![
            class_of::<ISlice>(),
            tuple(vec![inner, int(1), Value::none()]),
        ]));
    }
    Ok(tuple(vec![
        s.type_of(),
        tuple(vec![acc.it.clone(), acc.func.clone()]),
        or_none(total),
    ]))
}

fn accumulate_setstate(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (acc, state) = setstate_of::<Accumulate>(vm, a)?;
    let old = acc
        .st
        .with(|st| std::mem::replace(&mut st.0, state.clone()));
    drop(old);
    Ok(Value::none())
}

/// `chain()` with state `(source, active)` (`(source,)` between iterables), or bare
/// once exhausted: `chain.from_iterable` cannot be named in the pickle.
fn chain_reduce(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (s, c) = reduce_of::<Chain>(vm, a)?;
    let (src, active) = c.st.with(|st| (st.0.clone(), st.1.clone()));
    let mut parts = vec![s.type_of(), tuple(vec![])];
    if !src.is_null() {
        let mut state = vec![src];
        if !active.is_null() {
            state.push(active);
        }
        parts.push(tuple(state));
    }
    Ok(tuple(parts))
}

fn chain_setstate(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (c, state) = setstate_of::<Chain>(vm, a)?;
    let items = state_items(vm, state, 1, 2)?;
    if !items.iter().all(ops::is_iterator) {
        return Err(vm.type_error("Arguments must be iterators."));
    }
    let src = items[0].clone();
    let active = items.get(1).cloned().unwrap_or(Value::NULL);
    let old = c.st.with(|st| std::mem::replace(st, (src, active)));
    drop(old);
    Ok(Value::none())
}

// ---- the filters -------------------------------------------------------------------

/// `type(f)(first, second)` plus, for dropwhile and takewhile, their flag as the state.
fn filter_reduce(s: &Value, first: &Value, second: &Value, flag: Option<&Filter>) -> Value {
    let mut parts = vec![s.type_of(), tuple(vec![first.clone(), second.clone()])];
    if let Some(f) = flag {
        parts.push(int(f.flag.with(|b| *b) as i64));
    }
    tuple(parts)
}

fn compress_reduce(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (s, c) = reduce_of::<Compress>(vm, a)?;
    // `f` holds the selectors.
    Ok(filter_reduce(s, &c.0.it, &c.0.f, None))
}

fn dropwhile_reduce(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (s, d) = reduce_of::<DropWhile>(vm, a)?;
    Ok(filter_reduce(s, &d.0.f, &d.0.it, Some(&d.0)))
}

fn takewhile_reduce(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (s, t) = reduce_of::<TakeWhile>(vm, a)?;
    Ok(filter_reduce(s, &t.0.f, &t.0.it, Some(&t.0)))
}

fn filterfalse_reduce(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (s, f) = reduce_of::<FilterFalse>(vm, a)?;
    Ok(filter_reduce(s, &f.0.f, &f.0.it, None))
}

fn starmap_reduce(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (s, m) = reduce_of::<StarMap>(vm, a)?;
    Ok(filter_reduce(s, &m.0.f, &m.0.it, None))
}

/// The flag of dropwhile ("done dropping") and takewhile ("stopped"): the state's truth.
fn set_flag(vm: &mut Vm, f: &Filter, state: &Value) -> PyResult<Value> {
    let on = ops::truthy(vm, state)?;
    f.flag.with(|b| *b = on);
    Ok(Value::none())
}

fn dropwhile_setstate(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (d, state) = setstate_of::<DropWhile>(vm, a)?;
    set_flag(vm, &d.0, state)
}

fn takewhile_setstate(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (t, state) = setstate_of::<TakeWhile>(vm, a)?;
    set_flag(vm, &t.0, state)
}

// ---- groupby, islice ---------------------------------------------------------------

/// `groupby(source, key)`, with state `(currkey, currvalue, tgtkey)` once a group is
/// under way.
fn groupby_reduce(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (s, g) = reduce_of::<GroupBy>(vm, a)?;
    let state =
        g.st.with(|st| [st.currkey.clone(), st.currvalue.clone(), st.tgtkey.clone()]);
    let mut parts = vec![s.type_of(), tuple(vec![g.it.clone(), g.keyfunc.clone()])];
    if state.iter().all(|v| !v.is_null()) {
        parts.push(tuple(state.to_vec()));
    }
    Ok(tuple(parts))
}

fn groupby_setstate(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (g, state) = setstate_of::<GroupBy>(vm, a)?;
    let items = state_items(vm, state, 3, 3)?;
    let old = g.st.with(|st| {
        [
            std::mem::replace(&mut st.currkey, items[0].clone()),
            std::mem::replace(&mut st.currvalue, items[1].clone()),
            std::mem::replace(&mut st.tgtkey, items[2].clone()),
        ]
    });
    drop(old);
    Ok(Value::none())
}

/// `_grouper(parent, tgtkey)` while it is its groupby's current group, else an empty
/// iterator.
fn grouper_reduce(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (s, gr) = reduce_of::<Grouper>(vm, a)?;
    let current = downcast::<GroupBy>(&gr.parent)
        .is_some_and(|g| g.st.with(|st| st.generation) == gr.generation);
    if !current {
        let iter = builtin(vm, "iter")?;
        return Ok(tuple(vec![iter, tuple(vec![tuple(vec![])])]));
    }
    Ok(tuple(vec![
        s.type_of(),
        tuple(vec![gr.parent.clone(), gr.tgtkey.clone()]),
    ]))
}

/// `islice(source, next, stop, step)` with the count read so far as the state (an
/// exhausted one: `islice(iter([]), 0)`).
fn islice_reduce(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (s, i) = reduce_of::<ISlice>(vm, a)?;
    let (src, next, stop, step, cnt) =
        i.st.with(|st| (st.it.clone(), st.next, st.stop, st.step, st.cnt));
    if src.is_null() {
        let empty = IterObj::new_value(
            types().list_iterator,
            IterState::Seq {
                seq: ListObj::new_value(vec![]),
                i: 0,
            },
        );
        return Ok(tuple(vec![s.type_of(), tuple(vec![empty, int(0)]), int(0)]));
    }
    let stop = if stop == -1 { Value::none() } else { int(stop) };
    Ok(tuple(vec![
        s.type_of(),
        tuple(vec![src, int(next), stop, int(step)]),
        int(cnt),
    ]))
}

fn islice_setstate(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (i, state) = setstate_of::<ISlice>(vm, a)?;
    let cnt = state_index(vm, state)?;
    i.st.with(|st| st.cnt = cnt);
    Ok(Value::none())
}

// ---- tee ---------------------------------------------------------------------------

/// `_tee(())` with state `(data block, index)`.
fn tee_reduce(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (s, t) = reduce_of::<Tee>(vm, a)?;
    let (data, index) = t.st.with(|st| (st.0.clone(), st.1));
    Ok(tuple(vec![
        s.type_of(),
        tuple(vec![tuple(vec![])]),
        tuple(vec![data, int(index as i64)]),
    ]))
}

fn tee_setstate(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (t, state) = setstate_of::<Tee>(vm, a)?;
    let items = state_items(vm, state, 2, 2)?;
    state_item_of::<TeeData>(vm, &items[0], 1, "itertools._tee_dataobject")?;
    let index = int_arg(vm, Some(&items[1]), 0)?;
    let index = match usize::try_from(index) {
        Ok(i) if i <= LINKCELLS => i,
        _ => return Err(vm.value_error("Index out of range")),
    };
    let old =
        t.st.with(|st| std::mem::replace(st, (items[0].clone(), index)));
    drop(old);
    Ok(Value::none())
}

/// `_tee_dataobject(source, values read, next block or None)`.
fn teedata_reduce(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (s, d) = reduce_of::<TeeData>(vm, a)?;
    let (values, next) = d.st.with(|st| (st.values.clone(), st.next.clone()));
    Ok(tuple(vec![
        s.type_of(),
        tuple(vec![
            d.it.clone(),
            ListObj::new_value(values),
            or_none(next),
        ]),
    ]))
}

/// `_tee_dataobject(iterable, values, next)`, checked as CPython checks it: at most
/// LINKCELLS values, and a next block (a `_tee_dataobject`) only after a full one.
pub(super) fn teedata_new(vm: &mut Vm, cls: &Value, a: &Args) -> PyResult<Value> {
    let p = unpack(vm, "teedataobject", a, 3, 3)?;
    let Some(values) = p[1].downcast::<ListObj>() else {
        let tn = p[1].type_data().name.clone();
        return Err(vm.type_error(format!("teedataobject() argument 2 must be list, not {tn}")));
    };
    let values = values.snapshot();
    let next = &p[2];
    let next_ok = if next.is_none() {
        true
    } else {
        values.len() == LINKCELLS && next.downcast_exact::<TeeData>().is_some()
    };
    if values.len() > LINKCELLS || !next_ok {
        return Err(vm.value_error("Invalid arguments"));
    }
    let next = if next.is_none() {
        Value::NULL
    } else {
        next.clone()
    };
    Ok(native::alloc(
        cls,
        TeeData {
            it: p[0].clone(),
            st: ObjCell::new(TeeDataState {
                values,
                next,
                running: false,
            }),
        },
    ))
}

// ---- zip_longest -------------------------------------------------------------------

/// `zip_longest(*iterators)` (an exhausted one as `()`) with the fill value as state.
fn ziplongest_reduce(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (s, z) = reduce_of::<ZipLongest>(vm, a)?;
    let its = z.st.with(|st| st.0.clone());
    let args = its
        .into_iter()
        .map(|it| if it.is_null() { tuple(vec![]) } else { it })
        .collect();
    Ok(tuple(vec![
        s.type_of(),
        tuple(args),
        z.fill.with(|f| f.clone()),
    ]))
}

fn ziplongest_setstate(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (z, state) = setstate_of::<ZipLongest>(vm, a)?;
    let old = z.fill.with(|f| std::mem::replace(f, state.clone()));
    drop(old);
    Ok(Value::none())
}

// ---- combinatorics -----------------------------------------------------------------

/// The pools as the tuples CPython keeps.
fn pools_of(c: &Combo) -> Vec<Value> {
    c.pools.iter().map(|p| tuple(p.clone())).collect()
}

/// `product(*pools)`, with the indices as state once started (`product(())` once
/// exhausted).
fn product_reduce(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (s, p) = reduce_of::<Product>(vm, a)?;
    let cls = s.type_of();
    Ok(p.0.with(|c| {
        if c.stopped {
            tuple(vec![cls, tuple(vec![tuple(vec![])])])
        } else if c.first {
            tuple(vec![cls, tuple(pools_of(c))])
        } else {
            tuple(vec![
                cls,
                tuple(pools_of(c)),
                ints(c.indices.iter().copied()),
            ])
        }
    }))
}

fn product_setstate(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (p, state) = setstate_of::<Product>(vm, a)?;
    let n = p.0.with(|c| c.pools.len());
    let indices = state_indices(vm, state, n)?;
    p.0.with(|c| {
        for (i, index) in indices.into_iter().enumerate() {
            let size = c.pools[i].len();
            if size == 0 {
                c.stopped = true;
                return;
            }
            c.indices[i] = index.clamp(0, size as i64 - 1) as usize;
        }
        c.first = false;
    });
    Ok(Value::none())
}

/// The `__reduce__` shared by permutations, combinations and
/// combinations_with_replacement: `type(pool, r)` until started, `type((), r)` once
/// exhausted, else that with the state `state(combo)`.
fn combo_reduce(s: &Value, cell: &ObjCell<Combo>, state: fn(&Combo) -> Value) -> Value {
    let cls = s.type_of();
    cell.with(|c| {
        let r = int(c.r as i64);
        if c.first {
            tuple(vec![cls, tuple(vec![tuple(c.pools[0].clone()), r])])
        } else if c.stopped {
            tuple(vec![cls, tuple(vec![tuple(vec![]), r])])
        } else {
            tuple(vec![
                cls,
                tuple(vec![tuple(c.pools[0].clone()), r]),
                state(c),
            ])
        }
    })
}

fn permutations_reduce(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (s, p) = reduce_of::<Permutations>(vm, a)?;
    Ok(combo_reduce(s, &p.0, |c| {
        tuple(vec![
            ints(c.indices.iter().copied()),
            ints(c.cycles.iter().copied()),
        ])
    }))
}

/// `(indices, cycles)`: tuples of the pool's length and of r, clamped to what the
/// algorithm can reach.
fn permutations_setstate(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (p, state) = setstate_of::<Permutations>(vm, a)?;
    let items = state_items(vm, state, 2, 2)?;
    let given = state_item_of::<TupleObj>(vm, &items[0], 1, "tuple")?
        .items
        .len();
    let given_cycles = state_item_of::<TupleObj>(vm, &items[1], 2, "tuple")?
        .items
        .len();
    let (n, r) = p.0.with(|c| (c.pools[0].len(), c.r));
    if given != n || given_cycles != r {
        return Err(vm.value_error("invalid arguments"));
    }
    let indices = state_indices(vm, &items[0], n)?;
    let cycles = state_indices(vm, &items[1], r)?;
    p.0.with(|c| {
        c.indices = indices
            .iter()
            .map(|i| (*i).clamp(0, n.saturating_sub(1) as i64) as usize)
            .collect();
        c.cycles = cycles
            .iter()
            .enumerate()
            .map(|(i, k)| {
                let hi = n as i64 - i as i64;
                let k = if *k < 1 { 1 } else { (*k).min(hi) };
                k.max(0) as usize
            })
            .collect();
        c.first = false;
    });
    Ok(Value::none())
}

fn combinations_reduce(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (s, p) = reduce_of::<Combinations>(vm, a)?;
    Ok(combo_reduce(s, &p.0, |c| ints(c.indices.iter().copied())))
}

/// r indices, index i clamped to `0..=i + n - r`.
fn combinations_setstate(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (p, state) = setstate_of::<Combinations>(vm, a)?;
    let (n, r) = p.0.with(|c| (c.pools[0].len() as i64, c.r));
    let indices = state_indices(vm, state, r)?;
    p.0.with(|c| {
        for (i, index) in indices.into_iter().enumerate() {
            let max = i as i64 + n - r as i64;
            c.indices[i] = index.min(max).max(0) as usize;
        }
        c.first = false;
    });
    Ok(Value::none())
}

fn cwr_reduce(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (s, p) = reduce_of::<Cwr>(vm, a)?;
    Ok(combo_reduce(s, &p.0, |c| ints(c.indices.iter().copied())))
}

/// r indices, each clamped to the pool.
fn cwr_setstate(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (p, state) = setstate_of::<Cwr>(vm, a)?;
    let (n, r) = p.0.with(|c| (c.pools[0].len() as i64, c.r));
    let indices = state_indices(vm, state, r)?;
    p.0.with(|c| {
        for (i, index) in indices.into_iter().enumerate() {
            c.indices[i] = index.min(n - 1).max(0) as usize;
        }
        c.first = false;
    });
    Ok(Value::none())
}
