//! `object.__sizeof__` and `sys.getsizeof`: how many bytes an object takes.
//!
//! Programs print these (memory reports, `sys.getsizeof(x)` in teaching code and
//! tests) and compare them with what CPython 3.11 says, so the types whose memory is
//! the same concept in both runtimes report CPython's figure for the same contents:
//! ints (30-bit digits), floats, complex numbers, strs (by widest character), bytes,
//! tuples, lists and bytearrays (by allocated capacity), dicts and sets (by the hash
//! table a fresh one of that size has) and instances of Python classes (by their
//! slots). Other native objects report stitch's own object header and payload. As in
//! CPython, `sys.getsizeof` adds the collector's header for the types it tracks, and
//! for instances with a `__dict__` the managed-dict pre-header of 3.11.
use num_traits::ToPrimitive;

use super::posargs;
use crate::types::bytes::{ByteArrayObj, BytesObj};
use crate::types::dict::DictObj;
use crate::types::list::ListObj;
use crate::types::str::StrObj;
use crate::types::tuple::TupleObj;
use crate::value::Value;
use crate::vm::{Args, PyResult, Vm};

/// CPython 3.11's `PyObject` header: refcount and type.
const OBJECT: usize = 16;
/// `PyGC_Head`, in front of every object of a collected type.
const GC_HEAD: usize = 16;
/// 3.11's managed-dict pre-header (dict and values pointers) of instances with a
/// `__dict__`.
const DICT_PREHEADER: usize = 16;

pub fn install(t: &crate::world::Types) {
    super::add_method(t.object, "__sizeof__", object_sizeof);
}

/// The size CPython's layout gives a dict of `n` items made fresh: the smallest table
/// (8 slots and up, powers of two) whose usable two thirds hold them, one index per
/// slot (1 to 8 bytes wide), entries of 24 bytes (16 when every key is a str).
fn dict_size(n: usize, str_keys: bool) -> usize {
    const DICT: usize = 48;
    if n == 0 {
        return DICT;
    }
    let mut size = 8usize;
    while size * 2 / 3 < n {
        size *= 2;
    }
    let index_width = match size {
        0..=128 => 1,
        129..=0xffff => 2,
        0x10000..=0xffff_ffff => 4,
        _ => 8,
    };
    let entry = if str_keys { 16 } else { 24 };
    DICT + 32 + size * index_width + (size * 2 / 3) * entry
}

/// `object.__sizeof__(self)`.
fn object_sizeof(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let p = posargs(vm, "__sizeof__", a, 1, 1)?;
    Ok(Value::int(basic_size(&p[0]) as i64))
}

fn basic_size(v: &Value) -> usize {
    if v.is_float() {
        return 24;
    }
    if let Some(i) = crate::types::int::as_int(v) {
        let bits = match i {
            crate::types::int::IntRef::Small(n) => 64 - n.unsigned_abs().leading_zeros() as u64,
            crate::types::int::IntRef::Big(b) => b.bits(),
        };
        return 24 + 4 * (bits.div_ceil(30) as usize).max(1);
    }
    if v.is_none() {
        return OBJECT;
    }
    if v.downcast::<crate::types::complex::ComplexObj>().is_some() {
        return 32;
    }
    if let Some(s) = v.downcast::<StrObj>() {
        let widest = s.s.chars().map(|c| c as u32).max().unwrap_or(0);
        let n = s.nchars + 1;
        return match widest {
            0..=0x7f => 48 + n,
            0x80..=0xff => 72 + n,
            0x100..=0xffff => 72 + 2 * n,
            _ => 72 + 4 * n,
        };
    }
    if let Some(b) = v.downcast::<BytesObj>() {
        return 33 + b.data.len();
    }
    if let Some(b) = v.downcast::<ByteArrayObj>() {
        let cap = b.data.with(|d| d.capacity());
        return 56 + if cap > 0 { cap + 1 } else { 0 };
    }
    if let Some(tup) = v.downcast::<TupleObj>() {
        return 24 + 8 * tup.items.len();
    }
    if let Some(l) = v.downcast::<ListObj>() {
        return 40 + 8 * l.items.with(|items| items.capacity());
    }
    if let Some(d) = v.downcast::<DictObj>() {
        let keys = d.keys();
        let str_keys = keys.iter().all(|k| k.downcast::<StrObj>().is_some());
        return dict_size(keys.len(), str_keys);
    }
    if let Some(s) = crate::types::set::as_set(v) {
        let table = s.d.with(|d| d.table.len());
        return 200 + if table > 8 { 16 * table } else { 0 };
    }
    if v.downcast::<crate::types::range::RangeObj>().is_some() {
        return 48;
    }
    let td = v.type_data();
    if td.kind == crate::types::class::Kind::Object {
        // `object`, an exception (CPython's 72-byte `PyBaseExceptionObject`), or a
        // Python class's instance: its base's, a pointer per slot, and the
        // `__weakref__` pointer that classes with a `__dict__` have.
        let base = if td.is_exception { 72 } else { OBJECT };
        if !td.is_heap {
            return base;
        }
        let slots = td.slots_inherited + td.slots.as_ref().map_or(0, Vec::len);
        return base + 8 * slots + if td.has_dict { 8 } else { 0 };
    }
    std::mem::size_of::<stitch_stencils::header::ObjHeader>() + td.layout.payload_size
}

/// `sys.getsizeof(object[, default])`: `__sizeof__()` (a class may override it) plus
/// the collector's header of a tracked type; `default` when `__sizeof__` is missing or
/// fails with TypeError.
pub fn getsizeof(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let p = posargs(vm, "getsizeof", a, 1, 2)?;
    let o = &p[0];
    // Every class has `__sizeof__` (object's at least): looked up through the whole
    // MRO, builtin entries included.
    let method = o
        .type_data()
        .lookup("__sizeof__")
        .map(crate::vm::receiver_first);
    let size = match method {
        Some(f) => match vm.call(&f, std::slice::from_ref(o)) {
            Ok(r) => r,
            Err(e)
                if p.len() == 2
                    && e.exc
                        .type_data()
                        .is_subtype_raw(crate::world::types().type_error) =>
            {
                return Ok(p[1].clone());
            }
            Err(e) => return Err(e),
        },
        None if p.len() == 2 => return Ok(p[1].clone()),
        None => {
            let tn = o.type_data().name.clone();
            return Err(vm.type_error(format!("Type {tn} doesn't define __sizeof__")));
        }
    };
    let n = crate::ops::to_index(vm, &size)?;
    if n.sign() == num_bigint::Sign::Minus {
        return Err(vm.value_error("__sizeof__() should return >= 0"));
    }
    let Some(mut n) = n.to_usize() else {
        return Err(vm.overflow_error("Python int too large to convert to C ssize_t"));
    };
    let td = o.type_data();
    // `object()` itself is the one untracked `Instance`.
    let untracked_object = o.type_raw() == crate::world::types().object;
    if (td.layout.gc.is_some() || td.is_heap) && !untracked_object {
        n += GC_HEAD;
    }
    if td.is_heap && td.has_dict && td.kind == crate::types::class::Kind::Object {
        n += DICT_PREHEADER;
    }
    Ok(Value::int(n as i64))
}
