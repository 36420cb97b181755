//! `_struct`: converting between Python values and C structs packed in bytes
//! (`pack`, `unpack`, `pack_into`, `unpack_from`, `iter_unpack`, `calcsize`, and the
//! `Struct` type holding a compiled format), under the Lib's `struct.py`.
//!
//! Compiled formats are cached per thread, keyed by the format's text, so the module
//! functions do not parse a format they have seen (CPython keeps a cache of 100).
mod codec;
mod format;

use std::cell::RefCell;
use std::collections::HashMap;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use stitch_stencils::value::RawValue;

use self::codec::PackError;
use self::format::Compiled;
use super::buffer;
use super::native_args::{getset, methods, module, object_type, receiver, set, this, type_name};
use crate::native_payload;
use crate::object::ObjCell;
use crate::types::bytes::{ByteArrayObj, BytesObj};
use crate::types::class::Kind as TypeKind;
use crate::types::native::{self, NativeType, new_type};
use crate::types::str::{as_str, new_str};
use crate::types::tuple::TupleObj;
use crate::value::{PyPayload, Value};
use crate::vm::{Args, PyErr, PyResult, Vm};
use crate::world::types;

/// `struct.error`.
static ERROR: AtomicU64 = AtomicU64::new(0);

fn serr(vm: &mut Vm, msg: impl Into<String>) -> PyErr {
    vm.err(RawValue(ERROR.load(Ordering::Acquire)), msg)
}

fn pack_err(vm: &mut Vm, e: PackError) -> PyErr {
    match e {
        PackError::Struct(m) => serr(vm, m),
        PackError::Py(e) => e,
    }
}

/// Cached formats of this thread; cleared when it reaches `CACHE_MAX`.
const CACHE_MAX: usize = 100;

thread_local! {
    static CACHE: RefCell<HashMap<Box<[u8]>, Arc<Compiled>>> = RefCell::new(HashMap::new());
}

/// The text of a format argument (str or bytes).
fn format_text<'a>(vm: &mut Vm, v: &'a Value) -> PyResult<std::borrow::Cow<'a, [u8]>> {
    if let Some(s) = as_str(v) {
        return Ok(std::borrow::Cow::Borrowed(s.as_bytes()));
    }
    if let Some(b) = v.downcast::<BytesObj>() {
        return Ok(std::borrow::Cow::Borrowed(&b.data));
    }
    let tn = type_name(v);
    Err(vm.type_error(format!(
        "Struct() argument 1 must be a str or bytes object, not {tn}"
    )))
}

fn compile(vm: &mut Vm, text: &[u8]) -> PyResult<Arc<Compiled>> {
    match format::compile(text) {
        Ok(c) => Ok(Arc::new(c)),
        Err(e) => Err(serr(vm, e.message())),
    }
}

/// Slots of the per-thread cache keyed by the format object's address.
const RECENT: usize = 16;

thread_local! {
    /// (address of a format object, its compiled form): a hit still compares the
    /// text, since a freed format's address may be reused by another.
    static RECENT_FORMATS: RefCell<[(u64, Option<Arc<Compiled>>); RECENT]> =
        const { RefCell::new([const { (0, None) }; RECENT]) };
}

/// The compiled form of a format argument, from the caches when possible.
fn cached(vm: &mut Vm, fmt: &Value) -> PyResult<Arc<Compiled>> {
    let key = fmt.bits();
    let slot = ((key >> 4) as usize) % RECENT;
    let hit = RECENT_FORMATS.with(|r| {
        let r = r.borrow();
        match &r[slot] {
            (k, Some(c)) if *k == key => {
                let same = as_str(fmt).is_some_and(|s| s.as_bytes() == c.format.as_bytes());
                same.then(|| c.clone())
            }
            _ => None,
        }
    });
    if let Some(c) = hit {
        return Ok(c);
    }
    let c = cached_by_text(vm, fmt)?;
    if as_str(fmt).is_some() {
        RECENT_FORMATS.with(|r| r.borrow_mut()[slot] = (key, Some(c.clone())));
    }
    Ok(c)
}

/// The compiled form of a format, from the cache keyed by its text.
fn cached_by_text(vm: &mut Vm, fmt: &Value) -> PyResult<Arc<Compiled>> {
    let text = format_text(vm, fmt)?;
    if let Some(c) = CACHE.with(|c| c.borrow().get(&*text).cloned()) {
        return Ok(c);
    }
    let c = compile(vm, &text)?;
    CACHE.with(|cache| {
        let mut cache = cache.borrow_mut();
        if cache.len() >= CACHE_MAX {
            cache.clear();
        }
        cache.insert(text.into(), c.clone());
    });
    Ok(c)
}

