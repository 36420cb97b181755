//! `_heapq`: the binary-heap algorithms on a list (min-heaps, and the `_max` variants
//! `heapq.merge` and `nlargest` use).
//!
//! Each sift first runs with the list's cell held while every comparison can be
//! decided without Python code (ints, floats), and continues one locked step at a
//! time, comparing outside the lock, from where that stopped; the list's size is
//! checked after every comparison that ran Python code, as CPython does.
use crate::ops::{self, LT, compare_fast};
use crate::types::list::ListObj;
use crate::value::Value;
use crate::vm::{Args, PyResult, Vm};

use super::args::{module, unpack};

/// `a < b`, or `b < a` for the max-heap variants.
fn before(vm: &mut Vm, a: &Value, b: &Value, max: bool) -> PyResult<bool> {
    if max {
        ops::less_than(vm, b, a)
    } else {
        ops::less_than(vm, a, b)
    }
}

fn before_fast(a: &Value, b: &Value, max: bool) -> Option<bool> {
    if max {
        compare_fast(b, a, LT)
    } else {
        compare_fast(a, b, LT)
    }
}

fn changed(vm: &mut Vm) -> crate::vm::PyErr {
    vm.runtime_error("list changed size during iteration")
}

/// Move the item at `pos` up toward `start` until its parent is not after it.
fn siftdown(vm: &mut Vm, l: &ListObj, start: usize, mut pos: usize, max: bool) -> PyResult<()> {
    let done = l.items.with(|v| {
        while pos > start {
            let parent = (pos - 1) >> 1;
            match before_fast(&v[pos], &v[parent], max) {
                None => return false,
                Some(false) => return true,
                Some(true) => {
                    v.swap(parent, pos);
                    pos = parent;
                }
            }
        }
        true
    });
    if done {
        return Ok(());
    }
    let size = l.len();
    while pos > start {
        let parent = (pos - 1) >> 1;
        let pair = l.items.with(|v| {
            (v.len() == size).then(|| (v[pos].clone(), v[parent].clone()))
        });
        let Some((item, par)) = pair else {
            return Err(changed(vm));
        };
        let lt = before(vm, &item, &par, max)?;
        if l.len() != size {
            return Err(changed(vm));
        }
        if !lt {
            break;
        }
        l.items.with(|v| v.swap(parent, pos));
        pos = parent;
    }
    Ok(())
}

/// Move the smaller child up from `pos` to a leaf, then sift the item there down.
fn siftup(vm: &mut Vm, l: &ListObj, mut pos: usize, max: bool) -> PyResult<()> {
    let start = pos;
    let end = l.len();
    let limit = end >> 1;
    let finished = l.items.with(|v| {
        while pos < limit {
            let mut child = 2 * pos + 1;
            if child + 1 < end {
                match before_fast(&v[child], &v[child + 1], max) {
                    None => return false,
                    Some(lt) => child += (!lt) as usize,
                }
            }
            v.swap(child, pos);
            pos = child;
        }
        true
    });
    if !finished {
        while pos < limit {
            let mut child = 2 * pos + 1;
            if child + 1 < end {
                let pair = l.items.with(|v| {
                    (v.len() == end).then(|| (v[child].clone(), v[child + 1].clone()))
                });
                let Some((a, b)) = pair else {
                    return Err(changed(vm));
                };
                let lt = before(vm, &a, &b, max)?;
                if l.len() != end {
                    return Err(changed(vm));
                }
                child += (!lt) as usize;
            }
            l.items.with(|v| v.swap(child, pos));
            pos = child;
        }
    }
    siftdown(vm, l, start, pos, max)
}

fn list_arg<'a>(vm: &mut Vm, fname: &str, v: &'a Value, which: &str) -> PyResult<&'a ListObj> {
    match v.downcast::<ListObj>() {
        Some(l) => Ok(l),
        None => {
            let tn = v.type_data().name.clone();
            Err(vm.type_error(format!("{fname}() argument{which} must be list, not {tn}")))
        }
    }
}

