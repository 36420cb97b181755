//! `_io.BufferedReader`, `BufferedWriter`, `BufferedRandom` (one state type: a read
//! buffer and a write buffer over a raw stream) and `BufferedRWPair` (a reader and a
//! writer side by side). A raw stream that is exactly `FileIO` is driven natively; any
//! other raw object through its Python methods.
use std::sync::{Arc, Weak};

use super::fileio::{file_lock, is_native, with_file_state};
use super::{
    IoLock, IoTypes, Native, add_methods, add_property, bytes_like, call_method, int_arg, io_types,
    method_pos, parse_args, set_state, size_arg, state_of, truthy_method, uninitialized,
    unsupported,
};
use crate::types::bytes::{ByteArrayObj, BytesObj};
use crate::types::str::new_str;
use crate::value::Value;
use crate::vm::{Args, PyResult, Vm};

#[derive(Clone, Copy, PartialEq, Eq)]
pub enum BufKind {
    Reader,
    Writer,
    Random,
}

pub struct BufState {
    /// The raw stream, NULL once detached.
    pub raw: Raw,
    pub kind: BufKind,
    size: usize,
    /// Read-ahead: bytes `rbuf[rpos..]` are read from raw but not yet returned.
    rbuf: Vec<u8>,
    rpos: usize,
    /// Bytes written but not yet passed to raw.
    wbuf: Vec<u8>,
}

// SAFETY: `raw` is only touched by the thread holding the state's lock; objects are
// reference counted atomically by non-owner threads.
unsafe impl Send for BufState {}

impl Drop for BufState {
    fn drop(&mut self) {
        // A writer freed with unwritten bytes writes them (CPython closes, and so
        // flushes, a buffered object when it is collected).
        self.flush_without_vm();
    }
}

pub struct PairState {
    reader: Value,
    writer: Value,
}

/// Writers still alive, flushed at exit.
static WRITERS: parking_lot::Mutex<Vec<Weak<IoLock<BufState>>>> =
    parking_lot::Mutex::new(Vec::new());

pub fn flush_all_writers() {
    let all: Vec<_> = std::mem::take(&mut *WRITERS.lock());
    for w in all {
        if let Some(l) = w.upgrade()
            && let Some(mut g) = l.lock_at_exit()
        {
            g.flush_without_vm();
        }
    }
}

pub fn install(io: &IoTypes) {
    for (t, kind) in [
        (&io.buffered_reader, BufKind::Reader),
        (&io.buffered_writer, BufKind::Writer),
        (&io.buffered_random, BufKind::Random),
    ] {
        add_methods(
            t,
            &[
                ("flush", flush),
                ("close", close),
                ("detach", detach),
                ("seek", seek),
                ("tell", tell),
                ("truncate", truncate),
                ("seekable", seekable),
                ("readable", readable),
                ("writable", writable),
                ("fileno", fileno),
                ("isatty", isatty),
                ("__repr__", repr),
            ],
        );
        crate::builtins::add_method(
            t.raw(),
            "__init__",
            match kind {
                BufKind::Reader => init_reader,
                BufKind::Writer => init_writer,
                BufKind::Random => init_random,
            },
        );
        if kind != BufKind::Writer {
            add_methods(
                t,
                &[
                    ("read", read),
                    ("read1", read1),
                    ("peek", peek),
                    ("readline", readline),
                    ("readinto", readinto),
                    ("readinto1", readinto),
                    ("__next__", next),
                ],
            );
        }
        if kind != BufKind::Reader {
            add_methods(t, &[("write", write)]);
        }
        add_property(t, "raw", raw_prop, None);
        add_property(t, "closed", closed, None);
        add_property(t, "name", name, None);
        add_property(t, "mode", mode, None);
    }
    let p = &io.buffered_rwpair;
    add_methods(
        p,
        &[
            ("__init__", pair_init),
            ("read", |vm, a| pair_call(vm, a, true, "read")),
            ("read1", |vm, a| pair_call(vm, a, true, "read1")),
            ("peek", |vm, a| pair_call(vm, a, true, "peek")),
            ("readinto", |vm, a| pair_call(vm, a, true, "readinto")),
            ("readinto1", |vm, a| pair_call(vm, a, true, "readinto1")),
            ("readable", |vm, a| pair_call(vm, a, true, "readable")),
            ("write", |vm, a| pair_call(vm, a, false, "write")),
            ("flush", |vm, a| pair_call(vm, a, false, "flush")),
            ("writable", |vm, a| pair_call(vm, a, false, "writable")),
            ("isatty", pair_isatty),
            ("close", pair_close),
        ],
    );
    add_property(
        p,
        "closed",
        |vm, a| {
            let slf = super::this(vm, a, "closed")?;
            let w = pair_side(vm, slf, false)?;
            crate::ops::getattr_str(vm, &w, "closed")
        },
        None,
    );
}

