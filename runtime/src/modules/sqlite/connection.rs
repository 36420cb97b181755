//! `sqlite3.Connection`: an open database and CPython 3.11's transaction control (with
//! `isolation_level` set, a DML statement outside a transaction first runs
//! `BEGIN <level>`; `commit`/`rollback` end it), user-defined functions, aggregates
//! and collations, and the per-thread check (`check_same_thread`).
use super::ffi::{self, Db};
use super::{Exc, err};
use crate::modules::native_args::{bind, getset, methods, object_type, receiver};
use crate::native_payload;
use crate::object::ObjCell;
use crate::types::class::Kind;
use crate::types::native::{self, NativeType, new_type};
use crate::types::str::{as_str, new_str, new_string};
use crate::value::Value;
use crate::vm::{Args, PyResult, Vm};
use crate::world::types;

pub struct ConnectionObj {
    db: parking_lot::Mutex<Option<Db>>,
    /// `threading.get_ident()` of the creating thread.
    owner: u64,
    check_same_thread: bool,
    pub detect_types: i64,
    st: ObjCell<ConnState>,
}

struct ConnState {
    /// The isolation level (`None`: autocommit mode, no implicit BEGIN).
    level: Option<String>,
    row_factory: Value,
    text_factory: Value,
}

native_payload!(ConnectionObj, CONNECTION);
static CONNECTION_T: NativeType = NativeType {
    new: Some(conn_new),
    ..NativeType::of::<ConnectionObj>()
};

/// `sqlite3.PrepareProtocol`: the protocol object adapters are registered under.
pub struct PrepareProtocol;
native_payload!(PrepareProtocol, PREPARE_PROTOCOL);
static PREPARE_T: NativeType = NativeType {
    new: Some(prepare_new),
    ..NativeType::of::<PrepareProtocol>()
};

fn prepare_new(_vm: &mut Vm, cls: &Value, _a: &Args) -> PyResult<Value> {
    Ok(native::alloc(cls, PrepareProtocol))
}

pub fn as_conn<'a>(vm: &mut Vm, v: &'a Value) -> PyResult<&'a ConnectionObj> {
    match native::downcast::<ConnectionObj>(v) {
        Some(c) => Ok(c),
        None => {
            let tn = v.type_data().name.clone();
            Err(vm.type_error(format!(
                "descriptor requires a 'sqlite3.Connection' object but received a '{tn}'"
            )))
        }
    }
}

impl ConnectionObj {
    /// The thread check of `check_same_thread`.
    pub fn check_thread(&self, vm: &mut Vm) -> PyResult<()> {
        let me = crate::object::current_tid();
        if self.check_same_thread && me != self.owner {
            return Err(err(
                vm,
                Exc::ProgrammingError,
                format!(
                    "SQLite objects created in a thread can only be used in that same \
                     thread. The object was created in thread id {} and this is thread id \
                     {}.",
                    self.owner, me
                ),
            ));
        }
        Ok(())
    }

    /// The open database (ProgrammingError once closed).
    pub fn open_db(&self, vm: &mut Vm) -> PyResult<Db> {
        match &*self.db.lock() {
            Some(db) => Ok(db.clone()),
            None => Err(err(
                vm,
                Exc::ProgrammingError,
                "Cannot operate on a closed database.",
            )),
        }
    }

    /// Both checks, as every operation does first.
    pub fn checked(&self, vm: &mut Vm) -> PyResult<Db> {
        self.check_thread(vm)?;
        self.open_db(vm)
    }

    /// The statement that opens a transaction, if implicit transactions are on.
    pub fn begin_statement(&self) -> Option<String> {
        self.st
            .read(|s| s.level.as_ref().map(|l| format!("BEGIN {l}")))
    }

    pub fn row_factory(&self) -> Value {
        self.st.read(|s| s.row_factory.clone())
    }

    pub fn text_factory(&self) -> Value {
        self.st.read(|s| s.text_factory.clone())
    }
}

