//! Frame objects: the Python view (`sys._getframe()`, `tb.tb_frame`, `gi_frame`) of an
//! interpreter frame.
//!
//! Interpreter frames live on the thread's data stack (or in a generator) and their
//! memory is reused as soon as they return, so a frame object cannot simply point at
//! one. It is made only when asked for (calls that never look pay nothing) and has two
//! states:
//!
//! - **live**: it reads the running frame (line, locals, caller) through a pointer.
//!   The frame's header says it has an object (`has_object`) and a process-wide table
//!   maps the frame's address to it, so asking twice gives the same object.
//! - **detached**: when the frame is cleared (it returned, raised out, or its generator
//!   finished or died), [`detach`] hands the object what it keeps: the last
//!   instruction, a copy of the locals and cells, and the caller's frame object (as
//!   CPython's `take_ownership` does). From then on it reads only its own fields.
//!
//! A live frame is only read by the thread that made its object; another thread sees
//! the state from when the object was made (its frame may change under it).
//!
//! Departure from CPython (until stitch has a cycle collector): a finished frame does
//! not keep locals that hold exceptions with tracebacks, tracebacks or frames (see
//! [`would_cycle`]).
use std::collections::HashMap;

use stitch_stencils::frame::FrameHeader;
use stitch_stencils::value::RawValue;

use crate::compile::codegen::CO_CLASSBODY;
use crate::object::ObjCell;
use crate::types::code::CodeObj;
use crate::types::dict::DictObj;
use crate::types::func::CellObj;
use crate::value::{PyPayload, Value};
use crate::world::types;

pub struct FrameObj {
    pub st: ObjCell<FrameState>,
}

pub struct FrameState {
    /// The interpreter frame while it runs (as an address), 0 once detached.
    live: usize,
    /// The thread that made this object (the only one that reads the live frame).
    thread: u64,
    pub code: Value,
    pub globals: Value,
    /// The frame runs a function (not module or class-body code with a namespace).
    is_function: bool,
    /// The frame's next instruction when last seen (its current one while live).
    instr: u32,
    /// After detaching: the locals, cells and free variables (`localsplus` without
    /// the value stack).
    saved: Vec<Value>,
    /// The `f_locals` dict of a function frame, refreshed on each access (CPython
    /// 3.11 gives the same dict every time).
    locals: Value,
    /// After detaching: the caller's frame object (or NULL).
    back: Value,
    /// `f_trace`, `f_trace_lines`, `f_trace_opcodes`: stored for debuggers.
    pub trace: Value,
    pub trace_lines: bool,
    pub trace_opcodes: bool,
    /// The line a trace function is told (`f_lineno` while it runs), 0 otherwise.
    pub trace_lineno: u32,
}

/// Frame objects are containers for the collector: a detached frame keeps its locals,
/// and the classic cycle (a frame's local holds an exception whose traceback holds the
/// frame) must be freed as CPython frees it. A live frame's locals belong to the
/// running interpreter frame (a root), and the object itself is held by the table of
/// live frames (`LIVE`): it is not walked until detached.
impl crate::gc::Traverse for FrameObj {
    fn traverse(&self, visit: crate::gc::Visit<'_>) {
        self.st.read(|st| {
            if st.live != 0 {
                return;
            }
            for v in [&st.code, &st.globals, &st.locals, &st.back, &st.trace] {
                crate::gc::visit_value(v, visit);
            }
            st.saved
                .iter()
                .for_each(|v| crate::gc::visit_value(v, visit));
        });
    }
    fn clear(&self) {
        let old = self.st.with(|st| {
            if st.live != 0 {
                return Default::default();
            }
            (
                std::mem::take(&mut st.saved),
                std::mem::take(&mut st.locals),
                std::mem::take(&mut st.back),
                std::mem::replace(&mut st.trace, Value::none()),
            )
        });
        drop(old);
    }
}

