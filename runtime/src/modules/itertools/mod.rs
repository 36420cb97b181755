//! `itertools`: CPython 3.11's iterator building blocks as native types, lazy as
//! CPython's (each `next` does only the work of one item).
//!
//! Each type keeps its state in an `ObjCell`; state that a call into Python code
//! (an inner iterator's `__next__`, a predicate) must not alias is cloned out first and
//! written back after, so the cell is never held while Python code runs.
use crate::instructions::NB_ADD;
use crate::native_payload;
use crate::object::ObjCell;
use crate::ops;
use crate::types::class::Kind;
use crate::types::func::NativeFn;
use crate::types::native::{self, NativeType, downcast, new_type};
use crate::types::str::new_string;
use crate::types::tuple::TupleObj;
use crate::value::Value;
use crate::vm::{Args, PyResult, Vm};
use crate::world::types;

use super::native_args::{
    attr, bind, methods, module, no_kw_new, object_type, set, static_new, unpack, unpack_new,
};

mod pickle;

// ---- shared pieces ---------------------------------------------------------------

pub(crate) use crate::types::native::{iter_self, next_method};

/// Create an iterator type of this module with `__iter__`/`__next__`.
fn iter_type<T: 'static>(
    name: &str,
    table: &'static NativeType,
    cell: &std::sync::atomic::AtomicU64,
) -> Value {
    let t = new_type::<T>(name, "itertools", object_type(), Kind::Native, table, cell);
    methods(&t, &[("__iter__", iter_self), ("__next__", next_method)]);
    t
}

/// The payload of `it` as `T` (the slots are only called on their own type's objects).
fn me<'a, T: crate::value::PyPayload>(vm: &mut Vm, it: &'a Value) -> PyResult<&'a T> {
    match downcast::<T>(it) {
        Some(p) => Ok(p),
        None => Err(vm.type_error("wrong iterator type")),
    }
}

fn tuple(items: Vec<Value>) -> Value {
    TupleObj::new_value(items)
}

/// The `__new__` slot's class argument and the constructor's arguments.
macro_rules! new_method {
    ($name:ident, $slot:path, $payload:ty) => {
        fn $name(vm: &mut Vm, a: &Args) -> PyResult<Value> {
            let base = <$payload as crate::value::PyPayload>::class();
            let (cls, rest) = super::native_args::new_args(vm, a, base)?;
            $slot(vm, &cls, &rest)
        }
    };
}

// ---- count -----------------------------------------------------------------------

pub struct Count {
    /// (next value, step)
    st: ObjCell<(Value, Value)>,
    /// Made in CPython's "fast mode" (an int start that fits a `Py_ssize_t`, counted
    /// by an int step of 1): its values are plain ints, and until they reach
    /// `sys.maxsize` it pickles as `count(n)` (see `fast_count`).
    fast: bool,
}
native_payload!(Count, COUNT);
static COUNT_T: NativeType = NativeType {
    new: Some(count_new),
    iternext: Some(count_next),
    ..NativeType::of::<Count>()
};

fn is_number(v: &Value) -> bool {
    v.as_small_int().is_some()
        || v.is_float()
        || crate::types::int::as_int(v).is_some()
        || v.downcast::<crate::types::complex::ComplexObj>().is_some()
        || ["__index__", "__int__", "__float__", "__complex__"]
            .iter()
            .any(|n| crate::vm::lookup_special(v, n).is_some())
}

fn count_new(vm: &mut Vm, cls: &Value, a: &Args) -> PyResult<Value> {
    let b = bind(vm, "count", a, &["start", "step"], 0, 2)?;
    let start = b[0].cloned().unwrap_or_else(|| Value::int(0));
    let step = b[1].cloned().unwrap_or_else(|| Value::int(1));
    if !is_number(&start) || !is_number(&step) {
        return Err(vm.type_error("a number is required"));
    }
    let fast_start = crate::types::int::as_int(&start)
        .and_then(|i| i.to_i64())
        .filter(|_| is_int_one(&step));
    let (start, fast) = match fast_start {
        Some(n) => (Value::int(n), true),
        None => (start, false),
    };
    Ok(native::alloc(
        cls,
        Count {
            st: ObjCell::new((start, step)),
            fast,
        },
    ))
}

/// An int (or bool) equal to 1.
fn is_int_one(v: &Value) -> bool {
    crate::types::int::as_int(v).is_some_and(|i| i.to_i64() == Some(1))
}

/// The value of a count still in CPython's fast mode (below `sys.maxsize`).
fn fast_count(c: &Count, cur: &Value) -> Option<i64> {
    if !c.fast {
        return None;
    }
    cur.as_small_int()
        .or_else(|| crate::types::int::as_int(cur).and_then(|i| i.to_i64()))
        .filter(|n| *n < i64::MAX)
}

fn count_next(vm: &mut Vm, it: &Value) -> PyResult<Option<Value>> {
    let c = me::<Count>(vm, it)?;
    // Small ints: no Python arithmetic.
    let fast = c.st.with(|(cur, step)| {
        let (Some(x), Some(s)) = (cur.as_small_int(), step.as_small_int()) else {
            return None;
        };
        let n = x.checked_add(s).filter(|n| Value::int(*n).is_small_int())?;
        Some(std::mem::replace(cur, Value::int(n)))
    });
    if let Some(v) = fast {
        return Ok(Some(v));
    }
    let (cur, step) = c.st.with(|s| (s.0.clone(), s.1.clone()));
    let n = ops::binary_op(vm, &cur, &step, NB_ADD)?;
    c.st.with(|s| s.0 = n);
    Ok(Some(cur))
}

fn count_repr(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (s, _) = super::native_args::this(vm, "__repr__", a, 0, 0)?;
    let c = me::<Count>(vm, s)?;
    let (cur, step) = c.st.with(|s| (s.0.clone(), s.1.clone()));
    let name = super::native_args::type_name(s);
    let cr = ops::repr(vm, &cur)?;
    if is_int_one(&step) {
        return Ok(new_string(format!("{name}({cr})")));
    }
    let sr = ops::repr(vm, &step)?;
    Ok(new_string(format!("{name}({cr}, {sr})")))
}
new_method!(count_dunder_new, count_new, Count);

// ---- cycle -----------------------------------------------------------------------

pub struct Cycle {
    st: ObjCell<CycleState>,
}
struct CycleState {
    /// The source iterator, NULL once exhausted.
    it: Value,
    saved: Vec<Value>,
    index: usize,
    /// The source's items are already in `saved` (a cycle restored by `__setstate__`
    /// in mid-first pass): they are not saved again.
    firstpass: bool,
}
native_payload!(Cycle, CYCLE);
static CYCLE_T: NativeType = NativeType {
    new: Some(cycle_new),
    iternext: Some(cycle_next),
    ..NativeType::of::<Cycle>()
};

