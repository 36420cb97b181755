//! `_io.FileIO`: raw, unbuffered binary I/O on an OS file descriptor (open(2),
//! read(2), write(2), lseek(2)), with CPython's modes, `closefd` and `opener`.
use super::{
    IoLock, IoTypes, Native, add_methods, add_property, bytes_like, closed_error, int_arg,
    io_types, last_os_error, method_pos, os_error, parse_args, set_state, size_arg, state_of,
    uninitialized, unsupported,
};
use crate::builtins::type_name;
use crate::types::bytes::BytesObj;
use crate::types::str::{as_str, new_str};
use crate::value::Value;
use crate::vm::{Args, PyResult, Vm};

pub struct FileState {
    /// The descriptor, or -1 once closed.
    pub fd: i32,
    pub readable: bool,
    pub writable: bool,
    pub appending: bool,
    pub created: bool,
    pub closefd: bool,
    /// -1 unknown, 0 no, 1 yes.
    seekable: i8,
    pub blksize: i64,
}

impl Drop for FileState {
    fn drop(&mut self) {
        if self.fd >= 0 && self.closefd {
            // SAFETY: the descriptor is owned by this object (closefd) and still open.
            unsafe { libc::close(self.fd) };
        }
    }
}

pub fn install(io: &IoTypes) {
    let t = &io.file_io;
    add_methods(
        t,
        &[
            ("__init__", init),
            ("read", read),
            ("readall", readall),
            ("readinto", readinto),
            ("write", write),
            ("seek", seek),
            ("tell", tell),
            ("truncate", truncate),
            ("close", close),
            ("seekable", seekable),
            ("readable", readable),
            ("writable", writable),
            ("fileno", fileno),
            ("isatty", isatty),
            ("__repr__", repr),
        ],
    );
    add_property(t, "closed", closed, None);
    add_property(t, "closefd", closefd, None);
    add_property(t, "mode", mode, None);
    add_property(t, "_blksize", blksize, None);
}

/// The lock of a FileIO's state object (see `state_of`).
pub fn file_lock(st: &Value) -> Option<&IoLock<FileState>> {
    match st.downcast_exact::<super::IoStateObj>() {
        Some(super::IoStateObj { s: Native::File(l) }) => Some(l),
        _ => None,
    }
}

/// Run `f` on a FileIO's state, given its state object (the buffered layer keeps it).
pub fn with_file_state<R>(
    vm: &mut Vm,
    st: &Value,
    f: impl FnOnce(&mut Vm, &mut FileState) -> PyResult<R>,
) -> PyResult<R> {
    let Some(l) = file_lock(st) else {
        return Err(uninitialized(vm));
    };
    let mut g = l.lock_with(vm, || "FileIO".into())?;
    f(vm, &mut g)
}

/// Run `f` on the state of a FileIO (exact or subclass instance).
pub fn with_file<R>(
    vm: &mut Vm,
    obj: &Value,
    f: impl FnOnce(&mut Vm, &mut FileState) -> PyResult<R>,
) -> PyResult<R> {
    let Some(st) = state_of(obj) else {
        return Err(uninitialized(vm));
    };
    let Some(super::IoStateObj { s: Native::File(l) }) = st.downcast_exact::<super::IoStateObj>()
    else {
        return Err(uninitialized(vm));
    };
    let mut g = l.lock(vm, obj)?;
    f(vm, &mut g)
}

impl FileState {
    fn check_open(&self, vm: &mut Vm) -> PyResult<()> {
        if self.fd < 0 {
            return Err(closed_error(vm, false));
        }
        Ok(())
    }
    fn check_readable(&self, vm: &mut Vm) -> PyResult<()> {
        self.check_open(vm)?;
        if !self.readable {
            return Err(unsupported(vm, "File not open for reading"));
        }
        Ok(())
    }
    fn check_writable(&self, vm: &mut Vm) -> PyResult<()> {
        self.check_open(vm)?;
        if !self.writable {
            return Err(unsupported(vm, "File not open for writing"));
        }
        Ok(())
    }

    /// One read(2) of up to `n` bytes; None when it would block.
    pub fn read_some(&mut self, vm: &mut Vm, n: usize) -> PyResult<Option<Vec<u8>>> {
        self.check_readable(vm)?;
        let mut buf = vec![0u8; n];
        let fd = self.fd;
        loop {
            let r = crate::thread_state::blocking(|| {
                // SAFETY: buf has n writable bytes; fd is open.
                unsafe { libc::read(fd, buf.as_mut_ptr() as *mut libc::c_void, n) }
            });
            if r >= 0 {
                buf.truncate(r as usize);
                return Ok(Some(buf));
            }
            let e = std::io::Error::last_os_error().raw_os_error().unwrap_or(0);
            match e {
                libc::EINTR => continue,
                libc::EAGAIN => return Ok(None),
                _ => return Err(os_error(vm, e, None)),
            }
        }
    }

