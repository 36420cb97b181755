//! Iteration: `iter()`, `next()`, collecting, unpacking, and generator sending.
use crate::types::class::Kind;
use crate::types::dict::DictObj;
use crate::types::generator::GenObj;
use crate::types::iter::{IterObj, IterState};
use crate::types::list::ListObj;
use crate::types::range::RangeObj;
use crate::types::str::StrObj;
use crate::types::tuple::TupleObj;
use crate::value::Value;
use crate::vm::{PyResult, Vm, lookup_special};
use crate::world::types;

pub fn is_generator(v: &Value) -> bool {
    let t = v.type_raw();
    t == types().generator || t == types().coroutine
}

pub fn get_iter(vm: &mut Vm, v: &Value) -> PyResult<Value> {
    if let Some(f) = crate::vm::subclass_override(v, "__iter__") {
        return vm.call(&f, std::slice::from_ref(v));
    }
    get_iter_base(vm, v)
}

/// `iter()` with the builtin types' own behaviour.
pub fn get_iter_base(vm: &mut Vm, v: &Value) -> PyResult<Value> {
    // Instances of Python classes (the iterables of most programs: trees, linked
    // structures) skip the builtin payload tests below.
    let td = v.type_data();
    if td.kind == Kind::Object && td.native.is_none() {
        return iter_by_protocol(vm, v);
    }
    let t = types();
    let (ty, state) = if v.downcast::<ListObj>().is_some() {
        (
            t.list_iterator,
            IterState::Seq {
                seq: v.clone(),
                i: 0,
            },
        )
    } else if v.downcast::<TupleObj>().is_some() {
        (
            t.tuple_iterator,
            IterState::Seq {
                seq: v.clone(),
                i: 0,
            },
        )
    } else if let Some(r) = v.downcast::<RangeObj>() {
        if let Some(b) = &r.big {
            return Ok(crate::types::range::big_iter(b));
        }
        (t.range_iterator, range_state(r.start, r.step, r.len()))
    } else if let Some(st) = v.downcast::<StrObj>() {
        let ty = if st.nchars == st.s.len() {
            t.str_ascii_iterator
        } else {
            t.str_iterator
        };
        (
            ty,
            IterState::Str {
                s: v.clone(),
                byte: 0,
            },
        )
    } else if let Some(d) = v.downcast::<DictObj>() {
        let state = IterState::Dict {
            dict: v.clone(),
            pos: 0,
            kind: 0,
            len: d.len(),
        };
        (t.dict_keyiterator, state)
    } else if let Some(s) = crate::types::set::as_set(v) {
        let state = IterState::Set {
            set: v.clone(),
            pos: 0,
            len: s.len(),
        };
        (t.set_iterator, state)
    } else if let Some(dv) = crate::types::misc::as_dict_view(v) {
        let kind = dv.kind(v);
        let len = dv.len();
        let ty = [
            t.dict_keyiterator,
            t.dict_valueiterator,
            t.dict_itemiterator,
        ][kind as usize];
        let state = IterState::Dict {
            dict: dv.dict.clone(),
            pos: 0,
            kind,
            len,
        };
        (ty, state)
    } else if v.downcast::<crate::types::bytes::BytesObj>().is_some() {
        (
            t.bytes_iterator,
            IterState::Bytes {
                seq: v.clone(),
                i: 0,
            },
        )
    } else if v.downcast::<crate::types::bytes::ByteArrayObj>().is_some() {
        (
            t.bytearray_iterator,
            IterState::Bytes {
                seq: v.clone(),
                i: 0,
            },
        )
    } else if v.downcast::<IterObj>().is_some()
        || v.type_raw() == types().generator
        || crate::builtins::async_generators::is_awaitable_iter(v)
        || crate::types::native::iternext_slot(v).is_some()
            && !(v.type_data().is_heap && v.type_data().lookup_user("__iter__").is_some())
    {
        return Ok(v.clone());
    } else {
        return iter_by_protocol(vm, v);
    };
    Ok(IterObj::new_value(ty, state))
}

