//! Command-line behaviour that has no CPython oracle: options, stitch's own errors, and
//! robustness on bad input (never a panic or a Rust backtrace).
use std::io::Write;
use std::process::{Command, Output, Stdio};

fn stitch(args: &[&str], stdin: Option<&[u8]>) -> Output {
    let mut c = Command::new(env!("CARGO_BIN_EXE_stitch"));
    c.args(args)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .stdin(Stdio::piped());
    let mut child = c.spawn().expect("spawn stitch");
    if let Some(data) = stdin {
        child
            .stdin
            .take()
            .expect("stdin")
            .write_all(data)
            .expect("write");
    }
    drop(child.stdin.take());
    child.wait_with_output().expect("wait")
}

fn temp_file(name: &str, content: &[u8]) -> String {
    let dir = std::env::temp_dir().join(format!("stitch-cli-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("mkdir");
    let p = dir.join(name);
    std::fs::write(&p, content).expect("write");
    p.to_string_lossy().to_string()
}

fn assert_clean(o: &Output) {
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        !err.contains("panicked")
            && !err.contains("RUST_BACKTRACE")
            && !err.contains("internal error"),
        "{err}"
    );
    assert!(o.status.code().is_some(), "killed by a signal: {err}");
}

#[test]
fn version_and_help() {
    let o = stitch(&["--version"], None);
    assert!(o.status.success());
    assert!(String::from_utf8_lossy(&o.stdout).starts_with("stitch "));
    let o = stitch(&["-h"], None);
    assert!(String::from_utf8_lossy(&o.stdout).contains("-X dump=bytecode"));
}

#[test]
fn dash_c_runs_code_with_argv() {
    let o = stitch(
        &["-c", "import sys; print(sum(range(5)), sys.argv)", "x", "y"],
        None,
    );
    assert_eq!(String::from_utf8_lossy(&o.stdout), "10 ['-c', 'x', 'y']\n");
    assert!(o.status.success());
}

#[test]
fn syntax_error_names_file_line_and_caret() {
    let f = temp_file("bad.py", b"x = 1\ny = (2 +\nprint(x\n");
    let o = stitch(&[&f], None);
    assert_eq!(o.status.code(), Some(1));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains(&format!("File \"{f}\", line ")), "{err}");
    assert!(err.contains('^'), "{err}");
    assert!(
        err.trim_end().ends_with("SyntaxError: invalid syntax") || err.contains("SyntaxError:"),
        "{err}"
    );
    assert_clean(&o);
}

#[test]
fn unsupported_construct_names_itself_and_its_line() {
    // Every 3.11 construct compiles; the parser also accepts 3.12's, which name
    // themselves.
    let f = temp_file("typestmt.py", b"x = 1\ntype X = int\n");
    let o = stitch(&[&f], None);
    assert_eq!(o.status.code(), Some(1));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("line 2"), "{err}");
    assert!(
        err.contains("NotImplementedError: stitch does not support the 'type' statement yet"),
        "{err}"
    );
    assert_clean(&o);
}

#[test]
fn bad_utf8_and_binary_junk_are_clean_errors() {
    let f = temp_file("junk.py", &[0xff, 0xfe, 0x00, 0x41, 0x80, b'\n', 0xc3]);
    let o = stitch(&[&f], None);
    assert_eq!(o.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&o.stderr).contains("SyntaxError"));
    assert_clean(&o);
    let junk: Vec<u8> = (0..4096u32)
        .map(|i| (i.wrapping_mul(2654435761) >> 13) as u8 & 0x7f)
        .collect();
    let f = temp_file("junk2.py", &junk);
    let o = stitch(&[&f], None);
    assert_clean(&o);
}

#[test]
fn missing_file_exits_2() {
    let o = stitch(&["/nonexistent/prog.py"], None);
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("can't open file"));
}

#[test]
fn dump_bytecode_shows_instructions() {
    let o = stitch(
        &[
            "-X",
            "dump=bytecode",
            "-c",
            "def f(a):\n    return a + 1\nprint(f(2))",
        ],
        None,
    );
    let out = String::from_utf8_lossy(&o.stdout);
    assert!(out.contains("BINARY_OP"), "{out}");
    assert!(out.contains("RETURN_VALUE"), "{out}");
    assert!(out.contains("<code object f"), "{out}");
    assert!(out.trim_end().ends_with('3'), "{out}");
}

