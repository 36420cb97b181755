//! The runtime's side of tier 2: the hook through which the JIT compiles hot loops,
//! and what the interpreter needs to run a compiled trace and leave it.
//!
//! A trace runs on the tier-1 frame itself (its locals and value stack), so leaving
//! it only needs the instruction to resume at and the stack depth there: each exit
//! number maps to one `Exit`.
pub mod branch_history;
pub mod helpers;
pub mod reason;
pub mod recorder;
pub mod table;
pub mod watch;

use std::sync::OnceLock;
use std::sync::atomic::{AtomicU64, Ordering};

use stitch_stencils::frame::FrameHeader;
use stitch_stencils::value::RawValue;

use crate::counters::{Counter, Section};
use crate::types::code::CodeObj;
use crate::value::Value;
pub use reason::{Abort, ExitReason};

/// Something that runs a trace: machine code (`-X jit=on`) or the uop interpreter
/// (`-X jit=uops`).
pub trait TraceCode: Send + Sync {
    /// Run the trace on `frame` whose stack top is `sp`; returns the exit number.
    ///
    /// # Safety
    /// `frame` is the live frame of the code object the trace was compiled for, at the
    /// loop head, with the stack depth it was compiled for.
    unsafe fn run(&self, frame: *mut FrameHeader, sp: *mut RawValue) -> usize;
    /// Bytes of machine code (0 for interpreted traces).
    fn code_bytes(&self) -> usize;
    /// Address of the machine code's entry (0 for interpreted traces).
    fn entry_addr(&self) -> usize {
        0
    }
    /// Make exit `n` jump straight to machine code at `target` (a side trace) instead
    /// of returning; false if this trace cannot (interpreted, or out of reach).
    fn link_exit(&self, _n: usize, _target: usize) -> bool {
        false
    }
}

/// Side traces per loop trace (its side traces' side traces included).
pub const MAX_SIDES: usize = 16;

/// Where tier 1 resumes after exit `n`.
#[derive(Clone, Copy, Debug)]
pub struct Exit {
    /// Instruction index to resume at.
    pub ip: u32,
    /// Value-stack depth above the loop head's (for the loop's trace and its side
    /// traces alike; may be negative), or above the pushed frame's stack base when
    /// `frame_depth > 0`.
    pub depth: i32,
    /// Why the trace left here (for stats).
    pub reason: ExitReason,
    /// The instruction at `ip` ran and raised (`CALL_HELPER_ERR`): tier 1 handles the
    /// pending exception (`helpers::take_raised`) as if that instruction had raised.
    pub error: bool,
    /// Taken often, this exit means the trace no longer fits the loop: compile it
    /// again (`exit_taken`). False for exits that are normal control flow.
    pub recompile: bool,
    /// A branch guard's exit: whether the trace followed the jump (`Some(true)`) or
    /// the fall-through. Taken often, it gets a side trace down the other way.
    pub followed: Option<bool>,
    /// A `FOR_ITER` found its iterator exhausted: the trace popped it and resumes
    /// tier 1 past the loop (`ip` is the loop's exit). Taken often, it gets a side
    /// trace from there (into the enclosing loop's trace, typically).
    pub loop_end: bool,
    /// Stack slots holding references the trace borrowed (did not count) when it left
    /// here: bit `k` is the slot `k` below the exit's stack top. `run_loop` counts them
    /// before tier 1, which owns every stack reference, resumes.
    pub borrowed: u32,
    /// Frames the trace had pushed (inlined calls) when it left here: 0 resumes the
    /// loop's frame (`depth` above the entry depth); more resumes the VM's current
    /// frame, the innermost pushed one (`depth` above its stack base).
    pub frame_depth: u8,
}

impl Exit {
    /// A guard's exit in the loop's frame: resume at `ip` with `depth`; taken often,
    /// the loop is compiled again.
    pub fn guard(ip: u32, depth: i32, reason: ExitReason) -> Exit {
        Exit {
            ip,
            depth,
            reason,
            recompile: true,
            ..Exit::UNUSED
        }
    }

    /// Exit number 0 of every trace: never taken (0 means "no exit" in the IR).
    pub const UNUSED: Exit = Exit {
        ip: 0,
        depth: 0,
        reason: ExitReason::Unused,
        error: false,
        recompile: false,
        followed: None,
        loop_end: false,
        borrowed: 0,
        frame_depth: 0,
    };
}

