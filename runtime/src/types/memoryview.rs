//! `memoryview`: a window on the bytes of a `bytes`, `bytearray` or `array.array`,
//! read and (for the mutable ones) written in place, with CPython 3.11's behaviour for
//! one-dimensional views: indexing and slicing (with steps), item formats (`cast`),
//! `tobytes`/`tolist`/`hex`, comparisons, hashing of read-only byte views, `release`
//! and the context manager. `cast(format, shape)` makes C-contiguous views of any
//! number of dimensions (0 to 64): their shape, strides, `tolist`, comparisons and
//! item access by a tuple of indexes; sub-views of them are not implemented (as in
//! CPython).
//!
//! A view holds its object and the byte window `(start, step, len)` over it; every
//! access copies in or out under the object's own lock and checks the bounds again, so
//! a `bytearray` resized by another thread (CPython forbids that with BufferError while
//! views exist; stitch counts the exports of `array.array` only) can never be read out
//! of bounds: the view then raises IndexError.
use crate::native_payload;
use crate::object::ObjCell;
use crate::ops;
use crate::types::bytes::{ByteArrayObj, BytesObj};
use crate::types::class::Kind;
use crate::types::native::{NativeType, downcast, new_type};
use crate::types::str::{as_str, new_str};
use crate::types::tuple::TupleObj;
use crate::value::Value;
use crate::vm::{Args, PyResult, Vm};
use crate::world::types;

pub struct MemoryView {
    /// The exporting object (bytes, bytearray or array.array).
    obj: Value,
    /// Byte offset of item 0, distance in bytes between items, number of items.
    start: usize,
    step: isize,
    len: usize,
    format: Format,
    readonly: bool,
    released: ObjCell<bool>,
    /// The hash once computed: a released view still answers it (as CPython's).
    hash: ObjCell<Option<i64>>,
    /// The dimensions of a view cast with a shape other than one dimension (then the
    /// view is C-contiguous and `len` is their product); None: one dimension of `len`.
    shape: Option<Box<[usize]>>,
}

native_payload!(MemoryView, MEMORYVIEW);

static TABLE: NativeType = NativeType {
    new: Some(mv_new),
    weakrefable: true,
    ..NativeType::of::<MemoryView>()
};

/// The item formats a view can have (`struct` codes, native sizes and order).
#[derive(Clone, Copy, PartialEq)]
enum Format {
    U8,
    I8,
    Char,
    Bool,
    I16,
    U16,
    I32,
    U32,
    I64,
    U64,
    F32,
    F64,
}

impl Format {
    fn parse(s: &str) -> Option<Format> {
        let s = s.strip_prefix('@').unwrap_or(s);
        Some(match s {
            "B" => Format::U8,
            "b" => Format::I8,
            "c" => Format::Char,
            "?" => Format::Bool,
            "h" => Format::I16,
            "H" => Format::U16,
            "i" => Format::I32,
            "I" => Format::U32,
            "l" | "q" | "n" => Format::I64,
            "L" | "Q" | "N" => Format::U64,
            "f" => Format::F32,
            "d" => Format::F64,
            _ => return None,
        })
    }

