//! `sqlite3.Cursor`: runs one statement (or one statement over many parameter sets),
//! binds parameters by position or name, and fetches rows lazily: after `execute`
//! the statement sits on its first row; each fetch converts that row and steps on.
//!
//! The statement is taken out of the cursor's state while SQLite runs (so no lock is
//! held while user functions, converters or row factories run Python code). As in
//! CPython, a cursor used again from user code run by its own `execute` raises
//! "Recursive use of cursors not allowed."; during a fetch's step it may be used, and
//! the statement so started is the one fetched from next.
use rusqlite::ffi as sys;

use super::connection::{ConnectionObj, as_conn};
use super::ffi::{self, Cell, Prepared, Stmt};
use super::{Exc, err};
use crate::modules::native_args::{bind, getset, methods, object_type, receiver};
use crate::native_payload;
use crate::object::ObjCell;
use crate::types::bytes::BytesObj;
use crate::types::class::Kind;
use crate::types::dict::DictObj;
use crate::types::list::ListObj;
use crate::types::native::{self, NativeType, iter_self, new_type, next_method};
use crate::types::str::{as_str, new_str, new_string};
use crate::types::tuple::TupleObj;
use crate::value::Value;
use crate::vm::{Args, PyResult, Vm};
use crate::world::types;

pub struct CursorObj {
    conn: Value,
    st: ObjCell<CurState>,
}

struct CurState {
    stmt: Option<Stmt>,
    /// A fetch or execute is running (its statement is out of `stmt`).
    locked: bool,
    closed: bool,
    is_dml: bool,
    description: Value,
    rowcount: i64,
    lastrowid: Value,
    arraysize: i64,
    row_factory: Value,
    /// Counts `execute` calls, so a fetch knows whether user code run by its step
    /// started another statement on this cursor.
    generation: u64,
    /// Per column: the converter to apply (detect_types), if any.
    converters: Vec<Option<Value>>,
    names: Vec<String>,
}

native_payload!(CursorObj, CURSOR);
static CURSOR_T: NativeType = NativeType {
    new: Some(cursor_new),
    iternext: Some(cursor_next),
    ..NativeType::of::<CursorObj>()
};

fn cursor_new(vm: &mut Vm, cls: &Value, a: &Args) -> PyResult<Value> {
    let p = bind(vm, "Cursor", a, &["connection"], 1, 1)?;
    let conn = p[0].expect("required").clone();
    if native::downcast::<ConnectionObj>(&conn).is_none() {
        let tn = conn.type_data().name.clone();
        return Err(vm.type_error(format!(
            "Cursor() argument 1 must be sqlite3.Connection, not {tn}"
        )));
    }
    Ok(native::alloc(
        cls,
        CursorObj {
            conn,
            st: ObjCell::new(CurState {
                stmt: None,
                locked: false,
                closed: false,
                is_dml: false,
                description: Value::none(),
                rowcount: -1,
                lastrowid: Value::none(),
                arraysize: 1,
                row_factory: Value::none(),
                converters: Vec::new(),
                names: Vec::new(),
                generation: 0,
            }),
        },
    ))
}

fn cursor_new_method(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (cls, rest) = crate::modules::native_args::new_args(
        vm,
        a,
        <CursorObj as crate::value::PyPayload>::class(),
    )?;
    cursor_new(vm, &cls, &rest)
}

fn ignore_init(_vm: &mut Vm, _a: &Args) -> PyResult<Value> {
    Ok(Value::none())
}

pub fn set_row_factory(cur: &Value, f: Value) {
    if let Some(c) = native::downcast::<CursorObj>(cur) {
        c.st.with(|s| s.row_factory = f);
    }
}

fn as_cursor<'a>(vm: &mut Vm, v: &'a Value) -> PyResult<&'a CursorObj> {
    match native::downcast::<CursorObj>(v) {
        Some(c) => Ok(c),
        None => {
            let tn = v.type_data().name.clone();
            Err(vm.type_error(format!(
                "descriptor requires a 'sqlite3.Cursor' object but received a '{tn}'"
            )))
        }
    }
}

impl CursorObj {
    fn conn(&self) -> &ConnectionObj {
        native::downcast::<ConnectionObj>(&self.conn).expect("checked at creation")
    }