/// What to compile: a loop (`start == head`), or a side trace that starts at a hot
/// exit of the loop's trace (a branch's other way, or the loop's end) and runs to a
/// back edge.
#[derive(Clone, Copy, Debug)]
pub struct TraceRequest {
    pub head: usize,
    /// The back edge (`JUMP_BACKWARD`).
    pub jump: usize,
    pub start: usize,
    /// Stack depth at `start` above the loop head's.
    pub entry_depth: i32,
    /// The loop head's stack top, as an index into the frame's localsplus: a trace
    /// may jump into another loop's trace only at the same stack depth.
    pub head_sp: u32,
    /// For a side trace: the way its first branch goes (the other way from the parent).
    pub first_branch: Option<bool>,
    /// The trace's number (`table`): exit `n` is reported as `id << table::SHIFT | n`.
    pub id: u32,
    /// The loop trace's number (`id` itself for a loop trace, the parent's for a side
    /// trace).
    pub root: u32,
    /// How many times the loop was recompiled before this trace.
    pub generation: u32,
    /// The loop frame's globals and builtins (alive while it compiles), whose entries
    /// the trace may load as constants.
    pub dicts: Dicts,
}

/// A frame's globals dict and the builtins module (see `TraceRequest::dicts`), as raw
/// values (0: none).
#[derive(Clone, Copy, Debug, Default)]
pub struct Dicts {
    pub globals: u64,
    pub builtins_module: u64,
}

impl Dicts {
    /// The dicts of `frame`, whose VM's builtins module is `builtins`.
    ///
    /// # Safety
    /// `frame` is a live frame.
    pub unsafe fn of(frame: *const FrameHeader, builtins: RawValue) -> Dicts {
        Dicts {
            // SAFETY: a live frame's globals field is a strong reference.
            globals: unsafe { (*frame).globals }.0,
            builtins_module: builtins.0,
        }
    }
}

/// A compiled loop. Lives for the rest of the process (code is never freed yet).
pub struct CompiledTrace {
    pub code: Box<dyn TraceCode>,
    /// Its number, its loop trace's, its loop's back edge, the loop head's stack top
    /// and generation (from the `TraceRequest`).
    pub id: u32,
    pub root: u32,
    pub jump: u32,
    pub head_sp: u32,
    pub generation: u32,
    /// Its validity flag (cleared when an assumption it relies on breaks) and the
    /// watched dicts it relies on (`DictData::identity`): a trace jumping into this
    /// one relies on them too.
    pub validity: Option<stitch_sync::shim::Arc<stitch_sync::patchpoint::Assumption>>,
    pub watched: Vec<usize>,
    /// Time the compiler took (translate, optimize, emit), in nanoseconds.
    pub compile_ns: u64,
    /// Indexed by exit number (0 is unused: traces loop until an exit).
    pub exits: Vec<Exit>,
    /// Times each exit was taken (for `-X stats`).
    pub exit_counts: Vec<AtomicU64>,
    /// Side traces attached to exits (hot branch or loop-end exits of loop traces),
    /// and how many were compiled.
    pub side: Vec<OnceLock<&'static CompiledTrace>>,
    pub sides_taken: std::sync::atomic::AtomicUsize,
    /// A loop trace's iterations (its `COUNT` uop adds to it) and entries from tier 1:
    /// how many iterations an entry pays for.
    pub iterations: Option<std::sync::Arc<AtomicU64>>,
    pub entries: AtomicU64,
    /// The eval-breaker word its `CHECK_BREAKER` loads (its thread's), kept alive.
    pub breaker: Option<std::sync::Arc<stitch_sync::shim::AtomicU32>>,
    /// The thread that compiled it, the only one that runs it: its uops were patched
    /// with this thread's id (the owner's fast paths of biased reference counting)
    /// and its eval-breaker word. See "Traces per thread" in `docs/architecture.md`.
    pub owner: u64,
    /// The same loop's trace of another thread (a chain of at most `MAX_OWNERS`,
    /// starting at the trace in the back edge's record; loop traces only; protocol in
    /// `stitch_sync::owner_chain`).
    pub next_owner: stitch_sync::owner_chain::Link<CompiledTrace>,
    /// Back edges of this loop taken by threads with no trace in the chain, and
    /// their compilations that aborted (counted on the chain's first trace; set to
    /// `MAX_ATTEMPTS` once the chain is full: no more foreign compilations).
    pub foreign: AtomicU64,
    pub foreign_aborts: AtomicU64,
}

impl CompiledTrace {
    pub fn new(
        code: Box<dyn TraceCode>,
        req: &TraceRequest,
        exits: Vec<Exit>,
        compile_ns: u64,
    ) -> CompiledTrace {
        let exit_counts = exits.iter().map(|_| AtomicU64::new(0)).collect();
        let side = exits.iter().map(|_| OnceLock::new()).collect();
        CompiledTrace {
            code,
            id: req.id,
            root: req.root,
            jump: req.jump as u32,
            head_sp: req.head_sp,
            generation: req.generation,
            validity: None,
            watched: Vec::new(),
            compile_ns,
            exits,
            exit_counts,
            side,
            sides_taken: std::sync::atomic::AtomicUsize::new(0),
            iterations: None,
            entries: AtomicU64::new(0),
            breaker: None,
            owner: crate::object::current_tid(),
            next_owner: stitch_sync::owner_chain::Link::new(),
            foreign: AtomicU64::new(0),
            foreign_aborts: AtomicU64::new(0),
        }
    }