#[test]
fn unknown_option_is_an_error() {
    let o = stitch(&["-X", "bogus", "-c", "pass"], None);
    assert_eq!(o.status.code(), Some(2));
    assert_clean(&o);
}

#[test]
fn deep_native_recursion_is_a_recursion_error() {
    // __repr__ recursion goes through native code; it must raise, not overflow.
    let src = "class R:\n    def __repr__(self):\n        return repr(self)\ntry:\n    repr(R())\nexcept RecursionError:\n    print('ok')\n";
    let o = stitch(&["-c", src], None);
    assert_eq!(String::from_utf8_lossy(&o.stdout), "ok\n");
    assert_clean(&o);
}

#[test]
fn input_reads_stdin() {
    let o = stitch(
        &["-c", "a = input('> ')\nprint(a.upper())\nprint(input())"],
        Some(b"hello\nworld\n"),
    );
    assert_eq!(String::from_utf8_lossy(&o.stdout), "> HELLO\nworld\n");
}

#[test]
fn stdin_is_shared_by_input_readline_iteration_and_read() {
    let f = temp_file(
        "stdin.py",
        b"import sys\nname = input('name? ')\nprint('hi', name)\nprint(repr(sys.stdin.readline()))\nfor line in sys.stdin:\n    print('line', line.rstrip())\n    break\nprint(sys.stdin.read().split())\nprint(repr(sys.stdin.readline()))\n",
    );
    let o = stitch(&[&f], Some(b"bob\nsecond\nthird\nx y\nz\n"));
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    assert_eq!(
        String::from_utf8_lossy(&o.stdout),
        "name? hi bob\n'second\\n'\nline third\n['x', 'y', 'z']\n''\n"
    );
    assert_clean(&o);
}

#[test]
fn sized_stdin_reads_keep_the_rest_of_the_line() {
    let f = temp_file(
        "stdin_sized.py",
        b"import sys\nprint(repr(sys.stdin.read(3)), repr(input()), repr(sys.stdin.read(2)), repr(sys.stdin.readline()), repr(sys.stdin.read()))\n",
    );
    let o = stitch(&[&f], Some(b"abcdef\nghi\njk\nlm\n"));
    assert_eq!(
        String::from_utf8_lossy(&o.stdout),
        "'abc' 'def' 'gh' 'i\\n' 'jk\\nlm\\n'\n"
    );
    assert_clean(&o);
}

#[test]
fn each_thread_compiles_and_runs_its_own_trace_of_a_shared_loop() {
    // The main thread compiles `f`'s loop; a second thread running the same loop
    // compiles its own trace (the main thread's is patched for the main thread).
    let prog = temp_file(
        "own_trace.py",
        b"import threading\ndef f(n):\n    s = 0\n    for i in range(n):\n        s += i % 7\n    return s\nprint(f(100000))\nr = []\nt = threading.Thread(target=lambda: r.append(f(100000)))\nt.start()\nt.join()\nprint(r)\n",
    );
    let o = stitch(&["-X", "stats", &prog], None);
    assert_clean(&o);
    assert_eq!(String::from_utf8_lossy(&o.stdout), "299995\n[299995]\n");
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("per-thread 1,"), "{err}");
    assert!(err.contains("unhooked (invalidated) 0"), "{err}");
}

#[test]
fn a_thread_started_inside_a_compiled_loop_leaves_the_trace_running() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/programs");
    let prog = dir.join("jit_thread_start_in_loop.py");
    let want = std::fs::read_to_string(dir.join("jit_thread_start_in_loop.out")).unwrap();
    for _ in 0..5 {
        let o = stitch(&["-X", "stats", prog.to_str().unwrap()], None);
        assert_clean(&o);
        assert_eq!(String::from_utf8_lossy(&o.stdout), want);
        let err = String::from_utf8_lossy(&o.stderr);
        assert!(err.contains("unhooked (invalidated) 0"), "{err}");
        assert!(
            !err.contains("trace exit: patchpoint: trace invalidated"),
            "starting a thread invalidates no trace: {err}"
        );
    }
}

