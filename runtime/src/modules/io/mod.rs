//! `_io`: the native core of CPython's `io` module (files, in-memory streams, buffering
//! and text decoding), written in Rust under CPython's names.
//!
//! Layout. Every `_io` class is a class object made with `new_class`, so Python code
//! subclasses it like any Python class (`class IOBase(_io._IOBase, metaclass=ABCMeta)`,
//! `class MyIO(io.StringIO)`) and special methods (`__iter__`, `__enter__`, `__repr__`)
//! are found by the ordinary lookup. The methods are native functions in the class
//! dicts. A concrete class keeps its Rust state in a hidden `__slots__` entry
//! ([`SLOT`]) of its instances: one `IoStateObj` per stream, created by `__init__`, so
//! a subclass whose `__init__` does not call the base's sees "I/O operation on
//! uninitialized object" as in CPython. The abstract bases keep no state (their
//! `closed` flag is the `__IOBase_closed` instance attribute, as CPython's is).
//!
//! Layers call each other natively when the inner object is exactly a native class
//! (TextIOWrapper -> BufferedWriter -> FileIO) and through Python method calls
//! otherwise, so Python subclasses and user-written raw streams work under them.
//!
//! Threads. Each state sits behind an [`IoLock`]: a mutex taken for the whole
//! operation, waited for detached (so a stop-the-world never waits on it), and
//! re-entered from the same thread only as an error ("reentrant call"), as CPython's
//! buffered objects do. A layer takes its inner layer's lock while holding its own,
//! never the other way round, so the locks cannot deadlock among themselves.
mod buffered;
mod bytesio;
mod codec;
pub(crate) mod fileio;
pub mod finalize;
mod iobase;
mod newline;
mod open;
pub mod stringio;
mod textio;

use std::sync::OnceLock;
use std::sync::atomic::{AtomicU64, Ordering};

use stitch_stencils::value::RawValue;

use crate::builtins::type_name;
use crate::types::class::{Kind, as_type};
use crate::types::dict::DictObj;
use crate::types::func::{NativeFn, new_builtin, new_module_builtin};
use crate::types::instance::Instance;
use crate::types::str::new_str;
use crate::types::tuple::TupleObj;
use crate::value::{PyPayload, Value};
use crate::vm::{Args, PyErr, PyResult, Vm};
use crate::world::types;

pub use textio::{make_std_streams, print_to, readline_native, stdout_flush};

/// `io.DEFAULT_BUFFER_SIZE`.
pub const DEFAULT_BUFFER_SIZE: usize = 8192;

/// Name of the hidden instance slot holding a concrete stream's `IoStateObj`. The
/// class gets no member descriptor for it (`make_type` takes it out of the class
/// dict), so no Python attribute reaches it.
const SLOT: &str = "_stitch_io_state";

/// The `_io` class objects (immortal), created on first use.
pub struct IoTypes {
    pub iobase: Value,
    pub raw_iobase: Value,
    pub buffered_iobase: Value,
    pub text_iobase: Value,
    pub file_io: Value,
    pub bytes_io: Value,
    pub string_io: Value,
    pub buffered_reader: Value,
    pub buffered_writer: Value,
    pub buffered_random: Value,
    pub buffered_rwpair: Value,
    pub text_io_wrapper: Value,
    pub newline_decoder: Value,
    pub unsupported: Value,
}

// SAFETY: the class objects are immortal and never mutated through these handles
// after creation; reference counting skips immortal objects.
unsafe impl Sync for IoTypes {}
// SAFETY: see above.
unsafe impl Send for IoTypes {}

static IO_TYPES: OnceLock<IoTypes> = OnceLock::new();

pub fn io_types() -> &'static IoTypes {
    IO_TYPES.get_or_init(create_types)
}