    /// The counter the trace's `COUNT` uop adds to.
    pub fn with_iterations(mut self, c: Option<std::sync::Arc<AtomicU64>>) -> CompiledTrace {
        self.iterations = c;
        self
    }

    /// The eval-breaker word the trace loads.
    pub fn with_breaker(
        mut self,
        b: Option<std::sync::Arc<stitch_sync::shim::AtomicU32>>,
    ) -> CompiledTrace {
        self.breaker = b;
        self
    }

    /// The trace's validity flag and the dicts it watches.
    pub fn with_deps(
        mut self,
        validity: Option<stitch_sync::shim::Arc<stitch_sync::patchpoint::Assumption>>,
        watched: Vec<usize>,
    ) -> CompiledTrace {
        self.validity = validity;
        self.watched = watched;
        self
    }

    /// Do the assumptions it was compiled under still hold?
    pub fn is_valid(&self) -> bool {
        self.validity.as_ref().is_none_or(|v| v.holds())
    }

    /// Its loop trace (itself for a loop trace).
    fn root(&'static self) -> &'static CompiledTrace {
        match table::decode((self.root as usize) << table::SHIFT) {
            Some((r, _)) => r,
            None => self,
        }
    }

    /// This loop's trace for thread `tid`, in the chain that starts here.
    pub fn for_thread(&'static self, tid: u64) -> Option<&'static CompiledTrace> {
        stitch_sync::owner_chain::find(self, tid)
    }

    /// Add `trace` (this thread's) at the end of the chain that starts here; false
    /// when the chain is full.
    fn append(&'static self, trace: &'static CompiledTrace) -> bool {
        // SAFETY: traces are leaked (never freed or moved), and a new trace is in no
        // chain yet.
        unsafe { stitch_sync::owner_chain::append(self, trace, MAX_OWNERS) }
    }

    /// Is it the trace installed at its back edge (for a side trace: is its loop's)?
    fn installed_in(&'static self, co: &CodeObj) -> bool {
        installed(co, self.jump as usize).is_some_and(|t| std::ptr::eq(t, self.root()))
    }
}

impl stitch_sync::owner_chain::Chained for CompiledTrace {
    fn owner(&self) -> u64 {
        self.owner
    }
    fn link(&self) -> &stitch_sync::owner_chain::Link<CompiledTrace> {
        &self.next_owner
    }
}

/// Loop traces per back edge: one per thread that ran the loop hot, up to this many
/// (later threads run it in tier 1).
pub const MAX_OWNERS: usize = 8;

/// The current thread's loop trace installed at back edge `i` of `co`, if any.
pub fn installed(co: &CodeObj, i: usize) -> Option<&'static CompiledTrace> {
    installed_chain(co, i)?.for_thread(crate::object::current_tid())
}

/// The first loop trace installed at back edge `i` of `co` (any thread's), if any.
fn installed_chain(co: &CodeObj, i: usize) -> Option<&'static CompiledTrace> {
    let op = crate::instructions::Op::JUMP_BACKWARD_JIT;
    // An unhooked back edge keeps its record: the live code unit says.
    if co.quick.unit(i)? & 0xff != op as u32 {
        return None;
    }
    let rec = crate::specialize::exec::record(co, i, op)?;
    // SAFETY: a `JUMP_BACKWARD_JIT` record's value is a `&'static CompiledTrace` stored
    // by `install`.
    Some(unsafe { &*(rec.first().value.0 as *const CompiledTrace) })
}

/// Objects traces rely on staying alive (the code of functions they inline: their
/// call guards compare code pointers). Released at exit (`release_held`), so the
/// live-object count at shutdown stays exact; traces never run after that.
static HELD: std::sync::Mutex<Vec<Value>> = std::sync::Mutex::new(Vec::new());

/// Keep `v` alive for as long as traces may run.
pub fn hold(v: Value) {
    HELD.lock().unwrap_or_else(|p| p.into_inner()).push(v);
}

/// At shutdown: drop what `hold` kept.
pub fn release_held() {
    // A recording that never reached its compilation still holds callees.
    recorder::stop();
    let v = std::mem::take(&mut *HELD.lock().unwrap_or_else(|p| p.into_inner()));
    drop(v);
}

/// Compile what `TraceRequest` asks for, or say why not.
pub type CompileFn = fn(&CodeObj, &TraceRequest) -> Result<&'static CompiledTrace, Abort>;

static COMPILER: OnceLock<CompileFn> = OnceLock::new();

/// Installed by the JIT at startup (`-X jit=on`).
pub fn set_compiler(f: CompileFn) {
    if COMPILER.set(f).is_ok() {
        branch_history::enable();
        crate::thread_state::on_multi_threaded(branch_history::disable);
    }
}

pub fn compiler() -> Option<CompileFn> {
    COMPILER.get().copied()
}

/// Exit number of every trace's entry patchpoint (its validity flag).
pub const PATCHPOINT_EXIT: usize = 1;

