//! `_bz2`: the streaming `BZ2Compressor` and `BZ2Decompressor` that CPython's `bz2`
//! module (and through it tarfile, zipfile and shutil) builds on, over libbz2-rs-sys,
//! the pure-Rust port of libbzip2 (so no system libbz2 is needed). The loops, the
//! `unused_data` / `needs_input` bookkeeping and the error messages follow CPython's
//! `_bz2module.c`.
//!
//! Threads: CPython holds a per-object lock around every call into libbzip2, so two
//! threads feeding one (de)compressor see their calls serialized; each object here keeps
//! its whole state in an `ObjCell`, whose lock does the same.
use bzip2::{Action, Compression, Status};

use super::buffer;
use super::native_args::{
    bind, getset, int_arg, methods, module, object_type, positional, receiver, set, ssize_arg, this,
};
use crate::native_payload;
use crate::object::ObjCell;
use crate::types::bytes::BytesObj;
use crate::types::class::Kind;
use crate::types::native::{self, NativeType, new_type};
use crate::value::Value;
use crate::vm::{Args, PyErr, PyResult, Vm};
use crate::world::types;

/// First output block of a call, as CPython's `_BlocksOutputBuffer` (32 KiB); later
/// blocks double the output so far.
const FIRST_BLOCK: usize = 32 * 1024;

pub fn init(_vm: &mut Vm) -> PyResult<Value> {
    let m = module("_bz2", &[]);
    let ct = new_type::<Compressor>(
        "BZ2Compressor",
        "_bz2",
        object_type(),
        Kind::Native,
        &COMPRESSOR_T,
        &COMPRESSOR,
    );
    methods(
        &ct,
        &[
            ("__init__", c_init),
            ("compress", c_compress),
            ("flush", c_flush),
        ],
    );
    let dt = new_type::<Decompressor>(
        "BZ2Decompressor",
        "_bz2",
        object_type(),
        Kind::Native,
        &DECOMPRESSOR_T,
        &DECOMPRESSOR,
    );
    methods(&dt, &[("__init__", d_init), ("decompress", d_decompress)]);
    getset(&dt, "eof", d_eof, None);
    getset(&dt, "unused_data", d_unused_data, None);
    getset(&dt, "needs_input", d_needs_input, None);
    // Neither type is subclassable in CPython 3.11 (no `Py_TPFLAGS_BASETYPE`).
    crate::types::layout::set_final(ct.raw());
    crate::types::layout::set_final(dt.raw());
    set(&m, "BZ2Compressor", ct);
    set(&m, "BZ2Decompressor", dt);
    Ok(m)
}

/// CPython's `catch_bz2_error`, for the codes the bzip2 crate reports as errors.
fn bz2_error(vm: &mut Vm, e: bzip2::Error) -> PyErr {
    match e {
        bzip2::Error::Param => {
            vm.value_error("Internal error - invalid parameters passed to libbzip2")
        }
        bzip2::Error::Data | bzip2::Error::DataMagic => {
            vm.err(types().os_error, "Invalid data stream")
        }
        bzip2::Error::Sequence => vm.err(
            types().runtime_error,
            "Internal error - Invalid sequence of commands sent to libbzip2",
        ),
    }
}

/// Why a decompression call failed or was refused.
enum Fail {
    /// An error code from libbzip2.
    Bz(bzip2::Error),
    /// `BZ_MEM_ERROR`.
    Memory,
    /// Called after the end of the stream.
    Eof,
    /// Called after an earlier error.
    Failed,
}

fn raise(vm: &mut Vm, f: Fail) -> PyErr {
    match f {
        Fail::Bz(e) => bz2_error(vm, e),
        Fail::Memory => vm.err(types().memory_error, ""),
        Fail::Eof => vm.err(types().eof_error, "End of stream already reached"),
        Fail::Failed => vm.value_error("Decompressor is unusable after a previous error"),
    }
}

/// The size to grow an output buffer holding `filled` bytes to, never past `limit`.
fn grow_to(filled: usize, limit: usize) -> usize {
    let step = if filled == 0 {
        FIRST_BLOCK
    } else {
        filled.max(FIRST_BLOCK)
    };
    filled.saturating_add(step).min(limit)
}

// ---- BZ2Compressor --------------------------------------------------------------------

struct CState {
    c: bzip2::Compress,
    flushed: bool,
}

impl CState {
    fn new(level: u32) -> CState {
        CState {
            c: bzip2::Compress::new(Compression::new(level), 0),
            flushed: false,
        }
    }