    fn code(self) -> &'static str {
        match self {
            Format::U8 => "B",
            Format::I8 => "b",
            Format::Char => "c",
            Format::Bool => "?",
            Format::I16 => "h",
            Format::U16 => "H",
            Format::I32 => "i",
            Format::U32 => "I",
            Format::I64 => "l",
            Format::U64 => "L",
            Format::F32 => "f",
            Format::F64 => "d",
        }
    }

    fn size(self) -> usize {
        match self {
            Format::U8 | Format::I8 | Format::Char | Format::Bool => 1,
            Format::I16 | Format::U16 => 2,
            Format::I32 | Format::U32 | Format::F32 => 4,
            Format::I64 | Format::U64 | Format::F64 => 8,
        }
    }

    fn unpack(self, b: &[u8]) -> Value {
        macro_rules! ne {
            ($t:ty) => {
                <$t>::from_ne_bytes(b.try_into().unwrap_or_default())
            };
        }
        match self {
            Format::U8 => Value::int(b[0] as i64),
            Format::I8 => Value::int(b[0] as i8 as i64),
            Format::Char => crate::types::bytes::BytesObj::new_value(vec![b[0]]),
            Format::Bool => Value::bool(b[0] != 0),
            Format::I16 => Value::int(ne!(i16) as i64),
            Format::U16 => Value::int(ne!(u16) as i64),
            Format::I32 => Value::int(ne!(i32) as i64),
            Format::U32 => Value::int(ne!(u32) as i64),
            Format::I64 => Value::int(ne!(i64)),
            Format::U64 => Value::bigint(num_bigint::BigInt::from(ne!(u64))),
            Format::F32 => Value::float(ne!(f32) as f64),
            Format::F64 => Value::float(ne!(f64)),
        }
    }

    fn pack(self, vm: &mut Vm, v: &Value) -> PyResult<Vec<u8>> {
        let bad = |vm: &mut Vm| {
            let tn = v.type_data().name.clone();
            vm.type_error(
                format!("memoryview: invalid type for format '{}'", self.code())
                    + &format!(" ({tn})"),
            )
        };
        let range_err = |vm: &mut Vm| {
            vm.value_error(format!(
                "memoryview: invalid value for format '{}'",
                self.code()
            ))
        };
        match self {
            Format::F32 | Format::F64 => {
                let f = match v.as_float() {
                    Some(f) => f,
                    None => match crate::types::int::as_int(v) {
                        Some(i) => num_traits::ToPrimitive::to_f64(&i.to_big()).unwrap_or(0.0),
                        None => return Err(bad(vm)),
                    },
                };
                Ok(if self == Format::F32 {
                    (f as f32).to_ne_bytes().to_vec()
                } else {
                    f.to_ne_bytes().to_vec()
                })
            }
            Format::Char => match crate::types::bytes::as_bytes(v) {
                Some(b) if b.len() == 1 => Ok(b),
                _ => Err(range_err(vm)),
            },
            Format::Bool => Ok(vec![ops::truthy(vm, v)? as u8]),
            _ => {
                if v.is_float() || crate::types::int::as_int(v).is_none() {
                    return Err(bad(vm));
                }
                let i = crate::types::int::as_int(v)
                    .map(|i| i.to_big())
                    .unwrap_or_default();
                let out = match self {
                    Format::U8 => u8::try_from(&i).ok().map(|x| vec![x]),
                    Format::I8 => i8::try_from(&i).ok().map(|x| vec![x as u8]),
                    Format::I16 => i16::try_from(&i).ok().map(|x| x.to_ne_bytes().to_vec()),
                    Format::U16 => u16::try_from(&i).ok().map(|x| x.to_ne_bytes().to_vec()),
                    Format::I32 => i32::try_from(&i).ok().map(|x| x.to_ne_bytes().to_vec()),
                    Format::U32 => u32::try_from(&i).ok().map(|x| x.to_ne_bytes().to_vec()),
                    Format::I64 => i64::try_from(&i).ok().map(|x| x.to_ne_bytes().to_vec()),
                    _ => u64::try_from(&i).ok().map(|x| x.to_ne_bytes().to_vec()),
                };
                out.ok_or_else(|| range_err(vm))
            }
        }
    }
}

/// A new view, counted as an export of its object (see `Drop for MemoryView`).
fn alloc_view(m: MemoryView) -> Value {
    crate::modules::array::export(&m.obj, true);
    Value::alloc(m)
}

/// A view's export ends when it is released or freed, whichever comes first: an
/// `array.array` cannot change size while one of its exports is alive (CPython's
/// `ob_exports` rule). `bytearray` does not count its exports yet.
impl Drop for MemoryView {
    fn drop(&mut self) {
        if !self.released.get_clone() {
            crate::modules::array::export(&self.obj, false);
        }
    }
}

impl MemoryView {
    /// Mark the view released, ending its export once.
    fn release(&self) {
        if !self.released.with(|r| std::mem::replace(r, true)) {
            crate::modules::array::export(&self.obj, false);
        }
    }
}

/// Whether `v` exports a buffer a view can be made on.
fn exporter(v: &Value) -> Option<bool> {
    if v.downcast::<BytesObj>().is_some() {
        Some(true)
    } else if v.downcast::<ByteArrayObj>().is_some() || crate::modules::array::is_array(v) {
        Some(false)
    } else {
        None
    }
}

/// Run `f` on the exporter's bytes in place (an exporter is one of the types
/// `exporter` accepts, never a view).
fn with_data<R>(obj: &Value, f: impl FnOnce(&[u8]) -> R) -> Option<R> {
    if let Some(b) = obj.downcast::<BytesObj>() {
        return Some(f(&b.data));
    }
    if let Some(b) = obj.downcast::<ByteArrayObj>() {
        return Some(b.data.read(|d| f(d)));
    }
    crate::modules::array::with_raw(obj, f)
}