    /// Read to end of file.
    pub fn read_all(&mut self, vm: &mut Vm) -> PyResult<Option<Vec<u8>>> {
        self.check_readable(vm)?;
        let mut out = Vec::new();
        // SAFETY: fstat into a zeroed struct on an open descriptor.
        let size_hint = unsafe {
            let mut st: libc::stat = std::mem::zeroed();
            let pos = libc::lseek(self.fd, 0, libc::SEEK_CUR);
            if libc::fstat(self.fd, &mut st) == 0 && pos >= 0 && st.st_size > pos {
                (st.st_size - pos) as usize + 1
            } else {
                DEFAULT_CHUNK
            }
        };
        let mut chunk = size_hint.max(1);
        loop {
            match self.read_some(vm, chunk)? {
                Some(b) if b.is_empty() => return Ok(Some(out)),
                Some(b) => out.extend_from_slice(&b),
                None if out.is_empty() => return Ok(None),
                None => return Ok(Some(out)),
            }
            chunk = DEFAULT_CHUNK.max(out.len() / 4);
        }
    }

    /// write(2) until everything is written (or it would block: the count so far).
    pub fn write_all(&mut self, vm: &mut Vm, data: &[u8]) -> PyResult<Option<usize>> {
        self.check_writable(vm)?;
        let mut done = 0;
        while done < data.len() {
            let rest = &data[done..];
            let fd = self.fd;
            let r = crate::thread_state::blocking(|| {
                // SAFETY: rest is a valid slice; fd is open.
                unsafe { libc::write(fd, rest.as_ptr() as *const libc::c_void, rest.len()) }
            });
            if r >= 0 {
                done += r as usize;
                continue;
            }
            let e = std::io::Error::last_os_error().raw_os_error().unwrap_or(0);
            match e {
                libc::EINTR => continue,
                libc::EAGAIN if done == 0 => return Ok(None),
                libc::EAGAIN => return Ok(Some(done)),
                _ => return Err(os_error(vm, e, None)),
            }
        }
        Ok(Some(done))
    }

    pub fn seek(&mut self, vm: &mut Vm, pos: i64, whence: i64) -> PyResult<i64> {
        self.check_open(vm)?;
        let w = match whence {
            0 => libc::SEEK_SET,
            1 => libc::SEEK_CUR,
            2 => libc::SEEK_END,
            _ => {
                return Err(
                    vm.value_error(format!("invalid whence ({whence}, should be 0, 1 or 2)"))
                );
            }
        };
        // SAFETY: lseek on an open descriptor.
        let r = unsafe { libc::lseek(self.fd, pos, w) };
        if r < 0 {
            return Err(last_os_error(vm, None));
        }
        self.seekable = 1;
        Ok(r)
    }

    pub fn is_seekable(&mut self, vm: &mut Vm) -> PyResult<bool> {
        self.check_open(vm)?;
        if self.seekable < 0 {
            // SAFETY: lseek on an open descriptor.
            let r = unsafe { libc::lseek(self.fd, 0, libc::SEEK_CUR) };
            self.seekable = if r < 0 { 0 } else { 1 };
        }
        Ok(self.seekable == 1)
    }

    pub fn truncate(&mut self, vm: &mut Vm, size: Option<i64>) -> PyResult<i64> {
        self.check_writable(vm)?;
        let size = match size {
            Some(s) => s,
            None => self.seek(vm, 0, 1)?,
        };
        // SAFETY: ftruncate on an open descriptor.
        if unsafe { libc::ftruncate(self.fd, size) } != 0 {
            return Err(last_os_error(vm, None));
        }
        Ok(size)
    }

    pub fn close(&mut self, vm: &mut Vm) -> PyResult<()> {
        if self.fd < 0 {
            return Ok(());
        }
        let fd = self.fd;
        self.fd = -1;
        // SAFETY: closing a descriptor this object owns.
        if self.closefd && unsafe { libc::close(fd) } != 0 {
            return Err(last_os_error(vm, None));
        }
        Ok(())
    }

