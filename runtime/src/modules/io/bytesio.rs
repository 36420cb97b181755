//! `_io.BytesIO`: a binary stream over an in-memory buffer.
use super::{
    IoLock, IoTypes, Native, add_methods, add_property, bytes_like, closed_error, int_arg,
    method_pos, parse_args, set_state, size_arg, state_of, uninitialized,
};
use crate::types::bytes::BytesObj;
use crate::types::list::ListObj;
use crate::value::Value;
use crate::vm::{Args, PyResult, Vm};

pub struct BytesState {
    buf: Vec<u8>,
    pos: usize,
    closed: bool,
}

pub fn install(io: &IoTypes) {
    let t = &io.bytes_io;
    add_methods(
        t,
        &[
            ("__init__", init),
            ("getvalue", getvalue),
            ("getbuffer", getbuffer),
            ("read", read),
            ("read1", read),
            ("readinto", readinto),
            ("readinto1", readinto),
            ("readline", readline),
            ("readlines", readlines),
            ("write", write),
            ("writelines", writelines),
            ("seek", seek),
            ("tell", tell),
            ("truncate", truncate),
            ("readable", true_if_open),
            ("writable", true_if_open),
            ("seekable", true_if_open),
            ("isatty", isatty),
            ("flush", flush),
            ("close", close),
            ("__next__", next),
            ("__iter__", iter),
        ],
    );
    add_property(t, "closed", closed, None);
}

fn with<R>(
    vm: &mut Vm,
    obj: &Value,
    check_closed: bool,
    f: impl FnOnce(&mut Vm, &mut BytesState) -> PyResult<R>,
) -> PyResult<R> {
    let Some(st) = state_of(obj) else {
        return Err(uninitialized(vm));
    };
    let Some(super::IoStateObj {
        s: Native::Bytes(l),
    }) = st.downcast_exact::<super::IoStateObj>()
    else {
        return Err(uninitialized(vm));
    };
    let mut g = l.lock(vm, obj)?;
    if check_closed && g.closed {
        return Err(closed_error(vm, true));
    }
    f(vm, &mut g)
}

fn init(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let slf = super::this(vm, a, "__init__")?;
    let p = parse_args(vm, "BytesIO", a, 1, &["initial_bytes"], 0)?;
    let buf = match p[0] {
        Some(v) if !v.is_none() => bytes_like(vm, v)?,
        _ => Vec::new(),
    };
    set_state(
        vm,
        slf,
        Native::Bytes(IoLock::new(BytesState {
            buf,
            pos: 0,
            closed: false,
        })),
    )?;
    Ok(Value::none())
}

fn getvalue(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (slf, _) = method_pos(vm, "getvalue", a, 0, 0)?;
    let v = with(vm, slf, true, |_, s| Ok(s.buf.clone()))?;
    Ok(BytesObj::new_value(v))
}

/// `getbuffer()`: a read-only view of a snapshot of the buffer. CPython's view is
/// writable and shares the buffer (and pins its size while exported); stitch's
/// memoryview needs a bytes-like exporter, so this is a copy, read-only so that a write
/// through it fails loudly instead of being lost. Enough for readers of the buffer
/// (the Lib's `pickle` hands it to `write`).
fn getbuffer(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (slf, _) = method_pos(vm, "getbuffer", a, 0, 0)?;
    let v = with(vm, slf, true, |_, s| Ok(s.buf.clone()))?;
    crate::types::memoryview::new_view(vm, &BytesObj::new_value(v))
}

impl BytesState {
    fn take(&mut self, n: i64) -> Vec<u8> {
        let start = self.pos.min(self.buf.len());
        let avail = self.buf.len() - start;
        let n = if n < 0 {
            avail
        } else {
            (n as usize).min(avail)
        };
        self.pos = start + n;
        self.buf[start..start + n].to_vec()
    }

    fn line(&mut self, limit: i64) -> Vec<u8> {
        let start = self.pos.min(self.buf.len());
        let rest = &self.buf[start..];
        let mut n = match rest.iter().position(|&b| b == b'\n') {
            Some(i) => i + 1,
            None => rest.len(),
        };
        if limit >= 0 {
            n = n.min(limit as usize);
        }
        self.pos = start + n;
        rest[..n].to_vec()
    }
}

fn read(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (slf, r) = method_pos(vm, "read", a, 0, 1)?;
    let n = size_arg(vm, r.first())?;
    let v = with(vm, slf, true, |_, s| Ok(s.take(n)))?;
    Ok(BytesObj::new_value(v))
}

fn readinto(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (slf, r) = method_pos(vm, "readinto", a, 1, 1)?;
    let buf = super::writable_buffer(vm, &r[0])?;
    let n = buf.len();
    let data = with(vm, slf, true, |_, s| Ok(s.take(n as i64)))?;
    buf.fill(vm, &data)?;
    Ok(Value::int(data.len() as i64))
}

fn readline(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (slf, r) = method_pos(vm, "readline", a, 0, 1)?;
    let n = size_arg(vm, r.first())?;
    let v = with(vm, slf, true, |_, s| Ok(s.line(n)))?;
    Ok(BytesObj::new_value(v))
}