pub fn init(_vm: &mut Vm) -> PyResult<Value> {
    let m = module(
        "_struct",
        &[
            ("pack", m_pack),
            ("pack_into", m_pack_into),
            ("unpack", m_unpack),
            ("unpack_from", m_unpack_from),
            ("iter_unpack", m_iter_unpack),
            ("calcsize", m_calcsize),
            ("_clearcache", m_clearcache),
        ],
    );
    if ERROR.load(Ordering::Acquire) == 0 {
        let e = super::binascii::exception_type("error", "struct", types().exception);
        ERROR.store(e.raw().0, Ordering::Release);
    }
    set(
        &m,
        "error",
        Value::from_borrowed(RawValue(ERROR.load(Ordering::Acquire))),
    );
    set(&m, "__doc__", new_str(DOC));
    let st = new_type::<StructObj>(
        "Struct",
        "_struct",
        object_type(),
        TypeKind::Native,
        &STRUCT_T,
        &STRUCT,
    );
    methods(
        &st,
        &[
            ("__init__", s_init),
            ("pack", s_pack),
            ("pack_into", s_pack_into),
            ("unpack", s_unpack),
            ("unpack_from", s_unpack_from),
            ("iter_unpack", s_iter_unpack),
        ],
    );
    getset(&st, "format", s_format, None);
    getset(&st, "size", s_size, None);
    set(&m, "Struct", st);
    let it = new_type::<UnpackIter>(
        "unpack_iterator",
        "_struct",
        object_type(),
        TypeKind::Native,
        &ITER_T,
        &ITER,
    );
    methods(
        &it,
        &[
            ("__iter__", it_iter),
            ("__next__", it_next_method),
            ("__length_hint__", it_length_hint),
        ],
    );
    Ok(m)
}

const DOC: &str = "Functions to convert between Python values and C structs.\n\
Python bytes objects are used to hold the data representing the C struct\n\
and also as format strings (explained below) to describe the layout of data\n\
in the C struct.\n";

// ---- packing and unpacking with a compiled format -----------------------------------

fn pack_values(vm: &mut Vm, c: &Compiled, vals: &[Value], out: &mut [u8]) -> PyResult<()> {
    for (item, v) in c.items().zip(vals) {
        let dst = &mut out[item.offset..item.offset + item.size];
        if let Err(e) = codec::pack(vm, &item, c.little, v, dst) {
            return Err(pack_err(vm, e));
        }
    }
    Ok(())
}

fn check_count(vm: &mut Vm, c: &Compiled, fname: &str, n: usize) -> PyResult<()> {
    if n != c.len {
        let want = c.len;
        return Err(serr(
            vm,
            format!("{fname} expected {want} items for packing (got {n})"),
        ));
    }
    Ok(())
}

fn pack(vm: &mut Vm, c: &Compiled, vals: &[Value]) -> PyResult<Value> {
    check_count(vm, c, "pack", vals.len())?;
    let mut out = crate::ops::zeros(vm, c.size)?;
    pack_values(vm, c, vals, &mut out)?;
    Ok(BytesObj::new_value(out))
}

fn unpack_at(c: &Compiled, data: &[u8]) -> Value {
    let items: Vec<Value> = c
        .items()
        .map(|item| codec::unpack(&item, c.little, &data[item.offset..]))
        .collect();
    TupleObj::new_value(items)
}

fn unpack(vm: &mut Vm, c: &Compiled, buf: &Value) -> PyResult<Value> {
    let r = buffer::with_bytes(buf, |data| {
        (data.len() == c.size).then(|| unpack_at(c, data))
    });
    match r {
        Some(Some(v)) => Ok(v),
        Some(None) => {
            let n = c.size;
            Err(serr(vm, format!("unpack requires a buffer of {n} bytes")))
        }
        None => Err(buffer::not_bytes_like(vm, buf)),
    }
}

fn offset_arg(vm: &mut Vm, v: Option<&Value>) -> PyResult<i64> {
    match v {
        None => Ok(0),
        Some(v) => {
            if v.is_float() {
                return Err(vm.type_error("'float' object cannot be interpreted as an integer"));
            }
            crate::ops::to_isize(vm, v)
        }
    }
}