impl PyPayload for FrameObj {
    fn class() -> RawValue {
        types().frame
    }
}

/// Frame address -> frame object (a strong reference, as raw bits), for frames whose
/// header has `has_object` set.
static LIVE: parking_lot::Mutex<Option<HashMap<usize, u64>>> = parking_lot::Mutex::new(None);

/// The frame object of the live frame `f`, made on first request.
///
/// # Safety
/// `f` must be a live, initialised frame that this thread may read.
pub unsafe fn frame_object(f: *mut FrameHeader) -> Value {
    // SAFETY: f is live (the caller's contract).
    if unsafe { (*f).has_object } != 0 {
        let table = LIVE.lock();
        if let Some(&bits) = table.as_ref().and_then(|t| t.get(&(f as usize))) {
            return Value::from_borrowed(RawValue(bits));
        }
    }
    // SAFETY: as above; a live frame holds (or borrows from its function) references
    // to its code and globals.
    let (code, globals, is_function, instr) = unsafe {
        (
            Value::from_borrowed((*f).code),
            Value::from_borrowed((*f).globals),
            !(*f).func.is_null() && crate::frame::frame_code(f).flags & CO_CLASSBODY == 0,
            (*f).instr,
        )
    };
    let obj = Value::alloc(FrameObj {
        st: ObjCell::new(FrameState {
            live: f as usize,
            thread: crate::object::current_tid(),
            code,
            globals,
            is_function,
            instr,
            saved: Vec::new(),
            locals: Value::NULL,
            back: Value::NULL,
            trace: Value::none(),
            trace_lines: true,
            trace_opcodes: false,
            trace_lineno: 0,
        }),
    });
    LIVE.lock()
        .get_or_insert_with(HashMap::new)
        .insert(f as usize, obj.clone().into_raw().0);
    // SAFETY: f is live.
    unsafe { (*f).has_object = 1 };
    obj
}

/// The frame objects of a stopped thread's frames, innermost first, for another thread
/// to read (`sys._current_frames`): each is made for `owner` (so the owner reads its
/// live frame as usual) and is given the frame's current instruction and its caller's
/// object, which is what a thread other than the owner reads.
///
/// # Safety
/// `top` is null or the innermost frame of thread `owner`, which is stopped (the world
/// is stopped) or is the calling thread, for the whole call.
pub unsafe fn stopped_chain(top: *mut FrameHeader, owner: u64) -> Vec<Value> {
    let mut objs = Vec::new();
    let mut f = top;
    while !f.is_null() {
        // SAFETY: f is a frame of the stopped chain (the caller's contract).
        let obj = unsafe { frame_object_for(f, owner) };
        objs.push(obj);
        // SAFETY: as above.
        f = unsafe { (*f).previous };
    }
    for (i, obj) in objs.iter().enumerate() {
        // SAFETY: frame_object_for returns frame objects.
        let fo = unsafe { obj.payload_unchecked::<FrameObj>() };
        let back = objs.get(i + 1).cloned().unwrap_or(Value::NULL);
        let old = fo.st.with(|s| {
            if s.live != 0 {
                // SAFETY: the frame is live and stopped.
                s.instr = unsafe { (*(s.live as *mut FrameHeader)).instr };
            }
            std::mem::replace(&mut s.back, back)
        });
        drop(old);
    }
    objs
}

/// [`frame_object`] for a frame of thread `owner` (which may not be the caller).
///
/// # Safety
/// As [`stopped_chain`].
unsafe fn frame_object_for(f: *mut FrameHeader, owner: u64) -> Value {
    // SAFETY: the caller's contract.
    let obj = unsafe { frame_object(f) };
    // SAFETY: frame_object returns frame objects.
    let fo = unsafe { obj.payload_unchecked::<FrameObj>() };
    fo.st.with(|s| {
        if s.live == f as usize {
            s.thread = owner;
        }
    });
    obj
}