fn cycle_new(vm: &mut Vm, cls: &Value, a: &Args) -> PyResult<Value> {
    let p = unpack_new(vm, "cycle", cls, a, 1, 1)?;
    let it = ops::get_iter(vm, &p[0])?;
    Ok(native::alloc(
        cls,
        Cycle {
            st: ObjCell::new(CycleState {
                it,
                saved: Vec::new(),
                index: 0,
                firstpass: false,
            }),
        },
    ))
}

fn cycle_next(vm: &mut Vm, it: &Value) -> PyResult<Option<Value>> {
    let c = me::<Cycle>(vm, it)?;
    let src = c.st.with(|s| s.it.clone());
    if !src.is_null() {
        match ops::next(vm, &src)? {
            Some(v) => {
                c.st.with(|s| {
                    if !s.firstpass {
                        s.saved.push(v.clone())
                    }
                });
                return Ok(Some(v));
            }
            None => c.st.with(|s| s.it = Value::NULL),
        }
    }
    Ok(c.st.with(|s| {
        if s.saved.is_empty() {
            return None;
        }
        let v = s.saved[s.index].clone();
        s.index += 1;
        if s.index >= s.saved.len() {
            s.index = 0;
        }
        Some(v)
    }))
}
new_method!(cycle_dunder_new, cycle_new, Cycle);

// ---- repeat ----------------------------------------------------------------------

pub struct Repeat {
    obj: Value,
    /// Remaining repetitions, -1 for forever.
    cnt: ObjCell<i64>,
}
native_payload!(Repeat, REPEAT);
static REPEAT_T: NativeType = NativeType {
    new: Some(repeat_new),
    iternext: Some(repeat_next),
    ..NativeType::of::<Repeat>()
};

fn repeat_new(vm: &mut Vm, cls: &Value, a: &Args) -> PyResult<Value> {
    let b = bind(vm, "repeat", a, &["object", "times"], 1, 2)?;
    let cnt = match b[1] {
        Some(t) => ops::to_isize(vm, t)?.max(0),
        None => -1,
    };
    Ok(native::alloc(
        cls,
        Repeat {
            obj: b[0].cloned().unwrap_or_default(),
            cnt: ObjCell::new(cnt),
        },
    ))
}

fn repeat_next(vm: &mut Vm, it: &Value) -> PyResult<Option<Value>> {
    let r = me::<Repeat>(vm, it)?;
    let go = r.cnt.with(|c| match *c {
        0 => false,
        -1 => true,
        _ => {
            *c -= 1;
            true
        }
    });
    Ok(go.then(|| r.obj.clone()))
}

fn repeat_repr(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (s, _) = super::native_args::this(vm, "__repr__", a, 0, 0)?;
    let r = me::<Repeat>(vm, s)?;
    let name = super::native_args::type_name(s);
    let o = ops::repr(vm, &r.obj)?;
    let c = r.cnt.with(|c| *c);
    Ok(new_string(if c == -1 {
        format!("{name}({o})")
    } else {
        format!("{name}({o}, {c})")
    }))
}

fn repeat_length_hint(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (s, _) = super::native_args::this(vm, "__length_hint__", a, 0, 0)?;
    let r = me::<Repeat>(vm, s)?;
    match r.cnt.with(|c| *c) {
        -1 => Err(vm.type_error("len() of unsized object")),
        c => Ok(Value::int(c)),
    }
}
new_method!(repeat_dunder_new, repeat_new, Repeat);

// ---- accumulate ------------------------------------------------------------------

pub struct Accumulate {
    it: Value,
    func: Value,
    /// (running total or NULL, initial value still to yield or NULL)
    st: ObjCell<(Value, Value)>,
}
native_payload!(Accumulate, ACCUMULATE);
static ACCUMULATE_T: NativeType = NativeType {
    new: Some(accumulate_new),
    iternext: Some(accumulate_next),
    ..NativeType::of::<Accumulate>()
};

fn accumulate_new(vm: &mut Vm, cls: &Value, a: &Args) -> PyResult<Value> {
    let b = bind(vm, "accumulate", a, &["iterable", "func", "initial"], 1, 2)?;
    let it = ops::get_iter(vm, b[0].unwrap_or(&Value::NULL))?;
    let func = b[1].cloned().unwrap_or_else(Value::none);
    let initial = match b[2] {
        Some(v) if !v.is_none() => v.clone(),
        _ => Value::NULL,
    };
    Ok(native::alloc(
        cls,
        Accumulate {
            it,
            func,
            st: ObjCell::new((Value::NULL, initial)),
        },
    ))
}

fn accumulate_next(vm: &mut Vm, it: &Value) -> PyResult<Option<Value>> {
    let acc = me::<Accumulate>(vm, it)?;
    let init = acc.st.with(|s| std::mem::take(&mut s.1));
    if !init.is_null() {
        acc.st.with(|s| s.0 = init.clone());
        return Ok(Some(init));
    }
    let Some(v) = ops::next(vm, &acc.it)? else {
        return Ok(None);
    };
    let total = acc.st.with(|s| s.0.clone());
    let new = if total.is_null() {
        v
    } else if acc.func.is_none() {
        ops::binary_op(vm, &total, &v, NB_ADD)?
    } else {
        vm.call(&acc.func, &[total, v])?
    };
    acc.st.with(|s| s.0 = new.clone());
    Ok(Some(new))
}
new_method!(accumulate_dunder_new, accumulate_new, Accumulate);

// ---- chain -----------------------------------------------------------------------

pub struct Chain {
    /// (iterator over the iterables or NULL when done, current iterator or NULL)
    st: ObjCell<(Value, Value)>,
}
native_payload!(Chain, CHAIN);
static CHAIN_T: NativeType = NativeType {
    new: Some(chain_new),
    iternext: Some(chain_next),
    ..NativeType::of::<Chain>()
};

fn chain_new(vm: &mut Vm, cls: &Value, a: &Args) -> PyResult<Value> {
    no_kw_new(vm, "chain", cls, a)?;
    let src = ops::get_iter(vm, &tuple(a.pos().to_vec()))?;
    Ok(native::alloc(
        cls,
        Chain {
            st: ObjCell::new((src, Value::NULL)),
        },
    ))
}

