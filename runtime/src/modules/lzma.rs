//! `_lzma`: the streaming `LZMACompressor` / `LZMADecompressor` (xz, legacy .lzma
//! "alone" and raw formats, custom filter chains) that CPython's `lzma` module (and
//! through it tarfile, zipfile and shutil) builds on, over liblzma built from its
//! bundled source (liblzma-sys, `static`). The loops, the `unused_data` /
//! `needs_input` bookkeeping and the messages follow CPython's `_lzmamodule.c`.
//!
//! Threads: as CPython holds a per-object lock around liblzma calls, each object keeps
//! its coder and bookkeeping in one `ObjCell`, whose lock serializes callers.
mod filters;
mod stream;

use std::sync::atomic::{AtomicU64, Ordering};

use liblzma_sys as x;
use stitch_stencils::value::RawValue;

use self::stream::Stream;
use super::buffer;
use super::native_args::{
    bind, getset, int_arg, methods, module, object_type, set, ssize_arg, this,
};
use crate::native_payload;
use crate::object::ObjCell;
use crate::types::bytes::BytesObj;
use crate::types::class::Kind;
use crate::types::native::{self, NativeType, new_type};
use crate::value::Value;
use crate::vm::{Args, PyErr, PyResult, Vm};
use crate::world::types;

const FORMAT_AUTO: i32 = 0;
const FORMAT_XZ: i32 = 1;
const FORMAT_ALONE: i32 = 2;
const FORMAT_RAW: i32 = 3;
const CHECK_UNKNOWN: i32 = x::LZMA_CHECK_ID_MAX as i32 + 1;

/// First output block of a call (CPython's `_BlocksOutputBuffer` starts at 32 KiB);
/// later blocks double the output so far.
const FIRST_BLOCK: usize = 32 * 1024;

/// `_lzma.LZMAError`.
static ERROR: AtomicU64 = AtomicU64::new(0);

pub(crate) fn lzma_error(vm: &mut Vm, msg: impl Into<String>) -> PyErr {
    vm.err(RawValue(ERROR.load(Ordering::Acquire)), msg)
}

/// CPython's `catch_lzma_error`: Ok for the codes that are not errors.
pub(crate) fn check_ret(vm: &mut Vm, ret: x::lzma_ret) -> PyResult<()> {
    match ret {
        x::LZMA_OK | x::LZMA_GET_CHECK | x::LZMA_NO_CHECK | x::LZMA_STREAM_END => Ok(()),
        e => Err(ret_error(vm, e)),
    }
}

/// The exception for liblzma's error code `ret`.
fn ret_error(vm: &mut Vm, ret: x::lzma_ret) -> PyErr {
    let msg = match ret {
        x::LZMA_UNSUPPORTED_CHECK => "Unsupported integrity check",
        x::LZMA_MEM_ERROR => return vm.err(types().memory_error, ""),
        x::LZMA_MEMLIMIT_ERROR => "Memory usage limit exceeded",
        x::LZMA_FORMAT_ERROR => "Input format not supported by decoder",
        x::LZMA_OPTIONS_ERROR => "Invalid or unsupported options",
        x::LZMA_DATA_ERROR => "Corrupt input data",
        x::LZMA_BUF_ERROR => "Insufficient buffer space",
        x::LZMA_PROG_ERROR => "Internal error",
        other => return lzma_error(vm, format!("Unrecognized error from liblzma: {other}")),
    };
    lzma_error(vm, msg)
}

fn stream_or_raise(vm: &mut Vm, r: Result<Stream, x::lzma_ret>) -> PyResult<Stream> {
    r.map_err(|ret| ret_error(vm, ret))
}