fn make_type(name: &str, module: &str, bases: &[&Value], concrete: bool) -> Value {
    let ns = DictObj::new();
    ns.set_str("__module__", new_str(module));
    if concrete {
        ns.set_str(
            "__slots__",
            // (Instances keep the `__dict__` their abstract base gives them.)
            TupleObj::from_items([new_str(SLOT)]),
        );
    }
    let bases: Vec<Value> = bases.iter().map(|b| (*b).clone()).collect();
    let meta = Value::from_borrowed(types().type_);
    match crate::types::class::new_class(name, name, bases, &ns, &meta) {
        Ok(c) => {
            crate::object::make_immortal(c.raw());
            if concrete && let Some(td) = crate::types::class::as_type(&c) {
                let member = td.dict.d.with(|d| d.remove_str(SLOT));
                drop(member);
            }
            c
        }
        Err((_, msg)) => unreachable!("_io class {name}: {msg}"),
    }
}

fn create_types() -> IoTypes {
    let t = types();
    let object = Value::from_borrowed(t.object);
    let iobase = make_type("_IOBase", "_io", &[&object], false);
    let raw_iobase = make_type("_RawIOBase", "_io", &[&iobase], false);
    let buffered_iobase = make_type("_BufferedIOBase", "_io", &[&iobase], false);
    let text_iobase = make_type("_TextIOBase", "_io", &[&iobase], false);
    let file_io = make_type("FileIO", "_io", &[&raw_iobase], true);
    let bytes_io = make_type("BytesIO", "_io", &[&buffered_iobase], true);
    let string_io = make_type("StringIO", "_io", &[&text_iobase], true);
    let buffered_reader = make_type("BufferedReader", "_io", &[&buffered_iobase], true);
    let buffered_writer = make_type("BufferedWriter", "_io", &[&buffered_iobase], true);
    let buffered_random = make_type("BufferedRandom", "_io", &[&buffered_iobase], true);
    let buffered_rwpair = make_type("BufferedRWPair", "_io", &[&buffered_iobase], true);
    let text_io_wrapper = make_type("TextIOWrapper", "_io", &[&text_iobase], true);
    let newline_decoder = make_type("IncrementalNewlineDecoder", "_io", &[&object], true);
    let unsupported = make_type(
        "UnsupportedOperation",
        "io",
        &[
            &Value::from_borrowed(t.os_error),
            &Value::from_borrowed(t.value_error),
        ],
        false,
    );
    let io = IoTypes {
        iobase,
        raw_iobase,
        buffered_iobase,
        text_iobase,
        file_io,
        bytes_io,
        string_io,
        buffered_reader,
        buffered_writer,
        buffered_random,
        buffered_rwpair,
        text_io_wrapper,
        newline_decoder,
        unsupported,
    };
    iobase::install(&io);
    fileio::install(&io);
    bytesio::install(&io);
    stringio::install(&io);
    buffered::install(&io);
    textio::install(&io);
    newline::install(&io);
    // The classes live as long as the process: so does everything their dicts hold
    // (the exit-time cleanup of heap classes must not free it).
    for t in [
        &io.iobase,
        &io.raw_iobase,
        &io.buffered_iobase,
        &io.text_iobase,
        &io.file_io,
        &io.bytes_io,
        &io.string_io,
        &io.buffered_reader,
        &io.buffered_writer,
        &io.buffered_random,
        &io.buffered_rwpair,
        &io.text_io_wrapper,
        &io.newline_decoder,
        &io.unsupported,
    ] {
        if let Some(td) = as_type(t) {
            for v in td.dict.values() {
                crate::object::make_immortal(v.raw());
            }
        }
    }
    io
}

