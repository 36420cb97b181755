//! Socket addresses: the Python forms (`(host, port)`, `(host, port, flowinfo,
//! scope_id)`, a path) turned into a `sockaddr_storage` for the system calls, and back.
//! Host names that are not numeric are resolved with `getaddrinfo`, detached from the VM.
use std::ffi::CString;

use crate::types::bytes::BytesObj;
use crate::types::str::{as_str, new_string};
use crate::types::tuple::TupleObj;
use crate::value::Value;
use crate::vm::{PyResult, Vm};

/// A socket address as the system calls take it.
pub struct SockAddr {
    pub storage: libc::sockaddr_storage,
    pub len: libc::socklen_t,
}

impl SockAddr {
    /// An empty address buffer, for calls that fill one in (`accept`, `recvfrom`).
    pub fn empty() -> SockAddr {
        SockAddr {
            // SAFETY: sockaddr_storage is plain old data; all zeros is a valid value.
            storage: unsafe { std::mem::zeroed() },
            len: std::mem::size_of::<libc::sockaddr_storage>() as libc::socklen_t,
        }
    }

    pub fn as_ptr(&self) -> *const libc::sockaddr {
        &self.storage as *const _ as *const libc::sockaddr
    }

    pub fn as_mut_ptr(&mut self) -> *mut libc::sockaddr {
        &mut self.storage as *mut _ as *mut libc::sockaddr
    }

    fn v4(ip: [u8; 4], port: u16) -> SockAddr {
        let mut a = SockAddr::empty();
        // SAFETY: sockaddr_storage is large enough and suitably aligned for sockaddr_in.
        let sin = unsafe { &mut *(a.as_mut_ptr() as *mut libc::sockaddr_in) };
        sin.sin_family = libc::AF_INET as libc::sa_family_t;
        sin.sin_port = port.to_be();
        sin.sin_addr.s_addr = u32::from_ne_bytes(ip);
        a.len = std::mem::size_of::<libc::sockaddr_in>() as libc::socklen_t;
        a
    }

    fn v6(ip: [u8; 16], port: u16, flowinfo: u32, scope_id: u32) -> SockAddr {
        let mut a = SockAddr::empty();
        // SAFETY: sockaddr_storage is large enough and suitably aligned for sockaddr_in6.
        let sin6 = unsafe { &mut *(a.as_mut_ptr() as *mut libc::sockaddr_in6) };
        sin6.sin6_family = libc::AF_INET6 as libc::sa_family_t;
        sin6.sin6_port = port.to_be();
        sin6.sin6_flowinfo = flowinfo.to_be();
        sin6.sin6_addr.s6_addr = ip;
        sin6.sin6_scope_id = scope_id;
        a.len = std::mem::size_of::<libc::sockaddr_in6>() as libc::socklen_t;
        a
    }
}

/// The text of an IPv4 or IPv6 address (`inet_ntop`).
pub fn ntop(family: i32, raw: &[u8]) -> String {
    match family {
        libc::AF_INET if raw.len() >= 4 => {
            std::net::Ipv4Addr::new(raw[0], raw[1], raw[2], raw[3]).to_string()
        }
        _ if raw.len() >= 16 => {
            let mut b = [0u8; 16];
            b.copy_from_slice(&raw[..16]);
            std::net::Ipv6Addr::from(b).to_string()
        }
        _ => String::new(),
    }
}

/// A host name argument as the bytes `getaddrinfo` takes (str: ASCII or IDNA-ish UTF-8).
pub fn host_bytes(vm: &mut Vm, v: &Value, caller: &str) -> PyResult<Vec<u8>> {
    if let Some(s) = as_str(v) {
        return Ok(s.as_bytes().to_vec());
    }
    if let Some(b) = crate::types::bytes::as_bytes(v) {
        return Ok(b);
    }
    let tn = crate::builtins::type_name(v);
    Err(vm.type_error(format!(
        "{caller}() argument 1 must be str, bytes or bytearray, not {tn}"
    )))
}

