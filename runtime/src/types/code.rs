//! Code objects: the compiler's output, run by the interpreter.
use crate::value::{PyPayload, Value};
use crate::world::types;
use stitch_stencils::value::RawValue;

// CPython's `co_flags` bits (Include/cpython/code.h), so `inspect` reads them as it
// does there.
pub const CO_OPTIMIZED: u32 = 0x1;
pub const CO_NEWLOCALS: u32 = 0x2;
pub const CO_VARARGS: u32 = 0x4;
pub const CO_VARKEYWORDS: u32 = 0x8;
pub const CO_NESTED: u32 = 0x10;
pub const CO_GENERATOR: u32 = 0x20;
pub const CO_COROUTINE: u32 = 0x80;
pub const CO_ITERABLE_COROUTINE: u32 = 0x100;
pub const CO_ASYNC_GENERATOR: u32 = 0x200;
/// Every bit of `co_flags` that means calling the code builds a generator-like object.
pub const CO_GENERATOR_LIKE: u32 = CO_GENERATOR | CO_COROUTINE | CO_ASYNC_GENERATOR;

/// Does calling `code` make a generator `await` accepts (CO_ITERABLE_COROUTINE:
/// `types.coroutine` assigns a copy of a generator function's code with the flag)?
pub fn is_iterable_coroutine(code: &Value) -> bool {
    code.downcast::<CodeObj>()
        .is_some_and(|c| c.flags & CO_ITERABLE_COROUTINE != 0)
}

/// One exception-table entry: instructions in `[start, end)` jump to `handler` with the
/// value stack cut back to `depth` (plus the offending instruction index when `lasti`).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct ExcEntry {
    pub start: u32,
    pub end: u32,
    pub handler: u32,
    pub depth: u32,
    pub lasti: bool,
}

pub struct CodeObj {
    pub name: String,
    pub qualname: String,
    pub filename: String,
    /// Instructions as compiled: opcode in the low 8 bits, argument in the high 24.
    /// Never changes; a despecialized instruction is restored from here.
    pub code: Vec<u32>,
    /// The live instructions the interpreter runs (specialized in place), with their
    /// counters and inline cache records.
    pub quick: crate::specialize::Caches,
    pub consts: Vec<Value>,
    /// Names used by global/attribute/name instructions (str values).
    pub names: Vec<Value>,
    /// Names of localsplus slots: locals, then cell variables, then free variables.
    pub localsplus_names: Vec<String>,
    pub nlocals: usize,
    pub ncells: usize,
    pub nfree: usize,
    /// For each cell variable, the argument slot it is initialised from.
    pub cell2arg: Vec<Option<usize>>,
    pub argcount: usize,
    pub posonlyargcount: usize,
    pub kwonlyargcount: usize,
    pub flags: u32,
    pub stacksize: usize,
    pub firstlineno: u32,
    /// Source line of each instruction.
    pub lines: Vec<u32>,
    /// End line and columns of each instruction's node (`co_positions()`), or empty
    /// when the code has none (compiled from `_ast` nodes); read with [`Self::span_at`].
    pub spans: Spans,
    pub exc_table: Vec<ExcEntry>,
    /// `name` and `qualname` as str objects, made on first use: every function made
    /// from this code shares them (as CPython's share `co_name`/`co_qualname`)
    /// instead of allocating two strs per `def`, lambda or generator expression.
    pub name_objs: std::sync::OnceLock<(Value, Value)>,
}

/// The part of an instruction's source location besides its line: end line, start
/// and end column (UTF-8 byte offsets, as CPython's), `NO_COL` when unknown.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Span {
    pub end_line: u32,
    pub col: u32,
    pub end_col: u32,
}

impl Span {
    pub const NO_COL: u32 = u32::MAX;
    pub const NONE: Span = Span {
        end_line: 0,
        col: Span::NO_COL,
        end_col: Span::NO_COL,
    };
}

/// The [`Span`]s of a code object's instructions, packed: per instruction the end line
/// less the line (wrapping), the column and the end column, each in `width` bytes
/// (little-endian; all ones is `NO_COL`), `width` the least of 1, 2 or 4 bytes that
/// holds every value. Most code fits one byte a field: 3 bytes an instruction instead
/// of 12, which was the largest part of a loaded code object (and of its cache entry).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Spans {
    width: u8,
    bytes: Box<[u8]>,
}

impl Spans {
    /// Packs `spans`, one per instruction, whose lines are `lines`.
    pub fn new(spans: &[Span], lines: &[u32]) -> Spans {
        let fields = |i: usize, s: &Span| {
            let line = lines.get(i).copied().unwrap_or(0);
            [s.end_line.wrapping_sub(line), s.col, s.end_col]
        };
        let fits = |v: u32, w: u32| v == u32::MAX || (v as u64) < (1u64 << (8 * w)) - 1;
        let width = [1u32, 2, 4]
            .into_iter()
            .find(|&w| {
                spans
                    .iter()
                    .enumerate()
                    .all(|(i, s)| fields(i, s).iter().all(|&v| fits(v, w)))
            })
            .unwrap_or(4);
        let mut bytes = Vec::with_capacity(spans.len() * 3 * width as usize);
        for (i, s) in spans.iter().enumerate() {
            for v in fields(i, s) {
                bytes.extend_from_slice(&v.to_le_bytes()[..width as usize]);
            }
        }
        Spans {
            width: if spans.is_empty() { 0 } else { width as u8 },
            bytes: bytes.into_boxed_slice(),
        }
    }