    pub fn mode(&self) -> &'static str {
        match (self.created, self.appending, self.readable, self.writable) {
            (true, _, true, _) => "xb+",
            (true, _, false, _) => "xb",
            (_, true, true, _) => "ab+",
            (_, true, false, _) => "ab",
            (_, _, true, true) => "rb+",
            (_, _, true, false) => "rb",
            _ => "wb",
        }
    }

    pub fn isatty(&self, vm: &mut Vm) -> PyResult<bool> {
        self.check_open(vm)?;
        // SAFETY: isatty on an open descriptor.
        Ok(unsafe { libc::isatty(self.fd) } == 1)
    }
}

const DEFAULT_CHUNK: usize = 8192;

/// `FileIO(file, mode='r', closefd=True, opener=None)`.
fn init(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let slf = super::this(vm, a, "__init__")?;
    let p = parse_args(
        vm,
        "FileIO",
        a,
        1,
        &["file", "mode", "closefd", "opener"],
        1,
    )?;
    let file = p[0].cloned().unwrap_or_else(Value::none);
    let mode = match p[1] {
        None => "r".to_string(),
        Some(m) => match as_str(m) {
            Some(s) => s.to_string(),
            None => {
                let tn = type_name(m);
                return Err(
                    vm.type_error(format!("FileIO() argument 'mode' must be str, not {tn}"))
                );
            }
        },
    };
    let closefd = match p[2] {
        Some(v) => crate::ops::truthy(vm, v)?,
        None => true,
    };
    let opener = p[3].filter(|v| !v.is_none()).cloned();
    let state = open_fd(vm, &file, &mode, closefd, opener.as_ref())?;
    if !state.1.is_none() {
        crate::ops::generic_setattr(vm, slf, "name", state.1.clone())?;
    }
    set_state(vm, slf, Native::File(IoLock::new(state.0)))?;
    Ok(Value::none())
}

/// Parse the mode, open the file (or adopt the descriptor) and build the state.
/// Returns the state and the value for `name`.
pub fn open_fd(
    vm: &mut Vm,
    file: &Value,
    mode: &str,
    closefd: bool,
    opener: Option<&Value>,
) -> PyResult<(FileState, Value)> {
    if file.is_float() {
        return Err(vm.type_error("integer argument expected, got float"));
    }
    let fd_given = crate::types::int::as_int(file).is_some();
    let mut fd = -1i32;
    if fd_given {
        let n = crate::ops::to_isize(vm, file)?;
        if n < 0 {
            return Err(vm.value_error("negative file descriptor"));
        }
        fd = n as i32;
    }
    let (mut readable, mut writable, mut appending, mut created) = (false, false, false, false);
    let mut plus = false;
    let mut rwa = false;
    let bad = |vm: &mut Vm| -> crate::vm::PyErr {
        vm.value_error(
            "Must have exactly one of create/read/write/append mode and at most one plus",
        )
    };
    let mut flags = 0;
    for c in mode.chars() {
        match c {
            'x' | 'r' | 'w' | 'a' => {
                if rwa {
                    return Err(bad(vm));
                }
                rwa = true;
                match c {
                    'x' => {
                        created = true;
                        writable = true;
                        flags |= libc::O_EXCL | libc::O_CREAT;
                    }
                    'r' => readable = true,
                    'w' => {
                        writable = true;
                        flags |= libc::O_CREAT | libc::O_TRUNC;
                    }
                    _ => {
                        writable = true;
                        appending = true;
                        flags |= libc::O_APPEND | libc::O_CREAT;
                    }
                }
            }
            'b' => {}
            '+' => {
                if plus {
                    return Err(bad(vm));
                }
                readable = true;
                writable = true;
                plus = true;
            }
            _ => return Err(vm.value_error(format!("invalid mode: {mode}"))),
        }
    }
    if !rwa {
        return Err(bad(vm));
    }
    flags |= if readable && writable {
        libc::O_RDWR
    } else if readable {
        libc::O_RDONLY
    } else {
        libc::O_WRONLY
    };
    flags |= libc::O_CLOEXEC;
    let name;
    if fd_given {
        name = file.clone();
    } else {
        if !closefd {
            return Err(vm.value_error("Cannot use closefd=False with file name"));
        }
        let path = fspath(vm, file)?;
        name = file.clone();
        if let Some(op) = opener {
            let r = vm.call(op, &[name.clone(), Value::int(flags as i64)])?;
            if crate::types::int::as_int(&r).is_none() {
                return Err(vm.type_error("expected integer from opener"));
            }
            let n = crate::ops::to_isize(vm, &r)?;
            if n < 0 {
                return Err(vm.value_error(format!("opener returned {n}")));
            }
            fd = n as i32;
        } else {
            let Ok(c) = std::ffi::CString::new(path) else {
                return Err(vm.value_error("embedded null byte"));
            };
            loop {
                // SAFETY: c is a NUL-terminated path.
                let r = unsafe { libc::open(c.as_ptr(), flags, 0o666) };
                if r >= 0 {
                    fd = r;
                    break;
                }
                let e = std::io::Error::last_os_error().raw_os_error().unwrap_or(0);
                if e != libc::EINTR {
                    return Err(os_error(vm, e, Some(&name)));
                }
            }
        }
    }
    let mut st = FileState {
        fd,
        readable,
        writable,
        appending,
        created,
        closefd: if fd_given { closefd } else { true },
        seekable: -1,
        blksize: DEFAULT_CHUNK as i64,
    };
    // SAFETY: fstat into a zeroed struct.
    let mut sb: libc::stat = unsafe { std::mem::zeroed() };
    // SAFETY: fd is a descriptor (fstat reports EBADF otherwise).
    if unsafe { libc::fstat(fd, &mut sb) } != 0 {
        let e = std::io::Error::last_os_error().raw_os_error().unwrap_or(0);
        st.fd = -1;
        if e == libc::EBADF {
            return Err(os_error(vm, e, None));
        }
    } else {
        if sb.st_mode & libc::S_IFMT == libc::S_IFDIR {
            let e = os_error(vm, libc::EISDIR, Some(&name));
            return Err(e);
        }
        if sb.st_blksize > 1 {
            st.blksize = sb.st_blksize;
        }
    }
    if appending {
        // SAFETY: lseek on an open descriptor; failure (a pipe) is ignored as CPython does.
        unsafe { libc::lseek(fd, 0, libc::SEEK_END) };
    }
    Ok((st, name))
}