pub fn init(_vm: &mut Vm) -> PyResult<Value> {
    let m = module(
        "_lzma",
        &[
            ("is_check_supported", is_check_supported),
            ("_encode_filter_properties", encode_filter_properties),
            ("_decode_filter_properties", decode_filter_properties),
        ],
    );
    if ERROR.load(Ordering::Acquire) == 0 {
        let e = super::binascii::exception_type("LZMAError", "_lzma", types().exception);
        crate::types::class::type_data_raw(e.raw())
            .dict
            .set_str("__doc__", crate::world::intern("Call to liblzma failed."));
        ERROR.store(e.raw().0, Ordering::Release);
    }
    set(
        &m,
        "LZMAError",
        Value::from_borrowed(RawValue(ERROR.load(Ordering::Acquire))),
    );
    let ct = new_type::<Compressor>(
        "LZMACompressor",
        "_lzma",
        object_type(),
        Kind::Native,
        &COMPRESSOR_T,
        &COMPRESSOR,
    );
    methods(&ct, &[("compress", c_compress), ("flush", c_flush)]);
    let dt = new_type::<Decompressor>(
        "LZMADecompressor",
        "_lzma",
        object_type(),
        Kind::Native,
        &DECOMPRESSOR_T,
        &DECOMPRESSOR,
    );
    methods(&dt, &[("decompress", d_decompress)]);
    getset(&dt, "check", d_check, None);
    getset(&dt, "eof", d_eof, None);
    getset(&dt, "needs_input", d_needs_input, None);
    getset(&dt, "unused_data", d_unused_data, None);
    // Neither type is subclassable in CPython (no `Py_TPFLAGS_BASETYPE`).
    crate::types::layout::set_final(ct.raw());
    crate::types::layout::set_final(dt.raw());
    set(&m, "LZMACompressor", ct);
    set(&m, "LZMADecompressor", dt);
    let ints: [(&str, u64); 28] = [
        ("FORMAT_AUTO", FORMAT_AUTO as u64),
        ("FORMAT_XZ", FORMAT_XZ as u64),
        ("FORMAT_ALONE", FORMAT_ALONE as u64),
        ("FORMAT_RAW", FORMAT_RAW as u64),
        ("CHECK_NONE", x::LZMA_CHECK_NONE as u64),
        ("CHECK_CRC32", x::LZMA_CHECK_CRC32 as u64),
        ("CHECK_CRC64", x::LZMA_CHECK_CRC64 as u64),
        ("CHECK_SHA256", x::LZMA_CHECK_SHA256 as u64),
        ("CHECK_ID_MAX", x::LZMA_CHECK_ID_MAX as u64),
        ("CHECK_UNKNOWN", CHECK_UNKNOWN as u64),
        ("FILTER_LZMA1", x::LZMA_FILTER_LZMA1),
        ("FILTER_LZMA2", x::LZMA_FILTER_LZMA2),
        ("FILTER_DELTA", x::LZMA_FILTER_DELTA),
        ("FILTER_X86", x::LZMA_FILTER_X86),
        ("FILTER_IA64", x::LZMA_FILTER_IA64),
        ("FILTER_ARM", x::LZMA_FILTER_ARM),
        ("FILTER_ARMTHUMB", x::LZMA_FILTER_ARMTHUMB),
        ("FILTER_SPARC", x::LZMA_FILTER_SPARC),
        ("FILTER_POWERPC", x::LZMA_FILTER_POWERPC),
        ("MF_HC3", x::LZMA_MF_HC3 as u64),
        ("MF_HC4", x::LZMA_MF_HC4 as u64),
        ("MF_BT2", x::LZMA_MF_BT2 as u64),
        ("MF_BT3", x::LZMA_MF_BT3 as u64),
        ("MF_BT4", x::LZMA_MF_BT4 as u64),
        ("MODE_FAST", x::LZMA_MODE_FAST as u64),
        ("MODE_NORMAL", x::LZMA_MODE_NORMAL as u64),
        ("PRESET_DEFAULT", x::LZMA_PRESET_DEFAULT as u64),
        ("PRESET_EXTREME", x::LZMA_PRESET_EXTREME as u64),
    ];
    for (name, v) in ints {
        set(&m, name, Value::bigint(v.into()));
    }
    Ok(m)
}

/// The size to grow an output buffer holding `filled` bytes to, never past `limit`.
fn grow_to(filled: usize, limit: usize) -> usize {
    filled.saturating_add(filled.max(FIRST_BLOCK)).min(limit)
}

// ---- module functions -----------------------------------------------------------------

/// `is_check_supported(check_id, /)`.
fn is_check_supported(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    super::native_args::no_kw(vm, "is_check_supported", a)?;
    if a.pos().len() != 1 {
        let n = a.pos().len();
        return Err(vm.type_error(format!(
            "_lzma.is_check_supported() takes exactly one argument ({n} given)"
        )));
    }
    let id = int_arg(vm, a.pos().first(), 0)?;
    // SAFETY: lzma_check_is_supported only compares its argument with known IDs.
    let ok = unsafe { x::lzma_check_is_supported(id as u32 as x::lzma_check) } != 0;
    Ok(Value::bool(ok))
}