/// Make a view of the whole of `obj` (a view of a view shares its window).
pub fn new_view(vm: &mut Vm, obj: &Value) -> PyResult<Value> {
    // A `pickle.PickleBuffer` exports the buffer it wraps.
    if obj.type_raw() == crate::modules::pickle::buffer::class() {
        let inner = crate::modules::pickle::buffer::live_view(vm, obj)?;
        return new_view(vm, &inner);
    }
    if let Some(m) = downcast::<MemoryView>(obj) {
        m.check(vm)?;
        return Ok(alloc_view(MemoryView {
            obj: m.obj.clone(),
            start: m.start,
            step: m.step,
            len: m.len,
            format: m.format,
            readonly: m.readonly,
            released: ObjCell::new(false),
            hash: ObjCell::new(None),
            shape: m.shape.clone(),
        }));
    }
    let Some(readonly) = exporter(obj) else {
        let tn = obj.type_data().name.clone();
        return Err(vm.type_error(format!(
            "memoryview: a bytes-like object is required, not '{tn}'"
        )));
    };
    let format = crate::modules::array::typecode(obj)
        .and_then(|c| Format::parse(&c.to_string()))
        .unwrap_or(Format::U8);
    let nbytes = with_data(obj, |d| d.len()).unwrap_or(0);
    Ok(alloc_view(MemoryView {
        obj: obj.clone(),
        start: 0,
        step: format.size() as isize,
        len: nbytes / format.size(),
        format,
        readonly,
        released: ObjCell::new(false),
        hash: ObjCell::new(None),
        shape: None,
    }))
}

fn mv_new(vm: &mut Vm, _cls: &Value, a: &Args) -> PyResult<Value> {
    // Argument Clinic counts keywords with the positional arguments here.
    let n = a.pos().len() + a.kw().count();
    if n > 1 {
        return Err(vm.type_error(format!("memoryview() takes at most 1 argument ({n} given)")));
    }
    let b = crate::modules::native_args::bind(vm, "memoryview", a, &["object"], 1, 1)?;
    let Some(obj) = b[0] else {
        return Err(vm.type_error("memoryview() missing required argument 'object' (pos 1)"));
    };
    new_view(vm, obj)
}

impl MemoryView {
    fn check(&self, vm: &mut Vm) -> PyResult<()> {
        if self.released.get_clone() {
            return Err(vm.value_error("operation forbidden on released memoryview object"));
        }
        Ok(())
    }

    /// The dimensions (one for a plain view).
    fn dims(&self) -> Vec<usize> {
        match &self.shape {
            Some(s) => s.to_vec(),
            None => vec![self.len],
        }
    }

    /// The flat item index of a tuple of indexes (one per dimension), or CPython's
    /// error for a tuple of another length or an index out of bounds.
    fn flat_index(&self, vm: &mut Vm, key: &[Value]) -> PyResult<usize> {
        let dims = self.dims();
        if key.len() > dims.len() {
            return Err(vm.type_error(format!(
                "cannot index {}-dimension view with {}-element tuple",
                dims.len(),
                key.len()
            )));
        }
        if key.len() < dims.len() {
            return Err(vm.err(
                types().not_implemented_error,
                "sub-views are not implemented",
            ));
        }
        let mut flat = 0usize;
        for (dim, (k, &n)) in key.iter().zip(&dims).enumerate() {
            if k.is_float() || crate::types::int::as_int(k).is_none() {
                return Err(vm.type_error("memoryview: invalid slice key"));
            }
            let i = ops::to_isize(vm, k)?;
            let j = if i < 0 { i + n as i64 } else { i };
            if j < 0 || j >= n as i64 {
                return Err(vm.index_error(format!("index out of bounds on dimension {}", dim + 1)));
            }
            flat = flat * n + j as usize;
        }
        Ok(flat)
    }

    fn item_offset(&self, i: usize) -> usize {
        (self.start as isize + i as isize * self.step) as usize
    }

    /// The exporter's bytes the view covers, when its items are adjacent (every view
    /// not made by a slice with a step): those are read and written as one run.
    fn contiguous_range(&self) -> Option<std::ops::Range<usize>> {
        let size = self.format.size();
        (self.len <= 1 || self.step == size as isize)
            .then(|| self.start..self.start + self.len * size)
    }

