//! `_socket`: BSD sockets over libc, under CPython's names, for the Lib's `socket.py`
//! (which subclasses `_socket.socket`), `selectors`, `socketserver` and `asyncio`.
//!
//! - `sock.rs`: the socket type (descriptor, timeouts, the calls);
//! - `addr.rs`: Python addresses <-> `sockaddr`;
//! - `resolve.rs`: `getaddrinfo` and the other resolver functions;
//! - this file: the module, its constants, exceptions and small functions.
use std::sync::OnceLock;

use stitch_stencils::value::RawValue;

mod addr;
mod msg;
mod resolve;
pub(crate) mod sock;

use crate::modules::args::{self, consts, set};
use crate::modules::native_args;
use crate::types::bytes::BytesObj;
use crate::types::dict::DictObj;
use crate::types::str::{as_str, new_str, new_string};
use crate::types::tuple::TupleObj;
use crate::value::Value;
use crate::vm::{Args, PyErr, PyResult, Vm};
use crate::world::types;

/// `socket.gaierror` and `socket.herror` (bits of the immortal classes).
static ERRORS: OnceLock<(u64, u64)> = OnceLock::new();

fn error_class(vm: &mut Vm, name: &str) -> PyResult<Value> {
    let ns = DictObj::new();
    ns.set_str("__module__", crate::world::intern("socket"));
    let bases = TupleObj::from_items([Value::from_borrowed(types().os_error)]);
    let tyty = Value::from_borrowed(types().type_);
    let cls = vm.call(&tyty, &[new_str(name), bases, Value::alloc(ns)])?;
    crate::object::make_immortal(cls.raw());
    Ok(cls)
}

fn errors(vm: &mut Vm) -> PyResult<(Value, Value)> {
    if ERRORS.get().is_none() {
        let g = error_class(vm, "gaierror")?;
        let h = error_class(vm, "herror")?;
        let _ = ERRORS.set((g.bits(), h.bits()));
    }
    let (g, h) = *ERRORS.get().expect("set above");
    Ok((
        Value::from_borrowed(RawValue(g)),
        Value::from_borrowed(RawValue(h)),
    ))
}

fn raise_with(vm: &mut Vm, cls: PyResult<Value>, code: i32, msg: String) -> PyErr {
    match cls.and_then(|c| vm.call(&c, &[Value::int(code as i64), new_string(msg)])) {
        Ok(e) => PyErr { exc: e },
        Err(e) => e,
    }
}

/// `gaierror(code, gai_strerror(code))`.
pub fn gai_error(vm: &mut Vm, code: i32) -> PyErr {
    // SAFETY: gai_strerror returns a static NUL-terminated string.
    let msg = unsafe { std::ffi::CStr::from_ptr(libc::gai_strerror(code)) }
        .to_string_lossy()
        .into_owned();
    let cls = errors(vm).map(|(g, _)| g);
    raise_with(vm, cls, code, msg)
}

/// `herror(code, msg)`.
pub fn h_error(vm: &mut Vm, code: i32, msg: &str) -> PyErr {
    let cls = errors(vm).map(|(_, h)| h);
    raise_with(vm, cls, code, msg.to_string())
}

/// An OSError with a message and no errno.
pub fn os_msg(vm: &mut Vm, msg: impl Into<String>) -> PyErr {
    vm.err(types().os_error, msg)
}

/// An integer argument (floats refused, `__index__` accepted).
pub fn int_arg(vm: &mut Vm, v: &Value) -> PyResult<i64> {
    args::int(vm, v)
}

pub fn init(vm: &mut Vm) -> PyResult<Value> {
    let m = args::module(
        "_socket",
        &[
            ("getaddrinfo", resolve::getaddrinfo),
            ("getnameinfo", resolve::getnameinfo),
            ("gethostname", resolve::gethostname),
            ("gethostbyname", resolve::gethostbyname),
            ("gethostbyname_ex", resolve::gethostbyname_ex),
            ("gethostbyaddr", resolve::gethostbyaddr),
            ("getservbyname", resolve::getservbyname),
            ("getprotobyname", resolve::getprotobyname),
            ("inet_aton", inet_aton),
            ("inet_ntoa", inet_ntoa),
            ("inet_pton", inet_pton),
            ("inet_ntop", inet_ntop),
            ("htons", htons),
            ("ntohs", htons),
            ("htonl", htonl),
            ("ntohl", htonl),
            ("socketpair", socketpair),
            ("CMSG_LEN", msg::cmsg_len),
            ("CMSG_SPACE", msg::cmsg_space),
            ("dup", dup),
            ("close", close),
            ("getdefaulttimeout", getdefaulttimeout),
            ("setdefaulttimeout", setdefaulttimeout),
        ],
    );
    let t = sock::make_type();
    set(&m, "socket", t.clone());
    set(&m, "SocketType", t);
    let (g, h) = errors(vm)?;
    set(&m, "gaierror", g);
    set(&m, "herror", h);
    set(&m, "error", Value::from_borrowed(types().os_error));
    set(&m, "timeout", Value::from_borrowed(types().timeout_error));
    set(&m, "has_ipv6", Value::bool(true));
    consts(&m, CONSTANTS);
    Ok(m)
}