/// The state of a range iterator from `start` by `step`, `len` items.
pub fn range_state(start: i64, step: i64, len: i64) -> IterState {
    IterState::Range {
        cur: start,
        step,
        left: len,
        len,
    }
}

/// `iter(v)` through `type(v).__iter__`, else the sequence protocol (`__getitem__`).
fn iter_by_protocol(vm: &mut Vm, v: &Value) -> PyResult<Value> {
    if let Some(f) = lookup_special(v, "__iter__") {
        let it = vm.call(&f, std::slice::from_ref(v))?;
        if !is_generator(&it)
            && it.downcast::<IterObj>().is_none()
            && crate::types::native::iternext_slot(&it).is_none()
            && lookup_special(&it, "__next__").is_none()
        {
            let tn = it.type_data().name.clone();
            return Err(vm.type_error(format!("iter() returned non-iterator of type '{tn}'")));
        }
        return Ok(it);
    }
    if lookup_special(v, "__getitem__").is_some() {
        return Ok(IterObj::new_value(
            types().iterator,
            IterState::GetItem {
                obj: v.clone(),
                i: 0,
            },
        ));
    }
    let tn = v.type_data().name.clone();
    Err(vm.type_error(format!("'{tn}' object is not iterable")))
}

/// Advance iterators that need no Python code. Some(None) = exhausted; None = slow path.
#[inline]
pub fn iter_next_fast(s: &mut IterState) -> Option<Option<Value>> {
    match s {
        IterState::Range {
            cur, step, left, ..
        } => {
            if *left <= 0 {
                return Some(None);
            }
            let v = *cur;
            // Past the last item the next value may not fit an i64 (range near the
            // i64 limits); it is never read then.
            *cur = cur.wrapping_add(*step);
            *left -= 1;
            Some(Some(Value::int(v)))
        }
        IterState::Seq { seq, i } => {
            let item = if let Some(l) = seq.downcast::<ListObj>() {
                l.get(*i)
            } else if let Some(t) = seq.downcast::<TupleObj>() {
                t.items.get(*i).cloned()
            } else {
                None
            };
            match item {
                Some(v) => {
                    *i += 1;
                    Some(Some(v))
                }
                None => {
                    *s = IterState::Exhausted;
                    Some(None)
                }
            }
        }
        IterState::Set { set, pos, len } => {
            // A changed size is the slow path's RuntimeError.
            let r = crate::types::set::as_set(set)?.d.read(|d| {
                if d.used != *len {
                    return None;
                }
                while let Some(e) = d.table.get(*pos) {
                    *pos += 1;
                    if !e.key.is_null() {
                        return Some(Some(e.key.clone()));
                    }
                }
                Some(None)
            });
            if let Some(None) = r {
                *s = IterState::Exhausted;
            }
            r
        }
        IterState::Dict {
            dict,
            pos,
            kind,
            len,
        } => {
            // A changed size is the slow path's RuntimeError.
            let d = dict.downcast::<DictObj>()?;
            let r =
                d.d.read(|dd| (dd.used == *len).then(|| dd.next_entry(*pos)))?;
            match r {
                Some((np, k, v)) => {
                    *pos = np;
                    Some(Some(match *kind {
                        0 => k,
                        1 => v,
                        _ => TupleObj::from_items([k, v]),
                    }))
                }
                None => {
                    *s = IterState::Exhausted;
                    Some(None)
                }
            }
        }
        IterState::Str { s: sv, byte } => {
            let st = sv.downcast::<StrObj>()?;
            match st.s[*byte..].chars().next() {
                Some(c) => {
                    *byte += c.len_utf8();
                    if st.surrogates {
                        return Some(Some(crate::types::str::new_string_flagged(
                            c.to_string(),
                            true,
                        )));
                    }
                    let mut buf = [0u8; 4];
                    Some(Some(crate::types::str::new_str(c.encode_utf8(&mut buf))))
                }
                None => {
                    *s = IterState::Exhausted;
                    Some(None)
                }
            }
        }
        IterState::Bytes { seq, i } => {
            match crate::types::bytes::with_bytes(seq, |d| d.get(*i).copied())? {
                Some(b) => {
                    *i += 1;
                    Some(Some(Value::int(b as i64)))
                }
                None => {
                    *s = IterState::Exhausted;
                    Some(None)
                }
            }
        }
        // `enumerate` and `zip` over builtin iterators that need no Python code either
        // advance those under this iterator's lock: no state taken out and put back,
        // no call. Lock order follows construction (an iterator's inner iterators
        // exist before it), so nesting the locks cannot deadlock.
        IterState::Enumerate { it, n } => {
            let i = n.as_small_int()?;
            let next_n = Value::int(i.checked_add(1)?);
            let inner = it.downcast_exact::<IterObj>()?;
            match inner.state.with(iter_next_fast)? {
                Some(v) => {
                    *n = next_n;
                    Some(Some(TupleObj::pair(Value::int(i), v)))
                }
                // Asked again next time, as CPython's enumerate does.
                None => Some(None),
            }
        }
        IterState::Zip { its, strict: false } if !its.is_empty() => {
            // Only inner iterators whose fast path always answers, so that none is
            // advanced unless all are.
            let simple = |it: &Value| {
                it.downcast_exact::<IterObj>().is_some_and(|io| {
                    io.state.read(|s| {
                        matches!(
                            s,
                            IterState::Range { .. } | IterState::Seq { .. } | IterState::Exhausted
                        )
                    })
                })
            };
            if !its.iter().all(simple) {
                return None;
            }
            let mut out = crate::types::tuple::TupleItems::new();
            for it in its.iter() {
                let io = it.downcast_exact::<IterObj>()?;
                match io.state.with(iter_next_fast)? {
                    Some(v) => out.push(v),
                    None => return Some(None),
                }
            }
            Some(Some(TupleObj::of(out)))
        }
        IterState::Exhausted => Some(None),
        _ => None,
    }
}

