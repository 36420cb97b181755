//! Type propagation and guard elimination.
//!
//! Walks the trace from its start. A slot's kind becomes known from a constant, a guard
//! that passed, or an operation whose result kind is fixed (int uops give small ints or
//! exit; float uops give floats; a small-int range iterator gives small ints). A guard
//! (or guarded comparison) that passed on a value loaded from a local also teaches the
//! local's kind, while the local still holds that value: `n < limit` makes every later
//! load of `limit` reference-count free, and, as the loop does not store it, its kind
//! is checked once at the loop top instead of by a guard per iteration. Known
//! kinds remove the guards they decide and let loads and stores of non-heap values skip
//! reference counting: such a value needs no count, and a store over one releases
//! nothing, so it cannot run code and needs no patchpoint after it.
//!
//! Loop traces jump back to their start, so facts from inside an iteration may not be
//! assumed at the top, except for locals whose kind the loop itself preserves: the pass
//! finds them by fixpoint (assume the kinds the locals have at the back edge, re-run,
//! drop every local whose kind at the back edge differs from the assumption, until
//! stable) and checks each once per iteration at the top with `GUARD_LOCAL_KIND`
//! (exiting on entry if the frame disagrees). On every later iteration the guard holds
//! by construction.
use std::collections::{BTreeMap, BTreeSet};

use stitch_runtime::tier2::{Exit, ExitReason};
use stitch_stencils::bodies::{KIND_FLOAT, KIND_OTHER_RAW, KIND_SMALL_INT};
use stitch_stencils::value::RawValue;

use crate::ir::{Inst, Shape, Shown, TraceIr, Uop};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Kind {
    Unknown,
    SmallInt,
    Float,
    /// Some other word that is not a heap object (None, a bool).
    OtherRaw,
}

impl Kind {
    fn of_raw(raw: RawValue) -> Kind {
        if raw.is_small_int() {
            Kind::SmallInt
        } else if raw.is_float() {
            Kind::Float
        } else if raw.is_ptr() || raw.is_null() {
            Kind::Unknown
        } else {
            Kind::OtherRaw
        }
    }

    fn is_raw(self) -> bool {
        self != Kind::Unknown
    }

    fn code(self) -> u64 {
        match self {
            Kind::SmallInt => KIND_SMALL_INT,
            Kind::Float => KIND_FLOAT,
            _ => KIND_OTHER_RAW,
        }
    }

    fn name(self) -> &'static str {
        match self {
            Kind::SmallInt => "small int",
            Kind::Float => "float",
            Kind::OtherRaw => "non-heap",
            Kind::Unknown => "?",
        }
    }
}

type Locals = BTreeMap<u64, Kind>;

/// A value stack slot: its kind, and the local it was loaded from if the local still
/// holds it.
#[derive(Clone, Copy)]
struct Slot {
    kind: Kind,
    from: Option<u64>,
}

impl Slot {
    const UNKNOWN: Slot = Slot {
        kind: Kind::Unknown,
        from: None,
    };
}