/// The `_io` module object.
pub fn make_module(vm: &mut Vm) -> PyResult<Value> {
    let io = io_types();
    let m = crate::import::new_module("_io", None);
    // SAFETY: new_module returns a module object.
    let d = unsafe { m.payload_unchecked::<crate::types::module::ModuleObj>() }.dict();
    // `io.open is open`: the builtin is this module's function.
    let open = vm
        .builtins_dict()
        .get_str("open")
        .unwrap_or_else(|| new_builtin("open", open::open));
    d.set_str("open", open);
    for (name, f) in [
        ("open_code", open::open_code as NativeFn),
        ("text_encoding", open::text_encoding),
    ] {
        d.set_str(name, new_module_builtin(name, f, "io"));
    }
    for (name, v) in [
        ("_IOBase", &io.iobase),
        ("_RawIOBase", &io.raw_iobase),
        ("_BufferedIOBase", &io.buffered_iobase),
        ("_TextIOBase", &io.text_iobase),
        ("FileIO", &io.file_io),
        ("BytesIO", &io.bytes_io),
        ("StringIO", &io.string_io),
        ("BufferedReader", &io.buffered_reader),
        ("BufferedWriter", &io.buffered_writer),
        ("BufferedRandom", &io.buffered_random),
        ("BufferedRWPair", &io.buffered_rwpair),
        ("TextIOWrapper", &io.text_io_wrapper),
        ("IncrementalNewlineDecoder", &io.newline_decoder),
        ("UnsupportedOperation", &io.unsupported),
    ] {
        d.set_str(name, v.clone());
    }
    d.set_str(
        "BlockingIOError",
        Value::from_borrowed(types().blocking_io_error),
    );
    d.set_str(
        "DEFAULT_BUFFER_SIZE",
        Value::int(DEFAULT_BUFFER_SIZE as i64),
    );
    Ok(m)
}

/// Is `f` exactly a native TextIOWrapper (which `print` writes to natively)?
pub fn is_native_text(f: &Value) -> bool {
    is_exact(f, &io_types().text_io_wrapper)
}

/// The builtin `open`: `_io.open`.
pub fn builtin_open(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    open::open(vm, a)
}

// ---- native state -----------------------------------------------------------------

/// A mutex around one stream's state that reports re-entry from its own thread as
/// CPython's `RuntimeError: reentrant call` instead of deadlocking.
pub struct IoLock<T> {
    owner: AtomicU64,
    /// A flag readable without the lock: "closed" for FileIO (the buffered and text
    /// layers check it on every write).
    pub flag: std::sync::atomic::AtomicBool,
    /// State published for lock-free readers: TextIOWrapper's print fast path (its
    /// flags, and the buffer's state object in `aux`).
    pub bits: std::sync::atomic::AtomicU32,
    pub aux: AtomicU64,
    m: parking_lot::Mutex<T>,
}

pub struct IoGuard<'a, T> {
    owner: &'a AtomicU64,
    g: parking_lot::MutexGuard<'a, T>,
}

impl<T> std::ops::Deref for IoGuard<'_, T> {
    type Target = T;
    fn deref(&self) -> &T {
        &self.g
    }
}

impl<T> std::ops::DerefMut for IoGuard<'_, T> {
    fn deref_mut(&mut self) -> &mut T {
        &mut self.g
    }
}

impl<T> Drop for IoGuard<'_, T> {
    fn drop(&mut self) {
        self.owner.store(0, Ordering::Relaxed);
    }
}

impl<T> IoLock<T> {
    pub fn new(v: T) -> Self {
        IoLock {
            owner: AtomicU64::new(0),
            flag: std::sync::atomic::AtomicBool::new(false),
            bits: std::sync::atomic::AtomicU32::new(0),
            aux: AtomicU64::new(0),
            m: parking_lot::Mutex::new(v),
        }
    }

    pub fn lock(&self, vm: &mut Vm, obj: &Value) -> PyResult<IoGuard<'_, T>> {
        self.lock_with(vm, || qualified_name(obj))
    }

    /// Lock; `what` names the object in the error for a re-entrant call.
    pub fn lock_with(
        &self,
        vm: &mut Vm,
        what: impl FnOnce() -> String,
    ) -> PyResult<IoGuard<'_, T>> {
        let me = crate::object::current_tid();
        let g = match self.m.try_lock() {
            Some(g) => g,
            None => {
                if self.owner.load(Ordering::Relaxed) == me {
                    let what = what();
                    return Err(vm.runtime_error(format!("reentrant call inside <_io.{what}>")));
                }
                crate::thread_state::blocking(|| self.m.lock())
            }
        };
        self.owner.store(me, Ordering::Relaxed);
        Ok(IoGuard {
            owner: &self.owner,
            g,
        })
    }

    /// For finalization paths without a VM: wait for the lock if another thread has it.
    pub fn lock_plain(&self) -> Option<parking_lot::MutexGuard<'_, T>> {
        if self.owner.load(Ordering::Relaxed) == crate::object::current_tid() {
            return None;
        }
        Some(self.m.lock())
    }

    /// At exit: a daemon thread may hold the lock forever, so wait only briefly.
    pub fn lock_at_exit(&self) -> Option<parking_lot::MutexGuard<'_, T>> {
        if self.owner.load(Ordering::Relaxed) == crate::object::current_tid() {
            return None;
        }
        self.m.try_lock_for(std::time::Duration::from_millis(100))
    }
}

