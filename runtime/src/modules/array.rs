//! `array`: the `array.array` type, a sequence of C numbers (or UCS-4 characters for
//! typecode 'u') stored packed in native byte order, so `tobytes`, `frombytes`, the
//! buffer protocol (`buffer::bytes_like`) and `struct.pack_into` read and write it
//! directly; plus `_array_reconstructor` (pickling) and `typecodes`.
//!
//! Each item is converted on the way in with the checks and messages of CPython's
//! `arraymodule.c` (which are those of the C conversion each typecode uses).
use num_bigint::BigInt;
use num_traits::{Signed, ToPrimitive};

use super::native_args::{getset, methods, module, object_type, set, this, type_name};
use crate::native_payload;
use crate::object::ObjCell;
use crate::ops::{self, EQ, NE};
use crate::types::bytes::{ByteArrayObj, BytesObj};
use crate::types::class::Kind as TypeKind;
use crate::types::int::as_int;
use crate::types::list::ListObj;
use crate::types::misc::SliceObj;
use crate::types::native::{self, NativeType, new_type};
use crate::types::str::{as_str, new_str, new_string};
use crate::types::tuple::TupleObj;
use crate::value::Value;
use crate::vm::{Args, PyErr, PyResult, Vm};
use crate::world::types;

const TYPECODES: &str = "bBuhHiIlLqQfd";

/// The C type behind a typecode.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Ty {
    I8,
    U8,
    I16,
    U16,
    I32,
    U32,
    I64,
    U64,
    F32,
    F64,
    /// 'u': a wchar_t (4 bytes on Linux) holding a code point.
    Uni,
}

fn ty_of(code: char) -> Option<Ty> {
    Some(match code {
        'b' => Ty::I8,
        'B' => Ty::U8,
        'h' => Ty::I16,
        'H' => Ty::U16,
        'i' => Ty::I32,
        'I' => Ty::U32,
        'l' | 'q' => Ty::I64,
        'L' | 'Q' => Ty::U64,
        'f' => Ty::F32,
        'd' => Ty::F64,
        'u' => Ty::Uni,
        _ => return None,
    })
}

impl Ty {
    fn size(self) -> usize {
        match self {
            Ty::I8 | Ty::U8 => 1,
            Ty::I16 | Ty::U16 => 2,
            Ty::I32 | Ty::U32 | Ty::F32 | Ty::Uni => 4,
            Ty::I64 | Ty::U64 | Ty::F64 => 8,
        }
    }
}

/// The array's contents: its typecode, the packed items, and how many memoryviews
/// of it are alive (kept under the same lock as the bytes, so a resize and a new view
/// cannot race).
struct Data {
    code: char,
    ty: Ty,
    bytes: Vec<u8>,
    exports: usize,
}

impl Data {
    fn len(&self) -> usize {
        self.bytes.len() / self.ty.size()
    }

    /// Whether the items may become `new_len` bytes long: not while a buffer of them
    /// is exported, since a memoryview reads and writes them in place (CPython's
    /// `array_resize` rule); keeping the size is always allowed.
    fn may_resize(&self, new_len: usize) -> bool {
        self.exports == 0 || new_len == self.bytes.len()
    }

    /// The same rule for storing `needed` items over a slice of `count` (deleting
    /// it: `needed` 0), as CPython's `array_ass_subscr` tests it before anything
    /// else: while exporting, only a store of as many items as the slice has passes
    /// (even `del a[0:0]` is refused).
    fn may_assign_slice(&self, count: i64, needed: usize) -> bool {
        self.exports == 0 || (needed != 0 && needed as i64 == count)
    }

    fn item(&self, i: usize) -> Value {
        let n = self.ty.size();
        let b = &self.bytes[i * n..(i + 1) * n];
        match self.ty {
            Ty::I8 => Value::int(b[0] as i8 as i64),
            Ty::U8 => Value::int(b[0] as i64),
            Ty::I16 => Value::int(i16::from_ne_bytes([b[0], b[1]]) as i64),
            Ty::U16 => Value::int(u16::from_ne_bytes([b[0], b[1]]) as i64),
            Ty::I32 => Value::int(i32::from_ne_bytes(word4(b)) as i64),
            Ty::U32 => Value::int(u32::from_ne_bytes(word4(b)) as i64),
            Ty::I64 => Value::int(i64::from_ne_bytes(word8(b))),
            Ty::U64 => {
                let u = u64::from_ne_bytes(word8(b));
                match i64::try_from(u) {
                    Ok(i) => Value::int(i),
                    Err(_) => Value::bigint(BigInt::from(u)),
                }
            }
            Ty::F32 => Value::float(f32::from_ne_bytes(word4(b)) as f64),
            Ty::F64 => Value::float(f64::from_ne_bytes(word8(b))),
            Ty::Uni => {
                let c = u32::from_ne_bytes(word4(b));
                let s = char::from_u32(c).map(String::from).unwrap_or_default();
                new_string(s)
            }
        }
    }
}

fn word4(b: &[u8]) -> [u8; 4] {
    [b[0], b[1], b[2], b[3]]
}

fn word8(b: &[u8]) -> [u8; 8] {
    [b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7]]
}

pub struct ArrayObj {
    d: ObjCell<Data>,
}
native_payload!(ArrayObj, ARRAY);
static ARRAY_T: NativeType = NativeType {
    new: Some(array_new),
    weakrefable: true,
    ..NativeType::of::<ArrayObj>()
};

pub struct ArrayIter {
    /// The array and the next index.
    st: ObjCell<(Value, usize)>,
}
native_payload!(ArrayIter, ARRAY_ITER);
static ITER_T: NativeType = NativeType {
    iternext: Some(iter_next),
    ..NativeType::of::<ArrayIter>()
};

/// The array payload of `v`, if it is an array (or an instance of a subclass).
fn as_array(v: &Value) -> Option<&ArrayObj> {
    native::downcast::<ArrayObj>(v)
}

/// Whether `v` is an array (for the buffer protocol).
pub fn is_array(v: &Value) -> bool {
    as_array(v).is_some()
}

/// A copy of the array's bytes.
pub fn raw_bytes(v: &Value) -> Option<Vec<u8>> {
    as_array(v).map(|a| a.d.read(|d| d.bytes.clone()))
}

/// Run `f` on the array's bytes in place (its cell held for the call).
pub fn with_raw<R>(v: &Value, f: impl FnOnce(&[u8]) -> R) -> Option<R> {
    as_array(v).map(|a| a.d.read(|d| f(&d.bytes)))
}

/// The typecode of the array `v`.
pub fn typecode(v: &Value) -> Option<char> {
    as_array(v).map(|a| a.d.read(|d| d.code))
}

/// Size in bytes of the array `v`.
pub fn byte_len(v: &Value) -> usize {
    as_array(v).map_or(0, |a| a.d.read(|d| d.bytes.len()))
}