/// Put the generic back edge at `i` back: for good (`again` false: the loop keeps
/// failing, or its record arena is full), or to warm up and compile
/// again (a watched global changed; the translator stops promoting globals of dicts
/// that keep changing).
pub fn unhook(co: &CodeObj, i: usize, again: bool) {
    unhook_uncounted(co, i, again);
    Counter::TracesUnhooked.incr();
}

/// `unhook` for a reason counted elsewhere (`TracesUnprofitable`).
fn unhook_uncounted(co: &CodeObj, i: usize, again: bool) {
    co.quick.set_counter(i, if again { 0 } else { u16::MAX });
    co.quick.despecialize(i, co.code[i]);
}

/// Iterations (of a loop, or runs from an exit) whose calls tier 1 records before the
/// loop or the exit's side trace is compiled. The translator follows each branch's hot
/// side, which the last single iteration need not have taken: recording one iteration
/// left calls on the hot path unrecorded, so not followed (richards, deltablue).
const RECORD_BEFORE: u64 = 4;

/// Back edges a loop takes before it is compiled (default; `-X jit-hot`).
pub const HOT_LOOP: u16 = 64;
static HOT_LOOP_NOW: AtomicU64 = AtomicU64::new(HOT_LOOP as u64);

/// `-X jit-hot=N`: compile loops after `n` back edges and attach side traces to exits
/// taken `4 * n` times (defaults 64 and 256). Small values make every program a stress
/// test of the JIT: loops are compiled before tier 1 has specialized all of them, and
/// exits grow side traces early.
pub fn set_hotness(n: u16) {
    let n = n.clamp(1, u16::MAX - 1);
    HOT_LOOP_NOW.store(n as u64, Ordering::Relaxed);
    HOT_EXIT_NOW.store(4 * n as u64, Ordering::Relaxed);
}

/// A tier-1 back edge at `i` (to `head`) was taken with the stack top at `sp`
/// (localsplus index): count it, and compile the loop when it is hot. A compiled
/// loop's back edge becomes `JUMP_BACKWARD_JIT`, whose record holds the trace; a loop
/// that cannot be compiled is never tried again. `dicts` gives the frame's dicts
/// (asked only when compiling).
pub fn back_edge(
    co: &CodeObj,
    i: usize,
    head: usize,
    sp: usize,
    compile: CompileFn,
    dicts: impl FnOnce() -> Dicts,
) {
    let c = co.quick.counter(i);
    if c == u16::MAX {
        return;
    }
    let hot = HOT_LOOP_NOW.load(Ordering::Relaxed) as u16;
    if c < hot {
        let start = hot.saturating_sub(RECORD_BEFORE as u16);
        if c == start {
            if waiting(co, i, start as u64 + 1) {
                // Its last compilation aborted not long ago: count again.
                co.quick.set_counter(i, 0);
                return;
            }
            // The last iterations before compilation are recorded: which functions
            // their calls reach.
            recorder::start();
        }
        co.quick.set_counter(i, c + 1);
        return;
    }
    co.quick.set_counter(i, u16::MAX);
    install(co, i, head, sp as u32, compile, 0, dicts());
    recorder::stop();
}

/// Compile `req` under a fresh trace number and publish it in the table.
fn compile_numbered(
    co: &CodeObj,
    compile: CompileFn,
    mut req: TraceRequest,
) -> Result<&'static CompiledTrace, Abort> {
    req.id = table::reserve().ok_or(Abort::TooManyTraces)?;
    if req.root == 0 {
        req.root = req.id;
    }
    let trace = compile(co, &req)?;
    table::publish(trace);
    Ok(trace)
}

/// Compile the loop at `i` (back edge) / `head` and publish it as `JUMP_BACKWARD_JIT`,
/// whose record holds the trace.
fn install(
    co: &CodeObj,
    i: usize,
    head: usize,
    head_sp: u32,
    compile: CompileFn,
    generation: u32,
    dicts: Dicts,
) {
    let req = TraceRequest {
        head,
        jump: i,
        start: head,
        entry_depth: 0,
        head_sp,
        first_branch: None,
        id: 0,
        root: 0,
        generation,
        dicts,
    };
    match compile_numbered(co, compile, req) {
        Ok(trace) => {
            let rec =
                crate::specialize::Record::new(crate::instructions::Op::JUMP_BACKWARD_JIT, 0, 0)
                    .with_value(RawValue(trace as *const CompiledTrace as u64));
            let word = co.code[i];
            let op = crate::instructions::Op::JUMP_BACKWARD_JIT as u32;
            if co.quick.publish(i, (word & !0xff) | op, Some(rec)) {
                if let Some(r) = RETRIES.lock().unwrap_or_else(|p| p.into_inner()).as_mut() {
                    r.remove(&(co as *const CodeObj as usize, i));
                }
                if generation == 0 {
                    Counter::TracesCompiled.incr();
                } else {
                    Counter::TracesRecompiled.incr();
                }
            } else {
                unhook(co, i, false);
            }
        }
        Err(reason) => {
            abort(reason);
            if generation > 0 {
                unhook(co, i, false);
            } else {
                retry_later(co, i);
            }
        }
    }
}

