//! The structured generator of whole Python programs built to deoptimize: hot loops
//! (for over a range, a list or a generator; while; nested loops; break, continue and
//! return) whose operand types, instance shapes, class attributes, globals and
//! builtins change at chosen iterations, from the loop itself, from called functions
//! and from `__init__`s; calls that raise from (inlined) callee frames, caught in the
//! loop or not; generators and closures whose cells change type. With `threads`, the
//! same programs also start second and third threads at chosen points (inside the hot
//! loop, inside a callee, inside an `__init__`, and from a started thread).
//!
//! Every program terminates by construction (bounded loops, no recursion), prints
//! only deterministic values (no ids, hashes or set orders), and keeps its numbers
//! bounded (products are taken modulo a prime). The bytes an input holds are read with
//! `arbitrary::Unstructured`: short inputs give short programs, and any bytes give a
//! valid program.
use arbitrary::{Result, Unstructured};

/// Values a local, global or attribute changes to (types the specializer and the
/// trace guards distinguish: small int, float, big int, bool, negative, zero float,
/// and rarely None, which makes arithmetic raise).
const VALUES: &[&str] = &[
    "2.5",
    "10 ** 20",
    "True",
    "-7",
    "0.0",
    "3",
    "None",
    "1.5e300",
    "-(2 ** 62)",
    "False",
];

/// Locals of a hot function the statements compute on.
const LOCALS: &[&str] = &["a", "b", "t"];

/// Operands of expressions in the hot loop (locals, the loop variable, globals,
/// attributes of the instance and its class, calls of methods, callees, closures,
/// builtins, subscripts).
const OPERANDS: &[&str] = &[
    "a",
    "b",
    "t",
    "i",
    "G",
    "H",
    "o.x",
    "C.k",
    "o.m(i)",
    "f0(i)",
    "f1(i)",
    "f2(i)",
    "L[i % len(L)]",
    "abs(b)",
    "cl(1)",
    "len(L)",
    "min(i, 5)",
    "o.k",
    "next(gq, 1)",
];

/// A generated program and how its thread starts behave.
pub struct Program {
    /// The source, with the line `THREADED = 1` (threads start for real) or
    /// `THREADED = 0` (the work runs on the calling thread) as `threaded` says; both
    /// versions have the same lines, so tracebacks agree.
    pub source_threaded: String,
    pub source_single: String,
    /// Thread starts the program can make (0 when generated without threads).
    pub spawns: usize,
    /// Whether a started thread runs concurrently with the main thread (joined only at
    /// the end). Such threads work on private data only, so the output stays
    /// deterministic.
    pub concurrent: bool,
}

struct Gen<'a, 'b> {
    u: &'a mut Unstructured<'b>,
    threads: bool,
    spawns: usize,
    concurrent: bool,
    /// Statements emitted so far (fuel: programs stay small).
    stmts: usize,
}

/// Fuel: the most statements one program gets.
const MAX_STMTS: usize = 40;

