//! The interactive prompt: `stitch` with no script on a terminal, `-i` after a script
//! or command (or `PYTHONINSPECT`), and `stitch -i` reading statements from a pipe.
//! The loop itself is Python (`repl.py`, on the Lib's `codeop`, whose
//! `PyCF_ALLOW_INCOMPLETE_INPUT` compile stitch answers in `compile/incomplete.rs`).
use crate::types::str::new_str;
use crate::value::Value;
use crate::vm::{PyResult, Vm};

/// How the main module runs (`run_main`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Interactive {
    /// Run the program and finish.
    No,
    /// Run the program, then prompt in its namespace (`-i`).
    After,
    /// No program: prompt from the start, with the version banner unless `quiet`.
    Only { quiet: bool },
}

/// The module the loop lives in (not `__main__`, whose namespace the user's
/// statements run in).
const MODULE: &str = "_stitch_repl";

/// The first lines of a session without a script, as CPython's header.
fn banner() -> String {
    format!(
        "stitch {} (Python 3.11 compatible) on linux\nType \"help\", \"copyright\", \"credits\" or \"license\" for more information.\n",
        env!("CARGO_PKG_VERSION")
    )
}

/// Prompt for statements and run them in `globals` until end of input; a
/// `SystemExit` comes back as the error. A session without a script first runs the
/// file `PYTHONSTARTUP` names, as CPython's.
pub fn interact(vm: &mut Vm, globals: &Value, mode: Interactive) -> PyResult<()> {
    let module =
        crate::import::exec_source(vm, MODULE, include_str!("repl.py"), "<stitch repl>", None)?;
    let run = crate::ops::getattr_str(vm, &module, "interact")?;
    let banner = if mode == (Interactive::Only { quiet: false }) {
        new_str(&banner())
    } else {
        Value::none()
    };
    let startup = match crate::options::python_env("PYTHONSTARTUP") {
        Some(p) if matches!(mode, Interactive::Only { .. }) && !p.is_empty() => new_str(&p),
        _ => Value::none(),
    };
    vm.call(&run, &[globals.clone(), banner, startup])?;
    Ok(())
}