fn chain_from_iterable(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let p = unpack(vm, "from_iterable", a, 2, 2)?;
    let src = ops::get_iter(vm, &p[1])?;
    Ok(native::alloc(
        &p[0],
        Chain {
            st: ObjCell::new((src, Value::NULL)),
        },
    ))
}

fn chain_next(vm: &mut Vm, it: &Value) -> PyResult<Option<Value>> {
    let c = me::<Chain>(vm, it)?;
    loop {
        let active = c.st.with(|s| s.1.clone());
        if !active.is_null() {
            if let Some(v) = ops::next(vm, &active)? {
                return Ok(Some(v));
            }
            c.st.with(|s| {
                if s.1.is(&active) {
                    s.1 = Value::NULL
                }
            });
        }
        let src = c.st.with(|s| s.0.clone());
        if src.is_null() {
            return Ok(None);
        }
        match ops::next(vm, &src)? {
            Some(iterable) => {
                let i = ops::get_iter(vm, &iterable)?;
                c.st.with(|s| s.1 = i);
            }
            None => {
                c.st.with(|s| s.0 = Value::NULL);
                return Ok(None);
            }
        }
    }
}
new_method!(chain_dunder_new, chain_new, Chain);

// ---- compress, dropwhile, takewhile, filterfalse, starmap ------------------------

/// The simple filters: one function (or data/selectors pair) over one iterator.
pub struct Filter {
    f: Value,
    it: Value,
    /// dropwhile: done dropping; takewhile: stopped.
    flag: ObjCell<bool>,
}

macro_rules! filter_type {
    ($payload:ident, $cell:ident, $table:ident, $new:ident, $next:ident, $dnew:ident) => {
        #[repr(transparent)]
        pub struct $payload(Filter);
        native_payload!($payload, $cell);
        static $table: NativeType = NativeType {
            new: Some($new),
            iternext: Some($next),
            ..NativeType::of::<$payload>()
        };
        new_method!($dnew, $new, $payload);
    };
}

filter_type!(
    Compress,
    COMPRESS,
    COMPRESS_T,
    compress_new,
    compress_next,
    compress_dnew
);
filter_type!(
    DropWhile,
    DROPWHILE,
    DROPWHILE_T,
    dropwhile_new,
    dropwhile_next,
    dropwhile_dnew
);
filter_type!(
    TakeWhile,
    TAKEWHILE,
    TAKEWHILE_T,
    takewhile_new,
    takewhile_next,
    takewhile_dnew
);
filter_type!(
    FilterFalse,
    FILTERFALSE,
    FILTERFALSE_T,
    filterfalse_new,
    filterfalse_next,
    filterfalse_dnew
);
filter_type!(
    StarMap,
    STARMAP,
    STARMAP_T,
    starmap_new,
    starmap_next,
    starmap_dnew
);

fn filter_of(f: Value, it: Value) -> Filter {
    Filter {
        f,
        it,
        flag: ObjCell::new(false),
    }
}

fn compress_new(vm: &mut Vm, cls: &Value, a: &Args) -> PyResult<Value> {
    let b = bind(vm, "compress", a, &["data", "selectors"], 2, 2)?;
    let data = ops::get_iter(vm, b[0].unwrap_or(&Value::NULL))?;
    let sel = ops::get_iter(vm, b[1].unwrap_or(&Value::NULL))?;
    // `f` holds the selectors iterator here.
    Ok(native::alloc(cls, Compress(filter_of(sel, data))))
}

fn compress_next(vm: &mut Vm, it: &Value) -> PyResult<Option<Value>> {
    let c = &me::<Compress>(vm, it)?.0;
    loop {
        let Some(d) = ops::next(vm, &c.it)? else {
            return Ok(None);
        };
        let Some(s) = ops::next(vm, &c.f)? else {
            return Ok(None);
        };
        if ops::truthy(vm, &s)? {
            return Ok(Some(d));
        }
    }
}

fn pred_iter(vm: &mut Vm, name: &str, cls: &Value, a: &Args) -> PyResult<Filter> {
    let p = unpack_new(vm, name, cls, a, 2, 2)?;
    let it = ops::get_iter(vm, &p[1])?;
    Ok(filter_of(p[0].clone(), it))
}

fn dropwhile_new(vm: &mut Vm, cls: &Value, a: &Args) -> PyResult<Value> {
    let f = pred_iter(vm, "dropwhile", cls, a)?;
    Ok(native::alloc(cls, DropWhile(f)))
}

fn dropwhile_next(vm: &mut Vm, it: &Value) -> PyResult<Option<Value>> {
    let d = &me::<DropWhile>(vm, it)?.0;
    loop {
        let Some(v) = ops::next(vm, &d.it)? else {
            return Ok(None);
        };
        if d.flag.with(|f| *f) {
            return Ok(Some(v));
        }
        let r = vm.call(&d.f, std::slice::from_ref(&v))?;
        if !ops::truthy(vm, &r)? {
            d.flag.with(|f| *f = true);
            return Ok(Some(v));
        }
    }
}

fn takewhile_new(vm: &mut Vm, cls: &Value, a: &Args) -> PyResult<Value> {
    let f = pred_iter(vm, "takewhile", cls, a)?;
    Ok(native::alloc(cls, TakeWhile(f)))
}

fn takewhile_next(vm: &mut Vm, it: &Value) -> PyResult<Option<Value>> {
    let t = &me::<TakeWhile>(vm, it)?.0;
    if t.flag.with(|f| *f) {
        return Ok(None);
    }
    let Some(v) = ops::next(vm, &t.it)? else {
        return Ok(None);
    };
    let r = vm.call(&t.f, std::slice::from_ref(&v))?;
    if ops::truthy(vm, &r)? {
        return Ok(Some(v));
    }
    t.flag.with(|f| *f = true);
    Ok(None)
}

fn filterfalse_new(vm: &mut Vm, cls: &Value, a: &Args) -> PyResult<Value> {
    let f = pred_iter(vm, "filterfalse", cls, a)?;
    Ok(native::alloc(cls, FilterFalse(f)))
}

fn filterfalse_next(vm: &mut Vm, it: &Value) -> PyResult<Option<Value>> {
    let t = &me::<FilterFalse>(vm, it)?.0;
    loop {
        let Some(v) = ops::next(vm, &t.it)? else {
            return Ok(None);
        };
        let keep = if t.f.is_none() {
            !ops::truthy(vm, &v)?
        } else {
            let r = vm.call(&t.f, std::slice::from_ref(&v))?;
            !ops::truthy(vm, &r)?
        };
        if keep {
            return Ok(Some(v));
        }
    }
}

