//! The `_socket.socket` type: a descriptor with its family, type, protocol and timeout,
//! all in atomics, since one socket object is often used by several threads at once
//! (one receives while another sends or closes).
//!
//! Timeouts work as CPython's: with no timeout (None) the descriptor is blocking and
//! each system call runs detached from the VM; with a timeout the descriptor is
//! non-blocking, the call is tried, and a call that would block waits in poll(2) (also
//! detached) for at most the time left, then raises TimeoutError("timed out"). A call
//! interrupted by a signal runs the Python handlers and resumes (PEP 475).
use std::sync::atomic::{AtomicI32, AtomicI64, AtomicU64, Ordering};
use std::time::{Duration, Instant};

use super::addr::{self, SockAddr};
use crate::modules::native_args::{self, methods};
use crate::native_payload;
use crate::thread_state::blocking;
use crate::types::bytes::{ByteArrayObj, BytesObj};
use crate::types::class::Kind;
use crate::types::native::{self, NativeType, new_type};
use crate::types::str::new_string;
use crate::types::tuple::TupleObj;
use crate::value::Value;
use crate::vm::{Args, PyErr, PyResult, Vm};
use crate::world::types;

pub struct SocketObj {
    /// The descriptor; -1 once closed or detached.
    fd: AtomicI64,
    family: AtomicI32,
    kind: AtomicI32,
    proto: AtomicI32,
    /// The timeout in seconds as f64 bits; negative: None (blocking).
    timeout: AtomicU64,
}
native_payload!(SocketObj, SOCKET);
static SOCKET_T: NativeType = NativeType {
    new: Some(sock_new),
    has_init: true,
    ..NativeType::of::<SocketObj>()
};

impl Drop for SocketObj {
    /// A socket dropped without `close()` closes its descriptor (CPython's finalizer,
    /// without the ResourceWarning, which is ignored by default).
    fn drop(&mut self) {
        let fd = *self.fd.get_mut();
        if fd >= 0 {
            // SAFETY: the descriptor belongs to this object, which is going away.
            unsafe { libc::close(fd as i32) };
        }
    }
}

/// The default timeout of new sockets (f64 bits; negative: None).
static DEFAULT_TIMEOUT: AtomicU64 = AtomicU64::new(0xbff0_0000_0000_0000); // -1.0

pub fn default_timeout() -> f64 {
    f64::from_bits(DEFAULT_TIMEOUT.load(Ordering::Relaxed))
}

pub fn set_default_timeout(t: f64) {
    DEFAULT_TIMEOUT.store(t.to_bits(), Ordering::Relaxed);
}

/// Timeout value as Python sees it.
pub fn timeout_value(t: f64) -> Value {
    if t < 0.0 {
        Value::none()
    } else {
        Value::float(t)
    }
}

/// A timeout argument: None (-1.0), else a non-negative number of seconds.
pub fn parse_timeout(vm: &mut Vm, v: &Value) -> PyResult<f64> {
    if v.is_none() {
        return Ok(-1.0);
    }
    if !v.is_float() && crate::types::int::as_int(v).is_none() {
        let tn = crate::builtins::type_name(v);
        return Err(vm.type_error(format!("'{tn}' object cannot be interpreted as an integer")));
    }
    let t = crate::modules::args::seconds(vm, v)?;
    if t.is_nan() {
        return Err(vm.value_error("Invalid value NaN (not a number)"));
    }
    if t < 0.0 {
        return Err(vm.value_error("Timeout value out of range"));
    }
    Ok(t)
}

pub fn make_type() -> Value {
    let t = new_type::<SocketObj>(
        "socket",
        "_socket",
        native_args::object_type(),
        Kind::Native,
        &SOCKET_T,
        &SOCKET,
    );
    methods(
        &t,
        &[
            ("__init__", sock_init),
            ("__repr__", sock_repr),
            ("_accept", sock_accept),
            ("bind", sock_bind),
            ("listen", sock_listen),
            ("connect", sock_connect),
            ("connect_ex", sock_connect_ex),
            ("send", sock_send),
            ("sendall", sock_sendall),
            ("sendto", sock_sendto),
            ("recv", sock_recv),
            ("recv_into", sock_recv_into),
            ("recvfrom", sock_recvfrom),
            ("recvfrom_into", sock_recvfrom_into),
            ("sendmsg", super::msg::sock_sendmsg),
            ("recvmsg", super::msg::sock_recvmsg),
            ("shutdown", sock_shutdown),
            ("close", sock_close),
            ("detach", sock_detach),
            ("fileno", sock_fileno),
            ("setsockopt", sock_setsockopt),
            ("getsockopt", sock_getsockopt),
            ("settimeout", sock_settimeout),
            ("gettimeout", sock_gettimeout),
            ("setblocking", sock_setblocking),
            ("getblocking", sock_getblocking),
            ("getsockname", sock_getsockname),
            ("getpeername", sock_getpeername),
        ],
    );
    native_args::static_new(&t, sock_dnew);
    native_args::getset(&t, "family", get_family, None);
    native_args::getset(&t, "type", get_type, None);
    native_args::getset(&t, "proto", get_proto, None);
    native_args::getset(&t, "timeout", get_timeout, None);
    t
}