fn unpack_from(vm: &mut Vm, c: &Compiled, buf: &Value, offset: i64) -> PyResult<Value> {
    // The common case in place: the buffer is read without copying it.
    let fast = buffer::with_bytes(buf, |data| {
        let o = usize::try_from(offset).ok()?;
        (o.checked_add(c.size)? <= data.len()).then(|| unpack_at(c, &data[o..]))
    });
    match fast {
        Some(Some(v)) => return Ok(v),
        None => return Err(buffer::not_bytes_like(vm, buf)),
        Some(None) => {}
    }
    let data = buffer::need(vm, buf)?;
    let (len, size) = (data.len() as i64, c.size as i64);
    let mut off = offset;
    if off < 0 {
        if off + size > 0 {
            return Err(serr(
                vm,
                format!("not enough data to unpack {size} bytes at offset {off}"),
            ));
        }
        if off + len < 0 {
            return Err(serr(
                vm,
                format!("offset {off} out of range for {len}-byte buffer"),
            ));
        }
        off += len;
    }
    if len - off < size {
        return Err(serr(
            vm,
            format!(
                "unpack_from requires a buffer of at least {} bytes for unpacking {size} bytes at offset {off} (actual buffer size is {len})",
                size as i128 + off as i128
            ),
        ));
    }
    Ok(unpack_at(c, &data[off as usize..]))
}

fn pack_into(vm: &mut Vm, c: &Compiled, fname: &str, a: &[Value]) -> PyResult<Value> {
    let Some(buf) = a.first() else {
        return Err(serr(vm, format!("{fname} expected buffer argument")));
    };
    let Some(off) = a.get(1) else {
        return Err(serr(vm, format!("{fname} expected offset argument")));
    };
    let vals = &a[2..];
    check_count(vm, c, fname, vals.len())?;
    let is_bytearray = buf.downcast::<ByteArrayObj>().is_some();
    if !is_bytearray && !super::array::is_array(buf) {
        let tn = type_name(buf);
        return Err(vm.type_error(format!(
            "argument must be read-write bytes-like object, not {tn}"
        )));
    }
    // Values are converted first (that may run Python code), then written at once.
    let mut tmp = crate::ops::zeros(vm, c.size)?;
    pack_values(vm, c, vals, &mut tmp)?;
    if let Some(ba) = buf.downcast::<ByteArrayObj>() {
        let len = ba.data.read(|d| d.len()) as i64;
        let o = into_offset(vm, c, off, len)?;
        ba.data.with(|d| {
            if o + tmp.len() <= d.len() {
                d[o..o + tmp.len()].copy_from_slice(&tmp);
            }
        });
    } else {
        let len = super::array::byte_len(buf) as i64;
        let o = into_offset(vm, c, off, len)?;
        super::array::write_bytes(buf, o, &tmp);
    }
    Ok(Value::none())
}

/// The checked start of a `pack_into` into a buffer of `len` bytes.
fn into_offset(vm: &mut Vm, c: &Compiled, off: &Value, len: i64) -> PyResult<usize> {
    let mut off = offset_arg(vm, Some(off))?;
    let size = c.size as i64;
    if off < 0 {
        if off + size > 0 {
            return Err(serr(
                vm,
                format!("no space to pack {size} bytes at offset {off}"),
            ));
        }
        if off + len < 0 {
            return Err(serr(
                vm,
                format!("offset {off} out of range for {len}-byte buffer"),
            ));
        }
        off += len;
    }
    if len - off < size {
        return Err(serr(
            vm,
            format!(
                "pack_into requires a buffer of at least {} bytes for packing {size} bytes at offset {off} (actual buffer size is {len})",
                size as i128 + off as i128
            ),
        ));
    }
    Ok(off as usize)
}

fn iter_unpack(vm: &mut Vm, c: Arc<Compiled>, buf: &Value) -> PyResult<Value> {
    if c.size == 0 {
        return Err(serr(
            vm,
            "cannot iteratively unpack with a struct of length 0",
        ));
    }
    let data = buffer::need(vm, buf)?.into_owned();
    if data.len() % c.size != 0 {
        let n = c.size;
        return Err(serr(
            vm,
            format!("iterative unpacking requires a buffer of a multiple of {n} bytes"),
        ));
    }
    Ok(Value::alloc(UnpackIter {
        st: ObjCell::new((c, data, 0)),
    }))
}

