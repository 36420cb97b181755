//! Bodies of the runtime uops of specialized instructions (guards and loads that
//! touch dicts, instances, lists and iterators). Each returns `None` when a guard
//! fails: the interpreter then counts a miss and runs the generic instruction, which
//! sees the operands untouched.
use super::{Entry, Record};
use crate::instructions::Op;
use crate::types::bytes::{ByteArrayObj, BytesObj};
use crate::types::class::as_type;
use crate::types::code::CodeObj;
use crate::types::dict::{DictData, DictObj};
use crate::types::instance::Instance;
use crate::types::iter::{IterObj, IterState};
use crate::types::list::ListObj;
use crate::types::module::ModuleObj;
use crate::types::set::SetObj;
use crate::types::str::StrObj;
use crate::types::tuple::TupleObj;
use crate::types::type_version::current_version;
use crate::value::Value;
use crate::world::types;

/// The record of the instruction at `i`, if it was made for `op`.
#[inline(always)]
pub fn record(co: &CodeObj, i: usize, op: Op) -> Option<&Record> {
    co.quick.record(i).filter(|r| r.op == op)
}

/// `GUARD_TYPE_VERSION`, then the instance payload and the matching entry. A version
/// match proves `obj`'s class is one the record was made for, whose instances are
/// `Instance`s.
#[inline(always)]
fn guarded_instance<'a>(rec: &'a Record, obj: &'a Value) -> Option<(&'a Instance, &'a Entry)> {
    if !obj.raw().is_ptr() {
        return None;
    }
    let e = rec.find(current_version(obj.type_data()))?;
    // SAFETY: see above: records of these instructions are only made for classes of
    // `Kind::Object`.
    Some((unsafe { obj.payload_unchecked::<Instance>() }, e))
}

#[inline(always)]
fn instance_dict(inst: &Instance) -> Option<&DictObj> {
    inst.dict.downcast_exact::<DictObj>()
}

/// The entry value at `index` if its key is `name` itself.
#[inline(always)]
fn entry_if_key(d: &DictData, index: u32, name: &Value) -> Option<Value> {
    let e = d.entries.get(index as usize)?;
    e.key.is(name).then(|| e.value.clone())
}

/// `GUARD_NOT_IN_INSTANCE_DICT`: the instance has no dict entry for `name`.
#[inline(always)]
fn not_shadowed(inst: &Instance, name: &Value) -> bool {
    match instance_dict(inst) {
        Some(d) => {
            // SAFETY: instruction names are str objects (the compiler interns them).
            let s = unsafe { name.payload_unchecked::<StrObj>() };
            d.d.read(|d| d.lacks_str(&s.s, s.hash()))
        }
        None => inst.dict.is_null(),
    }
}

/// `LOAD_ATTR_INSTANCE`.
#[inline(always)]
pub fn load_attr_instance(rec: &Record, obj: &Value, name: &Value) -> Option<Value> {
    let (inst, e) = guarded_instance(rec, obj)?;
    instance_dict(inst)?
        .d
        .with(|d| entry_if_key(d, e.index, name))
}

/// `LOAD_ATTR_SLOT`.
#[inline(always)]
pub fn load_attr_slot(rec: &Record, obj: &Value) -> Option<Value> {
    let (inst, e) = guarded_instance(rec, obj)?;
    inst.slots
        .read(|s| s.get(e.index as usize).filter(|v| !v.is_null()).cloned())
}

/// `LOAD_ATTR_NONDESCRIPTOR` and `LOAD_METHOD_INSTANCE`: the cached class attribute,
/// unless the instance shadows it.
#[inline(always)]
pub fn load_class_attr_via_instance(rec: &Record, obj: &Value, name: &Value) -> Option<Value> {
    let (inst, e) = guarded_instance(rec, obj)?;
    not_shadowed(inst, name).then(|| Value::from_borrowed(e.value))
}

/// `LOAD_METHOD_SUBCLASS`: the cached method of the class of an instance of a Python
/// subclass of a builtin type, unless the instance's dict shadows it (the dict sits
/// where the class's layout puts it: `TypeData::instance_dict`).
#[inline(always)]
pub fn load_method_subclass(rec: &Record, obj: &Value, name: &Value) -> Option<Value> {
    if !obj.raw().is_ptr() {
        return None;
    }
    let td = obj.type_data();
    let e = rec.find(current_version(td))?;
    if let Some(d) = td.instance_dict(obj) {
        let d = d.downcast_exact::<DictObj>()?;
        // SAFETY: instruction names are str objects (the compiler interns them).
        let s = unsafe { name.payload_unchecked::<StrObj>() };
        if d.d.read(|d| d.get_hashed(&s.s, s.hash()).is_some()) {
            return None;
        }
    }
    Some(Value::from_borrowed(e.value))
}