/// Count a buffer export of the array `v` (`add`: a new memoryview of it) or its end:
/// while any is alive the array cannot change size.
pub fn export(v: &Value, add: bool) {
    if let Some(a) = as_array(v) {
        a.d.with(|d| {
            if add {
                d.exports += 1;
            } else {
                d.exports = d.exports.saturating_sub(1);
            }
        });
    }
}

/// CPython's error for resizing an array while a memoryview of it is alive.
fn resize_error(vm: &mut Vm) -> PyErr {
    vm.err(
        types().buffer_error,
        "cannot resize an array that is exporting buffers",
    )
}

/// Append packed items to the array, unless it is exporting buffers.
fn append_bytes(vm: &mut Vm, arr: &ArrayObj, b: &[u8]) -> PyResult<()> {
    let ok = arr.d.with(|d| {
        let ok = d.may_resize(d.bytes.len() + b.len());
        if ok {
            d.bytes.extend_from_slice(b);
        }
        ok
    });
    if ok { Ok(()) } else { Err(resize_error(vm)) }
}

/// Overwrite bytes of the array `v` at `at` (for `struct.pack_into`).
pub fn write_bytes(v: &Value, at: usize, data: &[u8]) {
    if let Some(a) = as_array(v) {
        a.d.with(|d| {
            if at + data.len() <= d.bytes.len() {
                d.bytes[at..at + data.len()].copy_from_slice(data);
            }
        });
    }
}

/// The module's `_array_reconstructor` (immortal), which `__reduce_ex__` returns.
static RECON: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);

pub fn init(vm: &mut Vm) -> PyResult<Value> {
    let m = module("array", &[]);
    if RECON.load(std::sync::atomic::Ordering::Acquire) == 0 {
        let f =
            crate::types::func::new_module_builtin("_array_reconstructor", reconstructor, "array");
        crate::object::make_immortal(f.raw());
        RECON.store(f.raw().0, std::sync::atomic::Ordering::Release);
    }
    set(
        &m,
        "_array_reconstructor",
        Value::from_borrowed(stitch_stencils::value::RawValue(
            RECON.load(std::sync::atomic::Ordering::Acquire),
        )),
    );
    let t = new_type::<ArrayObj>(
        "array",
        "array",
        object_type(),
        TypeKind::Native,
        &ARRAY_T,
        &ARRAY,
    );
    methods(
        &t,
        &[
            ("append", a_append),
            ("buffer_info", a_buffer_info),
            ("byteswap", a_byteswap),
            ("count", a_count),
            ("extend", a_extend),
            ("frombytes", a_frombytes),
            ("fromfile", a_fromfile),
            ("fromlist", a_fromlist),
            ("fromunicode", a_fromunicode),
            ("index", a_index),
            ("insert", a_insert),
            ("pop", a_pop),
            ("remove", a_remove),
            ("reverse", a_reverse),
            ("tobytes", a_tobytes),
            ("tofile", a_tofile),
            ("tolist", a_tolist),
            ("tounicode", a_tounicode),
            ("__len__", a_len),
            ("__getitem__", a_getitem),
            ("__setitem__", a_setitem),
            ("__delitem__", a_delitem),
            ("__contains__", a_contains),
            ("__iter__", a_iter),
            ("__add__", a_add),
            ("__iadd__", a_iadd),
            ("__mul__", a_mul),
            ("__rmul__", a_mul),
            ("__imul__", a_imul),
            ("__eq__", a_eq),
            ("__ne__", a_ne),
            ("__lt__", a_lt),
            ("__le__", a_le),
            ("__gt__", a_gt),
            ("__ge__", a_ge),
            ("__repr__", a_repr),
            ("__copy__", a_copy),
            ("__deepcopy__", a_deepcopy),
            ("__reduce_ex__", a_reduce_ex),
        ],
    );
    super::native_args::attr(&t, "__hash__", Value::none());
    getset(&t, "typecode", a_typecode, None);
    getset(&t, "itemsize", a_itemsize, None);
    set(&m, "array", t.clone());
    set(&m, "ArrayType", t.clone());
    set(&m, "typecodes", new_str(TYPECODES));
    let it = new_type::<ArrayIter>(
        "arrayiterator",
        "array",
        object_type(),
        TypeKind::Native,
        &ITER_T,
        &ARRAY_ITER,
    );
    methods(
        &it,
        &[
            ("__iter__", it_iter),
            ("__next__", it_next_method),
            ("__reduce__", it_reduce),
            ("__setstate__", it_setstate),
        ],
    );
    register_mutable_sequence(vm, &t)?;
    Ok(m)
}

/// `collections.abc.MutableSequence.register(array)`, as CPython's module does when
/// it is initialised: arrays are mutable sequences without inheriting from the ABC.
fn register_mutable_sequence(vm: &mut Vm, t: &Value) -> PyResult<()> {
    let abc = crate::import::import_module(vm, "collections.abc")?;
    let ms = ops::getattr_str(vm, &abc, "MutableSequence")?;
    let register = ops::getattr_str(vm, &ms, "register")?;
    vm.call(&register, std::slice::from_ref(t))?;
    Ok(())
}

fn me<'a>(vm: &mut Vm, v: &'a Value) -> PyResult<&'a ArrayObj> {
    as_array(v).ok_or_else(|| vm.type_error("descriptor requires a 'array.array' object"))
}

// ---- converting items ---------------------------------------------------------------

fn overflow(vm: &mut Vm, msg: &str) -> PyErr {
    vm.overflow_error(msg)
}

/// The integer value of an item (`__index__`).
fn int_item(vm: &mut Vm, v: &Value) -> PyResult<BigInt> {
    if let Some(i) = v.as_small_int() {
        return Ok(BigInt::from(i));
    }
    ops::to_index(vm, v)
}

/// Check a signed value against the range of a C type: CPython's messages.
fn signed(vm: &mut Vm, x: &BigInt, lo: i64, hi: i64, name: &str) -> PyResult<i64> {
    let Some(i) = x.to_i64() else {
        return Err(overflow(vm, "Python int too large to convert to C long"));
    };
    if i > hi {
        return Err(overflow(vm, &format!("{name} is greater than maximum")));
    }
    if i < lo {
        return Err(overflow(vm, &format!("{name} is less than minimum")));
    }
    Ok(i)
}

