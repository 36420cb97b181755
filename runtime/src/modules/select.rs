//! `select`: waiting for descriptors (`select`, `poll` objects, `epoll` objects). The
//! thread is detached while it waits; a wait interrupted by a signal runs the Python
//! handlers and resumes with the time left (PEP 475).
//!
//! `poll` and `epoll` are classes with native methods (`native_class.rs`): a poll
//! object keeps its registrations in a dict `{fd: events}`, an epoll object its
//! descriptor, in the instance dict.
use std::sync::OnceLock;

use stitch_stencils::value::RawValue;

use super::args;
use super::fcntl::fileno;
use super::native_args::receiver;
use super::native_class::{self, dict_of};
use crate::types::dict::DictObj;
use crate::types::list::ListObj;
use crate::types::tuple::TupleObj;
use crate::value::Value;
use crate::vm::{Args, PyResult, Vm, new_instance_of};
use crate::world::types;

static CLASSES: OnceLock<(u64, u64)> = OnceLock::new();

fn class(epoll: bool) -> Value {
    let (p, e) = *CLASSES
        .get()
        .expect("select is imported before its classes are used");
    Value::from_borrowed(RawValue(if epoll { e } else { p }))
}

pub fn init(vm: &mut Vm) -> PyResult<Value> {
    if CLASSES.get().is_none() {
        let p = native_class::new(
            vm,
            "select",
            "poll",
            &[
                ("register", poll_register),
                ("modify", poll_modify),
                ("unregister", poll_unregister),
                ("poll", poll_poll),
            ],
        )?;
        let e = native_class::new(
            vm,
            "select",
            "epoll",
            &[
                ("register", epoll_register),
                ("modify", epoll_modify),
                ("unregister", epoll_unregister),
                ("poll", epoll_poll),
                ("close", epoll_close),
                ("fileno", epoll_fileno),
                ("__enter__", epoll_enter),
                ("__exit__", epoll_exit),
                ("__init__", epoll_init),
            ],
        )?;
        let _ = CLASSES.set((p.bits(), e.bits()));
    }
    let m = args::module("select", &[("select", select), ("poll", new_poll)]);
    args::set(&m, "epoll", class(true));
    args::set(&m, "error", Value::from_borrowed(types().os_error));
    args::consts(
        &m,
        &[
            ("POLLIN", libc::POLLIN as i64),
            ("POLLPRI", libc::POLLPRI as i64),
            ("POLLOUT", libc::POLLOUT as i64),
            ("POLLERR", libc::POLLERR as i64),
            ("POLLHUP", libc::POLLHUP as i64),
            ("POLLNVAL", libc::POLLNVAL as i64),
            ("POLLRDNORM", libc::POLLRDNORM as i64),
            ("POLLRDBAND", libc::POLLRDBAND as i64),
            ("POLLWRNORM", libc::POLLWRNORM as i64),
            ("POLLWRBAND", libc::POLLWRBAND as i64),
            ("POLLMSG", 0x400),
            ("POLLRDHUP", libc::POLLRDHUP as i64),
            ("EPOLLIN", libc::EPOLLIN as i64),
            ("EPOLLOUT", libc::EPOLLOUT as i64),
            ("EPOLLPRI", libc::EPOLLPRI as i64),
            ("EPOLLERR", libc::EPOLLERR as i64),
            ("EPOLLHUP", libc::EPOLLHUP as i64),
            ("EPOLLET", libc::EPOLLET as u32 as i64),
            ("EPOLLONESHOT", libc::EPOLLONESHOT as i64),
            ("EPOLLEXCLUSIVE", libc::EPOLLEXCLUSIVE as i64),
            ("EPOLLRDHUP", libc::EPOLLRDHUP as i64),
            ("EPOLLRDNORM", libc::EPOLLRDNORM as i64),
            ("EPOLLRDBAND", libc::EPOLLRDBAND as i64),
            ("EPOLLWRNORM", libc::EPOLLWRNORM as i64),
            ("EPOLLWRBAND", libc::EPOLLWRBAND as i64),
            ("EPOLLMSG", libc::EPOLLMSG as i64),
            ("EPOLL_CLOEXEC", libc::EPOLL_CLOEXEC as i64),
            ("PIPE_BUF", libc::PIPE_BUF as i64),
        ],
    );
    Ok(m)
}