// ---- raw operations ------------------------------------------------------------------

/// A buffered object's raw stream: the object, and its state object when it is
/// exactly a native FileIO (then it is driven without method calls).
#[derive(Clone)]
pub struct Raw {
    pub obj: Value,
    pub state: Value,
}

impl Raw {
    fn new(obj: Value) -> Raw {
        let state = if is_native(&obj) {
            state_of(&obj).unwrap_or(Value::NULL)
        } else {
            Value::NULL
        };
        Raw { obj, state }
    }
}

fn raw_read(vm: &mut Vm, r: &Raw, n: usize) -> PyResult<Option<Vec<u8>>> {
    if !r.state.is_null() {
        return with_file_state(vm, &r.state, |vm, f| f.read_some(vm, n));
    }
    let raw = &r.obj;
    let buf = ByteArrayObj::new_value(vec![0; n]);
    let r = call_method(vm, raw, "readinto", std::slice::from_ref(&buf))?;
    if r.is_none() {
        return Ok(None);
    }
    let k = crate::ops::to_isize(vm, &r)?;
    if k < 0 || k as usize > n {
        return Err(vm.err(
            crate::world::types().os_error,
            format!(
                "raw readinto() returned invalid length {k} (should have been between 0 and {n})"
            ),
        ));
    }
    let mut data = crate::types::bytes::as_bytes(&buf).unwrap_or_default();
    data.truncate(k as usize);
    Ok(Some(data))
}

fn raw_readall(vm: &mut Vm, r: &Raw) -> PyResult<Option<Vec<u8>>> {
    if !r.state.is_null() {
        return with_file_state(vm, &r.state, |vm, f| f.read_all(vm));
    }
    let raw = &r.obj;
    if let Some(f) = crate::ops::getattr_opt(vm, raw, "readall")? {
        let r = vm.call(&f, &[])?;
        if r.is_none() {
            return Ok(None);
        }
        return match crate::types::bytes::as_bytes(&r) {
            Some(b) => Ok(Some(b)),
            None => Err(vm.type_error("readall() should return bytes")),
        };
    }
    let mut out = Vec::new();
    loop {
        match raw_read(vm, r, super::DEFAULT_BUFFER_SIZE)? {
            Some(b) if b.is_empty() => return Ok(Some(out)),
            Some(b) => out.extend_from_slice(&b),
            None if out.is_empty() => return Ok(None),
            None => return Ok(Some(out)),
        }
    }
}

fn raw_write(vm: &mut Vm, r: &Raw, data: &[u8]) -> PyResult<Option<usize>> {
    if !r.state.is_null() {
        return with_file_state(vm, &r.state, |vm, f| f.write_all(vm, data));
    }
    let raw = &r.obj;
    let r = call_method(vm, raw, "write", &[BytesObj::new_value(data.to_vec())])?;
    if r.is_none() {
        return Ok(None);
    }
    let n = crate::ops::to_isize(vm, &r)?;
    if n < 0 || n as usize > data.len() {
        return Err(vm.err(
            crate::world::types().os_error,
            format!(
                "raw write() returned invalid length {n} (should have been between 0 and {})",
                data.len()
            ),
        ));
    }
    Ok(Some(n as usize))
}

