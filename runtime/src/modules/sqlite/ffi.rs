//! Thin owners of SQLite handles (from the `bundled` SQLite that `rusqlite` compiles
//! in). A cursor keeps a prepared statement positioned on a row across Python calls,
//! which rusqlite's borrowing `Statement<'conn>` cannot express inside an object
//! payload, so the module drives SQLite's C API through `rusqlite::ffi` here, with
//! every raw call in this one file.
//!
//! A database handle is shared (`Arc`) by its connection and by every statement
//! prepared on it, so a statement is always finalized before the database closes.
//! SQLite is built in serialized mode (`SQLITE_THREADSAFE=1`): its calls may come from
//! any thread.
use std::ffi::{CStr, CString, c_char, c_int, c_void};
use std::sync::Arc;

use rusqlite::ffi;

/// An open database; closed when the last owner drops it.
pub struct DbHandle {
    raw: *mut ffi::sqlite3,
}

// SAFETY: SQLite is compiled in serialized mode, so one handle may be used from any
// thread, concurrently; the pointer is owned here and freed once, in Drop.
unsafe impl Send for DbHandle {}
// SAFETY: as for Send: every method takes &self and SQLite serializes the calls.
unsafe impl Sync for DbHandle {}

impl Drop for DbHandle {
    fn drop(&mut self) {
        // SAFETY: `raw` came from sqlite3_open_v2 and is closed exactly once; every
        // statement holds an Arc to this handle, so none is left unfinalized.
        unsafe { ffi::sqlite3_close(self.raw) };
    }
}

pub type Db = Arc<DbHandle>;

/// Opens `path` (`uri`: as a `file:` URI). On failure, SQLite's message.
pub fn open(path: &[u8], uri: bool) -> Result<Db, String> {
    let Ok(c) = CString::new(path) else {
        return Err("embedded null byte".to_string());
    };
    let mut flags = ffi::SQLITE_OPEN_READWRITE | ffi::SQLITE_OPEN_CREATE;
    if uri {
        flags |= ffi::SQLITE_OPEN_URI;
    }
    let mut raw = std::ptr::null_mut();
    // SAFETY: `c` is a NUL-terminated string and `raw` a valid out-pointer.
    let rc = unsafe { ffi::sqlite3_open_v2(c.as_ptr(), &mut raw, flags, std::ptr::null()) };
    if rc != ffi::SQLITE_OK {
        let msg = if raw.is_null() {
            "unable to open database file".to_string()
        } else {
            // SAFETY: a handle returned with an error is still valid for errmsg, and
            // must be closed.
            unsafe {
                let m = CStr::from_ptr(ffi::sqlite3_errmsg(raw))
                    .to_string_lossy()
                    .into_owned();
                ffi::sqlite3_close(raw);
                m
            }
        };
        return Err(msg);
    }
    let db = Arc::new(DbHandle { raw });
    // CPython's SQLite enforces foreign keys only when asked (`PRAGMA foreign_keys`);
    // the bundled build turns them on by default, so turn them off.
    // SAFETY: a valid handle; the variadic arguments are an int and a NULL int*.
    unsafe {
        ffi::sqlite3_db_config(
            db.raw,
            ffi::SQLITE_DBCONFIG_ENABLE_FKEY,
            0 as c_int,
            std::ptr::null_mut::<c_int>(),
        );
        ffi::sqlite3_extended_result_codes(db.raw, 1);
    }
    Ok(db)
}

impl DbHandle {
    pub fn raw(&self) -> *mut ffi::sqlite3 {
        self.raw
    }

    /// The message of the last failed call.
    pub fn errmsg(&self) -> String {
        // SAFETY: a valid handle; errmsg returns a NUL-terminated string it owns.
        unsafe { CStr::from_ptr(ffi::sqlite3_errmsg(self.raw)) }
            .to_string_lossy()
            .into_owned()
    }

    /// The extended result code of the last failed call.
    pub fn errcode(&self) -> i32 {
        // SAFETY: a valid handle.
        unsafe { ffi::sqlite3_extended_errcode(self.raw) }
    }

    pub fn changes(&self) -> i64 {
        // SAFETY: a valid handle.
        unsafe { ffi::sqlite3_changes(self.raw) as i64 }
    }

