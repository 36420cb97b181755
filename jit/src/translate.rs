//! Translation (a hot loop's quickened bytecode -> uop IR).
//!
//! Starting at the loop head, the translator walks the path the loop took lately: the
//! specializing interpreter has rewritten each instruction for the types it saw, and
//! each conditional jump's branch history (`stitch_runtime::tier2::branch_history`) says
//! which way it usually goes. Every specialized instruction becomes its uops (pure
//! stencils inline, runtime bodies through `CALL_HELPER`); every conditional jump a
//! guard that the branch goes the traced way. Each uop that can fail gets an exit that
//! resumes tier 1 at its instruction with the stack as it was.
//!
//! The trace starts with its entry patchpoint (its validity flag) and gets another
//! after every uop that can run arbitrary code (a release that may run `__del__`, a
//! runtime helper): if that code changed a global the trace loads as a constant, the
//! trace leaves right there. A loop trace then checks its thread's eval breaker
//! (`CHECK_BREAKER`), as tier 1's back edge does.
//!
//! A loop whose traced path reaches the back edge becomes a looping trace. An
//! instruction the translator does not handle ends the trace there (`EXIT_TRACE`, tier
//! 1 runs the rest of the iteration and re-enters at the back edge) if enough of the
//! body came before it; otherwise the loop is not compiled, with the instruction's name
//! as the abort reason (`-X stats`).
use stitch_runtime::instructions::{HelperForm, Op, Operand, Tier2, UopStep, flag};
use stitch_runtime::object::is_immortal as immortal;
use stitch_runtime::tier2::branch_history::likely_taken;
use stitch_runtime::tier2::{self as tier2, helpers, recorder};
use stitch_runtime::tier2::{Exit, ExitReason, PATCHPOINT_EXIT, TraceRequest};
use stitch_runtime::types::code::CodeObj;
use stitch_stencils::value::RawValue;

use crate::ir::{ESCAPES, HelperCall, Inst, Shape, Shown, TraceIr, Uop};

/// Longest loop body (in instructions) translated. Measured (session 10): at 5000,
/// pyperformance's unpack_sequence (4,400 instructions per iteration) compiled one
/// 727 KB trace that ran 3.3x slower than tier 1 (instruction-cache misses: ~165
/// bytes of machine code per instruction), so long bodies stay in tier 1.
const MAX_BODY: usize = 400;
/// Fewest bytecode instructions before an unsupported one for a trace that ends there
/// to be worth entering: entering and leaving a trace, and tier 1 dispatching the
/// instruction it stopped at, cost about what running this many instructions in tier
/// 1 does. Measured (bench/compare, best of 3): with 6, generator loops ending at
/// `yield` and loops ending at a Python call ran 5-13% slower than tier 1 alone; with
/// 12, hexiom's and go's loops that end at a recursive call still ran 3-5% slower than
/// tier 1, and with 30 they ran as fast (no program got slower).
/// Traces that jump into another loop's trace need no prefix: they do not leave.
const MIN_PREFIX: usize = 30;

const PATCHPOINT_REASON: ExitReason = ExitReason::Patchpoint;
const BRANCH_REASON: ExitReason = ExitReason::Branch;
const BRANCH_TRUTH_REASON: ExitReason = ExitReason::BranchTruth;
/// The reason of a `FOR_ITER`'s second exit (its loop ended).
pub const LOOP_END_REASON: ExitReason = ExitReason::LoopEnd;
const LINK_REASON: ExitReason = ExitReason::Link;

/// Why a loop was not compiled: a fixed reason or the instruction that stopped it.
pub use stitch_runtime::tier2::reason::Abort;

/// A caller whose call the translator followed into the callee.
struct Caller<'a> {
    co: &'a CodeObj,
    names: usize,
    /// Where the caller continues after the call.
    ret_ip: usize,
    /// The caller's stack depth after the call (its result pushed).
    depth_after: i32,
    /// The caller's dicts (restored at the return).
    dicts: tier2::Dicts,
    /// The call instantiates a class and this frame runs its `__init__`.
    init: bool,
}

/// Deepest chain of inlined calls.
const MAX_INLINE: usize = 2;

struct Translator<'a> {
    /// The code being walked: the loop's, or an inlined callee's.
    co: &'a CodeObj,
    /// Call sites (caller code address, instruction) not to follow.
    no_inline: &'a [(usize, usize)],
    /// Inlined calls, outermost first (empty: in the loop's frame).
    frames: Vec<Caller<'a>>,
    /// Which entry of `ir.local_names` names the current code's locals.
    names_of_current: usize,
    /// A side trace's start and the way its first branch goes.
    forced: Option<(usize, bool)>,
    /// A side trace: its path may leave the loop (it ends at an enclosing loop's back
    /// edge, or where tier 1 takes over).
    side: bool,
    ir: TraceIr,
    /// Stack depth above the loop head's.
    depth: i32,
    /// The current frame's dicts (globals loaded as constants come from them; 0: none
    /// may be, the frame's globals are not guarded).
    dicts: tier2::Dicts,
}

impl<'a> Translator<'a> {
    /// A new exit at `ip` with `depth`. Guard exits taken often make the loop compile
    /// again (`stitch_runtime::tier2::exit_taken`); exits that are normal control flow
    /// are marked with `control_flow`.
    fn exit(&mut self, ip: usize, depth: i32, reason: ExitReason) -> u32 {
        // In the loop's frame, depths are relative to the loop head (a side trace
        // starts `entry_depth` above it).
        let depth = if self.frames.is_empty() {
            depth + self.ir.entry_depth
        } else {
            depth
        };
        self.ir.exits.push(Exit {
            frame_depth: self.frames.len() as u8,
            ..Exit::guard(ip as u32, depth, reason)
        });
        (self.ir.exits.len() - 1) as u32
    }