/// The getter of `prop` when it is an exact `property` whose getter is a Python
/// function taking one positional argument (`LOAD_ATTR_PROPERTY` enters its frame).
#[inline(always)]
pub fn python_getter(prop: &Value) -> Option<Value> {
    let p = prop.downcast_exact::<crate::types::misc::PropertyObj>()?;
    let f = p.fget.read(|f| f.clone());
    f.downcast_exact::<crate::types::func::FuncObj>()?
        .takes_positionally(1)
        .then_some(f)
}

/// `LOAD_ATTR_PROPERTY`: the getter to call with `obj`, when `obj`'s class is at the
/// record's version (which proves the class dict, and so the property the record
/// borrows, unchanged). The getter is read from the property each time: `__init__`
/// called again on a property replaces it.
#[inline(always)]
pub fn property_getter(rec: &Record, obj: &Value) -> Option<Value> {
    if !obj.raw().is_ptr() {
        return None;
    }
    let e = rec.find(current_version(obj.type_data()))?;
    // SAFETY: borrowed under the version guard (see `Entry::value`); viewed without
    // counting, never dropped.
    let prop = std::mem::ManuallyDrop::new(unsafe { Value::from_raw(e.value) });
    python_getter(&prop)
}

/// `LOAD_METHOD_NO_DICT`: instances of the class have no dict to shadow the method.
#[inline(always)]
pub fn load_method_no_dict(rec: &Record, obj: &Value) -> Option<Value> {
    let e = rec.find(current_version(obj.type_data()))?;
    Some(Value::from_borrowed(e.value))
}

/// `LOAD_ATTR_CLASS`.
#[inline(always)]
pub fn load_attr_class(rec: &Record, obj: &Value) -> Option<Value> {
    let td = as_type(obj)?;
    let e = rec.first();
    (current_version(td) == e.version).then(|| Value::from_borrowed(e.value))
}

/// `obj` is a class whose metaclass is `type`, at version tag `version` (the guard of
/// the specializations of calls through a class).
#[inline(always)]
pub fn plain_class_at(obj: &Value, version: u32) -> bool {
    obj.type_raw() == crate::world::types().type_
        && as_type(obj).is_some_and(|td| current_version(td) == version)
}

/// `obj` is a builtin (not Python-defined) class whose metaclass is `type` itself: a
/// call of it is its own constructor (`CALL_BUILTIN_CLASS`), no `__call__` to ask.
#[inline(always)]
pub fn builtin_class(obj: &Value) -> bool {
    obj.type_raw() == crate::world::types().type_ && as_type(obj).is_some_and(|td| !td.is_heap)
}

/// `LOAD_METHOD_CLASS`: the callable and whether the class is its first argument.
#[inline(always)]
pub fn load_method_class(rec: &Record, obj: &Value) -> Option<(Value, bool)> {
    let e = rec.first();
    if !plain_class_at(obj, e.version) {
        return None;
    }
    // SAFETY: the class's dict holds the attribute (borrowed under the version tag):
    // viewed without counting (the wrapper of a staticmethod is not touched, only the
    // function it holds), never dropped.
    let v = std::mem::ManuallyDrop::new(unsafe { Value::from_raw(e.value) });
    match e.index {
        0 => Some(((*v).clone(), false)),
        // SAFETY: the record names a staticmethod (1) or a classmethod (2), whose
        // payload is a `WrapperObj` (exact types, checked by the specializer).
        k => Some((
            unsafe { v.payload_unchecked::<crate::types::misc::WrapperObj>() }
                .f
                .get_clone(),
            k == 2,
        )),
    }
}

#[inline(always)]
fn versioned_entry(d: &DictObj, version: u32, index: u32) -> Option<Value> {
    d.d.read(|d| {
        if d.current_keys_version() != version {
            return None;
        }
        d.entries.get(index as usize).map(|e| e.value.clone())
    })
}

