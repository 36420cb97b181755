//! The bytecode instructions: generic ones, and the specialized forms the adaptive
//! interpreter rewrites them into (PEP 659). They are defined once, with the tier-2
//! uops, in `stitch_stencils::instructions` (`for_each_instruction!`); this module
//! generates from that table the `Op` enum, names, families, stack effects and each
//! instruction's tier-2 form (`Tier2`), and adds the operator tables. It is not part
//! of the compiler (`crate::compile` is one of its readers, with the interpreter, the
//! specializer and tier 2).
//!
//! Each instruction is one 32-bit code unit: opcode in the low 8 bits, argument in the
//! high 24 bits. Inline caches do not live in the code stream: every instruction has a
//! side-table slot in its code object's `InlineCaches` (see `stitch_sync::inline_cache`
//! and `crate::specialize`), so jump targets and line tables never move.
pub use stitch_stencils::instructions::{Operand, Uop, UopStep, flag};

/// How a trace runs an instruction (see `for_each_instruction!`).
#[derive(Clone, Copy, Debug)]
pub enum Tier2 {
    /// These uops, then a patchpoint if one escapes.
    Uops(&'static [UopStep]),
    /// A runtime helper (`crate::tier2::helpers`) through `CALL_HELPER`.
    Helper(HelperForm),
    /// The runtime's generic implementation (`crate::tier2::helpers::generic_for`).
    Generic(GenericForm),
    /// As its family.
    Family,
    /// The translator's own case; where it does not apply, the trace ends.
    ByHand,
    /// Not translated: the trace ends there.
    NotTranslated,
}

/// A `helper(...)` form.
#[derive(Clone, Copy, Debug)]
pub struct HelperForm {
    /// The helper's name in `crate::tier2::helpers` (`helpers::by_name`).
    pub name: &'static str,
    /// `(pops, pushes)` for the instruction's argument.
    pub effect: fn(u32) -> (u32, u32),
    /// `flag::ESCAPES` / `flag::RAISES`.
    pub flags: u16,
    /// Why its exit is taken.
    pub reason: &'static str,
}

/// A `generic(...)` form.
#[derive(Clone, Copy, Debug)]
pub struct GenericForm {
    /// `(pops, pushes)` for the instruction's argument.
    pub effect: fn(u32) -> (u32, u32),
    /// `flag::ESCAPES` / `flag::RAISES`.
    pub flags: u16,
}

impl Tier2 {
    /// The generic implementation's `(pops, pushes, raises, escapes)` for `arg`, if the
    /// instruction (or its family) runs through it.
    pub fn generic_effect(self, arg: usize) -> Option<(u32, u32, bool, bool)> {
        match self {
            Tier2::Generic(g) => {
                let (pops, pushes) = (g.effect)(arg as u32);
                Some((
                    pops,
                    pushes,
                    g.flags & flag::RAISES != 0,
                    g.flags & flag::ESCAPES != 0,
                ))
            }
            _ => None,
        }
    }
}

/// A stack effect as the table writes it: one number, (fall-through, jump), or a
/// function of the argument.
macro_rules! effect {
    ($arg:ident, ($e:literal)) => {
        ($e, $e)
    };
    ($arg:ident, ($f:literal, $j:literal)) => {
        ($f, $j)
    };
    ($arg:ident, (|$a:ident| $e:expr)) => {{
        let $a = $arg as i32;
        let e: i32 = $e;
        (e, e)
    }};
}

/// A tier-2 form as the table writes it.
macro_rules! tier2_form {
    (uops [$($u:ident($o:ident) $r:literal),*]) => {
        Tier2::Uops(&[$(UopStep { uop: Uop::$u, operand: Operand::$o, reason: $r }),*])
    };
    (helper ($h:ident, |$a:tt| $e:expr, [$($f:ident),*], $r:literal)) => {
        Tier2::Helper(HelperForm {
            name: stringify!($h),
            effect: |$a: u32| $e,
            flags: 0 $(| flag::$f)*,
            reason: $r,
        })
    };
    (generic (|$a:tt| $e:expr, [$($f:ident),*])) => {
        Tier2::Generic(GenericForm { effect: |$a: u32| $e, flags: 0 $(| flag::$f)* })
    };
    (family ()) => {
        Tier2::Family
    };
    (by_hand ()) => {
        Tier2::ByHand
    };
    (none ()) => {
        Tier2::NotTranslated
    };
}

macro_rules! define_ops {
    (
        generic { $($name:ident = $num:literal, stack $stack:tt, $form:ident $fargs:tt, $doc:literal;)* }
        specialized { $($sname:ident = $snum:literal, $family:ident, $sform:ident $sfargs:tt, $sdoc:literal;)* }
    ) => {
        #[allow(non_camel_case_types, clippy::upper_case_acronyms, reason = "CPython's instruction names")]
        #[derive(Clone, Copy, PartialEq, Eq, Debug, Hash)]
        #[repr(u8)]
        pub enum Op {
            $(#[doc = $doc] $name = $num,)*
            $(#[doc = $sdoc] $sname = $snum,)*
        }

        impl Op {
            /// Every instruction, generic ones first.
            pub const ALL: &'static [Op] = &[$(Op::$name,)* $(Op::$sname,)*];

            /// Family table (the `match` compiled to a chain of compares).
            const FAMILY: [Op; 256] = {
                let mut t = [Op::NOP; 256];
                $(t[$num] = Op::$name;)*
                $(t[$snum] = Op::$family;)*
                t
            };

            /// Decode (a `match`: in the interpreter's dispatch it compiles to better
            /// code than a table lookup, which cost tier 1 13% more instructions).
            #[inline(always)]
            pub fn from_u8(b: u8) -> Option<Op> {
                match b { $($num => Some(Op::$name),)* $($snum => Some(Op::$sname),)* _ => None }
            }
            pub fn name(self) -> &'static str {
                match self { $(Op::$name => stringify!($name),)* $(Op::$sname => stringify!($sname),)* }
            }
            /// The generic instruction a specialized one deoptimizes to (itself if generic).
            #[inline(always)]
            pub fn family(self) -> Op {
                Self::FAMILY[self as usize]
            }
            #[inline(always)]
            pub fn is_specialized(self) -> bool {
                self as u8 >= FIRST_SPECIALIZED
            }
            /// The definition's documentation.
            pub fn doc(self) -> &'static str {
                match self { $(Op::$name => $doc,)* $(Op::$sname => $sdoc,)* }
            }
            /// How a trace runs this instruction, as the table writes it (a specialized
            /// form may say `Family`: see `tier2`).
            pub fn tier2_form(self) -> Tier2 {
                match self {
                    $(Op::$name => tier2_form!($form $fargs),)*
                    $(Op::$sname => tier2_form!($sform $sfargs),)*
                }
            }
            /// The table's text of the stack effect and the tier-2 form (for the
            /// reference table in `docs/`).
            pub fn definition_text(self) -> (&'static str, &'static str) {
                match self {
                    $(Op::$name => (stringify!($stack), stringify!($form $fargs)),)*
                    $(Op::$sname => ("", stringify!($sform $sfargs)),)*
                }
            }
        }

        /// Stack effect of an instruction: (fall-through, jump taken).
        pub fn stack_effect(op: Op, arg: u32) -> (i32, i32) {
            match op.family() {
                $(Op::$name => effect!(arg, $stack),)*
                _ => unreachable!("a family is generic"),
            }
        }
    };
}

/// Opcodes at or above this are specialized forms.
pub const FIRST_SPECIALIZED: u8 = 128;

stitch_stencils::for_each_instruction!(define_ops);

impl Op {
    /// How a trace runs this instruction (a specialization tier 2 does not use runs
    /// as its family).
    pub fn tier2(self) -> Tier2 {
        match self.tier2_form() {
            Tier2::Family => self.family().tier2_form(),
            t => t,
        }
    }
}

/// BINARY_OP arguments (the in-place forms are +13).
pub const BIN_OPS: [&str; 13] = [
    "+", "&", "//", "<<", "@", "*", "%", "|", "**", ">>", "-", "/", "^",
];
pub const NB_ADD: u32 = 0;
pub const NB_AND: u32 = 1;
pub const NB_FLOOR_DIVIDE: u32 = 2;
pub const NB_LSHIFT: u32 = 3;
pub const NB_MATMUL: u32 = 4;
pub const NB_MULTIPLY: u32 = 5;
pub const NB_REMAINDER: u32 = 6;
pub const NB_OR: u32 = 7;
pub const NB_POWER: u32 = 8;
pub const NB_RSHIFT: u32 = 9;
pub const NB_SUBTRACT: u32 = 10;
pub const NB_TRUE_DIVIDE: u32 = 11;
pub const NB_XOR: u32 = 12;
pub const NB_INPLACE: u32 = 13;

pub const CMP_OPS: [&str; 6] = ["<", "<=", "==", "!=", ">", ">="];

pub fn is_jump(op: Op) -> bool {
    use Op::*;
    matches!(
        op,
        JUMP | JUMP_BACKWARD
            | POP_JUMP_IF_FALSE
            | POP_JUMP_IF_TRUE
            | JUMP_IF_FALSE_OR_POP
            | JUMP_IF_TRUE_OR_POP
            | POP_JUMP_IF_NONE
            | POP_JUMP_IF_NOT_NONE
            | FOR_ITER
            | SEND
    )
}

/// The reference table of every instruction and uop (`docs/instructions.md`),
/// generated from the definitions; a unit test fails when the file is stale.
pub fn reference_markdown() -> String {
    use std::fmt::Write as _;
    let mut s = String::from(
        "# Instructions and uops\n\n\
         Generated from `stencils/src/instructions.rs` by `runtime/src/instructions.rs` \
         (`reference_markdown`); do not edit. Regenerate with \
         `STITCH_BLESS=1 cargo test --release -p stitch-runtime --lib instructions`.\n\n\
         ## Bytecode instructions\n\n\
         | # | name | family | stack effect | tier 2 | doc |\n|---|---|---|---|---|---|\n",
    );
    for &op in Op::ALL {
        let (stack, form) = op.definition_text();
        let family = if op.is_specialized() {
            op.family().name()
        } else {
            ""
        };
        let _ = writeln!(
            s,
            "| {} | `{}` | {} | `{}` | `{}` | {} |",
            op as u8,
            op.name(),
            family,
            stack.replace('|', "\\|"),
            form.replace('|', "\\|"),
            op.doc().replace('|', "\\|")
        );
    }
    s.push_str(
        "\n## Tier-2 uops\n\n| name | pops -> pushes | flags | body | doc |\n|---|---|---|---|---|\n",
    );
    for &u in Uop::ALL {
        let (pops, pushes) = u.fixed_effect();
        let doc: Vec<&str> = u.doc().lines().map(str::trim).collect();
        let _ = writeln!(
            s,
            "| `{}` | {pops} -> {pushes} | {} | {:?} | {} |",
            u.name(),
            u.flag_names(),
            u.kind(),
            doc.join(" ").replace('|', "\\|")
        );
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_opcode_round_trips_and_families_are_generic() {
        for &op in Op::ALL {
            assert_eq!(Op::from_u8(op as u8), Some(op), "{}", op.name());
            assert!(!op.family().is_specialized(), "{}", op.name());
        }
    }

    /// A specialized instruction's tier-2 form must have its family's stack effect (the
    /// translator puts the uops or the helper in place of the instruction).
    #[test]
    fn tier2_forms_have_their_instruction_stack_effect() {
        for &op in Op::ALL {
            let (want, _) = stack_effect(op, 1);
            let got = match op.tier2() {
                Tier2::Uops(steps) => steps
                    .iter()
                    .map(|s| {
                        let (i, o) = s.uop.fixed_effect();
                        o as i32 - i as i32
                    })
                    .sum::<i32>(),
                Tier2::Helper(h) => {
                    let (pops, pushes) = (h.effect)(1);
                    pushes as i32 - pops as i32
                }
                Tier2::Generic(g) => {
                    let (pops, pushes) = (g.effect)(1);
                    pushes as i32 - pops as i32
                }
                _ => continue,
            };
            assert_eq!(got, want, "{}", op.name());
        }
    }

    /// `docs/instructions.md` is the table the definitions generate.
    #[test]
    fn reference_table_is_current() {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../docs/instructions.md");
        let want = reference_markdown();
        if crate::options::Env::Bless.get().is_some() {
            std::fs::write(path, &want).expect("write docs/instructions.md");
            return;
        }
        let got = std::fs::read_to_string(path).unwrap_or_default();
        assert!(
            got == want,
            "docs/instructions.md is stale: run STITCH_BLESS=1 cargo test --release -p stitch-runtime --lib instructions"
        );
    }
}
