//! `_bisect`: binary search and insertion in sorted sequences (`key`, `lo`, `hi`).
use crate::ops;
use crate::types::list::ListObj;
use crate::value::Value;
use crate::vm::{Args, PyResult, Vm};

use super::args::{bind, module};

/// The arguments of all four functions: (a, x, lo, hi, key).
struct Call<'a> {
    a: &'a Value,
    x: &'a Value,
    lo: i64,
    hi: Option<i64>,
    key: Option<&'a Value>,
}

fn parse<'a>(vm: &mut Vm, fname: &str, args: &Args<'a>) -> PyResult<Call<'a>> {
    let b = bind(vm, fname, args, &["a", "x", "lo", "hi", "key"], 2, 4)?;
    let lo = match b[2] {
        Some(v) => ops::to_isize(vm, v)?,
        None => 0,
    };
    let hi = match b[3] {
        Some(v) if !v.is_none() => Some(ops::to_isize(vm, v)?),
        _ => None,
    };
    let (Some(a), Some(x)) = (b[0], b[1]) else {
        return Err(vm.type_error(format!("{fname}() missing required arguments")));
    };
    Ok(Call {
        a,
        x,
        lo,
        hi,
        key: b[4].filter(|k| !k.is_none()),
    })
}

/// The insertion point of `x` (left: before equal items; right: after them).
fn search(vm: &mut Vm, c: &Call, x: &Value, right: bool) -> PyResult<usize> {
    if c.lo < 0 {
        return Err(vm.value_error("lo must be non-negative"));
    }
    let mut lo = c.lo as usize;
    let mut hi = match c.hi {
        Some(h) => h.max(0) as usize,
        None => ops::len(vm, c.a)?,
    };
    let list = c.a.downcast_exact::<ListObj>();
    while lo < hi {
        let mid = (lo + hi) / 2;
        let mut item = match list.and_then(|l| l.get(mid)) {
            Some(v) => v,
            None => ops::getitem(vm, c.a, &Value::int(mid as i64))?,
        };
        if let Some(k) = c.key {
            item = vm.call(k, std::slice::from_ref(&item))?;
        }
        let go_left = if right {
            ops::less_than(vm, x, &item)?
        } else {
            !ops::less_than(vm, &item, x)?
        };
        if go_left {
            hi = mid;
        } else {
            lo = mid + 1;
        }
    }
    Ok(lo)
}

fn bisect_left(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let c = parse(vm, "bisect_left", a)?;
    search(vm, &c, c.x, false).map(|i| Value::int(i as i64))
}

fn bisect_right(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let c = parse(vm, "bisect_right", a)?;
    search(vm, &c, c.x, true).map(|i| Value::int(i as i64))
}

fn insort(vm: &mut Vm, fname: &str, a: &Args, right: bool) -> PyResult<Value> {
    let c = parse(vm, fname, a)?;
    let k = match c.key {
        Some(f) => vm.call(f, std::slice::from_ref(c.x))?,
        None => c.x.clone(),
    };
    let i = search(vm, &c, &k, right)?;
    if let Some(l) = c.a.downcast_exact::<ListObj>() {
        l.items.with(|v| {
            let at = i.min(v.len());
            v.insert(at, c.x.clone())
        });
    } else {
        let ins = ops::getattr_str(vm, c.a, "insert")?;
        vm.call(&ins, &[Value::int(i as i64), c.x.clone()])?;
    }
    Ok(Value::none())
}

fn insort_left(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    insort(vm, "insort_left", a, false)
}

fn insort_right(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    insort(vm, "insort_right", a, true)
}

pub fn init(_vm: &mut Vm) -> PyResult<Value> {
    Ok(module(
        "_bisect",
        &[
            ("bisect_left", bisect_left),
            ("bisect_right", bisect_right),
            ("insort_left", insort_left),
            ("insort_right", insort_right),
        ],
    ))
}