/// `next(it)`: Ok(None) when exhausted.
pub fn next(vm: &mut Vm, it: &Value) -> PyResult<Option<Value>> {
    if let Some(io) = it.downcast_exact::<IterObj>() {
        if let Some(r) = io.state.with(iter_next_fast) {
            return Ok(r);
        }
        return next_slow(vm, io);
    }
    // A Python subclass of `map`, `zip`, ... iterates as its base unless it overrides
    // `__next__`.
    if it.is_ptr()
        && it.type_data().kind == Kind::Iter
        && crate::vm::subclass_override(it, "__next__").is_none()
        && let Some(io) = it.downcast::<IterObj>()
    {
        return next_iter_obj(vm, io);
    }
    if it.is_ptr()
        && let Some(f) = crate::types::native::iternext_slot(it)
    {
        return f(vm, it);
    }
    if is_generator(it) {
        return match vm.gen_resume(it, Value::none(), None) {
            Ok((v, true)) => Ok(Some(v)),
            Ok((_, false)) => Ok(None),
            Err(e) => Err(e),
        };
    }
    if let Some(r) = crate::builtins::async_generators::send(vm, it, Value::NULL) {
        return r.map(|(v, yielded)| yielded.then_some(v));
    }
    if let Some(f) = lookup_special(it, "__next__") {
        // A bound builtin method stored in the class (`__next__ = gen.__next__`, as
        // ElementTree's iterparse does) is no descriptor: `lookup_special` made it a
        // callable that drops the receiver.
        return match vm.call(&f, std::slice::from_ref(it)) {
            Ok(v) => Ok(Some(v)),
            Err(e) if vm.err_matches(&e, types().stop_iteration) => Ok(None),
            Err(e) => Err(e),
        };
    }
    let tn = it.type_data().name.clone();
    Err(vm.type_error(format!("'{tn}' object is not an iterator")))
}

/// The next item of a builtin iterator's payload (what its `__next__` does, and `next`
/// of a Python subclass's instance).
pub fn next_iter_obj(vm: &mut Vm, io: &IterObj) -> PyResult<Option<Value>> {
    if let Some(r) = io.state.with(iter_next_fast) {
        return Ok(r);
    }
    next_slow(vm, io)
}

