//! The pickler's memo: object identity -> (memo index, the object). Keyed by the
//! object's address, as CPython's `PyMemoTable`; holding the object keeps the address
//! from being reused by another object while the memo lives (temporaries the pickler
//! makes, such as the argument tuple of NEWOBJ, are memoized too).
use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

use crate::value::Value;

/// Hashes an object address: the low bits are alignment, so mix with a multiply.
#[derive(Default)]
pub struct IdHasher(u64);

impl Hasher for IdHasher {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = (self.0 << 8 | b as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15);
        }
    }
    fn write_u64(&mut self, n: u64) {
        self.0 = (n >> 3).wrapping_mul(0x9E37_79B9_7F4A_7C15);
    }
}

#[derive(Default, Clone)]
pub struct Memo {
    map: HashMap<u64, (u64, Value), BuildHasherDefault<IdHasher>>,
}

impl Memo {
    pub fn with_capacity(n: usize) -> Memo {
        Memo {
            map: HashMap::with_capacity_and_hasher(n, Default::default()),
        }
    }

    #[inline]
    pub fn get(&self, obj: &Value) -> Option<u64> {
        if self.map.is_empty() {
            return None;
        }
        self.map.get(&obj.bits()).map(|e| e.0)
    }

    pub fn len(&self) -> usize {
        self.map.len()
    }

    pub fn set(&mut self, obj: &Value, idx: u64) {
        self.map.insert(obj.bits(), (idx, obj.clone()));
    }

    /// (index, object) pairs, for `memo.copy()`.
    pub fn entries(&self) -> Vec<(u64, u64, Value)> {
        self.map
            .iter()
            .map(|(k, (i, v))| (*k, *i, v.clone()))
            .collect()
    }
}