    /// Run `f` on the view's bytes: in place for a contiguous view (the exporter's
    /// cell is held for the call, so `f` must not run Python code), else on a copy
    /// gathered item by item. None if the exporter is smaller than the view.
    pub fn with_bytes<R>(&self, f: impl FnOnce(&[u8]) -> R) -> Option<R> {
        if let Some(r) = self.contiguous_range() {
            return with_data(&self.obj, |d| d.get(r).map(f)).flatten();
        }
        self.bytes().map(|b| f(&b))
    }

    /// The view's bytes (a copy).
    pub fn bytes(&self) -> Option<Vec<u8>> {
        if let Some(r) = self.contiguous_range() {
            return with_data(&self.obj, |d| d.get(r).map(<[u8]>::to_vec)).flatten();
        }
        let size = self.format.size();
        with_data(&self.obj, |d| {
            let mut out = Vec::with_capacity(self.len * size);
            for i in 0..self.len {
                let o = self.item_offset(i);
                out.extend_from_slice(d.get(o..o + size)?);
            }
            Some(out)
        })
        .flatten()
    }

    fn write(&self, vm: &mut Vm, i: usize, data: &[u8]) -> PyResult<()> {
        let o = self.item_offset(i);
        let ok = if let Some(b) = self.obj.downcast::<ByteArrayObj>() {
            b.data.with(|d| match d.get_mut(o..o + data.len()) {
                Some(dst) => {
                    dst.copy_from_slice(data);
                    true
                }
                None => false,
            })
        } else if crate::modules::array::is_array(&self.obj)
            && o + data.len() <= crate::modules::array::byte_len(&self.obj)
        {
            crate::modules::array::write_bytes(&self.obj, o, data);
            true
        } else {
            false
        };
        if ok {
            Ok(())
        } else {
            Err(vm.index_error("index out of bounds on dimension 1"))
        }
    }
}

fn this<'a>(vm: &mut Vm, a: &Args<'a>) -> PyResult<(&'a Value, &'a MemoryView)> {
    let Some(s) = a.pos().first() else {
        return Err(vm.type_error("descriptor needs a memoryview"));
    };
    match downcast::<MemoryView>(s) {
        Some(m) => {
            m.check(vm)?;
            Ok((s, m))
        }
        None => Err(vm.type_error("descriptor requires a 'memoryview' object")),
    }
}

/// `this` that also accepts a released view (for `release`, `__exit__`, `released`).
fn this_any<'a>(vm: &mut Vm, a: &Args<'a>) -> PyResult<&'a MemoryView> {
    a.pos()
        .first()
        .and_then(downcast::<MemoryView>)
        .ok_or_else(|| vm.type_error("descriptor requires a 'memoryview' object"))
}

fn all_bytes(vm: &mut Vm, m: &MemoryView) -> PyResult<Vec<u8>> {
    m.bytes()
        .ok_or_else(|| vm.index_error("memoryview: underlying buffer is smaller than the view"))
}

fn index(vm: &mut Vm, m: &MemoryView, key: &Value) -> PyResult<usize> {
    if key.is_float() || crate::types::int::as_int(key).is_none() {
        return Err(vm.type_error("memoryview: invalid slice key"));
    }
    let i = ops::to_isize(vm, key)?;
    let n = m.len as i64;
    let j = if i < 0 { i + n } else { i };
    if j < 0 || j >= n {
        return Err(vm.index_error("index out of bounds on dimension 1"));
    }
    Ok(j as usize)
}

/// Read item `i` (a flat index checked by the caller).
fn read_item(vm: &mut Vm, m: &MemoryView, i: usize) -> PyResult<Value> {
    let size = m.format.size();
    let o = m.item_offset(i);
    match with_data(&m.obj, |d| d.get(o..o + size).map(|b| m.format.unpack(b))).flatten() {
        Some(v) => Ok(v),
        None => Err(vm.index_error("index out of bounds on dimension 1")),
    }
}