impl Gen<'_, '_> {
    fn pick<'s>(&mut self, xs: &[&'s str]) -> Result<&'s str> {
        Ok(*self.u.choose(xs)?)
    }

    fn below(&mut self, n: u32) -> Result<u32> {
        if n <= 1 {
            return Ok(0);
        }
        self.u.int_in_range(0..=n - 1)
    }

    fn value(&mut self) -> Result<&'static str> {
        // None raises in arithmetic: keep it rare.
        let v = self.pick(VALUES)?;
        if v == "None" && self.below(3)? != 0 {
            return Ok("2.5");
        }
        Ok(v)
    }

    fn operand(&mut self) -> Result<&'static str> {
        self.pick(OPERANDS)
    }

    /// An iteration at which a change happens: inside the loop's range, often after
    /// the loop is compiled (default hotness 64) and sometimes before.
    fn iteration(&mut self, n: u32) -> Result<u32> {
        self.below(n.max(2))
    }

    /// A statement that changes what a trace assumes, run at one iteration.
    fn change(&mut self, n: u32) -> Result<String> {
        let v = self.value()?;
        let x = self.pick(LOCALS)?;
        Ok(match self.below(24)? {
            0..=3 => format!("{x} = {v}"),
            4 => format!("G = {v}"),
            5 => format!("H = {v}"),
            6 => format!("setg({v})"),
            7 => "builtins.abs = _fake_abs".into(),
            8 => "builtins.len = _fake_len".into(),
            9 => "globals()['abs'] = _fake_abs".into(),
            10 => format!("C.k = {v}"),
            11 => "C.m = _m2".into(),
            12 => format!("D.k = {v}"),
            13 => "if 'k' in D.__dict__:\n    del D.k".into(),
            14 => format!("o.x = {v}"),
            15 => "o.y = i".into(),
            16 => "if 'x' in o.__dict__:\n    del o.x".into(),
            17 => "o.__class__ = E".into(),
            18 => format!("o = D({v})"),
            19 => format!("L.append({v})"),
            20 => format!("L[0] = {v}"),
            21 => "D.__init__ = _init2".into(),
            22 => "cl = mk(2.5)".into(),
            _ => {
                let k = self.iteration(n)?;
                format!("gq = gen({k})")
            }
        })
    }

    /// A statement that starts a thread (or, single-threaded, runs its work inline).
    fn spawn(&mut self) -> Result<String> {
        self.spawns += 1;
        let id = self.spawns;
        let join = if self.concurrent { 0 } else { 1 };
        let work = if self.concurrent || self.below(2)? == 0 {
            "private_work"
        } else {
            "shared_work"
        };
        let n = 20 + self.below(200)?;
        Ok(format!("spawn({join}, {work}, {id}, {n})"))
    }

    /// An expression of a few operands.
    fn expr(&mut self) -> Result<String> {
        let a = self.operand()?;
        let b = self.operand()?;
        Ok(match self.below(8)? {
            0 => format!("{a} + {b}"),
            1 => format!("{a} - {b}"),
            2 => format!("({a} * {b}) % 1000003"),
            3 => format!("{a} if {a} > {b} else {b}"),
            4 => format!("({a} == {b}) + {a}"),
            5 => format!("{a} // 3 + {b}"),
            6 => format!("-{a}"),
            _ => a.to_string(),
        })
    }

    /// One statement of a loop body (lines indented relative to the body).
    fn stmt(&mut self, n: u32, depth: u32) -> Result<String> {
        self.stmts += 1;
        if self.stmts > MAX_STMTS {
            return Ok("t = t + 1".into());
        }
        let x = self.pick(LOCALS)?;
        let kinds = if depth >= 2 { 6 } else { 17 };
        let s = match self.below(kinds + u32::from(self.threads))? {
            0 | 1 => format!("{x} = {}", self.expr()?),
            2 => format!("{x} = ({x} + {}) % 65521", self.operand()?),
            3 => {
                let k = self.iteration(n)?;
                format!("if i == {k}:\n{}", indent(&self.change(n)?))
            }
            4 => {
                let body = self.stmt(n, depth + 1)?;
                format!(
                    "try:\n{}\nexcept Exception as e:\n    ec += 1\n    em = type(e).__name__ + ': ' + str(e)",
                    indent(&body)
                )
            }
            5 => {
                let m = 2 + self.below(5)?;
                let r = self.below(m)?;
                let then = self.stmt(n, depth + 1)?;
                if self.u.arbitrary()? {
                    let other = self.stmt(n, depth + 1)?;
                    format!(
                        "if i % {m} == {r}:\n{}\nelse:\n{}",
                        indent(&then),
                        indent(&other)
                    )
                } else {
                    format!("if i % {m} == {r}:\n{}", indent(&then))
                }
            }
            6 => {
                let k = self.iteration(n)?;
                format!("if i == {k}:\n    break")
            }
            7 => {
                let m = 2 + self.below(6)?;
                format!("if i % {m} == 1:\n    continue")
            }
            8 => {
                let k = self.iteration(n)?;
                format!("if i == {k}:\n    return a, b, t, ec, em")
            }
            9 => {
                let m = 2 + self.below(5)?;
                let body = self.stmt(n, depth + 1)?;
                format!("for j in range(i % {m}):\n{}", indent(&body))
            }
            10 => "for v in L:\n    if v == 2:\n        break\n    t = t + v".to_string(),
            11 => {
                let m = 2 + self.below(4)?;
                format!("for v in gen(i % {m}):\n    {x} = {x} + v")
            }
            12 => format!("o = D(i)\n{x} = {x} + o.x"),
            13 => format!("{x} = {x} + cl(i)"),
            14 => format!("{x} = o.m({x})"),
            15 => {
                let m = 1 + self.below(3)?;
                format!("j = 0\nwhile j < i % {}:\n    j += 1\n    t = t + j", m + 1)
            }
            16 => format!("{x} = f{}({x})", self.below(3)?),
            _ => {
                let k = self.iteration(n)?;
                format!("if i == {k}:\n{}", indent(&self.spawn()?))
            }
        };
        Ok(s)
    }

    /// A callee `fK(v)`: it may change state or raise at one call (by argument), call
    /// the next callee (deeper inlined frames), and start a thread.
    fn callee(&mut self, k: u32, n: u32) -> Result<String> {
        let mut body = String::new();
        body += "    global G\n";
        if self.u.arbitrary()? {
            let at = self.iteration(n)?;
            let ch = self.change_global()?;
            body += &format!("    if v == {at}:\n        {ch}\n");
        }
        if self.below(3)? == 0 {
            let at = self.iteration(n)?;
            let exc = self.pick(&["ValueError(v)", "KeyError(v)", "ZeroDivisionError"])?;
            body += &format!("    if v == {at}:\n        raise {exc}\n");
        }
        if self.threads && self.below(3)? == 0 {
            let at = self.iteration(n)?;
            body += &format!("    if v == {at}:\n        {}\n", self.spawn()?);
        }
        let ret = match self.below(5)? {
            0 if k < 2 => format!("f{}(v) + 1", k + 1),
            1 => "v + G".into(),
            2 => "v * 2".into(),
            3 => "C.k + v".into(),
            _ => "v".into(),
        };
        body += &format!("    return {ret}\n");
        Ok(format!("def f{k}(v):\n{body}"))
    }

    /// A change of module or class state a callee or `__init__` can make.
    fn change_global(&mut self) -> Result<String> {
        let v = self.value()?;
        Ok(match self.below(6)? {
            0 => format!("G = {v}"),
            1 => format!("C.k = {v}"),
            2 => "builtins.abs = _fake_abs".into(),
            3 => format!("L.append({v})"),
            4 => "C.m = _m2".into(),
            _ => format!("D.k = {v}"),
        })
    }

    fn hot_function(&mut self, name: &str) -> Result<String> {
        let n = 40 + self.below(360)?;
        let mut body = String::new();
        let nstmts = 1 + self.below(6)?;
        for _ in 0..nstmts {
            body += &self.stmt(n, 0)?;
            body.push('\n');
        }
        let init = |v: &str| v.to_string();
        let a0 = init(if self.u.arbitrary()? { "1" } else { "1.0" });
        let mut s = format!(
            "def {name}(N):\n    global G, H\n    a = {a0}\n    b = 2\n    t = 0\n    ec = 0\n    em = ''\n    o = D(1)\n    cl = mk(0)\n    gq = gen(N)\n"
        );
        let header = match self.below(6)? {
            0 => "for i in range(N):".to_string(),
            1 => "i = -1\n    while i < N - 1:\n        i += 1".to_string(),
            2 => "for i in gen(N):".to_string(),
            3 => "for i in list(range(N)):".to_string(),
            4 => {
                // Nested: the hot loop runs three times, changes fire each time.
                s += "    for r in range(3):\n";
                "    for i in range(N // 3):".to_string()
            }
            _ => "for i in range(N):\n        if i % 7 == 3:\n            continue".to_string(),
        };
        let extra = if header.starts_with("    for") { 2 } else { 1 };
        s += &format!("    {header}\n");
        for line in body.lines() {
            s += &"    ".repeat(extra + 1);
            s += line;
            s.push('\n');
        }
        s += "    return a, b, t, ec, em\n";
        Ok(format!("{s}\n\nN_{name} = {n}\n"))
    }

    fn init_body(&mut self, n: u32) -> Result<String> {
        let mut s = String::from("        global G\n        self.x = v\n");
        if self.below(3)? == 0 {
            let at = self.iteration(n)?;
            s += &format!(
                "        if v == {at}:\n            {}\n",
                self.change_global()?
            );
        }
        if self.threads && self.below(4)? == 0 {
            let at = self.iteration(n)?;
            s += &format!("        if v == {at}:\n            {}\n", self.spawn()?);
        }
        Ok(s)
    }
}

