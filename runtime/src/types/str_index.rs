//! Code-point positions in a non-ASCII str in constant time.
//!
//! stitch stores a str as UTF-8 (`StrObj::s`), where CPython stores fixed-width code
//! units (PEP 393). Indexing, slicing and `find(sub, start)` take code-point positions,
//! which in UTF-8 need a scan from the start: `s[i]` in a loop over a non-ASCII text is
//! quadratic (a TOML parser reading a 500 KB file with one accented letter: 33 s, against
//! CPython's 0.1 s). PyPy, which also keeps UTF-8, solves it with an index built on
//! first use; so does stitch: [`CharIndex`] records the byte offset of every
//! [`STRIDE`]-th code point, so a position is one table read plus a walk of fewer than
//! `STRIDE` code points, and a byte offset maps back to a position by binary search.
//!
//! The index is built lazily (only non-ASCII strs that are indexed past the first
//! stride pay for it: 8 bytes per 64 code points) and published once: two threads that
//! build it at the same time both produce the same table; the first compare-exchange
//! wins and the loser frees its copy. A published table is never changed or freed before
//! the str itself, so readers need no lock.
//!
//! The regular expression engine matches a non-ASCII str on its code points as fixed-
//! width units (CPython's layout); [`CharIndex::code_points`] keeps that array with the
//! index, made once per str, so `pattern.match(text, pos)` in a tokenizer's loop does
//! not decode the whole text at every call (tomli: quadratic otherwise).
use stitch_sync::shim::{AtomicPtr, Ordering};

/// Code points between two recorded offsets.
pub const STRIDE: usize = 64;

/// The lazily built tables of one str (see the module comment).
pub struct CharIndex(AtomicPtr<Tables>);

struct Tables {
    /// The byte offset of every `STRIDE`-th code point.
    offsets: Box<[usize]>,
    /// The code points, once asked for (null until then).
    units: AtomicPtr<Box<[u32]>>,
}

impl Drop for Tables {
    fn drop(&mut self) {
        let p = self.units.load(Ordering::Acquire);
        if !p.is_null() {
            // SAFETY: made by `Box::into_raw` in `publish`; no reader outlives the str.
            drop(unsafe { Box::from_raw(p) });
        }
    }
}

/// Publishes `built` in `slot` unless another thread did first; the published value.
fn publish<T>(slot: &AtomicPtr<T>, built: T) -> &T {
    let fresh = Box::into_raw(Box::new(built));
    match slot.compare_exchange(
        std::ptr::null_mut(),
        fresh,
        Ordering::AcqRel,
        Ordering::Acquire,
    ) {
        // SAFETY: just published; lives as long as the slot's owner.
        Ok(_) => unsafe { &*fresh },
        Err(winner) => {
            // SAFETY: `fresh` was never shared; `winner` is published.
            unsafe {
                drop(Box::from_raw(fresh));
                &*winner
            }
        }
    }
}

impl CharIndex {
    pub fn new() -> CharIndex {
        CharIndex(AtomicPtr::new(std::ptr::null_mut()))
    }

    /// The tables for `s` (built and published on first use).
    fn tables(&self, s: &str) -> &Tables {
        let p = self.0.load(Ordering::Acquire);
        if !p.is_null() {
            // SAFETY: published tables live as long as `self` (freed only in Drop).
            return unsafe { &*p };
        }
        let offsets: Box<[usize]> = s
            .char_indices()
            .step_by(STRIDE)
            .map(|(b, _)| b)
            .collect::<Vec<_>>()
            .into_boxed_slice();
        let units = AtomicPtr::new(std::ptr::null_mut());
        publish(&self.0, Tables { offsets, units })
    }

    fn table(&self, s: &str) -> &[usize] {
        &self.tables(s).offsets
    }

    /// The code points of the non-ASCII `s`, each as `unit` gives it (made on first
    /// use; `unit` must give the same answers every time for one str).
    pub fn code_points(&self, s: &str, unit: impl Fn(char) -> u32) -> &[u32] {
        let t = self.tables(s);
        let p = t.units.load(Ordering::Acquire);
        if !p.is_null() {
            // SAFETY: published units live as long as `t`, which lives as long as `self`.
            return unsafe { &*p };
        }
        let units: Box<[u32]> = s.chars().map(unit).collect();
        publish::<Box<[u32]>>(&t.units, units)
    }

    /// Byte offset of code point `i` of the non-ASCII `s` (`s.len()` at or past the end).
    pub fn byte_offset(&self, s: &str, i: usize) -> usize {
        if i < STRIDE {
            return walk(s, 0, i);
        }
        let t = self.table(s);
        match t.get(i / STRIDE) {
            Some(&b) => walk(s, b, i % STRIDE),
            None => s.len(),
        }
    }

    /// The code-point position of byte offset `b` (a char boundary) of the non-ASCII `s`.
    pub fn char_index(&self, s: &str, b: usize) -> usize {
        if b < STRIDE {
            return count(&s.as_bytes()[..b]);
        }
        let t = self.table(s);
        // The last recorded offset at or before `b`.
        let k = t.partition_point(|&o| o <= b) - 1;
        k * STRIDE + count(&s.as_bytes()[t[k]..b])
    }
}

impl Default for CharIndex {
    fn default() -> CharIndex {
        CharIndex::new()
    }
}

impl Drop for CharIndex {
    fn drop(&mut self) {
        // (`&mut self`: no other reference; a plain load through the shim's type.)
        let p = self.0.load(Ordering::Acquire);
        if !p.is_null() {
            // SAFETY: the tables were made by `Box::into_raw` and no reader outlives the str.
            drop(unsafe { Box::from_raw(p) });
        }
    }
}

/// Byte offset of the code point `n` code points after byte offset `from`.
fn walk(s: &str, from: usize, n: usize) -> usize {
    let b = s.as_bytes();
    let mut at = from;
    for _ in 0..n {
        if at >= b.len() {
            return b.len();
        }
        at += utf8_width(b[at]);
    }
    at.min(b.len())
}

/// Code points in a UTF-8 byte run (bytes that are not continuation bytes).
fn count(b: &[u8]) -> usize {
    b.iter().filter(|&&c| (c as i8) >= -0x40).count()
}

fn utf8_width(lead: u8) -> usize {
    match lead {
        0..=0x7f => 1,
        0xc0..=0xdf => 2,
        0xe0..=0xef => 3,
        _ => 4,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions_round_trip() {
        let s: String = (0..1000)
            .map(|i| ['a', 'é', '€', '𝄞'][(i + i / 7) % 4])
            .collect();
        let ix = CharIndex::new();
        let offsets: Vec<usize> = s.char_indices().map(|(b, _)| b).collect();
        for (i, &b) in offsets.iter().enumerate() {
            assert_eq!(ix.byte_offset(&s, i), b);
            assert_eq!(ix.char_index(&s, b), i);
        }
        assert_eq!(ix.byte_offset(&s, offsets.len()), s.len());
        assert_eq!(ix.byte_offset(&s, offsets.len() + 500), s.len());
        assert_eq!(ix.char_index(&s, s.len()), offsets.len());
    }
}
