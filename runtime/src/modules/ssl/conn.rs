//! `_ssl._SSLSocket`: one TLS connection (a rustls client or server connection) over
//! either a pair of `MemoryBIO`s (`_wrap_bio`, what asyncio's `sslproto` drives) or a
//! socket's descriptor (`_wrap_socket`, what `ssl.SSLSocket` drives).
//!
//! It behaves as OpenSSL's `SSL_do_handshake`/`SSL_read`/`SSL_write`/`SSL_shutdown`
//! do under CPython: a call that needs bytes the transport does not have yet raises
//! `SSLWantReadError` (a BIO with no data, a non-blocking socket), a socket with a
//! timeout waits for at most that long, a blocking socket blocks (detached from the
//! VM). `read` and `write` complete the handshake first when it is not done.
//!
//! A server connection starts as a rustls `Acceptor`, so that the ClientHello's
//! server name can be handed to the context's `sni_callback` (which may switch
//! `context`) before the config is chosen.
//!
//! The rustls state is taken out of the object for the length of an operation (which
//! may call Python code or block); a second thread using the same object meanwhile
//! gets a ValueError instead of a data race.
use std::io::{Read, Write};

use rustls::pki_types::ServerName;
use rustls::server::Acceptor;

use super::context::{self, CERT_NONE, PROTOCOL_TLS_CLIENT, PROTOCOL_TLS_SERVER};
use super::{bio, cert, errors};
use crate::modules::native_args::{bind, getset, methods, object_type, receiver, this};
use crate::modules::socket::sock::{self, SocketObj};
use crate::native_payload;
use crate::object::ObjCell;
use crate::thread_state::blocking;
use crate::types::bytes::BytesObj;
use crate::types::class::Kind;
use crate::types::native::{self, NativeType, new_type};
use crate::types::str::{as_str, new_str, new_string};
use crate::types::tuple::TupleObj;
use crate::value::Value;
use crate::vm::{Args, PyErr, PyResult, Vm};

/// Largest chunk read from a socket at once (one TLS record and its header).
const RECV_CHUNK: usize = 16 * 1024 + 512;

enum Transport {
    Bio { incoming: Value, outgoing: Value },
    Sock(Value),
}

enum Conn {
    /// A server waiting for the ClientHello.
    Accepting(Box<Acceptor>),
    Live(Box<rustls::Connection>),
    /// Failed for good (the error is raised again on each use).
    Broken(rustls::Error),
}

struct Tls {
    conn: Conn,
    done: bool,
    sent_close: bool,
    /// Socket bytes received but not yet taken by rustls.
    pending_in: Vec<u8>,
    /// TLS bytes not yet sent on a non-blocking socket.
    pending_out: Vec<u8>,
}

pub struct SslSocket {
    tls: ObjCell<Option<Box<Tls>>>,
    context: ObjCell<Value>,
    owner: ObjCell<Value>,
    hostname: Value,
    server_side: bool,
    transport: Transport,
}
native_payload!(SslSocket, SSL_SOCKET);
static SSL_SOCKET_T: NativeType = NativeType::of::<SslSocket>();

impl crate::gc::Traverse for SslSocket {
    fn traverse(&self, visit: crate::gc::Visit<'_>) {
        self.context.read(|v| crate::gc::visit_value(v, visit));
        self.owner.read(|v| crate::gc::visit_value(v, visit));
        crate::gc::visit_value(&self.hostname, visit);
        match &self.transport {
            Transport::Bio { incoming, outgoing } => {
                crate::gc::visit_value(incoming, visit);
                crate::gc::visit_value(outgoing, visit);
            }
            Transport::Sock(s) => crate::gc::visit_value(s, visit),
        }
    }
    fn clear(&self) {
        drop(self.owner.with(|v| std::mem::replace(v, Value::none())));
    }
}

pub fn make_type() -> Value {
    let t = new_type::<SslSocket>(
        "_SSLSocket",
        "_ssl",
        object_type(),
        Kind::Native,
        &SSL_SOCKET_T,
        &SSL_SOCKET,
    );
    methods(
        &t,
        &[
            ("do_handshake", do_handshake),
            ("read", read),
            ("write", write),
            ("pending", pending),
            ("shutdown", shutdown),
            ("getpeercert", getpeercert),
            ("cipher", cipher),
            ("shared_ciphers", shared_ciphers),
            ("version", version),
            ("selected_alpn_protocol", selected_alpn_protocol),
            ("compression", compression),
            ("get_channel_binding", get_channel_binding),
            ("verify_client_post_handshake", verify_client_post_handshake),
        ],
    );
    getset(&t, "context", get_context, Some(set_context));
    getset(&t, "owner", get_owner, Some(set_owner));
    getset(&t, "server_side", get_server_side, None);
    getset(&t, "server_hostname", get_server_hostname, None);
    getset(&t, "session", get_session, Some(set_session));
    getset(&t, "session_reused", get_session_reused, None);
    t
}