/// The state of one concrete stream.
pub enum Native {
    File(IoLock<fileio::FileState>),
    Bytes(IoLock<bytesio::BytesState>),
    Str(IoLock<stringio::StringState>),
    Buffered(std::sync::Arc<IoLock<buffered::BufState>>),
    Pair(buffered::PairState),
    Text(IoLock<textio::TextState>),
    Decoder(IoLock<newline::NlDecoder>),
}

/// The hidden-slot object holding a stream's `Native` state.
pub struct IoStateObj {
    pub s: Native,
}

impl PyPayload for IoStateObj {
    fn class() -> RawValue {
        types().io_state
    }
}

/// Index of the hidden state slot in instances of `obj`'s class.
fn slot_index(obj: &Value) -> Option<usize> {
    if !obj.is_ptr() {
        return None;
    }
    let td = obj.type_data();
    if td.kind != Kind::Object {
        return None;
    }
    let slots = td.slots.as_ref()?;
    if slots.first().is_some_and(|s| s == SLOT) {
        return Some(0);
    }
    slots.iter().position(|s| s == SLOT)
}

/// The state object of a concrete stream (None before `__init__` ran or for objects
/// of other classes).
pub fn state_of(obj: &Value) -> Option<Value> {
    let i = if obj.is_ptr() && obj.type_raw() == io_types().text_io_wrapper.raw() {
        // The one class `print` meets: its hidden slot is the first.
        0
    } else {
        slot_index(obj)?
    };
    // SAFETY: Kind::Object instances are `Instance`s (checked by slot_index).
    let inst = unsafe { obj.payload_unchecked::<Instance>() };
    let v = inst.slots.read(|s| s.get(i).cloned())?;
    if v.is_null() || v.downcast_exact::<IoStateObj>().is_none() {
        None
    } else {
        Some(v)
    }
}

/// Install a state object (an `IoStateObj`) in `obj`'s hidden slot.
pub fn set_state_object(vm: &mut Vm, obj: &Value, v: Value) -> PyResult<()> {
    let Some(i) = slot_index(obj) else {
        let tn = type_name(obj);
        return Err(vm.type_error(format!("'{tn}' object is not an _io stream")));
    };
    // SAFETY: Kind::Object instances are `Instance`s (checked by slot_index).
    let inst = unsafe { obj.payload_unchecked::<Instance>() };
    let old = inst.slots.with(|s| std::mem::replace(&mut s[i], v));
    drop(old);
    Ok(())
}

/// Install a fresh state in `obj`'s hidden slot.
pub fn set_state(vm: &mut Vm, obj: &Value, s: Native) -> PyResult<()> {
    let Some(i) = slot_index(obj) else {
        let tn = type_name(obj);
        return Err(vm.type_error(format!("'{tn}' object is not an _io stream")));
    };
    // Objects that may own a descriptor are finalized if they die open.
    let watched = match &s {
        Native::File(l) => l.lock_plain().is_some_and(|f| f.closefd && f.fd >= 0),
        Native::Buffered(_) | Native::Text(_) => true,
        _ => false,
    };
    if watched {
        finalize::watch(obj);
    }
    let v = Value::alloc(IoStateObj { s });
    // SAFETY: Kind::Object instances are `Instance`s (checked by slot_index).
    let inst = unsafe { obj.payload_unchecked::<Instance>() };
    let old = inst.slots.with(|s| std::mem::replace(&mut s[i], v));
    drop(old);
    Ok(())
}