const HOT_LOOP: &str = "def f(n):\n    s = 0\n    i = 0\n    while i < n:\n        s += i * 3\n        i += 1\n    return s\nprint(f(1000))";

#[test]
fn dump_uops_and_asm_show_the_trace() {
    let o = stitch(&["-X", "dump=uops", "-X", "dump=asm", "-c", HOT_LOOP], None);
    assert_clean(&o);
    assert_eq!(String::from_utf8_lossy(&o.stdout), "1498500\n");
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("[stitch dump] before optimization:"), "{err}");
    assert!(err.contains("[stitch dump] after optimization:"), "{err}");
    assert!(err.contains("trace f:"), "{err}");
    assert!(err.contains("GUARD_LOCAL_KIND"), "the optimizer ran: {err}");
    assert!(
        err.contains("[stitch dump] machine code of trace f:"),
        "{err}"
    );
    assert!(err.contains("; 0: PATCHPOINT trace valid"), "{err}");
    assert!(err.contains("jmp"), "disassembly: {err}");
}

#[test]
fn perf_map_names_the_traces() {
    let prog = format!("import os\n{HOT_LOOP}\nprint(os.getpid())");
    let o = stitch(&["-X", "perf-map", "-c", &prog], None);
    assert_clean(&o);
    let out = String::from_utf8_lossy(&o.stdout);
    let pid = out.lines().last().unwrap().trim().to_string();
    let path = format!("/tmp/perf-{pid}.map");
    let map = std::fs::read_to_string(&path).expect("perf map written");
    let _ = std::fs::remove_file(&path);
    // `START SIZE name`, hex without 0x, one line per trace.
    let line = map
        .lines()
        .find(|l| l.ends_with(" stitch-trace:f:4"))
        .expect(&map);
    let parts: Vec<&str> = line.split(' ').collect();
    assert_eq!(parts.len(), 3, "{line}");
    assert!(u64::from_str_radix(parts[0], 16).unwrap() > 0, "{line}");
    assert!(u64::from_str_radix(parts[1], 16).unwrap() > 0, "{line}");
}

#[test]
fn jit_uops_runs_traces_in_the_uop_interpreter() {
    let o = stitch(&["-X", "jit=uops", "-X", "stats", "-c", HOT_LOOP], None);
    assert_clean(&o);
    assert_eq!(String::from_utf8_lossy(&o.stdout), "1498500\n");
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("traces compiled 1"), "{err}");
    assert!(
        err.contains("code bytes 0"),
        "interpreted traces have no code: {err}"
    );
}

#[test]
fn loop_traces_that_do_not_pay_are_unhooked() {
    // The inner loop runs one iteration per entry, in tier 1 (the trace starts at the
    // back edge and finds the loop finished).
    let prog = "def f(xs):\n    s = 0\n    for x in xs:\n        s += x\n    return s\nt = 0\nfor i in range(20000):\n    t += f([i])\nprint(t)\n";
    let o = stitch(&["-X", "stats", "-c", prog], None);
    assert_clean(&o);
    assert_eq!(String::from_utf8_lossy(&o.stdout), "199990000\n");
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("unprofitable 1"), "{err}");
    assert!(err.contains("(1.0 per entry"), "{err}");
    let kept = stitch(&["-X", "stats", "-X", "jit-min-iters=0", "-c", prog], None);
    assert_clean(&kept);
    assert!(
        String::from_utf8_lossy(&kept.stderr).contains("unprofitable 0"),
        "-X jit-min-iters=0 keeps every trace"
    );
    let bad = stitch(&["-X", "jit-min-iters=x", "-c", "pass"], None);
    assert_eq!(bad.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&bad.stderr).contains("bad -X jit-min-iters value 'x'"));
}