// ---- making connections ---------------------------------------------------------------

/// `_SSLContext._wrap_socket(sock, server_side, server_hostname=None, *, owner=None,
/// session=None)`.
pub fn wrap_socket(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (ctx, rest) = receiver(vm, "_wrap_socket", a)?;
    let names = ["sock", "server_side", "server_hostname", "owner", "session"];
    let b = bind(vm, "_wrap_socket", &rest, &names, 2, 3)?;
    let sockv = b[0].cloned().unwrap_or_else(Value::none);
    if native::downcast::<SocketObj>(&sockv).is_none() {
        return Err(vm.type_error(format!(
            "_wrap_socket() argument 'sock' must be _socket.socket, not {}",
            sockv.type_data().name
        )));
    }
    let server_side = crate::ops::truthy(vm, b[1].unwrap_or(&Value::none()))?;
    new_socket(
        vm,
        ctx,
        Transport::Sock(sockv),
        server_side,
        b[2],
        b[3],
        b[4],
    )
}

/// `_SSLContext._wrap_bio(incoming, outgoing, server_side, server_hostname=None, *,
/// owner=None, session=None)`.
pub fn wrap_bio(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (ctx, rest) = receiver(vm, "_wrap_bio", a)?;
    let names = [
        "incoming",
        "outgoing",
        "server_side",
        "server_hostname",
        "owner",
        "session",
    ];
    let b = bind(vm, "_wrap_bio", &rest, &names, 3, 4)?;
    let incoming = b[0].cloned().unwrap_or_else(Value::none);
    let outgoing = b[1].cloned().unwrap_or_else(Value::none);
    bio::of(vm, &incoming)?;
    bio::of(vm, &outgoing)?;
    let server_side = crate::ops::truthy(vm, b[2].unwrap_or(&Value::none()))?;
    new_socket(
        vm,
        ctx,
        Transport::Bio { incoming, outgoing },
        server_side,
        b[3],
        b[4],
        b[5],
    )
}

fn new_socket(
    vm: &mut Vm,
    ctxv: &Value,
    transport: Transport,
    server_side: bool,
    hostname: Option<&Value>,
    owner: Option<&Value>,
    session: Option<&Value>,
) -> PyResult<Value> {
    let ctx = context::of(vm, ctxv)?;
    let protocol = ctx.st.read(|s| s.protocol);
    if server_side && protocol == PROTOCOL_TLS_CLIENT {
        return Err(errors::ssl_error(
            vm,
            errors::Kind::Error,
            errors::SSL_ERROR_SSL,
            None,
            "Cannot create a server socket with a PROTOCOL_TLS_CLIENT context",
        ));
    }
    if !server_side && protocol == PROTOCOL_TLS_SERVER {
        return Err(errors::ssl_error(
            vm,
            errors::Kind::Error,
            errors::SSL_ERROR_SSL,
            None,
            "Cannot create a client socket with a PROTOCOL_TLS_SERVER context",
        ));
    }
    if let Some(s) = session
        && !s.is_none()
    {
        return Err(vm.type_error("Value is not a SSLSession."));
    }
    let hostname = match hostname {
        Some(h) if !h.is_none() => {
            let Some(text) = as_str(h) else {
                return Err(vm.type_error(format!(
                    "server_hostname must be str, not {}",
                    h.type_data().name
                )));
            };
            if text.is_empty() || text.starts_with('.') || text.contains('\0') {
                return Err(vm.value_error(
                    "server_hostname cannot be an empty string or start with a leading dot.",
                ));
            }
            h.clone()
        }
        _ => Value::none(),
    };
    let conn = if server_side {
        ctx.st.with(|s| s.stats[2] += 1);
        Conn::Accepting(Box::default())
    } else {
        ctx.st.with(|s| s.stats[0] += 1);
        let cfg = match ctx.st.with(context::client_config) {
            Ok(c) => c,
            Err(m) => return Err(errors::generic(vm, "NO_PROTOCOLS_AVAILABLE", &m)),
        };
        let name = match as_str(&hostname) {
            Some(h) => match ServerName::try_from(h.to_string()) {
                Ok(n) => n,
                Err(_) => return Err(vm.value_error(format!("invalid server_hostname '{h}'"))),
            },
            // No name: no SNI is sent; the name check is off (check_hostname needs a
            // name, which ssl.py enforces).
            None => ServerName::IpAddress(std::net::Ipv4Addr::UNSPECIFIED.into()),
        };
        match rustls::ClientConnection::new(cfg, name) {
            Ok(c) => Conn::Live(Box::new(c.into())),
            Err(e) => return Err(errors::from_rustls(vm, &e)),
        }
    };
    Ok(Value::alloc(SslSocket {
        tls: ObjCell::new(Some(Box::new(Tls {
            conn,
            done: false,
            sent_close: false,
            pending_in: Vec::new(),
            pending_out: Vec::new(),
        }))),
        context: ObjCell::new(ctxv.clone()),
        owner: ObjCell::new(owner.cloned().unwrap_or_else(Value::none)),
        hostname,
        server_side,
        transport,
    }))
}