/// Resolve a host name to one address of `family` (CPython's `setipaddr`): "" is the
/// wildcard address, "<broadcast>" the IPv4 broadcast address, numeric forms are parsed
/// directly, anything else goes through `getaddrinfo`.
pub fn resolve(vm: &mut Vm, name: &[u8], family: i32) -> PyResult<SockAddr> {
    if name.is_empty() {
        return Ok(match family {
            libc::AF_INET6 => SockAddr::v6([0; 16], 0, 0, 0),
            _ => SockAddr::v4([0; 4], 0),
        });
    }
    if name == b"<broadcast>" || name == b"255.255.255.255" {
        if family != libc::AF_INET && family != libc::AF_UNSPEC {
            return Err(super::os_msg(vm, "address family mismatched"));
        }
        return Ok(SockAddr::v4([255; 4], 0));
    }
    if let Ok(s) = std::str::from_utf8(name) {
        if family != libc::AF_INET6
            && let Ok(ip) = s.parse::<std::net::Ipv4Addr>()
        {
            return Ok(SockAddr::v4(ip.octets(), 0));
        }
        if family != libc::AF_INET
            && let Ok(ip) = s.parse::<std::net::Ipv6Addr>()
        {
            return Ok(SockAddr::v6(ip.octets(), 0, 0, 0));
        }
    }
    let list = super::resolve::lookup(vm, Some(name), None, family, 0, 0, 0)?;
    match list.into_iter().next() {
        Some(r) => Ok(r.addr),
        None => Err(super::gai_error(vm, libc::EAI_NONAME)),
    }
}

fn port_of(vm: &mut Vm, v: &Value, caller: &str) -> PyResult<u16> {
    let p = super::int_arg(vm, v)?;
    if !(0..=65535).contains(&p) {
        return Err(vm.overflow_error(format!("{caller}(): port must be 0-65535.")));
    }
    Ok(p as u16)
}

/// Parse the Python address `v` for a socket of `family` (CPython's `getsockaddrarg`).
pub fn parse(vm: &mut Vm, family: i32, v: &Value, caller: &str) -> PyResult<SockAddr> {
    match family {
        libc::AF_UNIX => {
            let path = if let Some(s) = as_str(v) {
                s.as_bytes().to_vec()
            } else if let Some(b) = crate::modules::buffer::bytes_like(v) {
                b.into_owned()
            } else {
                let tn = crate::builtins::type_name(v);
                return Err(vm.type_error(format!(
                    "{caller}(): AF_UNIX address must be str or bytes-like object, not {tn}"
                )));
            };
            let mut a = SockAddr::empty();
            // SAFETY: sockaddr_storage is large enough and suitably aligned for sockaddr_un.
            let sun = unsafe { &mut *(a.as_mut_ptr() as *mut libc::sockaddr_un) };
            if path.len() >= sun.sun_path.len() {
                return Err(super::os_msg(vm, "AF_UNIX path too long"));
            }
            sun.sun_family = libc::AF_UNIX as libc::sa_family_t;
            for (d, s) in sun.sun_path.iter_mut().zip(&path) {
                *d = *s as libc::c_char;
            }
            let base = std::mem::offset_of!(libc::sockaddr_un, sun_path);
            // An abstract name (leading NUL) is counted exactly; a path with its NUL.
            a.len = (base + path.len() + usize::from(path.first() != Some(&0))) as libc::socklen_t;
            Ok(a)
        }
        libc::AF_INET | libc::AF_INET6 => {
            let fam = if family == libc::AF_INET {
                "AF_INET"
            } else {
                "AF_INET6"
            };
            let Some(t) = v.downcast::<TupleObj>() else {
                let tn = crate::builtins::type_name(v);
                return Err(
                    vm.type_error(format!("{caller}(): {fam} address must be tuple, not {tn}"))
                );
            };
            let items = &t.items;
            let ok = if family == libc::AF_INET {
                items.len() == 2
            } else {
                (2..=4).contains(&items.len())
            };
            if !ok {
                return Err(vm.type_error(if family == libc::AF_INET {
                    "AF_INET address must be a pair (host, port)".to_string()
                } else {
                    "AF_INET6 address must be a tuple (host, port[, flowinfo[, scopeid]])"
                        .to_string()
                }));
            }
            let host = host_bytes(vm, &items[0], caller)?;
            let port = port_of(vm, &items[1], caller)?;
            let mut a = resolve(vm, &host, family)?;
            if family == libc::AF_INET {
                // SAFETY: resolve gave an AF_INET address for AF_INET.
                let sin = unsafe { &mut *(a.as_mut_ptr() as *mut libc::sockaddr_in) };
                sin.sin_port = port.to_be();
            } else {
                let flow = match items.get(2) {
                    Some(f) => super::int_arg(vm, f)?,
                    None => 0,
                };
                if !(0..=0xfffff).contains(&flow) {
                    return Err(
                        vm.overflow_error(format!("{caller}(): flowinfo must be 0-1048575."))
                    );
                }
                let scope = match items.get(3) {
                    Some(s) => super::int_arg(vm, s)? as u32,
                    None => 0,
                };
                // SAFETY: resolve gave an AF_INET6 address for AF_INET6.
                let sin6 = unsafe { &mut *(a.as_mut_ptr() as *mut libc::sockaddr_in6) };
                sin6.sin6_port = port.to_be();
                sin6.sin6_flowinfo = (flow as u32).to_be();
                sin6.sin6_scope_id = scope;
            }
            Ok(a)
        }
        _ => Err(super::os_msg(vm, format!("{caller}(): bad family"))),
    }
}