#[test]
fn nested_loops_run_in_linked_traces() {
    // The outer loop's trace jumps into the inner loop's; the inner loop's end gets a
    // side trace that jumps back into the outer loop's: after warm-up the nest runs in
    // machine code, leaving only when the outer loop ends.
    let prog = "def f(n, m):\n    t = 0\n    for i in range(n):\n        for j in range(m):\n            t += j\n        t += i\n    return t\nprint(f(3000, 20))\n";
    let o = stitch(&["-X", "stats", "-c", prog], None);
    assert_clean(&o);
    assert_eq!(String::from_utf8_lossy(&o.stdout), "5068500\n");
    let err = String::from_utf8_lossy(&o.stderr);
    let exits: u64 = err
        .split("trace exits ")
        .nth(1)
        .and_then(|s| s.split_whitespace().next())
        .and_then(|s| s.parse().ok())
        .expect("a trace exit count");
    assert!(exits < 600, "the nest keeps leaving its traces: {err}");
    assert!(err.contains("side traces 1"), "{err}");
    assert!(err.contains("trace exit: loop ended"), "{err}");
}

#[test]
fn relative_script_path_becomes_absolute_in_file_and_tracebacks() {
    // As CPython 3.9+: `__file__` and traceback paths are the working directory joined
    // with the typed path; sys.argv[0] stays as typed.
    let f = temp_file(
        "relpath.py",
        b"import sys\nprint(__file__, sys.argv[0])\nraise ValueError(1)\n",
    );
    let dir = std::path::Path::new(&f).parent().expect("dir");
    // getcwd() resolves links in the directory itself (as in CPython).
    let f = std::fs::canonicalize(dir)
        .expect("canonical dir")
        .join("relpath.py")
        .to_string_lossy()
        .into_owned();
    let o = Command::new(env!("CARGO_BIN_EXE_stitch"))
        .arg("relpath.py")
        .current_dir(dir)
        .output()
        .expect("run stitch");
    assert_eq!(
        String::from_utf8_lossy(&o.stdout),
        format!("{f} relpath.py\n")
    );
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains(&format!("File \"{f}\", line 3")), "{err}");
    assert_eq!(o.status.code(), Some(1));
}

#[test]
fn jit_hot_compiles_loops_sooner_and_rejects_bad_values() {
    // A loop of 10 iterations: never hot by default, compiled with -X jit-hot=2.
    let prog = "def f():\n    s = 0\n    for i in range(10):\n        s += i * i\n    return s\nprint(f())\n";
    let cold = stitch(&["-X", "stats", "-c", prog], None);
    assert_clean(&cold);
    assert!(String::from_utf8_lossy(&cold.stderr).contains("traces compiled 0"));
    let hot = stitch(&["-X", "stats", "-X", "jit-hot=2", "-c", prog], None);
    assert_clean(&hot);
    assert_eq!(String::from_utf8_lossy(&hot.stdout), "285\n");
    let err = String::from_utf8_lossy(&hot.stderr);
    assert!(err.contains("traces compiled 1"), "{err}");
    for bad in ["jit-hot=0", "jit-hot=x", "jit-hot=65535"] {
        let o = stitch(&["-X", bad, "-c", "pass"], None);
        assert_eq!(o.status.code(), Some(2), "{bad}");
        assert!(String::from_utf8_lossy(&o.stderr).contains("bad -X jit-hot value"));
    }
}

#[test]
fn a_loop_whose_compilation_aborted_is_compiled_again_later() {
    // The inner loop's first 4000 entries mostly leave at once through its `break`, so
    // its first translation follows the break out of the loop and aborts; the last 60
    // entries loop 400 times each. A later attempt (after a backoff) compiles it: most
    // of those 24000 iterations run in a loop trace.
    let prog = "def f(rows):\n    total = 0\n    for r in rows:\n        i = 0\n        while True:\n            i += 1\n            if i > r:\n                break\n        total += i\n    return total\nprint(f([1 if k % 5 == 0 else 0 for k in range(4000)] + [400] * 60))\n";
    let o = stitch(&["-X", "stats", "-c", prog], None);
    assert_clean(&o);
    assert_eq!(String::from_utf8_lossy(&o.stdout), "28860\n");
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains("trace aborted: jump out of the loop body"),
        "{err}"
    );
    let iterations: u64 = err
        .lines()
        .find_map(|l| l.trim().strip_prefix("loop traces "))
        .and_then(|l| l.split(" for ").nth(1))
        .and_then(|l| l.split(' ').next())
        .and_then(|n| n.parse().ok())
        .unwrap_or(0);
    assert!(iterations > 20000, "{err}");
}

