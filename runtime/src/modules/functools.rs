//! `_functools`: `reduce`, `partial`, `cmp_to_key` and `_lru_cache_wrapper` (the core
//! of `functools.lru_cache` and `functools.cache`).
use std::collections::BTreeMap;

use crate::native_payload;
use crate::object::ObjCell;
use crate::ops;
use crate::types::class::Kind;
use crate::types::dict::DictObj;
use crate::types::func::MethodObj;
use crate::types::native::{self, NativeType, downcast, new_type};
use crate::types::str::{as_str, new_str, new_string};
use crate::types::tuple::TupleObj;
use crate::value::Value;
use crate::vm::{Args, PyResult, Vm};

use super::native_args::{bind, methods, module, object_type, set, static_new, this, unpack};

// ---- reduce ----------------------------------------------------------------------

fn reduce(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let p = unpack(vm, "reduce", a, 2, 3)?;
    let it = ops::get_iter(vm, &p[1])?;
    let mut acc = p.get(2).cloned();
    while let Some(v) = ops::next(vm, &it)? {
        acc = Some(match acc {
            None => v,
            Some(x) => vm.call(&p[0], &[x, v])?,
        });
    }
    match acc {
        Some(v) => Ok(v),
        None => Err(vm.type_error("reduce() of empty iterable with no initial value")),
    }
}

// ---- partial ---------------------------------------------------------------------

/// `functools.partial`. The callable and its stored arguments change only in
/// `__setstate__` (unpickling, `copy`), which may run while another thread calls the
/// partial: each is in a cell, and a call reads a consistent snapshot of each.
#[repr(C)]
pub struct Partial {
    func: ObjCell<Value>,
    /// A tuple.
    args: ObjCell<Value>,
    /// A dict (read at every call: changes to `p.keywords` are seen, as in CPython).
    keywords: ObjCell<Value>,
    dict: Value,
}
native_payload!(Partial, PARTIAL);

impl crate::gc::Traverse for Partial {
    fn traverse(&self, visit: crate::gc::Visit<'_>) {
        for cell in [&self.func, &self.args, &self.keywords] {
            cell.read(|v| crate::gc::visit_value(v, visit));
        }
        crate::gc::visit_value(&self.dict, visit);
    }
}
static PARTIAL_T: NativeType = NativeType {
    new: Some(partial_new),
    call: Some(partial_call),
    dict_offset: std::mem::offset_of!(Partial, dict),
    weakrefable: true,
    ..NativeType::of::<Partial>()
};

fn partial_new(vm: &mut Vm, cls: &Value, a: &Args) -> PyResult<Value> {
    let p = a.pos();
    let Some(func) = p.first() else {
        return Err(vm.type_error("type 'partial' takes at least one argument"));
    };
    let mut func = func.clone();
    let mut args: Vec<Value> = Vec::new();
    let kw = DictObj::new();
    // A partial of an exact partial is flattened (as CPython does).
    let exact = cls.raw() == <Partial as crate::value::PyPayload>::class();
    if exact && let Some(inner) = func.downcast_exact::<Partial>() {
        if let Some(t) = inner.args.get_clone().downcast::<TupleObj>() {
            args.extend(t.items.iter().cloned());
        }
        if let Some(d) = inner.keywords.get_clone().downcast::<DictObj>() {
            for (k, v) in d.items() {
                kw.set(vm, k, v)?;
            }
        }
        let f = inner.func.get_clone();
        func = f;
    }
    if !is_callable(&func) {
        return Err(vm.type_error("the first argument must be callable"));
    }
    args.extend(p[1..].iter().cloned());
    for (k, v) in a.kw() {
        kw.set(vm, new_str(k), v.clone())?;
    }
    Ok(native::alloc(
        cls,
        Partial {
            func: ObjCell::new(func),
            args: ObjCell::new(TupleObj::new_value(args)),
            keywords: ObjCell::new(Value::alloc(kw)),
            dict: DictObj::new_value(),
        },
    ))
}

/// `callable(v)`.
pub(crate) fn is_callable(v: &Value) -> bool {
    use crate::types::func::{BuiltinFuncObj, FuncObj};
    v.downcast::<FuncObj>().is_some()
        || v.downcast::<BuiltinFuncObj>().is_some()
        || v.downcast::<MethodObj>().is_some()
        || crate::types::class::as_type(v).is_some()
        || native::table(v).is_some_and(|t| t.call.is_some())
        || crate::vm::lookup_special(v, "__call__").is_some()
        || v.type_data().lookup("__call__").is_some()
}