fn errno() -> i32 {
    crate::modules::posix::path::errno()
}

fn os_error(vm: &mut Vm, e: i32) -> PyErr {
    crate::builtins::os_error::from_errno(vm, e, None, None)
}

fn timed_out(vm: &mut Vm) -> PyErr {
    vm.err(types().timeout_error, "timed out")
}

/// Set or clear O_NONBLOCK on `fd`.
fn set_nonblocking(fd: i32, on: bool) -> Result<(), i32> {
    // SAFETY: fcntl on a descriptor number; a bad one fails with EBADF.
    let fl = unsafe { libc::fcntl(fd, libc::F_GETFL) };
    if fl < 0 {
        return Err(errno());
    }
    let nfl = if on {
        fl | libc::O_NONBLOCK
    } else {
        fl & !libc::O_NONBLOCK
    };
    // SAFETY: as above.
    if nfl != fl && unsafe { libc::fcntl(fd, libc::F_SETFL, nfl) } < 0 {
        return Err(errno());
    }
    Ok(())
}

impl SocketObj {
    pub fn new_closed() -> SocketObj {
        SocketObj {
            fd: AtomicI64::new(-1),
            family: AtomicI32::new(libc::AF_INET),
            kind: AtomicI32::new(libc::SOCK_STREAM),
            proto: AtomicI32::new(0),
            timeout: AtomicU64::new((-1.0f64).to_bits()),
        }
    }

    pub(crate) fn fd(&self) -> i32 {
        self.fd.load(Ordering::Acquire) as i32
    }

    pub(crate) fn timeout(&self) -> f64 {
        f64::from_bits(self.timeout.load(Ordering::Relaxed))
    }

    /// Take ownership of `fd`, with CPython's `init_sockobject` rules for the type
    /// flags and the default timeout.
    fn adopt(&self, fd: i32, family: i32, kind: i32, proto: i32) -> Result<(), i32> {
        self.fd.store(fd as i64, Ordering::Release);
        self.family.store(family, Ordering::Relaxed);
        self.kind.store(
            kind & !(libc::SOCK_NONBLOCK | libc::SOCK_CLOEXEC),
            Ordering::Relaxed,
        );
        self.proto.store(proto, Ordering::Relaxed);
        let t = if kind & libc::SOCK_NONBLOCK != 0 {
            0.0
        } else {
            default_timeout()
        };
        self.timeout.store(t.to_bits(), Ordering::Relaxed);
        if t >= 0.0 {
            set_nonblocking(fd, true)?;
        }
        Ok(())
    }

    /// Run the system call `op` (returning -1 and errno on failure) with the socket's
    /// timeout rules; `write` chooses the readiness to wait for. `deadline` overrides
    /// the per-call deadline (sendall's total).
    pub(super) fn call(
        &self,
        vm: &mut Vm,
        write: bool,
        deadline: Option<Instant>,
        mut op: impl FnMut(i32) -> isize,
    ) -> PyResult<isize> {
        let fd = self.fd();
        let t = self.timeout();
        let deadline = match deadline {
            Some(d) => Some(d),
            None if t > 0.0 => Some(Instant::now() + Duration::from_secs_f64(t)),
            None => None,
        };
        loop {
            let (r, e) = if t < 0.0 {
                blocking(|| {
                    let r = op(fd);
                    (r, if r < 0 { errno() } else { 0 })
                })
            } else {
                let r = op(fd);
                (r, if r < 0 { errno() } else { 0 })
            };
            if r >= 0 {
                return Ok(r);
            }
            if e == libc::EINTR {
                crate::modules::signal::run_pending(vm)?;
                continue;
            }
            if t > 0.0 && (e == libc::EAGAIN || e == libc::EWOULDBLOCK) {
                wait(vm, fd, write, deadline)?;
                continue;
            }
            return Err(os_error(vm, e));
        }
    }
}

