//! The abstract bases `_IOBase`, `_RawIOBase`, `_BufferedIOBase` and `_TextIOBase`:
//! default methods written in terms of the concrete ones, always called through
//! Python attribute lookup so a subclass's overrides (Python or native) are used.
use super::{
    IoTypes, add_methods, add_property, call_method, closed_error, method_pos, size_arg,
    unsupported,
};
use crate::types::bytes::{ByteArrayObj, BytesObj};
use crate::types::list::ListObj;
use crate::value::Value;
use crate::vm::{Args, PyResult, Vm};

pub fn install(io: &IoTypes) {
    let b = &io.iobase;
    add_methods(
        b,
        &[
            ("seek", |vm, _| Err(unsupported(vm, "seek"))),
            ("tell", tell),
            ("truncate", |vm, _| Err(unsupported(vm, "truncate"))),
            ("flush", flush),
            ("close", close),
            ("seekable", |_, _| Ok(Value::bool(false))),
            ("readable", |_, _| Ok(Value::bool(false))),
            ("writable", |_, _| Ok(Value::bool(false))),
            ("fileno", |vm, _| Err(unsupported(vm, "fileno"))),
            ("isatty", isatty),
            ("_checkClosed", check_closed_m),
            ("_checkSeekable", check_seekable_m),
            ("_checkReadable", check_readable_m),
            ("_checkWritable", check_writable_m),
            ("__enter__", enter),
            ("__exit__", exit),
            ("__iter__", iter),
            ("__next__", next),
            ("readline", readline),
            ("readlines", readlines),
            ("writelines", writelines),
        ],
    );
    add_property(b, "closed", closed, None);

    let r = &io.raw_iobase;
    add_methods(
        r,
        &[
            ("read", raw_read),
            ("readall", raw_readall),
            ("readinto", not_implemented),
            ("write", not_implemented),
        ],
    );

    let bb = &io.buffered_iobase;
    add_methods(
        bb,
        &[
            ("read", |vm, _| Err(unsupported(vm, "read"))),
            ("read1", |vm, _| Err(unsupported(vm, "read1"))),
            ("write", |vm, _| Err(unsupported(vm, "write"))),
            ("detach", |vm, _| Err(unsupported(vm, "detach"))),
            ("readinto", buffered_readinto),
            ("readinto1", buffered_readinto1),
        ],
    );

    let t = &io.text_iobase;
    add_methods(
        t,
        &[
            ("read", |vm, _| Err(unsupported(vm, "read"))),
            ("readline", |vm, _| Err(unsupported(vm, "readline"))),
            ("write", |vm, _| Err(unsupported(vm, "write"))),
            ("detach", |vm, _| Err(unsupported(vm, "detach"))),
        ],
    );
    for n in ["encoding", "newlines", "errors"] {
        add_property(t, n, |_, _| Ok(Value::none()), None);
    }
}

/// `_RawIOBase.readinto` / `write`: for subclasses to define.
fn not_implemented(vm: &mut Vm, _a: &Args) -> PyResult<Value> {
    Err(crate::vm::PyErr {
        exc: vm.new_exception(crate::world::types().not_implemented_error, vec![]),
    })
}

const CLOSED_ATTR: &str = "__IOBase_closed";

/// `_IOBase.closed`: the `__IOBase_closed` attribute set by `close()`.
fn closed(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let slf = super::this(vm, a, "closed")?;
    Ok(Value::bool(base_closed(slf)))
}

fn base_closed(slf: &Value) -> bool {
    slf.type_data()
        .instance_dict(slf)
        .and_then(|d| d.downcast::<crate::types::dict::DictObj>())
        .and_then(|d| d.get_str(CLOSED_ATTR))
        .is_some_and(|v| v.is_true_singleton())
}

/// `self.closed`, through attribute lookup (subclasses define their own).
pub fn is_closed(vm: &mut Vm, slf: &Value) -> PyResult<bool> {
    let c = crate::ops::getattr_str(vm, slf, "closed")?;
    crate::ops::truthy(vm, &c)
}