fn readlines(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (slf, r) = method_pos(vm, "readlines", a, 0, 1)?;
    let hint = size_arg(vm, r.first())?;
    let lines = with(vm, slf, true, |_, s| {
        let mut out = Vec::new();
        let mut total = 0i64;
        loop {
            let l = s.line(-1);
            if l.is_empty() {
                break;
            }
            total += l.len() as i64;
            out.push(BytesObj::new_value(l));
            if hint > 0 && total >= hint {
                break;
            }
        }
        Ok(out)
    })?;
    Ok(ListObj::new_value(lines))
}

fn write_bytes(vm: &mut Vm, slf: &Value, data: &[u8]) -> PyResult<usize> {
    with(vm, slf, true, |_, s| {
        let end = s.pos + data.len();
        if end > s.buf.len() {
            s.buf.resize(end, 0);
        }
        s.buf[s.pos..end].copy_from_slice(data);
        s.pos = end;
        Ok(data.len())
    })
}

fn write(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (slf, r) = method_pos(vm, "write", a, 1, 1)?;
    // A closed stream reports that before a bad argument, as CPython does.
    with(vm, slf, true, |_, _| Ok(()))?;
    let data = bytes_like(vm, &r[0])?;
    let n = write_bytes(vm, slf, &data)?;
    Ok(Value::int(n as i64))
}

fn writelines(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (slf, r) = method_pos(vm, "writelines", a, 1, 1)?;
    with(vm, slf, true, |_, _| Ok(()))?;
    let it = crate::ops::get_iter(vm, &r[0])?;
    while let Some(line) = crate::ops::next(vm, &it)? {
        let data = bytes_like(vm, &line)?;
        write_bytes(vm, slf, &data)?;
    }
    Ok(Value::none())
}

fn seek(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (slf, r) = method_pos(vm, "seek", a, 1, 2)?;
    let pos = int_arg(vm, &r[0])?;
    let whence = match r.get(1) {
        Some(w) => int_arg(vm, w)?,
        None => 0,
    };
    let p = with(vm, slf, true, |vm, s| {
        let base = match whence {
            0 => {
                if pos < 0 {
                    return Err(vm.value_error(format!("negative seek value {pos}")));
                }
                0
            }
            1 => s.pos as i64,
            2 => s.buf.len() as i64,
            _ => {
                return Err(
                    vm.value_error(format!("invalid whence ({whence}, should be 0, 1 or 2)"))
                );
            }
        };
        s.pos = (base + pos).max(0) as usize;
        Ok(s.pos as i64)
    })?;
    Ok(Value::int(p))
}

fn tell(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (slf, _) = method_pos(vm, "tell", a, 0, 0)?;
    let p = with(vm, slf, true, |_, s| Ok(s.pos))?;
    Ok(Value::int(p as i64))
}

fn truncate(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (slf, r) = method_pos(vm, "truncate", a, 0, 1)?;
    let size = match r.first() {
        Some(v) if !v.is_none() => Some(int_arg(vm, v)?),
        _ => None,
    };
    let n = with(vm, slf, true, |vm, s| {
        let n = size.unwrap_or(s.pos as i64);
        if n < 0 {
            return Err(vm.value_error(format!("negative size value {n}")));
        }
        if (n as usize) < s.buf.len() {
            s.buf.truncate(n as usize);
        }
        Ok(n)
    })?;
    Ok(Value::int(n))
}

fn true_if_open(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let slf = super::this(vm, a, "readable")?;
    with(vm, slf, true, |_, _| Ok(()))?;
    Ok(Value::bool(true))
}

fn isatty(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (slf, _) = method_pos(vm, "isatty", a, 0, 0)?;
    with(vm, slf, true, |_, _| Ok(()))?;
    Ok(Value::bool(false))
}

fn flush(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (slf, _) = method_pos(vm, "flush", a, 0, 0)?;
    with(vm, slf, true, |_, _| Ok(()))?;
    Ok(Value::none())
}

fn close(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (slf, _) = method_pos(vm, "close", a, 0, 0)?;
    with(vm, slf, false, |_, s| {
        s.closed = true;
        s.buf = Vec::new();
        Ok(())
    })?;
    Ok(Value::none())
}

fn closed(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let slf = super::this(vm, a, "closed")?;
    let c = with(vm, slf, false, |_, s| Ok(s.closed))?;
    Ok(Value::bool(c))
}

fn iter(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let slf = super::this(vm, a, "__iter__")?;
    with(vm, slf, true, |_, _| Ok(()))?;
    Ok(slf.clone())
}

fn next(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let slf = super::this(vm, a, "__next__")?;
    let l = if super::is_exact(slf, &super::io_types().bytes_io) {
        with(vm, slf, true, |_, s| Ok(s.line(-1)))?
    } else {
        let v = super::call_method(vm, slf, "readline", &[])?;
        if crate::ops::len(vm, &v)? == 0 {
            return Err(super::stop_iteration(vm));
        }
        return Ok(v);
    };
    if l.is_empty() {
        return Err(super::stop_iteration(vm));
    }
    Ok(BytesObj::new_value(l))
}
