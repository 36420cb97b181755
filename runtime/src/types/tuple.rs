//! tuple: an immutable array of values.
use crate::value::{PyPayload, Value};
use crate::world::types;
use stitch_stencils::value::RawValue;

pub struct TupleObj {
    pub items: TupleItems,
}

/// A tuple's items: up to [`INLINE_ITEMS`] live inside the tuple object itself, so the
/// small tuples that calls, returns, `dict.items()` and `enumerate` make cost one
/// allocation (as CPython's variable-size tuple does) instead of an object and a
/// separate boxed slice. Dereferences to `[Value]`.
pub type TupleItems = smallvec::SmallVec<[Value; INLINE_ITEMS]>;

/// How many items a tuple holds without a separate buffer.
pub const INLINE_ITEMS: usize = 3;

impl PyPayload for TupleObj {
    fn class() -> RawValue {
        types().tuple
    }
}

impl TupleObj {
    pub fn new_value(items: Vec<Value>) -> Value {
        Value::alloc(TupleObj {
            items: items_of_vec(items),
        })
    }

    /// A tuple of clones of `items`, with no intermediate `Vec`.
    pub fn from_slice(items: &[Value]) -> Value {
        Value::alloc(TupleObj {
            items: TupleItems::from(items),
        })
    }

    /// A tuple of what `items` yields, with no intermediate `Vec` when it is small.
    pub fn from_items(items: impl IntoIterator<Item = Value>) -> Value {
        Value::alloc(TupleObj {
            items: items.into_iter().collect(),
        })
    }

    /// A tuple of `items`, collected by the caller (inline when small).
    pub fn of(items: TupleItems) -> Value {
        Value::alloc(TupleObj { items })
    }

    /// `(a, b)`.
    pub fn pair(a: Value, b: Value) -> Value {
        let mut items = TupleItems::new();
        items.push(a);
        items.push(b);
        Value::alloc(TupleObj { items })
    }
}

/// Tuple storage for `items`: inline when small, else the vector's own buffer (shrunk,
/// so a long-lived tuple holds no spare capacity).
pub fn items_of_vec(mut items: Vec<Value>) -> TupleItems {
    if items.len() > INLINE_ITEMS && items.capacity() > items.len() {
        items.shrink_to_fit();
    }
    TupleItems::from_vec(items)
}

/// CPython 3.11's tuple hash (xxHash-based), over already-computed item hashes.
pub fn tuple_hash(hashes: &[i64]) -> i64 {
    let mut h = TupleHasher::new();
    for &x in hashes {
        h.push(x);
    }
    h.finish()
}

/// CPython's tuple hash (xxHash's mixing, `tuplehash`), fed one item hash at a time
/// so hashing a tuple allocates nothing.
pub struct TupleHasher {
    acc: u64,
    len: u64,
}

impl TupleHasher {
    const P1: u64 = 11400714785074694791;
    const P2: u64 = 14029467366897019727;
    const P5: u64 = 2870177450012600261;

    pub fn new() -> Self {
        TupleHasher {
            acc: Self::P5,
            len: 0,
        }
    }

    #[inline]
    pub fn push(&mut self, h: i64) {
        self.acc = self.acc.wrapping_add((h as u64).wrapping_mul(Self::P2));
        self.acc = self.acc.rotate_left(31);
        self.acc = self.acc.wrapping_mul(Self::P1);
        self.len += 1;
    }

    pub fn finish(&self) -> i64 {
        let acc = self.acc.wrapping_add(self.len ^ (Self::P5 ^ 3527539));
        if acc == u64::MAX {
            1546275796
        } else {
            acc as i64
        }
    }
}

impl Default for TupleHasher {
    fn default() -> Self {
        Self::new()
    }
}