/// Inlined into `next` (the generic FOR_ITER's path) as it was when it had one caller.
#[inline(always)]
fn next_slow(vm: &mut Vm, io: &IterObj) -> PyResult<Option<Value>> {
    // Take the state out so Python code run below cannot alias it.
    let mut st = io
        .state
        .with(|s| std::mem::replace(s, IterState::Exhausted));
    let r = advance(vm, &mut st);
    // `map`, `filter`, `zip` and `enumerate` ask their iterators again on every call
    // (and keep them for `__reduce__`), as CPython's do; the others stay exhausted once
    // they end. After an error all keep their state (a dict that changed size raises
    // again, as CPython's sticky `di_used`).
    let keep = matches!(
        st,
        IterState::Enumerate { .. }
            | IterState::Zip { .. }
            | IterState::Map { .. }
            | IterState::Filter { .. }
    );
    if keep || !matches!(r, Ok(None)) {
        io.state.with(|s| *s = st);
    }
    r
}

/// Inlined (as `next_slow`) into `next`, as when it had one caller: `enumerate` and
/// `zip` loops are slower through a call.
#[inline(always)]
fn advance(vm: &mut Vm, st: &mut IterState) -> PyResult<Option<Value>> {
    match st {
        IterState::Dict {
            dict,
            pos,
            kind,
            len,
        } => {
            let Some(d) = dict.downcast::<DictObj>() else {
                return Ok(None);
            };
            if d.len() != *len {
                *len = usize::MAX;
                return Err(vm.runtime_error("dictionary changed size during iteration"));
            }
            match d.d.with(|dd| dd.next_entry(*pos)) {
                Some((np, k, v)) => {
                    *pos = np;
                    Ok(Some(match kind {
                        0 => k,
                        1 => v,
                        _ => TupleObj::from_items([k, v]),
                    }))
                }
                None => Ok(None),
            }
        }
        IterState::Set { set, pos, len } => {
            let Some(s) = crate::types::set::as_set(set) else {
                return Ok(None);
            };
            if s.len() != *len {
                return Err(vm.runtime_error("Set changed size during iteration"));
            }
            let r = s.d.with(|d| {
                while *pos < d.table.len() {
                    let e = &d.table[*pos];
                    *pos += 1;
                    if !e.key.is_null() {
                        return Some(e.key.clone());
                    }
                }
                None
            });
            Ok(r)
        }
        IterState::Enumerate { it, n } => match next(vm, it)? {
            Some(v) => {
                let i = n.clone();
                *n = match n.as_small_int().and_then(|i| i.checked_add(1)) {
                    Some(j) => Value::int(j),
                    None => super::binary_op(vm, n, &Value::int(1), crate::instructions::NB_ADD)?,
                };
                Ok(Some(TupleObj::pair(i, v)))
            }
            None => Ok(None),
        },
        IterState::Zip { its, .. } if its.is_empty() => Ok(None),
        IterState::Zip { its, strict } => {
            let mut out = crate::types::tuple::TupleItems::new();
            for (k, it) in its.iter().enumerate() {
                match next(vm, it)? {
                    Some(v) => out.push(v),
                    None => {
                        if *strict && (k > 0 || its[1..].iter().any(|_| true)) {
                            if k > 0 {
                                return Err(vm.value_error(format!(
                                    "zip() argument {} is shorter than argument{} {}",
                                    k + 1,
                                    if k == 1 { "" } else { "s" },
                                    if k == 1 {
                                        "1".to_string()
                                    } else {
                                        format!("1-{k}")
                                    }
                                )));
                            }
                            for (j, other) in its[1..].iter().enumerate() {
                                if next(vm, other)?.is_some() {
                                    return Err(vm.value_error(format!(
                                        "zip() argument {} is longer than argument{} {}",
                                        j + 2,
                                        if j == 0 { "" } else { "s" },
                                        if j == 0 {
                                            "1".to_string()
                                        } else {
                                            format!("1-{}", j + 1)
                                        }
                                    )));
                                }
                            }
                        }
                        return Ok(None);
                    }
                }
            }
            Ok(Some(TupleObj::of(out)))
        }
        IterState::Map { f, its } => {
            let mut args = Vec::with_capacity(its.len());
            for it in its.iter() {
                match next(vm, it)? {
                    Some(v) => args.push(v),
                    None => return Ok(None),
                }
            }
            let f = f.clone();
            vm.call(&f, &args).map(Some)
        }
        IterState::Filter { f, it } => loop {
            let Some(v) = next(vm, it)? else {
                return Ok(None);
            };
            let keep = if f.is_none() {
                super::truthy(vm, &v)?
            } else {
                let f = f.clone();
                let r = vm.call(&f, std::slice::from_ref(&v))?;
                super::truthy(vm, &r)?
            };
            if keep {
                return Ok(Some(v));
            }
        },
        IterState::Reversed { seq, i } => {
            if *i < 0 {
                return Ok(None);
            }
            let idx = *i as usize;
            *i -= 1;
            if let Some(items) = super::seq_items_fast(seq) {
                let item = items.get(idx).cloned();
                if item.is_none() {
                    *i = -1;
                }
                return Ok(item);
            }
            if let Some(s) = seq.downcast::<StrObj>() {
                return Ok(Some(crate::types::str::char_str(
                    s.char_at(idx),
                    s.surrogates,
                )));
            }
            if let Some(r) = seq.downcast::<RangeObj>()
                && r.big.is_none()
            {
                return Ok(Some(Value::int(r.item(idx as i64))));
            }
            let seq = seq.clone();
            match super::getitem(vm, &seq, &Value::int(idx as i64)) {
                // The sequence shrank: the iterator ends (as CPython's `reversed`).
                Err(e)
                    if vm.err_matches(&e, crate::world::types().index_error)
                        || vm.err_matches(&e, crate::world::types().stop_iteration) =>
                {
                    *i = -1;
                    Ok(None)
                }
                r => r.map(Some),
            }
        }
        IterState::GetItem { obj, i } => {
            let obj2 = obj.clone();
            match super::getitem(vm, &obj2, &Value::int(*i)) {
                Ok(v) => {
                    *i += 1;
                    Ok(Some(v))
                }
                Err(e)
                    if vm.err_matches(&e, types().index_error)
                        || vm.err_matches(&e, types().stop_iteration) =>
                {
                    Ok(None)
                }
                Err(e) => Err(e),
            }
        }
        IterState::Callable { f, sentinel } => {
            let f = f.clone();
            let v = vm.call(&f, &[])?;
            if vm.eq(&v, sentinel)? {
                Ok(None)
            } else {
                Ok(Some(v))
            }
        }
        other => Ok(iter_next_fast(other).flatten()),
    }
}