// ---- the receiver and its rustls state ------------------------------------------------

fn me<'a>(
    vm: &mut Vm,
    name: &str,
    a: &Args<'a>,
    min: usize,
    max: usize,
) -> PyResult<(&'a SslSocket, &'a [Value])> {
    let (s, r) = this(vm, name, a, min, max)?;
    match native::downcast::<SslSocket>(s) {
        Some(p) => Ok((p, r)),
        None => Err(vm.type_error(format!(
            "descriptor '{name}' for '_ssl._SSLSocket' objects doesn't apply to a '{}' object",
            s.type_data().name
        ))),
    }
}

/// Run `f` on the connection's rustls state, taken out of the object meanwhile.
fn with_tls<R>(
    vm: &mut Vm,
    s: &SslSocket,
    f: impl FnOnce(&mut Vm, &SslSocket, &mut Tls) -> PyResult<R>,
) -> PyResult<R> {
    let Some(mut tls) = s.tls.with(Option::take) else {
        return Err(vm.value_error("the SSL object is in use by another thread"));
    };
    let r = f(vm, s, &mut tls);
    s.tls.with(|t| *t = Some(tls));
    r
}

/// Read the rustls state without taking it (None while another thread has it).
fn peek<R>(s: &SslSocket, f: impl FnOnce(&Tls) -> R) -> Option<R> {
    s.tls.read(|t| t.as_deref().map(f))
}

fn rustls_io(vm: &mut Vm, e: std::io::Error) -> PyErr {
    errors::generic(vm, "UNKNOWN", &e.to_string())
}

// ---- moving bytes ---------------------------------------------------------------------

/// Run one socket system call with the socket's timeout rules: `Ok(None)` when a
/// non-blocking socket would block.
fn sock_call(
    vm: &mut Vm,
    so: &SocketObj,
    write: bool,
    mut op: impl FnMut(i32) -> isize,
) -> PyResult<Option<usize>> {
    let fd = so.fd();
    if fd < 0 {
        return Err(crate::builtins::os_error::from_errno(
            vm,
            libc::EBADF,
            None,
            None,
        ));
    }
    let t = so.timeout();
    let deadline =
        (t > 0.0).then(|| std::time::Instant::now() + std::time::Duration::from_secs_f64(t));
    loop {
        let errno = crate::modules::posix::path::errno;
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
            return Ok(Some(r as usize));
        }
        if e == libc::EINTR {
            crate::modules::signal::run_pending(vm)?;
            continue;
        }
        if e == libc::EAGAIN || e == libc::EWOULDBLOCK {
            if t == 0.0 {
                return Ok(None);
            }
            sock::wait(vm, fd, write, deadline)?;
            continue;
        }
        return Err(crate::builtins::os_error::from_errno(vm, e, None, None));
    }
}

fn sock_of(v: &Value) -> &SocketObj {
    match native::downcast::<SocketObj>(v) {
        Some(s) => s,
        None => unreachable!("_wrap_socket checked the socket's type"),
    }
}