    /// CPython's `check_cursor`: open, not in use, right thread, open database.
    fn check(&self, vm: &mut Vm) -> PyResult<super::ffi::Db> {
        let (closed, locked) = self.st.read(|s| (s.closed, s.locked));
        if closed {
            return Err(err(
                vm,
                Exc::ProgrammingError,
                "Cannot operate on a closed cursor.",
            ));
        }
        if locked {
            return Err(err(
                vm,
                Exc::ProgrammingError,
                "Recursive use of cursors not allowed.",
            ));
        }
        self.conn().checked(vm)
    }
}

/// Is `sql` (after leading whitespace) an INSERT, UPDATE, DELETE or REPLACE?
fn is_dml(sql: &str) -> bool {
    let t = sql.trim_start_matches([' ', '\t', '\r', '\n']).as_bytes();
    let starts = |w: &str| t.len() >= w.len() && t[..w.len()].eq_ignore_ascii_case(w.as_bytes());
    starts("insert") || starts("update") || starts("delete") || starts("replace")
}

/// Does `rest` hold anything but whitespace and comments?
fn has_more_sql(rest: &str) -> bool {
    let b = rest.as_bytes();
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b' ' | b'\t' | b'\r' | b'\n' | b'\x0c' => i += 1,
            b'-' if b.get(i + 1) == Some(&b'-') => {
                while i < b.len() && b[i] != b'\n' {
                    i += 1;
                }
            }
            b'/' if b.get(i + 1) == Some(&b'*') => match rest[i + 2..].find("*/") {
                Some(e) => i = i + 2 + e + 2,
                None => return false,
            },
            _ => return true,
        }
    }
    false
}

/// A Python value as an SQLite value (after adaptation). Ok(None): unsupported type.
fn to_cell(vm: &mut Vm, v: &Value) -> PyResult<Option<Cell>> {
    if v.is_none() {
        return Ok(Some(Cell::Null));
    }
    if let Some(i) = crate::types::int::as_int(v) {
        return match i.to_i64() {
            Some(n) => Ok(Some(Cell::Int(n))),
            None => Err(vm.overflow_error("Python int too large to convert to SQLite INTEGER")),
        };
    }
    if let Some(f) = v.as_float() {
        return Ok(Some(Cell::Float(f)));
    }
    if let Some(s) = as_str(v) {
        return Ok(Some(Cell::Text(s.as_bytes().to_vec())));
    }
    if let Some(b) = crate::modules::buffer::bytes_like(v) {
        return Ok(Some(Cell::Blob(b.into_owned())));
    }
    Ok(None)
}

fn bind_one(vm: &mut Vm, stmt: &Stmt, i: usize, v: &Value, label: &str) -> PyResult<()> {
    let adapted = super::adapt_for_binding(vm, v)?;
    let cell = to_cell(vm, &adapted)?;
    let ok = match &cell {
        Some(c) => stmt.bind(i, c) == sys::SQLITE_OK,
        None => false,
    };
    if !ok {
        let tn = adapted.type_data().name.clone();
        return Err(err(
            vm,
            Exc::ProgrammingError,
            format!("Error binding parameter {label}: type '{tn}' is not supported"),
        ));
    }
    Ok(())
}

/// Binds one parameter set (a sequence, or a mapping for named parameters).
fn bind_params(vm: &mut Vm, stmt: &Stmt, params: &Value) -> PyResult<()> {
    let needed = stmt.bind_parameter_count();
    let is_dict =
        params.downcast::<DictObj>().is_some() || params.type_data().is_subtype_raw(types().dict);
    let seq: Option<Vec<Value>> = if let Some(t) = params.downcast::<TupleObj>() {
        Some(t.items.to_vec())
    } else if let Some(l) = params.downcast::<ListObj>() {
        Some(l.snapshot())
    } else if let Some(text) = as_str(params) {
        Some(text.chars().map(|ch| new_string(ch.to_string())).collect())
    } else if !is_dict
        && (crate::vm::lookup_special(params, "__getitem__").is_some()
            || crate::modules::buffer::bytes_like(params).is_some())
    {
        let n = crate::ops::len(vm, params)?;
        let mut out = Vec::with_capacity(n);
        for i in 0..n {
            out.push(crate::ops::getitem(vm, params, &Value::int(i as i64))?);
        }
        Some(out)
    } else {
        None
    };
    if let Some(items) = seq {
        if items.len() != needed {
            return Err(err(
                vm,
                Exc::ProgrammingError,
                format!(
                    "Incorrect number of bindings supplied. The current statement uses {needed}, \
                     and there are {} supplied.",
                    items.len()
                ),
            ));
        }
        for (i, v) in items.iter().enumerate() {
            bind_one(vm, stmt, i + 1, v, &(i + 1).to_string())?;
        }
        return Ok(());
    }
    if !is_dict {
        return Err(err(
            vm,
            Exc::ProgrammingError,
            "parameters are of unsupported type",
        ));
    }
    for i in 1..=needed {
        let Some(name) = stmt.bind_parameter_name(i) else {
            return Err(err(
                vm,
                Exc::ProgrammingError,
                format!(
                    "Binding {i} has no name, but you supplied a dictionary (which has only \
                     names)."
                ),
            ));
        };
        let key = &name[1..];
        let v = match crate::ops::getitem(vm, params, &new_str(key)) {
            Ok(v) => v,
            Err(e) if vm.err_matches(&e, types().lookup_error) => {
                return Err(err(
                    vm,
                    Exc::ProgrammingError,
                    format!("You did not supply a value for binding parameter :{key}."),
                ));
            }
            Err(e) => return Err(e),
        };
        bind_one(vm, stmt, i, &v, &i.to_string())?;
    }
    Ok(())
}