/// METH_O functions: exactly one argument.
fn one<'a>(vm: &mut Vm, fname: &str, a: &Args<'a>) -> PyResult<&'a ListObj> {
    super::args::no_kw(vm, fname, a)?;
    let p = a.pos();
    if p.len() != 1 {
        return Err(vm.type_error(format!(
            "{fname}() takes exactly one argument ({} given)",
            p.len()
        )));
    }
    list_arg(vm, fname, &p[0], "")
}

fn heappush(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let p = unpack(vm, "heappush", a, 2, 2)?;
    let l = list_arg(vm, "heappush", &p[0], " 1")?;
    let n = l.items.with(|v| {
        v.push(p[1].clone());
        v.len()
    });
    siftdown(vm, l, 0, n - 1, false)?;
    Ok(Value::none())
}

fn pop_top(vm: &mut Vm, fname: &str, a: &Args, max: bool) -> PyResult<Value> {
    let l = one(vm, fname, a)?;
    let r = l.items.with(|v| {
        let last = v.pop()?;
        if v.is_empty() {
            return Some((last, false));
        }
        Some((std::mem::replace(&mut v[0], last), true))
    });
    let Some((top, more)) = r else {
        return Err(vm.index_error("index out of range"));
    };
    if more {
        siftup(vm, l, 0, max)?;
    }
    Ok(top)
}

fn heappop(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    pop_top(vm, "heappop", a, false)
}

fn heappop_max(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    pop_top(vm, "_heappop_max", a, true)
}

fn replace_top(vm: &mut Vm, fname: &str, a: &Args, max: bool) -> PyResult<Value> {
    let p = unpack(vm, fname, a, 2, 2)?;
    let l = list_arg(vm, fname, &p[0], " 1")?;
    let top = l.items.with(|v| {
        v.first_mut()
            .map(|first| std::mem::replace(first, p[1].clone()))
    });
    let Some(top) = top else {
        return Err(vm.index_error("index out of range"));
    };
    siftup(vm, l, 0, max)?;
    Ok(top)
}

fn heapreplace(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    replace_top(vm, "heapreplace", a, false)
}

fn heapreplace_max(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    replace_top(vm, "_heapreplace_max", a, true)
}

fn heappushpop(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let p = unpack(vm, "heappushpop", a, 2, 2)?;
    let l = list_arg(vm, "heappushpop", &p[0], " 1")?;
    let item = &p[1];
    let Some(first) = l.items.with(|v| v.first().cloned()) else {
        return Ok(item.clone());
    };
    if !ops::less_than(vm, &first, item)? {
        return Ok(item.clone());
    }
    let top = l.items.with(|v| {
        v.first_mut()
            .map(|first| std::mem::replace(first, item.clone()))
    });
    let Some(top) = top else {
        return Err(vm.index_error("index out of range"));
    };
    siftup(vm, l, 0, false)?;
    Ok(top)
}

fn heapify_with(vm: &mut Vm, l: &ListObj, max: bool) -> PyResult<Value> {
    let n = l.len();
    for i in (0..n / 2).rev() {
        siftup(vm, l, i, max)?;
    }
    Ok(Value::none())
}

fn heapify(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let l = one(vm, "heapify", a)?;
    heapify_with(vm, l, false)
}

fn heapify_max(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let l = one(vm, "_heapify_max", a)?;
    heapify_with(vm, l, true)
}

pub fn init(_vm: &mut Vm) -> PyResult<Value> {
    let m = module(
        "_heapq",
        &[
            ("heappush", heappush),
            ("heappop", heappop),
            ("heapify", heapify),
            ("heapreplace", heapreplace),
            ("heappushpop", heappushpop),
            ("_heapify_max", heapify_max),
            ("_heappop_max", heappop_max),
            ("_heapreplace_max", heapreplace_max),
        ],
    );
    super::args::set(
        &m,
        "__about__",
        crate::types::str::new_str("Heap queues"),
    );
    Ok(m)
}
