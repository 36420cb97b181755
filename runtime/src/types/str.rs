//! str: immutable Unicode text. Stored as UTF-8 with its length in code points, so
//! ASCII strings (the common case) index in O(1).
//!
//! Lone surrogates (PEP 383). Python's str may hold the code points U+D800..U+DFFF on
//! their own (`surrogateescape` decoding of undecodable bytes, `'\udc80'`, `chr(0xd800)`),
//! which UTF-8 (`Box<str>`) cannot. A str that holds any has `surrogates` set, and then
//! the code points U+10F000..U+10F7FF in `s` *denote* the surrogates U+D800..U+DFFF
//! (`cp - 0xD800 + 0x10F000`, see [`SURR_BASE`]); such a str holds no real character of
//! that range. Invariant, kept by every constructor: `surrogates` is true only if `s`
//! contains a mapped code point. So `as_str` is unchanged for the (overwhelmingly
//! common) unflagged strings, every str operation that only moves text around works on
//! flagged strings as they are (neither range has case or a category that str methods
//! test), and only the places that look at code point values (`repr`, `ord`, the codecs,
//! `_sre`, `unicodedata`) translate. Equality and hashing include the flag
//! (`'\udc80' != '\U0010f080'`); ordering compares mapped code points as the surrogates.
//! Chosen over storing WTF-8 (UTF-8 that also encodes surrogates) because WTF-8 is not a
//! valid `str`: every one of the hundreds of `as_str` callers would have to change or
//! check, and the Rust string routines (`find`, `split`, case mapping) could not be used.
//! The cost is one limitation: a flagged str mixed with an unflagged one holding real
//! U+10F000..U+10F7FF characters (Plane 16 private use, never seen in practice) raises
//! ValueError instead of giving a wrong answer.
use std::sync::atomic::{AtomicBool, AtomicI64, Ordering};

use crate::value::{PyPayload, Value};
use crate::world::types;
use stitch_stencils::value::RawValue;

pub struct StrObj {
    pub s: Box<str>,
    /// Length in code points.
    pub nchars: usize,
    /// Cached hash; 0 = not computed yet (a real hash of 0 is stored as 1).
    hash: AtomicI64,
    /// U+10F000..U+10F7FF in `s` stand for the lone surrogates U+D800..U+DFFF (see the
    /// module comment). Only true when `s` holds at least one such code point.
    pub surrogates: bool,
    /// Code-point positions of a non-ASCII str, built on first use (`str_index.rs`).
    index: crate::types::str_index::CharIndex,
}

/// Where the lone surrogates U+D800..U+DFFF are stored in a flagged str.
pub const SURR_BASE: u32 = 0x10F000;

/// Set once any flagged str has been made: lets operations skip the surrogate checks
/// entirely in programs that never make one.
pub static SURROGATES_SEEN: AtomicBool = AtomicBool::new(false);

/// Has any str with lone surrogates been made yet?
#[inline]
pub fn surrogates_seen() -> bool {
    SURROGATES_SEEN.load(Ordering::Relaxed)
}

/// Is `c` in the range that denotes surrogates in a flagged str?
#[inline]
pub fn is_mapped(c: char) -> bool {
    (SURR_BASE..SURR_BASE + 0x800).contains(&(c as u32))
}

/// The stored character for surrogate `u` (0xD800..=0xDFFF).
#[inline]
pub fn surrogate_char(u: u32) -> char {
    char::from_u32(u - 0xD800 + SURR_BASE).unwrap_or('\u{fffd}')
}

/// Does `s` contain a code point of the mapped range? (Its UTF-8 starts F4 8F 80..9F.)
pub fn has_mapped(s: &str) -> bool {
    let b = s.as_bytes();
    let mut i = 0;
    while let Some(k) = memchr_f4(&b[i..]) {
        let j = i + k;
        if b.len() >= j + 3 && b[j + 1] == 0x8F && (0x80..=0x9F).contains(&b[j + 2]) {
            return true;
        }
        i = j + 1;
    }
    false
}

fn memchr_f4(b: &[u8]) -> Option<usize> {
    b.iter().position(|&x| x == 0xF4)
}