pub fn uninitialized(vm: &mut Vm) -> PyErr {
    vm.value_error("I/O operation on uninitialized object")
}

/// `self` of a method call: the first positional argument.
pub fn this<'a>(vm: &mut Vm, a: &Args<'a>, name: &str) -> PyResult<&'a Value> {
    match a.args.first() {
        Some(v) if a.args.len() > a.kwnames.len() => Ok(v),
        _ => Err(vm.type_error(format!("descriptor '{name}' needs an argument"))),
    }
}

// ---- errors -----------------------------------------------------------------------

pub fn unsupported(_vm: &mut Vm, msg: &str) -> PyErr {
    let cls = io_types().unsupported.clone();
    let exc = crate::vm::new_instance_of(&cls, vec![new_str(msg)]);
    PyErr { exc }
}

pub fn closed_error(vm: &mut Vm, dot: bool) -> PyErr {
    vm.value_error(if dot {
        "I/O operation on closed file."
    } else {
        "I/O operation on closed file"
    })
}

/// An OSError (or the subclass for `errno`) with CPython's message and attributes.
pub fn os_error(vm: &mut Vm, errno: i32, filename: Option<&Value>) -> PyErr {
    let t = types();
    let ty = match errno {
        libc::ENOENT => t.file_not_found_error,
        libc::EEXIST => t.file_exists_error,
        libc::EACCES | libc::EPERM => t.permission_error,
        libc::EISDIR => t.is_a_directory_error,
        libc::ENOTDIR => t.not_a_directory_error,
        libc::EAGAIN => t.blocking_io_error,
        libc::EINTR => t.interrupted_error,
        libc::EPIPE => t.broken_pipe_error,
        _ => t.os_error,
    };
    let msg = std::io::Error::from_raw_os_error(errno).to_string();
    let strerror = match msg.find(" (os error") {
        Some(i) => msg[..i].to_string(),
        None => msg,
    };
    let text = match filename {
        Some(f) => {
            let r = crate::ops::repr(vm, f).unwrap_or_default();
            format!("[Errno {errno}] {strerror}: {r}")
        }
        None => format!("[Errno {errno}] {strerror}"),
    };
    let e = vm.err(ty, text);
    let _ = crate::ops::generic_setattr(vm, &e.exc, "errno", Value::int(errno as i64));
    let _ = crate::ops::generic_setattr(vm, &e.exc, "strerror", new_str(&strerror));
    let f = filename.cloned().unwrap_or_else(Value::none);
    let _ = crate::ops::generic_setattr(vm, &e.exc, "filename", f);
    e
}

pub fn last_os_error(vm: &mut Vm, filename: Option<&Value>) -> PyErr {
    let errno = std::io::Error::last_os_error().raw_os_error().unwrap_or(0);
    os_error(vm, errno, filename)
}

// ---- argument parsing ------------------------------------------------------------

/// Positional-or-keyword arguments of a native function, CPython style: `names` in
/// order, the first `required` mandatory. `skip` leading positionals (self) are not
/// counted. Returns one optional value per name.
pub fn parse_args<'a>(
    vm: &mut Vm,
    fname: &str,
    a: &Args<'a>,
    skip: usize,
    names: &[&str],
    required: usize,
) -> PyResult<Vec<Option<&'a Value>>> {
    let pos = &a.pos()[skip.min(a.pos().len())..];
    if pos.len() > names.len() {
        let n = names.len();
        let msg = if required == n {
            format!(
                "{fname}() takes exactly {n} positional argument{} ({} given)",
                if n == 1 { "" } else { "s" },
                pos.len()
            )
        } else {
            format!(
                "{fname}() takes at most {n} argument{} ({} given)",
                if n == 1 { "" } else { "s" },
                pos.len()
            )
        };
        return Err(vm.type_error(msg));
    }
    let mut out: Vec<Option<&Value>> = vec![None; names.len()];
    for (i, v) in pos.iter().enumerate() {
        out[i] = Some(v);
    }
    for (k, v) in a.kw() {
        match names.iter().position(|n| *n == k) {
            Some(i) if out[i].is_some() => {
                return Err(vm.type_error(format!(
                    "argument for {fname}() given by name ('{k}') and position ({})",
                    i + 1
                )));
            }
            Some(i) => out[i] = Some(v),
            None => {
                return Err(vm.type_error(format!(
                    "'{k}' is an invalid keyword argument for {fname}()"
                )));
            }
        }
    }
    for (i, n) in names.iter().enumerate().take(required) {
        if out[i].is_none() {
            return Err(vm.type_error(format!(
                "{fname}() missing required argument '{n}' (pos {})",
                i + 1
            )));
        }
    }
    Ok(out)
}