/// Append the packed form of `v` to `out`.
fn pack_item(vm: &mut Vm, ty: Ty, v: &Value, out: &mut Vec<u8>) -> PyResult<()> {
    match ty {
        Ty::Uni => {
            let c = as_str(v).filter(|s| s.chars().count() == 1);
            let Some(c) = c.and_then(|s| s.chars().next()) else {
                return Err(vm.type_error("array item must be unicode character"));
            };
            out.extend_from_slice(&(c as u32).to_ne_bytes());
        }
        Ty::F32 | Ty::F64 => {
            let x = float_item(vm, v)?;
            if ty == Ty::F32 {
                out.extend_from_slice(&(x as f32).to_ne_bytes());
            } else {
                out.extend_from_slice(&x.to_ne_bytes());
            }
        }
        _ => {
            let x = int_item(vm, v)?;
            match ty {
                Ty::I8 => {
                    let i = signed(vm, &x, -128, 127, "signed char")?;
                    out.push(i as u8);
                }
                Ty::U8 => {
                    let i = signed(vm, &x, 0, 255, "unsigned byte integer")?;
                    out.push(i as u8);
                }
                Ty::I16 => {
                    let i = signed(vm, &x, -32768, 32767, "signed short integer")?;
                    out.extend_from_slice(&(i as i16).to_ne_bytes());
                }
                Ty::U16 => {
                    let i = signed(vm, &x, 0, 65535, "unsigned short")?;
                    out.extend_from_slice(&(i as u16).to_ne_bytes());
                }
                Ty::I32 => {
                    let i = signed(vm, &x, i32::MIN as i64, i32::MAX as i64, "signed integer")?;
                    out.extend_from_slice(&(i as i32).to_ne_bytes());
                }
                Ty::U32 => {
                    if x.is_negative() {
                        return Err(overflow(vm, "can't convert negative value to unsigned int"));
                    }
                    let Some(u) = x.to_u64() else {
                        return Err(overflow(
                            vm,
                            "Python int too large to convert to C unsigned long",
                        ));
                    };
                    if u > u32::MAX as u64 {
                        return Err(overflow(vm, "unsigned int is greater than maximum"));
                    }
                    out.extend_from_slice(&(u as u32).to_ne_bytes());
                }
                Ty::I64 => {
                    let Some(i) = x.to_i64() else {
                        return Err(overflow(vm, "Python int too large to convert to C long"));
                    };
                    out.extend_from_slice(&i.to_ne_bytes());
                }
                _ => {
                    if x.is_negative() {
                        return Err(overflow(vm, "can't convert negative value to unsigned int"));
                    }
                    let Some(u) = x.to_u64() else {
                        return Err(overflow(
                            vm,
                            "Python int too large to convert to C unsigned long",
                        ));
                    };
                    out.extend_from_slice(&u.to_ne_bytes());
                }
            }
        }
    }
    Ok(())
}

/// A float item (`PyFloat_AsDouble`: floats, ints, `__float__`, `__index__`).
fn float_item(vm: &mut Vm, v: &Value) -> PyResult<f64> {
    if let Some(f) = v.as_float() {
        return Ok(f);
    }
    if let Some(i) = as_int(v) {
        return i
            .to_f64()
            .filter(|f| f.is_finite())
            .ok_or_else(|| vm.overflow_error("int too large to convert to float"));
    }
    for hook in ["__float__", "__index__"] {
        if let Some(f) = crate::vm::lookup_special(v, hook) {
            let r = vm.call(&f, std::slice::from_ref(v))?;
            if let Some(x) = r.as_float() {
                return Ok(x);
            }
            if let Some(x) = as_int(&r).and_then(|i| i.to_f64()) {
                return Ok(x);
            }
        }
    }
    let tn = type_name(v);
    Err(vm.type_error(format!("must be real number, not {tn}")))
}

/// Pack all of `vals` (nothing is stored if one fails).
fn pack_all(vm: &mut Vm, ty: Ty, vals: &[Value]) -> PyResult<Vec<u8>> {
    let mut out = Vec::with_capacity(vals.len() * ty.size());
    for v in vals {
        pack_item(vm, ty, v, &mut out)?;
    }
    Ok(out)
}

fn code_ty(a: &ArrayObj) -> (char, Ty) {
    a.d.read(|d| (d.code, d.ty))
}

fn new_array(cls: &Value, code: char, ty: Ty, bytes: Vec<u8>) -> Value {
    native::alloc(
        cls,
        ArrayObj {
            d: ObjCell::new(Data {
                code,
                ty,
                bytes,
                exports: 0,
            }),
        },
    )
}

fn array_type() -> Value {
    Value::from_borrowed(<ArrayObj as crate::value::PyPayload>::class())
}

// ---- construction -------------------------------------------------------------------

/// A typecode argument (argument `pos` of `fname`): a str of one character.
fn typecode_arg(vm: &mut Vm, fname: &str, pos: usize, v: &Value) -> PyResult<char> {
    match as_str(v) {
        Some(s) if s.chars().count() == 1 => Ok(s.chars().next().unwrap_or('?')),
        _ => {
            let tn = type_name(v);
            Err(vm.type_error(format!(
                "{fname}() argument {pos} must be a unicode character, not {tn}"
            )))
        }
    }
}

/// `array(typecode[, initializer])`.
fn array_new(vm: &mut Vm, cls: &Value, a: &Args) -> PyResult<Value> {
    if a.has_kw() && cls.raw() == <ArrayObj as crate::value::PyPayload>::class() {
        return Err(vm.type_error("array.array() takes no keyword arguments"));
    }
    let p = a.pos();
    if p.is_empty() || p.len() > 2 {
        let n = p.len();
        return Err(vm.type_error(format!("array() takes at most 2 arguments ({n} given)")));
    }
    let code = typecode_arg(vm, "array", 1, &p[0])?;
    let Some(ty) = ty_of(code) else {
        return Err(
            vm.value_error("bad typecode (must be b, B, u, h, H, i, I, l, L, q, Q, f or d)")
        );
    };
    let mut bytes = Vec::new();
    if let Some(init) = p.get(1) {
        if let Some(s) = as_str(init) {
            if ty != Ty::Uni {
                return Err(vm.type_error(format!(
                    "cannot use a str to initialize an array with typecode '{code}'"
                )));
            }
            bytes = ucs4(s);
        } else if let Some(other) = as_array(init) {
            let (oc, _) = code_ty(other);
            if oc == 'u' && code != 'u' {
                return Err(vm.type_error(format!(
                    "cannot use a unicode array to initialize an array with typecode '{code}'"
                )));
            }
            let items = array_items(other);
            bytes = pack_all(vm, ty, &items)?;
        } else if init.downcast::<BytesObj>().is_some() || init.downcast::<ByteArrayObj>().is_some()
        {
            let b = super::buffer::bytes_like(init).map(|b| b.into_owned());
            let b = b.unwrap_or_default();
            if !b.len().is_multiple_of(ty.size()) {
                return Err(vm.value_error("bytes length not a multiple of item size"));
            }
            bytes = b;
        } else {
            let items = ops::collect(vm, init)?;
            bytes = pack_all(vm, ty, &items)?;
        }
    }
    Ok(new_array(cls, code, ty, bytes))
}

/// The packed items of a 'u' array holding `text`.
fn ucs4(text: &str) -> Vec<u8> {
    text.chars()
        .flat_map(|c| (c as u32).to_ne_bytes())
        .collect()
}

/// The items of an array as Python values.
fn array_items(a: &ArrayObj) -> Vec<Value> {
    a.d.read(|d| (0..d.len()).map(|i| d.item(i)).collect())
}