fn starmap_new(vm: &mut Vm, cls: &Value, a: &Args) -> PyResult<Value> {
    let f = pred_iter(vm, "starmap", cls, a)?;
    Ok(native::alloc(cls, StarMap(f)))
}

fn starmap_next(vm: &mut Vm, it: &Value) -> PyResult<Option<Value>> {
    let s = &me::<StarMap>(vm, it)?.0;
    let Some(args) = ops::next(vm, &s.it)? else {
        return Ok(None);
    };
    let argv = match args.downcast::<TupleObj>() {
        Some(t) => t.items.to_vec(),
        None => match ops::collect(vm, &args) {
            Ok(v) => v,
            Err(e) if vm.err_matches(&e, types().type_error) => {
                let tn = args.type_data().name.clone();
                return Err(vm.type_error(format!("'{tn}' object is not iterable")));
            }
            Err(e) => return Err(e),
        },
    };
    vm.call(&s.f, &argv).map(Some)
}

// ---- groupby ---------------------------------------------------------------------

pub struct GroupBy {
    it: Value,
    keyfunc: Value,
    st: ObjCell<GroupState>,
}
struct GroupState {
    tgtkey: Value,
    currkey: Value,
    currvalue: Value,
    /// Which grouper is current: a grouper whose number differs is stale.
    generation: u64,
}
native_payload!(GroupBy, GROUPBY);
static GROUPBY_T: NativeType = NativeType {
    new: Some(groupby_new),
    iternext: Some(groupby_next),
    ..NativeType::of::<GroupBy>()
};

pub struct Grouper {
    parent: Value,
    tgtkey: Value,
    generation: u64,
}
native_payload!(Grouper, GROUPER);
static GROUPER_T: NativeType = NativeType {
    new: Some(grouper_new),
    iternext: Some(grouper_next),
    ..NativeType::of::<Grouper>()
};

fn groupby_new(vm: &mut Vm, cls: &Value, a: &Args) -> PyResult<Value> {
    let b = bind(vm, "groupby", a, &["iterable", "key"], 1, 2)?;
    let it = ops::get_iter(vm, b[0].unwrap_or(&Value::NULL))?;
    let keyfunc = b[1].cloned().unwrap_or_else(Value::none);
    Ok(native::alloc(
        cls,
        GroupBy {
            it,
            keyfunc,
            st: ObjCell::new(GroupState {
                tgtkey: Value::NULL,
                currkey: Value::NULL,
                currvalue: Value::NULL,
                generation: 0,
            }),
        },
    ))
}

/// Advance the underlying iterator: false when exhausted.
fn groupby_step(vm: &mut Vm, g: &GroupBy) -> PyResult<bool> {
    let Some(v) = ops::next(vm, &g.it)? else {
        return Ok(false);
    };
    let key = if g.keyfunc.is_none() {
        v.clone()
    } else {
        vm.call(&g.keyfunc, std::slice::from_ref(&v))?
    };
    let old = g.st.with(|s| {
        (
            std::mem::replace(&mut s.currvalue, v),
            std::mem::replace(&mut s.currkey, key),
        )
    });
    drop(old);
    Ok(true)
}

fn groupby_next(vm: &mut Vm, it: &Value) -> PyResult<Option<Value>> {
    let g = me::<GroupBy>(vm, it)?;
    g.st.with(|s| s.generation += 1);
    loop {
        let (tgt, cur) = g.st.with(|s| (s.tgtkey.clone(), s.currkey.clone()));
        if !cur.is_null() && (tgt.is_null() || !vm.eq(&tgt, &cur)?) {
            break;
        }
        if !groupby_step(vm, g)? {
            return Ok(None);
        }
    }
    let (key, generation) = g.st.with(|s| {
        s.tgtkey = s.currkey.clone();
        (s.currkey.clone(), s.generation)
    });
    let grouper = Value::alloc(Grouper {
        parent: it.clone(),
        tgtkey: key.clone(),
        generation,
    });
    Ok(Some(tuple(vec![key, grouper])))
}

/// `_grouper(parent, tgtkey)` (what a pickled grouper is rebuilt by): the parent's
/// current grouper from now on, as the one `groupby`'s `__next__` makes.
fn grouper_new(vm: &mut Vm, _cls: &Value, a: &Args) -> PyResult<Value> {
    let p = unpack(vm, "_grouper", a, 2, 2)?;
    let Some(g) = downcast::<GroupBy>(&p[0]) else {
        let tn = p[0].type_data().name.clone();
        return Err(vm.type_error(format!(
            "_grouper() argument 1 must be itertools.groupby, not {tn}"
        )));
    };
    let generation = g.st.with(|s| {
        s.generation += 1;
        s.generation
    });
    Ok(Value::alloc(Grouper {
        parent: p[0].clone(),
        tgtkey: p[1].clone(),
        generation,
    }))
}
new_method!(grouper_dnew, grouper_new, Grouper);

fn grouper_next(vm: &mut Vm, it: &Value) -> PyResult<Option<Value>> {
    let gr = me::<Grouper>(vm, it)?;
    let Some(g) = downcast::<GroupBy>(&gr.parent) else {
        return Ok(None);
    };
    if g.st.with(|s| s.generation) != gr.generation {
        return Ok(None);
    }
    if g.st.with(|s| s.currvalue.is_null()) && !groupby_step(vm, g)? {
        return Ok(None);
    }
    let cur = g.st.with(|s| s.currkey.clone());
    if !vm.eq(&gr.tgtkey, &cur)? {
        return Ok(None);
    }
    let (v, key) = g.st.with(|s| {
        (
            std::mem::take(&mut s.currvalue),
            std::mem::take(&mut s.currkey),
        )
    });
    drop(key);
    Ok(Some(v))
}
new_method!(groupby_dnew, groupby_new, GroupBy);

// ---- islice ----------------------------------------------------------------------

pub struct ISlice {
    st: ObjCell<ISliceState>,
}
struct ISliceState {
    /// NULL once exhausted.
    it: Value,
    next: i64,
    /// -1: no stop.
    stop: i64,
    step: i64,
    cnt: i64,
}
native_payload!(ISlice, ISLICE);
static ISLICE_T: NativeType = NativeType {
    new: Some(islice_new),
    iternext: Some(islice_next),
    ..NativeType::of::<ISlice>()
};