    /// The last exit is normal control flow (a loop's end, a trace's end, a raised
    /// exception, a broken assumption, a branch going its other way): taking it often
    /// says nothing against the trace.
    fn control_flow(&mut self) {
        if let Some(e) = self.ir.exits.last_mut() {
            e.recompile = false;
        }
    }

    /// Append `uop`; if it can exit, its exit resumes at `ip` with the current depth.
    fn push(&mut self, uop: Uop, oparg: u64, ip: usize, shown: Shown, reason: ExitReason) {
        let exit = if uop.flags() & crate::ir::EXITS != 0 {
            self.exit(ip, self.depth, reason)
        } else {
            0
        };
        let (pops, pushes) = uop.fixed_effect();
        self.ir.insts.push(Inst {
            uop,
            oparg,
            helper: None,
            exit,
            error_exit: 0,
            ip: ip as u32,
            shown,
        });
        self.depth += pushes as i32 - pops as i32;
    }

    /// A patchpoint whose exit resumes at `ip` (the next instruction) with the current
    /// depth: after code that may have started a thread.
    fn patchpoint(&mut self, ip: usize) {
        let flag = self.ir.deps.flag as u64;
        self.push(
            Uop::PATCHPOINT,
            flag,
            ip,
            Shown::Text("trace valid"),
            PATCHPOINT_REASON,
        );
        self.control_flow();
    }

    /// `LOAD_GLOBAL_MODULE` / `_BUILTIN` at `ip` as a constant: the value the
    /// specialized instruction loads now, with the dicts it depends on watched
    /// (`crate::invariants`, `Globals`). The frame's globals are guarded: the loop's by
    /// `GUARD_GLOBALS` at the trace's entry, an inlined callee's by
    /// `guard_callee_globals` before its frame is pushed. False (run the guarded
    /// helper) for dicts that keep changing, or when the instruction's guard would
    /// fail now.
    fn promote_global(&mut self, ip: usize, op: Op) -> bool {
        use stitch_runtime::specialize::exec as spec;
        use stitch_runtime::types::dict::DictObj;
        use stitch_runtime::types::module::ModuleObj;
        use stitch_runtime::value::Value;
        if self.dicts.globals == 0 {
            return false;
        }
        let Some(rec) = spec::record(self.co, ip, op) else {
            return false;
        };
        let (g, b) = (
            RawValue(self.dicts.globals),
            RawValue(self.dicts.builtins_module),
        );
        // SAFETY: the request's values are the loop frame's globals and its VM's
        // builtins module, alive while it compiles; `Value` is a transparent wrapper of
        // `RawValue` (borrows, no counts taken).
        let (globals, builtins) = unsafe {
            (
                &*(&g as *const RawValue as *const Value),
                &*(&b as *const RawValue as *const Value),
            )
        };
        let (Some(gd), Some(bm)) = (
            globals.downcast_exact::<DictObj>(),
            builtins.downcast_exact::<ModuleObj>(),
        ) else {
            return false;
        };
        // For a builtin, the key must also stay absent from the globals.
        let dicts = if op == Op::LOAD_GLOBAL_MODULE {
            vec![gd]
        } else {
            vec![gd, bm.dict()]
        };
        let promoted = self.promote_watched(ip, &dicts, || {
            if op == Op::LOAD_GLOBAL_MODULE {
                spec::load_global_module(rec, globals)
            } else {
                spec::load_global_builtin(rec, globals, dicts[1])
            }
        });
        if promoted && self.frames.is_empty() {
            self.ir.deps.frame_globals = self.dicts.globals;
        }
        promoted
    }

    /// `module.attr` (`LOAD_ATTR_MODULE`, `LOAD_METHOD_MODULE`) of a module the trace
    /// just loaded as a constant (a promoted global): the attribute becomes a constant
    /// too, with the module's dict watched, so `math.floor(x)` in a loop reads no dict
    /// (whose lock every thread calling it would share) and counts no reference.
    fn promote_module_attr(&mut self, ip: usize, op: Op) -> bool {
        use stitch_runtime::specialize::exec as spec;
        use stitch_runtime::types::module::ModuleObj;
        use stitch_runtime::value::Value;
        if self.dicts.globals == 0 {
            return false;
        }
        let Some(last) = self.ir.insts.last() else {
            return false;
        };
        if !matches!(last.shown, Shown::Global(_))
            || !matches!(last.uop, Uop::LOAD_CONST_OBJ | Uop::LOAD_RAW)
        {
            return false;
        }
        let Some(rec) = spec::record(self.co, ip, op) else {
            return false;
        };
        let raw = RawValue(last.oparg);
        // SAFETY: a promoted global is held alive for as long as traces may run
        // (`promote_watched`); `Value` is a transparent wrapper of `RawValue` (a borrow).
        let module = unsafe { &*(&raw as *const RawValue as *const Value) };
        let Some(m) = module.downcast_exact::<ModuleObj>() else {
            return false;
        };
        let d = m.dict();
        // The module's constant load goes: the attribute's replaces it.
        let popped = self.ir.insts.pop();
        self.depth -= 1;
        if !self.promote_watched(ip, &[d], || spec::load_module_entry(rec, module)) {
            if let Some(p) = popped {
                self.ir.insts.push(p);
                self.depth += 1;
            }
            return false;
        }
        if op == Op::LOAD_METHOD_MODULE {
            // A plain function call: `f, NULL`.
            self.push(
                Uop::LOAD_RAW,
                RawValue::NULL.0,
                ip,
                Shown::Text("NULL"),
                ExitReason::Unused,
            );
        }
        true
    }