fn raw_seek(vm: &mut Vm, r: &Raw, pos: i64, whence: i64) -> PyResult<i64> {
    if !r.state.is_null() {
        return with_file_state(vm, &r.state, |vm, f| f.seek(vm, pos, whence));
    }
    let raw = &r.obj;
    let r = call_method(vm, raw, "seek", &[Value::int(pos), Value::int(whence)])?;
    let p = crate::ops::to_isize(vm, &r)?;
    if p < 0 {
        return Err(vm.err(
            crate::world::types().os_error,
            format!("Raw stream returned invalid position {p}"),
        ));
    }
    Ok(p)
}

pub fn raw_closed(vm: &mut Vm, r: &Raw) -> PyResult<bool> {
    if let Some(l) = file_lock(&r.state) {
        return Ok(l.flag.load(std::sync::atomic::Ordering::Acquire));
    }
    super::iobase::is_closed(vm, &r.obj)
}

impl BufState {
    fn raw(&self, vm: &mut Vm) -> PyResult<Raw> {
        if self.raw.obj.is_null() {
            return Err(vm.value_error("raw stream has been detached"));
        }
        Ok(self.raw.clone())
    }

    fn unread(&self) -> usize {
        self.rbuf.len() - self.rpos
    }

    /// Is the raw stream closed (detached counts as an error)? Reads a native
    /// FileIO's flag without cloning anything.
    pub fn raw_closed_now(&self, vm: &mut Vm) -> PyResult<bool> {
        if let Some(l) = file_lock(&self.raw.state) {
            return Ok(l.flag.load(std::sync::atomic::Ordering::Acquire));
        }
        let raw = self.raw(vm)?;
        raw_closed(vm, &raw)
    }

    pub fn check_closed(&self, vm: &mut Vm, what: &str) -> PyResult<Raw> {
        let raw = self.raw(vm)?;
        if raw_closed(vm, &raw)? {
            return Err(vm.value_error(what.to_string()));
        }
        Ok(raw)
    }

    /// Write out the write buffer.
    pub fn flush_writes(&mut self, vm: &mut Vm) -> PyResult<()> {
        if self.wbuf.is_empty() {
            return Ok(());
        }
        let raw = self.raw(vm)?;
        while !self.wbuf.is_empty() {
            let data = std::mem::take(&mut self.wbuf);
            let r = raw_write(vm, &raw, &data);
            match r {
                Ok(Some(n)) => self.wbuf = data[n..].to_vec(),
                Ok(None) => {
                    self.wbuf = data;
                    return Err(vm.err(
                        crate::world::types().blocking_io_error,
                        "write could not complete without blocking",
                    ));
                }
                Err(e) => {
                    self.wbuf = data;
                    return Err(e);
                }
            }
        }
        Ok(())
    }

    /// Forget read-ahead, moving raw back to the logical position.
    fn drop_read_ahead(&mut self, vm: &mut Vm) -> PyResult<()> {
        let n = self.unread();
        if n > 0 {
            let raw = self.raw(vm)?;
            raw_seek(vm, &raw, -(n as i64), 1)?;
        }
        self.rbuf.clear();
        self.rpos = 0;
        Ok(())
    }

    /// Refill the (empty) read buffer with one raw read. False at end of file.
    fn fill(&mut self, vm: &mut Vm, raw: &Raw) -> PyResult<bool> {
        self.flush_writes(vm)?;
        let n = self.size;
        let got = raw_read(vm, raw, n)?.unwrap_or_default();
        self.rbuf = got;
        self.rpos = 0;
        Ok(!self.rbuf.is_empty())
    }