/// The capacity `collect` starts with for an iterable that is not a list or tuple.
const COLLECT_GUESS: usize = 8;

/// All items of an iterable.
pub fn collect(vm: &mut Vm, v: &Value) -> PyResult<Vec<Value>> {
    if let Some(items) = super::seq_items_fast(v) {
        return Ok(items);
    }
    let it = get_iter(vm, v)?;
    // As CPython's `list(iterable)` guesses 8 items when there is no length hint: the
    // short generators of `tuple(x for ...)` fill one allocation, not three.
    let mut out = Vec::with_capacity(COLLECT_GUESS);
    loop {
        let x = next_not_taken(vm, &it, &mut |x| {
            out.push(x);
            None
        })?;
        match x {
            Some(x) => out.push(x),
            None => return Ok(out),
        }
    }
}

/// The next item of iterator `it` that `sink` did not take (None: exhausted). An
/// exact generator runs on in one loop entry while `sink` takes what it yields
/// (`Vm::gen_next_draining`: `sink` must run no Python code, as the generator is
/// still running when it sees an item); any other iterator is `next`.
pub fn next_not_taken(
    vm: &mut Vm,
    it: &Value,
    sink: &mut crate::vm::DrainSink<'_>,
) -> PyResult<Option<Value>> {
    if it.type_raw() == types().generator {
        return vm.gen_next_draining(it, sink);
    }
    next(vm, it)
}