    pub fn total_changes(&self) -> i64 {
        // SAFETY: a valid handle.
        unsafe { ffi::sqlite3_total_changes(self.raw) as i64 }
    }

    pub fn last_insert_rowid(&self) -> i64 {
        // SAFETY: a valid handle.
        unsafe { ffi::sqlite3_last_insert_rowid(self.raw) }
    }

    /// True outside a transaction.
    pub fn autocommit(&self) -> bool {
        // SAFETY: a valid handle.
        unsafe { ffi::sqlite3_get_autocommit(self.raw) != 0 }
    }

    pub fn busy_timeout(&self, ms: i32) {
        // SAFETY: a valid handle.
        unsafe { ffi::sqlite3_busy_timeout(self.raw, ms) };
    }

    pub fn sql_length_limit(&self) -> i64 {
        // SAFETY: a valid handle; -1 only reads the limit.
        unsafe { ffi::sqlite3_limit(self.raw, ffi::SQLITE_LIMIT_SQL_LENGTH, -1) as i64 }
    }
}

/// A prepared statement; finalized on drop.
pub struct Stmt {
    raw: *mut ffi::sqlite3_stmt,
    /// Keeps the database open until the statement is finalized.
    _db: Db,
}

// SAFETY: SQLite in serialized mode allows a statement to be used from any thread;
// its owner (a cursor) only lends it out to one caller at a time.
unsafe impl Send for Stmt {}
// SAFETY: as for Send.
unsafe impl Sync for Stmt {}

impl Drop for Stmt {
    fn drop(&mut self) {
        // SAFETY: `raw` came from sqlite3_prepare_v2 and is finalized exactly once.
        unsafe { ffi::sqlite3_finalize(self.raw) };
    }
}

/// The outcome of preparing the first statement of some SQL.
pub enum Prepared {
    /// A statement, and the byte offset where the SQL after it starts.
    Stmt(Stmt, usize),
    /// Only whitespace or comments: no statement (offset past what was read).
    Empty(usize),
}

/// Prepares the first statement of `sql`. Err: SQLite failed (see `errmsg`).
pub fn prepare(db: &Db, sql: &str) -> Result<Prepared, ()> {
    let mut raw = std::ptr::null_mut();
    let mut tail: *const c_char = std::ptr::null();
    let base = sql.as_ptr() as *const c_char;
    // SAFETY: `sql` is valid for `sql.len()` bytes (no NUL needed when the length is
    // given); `raw` and `tail` are valid out-pointers.
    let rc =
        unsafe { ffi::sqlite3_prepare_v2(db.raw, base, sql.len() as c_int, &mut raw, &mut tail) };
    if rc != ffi::SQLITE_OK {
        return Err(());
    }
    let off = if tail.is_null() {
        sql.len()
    } else {
        // SAFETY: SQLite sets `tail` to a point inside (or just past) `sql`.
        unsafe { tail.offset_from(base) as usize }
    };
    if raw.is_null() {
        return Ok(Prepared::Empty(off));
    }
    Ok(Prepared::Stmt(
        Stmt {
            raw,
            _db: db.clone(),
        },
        off,
    ))
}

/// Runs `sql` (statements without results, such as BEGIN or COMMIT).
pub fn exec(db: &Db, sql: &str) -> Result<(), ()> {
    let c = CString::new(sql).map_err(|_| ())?;
    // SAFETY: a valid handle and a NUL-terminated statement; no callback.
    let rc = unsafe {
        ffi::sqlite3_exec(
            db.raw,
            c.as_ptr(),
            None,
            std::ptr::null_mut(),
            std::ptr::null_mut(),
        )
    };
    if rc == ffi::SQLITE_OK {
        Ok(())
    } else {
        Err(())
    }
}

/// Asks a running statement on `db` to stop (`Connection.interrupt`).
pub fn interrupt(db: &Db) {
    // SAFETY: a valid handle; sqlite3_interrupt may be called from any thread.
    unsafe { ffi::sqlite3_interrupt(db.raw) };
}

