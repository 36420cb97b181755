//! Copy-and-patch end to end: emit uop sequences from the built stencils, run them on
//! a value stack, and check results and exits against the same uop bodies run
//! directly (`stitch_stencils::uops`, what tier 1 runs).
use stitch_jit::emit::{EmitOp, emit};
use stitch_jit::stencil::{STENCILS, stencil};
use stitch_stencils::RawValue;
use stitch_stencils::uops;
use stitch_stencils::value::{SMALL_INT_MAX, SMALL_INT_MIN};

fn op(name: &str, oparg: u64, exit: u64) -> EmitOp {
    EmitOp::new(
        stencil(name).unwrap_or_else(|| panic!("no stencil {name}")),
        oparg,
        exit,
    )
}

fn int(i: i64) -> u64 {
    RawValue::from_small_int(i).0
}

/// Run `a OP b` through the JIT: returns (exit number, result on the stack).
fn run_binop(name: &str, a: RawValue, b: RawValue) -> (usize, RawValue) {
    let trace = emit(&[
        op("LOAD_RAW", a.0, 0),
        op("LOAD_RAW", b.0, 0),
        op("GUARD_BOTH_INT", 0, 1),
        op(name, 0, 2),
        op("EXIT", 0, 0),
    ])
    .expect("emit");
    let mut stack = [RawValue(0); 8];
    // SAFETY: the trace reads and writes at most two slots above `stack`'s start.
    let code = unsafe { (trace.entry())(std::ptr::null_mut(), stack.as_mut_ptr()) };
    (code, stack[0])
}

#[test]
fn patched_traces_compute_like_the_uop_bodies() {
    let samples = [
        0,
        1,
        -1,
        7,
        -7,
        12345,
        SMALL_INT_MAX,
        SMALL_INT_MIN,
        SMALL_INT_MAX / 2 + 1,
        1 << 24,
    ];
    type Body = fn(RawValue, RawValue) -> Option<RawValue>;
    let ops: [(&str, Body); 3] = [
        ("ADD_INT", uops::add_int),
        ("SUB_INT", uops::sub_int),
        ("MUL_INT", uops::mul_int),
    ];
    for (name, body) in ops {
        for &x in &samples {
            for &y in &samples {
                let (a, b) = (RawValue::from_small_int(x), RawValue::from_small_int(y));
                let (code, got) = run_binop(name, a, b);
                match body(a, b) {
                    Some(r) => {
                        assert_eq!(code, 0, "{name}({x}, {y}) exited");
                        assert_eq!(got.0, r.0, "{name}({x}, {y})");
                    }
                    None => assert_eq!(code, 2, "{name}({x}, {y}) should take its exit"),
                }
            }
        }
    }
}

#[test]
fn failed_guard_takes_its_exit() {
    let f = RawValue::from_f64(1.5);
    let (code, _) = run_binop("ADD_INT", f, RawValue::from_small_int(1));
    assert_eq!(code, 1);
}

#[test]
fn a_long_trace_chains_stencils() {
    // ((((1 + 2) * 3) - 4) * 5) ... with the operands pushed one by one.
    let mut ops = vec![op("LOAD_RAW", int(1), 0)];
    let mut want = 1i64;
    for k in 2..40 {
        ops.push(op("LOAD_RAW", int(k), 0));
        let (name, f): (&str, fn(i64, i64) -> i64) = match k % 3 {
            0 => ("ADD_INT", |a, b| a + b),
            1 => ("SUB_INT", |a, b| a - b),
            _ => ("MUL_INT", |a, b| (a * b) % 1000),
        };
        if name == "MUL_INT" {
            // Keep the product small: multiply by 1 and fold the modulo in Rust.
            ops.pop();
            ops.push(op("LOAD_RAW", int(1), 0));
            want = f(want, 1);
        } else {
            want = f(want, k);
        }
        ops.push(op(name, 0, 7));
    }
    ops.push(op("EXIT", 0, 0));
    let trace = emit(&ops).expect("emit");
    let mut stack = [RawValue(0); 4];
    // SAFETY: the trace uses at most two stack slots.
    let code = unsafe { (trace.entry())(std::ptr::null_mut(), stack.as_mut_ptr()) };
    assert_eq!(code, 0);
    assert_eq!(stack[0].as_small_int(), want);
}

/// Every uop of the definitions (`stitch_stencils::instructions`) has its stencil, and
/// every stencil runs a uop (a variant `<UOP>__<VARIANT>` its uop's body).
#[test]
fn every_body_and_uop_has_a_stencil() {
    use stitch_stencils::instructions::Uop;
    for uop in Uop::ALL {
        assert!(
            stencil(uop.stencil_name()).is_some(),
            "uop {} has no stencil",
            uop.name()
        );
    }
    for s in STENCILS {
        let body = s.name.split("__").next().unwrap_or(s.name);
        assert!(
            Uop::ALL.iter().any(|u| u.stencil_name() == body),
            "stencil {} has no uop",
            s.name
        );
    }
}