/// The code point a stored character stands for in a str with this flag.
#[inline]
pub fn logical_cp(c: char, surrogates: bool) -> u32 {
    if surrogates && is_mapped(c) {
        c as u32 - SURR_BASE + 0xD800
    } else {
        c as u32
    }
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
            surrogates: false,
            index: Default::default(),
        }
    }

    /// A str whose mapped code points denote surrogates when `flag` is set (normalised:
    /// the flag is kept only if `s` holds one).
    pub fn flagged(s: String, flag: bool) -> StrObj {
        let mut o = StrObj::from_string(s);
        if flag && has_mapped(&o.s) {
            o.surrogates = true;
            SURROGATES_SEEN.store(true, Ordering::Relaxed);
        }
        o
    }

    /// The code point at index `i` as Python sees it (surrogates translated).
    pub fn cp_at(&self, i: usize) -> u32 {
        logical_cp(self.char_at(i), self.surrogates)
    }

    /// A str whose length in code points the caller already knows.
    pub fn with_len(s: String, nchars: usize) -> StrObj {
        debug_assert_eq!(nchars, s.chars().count());
        StrObj {
            nchars,
            s: s.into_boxed_str(),
            hash: AtomicI64::new(0),
            surrogates: false,
            index: Default::default(),
        }
    }

    pub fn from_string(s: String) -> StrObj {
        StrObj {
            nchars: count_chars(&s),
            s: s.into_boxed_str(),
            hash: AtomicI64::new(0),
            surrogates: false,
            index: Default::default(),
        }
    }

    #[inline]
    pub fn is_ascii(&self) -> bool {
        self.nchars == self.s.len()
    }

    /// The hash, computed once and cached (a dict probe asks for it every time).
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
        let mut h = hash_str(&self.s);
        if self.surrogates {
            h = match h.rotate_left(17) ^ 0x5a5a_5a5a {
                -1 | 0 => 2,
                h => h,
            };
        }
        self.hash.store(h, Ordering::Relaxed);
        h
    }

    /// The code point at index `i` (0 <= i < nchars).
    pub fn char_at(&self, i: usize) -> char {
        if self.is_ascii() {
            self.s.as_bytes()[i] as char
        } else {
            self.s[self.byte_offset(i)..].chars().next().unwrap_or('\0')
        }
    }

    /// Byte offset of code point `i` (i <= nchars).
    pub fn byte_offset(&self, i: usize) -> usize {
        if self.is_ascii() {
            i.min(self.s.len())
        } else {
            self.index.byte_offset(&self.s, i)
        }
    }

    /// The code points of a non-ASCII str as Python sees them (surrogates translated),
    /// kept with the str once made (`str_index.rs`).
    pub fn code_points(&self) -> &[u32] {
        let surr = self.surrogates;
        self.index.code_points(&self.s, |c| logical_cp(c, surr))
    }

    /// Code-point position of byte offset `b` (a char boundary, b <= len).
    pub fn char_index(&self, b: usize) -> usize {
        if self.is_ascii() {
            b
        } else {
            self.index.char_index(&self.s, b)
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
    hash_utf8(s.as_bytes())
}

/// [`hash_str`] of the text whose UTF-8 is `bytes` (bytes objects of ASCII hash so,
/// equal to their str, see `BytesObj::hash`).
pub fn hash_utf8(bytes: &[u8]) -> i64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325 ^ (bytes.len() as u64);
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

/// The one-character str of `c` (a stored character of a str with surrogate flag
/// `flag`). Code points below 256 come from a table of immortal strs made on first use,
/// as CPython's latin-1 singletons: `s[i]`, iteration over a str and `chr` allocate
/// nothing for them.
pub fn char_str(c: char, flag: bool) -> Value {
    static LATIN1: std::sync::OnceLock<Box<[RawValue]>> = std::sync::OnceLock::new();
    if (c as u32) < 256 {
        let t = LATIN1.get_or_init(|| {
            (0..256u32)
                .map(|i| {
                    let v = new_string_len(char::from_u32(i).unwrap_or('\0').to_string(), 1);
                    crate::object::make_immortal(v.raw());
                    v.into_raw()
                })
                .collect()
        });
        return Value::from_borrowed(t[c as usize]);
    }
    let mut buf = [0u8; 4];
    new_string_flagged(c.encode_utf8(&mut buf).to_string(), flag)
}

/// A new str that holds lone surrogates (as mapped code points) when `flag` is set.
pub fn new_string_flagged(s: String, flag: bool) -> Value {
    Value::alloc(StrObj::flagged(s, flag))
}

/// CPython's `unicode_result_unchanged`, for a str method whose result has the text
/// of its receiver `v`: `v` itself when it is an exact str, else an exact str copy (a
/// method of a str subclass never hands back the instance).
pub fn unchanged(v: &Value) -> Value {
    if v.downcast_exact::<StrObj>().is_some() {
        return v.clone();
    }
    match as_str_flag(v) {
        Some((s, flag)) => new_string_flagged(s.to_string(), flag),
        None => v.clone(),
    }
}

/// The text and surrogate flag of a str.
pub fn as_str_flag(v: &Value) -> Option<(&str, bool)> {
    v.downcast::<StrObj>().map(|s| (&*s.s, s.surrogates))
}

/// Is `v` a str with lone surrogates?
#[inline]
pub fn is_flagged(v: &Value) -> bool {
    surrogates_seen() && v.downcast::<StrObj>().is_some_and(|s| s.surrogates)
}

/// Order two strs as Python does: by code point, with the surrogates a flagged str
/// denotes sorting where they belong (below U+E000).
pub fn cmp_strs(a: &StrObj, b: &StrObj) -> std::cmp::Ordering {
    if !a.surrogates && !b.surrogates {
        return a.s.cmp(&b.s);
    }
    let x = a.s.chars().map(|c| logical_cp(c, a.surrogates));
    let y = b.s.chars().map(|c| logical_cp(c, b.surrogates));
    x.cmp(y)
}

/// str equality: same text and same meaning of the mapped range.
#[inline]
pub fn eq_strs(a: &StrObj, b: &StrObj) -> bool {
    a.s == b.s && a.surrogates == b.surrogates
}

/// The error for mixing a str holding lone surrogates with one holding real
/// U+10F000..U+10F7FF characters, which stitch's representation cannot tell apart.
pub const MIX_ERROR: &str = "stitch limitation: cannot combine a str holding lone surrogates with one holding characters U+10F000..U+10F7FF";

/// For an operation whose str inputs are `inputs`: whether its str results must be
/// flagged (some input is), or the limitation error when flagged inputs meet
/// unflagged ones holding real mapped-range characters. `Ok(false)` at once when no
/// flagged str was ever made.
pub fn inputs_flag<'a>(inputs: impl IntoIterator<Item = &'a Value>) -> Result<bool, &'static str> {
    if !surrogates_seen() {
        return Ok(false);
    }
    let mut flagged = false;
    let mut real = false;
    for v in inputs {
        if let Some(s) = v.downcast::<StrObj>() {
            if s.surrogates {
                flagged = true;
            } else if !s.is_ascii() && has_mapped(&s.s) {
                real = true;
            }
        }
    }
    if flagged && real {
        return Err(MIX_ERROR);
    }
    Ok(flagged)
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

