//! The uop IR: a trace is a straight line of uops, each with its operand and, if it
//! can leave the trace, its exit (where tier 1 resumes and with what stack).
//!
//! The uops are defined once, with their bodies, in `stitch_stencils::instructions`
//! (`for_each_uop!`): each is one stencil and one entry of the uop interpreter, but
//! `EXIT_TRACE`, the unconditional end of a trace that does not loop. `Display` prints a trace deterministically (no addresses), which is
//! what `-X dump=uops` shows and what the optimizer's snapshot tests pin.
use std::fmt;

use stitch_runtime::tier2::Exit;
use stitch_runtime::tier2::helpers::Helper;

pub use stitch_stencils::instructions::Uop;
pub use stitch_stencils::instructions::flag::{ESCAPES, EXITS};
/// One uop of a trace.
#[derive(Clone)]
pub struct Inst {
    pub uop: Uop,
    pub oparg: u64,
    /// `CALL_HELPER`: the runtime function, its name, its stack effect and whether it
    /// escapes.
    pub helper: Option<HelperCall>,
    /// Index into `TraceIr::exits` (0: none).
    pub exit: u32,
    /// `CALL_HELPER_ERR`: the exit taken when the instruction raised.
    pub error_exit: u32,
    /// The bytecode instruction this uop came from (for dumps).
    pub ip: u32,
    /// The operand as a reader wants to see it (rendered only by dumps).
    pub shown: Shown,
}

/// How a uop's operand is shown in dumps (kept symbolic: building strings for every
/// uop cost more than the rest of compilation).
#[derive(Clone, Copy, Debug)]
pub enum Shown {
    Nothing,
    Local(u32),
    Raw(u64),
    Const(u32),
    Text(&'static str),
    Compare {
        op: u8,
        want: bool,
    },
    Truth(bool),
    IsNone(bool),
    LocalKind {
        local: u32,
        kind: &'static str,
    },
    /// A global or builtin loaded as a constant (its value, if dumps can show it).
    Global(Option<u64>),
    /// A stack slot, counted from the top (1: the top).
    Slot(u32),
}

#[derive(Clone, Copy)]
pub struct HelperCall {
    pub name: &'static str,
    pub f: Helper,
    pub pops: u32,
    pub pushes: u32,
    pub escapes: bool,
}

impl Inst {
    pub fn effect(&self) -> (u32, u32) {
        match &self.helper {
            Some(h) => (h.pops, h.pushes),
            None => self.uop.fixed_effect(),
        }
    }

    pub fn can_exit(&self) -> bool {
        self.uop.flags() & EXITS != 0
    }

