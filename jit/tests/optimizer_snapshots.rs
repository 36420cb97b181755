//! Snapshot tests of the trace optimizer: small programs run in tier 1 until their loops
//! get hot; the compiler hook captures each loop's uop IR before and after
//! optimization (the validator runs after every pass in this debug build) and the
//! printed IR is compared with `tests/snapshots/` (insta). The loops stay in tier 1.
use std::sync::Mutex;

use stitch_runtime::tier2::{CompiledTrace, TraceRequest};
use stitch_runtime::types::code::CodeObj;
use stitch_runtime::{Options, Vm};

static DUMPS: Mutex<Vec<String>> = Mutex::new(Vec::new());

fn capture(
    co: &CodeObj,
    req: &TraceRequest,
) -> Result<&'static CompiledTrace, stitch_runtime::tier2::Abort> {
    let (before, after) = stitch_jit::compile::build_ir(co, req, true)?;
    let before = before.expect("kept");
    stitch_jit::optimize::validate::check(&after).expect("valid optimized trace");
    DUMPS
        .lock()
        .unwrap()
        .push(format!("{before}--- optimized ---\n{after}"));
    Err(stitch_runtime::tier2::Abort::Declined)
}

fn traces_of(name: &str) -> String {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/snapshot_programs");
    let path = dir.join(format!("{name}.py"));
    let src = std::fs::read_to_string(&path).expect("program");
    DUMPS.lock().unwrap().clear();
    let mut vm = Vm::new(vec![name.to_string()], Options::default());
    let code = stitch_runtime::run_main(
        &mut vm,
        &src,
        path.to_str().unwrap(),
        stitch_runtime::repl::Interactive::No,
    );
    assert_eq!(code, 0, "{name} failed");
    let d = DUMPS.lock().unwrap();
    assert!(!d.is_empty(), "{name}: no loop was compiled");
    d.join("\n")
}

#[test]
fn optimizer_snapshots() {
    stitch_runtime::tier2::set_compiler(capture);
    for name in [
        "int_while",
        "float_for_range",
        "attrs_and_calls",
        "inlined_calls",
    ] {
        insta::assert_snapshot!(name, traces_of(name));
    }
}