    /// CPython's `compress`: feed `data` with `BZ_RUN` (stopping when it is consumed)
    /// or finish the stream with `BZ_FINISH` (stopping at `BZ_STREAM_END`).
    fn run(&mut self, data: &[u8], action: Action) -> Result<Vec<u8>, bzip2::Error> {
        let mut out = Vec::new();
        let mut filled = 0;
        let mut pos = 0;
        loop {
            if action == Action::Run && pos == data.len() {
                break;
            }
            if filled == out.len() {
                out.resize(grow_to(filled, usize::MAX), 0);
            }
            let (in0, out0) = (self.c.total_in(), self.c.total_out());
            let r = self.c.compress(&data[pos..], &mut out[filled..], action);
            pos += (self.c.total_in() - in0) as usize;
            filled += (self.c.total_out() - out0) as usize;
            if r? == Status::StreamEnd && action == Action::Finish {
                break;
            }
        }
        out.truncate(filled);
        Ok(out)
    }
}

pub struct Compressor {
    st: ObjCell<CState>,
}
native_payload!(Compressor, COMPRESSOR);
static COMPRESSOR_T: NativeType = NativeType {
    new: Some(compressor_new),
    has_init: true,
    ..NativeType::of::<Compressor>()
};

fn comp<'a>(vm: &mut Vm, v: &'a Value) -> PyResult<&'a Compressor> {
    native::downcast::<Compressor>(v)
        .ok_or_else(|| vm.type_error("descriptor requires a '_bz2.BZ2Compressor' object"))
}

/// A compressor at the default level; `__init__` sets the level. (CPython's bare
/// `__new__` leaves libbzip2 unset, so using it crashes; here it simply works.)
fn compressor_new(_vm: &mut Vm, cls: &Value, _a: &Args) -> PyResult<Value> {
    Ok(native::alloc(
        cls,
        Compressor {
            st: ObjCell::new(CState::new(9)),
        },
    ))
}

/// `BZ2Compressor.__init__(compresslevel=9, /)`: (re)starts the stream.
fn c_init(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (s, rest) = receiver(vm, "__init__", a)?;
    if rest.has_kw() {
        return Err(vm.type_error("BZ2Compressor() takes no keyword arguments"));
    }
    let p = positional(vm, "BZ2Compressor", rest.pos(), 0, 1)?;
    let level = int_arg(vm, p.first(), 9)?;
    if !(1..=9).contains(&level) {
        return Err(vm.value_error("compresslevel must be between 1 and 9"));
    }
    let c = comp(vm, s)?;
    let fresh = CState::new(level as u32);
    c.st.with(|st| *st = fresh);
    Ok(Value::none())
}

/// `BZ2Compressor.compress(data, /)`.
fn c_compress(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (s, r) = this(vm, "compress", a, 1, 1)?;
    let c = comp(vm, s)?;
    let data = buffer::need(vm, &r[0])?;
    let res = c.st.with(|st| {
        if st.flushed {
            return Ok(None);
        }
        st.run(&data, Action::Run).map(Some)
    });
    match res {
        Ok(Some(out)) => Ok(BytesObj::new_value(out)),
        Ok(None) => Err(vm.value_error("Compressor has been flushed")),
        Err(e) => Err(bz2_error(vm, e)),
    }
}

/// `BZ2Compressor.flush()`: finishes the stream; the compressor takes no more data.
fn c_flush(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (s, _) = this(vm, "flush", a, 0, 0)?;
    let c = comp(vm, s)?;
    let res = c.st.with(|st| {
        if st.flushed {
            return Ok(None);
        }
        st.flushed = true;
        st.run(&[], Action::Finish).map(Some)
    });
    match res {
        Ok(Some(out)) => Ok(BytesObj::new_value(out)),
        Ok(None) => Err(vm.value_error("Repeated call to flush()")),
        Err(e) => Err(bz2_error(vm, e)),
    }
}

// ---- BZ2Decompressor ------------------------------------------------------------------

struct DState {
    d: bzip2::Decompress,
    eof: bool,
    needs_input: bool,
    /// libbzip2 reported an error: its state cannot be used again (later CPython
    /// 3.11 releases refuse further calls, as libbzip2 may misbehave if re-entered).
    failed: bool,
    unused_data: Vec<u8>,
    /// Input given but not yet consumed (it waits while `max_length` held the output
    /// back); CPython's `input_buffer`. Later data is appended to it.
    pending: Vec<u8>,
}

impl DState {
    fn new() -> DState {
        DState {
            d: bzip2::Decompress::new(false),
            eof: false,
            needs_input: true,
            failed: false,
            unused_data: Vec::new(),
            pending: Vec::new(),
        }
    }

