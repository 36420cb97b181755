//! `memoryview`: a window on the bytes of a `bytes`, `bytearray` or `array.array`,
//! read and (for the mutable ones) written in place, with CPython 3.11's behaviour for
//! one-dimensional views: indexing and slicing (with steps), item formats (`cast`),
//! `tobytes`/`tolist`/`hex`, comparisons, hashing of read-only byte views, `release`
//! and the context manager.
//!
//! A view holds its object and the byte window `(start, step, len)` over it; every
//! access copies in or out under the object's own lock and checks the bounds again, so
//! a `bytearray` resized by another thread (CPython forbids that with BufferError while
//! views exist; stitch does not count exports yet) can never be read out of bounds:
//! the view then raises IndexError.
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
}

native_payload!(MemoryView, MEMORYVIEW);

static TABLE: NativeType = NativeType {
    new: Some(mv_new),
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

/// Run `f` on the exporter's bytes in place.
fn with_data<R>(obj: &Value, f: impl FnOnce(&[u8]) -> R) -> Option<R> {
    crate::modules::buffer::with_bytes(obj, f)
}

/// Make a view of the whole of `obj` (a view of a view shares its window).
pub fn new_view(vm: &mut Vm, obj: &Value) -> PyResult<Value> {
    if let Some(m) = downcast::<MemoryView>(obj) {
        m.check(vm)?;
        return Ok(Value::alloc(MemoryView {
            obj: m.obj.clone(),
            start: m.start,
            step: m.step,
            len: m.len,
            format: m.format,
            readonly: m.readonly,
            released: ObjCell::new(false),
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
    Ok(Value::alloc(MemoryView {
        obj: obj.clone(),
        start: 0,
        step: format.size() as isize,
        len: nbytes / format.size(),
        format,
        readonly,
        released: ObjCell::new(false),
    }))
}

fn mv_new(vm: &mut Vm, _cls: &Value, a: &Args) -> PyResult<Value> {
    let p = a.pos();
    let obj = match (p.first(), a.get_kw("object")) {
        (Some(o), None) if p.len() == 1 => o.clone(),
        (None, Some(o)) if a.kw().count() == 1 => o.clone(),
        _ => {
            return Err(vm.type_error("memoryview() takes exactly one argument (object)"));
        }
    };
    new_view(vm, &obj)
}

impl MemoryView {
    fn check(&self, vm: &mut Vm) -> PyResult<()> {
        if self.released.get_clone() {
            return Err(vm.value_error("operation forbidden on released memoryview object"));
        }
        Ok(())
    }

    fn item_offset(&self, i: usize) -> usize {
        (self.start as isize + i as isize * self.step) as usize
    }

    /// The view's bytes, item by item.
    pub fn bytes(&self) -> Option<Vec<u8>> {
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

fn getitem(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (_, m) = this(vm, a)?;
    let key = &a.pos()[1];
    if let Some(sl) = key.downcast::<crate::types::misc::SliceObj>() {
        let (start, _, step, n) = ops::slice_indices(vm, sl, m.len as i64)?;
        return Ok(Value::alloc(MemoryView {
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
        }));
    }
    if key
        .downcast::<TupleObj>()
        .is_some_and(|t| t.items.is_empty())
    {
        return Err(vm.type_error("invalid indexing of 0-dim memory"));
    }
    let i = index(vm, m, key)?;
    let size = m.format.size();
    let o = m.item_offset(i);
    match with_data(&m.obj, |d| d.get(o..o + size).map(|b| m.format.unpack(b))).flatten() {
        Some(v) => Ok(v),
        None => Err(vm.index_error("index out of bounds on dimension 1")),
    }
}

fn setitem(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (_, m) = this(vm, a)?;
    if m.readonly {
        return Err(vm.type_error("cannot modify read-only memory"));
    }
    let (key, v) = (&a.pos()[1], &a.pos()[2]);
    let size = m.format.size();
    if let Some(sl) = key.downcast::<crate::types::misc::SliceObj>() {
        let (start, _, step, n) = ops::slice_indices(vm, sl, m.len as i64)?;
        let src = crate::modules::buffer::need(vm, v)?.into_owned();
        if src.len() != n as usize * size {
            return Err(vm.value_error(
                "memoryview assignment: lvalue and rvalue have different structures",
            ));
        }
        for k in 0..n as usize {
            let i = (start + k as i64 * step) as usize;
            m.write(vm, i, &src[k * size..(k + 1) * size])?;
        }
        return Ok(Value::none());
    }
    let i = index(vm, m, key)?;
    let data = m.format.pack(vm, v)?;
    m.write(vm, i, &data)?;
    Ok(Value::none())
}

fn len(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (_, m) = this(vm, a)?;
    Ok(Value::int(m.len as i64))
}

fn tobytes(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (_, m) = this(vm, a)?;
    let b = all_bytes(vm, m)?;
    Ok(BytesObj::new_value(b))
}

fn tolist(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (_, m) = this(vm, a)?;
    let b = all_bytes(vm, m)?;
    let items = b
        .chunks(m.format.size())
        .map(|c| m.format.unpack(c))
        .collect();
    Ok(crate::types::list::ListObj::new_value(items))
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
    m.released.with(|r| *r = true);
    Ok(Value::none())
}

fn enter(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (s, _) = this(vm, a)?;
    Ok(s.clone())
}

fn exit(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let m = this_any(vm, a)?;
    m.released.with(|r| *r = true);
    Ok(Value::none())
}

fn cast(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (_, m) = this(vm, a)?;
    let Some(fmt) = a.args.get(1).and_then(as_str) else {
        return Err(vm.type_error("memoryview: format argument must be a string"));
    };
    if a.args.len() > 2 {
        return Err(vm.type_error("memoryview: cast with a shape is not supported by stitch"));
    }
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
    Ok(Value::alloc(MemoryView {
        obj: m.obj.clone(),
        start: m.start,
        step: format.size() as isize,
        len: nbytes / format.size(),
        format,
        readonly: m.readonly,
        released: ObjCell::new(false),
    }))
}

fn toreadonly(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (_, m) = this(vm, a)?;
    Ok(Value::alloc(MemoryView {
        obj: m.obj.clone(),
        start: m.start,
        step: m.step,
        len: m.len,
        format: m.format,
        readonly: true,
        released: ObjCell::new(false),
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
    let other: Vec<Value> = if let Some(om) = downcast::<MemoryView>(o) {
        if om.released.get_clone() {
            return Ok(Value::bool(false));
        }
        let b = all_bytes(vm, om)?;
        b.chunks(om.format.size())
            .map(|c| om.format.unpack(c))
            .collect()
    } else if let Some(b) = crate::modules::buffer::bytes_like(o) {
        b.iter().map(|x| Value::int(*x as i64)).collect()
    } else {
        return Ok(Value::not_implemented());
    };
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
    let (_, m) = this(vm, a)?;
    if !m.readonly {
        return Err(vm.value_error("cannot hash writable memoryview object"));
    }
    if !matches!(m.format, Format::U8 | Format::I8 | Format::Char) {
        return Err(vm.value_error("memoryview: hashing is restricted to formats 'B', 'b' or 'c'"));
    }
    let b = all_bytes(vm, m)?;
    let bytes = BytesObj::new_value(b);
    Ok(Value::int(vm.hash(&bytes)?))
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
    g_ndim => |vm, m| Value::int(1);
    g_shape => |vm, m| TupleObj::new_value(vec![Value::int(m.len as i64)]);
    g_strides => |vm, m| TupleObj::new_value(vec![Value::int(m.step as i64)]);
    g_suboffsets => |vm, m| TupleObj::new_value(vec![]);
    g_contiguous => |vm, m| Value::bool(m.step == m.format.size() as isize || m.len <= 1);
}

/// The bytes of a memoryview (for `bytes(mv)`, `b"".join`, the binary modules).
pub fn view_bytes(v: &Value) -> Option<Vec<u8>> {
    let m = downcast::<MemoryView>(v)?;
    if m.released.get_clone() {
        return None;
    }
    m.bytes()
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