/// `connect(database, timeout=5.0, detect_types=0, isolation_level='',
/// check_same_thread=True, factory=Connection, cached_statements=128, uri=False)`.
pub fn connect(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let mut factory = None;
    let mut args: Vec<Value> = a.pos().to_vec();
    let mut names = Vec::new();
    let mut kwvals = Vec::new();
    for (k, v) in a.kw() {
        if k == "factory" {
            factory = Some(v.clone());
        } else {
            names.push(new_str(k));
            kwvals.push(v.clone());
        }
    }
    if args.len() >= 6 {
        factory = Some(args.remove(5));
    }
    args.extend(kwvals);
    let f = factory.unwrap_or_else(|| {
        Value::from_borrowed(<ConnectionObj as crate::value::PyPayload>::class())
    });
    vm.call_kw(&f, &args, &names)
}

const CONNECT_PARAMS: [&str; 8] = [
    "database",
    "timeout",
    "detect_types",
    "isolation_level",
    "check_same_thread",
    "factory",
    "cached_statements",
    "uri",
];

/// A path argument as bytes (str, bytes or an os.PathLike).
fn path_bytes(vm: &mut Vm, v: &Value) -> PyResult<Vec<u8>> {
    if let Some(s) = as_str(v) {
        return Ok(s.as_bytes().to_vec());
    }
    if let Some(b) = v.downcast::<crate::types::bytes::BytesObj>() {
        return Ok(b.data.to_vec());
    }
    if let Some(f) = crate::vm::lookup_special(v, "__fspath__") {
        let r = vm.call(&f, std::slice::from_ref(v))?;
        if as_str(&r).is_some() || r.downcast::<crate::types::bytes::BytesObj>().is_some() {
            return path_bytes(vm, &r);
        }
    }
    let tn = v.type_data().name.clone();
    Err(vm.type_error(format!(
        "expected str, bytes or os.PathLike object, not {tn}"
    )))
}

/// Checks an isolation level and spells it as CPython stores it.
fn level_of(vm: &mut Vm, v: &Value) -> PyResult<Option<String>> {
    if v.is_none() {
        return Ok(None);
    }
    let Some(s) = as_str(v) else {
        return Err(vm.type_error("isolation_level must be str or None"));
    };
    if s.contains('\0') {
        return Err(vm.value_error("embedded null character"));
    }
    for l in ["", "DEFERRED", "IMMEDIATE", "EXCLUSIVE"] {
        if s.eq_ignore_ascii_case(l) {
            return Ok(Some(l.to_string()));
        }
    }
    Err(vm
        .value_error("isolation_level string must be '', 'DEFERRED', 'IMMEDIATE', or 'EXCLUSIVE'"))
}

fn conn_new(vm: &mut Vm, cls: &Value, a: &Args) -> PyResult<Value> {
    let p = bind(vm, "Connection", a, &CONNECT_PARAMS, 1, 8)?;
    let path = path_bytes(vm, p[0].expect("required"))?;
    let timeout = match p[1] {
        Some(v) => {
            if let Some(f) = v.as_float() {
                f
            } else if let Some(i) = crate::types::int::as_int(v) {
                i.to_f64().unwrap_or(f64::INFINITY)
            } else {
                let tn = v.type_data().name.clone();
                return Err(vm.type_error(format!("must be real number, not {tn}")));
            }
        }
        None => 5.0,
    };
    let detect_types = match p[2] {
        Some(v) => crate::modules::args::c_int(vm, v)? as i64,
        None => 0,
    };
    let level = match p[3] {
        Some(v) => level_of(vm, v)?,
        None => Some(String::new()),
    };
    let check_same_thread = crate::modules::args::flag(vm, p[4], true)?;
    let uri = crate::modules::args::flag(vm, p[7], false)?;
    let db = match ffi::open(&path, uri) {
        Ok(db) => db,
        Err(m) => return Err(err(vm, Exc::OperationalError, m)),
    };
    db.busy_timeout((timeout * 1000.0) as i32);
    Ok(native::alloc(
        cls,
        ConnectionObj {
            db: parking_lot::Mutex::new(Some(db)),
            owner: crate::object::current_tid(),
            check_same_thread,
            detect_types,
            st: ObjCell::new(ConnState {
                level,
                row_factory: Value::none(),
                text_factory: Value::from_borrowed(types().str),
            }),
        },
    ))
}

