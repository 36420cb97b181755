//! `socket.sendmsg`, `socket.recvmsg` and `CMSG_LEN`/`CMSG_SPACE`: scatter/gather I/O
//! with ancillary data, which `multiprocessing.reduction.sendfds`/`recvfds` use to pass
//! file descriptors (`SCM_RIGHTS`) to the forkserver and its children. After CPython's
//! `sock_sendmsg`/`sock_recvmsg` in `Modules/socketmodule.c`.
use super::addr::{self, SockAddr};
use super::sock::{SocketObj, family_of, flags_arg, size_arg, this_pos};
use crate::modules::buffer;
use crate::types::bytes::BytesObj;
use crate::types::list::ListObj;
use crate::types::tuple::TupleObj;
use crate::value::Value;
use crate::vm::{Args, PyResult, Vm};

/// `CMSG_LEN(length)`: the size of a control message holding `length` bytes.
pub fn cmsg_len(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let n = cmsg_arg(vm, "CMSG_LEN", a)?;
    // SAFETY: CMSG_LEN is arithmetic on its argument.
    Ok(Value::int(unsafe { libc::CMSG_LEN(n) } as i64))
}

/// `CMSG_SPACE(length)`: `CMSG_LEN` plus padding to the next control message.
pub fn cmsg_space(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let n = cmsg_arg(vm, "CMSG_SPACE", a)?;
    // SAFETY: CMSG_SPACE is arithmetic on its argument.
    Ok(Value::int(unsafe { libc::CMSG_SPACE(n) } as i64))
}

fn cmsg_arg(vm: &mut Vm, name: &str, a: &Args) -> PyResult<u32> {
    let p = crate::modules::native_args::unpack(vm, name, a, 1, 1)?;
    let n = super::int_arg(vm, &p[0])?;
    // CPython's bound: the result must fit a socklen_t.
    match u32::try_from(n) {
        Ok(n) if n <= i32::MAX as u32 - 64 => Ok(n),
        _ => Err(vm.err(
            crate::world::types().overflow_error,
            format!("{name}() argument out of range"),
        )),
    }
}

/// The items of an iterable argument, or `TypeError(msg)`.
fn items(vm: &mut Vm, v: &Value, msg: &str) -> PyResult<Vec<Value>> {
    match crate::ops::collect(vm, v) {
        Ok(xs) => Ok(xs),
        Err(e)
            if e.exc
                .type_data()
                .is_subtype_raw(crate::world::types().type_error) =>
        {
            Err(vm.type_error(msg.to_string()))
        }
        Err(e) => Err(e),
    }
}

/// `sendmsg(buffers[, ancdata[, flags[, address]]])`: the number of bytes sent.
pub fn sock_sendmsg(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (s, p) = this_pos(vm, "sendmsg", a, 1, 4)?;
    let mut bufs: Vec<Vec<u8>> = Vec::new();
    for b in items(vm, &p[0], "sendmsg() argument 1 must be an iterable")? {
        bufs.push(buffer::need(vm, &b)?.into_owned());
    }
    // Control messages: (level, type, data) each, laid out with the CMSG_* macros.
    let mut cmsgs: Vec<(i32, i32, Vec<u8>)> = Vec::new();
    if let Some(anc) = p.get(1) {
        for item in items(vm, anc, "ancillary data items must be sequences")? {
            let parts = items(vm, &item, "ancillary data items must be sequences")?;
            if parts.len() != 3 {
                return Err(vm.type_error(format!(
                    "ancillary data items must be (level, type, data) tuples of 3, not {}",
                    parts.len()
                )));
            }
            let level = crate::modules::args::c_int(vm, &parts[0])?;
            let ty = crate::modules::args::c_int(vm, &parts[1])?;
            let data = buffer::need(vm, &parts[2])?.into_owned();
            cmsgs.push((level, ty, data));
        }
    }
    let flags = flags_arg(vm, p.get(2))?;
    let sa = match p.get(3) {
        Some(v) if !v.is_none() => Some(addr::parse(vm, family_of(s), v, "sendmsg")?),
        _ => None,
    };
    let space: usize = cmsgs
        .iter()
        .map(|(_, _, d)| {
            // SAFETY: CMSG_SPACE is arithmetic on its argument.
            unsafe { libc::CMSG_SPACE(d.len() as u32) as usize }
        })
        .sum();
    // u64 words keep the control buffer aligned for `cmsghdr`.
    let mut control = vec![0u64; space.div_ceil(8)];
    let n = send(
        s,
        vm,
        &bufs,
        &cmsgs,
        &mut control,
        space,
        flags,
        sa.as_ref(),
    )?;
    Ok(Value::int(n as i64))
}