fn partial_call(vm: &mut Vm, f: &Value, a: &Args) -> PyResult<Value> {
    let Some(p) = downcast::<Partial>(f) else {
        return Err(vm.type_error("partial expected"));
    };
    let (func, args, keywords) = (
        p.func.get_clone(),
        p.args.get_clone(),
        p.keywords.get_clone(),
    );
    let pargs: &[Value] = match args.downcast::<TupleObj>() {
        Some(t) => &t.items,
        None => &[],
    };
    let kwd = keywords.downcast::<DictObj>();
    let no_kw = kwd.is_none_or(|d| d.is_empty());
    if no_kw {
        if pargs.is_empty() {
            return vm.call_kw(&func, a.args, a.kwnames);
        }
        let mut all = Vec::with_capacity(pargs.len() + a.args.len());
        all.extend_from_slice(pargs);
        all.extend_from_slice(a.args);
        return vm.call_kw(&func, &all, a.kwnames);
    }
    // Merge keywords: the call's win over the partial's.
    let mut names: Vec<Value> = Vec::new();
    let mut vals: Vec<Value> = Vec::new();
    for (k, v) in kwd.map(|d| d.items()).unwrap_or_default() {
        names.push(k);
        vals.push(v);
    }
    for (k, v) in a.kw() {
        match names.iter().position(|n| as_str(n) == Some(k)) {
            Some(i) => vals[i] = v.clone(),
            None => {
                names.push(new_str(k));
                vals.push(v.clone());
            }
        }
    }
    let mut all = Vec::with_capacity(pargs.len() + a.args.len() + vals.len());
    all.extend_from_slice(pargs);
    all.extend_from_slice(a.pos());
    all.extend(vals);
    vm.call_kw(&func, &all, &names)
}

fn partial_repr(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (s, _) = this(vm, "__repr__", a, 0, 0)?;
    let Some(p) = downcast::<Partial>(s) else {
        return Err(vm.type_error("partial expected"));
    };
    let name = if s.type_data().is_heap {
        s.type_data().name.clone()
    } else {
        "functools.partial".to_string()
    };
    let (func, args, keywords) = (
        p.func.get_clone(),
        p.args.get_clone(),
        p.keywords.get_clone(),
    );
    let parts = ops::repr_guard(vm, s, "...", |vm| {
        let mut parts = vec![ops::repr(vm, &func)?];
        if let Some(t) = args.downcast::<TupleObj>() {
            for v in t.items.iter() {
                parts.push(ops::repr(vm, v)?);
            }
        }
        if let Some(d) = keywords.downcast::<DictObj>() {
            for (k, v) in d.items() {
                let ks = ops::to_str(vm, &k)?;
                parts.push(format!("{ks}={}", ops::repr(vm, &v)?));
            }
        }
        Ok(parts)
    })?;
    Ok(new_string(match parts {
        Ok(parts) => format!("{name}({})", parts.join(", ")),
        Err(rec) => rec,
    }))
}

fn partial_func(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (s, _) = this(vm, "func", a, 0, 0)?;
    downcast::<Partial>(s)
        .map(|p| p.func.get_clone())
        .ok_or_else(|| vm.type_error("partial expected"))
}
fn partial_args(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (s, _) = this(vm, "args", a, 0, 0)?;
    downcast::<Partial>(s)
        .map(|p| p.args.get_clone())
        .ok_or_else(|| vm.type_error("partial expected"))
}
fn partial_keywords(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (s, _) = this(vm, "keywords", a, 0, 0)?;
    downcast::<Partial>(s)
        .map(|p| p.keywords.get_clone())
        .ok_or_else(|| vm.type_error("partial expected"))
}