/// An islice argument: Ok(None) when it is neither None nor an int, else None or
/// the int (clamped to the i64 range).
fn islice_arg(vm: &mut Vm, v: &Value) -> PyResult<Option<Option<i64>>> {
    if v.is_none() {
        return Ok(Some(None));
    }
    let is_int = crate::types::int::as_int(v).is_some()
        || (!v.is_float() && crate::vm::lookup_special(v, "__index__").is_some());
    if !is_int {
        return Ok(None);
    }
    let b = ops::to_index(vm, v)?;
    Ok(Some(Some(match num_traits::ToPrimitive::to_i64(&b) {
        Some(i) => i,
        None if b.sign() == num_bigint::Sign::Minus => i64::MIN,
        None => i64::MAX,
    })))
}

fn islice_new(vm: &mut Vm, cls: &Value, a: &Args) -> PyResult<Value> {
    let p = unpack_new(vm, "islice", cls, a, 2, 4)?;
    const STOP: &str =
        "Stop argument for islice() must be None or an integer: 0 <= x <= sys.maxsize.";
    const IDX: &str = "Indices for islice() must be None or an integer: 0 <= x <= sys.maxsize.";
    const STEP: &str = "Step for islice() must be a positive integer or None.";
    let (start_v, stop_v) = if p.len() == 2 {
        (None, &p[1])
    } else {
        (Some(&p[1]), &p[2])
    };
    let start = match start_v {
        Some(v) => islice_arg(vm, v)?,
        None => Some(Some(0)),
    };
    let stop = match islice_arg(vm, stop_v)? {
        None | Some(Some(-1)) => return Err(vm.value_error(STOP)),
        Some(None) => -1,
        Some(Some(s)) => s,
    };
    let start = match start {
        Some(Some(s)) if s >= 0 => s,
        Some(None) => 0,
        _ => return Err(vm.value_error(IDX)),
    };
    if stop < -1 {
        return Err(vm.value_error(IDX));
    }
    let step = match p.get(3) {
        None => 1,
        Some(v) => match islice_arg(vm, v)? {
            Some(None) => 1,
            Some(Some(s)) if s >= 1 => s,
            _ => return Err(vm.value_error(STEP)),
        },
    };
    let it = ops::get_iter(vm, &p[0])?;
    Ok(native::alloc(
        cls,
        ISlice {
            st: ObjCell::new(ISliceState {
                it,
                next: start,
                stop,
                step,
                cnt: 0,
            }),
        },
    ))
}

fn islice_next(vm: &mut Vm, it: &Value) -> PyResult<Option<Value>> {
    let s = me::<ISlice>(vm, it)?;
    let (src, stop) = s.st.with(|st| (st.it.clone(), st.stop));
    if src.is_null() {
        return Ok(None);
    }
    loop {
        let skip = s.st.with(|st| st.cnt < st.next);
        if !skip {
            break;
        }
        if ops::next(vm, &src)?.is_none() {
            s.st.with(|st| st.it = Value::NULL);
            return Ok(None);
        }
        s.st.with(|st| st.cnt += 1);
    }
    if stop != -1 && s.st.with(|st| st.cnt >= stop) {
        s.st.with(|st| st.it = Value::NULL);
        return Ok(None);
    }
    let Some(v) = ops::next(vm, &src)? else {
        s.st.with(|st| st.it = Value::NULL);
        return Ok(None);
    };
    s.st.with(|st| {
        st.cnt += 1;
        let old = st.next;
        st.next = st.next.saturating_add(st.step);
        if st.next < old || (stop != -1 && st.next > stop) {
            st.next = stop;
        }
    });
    Ok(Some(v))
}
new_method!(islice_dnew, islice_new, ISlice);

// ---- pairwise --------------------------------------------------------------------

pub struct Pairwise {
    /// (iterator or NULL when done, previous item or NULL)
    st: ObjCell<(Value, Value)>,
}
native_payload!(Pairwise, PAIRWISE);
static PAIRWISE_T: NativeType = NativeType {
    new: Some(pairwise_new),
    iternext: Some(pairwise_next),
    ..NativeType::of::<Pairwise>()
};

fn pairwise_new(vm: &mut Vm, cls: &Value, a: &Args) -> PyResult<Value> {
    let p = unpack_new(vm, "pairwise", cls, a, 1, 1)?;
    let it = ops::get_iter(vm, &p[0])?;
    Ok(native::alloc(
        cls,
        Pairwise {
            st: ObjCell::new((it, Value::NULL)),
        },
    ))
}

fn pairwise_next(vm: &mut Vm, it: &Value) -> PyResult<Option<Value>> {
    let pw = me::<Pairwise>(vm, it)?;
    let (src, mut old) = pw.st.with(|s| (s.0.clone(), s.1.clone()));
    if src.is_null() {
        return Ok(None);
    }
    if old.is_null() {
        match ops::next(vm, &src)? {
            Some(v) => {
                old = v.clone();
                pw.st.with(|s| s.1 = v);
            }
            None => {
                pw.st.with(|s| s.0 = Value::NULL);
                return Ok(None);
            }
        }
    }
    let Some(new) = ops::next(vm, &src)? else {
        let dead = pw
            .st
            .with(|s| (std::mem::take(&mut s.0), std::mem::take(&mut s.1)));
        drop(dead);
        return Ok(None);
    };
    pw.st.with(|s| s.1 = new.clone());
    Ok(Some(tuple(vec![old, new])))
}
new_method!(pairwise_dnew, pairwise_new, Pairwise);

// ---- tee -------------------------------------------------------------------------

/// Items per `_tee_dataobject` link (as CPython's LINKCELLS).
const LINKCELLS: usize = 57;

/// A block of items read from the shared iterator, linked to the next block: every
/// `_tee` of one `tee()` call walks the same chain, and blocks all of them have passed
/// are freed by reference counting.
pub struct TeeData {
    it: Value,
    st: ObjCell<TeeDataState>,
}
struct TeeDataState {
    values: Vec<Value>,
    next: Value,
    running: bool,
}
native_payload!(TeeData, TEEDATA);
static TEEDATA_T: NativeType = NativeType {
    new: Some(pickle::teedata_new),
    ..NativeType::of::<TeeData>()
};

pub struct Tee {
    /// (data block, index of the next item in it)
    st: ObjCell<(Value, usize)>,
}
native_payload!(Tee, TEE);
static TEE_T: NativeType = NativeType {
    new: Some(tee_new),
    iternext: Some(tee_next),
    weakrefable: true,
    ..NativeType::of::<Tee>()
};

fn new_teedata(it: Value) -> Value {
    Value::alloc(TeeData {
        it,
        st: ObjCell::new(TeeDataState {
            values: Vec::with_capacity(LINKCELLS),
            next: Value::NULL,
            running: false,
        }),
    })
}