/// Send `data` to the transport; a non-blocking socket keeps what it could not send
/// in `pending_out` and raises SSLWantWriteError.
fn send(vm: &mut Vm, s: &SslSocket, tls: &mut Tls, mut data: Vec<u8>) -> PyResult<()> {
    match &s.transport {
        Transport::Bio { outgoing, .. } => {
            let b = bio::of(vm, outgoing)?;
            b.st.with(|st| st.data.extend(data.iter()));
            Ok(())
        }
        Transport::Sock(sv) => {
            if !tls.pending_out.is_empty() {
                let mut all = std::mem::take(&mut tls.pending_out);
                all.extend_from_slice(&data);
                data = all;
            }
            let so = sock_of(sv);
            let mut off = 0;
            while off < data.len() {
                let chunk = &data[off..];
                let r = sock_call(vm, so, true, |fd| {
                    // SAFETY: `chunk` is valid for its length during the call.
                    unsafe {
                        libc::send(fd, chunk.as_ptr().cast(), chunk.len(), libc::MSG_NOSIGNAL)
                    }
                });
                match r {
                    Ok(Some(n)) => off += n,
                    Ok(None) => {
                        tls.pending_out = data[off..].to_vec();
                        return Err(errors::want_write(vm));
                    }
                    Err(e) => {
                        tls.pending_out = data[off..].to_vec();
                        return Err(e);
                    }
                }
            }
            Ok(())
        }
    }
}

/// Send everything rustls has to send.
fn flush(vm: &mut Vm, s: &SslSocket, tls: &mut Tls) -> PyResult<()> {
    loop {
        let mut out = Vec::new();
        if let Conn::Live(c) = &mut tls.conn {
            while c.wants_write() {
                if let Err(e) = c.write_tls(&mut out) {
                    return Err(rustls_io(vm, e));
                }
            }
        }
        if out.is_empty() && tls.pending_out.is_empty() {
            return Ok(());
        }
        send(vm, s, tls, out)?;
        if !matches!(&tls.conn, Conn::Live(c) if c.wants_write()) {
            return Ok(());
        }
    }
}

/// Give rustls the next bytes from the transport. `Ok(false)` at the end of the
/// transport; SSLWantReadError when no bytes are there yet.
fn feed(vm: &mut Vm, s: &SslSocket, tls: &mut Tls) -> PyResult<bool> {
    fn take(conn: &mut Conn, rd: &mut dyn Read) -> std::io::Result<usize> {
        match conn {
            Conn::Accepting(a) => a.read_tls(rd),
            Conn::Live(c) => c.read_tls(rd),
            Conn::Broken(_) => Ok(0),
        }
    }
    match &s.transport {
        Transport::Bio { incoming, .. } => {
            let b = bio::of(vm, incoming)?;
            let r = b.st.with(|st| {
                if st.data.is_empty() {
                    return Ok(Some(st.eof_written));
                }
                let (front, _) = st.data.as_slices();
                let mut rd: &[u8] = front;
                let n = take(&mut tls.conn, &mut rd)?;
                st.data.drain(..n);
                Ok(None)
            });
            match r {
                Ok(None) => Ok(true),
                Ok(Some(true)) => Ok(false),
                Ok(Some(false)) => Err(errors::want_read(vm)),
                Err(e) => Err(rustls_io(vm, e)),
            }
        }
        Transport::Sock(sv) => {
            if tls.pending_in.is_empty() {
                let so = sock_of(sv);
                let mut buf = vec![0u8; RECV_CHUNK];
                let r = sock_call(vm, so, false, |fd| {
                    // SAFETY: `buf` is valid and writable for its length.
                    unsafe { libc::recv(fd, buf.as_mut_ptr().cast(), buf.len(), 0) }
                })?;
                match r {
                    None => return Err(errors::want_read(vm)),
                    Some(0) => return Ok(false),
                    Some(n) => {
                        buf.truncate(n);
                        tls.pending_in = buf;
                    }
                }
            }
            let mut rd: &[u8] = &tls.pending_in;
            let n = take(&mut tls.conn, &mut rd).map_err(|e| rustls_io(vm, e))?;
            tls.pending_in.drain(..n);
            Ok(true)
        }
    }
}

/// Let rustls process what it was fed; on a protocol error, send its alert and raise.
fn process(vm: &mut Vm, s: &SslSocket, tls: &mut Tls) -> PyResult<()> {
    let Conn::Live(c) = &mut tls.conn else {
        return Ok(());
    };
    if let Err(e) = c.process_new_packets() {
        let _ = flush(vm, s, tls);
        tls.conn = Conn::Broken(e.clone());
        return Err(errors::from_rustls(vm, &e));
    }
    Ok(())
}

