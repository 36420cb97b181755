//! Fuzz generators and oracles, as a library so `cargo test` runs them too.
//!
//! Oracles report a bug by panicking; fuzz targets in `fuzz_targets/` only glue them to
//! libFuzzer.

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

/// The deopt/JIT oracle: bytes describe a trace of int uops (pushes of small ints,
/// guards, + - *), which runs twice: compiled by copy-and-patch and interpreted with
/// the same uop bodies tier 1 uses. The exit taken (which guard or overflow, or the
/// end) and the resulting stack must be identical.
///
/// Encoding: each op is two bytes: `kind`, `arg`. Kinds (mod 5): push a small int
/// (derived from `arg`, including the edges of the small-int range), GUARD_BOTH_INT,
/// ADD_INT, SUB_INT, MUL_INT. Binary ops and guards need two values on the stack; ops
/// that would underflow or overflow the 64-slot stack are skipped.
pub fn check_uop_trace(data: &[u8]) {
    use stitch_jit::emit::{EmitOp, emit};
    use stitch_jit::stencil::stencil;
    use stitch_stencils::RawValue;
    use stitch_stencils::uops;
    use stitch_stencils::value::{SMALL_INT_MAX, SMALL_INT_MIN};

    const STACK: usize = 64;
    let op = |name: &str, oparg: u64, exit: u64| {
        EmitOp::new(stencil(name).expect("stencil"), oparg, exit)
    };
    // Reference run, building the JIT's op list as it goes.
    let mut ops = Vec::new();
    let mut stack: Vec<RawValue> = Vec::new();
    let mut want_exit = 0u64;
    let mut exit_no = 1u64;
    let mut depth = 0usize;
    for pair in data.chunks_exact(2).take(MAX_TRACE) {
        let (kind, arg) = (pair[0] % 5, pair[1]);
        if kind == 0 {
            if depth == STACK {
                continue;
            }
            let v = match arg % 8 {
                0 => SMALL_INT_MAX,
                1 => SMALL_INT_MIN,
                2 => SMALL_INT_MAX / 3,
                3 => -(arg as i64),
                _ => arg as i64 * 1001,
            };
            let raw = RawValue::from_small_int(v);
            ops.push(op("LOAD_RAW", raw.0, 0));
            if want_exit == 0 {
                stack.push(raw);
            }
            depth += 1;
            continue;
        }
        if depth < 2 {
            continue;
        }
        let name = ["", "GUARD_BOTH_INT", "ADD_INT", "SUB_INT", "MUL_INT"][kind as usize];
        ops.push(op(name, 0, exit_no));
        if want_exit == 0 {
            let (a, b) = (stack[stack.len() - 2], stack[stack.len() - 1]);
            let r = match kind {
                1 => uops::guard_both_int(a, b).then_some(b),
                2 => uops::add_int(a, b),
                3 => uops::sub_int(a, b),
                _ => uops::mul_int(a, b),
            };
            match r {
                None => want_exit = exit_no,
                Some(_) if kind == 1 => {}
                Some(r) => {
                    stack.pop();
                    *stack.last_mut().expect("two values") = r;
                }
            }
        }
        if kind != 1 {
            depth -= 1;
        }
        exit_no += 1;
    }
    ops.push(op("EXIT", 0, 0));
    let trace = emit(&ops).expect("emit");
    let mut jit_stack = [RawValue(0); STACK];
    // SAFETY: the trace keeps at most STACK values (pushes past it were skipped above).
    let got_exit = unsafe { (trace.entry())(std::ptr::null_mut(), jit_stack.as_mut_ptr()) };
    assert_eq!(
        got_exit as u64, want_exit,
        "JIT and uop bodies took different exits"
    );
    // On an exit the stack is as of that exit's uop (its inputs still in place).
    let n = stack.len();
    let got: Vec<u64> = jit_stack[..n].iter().map(|v| v.0).collect();
    let want: Vec<u64> = stack.iter().map(|v| v.0).collect();
    assert_eq!(got, want, "JIT and uop bodies left different stacks");
}