/// Column name as `description` shows it (`PARSE_COLNAMES` cuts ` [type]`).
fn column_label(name: &str, colnames: bool) -> String {
    if !colnames {
        return name.to_string();
    }
    match name.find('[') {
        Some(i) => name[..i]
            .strip_suffix(' ')
            .unwrap_or(&name[..i])
            .to_string(),
        None => name.to_string(),
    }
}

/// The converter of each column, as `detect_types` asks.
fn cast_map(vm: &mut Vm, stmt: &Stmt, detect: i64) -> PyResult<Vec<Option<Value>>> {
    let n = stmt.column_count();
    let mut out = Vec::with_capacity(n);
    for i in 0..n {
        let mut conv = None;
        if detect & 2 != 0 {
            let name = stmt.column_name(i);
            if let Some(l) = name.find('[')
                && let Some(r) = name[l + 1..].find(']')
            {
                conv = super::converter(vm, &name[l + 1..l + 1 + r])?;
            }
        }
        if conv.is_none()
            && detect & 1 != 0
            && let Some(decl) = stmt.column_decltype(i)
        {
            let ty = decl.split([' ', '(']).next().unwrap_or("");
            conv = super::converter(vm, ty)?;
        }
        out.push(conv);
    }
    Ok(out)
}

/// `execute` (one parameter set) or `executemany` (an iterable of them).
pub fn execute_on(
    vm: &mut Vm,
    cur_v: &Value,
    sql_v: &Value,
    params: Option<&Value>,
    many: bool,
    fname: &str,
) -> PyResult<Value> {
    let cur = as_cursor(vm, cur_v)?;
    let db = cur.check(vm)?;
    let Some(sql) = as_str(sql_v) else {
        let tn = sql_v.type_data().name.clone();
        return Err(vm.type_error(format!("{fname}() argument 1 must be str, not {tn}")));
    };
    let old = cur.st.with(|s| {
        s.generation += 1;
        s.description = Value::none();
        s.rowcount = -1;
        s.converters.clear();
        s.names.clear();
        s.stmt.take()
    });
    drop(old);
    let r = run(vm, cur, &db, sql, params, many);
    cur.st.with(|s| s.locked = false);
    match r {
        Ok(()) => Ok(cur_v.clone()),
        Err(e) => {
            cur.st.with(|s| {
                s.rowcount = -1;
                s.stmt = None;
            });
            Err(e)
        }
    }
}