/// A timeout in seconds (None: forever) as a deadline on the monotonic clock.
fn deadline(vm: &mut Vm, v: Option<&Value>, scale: f64) -> PyResult<Option<std::time::Instant>> {
    match v {
        None => Ok(None),
        Some(v) if v.is_none() => Ok(None),
        Some(v) => {
            if !v.is_float() && crate::types::int::as_int(v).is_none() {
                return Err(vm.type_error("timeout must be a float or None"));
            }
            let s = args::seconds(vm, v)? * scale;
            if s.is_nan() {
                return Err(vm.value_error("Invalid value NaN (not a number)"));
            }
            Ok(Some(
                std::time::Instant::now() + std::time::Duration::from_secs_f64(s.max(0.0)),
            ))
        }
    }
}

/// Milliseconds left until `d` (-1: no deadline).
fn ms_left(d: Option<std::time::Instant>) -> libc::c_int {
    match d {
        None => -1,
        Some(d) => {
            let left = d.saturating_duration_since(std::time::Instant::now());
            left.as_nanos().div_ceil(1_000_000).min(i32::MAX as u128) as libc::c_int
        }
    }
}

/// Waits with `f(timeout_ms)` detached, retrying after EINTR with the time left.
fn wait_loop(
    vm: &mut Vm,
    d: Option<std::time::Instant>,
    mut f: impl FnMut(libc::c_int) -> libc::c_int,
) -> PyResult<libc::c_int> {
    loop {
        let ms = ms_left(d);
        let r = crate::thread_state::blocking(|| f(ms));
        if r >= 0 {
            return Ok(r);
        }
        let e = super::posix::path::errno();
        if e != libc::EINTR {
            return Err(crate::builtins::os_error::from_errno(vm, e, None, None));
        }
        super::signal::run_pending(vm)?;
    }
}

/// `select(rlist, wlist, xlist, timeout=None)`, on poll(2) (no FD_SETSIZE limit).
fn select(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let p = args::positional(vm, "select", a, 3, 4)?;
    let d = deadline(vm, p.get(3), 1.0)?;
    if let Some(t) = p.get(3)
        && !t.is_none()
        && args::seconds(vm, t)? < 0.0
    {
        return Err(vm.value_error("timeout must be non-negative"));
    }
    let mut lists = Vec::new();
    for v in &p[..3] {
        let items = crate::ops::collect(vm, v)?;
        let mut fds = Vec::with_capacity(items.len());
        for it in items {
            let fd = fileno(vm, &it)?;
            fds.push((fd, it));
        }
        lists.push(fds);
    }
    let masks = [libc::POLLIN, libc::POLLOUT, libc::POLLPRI];
    let mut pfds: Vec<libc::pollfd> = Vec::new();
    for (list, mask) in lists.iter().zip(masks) {
        for (fd, _) in list {
            pfds.push(libc::pollfd {
                fd: *fd,
                events: mask,
                revents: 0,
            });
        }
    }
    let ptr = pfds.as_mut_ptr() as usize;
    let n = pfds.len();
    // SAFETY: pfds has n entries and outlives the call.
    wait_loop(vm, d, |ms| unsafe {
        libc::poll(ptr as *mut libc::pollfd, n as libc::nfds_t, ms)
    })?;
    if let Some(bad) = pfds.iter().find(|p| p.revents & libc::POLLNVAL != 0) {
        let _ = bad;
        return Err(crate::builtins::os_error::from_errno(
            vm,
            libc::EBADF,
            None,
            None,
        ));
    }
    let mut out = Vec::new();
    let mut k = 0;
    for (li, list) in lists.iter().enumerate() {
        let mut ready = Vec::new();
        for (_, obj) in list {
            let r = pfds[k].revents;
            let hit = match li {
                0 => r & (libc::POLLIN | libc::POLLHUP | libc::POLLERR) != 0,
                1 => r & (libc::POLLOUT | libc::POLLERR) != 0,
                _ => r & libc::POLLPRI != 0,
            };
            if hit {
                ready.push(obj.clone());
            }
            k += 1;
        }
        out.push(ListObj::new_value(ready));
    }
    Ok(TupleObj::new_value(out))
}

// ---- poll ------------------------------------------------------------------------------