fn tee_from_iterable(vm: &mut Vm, cls: &Value, iterable: &Value) -> PyResult<Value> {
    let it = ops::get_iter(vm, iterable)?;
    if let Some(t) = downcast::<Tee>(&it) {
        return Ok(tee_copy_of(cls, t));
    }
    Ok(native::alloc(
        cls,
        Tee {
            st: ObjCell::new((new_teedata(it), 0)),
        },
    ))
}

fn tee_copy_of(cls: &Value, t: &Tee) -> Value {
    let st = t.st.with(|s| (s.0.clone(), s.1));
    native::alloc(
        cls,
        Tee {
            st: ObjCell::new(st),
        },
    )
}

fn tee_new(vm: &mut Vm, cls: &Value, a: &Args) -> PyResult<Value> {
    let p = unpack(vm, "_tee", a, 1, 1)?;
    tee_from_iterable(vm, cls, &p[0])
}

fn tee_next(vm: &mut Vm, it: &Value) -> PyResult<Option<Value>> {
    let t = me::<Tee>(vm, it)?;
    let (mut data, mut index) = t.st.with(|s| (s.0.clone(), s.1));
    if index >= LINKCELLS {
        let Some(d) = downcast::<TeeData>(&data) else {
            return Ok(None);
        };
        let link = d.st.with(|s| {
            if s.next.is_null() {
                s.next = new_teedata(d.it.clone());
            }
            s.next.clone()
        });
        data = link;
        index = 0;
        t.st.with(|s| *s = (data.clone(), 0));
    }
    let Some(d) = downcast::<TeeData>(&data) else {
        return Ok(None);
    };
    enum Step {
        Have(Value),
        Read,
        Busy,
    }
    let step = d.st.with(|s| {
        if index < s.values.len() {
            Step::Have(s.values[index].clone())
        } else if s.running {
            Step::Busy
        } else {
            s.running = true;
            Step::Read
        }
    });
    let v = match step {
        Step::Have(v) => v,
        Step::Busy => return Err(vm.runtime_error("cannot re-enter the tee iterator")),
        Step::Read => {
            let r = ops::next(vm, &d.it);
            d.st.with(|s| s.running = false);
            match r? {
                Some(v) => {
                    d.st.with(|s| s.values.push(v.clone()));
                    v
                }
                None => return Ok(None),
            }
        }
    };
    t.st.with(|s| s.1 = index + 1);
    Ok(Some(v))
}

fn tee_copy(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (s, _) = super::native_args::this(vm, "__copy__", a, 0, 0)?;
    let t = me::<Tee>(vm, s)?;
    Ok(tee_copy_of(&s.type_of(), t))
}
new_method!(tee_dnew, tee_new, Tee);
new_method!(teedata_dnew, pickle::teedata_new, TeeData);

/// `itertools.tee(iterable, n=2)`.
fn tee(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let p = unpack(vm, "tee", a, 1, 2)?;
    let n = match p.get(1) {
        Some(v) => ops::to_isize(vm, v)?,
        None => 2,
    };
    if n < 0 {
        return Err(vm.value_error("n must be >= 0"));
    }
    if n == 0 {
        return Ok(tuple(vec![]));
    }
    let it = ops::get_iter(vm, &p[0])?;
    let copyable = match ops::getattr_opt(vm, &it, "__copy__")? {
        Some(_) => it,
        None => {
            let cls = Value::from_borrowed(<Tee as crate::value::PyPayload>::class());
            tee_from_iterable(vm, &cls, &it)?
        }
    };
    let mut out = vec![copyable.clone()];
    for _ in 1..n {
        let last = out.last().cloned().unwrap_or_default();
        let f = ops::getattr_str(vm, &last, "__copy__")?;
        out.push(vm.call(&f, &[])?);
    }
    Ok(tuple(out))
}

// ---- zip_longest -----------------------------------------------------------------

pub struct ZipLongest {
    /// Set again by `__setstate__`.
    fill: ObjCell<Value>,
    /// (iterators, NULL once exhausted; number still active)
    st: ObjCell<(Vec<Value>, usize)>,
}
native_payload!(ZipLongest, ZIPLONGEST);
static ZIPLONGEST_T: NativeType = NativeType {
    new: Some(ziplongest_new),
    iternext: Some(ziplongest_next),
    ..NativeType::of::<ZipLongest>()
};

fn ziplongest_new(vm: &mut Vm, cls: &Value, a: &Args) -> PyResult<Value> {
    let mut fill = Value::none();
    for (k, v) in a.kw() {
        if k != "fillvalue" {
            return Err(vm.type_error("zip_longest() got an unexpected keyword argument"));
        }
        fill = v.clone();
    }
    let mut its = Vec::with_capacity(a.pos().len());
    for x in a.pos() {
        its.push(ops::get_iter(vm, x)?);
    }
    let n = its.len();
    Ok(native::alloc(
        cls,
        ZipLongest {
            fill: ObjCell::new(fill),
            st: ObjCell::new((its, n)),
        },
    ))
}

fn ziplongest_next(vm: &mut Vm, it: &Value) -> PyResult<Option<Value>> {
    let z = me::<ZipLongest>(vm, it)?;
    let its =
        z.st.with(|s| if s.1 == 0 { None } else { Some(s.0.clone()) });
    let Some(its) = its else {
        return Ok(None);
    };
    let fill = z.fill.with(|f| f.clone());
    let mut out = Vec::with_capacity(its.len());
    for (i, src) in its.iter().enumerate() {
        if src.is_null() {
            out.push(fill.clone());
            continue;
        }
        match ops::next(vm, src)? {
            Some(v) => out.push(v),
            None => {
                // The last one to run out stays, as in CPython (`__reduce__` shows it).
                let left = z.st.with(|s| {
                    s.1 -= 1;
                    if s.1 > 0 {
                        s.0[i] = Value::NULL;
                    }
                    s.1
                });
                if left == 0 {
                    return Ok(None);
                }
                out.push(fill.clone());
            }
        }
    }
    Ok(Some(tuple(out)))
}
new_method!(ziplongest_dnew, ziplongest_new, ZipLongest);

// ---- combinatorics: product, permutations, combinations, cwr ---------------------

/// State of the combinatoric iterators (no Python code runs in their `next`).
struct Combo {
    pools: Vec<Vec<Value>>,
    indices: Vec<usize>,
    cycles: Vec<usize>,
    r: usize,
    first: bool,
    stopped: bool,
}