#[test]
fn missing_standard_library_is_one_clear_line() {
    let o = Command::new(env!("CARGO_BIN_EXE_stitch"))
        .args(["-c", "print(1)"])
        .env("STITCH_STDLIB", "/nonexistent/python3.11")
        .output()
        .expect("run stitch");
    assert_eq!(o.status.code(), Some(1));
    assert!(o.stdout.is_empty());
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(err.contains("STITCH_STDLIB"), "{err}");
}

#[test]
fn dash_m_runs_a_module_as_main_through_runpy() {
    let o = stitch(&["-m", "json.tool"], Some(b"[1, {\"a\": 2}]"));
    assert_eq!(o.status.code(), Some(0));
    assert_eq!(
        String::from_utf8_lossy(&o.stdout),
        "[\n    1,\n    {\n        \"a\": 2\n    }\n]\n"
    );
    let o = stitch(&["-m", "no_such_module_xyz"], None);
    assert_eq!(o.status.code(), Some(1));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.ends_with(": No module named no_such_module_xyz\n"),
        "{err}"
    );
    let o = stitch(&["-m"], None);
    assert_eq!(o.status.code(), Some(2));
}

#[test]
fn usage_lists_every_x_option_and_variable_from_the_one_table() {
    let o = stitch(&["--help"], None);
    assert_eq!(o.status.code(), Some(0));
    let out = String::from_utf8_lossy(&o.stdout);
    assert!(out.starts_with("usage: stitch [option] ..."), "{out}");
    let readme = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md"))
        .expect("README.md");
    for x in stitch_runtime::options::X_OPTIONS {
        assert!(out.contains(&format!("-X {}", x.name)), "{out}");
        assert!(
            readme.contains(&format!("-X {}", x.name)),
            "README's command line does not list -X {}",
            x.name
        );
    }
    for e in stitch_runtime::options::Env::ALL {
        assert!(out.contains(e.name()), "{out}");
    }
    assert!(
        out.contains("(default 64)"),
        "the default comes from the table: {out}"
    );
    assert!(out.lines().all(|l| l.len() <= 80), "{out}");
    // `-X help` prints the option list alone, and exits 0 without running anything.
    let o = stitch(&["-X", "help", "-c", "print('the program ran')"], None);
    assert_eq!(o.status.code(), Some(0));
    let x = String::from_utf8_lossy(&o.stdout);
    assert!(x.starts_with("  -X dump="), "{x}");
    assert!(x.contains("STITCH_STDLIB"), "{x}");
    assert!(!x.contains("the program ran"), "{x}");
}

#[test]
fn a_bad_x_option_or_value_exits_2_with_a_message() {
    for (args, msg) in [
        (
            &["-X", "bogus", "-c", "pass"][..],
            "stitch: unknown -X option 'bogus' (-X help lists them)\n",
        ),
        (
            &["-Xjit=fast", "-c", "pass"][..],
            "stitch: bad -X jit value 'fast' (expected on, off or uops)\n",
        ),
        (
            &["-X", "dump=tokens", "-c", "pass"][..],
            "stitch: bad -X dump value 'tokens' (expected bytecode, uops or asm)\n",
        ),
        (
            &["-X", "stats=yes", "-c", "pass"][..],
            "stitch: bad -X stats value 'yes' (expected no value)\n",
        ),
        (&["-X"][..], "Argument expected for the -X option\n"),
        (
            &["-X", "importtime", "-c", "pass"][..],
            "stitch: CPython's -X importtime is not supported by stitch\n",
        ),
    ] {
        let o = stitch(args, None);
        assert_clean(&o);
        assert_eq!(o.status.code(), Some(2), "{args:?}");
        assert_eq!(String::from_utf8_lossy(&o.stderr), msg, "{args:?}");
        assert!(o.stdout.is_empty(), "{args:?}");
    }
}

