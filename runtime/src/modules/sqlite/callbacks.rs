//! SQLite calling back into Python: user-defined scalar functions, aggregates (a
//! class with `step` and `finalize`) and collations. Each callback finds the VM of the
//! statement that is running on its thread (`super::callback_vm`); an exception in the
//! Python code becomes an SQLite error with CPython's message ("user-defined function
//! raised exception"), which the statement then raises as OperationalError.
use std::ffi::{CString, c_int, c_void};
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::atomic::AtomicBool;

use rusqlite::ffi as sys;

use super::ffi::{self, Cell, Db};
use crate::types::bytes::BytesObj;
use crate::types::str::{as_str, new_string};
use crate::value::Value;
use crate::vm::Vm;

/// `enable_callback_tracebacks` (recorded; tracebacks are not printed).
pub static TRACEBACKS: AtomicBool = AtomicBool::new(false);

fn cell_value(c: Cell) -> Value {
    match c {
        Cell::Null => Value::none(),
        Cell::Int(n) => Value::int(n),
        Cell::Float(f) => Value::float(f),
        Cell::Text(t) => new_string(String::from_utf8_lossy(&t).into_owned()),
        Cell::Blob(b) => BytesObj::new_value(b),
    }
}

/// A function result as an SQLite value (None: unsupported or too large).
fn value_cell(v: &Value) -> Option<Cell> {
    if v.is_none() {
        return Some(Cell::Null);
    }
    if let Some(i) = crate::types::int::as_int(v) {
        return i.to_i64().map(Cell::Int);
    }
    if let Some(f) = v.as_float() {
        return Some(Cell::Float(f));
    }
    if let Some(s) = as_str(v) {
        return Some(Cell::Text(s.as_bytes().to_vec()));
    }
    crate::modules::buffer::bytes_like(v).map(|b| Cell::Blob(b.into_owned()))
}

/// The arguments of a call, as Python values.
///
/// # Safety
/// `argv` must point at `argc` valid values.
unsafe fn args(argc: c_int, argv: *mut *mut sys::sqlite3_value) -> Vec<Value> {
    (0..argc.max(0) as usize)
        // SAFETY: the caller guarantees argv has argc valid entries.
        .map(|i| cell_value(unsafe { ffi::value_cell(*argv.add(i)) }))
        .collect()
}

/// Sets the call's result from `r`, or the error `msg`.
///
/// # Safety
/// `ctx` must be the running call's context.
unsafe fn finish(ctx: *mut sys::sqlite3_context, r: Result<Value, ()>, msg: &str) {
    let cell = r.ok().and_then(|v| value_cell(&v));
    // SAFETY: the caller guarantees ctx.
    unsafe {
        match cell {
            Some(c) => ffi::result(ctx, &c),
            None => ffi::result_error(ctx, msg),
        }
    }
}

/// Runs `f` with the VM, guarding against unwinding into SQLite.
fn guarded(ctx: *mut sys::sqlite3_context, f: impl FnOnce(&mut Vm)) {
    // SAFETY: called only from SQLite callbacks made inside `with_vm`.
    let Some(vm) = (unsafe { super::callback_vm() }) else {
        // SAFETY: ctx is the running call's context.
        unsafe { ffi::result_error(ctx, "no Python thread state for callback") };
        return;
    };
    if catch_unwind(AssertUnwindSafe(|| f(vm))).is_err() {
        // SAFETY: ctx is the running call's context.
        unsafe { ffi::result_error(ctx, "internal error in callback") };
    }
}

unsafe extern "C" fn destroy_value(p: *mut c_void) {
    if !p.is_null() {
        // SAFETY: user data pointers are `Box<Value>`s made in this file, freed once
        // here when SQLite drops the function or collation.
        drop(unsafe { Box::from_raw(p as *mut Value) });
    }
}

unsafe extern "C" fn func_cb(
    ctx: *mut sys::sqlite3_context,
    argc: c_int,
    argv: *mut *mut sys::sqlite3_value,
) {
    guarded(ctx, |vm| {
        // SAFETY: the user data is the Box<Value> this function was registered with;
        // argv/argc and ctx come from SQLite for this call.
        unsafe {
            let f = &*(sys::sqlite3_user_data(ctx) as *const Value);
            let a = args(argc, argv);
            let r = vm.call(f, &a).map_err(|_| ());
            finish(ctx, r, "user-defined function raised exception");
        }
    });
}

pub fn create_function(db: &Db, name: &str, narg: i32, deterministic: bool, f: Value) -> bool {
    let Ok(cname) = CString::new(name) else {
        return false;
    };
    let mut flags = sys::SQLITE_UTF8;
    if deterministic {
        flags |= sys::SQLITE_DETERMINISTIC;
    }
    let data = Box::into_raw(Box::new(f)) as *mut c_void;
    // SAFETY: a valid handle and name; `data` is owned by SQLite from here on and
    // freed by `destroy_value` (also when registration fails).
    let rc = unsafe {
        sys::sqlite3_create_function_v2(
            db.raw(),
            cname.as_ptr(),
            narg,
            flags,
            data,
            Some(func_cb),
            None,
            None,
            Some(destroy_value),
        )
    };
    rc == sys::SQLITE_OK
}