/// Wait (detached) until `fd` is ready for reading or writing, or the deadline passes
/// (TimeoutError).
pub(crate) fn wait(vm: &mut Vm, fd: i32, write: bool, deadline: Option<Instant>) -> PyResult<()> {
    loop {
        let ms = match deadline {
            None => -1,
            Some(d) => {
                let left = d.saturating_duration_since(Instant::now());
                left.as_nanos().div_ceil(1_000_000).min(i32::MAX as u128) as i32
            }
        };
        let events = if write { libc::POLLOUT } else { libc::POLLIN };
        let (r, e) = blocking(|| {
            let mut p = libc::pollfd {
                fd,
                events,
                revents: 0,
            };
            // SAFETY: one pollfd, valid for the call.
            let r = unsafe { libc::poll(&mut p, 1, ms) };
            (r, if r < 0 { errno() } else { 0 })
        });
        if r > 0 {
            return Ok(());
        }
        if r == 0 {
            return Err(timed_out(vm));
        }
        if e == libc::EINTR {
            crate::modules::signal::run_pending(vm)?;
            continue;
        }
        return Err(os_error(vm, e));
    }
}

fn this<'a>(vm: &mut Vm, name: &str, a: &Args<'a>) -> PyResult<(&'a Value, &'a SocketObj)> {
    let Some(s) = a.pos().first() else {
        return Err(vm.type_error(format!("descriptor '{name}' needs an argument")));
    };
    match native::downcast::<SocketObj>(s) {
        Some(q) => Ok((s, q)),
        None => Err(vm.type_error(format!(
            "descriptor '{name}' for '_socket.socket' objects doesn't apply to a '{}' object",
            s.type_data().name
        ))),
    }
}

/// The receiver and its positional arguments (between `min` and `max`; no keywords).
pub(super) fn this_pos<'a>(
    vm: &mut Vm,
    name: &str,
    a: &Args<'a>,
    min: usize,
    max: usize,
) -> PyResult<(&'a SocketObj, &'a [Value])> {
    let (_, s) = this(vm, name, a)?;
    let rest = &a.args[1..a.pos().len()];
    if a.has_kw() {
        return Err(vm.type_error(format!("{name}() takes no keyword arguments")));
    }
    if rest.len() < min || rest.len() > max {
        let n = rest.len();
        let msg = match (min, max) {
            (0, 0) => format!("{name}() takes no arguments ({n} given)"),
            (1, 1) => format!("{name}() takes exactly one argument ({n} given)"),
            _ if n < min => format!("{name}() takes at least {min} arguments ({n} given)"),
            _ => format!("{name}() takes at most {max} arguments ({n} given)"),
        };
        return Err(vm.type_error(msg));
    }
    Ok((s, rest))
}

fn rest<'a>(a: &Args<'a>) -> Args<'a> {
    Args {
        args: &a.args[1..],
        kwnames: a.kwnames,
    }
}

fn sock_new(_vm: &mut Vm, cls: &Value, _a: &Args) -> PyResult<Value> {
    Ok(native::alloc(cls, SocketObj::new_closed()))
}

/// `socket.__new__(cls, *args, **kwargs)` in the type dict: `ssl.SSLSocket._create`
/// calls `cls.__new__(cls, **kwargs)` explicitly and initializes it itself.
fn sock_dnew(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let base = <SocketObj as crate::value::PyPayload>::class();
    let (cls, rest) = native_args::new_args(vm, a, base)?;
    sock_new(vm, &cls, &rest)
}

/// A new socket object of the `_socket.socket` type owning `fd`.
pub fn from_fd(vm: &mut Vm, fd: i32, family: i32, kind: i32, proto: i32) -> PyResult<Value> {
    let s = SocketObj::new_closed();
    if let Err(e) = s.adopt(fd, family, kind, proto) {
        s.fd.store(-1, Ordering::Relaxed);
        // SAFETY: the descriptor is ours and not yet handed to Python.
        unsafe { libc::close(fd) };
        return Err(os_error(vm, e));
    }
    Ok(Value::alloc(s))
}

fn sockopt_int(fd: i32, opt: i32) -> Result<i32, i32> {
    let mut v: libc::c_int = 0;
    let mut len = std::mem::size_of::<libc::c_int>() as libc::socklen_t;
    // SAFETY: v and len are valid for getsockopt to write.
    let r = unsafe {
        libc::getsockopt(
            fd,
            libc::SOL_SOCKET,
            opt,
            &mut v as *mut _ as *mut libc::c_void,
            &mut len,
        )
    };
    if r < 0 { Err(errno()) } else { Ok(v) }
}