/// The flat index `key` names in a view that is not one-dimensional: `()` or `...` in a
/// 0-dim view, a full tuple of indexes otherwise. `Ok(None)`: `...`, the view itself.
fn nd_key(vm: &mut Vm, m: &MemoryView, key: &Value) -> PyResult<Option<usize>> {
    let ndim = m.shape.as_ref().map_or(1, |s| s.len());
    if key.is(&Value::ellipsis()) {
        return Ok(None);
    }
    if let Some(t) = key.downcast::<TupleObj>() {
        return m.flat_index(vm, &t.items).map(Some);
    }
    if ndim == 0 {
        return Err(vm.type_error("invalid indexing of 0-dim memory"));
    }
    if key.downcast::<crate::types::misc::SliceObj>().is_none()
        && (key.is_float() || crate::types::int::as_int(key).is_none())
    {
        return Err(vm.type_error("memoryview: invalid slice key"));
    }
    Err(vm.err(
        types().not_implemented_error,
        "multi-dimensional sub-views are not implemented",
    ))
}

fn getitem(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (s, m) = this(vm, a)?;
    let key = &a.pos()[1];
    if m.shape.is_some() {
        return match nd_key(vm, m, key)? {
            Some(i) => read_item(vm, m, i),
            None => new_view(vm, s),
        };
    }
    if let Some(sl) = key.downcast::<crate::types::misc::SliceObj>() {
        let (start, _, step, n) = ops::slice_indices(vm, sl, m.len as i64)?;
        return Ok(alloc_view(MemoryView {
            obj: m.obj.clone(),
            start: if n > 0 {
                m.item_offset(start as usize)
            } else {
                m.start
            },
            step: m.step * step as isize,
            len: n as usize,
            format: m.format,
            readonly: m.readonly,
            released: ObjCell::new(false),
            hash: ObjCell::new(None),
            shape: None,
        }));
    }
    if key
        .downcast::<TupleObj>()
        .is_some_and(|t| t.items.is_empty())
    {
        return Err(vm.type_error("invalid indexing of 0-dim memory"));
    }
    let i = index(vm, m, key)?;
    read_item(vm, m, i)
}

fn setitem(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (_, m) = this(vm, a)?;
    if m.readonly {
        return Err(vm.type_error("cannot modify read-only memory"));
    }
    let (key, v) = (&a.pos()[1], &a.pos()[2]);
    let size = m.format.size();
    if m.shape.is_some() {
        let i = match nd_key(vm, m, key) {
            Ok(Some(i)) => i,
            // `m[...] = v` of a 0-dim view sets its item.
            Ok(None) if m.len == 1 => 0,
            Ok(None) => {
                return Err(vm.err(
                    types().not_implemented_error,
                    "memoryview slice assignments are currently restricted to ndim = 1",
                ));
            }
            Err(e) => return Err(e),
        };
        let data = m.format.pack(vm, v)?;
        m.write(vm, i, &data)?;
        return Ok(Value::none());
    }
    if let Some(sl) = key.downcast::<crate::types::misc::SliceObj>() {
        let (start, _, step, n) = ops::slice_indices(vm, sl, m.len as i64)?;
        let src = crate::modules::buffer::need(vm, v)?.into_owned();
        if src.len() != n as usize * size {
            return Err(vm.value_error(
                "memoryview assignment: lvalue and rvalue have different structures",
            ));
        }
        if step == 1 && m.contiguous_range().is_some() {
            // Adjacent items: one copy (`sock.recv_into(view)`, `buf[:n] = data`).
            if n > 0 {
                m.write(vm, start as usize, &src)?;
            }
            return Ok(Value::none());
        }
        for k in 0..n as usize {
            let i = (start + k as i64 * step) as usize;
            m.write(vm, i, &src[k * size..(k + 1) * size])?;
        }
        return Ok(Value::none());
    }
    // A tuple of slices asks for a multi-dimensional slice store, which CPython has
    // not implemented either; a tuple of one index per dimension names an item.
    let i = match key.downcast::<TupleObj>() {
        Some(t)
            if !t.items.is_empty()
                && t.items
                    .iter()
                    .all(|k| k.downcast::<crate::types::misc::SliceObj>().is_some()) =>
        {
            return Err(vm.err(
                types().not_implemented_error,
                "memoryview slice assignments are currently restricted to ndim = 1",
            ));
        }
        Some(t) => m.flat_index(vm, &t.items)?,
        None => index(vm, m, key)?,
    };
    let data = m.format.pack(vm, v)?;
    m.write(vm, i, &data)?;
    Ok(Value::none())
}

fn len(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (_, m) = this(vm, a)?;
    match m.dims().first() {
        Some(&n) => Ok(Value::int(n as i64)),
        None => Err(vm.type_error("0-dim memory has no length")),
    }
}