/// Unpack for assignment: exactly `n` items, or with `after` set, `n` before a starred
/// list and `after` items after it.
pub fn unpack(vm: &mut Vm, seq: &Value, n: usize, after: Option<usize>) -> PyResult<Vec<Value>> {
    let items = match super::seq_items_fast(seq) {
        Some(i) => i,
        None => {
            let it = match get_iter(vm, seq) {
                Ok(it) => it,
                // As CPython: only an object that is no iterable at all gets this
                // message; errors raised by its `__iter__` pass through.
                Err(e)
                    if vm.err_matches(&e, types().type_error)
                        && lookup_special(seq, "__iter__").is_none()
                        && lookup_special(seq, "__getitem__").is_none() =>
                {
                    let tn = seq.type_data().name.clone();
                    return Err(vm.type_error(format!("cannot unpack non-iterable {tn} object")));
                }
                Err(e) => return Err(e),
            };
            let mut out = Vec::with_capacity(COLLECT_GUESS);
            while let Some(x) = next(vm, &it)? {
                out.push(x);
            }
            out
        }
    };
    match after {
        None => {
            if items.len() < n {
                return Err(vm.value_error(format!(
                    "not enough values to unpack (expected {n}, got {})",
                    items.len()
                )));
            }
            if items.len() > n {
                return Err(vm.value_error(format!("too many values to unpack (expected {n})")));
            }
            Ok(items)
        }
        Some(a) => {
            if items.len() < n + a {
                return Err(vm.value_error(format!(
                    "not enough values to unpack (expected at least {}, got {})",
                    n + a,
                    items.len()
                )));
            }
            let mut out = Vec::with_capacity(n + a + 1);
            out.extend(items[..n].iter().cloned());
            out.push(ListObj::new_value(items[n..items.len() - a].to_vec()));
            out.extend(items[items.len() - a..].iter().cloned());
            Ok(out)
        }
    }
}

/// SEND: (yielded, true) or (return value, false).
pub fn send(vm: &mut Vm, recv: &Value, v: Value) -> PyResult<(Value, bool)> {
    if is_generator(recv) {
        return vm.gen_resume(recv, v, None);
    }
    if let Some(r) = crate::modules::asyncio::send(vm, recv) {
        return r;
    }
    if let Some(r) = crate::builtins::async_generators::send(vm, recv, v.clone()) {
        return r;
    }
    if v.is_none() {
        return match next(vm, recv)? {
            Some(y) => Ok((y, true)),
            None => Ok((Value::none(), false)),
        };
    }
    let f = super::getattr_str(vm, recv, "send")?;
    match vm.call(&f, &[v]) {
        Ok(y) => Ok((y, true)),
        Err(e) if vm.err_matches(&e, types().stop_iteration) => {
            let val = crate::vm::exc_data(&e.exc)
                .map(|d| d.with(|d| d.value.clone()))
                .unwrap_or(Value::NULL);
            Ok((if val.is_null() { Value::none() } else { val }, false))
        }
        Err(e) => Err(e),
    }
}

/// `async for`: `type(v).__aiter__(v)`, which must give an object with `__anext__`.
pub fn get_aiter(vm: &mut Vm, v: &Value) -> PyResult<Value> {
    if v.type_raw() == types().async_generator {
        return Ok(v.clone());
    }
    let it = match lookup_special(v, "__aiter__") {
        Some(f) => vm.call(&f, std::slice::from_ref(v))?,
        None => {
            let tn = v.type_data().name.clone();
            return Err(vm.type_error(format!(
                "'async for' requires an object with __aiter__ method, got {tn}"
            )));
        }
    };
    if it.type_raw() != types().async_generator && lookup_special(&it, "__anext__").is_none() {
        let tn = it.type_data().name.clone();
        return Err(vm.type_error(format!(
            "'async for' received an object from __aiter__ that does not implement __anext__: {tn}"
        )));
    }
    Ok(it)
}