/// Feed and process, raising SSLEOFError at the end of the transport.
fn pump(vm: &mut Vm, s: &SslSocket, tls: &mut Tls) -> PyResult<()> {
    if !feed(vm, s, tls)? {
        return Err(errors::eof(vm));
    }
    process(vm, s, tls)
}

// ---- the handshake --------------------------------------------------------------------

/// A server's ClientHello arrived: run the SNI callback, then start the connection
/// with the (possibly switched) context's config.
fn accept(
    vm: &mut Vm,
    s: &SslSocket,
    tls: &mut Tls,
    accepted: rustls::server::Accepted,
) -> PyResult<()> {
    let name = accepted.client_hello().server_name().map(str::to_string);
    let ctxv = s.context.get_clone();
    let cb = context::of(vm, &ctxv)?.sni_callback.get_clone();
    if !cb.is_none() {
        // The owner (ssl.py's SSLObject or SSLSocket, which always sets one); None
        // for a bare `_wrap_bio` object without an owner.
        let who = s.owner.get_clone();
        let namev = match &name {
            Some(n) => new_str(n),
            None => Value::none(),
        };
        let r = vm.call(&cb, &[who, namev, ctxv])?;
        if !r.is_none() {
            let alert = crate::ops::to_index(vm, &r).ok();
            let e = rustls::Error::General(format!(
                "sni_callback returned alert {}",
                alert.map(|a| a.to_string()).unwrap_or_default()
            ));
            tls.conn = Conn::Broken(e.clone());
            return Err(errors::generic(
                vm,
                "TLSV1_ALERT_UNRECOGNIZED_NAME",
                &e.to_string(),
            ));
        }
    }
    let ctxv = s.context.get_clone();
    let ctx = context::of(vm, &ctxv)?;
    let cfg = match ctx.st.with(context::server_config) {
        Ok(c) => c,
        Err(m) => return Err(errors::generic(vm, "NO_PROTOCOLS_AVAILABLE", &m)),
    };
    match accepted.into_connection(cfg) {
        Ok(c) => {
            tls.conn = Conn::Live(Box::new(c.into()));
            Ok(())
        }
        Err((e, mut alert)) => {
            let mut out = Vec::new();
            let _ = alert.write_all(&mut out);
            tls.conn = Conn::Broken(e.clone());
            let _ = send(vm, s, tls, out);
            Err(errors::from_rustls(vm, &e))
        }
    }
}

enum Step {
    Done,
    Flush,
    Feed,
    Accepted(Box<rustls::server::Accepted>),
    Failed(rustls::Error, Vec<u8>),
}

fn handshake(vm: &mut Vm, s: &SslSocket, tls: &mut Tls) -> PyResult<()> {
    loop {
        flush(vm, s, tls)?;
        let step = match &mut tls.conn {
            Conn::Accepting(a) => match a.accept() {
                Ok(None) => Step::Feed,
                Ok(Some(acc)) => Step::Accepted(Box::new(acc)),
                Err((e, mut alert)) => {
                    let mut out = Vec::new();
                    let _ = alert.write_all(&mut out);
                    Step::Failed(e, out)
                }
            },
            Conn::Live(c) if c.wants_write() => Step::Flush,
            Conn::Live(c) if !c.is_handshaking() => Step::Done,
            Conn::Live(_) => Step::Feed,
            Conn::Broken(e) => Step::Failed(e.clone(), Vec::new()),
        };
        match step {
            Step::Done => break,
            Step::Flush => continue,
            Step::Feed => pump(vm, s, tls)?,
            Step::Accepted(acc) => accept(vm, s, tls, *acc)?,
            Step::Failed(e, out) => {
                tls.conn = Conn::Broken(e.clone());
                if !out.is_empty() {
                    let _ = send(vm, s, tls, out);
                }
                return Err(errors::from_rustls(vm, &e));
            }
        }
    }
    if !tls.done {
        tls.done = true;
        let ctxv = s.context.get_clone();
        if let Some(c) = native::downcast::<context::SslContext>(&ctxv) {
            let i = if s.server_side { 3 } else { 1 };
            c.st.with(|st| st.stats[i] += 1);
        }
    }
    Ok(())
}

fn do_handshake(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (s, _) = me(vm, "do_handshake", a, 0, 0)?;
    with_tls(vm, s, handshake)?;
    Ok(Value::none())
}

// ---- data -----------------------------------------------------------------------------