/// Check the positional count of a method without keywords (self excluded):
/// CPython's "read expected at most 1 argument, got 2".
pub fn method_pos<'a>(
    vm: &mut Vm,
    name: &str,
    a: &Args<'a>,
    min: usize,
    max: usize,
) -> PyResult<(&'a Value, &'a [Value])> {
    let slf = this(vm, a, name)?;
    if a.has_kw() {
        return Err(vm.type_error(format!("{name}() takes no keyword arguments")));
    }
    let rest = &a.pos()[1..];
    if rest.len() > max || rest.len() < min {
        let msg = if max == 0 {
            let cls = qualified_name(slf);
            format!("{cls}.{name}() takes no arguments ({} given)", rest.len())
        } else if rest.len() > max {
            format!(
                "{name} expected at most {max} argument{}, got {}",
                if max == 1 { "" } else { "s" },
                rest.len()
            )
        } else {
            format!(
                "{name} expected at least {min} argument{}, got {}",
                if min == 1 { "" } else { "s" },
                rest.len()
            )
        };
        return Err(vm.type_error(msg));
    }
    Ok((slf, rest))
}

/// The name CPython shows for a native class in method errors (`StringIO`).
fn qualified_name(v: &Value) -> String {
    let mut td = v.type_data();
    // Report the _io class the method belongs to, not a Python subclass.
    let mro = td.mro.get_clone();
    for c in mro.iter() {
        if let Some(t) = as_type(c)
            && t.module.get_clone() == "_io"
        {
            td = t;
            break;
        }
    }
    td.name.clone()
}

/// CPython's `tp_name` of an object's class, as reprs show it: `_io.FileIO` for the
/// native classes, the bare name for Python subclasses.
pub fn tp_name(v: &Value) -> String {
    let td = v.type_data();
    let m = td.module.get_clone();
    if m == "_io" {
        format!("_io.{}", td.name)
    } else {
        td.name.clone()
    }
}

/// An optional size argument: None or missing -> -1, else an index.
pub fn size_arg(vm: &mut Vm, v: Option<&Value>) -> PyResult<i64> {
    match v {
        None => Ok(-1),
        Some(v) if v.is_none() => Ok(-1),
        Some(v) => {
            if v.is_float() || crate::types::int::as_int(v).is_none() && !has_index(v) {
                let tn = type_name(v);
                return Err(
                    vm.type_error(format!("argument should be integer or None, not '{tn}'"))
                );
            }
            crate::ops::to_isize(vm, v)
        }
    }
}

fn has_index(v: &Value) -> bool {
    crate::vm::lookup_special(v, "__index__").is_some()
}

/// An integer argument (`seek` positions, whence).
pub fn int_arg(vm: &mut Vm, v: &Value) -> PyResult<i64> {
    if v.is_float() {
        return Err(vm.type_error("'float' object cannot be interpreted as an integer"));
    }
    crate::ops::to_isize(vm, v)
}

/// The bytes of a bytes-like argument (any buffer exporter: bytes, bytearray,
/// memoryview, array.array...), or CPython's TypeError.
pub fn bytes_like(vm: &mut Vm, v: &Value) -> PyResult<Vec<u8>> {
    crate::modules::buffer::need(vm, v).map(std::borrow::Cow::into_owned)
}

