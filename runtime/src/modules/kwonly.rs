//! Binding of Argument Clinic signatures with keyword-only parameters
//! (`f(data=b'', /, *, digest_size=64, ...)`): CPython words the positional-count
//! error differently for them ("takes at most 1 positional argument").
use crate::value::Value;
use crate::vm::{Args, PyResult, Vm};

/// Bind `a` to `names`, of which the first `max_pos` may be given positionally and
/// the first `positional_only` only so; keywords must name the others.
pub fn bind<'a>(
    vm: &mut Vm,
    fname: &str,
    a: &Args<'a>,
    names: &[&str],
    positional_only: usize,
    max_pos: usize,
) -> PyResult<Vec<Option<&'a Value>>> {
    let p = a.pos();
    if p.len() > max_pos {
        let s = if max_pos == 1 { "" } else { "s" };
        return Err(vm.type_error(format!(
            "{fname}() takes at most {max_pos} positional argument{s} ({} given)",
            p.len()
        )));
    }
    let mut out: Vec<Option<&'a Value>> = vec![None; names.len()];
    for (i, v) in p.iter().enumerate() {
        out[i] = Some(v);
    }
    for (k, v) in a.kw() {
        match names.iter().position(|n| *n == k) {
            Some(i) if i >= positional_only && out[i].is_none() => out[i] = Some(v),
            Some(i) if i >= positional_only => {
                return Err(vm.type_error(format!(
                    "argument for {fname}() given by name ('{k}') and position ({})",
                    i + 1
                )));
            }
            _ => {
                return Err(vm.type_error(format!(
                    "'{k}' is an invalid keyword argument for {fname}()"
                )));
            }
        }
    }
    Ok(out)
}