/// `async for`: the awaitable of `type(it).__anext__(it)` (GET_ANEXT).
pub fn get_anext(vm: &mut Vm, it: &Value) -> PyResult<Value> {
    if it.type_raw() == types().async_generator {
        return crate::builtins::async_generators::anext(vm, it);
    }
    let next = match lookup_special(it, "__anext__") {
        Some(f) => vm.call(&f, std::slice::from_ref(it))?,
        None => {
            let tn = it.type_data().name.clone();
            return Err(vm.type_error(format!(
                "'async for' requires an iterator with __anext__ method, got {tn}"
            )));
        }
    };
    match awaitable_iter(vm, &next) {
        Ok(aw) => Ok(aw),
        Err(e) => {
            let tn = next.type_data().name.clone();
            let new = vm.type_error(format!(
                "'async for' received an invalid object from __anext__: {tn}"
            ));
            if let Some(d) = crate::vm::exc_data(&new.exc) {
                d.with(|d| {
                    d.cause = e.exc.clone();
                    d.context = e.exc.clone();
                });
            }
            Err(new)
        }
    }
}

/// GET_AWAITABLE: the iterator an `await` drives. `where_` says what is awaited:
/// 0 an `await` expression, 1 `__aenter__`'s result, 2 `__aexit__`'s (for the
/// messages of `async with`).
pub fn get_awaitable(vm: &mut Vm, v: &Value, where_: u32) -> PyResult<Value> {
    let it = match awaitable_iter(vm, v) {
        Ok(it) => it,
        Err(e) => {
            if where_ != 0 && !is_coroutine_like(v) && lookup_special(v, "__await__").is_none() {
                let tn = v.type_data().name.clone();
                let from = if where_ == 1 {
                    "__aenter__"
                } else {
                    "__aexit__"
                };
                return Err(vm.type_error(format!(
                    "'async with' received an object from {from} that does not implement __await__: {tn}"
                )));
            }
            return Err(e);
        }
    };
    if it.type_raw() == types().coroutine
        && gen_of(&it).is_some_and(|g| crate::builtins::generators::delegate(g).is_some())
    {
        return Err(vm.runtime_error("coroutine is being awaited already"));
    }
    Ok(it)
}

/// A coroutine, or a generator-based coroutine (`@types.coroutine`: its code has
/// CO_ITERABLE_COROUTINE): awaited as it is.
fn is_coroutine_like(v: &Value) -> bool {
    v.type_raw() == types().coroutine
        || v.type_raw() == types().generator
            && gen_of(v).is_some_and(|g| crate::types::code::is_iterable_coroutine(&g.code))
}

/// Can `v` be driven by `next()`?
pub fn is_iterator(v: &Value) -> bool {
    v.downcast::<IterObj>().is_some()
        || v.type_raw() == types().generator
        || crate::builtins::async_generators::is_awaitable_iter(v)
        || crate::types::native::iternext_slot(v).is_some()
        || lookup_special(v, "__next__").is_some()
}

/// CPython's `_PyCoro_GetAwaitableIter`: the object itself for coroutines and the
/// builtin awaitables, else what `__await__` returns, which must be an iterator.
pub fn awaitable_iter(vm: &mut Vm, v: &Value) -> PyResult<Value> {
    if is_coroutine_like(v)
        || crate::builtins::async_generators::is_awaitable_iter(v)
            && v.type_raw() != types().coroutine_wrapper
    {
        return Ok(v.clone());
    }
    if let Some(it) = crate::modules::asyncio::await_iter(v) {
        return Ok(it);
    }
    if let Some(f) = lookup_special(v, "__await__") {
        let res = vm.call(&f, std::slice::from_ref(v))?;
        if is_coroutine_like(&res) {
            return Err(vm.type_error("__await__() returned a coroutine"));
        }
        if !is_iterator(&res) {
            let tn = res.type_data().name.clone();
            return Err(vm.type_error(format!("__await__() returned non-iterator of type '{tn}'")));
        }
        return Ok(res);
    }
    let tn = v.type_data().name.clone();
    Err(vm.type_error(format!("object {tn} can't be used in 'await' expression")))
}

pub fn gen_of(v: &Value) -> Option<&GenObj> {
    if is_generator(v) {
        // SAFETY: generator and coroutine objects carry a GenObj payload.
        Some(unsafe { v.payload_unchecked::<GenObj>() })
    } else {
        None
    }
}