/// `socket(family=-1, type=-1, proto=-1, fileno=None)`.
fn sock_init(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (_, s) = this(vm, "__init__", a)?;
    let r = rest(a);
    let p = native_args::bind(
        vm,
        "socket",
        &r,
        &["family", "type", "proto", "fileno"],
        0,
        4,
    )?;
    let mut ints = [-1i32; 3];
    for (i, v) in p[..3].iter().enumerate() {
        if let Some(v) = v {
            ints[i] = crate::modules::args::c_int(vm, v)?;
        }
    }
    let [mut family, mut kind, mut proto] = ints;
    let fileno = p[3].filter(|v| !v.is_none());
    let fd = match fileno {
        Some(f) => {
            if f.is_float() {
                return Err(vm.type_error("'float' object cannot be interpreted as an integer"));
            }
            let fd = super::int_arg(vm, f)?;
            if fd < 0 {
                return Err(vm.value_error("negative file descriptor"));
            }
            if fd > i32::MAX as i64 {
                return Err(vm.overflow_error("file descriptor out of range"));
            }
            let fd = fd as i32;
            if family == -1 {
                let mut sa = SockAddr::empty();
                // SAFETY: getsockname into a buffer of the size passed.
                let r = unsafe { libc::getsockname(fd, sa.as_mut_ptr(), &mut sa.len) };
                if r < 0 {
                    return Err(os_error(vm, errno()));
                }
                family = sa.storage.ss_family as i32;
            }
            if kind == -1 {
                kind = sockopt_int(fd, libc::SO_TYPE).map_err(|e| os_error(vm, e))?;
            }
            if proto == -1 {
                proto = sockopt_int(fd, libc::SO_PROTOCOL).map_err(|e| os_error(vm, e))?;
            }
            fd
        }
        None => {
            if family == -1 {
                family = libc::AF_INET;
            }
            if kind == -1 {
                kind = libc::SOCK_STREAM;
            }
            if proto == -1 {
                proto = 0;
            }
            // SAFETY: socket(2) with plain integer arguments.
            let fd = unsafe { libc::socket(family, kind | libc::SOCK_CLOEXEC, proto) };
            if fd < 0 {
                return Err(os_error(vm, errno()));
            }
            fd
        }
    };
    if let Err(e) = s.adopt(fd, family, kind, proto) {
        return Err(os_error(vm, e));
    }
    Ok(Value::none())
}

fn sock_repr(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (s, _) = this_pos(vm, "__repr__", a, 0, 0)?;
    Ok(new_string(format!(
        "<socket object, fd={}, family={}, type={}, proto={}>",
        s.fd(),
        s.family.load(Ordering::Relaxed),
        s.kind.load(Ordering::Relaxed),
        s.proto.load(Ordering::Relaxed)
    )))
}

fn get_family(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (_, s) = this(vm, "family", a)?;
    Ok(Value::int(s.family.load(Ordering::Relaxed) as i64))
}

fn get_type(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (_, s) = this(vm, "type", a)?;
    Ok(Value::int(s.kind.load(Ordering::Relaxed) as i64))
}

fn get_proto(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (_, s) = this(vm, "proto", a)?;
    Ok(Value::int(s.proto.load(Ordering::Relaxed) as i64))
}

fn get_timeout(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (_, s) = this(vm, "timeout", a)?;
    Ok(timeout_value(s.timeout()))
}

fn sock_fileno(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (s, _) = this_pos(vm, "fileno", a, 0, 0)?;
    Ok(Value::int(s.fd() as i64))
}

fn sock_close(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (s, _) = this_pos(vm, "close", a, 0, 0)?;
    let fd = s.fd.swap(-1, Ordering::AcqRel);
    if fd >= 0 {
        // SAFETY: the descriptor was ours; it is no longer reachable through `s`.
        let r = unsafe { libc::close(fd as i32) };
        if r < 0 {
            let e = errno();
            if e != libc::ECONNRESET {
                return Err(os_error(vm, e));
            }
        }
    }
    Ok(Value::none())
}

fn sock_detach(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (s, _) = this_pos(vm, "detach", a, 0, 0)?;
    Ok(Value::int(s.fd.swap(-1, Ordering::AcqRel)))
}

pub(super) fn family_of(s: &SocketObj) -> i32 {
    s.family.load(Ordering::Relaxed)
}

fn sock_bind(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (s, p) = this_pos(vm, "bind", a, 1, 1)?;
    let sa = addr::parse(vm, family_of(s), &p[0], "bind")?;
    // SAFETY: the address is valid for its length.
    if unsafe { libc::bind(s.fd(), sa.as_ptr(), sa.len) } < 0 {
        return Err(os_error(vm, errno()));
    }
    Ok(Value::none())
}

