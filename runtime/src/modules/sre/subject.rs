//! The string a pattern runs on, as the matcher sees it: a slice of code units.
//!
//! stitch stores `str` as UTF-8 with its length in code points. An ASCII `str` (the
//! common case) is matched in place: its bytes are its code points. Any other `str` is
//! matched on its code points (`u32`): a short one decoded once per operation, shared
//! by the match objects the operation returns (so `findall`/`finditer`/`sub` decode it
//! once, not per match); a longer one decoded once for good and kept with the str
//! (`StrObj::code_points`), since a tokenizer calls `pattern.match(text, pos)` on the
//! same long text at every position.
//! `bytes` is matched in place; a `bytearray` is copied (it may change while Python code
//! runs between two matches, e.g. in a `sub` callback).
use std::sync::Arc;

use crate::types::bytes::{ByteArrayObj, BytesObj};
use crate::types::str::{StrObj, new_string_len};
use crate::value::Value;
use crate::vm::{PyResult, Vm};

#[derive(Clone)]
enum Buf {
    /// An ASCII str: matched on its UTF-8 bytes.
    Ascii,
    /// A bytes object: matched on its data.
    Bytes,
    /// A copy of a bytearray's data.
    Copied(Arc<[u8]>),
    /// The code points of a short non-ASCII str.
    Wide(Arc<[u32]>),
    /// A longer non-ASCII str: matched on the code points it keeps.
    Kept,
}

/// Non-ASCII strs longer than this keep their code points once decoded.
const KEEP_FROM: usize = 256;

/// The matcher's view of a subject.
pub enum View<'a> {
    Narrow(&'a [u8]),
    Wide(&'a [u32]),
}

/// A subject string: the object the user passed and its code units.
#[derive(Clone)]
pub struct Subject {
    pub value: Value,
    pub is_bytes: bool,
    buf: Buf,
}

impl Subject {
    /// The subject for `v`, or CPython's TypeError for a non-string.
    pub fn new(vm: &mut Vm, v: &Value) -> PyResult<Subject> {
        if let Some(s) = v.downcast::<StrObj>() {
            let buf = if s.is_ascii() {
                Buf::Ascii
            } else if s.nchars > KEEP_FROM {
                Buf::Kept
            } else {
                // A flagged str's mapped code points are seen as the surrogates they
                // stand for (types/str.rs).
                let surr = s.surrogates;
                Buf::Wide(
                    s.s.chars()
                        .map(|c| crate::types::str::logical_cp(c, surr))
                        .collect(),
                )
            };
            return Ok(Subject {
                value: v.clone(),
                is_bytes: false,
                buf,
            });
        }
        if v.downcast::<BytesObj>().is_some() {
            return Ok(Subject {
                value: v.clone(),
                is_bytes: true,
                buf: Buf::Bytes,
            });
        }
        if let Some(b) = v.downcast::<ByteArrayObj>() {
            let data: Arc<[u8]> = b.data.read(|d| d.as_slice().into());
            return Ok(Subject {
                value: v.clone(),
                is_bytes: true,
                buf: Buf::Copied(data),
            });
        }
        let tn = v.type_data().name.clone();
        Err(vm.type_error(format!("expected string or bytes-like object, got '{tn}'")))
    }

    pub fn view(&self) -> View<'_> {
        match &self.buf {
            Buf::Ascii => View::Narrow(self.str_bytes()),
            Buf::Bytes => View::Narrow(&self.value.downcast::<BytesObj>().unwrap().data),
            Buf::Copied(d) => View::Narrow(d),
            Buf::Wide(w) => View::Wide(w),
            Buf::Kept => View::Wide(self.kept()),
        }
    }

    /// The code points a long non-ASCII str subject keeps.
    fn kept(&self) -> &[u32] {
        match self.value.downcast::<StrObj>() {
            Some(s) => s.code_points(),
            None => &[],
        }
    }

    fn str_bytes(&self) -> &[u8] {
        match self.value.downcast::<StrObj>() {
            Some(s) => s.s.as_bytes(),
            None => &[],
        }
    }

    /// Length in code units (code points for str).
    pub fn len(&self) -> usize {
        match self.view() {
            View::Narrow(b) => b.len(),
            View::Wide(w) => w.len(),
        }
    }

    /// `string[a:b]` as CPython's `getslice`: a str for str subjects, bytes for any
    /// bytes-like subject (the subject itself when it is exactly bytes and whole).
    pub fn slice(&self, a: usize, b: usize) -> Value {
        let (a, b) = (a.min(b), b);
        match &self.buf {
            Buf::Ascii => {
                let bytes = &self.str_bytes()[a..b];
                // SAFETY: an ASCII slice of a str is valid UTF-8.
                let s = unsafe { std::str::from_utf8_unchecked(bytes) };
                new_string_len(s.to_string(), b - a)
            }
            Buf::Bytes => {
                let data = &self.value.downcast::<BytesObj>().unwrap().data;
                if a == 0 && b == data.len() && self.value.downcast_exact::<BytesObj>().is_some() {
                    return self.value.clone();
                }
                BytesObj::new_value(data[a..b].to_vec())
            }
            Buf::Copied(d) => BytesObj::new_value(d[a..b].to_vec()),
            Buf::Wide(_) | Buf::Kept => {
                let w = match self.view() {
                    View::Wide(w) => w,
                    View::Narrow(_) => &[],
                };
                let mut surr = false;
                let s: String = w[a..b]
                    .iter()
                    .map(|&c| {
                        if (0xD800..0xE000).contains(&c) {
                            surr = true;
                            return crate::types::str::surrogate_char(c);
                        }
                        char::from_u32(c).unwrap_or('\u{fffd}')
                    })
                    .collect();
                if surr {
                    return crate::types::str::new_string_flagged(s, true);
                }
                new_string_len(s, b - a)
            }
        }
    }

    /// The empty string of the subject's kind (`string[:0]` as getslice gives it).
    pub fn empty(&self) -> Value {
        self.slice(0, 0)
    }
}