    pub fn read(&mut self, vm: &mut Vm, n: i64) -> PyResult<Option<Vec<u8>>> {
        let raw = self.check_closed(vm, "read of closed file")?;
        if n < -1 {
            return Err(vm.value_error("read length must be non-negative or -1"));
        }
        let mut out = self.rbuf[self.rpos..].to_vec();
        if n >= 0 && out.len() >= n as usize {
            out.truncate(n as usize);
            self.rpos += n as usize;
            return Ok(Some(out));
        }
        self.rbuf.clear();
        self.rpos = 0;
        self.flush_writes(vm)?;
        if n < 0 {
            match raw_readall(vm, &raw)? {
                Some(b) => out.extend_from_slice(&b),
                None if out.is_empty() => return Ok(None),
                None => {}
            }
            return Ok(Some(out));
        }
        let n = n as usize;
        while out.len() < n {
            let want = n - out.len();
            if want >= self.size {
                match raw_read(vm, &raw, want)? {
                    Some(b) if b.is_empty() => break,
                    Some(b) => out.extend_from_slice(&b),
                    None if out.is_empty() => return Ok(None),
                    None => break,
                }
            } else {
                if !self.fill(vm, &raw)? {
                    break;
                }
                let k = want.min(self.rbuf.len());
                out.extend_from_slice(&self.rbuf[..k]);
                self.rpos = k;
            }
        }
        Ok(Some(out))
    }

    /// At most one raw read: what is buffered, or one buffer's worth.
    pub fn read1(&mut self, vm: &mut Vm, n: i64) -> PyResult<Vec<u8>> {
        let raw = self.check_closed(vm, "read of closed file")?;
        let n = if n < 0 { self.size } else { n as usize };
        if n == 0 {
            return Ok(Vec::new());
        }
        if self.unread() == 0 {
            self.fill(vm, &raw)?;
        }
        let k = n.min(self.unread());
        let out = self.rbuf[self.rpos..self.rpos + k].to_vec();
        self.rpos += k;
        Ok(out)
    }

    fn peek(&mut self, vm: &mut Vm) -> PyResult<Vec<u8>> {
        let raw = self.check_closed(vm, "peek of closed file")?;
        if self.unread() == 0 {
            self.fill(vm, &raw)?;
        }
        Ok(self.rbuf[self.rpos..].to_vec())
    }

    pub fn readline(&mut self, vm: &mut Vm, limit: i64) -> PyResult<Vec<u8>> {
        let raw = self.check_closed(vm, "readline of closed file")?;
        let mut out = Vec::new();
        loop {
            let avail = &self.rbuf[self.rpos..];
            let mut take = match avail.iter().position(|&b| b == b'\n') {
                Some(i) => i + 1,
                None => avail.len(),
            };
            if limit >= 0 {
                take = take.min(limit as usize - out.len());
            }
            out.extend_from_slice(&avail[..take]);
            self.rpos += take;
            if out.ends_with(b"\n") || (limit >= 0 && out.len() >= limit as usize) {
                break;
            }
            if !self.fill(vm, &raw)? {
                break;
            }
        }
        Ok(out)
    }

    pub fn write(&mut self, vm: &mut Vm, data: &[u8]) -> PyResult<usize> {
        if self.raw.obj.is_null() {
            return Err(vm.value_error("raw stream has been detached"));
        }
        if self.unread() > 0 {
            self.drop_read_ahead(vm)?;
        }
        if self.wbuf.len() + data.len() <= self.size {
            self.wbuf.extend_from_slice(data);
            return Ok(data.len());
        }
        // As CPython: write out what is buffered, then pass a write larger than the
        // buffer straight to raw and keep a smaller one.
        self.flush_writes(vm)?;
        if data.len() > self.size {
            self.wbuf = data.to_vec();
            self.flush_writes(vm)?;
        } else {
            self.wbuf.extend_from_slice(data);
        }
        Ok(data.len())
    }

    pub fn tell(&mut self, vm: &mut Vm) -> PyResult<i64> {
        let raw = self.raw(vm)?;
        let p = raw_seek(vm, &raw, 0, 1)?;
        Ok((p - self.unread() as i64 + self.wbuf.len() as i64).max(0))
    }

    pub fn seek(&mut self, vm: &mut Vm, pos: i64, whence: i64) -> PyResult<i64> {
        if !(0..=2).contains(&whence) {
            return Err(vm.value_error(format!("whence value {whence} unsupported")));
        }
        let raw = self.check_closed(vm, "seek of closed file")?;
        if !raw_seekable(vm, &raw)? {
            return Err(unsupported(vm, "File or stream is not seekable."));
        }
        self.flush_writes(vm)?;
        let pos = if whence == 1 {
            pos - self.unread() as i64
        } else {
            pos
        };
        self.rbuf.clear();
        self.rpos = 0;
        raw_seek(vm, &raw, pos, whence)
    }

