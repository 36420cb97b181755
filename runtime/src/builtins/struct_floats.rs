//! `_struct`: the IEEE 754 conversions `struct` needs and Python cannot express:
//! `pack_float(x, size, little)` and `unpack_float(data, little)` for 4- and 8-byte
//! floats. The format parsing and integer packing live in `lib/struct.py`.
use super::posargs;
use crate::types::bytes::{BytesObj, as_bytes};
use crate::value::Value;
use crate::vm::{Args, PyResult, Vm};
use crate::world::types;

pub fn pack_float(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let p = posargs(vm, "pack_float", a, 3, 3)?;
    let Some(x) = crate::ops::as_complex(&p[0])
        .filter(|c| c.1 == 0.0)
        .map(|c| c.0)
    else {
        return Err(vm.type_error("required argument is not a float"));
    };
    let little = crate::ops::truthy(vm, &p[2])?;
    let bytes = match p[1].as_small_int() {
        Some(4) => {
            let f = x as f32;
            if f.is_infinite() && x.is_finite() {
                return Err(vm.err(
                    types().overflow_error,
                    "float too large to pack with f format",
                ));
            }
            if little {
                f.to_le_bytes().to_vec()
            } else {
                f.to_be_bytes().to_vec()
            }
        }
        _ => {
            if little {
                x.to_le_bytes().to_vec()
            } else {
                x.to_be_bytes().to_vec()
            }
        }
    };
    Ok(BytesObj::new_value(bytes))
}

pub fn unpack_float(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let p = posargs(vm, "unpack_float", a, 2, 2)?;
    let data = as_bytes(&p[0]).unwrap_or_default();
    let little = crate::ops::truthy(vm, &p[1])?;
    let x = match data.len() {
        4 => {
            let b: [u8; 4] = data[..4].try_into().unwrap_or_default();
            (if little {
                f32::from_le_bytes(b)
            } else {
                f32::from_be_bytes(b)
            }) as f64
        }
        8 => {
            let b: [u8; 8] = data[..8].try_into().unwrap_or_default();
            if little {
                f64::from_le_bytes(b)
            } else {
                f64::from_be_bytes(b)
            }
        }
        _ => return Err(vm.value_error("unpack_float needs 4 or 8 bytes")),
    };
    Ok(Value::float(x))
}