pub fn check_closed(vm: &mut Vm, slf: &Value) -> PyResult<()> {
    if is_closed(vm, slf)? {
        return Err(closed_error(vm, true));
    }
    Ok(())
}

fn check_closed_m(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let slf = super::this(vm, a, "_checkClosed")?;
    check_closed(vm, slf)?;
    Ok(Value::none())
}

fn check_capability(vm: &mut Vm, a: &Args, method: &str, msg: &str) -> PyResult<Value> {
    let slf = super::this(vm, a, method)?;
    let name = method.trim_start_matches("_check").to_lowercase();
    if !super::truthy_method(vm, slf, &name)? {
        return Err(unsupported(vm, msg));
    }
    Ok(Value::bool(true))
}

fn check_seekable_m(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    check_capability(vm, a, "_checkSeekable", "File or stream is not seekable.")
}
fn check_readable_m(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    check_capability(vm, a, "_checkReadable", "File or stream is not readable.")
}
fn check_writable_m(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    check_capability(vm, a, "_checkWritable", "File or stream is not writable.")
}

fn tell(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (slf, _) = method_pos(vm, "tell", a, 0, 0)?;
    call_method(vm, slf, "seek", &[Value::int(0), Value::int(1)])
}

fn flush(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (slf, _) = method_pos(vm, "flush", a, 0, 0)?;
    check_closed(vm, slf)?;
    Ok(Value::none())
}

/// `_IOBase.close`: flush, then mark closed (even when flush raised).
pub fn base_close(vm: &mut Vm, slf: &Value) -> PyResult<()> {
    if is_closed(vm, slf)? {
        return Ok(());
    }
    let r = call_method(vm, slf, "flush", &[]);
    if let Some(d) = slf.type_data().instance_dict(slf)
        && let Some(d) = d.downcast::<crate::types::dict::DictObj>()
    {
        d.set_str(CLOSED_ATTR, Value::bool(true));
    }
    r.map(|_| ())
}

fn close(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (slf, _) = method_pos(vm, "close", a, 0, 0)?;
    base_close(vm, slf)?;
    Ok(Value::none())
}

fn isatty(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (slf, _) = method_pos(vm, "isatty", a, 0, 0)?;
    check_closed(vm, slf)?;
    Ok(Value::bool(false))
}

fn enter(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let slf = super::this(vm, a, "__enter__")?;
    check_closed(vm, slf)?;
    Ok(slf.clone())
}

fn exit(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let slf = super::this(vm, a, "__exit__")?;
    call_method(vm, slf, "close", &[])
}

fn iter(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let slf = super::this(vm, a, "__iter__")?;
    check_closed(vm, slf)?;
    Ok(slf.clone())
}

fn next(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let slf = super::this(vm, a, "__next__")?;
    let line = call_method(vm, slf, "readline", &[])?;
    if crate::ops::len(vm, &line)? == 0 {
        return Err(super::stop_iteration(vm));
    }
    Ok(line)
}

/// `_IOBase.readline(size=-1)`: bytes up to a newline, through `peek` when the object
/// has it (to read whole lines at once) or one `read(1)` at a time.
fn readline(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (slf, r) = method_pos(vm, "readline", a, 0, 1)?;
    let limit = size_arg(vm, r.first())?;
    let peek = crate::ops::getattr_opt(vm, slf, "peek")?;
    let mut out: Vec<u8> = Vec::new();
    while limit < 0 || (out.len() as i64) < limit {
        let mut n = 1usize;
        if let Some(p) = &peek {
            let ahead = vm.call(p, &[Value::int(1)])?;
            let Some(ab) = crate::types::bytes::as_bytes(&ahead) else {
                let tn = crate::builtins::type_name(&ahead);
                return Err(vm.err(
                    crate::world::types().os_error,
                    format!("peek() should have returned a bytes object, not '{tn}'"),
                ));
            };
            if ab.is_empty() {
                break;
            }
            n = match ab.iter().position(|&b| b == b'\n') {
                Some(i) => i + 1,
                None => ab.len(),
            };
            if limit >= 0 {
                n = n.min((limit as usize) - out.len());
            }
        }
        let b = call_method(vm, slf, "read", &[Value::int(n as i64)])?;
        if b.is_none() {
            break;
        }
        let Some(bytes) = crate::types::bytes::as_bytes(&b) else {
            let tn = crate::builtins::type_name(&b);
            return Err(vm.err(
                crate::world::types().os_error,
                format!("read() should have returned a bytes object, not '{tn}'"),
            ));
        };
        if bytes.is_empty() {
            break;
        }
        out.extend_from_slice(&bytes);
        if out.ends_with(b"\n") {
            break;
        }
    }
    Ok(BytesObj::new_value(out))
}

