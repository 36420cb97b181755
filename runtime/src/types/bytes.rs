//! bytes (immutable) and bytearray (mutable): sequences of small ints.
use std::sync::atomic::{AtomicI64, Ordering};

use crate::object::ObjCell;
use crate::value::{PyPayload, Value};
use crate::world::types;
use stitch_stencils::value::RawValue;

pub struct BytesObj {
    /// A `Vec`, not a `Box<[u8]>`: making a box of a buffer built with spare capacity
    /// reallocates and copies it (3 million reallocations in pyperformance's base64);
    /// `new` keeps small slack and trims large slack.
    pub data: Vec<u8>,
    hash: AtomicI64,
}

impl PyPayload for BytesObj {
    fn class() -> RawValue {
        types().bytes
    }
}

pub struct ByteArrayObj {
    pub data: ObjCell<Vec<u8>>,
}

impl PyPayload for ByteArrayObj {
    fn class() -> RawValue {
        types().bytearray
    }
}

impl BytesObj {
    pub fn new(data: Vec<u8>) -> BytesObj {
        let mut data = data;
        if data.capacity() - data.len() > data.len() / 8 + 32 {
            data.shrink_to_fit();
        }
        BytesObj {
            data,
            hash: AtomicI64::new(0),
        }
    }

    pub fn new_value(data: Vec<u8>) -> Value {
        Value::alloc(BytesObj::new(data))
    }

    /// Hash: that of the str with these bytes as Latin-1 code points, as in CPython
    /// (`hash(b'spam') == hash('spam')`, `hash(b'\xe9') == hash('\xe9')`), computed
    /// once and cached (a dict probe asks for it every time).
    #[inline(always)]
    pub fn hash(&self) -> i64 {
        let h = self.hash.load(Ordering::Relaxed);
        if h != 0 {
            return h;
        }
        self.compute_hash()
    }

    #[cold]
    fn compute_hash(&self) -> i64 {
        let h = if self.data.is_ascii() {
            crate::types::str::hash_utf8(&self.data)
        } else {
            let text: String = self.data.iter().map(|&b| b as char).collect();
            crate::types::str::hash_str(&text)
        };
        self.hash.store(h, Ordering::Relaxed);
        h
    }
}

impl ByteArrayObj {
    pub fn new_value(data: Vec<u8>) -> Value {
        Value::alloc(ByteArrayObj {
            data: ObjCell::new(data),
        })
    }
}

/// The bytes of a bytes or bytearray value.
/// `f` on the bytes of a bytes or bytearray object, borrowed (no copy). A bytearray
/// stays locked while `f` runs when threads share it: `f` must not run Python code.
#[inline]
pub fn with_bytes<R>(v: &Value, f: impl FnOnce(&[u8]) -> R) -> Option<R> {
    if let Some(b) = v.downcast::<BytesObj>() {
        return Some(f(&b.data));
    }
    v.downcast::<ByteArrayObj>().map(|b| b.data.read(|d| f(d)))
}

pub fn as_bytes(v: &Value) -> Option<Vec<u8>> {
    if let Some(b) = v.downcast::<BytesObj>() {
        return Some(b.data.to_vec());
    }
    v.downcast::<ByteArrayObj>().map(|b| b.data.get_clone())
}

/// Python's repr of bytes: b'...' with \\x escapes for non-printable bytes.
pub fn bytes_repr(data: &[u8], prefix: &str) -> String {
    let q = if data.contains(&b'\'') && !data.contains(&b'"') {
        '"'
    } else {
        '\''
    };
    let mut out = String::with_capacity(data.len() + 3);
    out.push_str(prefix);
    out.push(q);
    for &b in data {
        match b {
            b'\\' => out.push_str("\\\\"),
            b'\n' => out.push_str("\\n"),
            b'\r' => out.push_str("\\r"),
            b'\t' => out.push_str("\\t"),
            _ if b as char == q => {
                out.push('\\');
                out.push(q);
            }
            0x20..=0x7e => out.push(b as char),
            _ => out.push_str(&format!("\\x{b:02x}")),
        }
    }
    out.push(q);
    out
}