/// `_encode_filter_properties(filter, /)`.
fn encode_filter_properties(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let p = super::native_args::unpack(vm, "_encode_filter_properties", a, 1, 1)?;
    let out = filters::encode_properties(vm, &p[0])?;
    Ok(BytesObj::new_value(out))
}

/// `_decode_filter_properties(filter_id, encoded_props, /)`.
fn decode_filter_properties(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let p = super::native_args::unpack(vm, "_decode_filter_properties", a, 2, 2)?;
    let id = filters::u64_arg(vm, &p[0])?;
    let props = buffer::need(vm, &p[1])?;
    filters::decode_properties(vm, id, &props)
}

// ---- LZMACompressor -------------------------------------------------------------------

struct CState {
    s: Stream,
    flushed: bool,
}

impl CState {
    /// CPython's `compress`: `LZMA_RUN` until the input is consumed, or `LZMA_FINISH`
    /// until the end of the stream. Err holds liblzma's error code.
    fn run(&mut self, data: &[u8], action: x::lzma_action) -> Result<Vec<u8>, x::lzma_ret> {
        let mut out = vec![0; FIRST_BLOCK];
        let mut filled = 0;
        let mut pos = 0;
        loop {
            let st = self.s.code(&data[pos..], &mut out[filled..], action);
            pos += st.consumed;
            filled += st.produced;
            let mut ret = st.ret;
            if ret == x::LZMA_BUF_ERROR && data.is_empty() && filled < out.len() {
                ret = x::LZMA_OK; // not a real error
            }
            match ret {
                x::LZMA_OK | x::LZMA_GET_CHECK | x::LZMA_NO_CHECK | x::LZMA_STREAM_END => {}
                e => return Err(e),
            }
            if (action == x::LZMA_RUN && pos == data.len())
                || (action == x::LZMA_FINISH && ret == x::LZMA_STREAM_END)
            {
                break;
            }
            if filled == out.len() {
                out.resize(grow_to(filled, usize::MAX), 0);
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
    ..NativeType::of::<Compressor>()
};

fn comp<'a>(vm: &mut Vm, v: &'a Value) -> PyResult<&'a Compressor> {
    native::downcast::<Compressor>(v)
        .ok_or_else(|| vm.type_error("descriptor requires a '_lzma.LZMACompressor' object"))
}

/// `LZMACompressor(format=FORMAT_XZ, check=-1, preset=None, filters=None)`.
fn compressor_new(vm: &mut Vm, cls: &Value, a: &Args) -> PyResult<Value> {
    let names = ["format", "check", "preset", "filters"];
    let b = bind(vm, "LZMACompressor", a, &names, 0, 4)?;
    let format = int_arg(vm, b[0], FORMAT_XZ)?;
    let check = int_arg(vm, b[1], -1)?;
    let preset_obj = b[2].filter(|v| !v.is_none());
    let specs = b[3].filter(|v| !v.is_none());
    if format != FORMAT_XZ && check != -1 && check != x::LZMA_CHECK_NONE as i32 {
        return Err(vm.value_error("Integrity checks are only supported by FORMAT_XZ"));
    }
    if preset_obj.is_some() && specs.is_some() {
        return Err(vm.value_error("Cannot specify both preset and filter chain"));
    }
    let preset = match preset_obj {
        Some(p) => filters::u32_arg(vm, p)?,
        None => x::LZMA_PRESET_DEFAULT,
    };
    let s = match format {
        FORMAT_XZ => {
            let check = if check == -1 {
                x::LZMA_CHECK_CRC64
            } else {
                check as u32
            };
            match specs {
                None => Stream::easy_encoder(preset, check),
                Some(specs) => {
                    let chain = filters::parse_chain(vm, specs)?;
                    Stream::stream_encoder(&chain, check)
                }
            }
        }
        FORMAT_ALONE => match specs {
            None => {
                // SAFETY: an all-zero lzma_options_lzma is valid; the preset fills it.
                let mut o: x::lzma_options_lzma = unsafe { std::mem::zeroed() };
                // SAFETY: `o` is a valid, writable lzma_options_lzma.
                if unsafe { x::lzma_lzma_preset(&mut o, preset) } != 0 {
                    return Err(lzma_error(
                        vm,
                        format!("Invalid compression preset: {preset}"),
                    ));
                }
                Stream::alone_encoder(&o)
            }
            Some(specs) => {
                let chain = filters::parse_chain(vm, specs)?;
                match chain.single_lzma1() {
                    Some(o) => Stream::alone_encoder(o),
                    None => {
                        return Err(vm.value_error(
                            "Invalid filter chain for FORMAT_ALONE - must be a single LZMA1 filter",
                        ));
                    }
                }
            }
        },
        FORMAT_RAW => {
            let Some(specs) = specs else {
                return Err(vm.value_error("Must specify filters for FORMAT_RAW"));
            };
            let chain = filters::parse_chain(vm, specs)?;
            Stream::raw_encoder(&chain)
        }
        _ => return Err(vm.value_error(format!("Invalid container format: {format}"))),
    };
    let s = stream_or_raise(vm, s)?;
    Ok(native::alloc(
        cls,
        Compressor {
            st: ObjCell::new(CState { s, flushed: false }),
        },
    ))
}

/// `LZMACompressor.compress(data, /)`.
fn c_compress(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (s, r) = this(vm, "compress", a, 1, 1)?;
    let c = comp(vm, s)?;
    let data = buffer::need(vm, &r[0])?;
    let res = c.st.with(|st| {
        if st.flushed {
            return Ok(None);
        }
        st.run(&data, x::LZMA_RUN).map(Some)
    });
    match res {
        Ok(Some(out)) => Ok(BytesObj::new_value(out)),
        Ok(None) => Err(vm.value_error("Compressor has been flushed")),
        Err(ret) => Err(ret_error(vm, ret)),
    }
}

/// `LZMACompressor.flush()`: finishes the stream.
fn c_flush(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (s, _) = this(vm, "flush", a, 0, 0)?;
    let c = comp(vm, s)?;
    let res = c.st.with(|st| {
        if st.flushed {
            return Ok(None);
        }
        st.flushed = true;
        st.run(&[], x::LZMA_FINISH).map(Some)
    });
    match res {
        Ok(Some(out)) => Ok(BytesObj::new_value(out)),
        Ok(None) => Err(vm.value_error("Repeated call to flush()")),
        Err(ret) => Err(ret_error(vm, ret)),
    }
}

// ---- LZMADecompressor -----------------------------------------------------------------

struct DState {
    s: Stream,
    check: i32,
    eof: bool,
    needs_input: bool,
    unused_data: Vec<u8>,
    /// Input given but not consumed yet (held back by `max_length`); CPython's
    /// `input_buffer`. Later data is appended.
    pending: Vec<u8>,
}

impl DState {
    /// CPython's `decompress_buf`: returns the output, the input consumed and whether
    /// the output space was used up (`avail_out == 0`); Err holds liblzma's code.
    fn run(&mut self, input: &[u8], limit: usize) -> Result<(Vec<u8>, usize, bool), x::lzma_ret> {
        let mut out = vec![0; FIRST_BLOCK.min(limit)];
        let mut filled = 0;
        let mut pos = 0;
        loop {
            let st = self.s.code(&input[pos..], &mut out[filled..], x::LZMA_RUN);
            pos += st.consumed;
            filled += st.produced;
            let mut ret = st.ret;
            if ret == x::LZMA_BUF_ERROR && pos == input.len() && filled < out.len() {
                ret = x::LZMA_OK; // not a real error
            }
            match ret {
                x::LZMA_OK | x::LZMA_GET_CHECK | x::LZMA_NO_CHECK | x::LZMA_STREAM_END => {}
                e => return Err(e),
            }
            if ret == x::LZMA_GET_CHECK || ret == x::LZMA_NO_CHECK {
                self.check = self.s.check() as i32;
            }
            if ret == x::LZMA_STREAM_END {
                self.eof = true;
                break;
            } else if filled == out.len() {
                if filled == limit {
                    break;
                }
                out.resize(grow_to(filled, limit), 0);
            } else if pos == input.len() {
                break;
            }
        }
        let full = filled == out.len();
        out.truncate(filled);
        Ok((out, pos, full))
    }