/// The Python form of an address filled in by the system (`makesockaddr`).
pub fn to_value(a: &SockAddr) -> Value {
    if a.len == 0 {
        return Value::none();
    }
    match a.storage.ss_family as i32 {
        libc::AF_INET => {
            // SAFETY: the family says the storage holds a sockaddr_in.
            let sin = unsafe { &*(a.as_ptr() as *const libc::sockaddr_in) };
            let ip = sin.sin_addr.s_addr.to_ne_bytes();
            TupleObj::from_items([
                new_string(ntop(libc::AF_INET, &ip)),
                Value::int(u16::from_be(sin.sin_port) as i64),
            ])
        }
        libc::AF_INET6 => {
            // SAFETY: the family says the storage holds a sockaddr_in6.
            let sin6 = unsafe { &*(a.as_ptr() as *const libc::sockaddr_in6) };
            TupleObj::from_items([
                new_string(ntop(libc::AF_INET6, &sin6.sin6_addr.s6_addr)),
                Value::int(u16::from_be(sin6.sin6_port) as i64),
                Value::int(u32::from_be(sin6.sin6_flowinfo) as i64),
                Value::int(sin6.sin6_scope_id as i64),
            ])
        }
        libc::AF_UNIX => {
            // SAFETY: the family says the storage holds a sockaddr_un.
            let sun = unsafe { &*(a.as_ptr() as *const libc::sockaddr_un) };
            let base = std::mem::offset_of!(libc::sockaddr_un, sun_path);
            let n = (a.len as usize)
                .saturating_sub(base)
                .min(sun.sun_path.len());
            let raw: Vec<u8> = sun.sun_path[..n].iter().map(|c| *c as u8).collect();
            if raw.first() == Some(&0) {
                // Linux's abstract namespace: the name as bytes.
                return BytesObj::new_value(raw);
            }
            let end = raw.iter().position(|c| *c == 0).unwrap_or(raw.len());
            new_string(String::from_utf8_lossy(&raw[..end]).into_owned())
        }
        f => TupleObj::from_items([Value::int(f as i64), BytesObj::new_value(vec![])]),
    }
}

/// A NUL-terminated copy of `b` (None: interior NUL).
pub fn cstring(b: &[u8]) -> Option<CString> {
    CString::new(b.to_vec()).ok()
}