fn sock_listen(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (s, p) = this_pos(vm, "listen", a, 0, 1)?;
    let backlog = match p.first() {
        Some(v) => crate::modules::args::c_int(vm, v)?.max(0),
        None => libc::SOMAXCONN.min(128),
    };
    // SAFETY: listen(2) on a descriptor number.
    if unsafe { libc::listen(s.fd(), backlog) } < 0 {
        return Err(os_error(vm, errno()));
    }
    Ok(Value::none())
}

fn sock_accept(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (s, _) = this_pos(vm, "_accept", a, 0, 0)?;
    let mut sa = SockAddr::empty();
    let fd = s.call(vm, false, None, |fd| {
        sa.len = std::mem::size_of::<libc::sockaddr_storage>() as libc::socklen_t;
        // SAFETY: the address buffer is valid for the length passed.
        unsafe { libc::accept4(fd, sa.as_mut_ptr(), &mut sa.len, libc::SOCK_CLOEXEC) as isize }
    })?;
    Ok(TupleObj::from_items([
        Value::int(fd as i64),
        addr::to_value(&sa),
    ]))
}

/// connect(2) with the timeout rules; Ok(0) or the errno when `raise` is false.
fn connect(vm: &mut Vm, s: &SocketObj, target: &Value, raise: bool, caller: &str) -> PyResult<i32> {
    let sa = addr::parse(vm, family_of(s), target, caller)?;
    let fd = s.fd();
    let t = s.timeout();
    let (r, mut e) = if t < 0.0 {
        blocking(|| {
            // SAFETY: the address is valid for its length.
            let r = unsafe { libc::connect(fd, sa.as_ptr(), sa.len) };
            (r, if r < 0 { errno() } else { 0 })
        })
    } else {
        // SAFETY: as above.
        let r = unsafe { libc::connect(fd, sa.as_ptr(), sa.len) };
        (r, if r < 0 { errno() } else { 0 })
    };
    if r == 0 {
        return Ok(0);
    }
    // Interrupted, or in progress with a timeout: wait for the outcome.
    if e == libc::EINTR {
        crate::modules::signal::run_pending(vm)?;
    }
    if (e == libc::EINTR && t != 0.0) || (e == libc::EINPROGRESS && t > 0.0) {
        let deadline = (t > 0.0).then(|| Instant::now() + Duration::from_secs_f64(t));
        match wait(vm, fd, true, deadline) {
            Ok(()) => {}
            Err(err) if !raise && err.exc.type_data().is_subtype_raw(types().timeout_error) => {
                return Ok(libc::EWOULDBLOCK);
            }
            Err(err) => return Err(err),
        }
        e = sockopt_int(fd, libc::SO_ERROR).unwrap_or_else(|e| e);
        if e == 0 {
            return Ok(0);
        }
    }
    if raise { Err(os_error(vm, e)) } else { Ok(e) }
}

fn sock_connect(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (s, p) = this_pos(vm, "connect", a, 1, 1)?;
    connect(vm, s, &p[0], true, "connect")?;
    Ok(Value::none())
}

fn sock_connect_ex(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (s, p) = this_pos(vm, "connect_ex", a, 1, 1)?;
    Ok(Value::int(
        connect(vm, s, &p[0], false, "connect_ex")? as i64
    ))
}

pub(super) fn flags_arg(vm: &mut Vm, v: Option<&Value>) -> PyResult<i32> {
    match v {
        Some(v) => crate::modules::args::c_int(vm, v),
        None => Ok(0),
    }
}

/// The bytes to send: bytes in place (immutable), a copy of a mutable buffer (the
/// send may wait or run signal handlers, with the buffer's lock released).
fn data_arg<'a>(vm: &mut Vm, v: &'a Value) -> PyResult<std::borrow::Cow<'a, [u8]>> {
    crate::modules::buffer::need(vm, v)
}

/// A non-blocking `send` of a bytearray, reading it in place: one system call that
/// cannot wait, made under the bytearray's lock. asyncio sends its whole write buffer
/// each time (`sock.send(self._buffer)`), and copying megabytes to send a part of them
/// cost more than the send. None when it does not apply or the call was interrupted
/// (the general path retries it after the signal handlers).
fn send_in_place(vm: &mut Vm, s: &SocketObj, p: &[Value]) -> Option<PyResult<Value>> {
    if s.timeout() != 0.0 {
        return None;
    }
    let ba = p[0].downcast::<crate::types::bytes::ByteArrayObj>()?;
    let flags = match flags_arg(vm, p.get(1)) {
        Ok(f) => f,
        Err(e) => return Some(Err(e)),
    };
    let fd = s.fd();
    let (r, e) = ba.data.read(|d| {
        // SAFETY: `d` is valid for its length while the cell is held.
        let r = unsafe { libc::send(fd, d.as_ptr() as *const libc::c_void, d.len(), flags) };
        (r, if r < 0 { errno() } else { 0 })
    });
    match r {
        0.. => Some(Ok(Value::int(r as i64))),
        _ if e == libc::EINTR => None,
        _ => Some(Err(os_error(vm, e))),
    }
}

