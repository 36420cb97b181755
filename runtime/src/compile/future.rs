//! `from __future__ import ...`: which features a module turns on, and CPython's
//! compile-time rules for them.
//!
//! Future statements may follow only the module docstring and other future
//! statements. In 3.11 every feature but two is always on and compiles to nothing;
//! `annotations` (PEP 563) makes the compiler store annotations as strings, and
//! `barry_as_FLUFL` swaps `!=` for `<>`, which stitch's parser cannot read.
use ruff_python_ast::{Stmt, StmtImportFrom};
use ruff_text_size::{Ranged, TextRange};

/// The `co_flags` bits of the features (CPython's `CO_FUTURE_*`), also accepted in
/// `compile()`'s `flags`.
pub const CO_FUTURE_DIVISION: u32 = 0x2_0000;
pub const CO_FUTURE_ABSOLUTE_IMPORT: u32 = 0x4_0000;
pub const CO_FUTURE_WITH_STATEMENT: u32 = 0x8_0000;
pub const CO_FUTURE_PRINT_FUNCTION: u32 = 0x10_0000;
pub const CO_FUTURE_UNICODE_LITERALS: u32 = 0x20_0000;
pub const CO_FUTURE_BARRY_AS_BDFL: u32 = 0x40_0000;
pub const CO_FUTURE_GENERATOR_STOP: u32 = 0x80_0000;
pub const CO_FUTURE_ANNOTATIONS: u32 = 0x100_0000;

/// Every future bit: what code objects carry and what `compile()` inherits from
/// its caller (CPython's `PyCF_MASK`).
pub const FUTURE_MASK: u32 = CO_FUTURE_DIVISION
    | CO_FUTURE_ABSOLUTE_IMPORT
    | CO_FUTURE_WITH_STATEMENT
    | CO_FUTURE_PRINT_FUNCTION
    | CO_FUTURE_UNICODE_LITERALS
    | CO_FUTURE_BARRY_AS_BDFL
    | CO_FUTURE_GENERATOR_STOP
    | CO_FUTURE_ANNOTATIONS;

/// The features a module's leading future statements turn on.
#[derive(Clone, Copy, Default, Debug)]
pub struct Futures {
    /// `CO_FUTURE_*` bits for every code object of the module.
    pub flags: u32,
    /// The last future statement at the top of the module: any other future
    /// statement on a later line is out of place.
    pub last: Option<TextRange>,
}

/// A future statement error: the exception name, CPython's message, where.
pub struct FutureError {
    pub kind: &'static str,
    pub msg: String,
    pub range: TextRange,
}

/// Is `s` a `from __future__ import ...` statement?
pub fn is_future_import(s: &StmtImportFrom) -> bool {
    s.module
        .as_ref()
        .is_some_and(|m| m.as_str() == "__future__")
}

/// Read the future statements at the start of a module body (after its docstring);
/// `line_of` gives a node's line.
///
/// Past the first other statement, only statements sharing its line are still looked
/// at (as CPython does): a future import there, after `import x;` on the same line, is
/// reported here, at the column before it; later ones are left to the compiler.
pub fn parse(body: &[Stmt], line_of: &dyn Fn(TextRange) -> u32) -> Result<Futures, FutureError> {
    let mut f = Futures::default();
    let mut rest = body;
    if let Some(Stmt::Expr(e)) = rest.first()
        && e.value.is_string_literal_expr()
    {
        rest = &rest[1..];
    }
    let mut done = false;
    let mut prev_line = 0;
    for s in rest {
        let line = line_of(s.range());
        if done && line > prev_line {
            break;
        }
        prev_line = line;
        match s {
            Stmt::ImportFrom(imp) if is_future_import(imp) => {
                if done {
                    let start = imp.range.start();
                    let before = start.checked_sub(1.into()).unwrap_or(start);
                    return Err(FutureError {
                        kind: "SyntaxError",
                        msg: LATE.into(),
                        range: TextRange::empty(before),
                    });
                }
                for alias in &imp.names {
                    f.flags |= feature(alias.name.as_str(), imp.range())?;
                }
                f.last = Some(imp.range);
            }
            _ => done = true,
        }
    }
    Ok(f)
}

/// CPython's message for a future statement that is not at the top.
pub const LATE: &str = "from __future__ imports must occur at the beginning of the file";

/// The flag a feature sets (0 for those always on), or CPython's error for a name
/// that is not a feature.
fn feature(name: &str, range: TextRange) -> Result<u32, FutureError> {
    // CPython points at the statement's first character for these.
    let at = TextRange::empty(range.start());
    match name {
        "nested_scopes" | "generators" | "division" | "absolute_import" | "with_statement"
        | "print_function" | "unicode_literals" | "generator_stop" => Ok(0),
        "annotations" => Ok(CO_FUTURE_ANNOTATIONS),
        "barry_as_FLUFL" => Err(FutureError {
            kind: "NotImplementedError",
            msg: "stitch does not support 'from __future__ import barry_as_FLUFL' \
                  (the '<>' operator)"
                .into(),
            range: at,
        }),
        "braces" => Err(FutureError {
            kind: "SyntaxError",
            msg: "not a chance".into(),
            range: at,
        }),
        _ => Err(FutureError {
            kind: "SyntaxError",
            msg: format!("future feature {name} is not defined"),
            range: at,
        }),
    }
}

/// The future features of the code running in `vm`'s current frame, which
/// `compile()`, `exec()` and `eval()` of source text inherit (as in CPython).
pub fn inherited(vm: &crate::vm::Vm) -> u32 {
    if vm.frame.is_null() {
        return 0;
    }
    // SAFETY: `vm.frame` is the thread's live frame (the caller of the builtin).
    unsafe { crate::frame::frame_code(vm.frame).flags & FUTURE_MASK }
}