#[allow(clippy::too_many_arguments)]
fn send(
    s: &SocketObj,
    vm: &mut Vm,
    bufs: &[Vec<u8>],
    cmsgs: &[(i32, i32, Vec<u8>)],
    control: &mut [u64],
    space: usize,
    flags: i32,
    sa: Option<&SockAddr>,
) -> PyResult<isize> {
    let mut iov: Vec<libc::iovec> = bufs
        .iter()
        .map(|b| libc::iovec {
            iov_base: b.as_ptr() as *mut libc::c_void,
            iov_len: b.len(),
        })
        .collect();
    // SAFETY: msghdr is plain old data; all zeros is a valid value.
    let mut msg: libc::msghdr = unsafe { std::mem::zeroed() };
    msg.msg_iov = iov.as_mut_ptr();
    msg.msg_iovlen = iov.len() as _;
    if let Some(sa) = sa {
        msg.msg_name = sa.as_ptr() as *mut libc::c_void;
        msg.msg_namelen = sa.len;
    }
    if space > 0 {
        msg.msg_control = control.as_mut_ptr() as *mut libc::c_void;
        msg.msg_controllen = space as _;
        // SAFETY: the control buffer holds `space` bytes, the sum of each message's
        // CMSG_SPACE, so every header and its data lie inside it.
        unsafe {
            let mut c = libc::CMSG_FIRSTHDR(&msg);
            for (level, ty, data) in cmsgs {
                (*c).cmsg_level = *level;
                (*c).cmsg_type = *ty;
                (*c).cmsg_len = libc::CMSG_LEN(data.len() as u32) as _;
                std::ptr::copy_nonoverlapping(data.as_ptr(), libc::CMSG_DATA(c), data.len());
                c = libc::CMSG_NXTHDR(&msg, c);
            }
        }
    }
    let msg_addr = &msg as *const libc::msghdr as usize;
    s.call(vm, true, None, |fd| {
        // SAFETY: `msg` and everything it points to live across the call.
        unsafe { libc::sendmsg(fd, msg_addr as *const libc::msghdr, flags) }
    })
}

/// `recvmsg(bufsize[, ancbufsize[, flags]])`: `(data, ancdata, msg_flags, address)`.
pub fn sock_recvmsg(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (s, p) = this_pos(vm, "recvmsg", a, 1, 3)?;
    let n = size_arg(vm, &p[0], "recvmsg")?;
    let anc = match p.get(1) {
        Some(v) => {
            let k = super::int_arg(vm, v)?;
            if k < 0 {
                return Err(vm.value_error("negative buffer size in recvmsg()"));
            }
            k as usize
        }
        None => 0,
    };
    let flags = flags_arg(vm, p.get(2))?;
    let mut buf = vec![0u8; n];
    let mut control = vec![0u64; anc.div_ceil(8)];
    let mut sa = SockAddr::empty();
    let mut iov = libc::iovec {
        iov_base: buf.as_mut_ptr() as *mut libc::c_void,
        iov_len: n,
    };
    // SAFETY: msghdr is plain old data; all zeros is a valid value.
    let mut msg: libc::msghdr = unsafe { std::mem::zeroed() };
    msg.msg_iov = &mut iov;
    msg.msg_iovlen = 1;
    msg.msg_name = sa.as_mut_ptr() as *mut libc::c_void;
    if anc > 0 {
        msg.msg_control = control.as_mut_ptr() as *mut libc::c_void;
    }
    let msg_addr = &mut msg as *mut libc::msghdr as usize;
    let got = s.call(vm, false, None, |fd| {
        let m = msg_addr as *mut libc::msghdr;
        // SAFETY: `msg` and its buffers live across the call; lengths reset per try.
        unsafe {
            (*m).msg_namelen = std::mem::size_of::<libc::sockaddr_storage>() as _;
            (*m).msg_controllen = anc as _;
            libc::recvmsg(fd, m, flags | libc::MSG_CMSG_CLOEXEC)
        }
    })?;
    buf.truncate(got as usize);
    sa.len = msg.msg_namelen;
    let mut out = Vec::new();
    if anc > 0 && msg.msg_controllen > 0 {
        // SAFETY: the kernel filled `msg_controllen` bytes of control messages; the
        // CMSG macros walk them within that length.
        unsafe {
            let mut c = libc::CMSG_FIRSTHDR(&msg);
            while !c.is_null() {
                let data = libc::CMSG_DATA(c);
                let header = data as usize - c as usize;
                let len = ((*c).cmsg_len as usize).saturating_sub(header);
                let end = control.as_ptr() as usize + msg.msg_controllen as usize;
                let len = len.min(end.saturating_sub(data as usize));
                let bytes = std::slice::from_raw_parts(data, len).to_vec();
                out.push(TupleObj::from_items([
                    Value::int((*c).cmsg_level as i64),
                    Value::int((*c).cmsg_type as i64),
                    BytesObj::new_value(bytes),
                ]));
                c = libc::CMSG_NXTHDR(&msg, c);
            }
        }
    }
    Ok(TupleObj::from_items([
        BytesObj::new_value(buf),
        ListObj::new_value(out),
        Value::int(msg.msg_flags as i64),
        addr::to_value(&sa),
    ]))
}