fn new_poll(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    args::none(vm, "select.poll", a)?;
    let obj = new_instance_of(&class(false), vec![]);
    if let Some(d) = dict_of(&obj) {
        d.set_str("_fds", DictObj::new_value());
    }
    Ok(obj)
}

fn poll_fds(vm: &mut Vm, s: &Value) -> PyResult<Value> {
    match dict_of(s).and_then(|d| d.get_str("_fds")) {
        Some(f) => Ok(f),
        None => Err(vm.type_error("descriptor requires a 'select.poll' object")),
    }
}

fn poll_register(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (s, r) = crate::builtins::method_args(vm, "register", a, 1, 2)?;
    let fds = poll_fds(vm, s)?;
    let fd = fileno(vm, &r[0])?;
    let ev = match r.get(1) {
        Some(e) => args::int(vm, e)?,
        None => (libc::POLLIN | libc::POLLPRI | libc::POLLOUT) as i64,
    };
    if let Some(d) = fds.downcast::<DictObj>() {
        d.set(vm, Value::int(fd as i64), Value::int(ev & 0xffff))?;
    }
    Ok(Value::none())
}

fn poll_modify(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (s, r) = crate::builtins::method_args(vm, "modify", a, 2, 2)?;
    let fds = poll_fds(vm, s)?;
    let fd = fileno(vm, &r[0])?;
    let ev = args::int(vm, &r[1])?;
    if let Some(d) = fds.downcast::<DictObj>() {
        if !d.contains(vm, &Value::int(fd as i64))? {
            return Err(crate::builtins::os_error::from_errno(
                vm,
                libc::ENOENT,
                None,
                None,
            ));
        }
        d.set(vm, Value::int(fd as i64), Value::int(ev & 0xffff))?;
    }
    Ok(Value::none())
}

fn poll_unregister(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (s, r) = crate::builtins::method_args(vm, "unregister", a, 1, 1)?;
    let fds = poll_fds(vm, s)?;
    let fd = fileno(vm, &r[0])?;
    if let Some(d) = fds.downcast::<DictObj>()
        && d.remove(vm, &Value::int(fd as i64))?.is_none()
    {
        return Err(vm.key_error(Value::int(fd as i64)));
    }
    Ok(Value::none())
}

fn poll_poll(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (s, r) = crate::builtins::method_args(vm, "poll", a, 0, 1)?;
    let fds = poll_fds(vm, s)?;
    let d = deadline(vm, r.first(), 1e-3)?;
    let mut pfds: Vec<libc::pollfd> = Vec::new();
    if let Some(dict) = fds.downcast::<DictObj>() {
        for (k, v) in dict.items() {
            pfds.push(libc::pollfd {
                fd: k.as_small_int().unwrap_or(-1) as i32,
                events: v.as_small_int().unwrap_or(0) as i16,
                revents: 0,
            });
        }
    }
    let ptr = pfds.as_mut_ptr() as usize;
    let n = pfds.len();
    // SAFETY: pfds has n entries and outlives the call.
    wait_loop(vm, d, |ms| unsafe {
        libc::poll(ptr as *mut libc::pollfd, n as libc::nfds_t, ms)
    })?;
    let out = pfds
        .iter()
        .filter(|p| p.revents != 0)
        .map(|p| {
            TupleObj::from_iter([Value::int(p.fd as i64), Value::int(p.revents as u16 as i64)])
        })
        .collect();
    Ok(ListObj::new_value(out))
}

// ---- epoll -------------------------------------------------------------------------------

fn epfd(vm: &mut Vm, s: &Value) -> PyResult<libc::c_int> {
    let fd = dict_of(s)
        .and_then(|d| d.get_str("_epfd"))
        .and_then(|v| v.as_small_int())
        .unwrap_or(-1);
    if fd < 0 {
        return Err(vm.value_error("I/O operation on closed epoll object"));
    }
    Ok(fd as libc::c_int)
}

/// `epoll(sizehint=-1, flags=0)`.
fn epoll_init(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (s, rest) = receiver(vm, "__init__", a)?;
    let b = args::bind(vm, "epoll", &rest, &["sizehint", "flags"], 2, 0)?;
    if let Some(h) = b[0] {
        let h = args::int(vm, h)?;
        if h == 0 || h < -1 {
            return Err(vm.value_error("negative sizehint"));
        }
    }
    // SAFETY: plain syscall.
    let fd = unsafe { libc::epoll_create1(libc::EPOLL_CLOEXEC) };
    if fd < 0 {
        return Err(super::posix::path::os_err(vm));
    }
    if let Some(d) = dict_of(s) {
        d.set_str("_epfd", Value::int(fd as i64));
        d.set_str("closed", Value::bool(false));
    }
    Ok(Value::none())
}