/// A thread without a trace in the chain starting at `first` took the loop's back edge
/// `i` (stack top `sp` at the loop head): count it, and compile this thread's trace of
/// the loop when it is hot (its uops patched for this thread), appended to the chain.
fn foreign_back_edge(
    co: &CodeObj,
    i: usize,
    first: &'static CompiledTrace,
    sp: usize,
    dicts: impl FnOnce() -> Dicts,
) {
    let Some(compile) = compiler() else { return };
    if first.foreign_aborts.load(Ordering::Relaxed) >= MAX_ATTEMPTS as u64 {
        return;
    }
    let hot = HOT_LOOP_NOW.load(Ordering::Relaxed);
    let c = first.foreign.fetch_add(1, Ordering::Relaxed) + 1;
    if c % hot == hot.saturating_sub(RECORD_BEFORE) {
        recorder::start();
    }
    if !c.is_multiple_of(hot) {
        return;
    }
    let req = TraceRequest {
        head: (co.code[i] >> 8) as usize,
        jump: i,
        start: (co.code[i] >> 8) as usize,
        entry_depth: 0,
        head_sp: sp as u32,
        first_branch: None,
        id: 0,
        root: 0,
        generation: first.generation,
        dicts: dicts(),
    };
    match compile_numbered(co, compile, req) {
        Ok(trace) => {
            if first.append(trace) {
                Counter::TracesCompiled.incr();
                Counter::ThreadTraces.incr();
            } else {
                // The chain is full (`MAX_OWNERS` threads): later threads run this
                // loop in tier 1 rather than compile traces nothing can reach.
                first
                    .foreign_aborts
                    .store(MAX_ATTEMPTS as u64, Ordering::Relaxed);
            }
        }
        Err(reason) => {
            abort(reason);
            first.foreign_aborts.fetch_add(1, Ordering::Relaxed);
        }
    }
    recorder::stop();
}

/// Compilations of one loop that abort before it is left to tier 1 for good.
const MAX_ATTEMPTS: u32 = 5;

/// Loops whose compilation aborted, by (code address, back edge): attempts so far, and
/// back edges tier 1 runs before the next one. An entry goes when the loop compiles.
type Retries = std::collections::HashMap<(usize, usize), (u32, u64)>;

static RETRIES: std::sync::Mutex<Option<Retries>> = std::sync::Mutex::new(None);

/// The loop at `co`/`i` could not be compiled: try again after `32 * hot * 4^k` back
/// edges (the `k`-th abort; `hot` is `-X jit-hot`, so 8192 for the first retry by
/// default, and a stress run with `-X jit-hot=1` retries after 128 rather than never
/// retrying a loop whose first attempt met unspecialized instructions), up to
/// `MAX_ATTEMPTS` attempts. What the translator follows comes
/// from tier 1's recent behaviour (branch histories, specializations, recorded calls),
/// which can change: mandelbrot on a large grid starts with rows whose points escape at
/// once, so the inner loop's first translation follows its `break` out of the loop and
/// aborts; later rows loop long.
fn retry_later(co: &CodeObj, i: usize) {
    let key = (co as *const CodeObj as usize, i);
    let mut r = RETRIES.lock().unwrap_or_else(|p| p.into_inner());
    let (attempts, wait) = r.get_or_insert_default().entry(key).or_insert((0, 0));
    *attempts += 1;
    *wait = (HOT_LOOP_NOW.load(Ordering::Relaxed) * 32) << (2 * *attempts);
    if *attempts < MAX_ATTEMPTS {
        // Count back edges again (`back_edge` asks `waiting` before compiling).
        co.quick.set_counter(i, 0);
    }
}

/// Is the loop at `co`/`i` waiting to be compiled again (`retry_later`)? Counts `n`
/// more back edges against its wait.
fn waiting(co: &CodeObj, i: usize, n: u64) -> bool {
    let key = (co as *const CodeObj as usize, i);
    let mut r = RETRIES.lock().unwrap_or_else(|p| p.into_inner());
    match r.as_mut().and_then(|r| r.get_mut(&key)) {
        Some((_, wait)) if *wait > 0 => {
            *wait = wait.saturating_sub(n);
            true
        }
        _ => false,
    }
}

/// Times one exit of a trace is taken before the loop is compiled again (default;
/// `-X jit-hot`).
pub const HOT_EXIT: u64 = 256;
static HOT_EXIT_NOW: AtomicU64 = AtomicU64::new(HOT_EXIT);
/// Recompilations of one loop before it is left to tier 1 for good.
pub const MAX_RECOMPILES: u32 = 3;