/// How a pickle says its items were laid out on the machine that made it: CPython's
/// `enum machine_format_code` (0 to 21), decoded.
#[derive(Clone, Copy)]
enum MFormat {
    Int {
        size: usize,
        signed: bool,
        big: bool,
    },
    Float {
        size: usize,
        big: bool,
    },
    Utf16 {
        big: bool,
    },
    Utf32 {
        big: bool,
    },
}

fn mformat(code: i64) -> Option<MFormat> {
    Some(match code {
        0 | 1 => MFormat::Int {
            size: 1,
            signed: code == 1,
            big: false,
        },
        2..=13 => MFormat::Int {
            size: 2 << ((code - 2) / 4),
            signed: (code - 2) / 2 % 2 == 1,
            big: code % 2 == 1,
        },
        14..=17 => MFormat::Float {
            size: if code < 16 { 4 } else { 8 },
            big: code % 2 == 1,
        },
        18 | 19 => MFormat::Utf16 { big: code == 19 },
        20 | 21 => MFormat::Utf32 { big: code == 21 },
        _ => return None,
    })
}

/// The machine format code of this platform's (little-endian x86-64/aarch64) items.
fn native_mformat(ty: Ty) -> i64 {
    match ty {
        Ty::U8 => 0,
        Ty::I8 => 1,
        Ty::U16 => 2,
        Ty::I16 => 4,
        Ty::U32 => 6,
        Ty::I32 => 8,
        Ty::U64 => 10,
        Ty::I64 => 12,
        Ty::F32 => 14,
        Ty::F64 => 16,
        Ty::Uni => 20,
    }
}

/// `_array_reconstructor(arraytype, typecode, mformat_code, items)`: the pickle
/// reconstructor. Items in this platform's layout are taken as they are; others
/// (a pickle from a machine of another byte order or word size) are decoded into
/// Python values first, and integers then get the typecode of their stored size and
/// signedness, as CPython's does.
fn reconstructor(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    const NAME: &str = "_array_reconstructor";
    let p = super::native_args::unpack(vm, NAME, a, 4, 4)?;
    let cls = p[0].clone();
    let Some(td) = crate::types::class::as_type(&cls) else {
        let tn = type_name(&cls);
        return Err(vm.type_error(format!("first argument must be a type object, not {tn}")));
    };
    if !td.is_subtype_raw(array_type().raw()) {
        let tn = td.name.clone();
        return Err(vm.type_error(format!("{tn} is not a subtype of array.array")));
    }
    let code = typecode_arg(vm, NAME, 2, &p[1])?;
    let Some(ty) = ty_of(code) else {
        return Err(vm.value_error("second argument must be a valid type code"));
    };
    let mcode = ops::to_isize(vm, &p[2])?;
    let Some(mf) = mformat(mcode) else {
        return Err(vm.value_error("third argument must be a valid machine format code."));
    };
    let Some(items) = p[3].downcast::<BytesObj>() else {
        let tn = type_name(&p[3]);
        return Err(vm.type_error(format!("fourth argument should be bytes, not {tn}")));
    };
    let raw = &items.data;
    if mcode == native_mformat(ty) {
        if !raw.len().is_multiple_of(ty.size()) {
            return Err(vm.value_error("bytes length not a multiple of item size"));
        }
        return Ok(new_array(&cls, code, ty, raw.to_vec()));
    }
    let unit = match mf {
        MFormat::Int { size, .. } | MFormat::Float { size, .. } => size,
        MFormat::Utf16 { .. } => 2,
        MFormat::Utf32 { .. } => 4,
    };
    if !raw.len().is_multiple_of(unit) {
        return Err(vm.value_error("string length not a multiple of item size"));
    }
    let (code, ty, values) = match mf {
        MFormat::Int { size, signed, big } => {
            // The typecode CPython picks: the last integer one of that size and sign.
            let code = match (size, signed) {
                (1, false) => 'B',
                (1, true) => 'b',
                (2, false) => 'H',
                (2, true) => 'h',
                (4, false) => 'I',
                (4, true) => 'i',
                (_, false) => 'Q',
                (_, true) => 'q',
            };
            let values = raw
                .chunks(size)
                .map(|c| {
                    let n = match (signed, big) {
                        (true, true) => BigInt::from_signed_bytes_be(c),
                        (true, false) => BigInt::from_signed_bytes_le(c),
                        (false, true) => BigInt::from_bytes_be(num_bigint::Sign::Plus, c),
                        (false, false) => BigInt::from_bytes_le(num_bigint::Sign::Plus, c),
                    };
                    Value::bigint(n)
                })
                .collect::<Vec<_>>();
            (code, ty_of(code).unwrap_or(ty), values)
        }
        MFormat::Float { size, big } => {
            let values = raw
                .chunks(size)
                .map(|c| {
                    let mut b = [0u8; 8];
                    b[..size].copy_from_slice(c);
                    if big {
                        b[..size].reverse();
                    }
                    Value::float(if size == 4 {
                        f32::from_le_bytes(word4(&b)) as f64
                    } else {
                        f64::from_le_bytes(b)
                    })
                })
                .collect();
            (code, ty, values)
        }
        MFormat::Utf16 { big } | MFormat::Utf32 { big } => {
            let mut order = if big { 1 } else { -1 };
            let decode = match mf {
                MFormat::Utf16 { .. } => super::codecs::unicode::utf16_decode,
                _ => super::codecs::unicode::utf32_decode,
            };
            let (text, _) = decode(vm, raw, "strict", &mut order, true)?;
            if ty != Ty::Uni {
                return Err(vm.type_error(format!(
                    "cannot use a str to initialize an array with typecode '{code}'"
                )));
            }
            return Ok(new_array(&cls, code, ty, ucs4(&text)));
        }
    };
    let bytes = pack_all(vm, ty, &values)?;
    Ok(new_array(&cls, code, ty, bytes))
}

// ---- methods ------------------------------------------------------------------------

fn a_typecode(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (s, _) = this(vm, "typecode", a, 0, 0)?;
    let (c, _) = code_ty(me(vm, s)?);
    Ok(new_string(c.to_string()))
}

fn a_itemsize(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (s, _) = this(vm, "itemsize", a, 0, 0)?;
    let (_, ty) = code_ty(me(vm, s)?);
    Ok(Value::int(ty.size() as i64))
}

fn a_append(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (s, r) = this(vm, "append", a, 1, 1)?;
    let arr = me(vm, s)?;
    let (_, ty) = code_ty(arr);
    let mut b = Vec::with_capacity(ty.size());
    pack_item(vm, ty, &r[0], &mut b)?;
    append_bytes(vm, arr, &b)?;
    Ok(Value::none())
}

