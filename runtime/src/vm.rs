//! The per-thread VM state and the call machinery.
//!
//! A `Vm` is one Python thread's state: its data stack of frames, the exception being
//! handled, recursion depth, and buffered standard output. Process-wide state (builtin
//! types) lives in the World (`world.rs`).

use stitch_stencils::frame::{ENTRY, ENTRY_DRAINED, FRAME_OWNED_BY_GENERATOR, FrameHeader};
use stitch_stencils::value::RawValue;

use crate::frame::{DataStack, clear_frame, frame_code, frame_words, init_frame};
use crate::object::ObjCell;
use crate::types::class::{TypeData, as_type, type_data_raw};
use crate::types::code::{CO_VARARGS, CO_VARKEYWORDS, CodeObj};
use crate::types::dict::DictObj;
use crate::types::func::{BuiltinFuncObj, CellObj, FuncObj, MethodObj};
use crate::types::generator::{GenKind, GenObj, GenState};
use crate::types::instance::{ExcData, Instance};
use crate::types::str::{as_str, new_str};
use crate::types::tuple::TupleObj;
use crate::value::Value;
use crate::world::types;

/// A consumer of a generator's values that runs no Python code (`Vm::gen_next_draining`):
/// None when it took the value, or the value handed back for its caller to deal with.
pub type DrainSink<'a> = dyn FnMut(Value) -> Option<Value> + 'a;

/// A raised Python exception (an exception instance).
#[derive(Debug)]
pub struct PyErr {
    pub exc: Value,
}

pub type PyResult<T> = Result<T, PyErr>;

/// Arguments of a call, vectorcall style: positional values, then one value per
/// keyword name in `kwnames` (str values), in order.
pub struct Args<'a> {
    pub args: &'a [Value],
    pub kwnames: &'a [Value],
}

impl<'a> Args<'a> {
    pub fn new(args: &'a [Value]) -> Args<'a> {
        Args { args, kwnames: &[] }
    }
    pub fn pos(&self) -> &'a [Value] {
        &self.args[..self.args.len() - self.kwnames.len()]
    }
    pub fn kw(&self) -> impl Iterator<Item = (&'a str, &'a Value)> {
        let n = self.args.len() - self.kwnames.len();
        self.kwnames
            .iter()
            .zip(self.args[n..].iter())
            .map(|(k, v)| (as_str(k).unwrap_or(""), v))
    }
    pub fn get_kw(&self, name: &str) -> Option<&'a Value> {
        self.kw().find(|(k, _)| *k == name).map(|(_, v)| v)
    }
    pub fn has_kw(&self) -> bool {
        !self.kwnames.is_empty()
    }
}

pub use crate::options::Options;

pub struct Vm {
    pub builtins: Value,
    pub modules: Value,
    pub stack: DataStack,
    /// The innermost running frame, or null.
    pub frame: *mut FrameHeader,
    pub depth: u32,
    pub recursion_limit: u32,
    pub native_depth: u32,
    /// The exception the innermost generator (or the thread, outside generators) is
    /// handling, or NULL: CPython's `tstate->exc_info->exc_value`.
    pub handled: Value,
    /// The `handled` of each generator's resumer, innermost last: CPython's chain of
    /// `_PyErr_StackItem`s below a running generator's own `gi_exc_state`.
    pub outer_handled: Vec<Value>,
    /// What takes the `yield`s of an entry frame marked `ENTRY_DRAINED`
    /// (`Vm::gen_next_draining`): set for the length of that frame's run.
    pub drain_sink: Option<std::ptr::NonNull<DrainSink<'static>>>,
    /// `sys.set_coroutine_origin_tracking_depth` (per thread, as in CPython).
    pub coro_origin_depth: u32,
    pub argv: Vec<String>,
    pub opts: Options,
    pub main_path: String,
    /// This thread's eval-breaker word (see `thread_state`).
    pub breaker: std::sync::Arc<stitch_sync::shim::AtomicU32>,
    /// `sys.set_asyncgen_hooks` (firstiter, finalizer), NULL when unset; per thread,
    /// as in CPython.
    pub asyncgen_hooks: (Value, Value),
    /// This thread's current `contextvars.Context`, NULL until first used (per
    /// thread, as in CPython; see `modules/contextvars.rs`).
    pub context: Value,
    /// `_asyncio`'s running loop of this thread and the pid that set it (a forked
    /// child does not see its parent's loop); NULL until set.
    pub running_loop: (Value, u32),
    /// `sys.settrace` / `sys.setprofile` (per thread, as in CPython; `trace.rs`).
    pub trace: crate::trace::TraceState,
}

/// A VM built for another thread, on its way there.
pub struct ThreadVm(Vm);

// SAFETY: the VM holds references (shared objects are reference counted atomically
// by non-owners and containers lock in multi-threaded mode) and its own empty frame
// stack; it is handed over whole to the thread that will run it.
unsafe impl Send for ThreadVm {}

impl ThreadVm {
    /// On the new OS thread: register as `tid` and take the VM.
    pub fn attach(self, tid: u64) -> Vm {
        let mut vm = self.0;
        vm.breaker = crate::thread_state::register_current(tid);
        vm
    }
}

/// Native re-entry into the interpreter is bounded independently of the Python
/// recursion limit, so the native stack can never overflow.
pub const MAX_NATIVE_DEPTH: u32 = 20_000;

/// The most positional arguments `call_function` passes without binding by name.
const EXACT_MAX: usize = 4;

impl Vm {
    pub fn new(argv: Vec<String>, opts: Options) -> Vm {
        crate::world::init_world();
        let mut vm = Vm {
            builtins: Value::NULL,
            modules: DictObj::new_value(),
            stack: DataStack::new(),
            frame: std::ptr::null_mut(),
            depth: 0,
            recursion_limit: 1000,
            native_depth: 0,
            handled: Value::NULL,
            outer_handled: Vec::new(),
            drain_sink: None,
            coro_origin_depth: 0,
            argv,
            opts,
            main_path: String::new(),
            breaker: crate::thread_state::register_current(1),
            asyncgen_hooks: (Value::NULL, Value::NULL),
            context: Value::NULL,
            running_loop: (Value::NULL, 0),
            trace: Default::default(),
        };
        crate::modules::signal::install_startup(&vm.breaker);
        crate::builtins::init_modules(&mut vm);
        crate::shared_immortal::world_ready();
        vm
    }