/// The aggregate instance slot of the running group.
///
/// # Safety
/// `ctx` must be an aggregate call's context.
unsafe fn agg_slot(ctx: *mut sys::sqlite3_context, alloc: bool) -> *mut *mut Value {
    let n = if alloc {
        std::mem::size_of::<*mut Value>() as c_int
    } else {
        0
    };
    // SAFETY: the caller guarantees ctx; SQLite zeroes the slot on first allocation.
    unsafe { sys::sqlite3_aggregate_context(ctx, n) as *mut *mut Value }
}

unsafe extern "C" fn step_cb(
    ctx: *mut sys::sqlite3_context,
    argc: c_int,
    argv: *mut *mut sys::sqlite3_value,
) {
    guarded(ctx, |vm| {
        // SAFETY: ctx/argv/argc come from SQLite for this call; the slot holds null or
        // a Box<Value> made here.
        unsafe {
            let slot = agg_slot(ctx, true);
            if slot.is_null() {
                sys::sqlite3_result_error_nomem(ctx);
                return;
            }
            if (*slot).is_null() {
                let cls = &*(sys::sqlite3_user_data(ctx) as *const Value);
                match vm.call(cls, &[]) {
                    Ok(inst) => *slot = Box::into_raw(Box::new(inst)),
                    Err(_) => {
                        ffi::result_error(
                            ctx,
                            "user-defined aggregate's '__init__' method raised error",
                        );
                        return;
                    }
                }
            }
            let inst = (**slot).clone();
            let a = args(argc, argv);
            let r = crate::ops::getattr_str(vm, &inst, "step").and_then(|m| vm.call(&m, &a));
            if r.is_err() {
                ffi::result_error(ctx, "user-defined aggregate's 'step' method raised error");
            }
        }
    });
}

unsafe extern "C" fn final_cb(ctx: *mut sys::sqlite3_context) {
    guarded(ctx, |vm| {
        // SAFETY: ctx comes from SQLite; the slot holds null or a Box<Value> made in
        // step_cb, taken (and freed) here once.
        unsafe {
            let slot = agg_slot(ctx, false);
            if slot.is_null() || (*slot).is_null() {
                sys::sqlite3_result_null(ctx);
                return;
            }
            let inst = *Box::from_raw(*slot);
            *slot = std::ptr::null_mut();
            let r = crate::ops::getattr_str(vm, &inst, "finalize")
                .and_then(|m| vm.call(&m, &[]))
                .map_err(|_| ());
            finish(
                ctx,
                r,
                "user-defined aggregate's 'finalize' method raised error",
            );
        }
    });
}

pub fn create_aggregate(db: &Db, name: &str, narg: i32, cls: Value) -> bool {
    let Ok(cname) = CString::new(name) else {
        return false;
    };
    let data = Box::into_raw(Box::new(cls)) as *mut c_void;
    // SAFETY: as in create_function.
    let rc = unsafe {
        sys::sqlite3_create_function_v2(
            db.raw(),
            cname.as_ptr(),
            narg,
            sys::SQLITE_UTF8,
            data,
            None,
            Some(step_cb),
            Some(final_cb),
            Some(destroy_value),
        )
    };
    rc == sys::SQLITE_OK
}

unsafe extern "C" fn collation_cb(
    data: *mut c_void,
    l1: c_int,
    p1: *const c_void,
    l2: c_int,
    p2: *const c_void,
) -> c_int {
    // SAFETY: called by SQLite inside `with_vm`.
    let Some(vm) = (unsafe { super::callback_vm() }) else {
        return 0;
    };
    let text = |p: *const c_void, l: c_int| {
        if p.is_null() || l <= 0 {
            return String::new();
        }
        // SAFETY: SQLite passes `l` valid bytes at `p`.
        let b = unsafe { std::slice::from_raw_parts(p as *const u8, l as usize) };
        String::from_utf8_lossy(b).into_owned()
    };
    let (a, b) = (text(p1, l1), text(p2, l2));
    let r = catch_unwind(AssertUnwindSafe(|| {
        // SAFETY: `data` is the Box<Value> the collation was registered with.
        let f = unsafe { &*(data as *const Value) };
        match vm.call(f, &[new_string(a), new_string(b)]) {
            Ok(v) => match crate::types::int::as_int(&v) {
                Some(i) if i.is_negative() => -1,
                Some(i) if i.is_zero() => 0,
                Some(_) => 1,
                None => 0,
            },
            Err(_) => 0,
        }
    }));
    r.unwrap_or(0)
}

pub fn create_collation(db: &Db, name: &str, f: Option<Value>) -> bool {
    let Ok(cname) = CString::new(name) else {
        return false;
    };
    let (data, cmp): (*mut c_void, _) = match f {
        Some(f) => (
            Box::into_raw(Box::new(f)) as *mut c_void,
            Some(collation_cb as _),
        ),
        None => (std::ptr::null_mut(), None),
    };
    // SAFETY: a valid handle and name; `data` is owned by SQLite from here on and
    // freed by `destroy_value`.
    let rc = unsafe {
        sys::sqlite3_create_collation_v2(
            db.raw(),
            cname.as_ptr(),
            sys::SQLITE_UTF8,
            data,
            cmp,
            Some(destroy_value),
        )
    };
    rc == sys::SQLITE_OK
}