/// The frame `f` is being cleared: give its object what it keeps and forget the frame.
/// Called by `clear_frame` for frames with `has_object` set, before the slots are
/// released.
///
/// # Safety
/// `f` must be an initialised frame with `has_object` set, not running.
pub unsafe fn detach(f: *mut FrameHeader) {
    // SAFETY: f is initialised (the caller's contract).
    unsafe { (*f).has_object = 0 };
    let Some(bits) = LIVE.lock().as_mut().and_then(|t| t.remove(&(f as usize))) else {
        return;
    };
    // SAFETY: the table held one reference, which is now ours.
    let obj = unsafe { Value::from_raw(RawValue(bits)) };
    // SAFETY: the table holds frame objects only.
    let fo = unsafe { obj.payload_unchecked::<FrameObj>() };
    // SAFETY: f is initialised.
    let instr = unsafe { (*f).instr };
    // Nobody else holds the object: it is about to be freed, keep nothing.
    let unique = crate::object::refcount(obj.raw()) == 1;
    let (saved, back) = if unique {
        (Vec::new(), Value::NULL)
    } else {
        // SAFETY: f is initialised; its localsplus slots hold owned values or NULL,
        // and its previous frame (if any) is live further down the same stack.
        unsafe {
            let n = (*f).nlocalsplus as usize;
            let lp = FrameHeader::localsplus(f) as *const Value;
            let saved: Vec<Value> = (0..n)
                .map(|i| {
                    let v = &*lp.add(i);
                    if would_cycle(v) {
                        Value::NULL
                    } else {
                        v.clone()
                    }
                })
                .collect();
            let prev = (*f).previous;
            let back = if prev.is_null() {
                Value::NULL
            } else {
                frame_object(prev)
            };
            (saved, back)
        }
    };
    // The `f_locals` dict is let go (a later access makes a new one): it may hold the
    // frame object itself (`fr = sys._getframe()`), a cycle nothing would free.
    let old_locals = fo.st.with(|s| {
        s.live = 0;
        s.instr = instr;
        s.saved = saved;
        s.back = back;
        std::mem::replace(&mut s.locals, Value::NULL)
    });
    drop(old_locals);
}

/// Is `v` a value a finished frame does not keep among its locals: an exception with a
/// traceback, a traceback or a frame. stitch has no cycle collector yet, and these
/// are what make the common cycles (`except E as e: last = e` keeps frame -> locals
/// -> exception -> traceback -> frame), which would never be freed. Such locals read
/// as unbound in a finished frame's `f_locals`.
fn would_cycle(v: &Value) -> bool {
    if !v.is_ptr() {
        return false;
    }
    let t = v.type_raw();
    let ts = types();
    if t == ts.traceback || t == ts.frame {
        return true;
    }
    crate::vm::exc_data(v).is_some_and(|d| d.with(|d| !d.traceback.is_null()))
}

/// The live frame of `fo`, if this thread may read it.
fn live_frame(s: &FrameState) -> Option<*mut FrameHeader> {
    (s.live != 0 && s.thread == crate::object::current_tid()).then_some(s.live as *mut FrameHeader)
}

impl FrameObj {
    /// The next instruction (the one running, for a frame that called out).
    pub fn instr(&self) -> u32 {
        self.st.with(|s| match live_frame(s) {
            // SAFETY: a live frame of this thread.
            Some(f) => unsafe { (*f).instr },
            None => s.instr,
        })
    }

    /// The code object.
    pub fn code(&self) -> Value {
        self.st.with(|s| s.code.clone())
    }

    /// `f_lineno`: the line of the instruction running now (or last).
    pub fn lineno(&self) -> u32 {
        let traced = self.st.with(|s| s.trace_lineno);
        if traced != 0 {
            return traced;
        }
        let instr = self.instr();
        let code = self.code();
        // SAFETY: frames hold code objects.
        let co = unsafe { code.payload_unchecked::<CodeObj>() };
        if instr == 0 {
            return co.firstlineno;
        }
        co.line_of(instr as usize - 1)
    }

