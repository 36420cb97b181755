//! `_sqlite3`: the SQLite driver the Lib's `sqlite3` package (`dbapi2.py`, `dump.py`)
//! is written on, over a real SQLite compiled in by `rusqlite`'s `bundled` feature.
//!
//! - `connection.rs`: `Connection` (transactions as CPython 3.11's legacy
//!   `isolation_level` control does them, user functions, aggregates, collations);
//! - `cursor.rs`: `Cursor` (binding, stepping, type conversion, `description`);
//! - `row.rs`: `Row`;
//! - `callbacks.rs`: SQLite calling back into Python;
//! - `ffi.rs`: the only place that calls SQLite's C API.
//!
//! This file: the module, its exception hierarchy (SQLite's result codes mapped to
//! exception classes as CPython maps them), adapters and converters.
mod callbacks;
mod codes;
mod connection;
mod cursor;
mod ffi;
mod row;

use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};

use stitch_stencils::value::RawValue;

use super::binascii::exception_type;
use super::native_args::{bind, module, set, unpack};
use crate::types::dict::DictObj;
use crate::types::str::{as_str, new_str, new_string};
use crate::types::tuple::TupleObj;
use crate::value::Value;
use crate::vm::{Args, PyErr, PyResult, Vm};
use crate::world::types;

/// The DB-API exception classes, in this order (indexes into `EXCS`; some are only
/// raised by Python code).
#[derive(Clone, Copy)]
pub enum Exc {
    Warning,
    Error,
    InterfaceError,
    DatabaseError,
    InternalError,
    OperationalError,
    ProgrammingError,
    IntegrityError,
    DataError,
    NotSupportedError,
}

const EXC_NAMES: [&str; 10] = [
    "Warning",
    "Error",
    "InterfaceError",
    "DatabaseError",
    "InternalError",
    "OperationalError",
    "ProgrammingError",
    "IntegrityError",
    "DataError",
    "NotSupportedError",
];

static EXCS: [AtomicU64; 10] = [const { AtomicU64::new(0) }; 10];
/// `adapters` and `converters` (immortal dicts, also module attributes).
static ADAPTERS: AtomicU64 = AtomicU64::new(0);
static CONVERTERS: AtomicU64 = AtomicU64::new(0);
/// Whether an adapter was registered for int, float, str or bytearray (then even
/// those are looked up in `adapters` before binding).
static BASE_TYPE_ADAPTED: AtomicBool = AtomicBool::new(false);

pub fn exc_class(e: Exc) -> Value {
    Value::from_borrowed(RawValue(EXCS[e as usize].load(Ordering::Acquire)))
}

pub fn err(vm: &mut Vm, e: Exc, msg: impl Into<String>) -> PyErr {
    vm.err(RawValue(EXCS[e as usize].load(Ordering::Acquire)), msg)
}

fn immortal_dict(cell: &AtomicU64) -> Value {
    Value::from_borrowed(RawValue(cell.load(Ordering::Acquire)))
}

fn dict_ref(cell: &AtomicU64) -> &'static DictObj {
    let v = immortal_dict(cell);
    // SAFETY: the cell holds an immortal dict made in `init` before any use.
    unsafe { &*(v.payload_unchecked::<DictObj>() as *const DictObj) }
}

/// Empties `adapters` and `converters` at exit (they hold the program's functions).
pub fn clear() {
    for cell in [&ADAPTERS, &CONVERTERS] {
        if cell.load(Ordering::Acquire) != 0 {
            let gone = dict_ref(cell).d.with(|d| d.clear());
            drop(gone);
        }
    }
}

/// The exception for SQLite's last error on `db`, as CPython's `_pysqlite_seterror`
/// chooses it, with `sqlite_errorcode` and `sqlite_errorname` set.
pub fn db_error(vm: &mut Vm, db: &ffi::DbHandle) -> PyErr {
    let code = db.errcode();
    let msg = db.errmsg();
    code_error(vm, code, msg)
}