/// Exit `n` of `trace` (a loop's trace, or one of its side traces) was taken: count
/// it. When a guard exit of a loop trace gets hot, the loop no longer fits the trace
/// (types or entry state changed): compile it again from what tier 1 has seen since
/// (its specializations and branch histories have adapted), up to `MAX_RECOMPILES`
/// times, then leave the loop to tier 1. When a branch exit or the loop's end gets
/// hot, compile a side trace from there and attach it to the exit. Exits that are
/// normal control flow (a partial trace's end, an exception, a broken assumption) do
/// neither.
pub fn exit_taken(
    co: &CodeObj,
    trace: &'static CompiledTrace,
    n: usize,
    dicts: impl FnOnce() -> Dicts,
) {
    // A plain load and store, not a read-modify-write: traces run on the thread that
    // compiled them (others only take the entry patchpoint's exit), and a lost count
    // only delays a recompilation.
    let cell = &trace.exit_counts[n];
    let c = cell.load(Ordering::Relaxed) + 1;
    cell.store(c, Ordering::Relaxed);
    let hot = HOT_EXIT_NOW.load(Ordering::Relaxed);
    if c + RECORD_BEFORE == hot {
        let e = &trace.exits[n];
        if e.followed.is_some() || e.loop_end || e.recompile {
            // Record what tier 1 calls from here for the side trace or recompilation
            // (other exits compile nothing).
            recorder::start();
        }
    }
    if c != hot {
        return;
    }
    compile_at_hot_exit(co, trace, n, dicts);
    recorder::stop();
}

/// Exit `n` of `trace` got hot: compile its side trace, or the loop again.
fn compile_at_hot_exit(
    co: &CodeObj,
    trace: &'static CompiledTrace,
    n: usize,
    dicts: impl FnOnce() -> Dicts,
) {
    let e = trace.exits[n];
    let i = trace.jump as usize;
    let head = (co.code[i] >> 8) as usize;
    let Some(compile) = compiler() else { return };
    if e.followed.is_some() || e.loop_end {
        // Side traces grow from side traces too (a tree rooted at the loop's trace,
        // `MAX_SIDES` per loop).
        if trace.root().sides_taken.fetch_add(1, Ordering::Relaxed) >= MAX_SIDES {
            return;
        }
        let req = TraceRequest {
            head,
            jump: i,
            start: e.ip as usize,
            entry_depth: e.depth,
            head_sp: trace.head_sp,
            first_branch: e.followed.map(|f| !f),
            id: 0,
            root: trace.root,
            generation: trace.generation,
            dicts: dicts(),
        };
        match compile_numbered(co, compile, req) {
            Ok(s) => {
                if trace.side[n].set(s).is_ok() {
                    Counter::SideTraces.incr();
                    // Machine code: the exit jumps into the side trace directly.
                    trace.code.link_exit(n, s.code.entry_addr());
                }
            }
            Err(reason) => abort(reason),
        }
        return;
    }
    if !e.recompile || trace.root != trace.id || !trace.installed_in(co) {
        return;
    }
    if trace.generation >= MAX_RECOMPILES {
        unhook(co, i, false);
        return;
    }
    install(
        co,
        i,
        head,
        trace.head_sp,
        compile,
        trace.generation + 1,
        dicts(),
    );
}

static ABORTS: std::sync::Mutex<Vec<(Abort, u64)>> = std::sync::Mutex::new(Vec::new());

fn abort(reason: Abort) {
    let mut a = ABORTS.lock().unwrap_or_else(|p| p.into_inner());
    match a.iter_mut().find(|(r, _)| *r == reason) {
        Some((_, n)) => *n += 1,
        None => a.push((reason, 1)),
    }
}

