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
    /// when the code has none (compiled from `_ast` nodes).
    pub spans: Vec<Span>,
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