fn run(
    vm: &mut Vm,
    cur: &CursorObj,
    db: &super::ffi::Db,
    sql: &str,
    params: Option<&Value>,
    many: bool,
) -> PyResult<()> {
    if sql.contains('\0') {
        return Err(err(
            vm,
            Exc::ProgrammingError,
            "the query contains a null character",
        ));
    }
    if sql.len() as i64 > db.sql_length_limit() {
        return Err(err(vm, Exc::DataError, "query string is too large"));
    }
    cur.st.with(|s| s.locked = true);
    let stmt = match ffi::prepare(db, sql) {
        Err(()) => return Err(super::db_error(vm, db)),
        Ok(Prepared::Empty(_)) => None,
        Ok(Prepared::Stmt(st, off)) => {
            if has_more_sql(&sql[off..]) {
                return Err(err(
                    vm,
                    Exc::ProgrammingError,
                    "You can only execute one statement at a time.",
                ));
            }
            Some(st)
        }
    };
    let dml = is_dml(sql);
    let conn = cur.conn();
    cur.st.with(|s| {
        s.is_dml = dml;
        s.rowcount = if dml { 0 } else { -1 };
    });
    let Some(stmt) = stmt else {
        return Ok(());
    };
    if dml
        && db.autocommit()
        && let Some(begin) = conn.begin_statement()
        && ffi::exec(db, &begin).is_err()
    {
        return Err(super::db_error(vm, db));
    }
    let sets: Vec<Value> = if many {
        let p = params.cloned().unwrap_or_else(Value::none);
        let it = crate::ops::get_iter(vm, &p)?;
        let mut v = Vec::new();
        while let Some(x) = crate::ops::next(vm, &it)? {
            v.push(x);
        }
        v
    } else {
        vec![params.cloned().unwrap_or_else(|| TupleObj::from_iter([]))]
    };
    let detect = conn.detect_types;
    let mut rc = sys::SQLITE_DONE;
    for set in &sets {
        stmt.reset();
        bind_params(vm, &stmt, set)?;
        rc = super::with_vm(vm, || stmt.step());
        if rc != sys::SQLITE_ROW && rc != sys::SQLITE_DONE {
            let e = super::db_error(vm, db);
            stmt.reset();
            return Err(e);
        }
        let need_desc = cur.st.read(|s| s.description.is_none());
        let ncols = stmt.column_count();
        if need_desc && ncols > 0 {
            let convs = if detect != 0 {
                cast_map(vm, &stmt, detect)?
            } else {
                Vec::new()
            };
            let names: Vec<String> = (0..ncols)
                .map(|i| column_label(&stmt.column_name(i), detect & 2 != 0))
                .collect();
            let desc: Vec<Value> = names
                .iter()
                .map(|n| {
                    let mut t = vec![new_str(n)];
                    t.extend((0..6).map(|_| Value::none()));
                    TupleObj::new_value(t)
                })
                .collect();
            cur.st.with(|s| {
                s.description = TupleObj::new_value(desc);
                s.converters = convs;
                s.names = names;
            });
        }
        if rc == sys::SQLITE_DONE {
            if dml {
                let n = db.changes();
                cur.st.with(|s| s.rowcount += n);
            }
            stmt.reset();
        } else if many {
            return Err(err(
                vm,
                Exc::ProgrammingError,
                "executemany() can only execute DML statements.",
            ));
        }
    }
    if !many {
        let id = db.last_insert_rowid();
        cur.st.with(|s| s.lastrowid = Value::int(id));
    }
    if rc == sys::SQLITE_ROW {
        cur.st.with(|s| s.stmt = Some(stmt));
    }
    Ok(())
}

/// `executescript(sql_script)`: commits a pending transaction, then runs every
/// statement of the script.
pub fn executescript_on(vm: &mut Vm, cur_v: &Value, script: &Value) -> PyResult<Value> {
    let cur = as_cursor(vm, cur_v)?;
    let db = cur.check(vm)?;
    let Some(sql) = as_str(script) else {
        let tn = script.type_data().name.clone();
        return Err(vm.type_error(format!("executescript() argument must be str, not {tn}")));
    };
    if sql.contains('\0') {
        return Err(vm.value_error("embedded null character"));
    }
    if sql.len() as i64 > db.sql_length_limit() {
        return Err(err(vm, Exc::DataError, "query string is too large"));
    }
    cur.st.with(|s| s.stmt = None);
    if !db.autocommit() && ffi::exec(&db, "COMMIT").is_err() {
        return Err(super::db_error(vm, &db));
    }
    let mut rest = sql;
    loop {
        match ffi::prepare(&db, rest) {
            Err(()) => return Err(super::db_error(vm, &db)),
            Ok(Prepared::Empty(off)) => {
                if off >= rest.len() || off == 0 {
                    break;
                }
                rest = &rest[off..];
            }
            Ok(Prepared::Stmt(st, off)) => {
                let rc = loop {
                    let rc = super::with_vm(vm, || st.step());
                    if rc != sys::SQLITE_ROW {
                        break rc;
                    }
                };
                if rc != sys::SQLITE_DONE {
                    return Err(super::db_error(vm, &db));
                }
                drop(st);
                if off >= rest.len() {
                    break;
                }
                rest = &rest[off..];
            }
        }
    }
    Ok(cur_v.clone())
}