pub fn code_error(vm: &mut Vm, code: i32, msg: String) -> PyErr {
    use rusqlite::ffi as f;
    let which = match code & 0xff {
        f::SQLITE_INTERNAL | f::SQLITE_NOTFOUND => Exc::InternalError,
        f::SQLITE_NOMEM => {
            return PyErr {
                exc: vm.new_exception(types().memory_error, vec![]),
            };
        }
        f::SQLITE_ERROR
        | f::SQLITE_PERM
        | f::SQLITE_ABORT
        | f::SQLITE_BUSY
        | f::SQLITE_LOCKED
        | f::SQLITE_READONLY
        | f::SQLITE_INTERRUPT
        | f::SQLITE_IOERR
        | f::SQLITE_FULL
        | f::SQLITE_CANTOPEN
        | f::SQLITE_PROTOCOL
        | f::SQLITE_EMPTY
        | f::SQLITE_SCHEMA => Exc::OperationalError,
        f::SQLITE_CORRUPT => Exc::DatabaseError,
        f::SQLITE_TOOBIG => Exc::DataError,
        f::SQLITE_CONSTRAINT | f::SQLITE_MISMATCH => Exc::IntegrityError,
        f::SQLITE_MISUSE | f::SQLITE_RANGE => Exc::InterfaceError,
        _ => Exc::DatabaseError,
    };
    let e = err(vm, which, msg);
    let name = codes::RESULT_CODES
        .iter()
        .find(|(_, v)| *v == code as i64)
        .map(|(n, _)| new_str(n))
        .unwrap_or_else(|| new_str("unknown"));
    let _ = crate::ops::setattr(
        vm,
        &e.exc,
        &new_str("sqlite_errorcode"),
        Value::int(code as i64),
    );
    let _ = crate::ops::setattr(vm, &e.exc, &new_str("sqlite_errorname"), name);
    e
}

// ---- VM access for callbacks -------------------------------------------------------

thread_local! {
    /// The VM of the SQLite call running on this thread (null outside one), for the
    /// callbacks SQLite makes into Python functions, aggregates and collations.
    static CURRENT_VM: std::cell::Cell<*mut Vm> = const { std::cell::Cell::new(std::ptr::null_mut()) };
}

/// Runs `f` (a call into SQLite that may call back into Python) with `vm` reachable
/// from the callbacks. `f` must not use `vm` itself.
pub fn with_vm<R>(vm: &mut Vm, f: impl FnOnce() -> R) -> R {
    let p: *mut Vm = vm;
    let prev = CURRENT_VM.with(|c| c.replace(p));
    let r = f();
    CURRENT_VM.with(|c| c.set(prev));
    r
}

/// The VM of the SQLite call running on this thread, for a callback.
///
/// # Safety
/// Only from a callback made by SQLite inside `with_vm`, whose caller does not touch
/// its `&mut Vm` until the SQLite call returns; the reference must not outlive the
/// callback.
pub unsafe fn callback_vm<'a>() -> Option<&'a mut Vm> {
    let p = CURRENT_VM.with(|c| c.get());
    if p.is_null() {
        return None;
    }
    // SAFETY: per the contract, `p` came from a live `&mut Vm` whose owner is blocked
    // in the SQLite call that made this callback, on this same thread.
    Some(unsafe { &mut *p })
}

// ---- adapters and converters ---------------------------------------------------------

fn prepare_protocol() -> Value {
    Value::from_borrowed(<connection::PrepareProtocol as crate::value::PyPayload>::class())
}

/// Does `v` need a look in the adapters before binding?
fn need_adapt(v: &Value) -> bool {
    if BASE_TYPE_ADAPTED.load(Ordering::Relaxed) {
        return true;
    }
    let td = v.type_data();
    td.is_heap || !["int", "float", "str", "bytearray"].contains(&td.name.as_str())
}

/// `adapt(obj, proto, alt)`: the registered adapter of `(type(obj), proto)`, else
/// `proto.__adapt__(obj)`, else `obj.__conform__(proto)`, else `alt`.
fn adapt_value(vm: &mut Vm, obj: &Value, proto: &Value, alt: Option<&Value>) -> PyResult<Value> {
    let key = TupleObj::from_items([obj.type_of(), proto.clone()]);
    if let Some(f) = dict_ref(&ADAPTERS).get(vm, &key)? {
        return vm.call(&f, std::slice::from_ref(obj));
    }
    for (target, name, arg) in [(proto, "__adapt__", obj), (obj, "__conform__", proto)] {
        if let Some(f) = crate::ops::getattr_opt(vm, target, name)? {
            match vm.call(&f, std::slice::from_ref(arg)) {
                Ok(r) if !r.is_none() => return Ok(r),
                Ok(_) => {}
                Err(e) if vm.err_matches(&e, types().type_error) => {}
                Err(e) => return Err(e),
            }
        }
    }
    match alt {
        Some(a) => Ok(a.clone()),
        None => Err(err(vm, Exc::ProgrammingError, "can't adapt")),
    }
}

/// The value to bind for `v` (adapted if an adapter applies).
pub fn adapt_for_binding(vm: &mut Vm, v: &Value) -> PyResult<Value> {
    if !need_adapt(v) {
        return Ok(v.clone());
    }
    adapt_value(vm, v, &prepare_protocol(), Some(v))
}