    /// A VM for a new thread `tid`, sharing this one's modules, builtins and
    /// options. Call `attach_thread` on the new OS thread before running code.
    pub fn for_thread(&self) -> ThreadVm {
        ThreadVm(Vm {
            builtins: self.builtins.clone(),
            modules: self.modules.clone(),
            stack: DataStack::new(),
            frame: std::ptr::null_mut(),
            depth: 0,
            recursion_limit: self.recursion_limit,
            native_depth: 0,
            handled: Value::NULL,
            outer_handled: Vec::new(),
            drain_sink: None,
            coro_origin_depth: 0,
            argv: self.argv.clone(),
            opts: self.opts.clone(),
            main_path: self.main_path.clone(),
            breaker: std::sync::Arc::new(stitch_sync::shim::AtomicU32::new(0)),
            asyncgen_hooks: (Value::NULL, Value::NULL),
            context: Value::NULL,
            running_loop: (Value::NULL, 0),
            trace: Default::default(),
        })
    }

    /// Check the eval breaker (back edges and calls): one relaxed load. True when a
    /// signal is pending (the caller runs `modules::signal::run_pending` where it
    /// can raise).
    #[inline(always)]
    pub fn poll_breaker(&self) -> bool {
        self.poll_breaker_bits() & crate::modules::signal::BREAK_SIGNAL != 0
    }

    /// `poll_breaker`, returning the bits that were set (0 on the fast path).
    #[inline(always)]
    pub fn poll_breaker_bits(&self) -> u32 {
        let bits = self.breaker.load(stitch_sync::shim::Ordering::Relaxed);
        if bits != 0 {
            crate::thread_state::handle_breaker(bits);
        }
        bits
    }

    pub fn builtins_dict(&self) -> &DictObj {
        // SAFETY: `builtins` is a module object set up by `init_modules`.
        let m = unsafe {
            self.builtins
                .payload_unchecked::<crate::types::module::ModuleObj>()
        };
        m.dict()
    }

    /// Write out what the original `sys.stdout` has buffered (before blocking waits,
    /// before tracebacks, at exit).
    pub fn flush_stdout(&mut self) {
        crate::modules::io::stdout_flush(self);
    }

    // ---- exceptions -----------------------------------------------------------------

    /// A new exception instance of builtin type `ty` with `args`.
    pub fn new_exception(&mut self, ty: RawValue, args: Vec<Value>) -> Value {
        let cls = Value::from_borrowed(ty);
        new_instance_of(&cls, args)
    }

    pub fn err(&mut self, ty: RawValue, msg: impl Into<String>) -> PyErr {
        let m = new_str(&msg.into());
        PyErr {
            exc: self.new_exception(ty, vec![m]),
        }
    }

    pub fn type_error(&mut self, msg: impl Into<String>) -> PyErr {
        self.err(types().type_error, msg)
    }
    pub fn value_error(&mut self, msg: impl Into<String>) -> PyErr {
        self.err(types().value_error, msg)
    }
    pub fn index_error(&mut self, msg: impl Into<String>) -> PyErr {
        self.err(types().index_error, msg)
    }
    pub fn attribute_error(&mut self, msg: impl Into<String>) -> PyErr {
        self.err(types().attribute_error, msg)
    }
    pub fn zero_division(&mut self, msg: impl Into<String>) -> PyErr {
        self.err(types().zero_division_error, msg)
    }
    pub fn overflow_error(&mut self, msg: impl Into<String>) -> PyErr {
        self.err(types().overflow_error, msg)
    }
    pub fn runtime_error(&mut self, msg: impl Into<String>) -> PyErr {
        self.err(types().runtime_error, msg)
    }
    pub fn key_error(&mut self, key: Value) -> PyErr {
        PyErr {
            exc: self.new_exception(types().key_error, vec![key]),
        }
    }
    pub fn stop_iteration(&mut self, value: Value) -> PyErr {
        let args = if value.is_none() {
            vec![]
        } else {
            vec![value.clone()]
        };
        let exc = self.new_exception(types().stop_iteration, args);
        set_exc_value(&exc, value);
        PyErr { exc }
    }
    pub fn recursion_error(&mut self) -> PyErr {
        self.err(types().recursion_error, "maximum recursion depth exceeded")
    }

    /// CPython's `_Py_EnterRecursiveCall`: a native path that can re-enter itself with
    /// no Python frame in between (`__repr__ = __str__`, an instance's `__call__` that is
    /// an instance, ...) counts against the recursion limit, so it ends in a
    /// RecursionError rather than overflowing the native stack. `what` is CPython's
    /// suffix (" while getting the repr of an object"). Pair with `leave_recursive`.
    pub fn enter_recursive(&mut self, what: &str) -> PyResult<()> {
        if self.depth >= self.recursion_limit || self.native_depth >= MAX_NATIVE_DEPTH {
            return Err(self.err(
                types().recursion_error,
                format!("maximum recursion depth exceeded{what}"),
            ));
        }
        self.depth += 1;
        self.native_depth += 1;
        Ok(())
    }

    /// Undo one `enter_recursive`.
    pub fn leave_recursive(&mut self) {
        self.depth -= 1;
        self.native_depth -= 1;
    }

    /// Is `err` an instance of the builtin exception type `ty` (or a subclass)?
    pub fn err_matches(&self, err: &PyErr, ty: RawValue) -> bool {
        err.exc.type_data().is_subtype_raw(ty)
    }

    // ---- calls --------------------------------------------------------------------------

    /// Call any callable with positional arguments.
    pub fn call(&mut self, f: &Value, args: &[Value]) -> PyResult<Value> {
        self.call_kw(f, args, &[])
    }

    /// Call with keyword names: the last `kwnames.len()` of `args` are keyword values.
    pub fn call_kw(&mut self, f: &Value, args: &[Value], kwnames: &[Value]) -> PyResult<Value> {
        if let Some(func) = f.downcast::<FuncObj>() {
            return self.call_function(f, func, args, kwnames);
        }
        if let Some(b) = f.downcast::<BuiltinFuncObj>() {
            let fp = b.f;
            if b.self_.is_null() {
                let npos = args.len().saturating_sub(kwnames.len());
                crate::types::method_receiver::check(self, b, &args[..npos])?;
                return fp(self, &Args { args, kwnames });
            }
            let mut full = Vec::with_capacity(args.len() + 1);
            full.push(b.self_.clone());
            full.extend_from_slice(args);
            return fp(
                self,
                &Args {
                    args: &full,
                    kwnames,
                },
            );
        }
        if let Some(m) = f.downcast::<MethodObj>() {
            let mut full = Vec::with_capacity(args.len() + 1);
            full.push(m.self_.clone());
            full.extend_from_slice(args);
            let func = m.func.clone();
            return self.call_kw(&func, &full, kwnames);
        }
        if as_type(f).is_some() {
            return crate::builtins::call_type(self, f, &Args { args, kwnames });
        }
        if f.is_ptr()
            && let Some(c) = crate::types::native::call_slot(f)
        {
            return c(self, f, &Args { args, kwnames });
        }
        if f.type_data().kind == crate::types::class::Kind::StaticMethod
            && let Some(inner) = crate::types::misc::wrapped_func(f)
        {
            // Staticmethods are callable (3.10+).
            return self.call_kw(&inner, args, kwnames);
        }
        if let Some(call) = lookup_special(f, "__call__") {
            // The `__call__` found may itself be an instance with a `__call__`, and so
            // on without end (`A.__call__ = A()`): as CPython's `_PyObject_Call`, count
            // the call against the recursion limit.
            self.enter_recursive(" while calling a Python object")?;
            let mut full = Vec::with_capacity(args.len() + 1);
            full.push(f.clone());
            full.extend_from_slice(args);
            let r = self.call_kw(&call, &full, kwnames);
            self.leave_recursive();
            return r;
        }
        let tn = f.type_data().name.clone();
        Err(self.type_error(format!("'{tn}' object is not callable")))
    }