fn conn_new_method(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (cls, rest) = crate::modules::native_args::new_args(
        vm,
        a,
        <ConnectionObj as crate::value::PyPayload>::class(),
    )?;
    conn_new(vm, &cls, &rest)
}

/// `__init__` accepts what `__new__` took (subclasses call it through `super()`).
fn ignore_init(_vm: &mut Vm, _a: &Args) -> PyResult<Value> {
    Ok(Value::none())
}

fn me<'a>(
    vm: &mut Vm,
    a: &Args<'a>,
    fname: &str,
    min: usize,
    max: usize,
) -> PyResult<(&'a ConnectionObj, &'a Value, &'a [Value])> {
    let (s, rest) = crate::modules::native_args::this(vm, fname, a, min, max)?;
    Ok((as_conn(vm, s)?, s, rest))
}

fn c_cursor(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (s, rest) = receiver(vm, "cursor", a)?;
    let c = as_conn(vm, s)?;
    let p = bind(vm, "cursor", &rest, &["factory"], 0, 1)?;
    c.checked(vm)?;
    let factory = p[0].cloned().unwrap_or_else(|| {
        Value::from_borrowed(<super::cursor::CursorObj as crate::value::PyPayload>::class())
    });
    let cur = vm.call(&factory, std::slice::from_ref(s))?;
    if native::downcast::<super::cursor::CursorObj>(&cur).is_none() {
        let tn = cur.type_data().name.clone();
        return Err(vm.type_error(format!("factory must return a cursor, not {tn}")));
    }
    let rf = c.row_factory();
    if !rf.is_none() {
        super::cursor::set_row_factory(&cur, rf);
    }
    Ok(cur)
}

fn new_cursor(vm: &mut Vm, s: &Value) -> PyResult<Value> {
    c_cursor(
        vm,
        &Args {
            args: std::slice::from_ref(s),
            kwnames: &[],
        },
    )
}

fn c_execute(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (_, s, rest) = me(vm, a, "execute", 1, 2)?;
    let cur = new_cursor(vm, s)?;
    super::cursor::execute_on(vm, &cur, &rest[0], rest.get(1), false, "execute")
}

fn c_executemany(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (_, s, rest) = me(vm, a, "executemany", 2, 2)?;
    let cur = new_cursor(vm, s)?;
    super::cursor::execute_on(vm, &cur, &rest[0], rest.get(1), true, "executemany")
}

fn c_executescript(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (_, s, rest) = me(vm, a, "executescript", 1, 1)?;
    let cur = new_cursor(vm, s)?;
    super::cursor::executescript_on(vm, &cur, &rest[0])
}

/// Ends the transaction with `sql` (COMMIT or ROLLBACK) if one is open.
fn end_transaction(vm: &mut Vm, c: &ConnectionObj, sql: &str) -> PyResult<()> {
    let db = c.checked(vm)?;
    if !db.autocommit() && ffi::exec(&db, sql).is_err() {
        return Err(super::db_error(vm, &db));
    }
    Ok(())
}

fn c_commit(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (c, _, _) = me(vm, a, "commit", 0, 0)?;
    end_transaction(vm, c, "COMMIT")?;
    Ok(Value::none())
}

fn c_rollback(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (c, _, _) = me(vm, a, "rollback", 0, 0)?;
    end_transaction(vm, c, "ROLLBACK")?;
    Ok(Value::none())
}

fn c_close(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (c, _, _) = me(vm, a, "close", 0, 0)?;
    c.check_thread(vm)?;
    let db = c.db.lock().take();
    drop(db);
    Ok(Value::none())
}

fn c_enter(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (c, s, _) = me(vm, a, "__enter__", 0, 0)?;
    c.open_db(vm)?;
    Ok(s.clone())
}