// ---- module functions ---------------------------------------------------------------

fn split_format<'a>(vm: &mut Vm, a: &'a Args) -> PyResult<(&'a Value, &'a [Value])> {
    match a.pos().split_first() {
        Some(x) => Ok(x),
        None => Err(vm.type_error("missing format argument")),
    }
}

fn no_kw(vm: &mut Vm, fname: &str, a: &Args) -> PyResult<()> {
    if a.has_kw() {
        return Err(vm.type_error(format!("{fname}() takes no keyword arguments")));
    }
    Ok(())
}

fn m_pack(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    no_kw(vm, "pack", a)?;
    let (f, vals) = split_format(vm, a)?;
    let c = cached(vm, f)?;
    pack(vm, &c, vals)
}

fn m_pack_into(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    no_kw(vm, "pack_into", a)?;
    let (f, rest) = split_format(vm, a)?;
    let c = cached(vm, f)?;
    pack_into(vm, &c, "pack_into", rest)
}

fn m_unpack(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let p = super::native_args::unpack(vm, "unpack", a, 2, 2)?;
    let c = cached(vm, &p[0])?;
    unpack(vm, &c, &p[1])
}

fn m_unpack_from(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let b = super::kwonly::bind(vm, "unpack_from", a, &["format", "buffer", "offset"], 1, 3)?;
    let (Some(f), Some(buf)) = (b[0], b[1]) else {
        return Err(vm.type_error(if b[0].is_none() {
            "unpack_from() missing required argument 'format' (pos 1)"
        } else {
            "unpack_from() missing required argument 'buffer' (pos 2)"
        }));
    };
    let c = cached(vm, f)?;
    let off = offset_arg(vm, b[2])?;
    unpack_from(vm, &c, buf, off)
}

fn m_iter_unpack(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let p = super::native_args::unpack(vm, "iter_unpack", a, 2, 2)?;
    let c = cached(vm, &p[0])?;
    iter_unpack(vm, c, &p[1])
}

fn m_calcsize(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let p = super::native_args::unpack(vm, "calcsize", a, 1, 1)?;
    let c = cached(vm, &p[0])?;
    Ok(Value::int(c.size as i64))
}

fn m_clearcache(_vm: &mut Vm, _a: &Args) -> PyResult<Value> {
    CACHE.with(|c| c.borrow_mut().clear());
    RECENT_FORMATS.with(|r| {
        for e in r.borrow_mut().iter_mut() {
            *e = (0, None);
        }
    });
    Ok(Value::none())
}

// ---- Struct -------------------------------------------------------------------------

pub struct StructObj {
    c: ObjCell<Arc<Compiled>>,
}
native_payload!(StructObj, STRUCT);
static STRUCT_T: NativeType = NativeType {
    new: Some(struct_new),
    has_init: true,
    ..NativeType::of::<StructObj>()
};

fn empty() -> Arc<Compiled> {
    Arc::new(Compiled {
        runs: vec![],
        len: 0,
        size: 0,
        little: true,
        format: String::new(),
    })
}

/// `Struct(format)`: the format is compiled here for `Struct` itself; a subclass's
/// instance starts empty and gets its format from `__init__` (as CPython's does).
fn struct_new(vm: &mut Vm, cls: &Value, a: &Args) -> PyResult<Value> {
    let c = if cls.raw() == StructObj::class() {
        let b = super::native_args::bind(vm, "Struct", a, &["format"], 1, 1)?;
        match b[0] {
            Some(f) => {
                let text = format_text(vm, f)?;
                compile(vm, &text)?
            }
            None => empty(),
        }
    } else {
        empty()
    };
    Ok(native::alloc(cls, StructObj { c: ObjCell::new(c) }))
}

fn me<'a>(vm: &mut Vm, v: &'a Value) -> PyResult<&'a StructObj> {
    native::downcast::<StructObj>(v)
        .ok_or_else(|| vm.type_error("descriptor requires a '_struct.Struct' object"))
}

fn compiled(s: &StructObj) -> Arc<Compiled> {
    s.c.read(|c| c.clone())
}

