//! Reading methods of `sys.stdin` (`read`, `readline`, `readlines`; iteration calls
//! `readline`, see `ops::get_iter_base`). They go
//! through the process-wide buffered `std::io::stdin()`, the same buffer `input()`
//! reads, so mixing the two sees every line once and in order.
use std::io::{BufRead, Read};

use super::method_args;
use crate::types::list::ListObj;
use crate::types::str::new_string;
use crate::value::Value;
use crate::vm::{Args, PyResult, Vm};
use crate::world::types;

fn io_err(vm: &mut Vm, e: std::io::Error) -> crate::vm::PyErr {
    vm.err(types().os_error, e.to_string())
}

/// Text a sized `read` took from a line but did not return; later reads see it first.
static PENDING: std::sync::Mutex<String> = std::sync::Mutex::new(String::new());

fn take_pending() -> String {
    std::mem::take(&mut *PENDING.lock().unwrap_or_else(|p| p.into_inner()))
}

fn put_back(rest: String) {
    let mut p = PENDING.lock().unwrap_or_else(|p| p.into_inner());
    let tail = std::mem::take(&mut *p);
    *p = rest + &tail;
}

/// One line of standard input with its newline ("" at end of input).
pub fn read_line(vm: &mut Vm) -> PyResult<String> {
    vm.flush_stdout();
    let pending = take_pending();
    if let Some(i) = pending.find('\n') {
        put_back(pending[i + 1..].to_string());
        return Ok(pending[..=i].to_string());
    }
    let mut line = pending;
    std::io::stdin()
        .lock()
        .read_line(&mut line)
        .map_err(|e| io_err(vm, e))?;
    Ok(line)
}

pub fn read(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (_, r) = method_args(vm, "read", a, 0, 1)?;
    let size = match r.first() {
        Some(v) if !v.is_none() => crate::ops::to_isize(vm, v)?,
        _ => -1,
    };
    vm.flush_stdout();
    let mut out = take_pending();
    if size < 0 {
        std::io::stdin()
            .lock()
            .read_to_string(&mut out)
            .map_err(|e| io_err(vm, e))?;
    } else {
        // Characters, not bytes: gather lines until enough have arrived, and keep the
        // rest of the last one for the next read.
        while out.chars().count() < size as usize {
            let line = read_line(vm)?;
            if line.is_empty() {
                break;
            }
            out.push_str(&line);
        }
        if let Some((cut, _)) = out.char_indices().nth(size as usize) {
            put_back(out[cut..].to_string());
            out.truncate(cut);
        }
    }
    Ok(new_string(out))
}

pub fn readline(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    method_args(vm, "readline", a, 0, 1)?;
    Ok(new_string(read_line(vm)?))
}

pub fn readlines(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    method_args(vm, "readlines", a, 0, 1)?;
    let mut lines = Vec::new();
    loop {
        let line = read_line(vm)?;
        if line.is_empty() {
            break;
        }
        lines.push(new_string(line));
    }
    Ok(ListObj::new_value(lines))
}
