//! Name resolution: `getaddrinfo`, `getnameinfo`, `gethostbyname(_ex)`,
//! `gethostbyaddr`, `gethostname`. The C resolver may block on the network, so every
//! call runs detached from the VM (`thread_state::blocking`) and touches no object.
use super::addr::{self, SockAddr, cstring};
use crate::modules::native_args;
use crate::thread_state::blocking;
use crate::types::list::ListObj;
use crate::types::str::{as_str, new_string};
use crate::types::tuple::TupleObj;
use crate::value::Value;
use crate::vm::{Args, PyResult, Vm};

/// One result of `getaddrinfo`.
pub struct AddrInfo {
    pub family: i32,
    pub socktype: i32,
    pub proto: i32,
    pub canon: String,
    pub addr: SockAddr,
}

/// `getaddrinfo(3)` detached; a failure is raised as `gaierror` (or OSError for
/// EAI_SYSTEM).
pub fn lookup(
    vm: &mut Vm,
    host: Option<&[u8]>,
    port: Option<&[u8]>,
    family: i32,
    socktype: i32,
    proto: i32,
    flags: i32,
) -> PyResult<Vec<AddrInfo>> {
    let host_c = match host {
        Some(h) => match cstring(h) {
            Some(c) => Some(c),
            None => return Err(vm.value_error("embedded null character")),
        },
        None => None,
    };
    let port_c = match port {
        Some(p) => match cstring(p) {
            Some(c) => Some(c),
            None => return Err(vm.value_error("embedded null character")),
        },
        None => None,
    };
    // SAFETY: addrinfo is plain old data; all zeros is the documented empty hints.
    let mut hints: libc::addrinfo = unsafe { std::mem::zeroed() };
    hints.ai_family = family;
    hints.ai_socktype = socktype;
    hints.ai_protocol = proto;
    hints.ai_flags = flags;
    let (rc, errno, out) = blocking(|| {
        let mut res: *mut libc::addrinfo = std::ptr::null_mut();
        // SAFETY: the strings and hints outlive the call; res is freed below.
        let rc = unsafe {
            libc::getaddrinfo(
                host_c.as_ref().map_or(std::ptr::null(), |c| c.as_ptr()),
                port_c.as_ref().map_or(std::ptr::null(), |c| c.as_ptr()),
                &hints,
                &mut res,
            )
        };
        let errno = crate::modules::posix::path::errno();
        let mut out = Vec::new();
        let mut p = res;
        while !p.is_null() {
            // SAFETY: p walks the list getaddrinfo returned, which is still allocated.
            let ai = unsafe { &*p };
            let mut a = SockAddr::empty();
            let n = (ai.ai_addrlen as usize).min(std::mem::size_of::<libc::sockaddr_storage>());
            // SAFETY: ai_addr points at ai_addrlen bytes; the storage holds at least n.
            unsafe {
                std::ptr::copy_nonoverlapping(
                    ai.ai_addr as *const u8,
                    a.as_mut_ptr() as *mut u8,
                    n,
                );
            }
            a.len = n as libc::socklen_t;
            let canon = if ai.ai_canonname.is_null() {
                String::new()
            } else {
                // SAFETY: a NUL-terminated string owned by the list.
                unsafe { std::ffi::CStr::from_ptr(ai.ai_canonname) }
                    .to_string_lossy()
                    .into_owned()
            };
            out.push(AddrInfo {
                family: ai.ai_family,
                socktype: ai.ai_socktype,
                proto: ai.ai_protocol,
                canon,
                addr: a,
            });
            p = ai.ai_next;
        }
        if !res.is_null() {
            // SAFETY: res came from getaddrinfo and is freed once.
            unsafe { libc::freeaddrinfo(res) };
        }
        (rc, errno, out)
    });
    if rc != 0 {
        if rc == libc::EAI_SYSTEM {
            return Err(crate::builtins::os_error::from_errno(vm, errno, None, None));
        }
        return Err(super::gai_error(vm, rc));
    }
    Ok(out)
}

/// `getaddrinfo(host, port, family=0, type=0, proto=0, flags=0)`.
pub fn getaddrinfo(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let names = ["host", "port", "family", "type", "proto", "flags"];
    let p = native_args::bind(vm, "getaddrinfo", a, &names, 2, 6)?;
    let host = match p[0] {
        Some(h) if h.is_none() => None,
        Some(h) if as_str(h).is_some() || crate::types::bytes::as_bytes(h).is_some() => {
            Some(addr::host_bytes(vm, h, "getaddrinfo")?)
        }
        Some(_) => return Err(vm.type_error("getaddrinfo() argument 1 must be string or None")),
        None => None,
    };
    let port = match p[1] {
        Some(v) if v.is_none() => None,
        Some(v) if crate::types::int::as_int(v).is_some() && !v.is_bool() => {
            Some(super::int_arg(vm, v)?.to_string().into_bytes())
        }
        Some(v) if as_str(v).is_some() => Some(as_str(v).unwrap_or("").as_bytes().to_vec()),
        Some(v) if v.downcast::<crate::types::bytes::BytesObj>().is_some() => {
            crate::types::bytes::as_bytes(v)
        }
        Some(_) => return Err(super::os_msg(vm, "Int or String expected")),
        None => None,
    };
    let mut ints = [0i32; 4];
    for (i, v) in p[2..].iter().enumerate() {
        if let Some(v) = v {
            ints[i] = crate::modules::args::c_int(vm, v)?;
        }
    }
    let list = lookup(
        vm,
        host.as_deref(),
        port.as_deref(),
        ints[0],
        ints[1],
        ints[2],
        ints[3],
    )?;
    let items = list
        .iter()
        .map(|r| {
            TupleObj::from_items([
                Value::int(r.family as i64),
                Value::int(r.socktype as i64),
                Value::int(r.proto as i64),
                new_string(r.canon.clone()),
                addr::to_value(&r.addr),
            ])
        })
        .collect();
    Ok(ListObj::new_value(items))
}