fn epoll_ctl(vm: &mut Vm, a: &Args, name: &str, op: libc::c_int) -> PyResult<Value> {
    let max = if op == libc::EPOLL_CTL_DEL { 1 } else { 2 };
    let (s, r) = crate::builtins::method_args(vm, name, a, 1, max)?;
    let ep = epfd(vm, s)?;
    let fd = fileno(vm, &r[0])?;
    let events = match r.get(1) {
        Some(e) => args::int(vm, e)? as u32,
        None => (libc::EPOLLIN | libc::EPOLLPRI | libc::EPOLLOUT) as u32,
    };
    let mut ev = libc::epoll_event {
        events,
        u64: fd as u64,
    };
    // SAFETY: `ev` is a valid event for the call.
    if unsafe { libc::epoll_ctl(ep, op, fd, &mut ev) } != 0 {
        return Err(super::posix::path::os_err(vm));
    }
    Ok(Value::none())
}

fn epoll_register(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    epoll_ctl(vm, a, "register", libc::EPOLL_CTL_ADD)
}

fn epoll_modify(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    epoll_ctl(vm, a, "modify", libc::EPOLL_CTL_MOD)
}

fn epoll_unregister(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    epoll_ctl(vm, a, "unregister", libc::EPOLL_CTL_DEL)
}

fn epoll_poll(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (s, rest) = receiver(vm, "poll", a)?;
    let b = args::bind(vm, "poll", &rest, &["timeout", "maxevents"], 2, 0)?;
    let ep = epfd(vm, s)?;
    // None or a negative timeout waits forever.
    let negative = |t: &Value| {
        t.as_float().is_some_and(|f| f < 0.0) || t.as_small_int().is_some_and(|i| i < 0)
    };
    let timeout = b[0].filter(|t| !t.is_none() && !negative(t));
    let d = deadline(vm, timeout, 1.0)?;
    let max = match b[1] {
        Some(m) => args::int(vm, m)?,
        None => -1,
    };
    let max = if max == -1 { 1023 } else { max };
    if max <= 0 {
        return Err(vm.value_error(format!("maxevents must be greater than 0, got {max}")));
    }
    let mut evs = vec![libc::epoll_event { events: 0, u64: 0 }; max as usize];
    let ptr = evs.as_mut_ptr() as usize;
    // SAFETY: evs has `max` entries and outlives the call.
    let n = wait_loop(vm, d, |ms| unsafe {
        libc::epoll_wait(ep, ptr as *mut libc::epoll_event, max as libc::c_int, ms)
    })?;
    let out = evs[..n as usize]
        .iter()
        .map(|e| {
            let (fd, ev) = (e.u64, e.events);
            TupleObj::from_iter([Value::int(fd as i64), Value::int(ev as i64)])
        })
        .collect();
    Ok(ListObj::new_value(out))
}

fn epoll_close(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (s, _) = crate::builtins::method_args(vm, "close", a, 0, 0)?;
    if let Some(d) = dict_of(s) {
        let fd = d
            .get_str("_epfd")
            .and_then(|v| v.as_small_int())
            .unwrap_or(-1);
        if fd >= 0 {
            // SAFETY: closing the epoll descriptor this object owns.
            unsafe { libc::close(fd as libc::c_int) };
        }
        d.set_str("_epfd", Value::int(-1));
        d.set_str("closed", Value::bool(true));
    }
    Ok(Value::none())
}

fn epoll_fileno(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (s, _) = crate::builtins::method_args(vm, "fileno", a, 0, 0)?;
    let fd = epfd(vm, s)?;
    Ok(Value::int(fd as i64))
}

fn epoll_enter(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (s, _) = crate::builtins::method_args(vm, "__enter__", a, 0, 0)?;
    epfd(vm, s)?;
    Ok(s.clone())
}

fn epoll_exit(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let p = a.pos();
    epoll_close(vm, &Args::new(&p[..1.min(p.len())]))?;
    Ok(Value::none())
}
