//! Native iterators: one payload type whose state says what it walks.
use crate::object::ObjCell;
use crate::value::{PyPayload, Value};
use crate::world::types;
use stitch_stencils::value::RawValue;

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
    Range {
        cur: i64,
        step: i64,
        left: i64,
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
}

impl IterObj {
    pub fn new_value(state: IterState) -> Value {
        Value::alloc(IterObj {
            state: ObjCell::new(state),
        })
    }
}