/// The module's integer constants (Linux values; those the libc crate lacks spelled
/// out).
const CONSTANTS: &[(&str, i64)] = &[
    ("AF_UNSPEC", libc::AF_UNSPEC as i64),
    ("AF_INET", libc::AF_INET as i64),
    ("AF_INET6", libc::AF_INET6 as i64),
    ("AF_UNIX", libc::AF_UNIX as i64),
    ("AF_NETLINK", libc::AF_NETLINK as i64),
    ("AF_PACKET", libc::AF_PACKET as i64),
    ("SOCK_STREAM", libc::SOCK_STREAM as i64),
    ("SOCK_DGRAM", libc::SOCK_DGRAM as i64),
    ("SOCK_RAW", libc::SOCK_RAW as i64),
    ("SOCK_RDM", libc::SOCK_RDM as i64),
    ("SOCK_SEQPACKET", libc::SOCK_SEQPACKET as i64),
    ("SOCK_NONBLOCK", libc::SOCK_NONBLOCK as i64),
    ("SOCK_CLOEXEC", libc::SOCK_CLOEXEC as i64),
    ("SOL_SOCKET", libc::SOL_SOCKET as i64),
    ("SOL_IP", libc::SOL_IP as i64),
    ("SOL_TCP", libc::SOL_TCP as i64),
    ("SOL_UDP", libc::SOL_UDP as i64),
    ("SOMAXCONN", libc::SOMAXCONN as i64),
    ("SO_DEBUG", libc::SO_DEBUG as i64),
    ("SO_ACCEPTCONN", libc::SO_ACCEPTCONN as i64),
    ("SO_REUSEADDR", libc::SO_REUSEADDR as i64),
    ("SO_REUSEPORT", libc::SO_REUSEPORT as i64),
    ("SO_KEEPALIVE", libc::SO_KEEPALIVE as i64),
    ("SO_DONTROUTE", libc::SO_DONTROUTE as i64),
    ("SO_BROADCAST", libc::SO_BROADCAST as i64),
    ("SO_LINGER", libc::SO_LINGER as i64),
    ("SO_OOBINLINE", libc::SO_OOBINLINE as i64),
    ("SO_SNDBUF", libc::SO_SNDBUF as i64),
    ("SO_RCVBUF", libc::SO_RCVBUF as i64),
    ("SO_SNDLOWAT", libc::SO_SNDLOWAT as i64),
    ("SO_RCVLOWAT", libc::SO_RCVLOWAT as i64),
    ("SO_SNDTIMEO", libc::SO_SNDTIMEO as i64),
    ("SO_RCVTIMEO", libc::SO_RCVTIMEO as i64),
    ("SO_ERROR", libc::SO_ERROR as i64),
    ("SO_TYPE", libc::SO_TYPE as i64),
    ("SO_PASSCRED", libc::SO_PASSCRED as i64),
    ("SO_PEERCRED", libc::SO_PEERCRED as i64),
    ("SO_BINDTODEVICE", libc::SO_BINDTODEVICE as i64),
    ("SO_PRIORITY", libc::SO_PRIORITY as i64),
    ("SO_MARK", libc::SO_MARK as i64),
    ("SO_DOMAIN", libc::SO_DOMAIN as i64),
    ("SO_PROTOCOL", libc::SO_PROTOCOL as i64),
    ("SO_PEERSEC", libc::SO_PEERSEC as i64),
    ("SO_PASSSEC", libc::SO_PASSSEC as i64),
    ("SCM_RIGHTS", libc::SCM_RIGHTS as i64),
    ("SCM_CREDENTIALS", libc::SCM_CREDENTIALS as i64),
    ("MSG_OOB", libc::MSG_OOB as i64),
    ("MSG_PEEK", libc::MSG_PEEK as i64),
    ("MSG_DONTROUTE", libc::MSG_DONTROUTE as i64),
    ("MSG_DONTWAIT", libc::MSG_DONTWAIT as i64),
    ("MSG_EOR", libc::MSG_EOR as i64),
    ("MSG_TRUNC", libc::MSG_TRUNC as i64),
    ("MSG_CTRUNC", libc::MSG_CTRUNC as i64),
    ("MSG_WAITALL", libc::MSG_WAITALL as i64),
    ("MSG_NOSIGNAL", libc::MSG_NOSIGNAL as i64),
    ("MSG_CMSG_CLOEXEC", libc::MSG_CMSG_CLOEXEC as i64),
    ("MSG_CONFIRM", libc::MSG_CONFIRM as i64),
    ("MSG_ERRQUEUE", libc::MSG_ERRQUEUE as i64),
    ("MSG_MORE", libc::MSG_MORE as i64),
    ("MSG_FASTOPEN", libc::MSG_FASTOPEN as i64),
    ("SHUT_RD", libc::SHUT_RD as i64),
    ("SHUT_WR", libc::SHUT_WR as i64),
    ("SHUT_RDWR", libc::SHUT_RDWR as i64),
    ("IPPROTO_IP", libc::IPPROTO_IP as i64),
    ("IPPROTO_ICMP", libc::IPPROTO_ICMP as i64),
    ("IPPROTO_TCP", libc::IPPROTO_TCP as i64),
    ("IPPROTO_UDP", libc::IPPROTO_UDP as i64),
    ("IPPROTO_IPV6", libc::IPPROTO_IPV6 as i64),
    ("IPPROTO_ICMPV6", libc::IPPROTO_ICMPV6 as i64),
    ("IPPROTO_RAW", libc::IPPROTO_RAW as i64),
    ("IPPROTO_SCTP", libc::IPPROTO_SCTP as i64),
    ("IPPORT_RESERVED", 1024),
    ("IPPORT_USERRESERVED", 5000),
    ("INADDR_ANY", 0),
    ("INADDR_BROADCAST", 0xffff_ffff),
    ("INADDR_LOOPBACK", 0x7f00_0001),
    ("INADDR_NONE", 0xffff_ffff),
    ("INADDR_UNSPEC_GROUP", 0xe000_0000),
    ("INADDR_ALLHOSTS_GROUP", 0xe000_0001),
    ("INADDR_MAX_LOCAL_GROUP", 0xe000_00ff),
    ("IP_TOS", libc::IP_TOS as i64),
    ("IP_TTL", libc::IP_TTL as i64),
    ("IP_HDRINCL", libc::IP_HDRINCL as i64),
    ("IP_OPTIONS", libc::IP_OPTIONS as i64),
    ("IP_RECVTOS", libc::IP_RECVTOS as i64),
    ("IP_MULTICAST_IF", libc::IP_MULTICAST_IF as i64),
    ("IP_MULTICAST_TTL", libc::IP_MULTICAST_TTL as i64),
    ("IP_MULTICAST_LOOP", libc::IP_MULTICAST_LOOP as i64),
    ("IP_ADD_MEMBERSHIP", libc::IP_ADD_MEMBERSHIP as i64),
    ("IP_DROP_MEMBERSHIP", libc::IP_DROP_MEMBERSHIP as i64),
    ("IPV6_V6ONLY", libc::IPV6_V6ONLY as i64),
    ("IPV6_JOIN_GROUP", libc::IPV6_ADD_MEMBERSHIP as i64),
    ("IPV6_LEAVE_GROUP", libc::IPV6_DROP_MEMBERSHIP as i64),
    ("IPV6_MULTICAST_HOPS", libc::IPV6_MULTICAST_HOPS as i64),
    ("IPV6_MULTICAST_IF", libc::IPV6_MULTICAST_IF as i64),
    ("IPV6_MULTICAST_LOOP", libc::IPV6_MULTICAST_LOOP as i64),
    ("IPV6_UNICAST_HOPS", libc::IPV6_UNICAST_HOPS as i64),
    ("IPV6_TCLASS", libc::IPV6_TCLASS as i64),
    ("IPV6_RECVPKTINFO", libc::IPV6_RECVPKTINFO as i64),
    ("TCP_NODELAY", libc::TCP_NODELAY as i64),
    ("TCP_MAXSEG", libc::TCP_MAXSEG as i64),
    ("TCP_CORK", libc::TCP_CORK as i64),
    ("TCP_KEEPIDLE", libc::TCP_KEEPIDLE as i64),
    ("TCP_KEEPINTVL", libc::TCP_KEEPINTVL as i64),
    ("TCP_KEEPCNT", libc::TCP_KEEPCNT as i64),
    ("TCP_SYNCNT", libc::TCP_SYNCNT as i64),
    ("TCP_LINGER2", libc::TCP_LINGER2 as i64),
    ("TCP_DEFER_ACCEPT", libc::TCP_DEFER_ACCEPT as i64),
    ("TCP_WINDOW_CLAMP", libc::TCP_WINDOW_CLAMP as i64),
    ("TCP_INFO", libc::TCP_INFO as i64),
    ("TCP_QUICKACK", libc::TCP_QUICKACK as i64),
    ("TCP_FASTOPEN", libc::TCP_FASTOPEN as i64),
    ("TCP_CONGESTION", libc::TCP_CONGESTION as i64),
    ("TCP_USER_TIMEOUT", libc::TCP_USER_TIMEOUT as i64),
    ("TCP_NOTSENT_LOWAT", libc::TCP_NOTSENT_LOWAT as i64),
    ("AI_PASSIVE", libc::AI_PASSIVE as i64),
    ("AI_CANONNAME", libc::AI_CANONNAME as i64),
    ("AI_NUMERICHOST", libc::AI_NUMERICHOST as i64),
    ("AI_NUMERICSERV", libc::AI_NUMERICSERV as i64),
    ("AI_V4MAPPED", libc::AI_V4MAPPED as i64),
    ("AI_ALL", libc::AI_ALL as i64),
    ("AI_ADDRCONFIG", libc::AI_ADDRCONFIG as i64),
    ("NI_NUMERICHOST", libc::NI_NUMERICHOST as i64),
    ("NI_NUMERICSERV", libc::NI_NUMERICSERV as i64),
    ("NI_NOFQDN", libc::NI_NOFQDN as i64),
    ("NI_NAMEREQD", libc::NI_NAMEREQD as i64),
    ("NI_DGRAM", libc::NI_DGRAM as i64),
    ("NI_MAXHOST", 1025),
    ("NI_MAXSERV", 32),
    ("EAI_ADDRFAMILY", -9),
    ("EAI_AGAIN", libc::EAI_AGAIN as i64),
    ("EAI_BADFLAGS", libc::EAI_BADFLAGS as i64),
    ("EAI_FAIL", libc::EAI_FAIL as i64),
    ("EAI_FAMILY", libc::EAI_FAMILY as i64),
    ("EAI_MEMORY", libc::EAI_MEMORY as i64),
    ("EAI_NODATA", -5),
    ("EAI_NONAME", libc::EAI_NONAME as i64),
    ("EAI_OVERFLOW", libc::EAI_OVERFLOW as i64),
    ("EAI_SERVICE", libc::EAI_SERVICE as i64),
    ("EAI_SOCKTYPE", libc::EAI_SOCKTYPE as i64),
    ("EAI_SYSTEM", libc::EAI_SYSTEM as i64),
];