/// `extend` and `+=`: from an array of the same typecode, or any iterable.
fn extend_from(vm: &mut Vm, arr: &ArrayObj, src: &Value) -> PyResult<()> {
    let (code, ty) = code_ty(arr);
    if let Some(other) = as_array(src) {
        let (oc, _) = code_ty(other);
        if oc != code {
            return Err(vm.type_error("can only extend with array of same kind"));
        }
        let b = other.d.read(|d| d.bytes.clone());
        return append_bytes(vm, arr, &b);
    }
    // Items are appended one by one, as CPython does: those before a bad one stay.
    let it = ops::get_iter(vm, src)?;
    while let Some(v) = ops::next(vm, &it)? {
        let mut b = Vec::with_capacity(ty.size());
        pack_item(vm, ty, &v, &mut b)?;
        append_bytes(vm, arr, &b)?;
    }
    Ok(())
}

fn a_extend(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (s, r) = this(vm, "extend", a, 1, 1)?;
    let arr = me(vm, s)?;
    extend_from(vm, arr, &r[0])?;
    Ok(Value::none())
}

fn a_frombytes(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (s, r) = this(vm, "frombytes", a, 1, 1)?;
    let arr = me(vm, s)?;
    let b = super::buffer::need(vm, &r[0])?.into_owned();
    let (_, ty) = code_ty(arr);
    if !b.len().is_multiple_of(ty.size()) {
        return Err(vm.value_error("bytes length not a multiple of item size"));
    }
    append_bytes(vm, arr, &b)?;
    Ok(Value::none())
}

fn a_fromlist(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (s, r) = this(vm, "fromlist", a, 1, 1)?;
    let arr = me(vm, s)?;
    let Some(l) = r[0].downcast::<ListObj>() else {
        return Err(vm.type_error("arg must be list"));
    };
    let items = l.snapshot();
    let (_, ty) = code_ty(arr);
    let b = pack_all(vm, ty, &items)?;
    append_bytes(vm, arr, &b)?;
    Ok(Value::none())
}

fn a_fromunicode(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (s, r) = this(vm, "fromunicode", a, 1, 1)?;
    let arr = me(vm, s)?;
    let Some(text) = as_str(&r[0]) else {
        let tn = type_name(&r[0]);
        return Err(vm.type_error(format!("fromunicode() argument must be str, not {tn}")));
    };
    let (code, _) = code_ty(arr);
    if code != 'u' {
        return Err(vm.value_error("fromunicode() may only be called on unicode type arrays"));
    }
    append_bytes(vm, arr, &ucs4(text))?;
    Ok(Value::none())
}

fn a_tounicode(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (s, _) = this(vm, "tounicode", a, 0, 0)?;
    let arr = me(vm, s)?;
    let (code, _) = code_ty(arr);
    if code != 'u' {
        return Err(vm.value_error("tounicode() may only be called on unicode type arrays"));
    }
    let text: Result<String, u32> = arr.d.read(|d| {
        d.bytes
            .chunks(4)
            .map(|b| {
                let c = u32::from_ne_bytes(word4(b));
                char::from_u32(c).ok_or(c)
            })
            .collect()
    });
    match text {
        Ok(t) => Ok(new_string(t)),
        Err(c) => Err(vm.value_error(format!(
            "character U+{c:x} is not in range [U+0000; U+10ffff]"
        ))),
    }
}

fn a_tobytes(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (s, _) = this(vm, "tobytes", a, 0, 0)?;
    let arr = me(vm, s)?;
    Ok(BytesObj::new_value(arr.d.read(|d| d.bytes.clone())))
}

fn a_tolist(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (s, _) = this(vm, "tolist", a, 0, 0)?;
    let arr = me(vm, s)?;
    Ok(ListObj::new_value(array_items(arr)))
}

fn a_tofile(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (s, r) = this(vm, "tofile", a, 1, 1)?;
    let arr = me(vm, s)?;
    let data = BytesObj::new_value(arr.d.read(|d| d.bytes.clone()));
    let w = ops::getattr_str(vm, &r[0], "write")?;
    vm.call(&w, &[data])?;
    Ok(Value::none())
}

fn a_fromfile(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (s, r) = this(vm, "fromfile", a, 2, 2)?;
    let arr = me(vm, s)?;
    let n = ops::to_isize(vm, &r[1])?;
    if n < 0 {
        return Err(vm.value_error("negative count"));
    }
    let (_, ty) = code_ty(arr);
    let want = n as usize * ty.size();
    let read = ops::getattr_str(vm, &r[0], "read")?;
    let got = vm.call(&read, &[Value::int(want as i64)])?;
    let Some(b) = got.downcast::<BytesObj>() else {
        return Err(vm.type_error("read() didn't return bytes"));
    };
    let b = b.data.to_vec();
    let whole = b.len() / ty.size() * ty.size();
    append_bytes(vm, arr, &b[..whole])?;
    if b.len() != want {
        return Err(vm.err(types().eof_error, "read() didn't return enough bytes"));
    }
    Ok(Value::none())
}

fn a_buffer_info(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (s, _) = this(vm, "buffer_info", a, 0, 0)?;
    let arr = me(vm, s)?;
    let (addr, n) = arr.d.read(|d| (d.bytes.as_ptr() as usize, d.len()));
    Ok(TupleObj::from_iter([
        Value::int(addr as i64),
        Value::int(n as i64),
    ]))
}

fn a_byteswap(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (s, _) = this(vm, "byteswap", a, 0, 0)?;
    let arr = me(vm, s)?;
    arr.d.with(|d| {
        let n = d.ty.size();
        for chunk in d.bytes.chunks_mut(n) {
            chunk.reverse();
        }
    });
    Ok(Value::none())
}

fn a_reverse(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (s, _) = this(vm, "reverse", a, 0, 0)?;
    let arr = me(vm, s)?;
    arr.d.with(|d| {
        let n = d.ty.size();
        let len = d.len();
        for i in 0..len / 2 {
            let j = len - 1 - i;
            for k in 0..n {
                d.bytes.swap(i * n + k, j * n + k);
            }
        }
    });
    Ok(Value::none())
}

/// Item equality as CPython's array tests it: each item is read out as a new Python
/// object, so identity never decides (a NaN item equals nothing, not even the very
/// NaN it was stored from).
fn item_eq(vm: &mut Vm, u: &Value, v: &Value) -> PyResult<bool> {
    if let Some(r) = ops::compare_fast(u, v, EQ) {
        return Ok(r);
    }
    let r = ops::compare(vm, u, v, EQ)?;
    ops::truthy(vm, &r)
}

/// Indices of items equal to `x` (compared as Python values), within [lo, hi).
fn find(vm: &mut Vm, arr: &ArrayObj, x: &Value, lo: usize, hi: usize) -> PyResult<Option<usize>> {
    let items = array_items(arr);
    for (i, v) in items.iter().enumerate().take(hi.min(items.len())).skip(lo) {
        if item_eq(vm, v, x)? {
            return Ok(Some(i));
        }
    }
    Ok(None)
}

fn a_count(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (s, r) = this(vm, "count", a, 1, 1)?;
    let arr = me(vm, s)?;
    let mut n = 0;
    for v in array_items(arr) {
        if item_eq(vm, &v, &r[0])? {
            n += 1;
        }
    }
    Ok(Value::int(n))
}