fn readlines(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (slf, r) = method_pos(vm, "readlines", a, 0, 1)?;
    let hint = size_arg(vm, r.first())?;
    let mut lines = Vec::new();
    let it = crate::ops::get_iter(vm, slf)?;
    let mut total = 0i64;
    while let Some(line) = crate::ops::next(vm, &it)? {
        if hint > 0 {
            total += crate::ops::len(vm, &line)? as i64;
        }
        lines.push(line);
        if hint > 0 && total >= hint {
            break;
        }
    }
    Ok(ListObj::new_value(lines))
}

fn writelines(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (slf, r) = method_pos(vm, "writelines", a, 1, 1)?;
    check_closed(vm, slf)?;
    let it = crate::ops::get_iter(vm, &r[0])?;
    let w = crate::ops::getattr_str(vm, slf, "write")?;
    while let Some(line) = crate::ops::next(vm, &it)? {
        vm.call(&w, &[line])?;
    }
    Ok(Value::none())
}

/// `_RawIOBase.read(size=-1)`: `readinto` a fresh buffer (or `readall`).
fn raw_read(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (slf, r) = method_pos(vm, "read", a, 0, 1)?;
    let n = size_arg(vm, r.first())?;
    if n < 0 {
        return call_method(vm, slf, "readall", &[]);
    }
    let buf = ByteArrayObj::new_value(vec![0; n as usize]);
    let got = call_method(vm, slf, "readinto", std::slice::from_ref(&buf))?;
    if got.is_none() {
        return Ok(got);
    }
    let k = crate::ops::to_isize(vm, &got)?;
    if k < 0 || k > n {
        return Err(vm.value_error(format!("readinto returned {k} outside buffer size {n}")));
    }
    let data = crate::types::bytes::as_bytes(&buf).unwrap_or_default();
    Ok(BytesObj::new_value(data[..k as usize].to_vec()))
}

/// `_RawIOBase.readall()`: `read(DEFAULT_BUFFER_SIZE)` until end of file.
fn raw_readall(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (slf, _) = method_pos(vm, "readall", a, 0, 0)?;
    let mut out = Vec::new();
    loop {
        let b = call_method(
            vm,
            slf,
            "read",
            &[Value::int(super::DEFAULT_BUFFER_SIZE as i64)],
        )?;
        if b.is_none() {
            if out.is_empty() {
                return Ok(b);
            }
            break;
        }
        let Some(bytes) = crate::types::bytes::as_bytes(&b) else {
            return Err(vm.type_error("read() should return bytes"));
        };
        if bytes.is_empty() {
            break;
        }
        out.extend_from_slice(&bytes);
    }
    Ok(BytesObj::new_value(out))
}

fn buffered_readinto_with(vm: &mut Vm, a: &Args, method: &str) -> PyResult<Value> {
    let (slf, r) = method_pos(vm, "readinto", a, 1, 1)?;
    let buf = super::writable_buffer(vm, &r[0])?;
    let n = buf.len();
    let data = call_method(vm, slf, method, &[Value::int(n as i64)])?;
    let Some(bytes) = crate::types::bytes::as_bytes(&data) else {
        return Err(vm.type_error("read() should return bytes"));
    };
    let k = bytes.len().min(n);
    buf.fill(vm, &bytes[..k])?;
    Ok(Value::int(k as i64))
}

fn buffered_readinto(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    buffered_readinto_with(vm, a, "read")
}

fn buffered_readinto1(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    buffered_readinto_with(vm, a, "read1")
}