/// `-X stats` lines for tier 2.
pub fn report() -> String {
    // Every entry ends in exactly one exit.
    let entries: u64 = table::all()
        .iter()
        .flat_map(|t| t.exit_counts.iter())
        .map(|c| c.load(Ordering::Relaxed))
        .sum();
    let mut s = format!(
        "[stitch stats] tier 2: {}, trace entries {entries}, trace exits {entries}\n",
        crate::counters::line(Section::Tier2),
    );
    {
        let traces = table::all();
        if !traces.is_empty() {
            let mut ns: Vec<u64> = traces.iter().map(|t| t.compile_ns).collect();
            ns.sort_unstable();
            let bytes: usize = traces.iter().map(|t| t.code.code_bytes()).sum();
            s.push_str(&format!(
                "  compile time per trace: median {:.1} us, max {:.1} us; code bytes {} ({} per trace)\n",
                ns[ns.len() / 2] as f64 / 1000.0,
                ns[ns.len() - 1] as f64 / 1000.0,
                bytes,
                bytes / traces.len()
            ));
        }
    }
    {
        let traces = table::all();
        let (mut entries, mut iters, mut loops) = (0u64, 0u64, 0);
        let mut per: Vec<f64> = Vec::new();
        for t in traces.iter() {
            if let Some(c) = &t.iterations {
                let (e, n) = (t.entries.load(Ordering::Relaxed), c.load(Ordering::Relaxed));
                loops += 1;
                entries += e;
                iters += n;
                if e > 0 {
                    per.push(n as f64 / e as f64);
                }
            }
        }
        if loops > 0 {
            per.sort_by(|a, b| a.total_cmp(b));
            s.push_str(&format!(
                "  loop traces {loops}: entered {entries} times for {iters} iterations ({:.1} per entry; per trace median {:.1}, min {:.1})\n",
                iters as f64 / entries.max(1) as f64,
                per.get(per.len() / 2).copied().unwrap_or(0.0),
                per.first().copied().unwrap_or(0.0),
            ));
        }
    }
    let a = ABORTS.lock().unwrap_or_else(|p| p.into_inner());
    for (r, n) in a.iter() {
        s.push_str(&format!("  trace aborted: {r}: {n}\n"));
    }
    let mut by_reason: Vec<(ExitReason, u64)> = Vec::new();
    for t in table::all() {
        for (e, c) in t.exits.iter().zip(&t.exit_counts) {
            let c = c.load(Ordering::Relaxed);
            if c == 0 {
                continue;
            }
            match by_reason.iter_mut().find(|(r, _)| *r == e.reason) {
                Some((_, n)) => *n += c,
                None => by_reason.push((e.reason, c)),
            }
        }
    }
    by_reason.sort_by_key(|r| std::cmp::Reverse(r.1));
    for (r, n) in by_reason {
        s.push_str(&format!("  trace exit: {r}: {n}\n"));
    }
    s
}

/// Entries between profitability checks of a loop trace.
pub const PROFIT_CHECK: u64 = 2048;
/// Fewest loop iterations per entry, in tenths, for a loop trace to stay installed
/// (`-X jit-min-iters`; 0 keeps every trace). A trace starts at the back edge, so a
/// loop entered for n iterations passes its head n times in the trace (the last pass
/// finds it finished) after running the first iteration in tier 1. Below two passes
/// the trace runs no iteration at all; the threshold is that floor, not a tuned
/// optimum (measured: 2 or 3 moved go, fannkuch, nbody and deltablue by at most 5%).
static MIN_ITERS_X10: AtomicU64 = AtomicU64::new(20);

/// Set the profitability threshold (iterations per entry).
pub fn set_min_iterations(per_entry: f64) {
    MIN_ITERS_X10.store((per_entry * 10.0).round() as u64, Ordering::Relaxed);
}

/// Does the loop trace run enough iterations per entry (over its first `entries`) to
/// pay for entering it? Iterations count passes through the loop head, including the
/// one that finds the loop finished.
fn pays(trace: &CompiledTrace, entries: u64) -> bool {
    match &trace.iterations {
        Some(c) => {
            c.load(Ordering::Relaxed) * 10 >= MIN_ITERS_X10.load(Ordering::Relaxed) * entries
        }
        None => true,
    }
}

/// The localsplus of `at`: `lp` if it is the loop's frame.
///
/// # Safety
/// `at` is a live frame.
unsafe fn lp_of(at: *mut FrameHeader, frame: *mut FrameHeader, lp: *mut RawValue) -> *mut RawValue {
    if at == frame {
        lp
    } else {
        // SAFETY: see the contract.
        unsafe { FrameHeader::localsplus(at) }
    }
}

/// Count the references a trace borrowed in the stack slots below `lp[sp]` that
/// `mask` names (bit `k`: slot `sp - 1 - k`), so tier 1 owns every stack reference.
///
/// # Safety
/// Those slots hold live objects (their locals keep them alive).
unsafe fn own_borrowed(lp: *mut RawValue, sp: usize, mask: u32) {
    for k in 0..32 {
        if mask & (1 << k) != 0 {
            // SAFETY: see the contract; `Value` is a transparent `RawValue`.
            let v = unsafe { &*(lp.add(sp - 1 - k) as *const Value) };
            std::mem::forget(v.clone());
        }
    }
}

/// Where tier 1 resumes after a trace: instruction, stack top, frame.
pub type Resume = (usize, usize, *mut FrameHeader);