/// Up to `n` (> 0) bytes of application data.
fn read_some(vm: &mut Vm, s: &SslSocket, tls: &mut Tls, n: usize) -> PyResult<Vec<u8>> {
    if !tls.done {
        handshake(vm, s, tls)?;
    }
    let mut buf = vec![0u8; n];
    loop {
        let r = match &mut tls.conn {
            Conn::Live(c) => c.reader().read(&mut buf),
            Conn::Broken(e) => {
                let e = e.clone();
                return Err(errors::from_rustls(vm, &e));
            }
            Conn::Accepting(_) => unreachable!("the handshake is done"),
        };
        match r {
            // close_notify received: b'' as CPython gives (SSL_ERROR_ZERO_RETURN with
            // only SSL_RECEIVED_SHUTDOWN), the error once ours was sent too.
            Ok(0) if tls.sent_close => return Err(errors::zero_return(vm)),
            Ok(0) => return Ok(Vec::new()),
            Ok(k) => {
                buf.truncate(k);
                return Ok(buf);
            }
            Err(e) if e.kind() == std::io::ErrorKind::WouldBlock => {
                flush(vm, s, tls)?;
                pump(vm, s, tls)?;
            }
            Err(e) if e.kind() == std::io::ErrorKind::UnexpectedEof => {
                return Err(errors::eof(vm));
            }
            Err(e) => return Err(rustls_io(vm, e)),
        }
    }
}

/// `read(size, [buffer])`: bytes, or with a buffer the count written into it.
fn read(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (s, r) = me(vm, "read", a, 1, 2)?;
    let n = crate::ops::to_index(vm, &r[0])?;
    let n = i64::try_from(&n).unwrap_or(if n < 0.into() { -1 } else { i64::MAX });
    match r.get(1) {
        Some(b) => {
            let cap = sock::buffer_len(vm, b)? as i64;
            let n = if n <= 0 || n > cap { cap } else { n };
            if n == 0 {
                return Ok(Value::int(0));
            }
            let data = with_tls(vm, s, |vm, s, t| read_some(vm, s, t, n as usize))?;
            let k = data.len();
            sock::fill(vm, b, data)?;
            Ok(Value::int(k as i64))
        }
        None => {
            if n < 0 {
                return Err(vm.value_error("size should not be negative"));
            }
            if n == 0 {
                return Ok(BytesObj::new_value(Vec::new()));
            }
            let n = (n as usize).min(1 << 30);
            let data = with_tls(vm, s, |vm, s, t| read_some(vm, s, t, n))?;
            Ok(BytesObj::new_value(data))
        }
    }
}

/// `write(b)`: all of `b` (the handshake first if needed); returns its length.
fn write(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (s, r) = me(vm, "write", a, 1, 1)?;
    let data = crate::modules::buffer::need(vm, &r[0])?.into_owned();
    with_tls(vm, s, |vm, s, tls| {
        if !tls.done {
            handshake(vm, s, tls)?;
        }
        let mut off = 0;
        while off < data.len() {
            let w = match &mut tls.conn {
                Conn::Live(c) => c.writer().write(&data[off..]),
                Conn::Broken(e) => {
                    let e = e.clone();
                    return Err(errors::from_rustls(vm, &e));
                }
                Conn::Accepting(_) => unreachable!("the handshake is done"),
            };
            let n = w.map_err(|e| rustls_io(vm, e))?;
            off += n;
            flush(vm, s, tls)?;
            if n == 0 {
                return Err(errors::generic(
                    vm,
                    "PROTOCOL_IS_SHUTDOWN",
                    "protocol is shutdown",
                ));
            }
        }
        Ok(())
    })?;
    Ok(Value::int(data.len() as i64))
}

/// `pending()`: decrypted bytes ready to be read.
fn pending(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (s, _) = me(vm, "pending", a, 0, 0)?;
    let n = with_tls(vm, s, |_, _, tls| {
        Ok(match &mut tls.conn {
            Conn::Live(c) => c
                .process_new_packets()
                .map(|st| st.plaintext_bytes_to_read())
                .unwrap_or(0),
            _ => 0,
        })
    })?;
    Ok(Value::int(n as i64))
}