/// `LOAD_ATTR_MODULE` / `LOAD_METHOD_MODULE`.
#[inline(always)]
pub fn load_module_entry(rec: &Record, obj: &Value) -> Option<Value> {
    let m = obj.downcast_exact::<ModuleObj>()?;
    versioned_entry(m.dict(), rec.first().version, rec.first().index)
}

/// `LOAD_GLOBAL_MODULE`.
#[inline(always)]
pub fn load_global_module(rec: &Record, globals: &Value) -> Option<Value> {
    let e = rec.first();
    versioned_entry(globals.downcast_exact::<DictObj>()?, e.version, e.index)
}

/// `LOAD_GLOBAL_BUILTIN`.
#[inline(always)]
pub fn load_global_builtin(rec: &Record, globals: &Value, builtins: &DictObj) -> Option<Value> {
    let g = globals.downcast_exact::<DictObj>()?;
    if g.d.read(|d| d.current_keys_version()) != rec.first().version {
        return None;
    }
    versioned_entry(builtins, rec.version2, rec.first().index)
}

/// `STORE_ATTR_INSTANCE`: replace an existing entry; returns the old value (to be
/// dropped by the caller, outside the dict's critical section) or gives `v` back.
#[inline(always)]
pub fn store_attr_instance(
    rec: &Record,
    obj: &Value,
    name: &Value,
    v: Value,
) -> Result<Value, Value> {
    let Some((inst, e)) = guarded_instance(rec, obj) else {
        return Err(v);
    };
    let Some(d) = instance_dict(inst) else {
        return Err(v);
    };
    let ix = e.index as usize;
    let r = d.d.with(|d| match d.entries.get(ix) {
        Some(e) if e.key.is(name) => Ok(d.replace_value(ix, v)),
        _ => Err(v),
    });
    match r {
        Ok(old) => Ok(old),
        // Not at the hint: a plain dict store (the version guard already ruled out
        // descriptors and `__setattr__`).
        Err(v) => {
            d.set_str_value(name, v);
            Ok(Value::NULL)
        }
    }
}

/// `STORE_ATTR_SLOT`.
#[inline(always)]
pub fn store_attr_slot(rec: &Record, obj: &Value, v: Value) -> Result<Value, Value> {
    let Some((inst, e)) = guarded_instance(rec, obj) else {
        return Err(v);
    };
    inst.slots.with(|s| match s.get_mut(e.index as usize) {
        Some(slot) => Ok(std::mem::replace(slot, v)),
        None => Err(v),
    })
}

/// `ITER_NEXT_RANGE` / `_LIST` / `_TUPLE`: `Some(Some(v))` next item, `Some(None)`
/// exhausted, `None` a different iterator (miss).
#[inline(always)]
pub fn for_iter(op: Op, it: &Value) -> Option<Option<Value>> {
    // Each family tests its iterator's type: one load and compare, as one type did.
    let t = types();
    let ty = match op {
        Op::FOR_ITER_RANGE => t.range_iterator,
        Op::FOR_ITER_LIST => t.list_iterator,
        _ => t.tuple_iterator,
    };
    let io = IterObj::of_type(it, ty)?;
    if op == Op::FOR_ITER_RANGE {
        // The loop of every `for i in range(n)`: a closure of its own, small enough to
        // inline into the interpreter.
        return io.state.with(|s| match s {
            IterState::Range {
                cur, step, left, ..
            } => {
                if *left <= 0 {
                    return Some(None);
                }
                let v = *cur;
                *cur = cur.wrapping_add(*step);
                *left -= 1;
                Some(Some(Value::int(v)))
            }
            // A trace's `for_iter` that found the end marked it exhausted.
            IterState::Exhausted => Some(None),
            _ => None,
        });
    }
    io.state.with(|s| {
        let next = match (op, &mut *s) {
            (Op::FOR_ITER_LIST, IterState::Seq { seq, i }) => {
                let item = seq.downcast_exact::<ListObj>()?.get(*i);
                item.inspect(|_| *i += 1)
            }
            (Op::FOR_ITER_TUPLE, IterState::Seq { seq, i }) => {
                let item = seq.downcast_exact::<TupleObj>()?.items.get(*i).cloned();
                item.inspect(|_| *i += 1)
            }
            // A trace's `for_iter` that found the end marks the iterator exhausted and
            // exits here: that is this instruction's end of loop, not a miss.
            (_, IterState::Exhausted) => return Some(None),
            _ => return None,
        };
        if next.is_none() {
            *s = IterState::Exhausted;
        }
        Some(next)
    })
}