#[test]
fn cpython_options_reach_sys_as_in_cpython() {
    let o = stitch(
        &[
            "-X",
            "dev",
            "-Xutf8=1",
            "-W",
            "error::DeprecationWarning",
            "-Wignore",
            "-c",
            "import sys, faulthandler; print(sys._xoptions, sys.warnoptions, \
             sys.flags.dev_mode, faulthandler.is_enabled(), 'warnings' in sys.modules)",
        ],
        None,
    );
    assert_clean(&o);
    assert_eq!(
        String::from_utf8_lossy(&o.stdout),
        "{'dev': True, 'utf8': '1'} ['default', 'error::DeprecationWarning', 'ignore'] \
         True True True\n"
    );
}

#[test]
fn one_letter_flags_as_in_cpython() {
    // (flags, expected `no_site no_user_site ignore_environment isolated safe_path`,
    // whether '' / PYTHONPATH's folder / a site-packages folder are on sys.path).
    let code = "import sys; f = sys.flags; \
                print(f.no_site, f.no_user_site, f.ignore_environment, f.isolated, \
                f.safe_path, '' in sys.path, '/stitch-cli-pp' in sys.path, \
                any('-packages' in p for p in sys.path), sys.stdout.write_through)";
    for (flags, want) in [
        (&[][..], "0 0 0 0 False True True True False"),
        (&["-S"][..], "1 0 0 0 False True True False False"),
        (&["-s"][..], "0 1 0 0 False True True True False"),
        (&["-E"][..], "0 0 1 0 False True False True False"),
        (&["-P"][..], "0 0 0 0 True False True True False"),
        (&["-I"][..], "0 1 1 1 True False False True False"),
        (&["-Es", "-u"][..], "0 1 1 0 False True False True True"),
    ] {
        let mut c = Command::new(env!("CARGO_BIN_EXE_stitch"));
        c.args(flags)
            .args(["-c", code])
            .env("PYTHONPATH", "/stitch-cli-pp")
            .env_remove("PYTHONNOUSERSITE")
            .env_remove("PYTHONSAFEPATH")
            .env_remove("PYTHONUNBUFFERED");
        let o = c.output().expect("run stitch");
        assert_clean(&o);
        assert_eq!(
            String::from_utf8_lossy(&o.stdout),
            format!("{want}\n"),
            "{flags:?}"
        );
    }
}

#[test]
fn stats_name_exit_and_abort_reasons() {
    // A long loop body ending at `yield` (not translated) becomes a trace that ends
    // there; a short one is not compiled, with the instruction as the abort reason.
    let long = "def g(n):\n    a = b = c = d = 0\n    for i in range(n):\n        a += i; b += a; c += b; d += c\n        a -= 1; b -= 1; c -= 1; d -= 1\n        a += i; b += a; c += b; d += c\n        yield d\nprint(sum(g(2000)) % 1000)\n";
    let o = stitch(&["-X", "stats", "-c", long], None);
    assert_clean(&o);
    assert_eq!(String::from_utf8_lossy(&o.stdout), "100\n");
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains("trace exit: trace ends at YIELD_VALUE (not translated): "),
        "{err}"
    );
    assert!(err.contains("trace exit: loop ended: 1"), "{err}");
    let short = "def g(n):\n    for i in range(n):\n        yield i\nprint(sum(g(2000)))\n";
    let o = stitch(&["-X", "stats", "-c", short], None);
    assert_clean(&o);
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("trace aborted: YIELD_VALUE: 1"), "{err}");
}

#[test]
fn dash_runs_the_program_from_stdin_as_cpython() {
    let o = stitch(
        &["-", "a", "b"],
        Some(b"import sys, __main__\nprint(__main__.__file__, sys.argv, repr(sys.path[0]))\n1/0\n"),
    );
    assert_eq!(o.status.code(), Some(1));
    assert_eq!(
        String::from_utf8_lossy(&o.stdout),
        "<stdin> ['-', 'a', 'b'] ''\n"
    );
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains("File \"<stdin>\", line 3, in <module>"),
        "{err}"
    );
    // `-c` code has no `__file__` (multiprocessing's spawn relies on it).
    let o = stitch(
        &[
            "-c",
            "import __main__; print(hasattr(__main__, '__file__'))",
        ],
        None,
    );
    assert_eq!(String::from_utf8_lossy(&o.stdout), "False\n");
}
