//! str: immutable Unicode text. Stored as UTF-8 with its length in code points, so
//! ASCII strings (the common case) index in O(1).
use std::sync::atomic::{AtomicI64, Ordering};

use crate::value::{PyPayload, Value};
use crate::world::types;
use stitch_stencils::value::RawValue;

pub struct StrObj {
    pub s: Box<str>,
    /// Length in code points.
    pub nchars: usize,
    /// Cached hash; 0 = not computed yet (a real hash of 0 is stored as 1).
    hash: AtomicI64,
}

impl PyPayload for StrObj {
    fn class() -> RawValue {
        types().str
    }
}

impl StrObj {
    pub fn new(s: &str) -> StrObj {
        StrObj {
            nchars: count_chars(s),
            s: s.into(),
            hash: AtomicI64::new(0),
        }
    }

    /// A str whose length in code points the caller already knows.
    pub fn with_len(s: String, nchars: usize) -> StrObj {
        debug_assert_eq!(nchars, s.chars().count());
        StrObj {
            nchars,
            s: s.into_boxed_str(),
            hash: AtomicI64::new(0),
        }
    }

    pub fn from_string(s: String) -> StrObj {
        StrObj {
            nchars: count_chars(&s),
            s: s.into_boxed_str(),
            hash: AtomicI64::new(0),
        }
    }

    #[inline]
    pub fn is_ascii(&self) -> bool {
        self.nchars == self.s.len()
    }

    pub fn hash(&self) -> i64 {
        let h = self.hash.load(Ordering::Relaxed);
        if h != 0 {
            return h;
        }
        let h = hash_str(&self.s);
        self.hash.store(h, Ordering::Relaxed);
        h
    }

    /// The code point at index `i` (0 <= i < nchars).
    pub fn char_at(&self, i: usize) -> char {
        if self.is_ascii() {
            self.s.as_bytes()[i] as char
        } else {
            self.s.chars().nth(i).unwrap_or('\0')
        }
    }

    /// Byte offset of code point `i` (i <= nchars).
    pub fn byte_offset(&self, i: usize) -> usize {
        if self.is_ascii() {
            i
        } else {
            self.s
                .char_indices()
                .nth(i)
                .map(|(b, _)| b)
                .unwrap_or(self.s.len())
        }
    }

    /// Substring of code points [start, end).
    pub fn substr(&self, start: usize, end: usize) -> &str {
        let a = self.byte_offset(start);
        let b = self.byte_offset(end);
        &self.s[a..b]
    }
}

/// Hash of a str: a fast 64-bit mix (Python randomises str hashes, so any good hash is
/// conforming). Never -1 (reserved for errors in CPython's C API) and never 0 (the cache's
/// empty marker).
pub fn hash_str(s: &str) -> i64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325 ^ (s.len() as u64);
    let bytes = s.as_bytes();
    let mut chunks = bytes.chunks_exact(8);
    for c in &mut chunks {
        let w = u64::from_le_bytes([c[0], c[1], c[2], c[3], c[4], c[5], c[6], c[7]]);
        h = (h ^ w).wrapping_mul(0x9E37_79B9_7F4A_7C15);
        h ^= h >> 29;
    }
    for &b in chunks.remainder() {
        h = (h ^ b as u64).wrapping_mul(0x0000_0100_0000_01B3);
    }
    h ^= h >> 32;
    h = h.wrapping_mul(0xD6E8_FEB8_6659_FD93);
    h ^= h >> 32;
    let h = h as i64;
    match h {
        -1 => -2,
        0 => 1,
        h => h,
    }
}

pub fn new_str(s: &str) -> Value {
    Value::alloc(StrObj::new(s))
}

/// A new str whose code-point length is known (concatenation, repetition, joins).
pub fn new_string_len(s: String, nchars: usize) -> Value {
    Value::alloc(StrObj::with_len(s, nchars))
}

pub fn new_string(s: String) -> Value {
    Value::alloc(StrObj::from_string(s))
}

/// The cached hash of a value known to be a str.
pub fn str_hash_of(v: &Value) -> i64 {
    v.downcast::<StrObj>().map(|s| s.hash()).unwrap_or(0)
}

pub fn as_str(v: &Value) -> Option<&str> {
    v.downcast::<StrObj>().map(|s| &*s.s)
}

/// Code points in `s` (ASCII text, the common case, is just its length).
fn count_chars(s: &str) -> usize {
    if s.is_ascii() {
        s.len()
    } else {
        s.chars().count()
    }
}