fn inet_aton(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let p = native_args::unpack(vm, "inet_aton", a, 1, 1)?;
    let Some(s) = as_str(&p[0]) else {
        let tn = crate::builtins::type_name(&p[0]);
        return Err(vm.type_error(format!("inet_aton() argument 1 must be str, not {tn}")));
    };
    let Some(c) = addr::cstring(s.as_bytes()) else {
        return Err(vm.value_error("embedded null character"));
    };
    // SAFETY: in_addr is plain old data.
    let mut out: libc::in_addr = unsafe { std::mem::zeroed() };
    // SAFETY: a NUL-terminated string and an in_addr to fill.
    if unsafe { inet_aton_c(c.as_ptr(), &mut out) } == 0 {
        return Err(os_msg(vm, "illegal IP address string passed to inet_aton"));
    }
    Ok(BytesObj::new_value(out.s_addr.to_ne_bytes().to_vec()))
}

unsafe extern "C" {
    /// inet_aton(3) (not bound by the libc crate): accepts the short forms ("127.1").
    #[link_name = "inet_aton"]
    fn inet_aton_c(cp: *const libc::c_char, inp: *mut libc::in_addr) -> libc::c_int;
}

fn inet_ntoa(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let p = native_args::unpack(vm, "inet_ntoa", a, 1, 1)?;
    let b = crate::modules::buffer::need(vm, &p[0])?;
    if b.len() != 4 {
        return Err(os_msg(vm, "packed IP wrong length for inet_ntoa"));
    }
    Ok(new_string(addr::ntop(libc::AF_INET, &b)))
}