    /// Watch `dicts` (what the value depends on), then read the value and push it as a
    /// constant. False (nothing pushed) for dicts that keep changing or when the read
    /// fails now.
    fn promote_watched(
        &mut self,
        ip: usize,
        dicts: &[&stitch_runtime::types::dict::DictObj],
        read: impl FnOnce() -> Option<stitch_runtime::value::Value>,
    ) -> bool {
        let ids: Vec<usize> = dicts.iter().map(|d| d.d.read(|dd| dd.identity())).collect();
        if !ids.iter().all(|&x| crate::invariants::may_promote(x)) {
            return false;
        }
        // Watch first, then read: a change by another thread after the watch clears
        // the trace's flag (`invariants::track` compares the firing counts).
        for (d, &id) in dicts.iter().zip(&ids) {
            d.d.with(|dd| dd.watch());
            if !self.ir.deps.watched.contains(&id) {
                self.ir.deps.watched.push(id);
                self.ir.deps.fired.push(crate::invariants::fired_count(id));
            }
        }
        let Some(v) = read() else { return false };
        self.ir.deps.promoted += 1;
        let raw = v.raw();
        // The trace may load the constant after another thread replaced it in its
        // dict (until its next patchpoint): it must stay alive for as long as traces
        // may run.
        if raw.is_ptr() && !immortal(raw) {
            stitch_runtime::tier2::hold(v);
        }
        let shown = Shown::Global(crate::dump::show_raw(raw).map(|_| raw.0));
        let uop = if raw.is_ptr() && !immortal(raw) {
            Uop::LOAD_CONST_OBJ
        } else {
            Uop::LOAD_RAW
        };
        self.push(uop, raw.0, ip, shown, ExitReason::Unused);
        true
    }

    /// The uops of an instruction's `uops[...]` form, then a patchpoint if one of them
    /// escapes.
    fn uops(&mut self, ip: usize, arg: usize, steps: &'static [UopStep]) {
        let mut escapes = false;
        for step in steps {
            let (oparg, shown) = match step.operand {
                Operand::None => (0, Shown::Nothing),
                Operand::Local => (arg as u64, self.local(arg)),
                Operand::Slot => (arg as u64, Shown::Slot(arg as u32)),
                Operand::Null => (0, Shown::Text("NULL")),
            };
            self.push(step.uop, oparg, ip, shown, ExitReason::Guard(step.reason));
            escapes |= step.uop.flags() & ESCAPES != 0;
        }
        if escapes {
            self.patchpoint(ip + 1);
        }
    }

    /// An instruction run by the runtime helper its `helper(...)` form names.
    fn helper(&mut self, ip: usize, op: Op, arg: usize, form: HelperForm) -> Result<(), Abort> {
        let f = helpers::by_name(form.name).ok_or(Abort::NoHelper)?;
        let (pops, pushes) = (form.effect)(arg as u32);
        let call = HelperCall {
            name: form.name,
            f,
            pops,
            pushes,
            escapes: form.flags & flag::ESCAPES != 0,
        };
        self.call_helper(
            ip,
            op,
            arg,
            call,
            ExitReason::Guard(form.reason),
            form.flags & flag::RAISES != 0,
        );
        Ok(())
    }

    /// An instruction run by the runtime's generic implementation.
    fn generic(&mut self, ip: usize, op: Op, arg: usize) -> Result<(), Abort> {
        let (pops, pushes, raises, escapes) = op
            .tier2()
            .generic_effect(arg)
            .ok_or(Abort::NoGenericHelper)?;
        let f = helpers::generic_for(pops, pushes, arg as u32).ok_or(Abort::NoGenericShape)?;
        let call = HelperCall {
            name: "generic",
            f,
            pops,
            pushes,
            escapes,
        };
        self.call_helper(ip, op, arg, call, ExitReason::NotGeneric, raises);
        Ok(())
    }

    fn call_helper(
        &mut self,
        ip: usize,
        op: Op,
        arg: usize,
        call: HelperCall,
        reason: ExitReason,
        raises: bool,
    ) {
        let HelperCall {
            pops,
            pushes,
            escapes,
            ..
        } = call;
        let exit = self.exit(ip, self.depth, reason);
        let error_exit = if op.family() == Op::FOR_ITER {
            // The iterator running out is how the loop ends: the helper pops it and
            // takes the second exit, which resumes past the loop (`arg`).
            self.control_flow();
            let n = self.exit(arg, self.depth - 1, LOOP_END_REASON);
            self.control_flow();
            self.ir.exits[n as usize].loop_end = self.frames.is_empty();
            n
        } else if raises {
            // A helper that can raise gets an error exit: the stack as the failed
            // instruction leaves it (its inputs consumed).
            let n = self.exit(ip, self.depth - pops as i32, ExitReason::Raised);
            self.control_flow();
            self.ir.exits[n as usize].error = true;
            n
        } else {
            0
        };
        self.ir.insts.push(Inst {
            uop: if error_exit != 0 {
                Uop::CALL_HELPER_ERR
            } else {
                Uop::CALL_HELPER
            },
            oparg: helpers::pack(ip, op, arg),
            helper: Some(call),
            exit,
            error_exit,
            ip: ip as u32,
            shown: Shown::Text(op.name()),
        });
        self.depth += pushes as i32 - pops as i32;
        if escapes {
            self.patchpoint(ip + 1);
        }
    }

