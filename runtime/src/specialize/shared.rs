//! Bodies of specialized instructions that tier 1 runs and traces call, written once
//! against a `Stack` cursor: tier 1's dispatch arm and the trace's helper
//! (`crate::tier2::helpers`) both call the function here, so the two cannot disagree.
//! Each returns `None` (the stack untouched) when a guard fails: tier 1 then counts a
//! miss and runs the generic instruction; a trace takes the uop's exit and tier 1
//! re-runs the instruction.
use super::Record;
use super::exec as spec;
use super::stack::{Stack, discard};
use crate::instructions::Op;
use crate::types::func::FuncObj;
use crate::types::list::ListObj;
use crate::value::Value;
use crate::vm::Vm;
use stitch_stencils::frame::FrameHeader;

/// `LOAD_ATTR_INSTANCE` / `_SLOT` / `_NONDESCRIPTOR` / `_CLASS` / `_MODULE`: `obj` ->
/// its attribute.
#[inline(always)]
pub fn load_attr(op: Op, rec: &Record, name: &Value, s: &mut Stack) -> Option<()> {
    let obj = s.peek(1);
    let v = match op {
        Op::LOAD_ATTR_INSTANCE => spec::load_attr_instance(rec, obj, name),
        Op::LOAD_ATTR_SLOT => spec::load_attr_slot(rec, obj),
        Op::LOAD_ATTR_NONDESCRIPTOR => spec::load_class_attr_via_instance(rec, obj, name),
        Op::LOAD_ATTR_CLASS => spec::load_attr_class(rec, obj),
        Op::LOAD_ATTR_MODULE => spec::load_module_entry(rec, obj),
        _ => None,
    }?;
    let owner = s.replace(1, v);
    s.release(0, owner);
    Some(())
}

/// `LOAD_METHOD_INSTANCE` / `_NO_DICT`: `obj` -> `method, obj`; `LOAD_METHOD_MODULE`:
/// `module` -> `function, NULL`; `LOAD_METHOD_INSTANCE_ATTR`: `obj` -> `attribute, NULL`.
#[inline(always)]
pub fn load_method(op: Op, rec: &Record, name: &Value, s: &mut Stack) -> Option<()> {
    let obj = s.peek(1);
    match op {
        Op::LOAD_METHOD_INSTANCE | Op::LOAD_METHOD_NO_DICT | Op::LOAD_METHOD_SUBCLASS => {
            let f = match op {
                Op::LOAD_METHOD_INSTANCE => spec::load_class_attr_via_instance(rec, obj, name),
                Op::LOAD_METHOD_NO_DICT => spec::load_method_no_dict(rec, obj),
                _ => spec::load_method_subclass(rec, obj, name),
            }?;
            let obj = s.replace(1, f);
            s.push(obj);
        }
        Op::LOAD_METHOD_CLASS => {
            let (f, bind) = spec::load_method_class(rec, obj)?;
            let cls = s.replace(1, f);
            if bind {
                s.push(cls);
            } else {
                discard(cls);
                s.push(Value::NULL);
            }
        }
        Op::LOAD_METHOD_MODULE | Op::LOAD_METHOD_INSTANCE_ATTR => {
            let f = if op == Op::LOAD_METHOD_MODULE {
                spec::load_module_entry(rec, obj)
            } else {
                spec::load_attr_instance(rec, obj, name)
            }?;
            discard(s.replace(1, f));
            s.push(Value::NULL);
        }
        _ => return None,
    }
    Some(())
}

/// `STORE_ATTR_INSTANCE` / `_SLOT`: `value, obj` -> nothing (the replaced value is
/// released, which may run code: callers then run a safe point or a patchpoint).
#[inline(always)]
pub fn store_attr(op: Op, rec: &Record, name: &Value, s: &mut Stack) -> Option<()> {
    let v = s.take(2);
    let r = if op == Op::STORE_ATTR_INSTANCE {
        spec::store_attr_instance(rec, s.peek(1), name, v)
    } else {
        spec::store_attr_slot(rec, s.peek(1), v)
    };
    match r {
        Ok(old) => {
            let obj = s.take(1);
            s.shrink(2);
            s.release(0, obj);
            discard(old);
            Some(())
        }
        Err(v) => {
            s.put(2, v);
            None
        }
    }
}

/// `BINARY_SUBSCR_LIST_INT` / `_TUPLE_INT`: `seq, index` -> item (out of range: miss).
#[inline(always)]
pub fn binary_subscr(op: Op, s: &mut Stack) -> Option<()> {
    let v = if op == Op::BINARY_SUBSCR_LIST_INT {
        spec::list_get(s.peek(2), s.peek(1))
    } else {
        spec::tuple_get(s.peek(2), s.peek(1))
    }?;
    // The index is a small int (`list_get`/`tuple_get` checked): nothing to release.
    s.shrink(1);
    let seq = s.replace(1, v);
    s.release(1, seq);
    Some(())
}

/// `STORE_SUBSCR_LIST_INT`: `value, list, index` -> nothing.
#[inline(always)]
pub fn store_subscr_list_int(s: &mut Stack) -> Option<()> {
    let v = s.take(3);
    match spec::list_set(s.peek(2), s.peek(1), v) {
        Ok(old) => {
            // The index is a small int (`list_set` checked): nothing to release.
            let list = s.take(2);
            s.shrink(3);
            s.release(1, list);
            discard(old);
            Some(())
        }
        Err(v) => {
            s.put(3, v);
            None
        }
    }
}