/// `shutdown()`: send close_notify and wait for the peer's (SSLWantReadError until it
/// comes over a BIO). Returns the socket for `_wrap_socket` connections.
fn shutdown(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (s, _) = me(vm, "shutdown", a, 0, 0)?;
    with_tls(vm, s, |vm, s, tls| {
        if !tls.done {
            return Err(errors::generic(
                vm,
                "SHUTDOWN_WHILE_IN_INIT",
                "shutdown while in init",
            ));
        }
        if !tls.sent_close {
            if let Conn::Live(c) = &mut tls.conn {
                c.send_close_notify();
            }
            tls.sent_close = true;
        }
        flush(vm, s, tls)?;
        let mut scratch = vec![0u8; RECV_CHUNK];
        loop {
            let r = match &mut tls.conn {
                Conn::Live(c) => c.reader().read(&mut scratch),
                _ => Ok(0),
            };
            match r {
                Ok(0) => return Ok(()),
                Ok(_) => continue,
                Err(e) if e.kind() == std::io::ErrorKind::WouldBlock => {
                    if !feed(vm, s, tls)? {
                        // A socket peer that closed without answering: done, as the
                        // close_notify was sent; a BIO at its end: OpenSSL's EOF error.
                        if let Transport::Sock(_) = s.transport {
                            return Ok(());
                        }
                        return Err(errors::eof(vm));
                    }
                    process(vm, s, tls)?;
                }
                Err(e) if e.kind() == std::io::ErrorKind::UnexpectedEof => {
                    return Err(errors::eof(vm));
                }
                Err(e) => return Err(rustls_io(vm, e)),
            }
        }
    })?;
    Ok(match &s.transport {
        Transport::Sock(v) => v.clone(),
        Transport::Bio { .. } => Value::none(),
    })
}

// ---- after the handshake --------------------------------------------------------------

/// Run `f` on the live connection once the handshake is done; `None` otherwise.
fn live<R>(s: &SslSocket, f: impl FnOnce(&rustls::Connection) -> R) -> Option<R> {
    peek(s, |t| match &t.conn {
        Conn::Live(c) if t.done => Some(f(c)),
        _ => None,
    })
    .flatten()
}

fn getpeercert(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (s, r) = me(vm, "getpeercert", a, 0, 1)?;
    let binary = match r.first() {
        Some(v) => crate::ops::truthy(vm, v)?,
        None => false,
    };
    if peek(s, |t| t.done) != Some(true) {
        return Err(vm.value_error("handshake not done yet"));
    }
    let der = live(s, |c| {
        c.peer_certificates()
            .and_then(|v| v.first())
            .map(|d| d.to_vec())
    })
    .flatten();
    let Some(der) = der else {
        return Ok(Value::none());
    };
    if binary {
        return Ok(BytesObj::new_value(der));
    }
    let ctxv = s.context.get_clone();
    let verify = context::of(vm, &ctxv)?.st.read(|st| st.verify_mode);
    if verify == CERT_NONE {
        return Ok(Value::alloc(crate::types::dict::DictObj::new()));
    }
    match cert::parse(&der) {
        Some(c) => Ok(cert::to_dict(&c)),
        None => Err(errors::generic(
            vm,
            "BAD_CERTIFICATE",
            "cannot decode certificate",
        )),
    }
}

/// OpenSSL's name and secret bits of a rustls cipher suite.
fn suite_info(suite: rustls::CipherSuite) -> (String, i64) {
    use rustls::CipherSuite as C;
    let (name, bits) = match suite {
        C::TLS13_AES_256_GCM_SHA384 => ("TLS_AES_256_GCM_SHA384", 256),
        C::TLS13_AES_128_GCM_SHA256 => ("TLS_AES_128_GCM_SHA256", 128),
        C::TLS13_CHACHA20_POLY1305_SHA256 => ("TLS_CHACHA20_POLY1305_SHA256", 256),
        C::TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384 => ("ECDHE-ECDSA-AES256-GCM-SHA384", 256),
        C::TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256 => ("ECDHE-ECDSA-AES128-GCM-SHA256", 128),
        C::TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256 => ("ECDHE-ECDSA-CHACHA20-POLY1305", 256),
        C::TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384 => ("ECDHE-RSA-AES256-GCM-SHA384", 256),
        C::TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256 => ("ECDHE-RSA-AES128-GCM-SHA256", 128),
        C::TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256 => ("ECDHE-RSA-CHACHA20-POLY1305", 256),
        other => return (format!("{other:?}"), 0),
    };
    (name.to_string(), bits)
}