/// The next row (None at the end): read the current row, then step on.
fn fetch(vm: &mut Vm, cur_v: &Value, cur: &CursorObj) -> PyResult<Option<Value>> {
    let db = cur.check(vm)?;
    let Some((stmt, convs, names, generation)) = cur.st.with(|s| {
        let st = s.stmt.take()?;
        Some((st, s.converters.clone(), s.names.clone(), s.generation))
    }) else {
        return Ok(None);
    };
    let n = stmt.column_count();
    let mut cells: Vec<Result<Cell, Option<Vec<u8>>>> = Vec::with_capacity(n);
    for i in 0..n {
        if convs.get(i).is_some_and(|c| c.is_some()) {
            cells.push(Err(stmt.column_bytes(i)));
        } else {
            cells.push(Ok(stmt.column(i)));
        }
    }
    let rc = super::with_vm(vm, || stmt.step());
    let step_err = if rc == sys::SQLITE_DONE {
        if cur.st.read(|s| s.is_dml) {
            let ch = db.changes();
            cur.st.with(|s| s.rowcount = ch);
        }
        None
    } else if rc != sys::SQLITE_ROW {
        Some(super::db_error(vm, &db))
    } else {
        None
    };
    // As in CPython, the cursor is free while the step runs: user code it calls may
    // execute on this cursor, and then that statement is the one fetched from next.
    cur.st.with(|s| {
        if rc == sys::SQLITE_ROW && s.generation == generation {
            s.stmt = Some(stmt);
        }
    });
    if let Some(e) = step_err {
        return Err(e);
    }
    let text_factory = cur.conn().text_factory();
    let str_t = Value::from_borrowed(types().str);
    let bytes_t = Value::from_borrowed(types().bytes);
    let mut items = Vec::with_capacity(n);
    for (i, c) in cells.into_iter().enumerate() {
        let v = match c {
            Err(None) => Value::none(),
            Err(Some(b)) => {
                let conv = convs[i].clone().expect("converter column");
                vm.call(&conv, &[BytesObj::new_value(b)])?
            }
            Ok(Cell::Null) => Value::none(),
            Ok(Cell::Int(n)) => Value::int(n),
            Ok(Cell::Float(f)) => Value::float(f),
            Ok(Cell::Blob(b)) => BytesObj::new_value(b),
            Ok(Cell::Text(t)) => {
                if text_factory.is(&str_t) {
                    match String::from_utf8(t) {
                        Ok(s) => new_string(s),
                        Err(e) => {
                            let shown = String::from_utf8_lossy(e.as_bytes()).into_owned();
                            let col = names.get(i).cloned().unwrap_or_default();
                            return Err(err(
                                vm,
                                Exc::OperationalError,
                                format!(
                                    "Could not decode to UTF-8 column '{col}' with text '{shown}'"
                                ),
                            ));
                        }
                    }
                } else if text_factory.is(&bytes_t) {
                    BytesObj::new_value(t)
                } else {
                    vm.call(&text_factory, &[BytesObj::new_value(t)])?
                }
            }
        };
        items.push(v);
    }
    let row = TupleObj::new_value(items);
    let rf = cur.st.read(|s| s.row_factory.clone());
    if rf.is_none() {
        return Ok(Some(row));
    }
    vm.call(&rf, &[cur_v.clone(), row]).map(Some)
}

fn cursor_next(vm: &mut Vm, it: &Value) -> PyResult<Option<Value>> {
    let cur = as_cursor(vm, it)?;
    fetch(vm, it, cur)
}

fn me<'a>(
    vm: &mut Vm,
    a: &Args<'a>,
    fname: &str,
    min: usize,
    max: usize,
) -> PyResult<(&'a CursorObj, &'a Value, &'a [Value])> {
    let (s, rest) = crate::modules::native_args::this(vm, fname, a, min, max)?;
    Ok((as_cursor(vm, s)?, s, rest))
}

fn k_execute(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (_, s, rest) = me(vm, a, "execute", 1, 2)?;
    execute_on(vm, s, &rest[0], rest.get(1), false, "execute")
}

fn k_executemany(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (_, s, rest) = me(vm, a, "executemany", 2, 2)?;
    execute_on(vm, s, &rest[0], rest.get(1), true, "executemany")
}

fn k_executescript(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (_, s, rest) = me(vm, a, "executescript", 1, 1)?;
    executescript_on(vm, s, &rest[0])
}