/// `sqlite3_complete`: does `sql` end a complete statement?
pub fn complete(sql: &str) -> bool {
    let Ok(c) = CString::new(sql) else {
        return false;
    };
    // SAFETY: a NUL-terminated string.
    unsafe { ffi::sqlite3_complete(c.as_ptr()) != 0 }
}

pub fn libversion() -> String {
    // SAFETY: returns a static NUL-terminated string.
    unsafe { CStr::from_ptr(ffi::sqlite3_libversion()) }
        .to_string_lossy()
        .into_owned()
}

/// A column's (or a function argument's) value, copied out of SQLite.
pub enum Cell {
    Null,
    Int(i64),
    Float(f64),
    Text(Vec<u8>),
    Blob(Vec<u8>),
}

impl Stmt {
    /// One step: SQLITE_ROW, SQLITE_DONE or an error code.
    pub fn step(&self) -> i32 {
        // SAFETY: a valid statement.
        unsafe { ffi::sqlite3_step(self.raw) }
    }

    pub fn reset(&self) {
        // SAFETY: a valid statement.
        unsafe {
            ffi::sqlite3_reset(self.raw);
            ffi::sqlite3_clear_bindings(self.raw);
        }
    }

    pub fn column_count(&self) -> usize {
        // SAFETY: a valid statement.
        unsafe { ffi::sqlite3_column_count(self.raw) as usize }
    }

    fn text_of(p: *const c_char) -> Option<String> {
        if p.is_null() {
            return None;
        }
        // SAFETY: SQLite returns NUL-terminated UTF-8 strings valid until the next call
        // on the statement; copied at once.
        Some(unsafe { CStr::from_ptr(p) }.to_string_lossy().into_owned())
    }

    pub fn column_name(&self, i: usize) -> String {
        // SAFETY: a valid statement and column index.
        Self::text_of(unsafe { ffi::sqlite3_column_name(self.raw, i as c_int) }).unwrap_or_default()
    }

    pub fn column_decltype(&self, i: usize) -> Option<String> {
        // SAFETY: a valid statement and column index.
        Self::text_of(unsafe { ffi::sqlite3_column_decltype(self.raw, i as c_int) })
    }

    pub fn bind_parameter_count(&self) -> usize {
        // SAFETY: a valid statement.
        unsafe { ffi::sqlite3_bind_parameter_count(self.raw) as usize }
    }

    /// The name of parameter `i` (1-based), with its prefix character.
    pub fn bind_parameter_name(&self, i: usize) -> Option<String> {
        // SAFETY: a valid statement; the index is checked by SQLite.
        Self::text_of(unsafe { ffi::sqlite3_bind_parameter_name(self.raw, i as c_int) })
    }

    /// Binds parameter `i` (1-based); SQLite's result code.
    pub fn bind(&self, i: usize, v: &Cell) -> i32 {
        let i = i as c_int;
        // SAFETY: a valid statement; text and blobs are copied by SQLite
        // (SQLITE_TRANSIENT) before the call returns.
        unsafe {
            match v {
                Cell::Null => ffi::sqlite3_bind_null(self.raw, i),
                Cell::Int(n) => ffi::sqlite3_bind_int64(self.raw, i, *n),
                Cell::Float(f) => ffi::sqlite3_bind_double(self.raw, i, *f),
                Cell::Text(t) => ffi::sqlite3_bind_text(
                    self.raw,
                    i,
                    t.as_ptr() as *const c_char,
                    t.len() as c_int,
                    ffi::SQLITE_TRANSIENT(),
                ),
                Cell::Blob(b) => ffi::sqlite3_bind_blob(
                    self.raw,
                    i,
                    b.as_ptr() as *const c_void,
                    b.len() as c_int,
                    ffi::SQLITE_TRANSIENT(),
                ),
            }
        }
    }