    /// Write out buffered bytes to a native raw stream without a VM (finalization).
    fn flush_without_vm(&mut self) {
        if self.wbuf.is_empty() {
            return;
        }
        let st = self.raw.state.clone();
        if let Some(super::IoStateObj { s: Native::File(l) }) =
            st.downcast_exact::<super::IoStateObj>()
            && let Some(f) = l.lock_plain()
            && f.fd >= 0
        {
            let mut done = 0;
            while done < self.wbuf.len() {
                let rest = &self.wbuf[done..];
                // SAFETY: writing a valid slice to an open descriptor.
                let r =
                    unsafe { libc::write(f.fd, rest.as_ptr() as *const libc::c_void, rest.len()) };
                if r <= 0 {
                    break;
                }
                done += r as usize;
            }
        }
        self.wbuf.clear();
    }
}

fn raw_seekable(vm: &mut Vm, r: &Raw) -> PyResult<bool> {
    if !r.state.is_null() {
        return with_file_state(vm, &r.state, |vm, f| f.is_seekable(vm));
    }
    truthy_method(vm, &r.obj, "seekable")
}

// ---- state access --------------------------------------------------------------------

fn lock_name(kind: BufKind) -> &'static str {
    match kind {
        BufKind::Reader => "BufferedReader",
        BufKind::Writer => "BufferedWriter",
        BufKind::Random => "BufferedRandom",
    }
}

/// The lock of a buffered object's state object (see `state_of`).
pub fn buf_lock(st: &Value) -> Option<&IoLock<BufState>> {
    match st.downcast_exact::<super::IoStateObj>() {
        Some(super::IoStateObj {
            s: Native::Buffered(l),
        }) => Some(l),
        _ => None,
    }
}

/// Run `f` on a buffered object's state, given its state object (the text layer
/// keeps it).
pub fn with_buf_state<R>(
    vm: &mut Vm,
    st: &Value,
    f: impl FnOnce(&mut Vm, &mut BufState) -> PyResult<R>,
) -> PyResult<R> {
    let Some(l) = buf_lock(st) else {
        return Err(uninitialized(vm));
    };
    let mut g = l.lock_with(vm, || "BufferedWriter".into())?;
    f(vm, &mut g)
}

/// Run `f` on the state of a buffered object.
pub fn with_buf<R>(
    vm: &mut Vm,
    obj: &Value,
    f: impl FnOnce(&mut Vm, &mut BufState) -> PyResult<R>,
) -> PyResult<R> {
    let Some(st) = state_of(obj) else {
        return Err(uninitialized(vm));
    };
    let Some(super::IoStateObj {
        s: Native::Buffered(l),
    }) = st.downcast_exact::<super::IoStateObj>()
    else {
        return Err(uninitialized(vm));
    };
    let mut g = l.lock(vm, obj)?;
    f(vm, &mut g)
}

/// Is `v` exactly one of the native buffered classes (so the text layer may call
/// into it directly)?
pub fn is_native_buffered(v: &Value) -> bool {
    let io = io_types();
    super::is_exact(v, &io.buffered_writer)
        || super::is_exact(v, &io.buffered_reader)
        || super::is_exact(v, &io.buffered_random)
}