    /// Call a Python function from native code (runs a nested interpreter loop).
    pub fn call_function(
        &mut self,
        fv: &Value,
        func: &FuncObj,
        args: &[Value],
        kwnames: &[Value],
    ) -> PyResult<Value> {
        // Positional arguments a plain function takes as they are (operators' special
        // methods, sort keys, callbacks): the frame is filled without binding by name.
        let n = args.len();
        if kwnames.is_empty() && n <= EXACT_MAX && func.takes_positionally(n) {
            let mut tmp = [const { std::mem::MaybeUninit::<Value>::uninit() }; EXACT_MAX];
            for (slot, a) in tmp.iter_mut().zip(args) {
                slot.write(a.clone());
            }
            // SAFETY: the first `n` slots of `tmp` hold owned values (`MaybeUninit<Value>`
            // has `Value`'s layout), which `push_frame_exact` moves on success and leaves
            // alone otherwise.
            match unsafe { self.push_frame_exact(fv, func, tmp.as_ptr() as *const Value, n) } {
                Some(Ok(frame)) => {
                    // SAFETY: `frame` was just pushed and initialised.
                    unsafe { (*frame).is_entry = ENTRY };
                    return crate::interp::run(self, frame).map(|(v, _)| v);
                }
                r => {
                    for slot in &mut tmp[..n] {
                        // SAFETY: not moved (see above); each is dropped once.
                        unsafe { slot.assume_init_drop() };
                    }
                    if let Some(Err(e)) = r {
                        return Err(e);
                    }
                }
            }
        }
        let frame = self.make_frame(fv, func, args, kwnames)?;
        let Some(frame) = frame else {
            // A generator function: make_frame built the generator.
            return Ok(self.take_pending_generator());
        };
        // SAFETY: `frame` was just pushed and initialised by `make_frame`.
        unsafe { (*frame).is_entry = ENTRY };
        crate::interp::run(self, frame).map(|(v, _)| v)
    }

    /// The generator (coroutine, async generator) object a call of the generator
    /// function `func` makes: its frame, with the arguments bound, not yet started.
    pub fn new_generator(
        &mut self,
        fv: &Value,
        func: &FuncObj,
        args: &[Value],
        kwnames: &[Value],
    ) -> PyResult<Value> {
        let co = func.code();
        let (words, _) = frame_words(co);
        let prefix = crate::types::generator::GEN_FRAME_PREFIX;
        let mem = vec![0u64; prefix + words].into_boxed_slice();
        let gen_obj = GenObj::new(
            mem,
            GenState::Created,
            func.name.get_clone(),
            func.qualname.get_clone(),
            GenKind::of_flags(co.flags),
            func.code_value(),
        );
        let f = gen_obj.frame_ptr();
        // SAFETY: fresh zeroed memory of the right size, owned by the generator.
        unsafe {
            init_frame(
                f,
                func.code_slot.get(),
                fv,
                &func.globals,
                FRAME_OWNED_BY_GENERATOR,
            )
        };
        let ty = gen_obj.kind.type_raw();
        let g = Value::alloc_with_type(&Value::from_borrowed(ty), gen_obj);
        if let Some(go) = crate::types::generator::gen_payload(&g) {
            go.set_owner(&g);
        }
        // Bind arguments into the generator's frame; on error the generator (and
        // its frame) is dropped.
        if let Err(e) = self.bind_args(f, fv, func, args, kwnames) {
            drop(g);
            return Err(e);
        }
        if ty == crate::world::types().coroutine {
            crate::builtins::coroutines::on_create(self, &g);
        }
        Ok(g)
    }

    /// Build the frame for calling `func`. Returns None for generator functions, whose
    /// generator object is left in `pending_gen` for the caller.
    pub fn make_frame(
        &mut self,
        fv: &Value,
        func: &FuncObj,
        args: &[Value],
        kwnames: &[Value],
    ) -> PyResult<Option<*mut FrameHeader>> {
        let co = func.code();
        if co.is_generator() {
            let g = self.new_generator(fv, func, args, kwnames)?;
            self.pending_gen_slot(g);
            return Ok(None);
        }
        if self.depth >= self.recursion_limit {
            return Err(self.recursion_error());
        }
        let f = crate::frame::push_frame_memory(&mut self.stack, co);
        // SAFETY: `push` returned zeroed memory of the requested size.
        unsafe {
            init_frame(
                f,
                func.code_slot.get(),
                fv,
                &func.globals,
                crate::frame::OWNED_BY_THREAD,
            )
        };
        if let Err(e) = self.bind_args(f, fv, func, args, kwnames) {
            // SAFETY: the frame was initialised above and never ran.
            unsafe { clear_frame(f) };
            self.stack.pop(f);
            return Err(e);
        }
        Ok(Some(f))
    }

    /// The fast path of a call from the interpreter: a plain Python function called
    /// with its positional parameters (missing trailing ones taken from its defaults; no
    /// keywords, *args or cells).
    /// The arguments are moved from the caller's stack into the new frame. Returns None
    /// when the call does not qualify (nothing was moved).
    ///
    /// # Safety
    /// `args` must point to `n` owned values the caller gives up on success.
    pub unsafe fn push_frame_exact(
        &mut self,
        fv: &Value,
        func: &FuncObj,
        args: *const Value,
        n: usize,
    ) -> Option<PyResult<*mut FrameHeader>> {
        // SAFETY: the caller's contract; `fv` is only borrowed.
        unsafe { self.push_frame_exact_from(fv, false, func, args, n) }
    }

