//! A compiled program: the code list plus a 256-bit table for each character set in
//! it, so that testing a Latin-1 character against a set is one bit test instead of a
//! walk over the set's items (sets are tested once per character scanned: in `[...]+`
//! runs, and when a search skips to the next possible first character).
use std::ops::Deref;
use std::sync::OnceLock;

use super::engine::charset;

pub struct Prog {
    pub code: Box<[u32]>,
    /// Per code index: 1 + the index in `maps` of the set starting there, or 0.
    sets: Box<[u16]>,
    /// For each set, which of the characters 0..256 it holds; built on first use, so
    /// compiling a pattern stays cheap (`re` compiles many patterns used once).
    maps: Box<[(usize, OnceLock<[u64; 4]>)]>,
    /// What a search knows before trying a position (`State::may_start`), worked out
    /// on first use for the code index it starts at.
    pub lookahead: OnceLock<Lookahead>,
}

/// A search's look-ahead for one start in the code (see `engine::lookahead_of`): the
/// ways through the code's first fixed-width items, each a list of checks at offsets
/// from the position tried. A position where no way passes cannot start a match.
pub struct Lookahead {
    /// The code index it is about.
    pub pc: usize,
    /// None when some way has no check (the look-ahead could never refuse).
    pub ways: Option<Vec<Vec<Check>>>,
}

/// One check of a look-ahead way.
#[derive(Clone)]
pub struct Check {
    /// Offset from the position tried.
    pub off: usize,
    pub kind: CheckKind,
}

#[derive(Clone)]
pub enum CheckKind {
    /// A character in these Latin-1 bits (or, `wide`, any character past Latin-1).
    Set { bits: [u64; 4], wide: bool },
    /// A position assertion (an AT code).
    At(u32),
}

impl Deref for Prog {
    type Target = [u32];
    fn deref(&self) -> &[u32] {
        &self.code
    }
}

impl Prog {
    /// The program for `code`, whose sets start at `set_starts`.
    pub fn new(code: Vec<u32>, set_starts: &[usize]) -> Prog {
        let mut sets = vec![0u16; code.len()];
        let mut maps = Vec::new();
        for &at in set_starts {
            if at >= code.len() || maps.len() >= usize::from(u16::MAX) {
                continue;
            }
            maps.push((at, OnceLock::new()));
            sets[at] = maps.len() as u16;
        }
        Prog {
            code: code.into_boxed_slice(),
            sets: sets.into_boxed_slice(),
            maps: maps.into_boxed_slice(),
            lookahead: OnceLock::new(),
        }
    }

    /// Is `ch` in the set whose items start at code index `at`?
    #[inline(always)]
    pub fn in_set(&self, at: usize, ch: u32) -> bool {
        if ch < 256
            && let Some(&m) = self.sets.get(at)
            && m != 0
        {
            let (at, cell) = &self.maps[usize::from(m) - 1];
            let bits = cell.get_or_init(|| {
                let set = &self.code[*at..];
                let mut bits = [0u64; 4];
                for c in 0..256u32 {
                    if charset(set, c) {
                        bits[(c >> 6) as usize] |= 1 << (c & 63);
                    }
                }
                bits
            });
            return bits[(ch >> 6) as usize] >> (ch & 63) & 1 != 0;
        }
        charset(self.code.get(at..).unwrap_or(&[]), ch)
    }
}