    /// CPython's `decompress_buf`: decompress `input` into at most `limit` bytes,
    /// stopping at the end of the stream or of the input. Returns the output and the
    /// input consumed.
    fn run(&mut self, input: &[u8], limit: usize) -> Result<(Vec<u8>, usize), Fail> {
        let mut out = vec![0; FIRST_BLOCK.min(limit)];
        let mut filled = 0;
        let mut pos = 0;
        loop {
            let (in0, out0) = (self.d.total_in(), self.d.total_out());
            let r = self.d.decompress(&input[pos..], &mut out[filled..]);
            pos += (self.d.total_in() - in0) as usize;
            filled += (self.d.total_out() - out0) as usize;
            match r.map_err(Fail::Bz)? {
                Status::StreamEnd => {
                    self.eof = true;
                    break;
                }
                Status::MemNeeded => return Err(Fail::Memory),
                _ => {}
            }
            if pos == input.len() {
                break;
            }
            if filled == out.len() {
                if filled == limit {
                    break;
                }
                out.resize(grow_to(filled, limit), 0);
            }
        }
        out.truncate(filled);
        Ok((out, pos))
    }

    /// CPython's `decompress`: the pending input then `data`, and the bookkeeping of
    /// what is left (`unused_data` after the end, else input for the next call).
    fn decompress(&mut self, data: &[u8], limit: usize) -> Result<Vec<u8>, Fail> {
        let mut input = std::mem::take(&mut self.pending);
        let owned = !input.is_empty();
        if owned {
            input.extend_from_slice(data);
        }
        let buf: &[u8] = if owned { &input } else { data };
        let (out, pos) = match self.run(buf, limit) {
            Ok(r) => r,
            Err(f) => {
                self.failed = true;
                self.needs_input = false;
                return Err(f);
            }
        };
        if self.eof {
            self.needs_input = false;
            if pos < buf.len() {
                self.unused_data = buf[pos..].to_vec();
            }
        } else if pos == buf.len() {
            self.needs_input = true;
        } else {
            self.needs_input = false;
            self.pending = buf[pos..].to_vec();
        }
        Ok(out)
    }
}

pub struct Decompressor {
    st: ObjCell<DState>,
}
native_payload!(Decompressor, DECOMPRESSOR);
static DECOMPRESSOR_T: NativeType = NativeType {
    new: Some(decompressor_new),
    has_init: true,
    ..NativeType::of::<Decompressor>()
};

fn decomp<'a>(vm: &mut Vm, v: &'a Value) -> PyResult<&'a Decompressor> {
    native::downcast::<Decompressor>(v)
        .ok_or_else(|| vm.type_error("descriptor requires a '_bz2.BZ2Decompressor' object"))
}

fn decompressor_new(_vm: &mut Vm, cls: &Value, _a: &Args) -> PyResult<Value> {
    Ok(native::alloc(
        cls,
        Decompressor {
            st: ObjCell::new(DState::new()),
        },
    ))
}

/// `BZ2Decompressor.__init__()`: (re)starts decompression.
fn d_init(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (s, rest) = receiver(vm, "__init__", a)?;
    if !rest.pos().is_empty() {
        return Err(vm.type_error("BZ2Decompressor() takes no positional arguments"));
    }
    if rest.has_kw() {
        return Err(vm.type_error("BZ2Decompressor() takes no keyword arguments"));
    }
    let d = decomp(vm, s)?;
    let fresh = DState::new();
    d.st.with(|st| *st = fresh);
    Ok(Value::none())
}

/// `BZ2Decompressor.decompress(data, max_length=-1)`.
fn d_decompress(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (s, rest) = receiver(vm, "decompress", a)?;
    let b = bind(vm, "decompress", &rest, &["data", "max_length"], 1, 2)?;
    let Some(data) = b[0] else {
        return Err(vm.type_error("decompress() missing required argument 'data' (pos 1)"));
    };
    let data = buffer::need(vm, data)?;
    let max_length = ssize_arg(vm, b[1], -1)?;
    // A negative `max_length` means no limit.
    let limit = usize::try_from(max_length).unwrap_or(usize::MAX);
    let d = decomp(vm, s)?;
    let res = d.st.with(|st| {
        if st.eof {
            return Err(Fail::Eof);
        }
        if st.failed {
            return Err(Fail::Failed);
        }
        st.decompress(&data, limit)
    });
    match res {
        Ok(out) => Ok(BytesObj::new_value(out)),
        Err(f) => Err(raise(vm, f)),
    }
}

fn d_eof(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (s, _) = this(vm, "eof", a, 0, 0)?;
    let d = decomp(vm, s)?;
    Ok(Value::bool(d.st.with(|st| st.eof)))
}

fn d_unused_data(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (s, _) = this(vm, "unused_data", a, 0, 0)?;
    let d = decomp(vm, s)?;
    Ok(BytesObj::new_value(d.st.with(|st| st.unused_data.clone())))
}

fn d_needs_input(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (s, _) = this(vm, "needs_input", a, 0, 0)?;
    let d = decomp(vm, s)?;
    Ok(Value::bool(d.st.with(|st| st.needs_input)))
}