    pub fn escapes(&self) -> bool {
        match &self.helper {
            Some(h) => h.escapes,
            None => self.uop.flags() & ESCAPES != 0,
        }
    }
}

/// Does the trace jump back to its start, or end with `EXIT_TRACE`?
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Shape {
    Loop,
    Linear,
}

/// A trace: its uops and its exits (exit 0 unused, exit 1 the entry patchpoint's).
#[derive(Clone)]
pub struct TraceIr {
    /// `function_name:loop_head`.
    pub name: String,
    pub insts: Vec<Inst>,
    pub exits: Vec<Exit>,
    pub shape: Shape,
    /// Stack depth at the trace's start above the loop head's (side traces start
    /// where their parent exited). Exits in the loop's frame record depths relative
    /// to the loop head.
    pub entry_depth: i32,
    /// The lowest depth (relative to the loop head) the trace's stack may go down to
    /// in the loop's frame: the frame's stack base, as a trace may leave the loop
    /// (a side trace past its end, a `return` in the body popping the iterator).
    pub lowest: i32,
    /// Added to the exit numbers the trace reports (`tier2::table::SHIFT`).
    pub exit_base: usize,
    /// A side trace's end: jump to this machine entry (the loop's trace) instead of
    /// returning (0: return).
    pub loop_entry: usize,
    /// Names of the locals of the loop's code (0) and of each inlined callee (1...), for
    /// dumps: `Shown::Local` packs the code's number above bit 20.
    pub local_names: Vec<Vec<String>>,
    /// What the trace relies on (`crate::invariants`).
    pub deps: Deps,
}

/// A trace's dependencies: the validity flag its patchpoints load, and the watched
/// dicts whose entries it loads as constants.
#[derive(Clone, Default)]
pub struct Deps {
    /// The trace's validity (None: its patchpoints load another flag).
    pub validity: Option<stitch_sync::shim::Arc<stitch_sync::patchpoint::Assumption>>,
    /// Address of its flag (what patchpoints load).
    pub flag: usize,
    /// `DictData` identities of the watched dicts (no duplicates).
    pub watched: Vec<usize>,
    /// For each watched dict, how often its watch had fired when the translator read
    /// from it (`invariants::track` compares).
    pub fired: Vec<u32>,
    /// Globals and builtins loaded as constants.
    pub promoted: usize,
    /// For a trace that inlined an `__init__`: the code assignments counted before the
    /// first such `__init__`'s code was read (`invariants`' `InitCode`).
    pub init_epoch: Option<u64>,
    /// The loop frame's globals dict, if constants were loaded from it (0: none): the
    /// trace checks it at entry (`GUARD_GLOBALS`).
    pub frame_globals: u64,
    /// A loop trace's iteration counter (`COUNT` adds to it).
    pub iterations: Option<std::sync::Arc<std::sync::atomic::AtomicU64>>,
    /// The compiling thread's eval-breaker word, which a loop trace's `CHECK_BREAKER`
    /// loads: the trace keeps it alive.
    pub breaker: Option<std::sync::Arc<stitch_sync::shim::AtomicU32>>,
}

impl TraceIr {
    fn local(&self, i: u32) -> String {
        let (code, idx) = ((i >> 20) as usize, (i & 0xf_ffff) as usize);
        self.local_names
            .get(code)
            .and_then(|n| n.get(idx))
            .cloned()
            .unwrap_or_else(|| idx.to_string())
    }

    /// An operand as dumps show it.
    pub fn show(&self, s: Shown) -> String {
        match s {
            Shown::Nothing => String::new(),
            Shown::Local(i) => self.local(i),
            Shown::Raw(r) => crate::dump::show_raw(stitch_stencils::RawValue(r))
                .unwrap_or_else(|| "object".into()),
            Shown::Const(i) => format!("const {i}"),
            Shown::Text(t) => t.to_string(),
            Shown::Compare { op, want } => format!(
                "{} is {want}",
                stitch_runtime::instructions::CMP_OPS
                    .get(op as usize)
                    .copied()
                    .unwrap_or("?")
            ),
            Shown::Truth(want) => format!("is {want}"),
            Shown::IsNone(want) => format!("is None is {want}"),
            Shown::LocalKind { local, kind } => format!("{} is {kind}", self.local(local)),
            Shown::Slot(n) => format!("slot {n}"),
            Shown::Global(r) => {
                match r.and_then(|r| crate::dump::show_raw(stitch_stencils::RawValue(r))) {
                    Some(v) => format!("global = {v}"),
                    None => "global object".into(),
                }
            }
        }
    }
}

impl fmt::Display for TraceIr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(
            f,
            "trace {} ({}, {} uops)",
            self.name,
            if self.shape == Shape::Loop {
                "loop"
            } else {
                "linear"
            },
            self.insts.len()
        )?;
        for (n, i) in self.insts.iter().enumerate() {
            let name = match &i.helper {
                Some(h) => format!("{} {}", i.uop.name(), h.name),
                None => i.uop.name().to_string(),
            };
            let mut line = format!("  {n:3} @{:<4} {name:<28} {:<18}", i.ip, self.show(i.shown));
            if i.exit != 0 {
                let e = &self.exits[i.exit as usize];
                line += &format!(" exit {} -> @{} {:+} ({})", i.exit, e.ip, e.depth, e.reason);
                if e.borrowed != 0 {
                    line += &format!(" borrowed {:#b}", e.borrowed);
                }
            }
            if i.error_exit != 0 {
                let e = &self.exits[i.error_exit as usize];
                line += &if e.error {
                    format!("; raise -> {} {:+}", i.error_exit, e.depth)
                } else {
                    format!("; {} -> {} @{} {:+}", e.reason, i.error_exit, e.ip, e.depth)
                };
            }
            writeln!(f, "{}", line.trim_end())?;
        }
        if self.shape == Shape::Loop {
            writeln!(f, "  jump to 0")?;
        }
        Ok(())
    }
}