fn tobytes(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (_, m) = this(vm, a)?;
    let b = all_bytes(vm, m)?;
    Ok(BytesObj::new_value(b))
}

fn tolist(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (_, m) = this(vm, a)?;
    let b = all_bytes(vm, m)?;
    let items: Vec<Value> = b
        .chunks(m.format.size())
        .map(|c| m.format.unpack(c))
        .collect();
    let dims = m.dims();
    if dims.is_empty() {
        return Ok(items.into_iter().next().unwrap_or_else(Value::none));
    }
    Ok(nest(&items, &dims))
}

/// `items` (C order) as nested lists of the dimensions `dims` (at least one).
fn nest(items: &[Value], dims: &[usize]) -> Value {
    let list = crate::types::list::ListObj::new_value;
    if dims.len() == 1 {
        return list(items.to_vec());
    }
    let chunk = items.len() / dims[0].max(1);
    list(
        (0..dims[0])
            .map(|k| nest(&items[k * chunk..(k + 1) * chunk], &dims[1..]))
            .collect(),
    )
}

fn hex(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (_, m) = this(vm, a)?;
    let mut args = vec![BytesObj::new_value(all_bytes(vm, m)?)];
    args.extend_from_slice(&a.args[1..]);
    crate::modules::binascii::hex_method(
        vm,
        &Args {
            args: &args,
            kwnames: a.kwnames,
        },
    )
}

fn release(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let m = this_any(vm, a)?;
    m.release();
    Ok(Value::none())
}

fn enter(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (s, _) = this(vm, a)?;
    Ok(s.clone())
}

fn exit(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let m = this_any(vm, a)?;
    m.release();
    Ok(Value::none())
}

fn cast(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (_, m) = this(vm, a)?;
    let Some(fmt) = a.args.get(1).and_then(as_str) else {
        return Err(vm.type_error("memoryview: format argument must be a string"));
    };
    let shape = match a.args.get(2) {
        Some(s) => Some(cast_shape(vm, m, s)?),
        None => None,
    };
    let Some(format) = Format::parse(fmt) else {
        return Err(vm.value_error(
            "memoryview: destination format must be a native single character format prefixed with an optional '@'",
        ));
    };
    if m.step != m.format.size() as isize {
        return Err(vm.type_error("memoryview: casts are restricted to C-contiguous views"));
    }
    let nbytes = m.len * m.format.size();
    if m.format != Format::U8
        && m.format != Format::I8
        && m.format != Format::Char
        && format != Format::U8
        && format != Format::I8
        && format != Format::Char
    {
        return Err(vm.type_error("memoryview: cannot cast between two non-byte formats"));
    }
    if nbytes % format.size() != 0 {
        return Err(vm.type_error("memoryview: length is not a multiple of itemsize"));
    }
    if let Some(shape) = &shape {
        let items = shape
            .iter()
            .try_fold(1usize, |p, &d| p.checked_mul(d))
            .filter(|&p| p.checked_mul(format.size()) == Some(nbytes));
        if items.is_none() {
            return Err(vm.type_error("memoryview: product(shape) * itemsize != buffer size"));
        }
    }
    Ok(alloc_view(MemoryView {
        obj: m.obj.clone(),
        start: m.start,
        step: format.size() as isize,
        len: nbytes / format.size(),
        format,
        readonly: m.readonly,
        released: ObjCell::new(false),
        hash: ObjCell::new(None),
        shape: shape.filter(|s| s.len() != 1),
    }))
}

/// The `shape` argument of `cast`: a list or tuple of at most 64 positive ints, for a
/// one-dimensional view.
fn cast_shape(vm: &mut Vm, m: &MemoryView, s: &Value) -> PyResult<Box<[usize]>> {
    if s.downcast::<TupleObj>().is_none() && s.downcast::<crate::types::list::ListObj>().is_none() {
        return Err(vm.type_error("shape must be a list or a tuple"));
    }
    let items = ops::seq_items_fast(s).unwrap_or_default();
    if m.shape.is_some() && items.len() != 1 {
        return Err(vm.type_error("memoryview: cast must be 1D -> ND or ND -> 1D"));
    }
    if items.len() > 64 {
        return Err(vm.value_error("memoryview: number of dimensions must not exceed 64"));
    }
    let mut dims = Vec::with_capacity(items.len());
    for d in &items {
        let n = match crate::types::int::as_int(d) {
            Some(_) if !d.is_float() => ops::to_isize(vm, d)?,
            _ => {
                return Err(
                    vm.type_error("memoryview.cast(): elements of shape must be integers > 0")
                );
            }
        };
        if n <= 0 {
            return Err(vm.value_error("memoryview.cast(): elements of shape must be integers > 0"));
        }
        dims.push(n as usize);
    }
    Ok(dims.into_boxed_slice())
}

