//! tuple: an immutable array of values.
use crate::value::{PyPayload, Value};
use crate::world::types;
use stitch_stencils::value::RawValue;

pub struct TupleObj {
    pub items: Box<[Value]>,
}

impl PyPayload for TupleObj {
    fn class() -> RawValue {
        types().tuple
    }
}

impl TupleObj {
    pub fn new_value(items: Vec<Value>) -> Value {
        Value::alloc(TupleObj {
            items: items.into_boxed_slice(),
        })
    }
}

/// CPython 3.11's tuple hash (xxHash-based), over already-computed item hashes.
pub fn tuple_hash(hashes: &[i64]) -> i64 {
    const P1: u64 = 11400714785074694791;
    const P2: u64 = 14029467366897019727;
    const P5: u64 = 2870177450012600261;
    let mut acc = P5;
    for &h in hashes {
        acc = acc.wrapping_add((h as u64).wrapping_mul(P2));
        acc = acc.rotate_left(31);
        acc = acc.wrapping_mul(P1);
    }
    acc = acc.wrapping_add((hashes.len() as u64) ^ (P5 ^ 3527539));
    if acc == u64::MAX {
        1546275796
    } else {
        acc as i64
    }
}