#[inline(always)]
fn index(i: i64, len: usize) -> Option<usize> {
    let i = if i < 0 { i + len as i64 } else { i };
    (0..len as i64).contains(&i).then_some(i as usize)
}

/// `LIST_GET` (an out-of-range index misses: the generic path raises).
#[inline(always)]
pub fn list_get(l: &Value, k: &Value) -> Option<Value> {
    let l = l.downcast_exact::<ListObj>()?;
    if !k.raw().is_small_int() {
        return None;
    }
    l.items
        .read(|v| index(k.raw().as_small_int(), v.len()).map(|i| v[i].clone()))
}

/// `TUPLE_GET`.
#[inline(always)]
pub fn tuple_get(t: &Value, k: &Value) -> Option<Value> {
    let t = t.downcast_exact::<TupleObj>()?;
    if !k.raw().is_small_int() {
        return None;
    }
    index(k.raw().as_small_int(), t.items.len()).map(|i| t.items[i].clone())
}

/// `LIST_SET`: returns the replaced item, or gives `v` back.
#[inline(always)]
pub fn list_set(l: &Value, k: &Value, v: Value) -> Result<Value, Value> {
    let Some(l) = l.downcast_exact::<ListObj>() else {
        return Err(v);
    };
    if !k.raw().is_small_int() {
        return Err(v);
    }
    l.items
        .with(|items| match index(k.raw().as_small_int(), items.len()) {
            Some(i) => Ok(std::mem::replace(&mut items[i], v)),
            None => Err(v),
        })
}

/// `GUARD_DICT`.
#[inline(always)]
pub fn exact_dict(d: &Value) -> Option<&DictObj> {
    if d.type_raw() == types().dict {
        d.downcast_exact::<DictObj>()
    } else {
        None
    }
}

/// `GUARD_TUPLE_LEN` / `GUARD_LIST_LEN` + `UNPACK_ITEMS`: the items, first first.
#[inline(always)]
pub fn unpack(op: Op, seq: &Value, n: usize) -> Option<Vec<Value>> {
    let mut out = Vec::with_capacity(n);
    unpack_into(op, seq, n, |v| out.push(v))?;
    Some(out)
}

/// `UNPACK_SEQUENCE_TUPLE` / `_LIST` without a vector: hand `put` the `n` items (new
/// references) last first, the order they are pushed; `None` (nothing handed) if
/// `seq` is not of that type and length.
#[inline(always)]
pub fn unpack_into(op: Op, seq: &Value, n: usize, mut put: impl FnMut(Value)) -> Option<()> {
    match op {
        Op::UNPACK_SEQUENCE_TUPLE => {
            let t = seq.downcast_exact::<TupleObj>()?;
            if t.items.len() != n {
                return None;
            }
            t.items.iter().rev().for_each(|v| put(v.clone()));
            Some(())
        }
        _ => {
            let l = seq.downcast_exact::<ListObj>()?;
            l.items.with(|v| {
                if v.len() != n {
                    return None;
                }
                v.iter().rev().for_each(|v| put(v.clone()));
                Some(())
            })
        }
    }
}

/// `len()` of the builtin containers and str, without a call (`None`: other types).
#[inline(always)]
pub fn fast_len(v: &Value) -> Option<usize> {
    if let Some(l) = v.downcast_exact::<ListObj>() {
        return Some(l.len());
    }
    if let Some(t) = v.downcast_exact::<TupleObj>() {
        return Some(t.items.len());
    }
    if let Some(s) = v.downcast_exact::<StrObj>() {
        return Some(s.nchars);
    }
    if let Some(d) = v.downcast_exact::<DictObj>() {
        return Some(d.len());
    }
    let t = v.type_raw();
    if t == types().set || t == types().frozenset {
        // SAFETY: exact set and frozenset objects have a SetObj payload.
        return Some(unsafe { v.payload_unchecked::<SetObj>() }.len());
    }
    if let Some(b) = v.downcast_exact::<BytesObj>() {
        return Some(b.data.len());
    }
    if let Some(b) = v.downcast_exact::<ByteArrayObj>() {
        return Some(b.data.with(|d| d.len()));
    }
    None
}