/// `Struct.__init__(format)`: compiles the format unless it is the one already held.
fn s_init(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (s, rest) = receiver(vm, "__init__", a)?;
    let b = super::native_args::bind(vm, "Struct", &rest, &["format"], 1, 1)?;
    let Some(f) = b[0] else {
        return Ok(Value::none());
    };
    let text = format_text(vm, f)?;
    let st = me(vm, s)?;
    if st
        .c
        .read(|c| c.format.as_bytes() == &*text && !text.is_empty())
    {
        return Ok(Value::none());
    }
    let c = compile(vm, &text)?;
    st.c.with(|x| *x = c);
    Ok(Value::none())
}

fn s_pack(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    no_kw(vm, "pack", a)?;
    let Some((s, vals)) = a.pos().split_first() else {
        return Err(vm.type_error("descriptor 'pack' needs an argument"));
    };
    let c = compiled(me(vm, s)?);
    pack(vm, &c, vals)
}

fn s_pack_into(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    no_kw(vm, "pack_into", a)?;
    let Some((s, rest)) = a.pos().split_first() else {
        return Err(vm.type_error("descriptor 'pack_into' needs an argument"));
    };
    let c = compiled(me(vm, s)?);
    pack_into(vm, &c, "pack_into", rest)
}

fn s_unpack(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (s, r) = this(vm, "unpack", a, 1, 1)?;
    let c = compiled(me(vm, s)?);
    unpack(vm, &c, &r[0])
}

fn s_unpack_from(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let Some(s) = a.pos().first() else {
        return Err(vm.type_error("descriptor 'unpack_from' needs an argument"));
    };
    let c = compiled(me(vm, s)?);
    // Positional calls (the common case) skip keyword binding.
    if !a.has_kw() && (2..=3).contains(&a.pos().len()) {
        let p = a.pos();
        let off = offset_arg(vm, p.get(2))?;
        return unpack_from(vm, &c, &p[1], off);
    }
    let rest = Args {
        args: &a.args[1..],
        kwnames: a.kwnames,
    };
    let b = super::native_args::bind(vm, "unpack_from", &rest, &["buffer", "offset"], 1, 2)?;
    let off = offset_arg(vm, b[1])?;
    match b[0] {
        Some(buf) => unpack_from(vm, &c, buf, off),
        None => unreachable!("bind checks the required argument"),
    }
}

fn s_iter_unpack(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (s, r) = this(vm, "iter_unpack", a, 1, 1)?;
    let c = compiled(me(vm, s)?);
    iter_unpack(vm, c, &r[0])
}

fn s_format(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (s, _) = this(vm, "format", a, 0, 0)?;
    let c = compiled(me(vm, s)?);
    Ok(new_str(&c.format))
}

fn s_size(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (s, _) = this(vm, "size", a, 0, 0)?;
    let c = compiled(me(vm, s)?);
    Ok(Value::int(c.size as i64))
}

// ---- unpack_iterator ----------------------------------------------------------------

pub struct UnpackIter {
    /// The format, a copy of the buffer, and the next offset.
    st: ObjCell<(Arc<Compiled>, Vec<u8>, usize)>,
}
native_payload!(UnpackIter, ITER);
static ITER_T: NativeType = NativeType {
    iternext: Some(it_next),
    ..NativeType::of::<UnpackIter>()
};

fn it_next(vm: &mut Vm, v: &Value) -> PyResult<Option<Value>> {
    let Some(it) = native::downcast::<UnpackIter>(v) else {
        return Err(vm.type_error("descriptor requires a '_struct.unpack_iterator' object"));
    };
    Ok(it.st.with(|(c, data, pos)| {
        if *pos + c.size > data.len() {
            return None;
        }
        let v = unpack_at(c, &data[*pos..]);
        *pos += c.size;
        Some(v)
    }))
}

fn it_iter(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (s, _) = this(vm, "__iter__", a, 0, 0)?;
    Ok(s.clone())
}

fn it_next_method(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (s, _) = this(vm, "__next__", a, 0, 0)?;
    match it_next(vm, s)? {
        Some(v) => Ok(v),
        None => Err(vm.stop_iteration(Value::none())),
    }
}

fn it_length_hint(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (s, _) = this(vm, "__length_hint__", a, 0, 0)?;
    let Some(it) = native::downcast::<UnpackIter>(s) else {
        return Err(vm.type_error("descriptor requires a '_struct.unpack_iterator' object"));
    };
    let n = it
        .st
        .read(|(c, data, pos)| (data.len() - *pos) / c.size.max(1));
    Ok(Value::int(n as i64))
}
