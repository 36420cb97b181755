//! The tier-2 compiler pipeline: translate -> optimize -> backend, for one hot loop.
//!
//! ```text
//!  quickened bytecode --translate--> uop IR --optimize (types, patchpoints)--> uop IR
//!      --backend--> machine code (copy-and-patch, -X jit=on)
//!                 | InterpretedTrace (uop interpreter, -X jit=uops)
//! ```
use std::time::Instant;

use stitch_runtime::tier2::{Abort, CompiledTrace, TraceCode, TraceRequest};
use stitch_runtime::types::code::CodeObj;
use stitch_stencils::FrameHeader;
use stitch_stencils::bodies::{KIND_FLOAT, KIND_OTHER_RAW, KIND_SMALL_INT};
use stitch_stencils::value::RawValue;

use crate::emit::{EmitOp, End, Trace, emit_trace};
use crate::invariants;
use crate::ir::{Shape, TraceIr, Uop};
use crate::stencil::{Stencil, stencil};
use crate::{dump, optimize, translate, uop_interp};

/// Which backend runs compiled traces.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Backend {
    MachineCode,
    UopInterpreter,
}

static BACKEND: std::sync::OnceLock<Backend> = std::sync::OnceLock::new();

pub fn set_backend(b: Backend) {
    let _ = BACKEND.set(b);
}

/// A trace as machine code.
pub struct MachineTrace {
    pub trace: Trace,
}

impl TraceCode for MachineTrace {
    unsafe fn run(&self, frame: *mut FrameHeader, sp: *mut RawValue) -> usize {
        // SAFETY: the caller's contract is the trace's.
        unsafe { (self.trace.entry())(frame, sp) }
    }

    fn code_bytes(&self) -> usize {
        self.trace.code.len()
    }

    fn entry_addr(&self) -> usize {
        self.trace.code.addr()
    }

    fn link_exit(&self, n: usize, target: usize) -> bool {
        self.trace.link_exit(n as u64, target)
    }
}

/// Lay out `ir` as stencils. Exit numbers get the trace's `exit_base`; a trace that
/// ends by jumping into another trace (`loop_entry`) leaves out its final
/// `EXIT_TRACE`.
pub fn emit_ops(ir: &TraceIr, tid: u64) -> Result<Vec<EmitOp>, Abort> {
    let base = ir.exit_base as u64;
    let number = |n: u32| if n == 0 { 0 } else { base | n as u64 };
    let mut ops = Vec::with_capacity(ir.insts.len());
    for (k, inst) in ir.insts.iter().enumerate() {
        if ir.loop_entry != 0 && inst.uop == Uop::EXIT_TRACE && k + 1 == ir.insts.len() {
            break;
        }
        let (stencil, oparg) = match inst.uop {
            Uop::EXIT_TRACE => (stencil("EXIT"), number(inst.exit)),
            u => (stencil_for(u, inst.oparg), inst.oparg),
        };
        ops.push(EmitOp {
            stencil: stencil.ok_or(Abort::NoStencil)?,
            oparg,
            exit: number(inst.exit),
            helper: inst.helper.map(|h| h.f as usize as u64).unwrap_or(0),
            tid,
            error_exit: number(inst.error_exit),
        });
    }
    Ok(ops)
}

/// The stencil that runs `uop` with `oparg`: its variant specialized on the operand
/// (`variant_stencils!` in `stencils/src/templates.rs`) if it has one, else its own.
fn stencil_for(uop: Uop, oparg: u64) -> Option<&'static Stencil> {
    const CODES: [&str; 6] = ["LT", "LE", "EQ", "NE", "GT", "GE"];
    let variant = match uop {
        // A comparison's operand: code (0..6) | wanted result << 8.
        Uop::COMPARE_INT_GUARD
        | Uop::COMPARE_FLOAT_GUARD
        | Uop::COMPARE_INT_BRANCH
        | Uop::COMPARE_FLOAT_BRANCH => {
            let (code, want) = (oparg & 0xff, oparg >> 8);
            (code < 6 && want < 2).then(|| {
                let want = if want == 1 { "T" } else { "F" };
                format!("{}__{}_{want}", uop.name(), CODES[code as usize])
            })
        }
        Uop::GUARD_LOCAL_KIND => match oparg >> 32 {
            KIND_SMALL_INT => Some("GUARD_LOCAL_KIND__INT".to_string()),
            KIND_FLOAT => Some("GUARD_LOCAL_KIND__FLOAT".to_string()),
            KIND_OTHER_RAW => Some("GUARD_LOCAL_KIND__RAW".to_string()),
            _ => None,
        },
        _ => None,
    };
    variant
        .and_then(|name| stencil(&name))
        .or_else(|| stencil(uop.name()))
}