/// `getnameinfo(sockaddr, flags)`: `(host, port)` strings.
pub fn getnameinfo(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let p = native_args::unpack(vm, "getnameinfo", a, 2, 2)?;
    let Some(t) = p[0].downcast::<TupleObj>() else {
        return Err(vm.type_error("getnameinfo() argument 1 must be a tuple"));
    };
    let flags = crate::modules::args::c_int(vm, &p[1])?;
    let items = t.items.to_vec();
    if !(2..=4).contains(&items.len()) {
        return Err(vm.type_error("getnameinfo(): illegal sockaddr argument"));
    }
    let host = addr::host_bytes(vm, &items[0], "getnameinfo")?;
    let port = super::int_arg(vm, &items[1])?;
    let flowinfo = match items.get(2) {
        Some(v) => super::int_arg(vm, v)?,
        None => 0,
    };
    if !(0..=0xfffff).contains(&flowinfo) {
        return Err(vm.overflow_error("getnameinfo(): flowinfo must be 0-1048575."));
    }
    let scope = match items.get(3) {
        Some(v) => super::int_arg(vm, v)?,
        None => 0,
    };
    let port_s = port.to_string().into_bytes();
    let res = lookup(
        vm,
        Some(&host),
        Some(&port_s),
        libc::AF_UNSPEC,
        libc::SOCK_DGRAM,
        0,
        libc::AI_NUMERICHOST,
    )?;
    if res.len() != 1 {
        return Err(super::os_msg(vm, "sockaddr resolved to multiple addresses"));
    }
    let mut sa = res.into_iter().next().expect("one result").addr;
    match sa.storage.ss_family as i32 {
        libc::AF_INET if items.len() != 2 => {
            return Err(super::os_msg(vm, "IPv4 sockaddr must be 2 tuple"));
        }
        libc::AF_INET => {}
        libc::AF_INET6 => {
            // SAFETY: the family says the storage holds a sockaddr_in6.
            let sin6 = unsafe { &mut *(sa.as_mut_ptr() as *mut libc::sockaddr_in6) };
            sin6.sin6_flowinfo = (flowinfo as u32).to_be();
            sin6.sin6_scope_id = scope as u32;
        }
        _ => {}
    }
    let (rc, h, s) = blocking(|| {
        let mut hb = [0 as libc::c_char; 1025];
        let mut sb = [0 as libc::c_char; 32];
        // SAFETY: the address and both buffers are valid for the lengths passed.
        let rc = unsafe {
            libc::getnameinfo(
                sa.as_ptr(),
                sa.len,
                hb.as_mut_ptr(),
                hb.len() as libc::socklen_t,
                sb.as_mut_ptr(),
                sb.len() as libc::socklen_t,
                flags,
            )
        };
        // SAFETY: getnameinfo NUL-terminates what it writes (both start zeroed).
        let h = unsafe { std::ffi::CStr::from_ptr(hb.as_ptr()) }
            .to_string_lossy()
            .into_owned();
        // SAFETY: as above.
        let s = unsafe { std::ffi::CStr::from_ptr(sb.as_ptr()) }
            .to_string_lossy()
            .into_owned();
        (rc, h, s)
    });
    if rc != 0 {
        return Err(super::gai_error(vm, rc));
    }
    Ok(TupleObj::from_items([new_string(h), new_string(s)]))
}

/// `gethostname()`.
pub fn gethostname(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    native_args::unpack(vm, "gethostname", a, 0, 0)?;
    let mut buf = [0 as libc::c_char; 1024];
    // SAFETY: the buffer is valid for its length; the result is NUL-terminated below.
    let rc = unsafe { libc::gethostname(buf.as_mut_ptr(), buf.len() - 1) };
    if rc < 0 {
        return Err(crate::modules::posix::path::os_err(vm));
    }
    // SAFETY: the last byte was never written, so the string is terminated.
    let s = unsafe { std::ffi::CStr::from_ptr(buf.as_ptr()) };
    Ok(new_string(s.to_string_lossy().into_owned()))
}

