//! OSError's constructor protocol: `OSError(errno, strerror[, filename[, winerror[,
//! filename2]]])` sets `errno`, `strerror`, `filename`, `filename2` (the instance's
//! `args` keeps only the first two when a filename is given), `OSError(ENOENT, ...)`
//! builds a `FileNotFoundError` (the errno -> subclass map of PEP 3151), and `str()` is
//! `[Errno 2] No such file or directory: 'name'`. Native modules raise errors from a
//! C `errno` through [`from_errno`].
//!
//! The four fields live in the instance dict (class-level `None` defaults cover unset
//! ones), so `e.errno = 5` and subclasses need no special attribute code; CPython keeps
//! them in C slots, so its `e.__dict__` stays empty where stitch's shows them.
use super::{add_method, method_args};
use crate::ops;
use crate::types::class::type_data_raw;
use crate::types::dict::DictObj;
use crate::types::str::new_string;
use crate::types::tuple::TupleObj;
use crate::value::Value;
use crate::vm::{Args, PyErr, PyResult, Vm, exc_data};
use crate::world::{Types, types};
use stitch_stencils::value::RawValue;

const FIELDS: [&str; 4] = ["errno", "strerror", "filename", "filename2"];

pub fn install(t: &Types) {
    add_method(t.os_error, "__init__", os_error_init);
    add_method(t.os_error, "__str__", os_error_str);
    let d = &type_data_raw(t.os_error).dict;
    for f in FIELDS {
        d.set_str(f, Value::none());
    }
}

/// The subclass CPython picks for an errno when `OSError` itself is called.
fn subclass_for(errno: i64) -> Option<RawValue> {
    let t = types();
    let e = errno as i32;
    Some(match e {
        libc::EAGAIN | libc::EALREADY | libc::EINPROGRESS => t.blocking_io_error,
        libc::ECHILD => t.child_process_error,
        libc::EPIPE | libc::ESHUTDOWN => t.broken_pipe_error,
        libc::ECONNABORTED => t.connection_aborted_error,
        libc::ECONNREFUSED => t.connection_refused_error,
        libc::ECONNRESET => t.connection_reset_error,
        libc::EEXIST => t.file_exists_error,
        libc::ENOENT => t.file_not_found_error,
        libc::EISDIR => t.is_a_directory_error,
        libc::ENOTDIR => t.not_a_directory_error,
        libc::EINTR => t.interrupted_error,
        libc::EACCES | libc::EPERM => t.permission_error,
        libc::ESRCH => t.process_lookup_error,
        libc::ETIMEDOUT => t.timeout_error,
        _ => return None,
    })
}

/// What a call with `args` stores: the `args` tuple and the named fields.
struct Parsed {
    args: Vec<Value>,
    fields: [Option<Value>; 4],
    written: Option<Value>,
}

fn parse(cls: RawValue, args: &[Value]) -> Parsed {
    let mut out = Parsed {
        args: args.to_vec(),
        fields: [None, None, None, None],
        written: None,
    };
    if !(2..=5).contains(&args.len()) {
        return out;
    }
    out.fields[0] = Some(args[0].clone());
    out.fields[1] = Some(args[1].clone());
    if let Some(f) = args.get(2).filter(|f| !f.is_none()) {
        let blocking = type_data_raw(cls).is_subtype_raw(types().blocking_io_error);
        if blocking && crate::types::int::as_int(f).is_some() {
            out.written = Some(f.clone());
        } else {
            out.fields[2] = Some(f.clone());
            if let Some(f2) = args.get(4).filter(|f| !f.is_none()) {
                out.fields[3] = Some(f2.clone());
            }
            out.args.truncate(2);
        }
    }
    out
}

fn store(exc: &Value, p: Parsed) {
    if let Some(d) = exc_data(exc) {
        let args = TupleObj::new_value(p.args);
        let old = d.with(|d| std::mem::replace(&mut d.args, args));
        drop(old);
    }
    let Some(dict) = exc_dict(exc) else { return };
    for (name, v) in FIELDS.iter().zip(p.fields) {
        match v {
            Some(v) => dict.set_str(name, v),
            None => drop(dict.d.with(|d| d.remove_str(name))),
        }
    }
    if let Some(w) = p.written {
        dict.set_str("characters_written", w);
    }
}