fn c_exit(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (c, _, rest) = me(vm, a, "__exit__", 3, 3)?;
    if rest.iter().all(|v| v.is_none()) {
        if let Err(e) = end_transaction(vm, c, "COMMIT") {
            let _ = end_transaction(vm, c, "ROLLBACK");
            return Err(e);
        }
    } else {
        end_transaction(vm, c, "ROLLBACK")?;
    }
    Ok(Value::bool(false))
}

fn c_iterdump(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (c, s, _) = me(vm, a, "iterdump", 0, 0)?;
    c.checked(vm)?;
    let m = crate::import::import_module(vm, "sqlite3.dump")?;
    let f = crate::ops::getattr_str(vm, &m, "_iterdump")?;
    vm.call(&f, std::slice::from_ref(s))
}

fn c_interrupt(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (c, _, _) = me(vm, a, "interrupt", 0, 0)?;
    let db = c.open_db(vm)?;
    ffi::interrupt(&db);
    Ok(Value::none())
}

fn c_create_function(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (s, rest) = receiver(vm, "create_function", a)?;
    let c = as_conn(vm, s)?;
    let p = bind(
        vm,
        "create_function",
        &rest,
        &["name", "narg", "func", "deterministic"],
        3,
        3,
    )?;
    let db = c.checked(vm)?;
    let name = str_arg(vm, "create_function", "name", p[0].expect("required"))?;
    let narg = crate::modules::args::c_int(vm, p[1].expect("required"))?;
    let det = crate::modules::args::flag(vm, p[3], false)?;
    let func = p[2].expect("required").clone();
    if !super::callbacks::create_function(&db, &name, narg, det, func) {
        return Err(err(vm, Exc::OperationalError, "Error creating function"));
    }
    Ok(Value::none())
}

fn c_create_aggregate(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (s, rest) = receiver(vm, "create_aggregate", a)?;
    let c = as_conn(vm, s)?;
    let p = bind(
        vm,
        "create_aggregate",
        &rest,
        &["name", "n_arg", "aggregate_class"],
        3,
        3,
    )?;
    let db = c.checked(vm)?;
    let name = str_arg(vm, "create_aggregate", "name", p[0].expect("required"))?;
    let narg = crate::modules::args::c_int(vm, p[1].expect("required"))?;
    let cls = p[2].expect("required").clone();
    if !super::callbacks::create_aggregate(&db, &name, narg, cls) {
        return Err(err(vm, Exc::OperationalError, "Error creating aggregate"));
    }
    Ok(Value::none())
}

fn c_create_collation(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (c, _, rest) = me(vm, a, "create_collation", 2, 2)?;
    let db = c.checked(vm)?;
    let name = str_arg(vm, "create_collation", "1", &rest[0])?;
    let f = &rest[1];
    if !f.is_none() && !crate::ops::callable(f) {
        return Err(vm.type_error("parameter must be callable"));
    }
    let f = if f.is_none() { None } else { Some(f.clone()) };
    if !super::callbacks::create_collation(&db, &name, f) {
        return Err(super::db_error(vm, &db));
    }
    Ok(Value::none())
}

fn str_arg(vm: &mut Vm, fname: &str, arg: &str, v: &Value) -> PyResult<String> {
    match as_str(v) {
        Some(s) => Ok(s.to_string()),
        None => {
            let tn = v.type_data().name.clone();
            let which = if arg.chars().all(|c| c.is_ascii_digit()) {
                format!("argument {arg}")
            } else {
                format!("argument '{arg}'")
            };
            Err(vm.type_error(format!("{fname}() {which} must be str, not {tn}")))
        }
    }
}

// ---- attributes --------------------------------------------------------------------

fn getter<'a>(vm: &mut Vm, a: &Args<'a>) -> PyResult<&'a ConnectionObj> {
    as_conn(vm, &a.pos()[0])
}

fn g_isolation_level(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let c = getter(vm, a)?;
    c.open_db(vm)?;
    Ok(c.st
        .read(|s| s.level.clone())
        .map_or_else(Value::none, new_string))
}