    /// Is the frame still running (its activation not ended)?
    pub fn is_live(&self) -> bool {
        self.st.with(|s| s.live != 0)
    }

    /// `f_back`: the caller's frame object, or None.
    pub fn back(&self) -> Value {
        let (live, back) = self.st.with(|s| (live_frame(s), s.back.clone()));
        match live {
            Some(f) => {
                // SAFETY: a live frame of this thread; its previous frame is live too.
                let prev = unsafe { (*f).previous };
                if prev.is_null() {
                    Value::none()
                } else {
                    // SAFETY: as above.
                    unsafe { frame_object(prev) }
                }
            }
            None if back.is_null() => Value::none(),
            None => back,
        }
    }

    /// `f_locals`: the globals of module code, the namespace of a class body, and for
    /// a function a dict of its bound locals and cells, refreshed now.
    pub fn locals(&self) -> Value {
        let (live, is_function) = self.st.with(|s| (live_frame(s), s.is_function));
        if !is_function {
            return match live {
                // SAFETY: a live frame of this thread.
                Some(f) => unsafe { crate::builtins::functions::frame_locals(f) },
                None => self.st.with(|s| {
                    let code = s.code.clone();
                    // SAFETY: frames hold code objects.
                    let co = unsafe { code.payload_unchecked::<CodeObj>() };
                    if co.flags & CO_CLASSBODY != 0
                        && let Some(ns) = s.saved.first()
                    {
                        ns.clone()
                    } else {
                        s.globals.clone()
                    }
                }),
            };
        }
        let values: Vec<Value> = match live {
            // SAFETY: a live frame of this thread: slots below nlocalsplus are
            // initialised.
            Some(f) => unsafe {
                let n = (*f).nlocalsplus as usize;
                let lp = FrameHeader::localsplus(f) as *const Value;
                (0..n).map(|i| (*lp.add(i)).clone()).collect()
            },
            None => self.st.with(|s| s.saved.clone()),
        };
        let (code, dict) = self.st.with(|s| {
            if s.locals.is_null() {
                s.locals = Value::alloc(DictObj::new());
            }
            (s.code.clone(), s.locals.clone())
        });
        // SAFETY: frames hold code objects.
        let co = unsafe { code.payload_unchecked::<CodeObj>() };
        if let Some(d) = dict.downcast::<DictObj>() {
            for (i, name) in co.localsplus_names.iter().enumerate() {
                let v = match values.get(i) {
                    Some(v) if i >= co.nlocals => v
                        .downcast::<CellObj>()
                        .map(|c| c.get())
                        .unwrap_or(Value::NULL),
                    Some(v) => v.clone(),
                    None => Value::NULL,
                };
                if v.is_null() {
                    drop(d.del_str(name));
                } else {
                    d.set_str(name, v);
                }
            }
        }
        dict
    }

    /// The generator owning this frame while it is live (this thread's frames only).
    pub fn live_generator(&self) -> Option<Value> {
        let (live, thread) = self.st.read(|s| (s.live, s.thread));
        if live == 0 || thread != crate::object::current_tid() {
            return None;
        }
        // SAFETY: a live frame of this thread (the object is detached when it ends).
        unsafe { crate::types::generator::owner_of_frame(live as *mut FrameHeader) }
    }

    /// `frame.clear()`: drop the locals of a frame that no longer runs.
    pub fn clear(&self) -> bool {
        let (saved, locals, trace) = match self.st.with(|s| {
            if s.live != 0 {
                return None;
            }
            Some((
                std::mem::take(&mut s.saved),
                std::mem::replace(&mut s.locals, Value::NULL),
                std::mem::replace(&mut s.trace, Value::none()),
            ))
        }) {
            Some(x) => x,
            None => return false,
        };
        // Released outside the cell: freeing them can run finalizers.
        drop((saved, locals, trace));
        true
    }
}