fn indent(s: &str) -> String {
    s.lines()
        .map(|l| format!("    {l}"))
        .collect::<Vec<_>>()
        .join("\n")
}

/// The fixed part before the generated functions (the `THREADED` line is the
/// second).
const PRELUDE: &str = r#"import builtins
THREADED = 1
import threading
_real_abs = builtins.abs
_real_len = builtins.len
_threads = []
RESULTS = {}


SPAWNS = [0]


def spawn(join, fn, *args):
    # At most six starts from the main program (the same in both versions).
    SPAWNS[0] += 1
    if SPAWNS[0] <= 6:
        _start(join, fn, *args)


def _start(join, fn, *args):
    # A thread, or (single-threaded reference run) the same work inline.
    if THREADED:
        th = threading.Thread(target=fn, args=args)
        th.start()
        if join:
            th.join()
        else:
            _threads.append(th)
    else:
        fn(*args)


def private_work(id, n):
    # Touches nothing another thread changes: deterministic when concurrent.
    class P:
        def __init__(self, v):
            self.v = v
    s = 0
    p = P(0)
    for q in range(n):
        s = (s * 31 + q) % 65521
        if q == n // 2:
            s = s + 0.5
            p = P(1.5)
        s = s + p.v
    if id % 3 == 0 and id < 4:
        _start(1, private_work, id + 10, n // 2)
    RESULTS[id] = s


def shared_work(id, n):
    # Runs while the starter waits (joined at once): may use and change shared state.
    global G
    s = 0
    for q in range(n):
        s = s + q + (G if type(G) is int else 1)
        if q == n // 2:
            C.k = q
            L.append(q)
    RESULTS[id] = s


def _fake_abs(v):
    return 7


def _fake_len(v):
    return 3


class C:
    k = 1
    x = 0

    def m(self, v):
        return v + self.k


def _m2(self, v):
    return v * 2


class D(C):
    def __init__(self, v):
        self.x = v


class E(C):
    k = 4


def _init2(self, v):
    self.x = v + 1
    self.z = v


def setg(v):
    global G
    G = v


def gen(n):
    for q in range(n):
        yield q


def mk(c):
    def inc(v):
        nonlocal c
        c = c + v
        return c
    return inc


G = 3
H = 2
L = [1, 2, 3]
"#;

/// Reset the state a run changed, so the next run starts from the same place.
const RESET: &str = "builtins.abs = _real_abs\nbuiltins.len = _real_len\nglobals().pop('abs', None)\nC.k = 1\nC.m = _m_orig\nD.__init__ = _init_orig\nif 'k' in D.__dict__:\n    del D.k\nL[:] = [1, 2, 3]\nG = 3\nH = 2\n";

/// Generate a program from `u`. With `threads`, thread starts are mixed in (and some
/// programs run their threads concurrently, on private data).
pub fn generate(u: &mut Unstructured, threads: bool) -> Result<Program> {
    let concurrent = threads && u.arbitrary::<u8>()? % 3 == 0;
    let mut g = Gen {
        u,
        threads,
        spawns: 0,
        concurrent,
        stmts: 0,
    };
    let n = 40 + g.below(360)?;
    let mut src = PRELUDE.to_string();
    src = src.replacen(
        "class D(C):\n    def __init__(self, v):\n        self.x = v\n",
        &format!(
            "class D(C):\n    def __init__(self, v):\n{}",
            g.init_body(n)?
        ),
        1,
    );
    src += "_m_orig = C.m\n_init_orig = D.__init__\n\n\n";
    for k in 0..3 {
        src += &g.callee(k, n)?;
        src += "\n\n";
    }
    let nfuncs = 1 + g.below(2)?;
    let mut names = Vec::new();
    for k in 0..nfuncs {
        let name = format!("run{k}");
        src += &g.hot_function(&name)?;
        src += "\n\n";
        names.push(name);
    }
    for name in &names {
        src += &format!(
            "try:\n    print('{name}', {name}(N_{name}))\nexcept Exception as e:\n    print('{name} raised', type(e).__name__, e)\n"
        );
        let results = if concurrent {
            ""
        } else {
            ", sorted(RESULTS.items())"
        };
        src += &format!("print('state', G, H, C.k, L[:6], _real_len(L){results})\n{RESET}");
    }
    src += "for th in _threads:\n    th.join()\nprint('threads', sorted(RESULTS.items()))\n";
    let single = src.replacen("THREADED = 1", "THREADED = 0", 1);
    Ok(Program {
        source_threaded: src,
        source_single: single,
        spawns: g.spawns,
        concurrent,
    })
}