fn sock_send(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (s, p) = this_pos(vm, "send", a, 1, 2)?;
    if let Some(r) = send_in_place(vm, s, p) {
        return r;
    }
    let data = data_arg(vm, &p[0])?;
    let flags = flags_arg(vm, p.get(1))?;
    let n = s.call(vm, true, None, |fd| {
        // SAFETY: data is valid for its length.
        unsafe { libc::send(fd, data.as_ptr() as *const libc::c_void, data.len(), flags) }
    })?;
    Ok(Value::int(n as i64))
}

fn sock_sendall(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (s, p) = this_pos(vm, "sendall", a, 1, 2)?;
    let data = data_arg(vm, &p[0])?;
    let flags = flags_arg(vm, p.get(1))?;
    let t = s.timeout();
    let deadline = (t > 0.0).then(|| Instant::now() + Duration::from_secs_f64(t));
    let mut off = 0;
    while off < data.len() {
        let chunk = &data[off..];
        let n = s.call(vm, true, deadline, |fd| {
            // SAFETY: chunk is valid for its length.
            unsafe {
                libc::send(
                    fd,
                    chunk.as_ptr() as *const libc::c_void,
                    chunk.len(),
                    flags,
                )
            }
        })?;
        off += n as usize;
        crate::modules::signal::run_pending(vm)?;
    }
    Ok(Value::none())
}

fn sock_sendto(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (s, p) = this_pos(vm, "sendto", a, 2, 3)?;
    let data = data_arg(vm, &p[0])?;
    let (flags, target) = if p.len() == 3 {
        (flags_arg(vm, Some(&p[1]))?, &p[2])
    } else {
        (0, &p[1])
    };
    let sa = addr::parse(vm, family_of(s), target, "sendto")?;
    let n = s.call(vm, true, None, |fd| {
        // SAFETY: data and the address are valid for their lengths.
        unsafe {
            libc::sendto(
                fd,
                data.as_ptr() as *const libc::c_void,
                data.len(),
                flags,
                sa.as_ptr(),
                sa.len,
            )
        }
    })?;
    Ok(Value::int(n as i64))
}

pub(super) fn size_arg(vm: &mut Vm, v: &Value, caller: &str) -> PyResult<usize> {
    let n = super::int_arg(vm, v)?;
    if n < 0 {
        return Err(vm.value_error(format!("negative buffersize in {caller}")));
    }
    Ok(n as usize)
}

/// recvfrom(2) into a fresh buffer of `n` bytes: the data and the sender's address.
fn recv_some(
    vm: &mut Vm,
    s: &SocketObj,
    n: usize,
    flags: i32,
    want_addr: bool,
) -> PyResult<(Vec<u8>, SockAddr)> {
    // Not zeroed: `recv_into` asks for its whole buffer (asyncio's is 256 KiB) and
    // usually gets a little of it.
    let mut buf: Vec<u8> = Vec::with_capacity(n);
    let mut sa = SockAddr::empty();
    let got = s.call(vm, false, None, |fd| {
        sa.len = std::mem::size_of::<libc::sockaddr_storage>() as libc::socklen_t;
        let (ap, lp) = if want_addr {
            (sa.as_mut_ptr(), &mut sa.len as *mut libc::socklen_t)
        } else {
            (std::ptr::null_mut(), std::ptr::null_mut())
        };
        // SAFETY: buf has capacity for n bytes; the address buffer is valid for its
        // length.
        unsafe { libc::recvfrom(fd, buf.as_mut_ptr() as *mut libc::c_void, n, flags, ap, lp) }
    })?;
    // SAFETY: recvfrom wrote `got` (<= n, the capacity) bytes at the start.
    unsafe { buf.set_len(got as usize) };
    if !want_addr {
        sa.len = 0;
    }
    Ok((buf, sa))
}

fn sock_recv(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (s, p) = this_pos(vm, "recv", a, 1, 2)?;
    let n = size_arg(vm, &p[0], "recv")?;
    let flags = flags_arg(vm, p.get(1))?;
    let (buf, _) = recv_some(vm, s, n, flags, false)?;
    Ok(BytesObj::new_value(buf))
}