/// Translate and optimize the loop at `head..=jump` (no backend); with `keep_before`,
/// also return the trace as translated (for dumps and tests).
pub fn build_ir(
    co: &CodeObj,
    req: &TraceRequest,
    keep_before: bool,
) -> Result<(Option<TraceIr>, TraceIr), Abort> {
    let mut opt = translate::translate(co, req)?;
    let ir = (keep_before || cfg!(debug_assertions)).then(|| opt.clone());
    optimize::optimize(&mut opt, cfg!(debug_assertions)).map_err(|e| {
        // A validator failure is a compiler bug: say so loudly in debug builds, with
        // the trace as translated.
        debug_assert!(
            false,
            "{e}\n{}",
            ir.as_ref().map(|t| t.to_string()).unwrap_or_default()
        );
        Abort::InvalidTrace
    })?;
    let ir = if keep_before { ir } else { None };
    Ok((ir, opt))
}

/// `stitch_runtime::tier2::CompileFn`.
pub fn compile(co: &CodeObj, req: &TraceRequest) -> Result<&'static CompiledTrace, Abort> {
    let start = Instant::now();
    let (before, ir) = build_ir(co, req, dump::options().uops)?;
    let tid = stitch_runtime::object::current_tid();
    let backend = BACKEND.get().copied().unwrap_or(Backend::MachineCode);
    let code: Box<dyn TraceCode> = match backend {
        Backend::UopInterpreter => Box::new(uop_interp::InterpretedTrace::new(&ir, tid)),
        Backend::MachineCode => {
            let ops = emit_ops(&ir, tid)?;
            let end = if ir.loop_entry != 0 {
                End::JumpTo(ir.loop_entry as u64)
            } else if ir.shape == Shape::Loop {
                End::LoopBack
            } else {
                End::Return
            };
            let trace = emit_trace(&ops, end).map_err(|_| Abort::NoExecutableMemory)?;
            let m = MachineTrace { trace };
            dump_machine(&m, &ir);
            Box::new(m)
        }
    };
    let ns = start.elapsed().as_nanos() as u64;
    if let Some(flag) = &ir.deps.validity {
        invariants::track(
            flag,
            &ir.deps.watched,
            &ir.deps.fired,
            ir.deps.promoted,
            ir.deps.init_epoch,
        );
    }
    if let Some(before) = before {
        eprint!("[stitch dump] before optimization:\n{before}");
        eprint!("[stitch dump] after optimization:\n{ir}");
    }
    // The trace's `COUNT` adds to the counter: it lives as long as the trace.
    let iterations = ir.deps.iterations.clone();
    Ok(Box::leak(Box::new(
        CompiledTrace::new(code, req, ir.exits, ns)
            .with_iterations(iterations)
            .with_breaker(ir.deps.breaker)
            .with_deps(ir.deps.validity, ir.deps.watched),
    )))
}

/// `-X dump=asm` and `-X perf-map` for a machine trace.
fn dump_machine(m: &MachineTrace, ir: &TraceIr) {
    let opts = dump::options();
    let addr = m.trace.code.addr();
    if opts.perf_map {
        dump::perf_map(addr, m.trace.code.len(), &ir.name);
    }
    if opts.asm {
        let marks: Vec<(usize, String)> = m
            .trace
            .offsets
            .iter()
            .zip(&ir.insts)
            .enumerate()
            .map(|(n, (&o, i))| (o, format!("{n}: {} {}", i.uop.name(), ir.show(i.shown))))
            .collect();
        eprint!(
            "[stitch dump] machine code of trace {} ({} bytes):\n{}",
            ir.name,
            m.trace.code.len(),
            dump::disassemble(m.trace.code.bytes(), addr as u64, &marks)
        );
    }
}