    /// [`Self::push_frame_exact`] that also moves the callable into the frame: on
    /// success the frame owns the reference `*callable` held (the caller must not
    /// release it); otherwise nothing was moved. The interpreter's calls use it, so a
    /// call costs no reference count on the function.
    ///
    /// # Safety
    /// As `push_frame_exact`; `callable` points to an owned value (the function).
    pub unsafe fn push_frame_exact_moving(
        &mut self,
        callable: *const Value,
        func: &FuncObj,
        args: *const Value,
        n: usize,
    ) -> Option<PyResult<*mut FrameHeader>> {
        // SAFETY: the caller's contract.
        unsafe { self.push_frame_exact_from(callable, true, func, args, n) }
    }

    #[inline(always)]
    unsafe fn push_frame_exact_from(
        &mut self,
        fv: *const Value,
        take: bool,
        func: &FuncObj,
        args: *const Value,
        n: usize,
    ) -> Option<PyResult<*mut FrameHeader>> {
        let co = func.code();
        if !func.takes_positionally(n) {
            return None;
        }
        if self.depth >= self.recursion_limit {
            return Some(Err(self.recursion_error()));
        }
        let nlp = co.nlocalsplus();
        let f = self
            .stack
            .push_uninit(FrameHeader::words_for(nlp + co.stacksize));
        // SAFETY: `f` is `words_for(nlocalsplus + stacksize)` words of this thread's data
        // stack. The header is written whole and every local slot once: the arguments
        // moved (not copied) into the parameter slots, defaults and closure cells as new
        // references, the rest NULL, then new cells over NULL cell slots (a parameter
        // that is a cell moves into it; the value stack above is written before it is
        // read). Not zeroing the memory first saves a `memset` call per call.
        unsafe {
            std::ptr::write(
                f,
                FrameHeader {
                    code: func.code_raw(),
                    func: if take {
                        std::ptr::read(fv).into_raw()
                    } else {
                        (*fv).clone().into_raw()
                    },
                    globals: func.globals.raw(),
                    previous: std::ptr::null_mut(),
                    instr: 0,
                    stack_top: nlp as u32,
                    nlocalsplus: nlp as u32,
                    capacity: (nlp + co.stacksize) as u32,
                    owner: crate::frame::OWNED_BY_THREAD,
                    is_entry: 0,
                    is_init: 0,
                    has_object: 0,
                    _pad: [0; 4],
                    depth: 0,
                    trace_line: 0,
                },
            );
            let lp = FrameHeader::localsplus(f) as *mut Value;
            // Small counts by hand: `copy_nonoverlapping` of a run-time length is a
            // call to `memcpy`.
            match n {
                0 => {}
                1 => std::ptr::write(lp, std::ptr::read(args)),
                2 => {
                    std::ptr::write(lp, std::ptr::read(args));
                    std::ptr::write(lp.add(1), std::ptr::read(args.add(1)));
                }
                _ => std::ptr::copy_nonoverlapping(args, lp, n),
            }
            let mut k = n;
            if n < co.argcount {
                func.defaults.with(|d| {
                    if let Some(t) = d.downcast_exact::<TupleObj>() {
                        let first = t.items.len() - (co.argcount - n);
                        for v in t.items[first..].iter() {
                            std::ptr::write(lp.add(k), v.clone());
                            k += 1;
                        }
                    }
                });
            }
            while k < nlp {
                std::ptr::write(lp.add(k) as *mut RawValue, RawValue::NULL);
                k += 1;
            }
            make_cells(lp, func);
        }
        Some(Ok(f))
    }

    fn pending_gen_slot(&mut self, g: Value) {
        PENDING_GEN.with(|p| *p.borrow_mut() = Some(g));
    }

    pub fn take_pending_generator(&mut self) -> Value {
        PENDING_GEN
            .with(|p| p.borrow_mut().take())
            .unwrap_or_else(Value::none)
    }

    /// Bind call arguments into a fresh frame's locals (Python's full rules), then
    /// create cells.
    fn bind_args(
        &mut self,
        f: *mut FrameHeader,
        _fv: &Value,
        func: &FuncObj,
        args: &[Value],
        kwnames: &[Value],
    ) -> PyResult<()> {
        let co = func.code();
        // SAFETY: the frame was initialised for this code; slots are NULL.
        let lp = unsafe { FrameHeader::localsplus(f) as *mut Value };
        let set = |i: usize, v: Value| {
            // SAFETY: i < nlocalsplus (checked by construction of the code object).
            unsafe {
                let old = std::ptr::replace(lp.add(i), v);
                drop(old);
            }
        };
        // SAFETY: as above; reads of initialised slots.
        let is_set = |i: usize| unsafe { !(*lp.add(i)).is_null() };
        let npos = args.len() - kwnames.len();
        let argcount = co.argcount;
        let has_varargs = co.flags & CO_VARARGS != 0;
        let has_varkw = co.flags & CO_VARKEYWORDS != 0;
        let fast = npos == argcount
            && kwnames.is_empty()
            && !has_varargs
            && !has_varkw
            && co.kwonlyargcount == 0;
        if fast {
            for (i, a) in args.iter().enumerate() {
                set(i, a.clone());
            }
        } else {
            for (i, a) in args[..npos.min(argcount)].iter().enumerate() {
                set(i, a.clone());
            }
            let vararg_slot = argcount + co.kwonlyargcount;
            if has_varargs {
                let extra = if npos > argcount {
                    &args[argcount..npos]
                } else {
                    &[][..]
                };
                set(vararg_slot, TupleObj::from_slice(extra));
            } else if npos > argcount {
                let name = func.qualname_str();
                let nd = func
                    .defaults
                    .with(|d| d.downcast::<TupleObj>().map(|t| t.items.len()).unwrap_or(0));
                let takes = if nd > 0 {
                    format!(
                        "from {} to {} positional arguments",
                        argcount - nd,
                        argcount
                    )
                } else {
                    format!(
                        "{} positional argument{}",
                        argcount,
                        if argcount == 1 { "" } else { "s" }
                    )
                };
                let was = if npos == 1 { "was" } else { "were" };
                return Err(
                    self.type_error(format!("{name}() takes {takes} but {npos} {was} given"))
                );
            }
            let kwdict = if has_varkw {
                let d = DictObj::new_value();
                let slot = vararg_slot + has_varargs as usize;
                set(slot, d.clone());
                Some(d)
            } else {
                None
            };
            let total = argcount + co.kwonlyargcount;
            for (k, v) in kwnames.iter().zip(args[npos..].iter()) {
                let kname = as_str(k).unwrap_or("");
                let pos = co.localsplus_names[co.posonlyargcount..total]
                    .iter()
                    .position(|n| n == kname);
                match pos {
                    Some(p) => {
                        let idx = p + co.posonlyargcount;
                        if is_set(idx) {
                            let name = func.qualname_str();
                            return Err(self.type_error(format!(
                                "{name}() got multiple values for argument '{kname}'"
                            )));
                        }
                        set(idx, v.clone());
                    }
                    None => match &kwdict {
                        Some(d) => {
                            // SAFETY: kwdict is a dict object.
                            let dd = unsafe { d.payload_unchecked::<DictObj>() };
                            dd.set(self, k.clone(), v.clone())?;
                        }
                        None => {
                            let name = func.qualname_str();
                            let posonly = &co.localsplus_names[..co.posonlyargcount];
                            let is_posonly = posonly.iter().any(|n| n == kname);
                            let msg = if is_posonly {
                                let passed: Vec<&str> = kwnames
                                    .iter()
                                    .filter_map(|k| as_str(k))
                                    .filter(|k| posonly.iter().any(|n| n == k))
                                    .collect();
                                format!(
                                    "{name}() got some positional-only arguments passed as keyword arguments: '{}'",
                                    passed.join(", ")
                                )
                            } else {
                                format!("{name}() got an unexpected keyword argument '{kname}'")
                            };
                            return Err(self.type_error(msg));
                        }
                    },
                }
            }
            // Defaults for missing positional parameters (the tuple held, not copied).
            let defaults_tuple = func.defaults.get_clone();
            let defaults: &[Value] = defaults_tuple
                .downcast::<TupleObj>()
                .map_or(&[], |t| &t.items[..]);
            let first_default = argcount - defaults.len().min(argcount);
            let mut missing = vec![];
            for i in 0..argcount {
                if !is_set(i) {
                    if i >= first_default {
                        set(i, defaults[i - first_default].clone());
                    } else {
                        missing.push(co.localsplus_names[i].clone());
                    }
                }
            }
            if !missing.is_empty() {
                return Err(self.missing_args(func, &missing, "positional"));
            }
            let kwdefaults = if (argcount..total).any(|i| !is_set(i)) {
                func.kwdefaults.get_clone()
            } else {
                Value::NULL
            };
            let mut missing = vec![];
            for i in argcount..total {
                if !is_set(i) {
                    let name = &co.localsplus_names[i];
                    let d = kwdefaults
                        .downcast::<DictObj>()
                        .and_then(|d| d.get_str(name));
                    match d {
                        Some(v) => set(i, v),
                        None => missing.push(name.clone()),
                    }
                }
            }
            if !missing.is_empty() {
                return Err(self.missing_args(func, &missing, "keyword-only"));
            }
        }
        // SAFETY: the parameters are bound; the frame's memory was zeroed and nothing
        // above wrote its cell or free slots.
        unsafe { make_cells(lp, func) };
        Ok(())
    }