fn sock_recvfrom(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (s, p) = this_pos(vm, "recvfrom", a, 1, 2)?;
    let n = size_arg(vm, &p[0], "recvfrom")?;
    let flags = flags_arg(vm, p.get(1))?;
    let (buf, sa) = recv_some(vm, s, n, flags, true)?;
    Ok(TupleObj::from_items([
        BytesObj::new_value(buf),
        addr::to_value(&sa),
    ]))
}

/// The writable length of a buffer argument (bytearray, memoryview, array).
pub(crate) fn buffer_len(vm: &mut Vm, v: &Value) -> PyResult<usize> {
    if v.downcast::<BytesObj>().is_some() {
        return Err(vm.type_error(
            "recv_into() argument 'buffer' must be read-write bytes-like object, not bytes",
        ));
    }
    match crate::modules::buffer::with_bytes(v, |d| d.len()) {
        Some(n) => Ok(n),
        None => {
            let tn = crate::builtins::type_name(v);
            Err(vm.type_error(format!(
                "recv_into() argument 'buffer' must be read-write bytes-like object, not {tn}"
            )))
        }
    }
}

/// Copy `data` to the start of the writable buffer `v`.
pub(crate) fn fill(vm: &mut Vm, v: &Value, data: Vec<u8>) -> PyResult<()> {
    if let Some(b) = v.downcast::<ByteArrayObj>() {
        let n = data.len();
        b.data.with(|d| {
            let k = n.min(d.len());
            d[..k].copy_from_slice(&data[..k]);
        });
        return Ok(());
    }
    if crate::types::memoryview::writable_len(v).is_some_and(|len| data.len() <= len) {
        return crate::types::memoryview::write_prefix(vm, v, &data);
    }
    let n = data.len() as i64;
    let sl = Value::alloc(crate::types::misc::SliceObj {
        start: Value::int(0),
        stop: Value::int(n),
        step: Value::none(),
    });
    crate::ops::setitem(vm, v, sl, BytesObj::new_value(data))
}

fn into_args<'a>(
    vm: &mut Vm,
    name: &str,
    a: &Args<'a>,
) -> PyResult<(&'a SocketObj, &'a Value, usize, i32)> {
    let (_, s) = this(vm, name, a)?;
    let r = rest(a);
    let p = native_args::bind(vm, name, &r, &["buffer", "nbytes", "flags"], 1, 3)?;
    let buf = p[0].expect("required");
    let len = buffer_len(vm, buf)?;
    let n = match p[1] {
        Some(v) => {
            let n = super::int_arg(vm, v)?;
            if n < 0 {
                return Err(vm.value_error(format!("negative buffersize in {name}")));
            }
            n as usize
        }
        None => 0,
    };
    let n = if n == 0 {
        len
    } else if n > len {
        return Err(vm.value_error(if name == "recv_into" {
            "buffer too small for requested bytes"
        } else {
            "nbytes is greater than the length of the buffer"
        }));
    } else {
        n
    };
    let flags = flags_arg(vm, p[2])?;
    Ok((s, buf, n, flags))
}

fn sock_recv_into(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (s, buf, n, flags) = into_args(vm, "recv_into", a)?;
    let (data, _) = recv_some(vm, s, n, flags, false)?;
    let k = data.len();
    fill(vm, buf, data)?;
    Ok(Value::int(k as i64))
}

fn sock_recvfrom_into(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (s, buf, n, flags) = into_args(vm, "recvfrom_into", a)?;
    let (data, sa) = recv_some(vm, s, n, flags, true)?;
    let k = data.len();
    fill(vm, buf, data)?;
    Ok(TupleObj::from_items([
        Value::int(k as i64),
        addr::to_value(&sa),
    ]))
}

fn sock_shutdown(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (s, p) = this_pos(vm, "shutdown", a, 1, 1)?;
    let how = crate::modules::args::c_int(vm, &p[0])?;
    // SAFETY: shutdown(2) on a descriptor number.
    if unsafe { libc::shutdown(s.fd(), how) } < 0 {
        return Err(os_error(vm, errno()));
    }
    Ok(Value::none())
}

