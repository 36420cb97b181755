//! Fuzz generators and oracles, as a library so `cargo test` runs them too.
//!
//! Oracles report a bug by panicking; fuzz targets in `fuzz_targets/` only glue them to
//! libFuzzer.

pub mod deopt;
pub mod oracle;

pub use oracle::{check_deopt, check_thread_start};

/// The front-end oracle: any bytes, compiled as a program, give a clean result or a
/// clean error, never a panic.
pub fn check_source(data: &[u8]) {
    let Ok(src) = std::str::from_utf8(data) else {
        return;
    };
    let _ = stitch_runtime::compile::compile(src, "<fuzz>");
}

/// Fuel: the longest uop trace one input may describe.
const MAX_TRACE: usize = 200;
/// Locals of the fake frame the traces run on.
const NLOCALS: usize = 4;
/// Value-stack slots of the fake frame.
const STACK: usize = 64;

/// The deopt/JIT oracle. Bytes describe a linear uop trace over the locals and stack of
/// a fake frame (non-heap values only: small ints, floats, None, bools, unbound
/// locals), built the way the translator builds traces (every guard with an exit that
/// records the stack depth, int and float ops behind their guards). It must pass the
/// IR validator; then the unoptimized trace runs in the uop interpreter and the
/// optimized one as copy-and-patch machine code. The exit taken, the stack up to that
/// exit's depth and the locals must be identical: a wrong stencil, a wrong hole, or an
/// optimizer pass that removes a guard it cannot prove shows up as a difference.
///
/// Encoding: the first `NLOCALS` bytes pick the locals' initial values; then each op
/// is two bytes, `kind` and `arg` (see `push_op`). Ops that would underflow or
/// overflow the stack are skipped.
pub fn check_uop_trace(data: &[u8]) {
    use stitch_jit::compile::{Backend, emit_ops};
    use stitch_jit::emit::emit_trace;
    use stitch_jit::ir::{Shape, TraceIr, Uop};
    use stitch_jit::optimize::{optimize, validate};
    use stitch_jit::uop_interp::InterpretedTrace;
    use stitch_runtime::tier2::TraceCode;
    use stitch_stencils::RawValue;

    let _ = Backend::MachineCode;
    let (init, ops) = data.split_at(data.len().min(NLOCALS));
    let mut b = TraceBuilder::new();
    for pair in ops.chunks_exact(2).take(MAX_TRACE) {
        b.push_op(pair[0], pair[1]);
    }
    b.inst(Uop::EXIT_TRACE, 0, "end");
    let ir = TraceIr {
        name: "fuzz:0".into(),
        insts: b.insts,
        exits: b.exits,
        shape: Shape::Linear,
        entry_depth: 0,
        lowest: 0,
        exit_base: 0,
        loop_entry: 0,
        local_names: Vec::new(),
        deps: Default::default(),
    };
    validate::check(&ir).expect("the generator builds valid traces");
    let mut opt = ir.clone();
    optimize(&mut opt, true).expect("every pass keeps the trace valid");

    let locals: Vec<RawValue> = (0..NLOCALS)
        .map(|i| value_of(init.get(i).copied().unwrap_or(0)))
        .collect();
    // Frame: 8 header words, the locals, then the stack.
    let run = |code: &dyn TraceCode| {
        let mut frame = vec![0u64; 8 + NLOCALS + STACK];
        for (i, v) in locals.iter().enumerate() {
            frame[8 + i] = v.0;
        }
        let base = frame.as_mut_ptr();
        // SAFETY: the trace uses the header-sized prefix only through `localsplus`, at
        // most NLOCALS locals and STACK stack slots (the generator checks depths), and
        // only non-heap values (no reference counting reaches the runtime).
        let exit = unsafe {
            code.run(
                base as *mut stitch_stencils::FrameHeader,
                base.add(8 + NLOCALS) as *mut RawValue,
            )
        };
        (exit, frame)
    };
    let tid = stitch_runtime::object::current_tid();
    let (want_exit, want) = run(&InterpretedTrace::new(&ir, tid));
    let machine = stitch_jit::compile::MachineTrace {
        trace: emit_trace(
            &emit_ops(&opt, tid).expect("stencils"),
            stitch_jit::emit::End::Return,
        )
        .expect("emit"),
    };
    let (got_exit, got) = run(&machine);
    let e = ir.exits[want_exit];
    assert_eq!(
        (ir.exits[got_exit].ip, ir.exits[got_exit].reason),
        (e.ip, e.reason),
        "optimized JIT code and the uop interpreter left at different exits\n{ir}--- optimized ---\n{opt}"
    );
    let n = 8 + NLOCALS + e.depth as usize;
    assert_eq!(
        got[8..n],
        want[8..n],
        "different locals or stack at the exit\n{ir}--- optimized ---\n{opt}"
    );
}