    /// A conditional jump at `jump_at` whose fall-through is `i + skip`: follow the way
    /// it usually goes. Returns where the traced path continues, and whether the
    /// traced way is "jump taken".
    /// How dumps show local `i` of the code being walked.
    fn local(&self, i: usize) -> Shown {
        Shown::Local(((self.names_of_current as u32) << 20) | i as u32)
    }

    /// End the trace at `ip` (an instruction it does not translate): tier 1 runs it.
    fn end_trace(self, ip: usize, op: Op) -> TraceIr {
        self.finish(ip, op, ExitReason::EndsAt(op))
    }

    /// End the trace with an exit to `ip` (machine code may jump into another trace
    /// there instead: `loop_entry`).
    fn finish(mut self, ip: usize, op: Op, reason: ExitReason) -> TraceIr {
        let exit = self.exit(ip, self.depth, reason);
        self.control_flow();
        self.ir.insts.push(Inst {
            uop: Uop::EXIT_TRACE,
            oparg: 0,
            helper: None,
            exit,
            error_exit: 0,
            ip: ip as u32,
            shown: Shown::Text(op.name()),
        });
        self.ir.shape = Shape::Linear;
        // A trace that does not loop runs once per entry: nothing to count.
        self.ir.insts.retain(|i| i.uop != Uop::COUNT);
        self.ir.deps.iterations = None;
        self.ir
    }

    /// The callee of the exact call at `ip` with `nargs` arguments, if the trace can
    /// follow it: recorded in the loop's last tier-1 iteration, a plain function (not
    /// a generator, no `*args`/`**kwargs`/keyword-only parameters) whose parameters the
    /// call fills exactly, with or without a self argument.
    fn inlinable(&self, ip: usize, nargs: usize) -> Option<(&'a CodeObj, u64, u64)> {
        use stitch_runtime::types::code::{CO_VARARGS, CO_VARKEYWORDS};
        if self
            .no_inline
            .contains(&(self.co as *const CodeObj as usize, ip))
        {
            return None;
        }
        let (v, globals) = recorder::callee(self.co, ip)?;
        let callee = v.downcast_exact::<CodeObj>()?;
        // Frames inlined into a trace make no cells.
        let plain = !callee.is_generator()
            && callee.ncells == 0
            && callee.flags & (CO_VARARGS | CO_VARKEYWORDS) == 0
            && callee.kwonlyargcount == 0
            && (callee.argcount == nargs || callee.argcount == nargs + 1);
        if !plain {
            return None;
        }
        let ptr = callee as *const CodeObj;
        let addr = v.raw().0;
        // The trace's call guard compares code addresses: keep this code object alive
        // for as long as traces run (released at exit).
        tier2::hold(v);
        // SAFETY: held until shutdown, after which no trace runs and no translation
        // happens.
        // The globals stay alive while the recorder holds them (this translation); a
        // trace that loads constants from them watches them, and a watched dict tells
        // the JIT before it goes away.
        Some((unsafe { &*ptr }, addr, globals.raw().0))
    }

