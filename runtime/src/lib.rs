//! stitch's VM: values and objects with biased reference counting, the compiler
//! (source -> bytecode), the tier-1 interpreter, builtins and native modules.
//!
//! Pipeline: `compile` (parse, symbol tables, code generation) -> `interp` (run
//! frames) with `ops` (object protocols) and `builtins`. See docs/architecture.md.
pub mod builtins;
pub mod chaos;
pub mod compile;
pub mod counters;
pub mod finalize;
pub mod format;
pub mod frame;
pub mod gc;
pub mod import;
pub mod instructions;
pub mod interp;
pub mod lib_path;
pub mod modules;
pub mod object;
pub mod ops;
pub mod options;
pub mod process;
pub mod repl;
pub mod shared_immortal;
pub mod specialize;
pub mod suggest;
pub mod thread_state;
pub mod tier2;
pub mod trace;
pub mod trace_jump;
pub mod traceback;
pub mod types;
pub mod value;
pub mod vm;
pub mod world;

pub use value::Value;
pub use vm::{Options, PyErr, PyResult, Vm};

use types::module::ModuleObj;

/// Compile and run `source` as the `__main__` module, then prompt for statements if
/// `interactive` asks; prints uncaught exceptions like CPython and returns the process
/// exit code.
pub fn run_main(vm: &mut Vm, source: &str, filename: &str, interactive: repl::Interactive) -> i32 {
    let code = match compile::compile(source, filename) {
        Ok(c) => c,
        Err(e) => {
            vm.flush_stdout();
            let err = builtins::syntax_error_value(vm, &e);
            let text = traceback::format_exception(vm, &err.exc);
            eprint!("{text}");
            return 1;
        }
    };
    if vm.opts.dump.bytecode {
        let mut s = String::new();
        compile::dump::disassemble(&code, &mut s);
        if let Ok(Some(out)) = builtins::sys_stream(vm, "stdout") {
            let _ = modules::io::print_to(vm, &out, &s);
        }
    }
    // `-c` code has no `__file__`, as in CPython: multiprocessing's
    // spawn would otherwise try to run a file named "<string>".
    let prompt_only = matches!(interactive, repl::Interactive::Only { .. });
    let file = (filename != "<string>" && !prompt_only).then_some(filename);
    let module = import::new_module("__main__", file);
    // SAFETY: new_module returns a module object.
    let globals = unsafe { module.payload_unchecked::<ModuleObj>() }
        .dict
        .clone();
    // A script or `-c` has no spec (CPython's `__main__.__spec__` is None there):
    // `multiprocessing`'s spawn re-runs the main module by path only when it is None.
    if let Some(d) = globals.downcast::<types::dict::DictObj>() {
        d.set_str("__spec__", value::Value::none());
    }
    // SAFETY: vm.modules is a dict.
    unsafe { vm.modules.payload_unchecked::<types::dict::DictObj>() }
        .set_str("__main__", module.clone());
    if modules::sys::faulthandler_at_start(vm) {
        modules::faulthandler::enable_at_start();
    }
    // With warning options, `warnings` is imported before the program (as CPython does),
    // so the options apply from the start.
    if !modules::sys::warnoptions(vm).is_empty()
        && let Err(e) = import::import_module(vm, "warnings")
    {
        eprintln!("'import warnings' failed; traceback:");
        eprint!("{}", traceback::format_exception(vm, &e.exc));
    }
    // Where faulthandler finds this thread's frames (`vm` stays put until we return).
    let _published = traceback::dump::publish(std::ptr::addr_of!(*vm));
    let r = vm.run_code(&code, &globals);
    builtins::generators::run_pending(vm);
    let mut status = match r {
        Ok(_) => 0,
        // Under -i a SystemExit does not end the process: it is shown, and the
        // prompt comes (as CPython's `_Py_HandleSystemExit` with `inspect`).
        Err(e)
            if interactive == repl::Interactive::After
                && e.exc.type_data().is_subtype_raw(world::types().system_exit) =>
        {
            vm.flush_stdout();
            eprint!("{}", traceback::format_exception(vm, &e.exc));
            1
        }
        Err(e) => handle_uncaught(vm, e),
    };
    if interactive != repl::Interactive::No {
        status = match repl::interact(vm, &globals, interactive) {
            Ok(()) => 0,
            Err(e) => handle_uncaught(vm, e),
        };
        builtins::generators::run_pending(vm);
    }
    join_threads(vm);
    // As CPython's Py_FinalizeEx: atexit callbacks once the threads are joined, then
    // the main module's objects are finalized.
    modules::atexit::run_all(vm);
    modules::faulthandler::finalize();
    modules::sys::set_finalizing();
    // Only `sys.modules` may keep the main module now (see `finalize_main`).
    drop(globals);
    drop(module);
    if thread_state::other_threads_running() == 0 {
        finalize::finalize_main(vm);
    }
    flush_open_files(vm);
    // Objects other threads handed back to this one since its last breaker check.
    thread_state::merge_pending();
    vm.flush_stdout();
    status
}