/// A writable buffer argument (`readinto`): a bytearray or a writable, contiguous
/// memoryview (of a bytearray or an array).
pub enum WritableBuf<'a> {
    ByteArray(&'a crate::types::bytes::ByteArrayObj),
    View(&'a Value),
}

impl WritableBuf<'_> {
    /// Its size in bytes now (a bytearray may be resized by another thread later).
    pub fn len(&self) -> usize {
        match self {
            WritableBuf::ByteArray(b) => b.data.read(|d| d.len()),
            WritableBuf::View(v) => crate::types::memoryview::writable_len(v).unwrap_or(0),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Copy `data` to its start (clipped to its current size).
    pub fn fill(&self, vm: &mut Vm, data: &[u8]) -> PyResult<()> {
        match self {
            WritableBuf::ByteArray(b) => {
                b.data.with(|d| {
                    let k = data.len().min(d.len());
                    d[..k].copy_from_slice(&data[..k]);
                });
                Ok(())
            }
            WritableBuf::View(v) => {
                let k = data.len().min(self.len());
                crate::types::memoryview::write_prefix(vm, v, &data[..k])
            }
        }
    }
}

pub fn writable_buffer<'a>(vm: &mut Vm, v: &'a Value) -> PyResult<WritableBuf<'a>> {
    if let Some(b) = v.downcast::<crate::types::bytes::ByteArrayObj>() {
        return Ok(WritableBuf::ByteArray(b));
    }
    if crate::types::memoryview::writable_len(v).is_some() {
        return Ok(WritableBuf::View(v));
    }
    let tn = type_name(v);
    Err(vm.type_error(format!(
        "readinto() argument must be read-write bytes-like object, not {tn}"
    )))
}

// ---- helpers shared by the classes -------------------------------------------------

pub fn call_method(vm: &mut Vm, obj: &Value, name: &str, args: &[Value]) -> PyResult<Value> {
    let f = crate::ops::getattr_str(vm, obj, name)?;
    vm.call(&f, args)
}

pub fn truthy_method(vm: &mut Vm, obj: &Value, name: &str) -> PyResult<bool> {
    let r = call_method(vm, obj, name, &[])?;
    crate::ops::truthy(vm, &r)
}

/// Add a read-only (or read-write) property whose accessors are native functions.
pub fn add_property(ty: &Value, name: &'static str, get: NativeFn, set: Option<NativeFn>) {
    crate::modules::native_args::getset(ty, name, get, set);
}

pub fn add_methods(ty: &Value, fns: &[(&'static str, NativeFn)]) {
    for (n, f) in fns {
        crate::builtins::add_method(ty.raw(), n, *f);
    }
}

/// Is `v` an instance of exactly the native class `cls` (no Python subclass, whose
/// overrides must be called through Python)?
pub fn is_exact(v: &Value, cls: &Value) -> bool {
    v.is_ptr() && v.type_raw() == cls.raw()
}

/// `repr(name)` for stream reprs, or None when the object has no `name` attribute.
pub fn name_repr(vm: &mut Vm, obj: &Value) -> PyResult<Option<String>> {
    match crate::ops::getattr_opt(vm, obj, "name") {
        Ok(Some(n)) => Ok(Some(crate::ops::repr(vm, &n)?)),
        Ok(None) => Ok(None),
        Err(e) => {
            let t = types();
            if e.exc.type_data().is_subtype_raw(t.value_error)
                || e.exc.type_data().is_subtype_raw(t.attribute_error)
            {
                Ok(None)
            } else {
                Err(e)
            }
        }
    }
}

/// Flush every buffered writer still open (at exit, as CPython's finalization does).
pub fn flush_all_at_exit(vm: &mut Vm) {
    textio::flush_std_at_exit(vm);
    buffered::flush_all_writers();
}

/// `StopIteration()` with no arguments (the end of a stream's iteration).
pub fn stop_iteration(vm: &mut Vm) -> PyErr {
    PyErr {
        exc: vm.new_exception(types().stop_iteration, vec![]),
    }
}
