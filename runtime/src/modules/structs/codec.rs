//! Packing one value into its item's bytes and unpacking it back, with CPython's
//! conversions (`__index__` for integers, `__float__` for floats), range checks and
//! messages, and IEEE 754 half precision (`e`) rounded as CPython rounds it.
use num_bigint::BigInt;
use num_traits::ToPrimitive;

use super::format::{Item, Kind};
use crate::ops;
use crate::types::bytes::{ByteArrayObj, BytesObj};
use crate::types::int::as_int;
use crate::value::Value;
use crate::vm::{PyErr, Vm};

/// Errors raised as `struct.error` or as a builtin exception.
pub enum PackError {
    /// `struct.error` with this message.
    Struct(String),
    /// Any other exception (OverflowError for floats, errors from `__index__`...).
    Py(PyErr),
}

impl From<PyErr> for PackError {
    fn from(e: PyErr) -> Self {
        PackError::Py(e)
    }
}

fn serr(msg: impl Into<String>) -> PackError {
    PackError::Struct(msg.into())
}

/// The integer value of `v` (CPython's `get_pylong`: ints, or `__index__`).
fn get_int(vm: &mut Vm, v: &Value) -> Result<BigInt, PackError> {
    if let Some(i) = as_int(v) {
        return Ok(i.to_big());
    }
    if crate::vm::lookup_special(v, "__index__").is_some() {
        return Ok(ops::to_index(vm, v)?);
    }
    Err(serr("required argument is not an integer"))
}

/// A small int's value without building a BigInt (the common case).
#[inline(always)]
fn int_value(vm: &mut Vm, v: &Value) -> Result<Result<i64, BigInt>, PackError> {
    if let Some(i) = v.as_small_int() {
        return Ok(Ok(i));
    }
    let b = get_int(vm, v)?;
    Ok(match b.to_i64() {
        Some(i) => Ok(i),
        None => Err(b),
    })
}

/// The float value of `v` (`PyFloat_AsDouble`); any failure is CPython's struct.error.
fn get_float(vm: &mut Vm, v: &Value) -> Result<f64, PackError> {
    if let Some(f) = v.as_float() {
        return Ok(f);
    }
    if let Some(i) = as_int(v) {
        return match i.to_f64() {
            Some(f) if f.is_finite() => Ok(f),
            _ => Err(serr("required argument is not a float")),
        };
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
            return Err(serr("required argument is not a float"));
        }
    }
    Err(serr("required argument is not a float"))
}

fn signed_range(code: u8, size: usize) -> PackError {
    let largest = (u64::MAX >> (64 - size * 8)) >> 1;
    serr(format!(
        "'{}' format requires {} <= number <= {}",
        code as char,
        -(largest as i128) - 1,
        largest
    ))
}

fn unsigned_range(code: u8, size: usize) -> PackError {
    let largest = u64::MAX >> (64 - size * 8);
    serr(format!(
        "'{}' format requires 0 <= number <= {largest}",
        code as char
    ))
}

fn out_of_range() -> PackError {
    serr("argument out of range")
}

/// Write the low `n` bytes of `x` at `out` in the given order.
#[inline(always)]
fn put(out: &mut [u8], x: u64, n: usize, little: bool) {
    let b = x.to_le_bytes();
    if little {
        out[..n].copy_from_slice(&b[..n]);
    } else {
        for k in 0..n {
            out[k] = b[n - 1 - k];
        }
    }
}

#[inline(always)]
fn get(data: &[u8], n: usize, little: bool) -> u64 {
    let mut b = [0u8; 8];
    if little {
        b[..n].copy_from_slice(&data[..n]);
    } else {
        for k in 0..n {
            b[k] = data[n - 1 - k];
        }
    }
    u64::from_le_bytes(b)
}