/// As CPython's finalization: wait for every non-daemon thread (`threading._shutdown`)
/// if the program imported `threading`. An exception it raises is unraisable (CPython's
/// `wait_for_thread_shutdown`): reported, the exit status unchanged.
fn join_threads(vm: &mut Vm) {
    // SAFETY: vm.modules is a dict.
    let Some(threading) =
        unsafe { vm.modules.payload_unchecked::<types::dict::DictObj>() }.get_str("threading")
    else {
        return;
    };
    let Ok(Some(shutdown)) = ops::getattr_opt(vm, &threading, "_shutdown") else {
        return;
    };
    if let Err(e) = vm.call(&shutdown, &[]) {
        crate::modules::unraisable::write(vm, &e, None, &threading);
    }
}

/// SystemExit gives its code; anything else prints a traceback and gives 1.
pub fn handle_uncaught(vm: &mut Vm, e: PyErr) -> i32 {
    vm.flush_stdout();
    if e.exc.type_data().is_subtype_raw(world::types().system_exit) {
        let code = ops::getattr_opt(vm, &e.exc, "code")
            .ok()
            .flatten()
            .unwrap_or_else(Value::none);
        if code.is_none() {
            return 0;
        }
        // Any int, bools included (`sys.exit(False)` is status 0, as in CPython).
        if !code.is_float()
            && let Some(i) = crate::types::int::as_int(&code).and_then(|i| i.to_i64())
        {
            return i as i32;
        }
        // Written to `sys.stderr` (its error handler escapes lone surrogates), as
        // CPython's `_Py_HandleSystemExit` does.
        let s = ops::str_value(vm, &code).unwrap_or_else(|_| types::str::new_str(""));
        let written = builtins::sys_stream(vm, "stderr")
            .ok()
            .flatten()
            .filter(|e| !e.is_none())
            .is_some_and(|err| {
                let mut w =
                    |v: Value| ops::getattr_str(vm, &err, "write").and_then(|f| vm.call(&f, &[v]));
                w(s.clone()).is_ok() && w(types::str::new_str("\n")).is_ok()
            });
        if !written {
            eprintln!("{}", ops::to_str(vm, &s).unwrap_or_default());
        }
        return 1;
    }
    let text = traceback::format_exception(vm, &e.exc);
    eprint!("{text}");
    if e.exc
        .type_data()
        .is_subtype_raw(world::types().keyboard_interrupt)
    {
        crate::process::ended_by_interrupt();
    }
    1
}

/// Files opened for writing and never closed still get their data (CPython flushes
/// them when they are collected at exit), and `sys.stdout`/`sys.stderr` are flushed.
fn flush_open_files(vm: &mut Vm) {
    modules::io::flush_all_at_exit(vm);
}