fn inet_pton(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let p = native_args::unpack(vm, "inet_pton", a, 2, 2)?;
    let af = args::c_int(vm, &p[0])?;
    let Some(s) = as_str(&p[1]) else {
        let tn = crate::builtins::type_name(&p[1]);
        return Err(vm.type_error(format!("inet_pton() argument 2 must be str, not {tn}")));
    };
    let out = match af {
        libc::AF_INET => s
            .parse::<std::net::Ipv4Addr>()
            .map(|i| i.octets().to_vec())
            .ok(),
        libc::AF_INET6 => s
            .parse::<std::net::Ipv6Addr>()
            .map(|i| i.octets().to_vec())
            .ok(),
        _ => {
            return Err(crate::builtins::os_error::from_errno(
                vm,
                libc::EAFNOSUPPORT,
                None,
                None,
            ));
        }
    };
    match out {
        Some(b) => Ok(BytesObj::new_value(b)),
        None => Err(os_msg(vm, "illegal IP address string passed to inet_pton")),
    }
}

fn inet_ntop(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let p = native_args::unpack(vm, "inet_ntop", a, 2, 2)?;
    let af = args::c_int(vm, &p[0])?;
    let b = crate::modules::buffer::need(vm, &p[1])?;
    let want = match af {
        libc::AF_INET => 4,
        libc::AF_INET6 => 16,
        _ => return Err(vm.value_error(format!("unknown address family {af}"))),
    };
    if b.len() != want {
        return Err(vm.value_error("invalid length of packed IP address string"));
    }
    Ok(new_string(addr::ntop(af, &b)))
}