/// `CALL_LEN` with one argument: `len, NULL, x` -> `len(x)`.
#[inline(always)]
pub fn call_len(rec: &Record, nargs: usize, s: &mut Stack) -> Option<()> {
    if nargs != 1 || !s.peek(2).is_null() || s.peek(3).raw() != rec.first().value {
        return None;
    }
    let n = spec::fast_len(s.peek(1))?;
    let x = s.pop();
    s.release(0, x);
    s.shrink(1);
    discard(s.replace(1, Value::int(n as i64)));
    Some(())
}

/// `CALL_ALLOC_NO_INIT`: `class, NULL` -> a new instance of the class (a plain Python
/// class with neither `__new__` nor `__init__` of its own, called with no arguments:
/// the record holds its version tag).
#[inline(always)]
pub fn call_alloc_no_init(rec: &Record, nargs: usize, s: &mut Stack) -> Option<()> {
    let cls = s.peek(2);
    if nargs != 0 || !s.peek(1).is_null() || !spec::plain_class_at(cls, rec.first().version) {
        return None;
    }
    let obj = crate::vm::new_instance_plain(cls, Vec::new());
    s.shrink(1);
    discard(s.replace(1, obj));
    Some(())
}

/// `CALL_LIST_APPEND` with one argument: `append, list, x` -> None.
#[inline(always)]
pub fn call_list_append(rec: &Record, nargs: usize, s: &mut Stack) -> Option<()> {
    if nargs != 1 || s.peek(3).raw() != rec.first().value {
        return None;
    }
    let l = s.peek(2).downcast_exact::<ListObj>()?;
    let item = s.take(1);
    l.push(item);
    s.shrink(1);
    let list = s.pop();
    s.release(1, list);
    discard(s.replace(1, Value::none()));
    Some(())
}

/// `UNPACK_SEQUENCE_TUPLE` / `_LIST` of `n` items: `seq` -> its items, first on top.
#[inline(always)]
pub fn unpack_sequence(op: Op, n: usize, s: &mut Stack) -> Option<()> {
    // The items go where the sequence was (nothing is written unless it matches); the
    // reference taken out of its slot keeps it alive meanwhile.
    let seq = std::mem::ManuallyDrop::new(s.take(1));
    s.shrink(1);
    let mut pushed = 0;
    let fits = spec::unpack_into(op, &seq, n, |v| {
        s.push(v);
        pushed += 1;
    });
    let seq = std::mem::ManuallyDrop::into_inner(seq);
    if fits.is_some() {
        discard(seq);
        Some(())
    } else {
        debug_assert_eq!(pushed, 0);
        s.push(seq);
        None
    }
}

/// What `alloc_and_enter_init` did.
pub enum InitCall {
    /// A guard failed: the stack is untouched.
    Miss,
    /// The recursion limit is reached: the stack is untouched (tier 1 raises
    /// RecursionError, a trace exits for tier 1 to do so).
    TooDeep,
    /// `__init__`'s frame, made and linked to nothing yet: the instance replaced the
    /// class, the arguments moved into the frame (the stack's top is just above the
    /// instance, the call's result).
    Entered(*mut FrameHeader),
}

/// `CALL_ALLOC_AND_ENTER_INIT`: `class, NULL, args...` -> the instance, with
/// `__init__`'s frame made (flagged `is_init`: its return leaves the instance, and a
/// return of anything but None raises). The record names the class's version and its
/// `__init__`, a plain function taking the instance and the arguments positionally.
///
/// # Safety
/// `s` holds the call's `nargs + 2` items.
#[inline(always)]
pub unsafe fn alloc_and_enter_init(
    vm: &mut Vm,
    rec: Option<&Record>,
    nargs: usize,
    s: &mut Stack,
) -> InitCall {
    let cls = s.peek(nargs + 2);
    let Some(rec) = rec else {
        return InitCall::Miss;
    };
    if !s.peek(nargs + 1).is_null()
        || !crate::types::class::as_type(cls).is_some_and(|td| {
            crate::types::type_version::current_version(td) == rec.first().version
        })
    {
        return InitCall::Miss;
    }
    let init = Value::from_borrowed(rec.first().value);
    // SAFETY: the version guard proves `init` is the class's Python `__init__`.
    let func = unsafe { init.payload_unchecked::<FuncObj>() };
    if !func.takes_positionally(nargs + 1) {
        return InitCall::Miss;
    }
    if vm.depth >= vm.recursion_limit {
        return InitCall::TooDeep;
    }
    let obj = crate::vm::new_instance_of(cls, Vec::new());
    // The instance fills the self slot (moved into the frame with the arguments) and
    // replaces the class.
    s.put(nargs + 1, obj.clone());
    let cls = s.replace(nargs + 2, obj);
    // SAFETY: slots from the self slot up hold the instance and the arguments, owned;
    // on success they belong to the frame.
    let made = unsafe { vm.push_frame_exact(&init, func, s.at(nargs + 1), nargs + 1) };
    match &made {
        Some(Ok(f)) => {
            let f = *f;
            // `made` holds nothing to release here (a frame pointer): forgetting it
            // skips a call to its drop glue on every instantiation.
            std::mem::forget(made);
            discard(cls);
            s.shrink(nargs + 1);
            // SAFETY: `f` is the new frame.
            unsafe { (*f).is_init = 1 };
            InitCall::Entered(f)
        }
        // Not reached (the arity and the depth were checked): put the stack back.
        _ => {
            drop(made);
            discard(s.take(nargs + 1));
            s.put(nargs + 1, Value::NULL);
            discard(s.replace(nargs + 2, cls));
            InitCall::Miss
        }
    }
}