fn toreadonly(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (_, m) = this(vm, a)?;
    Ok(alloc_view(MemoryView {
        obj: m.obj.clone(),
        start: m.start,
        step: m.step,
        len: m.len,
        format: m.format,
        readonly: true,
        released: ObjCell::new(false),
        hash: ObjCell::new(None),
        shape: m.shape.clone(),
    }))
}

fn eq(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let s = &a.pos()[0];
    let o = &a.pos()[1];
    let Some(m) = downcast::<MemoryView>(s) else {
        return Ok(Value::not_implemented());
    };
    if s.is(o) {
        return Ok(Value::bool(true));
    }
    if m.released.get_clone() {
        return Ok(Value::bool(false));
    }
    // Another exporter compares through a view of it, with its own item format (an
    // array's); any failure to get one means "not comparable", as CPython clears it.
    let view;
    let om = match downcast::<MemoryView>(o) {
        Some(om) => om,
        None => match new_view(vm, o) {
            Ok(v) => {
                view = v;
                match downcast::<MemoryView>(&view) {
                    Some(om) => om,
                    None => return Ok(Value::not_implemented()),
                }
            }
            Err(_) => return Ok(Value::not_implemented()),
        },
    };
    if om.released.get_clone() || om.dims() != m.dims() {
        return Ok(Value::bool(false));
    }
    let other: Vec<Value> = all_bytes(vm, om)?
        .chunks(om.format.size())
        .map(|c| om.format.unpack(c))
        .collect();
    let mine = all_bytes(vm, m)?;
    let mine: Vec<Value> = mine
        .chunks(m.format.size())
        .map(|c| m.format.unpack(c))
        .collect();
    if mine.len() != other.len() {
        return Ok(Value::bool(false));
    }
    for (x, y) in mine.iter().zip(other.iter()) {
        if !vm.eq(x, y)? {
            return Ok(Value::bool(false));
        }
    }
    Ok(Value::bool(true))
}

fn ne(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let r = eq(vm, a)?;
    if r.is(&Value::not_implemented()) {
        return Ok(r);
    }
    Ok(Value::bool(!r.is(&Value::bool(true))))
}

fn hash(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    if let Some(h) = this_any(vm, a)?.hash.get_clone() {
        return Ok(Value::int(h));
    }
    let (_, m) = this(vm, a)?;
    if !m.readonly {
        return Err(vm.value_error("cannot hash writable memoryview object"));
    }
    if !matches!(m.format, Format::U8 | Format::I8 | Format::Char) {
        return Err(vm.value_error("memoryview: hashing is restricted to formats 'B', 'b' or 'c'"));
    }
    let b = all_bytes(vm, m)?;
    let h = vm.hash(&BytesObj::new_value(b))?;
    m.hash.with(|c| *c = Some(h));
    Ok(Value::int(h))
}

fn repr(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let m = this_any(vm, a)?;
    let what = if m.released.get_clone() {
        "released memory"
    } else {
        "memory"
    };
    Ok(new_str(&format!("<{what} at {:#x}>", a.pos()[0].bits())))
}

fn iter(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (_, m) = this(vm, a)?;
    match m.shape.as_ref().map(|s| s.len()) {
        Some(0) => return Err(vm.type_error("invalid indexing of 0-dim memory")),
        Some(_) => {
            return Err(vm.err(
                types().not_implemented_error,
                "multi-dimensional sub-views are not implemented",
            ));
        }
        None => {}
    }
    let l = tolist(vm, a)?;
    ops::get_iter(vm, &l)
}

macro_rules! getters {
    ($($name:ident => |$vm:ident, $m:ident| $e:expr;)*) => {
        $(
            fn $name($vm: &mut Vm, a: &Args) -> PyResult<Value> {
                let (_, $m) = this($vm, a)?;
                let _ = &$m;
                Ok($e)
            }
        )*
    };
}