fn sock_setsockopt(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (s, p) = this_pos(vm, "setsockopt", a, 3, 4)?;
    let level = crate::modules::args::c_int(vm, &p[0])?;
    let opt = crate::modules::args::c_int(vm, &p[1])?;
    let r = if p.len() == 4 {
        if !p[2].is_none() {
            return Err(vm.type_error("setsockopt() argument 3 must be NoneType, not int"));
        }
        let len = crate::modules::args::c_int(vm, &p[3])? as libc::socklen_t;
        // SAFETY: a NULL option value with a length, as the caller asked.
        unsafe { libc::setsockopt(s.fd(), level, opt, std::ptr::null(), len) }
    } else if crate::types::int::as_int(&p[2]).is_some() {
        let v = crate::modules::args::c_int(vm, &p[2])?;
        // SAFETY: v is valid for its size.
        unsafe {
            libc::setsockopt(
                s.fd(),
                level,
                opt,
                &v as *const _ as *const libc::c_void,
                std::mem::size_of::<libc::c_int>() as libc::socklen_t,
            )
        }
    } else {
        let b = data_arg(vm, &p[2])?;
        // SAFETY: b is valid for its length.
        unsafe {
            libc::setsockopt(
                s.fd(),
                level,
                opt,
                b.as_ptr() as *const libc::c_void,
                b.len() as libc::socklen_t,
            )
        }
    };
    if r < 0 {
        return Err(os_error(vm, errno()));
    }
    Ok(Value::none())
}

fn sock_getsockopt(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (s, p) = this_pos(vm, "getsockopt", a, 2, 3)?;
    let level = crate::modules::args::c_int(vm, &p[0])?;
    let opt = crate::modules::args::c_int(vm, &p[1])?;
    match p.get(2) {
        None => {
            let mut v: libc::c_int = 0;
            let mut len = std::mem::size_of::<libc::c_int>() as libc::socklen_t;
            // SAFETY: v and len are valid for getsockopt to write.
            let r = unsafe {
                libc::getsockopt(
                    s.fd(),
                    level,
                    opt,
                    &mut v as *mut _ as *mut libc::c_void,
                    &mut len,
                )
            };
            if r < 0 {
                return Err(os_error(vm, errno()));
            }
            Ok(Value::int(v as i64))
        }
        Some(b) => {
            let n = crate::modules::args::c_int(vm, b)?;
            if n <= 0 || n > 1024 {
                return Err(super::os_msg(vm, "getsockopt buflen out of range"));
            }
            let mut buf = vec![0u8; n as usize];
            let mut len = n as libc::socklen_t;
            // SAFETY: buf and len are valid for getsockopt to write.
            let r = unsafe {
                libc::getsockopt(
                    s.fd(),
                    level,
                    opt,
                    buf.as_mut_ptr() as *mut libc::c_void,
                    &mut len,
                )
            };
            if r < 0 {
                return Err(os_error(vm, errno()));
            }
            buf.truncate(len as usize);
            Ok(BytesObj::new_value(buf))
        }
    }
}

fn apply_timeout(vm: &mut Vm, s: &SocketObj, t: f64) -> PyResult<Value> {
    s.timeout.store(t.to_bits(), Ordering::Relaxed);
    if let Err(e) = set_nonblocking(s.fd(), t >= 0.0) {
        return Err(os_error(vm, e));
    }
    Ok(Value::none())
}

fn sock_settimeout(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (s, p) = this_pos(vm, "settimeout", a, 1, 1)?;
    let t = parse_timeout(vm, &p[0])?;
    apply_timeout(vm, s, t)
}

fn sock_gettimeout(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (s, _) = this_pos(vm, "gettimeout", a, 0, 0)?;
    Ok(timeout_value(s.timeout()))
}

fn sock_setblocking(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (s, p) = this_pos(vm, "setblocking", a, 1, 1)?;
    let on = crate::ops::truthy(vm, &p[0])?;
    apply_timeout(vm, s, if on { -1.0 } else { 0.0 })
}

fn sock_getblocking(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (s, _) = this_pos(vm, "getblocking", a, 0, 0)?;
    Ok(Value::bool(s.timeout() != 0.0))
}

fn name_of(vm: &mut Vm, a: &Args, peer: bool) -> PyResult<Value> {
    let (s, _) = this_pos(
        vm,
        if peer { "getpeername" } else { "getsockname" },
        a,
        0,
        0,
    )?;
    let mut sa = SockAddr::empty();
    // SAFETY: the address buffer is valid for the length passed.
    let r = unsafe {
        if peer {
            libc::getpeername(s.fd(), sa.as_mut_ptr(), &mut sa.len)
        } else {
            libc::getsockname(s.fd(), sa.as_mut_ptr(), &mut sa.len)
        }
    };
    if r < 0 {
        return Err(os_error(vm, errno()));
    }
    if sa.storage.ss_family as i32 == libc::AF_UNIX && sa.len as usize <= 2 {
        return Ok(new_string(String::new()));
    }
    Ok(addr::to_value(&sa))
}

fn sock_getsockname(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    name_of(vm, a, false)
}

fn sock_getpeername(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    name_of(vm, a, true)
}