/// Run the trace's uops over abstract kinds starting from `locals`; with `rewrite`,
/// drop decided guards and pick reference-count-free forms. Returns the locals' kinds
/// at the end.
fn simulate(insts: &mut Vec<Inst>, mut locals: Locals, rewrite: bool) -> Locals {
    // With `rewrite`, what to do with each uop: None drops it, Some(uop) keeps it (as
    // that uop). Without, nothing is built.
    let mut plan: Vec<Option<Uop>> = Vec::new();
    let mut stack: Vec<Slot> = Vec::new();
    // Callers' stacks and locals while in an inlined frame.
    let mut callers: Vec<(Vec<Slot>, Locals)> = Vec::new();
    // Slot `n` below the top (1 = top); slots below the loop head's depth are unknown.
    fn peek(stack: &[Slot], n: usize) -> Kind {
        stack
            .len()
            .checked_sub(n)
            .map(|i| stack[i].kind)
            .unwrap_or(Kind::Unknown)
    }
    /// Slot `n` now holds a value of kind `k`.
    fn set(stack: &mut [Slot], n: usize, k: Kind) {
        if let Some(i) = stack.len().checked_sub(n) {
            stack[i].kind = k;
        }
    }
    /// A guard proved the value in slot `n` is of kind `k` (it did not convert it): so
    /// is the local it was loaded from.
    fn learn(stack: &mut [Slot], locals: &mut Locals, n: usize, k: Kind) {
        if let Some(i) = stack.len().checked_sub(n) {
            stack[i].kind = k;
            if let Some(l) = stack[i].from {
                locals.insert(l, k);
            }
        }
    }
    fn pop(stack: &mut Vec<Slot>, n: u32) {
        for _ in 0..n {
            stack.pop();
        }
    }
    fn push(stack: &mut Vec<Slot>, kind: Kind) {
        stack.push(Slot { kind, from: None });
    }
    for inst in insts.iter() {
        let mut uop = inst.uop;
        let mut keep = true;
        match inst.uop {
            Uop::LOAD_FAST | Uop::LOAD_FAST_RAW => {
                let k = locals.get(&inst.oparg).copied().unwrap_or(Kind::Unknown);
                if k.is_raw() {
                    uop = Uop::LOAD_FAST_RAW;
                }
                stack.push(Slot {
                    kind: k,
                    from: Some(inst.oparg),
                });
            }
            Uop::STORE_FAST | Uop::STORE_FAST_RAW => {
                let old = locals.get(&inst.oparg).copied().unwrap_or(Kind::Unknown);
                if old.is_raw() {
                    uop = Uop::STORE_FAST_RAW;
                }
                let k = stack.pop().map_or(Kind::Unknown, |s| s.kind);
                locals.insert(inst.oparg, k);
                // Values loaded from the local before are no longer what it holds.
                for s in stack.iter_mut().filter(|s| s.from == Some(inst.oparg)) {
                    s.from = None;
                }
            }
            Uop::LOAD_RAW => push(&mut stack, Kind::of_raw(RawValue(inst.oparg))),
            Uop::GUARD_BOTH_INT => {
                if peek(&stack, 1) == Kind::SmallInt && peek(&stack, 2) == Kind::SmallInt {
                    keep = false;
                }
                learn(&mut stack, &mut locals, 1, Kind::SmallInt);
                learn(&mut stack, &mut locals, 2, Kind::SmallInt);
            }
            Uop::GUARD_FLOAT_OPERANDS => {
                if peek(&stack, 1) == Kind::Float && peek(&stack, 2) == Kind::Float {
                    keep = false;
                }
                // Not `learn`: a small-int operand passes as the float it converts
                // to on the stack, while its local still holds the int.
                set(&mut stack, 1, Kind::Float);
                set(&mut stack, 2, Kind::Float);
            }
            Uop::COMPARE_INT_GUARD | Uop::COMPARE_FLOAT_GUARD => {
                // Past the guard both operands are of its kind.
                let (k, known) = if inst.uop == Uop::COMPARE_INT_GUARD {
                    (Kind::SmallInt, Uop::COMPARE_INT_BRANCH)
                } else {
                    (Kind::Float, Uop::COMPARE_FLOAT_BRANCH)
                };
                if peek(&stack, 1) == k && peek(&stack, 2) == k {
                    uop = known;
                }
                learn(&mut stack, &mut locals, 1, k);
                learn(&mut stack, &mut locals, 2, k);
                pop(&mut stack, 2);
            }
            u if u.gives_small_int() => {
                pop(&mut stack, 2);
                push(&mut stack, Kind::SmallInt);
            }
            u if u.gives_float() => {
                pop(&mut stack, 2);
                push(&mut stack, Kind::Float);
            }
            Uop::PUSH_FRAME => {
                // The callee's parameters are the call's arguments (after the self
                // slot when the callee takes self); the caller's state waits.
                let n = (inst.oparg & 0x7fff_ffff) as usize;
                let has_self = inst.oparg & (1 << 31) != 0;
                let args: Vec<Kind> = (0..n).map(|k| peek(&stack, n - k)).collect();
                let slf = peek(&stack, n + 1);
                pop(&mut stack, n as u32 + 2);
                let mut callee = Locals::new();
                let first = if has_self {
                    callee.insert(0, slf);
                    1
                } else {
                    0
                };
                for (k, kind) in args.into_iter().enumerate() {
                    callee.insert((first + k) as u64, kind);
                }
                callers.push((
                    std::mem::take(&mut stack),
                    std::mem::replace(&mut locals, callee),
                ));
            }
            Uop::POP_FRAME => {
                if let Some((s, l)) = callers.pop() {
                    stack = s;
                    locals = l;
                }
                push(&mut stack, Kind::Unknown);
            }
            Uop::CALL_HELPER | Uop::CALL_HELPER_ERR
                if inst.helper.is_some_and(|h| h.name == "for_iter_range") =>
            {
                push(&mut stack, Kind::SmallInt);
            }
            Uop::COPY => {
                let n = inst.oparg as usize;
                let s = stack
                    .len()
                    .checked_sub(n)
                    .map_or(Slot::UNKNOWN, |i| stack[i]);
                stack.push(s);
            }
            Uop::SWAP => {
                let n = inst.oparg as usize;
                if let (Some(i), Some(j)) = (stack.len().checked_sub(1), stack.len().checked_sub(n))
                {
                    stack.swap(i, j);
                } else if let Some(i) = stack.len().checked_sub(1) {
                    // The other slot is below the known stack: unknown either way.
                    stack[i] = Slot::UNKNOWN;
                }
            }
            _ => {
                let (pops, pushes) = inst.effect();
                pop(&mut stack, pops);
                for _ in 0..pushes {
                    push(&mut stack, Kind::Unknown);
                }
            }
        }
        if rewrite {
            plan.push(keep.then_some(uop));
        }
    }
    if rewrite {
        let mut plan = plan.into_iter();
        insts.retain_mut(|inst| match plan.next().flatten() {
            Some(uop) => {
                // Rewritten into a form that cannot fail: drop its exit.
                if uop.flags() & crate::ir::EXITS == 0 {
                    inst.exit = 0;
                }
                inst.uop = uop;
                true
            }
            None => false,
        });
    }
    locals
}