fn k_fetchone(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (c, s, _) = me(vm, a, "fetchone", 0, 0)?;
    Ok(fetch(vm, s, c)?.unwrap_or_else(Value::none))
}

fn k_fetchmany(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (s, rest) = receiver(vm, "fetchmany", a)?;
    let c = as_cursor(vm, s)?;
    let p = bind(vm, "fetchmany", &rest, &["size"], 0, 1)?;
    let max = match p[0] {
        Some(v) => crate::modules::args::c_int(vm, v)? as i64,
        None => c.st.read(|s| s.arraysize),
    };
    let mut out = Vec::new();
    while let Some(r) = fetch(vm, s, c)? {
        out.push(r);
        if out.len() as i64 >= max {
            break;
        }
    }
    Ok(ListObj::new_value(out))
}

fn k_fetchall(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (c, s, _) = me(vm, a, "fetchall", 0, 0)?;
    let mut out = Vec::new();
    while let Some(r) = fetch(vm, s, c)? {
        out.push(r);
    }
    Ok(ListObj::new_value(out))
}

fn k_close(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (c, _, _) = me(vm, a, "close", 0, 0)?;
    c.conn().checked(vm)?;
    let st = c.st.with(|s| {
        s.closed = true;
        s.stmt.take()
    });
    drop(st);
    Ok(Value::none())
}

fn k_noop(_vm: &mut Vm, _a: &Args) -> PyResult<Value> {
    Ok(Value::none())
}

fn getter<'a>(vm: &mut Vm, a: &Args<'a>) -> PyResult<&'a CursorObj> {
    as_cursor(vm, &a.pos()[0])
}

fn g_description(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    Ok(getter(vm, a)?.st.read(|s| s.description.clone()))
}
fn g_rowcount(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    Ok(Value::int(getter(vm, a)?.st.read(|s| s.rowcount)))
}
fn g_lastrowid(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    Ok(getter(vm, a)?.st.read(|s| s.lastrowid.clone()))
}
/// The setter of the read-only members (`rowcount`, `description`, ...).
fn s_readonly(vm: &mut Vm, _a: &Args) -> PyResult<Value> {
    Err(vm.attribute_error("readonly attribute"))
}

fn g_connection(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    Ok(getter(vm, a)?.conn.clone())
}
fn g_arraysize(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    Ok(Value::int(getter(vm, a)?.st.read(|s| s.arraysize)))
}
fn s_arraysize(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let c = getter(vm, a)?;
    let n = crate::modules::args::c_int(vm, &a.pos()[1])? as i64;
    c.st.with(|s| s.arraysize = n);
    Ok(Value::none())
}
fn g_row_factory(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    Ok(getter(vm, a)?.st.read(|s| s.row_factory.clone()))
}
fn s_row_factory(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let c = getter(vm, a)?;
    let v = a.pos()[1].clone();
    c.st.with(|s| s.row_factory = v);
    Ok(Value::none())
}

pub fn init_type(_vm: &mut Vm) -> PyResult<Value> {
    let existing = CURSOR.load(std::sync::atomic::Ordering::Acquire);
    let t = new_type::<CursorObj>(
        "Cursor",
        "sqlite3",
        object_type(),
        Kind::Native,
        &CURSOR_T,
        &CURSOR,
    );
    if existing != 0 {
        return Ok(t);
    }
    crate::modules::native_args::static_new(&t, cursor_new_method);
    methods(
        &t,
        &[
            ("__init__", ignore_init),
            ("__iter__", iter_self),
            ("__next__", next_method),
            ("execute", k_execute),
            ("executemany", k_executemany),
            ("executescript", k_executescript),
            ("fetchone", k_fetchone),
            ("fetchmany", k_fetchmany),
            ("fetchall", k_fetchall),
            ("close", k_close),
            ("setinputsizes", k_noop),
            ("setoutputsize", k_noop),
        ],
    );
    getset(&t, "description", g_description, Some(s_readonly));
    getset(&t, "rowcount", g_rowcount, Some(s_readonly));
    getset(&t, "lastrowid", g_lastrowid, Some(s_readonly));
    getset(&t, "connection", g_connection, Some(s_readonly));
    getset(&t, "arraysize", g_arraysize, Some(s_arraysize));
    getset(&t, "row_factory", g_row_factory, Some(s_row_factory));
    let _ = as_conn;
    Ok(t)
}
