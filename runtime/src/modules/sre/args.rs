//! Argument parsing for `_sre`'s functions and methods, with the messages of CPython's
//! Argument Clinic (`match() missing required argument 'string' (pos 1)`).
use smallvec::SmallVec;

use crate::value::Value;
use crate::vm::{Args, PyResult, Vm};

/// Bind `a` (for a method: after `self`, which `skip` counts) to `names`, the first
/// `required` of which must be given. Positional-or-keyword parameters throughout.
pub fn bind(
    vm: &mut Vm,
    fname: &str,
    a: &Args,
    skip: usize,
    names: &[&str],
    required: usize,
) -> PyResult<SmallVec<[Option<Value>; 6]>> {
    let pos = a.pos();
    let pos = &pos[skip.min(pos.len())..];
    if pos.len() > names.len() {
        let given = pos.len() + a.kw().count();
        return Err(vm.type_error(if names.len() == required {
            format!(
                "{fname}() takes exactly {} argument{} ({given} given)",
                names.len(),
                if names.len() == 1 { "" } else { "s" }
            )
        } else {
            format!(
                "{fname}() takes at most {} argument{} ({given} given)",
                names.len(),
                if names.len() == 1 { "" } else { "s" }
            )
        }));
    }
    let mut out: SmallVec<[Option<Value>; 6]> = smallvec::smallvec![None; names.len()];
    for (i, v) in pos.iter().enumerate() {
        out[i] = Some(v.clone());
    }
    for (k, v) in a.kw() {
        match names.iter().position(|n| *n == k) {
            Some(i) if out[i].is_some() => {
                return Err(vm.type_error(format!(
                    "argument for {fname}() given by name ('{k}') and position ({})",
                    i + 1
                )));
            }
            Some(i) => out[i] = Some(v.clone()),
            None => {
                return Err(vm.type_error(format!(
                    "'{k}' is an invalid keyword argument for {fname}()"
                )));
            }
        }
    }
    for (i, n) in names.iter().enumerate().take(required) {
        if out[i].is_none() {
            return Err(vm.type_error(format!(
                "{fname}() missing required argument '{n}' (pos {})",
                i + 1
            )));
        }
    }
    Ok(out)
}

/// A `Py_ssize_t` argument (`pos`, `endpos`, `count`, `maxsplit`), `default` if absent.
pub fn ssize(vm: &mut Vm, v: &Option<Value>, default: i64) -> PyResult<i64> {
    match v {
        None => Ok(default),
        Some(v) => {
            if let Some(i) = v.as_small_int() {
                return Ok(i);
            }
            if v.as_float().is_some() {
                return Err(vm.type_error("'float' object cannot be interpreted as an integer"));
            }
            let b = crate::ops::to_index(vm, v)?;
            use num_traits::ToPrimitive;
            match b.to_i64() {
                Some(i) => Ok(i),
                None => Err(vm.err(
                    crate::world::types().overflow_error,
                    "Python int too large to convert to C ssize_t",
                )),
            }
        }
    }
}