    fn missing_args(&mut self, func: &FuncObj, missing: &[String], kind: &str) -> PyErr {
        let name = func.qualname_str();
        let n = missing.len();
        let quoted: Vec<String> = missing.iter().map(|m| format!("'{m}'")).collect();
        let list = match n {
            1 => quoted[0].clone(),
            2 => format!("{} and {}", quoted[0], quoted[1]),
            _ => format!("{}, and {}", quoted[..n - 1].join(", "), quoted[n - 1]),
        };
        self.type_error(format!(
            "{name}() missing {n} required {kind} argument{}: {list}",
            if n == 1 { "" } else { "s" }
        ))
    }

    // ---- generators ---------------------------------------------------------------------

    /// The exception being handled as `sys.exc_info()` sees it: the innermost level
    /// (running generator or thread) that handles one (`_PyErr_GetTopmostException`).
    pub fn topmost_handled(&self) -> Value {
        let live = |v: &Value| !v.is_null() && !v.is_none();
        if live(&self.handled) {
            return self.handled.clone();
        }
        self.outer_handled
            .iter()
            .rev()
            .find(|v| live(v))
            .cloned()
            .unwrap_or(Value::NULL)
    }

    /// Resume a generator with `sent` (or throw `exc` into it). Ok((value, true)) when it
    /// yielded, Ok((value, false)) when it returned.
    pub fn gen_resume(
        &mut self,
        g: &Value,
        sent: Value,
        exc: Option<Value>,
    ) -> PyResult<(Value, bool)> {
        self.gen_resume_with(g, sent, exc, None)
    }

    /// `next()` of exact generator `g`, with `sink` offered each value it yields first:
    /// its frame goes on in the same loop entry past every value the sink takes (as
    /// `next()` would resume it), where a `next()` per item would enter and leave the
    /// loop each time. Ok(Some(v)): a value the sink handed back (or one yielded while
    /// a trace function is set); Ok(None): the generator returned.
    pub(crate) fn gen_next_draining(
        &mut self,
        g: &Value,
        sink: &mut DrainSink<'_>,
    ) -> PyResult<Option<Value>> {
        let p: std::ptr::NonNull<DrainSink<'_>> = std::ptr::NonNull::from(sink);
        // SAFETY: only the lifetime bound changes; `gen_resume_with` uses the pointer
        // while this call runs (it restores the outer sink before returning), when
        // the borrow it was made from is alive.
        let p: std::ptr::NonNull<DrainSink<'static>> = unsafe { std::mem::transmute(p) };
        let (v, yielded) = self.gen_resume_with(g, Value::none(), None, Some(p))?;
        Ok(yielded.then_some(v))
    }