/// Golden test of the stencil builder: which stencils exist and which holes each has
/// (kinds in order). Offsets and bytes depend on the compiler, so they are not pinned.
#[test]
fn stencil_builder_golden() {
    let mut got = String::new();
    for s in STENCILS {
        let holes: Vec<String> = s.holes.iter().map(|h| format!("{:?}", h.value)).collect();
        got.push_str(&format!("{}: {}\n", s.name, holes.join(" ")));
    }
    let want = "\
ADD_FLOAT: 
ADD_INT: Exit
AND_INT: 
CALL_HELPER: Oparg Helper Continue Exit
CALL_HELPER_ERR: Oparg Helper Continue Error Exit
CHECK_BREAKER: Oparg Exit
COMPARE_FLOAT_BRANCH: Oparg Continue Exit
COMPARE_FLOAT_BRANCH__EQ_F: Exit
COMPARE_FLOAT_BRANCH__EQ_T: Continue Exit
COMPARE_FLOAT_BRANCH__GE_F: Continue Exit
COMPARE_FLOAT_BRANCH__GE_T: Exit
COMPARE_FLOAT_BRANCH__GT_F: Exit
COMPARE_FLOAT_BRANCH__GT_T: Continue Exit
COMPARE_FLOAT_BRANCH__LE_F: Continue Exit
COMPARE_FLOAT_BRANCH__LE_T: Exit
COMPARE_FLOAT_BRANCH__LT_F: Exit
COMPARE_FLOAT_BRANCH__LT_T: Continue Exit
COMPARE_FLOAT_BRANCH__NE_F: Exit
COMPARE_FLOAT_BRANCH__NE_T: Continue Exit
COMPARE_FLOAT_GUARD: Exit Oparg Exit
COMPARE_FLOAT_GUARD__EQ_F: Exit Continue Exit
COMPARE_FLOAT_GUARD__EQ_T: Exit Continue Exit
COMPARE_FLOAT_GUARD__GE_F: Exit Exit
COMPARE_FLOAT_GUARD__GE_T: Exit Exit
COMPARE_FLOAT_GUARD__GT_F: Exit Exit
COMPARE_FLOAT_GUARD__GT_T: Exit Exit
COMPARE_FLOAT_GUARD__LE_F: Exit Exit
COMPARE_FLOAT_GUARD__LE_T: Exit Exit
COMPARE_FLOAT_GUARD__LT_F: Exit Exit
COMPARE_FLOAT_GUARD__LT_T: Exit Exit
COMPARE_FLOAT_GUARD__NE_F: Exit Continue Exit
COMPARE_FLOAT_GUARD__NE_T: Exit Continue Exit
COMPARE_INT_BRANCH: Oparg Continue Exit
COMPARE_INT_BRANCH__EQ_F: Continue Exit
COMPARE_INT_BRANCH__EQ_T: Exit
COMPARE_INT_BRANCH__GE_F: Continue Exit
COMPARE_INT_BRANCH__GE_T: Exit
COMPARE_INT_BRANCH__GT_F: Exit
COMPARE_INT_BRANCH__GT_T: Continue Exit
COMPARE_INT_BRANCH__LE_F: Continue Exit
COMPARE_INT_BRANCH__LE_T: Exit
COMPARE_INT_BRANCH__LT_F: Exit
COMPARE_INT_BRANCH__LT_T: Continue Exit
COMPARE_INT_BRANCH__NE_F: Exit
COMPARE_INT_BRANCH__NE_T: Continue Exit
COMPARE_INT_GUARD: Exit Oparg Exit
COMPARE_INT_GUARD__EQ_F: Exit Exit Exit
COMPARE_INT_GUARD__EQ_T: Exit Exit Exit
COMPARE_INT_GUARD__GE_F: Exit Exit
COMPARE_INT_GUARD__GE_T: Exit Exit
COMPARE_INT_GUARD__GT_F: Exit Exit
COMPARE_INT_GUARD__GT_T: Exit Exit
COMPARE_INT_GUARD__LE_F: Exit Exit
COMPARE_INT_GUARD__LE_T: Exit Exit
COMPARE_INT_GUARD__LT_F: Exit Exit
COMPARE_INT_GUARD__LT_T: Exit Exit
COMPARE_INT_GUARD__NE_F: Exit Exit Exit
COMPARE_INT_GUARD__NE_T: Exit Exit Exit
COPY: Oparg Tid Incref
COUNT: Oparg
EXIT: Oparg
FLOORDIV_INT: Exit Exit
GUARD_BOTH_INT: Exit Exit
GUARD_FLOAT_OPERANDS: Exit Continue Exit
GUARD_GLOBALS: Oparg Continue Exit
GUARD_IS_NONE: Oparg Tid Decref Exit Continue
GUARD_LOCAL_KIND: Oparg Continue Exit Exit Continue Continue
GUARD_LOCAL_KIND__FLOAT: Oparg Exit
GUARD_LOCAL_KIND__INT: Oparg Exit
GUARD_LOCAL_KIND__RAW: Oparg Exit
GUARD_TRUTH: Oparg Helper Exit Exit Exit Continue Exit Exit
GUARD_TRUTH_KEEP: Oparg Helper Exit Continue Exit Exit Continue Exit Continue Exit Exit
LOAD_CONST_OBJ: Oparg Incref Tid Continue
LOAD_FAST: Oparg Tid Incref Continue Exit
LOAD_FAST_BORROW: Oparg Continue Exit
LOAD_FAST_RAW: Oparg
LOAD_RAW: Oparg
LSHIFT_INT: Exit Exit Continue Exit
MOD_INT: Exit Exit
MUL_FLOAT: 
MUL_INT: Exit Exit
OR_INT: 
PATCHPOINT: Oparg Continue Exit
POP_FRAME: Oparg Helper
POP_TOP: Tid Decref Continue Continue
PUSH_FRAME: Oparg Helper Continue Exit
RSHIFT_INT: Exit
STORE_FAST: Oparg Tid Decref Continue Continue
STORE_FAST_RAW: Oparg
SUB_FLOAT: 
SUB_INT: Exit
SWAP: Oparg
TRUEDIV_FLOAT: Exit
XOR_INT: 
";
    if got != want {
        panic!("stencil table changed; if intended, replace the golden text with:\n{got}");
    }
}