/// `partial.__reduce__()`: rebuilt by `type(p)(p.func)` and `__setstate__` with the
/// callable, the arguments, the keywords and the instance dict (None when empty).
fn partial_reduce(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (s, _) = this(vm, "__reduce__", a, 0, 0)?;
    let Some(p) = downcast::<Partial>(s) else {
        return Err(vm.type_error("partial expected"));
    };
    let func = p.func.get_clone();
    let dict = match p.dict.downcast::<DictObj>() {
        Some(d) if !d.is_empty() => p.dict.clone(),
        _ => Value::none(),
    };
    Ok(TupleObj::from_items([
        s.type_of(),
        TupleObj::from_items([func.clone()]),
        TupleObj::from_items([func, p.args.get_clone(), p.keywords.get_clone(), dict]),
    ]))
}

/// `partial.__setstate__((func, args, keywords, dict))`, with CPython's checks (a
/// `dict` that is not a dict leaves the instance dict empty).
fn partial_setstate(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (s, rest) = this(vm, "__setstate__", a, 1, 1)?;
    let Some(p) = downcast::<Partial>(s) else {
        return Err(vm.type_error("partial expected"));
    };
    // CPython's one message for every malformed state.
    let invalid = |vm: &mut Vm| vm.type_error("invalid partial state");
    let Some(state) = rest[0].downcast::<TupleObj>() else {
        return Err(invalid(vm));
    };
    let [func, args, kw, dict] = &state.items[..] else {
        return Err(invalid(vm));
    };
    let kw_ok = kw.is_none() || kw.downcast::<DictObj>().is_some();
    if !is_callable(func) || args.downcast::<TupleObj>().is_none() || !kw_ok {
        return Err(invalid(vm));
    }
    let args = if args.type_raw() == crate::world::types().tuple {
        args.clone()
    } else {
        TupleObj::new_value(
            args.downcast::<TupleObj>()
                .map(|t| t.items.to_vec())
                .unwrap_or_default(),
        )
    };
    let keywords = match kw.downcast::<DictObj>() {
        Some(_) if kw.type_raw() == crate::world::types().dict => kw.clone(),
        Some(d) => {
            let copy = DictObj::new();
            for (k, v) in d.items() {
                copy.set(vm, k, v)?;
            }
            Value::alloc(copy)
        }
        None => DictObj::new_value(),
    };
    p.func.with(|f| *f = func.clone());
    p.args.with(|x| *x = args);
    p.keywords.with(|x| *x = keywords);
    // The instance dict is the object's own (its address is the type's dict
    // offset): its contents are replaced.
    if let Some(own) = p.dict.downcast::<DictObj>() {
        // The old entries are dropped after the dict's lock is released.
        drop(own.d.with(|d| d.clear()));
        if let Some(d) = dict.downcast::<DictObj>() {
            for (k, v) in d.items() {
                own.set(vm, k, v)?;
            }
        }
    }
    Ok(Value::none())
}

fn partial_dnew(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let base = <Partial as crate::value::PyPayload>::class();
    let (cls, rest) = super::native_args::new_args(vm, a, base)?;
    partial_new(vm, &cls, &rest)
}

// ---- cmp_to_key ------------------------------------------------------------------

pub struct KeyWrapper {
    cmp: Value,
    /// NULL for the wrapper `cmp_to_key` returns; the wrapped object for the keys.
    obj: ObjCell<Value>,
}
native_payload!(KeyWrapper, KEYWRAPPER);
static KEYWRAPPER_T: NativeType = NativeType {
    call: Some(key_call),
    ..NativeType::of::<KeyWrapper>()
};

fn cmp_to_key(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let b = bind(vm, "cmp_to_key", a, &["mycmp"], 1, 1)?;
    Ok(Value::alloc(KeyWrapper {
        cmp: b[0].cloned().unwrap_or_default(),
        obj: ObjCell::new(Value::NULL),
    }))
}

fn key_call(vm: &mut Vm, f: &Value, a: &Args) -> PyResult<Value> {
    let Some(k) = downcast::<KeyWrapper>(f) else {
        return Err(vm.type_error("K expected"));
    };
    let b = bind(vm, "K", a, &["obj"], 1, 1)?;
    Ok(Value::alloc(KeyWrapper {
        cmp: k.cmp.clone(),
        obj: ObjCell::new(b[0].cloned().unwrap_or_default()),
    }))
}