fn init_with(vm: &mut Vm, a: &Args, kind: BufKind) -> PyResult<Value> {
    let slf = super::this(vm, a, "__init__")?;
    let name = lock_name(kind);
    let p = parse_args(vm, name, a, 1, &["raw", "buffer_size"], 1)?;
    let raw = p[0].cloned().unwrap_or_else(Value::none);
    let size = match p[1] {
        Some(v) => crate::ops::to_isize(vm, v)?,
        None => super::DEFAULT_BUFFER_SIZE as i64,
    };
    if kind != BufKind::Writer && !truthy_method(vm, &raw, "readable")? {
        return Err(unsupported(vm, "File or stream is not readable."));
    }
    if kind != BufKind::Reader && !truthy_method(vm, &raw, "writable")? {
        return Err(unsupported(vm, "File or stream is not writable."));
    }
    if kind == BufKind::Random && !truthy_method(vm, &raw, "seekable")? {
        return Err(unsupported(vm, "File or stream is not seekable."));
    }
    if size <= 0 {
        return Err(vm.value_error("buffer size must be strictly positive"));
    }
    let st = Arc::new(IoLock::new(BufState {
        raw: Raw::new(raw),
        kind,
        size: size as usize,
        rbuf: Vec::new(),
        rpos: 0,
        wbuf: Vec::new(),
    }));
    if kind != BufKind::Reader {
        let mut w = WRITERS.lock();
        w.retain(|x| x.strong_count() > 0);
        w.push(Arc::downgrade(&st));
    }
    set_state(vm, slf, Native::Buffered(st))?;
    Ok(Value::none())
}

fn init_reader(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    init_with(vm, a, BufKind::Reader)
}
fn init_writer(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    init_with(vm, a, BufKind::Writer)
}
fn init_random(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    init_with(vm, a, BufKind::Random)
}

/// Make a native buffered object of class `cls` over `raw` (for `open()` and the
/// standard streams).
pub fn new_buffered(vm: &mut Vm, cls: &Value, raw: Value, size: usize) -> PyResult<Value> {
    let obj = crate::vm::new_instance_of(cls, vec![]);
    let kind = if cls.is(&io_types().buffered_reader) {
        BufKind::Reader
    } else if cls.is(&io_types().buffered_writer) {
        BufKind::Writer
    } else {
        BufKind::Random
    };
    let st = Arc::new(IoLock::new(BufState {
        raw: Raw::new(raw),
        kind,
        size: size.max(1),
        rbuf: Vec::new(),
        rpos: 0,
        wbuf: Vec::new(),
    }));
    if kind != BufKind::Reader {
        let mut w = WRITERS.lock();
        w.retain(|x| x.strong_count() > 0);
        w.push(Arc::downgrade(&st));
    }
    set_state(vm, &obj, Native::Buffered(st))?;
    Ok(obj)
}

// ---- methods -----------------------------------------------------------------------

fn bytes_or_none(v: Option<Vec<u8>>) -> Value {
    v.map(BytesObj::new_value).unwrap_or_else(Value::none)
}

fn read(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (slf, r) = method_pos(vm, "read", a, 0, 1)?;
    let n = size_arg(vm, r.first())?;
    Ok(bytes_or_none(with_buf(vm, slf, |vm, b| b.read(vm, n))?))
}

fn read1(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (slf, r) = method_pos(vm, "read1", a, 0, 1)?;
    let n = size_arg(vm, r.first())?;
    Ok(BytesObj::new_value(with_buf(vm, slf, |vm, b| {
        b.read1(vm, n)
    })?))
}

fn peek(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (slf, _) = method_pos(vm, "peek", a, 0, 1)?;
    Ok(BytesObj::new_value(with_buf(vm, slf, |vm, b| b.peek(vm))?))
}

fn readline(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (slf, r) = method_pos(vm, "readline", a, 0, 1)?;
    let n = size_arg(vm, r.first())?;
    Ok(BytesObj::new_value(with_buf(vm, slf, |vm, b| {
        b.readline(vm, n)
    })?))
}

fn readinto(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (slf, r) = method_pos(vm, "readinto", a, 1, 1)?;
    let buf = super::writable_buffer(vm, &r[0])?;
    let n = buf.len();
    let data = with_buf(vm, slf, |vm, b| b.read(vm, n as i64))?.unwrap_or_default();
    buf.fill(vm, &data)?;
    Ok(Value::int(data.len() as i64))
}