pub struct Product(ObjCell<Combo>);
native_payload!(Product, PRODUCT);
static PRODUCT_T: NativeType = NativeType {
    new: Some(product_new),
    iternext: Some(product_next),
    ..NativeType::of::<Product>()
};
pub struct Permutations(ObjCell<Combo>);
native_payload!(Permutations, PERMUTATIONS);
static PERMUTATIONS_T: NativeType = NativeType {
    new: Some(permutations_new),
    iternext: Some(permutations_next),
    ..NativeType::of::<Permutations>()
};
pub struct Combinations(ObjCell<Combo>);
native_payload!(Combinations, COMBINATIONS);
static COMBINATIONS_T: NativeType = NativeType {
    new: Some(combinations_new),
    iternext: Some(combinations_next),
    ..NativeType::of::<Combinations>()
};
pub struct Cwr(ObjCell<Combo>);
native_payload!(Cwr, CWR);
static CWR_T: NativeType = NativeType {
    new: Some(cwr_new),
    iternext: Some(cwr_next),
    ..NativeType::of::<Cwr>()
};

fn combo(pools: Vec<Vec<Value>>, indices: Vec<usize>, cycles: Vec<usize>, r: usize) -> Combo {
    Combo {
        pools,
        indices,
        cycles,
        r,
        first: true,
        stopped: false,
    }
}

fn product_new(vm: &mut Vm, cls: &Value, a: &Args) -> PyResult<Value> {
    let mut repeat = 1i64;
    for (k, v) in a.kw() {
        if k != "repeat" {
            return Err(vm.type_error(format!(
                "'{k}' is an invalid keyword argument for product()"
            )));
        }
        repeat = ops::to_isize(vm, v)?;
    }
    if repeat < 0 {
        return Err(vm.value_error("repeat argument cannot be negative"));
    }
    let mut base = Vec::with_capacity(a.pos().len());
    for x in a.pos() {
        base.push(ops::collect(vm, x)?);
    }
    if repeat > 0 && base.len().checked_mul(repeat as usize).is_none() {
        return Err(vm.overflow_error("repeat argument too large"));
    }
    let mut pools = Vec::with_capacity(base.len() * repeat as usize);
    for _ in 0..repeat {
        pools.extend(base.iter().cloned());
    }
    let n = pools.len();
    Ok(native::alloc(
        cls,
        Product(ObjCell::new(combo(pools, vec![0; n], vec![], n))),
    ))
}

fn product_next(vm: &mut Vm, it: &Value) -> PyResult<Option<Value>> {
    let p = me::<Product>(vm, it)?;
    Ok(p.0.with(|c| {
        if c.stopped {
            return None;
        }
        if c.first {
            c.first = false;
            if c.pools.iter().any(|p| p.is_empty()) {
                c.stopped = true;
                return None;
            }
        } else {
            let mut i = c.pools.len();
            loop {
                if i == 0 {
                    c.stopped = true;
                    return None;
                }
                i -= 1;
                c.indices[i] += 1;
                if c.indices[i] == c.pools[i].len() {
                    c.indices[i] = 0;
                } else {
                    break;
                }
            }
        }
        let items = c
            .indices
            .iter()
            .zip(c.pools.iter())
            .map(|(i, p)| p[*i].clone())
            .collect();
        Some(tuple(items))
    }))
}

fn r_arg(vm: &mut Vm, v: Option<&Value>, n: usize) -> PyResult<usize> {
    match v {
        Some(x) if !x.is_none() => {
            let r = ops::to_isize(vm, x)?;
            if r < 0 {
                return Err(vm.value_error("r must be non-negative"));
            }
            Ok(r as usize)
        }
        _ => Ok(n),
    }
}

fn permutations_new(vm: &mut Vm, cls: &Value, a: &Args) -> PyResult<Value> {
    let b = bind(vm, "permutations", a, &["iterable", "r"], 1, 2)?;
    let pool = ops::collect(vm, b[0].unwrap_or(&Value::NULL))?;
    let n = pool.len();
    let r = r_arg(vm, b[1], n)?;
    let cycles = (0..r.min(n)).map(|i| n - i).collect();
    let mut c = combo(vec![pool], (0..n).collect(), cycles, r);
    c.stopped = r > n;
    Ok(native::alloc(cls, Permutations(ObjCell::new(c))))
}

fn pick(c: &Combo) -> Value {
    let pool = &c.pools[0];
    tuple(c.indices[..c.r].iter().map(|i| pool[*i].clone()).collect())
}

fn permutations_next(vm: &mut Vm, it: &Value) -> PyResult<Option<Value>> {
    let p = me::<Permutations>(vm, it)?;
    Ok(p.0.with(|c| {
        if c.stopped {
            return None;
        }
        if c.first {
            c.first = false;
            return Some(pick(c));
        }
        let n = c.pools[0].len();
        if n == 0 {
            c.stopped = true;
            return None;
        }
        let mut i = c.r;
        while i > 0 {
            i -= 1;
            c.cycles[i] -= 1;
            if c.cycles[i] == 0 {
                let x = c.indices.remove(i);
                c.indices.push(x);
                c.cycles[i] = n - i;
            } else {
                let j = c.cycles[i];
                c.indices.swap(i, n - j);
                return Some(pick(c));
            }
        }
        c.stopped = true;
        None
    }))
}

fn combinations_new(vm: &mut Vm, cls: &Value, a: &Args) -> PyResult<Value> {
    let b = bind(vm, "combinations", a, &["iterable", "r"], 2, 2)?;
    let pool = ops::collect(vm, b[0].unwrap_or(&Value::NULL))?;
    let n = pool.len();
    let r = r_arg(vm, b[1], n)?;
    let mut c = combo(vec![pool], (0..r).collect(), vec![], r);
    c.stopped = r > n;
    Ok(native::alloc(cls, Combinations(ObjCell::new(c))))
}

fn combinations_next(vm: &mut Vm, it: &Value) -> PyResult<Option<Value>> {
    let p = me::<Combinations>(vm, it)?;
    Ok(p.0.with(|c| {
        combo_step(
            c,
            |i, n, r| i + n - r,
            |c, i| {
                c.indices[i] += 1;
                for j in i + 1..c.r {
                    c.indices[j] = c.indices[j - 1] + 1;
                }
            },
        )
    }))
}