#[test]
fn patchpoint_exits_once_its_assumption_breaks() {
    let a = stitch_sync::patchpoint::Assumption::new();
    let trace = emit(&[
        op("PATCHPOINT", a.flag_addr() as u64, 3),
        op("LOAD_RAW", int(42), 0),
        op("EXIT", 0, 0),
    ])
    .expect("emit");
    let mut stack = [RawValue(0); 2];
    // SAFETY: the trace uses one stack slot and reads the live flag.
    let run = |stack: &mut [RawValue; 2]| unsafe {
        (trace.entry())(std::ptr::null_mut(), stack.as_mut_ptr())
    };
    assert_eq!(run(&mut stack), 0);
    assert_eq!(stack[0].as_small_int(), 42);
    a.invalidate();
    stack[0] = RawValue(0);
    assert_eq!(run(&mut stack), 3, "the patchpoint must exit");
    assert_eq!(stack[0].0, 0, "nothing after the patchpoint ran");
}

/// Run one comparison guard stencil on `a`, `b`: its exit number (0: held).
fn run_compare(name: &str, oparg: u64, a: RawValue, b: RawValue) -> usize {
    let trace = emit(&[
        op("LOAD_RAW", a.0, 0),
        op("LOAD_RAW", b.0, 0),
        op(name, oparg, 1),
        op("EXIT", 0, 0),
    ])
    .expect("emit");
    let mut stack = [RawValue(0); 4];
    // SAFETY: the trace uses at most two stack slots.
    unsafe { (trace.entry())(std::ptr::null_mut(), stack.as_mut_ptr()) }
}

/// Every operand-specialized comparison stencil behaves as the generic one with that
/// operand, on ints, floats (NaN, signed zeros, infinities) and (guards) the other
/// kind; a guard and the branch of its kind agree on operands of that kind.
#[test]
fn comparison_variants_agree_with_the_generic_stencils() {
    let ints: Vec<RawValue> = [0, 1, -1, 5, SMALL_INT_MAX, SMALL_INT_MIN]
        .iter()
        .map(|&i| RawValue::from_small_int(i))
        .collect();
    let floats: Vec<RawValue> = [0.0, -0.0, 1.5, -2.0, f64::NAN, f64::INFINITY]
        .iter()
        .map(|&f| RawValue::from_f64(f))
        .collect();
    let codes = ["LT", "LE", "EQ", "NE", "GT", "GE"];
    for (kind, values, uop) in [
        ("INT", &ints, "GUARD"),
        ("FLOAT", &floats, "GUARD"),
        ("INT", &ints, "BRANCH"),
        ("FLOAT", &floats, "BRANCH"),
    ] {
        let generic = format!("COMPARE_{kind}_{uop}");
        let mut mixed = values.clone();
        // A guard also checks the operands' kind; a branch is only given its kind.
        if uop == "GUARD" {
            mixed.push(if kind == "INT" { floats[2] } else { ints[1] });
        }
        for (code, c) in codes.iter().enumerate() {
            for want in 0..2u64 {
                let variant = format!("{generic}__{c}_{}", if want == 1 { "T" } else { "F" });
                let oparg = code as u64 | want << 8;
                let guard = format!("COMPARE_{kind}_GUARD");
                for &a in &mixed {
                    for &b in &mixed {
                        assert_eq!(
                            run_compare(&variant, 0, a, b),
                            run_compare(&generic, oparg, a, b),
                            "{variant} on {:#x} {:#x}",
                            a.0,
                            b.0
                        );
                        if uop == "BRANCH" {
                            assert_eq!(
                                run_compare(&variant, 0, a, b),
                                run_compare(&guard, oparg, a, b),
                                "{variant} and {guard} on {:#x} {:#x}",
                                a.0,
                                b.0
                            );
                        }
                    }
                }
            }
        }
    }
}