/// A start/stop argument of `index`, clamped as slice bounds.
fn bound(vm: &mut Vm, v: Option<&Value>, len: usize, default: usize) -> PyResult<usize> {
    let Some(v) = v else { return Ok(default) };
    Ok(ops::clamp_to_len(ops::index_bound(vm, v)?, len))
}

fn a_index(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (s, r) = this(vm, "index", a, 1, 3)?;
    let arr = me(vm, s)?;
    let len = arr.d.read(|d| d.len());
    let lo = bound(vm, r.get(1), len, 0)?;
    let hi = bound(vm, r.get(2), len, len)?;
    match find(vm, arr, &r[0], lo, hi)? {
        Some(i) => Ok(Value::int(i as i64)),
        None => Err(vm.value_error("array.index(x): x not in array")),
    }
}

fn a_remove(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (s, r) = this(vm, "remove", a, 1, 1)?;
    let arr = me(vm, s)?;
    let len = arr.d.read(|d| d.len());
    match find(vm, arr, &r[0], 0, len)? {
        Some(i) => {
            let ok = arr.d.with(|d| {
                let n = d.ty.size();
                if !d.may_resize(d.bytes.len().saturating_sub(n)) {
                    return false;
                }
                if (i + 1) * n <= d.bytes.len() {
                    d.bytes.drain(i * n..(i + 1) * n);
                }
                true
            });
            if !ok {
                return Err(resize_error(vm));
            }
            Ok(Value::none())
        }
        None => Err(vm.value_error("array.remove(x): x not in array")),
    }
}

fn a_insert(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (s, r) = this(vm, "insert", a, 2, 2)?;
    let arr = me(vm, s)?;
    let i = ops::to_isize(vm, &r[0])?;
    let (_, ty) = code_ty(arr);
    let mut b = Vec::with_capacity(ty.size());
    pack_item(vm, ty, &r[1], &mut b)?;
    let ok = arr.d.with(|d| {
        if !d.may_resize(d.bytes.len() + b.len()) {
            return false;
        }
        let at = crate::ops::clamp_to_len(i, d.len());
        let n = d.ty.size();
        d.bytes.splice(at * n..at * n, b);
        true
    });
    if !ok {
        return Err(resize_error(vm));
    }
    Ok(Value::none())
}

fn a_pop(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (s, r) = this(vm, "pop", a, 0, 1)?;
    let arr = me(vm, s)?;
    let i = match r.first() {
        Some(v) => ops::to_isize(vm, v)?,
        None => -1,
    };
    let res = arr.d.with(|d| {
        let len = d.len() as i64;
        if len == 0 {
            return Err(Some("pop from empty array"));
        }
        let k = if i < 0 { i + len } else { i };
        if k < 0 || k >= len {
            return Err(Some("pop index out of range"));
        }
        let n = d.ty.size();
        if !d.may_resize(d.bytes.len() - n) {
            return Err(None);
        }
        let k = k as usize;
        let v = d.item(k);
        d.bytes.drain(k * n..(k + 1) * n);
        Ok(v)
    });
    res.map_err(|m| match m {
        Some(m) => vm.index_error(m),
        None => resize_error(vm),
    })
}

// ---- sequence protocol --------------------------------------------------------------

fn a_len(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (s, _) = this(vm, "__len__", a, 0, 0)?;
    let arr = me(vm, s)?;
    Ok(Value::int(arr.d.read(|d| d.len()) as i64))
}

fn a_getitem(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (s, r) = this(vm, "__getitem__", a, 1, 1)?;
    let arr = me(vm, s)?;
    if let Some(sl) = r[0].downcast::<SliceObj>() {
        // Bounds meet the length under the lock: `__index__` or another thread may
        // resize the array after the slice is unpacked.
        let spec = ops::slice_unpack(vm, sl)?;
        let (code, ty, bytes) = arr.d.read(|d| {
            let (start, _, step, count) = spec.adjust(d.len() as i64);
            let n = d.ty.size();
            let mut out = Vec::with_capacity(count as usize * n);
            for k in 0..count {
                let i = (start + k * step) as usize;
                out.extend_from_slice(&d.bytes[i * n..(i + 1) * n]);
            }
            (d.code, d.ty, out)
        });
        return Ok(new_array(&array_type(), code, ty, bytes));
    }
    let i = index_arg(vm, &r[0])?;
    get_index(vm, arr, i)
}

fn get_index(vm: &mut Vm, arr: &ArrayObj, i: i64) -> PyResult<Value> {
    let v = arr.d.read(|d| {
        let len = d.len() as i64;
        let k = if i < 0 { i + len } else { i };
        (k >= 0 && k < len).then(|| d.item(k as usize))
    });
    v.ok_or_else(|| vm.index_error("array index out of range"))
}

/// `a[i]` for an exact `array.array` and an int index, without looking up and
/// calling `__getitem__` (the subscript's generic path asks this first: numeric code
/// indexes arrays in its inner loops). `None`: not that case.
#[inline]
pub fn fast_getitem(vm: &mut Vm, obj: &Value, key: &Value) -> Option<PyResult<Value>> {
    let arr = obj.downcast_exact::<ArrayObj>()?;
    let i = key.as_small_int()?;
    Some(get_index(vm, arr, i))
}

/// `a[i] = v` as `fast_getitem`.
#[inline]
pub fn fast_setitem(vm: &mut Vm, obj: &Value, key: &Value, v: &Value) -> Option<PyResult<()>> {
    let arr = obj.downcast_exact::<ArrayObj>()?;
    let i = key.as_small_int()?;
    Some(set_index(vm, arr, i, v))
}

fn index_arg(vm: &mut Vm, v: &Value) -> PyResult<i64> {
    if let Some(i) = v.as_small_int() {
        return Ok(i);
    }
    if as_int(v).is_none() && crate::vm::lookup_special(v, "__index__").is_none() {
        return Err(vm.type_error("array indices must be integers"));
    }
    ops::to_isize(vm, v)
}