fn version_name(v: rustls::ProtocolVersion) -> &'static str {
    match v {
        rustls::ProtocolVersion::TLSv1_3 => "TLSv1.3",
        rustls::ProtocolVersion::TLSv1_2 => "TLSv1.2",
        rustls::ProtocolVersion::TLSv1_1 => "TLSv1.1",
        rustls::ProtocolVersion::TLSv1_0 => "TLSv1",
        _ => "unknown",
    }
}

/// `cipher()`: (name, protocol of the suite, secret bits), None before the handshake.
fn cipher(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (s, _) = me(vm, "cipher", a, 0, 0)?;
    let info = live(s, |c| {
        c.negotiated_cipher_suite()
            .map(|cs| (suite_info(cs.suite()), version_name(cs.version().version)))
    })
    .flatten();
    Ok(match info {
        Some(((name, bits), ver)) => {
            TupleObj::from_items([new_string(name), new_str(ver), Value::int(bits)])
        }
        None => Value::none(),
    })
}

/// `shared_ciphers()`: rustls does not report the peer's offer; None.
fn shared_ciphers(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (_s, _) = me(vm, "shared_ciphers", a, 0, 0)?;
    Ok(Value::none())
}

fn version(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (s, _) = me(vm, "version", a, 0, 0)?;
    let v = live(s, |c| c.protocol_version()).flatten();
    Ok(match v {
        Some(v) => new_str(version_name(v)),
        None => Value::none(),
    })
}

fn selected_alpn_protocol(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (s, _) = me(vm, "selected_alpn_protocol", a, 0, 0)?;
    let p = live(s, |c| c.alpn_protocol().map(<[u8]>::to_vec)).flatten();
    Ok(match p {
        Some(p) => new_string(String::from_utf8_lossy(&p).into_owned()),
        None => Value::none(),
    })
}

/// `compression()`: TLS compression is never used.
fn compression(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (_s, _) = me(vm, "compression", a, 0, 0)?;
    Ok(Value::none())
}

/// `get_channel_binding(cb_type='tls-unique')`: rustls does not expose the Finished
/// message tls-unique is made of; None, as before a handshake.
fn get_channel_binding(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (sv, rest) = receiver(vm, "get_channel_binding", a)?;
    let _ = sv;
    let b = bind(vm, "get_channel_binding", &rest, &["cb_type"], 0, 1)?;
    if let Some(t) = b[0] {
        let name = as_str(t).unwrap_or("");
        if name != "tls-unique" {
            let r = crate::ops::to_str(vm, t)?;
            return Err(vm.value_error(format!("Unsupported channel binding type '{r}'")));
        }
    }
    Ok(Value::none())
}

fn verify_client_post_handshake(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (_s, _) = me(vm, "verify_client_post_handshake", a, 0, 0)?;
    Err(errors::generic(
        vm,
        "WRONG_SSL_VERSION",
        "post-handshake authentication is not supported",
    ))
}

// ---- attributes -----------------------------------------------------------------------

fn get_context(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (s, _) = me(vm, "context", a, 0, 0)?;
    Ok(s.context.get_clone())
}

fn set_context(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (s, r) = me(vm, "context", a, 1, 1)?;
    if native::downcast::<context::SslContext>(&r[0]).is_none() {
        return Err(vm.type_error("The value must be a SSLContext"));
    }
    let v = r[0].clone();
    drop(s.context.with(|c| std::mem::replace(c, v)));
    Ok(Value::none())
}

fn get_owner(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (s, _) = me(vm, "owner", a, 0, 0)?;
    Ok(s.owner.get_clone())
}

fn set_owner(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (s, r) = me(vm, "owner", a, 1, 1)?;
    let v = r[0].clone();
    drop(s.owner.with(|c| std::mem::replace(c, v)));
    Ok(Value::none())
}

fn get_server_side(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (s, _) = me(vm, "server_side", a, 0, 0)?;
    Ok(Value::bool(s.server_side))
}

fn get_server_hostname(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (s, _) = me(vm, "server_hostname", a, 0, 0)?;
    Ok(s.hostname.clone())
}

/// `session`: rustls resumes sessions by itself and hands out no session objects.
fn get_session(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (_s, _) = me(vm, "session", a, 0, 0)?;
    Ok(Value::none())
}

fn set_session(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (_s, r) = me(vm, "session", a, 1, 1)?;
    if r[0].is_none() {
        return Ok(Value::none());
    }
    Err(vm.type_error("Value is not a SSLSession."))
}

fn get_session_reused(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (_s, _) = me(vm, "session_reused", a, 0, 0)?;
    Ok(Value::bool(false))
}