fn s_isolation_level(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let c = getter(vm, a)?;
    let v = &a.pos()[1];
    c.checked(vm)?;
    let level = level_of(vm, v)?;
    if level.is_none() {
        end_transaction(vm, c, "COMMIT")?;
    }
    c.st.with(|s| s.level = level);
    Ok(Value::none())
}

fn g_in_transaction(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let c = getter(vm, a)?;
    let db = c.checked(vm)?;
    Ok(Value::bool(!db.autocommit()))
}

fn g_total_changes(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let c = getter(vm, a)?;
    let db = c.checked(vm)?;
    Ok(Value::int(db.total_changes()))
}

fn g_row_factory(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    Ok(getter(vm, a)?.row_factory())
}

fn s_row_factory(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let c = getter(vm, a)?;
    let v = a.pos()[1].clone();
    c.st.with(|s| s.row_factory = v);
    Ok(Value::none())
}

fn g_text_factory(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    Ok(getter(vm, a)?.text_factory())
}

fn s_text_factory(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let c = getter(vm, a)?;
    let v = a.pos()[1].clone();
    c.st.with(|s| s.text_factory = v);
    Ok(Value::none())
}

/// The exception classes are also (read-only) attributes of each connection.
macro_rules! exc_getters {
    ($($f:ident => $e:ident),*) => {
        $(fn $f(_vm: &mut Vm, _a: &Args) -> PyResult<Value> {
            Ok(super::exc_class(Exc::$e))
        })*
    };
}
exc_getters!(e_warning => Warning, e_error => Error, e_interface => InterfaceError,
    e_database => DatabaseError, e_internal => InternalError,
    e_operational => OperationalError, e_programming => ProgrammingError,
    e_integrity => IntegrityError, e_data => DataError,
    e_not_supported => NotSupportedError);

pub fn init_types(_vm: &mut Vm) -> PyResult<Value> {
    new_type::<PrepareProtocol>(
        "PrepareProtocol",
        "sqlite3",
        object_type(),
        Kind::Native,
        &PREPARE_T,
        &PREPARE_PROTOCOL,
    );
    let existing = CONNECTION.load(std::sync::atomic::Ordering::Acquire);
    let t = new_type::<ConnectionObj>(
        "Connection",
        "sqlite3",
        object_type(),
        Kind::Native,
        &CONNECTION_T,
        &CONNECTION,
    );
    if existing != 0 {
        return Ok(t);
    }
    crate::modules::native_args::static_new(&t, conn_new_method);
    methods(
        &t,
        &[
            ("__init__", ignore_init),
            ("cursor", c_cursor),
            ("execute", c_execute),
            ("executemany", c_executemany),
            ("executescript", c_executescript),
            ("commit", c_commit),
            ("rollback", c_rollback),
            ("close", c_close),
            ("__enter__", c_enter),
            ("__exit__", c_exit),
            ("iterdump", c_iterdump),
            ("interrupt", c_interrupt),
            ("create_function", c_create_function),
            ("create_aggregate", c_create_aggregate),
            ("create_collation", c_create_collation),
        ],
    );
    getset(
        &t,
        "isolation_level",
        g_isolation_level,
        Some(s_isolation_level),
    );
    getset(&t, "in_transaction", g_in_transaction, None);
    getset(&t, "total_changes", g_total_changes, None);
    getset(&t, "row_factory", g_row_factory, Some(s_row_factory));
    getset(&t, "text_factory", g_text_factory, Some(s_text_factory));
    let excs: [(&'static str, crate::types::func::NativeFn); 10] = [
        ("Warning", e_warning),
        ("Error", e_error),
        ("InterfaceError", e_interface),
        ("DatabaseError", e_database),
        ("InternalError", e_internal),
        ("OperationalError", e_operational),
        ("ProgrammingError", e_programming),
        ("IntegrityError", e_integrity),
        ("DataError", e_data),
        ("NotSupportedError", e_not_supported),
    ];
    for (n, g) in excs {
        getset(&t, n, g, None);
    }
    Ok(t)
}