fn htons(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let p = native_args::unpack(vm, "htons", a, 1, 1)?;
    let x = int_arg(vm, &p[0])?;
    if x < 0 {
        return Err(vm.overflow_error(
            "htons: can't convert negative Python int to C 16-bit unsigned integer",
        ));
    }
    if x > 0xffff {
        return Err(vm.overflow_error(
            "htons: Python int too large to convert to C 16-bit unsigned integer",
        ));
    }
    Ok(Value::int((x as u16).swap_bytes() as i64))
}

fn htonl(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let p = native_args::unpack(vm, "htonl", a, 1, 1)?;
    let Some(i) = crate::types::int::as_int(&p[0]) else {
        let tn = crate::builtins::type_name(&p[0]);
        return Err(vm.type_error(format!("expected int, {tn} found")));
    };
    let x = i.to_big();
    if x < num_bigint::BigInt::from(0) {
        return Err(vm.overflow_error("can't convert negative value to unsigned int"));
    }
    match u32::try_from(&x) {
        Ok(v) => Ok(Value::int(v.swap_bytes() as i64)),
        Err(_) => Err(vm.overflow_error("int larger than 32 bits")),
    }
}

fn socketpair(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let p = native_args::unpack(vm, "socketpair", a, 0, 3)?;
    let mut v = [libc::AF_UNIX, libc::SOCK_STREAM, 0];
    for (i, x) in p.iter().enumerate() {
        if !x.is_none() {
            v[i] = args::c_int(vm, x)?;
        }
    }
    let mut fds = [0 as libc::c_int; 2];
    // SAFETY: fds has room for the two descriptors.
    if unsafe { libc::socketpair(v[0], v[1] | libc::SOCK_CLOEXEC, v[2], fds.as_mut_ptr()) } < 0 {
        return Err(crate::modules::posix::path::os_err(vm));
    }
    let s0 = sock::from_fd(vm, fds[0], v[0], v[1], v[2]);
    let s1 = sock::from_fd(vm, fds[1], v[0], v[1], v[2]);
    Ok(TupleObj::from_items([s0?, s1?]))
}

fn dup(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let p = native_args::unpack(vm, "dup", a, 1, 1)?;
    let fd = args::c_int(vm, &p[0])?;
    // SAFETY: fcntl on a descriptor number.
    let r = unsafe { libc::fcntl(fd, libc::F_DUPFD_CLOEXEC, 0) };
    if r < 0 {
        return Err(crate::modules::posix::path::os_err(vm));
    }
    Ok(Value::int(r as i64))
}

fn close(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let p = native_args::unpack(vm, "close", a, 1, 1)?;
    let fd = args::c_int(vm, &p[0])?;
    // SAFETY: closing a descriptor number the caller owns.
    if unsafe { libc::close(fd) } < 0 {
        let e = crate::modules::posix::path::errno();
        if e != libc::ECONNRESET {
            return Err(crate::builtins::os_error::from_errno(vm, e, None, None));
        }
    }
    Ok(Value::none())
}

fn getdefaulttimeout(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    native_args::unpack(vm, "getdefaulttimeout", a, 0, 0)?;
    Ok(sock::timeout_value(sock::default_timeout()))
}

fn setdefaulttimeout(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let p = native_args::unpack(vm, "setdefaulttimeout", a, 1, 1)?;
    let t = sock::parse_timeout(vm, &p[0])?;
    sock::set_default_timeout(t);
    Ok(Value::none())
}