/// A non-heap value from a byte: edges of the small-int range, floats (incl. NaN, inf,
/// -0.0), None, bools, and NULL (an unbound local).
fn value_of(b: u8) -> stitch_stencils::RawValue {
    use stitch_stencils::RawValue;
    use stitch_stencils::value::{SMALL_INT_MAX, SMALL_INT_MIN};
    match b % 16 {
        0 => RawValue::from_small_int(SMALL_INT_MAX),
        1 => RawValue::from_small_int(SMALL_INT_MIN),
        2 => RawValue::from_small_int(0),
        3 => RawValue::from_small_int(-(b as i64)),
        4 => RawValue::from_f64(f64::NAN),
        5 => RawValue::from_f64(f64::INFINITY),
        6 => RawValue::from_f64(-0.0),
        7 => RawValue::from_f64(b as f64 / 3.0),
        8 => RawValue::NONE,
        9 => RawValue::TRUE,
        10 => RawValue::FALSE,
        11 => RawValue::NULL,
        _ => RawValue::from_small_int(b as i64 * 1001 - 7000),
    }
}

/// Builds traces the way the translator does (exits record the depth before their uop).
struct TraceBuilder {
    insts: Vec<stitch_jit::ir::Inst>,
    exits: Vec<stitch_runtime::tier2::Exit>,
    depth: i32,
}

static HOLDS: std::sync::LazyLock<stitch_sync::patchpoint::Assumption> =
    std::sync::LazyLock::new(stitch_sync::patchpoint::Assumption::new);

impl TraceBuilder {
    fn new() -> TraceBuilder {
        let mut b = TraceBuilder {
            insts: Vec::new(),
            exits: vec![stitch_runtime::tier2::Exit::UNUSED],
            depth: 0,
        };
        b.inst(
            stitch_jit::ir::Uop::PATCHPOINT,
            HOLDS.flag_addr() as u64,
            "entry",
        );
        b
    }

    fn inst(&mut self, uop: stitch_jit::ir::Uop, oparg: u64, reason: &'static str) {
        let n = self.insts.len() as u32;
        let exit = if uop.flags() & stitch_jit::ir::EXITS != 0 {
            self.exits.push(stitch_runtime::tier2::Exit {
                ip: n,
                depth: self.depth,
                reason: stitch_runtime::tier2::ExitReason::Guard(reason),
                error: false,
                recompile: false,
                followed: None,
                loop_end: false,
                borrowed: 0,
                frame_depth: 0,
            });
            (self.exits.len() - 1) as u32
        } else {
            0
        };
        let (pops, pushes) = uop.fixed_effect();
        self.insts.push(stitch_jit::ir::Inst {
            uop,
            oparg,
            helper: None,
            exit,
            error_exit: 0,
            ip: n,
            shown: stitch_jit::ir::Shown::Nothing,
        });
        self.depth += pushes as i32 - pops as i32;
    }