    /// CPython's `decompress`: pending input then `data`, and what is left over.
    fn decompress(&mut self, data: &[u8], limit: usize) -> Result<Vec<u8>, x::lzma_ret> {
        let mut input = std::mem::take(&mut self.pending);
        let owned = !input.is_empty();
        if owned {
            input.extend_from_slice(data);
        }
        let buf: &[u8] = if owned { &input } else { data };
        // On an error the pending input is dropped, as CPython resets `next_in`.
        let (out, pos, full) = self.run(buf, limit)?;
        if self.eof {
            self.needs_input = false;
            if pos < buf.len() {
                self.unused_data = buf[pos..].to_vec();
            }
        } else if pos == buf.len() {
            // With the output space used up, liblzma may still hold output.
            self.needs_input = !full;
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
    ..NativeType::of::<Decompressor>()
};

fn decomp<'a>(vm: &mut Vm, v: &'a Value) -> PyResult<&'a Decompressor> {
    native::downcast::<Decompressor>(v)
        .ok_or_else(|| vm.type_error("descriptor requires a '_lzma.LZMADecompressor' object"))
}

/// `LZMADecompressor(format=FORMAT_AUTO, memlimit=None, filters=None)`.
fn decompressor_new(vm: &mut Vm, cls: &Value, a: &Args) -> PyResult<Value> {
    let names = ["format", "memlimit", "filters"];
    let b = bind(vm, "LZMADecompressor", a, &names, 0, 3)?;
    let format = int_arg(vm, b[0], FORMAT_AUTO)?;
    let memlimit = b[1].filter(|v| !v.is_none());
    let specs = b[2].filter(|v| !v.is_none());
    let mut limit = u64::MAX;
    if let Some(m) = memlimit {
        if format == FORMAT_RAW {
            return Err(vm.value_error("Cannot specify memory limit with FORMAT_RAW"));
        }
        limit = filters::u64_arg(vm, m)?;
    }
    if format == FORMAT_RAW && specs.is_none() {
        return Err(vm.value_error("Must specify filters for FORMAT_RAW"));
    } else if format != FORMAT_RAW && specs.is_some() {
        return Err(vm.value_error("Cannot specify filters except with FORMAT_RAW"));
    }
    let flags = x::LZMA_TELL_ANY_CHECK | x::LZMA_TELL_NO_CHECK;
    let mut check = CHECK_UNKNOWN;
    let s = match (format, specs) {
        (FORMAT_AUTO, _) => Stream::auto_decoder(limit, flags),
        (FORMAT_XZ, _) => Stream::stream_decoder(limit, flags),
        (FORMAT_ALONE, _) => {
            check = x::LZMA_CHECK_NONE as i32;
            Stream::alone_decoder(limit)
        }
        (FORMAT_RAW, Some(specs)) => {
            check = x::LZMA_CHECK_NONE as i32;
            let chain = filters::parse_chain(vm, specs)?;
            Stream::raw_decoder(&chain)
        }
        _ => return Err(vm.value_error(format!("Invalid container format: {format}"))),
    };
    let s = stream_or_raise(vm, s)?;
    Ok(native::alloc(
        cls,
        Decompressor {
            st: ObjCell::new(DState {
                s,
                check,
                eof: false,
                needs_input: true,
                unused_data: Vec::new(),
                pending: Vec::new(),
            }),
        },
    ))
}

/// `LZMADecompressor.decompress(data, max_length=-1)`.
fn d_decompress(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (s, rest) = super::native_args::receiver(vm, "decompress", a)?;
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
            return Ok(None);
        }
        st.decompress(&data, limit).map(Some)
    });
    match res {
        Ok(Some(out)) => Ok(BytesObj::new_value(out)),
        Ok(None) => Err(vm.err(types().eof_error, "Already at end of stream")),
        Err(ret) => Err(ret_error(vm, ret)),
    }
}

fn d_check(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (s, _) = this(vm, "check", a, 0, 0)?;
    let d = decomp(vm, s)?;
    Ok(Value::int(d.st.with(|st| st.check) as i64))
}

fn d_eof(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (s, _) = this(vm, "eof", a, 0, 0)?;
    let d = decomp(vm, s)?;
    Ok(Value::bool(d.st.with(|st| st.eof)))
}

fn d_needs_input(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (s, _) = this(vm, "needs_input", a, 0, 0)?;
    let d = decomp(vm, s)?;
    Ok(Value::bool(d.st.with(|st| st.needs_input)))
}

fn d_unused_data(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (s, _) = this(vm, "unused_data", a, 0, 0)?;
    let d = decomp(vm, s)?;
    Ok(BytesObj::new_value(d.st.with(|st| st.unused_data.clone())))
}