fn a_setitem(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (s, r) = this(vm, "__setitem__", a, 2, 2)?;
    let arr = me(vm, s)?;
    if let Some(sl) = r[0].downcast::<SliceObj>() {
        let Some(src) = as_array(&r[1]) else {
            let tn = type_name(&r[1]);
            return Err(vm.type_error(format!(
                "can only assign array (not \"{tn}\") to array slice"
            )));
        };
        let (code, _) = code_ty(arr);
        let (sc, _) = code_ty(src);
        if sc != code {
            return Err(vm.type_error("bad argument type for built-in operation"));
        }
        let new = src.d.read(|d| d.bytes.clone());
        let spec = ops::slice_unpack(vm, sl)?;
        let res = arr.d.with(|d| {
            let (start, stop, step, count) = spec.adjust(d.len() as i64);
            let n = d.ty.size();
            let m = new.len() / n;
            if !d.may_assign_slice(count, m) {
                return Err(None);
            }
            if step == 1 {
                let (lo, hi) = (start as usize, (stop.max(start)) as usize);
                d.bytes.splice(lo * n..hi * n, new);
                return Ok(());
            }
            if m as i64 != count {
                return Err(Some(format!(
                    "attempt to assign array of size {m} to extended slice of size {count}"
                )));
            }
            for k in 0..count as usize {
                let i = (start + k as i64 * step) as usize;
                d.bytes[i * n..(i + 1) * n].copy_from_slice(&new[k * n..(k + 1) * n]);
            }
            Ok(())
        });
        return res.map(|_| Value::none()).map_err(|m| match m {
            Some(m) => vm.value_error(m),
            None => resize_error(vm),
        });
    }
    let i = index_arg(vm, &r[0])?;
    set_index(vm, arr, i, &r[1])?;
    Ok(Value::none())
}

fn set_index(vm: &mut Vm, arr: &ArrayObj, i: i64, v: &Value) -> PyResult<()> {
    let (_, ty) = code_ty(arr);
    let mut b = Vec::with_capacity(ty.size());
    pack_item(vm, ty, v, &mut b)?;
    let ok = arr.d.with(|d| {
        let len = d.len() as i64;
        let k = if i < 0 { i + len } else { i };
        if k < 0 || k >= len {
            return false;
        }
        let n = d.ty.size();
        let k = k as usize;
        d.bytes[k * n..(k + 1) * n].copy_from_slice(&b);
        true
    });
    if !ok {
        return Err(vm.index_error("array assignment index out of range"));
    }
    Ok(())
}

fn a_delitem(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (s, r) = this(vm, "__delitem__", a, 1, 1)?;
    let arr = me(vm, s)?;
    if let Some(sl) = r[0].downcast::<SliceObj>() {
        let spec = ops::slice_unpack(vm, sl)?;
        let ok = arr.d.with(|d| {
            let (start, _, step, count) = spec.adjust(d.len() as i64);
            if !d.may_assign_slice(count, 0) {
                return false;
            }
            let n = d.ty.size();
            let mut drop: Vec<usize> = (0..count).map(|k| (start + k * step) as usize).collect();
            drop.sort_unstable();
            let mut out = Vec::with_capacity(d.bytes.len());
            let mut di = 0;
            for i in 0..d.len() {
                if di < drop.len() && drop[di] == i {
                    di += 1;
                    continue;
                }
                out.extend_from_slice(&d.bytes[i * n..(i + 1) * n]);
            }
            d.bytes = out;
            true
        });
        if !ok {
            return Err(resize_error(vm));
        }
        return Ok(Value::none());
    }
    let i = index_arg(vm, &r[0])?;
    let res = arr.d.with(|d| {
        let len = d.len() as i64;
        let k = if i < 0 { i + len } else { i };
        if k < 0 || k >= len {
            return Err(false);
        }
        let n = d.ty.size();
        if !d.may_resize(d.bytes.len() - n) {
            return Err(true);
        }
        let k = k as usize;
        d.bytes.drain(k * n..(k + 1) * n);
        Ok(())
    });
    match res {
        Ok(()) => Ok(Value::none()),
        Err(true) => Err(resize_error(vm)),
        Err(false) => Err(vm.index_error("array assignment index out of range")),
    }
}

fn a_contains(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (s, r) = this(vm, "__contains__", a, 1, 1)?;
    let arr = me(vm, s)?;
    let len = arr.d.read(|d| d.len());
    Ok(Value::bool(find(vm, arr, &r[0], 0, len)?.is_some()))
}

fn a_iter(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (s, _) = this(vm, "__iter__", a, 0, 0)?;
    me(vm, s)?;
    Ok(Value::alloc(ArrayIter {
        st: ObjCell::new((s.clone(), 0)),
    }))
}

fn iter_next(_vm: &mut Vm, it: &Value) -> PyResult<Option<Value>> {
    let Some(it) = native::downcast::<ArrayIter>(it) else {
        return Ok(None);
    };
    let (arr, i) = it.st.read(|(a, i)| (a.clone(), *i));
    if arr.is_null() {
        return Ok(None);
    }
    let v = as_array(&arr).and_then(|a| a.d.read(|d| (i < d.len()).then(|| d.item(i))));
    it.st.with(|(a, i)| {
        if v.is_some() {
            *i += 1;
        } else {
            *a = Value::NULL;
        }
    });
    Ok(v)
}

fn it_iter(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (s, _) = this(vm, "__iter__", a, 0, 0)?;
    Ok(s.clone())
}

/// `__reduce__`: `(iter, (array,), index)`, or `(iter, ((),))` once exhausted (the
/// iterator has dropped its array then), as CPython's.
fn it_reduce(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (s, _) = this(vm, "__reduce__", a, 0, 0)?;
    let Some(it) = native::downcast::<ArrayIter>(s) else {
        return Err(vm.type_error("descriptor '__reduce__' requires an 'arrayiterator' object"));
    };
    let Some(iter) = vm.builtins_dict().get_str("iter") else {
        return Err(vm.err(types().attribute_error, "iter"));
    };
    let (arr, i) = it.st.read(|(a, i)| (a.clone(), *i));
    if arr.is_null() {
        let empty = TupleObj::from_iter([]);
        return Ok(TupleObj::from_iter([iter, TupleObj::from_iter([empty])]));
    }
    Ok(TupleObj::from_iter([
        iter,
        TupleObj::from_iter([arr]),
        Value::int(i as i64),
    ]))
}

/// `__setstate__(index)`: resume at `index`, clamped to the array's length.
fn it_setstate(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (s, r) = this(vm, "__setstate__", a, 1, 1)?;
    let Some(it) = native::downcast::<ArrayIter>(s) else {
        return Err(vm.type_error("descriptor '__setstate__' requires an 'arrayiterator' object"));
    };
    let i = ops::to_isize(vm, &r[0])?.max(0) as usize;
    let arr = it.st.read(|(a, _)| a.clone());
    if arr.is_null() {
        return Ok(Value::none());
    }
    let len = as_array(&arr).map_or(0, |a| a.d.read(|d| d.len()));
    it.st.with(|(_, at)| *at = i.min(len));
    Ok(Value::none())
}

fn it_next_method(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (s, _) = this(vm, "__next__", a, 0, 0)?;
    match iter_next(vm, s)? {
        Some(v) => Ok(v),
        None => Err(vm.stop_iteration(Value::none())),
    }
}

// ---- operators ----------------------------------------------------------------------

fn a_add(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (s, r) = this(vm, "__add__", a, 1, 1)?;
    let arr = me(vm, s)?;
    let Some(other) = as_array(&r[0]) else {
        let tn = type_name(&r[0]);
        return Err(vm.type_error(format!("can only append array (not \"{tn}\") to array")));
    };
    let (code, ty) = code_ty(arr);
    if code_ty(other).0 != code {
        return Err(vm.type_error("bad argument type for built-in operation"));
    }
    let mut b = arr.d.read(|d| d.bytes.clone());
    b.extend(other.d.read(|d| d.bytes.clone()));
    Ok(new_array(&array_type(), code, ty, b))
}