    /// `gen_resume`, or with a `drain` sink `gen_next_draining`'s run.
    fn gen_resume_with(
        &mut self,
        g: &Value,
        sent: Value,
        exc: Option<Value>,
        drain: Option<std::ptr::NonNull<DrainSink<'static>>>,
    ) -> PyResult<(Value, bool)> {
        // SAFETY: callers pass generator objects (generator or coroutine type).
        let gen_obj = unsafe { g.payload_unchecked::<GenObj>() };
        let state = gen_obj.state();
        let noun = gen_obj.kind.noun();
        match state {
            GenState::Running => {
                return Err(self.value_error(format!("{noun} already executing")));
            }
            GenState::Finished => {
                if gen_obj.kind == GenKind::Coroutine {
                    return Err(self.runtime_error("cannot reuse already awaited coroutine"));
                }
                if let Some(e) = exc {
                    return Err(PyErr { exc: e });
                }
                return Ok((Value::none(), false));
            }
            GenState::Created => {
                if exc.is_none() && !sent.is_none() {
                    return Err(self.type_error(format!(
                        "can't send non-None value to a just-started {noun}"
                    )));
                }
            }
            GenState::Suspended => {}
        }
        if self.native_depth >= MAX_NATIVE_DEPTH || self.depth >= self.recursion_limit {
            return Err(self.recursion_error());
        }
        // A thrown exception is raised at the `yield`: nothing is pushed for it.
        let sent = if exc.is_none() { Some(sent) } else { None };
        // Another thread resuming the same generator loses the claim here.
        let Some(f) = self.gen_begin(gen_obj, state, sent) else {
            return Err(self.value_error(format!("{noun} already executing")));
        };
        // SAFETY: the generator owns an initialised frame, claimed by this thread.
        unsafe {
            (*f).is_entry = if drain.is_none() {
                ENTRY
            } else {
                ENTRY_DRAINED
            }
        };
        if let Some(e) = &exc
            && !self.handled.is_null()
            && !self.handled.is_none()
        {
            // `_PyErr_ChainStackItem`: a thrown exception is raised while the
            // generator handles its own.
            crate::interp::chain_context(e, &self.handled.clone());
        }
        let outer_sink = std::mem::replace(&mut self.drain_sink, drain);
        let r = crate::interp::run_gen(self, f, exc);
        self.drain_sink = outer_sink;
        self.gen_end(gen_obj, matches!(r, Ok((_, true))));
        match r {
            Err(e) => Err(self.stop_escaping_generator(e, gen_obj.kind)),
            ok => ok,
        }
    }

    /// Claim the frame of `gen_obj` (found in `state`, Created or Suspended) for this
    /// thread and make it ready to run: `sent` pushed as the value of the `yield` it is
    /// suspended at (dropped for a generator not yet started; None when an exception is
    /// thrown in instead), and its own handled exception made the innermost (CPython
    /// pushes `gi_exc_state` on the thread's exc_info chain). None when another thread
    /// changed the state first. [`Vm::gen_end`] undoes it when the frame stops,
    /// whether it ran in a nested loop (`gen_resume`) or in its caller's (`FOR_ITER`,
    /// `SEND`).
    #[inline(always)]
    pub(crate) fn gen_begin(
        &mut self,
        gen_obj: &GenObj,
        state: GenState,
        sent: Option<Value>,
    ) -> Option<*mut FrameHeader> {
        if !gen_obj.claim(state) {
            return None;
        }
        let f = gen_obj.frame_ptr();
        if let Some(v) = sent
            && state == GenState::Suspended
        {
            // SAFETY: the generator owns an initialised frame, claimed by this thread
            // above; its stack has room for the `yield` expression's value.
            unsafe {
                let lp = FrameHeader::localsplus(f) as *mut Value;
                let top = (*f).stack_top as usize;
                std::ptr::write(lp.add(top), v);
                (*f).stack_top += 1;
            }
        }
        let own = gen_obj
            .exc_state
            .with(|v| std::mem::replace(v, Value::NULL));
        let outer = std::mem::replace(&mut self.handled, own);
        self.outer_handled.push(outer);
        Some(f)
    }

    /// `FOR_ITER` / `SEND`: claim generator or coroutine `g` to run in the
    /// calling loop, `sent` pushed as its `yield`'s value. None, changing nothing, when
    /// the generic path must resume it: another kind of object, a generator running or
    /// finished (the generic path raises or ends the loop), a non-None value sent to
    /// one not started (it raises), a trace or profile function set (the nested loop's
    /// entry reports the 'call'), or the recursion limit reached (it raises).
    #[inline(always)]
    pub(crate) fn gen_begin_inline(&mut self, g: &Value, sent: &Value) -> Option<*mut FrameHeader> {
        if !crate::ops::is_generator(g)
            || self.trace.use_tracing != 0
            || self.depth >= self.recursion_limit
        {
            return None;
        }
        // SAFETY: checked above: a generator or coroutine.
        let gen_obj = unsafe { g.payload_unchecked::<GenObj>() };
        let state = gen_obj.state();
        match state {
            GenState::Suspended => {}
            GenState::Created if sent.is_none() => {}
            _ => return None,
        }
        self.gen_begin(gen_obj, state, Some(sent.clone()))
    }

    /// The frame [`Vm::gen_begin`] claimed stopped running: it yielded (`suspended`:
    /// the handled exception it keeps goes back into the generator) or finished
    /// (returned or raised: its frame is released).
    #[inline(always)]
    pub(crate) fn gen_end(&mut self, gen_obj: &GenObj, suspended: bool) {
        let outer = self.outer_handled.pop().unwrap_or(Value::NULL);
        let own = std::mem::replace(&mut self.handled, outer);
        if suspended {
            if !own.is_null() && !own.is_none() {
                gen_obj.exc_state.with(|v| *v = own);
            }
            gen_obj.set_state(GenState::Suspended);
        } else {
            gen_obj.set_state(GenState::Finished);
            // SAFETY: the frame finished and is no longer linked; release what it holds.
            unsafe { clear_frame(gen_obj.frame_ptr()) };
        }
    }

    /// PEP 479: a StopIteration (or, from an async generator, StopAsyncIteration)
    /// leaving a generator's frame becomes a RuntimeError caused by it, so it cannot
    /// silently end the loop driving the generator.
    pub(crate) fn stop_escaping_generator(&mut self, e: PyErr, kind: GenKind) -> PyErr {
        let noun = kind.noun();
        let msg = if self.err_matches(&e, types().stop_iteration) {
            format!("{noun} raised StopIteration")
        } else if kind == GenKind::AsyncGenerator
            && self.err_matches(&e, types().stop_async_iteration)
        {
            "async generator raised StopAsyncIteration".to_string()
        } else {
            return e;
        };
        let new = self.runtime_error(msg);
        if let Some(d) = exc_data(&new.exc) {
            d.with(|d| {
                d.cause = e.exc.clone();
                d.context = e.exc.clone();
                d.suppress_context = true;
            });
        }
        new
    }

    // ---- helpers ------------------------------------------------------------------------------

    /// Location of the innermost frame (for warnings and errors).
    pub fn current_code(&self) -> Option<&CodeObj> {
        if self.frame.is_null() {
            None
        } else {
            // SAFETY: vm.frame is the live innermost frame.
            Some(unsafe { frame_code(self.frame) })
        }
    }
}

thread_local! {
    static PENDING_GEN: std::cell::RefCell<Option<Value>> = const { std::cell::RefCell::new(None) };
}

impl FuncObj {
    pub fn qualname_str(&self) -> String {
        let q = self.qualname.get_clone();
        as_str(&q).unwrap_or("?").to_string()
    }
}

/// Look up a special method on the type of `v` (not on the instance), as Python does;
/// the result is called with `v` first ([`receiver_first`]).
pub fn lookup_special(v: &Value, name: &str) -> Option<Value> {
    lookup_special_raw(v, name).map(receiver_first)
}