/// `os.fspath` for paths, as the bytes the C library takes: a str encoded as
/// `os.fsencode` does (UTF-8, lone surrogates U+DC80..U+DCFF back to bytes), bytes as
/// they are, or an object with `__fspath__`.
pub fn fspath(vm: &mut Vm, v: &Value) -> PyResult<Vec<u8>> {
    let mut v = v.clone();
    if as_str(&v).is_none()
        && v.downcast::<BytesObj>().is_none()
        && let Some(f) = crate::vm::lookup_special(&v, "__fspath__")
    {
        let r = vm.call(&f, std::slice::from_ref(&v))?;
        if as_str(&r).is_none() && r.downcast::<BytesObj>().is_none() {
            let (tn, rn) = (type_name(&v), type_name(&r));
            return Err(vm.type_error(format!(
                "expected {tn}.__fspath__() to return str or bytes, not {rn}"
            )));
        }
        v = r;
    }
    if let Some((s, surr)) = crate::types::str::as_str_flag(&v) {
        if surr {
            return crate::modules::posix::path::fs_encode(vm, s);
        }
        return Ok(s.as_bytes().to_vec());
    }
    if let Some(b) = v.downcast::<BytesObj>() {
        return Ok(b.data.to_vec());
    }
    let tn = type_name(&v);
    Err(vm.type_error(format!(
        "expected str, bytes or os.PathLike object, not {tn}"
    )))
}

fn read(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (slf, r) = method_pos(vm, "read", a, 0, 1)?;
    let n = size_arg(vm, r.first())?;
    let out = with_file(vm, slf, |vm, st| {
        if n < 0 {
            st.read_all(vm)
        } else {
            st.read_some(vm, n as usize)
        }
    })?;
    Ok(out.map(BytesObj::new_value).unwrap_or_else(Value::none))
}

fn readall(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (slf, _) = method_pos(vm, "readall", a, 0, 0)?;
    let out = with_file(vm, slf, |vm, st| st.read_all(vm))?;
    Ok(out.map(BytesObj::new_value).unwrap_or_else(Value::none))
}

fn readinto(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (slf, r) = method_pos(vm, "readinto", a, 1, 1)?;
    let buf = super::writable_buffer(vm, &r[0])?;
    let n = buf.len();
    let got = with_file(vm, slf, |vm, st| st.read_some(vm, n))?;
    match got {
        None => Ok(Value::none()),
        Some(b) => {
            buf.fill(vm, &b)?;
            Ok(Value::int(b.len() as i64))
        }
    }
}

fn write(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (slf, r) = method_pos(vm, "write", a, 1, 1)?;
    let data = bytes_like(vm, &r[0])?;
    let n = with_file(vm, slf, |vm, st| st.write_all(vm, &data))?;
    Ok(n.map(|n| Value::int(n as i64)).unwrap_or_else(Value::none))
}

