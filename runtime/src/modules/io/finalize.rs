//! Finalizing file objects that die open (CPython's `iobase_finalize` and
//! `_dealloc_warn`): a ResourceWarning "unclosed file <repr>" naming the outermost
//! object (the text or buffered layer the program held), then `close()`, which
//! flushes and closes the layers below.
//!
//! FileIO objects owning their descriptor, and the buffered and text objects, are
//! flagged `FLAG_NATIVE_FINALIZER` when their state is installed and unflagged when
//! closed, so only objects that die open pay for the finalizer: `finalize.rs` queues
//! them and runs [`finalize`] at the thread's next safe point.
use std::sync::atomic::Ordering;

use stitch_stencils::header::{FLAG_NATIVE_FINALIZER, ObjHeader};

use super::{Native, io_types, state_of};
use crate::object::PyObj;
use crate::types::class::TypeData;
use crate::value::Value;
use crate::vm::Vm;

/// Flag `obj` for finalization when it dies.
pub fn watch(obj: &Value) {
    if let Some(h) = obj.header() {
        h.ob_flags
            .fetch_or(FLAG_NATIVE_FINALIZER, Ordering::Relaxed);
    }
}

/// `obj` was closed: nothing left to finalize.
pub fn unwatch(obj: &Value) {
    if let Some(h) = obj.header() {
        h.ob_flags
            .fetch_and(!FLAG_NATIVE_FINALIZER, Ordering::Relaxed);
    }
}

/// Is the dying object at `h` (flagged `FLAG_NATIVE_FINALIZER`) a file object?
///
/// # Safety
/// `h` is a live object.
pub unsafe fn is_file_object(h: *const ObjHeader) -> bool {
    // SAFETY: `h` is live (the caller's contract); every type object is a
    // `PyObj<TypeData>`.
    let td = unsafe { &(*((*h).ob_type as *const PyObj<TypeData>)).payload };
    let io = io_types();
    [
        &io.file_io,
        &io.buffered_reader,
        &io.buffered_writer,
        &io.buffered_random,
        &io.text_io_wrapper,
    ]
    .iter()
    .any(|t| td.is_subtype_raw(t.raw()))
}

/// Does the raw file under `obj` (through the text and buffered layers) still own an
/// open descriptor?
fn owns_open_fd(obj: &Value) -> bool {
    let mut cur = obj.clone();
    for _ in 0..4 {
        let Some(st) = state_of(&cur) else {
            return false;
        };
        let Some(s) = st.downcast_exact::<super::IoStateObj>() else {
            return false;
        };
        let next = match &s.s {
            Native::File(l) => {
                if l.flag.load(Ordering::Acquire) {
                    return false;
                }
                return l.lock_plain().is_some_and(|f| f.fd >= 0 && f.closefd);
            }
            Native::Buffered(b) => match b.lock_plain() {
                Some(g) => g.raw.obj.clone(),
                None => return false,
            },
            Native::Text(l) => match l.lock_plain() {
                Some(g) => super::textio::buffer_of(&g),
                None => return false,
            },
            _ => return false,
        };
        if next.is_null() {
            return false;
        }
        cur = next;
    }
    false
}

/// Finalize a file object that died flagged: warn if it still owns an open
/// descriptor, then close it. Errors are dropped, as CPython drops them (outside
/// development mode, where they go to `sys.unraisablehook`).
pub fn finalize(vm: &mut Vm, obj: &Value) {
    let closed = match crate::ops::getattr_opt(vm, obj, "closed") {
        Ok(Some(c)) => crate::ops::truthy(vm, &c).unwrap_or(true),
        _ => true,
    };
    if closed {
        return;
    }
    if owns_open_fd(obj) {
        let msg = match crate::ops::repr(vm, obj) {
            Ok(r) => format!("unclosed file {r}"),
            Err(_) => "unclosed file".to_string(),
        };
        let category = crate::world::types().resource_warning;
        if let Err(e) = crate::modules::warnings::warn_str(vm, category, &msg, 1, Some(obj)) {
            crate::modules::unraisable::write(vm, &e, None, obj);
        }
    }
    let r = crate::ops::getattr_str(vm, obj, "close").and_then(|f| vm.call(&f, &[]));
    if let Err(e) = r
        && crate::modules::sys::dev_mode(vm)
    {
        crate::modules::unraisable::write(vm, &e, None, obj);
    }
}