/// Run the loop trace of the back edge at `i` (whose record is `rec`) on `frame`, with
/// its side traces, until control returns to tier 1: `Ok((ip, sp, frame))` where to
/// resume (a frame the trace pushed for an inlined call, or `frame`), or `Err((ip, sp,
/// frame, exception))` for an instruction in a trace that raised (tier 1 handles it as
/// if the instruction at `ip - 1` of that frame had raised). Kept out of line: inlined
/// into the interpreter loop, it made every other instruction slower (register
/// pressure; measured +13% instructions on nbody in tier 1).
///
/// # Safety
/// `frame` is the live innermost frame of `co`, at the loop head with the stack depth
/// the trace was compiled for; `lp` is its localsplus and `sp` its stack top (an
/// index into `lp`).
#[inline(never)]
pub unsafe fn run_loop(
    vm: &mut crate::vm::Vm,
    co: &CodeObj,
    i: usize,
    rec: &crate::specialize::Record,
    frame: *mut FrameHeader,
    lp: *mut RawValue,
    mut sp: usize,
) -> Result<Resume, (Resume, crate::vm::PyErr)> {
    // Asked only when an exit compiles something.
    let builtins = vm.builtins.raw();
    // SAFETY: `frame` is live for this call (the caller's contract); the VM's builtins
    // module is never replaced.
    let dicts = move || unsafe { Dicts::of(frame, builtins) };
    // SAFETY: the record's value is a `&'static CompiledTrace` stored by `install`.
    let first = unsafe { &*(rec.first().value.0 as *const CompiledTrace) };
    let Some(trace) = first.for_thread(crate::object::current_tid()) else {
        // Another thread's trace: this thread takes the back edge as tier 1 does, and
        // compiles its own trace of the loop once the loop is hot here too.
        foreign_back_edge(co, i, first, sp, dicts);
        return Ok(((co.code[i] >> 8) as usize, sp, frame));
    };
    helpers::set_trace_vm(vm);
    let entries = trace.entries.load(Ordering::Relaxed) + 1;
    trace.entries.store(entries, Ordering::Relaxed);
    if entries % PROFIT_CHECK == 0 && !pays(trace, entries - 1) {
        // Entered often for few iterations: entering and leaving cost more than the
        // trace saves. Tier 1 runs this loop from now on.
        Counter::TracesUnprofitable.incr();
        unhook_uncounted(co, i, false);
    }
    // SAFETY: the caller's contract is the trace's.
    let mut raw = unsafe { trace.code.run(frame, lp.add(sp)) };
    loop {
        // Which trace left: machine code may have jumped into other traces (side
        // traces, other loops' traces of this frame).
        let Some((t, n)) = table::decode(raw) else {
            unreachable!("exit {raw:#x} of an unknown trace")
        };
        // Machine code links only this thread's traces (`installed` answers per
        // thread): a trace patched for another thread must never have run here.
        assert_eq!(
            t.owner, trace.owner,
            "a trace ran on a thread that does not own it"
        );
        if n == PATCHPOINT_EXIT && t.installed_in(co) {
            // A watched global changed: back to the plain back edge, to be compiled
            // again (every thread's trace of the loop goes: they load the same
            // globals).
            unhook(co, t.jump as usize, true);
        }
        exit_taken(co, t, n, dicts);
        let e = t.exits[n];
        let ip = e.ip as usize;
        let at = if e.frame_depth > 0 {
            // Left inside an inlined call: tier 1 resumes in the innermost pushed
            // frame (the VM's current one), `depth` above its stack base.
            let at = vm.frame;
            // SAFETY: the trace's pushed frames are live and linked to `frame`.
            sp = unsafe { (*at).nlocalsplus as usize } + e.depth as usize;
            at
        } else {
            // Depths in the loop's frame are relative to the head of the loop of the
            // trace that left.
            sp = (t.head_sp as i64 + e.depth as i64) as usize;
            frame
        };
        if e.borrowed != 0 {
            // SAFETY: the slots below `sp` are live stack slots of `at`, and the
            // borrowed ones hold objects their locals keep alive.
            unsafe { own_borrowed(lp_of(at, frame, lp), sp, e.borrowed) };
        }
        if e.error {
            // The instruction at `ip` ran in the trace and raised.
            if let Some(err) = helpers::take_raised() {
                return Err(((ip + 1, sp, at), err));
            }
            return Ok((ip + 1, sp, at));
        }
        if let Some(err) = helpers::take_raised() {
            // A helper that cannot undo what raised (a generic `FOR_ITER`'s `__next__`)
            // left by its first exit, its inputs in place: raise at `ip`.
            return Err(((ip + 1, sp, at), err));
        }
        if e.frame_depth > 0 {
            return Ok((ip, sp, at));
        }
        if vm.trace.use_tracing != 0 {
            // A trace or profile function was set while the trace ran (it left at
            // its breaker check): tier 1 runs on, traced.
            return Ok((ip, sp, frame));
        }
        // A hot exit continues in its side trace (when machine code did not jump
        // there itself).
        if let Some(s) = t.side[n].get() {
            // SAFETY: the side trace was compiled for this exit: this frame, this
            // instruction, this stack depth.
            raw = unsafe { s.code.run(frame, lp.add(sp)) };
            continue;
        }
        // A trace that ran to a compiled loop's back edge goes straight into that
        // loop's trace (when machine code did not jump there itself).
        if let Some(next) = installed(co, ip).filter(|r| r.head_sp as usize == sp) {
            if vm.poll_breaker() {
                // A signal handler to run: tier 1 runs it at this back edge.
                return Ok((ip, sp, frame));
            }
            // SAFETY: as for the first entry: this frame, that loop's head depth.
            raw = unsafe { next.code.run(frame, lp.add(sp)) };
            continue;
        }
        return Ok((ip, sp, frame));
    }
}