/// The str results of an operation on flagged inputs: a str (or the strs in a list or
/// tuple, as `split` and `partition` return) that holds mapped code points gets the flag.
pub fn flag_outputs(r: Value) -> Value {
    if let Some(s) = r.downcast_exact::<StrObj>() {
        if !s.surrogates && has_mapped(&s.s) {
            return new_string_flagged(s.s.to_string(), true);
        }
        return r;
    }
    if let Some(l) = r.downcast_exact::<crate::types::list::ListObj>() {
        l.items.with(|v| {
            for x in v.iter_mut() {
                *x = flag_outputs(x.clone());
            }
        });
        return r;
    }
    if let Some(t) = r.downcast_exact::<crate::types::tuple::TupleObj>() {
        let items: Vec<Value> = t.items.iter().map(|x| flag_outputs(x.clone())).collect();
        return crate::types::tuple::TupleObj::new_value(items);
    }
    r
}

/// Run a str method (or operator) `f`, flagging its str results when a str argument is
/// flagged: the one place the surrogate rule of the module comment is applied to
/// str methods. Costs one relaxed load when no flagged str exists.
#[inline]
pub fn with_surrogates(
    vm: &mut crate::vm::Vm,
    a: &crate::vm::Args,
    f: crate::types::func::NativeFn,
) -> crate::vm::PyResult<Value> {
    if !surrogates_seen() {
        return f(vm, a);
    }
    let flag = inputs_flag(a.args.iter()).map_err(|m| vm.value_error(m))?;
    let r = f(vm, a)?;
    Ok(if flag { flag_outputs(r) } else { r })
}

/// UTF-8 with lone surrogates encoded as three bytes each (`surrogatepass`; the form
/// marshal writes): the text of a str with this flag.
pub fn to_surrogatepass_utf8(s: &str, surrogates: bool) -> Vec<u8> {
    if !surrogates {
        return s.as_bytes().to_vec();
    }
    let mut out = Vec::with_capacity(s.len());
    for c in s.chars() {
        let u = logical_cp(c, true);
        if (0xD800..0xE000).contains(&u) {
            out.extend([
                0xED,
                0x80 | ((u >> 6) & 0x3F) as u8,
                0x80 | (u & 0x3F) as u8,
            ]);
        } else {
            out.extend_from_slice(c.encode_utf8(&mut [0; 4]).as_bytes());
        }
    }
    out
}

/// The str [`to_surrogatepass_utf8`] wrote, or None for bytes that are not such text.
pub fn from_surrogatepass_utf8(b: &[u8]) -> Option<Value> {
    if let Ok(s) = std::str::from_utf8(b) {
        return Some(new_str(s));
    }
    let mut out = String::with_capacity(b.len());
    let mut rest = b;
    while !rest.is_empty() {
        match std::str::from_utf8(rest) {
            Ok(s) => {
                out.push_str(s);
                break;
            }
            Err(e) => {
                let good = e.valid_up_to();
                out.push_str(std::str::from_utf8(&rest[..good]).ok()?);
                let r = &rest[good..];
                if r.len() < 3 || r[0] != 0xED || !(0xA0..=0xBF).contains(&r[1]) {
                    return None;
                }
                if !(0x80..=0xBF).contains(&r[2]) {
                    return None;
                }
                let u = 0xD000 | ((r[1] as u32 & 0x3F) << 6) | (r[2] as u32 & 0x3F);
                out.push(surrogate_char(u));
                rest = &r[3..];
            }
        }
    }
    Some(new_string_flagged(out, true))
}