    /// Kinds (mod 15): 0 push a value (`value_of(arg)`, NULL as None), 1 LOAD_FAST,
    /// 2 STORE_FAST, 3 GUARD_BOTH_INT, 4 guarded int op, 5 guarded float op, 6
    /// COMPARE_INT_GUARD, 7 COMPARE_FLOAT_GUARD, 8 GUARD_TRUTH, 9 POP_TOP, 10
    /// GUARD_LOCAL_KIND, 11 GUARD_IS_NONE, 12 guarded bitwise op or shift, 13 COPY or
    /// SWAP of a slot up to 3 down, 14 GUARD_TRUTH_KEEP (then POP_TOP if `arg` is odd:
    /// both sides of `a or b`).
    fn push_op(&mut self, kind: u8, arg: u8) {
        use stitch_jit::ir::Uop::*;
        use stitch_stencils::RawValue;
        let d = self.depth;
        let local = (arg as usize % NLOCALS) as u64;
        let reach = 1 + (arg as i32 >> 1) % 3;
        let needs = match kind % 15 {
            0 | 1 | 10 => 0,
            2 | 8 | 9 | 11 | 14 => 1,
            13 => reach,
            _ => 2,
        };
        if d < needs || (d as usize) + 2 > STACK {
            return;
        }
        match kind % 15 {
            0 => {
                let v = value_of(arg);
                let v = if v.is_null() { RawValue::NONE } else { v };
                self.inst(LOAD_RAW, v.0, "");
            }
            1 => self.inst(LOAD_FAST, local, "unbound"),
            2 => self.inst(STORE_FAST, local, ""),
            3 => self.inst(GUARD_BOTH_INT, 0, "not ints"),
            4 => {
                self.inst(GUARD_BOTH_INT, 0, "not ints");
                let op = [ADD_INT, SUB_INT, MUL_INT, FLOORDIV_INT, MOD_INT][arg as usize % 5];
                self.inst(op, 0, "int overflow or zero divisor");
            }
            5 => {
                self.inst(GUARD_FLOAT_OPERANDS, 0, "not floats");
                let op = [ADD_FLOAT, SUB_FLOAT, MUL_FLOAT, TRUEDIV_FLOAT][arg as usize % 4];
                self.inst(op, 0, "float zero divisor");
            }
            6 => self.inst(
                COMPARE_INT_GUARD,
                (arg % 6) as u64 | ((arg as u64 & 8) << 5),
                "int compare",
            ),
            7 => self.inst(
                COMPARE_FLOAT_GUARD,
                (arg % 6) as u64 | ((arg as u64 & 8) << 5),
                "float compare",
            ),
            8 => self.inst(GUARD_TRUTH, (arg & 1) as u64, "truth"),
            9 => self.inst(POP_TOP, 0, ""),
            10 => self.inst(
                GUARD_LOCAL_KIND,
                local | ((1 + arg as u64 % 3) << 32),
                "local kind",
            ),
            11 => self.inst(GUARD_IS_NONE, (arg & 1) as u64, "none"),
            12 => {
                self.inst(GUARD_BOTH_INT, 0, "not ints");
                let op = [AND_INT, OR_INT, XOR_INT, LSHIFT_INT, RSHIFT_INT][arg as usize % 5];
                self.inst(op, 0, "negative or too large shift");
            }
            14 => {
                self.inst(GUARD_TRUTH_KEEP, (arg >> 1 & 1) as u64, "truth kept");
                if arg & 1 == 1 {
                    self.inst(POP_TOP, 0, "");
                }
            }
            _ if arg & 1 == 0 => self.inst(COPY, reach as u64, ""),
            _ => self.inst(SWAP, reach as u64, ""),
        }
        // Escaping uops are followed by a patchpoint, as the translator does.
        if self.insts.last().is_some_and(|i| i.escapes()) {
            self.inst(PATCHPOINT, HOLDS.flag_addr() as u64, "patchpoint");
        }
    }
}