fn key_compare(vm: &mut Vm, a: &Args, name: &str, op: u32) -> PyResult<Value> {
    let (s, r) = this(vm, name, a, 1, 1)?;
    let (Some(x), Some(y)) = (downcast::<KeyWrapper>(s), downcast::<KeyWrapper>(&r[0])) else {
        return Err(vm.type_error("other argument must be K instance"));
    };
    let (xo, yo) = (x.obj.get_clone(), y.obj.get_clone());
    if xo.is_null() || yo.is_null() {
        return Err(vm.attribute_error("object"));
    }
    let res = vm.call(&x.cmp, &[xo, yo])?;
    ops::compare(vm, &res, &Value::int(0), op)
}

macro_rules! key_cmp {
    ($($f:ident, $n:literal, $op:expr;)*) => {
        $(fn $f(vm: &mut Vm, a: &Args) -> PyResult<Value> { key_compare(vm, a, $n, $op) })*
    };
}
key_cmp! {
    key_lt, "__lt__", ops::LT;
    key_le, "__le__", ops::LE;
    key_eq, "__eq__", ops::EQ;
    key_ne, "__ne__", ops::NE;
    key_gt, "__gt__", ops::GT;
    key_ge, "__ge__", ops::GE;
}

fn key_obj(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (s, _) = this(vm, "obj", a, 0, 0)?;
    let Some(k) = downcast::<KeyWrapper>(s) else {
        return Err(vm.type_error("K expected"));
    };
    let o = k.obj.get_clone();
    if o.is_null() {
        return Err(vm.attribute_error("obj"));
    }
    Ok(o)
}

fn key_set_obj(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (s, r) = this(vm, "obj", a, 1, 1)?;
    let Some(k) = downcast::<KeyWrapper>(s) else {
        return Err(vm.type_error("K expected"));
    };
    let old = k.obj.with(|o| std::mem::replace(o, r[0].clone()));
    drop(old);
    Ok(Value::none())
}

// ---- _lru_cache_wrapper ----------------------------------------------------------

#[repr(C)]
pub struct LruWrapper {
    func: Value,
    /// -1: unbounded.
    maxsize: i64,
    typed: bool,
    cache_info_type: Value,
    /// key -> result (unbounded) or key -> `_lru_list_elem` (bounded).
    cache: Value,
    st: ObjCell<LruState>,
    dict: Value,
}
native_payload!(LruWrapper, LRUWRAPPER);
static LRUWRAPPER_T: NativeType = NativeType {
    new: Some(lru_new),
    call: Some(lru_call),
    dict_offset: std::mem::offset_of!(LruWrapper, dict),
    weakrefable: true,
    ..NativeType::of::<LruWrapper>()
};

#[derive(Default)]
struct LruState {
    hits: i64,
    misses: i64,
    /// Bounded caches: recency stamp -> link (oldest first).
    order: BTreeMap<u64, Value>,
    stamp: u64,
}

/// One entry of a bounded cache: its key, result and current recency stamp.
pub struct LruLink {
    key: Value,
    result: Value,
    stamp: ObjCell<u64>,
}
native_payload!(LruLink, LRULINK);
static LRULINK_T: NativeType = NativeType::of::<LruLink>();

/// Marks the keyword part of a cache key (as `functools._make_key`'s `kwd_mark`).
static KWD_MARK: std::sync::OnceLock<u64> = std::sync::OnceLock::new();

fn kwd_mark() -> Value {
    let bits = *KWD_MARK.get_or_init(|| {
        let v = Value::alloc(LruLink {
            key: Value::NULL,
            result: Value::NULL,
            stamp: ObjCell::new(0),
        });
        crate::object::make_immortal(v.raw());
        v.into_raw().0
    });
    Value::from_borrowed(stitch_stencils::value::RawValue(bits))
}

fn lru_new(vm: &mut Vm, cls: &Value, a: &Args) -> PyResult<Value> {
    let b = bind(
        vm,
        "_lru_cache_wrapper",
        a,
        &["user_function", "maxsize", "typed", "cache_info_type"],
        4,
        4,
    )?;
    let func = b[0].cloned().unwrap_or_default();
    if !is_callable(&func) {
        return Err(vm.type_error("the first argument must be callable"));
    }
    let ms = b[1].cloned().unwrap_or_else(Value::none);
    let maxsize = if ms.is_none() {
        -1
    } else {
        if crate::types::int::as_int(&ms).is_none() {
            return Err(vm.type_error("maxsize should be integer or None"));
        }
        ops::to_isize(vm, &ms)?.max(0)
    };
    let typed = match b[2] {
        Some(t) => ops::truthy(vm, t)?,
        None => false,
    };
    Ok(native::alloc(
        cls,
        LruWrapper {
            func,
            maxsize,
            typed,
            cache_info_type: b[3].cloned().unwrap_or_else(Value::none),
            cache: DictObj::new_value(),
            st: ObjCell::new(LruState::default()),
            dict: DictObj::new_value(),
        },
    ))
}

