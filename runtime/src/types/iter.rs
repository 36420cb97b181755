//! Native iterators: one payload type whose state says what it walks, shared by every
//! builtin iterator type (`list_iterator`, `dict_keyiterator`, `map`, `zip`, ...: the
//! types CPython has, `world.rs`). The type an iterator gets when it is made only names
//! it for Python (`type(it)`, `__reduce__`); `next` goes by the state. `map`, `filter`,
//! `zip`, `enumerate` and `reversed` may be subclassed: their Python subclasses'
//! instances are `SubObj<IterObj>` (see `types::layout`).
use crate::object::ObjCell;
use crate::types::class::{Kind, type_data_raw};
use crate::value::{PyPayload, Value};
use crate::world::types;
use stitch_stencils::value::RawValue;

#[derive(Clone)]
pub enum IterState {
    /// list or tuple (by index, so list growth during iteration is seen like CPython)
    Seq {
        seq: Value,
        i: usize,
    },
    Str {
        s: Value,
        byte: usize,
    },
    /// `len` is the range's length (for `__reduce__` and `__setstate__`, which count
    /// from its start).
    Range {
        cur: i64,
        step: i64,
        left: i64,
        len: i64,
    },
    /// bytes or bytearray, by index (a bytearray may change while it is walked).
    Bytes {
        seq: Value,
        i: usize,
    },
    /// Dict keys / values / items (`kind` 0, 1, 2), checking for size changes.
    Dict {
        dict: Value,
        pos: usize,
        kind: u8,
        len: usize,
    },
    Set {
        set: Value,
        pos: usize,
        len: usize,
    },
    Enumerate {
        it: Value,
        n: Value,
    },
    Zip {
        its: Vec<Value>,
        strict: bool,
    },
    Map {
        f: Value,
        its: Vec<Value>,
    },
    Filter {
        f: Value,
        it: Value,
    },
    /// Reverse walk over a sequence by index.
    Reversed {
        seq: Value,
        i: isize,
    },
    /// The `__getitem__` iteration protocol.
    GetItem {
        obj: Value,
        i: i64,
    },
    /// iter(callable, sentinel)
    Callable {
        f: Value,
        sentinel: Value,
    },
    Exhausted,
}

pub struct IterObj {
    pub state: ObjCell<IterState>,
}

impl PyPayload for IterObj {
    fn class() -> RawValue {
        types().iterator
    }
    /// Any builtin iterator type (kind `Iter`, not a Python class).
    #[inline(always)]
    fn is_exact_type(ty: RawValue) -> bool {
        let td = type_data_raw(ty);
        td.kind == Kind::Iter && !td.is_heap
    }
}

impl IterObj {
    /// The payload of `v` when its type is exactly `ty`, one builtin iterator type: the
    /// specialized FOR_ITER families test their own type (one compare, no type data).
    #[inline(always)]
    pub fn of_type(v: &Value, ty: RawValue) -> Option<&IterObj> {
        debug_assert!(Self::is_exact_type(ty));
        let h = v.header()?;
        if std::ptr::eq(h.ob_type as *const u8, ty.as_ptr()) {
            // SAFETY: objects of the builtin iterator types are `PyObj<IterObj>`.
            return Some(unsafe { v.payload_unchecked::<IterObj>() });
        }
        None
    }

    /// A new iterator of the builtin iterator type `ty` (a `types()` field).
    pub fn new_value(ty: RawValue, state: IterState) -> Value {
        debug_assert!(Self::is_exact_type(ty));
        let obj = crate::object::alloc(
            ty,
            IterObj {
                state: ObjCell::new(state),
            },
        );
        // SAFETY: `alloc` returns a new object whose one reference we own.
        unsafe { Value::from_raw(obj) }
    }
}