/// [`lookup_special`]'s class attribute as the type has it, for a caller that binds it
/// itself.
pub fn lookup_special_raw(v: &Value, name: &str) -> Option<Value> {
    let td = v.type_data();
    if td.native.is_some() {
        // Native types keep their special methods in their type dicts (types/native.rs).
        td.lookup(name)
    } else if td.kind.protocols_in_dict() {
        td.lookup_protocol(name)
    } else if td.kind != crate::types::class::Kind::Object && !td.is_heap {
        // `native_dunder`'s dict lookup, for the tagged singletons too (the `__bool__`
        // of NotImplemented).
        (td.kind == crate::types::class::Kind::Other)
            .then(|| td.dict.get_str(name))
            .flatten()
    } else {
        td.lookup_user(name)
    }
}

/// A special method found on a type, made callable as the protocols call it: with the
/// receiver as the first argument. Functions and method descriptors take it that way
/// already (almost every special method); any other class attribute is what CPython's
/// `lookup_maybe_method` binds first through its type's `__get__` (a staticmethod
/// `__neg__` is called with no arguments, a classmethod with the class, a user
/// descriptor with what its `__get__` returns), and one that is no descriptor is called
/// without the receiver. Those rare attributes come back wrapped in a native method that
/// does the binding when called. `None` (`__hash__ = None`) stays itself for the callers
/// that test for it.
pub fn receiver_first(f: Value) -> Value {
    if f.is_none() || takes_receiver(&f) {
        return f;
    }
    if BuiltinFuncObj::of(&f).is_some_and(|b| b.name == BOUND_SPECIAL) {
        return f;
    }
    Value::alloc(BuiltinFuncObj {
        name: BOUND_SPECIAL,
        f: call_bound_special,
        self_: f,
        owner: "",
        is_method: true,
        objclass: Value::NULL,
    })
}

/// Is the class attribute `f` called with the receiver as its first argument (a
/// function or a method descriptor), rather than bound first?
pub fn takes_receiver(f: &Value) -> bool {
    f.downcast::<FuncObj>().is_some()
        || BuiltinFuncObj::of(f).is_some_and(|b| b.is_unbound_method())
}

/// The name of [`receiver_first`]'s wrappers.
const BOUND_SPECIAL: &str = "<special method>";

/// Calls a [`receiver_first`] wrapper: `args` are the wrapped attribute, the receiver,
/// then the special method's own arguments.
fn call_bound_special(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let [attr, receiver, rest @ ..] = a.args else {
        return Err(vm.type_error("special method called without its receiver"));
    };
    let owner = receiver.type_of();
    let bound = crate::ops::bind_descriptor(vm, attr.clone(), receiver, &owner)?;
    vm.call_kw(&bound, rest, a.kwnames)
}

/// A special method that a native type implemented in Rust with a payload of its own
/// (`Kind::Other`, e.g. `re.Pattern`) defines in its own type dict. The protocols
/// (`repr`, `==`, `hash`, `[]`, ...) have no fast path for such types, so they call it
/// as they call a Python class's method.
#[inline]
pub fn native_dunder(v: &Value, name: &str) -> Option<Value> {
    if !v.is_ptr() {
        return None;
    }
    let td = v.type_data();
    if td.kind != crate::types::class::Kind::Other || td.is_heap {
        return None;
    }
    td.dict.get_str(name)
}

/// A special method defined in Python on the type of `v`, when `v` is an instance of a
/// Python subclass of a builtin type: it must win over the builtin fast paths.
#[inline]
pub fn subclass_override(v: &Value, name: &str) -> Option<Value> {
    if !v.is_ptr() {
        return None;
    }
    let td = v.type_data();
    if td.native.is_some() && td.kind != crate::types::class::Kind::Native {
        // A native type extending a builtin's layout (defaultdict) overrides it too.
        return crate::types::native::override_of(td, name).map(receiver_first);
    }
    if td.is_heap && td.kind != crate::types::class::Kind::Object {
        td.lookup_user(name).map(receiver_first)
    } else {
        None
    }
}

/// [`subclass_override`] for a special method whose presence the class caches in its
/// hook bits (`HOOK_HASH`, `HOOK_EQ`): a Python subclass of a builtin type that defines
/// none answers with no lookup.
#[inline]
pub fn subclass_hook(v: &Value, name: &str, bit: u16) -> Option<Value> {
    if !v.is_ptr() {
        return None;
    }
    let td = v.type_data();
    // Builtin types define nothing in Python; native types extending a builtin's
    // layout (defaultdict) keep the full lookup.
    if td.native.is_none() && (!td.is_heap || td.hook_bits() & bit == 0) {
        return None;
    }
    subclass_override(v, name)
}

/// Create an instance of the class `cls` (Instance layout), with exception args.
pub fn new_instance_of(cls: &Value, args: Vec<Value>) -> Value {
    let td: &TypeData = type_data_raw(cls.raw());
    if td.is_exception && td.is_subtype_raw(types().os_error) {
        return crate::builtins::os_error::new_os_error(cls, args);
    }
    new_instance_plain(cls, args)
}

/// [`new_instance_of`] without OSError's argument protocol.
pub fn new_instance_plain(cls: &Value, args: Vec<Value>) -> Value {
    let td: &TypeData = type_data_raw(cls.raw());
    let has_dict = td.has_dict || td.is_exception;
    let nslots = td.slots.as_ref().map(|s| s.len()).unwrap_or(0);
    let exc = if td.is_exception {
        // StopIteration(value): its `value` is the first argument.
        let value = match args.first() {
            Some(v) if td.is_subtype_raw(types().stop_iteration) => v.clone(),
            _ => Value::NULL,
        };
        Some(Box::new(ObjCell::new(ExcData {
            args: TupleObj::new_value(args),
            value,
            ..ExcData::default()
        })))
    } else {
        None
    };
    let inst = Instance {
        dict: if has_dict {
            DictObj::new_value()
        } else {
            Value::NULL
        },
        slots: ObjCell::new(vec![Value::NULL; nslots]),
        exc,
    };
    Value::alloc_with_type(cls, inst)
}

/// The exception state of an exception instance.
pub fn exc_data(exc: &Value) -> Option<&ObjCell<ExcData>> {
    if exc.type_data().kind != crate::types::class::Kind::Object {
        return None;
    }
    // SAFETY: Kind::Object instances are `Instance`s.
    let inst = unsafe { exc.payload_unchecked::<Instance>() };
    inst.exc.as_deref()
}