/// The cache key of a call (the rules of `functools._make_key`).
fn make_key(a: &Args, typed: bool) -> Value {
    let pos = a.pos();
    if !typed && a.kwnames.is_empty() {
        if let [one] = pos
            && (one.as_small_int().is_some()
                || crate::types::int::is_exact_int(one)
                || one.downcast_exact::<crate::types::str::StrObj>().is_some())
        {
            return one.clone();
        }
        return TupleObj::new_value(pos.to_vec());
    }
    let mut items = pos.to_vec();
    if !a.kwnames.is_empty() {
        items.push(kwd_mark());
        for (k, v) in a.kwnames.iter().zip(&a.args[pos.len()..]) {
            items.push(k.clone());
            items.push(v.clone());
        }
    }
    if typed {
        for v in pos {
            items.push(v.type_of());
        }
        for v in &a.args[pos.len()..] {
            items.push(v.type_of());
        }
    }
    TupleObj::new_value(items)
}

fn lru_call(vm: &mut Vm, f: &Value, a: &Args) -> PyResult<Value> {
    let Some(w) = downcast::<LruWrapper>(f) else {
        return Err(vm.type_error("lru_cache wrapper expected"));
    };
    if w.maxsize == 0 {
        w.st.with(|s| s.misses += 1);
        return vm.call_kw(&w.func, a.args, a.kwnames);
    }
    let key = make_key(a, w.typed);
    // SAFETY: `cache` is always a dict (made in `lru_new`).
    let cache = unsafe { w.cache.payload_unchecked::<DictObj>() };
    if let Some(found) = cache.get(vm, &key)? {
        if w.maxsize < 0 {
            w.st.with(|s| s.hits += 1);
            return Ok(found);
        }
        if let Some(link) = found.downcast_exact::<LruLink>() {
            let result = link.result.clone();
            w.st.with(|s| {
                s.hits += 1;
                let old = link.stamp.with(|st| *st);
                if let Some(l) = s.order.remove(&old) {
                    s.stamp += 1;
                    let new = s.stamp;
                    link.stamp.with(|st| *st = new);
                    s.order.insert(new, l);
                }
            });
            return Ok(result);
        }
    }
    w.st.with(|s| s.misses += 1);
    let result = vm.call_kw(&w.func, a.args, a.kwnames)?;
    if w.maxsize < 0 {
        cache.set(vm, key, result.clone())?;
        return Ok(result);
    }
    if cache.contains(vm, &key)? {
        // Another call (recursion or a thread) cached this key meanwhile.
        return Ok(result);
    }
    let (evict, stamp) = w.st.with(|s| {
        let evict = if s.order.len() as i64 >= w.maxsize {
            s.order.pop_first().map(|(_, l)| l)
        } else {
            None
        };
        s.stamp += 1;
        (evict, s.stamp)
    });
    if let Some(old) = evict
        && let Some(l) = old.downcast_exact::<LruLink>()
    {
        cache.remove(vm, &l.key)?;
    }
    let link = Value::alloc(LruLink {
        key: key.clone(),
        result: result.clone(),
        stamp: ObjCell::new(stamp),
    });
    w.st.with(|s| s.order.insert(stamp, link.clone()));
    cache.set(vm, key, link)?;
    Ok(result)
}

fn wrapper_of<'a>(vm: &mut Vm, s: &'a Value) -> PyResult<&'a LruWrapper> {
    downcast::<LruWrapper>(s).ok_or_else(|| vm.type_error("lru_cache wrapper expected"))
}