    /// Follow the call at `ip` into `callee`: guard the callable, push its frame, and
    /// continue translating in the callee's code.
    fn push_frame(
        &mut self,
        ip: usize,
        nargs: usize,
        (callee, code, globals): (&'a CodeObj, u64, u64),
    ) {
        self.call_uop(
            Uop::CALL_HELPER,
            ip,
            code | ((nargs as u64) << 48),
            HelperCall {
                name: "guard_callee",
                f: helpers::guard_callee,
                pops: 0,
                pushes: 0,
                escapes: false,
            },
            ExitReason::CalleeChanged,
        );
        let loads_globals = (0..callee.code.len()).any(|i| {
            callee.quick.unit(i).is_some_and(|w| {
                let op = (w & 0xff) as u8;
                op == Op::LOAD_GLOBAL_MODULE as u8 || op == Op::LOAD_GLOBAL_BUILTIN as u8
            })
        });
        if loads_globals {
            // The callee's globals may be loaded as constants: guard the function's.
            self.call_uop(
                Uop::CALL_HELPER,
                ip,
                globals | ((nargs as u64) << 48),
                HelperCall {
                    name: "guard_callee_globals",
                    f: helpers::guard_callee_globals,
                    pops: 0,
                    pushes: 0,
                    escapes: false,
                },
                ExitReason::CalleeGlobalsChanged,
            );
        }
        self.enter_frame(
            ip,
            nargs,
            callee,
            false,
            if loads_globals { globals } else { 0 },
        );
    }

    /// The class of the `CALL_ALLOC_AND_ENTER_INIT` at `ip` and its `__init__`, if the
    /// trace can follow the call into it: the site's record (its class's version tag
    /// and `__init__`, a plain function taking the instance and the arguments).
    fn init_inlinable(&self, ip: usize, nargs: usize) -> Option<(u32, &'a CodeObj)> {
        if self
            .no_inline
            .contains(&(self.co as *const CodeObj as usize, ip))
        {
            return None;
        }
        // The record borrows `__init__` under the class's version tag, which tier 1
        // checks before each use; the translator cannot (the class is only known at
        // run time), and the class may have been given another `__init__` since,
        // freeing the recorded one (a use-after-free here, found first by the
        // thread_start fuzz corpus, then by `-X jit-hot=1` on one thread). So the
        // translator only follows an `__init__` the call recorder saw tier 1 enter at
        // this call, which it holds: the record must still name that function (a
        // pointer compare, no read through the record).
        let rec =
            stitch_runtime::specialize::exec::record(self.co, ip, Op::CALL_ALLOC_AND_ENTER_INIT)?;
        let init = tier2::recorder::callee_func(self.co, ip)?;
        if init.raw() != rec.first().value {
            return None;
        }
        let func = init.downcast_exact::<stitch_runtime::types::func::FuncObj>()?;
        let code = func.code_value();
        let callee = code.downcast_exact::<CodeObj>()?;
        if callee.is_generator() || !func.takes_positionally_without_cells(nargs + 1) {
            return None;
        }
        let ptr = callee as *const CodeObj;
        // Kept alive for as long as traces run (as `inlinable`'s callees).
        tier2::hold(code);
        // SAFETY: held until shutdown, after which no trace runs.
        Some((rec.first().version, unsafe { &*ptr }))
    }

    /// Follow the class instantiation at `ip` into `__init__`: guard the class, make
    /// the instance and `__init__`'s frame, continue in its code. The instance stays
    /// on the caller's stack as the call's result; `__init__` must return None.
    fn push_init_frame(&mut self, ip: usize, nargs: usize, (version, init): (u32, &'a CodeObj)) {
        self.call_uop(
            Uop::CALL_HELPER,
            ip,
            version as u64 | ((nargs as u64) << 32),
            HelperCall {
                name: "guard_init_class",
                f: helpers::guard_init_class,
                pops: 0,
                pushes: 0,
                escapes: false,
            },
            ExitReason::ClassChanged,
        );
        // `__init__`'s globals are not watched: its global loads stay guarded helpers.
        self.enter_frame(ip, nargs, init, true, 0);
    }

    /// Push the frame of the call at `ip` (`nargs` arguments) and continue in `callee`;
    /// `globals`: the dict the callee's globals may be promoted from (0: none).
    fn enter_frame(
        &mut self,
        ip: usize,
        nargs: usize,
        callee: &'a CodeObj,
        init: bool,
        globals: u64,
    ) {
        // An `__init__` always takes the instance as its self argument.
        let has_self = init || callee.argcount == nargs + 1;
        let (name, f) = if init {
            (
                "push_init_frame",
                helpers::push_init_frame as helpers::Helper,
            )
        } else {
            ("push_frame", helpers::push_frame as helpers::Helper)
        };
        self.call_uop(
            Uop::PUSH_FRAME,
            ip,
            nargs as u64 | ((has_self as u64) << 31) | ((ip as u64) << 32),
            HelperCall {
                name,
                f,
                pops: nargs as u32 + 2,
                pushes: 0,
                escapes: false,
            },
            ExitReason::FrameNotPushed,
        );
        self.frames.push(Caller {
            co: self.co,
            names: self.names_of_current,
            ret_ip: ip + 1,
            depth_after: self.depth - nargs as i32 - 2 + 1,
            dicts: self.dicts,
            init,
        });
        self.dicts.globals = globals;
        self.co = callee;
        self.depth = 0;
        self.ir.local_names.push(callee.localsplus_names.clone());
        self.names_of_current = self.ir.local_names.len() - 1;
    }

    /// The inlined frame returns at `ip`: pop it, continue in the caller after its
    /// call; returns where.
    fn pop_frame(&mut self, ip: usize) -> usize {
        let caller = self.frames.pop().expect("inside an inlined frame");
        let (name, f) = if caller.init {
            ("pop_init_frame", helpers::pop_init_frame as helpers::Helper)
        } else {
            ("pop_frame", helpers::pop_frame as helpers::Helper)
        };
        self.ir.insts.push(Inst {
            uop: Uop::POP_FRAME,
            oparg: 0,
            helper: Some(HelperCall {
                name,
                f,
                pops: 1,
                pushes: 0,
                escapes: true,
            }),
            exit: 0,
            error_exit: 0,
            ip: ip as u32,
            shown: Shown::Text("RETURN_VALUE"),
        });
        self.co = caller.co;
        self.names_of_current = caller.names;
        self.depth = caller.depth_after;
        self.dicts = caller.dicts;
        self.patchpoint(caller.ret_ip);
        caller.ret_ip
    }

    /// A helper-calling uop (with an exit at `ip`, at the depth before it).
    fn call_uop(&mut self, uop: Uop, ip: usize, oparg: u64, call: HelperCall, reason: ExitReason) {
        let exit = self.exit(ip, self.depth, reason);
        self.ir.insts.push(Inst {
            uop,
            oparg,
            helper: Some(call),
            exit,
            error_exit: 0,
            ip: ip as u32,
            shown: Shown::Text(call.name),
        });
    }

    /// How far forward a jump at `at` may go: to the back edge inside a loop trace's
    /// body (leaving it would skip the loop's own end), anywhere in an inlined callee
    /// or a side trace (which may leave the loop: a branch out of it, or the loop's
    /// end).
    fn forward_limit(&self, at: usize, back_edge: usize) -> usize {
        if self.frames.is_empty() && at <= back_edge && !self.side {
            back_edge
        } else {
            self.co.code.len() - 1
        }
    }

    /// The trace reached back edge `i` of the loop's frame: another loop's, or a side
    /// trace's own loop's. Machine code jumps straight into the trace installed there
    /// (when it is valid and expects this stack depth; the uop interpreter's run loop
    /// does the same by looking it up); otherwise tier 1 takes over at the back edge.
    /// A trace that jumps into another relies on what that one relies on: it watches
    /// the same dicts, so a change invalidates both.
    fn end_at_back_edge(
        mut self,
        i: usize,
        op: Op,
        req: &TraceRequest,
        steps: usize,
    ) -> Result<TraceIr, Abort> {
        let sp = req.head_sp as i64 + self.ir.entry_depth as i64 + self.depth as i64;
        // The back edge of the request's own loop, or a `continue` to its head: the
        // loop's trace is the one installed at its main back edge.
        let own = i == req.jump || (self.co.code[i] >> 8) as usize == req.head;
        let at = if own { req.jump } else { i };
        let target = tier2::installed(self.co, at)
            .filter(|t| t.code.entry_addr() != 0 && t.is_valid() && t.head_sp as i64 == sp);
        let Some(target) = target else {
            if !own && steps < MIN_PREFIX {
                return Err(Abort::NotTranslated(op));
            }
            let reason = if own {
                ExitReason::SideTraceEnd
            } else {
                ExitReason::EndsAt(op)
            };
            return Ok(self.finish(i, op, reason));
        };
        self.ir.loop_entry = target.code.entry_addr();
        for &w in &target.watched {
            if !self.ir.deps.watched.contains(&w) {
                self.ir.deps.watched.push(w);
                self.ir.deps.fired.push(crate::invariants::fired_count(w));
            }
        }
        Ok(self.finish(i, op, LINK_REASON))
    }

    /// A branch on the truth of the top at `ip` that continues if it is `want` (the
    /// trace follows `taken`): `GUARD_TRUTH` popping the value, or `GUARD_TRUTH_KEEP`
    /// leaving it; heap objects by the runtime's `truth` / `truth_keep`.
    fn truth_guard(&mut self, ip: usize, want: bool, taken: bool, pop: bool) {
        let (uop, helper) = if pop {
            (
                Uop::GUARD_TRUTH,
                HelperCall {
                    name: "truth",
                    f: helpers::truth,
                    pops: 1,
                    pushes: 0,
                    escapes: true,
                },
            )
        } else {
            (
                Uop::GUARD_TRUTH_KEEP,
                HelperCall {
                    name: "truth_keep",
                    f: helpers::truth_keep,
                    pops: 0,
                    pushes: 0,
                    escapes: false,
                },
            )
        };
        self.push(
            uop,
            want as u64,
            ip,
            Shown::Truth(want),
            BRANCH_TRUTH_REASON,
        );
        self.followed(taken);
        if let Some(last) = self.ir.insts.last_mut() {
            last.helper = Some(helper);
        }
    }

    /// The last exit is a branch guard's, on a trace that follows `taken` (only in the
    /// loop's own frame: side traces start there).
    fn followed(&mut self, taken: bool) {
        // A branch that goes both ways exits here at its natural rate whatever the
        // trace follows: not a reason to recompile (a side trace is).
        self.control_flow();
        if !self.frames.is_empty() {
            return;
        }
        if let Some(e) = self.ir.exits.last_mut() {
            e.followed = Some(taken);
        }
    }

    fn branch(
        &mut self,
        at: usize,
        jump_at: usize,
        target: usize,
        back_edge: usize,
    ) -> Result<bool, Abort> {
        // A side trace's first branch goes the other way from its parent's.
        let taken = match self.forced.take() {
            Some((start, dir)) if start == at => dir,
            _ => likely_taken(&self.co.quick, jump_at),
        };
        let limit = self.forward_limit(at, back_edge);
        if taken && (target <= jump_at || target > limit) {
            return Err(Abort::HotBranchLeaves);
        }
        Ok(taken)
    }
}

/// Translate what `req` asks for: the loop whose back edge at `req.jump` goes to
/// `req.head`, or a side trace from `req.start` (a branch exit of the loop's trace) to
/// the back edge, where it ends (tier 1 then re-enters the loop's trace).
pub fn translate(co: &CodeObj, req: &TraceRequest) -> Result<TraceIr, Abort> {
    let validity = crate::invariants::new_trace_flag();
    // A trace that would end inside an inlined call (its callee has a loop or an
    // instruction not translated) is translated again with that call not followed:
    // pushing the frame only to leave at once costs more than leaving at the call.
    let mut no_inline: Vec<(usize, usize)> = Vec::new();
    for _ in 0..4 {
        match translate_once(co, req, &no_inline, &validity)? {
            Ok(mut ir) => {
                guard_frame_globals(&mut ir, req);
                // Exit numbers share a word with the trace's number (`table::SHIFT`).
                if ir.exits.len() >= 1 << tier2::table::SHIFT {
                    return Err(Abort::TooManyExits);
                }
                return Ok(ir);
            }
            Err(site) => no_inline.push(site),
        }
    }
    Err(Abort::EndsInsideInlined)
}

/// A trace that loaded constants from its frame's globals checks, right after its
/// entry patchpoint, that the frame runs with that dict: the same code object can run
/// with other globals (`exec`, `types.FunctionType`), and every frame of the code
/// enters the trace.
fn guard_frame_globals(ir: &mut TraceIr, req: &TraceRequest) {
    if ir.deps.frame_globals == 0 {
        return;
    }
    ir.exits.push(Exit::guard(
        req.start as u32,
        req.entry_depth,
        ExitReason::FrameGlobalsDiffer,
    ));
    let guard = Inst {
        uop: Uop::GUARD_GLOBALS,
        oparg: ir.deps.frame_globals,
        helper: None,
        exit: (ir.exits.len() - 1) as u32,
        error_exit: 0,
        ip: req.start as u32,
        shown: Shown::Text("frame's globals"),
    };
    ir.insts.insert(1, guard);
}

/// One translation; `Ok(Err(site))`: it ended inside the call at `site` (caller code
/// address, instruction), which should not be followed.
fn translate_once(
    co: &CodeObj,
    req: &TraceRequest,
    no_inline: &[(usize, usize)],
    validity: &stitch_sync::shim::Arc<stitch_sync::patchpoint::Assumption>,
) -> Result<Result<TraceIr, (usize, usize)>, Abort> {
    let (head, jump) = (req.start, req.jump);
    let side = req.start != req.head;
    let mut t = Translator {
        co,
        no_inline,
        frames: Vec::new(),
        names_of_current: 0,
        forced: req.first_branch.map(|d| (req.start, d)),
        side,
        ir: TraceIr {
            name: if side {
                format!("{}:{} side from {}", co.qualname, req.head, req.start)
            } else {
                format!("{}:{}", co.qualname, head)
            },
            entry_depth: req.entry_depth,
            // A trace may leave its loop (a side trace from a branch or the loop's
            // end; any trace at a `return` in the body, popping the iterator).
            lowest: co.nlocalsplus() as i32 - req.head_sp as i32,
            exit_base: (req.id as usize) << tier2::table::SHIFT,
            // Set if the trace ends where another trace can take over.
            loop_entry: 0,
            insts: Vec::new(),
            exits: vec![Exit::UNUSED],
            shape: Shape::Loop,
            local_names: vec![co.localsplus_names.clone()],
            deps: crate::ir::Deps {
                validity: Some(validity.clone()),
                flag: validity.flag_addr(),
                ..Default::default()
            },
        },
        depth: 0,
        dicts: req.dicts,
    };
    t.patchpoint(head);
    debug_assert_eq!(t.ir.insts[0].exit as usize, PATCHPOINT_EXIT);
    if !side {
        // A loop trace can run for as long as its loop does: it must see its thread's
        // eval breaker as tier 1's back edge does (signals, stop-the-world, merges).
        // Side traces are straight-line code that ends in this check or in tier 1.
        if let Some(b) = stitch_runtime::thread_state::current_breaker() {
            t.push(
                Uop::CHECK_BREAKER,
                std::sync::Arc::as_ptr(&b) as u64,
                head,
                Shown::Text("eval breaker"),
                ExitReason::EvalBreaker,
            );
            t.ir.deps.breaker = Some(b);
        }
        // Iterations per entry say whether the trace pays (`tier2::run_loop`).
        let c = std::sync::Arc::new(std::sync::atomic::AtomicU64::new(0));
        t.push(
            Uop::COUNT,
            std::sync::Arc::as_ptr(&c) as u64,
            head,
            Shown::Text("iterations"),
            ExitReason::Unused,
        );
        t.ir.deps.iterations = Some(c);
    }
    let mut i = head;
    let mut steps = 0;
    // Where the traced path closes the loop: its back edge, or a `continue` (another
    // back edge to the same head).
    let closed_at;
    loop {
        steps += 1;
        if steps > MAX_BODY || i >= t.co.code.len() {
            return Err(Abort::BodyTooLong);
        }
        let word = t.co.quick.unit(i).ok_or(Abort::OutOfRange)?;
        let op = Op::from_u8((word & 0xff) as u8).ok_or(Abort::BadOpcode)?;
        let arg = (word >> 8) as usize;
        if t.frames.is_empty()
            && (i == jump
                || matches!(op, Op::JUMP_BACKWARD | Op::JUMP_BACKWARD_JIT) && arg == req.head)
        {
            closed_at = (i, op);
            break;
        }
        match op {
            Op::LOAD_CONST => {
                let v = &t.co.consts[arg];
                let raw = v.raw();
                let shown = if crate::dump::show_raw(raw).is_some() {
                    Shown::Raw(raw.0)
                } else {
                    Shown::Const(arg as u32)
                };
                let uop = if !raw.is_ptr() || immortal(raw) {
                    Uop::LOAD_RAW
                } else {
                    Uop::LOAD_CONST_OBJ
                };
                t.push(uop, raw.0, i, shown, ExitReason::Unused);
            }
            Op::COMPARE_OP_INT_JUMP | Op::COMPARE_OP_FLOAT_JUMP => {
                let next = t.co.code[i + 1];
                let jump_if_true = match Op::from_u8((next & 0xff) as u8) {
                    Some(Op::POP_JUMP_IF_TRUE) => true,
                    Some(Op::POP_JUMP_IF_FALSE) => false,
                    _ => return Err(Abort::FusedCompareWithoutJump),
                };
                let target = (next >> 8) as usize;
                let taken = t.branch(i, i + 1, target, jump)?;
                // The comparison's truth on the traced path.
                let want = taken == jump_if_true;
                let uop = if op == Op::COMPARE_OP_INT_JUMP {
                    Uop::COMPARE_INT_GUARD
                } else {
                    Uop::COMPARE_FLOAT_GUARD
                };
                t.push(
                    uop,
                    arg as u64 | ((want as u64) << 8),
                    i,
                    Shown::Compare {
                        op: (arg & 0xff) as u8,
                        want,
                    },
                    BRANCH_REASON,
                );
                t.followed(taken);
                i = if taken { target } else { i + 2 };
                continue;
            }
            Op::POP_JUMP_IF_TRUE | Op::POP_JUMP_IF_FALSE => {
                let taken = t.branch(i, i, arg, jump)?;
                let want = taken == (op == Op::POP_JUMP_IF_TRUE);
                t.truth_guard(i, want, taken, true);
                t.patchpoint(if taken { arg } else { i + 1 });
                i = if taken { arg } else { i + 1 };
                continue;
            }
            Op::JUMP_IF_TRUE_OR_POP | Op::JUMP_IF_FALSE_OR_POP => {
                // `a or b` / `a and b`: the jump keeps the value, the fall-through pops it.
                let taken = t.branch(i, i, arg, jump)?;
                let want = taken == (op == Op::JUMP_IF_TRUE_OR_POP);
                t.truth_guard(i, want, taken, false);
                if taken {
                    i = arg;
                } else {
                    t.push(Uop::POP_TOP, 0, i, Shown::Nothing, ExitReason::Unused);
                    t.patchpoint(i + 1);
                    i += 1;
                }
                continue;
            }
            Op::POP_JUMP_IF_NONE | Op::POP_JUMP_IF_NOT_NONE => {
                let taken = t.branch(i, i, arg, jump)?;
                let want = taken == (op == Op::POP_JUMP_IF_NONE);
                t.push(
                    Uop::GUARD_IS_NONE,
                    want as u64,
                    i,
                    Shown::IsNone(want),
                    BRANCH_REASON,
                );
                t.followed(taken);
                t.patchpoint(if taken { arg } else { i + 1 });
                i = if taken { arg } else { i + 1 };
                continue;
            }
            Op::JUMP => {
                // A forward jump inside the loop body (the end of an `if` branch).
                let limit = t.forward_limit(i, jump);
                if arg <= i || arg > limit {
                    return Err(Abort::JumpOut);
                }
                i = arg;
                continue;
            }
            Op::CALL_PY_EXACT_ARGS | Op::CALL_ALLOC_AND_ENTER_INIT
                if t.frames.len() < MAX_INLINE =>
            {
                let followed = if op == Op::CALL_PY_EXACT_ARGS {
                    t.inlinable(i, arg).map(|c| t.push_frame(i, arg, c))
                } else {
                    // Counted before the `__init__`'s code is read (`invariants`).
                    let epoch = crate::invariants::code_epoch();
                    t.init_inlinable(i, arg).map(|c| {
                        t.ir.deps.init_epoch.get_or_insert(epoch);
                        t.push_init_frame(i, arg, c)
                    })
                };
                if followed.is_some() {
                    i = 0;
                    continue;
                }
                if steps < MIN_PREFIX {
                    return Err(Abort::NotTranslated(op));
                }
                if let Some(outer) = t.frames.first() {
                    return Ok(Err((outer.co as *const CodeObj as usize, outer.ret_ip - 1)));
                }
                return Ok(Ok(t.end_trace(i, op)));
            }
            Op::RETURN_VALUE if !t.frames.is_empty() => {
                if t.depth != 1 {
                    return Err(Abort::DepthAtInlinedReturn);
                }
                let returns_none = t.ir.insts.last().is_some_and(|l| {
                    l.uop == Uop::LOAD_RAW && l.oparg == stitch_stencils::RawValue::NONE.0
                });
                if t.frames.last().is_some_and(|c| c.init) && !returns_none {
                    // An `__init__` that may return something else: tier 1 raises.
                    let outer = &t.frames[0];
                    return Ok(Err((outer.co as *const CodeObj as usize, outer.ret_ip - 1)));
                }
                i = t.pop_frame(i);
                continue;
            }
            Op::JUMP_BACKWARD | Op::JUMP_BACKWARD_JIT if t.frames.is_empty() => {
                // Another loop's back edge (an inner loop's, or an enclosing loop's
                // in a side trace from a loop's end).
                return t.end_at_back_edge(i, op, req, steps).map(Ok);
            }
            Op::LOAD_GLOBAL_MODULE | Op::LOAD_GLOBAL_BUILTIN if t.promote_global(i, op) => {}
            Op::LOAD_ATTR_MODULE | Op::LOAD_METHOD_MODULE if t.promote_module_attr(i, op) => {}
            // Everything else as its definition says (`Op::tier2`).
            _ => match op.tier2() {
                Tier2::Uops(uops) => t.uops(i, arg, uops),
                Tier2::Helper(form) => t.helper(i, op, arg, form)?,
                Tier2::Generic(_) => t.generic(i, op, arg)?,
                Tier2::Family | Tier2::ByHand | Tier2::NotTranslated => {
                    if steps < MIN_PREFIX {
                        return Err(Abort::NotTranslated(op));
                    }
                    if let Some(outer) = t.frames.first() {
                        return Ok(Err((outer.co as *const CodeObj as usize, outer.ret_ip - 1)));
                    }
                    return Ok(Ok(t.end_trace(i, op)));
                }
            },
        }
        i += 1;
    }
    if t.depth != -req.entry_depth {
        return Err(Abort::DepthAtBackEdge);
    }
    if side {
        return t
            .end_at_back_edge(closed_at.0, closed_at.1, req, steps)
            .map(Ok);
    }
    Ok(Ok(t.ir))
}