fn next(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let slf = super::this(vm, a, "__next__")?;
    let line = if is_native_buffered(slf) {
        with_buf(vm, slf, |vm, b| b.readline(vm, -1))?
    } else {
        let v = call_method(vm, slf, "readline", &[])?;
        if crate::ops::len(vm, &v)? == 0 {
            return Err(super::stop_iteration(vm));
        }
        return Ok(v);
    };
    if line.is_empty() {
        return Err(super::stop_iteration(vm));
    }
    Ok(BytesObj::new_value(line))
}

fn write(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (slf, r) = method_pos(vm, "write", a, 1, 1)?;
    let data = bytes_like(vm, &r[0])?;
    let n = with_buf(vm, slf, |vm, b| {
        b.check_closed(vm, "write to closed file")?;
        b.write(vm, &data)
    })?;
    Ok(Value::int(n as i64))
}

fn flush(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (slf, _) = method_pos(vm, "flush", a, 0, 0)?;
    with_buf(vm, slf, |vm, b| {
        let raw = b.raw(vm)?;
        if raw_closed(vm, &raw)? {
            return Err(super::closed_error(vm, true));
        }
        b.flush_writes(vm)
    })?;
    Ok(Value::none())
}

fn close(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (slf, _) = method_pos(vm, "close", a, 0, 0)?;
    let (raw, flushed) = with_buf(vm, slf, |vm, b| {
        let raw = b.raw(vm)?;
        if raw_closed(vm, &raw)? {
            return Ok((None, Ok(())));
        }
        let r = b.flush_writes(vm);
        b.wbuf.clear();
        b.rbuf.clear();
        b.rpos = 0;
        Ok((Some(raw), r))
    })?;
    let Some(raw) = raw else {
        return Ok(Value::none());
    };
    let r = call_method(vm, &raw.obj, "close", &[]);
    if r.is_ok() {
        super::finalize::unwatch(slf);
    }
    flushed?;
    r?;
    Ok(Value::none())
}

fn detach(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (slf, _) = method_pos(vm, "detach", a, 0, 0)?;
    with_buf(vm, slf, |vm, b| {
        b.flush_writes(vm)?;
        let raw = b.raw(vm)?;
        b.raw = Raw {
            obj: Value::NULL,
            state: Value::NULL,
        };
        Ok(raw.obj)
    })
}

fn seek(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (slf, r) = method_pos(vm, "seek", a, 1, 2)?;
    let pos = int_arg(vm, &r[0])?;
    let whence = match r.get(1) {
        Some(w) => int_arg(vm, w)?,
        None => 0,
    };
    let p = with_buf(vm, slf, |vm, b| b.seek(vm, pos, whence))?;
    Ok(Value::int(p))
}

fn tell(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (slf, _) = method_pos(vm, "tell", a, 0, 0)?;
    Ok(Value::int(with_buf(vm, slf, |vm, b| b.tell(vm))?))
}

fn truncate(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (slf, r) = method_pos(vm, "truncate", a, 0, 1)?;
    let pos = r.first().filter(|v| !v.is_none()).cloned();
    with_buf(vm, slf, |vm, b| {
        let raw = b.check_closed(vm, "truncate of closed file")?;
        if b.kind == BufKind::Reader {
            return Err(unsupported(vm, "truncate"));
        }
        b.flush_writes(vm)?;
        let here = b.tell(vm)?;
        b.drop_read_ahead(vm)?;
        let arg = pos.unwrap_or_else(|| Value::int(here));
        call_method(vm, &raw.obj, "truncate", &[arg])
    })
}

fn delegate(vm: &mut Vm, a: &Args, name: &str) -> PyResult<Value> {
    let (slf, _) = method_pos(vm, name, a, 0, 0)?;
    let raw = with_buf(vm, slf, |vm, b| b.raw(vm))?;
    call_method(vm, &raw.obj, name, &[])
}

fn seekable(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    delegate(vm, a, "seekable")
}
fn readable(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    delegate(vm, a, "readable")
}
fn writable(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    delegate(vm, a, "writable")
}
fn fileno(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    delegate(vm, a, "fileno")
}
fn isatty(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    delegate(vm, a, "isatty")
}