pub fn set_exc_value(exc: &Value, v: Value) {
    if let Some(d) = exc_data(exc) {
        d.with(|d| d.value = v);
    }
}

impl Vm {
    /// A KeyError with a message (not a key).
    pub fn key_error_msg(&mut self, msg: &str) -> PyErr {
        self.err(types().key_error, msg)
    }
}

impl Vm {
    /// Point `sys.path[0]` at the script's directory (not under `-P`/`-I`, whose
    /// `sys.path` has no entry for it: its first entry is the Lib's).
    pub fn set_script_path(&mut self, file: &str) {
        if self.opts.cli.safe_path {
            return;
        }
        // The script's folder as an absolute path with symlinks resolved, as CPython
        // gives it (spawned `multiprocessing` children import the script's modules by it).
        let file = std::fs::canonicalize(file)
            .map(|p| p.to_string_lossy().to_string())
            .unwrap_or_else(|_| file.to_string());
        let dir = std::path::Path::new(&file)
            .parent()
            .map(|p| p.to_string_lossy().to_string())
            .filter(|p| !p.is_empty())
            .unwrap_or_else(|| ".".to_string());
        // SAFETY: vm.modules is a dict.
        let mods = unsafe { self.modules.payload_unchecked::<DictObj>() };
        if let Some(sys) = mods.get_str("sys")
            && let Some(m) = sys.downcast::<crate::types::module::ModuleObj>()
            && let Some(p) = m.dict().get_str("path")
            && let Some(l) = p.downcast::<crate::types::list::ListObj>()
        {
            l.items.with(|v| {
                if v.is_empty() {
                    v.push(new_str(&dir));
                } else {
                    v[0] = new_str(&dir);
                }
            });
        }
    }

    /// Release the modules the program created (everything but `builtins` and `sys`)
    /// and return the number of live objects afterwards. Compared with the count taken
    /// right after start-up, this checks that an acyclic program freed everything.
    pub fn shutdown_live_objects(&mut self) -> i64 {
        self.flush_stdout();
        crate::modules::signal::clear_handlers();
        crate::modules::codecs::clear();
        crate::modules::clear_registries();
        crate::modules::posix::process::clear_fork_hooks();
        crate::tier2::release_held();
        drop(std::mem::replace(&mut self.context, Value::NULL));
        let modules = self.modules.clone();
        // SAFETY: vm.modules is a dict.
        let mods = unsafe { modules.payload_unchecked::<DictObj>() };
        let user: Vec<(Value, Value)> = mods
            .items()
            .into_iter()
            .filter(|(k, _)| !matches!(as_str(k), Some("builtins" | "sys")))
            .collect();
        crate::types::attr_cache::clear();
        // The import machinery's registries in `sys` keep importlib's classes and
        // finders alive (CPython's finalization empties them too).
        if let Some(sys) = mods.get_str("sys")
            && let Some(sm) = sys.downcast::<crate::types::module::ModuleObj>()
        {
            for name in ["meta_path", "path_hooks", "path_importer_cache"] {
                let empty = if name == "path_importer_cache" {
                    DictObj::new_value()
                } else {
                    crate::types::list::ListObj::new_value(Vec::new())
                };
                sm.dict().set_str(name, empty);
            }
        }
        for name in ["sys", "builtins"] {
            if let Some(m) = mods.get_str(name)
                && let Some(md) = m.downcast::<crate::types::module::ModuleObj>()
            {
                // importlib's `_setup` gave them these (and `__package__`).
                for attr in ["__spec__", "__loader__", "__package__"] {
                    md.dict().set_str(attr, Value::none());
                }
                // Warnings issued with no Python frame (at exit) are registered here.
                drop(md.dict().del_str("__warningregistry__"));
            }
        }
        // Classes hold cycles through their dicts (methods' `__class__` cells,
        // class-level registries of instances): clear them first, as CPython's final
        // collection would free them.
        for (_, m) in &user {
            if let Some(mo) = m.downcast::<crate::types::module::ModuleObj>() {
                for v in mo.dict().values() {
                    if let Some(td) = crate::types::class::as_type(&v)
                        && td.is_heap
                    {
                        let entries = td.dict.d.with(|d| d.clear());
                        crate::types::type_version::type_modified(td);
                        drop(entries);
                    }
                }
            }
        }
        // Globals become None, as CPython wipes modules (`finalize::wipe_module_dict`).
        for (_, m) in &user {
            if let Some(mo) = m.downcast::<crate::types::module::ModuleObj>() {
                crate::finalize::wipe_module_dict(self, mo.dict());
            }
        }
        // The wiped dicts hold no cycles any more (every value is None); they keep
        // their keys, as CPython's do, until their modules go.
        for (k, _) in &user {
            if let Some(name) = as_str(k) {
                drop(mods.d.with(|d| d.remove_str(name)));
            }
        }
        drop(user);
        crate::shared_immortal::release_all();
        crate::builtins::generators::run_pending(self);
        crate::builtins::async_generators::release_held(self);
        self.handled = Value::NULL;
        // The final collection (CPython's `_PyGC_CollectNoFail` in `Py_FinalizeEx`):
        // what is left in cycles once the modules are cleared is garbage (the Lib's
        // functools, say, defines a Python `partial` class, then replaces it by the
        // native one); a leaked reference still shows in the count.
        crate::gc::collect::collect(self, crate::gc::collect::Reason::Manual(2));
        crate::types::attr_cache::clear();
        if crate::options::Env::Leaks.is("1") {
            for (name, n) in crate::modules::gc::live_tracked_by_type() {
                eprintln!("[stitch leaks] {n} {name}");
            }
        }
        crate::object::live_objects()
    }
}

/// Fill a fresh frame's cell and free slots: a new cell per cell variable (holding its
/// parameter's argument when it is one, whose own slot is left empty, as CPython's
/// `MAKE_CELL`) and the function's closure cells.
///
/// # Safety
/// `lp` is the localsplus of a frame for `func`'s code: its parameter slots are
/// initialised and its cell and free slots hold NULL (overwritten, not dropped).
unsafe fn make_cells(lp: *mut Value, func: &FuncObj) {
    let co = func.code();
    // SAFETY: the caller's contract; every index is below `nlocalsplus`.
    unsafe {
        for (c, arg) in co.cell2arg.iter().enumerate() {
            let init = match arg {
                Some(a) => std::ptr::replace(lp.add(*a), Value::NULL),
                None => Value::NULL,
            };
            std::ptr::write(lp.add(co.nlocals + c), CellObj::new_value(init));
        }
        for (i, cell) in func.closure.iter().enumerate() {
            std::ptr::write(lp.add(co.nlocals + co.ncells + i), cell.clone());
        }
    }
}