/// Pack `v` as `item` into `out` (the item's bytes, already zeroed).
pub fn pack(
    vm: &mut Vm,
    item: &Item,
    little: bool,
    v: &Value,
    out: &mut [u8],
) -> Result<(), PackError> {
    let n = item.size;
    match item.kind {
        Kind::Pad => {}
        Kind::Char => match v.downcast::<BytesObj>() {
            Some(b) if b.data.len() == 1 => out[0] = b.data[0],
            _ => return Err(serr("char format requires a bytes object of length 1")),
        },
        Kind::Str | Kind::Pascal => {
            let Some(b) = bytes_arg(v) else {
                return Err(serr(format!(
                    "argument for '{}' must be a bytes object",
                    item.code as char
                )));
            };
            if item.kind == Kind::Str {
                let k = b.len().min(n);
                out[..k].copy_from_slice(&b[..k]);
            } else if n > 0 {
                let k = b.len().min(n - 1).min(255);
                out[1..1 + k].copy_from_slice(&b[..k]);
                out[0] = k as u8;
            }
        }
        Kind::Bool => out[0] = ops::truthy(vm, v)? as u8,
        Kind::Byte => match int_value(vm, v)? {
            Ok(x) if (-128..=127).contains(&x) => out[0] = x as u8,
            _ => return Err(serr("byte format requires -128 <= number <= 127")),
        },
        Kind::UByte => match int_value(vm, v)? {
            Ok(x) if (0..=255).contains(&x) => out[0] = x as u8,
            _ => return Err(serr("ubyte format requires 0 <= number <= 255")),
        },
        Kind::Short => match int_value(vm, v)? {
            Ok(x) if (-32768..=32767).contains(&x) => put(out, x as u64, 2, little),
            _ => return Err(serr("short format requires -32768 <= number <= 32767")),
        },
        Kind::UShort => match int_value(vm, v)? {
            Ok(x) if (0..=65535).contains(&x) => put(out, x as u64, 2, little),
            _ => return Err(serr("ushort format requires 0 <= number <= 65535")),
        },
        Kind::IntNamed => match int_value(vm, v)? {
            Ok(x) => {
                let half = 1i64 << (n * 8 - 1);
                if x < -half || x >= half {
                    return Err(signed_range(item.code, n));
                }
                put(out, x as u64, n, little)
            }
            // Beyond a C long: the conversion itself overflows.
            Err(_) => return Err(out_of_range()),
        },
        Kind::UIntNamed => match int_value(vm, v)? {
            Ok(x) if x >= 0 => {
                if (x as u64) >> (n * 8) != 0 {
                    return Err(unsigned_range(item.code, n));
                }
                put(out, x as u64, n, little)
            }
            Ok(_) => return Err(out_of_range()),
            Err(b) => match b.to_u64() {
                Some(_) => return Err(unsigned_range(item.code, n)),
                None => return Err(out_of_range()),
            },
        },
        Kind::IntPlain => match int_value(vm, v)? {
            Ok(x) => put(out, x as u64, 8, little),
            Err(_) => return Err(out_of_range()),
        },
        Kind::UIntPlain => match int_value(vm, v)? {
            Ok(x) if x >= 0 => put(out, x as u64, 8, little),
            Ok(_) => return Err(out_of_range()),
            Err(b) => match b.to_u64() {
                Some(u) => put(out, u, 8, little),
                None => return Err(out_of_range()),
            },
        },
        Kind::LongLongNamed => match int_value(vm, v)? {
            Ok(x) => put(out, x as u64, 8, little),
            Err(_) => return Err(serr("int too large to convert")),
        },
        Kind::ULongLongNamed => match int_value(vm, v)? {
            Ok(x) if x >= 0 => put(out, x as u64, 8, little),
            Ok(_) => return Err(serr("int too large to convert")),
            Err(b) => match b.to_u64() {
                Some(u) => put(out, u, 8, little),
                None => return Err(serr("int too large to convert")),
            },
        },
        Kind::VoidP => match int_value(vm, v)? {
            Ok(x) => put(out, x as u64, 8, little),
            Err(b) => match b.to_u64() {
                Some(u) => put(out, u, 8, little),
                None => return Err(out_of_range()),
            },
        },
        Kind::Half => {
            let x = get_float(vm, v)?;
            match pack_half(x) {
                Some(h) => put(out, h as u64, 2, little),
                None => {
                    return Err(PackError::Py(
                        vm.overflow_error("float too large to pack with e format"),
                    ));
                }
            }
        }
        Kind::FloatNative | Kind::Float => {
            let x = get_float(vm, v)?;
            let y = x as f32;
            if item.kind == Kind::Float && y.is_infinite() && x.is_finite() {
                return Err(PackError::Py(
                    vm.overflow_error("float too large to pack with f format"),
                ));
            }
            put(out, y.to_bits() as u64, 4, little)
        }
        Kind::Double => {
            let x = get_float(vm, v)?;
            put(out, x.to_bits(), 8, little)
        }
    }
    Ok(())
}