fn one_str(vm: &mut Vm, fname: &str, a: &Args) -> PyResult<Vec<u8>> {
    let p = native_args::unpack(vm, fname, a, 1, 1)?;
    if let Some(s) = as_str(&p[0]) {
        return Ok(s.as_bytes().to_vec());
    }
    if let Some(b) = crate::types::bytes::as_bytes(&p[0]) {
        return Ok(b);
    }
    let tn = crate::builtins::type_name(&p[0]);
    Err(vm.type_error(format!(
        "{fname}() argument 1 must be str, bytes or bytearray, not {tn}"
    )))
}

fn ip_text(a: &SockAddr) -> String {
    match addr::to_value(a).downcast::<TupleObj>() {
        Some(t) => as_str(&t.items[0]).unwrap_or("").to_string(),
        None => String::new(),
    }
}

/// `gethostbyname(name)`: an IPv4 address as text.
pub fn gethostbyname(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let name = one_str(vm, "gethostbyname", a)?;
    let sa = addr::resolve(vm, &name, libc::AF_INET)?;
    Ok(new_string(ip_text(&sa)))
}

/// `gethostbyname_ex(name)`: `(canonical name, aliases, IPv4 addresses)`.
pub fn gethostbyname_ex(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let name = one_str(vm, "gethostbyname_ex", a)?;
    let res = lookup(
        vm,
        Some(&name),
        None,
        libc::AF_INET,
        libc::SOCK_STREAM,
        0,
        libc::AI_CANONNAME,
    )?;
    let canon = res
        .first()
        .map(|r| r.canon.clone())
        .filter(|c| !c.is_empty())
        .unwrap_or_else(|| String::from_utf8_lossy(&name).into_owned());
    let mut ips: Vec<String> = Vec::new();
    for r in &res {
        let t = ip_text(&r.addr);
        if !ips.contains(&t) {
            ips.push(t);
        }
    }
    Ok(TupleObj::from_items([
        new_string(canon),
        ListObj::new_value(vec![]),
        ListObj::new_value(ips.into_iter().map(new_string).collect()),
    ]))
}

/// `gethostbyaddr(ip)`: `(host name, aliases, addresses)`, from a reverse lookup.
pub fn gethostbyaddr(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let name = one_str(vm, "gethostbyaddr", a)?;
    let sa = addr::resolve(vm, &name, libc::AF_UNSPEC)?;
    let (rc, h) = blocking(|| {
        let mut hb = [0 as libc::c_char; 1025];
        // SAFETY: the address and buffer are valid for the lengths passed.
        let rc = unsafe {
            libc::getnameinfo(
                sa.as_ptr(),
                sa.len,
                hb.as_mut_ptr(),
                hb.len() as libc::socklen_t,
                std::ptr::null_mut(),
                0,
                libc::NI_NAMEREQD,
            )
        };
        // SAFETY: NUL-terminated (the buffer starts zeroed).
        let h = unsafe { std::ffi::CStr::from_ptr(hb.as_ptr()) }
            .to_string_lossy()
            .into_owned();
        (rc, h)
    });
    if rc != 0 {
        return Err(super::h_error(vm, 1, "Unknown host"));
    }
    Ok(TupleObj::from_items([
        new_string(h),
        ListObj::new_value(vec![]),
        ListObj::new_value(vec![new_string(ip_text(&sa))]),
    ]))
}

/// `getservbyname(name, proto=None)`.
pub fn getservbyname(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let p = native_args::unpack(vm, "getservbyname", a, 1, 2)?;
    let name = as_str(&p[0]).unwrap_or("").as_bytes().to_vec();
    let proto = p.get(1).and_then(as_str).map(|s| s.as_bytes().to_vec());
    let (n, pr) = (cstring(&name), proto.as_deref().and_then(cstring));
    let Some(n) = n else {
        return Err(vm.value_error("embedded null character"));
    };
    // SAFETY: both strings outlive the call; the result is read at once.
    let se = unsafe {
        libc::getservbyname(
            n.as_ptr(),
            pr.as_ref().map_or(std::ptr::null(), |c| c.as_ptr()),
        )
    };
    if se.is_null() {
        return Err(super::os_msg(vm, "service/proto not found"));
    }
    // SAFETY: a non-null servent from the C library.
    let port = u16::from_be(unsafe { (*se).s_port } as u16);
    Ok(Value::int(port as i64))
}

/// `getprotobyname(name)`.
pub fn getprotobyname(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let p = native_args::unpack(vm, "getprotobyname", a, 1, 1)?;
    let Some(n) = as_str(&p[0]).and_then(|s| cstring(s.as_bytes())) else {
        return Err(vm.type_error("getprotobyname() argument 1 must be str"));
    };
    // SAFETY: the string outlives the call; the result is read at once.
    let pe = unsafe { libc::getprotobyname(n.as_ptr()) };
    if pe.is_null() {
        return Err(super::os_msg(vm, "protocol not found"));
    }
    // SAFETY: a non-null protoent from the C library.
    Ok(Value::int(unsafe { (*pe).p_proto } as i64))
}