fn cache_info(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (s, _) = this(vm, "cache_info", a, 0, 0)?;
    let w = wrapper_of(vm, s)?;
    // SAFETY: `cache` is always a dict.
    let size = unsafe { w.cache.payload_unchecked::<DictObj>() }.len();
    let (hits, misses) = w.st.with(|st| (st.hits, st.misses));
    let maxsize = if w.maxsize < 0 {
        Value::none()
    } else {
        Value::int(w.maxsize)
    };
    let ty = w.cache_info_type.clone();
    vm.call(
        &ty,
        &[
            Value::int(hits),
            Value::int(misses),
            maxsize,
            Value::int(size as i64),
        ],
    )
}

fn cache_clear(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (s, _) = this(vm, "cache_clear", a, 0, 0)?;
    let w = wrapper_of(vm, s)?;
    let old = w.st.with(std::mem::take);
    // SAFETY: `cache` is always a dict.
    let entries = unsafe { w.cache.payload_unchecked::<DictObj>() }
        .d
        .with(|d| d.clear());
    drop((old, entries));
    Ok(Value::none())
}

/// `__get__`: bound to an instance like a function (so it decorates methods).
fn lru_get(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (s, r) = this(vm, "__get__", a, 1, 2)?;
    if r[0].is_none() {
        return Ok(s.clone());
    }
    Ok(Value::alloc(MethodObj {
        func: s.clone(),
        self_: r[0].clone(),
    }))
}

fn return_self(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let p = a.pos();
    match p.first() {
        Some(s) => Ok(s.clone()),
        None => Err(vm.type_error("descriptor needs an argument")),
    }
}

fn lru_repr(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (s, _) = this(vm, "__repr__", a, 0, 0)?;
    Ok(new_string(format!(
        "<functools._lru_cache_wrapper object at {:#x}>",
        s.bits()
    )))
}

fn lru_dnew(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let base = <LruWrapper as crate::value::PyPayload>::class();
    let (cls, rest) = super::native_args::new_args(vm, a, base)?;
    lru_new(vm, &cls, &rest)
}

pub fn init(_vm: &mut Vm) -> PyResult<Value> {
    let m = module(
        "_functools",
        &[("reduce", reduce), ("cmp_to_key", cmp_to_key)],
    );
    let p = new_type::<Partial>(
        "partial",
        "functools",
        object_type(),
        Kind::Native,
        &PARTIAL_T,
        &PARTIAL,
    );
    methods(
        &p,
        &[
            ("__repr__", partial_repr),
            ("__call__", crate::types::native::call_method),
            ("__reduce__", partial_reduce),
            ("__setstate__", partial_setstate),
        ],
    );
    super::native_args::getset(&p, "func", partial_func, None);
    super::native_args::getset(&p, "args", partial_args, None);
    super::native_args::getset(&p, "keywords", partial_keywords, None);
    static_new(&p, partial_dnew);
    crate::builtins::add_classmethod(
        p.raw(),
        "__class_getitem__",
        crate::types::generic_alias::class_getitem,
    );
    set(&m, "partial", p);
    let k = new_type::<KeyWrapper>(
        "KeyWrapper",
        "functools",
        object_type(),
        Kind::Native,
        &KEYWRAPPER_T,
        &KEYWRAPPER,
    );
    methods(
        &k,
        &[
            ("__lt__", key_lt),
            ("__le__", key_le),
            ("__eq__", key_eq),
            ("__ne__", key_ne),
            ("__gt__", key_gt),
            ("__ge__", key_ge),
            ("__call__", crate::types::native::call_method),
        ],
    );
    super::native_args::attr(&k, "__hash__", Value::none());
    super::native_args::getset(&k, "obj", key_obj, Some(key_set_obj));
    set(&m, "KeyWrapper", k);
    let w = new_type::<LruWrapper>(
        "_lru_cache_wrapper",
        "functools",
        object_type(),
        Kind::Native,
        &LRUWRAPPER_T,
        &LRUWRAPPER,
    );
    methods(
        &w,
        &[
            ("cache_info", cache_info),
            ("cache_clear", cache_clear),
            ("__get__", lru_get),
            ("__copy__", return_self),
            ("__deepcopy__", return_self),
            ("__repr__", lru_repr),
            ("__call__", crate::types::native::call_method),
        ],
    );
    static_new(&w, lru_dnew);
    set(&m, "_lru_cache_wrapper", w);
    new_type::<LruLink>(
        "_lru_list_elem",
        "functools",
        object_type(),
        Kind::Native,
        &LRULINK_T,
        &LRULINK,
    );
    Ok(m)
}