/// The bytes of a bytes or bytearray argument (`s`, `p`, `c` take only these).
fn bytes_arg(v: &Value) -> Option<std::borrow::Cow<'_, [u8]>> {
    if let Some(b) = v.downcast::<BytesObj>() {
        return Some(std::borrow::Cow::Borrowed(&b.data));
    }
    v.downcast::<ByteArrayObj>()
        .map(|b| std::borrow::Cow::Owned(b.data.get_clone()))
}

/// Unpack `item` from `data` (its bytes).
#[inline]
pub fn unpack(item: &Item, little: bool, data: &[u8]) -> Value {
    let n = item.size;
    match item.kind {
        Kind::Pad => Value::none(),
        Kind::Char => BytesObj::new_value(vec![data[0]]),
        Kind::Str => BytesObj::new_value(data[..n].to_vec()),
        Kind::Pascal => {
            if n == 0 {
                return BytesObj::new_value(vec![]);
            }
            let k = (data[0] as usize).min(n - 1);
            BytesObj::new_value(data[1..1 + k].to_vec())
        }
        Kind::Bool => Value::bool(data[0] != 0),
        Kind::Byte => Value::int(data[0] as i8 as i64),
        Kind::UByte => Value::int(data[0] as i64),
        Kind::Short | Kind::IntNamed | Kind::IntPlain | Kind::LongLongNamed => {
            let u = get(data, n, little);
            let shift = 64 - n * 8;
            Value::int(((u << shift) as i64) >> shift)
        }
        Kind::UShort | Kind::UIntNamed | Kind::UIntPlain | Kind::ULongLongNamed | Kind::VoidP => {
            let u = get(data, n, little);
            if u <= i64::MAX as u64 {
                Value::int(u as i64)
            } else {
                Value::bigint(BigInt::from(u))
            }
        }
        Kind::Half => Value::float(unpack_half(get(data, 2, little) as u16)),
        Kind::FloatNative | Kind::Float => {
            Value::float(f32::from_bits(get(data, 4, little) as u32) as f64)
        }
        Kind::Double => Value::float(f64::from_bits(get(data, 8, little))),
    }
}

/// IEEE 754 binary16 bits of `x`, rounded half to even; None on overflow.
pub fn pack_half(x: f64) -> Option<u16> {
    let mut sign = x.is_sign_negative() as u16;
    let (e, bits): (i32, u32);
    if x == 0.0 {
        return Some(sign << 15);
    } else if x.is_infinite() {
        (e, bits) = (0x1f, 0);
    } else if x.is_nan() {
        (e, bits) = (0x1f, 512);
    } else {
        let ax = x.abs();
        sign = (x < 0.0) as u16;
        let (mut f, mut ee) = crate::types::float::frexp(ax);
        // Normalise f to [1.0, 2.0).
        f *= 2.0;
        ee -= 1;
        if ee >= 16 {
            return None;
        } else if ee < -25 {
            f = 0.0;
            ee = 0;
        } else if ee < -14 {
            f = ldexp(f, 14 + ee);
            ee = 0;
        } else {
            ee += 15;
            f -= 1.0;
        }
        f *= 1024.0;
        let mut b = f as u32;
        let diff = f - b as f64;
        if diff > 0.5 || (diff == 0.5 && b % 2 == 1) {
            b += 1;
            if b == 1024 {
                b = 0;
                ee += 1;
                if ee == 31 {
                    return None;
                }
            }
        }
        (e, bits) = (ee, b);
    }
    Some((bits as u16) | ((e as u16) << 10) | (sign << 15))
}

fn ldexp(x: f64, e: i32) -> f64 {
    x * 2f64.powi(e)
}

/// The value of IEEE 754 binary16 bits.
pub fn unpack_half(h: u16) -> f64 {
    let sign = h >> 15 != 0;
    let e = ((h >> 10) & 0x1f) as i32;
    let f = (h & 0x3ff) as f64;
    if e == 0x1f {
        let v = if f == 0.0 { f64::INFINITY } else { f64::NAN };
        return if sign { -v } else { v };
    }
    let mut x = f / 1024.0;
    let ee = if e == 0 {
        -14
    } else {
        x += 1.0;
        e - 15
    };
    x = ldexp(x, ee);
    if sign { -x } else { x }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn half_round_trip() {
        assert_eq!(pack_half(1.0), Some(0x3c00));
        assert_eq!(pack_half(65504.0), Some(0x7bff));
        assert_eq!(pack_half(65520.0), None);
        assert_eq!(pack_half(1e-8), Some(0));
        assert_eq!(unpack_half(0x3555), 0.333251953125);
        assert_eq!(pack_half(1.0 / 3.0), Some(0x3555));
    }
}