    /// Spans already packed (read back from the code cache), or None when `bytes` is
    /// not `n` instructions' worth at `width` (0 for no spans).
    pub fn from_packed(width: u8, bytes: &[u8], n: usize) -> Option<Spans> {
        let ok = match width {
            0 => bytes.is_empty(),
            1 | 2 | 4 => bytes.len() == n * 3 * width as usize,
            _ => false,
        };
        ok.then(|| Spans {
            width,
            bytes: bytes.into(),
        })
    }

    /// The packed form: (width, bytes).
    pub fn packed(&self) -> (u8, &[u8]) {
        (self.width, &self.bytes)
    }

    /// The number of instructions with a span (0 or all of them).
    pub fn len(&self) -> usize {
        match self.width {
            0 => 0,
            w => self.bytes.len() / (3 * w as usize),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.bytes.is_empty()
    }

    /// The span of instruction `i`, whose line is `line`.
    pub fn get(&self, i: usize, line: u32) -> Option<Span> {
        let w = self.width as usize;
        if w == 0 {
            return None;
        }
        let at = i.checked_mul(3 * w)?;
        let b = self.bytes.get(at..at + 3 * w)?;
        let field = |k: usize| {
            let mut le = [0u8; 4];
            le[..w].copy_from_slice(&b[k * w..(k + 1) * w]);
            let v = u32::from_le_bytes(le);
            if w < 4 && v == (1u32 << (8 * w)) - 1 {
                u32::MAX
            } else {
                v
            }
        };
        Some(Span {
            end_line: field(0).wrapping_add(line),
            col: field(1),
            end_col: field(2),
        })
    }
}

impl PyPayload for CodeObj {
    fn class() -> RawValue {
        types().code
    }
}

impl CodeObj {
    /// `name` and `qualname` as shared str objects (see `name_objs`).
    pub fn name_objs(&self) -> &(Value, Value) {
        // Immortal like the code's constants: a code object can outlive every
        // function made from it (an immortal `types.coroutine` code, the code cache),
        // and its names must not count as leaked objects then.
        self.name_objs.get_or_init(|| {
            let name = crate::types::str::new_str(&self.name);
            let qualname = crate::types::str::new_str(&self.qualname);
            crate::object::make_immortal(name.raw());
            crate::object::make_immortal(qualname.raw());
            (name, qualname)
        })
    }

    pub fn nlocalsplus(&self) -> usize {
        self.nlocals + self.ncells + self.nfree
    }
    pub fn is_generator(&self) -> bool {
        self.flags & CO_GENERATOR_LIKE != 0
    }
    /// The end line and columns of instruction `instr`, when the code has them.
    pub fn span_at(&self, instr: usize) -> Option<Span> {
        self.spans
            .get(instr, self.lines.get(instr).copied().unwrap_or(0))
    }
    pub fn line_of(&self, instr: usize) -> u32 {
        self.lines.get(instr).copied().unwrap_or(self.firstlineno)
    }
    /// Number of parameters including *args and **kwargs.
    pub fn total_args(&self) -> usize {
        self.argcount
            + self.kwonlyargcount
            + (self.flags & CO_VARARGS != 0) as usize
            + (self.flags & CO_VARKEYWORDS != 0) as usize
    }
    pub fn find_handler(&self, instr: u32) -> Option<ExcEntry> {
        // Entries are innermost-first for nested ranges.
        self.exc_table
            .iter()
            .find(|e| e.start <= instr && instr < e.end)
            .copied()
    }
}

#[cfg(test)]
mod spans_tests {
    use super::{Span, Spans};

    fn round_trip(spans: &[Span], lines: &[u32]) -> u8 {
        let packed = Spans::new(spans, lines);
        assert_eq!(packed.len(), spans.len());
        for (i, s) in spans.iter().enumerate() {
            assert_eq!(packed.get(i, lines[i]), Some(*s), "instruction {i}");
        }
        assert_eq!(packed.get(spans.len(), 0), None);
        let (w, b) = packed.packed();
        assert_eq!(Spans::from_packed(w, b, spans.len()), Some(packed.clone()));
        w
    }

    #[test]
    fn spans_pack_to_the_narrowest_width() {
        let s = |end_line, col, end_col| Span {
            end_line,
            col,
            end_col,
        };
        assert_eq!(round_trip(&[], &[]), 0);
        assert_eq!(
            round_trip(
                &[s(10, 4, 20), Span::NONE, s(12, Span::NO_COL, 0)],
                &[10, 0, 11]
            ),
            1
        );
        // An end line before the line (wrapping) and a column of 254 still fit a byte.
        assert_eq!(round_trip(&[s(9, 254, 0)], &[10]), 1);
        assert_eq!(round_trip(&[s(10, 255, 300)], &[10]), 2);
        assert_eq!(round_trip(&[s(70_000, 1, 2)], &[1]), 4);
        assert_eq!(round_trip(&[s(5, u32::MAX - 1, 0)], &[5]), 4);
    }
}