fn a_iadd(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (s, r) = this(vm, "__iadd__", a, 1, 1)?;
    let arr = me(vm, s)?;
    if as_array(&r[0]).is_none() {
        let tn = type_name(&r[0]);
        return Err(vm.type_error(format!("can only extend array with array (not \"{tn}\")")));
    }
    extend_from(vm, arr, &r[0])?;
    Ok(s.clone())
}

/// The count of a repeat `a * n`, `n * a` or `a *= n` (negative: none). `Ok(None)`:
/// `n` is not an integer but an instance of a Python class with `__rmul__`, which the
/// operator tries next (CPython tries number slots before an array's `sq_repeat`); any
/// other non-integer is the TypeError of a sequence repeat (also for a direct
/// `a.__mul__("bad")`, where CPython's slot wrapper words it as `__index__` does).
fn repeat_count(vm: &mut Vm, v: &Value) -> PyResult<Option<i64>> {
    if v.is_float() || (as_int(v).is_none() && crate::vm::lookup_special(v, "__index__").is_none())
    {
        if v.type_data().is_heap && crate::vm::lookup_special(v, "__rmul__").is_some() {
            return Ok(None);
        }
        let tn = type_name(v);
        return Err(vm.type_error(format!("can't multiply sequence by non-int of type '{tn}'")));
    }
    Ok(Some(ops::to_isize(vm, v)?.max(0)))
}

/// `a * n` and `n * a`.
fn a_mul(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (s, r) = this(vm, "__mul__", a, 1, 1)?;
    let arr = me(vm, s)?;
    let Some(n) = repeat_count(vm, &r[0])? else {
        return Ok(Value::not_implemented());
    };
    let (code, ty, b) = arr.d.read(|d| (d.code, d.ty, d.bytes.clone()));
    let rep = crate::ops::repeat(vm, &b, n as usize, None)?;
    Ok(new_array(&array_type(), code, ty, rep))
}

fn a_imul(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (s, r) = this(vm, "__imul__", a, 1, 1)?;
    let arr = me(vm, s)?;
    let Some(n) = repeat_count(vm, &r[0])? else {
        return Ok(Value::not_implemented());
    };
    let b = arr.d.read(|d| d.bytes.clone());
    let rep = crate::ops::repeat(vm, &b, n as usize, None)?;
    let ok = arr.d.with(|d| {
        let ok = d.may_resize(rep.len());
        if ok {
            d.bytes = rep;
        }
        ok
    });
    if !ok {
        return Err(resize_error(vm));
    }
    Ok(s.clone())
}

/// Rich comparison: the first differing items decide, else the lengths.
fn compare(vm: &mut Vm, a: &Args, op: u32, name: &str) -> PyResult<Value> {
    let (s, r) = this(vm, name, a, 1, 1)?;
    let arr = me(vm, s)?;
    let Some(other) = as_array(&r[0]) else {
        return Ok(Value::not_implemented());
    };
    let (x, y) = (array_items(arr), array_items(other));
    if x.len() != y.len() && (op == EQ || op == NE) {
        return Ok(Value::bool(op == NE));
    }
    for (u, v) in x.iter().zip(y.iter()) {
        if !item_eq(vm, u, v)? {
            if op == EQ {
                return Ok(Value::bool(false));
            }
            if op == NE {
                return Ok(Value::bool(true));
            }
            return ops::compare(vm, u, v, op);
        }
    }
    let (n, m) = (x.len(), y.len());
    Ok(Value::bool(match op {
        ops::LT => n < m,
        ops::LE => n <= m,
        EQ => n == m,
        NE => n != m,
        ops::GT => n > m,
        _ => n >= m,
    }))
}

fn a_eq(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    compare(vm, a, EQ, "__eq__")
}
fn a_ne(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    compare(vm, a, NE, "__ne__")
}
fn a_lt(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    compare(vm, a, ops::LT, "__lt__")
}
fn a_le(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    compare(vm, a, ops::LE, "__le__")
}
fn a_gt(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    compare(vm, a, ops::GT, "__gt__")
}
fn a_ge(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    compare(vm, a, ops::GE, "__ge__")
}

fn a_repr(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (s, _) = this(vm, "__repr__", a, 0, 0)?;
    let arr = me(vm, s)?;
    let name = type_name(s);
    let (code, len) = arr.d.read(|d| (d.code, d.len()));
    if len == 0 {
        return Ok(new_string(format!("{name}('{code}')")));
    }
    let body = if code == 'u' {
        let f = ops::getattr_str(vm, s, "tounicode")?;
        let t = vm.call(&f, &[])?;
        ops::repr(vm, &t)?
    } else {
        let l = ListObj::new_value(array_items(arr));
        ops::repr(vm, &l)?
    };
    Ok(new_string(format!("{name}('{code}', {body})")))
}

fn copy_of(arr: &ArrayObj, s: &Value) -> Value {
    let (code, ty, b) = arr.d.read(|d| (d.code, d.ty, d.bytes.clone()));
    new_array(&s.type_of(), code, ty, b)
}

fn a_copy(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (s, _) = this(vm, "__copy__", a, 0, 0)?;
    let arr = me(vm, s)?;
    Ok(copy_of(arr, s))
}

fn a_deepcopy(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (s, _) = this(vm, "__deepcopy__", a, 1, 1)?;
    let arr = me(vm, s)?;
    Ok(copy_of(arr, s))
}

/// `__reduce_ex__(protocol)`: `_array_reconstructor` with the machine format code of
/// this platform's items (protocol 3 and above), else `array(typecode, list)`.
fn a_reduce_ex(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (s, r) = this(vm, "__reduce_ex__", a, 1, 1)?;
    let arr = me(vm, s)?;
    let proto = ops::to_isize(vm, &r[0])?;
    let (code, ty, b) = arr.d.read(|d| (d.code, d.ty, d.bytes.clone()));
    let dict = s
        .type_data()
        .instance_dict(s)
        .cloned()
        .unwrap_or_else(Value::none);
    let cls = s.type_of();
    if proto < 3 {
        let args = TupleObj::from_iter([
            new_string(code.to_string()),
            ListObj::new_value(array_items(arr)),
        ]);
        return Ok(TupleObj::from_iter([cls, args, dict]));
    }
    let mformat = native_mformat(ty);
    let recon = Value::from_borrowed(stitch_stencils::value::RawValue(
        RECON.load(std::sync::atomic::Ordering::Acquire),
    ));
    let args = TupleObj::from_iter([
        cls,
        new_string(code.to_string()),
        Value::int(mformat),
        BytesObj::new_value(b),
    ]);
    Ok(TupleObj::from_iter([recon, args, dict]))
}