fn seek(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (slf, r) = method_pos(vm, "seek", a, 1, 2)?;
    let pos = int_arg(vm, &r[0])?;
    let whence = match r.get(1) {
        Some(w) => int_arg(vm, w)?,
        None => 0,
    };
    let p = with_file(vm, slf, |vm, st| st.seek(vm, pos, whence))?;
    Ok(Value::int(p))
}

fn tell(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (slf, _) = method_pos(vm, "tell", a, 0, 0)?;
    let p = with_file(vm, slf, |vm, st| st.seek(vm, 0, 1))?;
    Ok(Value::int(p))
}

fn truncate(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (slf, r) = method_pos(vm, "truncate", a, 0, 1)?;
    let size = match r.first() {
        Some(v) if !v.is_none() => Some(int_arg(vm, v)?),
        _ => None,
    };
    let n = with_file(vm, slf, |vm, st| st.truncate(vm, size))?;
    Ok(Value::int(n))
}

fn close(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (slf, _) = method_pos(vm, "close", a, 0, 0)?;
    // Like CPython: the base class's close runs first (it flushes and marks the
    // object closed), then the descriptor is closed.
    let r = super::iobase::base_close(vm, slf);
    with_file(vm, slf, |vm, st| st.close(vm))?;
    super::finalize::unwatch(slf);
    if let Some(st) = state_of(slf)
        && let Some(l) = file_lock(&st)
    {
        l.flag.store(true, std::sync::atomic::Ordering::Release);
    }
    r?;
    Ok(Value::none())
}

fn seekable(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (slf, _) = method_pos(vm, "seekable", a, 0, 0)?;
    let b = with_file(vm, slf, |vm, st| st.is_seekable(vm))?;
    Ok(Value::bool(b))
}

fn readable(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (slf, _) = method_pos(vm, "readable", a, 0, 0)?;
    let b = with_file(vm, slf, |vm, st| {
        st.check_open(vm)?;
        Ok(st.readable)
    })?;
    Ok(Value::bool(b))
}

fn writable(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (slf, _) = method_pos(vm, "writable", a, 0, 0)?;
    let b = with_file(vm, slf, |vm, st| {
        st.check_open(vm)?;
        Ok(st.writable)
    })?;
    Ok(Value::bool(b))
}

fn fileno(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (slf, _) = method_pos(vm, "fileno", a, 0, 0)?;
    let fd = with_file(vm, slf, |vm, st| {
        st.check_open(vm)?;
        Ok(st.fd)
    })?;
    Ok(Value::int(fd as i64))
}

fn isatty(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (slf, _) = method_pos(vm, "isatty", a, 0, 0)?;
    let b = with_file(vm, slf, |vm, st| st.isatty(vm))?;
    Ok(Value::bool(b))
}

fn repr(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (slf, _) = method_pos(vm, "__repr__", a, 0, 0)?;
    let cls = "_io.FileIO";
    let (fd, mode, closefd) = with_file(vm, slf, |_, st| Ok((st.fd, st.mode(), st.closefd)))?;
    if fd < 0 {
        return Ok(new_str(&format!("<{cls} [closed]>")));
    }
    let cfd = if closefd { "True" } else { "False" };
    let s = match super::name_repr(vm, slf)? {
        Some(n) => format!("<{cls} name={n} mode='{mode}' closefd={cfd}>"),
        None => format!("<{cls} fd={fd} mode='{mode}' closefd={cfd}>"),
    };
    Ok(new_str(&s))
}

fn closed(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let slf = super::this(vm, a, "closed")?;
    let b = with_file(vm, slf, |_, st| Ok(st.fd < 0))?;
    Ok(Value::bool(b))
}

fn closefd(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let slf = super::this(vm, a, "closefd")?;
    let b = with_file(vm, slf, |_, st| Ok(st.closefd))?;
    Ok(Value::bool(b))
}

fn mode(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let slf = super::this(vm, a, "mode")?;
    let m = with_file(vm, slf, |_, st| Ok(st.mode()))?;
    Ok(new_str(m))
}

fn blksize(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let slf = super::this(vm, a, "_blksize")?;
    let m = with_file(vm, slf, |_, st| Ok(st.blksize))?;
    Ok(Value::int(m))
}

/// Is `v` a FileIO the buffered layer may drive natively?
pub fn is_native(v: &Value) -> bool {
    super::is_exact(v, &io_types().file_io)
}