/// The loop frame's locals that an iteration reads before it writes them: the only
/// ones whose kind at the loop top matters. (A local the body overwrites first, such
/// as `x = xs[i]`, may hold anything when tier 1 enters the trace, having left the
/// loop's last pass by another path: checking it would only turn those entries into
/// exits.)
fn read_before_written(insts: &[Inst]) -> BTreeSet<u64> {
    let (mut read, mut written) = (BTreeSet::new(), BTreeSet::new());
    let mut depth = 0u32;
    for inst in insts {
        match inst.uop {
            Uop::PUSH_FRAME => depth += 1,
            Uop::POP_FRAME => depth = depth.saturating_sub(1),
            Uop::LOAD_FAST | Uop::LOAD_FAST_RAW | Uop::LOAD_FAST_BORROW
                if depth == 0 && !written.contains(&inst.oparg) =>
            {
                read.insert(inst.oparg);
            }
            Uop::STORE_FAST | Uop::STORE_FAST_RAW if depth == 0 => {
                written.insert(inst.oparg);
            }
            _ => {}
        }
    }
    read
}

pub fn run(ir: &mut TraceIr) {
    let mut assumed = Locals::new();
    if ir.shape == Shape::Loop {
        // Candidates: locals read before written with a non-heap kind at the back edge.
        let end = simulate(&mut ir.insts, Locals::new(), false);
        let live = read_before_written(&ir.insts);
        assumed = end
            .into_iter()
            .filter(|(l, k)| k.is_raw() && live.contains(l))
            .collect();
        loop {
            let end = simulate(&mut ir.insts, assumed.clone(), false);
            let before = assumed.len();
            assumed.retain(|l, k| end.get(l) == Some(k));
            if assumed.len() == before {
                break;
            }
        }
    }
    if !assumed.is_empty() {
        // Entry guards right after the entry patchpoint.
        let head = ir.insts[0].ip;
        let mut guards = Vec::new();
        for (&local, &kind) in &assumed {
            ir.exits
                .push(Exit::guard(head, 0, ExitReason::LocalKindDiffers));
            guards.push(Inst {
                uop: Uop::GUARD_LOCAL_KIND,
                oparg: local | (kind.code() << 32),
                helper: None,
                exit: (ir.exits.len() - 1) as u32,
                error_exit: 0,
                ip: head,
                shown: Shown::LocalKind {
                    local: local as u32,
                    kind: kind.name(),
                },
            });
        }
        ir.insts.splice(1..1, guards);
    }
    simulate(&mut ir.insts, assumed, true);
}