getters! {
    g_obj => |vm, m| m.obj.clone();
    g_nbytes => |vm, m| Value::int((m.len * m.format.size()) as i64);
    g_readonly => |vm, m| Value::bool(m.readonly);
    g_itemsize => |vm, m| Value::int(m.format.size() as i64);
    g_format => |vm, m| new_str(m.format.code());
    g_ndim => |vm, m| Value::int(m.dims().len() as i64);
    g_shape => |vm, m| TupleObj::new_value(m.dims().iter().map(|&d| Value::int(d as i64)).collect());
    g_strides => |vm, m| TupleObj::new_value(strides(m).into_iter().map(Value::int).collect());
    g_suboffsets => |vm, m| TupleObj::from_items([]);
    g_contiguous => |vm, m| Value::bool(m.step == m.format.size() as isize || m.len <= 1);
}

/// The byte distance between neighbours along each dimension.
fn strides(m: &MemoryView) -> Vec<i64> {
    let Some(shape) = &m.shape else {
        return vec![m.step as i64];
    };
    let mut out = vec![0i64; shape.len()];
    let mut stride = m.format.size() as i64;
    for k in (0..shape.len()).rev() {
        out[k] = stride;
        stride *= shape[k] as i64;
    }
    out
}

/// The bytes of a memoryview (for `bytes(mv)`, `b"".join`, the binary modules).
/// Is `v` a memoryview?
pub fn is_view(v: &Value) -> bool {
    downcast::<MemoryView>(v).is_some()
}

/// Run `f` on a memoryview's bytes (in place when contiguous; see
/// [`MemoryView::with_bytes`]); None for another type, a released view or a view
/// larger than its exporter.
pub fn with_view_bytes<R>(v: &Value, f: impl FnOnce(&[u8]) -> R) -> Option<R> {
    let m = downcast::<MemoryView>(v)?;
    if m.released.get_clone() {
        return None;
    }
    m.with_bytes(f)
}

pub fn view_bytes(v: &Value) -> Option<Vec<u8>> {
    let m = downcast::<MemoryView>(v)?;
    if m.released.get_clone() {
        return None;
    }
    m.bytes()
}

/// The size in bytes of a writable, C-contiguous memoryview (what `readinto` can fill);
/// None for anything else (another type, a released, read-only or strided view).
pub fn writable_len(v: &Value) -> Option<usize> {
    let m = downcast::<MemoryView>(v)?;
    let size = m.format.size();
    if m.readonly || m.released.get_clone() || (m.len > 1 && m.step != size as isize) {
        return None;
    }
    Some(m.len * size)
}

/// Copy `data` over the first bytes of a view `writable_len` accepted.
pub fn write_prefix(vm: &mut Vm, v: &Value, data: &[u8]) -> PyResult<()> {
    match downcast::<MemoryView>(v) {
        Some(m) if !data.is_empty() => m.write(vm, 0, data),
        _ => Ok(()),
    }
}

/// Create the `memoryview` type and name it in builtins.
pub fn install() -> Value {
    let t = new_type::<MemoryView>(
        "memoryview",
        "builtins",
        types().object,
        Kind::Native,
        &TABLE,
        &MEMORYVIEW,
    );
    crate::modules::native_args::methods(
        &t,
        &[
            ("__getitem__", getitem),
            ("__setitem__", setitem),
            ("__len__", len),
            ("__iter__", iter),
            ("__eq__", eq),
            ("__ne__", ne),
            ("__hash__", hash),
            ("__repr__", repr),
            ("__enter__", enter),
            ("__exit__", exit),
            ("tobytes", tobytes),
            ("tolist", tolist),
            ("hex", hex),
            ("release", release),
            ("cast", cast),
            ("toreadonly", toreadonly),
        ],
    );
    for (name, f) in [
        ("obj", g_obj as crate::types::func::NativeFn),
        ("nbytes", g_nbytes),
        ("readonly", g_readonly),
        ("itemsize", g_itemsize),
        ("format", g_format),
        ("ndim", g_ndim),
        ("shape", g_shape),
        ("strides", g_strides),
        ("suboffsets", g_suboffsets),
        ("c_contiguous", g_contiguous),
        ("f_contiguous", g_contiguous),
        ("contiguous", g_contiguous),
    ] {
        crate::modules::native_args::getset(&t, name, f, None);
    }
    crate::types::layout::set_final(t.raw());
    t
}