fn exc_dict(exc: &Value) -> Option<&DictObj> {
    if exc.type_data().kind != crate::types::class::Kind::Object {
        return None;
    }
    // SAFETY: Kind::Object instances are `Instance`s.
    let inst = unsafe { exc.payload_unchecked::<crate::types::instance::Instance>() };
    inst.dict.downcast::<DictObj>()
}

/// A new instance of OSError subclass `cls` for the call arguments `args` (used by
/// `vm::new_instance_of` for every OSError subtype).
pub fn new_os_error(cls: &Value, args: Vec<Value>) -> Value {
    let mut cls = cls.clone();
    if cls.raw() == types().os_error
        && (2..=5).contains(&args.len())
        && let Some(e) = args[0].as_small_int()
        && let Some(sub) = subclass_for(e)
    {
        cls = Value::from_borrowed(sub);
    }
    let p = parse(cls.raw(), &args);
    let exc = crate::vm::new_instance_plain(&cls, vec![]);
    store(&exc, p);
    exc
}

/// `OSError.__init__`: parses the arguments again (a subclass overriding `__init__`
/// passes its own through `super().__init__`).
fn os_error_init(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let p = a.pos();
    let Some(s) = p.first() else {
        return Err(vm.type_error("descriptor '__init__' of 'OSError' object needs an argument"));
    };
    let parsed = parse(s.type_raw(), &p[1..]);
    store(s, parsed);
    Ok(Value::none())
}

fn field(vm: &mut Vm, s: &Value, name: &str) -> PyResult<Value> {
    Ok(ops::getattr_opt(vm, s, name)?.unwrap_or_else(Value::none))
}

fn os_error_str(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (s, _) = method_args(vm, "__str__", a, 0, 0)?;
    to_str(vm, s)
}

/// `str()` of an OSError: `[Errno N] message: 'filename'` when it has the fields.
pub fn to_str(vm: &mut Vm, s: &Value) -> PyResult<Value> {
    let errno = field(vm, s, "errno")?;
    let strerror = field(vm, s, "strerror")?;
    let filename = field(vm, s, "filename")?;
    let filename2 = field(vm, s, "filename2")?;
    if !filename.is_none() {
        let e = str_of(vm, &errno)?;
        let m = str_of(vm, &strerror)?;
        let f = ops::repr(vm, &filename)?;
        if !filename2.is_none() {
            let f2 = ops::repr(vm, &filename2)?;
            return Ok(new_string(format!("[Errno {e}] {m}: {f} -> {f2}")));
        }
        return Ok(new_string(format!("[Errno {e}] {m}: {f}")));
    }
    if !errno.is_none() && !strerror.is_none() {
        let e = str_of(vm, &errno)?;
        let m = str_of(vm, &strerror)?;
        return Ok(new_string(format!("[Errno {e}] {m}")));
    }
    let args = exc_data(s)
        .map(|d| d.with(|d| d.args.clone()))
        .unwrap_or_else(Value::none);
    let items = ops::seq_items_fast(&args).unwrap_or_default();
    match items.len() {
        0 => Ok(crate::types::str::new_str("")),
        1 => ops::str_value(vm, &items[0]),
        _ => ops::repr_value(vm, &args),
    }
}

fn str_of(vm: &mut Vm, v: &Value) -> PyResult<String> {
    let s = ops::str_value(vm, v)?;
    Ok(crate::types::str::as_str(&s).unwrap_or("").to_string())
}

/// The C library's message for `errno` (`strerror`).
pub fn strerror(errno: i32) -> String {
    let s = std::io::Error::from_raw_os_error(errno).to_string();
    match s.find(" (os error") {
        Some(i) => s[..i].to_string(),
        None => s,
    }
}

/// The OSError (subclass chosen from `errno`) CPython raises for a failed call, with
/// the path arguments it names.
pub fn from_errno(
    vm: &mut Vm,
    errno: i32,
    filename: Option<Value>,
    filename2: Option<Value>,
) -> PyErr {
    let mut args = vec![Value::int(errno as i64), new_string(strerror(errno))];
    if let Some(f) = filename {
        args.push(f);
        if let Some(f2) = filename2 {
            args.push(Value::none());
            args.push(f2);
        }
    }
    PyErr {
        exc: vm.new_exception(types().os_error, args),
    }
}

/// [`from_errno`] with the calling thread's current `errno`.
pub fn last(vm: &mut Vm, filename: Option<Value>) -> PyErr {
    let e = std::io::Error::last_os_error().raw_os_error().unwrap_or(0);
    from_errno(vm, e, filename, None)
}