fn raw_prop(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let slf = super::this(vm, a, "raw")?;
    with_buf(vm, slf, |_, b| {
        Ok(if b.raw.obj.is_null() {
            Value::none()
        } else {
            b.raw.obj.clone()
        })
    })
}

fn raw_attr(vm: &mut Vm, a: &Args, name: &str) -> PyResult<Value> {
    let slf = super::this(vm, a, name)?;
    let raw = with_buf(vm, slf, |vm, b| b.raw(vm))?;
    crate::ops::getattr_str(vm, &raw.obj, name)
}

fn closed(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    raw_attr(vm, a, "closed")
}
fn name(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    raw_attr(vm, a, "name")
}
fn mode(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    raw_attr(vm, a, "mode")
}

fn repr(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (slf, _) = method_pos(vm, "__repr__", a, 0, 0)?;
    let cls = super::tp_name(slf);
    let s = match super::name_repr(vm, slf)? {
        Some(n) => format!("<{cls} name={n}>"),
        None => format!("<{cls}>"),
    };
    Ok(new_str(&s))
}

// ---- BufferedRWPair ----------------------------------------------------------------

fn pair_init(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let slf = super::this(vm, a, "__init__")?;
    let p = parse_args(
        vm,
        "BufferedRWPair",
        a,
        1,
        &["reader", "writer", "buffer_size"],
        2,
    )?;
    let (r, w) = (
        p[0].cloned().unwrap_or_default(),
        p[1].cloned().unwrap_or_default(),
    );
    let size = match p[2] {
        Some(v) => crate::ops::to_isize(vm, v)?,
        None => super::DEFAULT_BUFFER_SIZE as i64,
    };
    if !truthy_method(vm, &r, "readable")? {
        return Err(unsupported(vm, "File or stream is not readable."));
    }
    if !truthy_method(vm, &w, "writable")? {
        return Err(unsupported(vm, "File or stream is not writable."));
    }
    if size <= 0 {
        return Err(vm.value_error("buffer size must be strictly positive"));
    }
    let io = io_types();
    let reader = crate::vm::new_instance_of(&io.buffered_reader, vec![]);
    let writer = crate::vm::new_instance_of(&io.buffered_writer, vec![]);
    for (obj, raw, cls) in [
        (&reader, r, &io.buffered_reader),
        (&writer, w, &io.buffered_writer),
    ] {
        let init = crate::ops::getattr_str(vm, cls, "__init__")?;
        vm.call(&init, &[obj.clone(), raw, Value::int(size)])?;
    }
    set_state(vm, slf, Native::Pair(PairState { reader, writer }))?;
    Ok(Value::none())
}

fn pair_side(vm: &mut Vm, slf: &Value, reader: bool) -> PyResult<Value> {
    let Some(st) = state_of(slf) else {
        return Err(uninitialized(vm));
    };
    let Some(super::IoStateObj { s: Native::Pair(p) }) = st.downcast_exact::<super::IoStateObj>()
    else {
        return Err(uninitialized(vm));
    };
    Ok(if reader {
        p.reader.clone()
    } else {
        p.writer.clone()
    })
}

fn pair_call(vm: &mut Vm, a: &Args, reader: bool, name: &str) -> PyResult<Value> {
    let slf = super::this(vm, a, name)?;
    let side = pair_side(vm, slf, reader)?;
    let f = crate::ops::getattr_str(vm, &side, name)?;
    vm.call_kw(&f, &a.args[1..], a.kwnames)
}

fn pair_isatty(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let slf = super::this(vm, a, "isatty")?;
    let w = pair_side(vm, slf, false)?;
    if truthy_method(vm, &w, "isatty")? {
        return Ok(Value::bool(true));
    }
    let r = pair_side(vm, slf, true)?;
    call_method(vm, &r, "isatty", &[])
}

fn pair_close(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let slf = super::this(vm, a, "close")?;
    let w = pair_side(vm, slf, false)?;
    let r1 = call_method(vm, &w, "close", &[]);
    let r = pair_side(vm, slf, true)?;
    let r2 = call_method(vm, &r, "close", &[]);
    r1?;
    r2
}