    /// The value of column `i` of the current row.
    pub fn column(&self, i: usize) -> Cell {
        let i = i as c_int;
        // SAFETY: a valid statement positioned on a row; the text and blob pointers are
        // valid for the byte counts SQLite reports, and are copied at once.
        unsafe {
            match ffi::sqlite3_column_type(self.raw, i) {
                ffi::SQLITE_NULL => Cell::Null,
                ffi::SQLITE_INTEGER => Cell::Int(ffi::sqlite3_column_int64(self.raw, i)),
                ffi::SQLITE_FLOAT => Cell::Float(ffi::sqlite3_column_double(self.raw, i)),
                ffi::SQLITE_TEXT => {
                    let p = ffi::sqlite3_column_text(self.raw, i);
                    let n = ffi::sqlite3_column_bytes(self.raw, i) as usize;
                    Cell::Text(copy(p, n))
                }
                _ => {
                    let p = ffi::sqlite3_column_blob(self.raw, i);
                    let n = ffi::sqlite3_column_bytes(self.raw, i) as usize;
                    Cell::Blob(copy(p as *const u8, n))
                }
            }
        }
    }

    /// Column `i` as bytes (what converters receive); None for NULL.
    pub fn column_bytes(&self, i: usize) -> Option<Vec<u8>> {
        let i = i as c_int;
        // SAFETY: as in `column`.
        unsafe {
            if ffi::sqlite3_column_type(self.raw, i) == ffi::SQLITE_NULL {
                return None;
            }
            let p = ffi::sqlite3_column_blob(self.raw, i);
            let n = ffi::sqlite3_column_bytes(self.raw, i) as usize;
            Some(copy(p as *const u8, n))
        }
    }
}

/// Copies `n` bytes at `p` (NULL with n == 0 gives an empty vector).
///
/// # Safety
/// `p` must be valid for reading `n` bytes when n > 0.
unsafe fn copy(p: *const u8, n: usize) -> Vec<u8> {
    if p.is_null() || n == 0 {
        return Vec::new();
    }
    // SAFETY: the caller guarantees `p` is valid for `n` bytes.
    unsafe { std::slice::from_raw_parts(p, n) }.to_vec()
}

/// The value of a function argument.
///
/// # Safety
/// `v` must be a valid `sqlite3_value` for the duration of the call.
pub unsafe fn value_cell(v: *mut ffi::sqlite3_value) -> Cell {
    // SAFETY: the caller guarantees `v` is valid; text/blob pointers are valid for the
    // reported byte counts and copied at once.
    unsafe {
        match ffi::sqlite3_value_type(v) {
            ffi::SQLITE_NULL => Cell::Null,
            ffi::SQLITE_INTEGER => Cell::Int(ffi::sqlite3_value_int64(v)),
            ffi::SQLITE_FLOAT => Cell::Float(ffi::sqlite3_value_double(v)),
            ffi::SQLITE_TEXT => {
                let p = ffi::sqlite3_value_text(v);
                let n = ffi::sqlite3_value_bytes(v) as usize;
                Cell::Text(copy(p, n))
            }
            _ => {
                let p = ffi::sqlite3_value_blob(v);
                let n = ffi::sqlite3_value_bytes(v) as usize;
                Cell::Blob(copy(p as *const u8, n))
            }
        }
    }
}

/// Sets a function's result.
///
/// # Safety
/// `ctx` must be the context of the running function call.
pub unsafe fn result(ctx: *mut ffi::sqlite3_context, v: &Cell) {
    // SAFETY: the caller guarantees `ctx`; text and blobs are copied (TRANSIENT).
    unsafe {
        match v {
            Cell::Null => ffi::sqlite3_result_null(ctx),
            Cell::Int(n) => ffi::sqlite3_result_int64(ctx, *n),
            Cell::Float(f) => ffi::sqlite3_result_double(ctx, *f),
            Cell::Text(t) => ffi::sqlite3_result_text(
                ctx,
                t.as_ptr() as *const c_char,
                t.len() as c_int,
                ffi::SQLITE_TRANSIENT(),
            ),
            Cell::Blob(b) => ffi::sqlite3_result_blob(
                ctx,
                b.as_ptr() as *const c_void,
                b.len() as c_int,
                ffi::SQLITE_TRANSIENT(),
            ),
        }
    }
}

/// Sets a function's result to an error with `msg`.
///
/// # Safety
/// `ctx` must be the context of the running function call.
pub unsafe fn result_error(ctx: *mut ffi::sqlite3_context, msg: &str) {
    // SAFETY: the caller guarantees `ctx`; the message is copied by SQLite.
    unsafe { ffi::sqlite3_result_error(ctx, msg.as_ptr() as *const c_char, msg.len() as c_int) };
}