/// The converter registered for a declared type or column-name type (`name`,
/// matched case-insensitively).
pub fn converter(vm: &mut Vm, name: &str) -> PyResult<Option<Value>> {
    let key = new_string(name.to_uppercase());
    dict_ref(&CONVERTERS).get(vm, &key)
}

fn register_adapter(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let p = unpack(vm, "register_adapter", a, 2, 2)?;
    let t = &p[0];
    if let Some(td) = crate::types::class::as_type(t)
        && !td.is_heap
        && ["int", "float", "str", "bytearray"].contains(&td.name.as_str())
    {
        BASE_TYPE_ADAPTED.store(true, Ordering::Relaxed);
    }
    let key = TupleObj::from_items([t.clone(), prepare_protocol()]);
    dict_ref(&ADAPTERS).set(vm, key, p[1].clone())?;
    Ok(Value::none())
}

fn register_converter(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let p = unpack(vm, "register_converter", a, 2, 2)?;
    if as_str(&p[0]).is_none() {
        let tn = p[0].type_data().name.clone();
        return Err(vm.type_error(format!(
            "register_converter() argument 1 must be str, not {tn}"
        )));
    }
    let upper = crate::ops::getattr_str(vm, &p[0], "upper")?;
    let key = vm.call(&upper, &[])?;
    dict_ref(&CONVERTERS).set(vm, key, p[1].clone())?;
    Ok(Value::none())
}

fn adapt(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let p = unpack(vm, "adapt", a, 1, 3)?;
    let proto = p.get(1).cloned().unwrap_or_else(prepare_protocol);
    adapt_value(vm, &p[0], &proto, p.get(2))
}

fn complete_statement(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let p = bind(vm, "complete_statement", a, &["statement"], 1, 1)?;
    let Some(s) = p[0].and_then(as_str) else {
        let tn = p[0].map(|v| v.type_data().name.clone()).unwrap_or_default();
        return Err(vm.type_error(format!(
            "complete_statement() argument 'statement' must be str, not {tn}"
        )));
    };
    Ok(Value::bool(ffi::complete(s)))
}

fn enable_callback_tracebacks(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let p = unpack(vm, "enable_callback_tracebacks", a, 1, 1)?;
    let on = crate::ops::truthy(vm, &p[0])?;
    callbacks::TRACEBACKS.store(on, Ordering::Relaxed);
    Ok(Value::none())
}

fn enable_shared_cache(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    unpack(vm, "enable_shared_cache", a, 1, 1)?;
    Ok(Value::none())
}

pub fn init(vm: &mut Vm) -> PyResult<Value> {
    let m = module(
        "_sqlite3",
        &[
            ("adapt", adapt),
            ("complete_statement", complete_statement),
            ("connect", connection::connect),
            ("enable_callback_tracebacks", enable_callback_tracebacks),
            ("enable_shared_cache", enable_shared_cache),
            ("register_adapter", register_adapter),
            ("register_converter", register_converter),
        ],
    );
    if EXCS[1].load(Ordering::Acquire) == 0 {
        let exc = types().exception;
        let mut made: Vec<RawValue> = Vec::new();
        for (i, n) in EXC_NAMES.iter().enumerate() {
            let base = match i {
                0 | 1 => exc,
                2 | 3 => made[1],
                _ => made[3],
            };
            let t = exception_type(n, "sqlite3", base);
            made.push(t.raw());
            EXCS[i].store(t.raw().0, Ordering::Release);
        }
        for cell in [&ADAPTERS, &CONVERTERS] {
            let d = DictObj::new_value();
            crate::object::make_immortal(d.raw());
            cell.store(d.raw().0, Ordering::Release);
        }
    }
    for (i, n) in EXC_NAMES.iter().enumerate() {
        set(
            &m,
            n,
            Value::from_borrowed(RawValue(EXCS[i].load(Ordering::Acquire))),
        );
    }
    let conn = connection::init_types(vm)?;
    set(&m, "Connection", conn);
    set(&m, "Cursor", cursor::init_type(vm)?);
    set(&m, "Row", row::init_type());
    set(&m, "PrepareProtocol", prepare_protocol());
    set(&m, "adapters", immortal_dict(&ADAPTERS));
    set(&m, "converters", immortal_dict(&CONVERTERS));
    set(&m, "sqlite_version", new_string(ffi::libversion()));
    set(&m, "version", new_str("2.6.0"));
    set(&m, "threadsafety", Value::int(3));
    set(&m, "PARSE_DECLTYPES", Value::int(1));
    set(&m, "PARSE_COLNAMES", Value::int(2));
    for (n, v) in codes::RESULT_CODES.iter().chain(codes::OTHER_CODES) {
        set(&m, n, Value::int(*v));
    }
    Ok(m)
}