/// One step of `combinations` and `combinations_with_replacement`: the first pick, or
/// the rightmost index not yet at its maximum (`max(i, n, r)`) moved on by `advance`;
/// None once exhausted.
fn combo_step(
    c: &mut Combo,
    max: impl Fn(usize, usize, usize) -> usize,
    advance: impl FnOnce(&mut Combo, usize),
) -> Option<Value> {
    if c.stopped {
        return None;
    }
    if c.first {
        c.first = false;
        return Some(pick(c));
    }
    let (n, r) = (c.pools[0].len(), c.r);
    let mut i = r;
    loop {
        if i == 0 {
            c.stopped = true;
            return None;
        }
        i -= 1;
        if c.indices[i] != max(i, n, r) {
            break;
        }
    }
    advance(c, i);
    Some(pick(c))
}

fn cwr_new(vm: &mut Vm, cls: &Value, a: &Args) -> PyResult<Value> {
    let b = bind(
        vm,
        "combinations_with_replacement",
        a,
        &["iterable", "r"],
        2,
        2,
    )?;
    let pool = ops::collect(vm, b[0].unwrap_or(&Value::NULL))?;
    let n = pool.len();
    let r = r_arg(vm, b[1], n)?;
    let mut c = combo(vec![pool], vec![0; r], vec![], r);
    c.stopped = n == 0 && r > 0;
    Ok(native::alloc(cls, Cwr(ObjCell::new(c))))
}

fn cwr_next(vm: &mut Vm, it: &Value) -> PyResult<Option<Value>> {
    let p = me::<Cwr>(vm, it)?;
    Ok(p.0.with(|c| {
        combo_step(
            c,
            |_, n, _| n - 1,
            |c, i| {
                let v = c.indices[i] + 1;
                for x in &mut c.indices[i..] {
                    *x = v;
                }
            },
        )
    }))
}
new_method!(product_dnew, product_new, Product);
new_method!(permutations_dnew, permutations_new, Permutations);
new_method!(combinations_dnew, combinations_new, Combinations);
new_method!(cwr_dnew, cwr_new, Cwr);

// ---- the module ------------------------------------------------------------------

pub fn init(_vm: &mut Vm) -> PyResult<Value> {
    let m = module("itertools", &[("tee", tee)]);
    // A type of the module with its constructor and its pickling methods.
    let add = |name: &str, t: Value, dnew: NativeFn, pickling: &[(&'static str, NativeFn)]| {
        static_new(&t, dnew);
        methods(&t, pickling);
        set(&m, name, t);
    };
    let t = iter_type::<Count>("count", &COUNT_T, &COUNT);
    methods(&t, &[("__repr__", count_repr)]);
    add("count", t, count_dunder_new, pickle::COUNT);
    let t = iter_type::<Cycle>("cycle", &CYCLE_T, &CYCLE);
    add("cycle", t, cycle_dunder_new, pickle::CYCLE);
    let t = iter_type::<Repeat>("repeat", &REPEAT_T, &REPEAT);
    methods(
        &t,
        &[
            ("__repr__", repeat_repr),
            ("__length_hint__", repeat_length_hint),
        ],
    );
    add("repeat", t, repeat_dunder_new, pickle::REPEAT);
    let t = iter_type::<Accumulate>("accumulate", &ACCUMULATE_T, &ACCUMULATE);
    add("accumulate", t, accumulate_dunder_new, pickle::ACCUMULATE);
    let t = iter_type::<Chain>("chain", &CHAIN_T, &CHAIN);
    let f = crate::types::func::new_builtin("from_iterable", chain_from_iterable);
    crate::object::make_immortal(f.raw());
    let cm = Value::alloc_with_type(
        &Value::from_borrowed(types().classmethod),
        crate::types::misc::WrapperObj::new(f),
    );
    crate::object::make_immortal(cm.raw());
    attr(&t, "from_iterable", cm);
    add("chain", t, chain_dunder_new, pickle::CHAIN);
    let t = iter_type::<Compress>("compress", &COMPRESS_T, &COMPRESS);
    add("compress", t, compress_dnew, pickle::COMPRESS);
    let t = iter_type::<DropWhile>("dropwhile", &DROPWHILE_T, &DROPWHILE);
    add("dropwhile", t, dropwhile_dnew, pickle::DROPWHILE);
    let t = iter_type::<TakeWhile>("takewhile", &TAKEWHILE_T, &TAKEWHILE);
    add("takewhile", t, takewhile_dnew, pickle::TAKEWHILE);
    let t = iter_type::<FilterFalse>("filterfalse", &FILTERFALSE_T, &FILTERFALSE);
    add("filterfalse", t, filterfalse_dnew, pickle::FILTERFALSE);
    let t = iter_type::<StarMap>("starmap", &STARMAP_T, &STARMAP);
    add("starmap", t, starmap_dnew, pickle::STARMAP);
    let t = iter_type::<GroupBy>("groupby", &GROUPBY_T, &GROUPBY);
    add("groupby", t, groupby_dnew, pickle::GROUPBY);
    let t = iter_type::<Grouper>("_grouper", &GROUPER_T, &GROUPER);
    add("_grouper", t, grouper_dnew, pickle::GROUPER);
    let t = iter_type::<ISlice>("islice", &ISLICE_T, &ISLICE);
    add("islice", t, islice_dnew, pickle::ISLICE);
    let t = iter_type::<Pairwise>("pairwise", &PAIRWISE_T, &PAIRWISE);
    add("pairwise", t, pairwise_dnew, &[]);
    let t = iter_type::<Tee>("_tee", &TEE_T, &TEE);
    methods(&t, &[("__copy__", tee_copy)]);
    add("_tee", t, tee_dnew, pickle::TEE);
    let t = new_type::<TeeData>(
        "_tee_dataobject",
        "itertools",
        object_type(),
        Kind::Native,
        &TEEDATA_T,
        &TEEDATA,
    );
    add("_tee_dataobject", t, teedata_dnew, pickle::TEEDATA);
    let t = iter_type::<ZipLongest>("zip_longest", &ZIPLONGEST_T, &ZIPLONGEST);
    add("zip_longest", t, ziplongest_dnew, pickle::ZIPLONGEST);
    let t = iter_type::<Product>("product", &PRODUCT_T, &PRODUCT);
    add("product", t, product_dnew, pickle::PRODUCT);
    let t = iter_type::<Permutations>("permutations", &PERMUTATIONS_T, &PERMUTATIONS);
    add("permutations", t, permutations_dnew, pickle::PERMUTATIONS);
    let t = iter_type::<Combinations>("combinations", &COMBINATIONS_T, &COMBINATIONS);
    add("combinations", t, combinations_dnew, pickle::COMBINATIONS);
    let t = iter_type::<Cwr>("combinations_with_replacement", &CWR_T, &CWR);
    add("combinations_with_replacement", t, cwr_dnew, pickle::CWR);
    Ok(m)
}
