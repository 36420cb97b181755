//! `zlib`: deflate compression (zlib, raw and gzip containers) on zlib-rs, a pure-Rust
//! port of zlib, so no system libz is needed. One-shot `compress`/`decompress`, the
//! streaming `Compress`/`Decompress` objects (flush modes, `unused_data`,
//! `unconsumed_tail`, `eof`, `copy`, preset dictionaries), `crc32` and `adler32`,
//! with the loops, errors and messages of CPython's zlibmodule.c.
mod stream;

use std::ffi::c_int;
use std::sync::atomic::{AtomicU64, Ordering};

use libz_rs_sys as z;
use stitch_stencils::value::RawValue;

use self::stream::{Step, Stream};
use super::buffer;
use super::kwonly::bind;
use super::native_args::{
    getset, int_arg, methods, module, object_type, receiver, set, ssize_arg, this, unpack,
};
use crate::native_payload;
use crate::object::ObjCell;
use crate::types::bytes::BytesObj;
use crate::types::class::Kind;
use crate::types::native::{NativeType, new_type};
use crate::types::str::new_str;
use crate::value::Value;
use crate::vm::{Args, PyErr, PyResult, Vm};
use crate::world::types;

const MAX_WBITS: c_int = 15;
const DEF_MEM_LEVEL: c_int = 8;
const DEF_BUF_SIZE: usize = 16 * 1024;

/// `zlib.error`.
static ERROR: AtomicU64 = AtomicU64::new(0);

fn zerr(vm: &mut Vm, msg: impl Into<String>) -> PyErr {
    vm.err(RawValue(ERROR.load(Ordering::Acquire)), msg)
}

/// CPython's `zlib_error`: "Error <code> <what>: <zlib's message>".
fn zlib_error(vm: &mut Vm, err: c_int, zmsg: Option<String>, what: &str) -> PyErr {
    let zmsg = if err == z::Z_VERSION_ERROR {
        Some("library version mismatch".to_string())
    } else {
        zmsg.or_else(|| {
            match err {
                z::Z_BUF_ERROR => Some("incomplete or truncated stream"),
                z::Z_STREAM_ERROR => Some("inconsistent stream state"),
                z::Z_DATA_ERROR => Some("invalid input data"),
                _ => None,
            }
            .map(str::to_string)
        })
    };
    match zmsg {
        Some(m) => zerr(vm, format!("Error {err} {what}: {m}")),
        None => zerr(vm, format!("Error {err} {what}")),
    }
}

fn memory_error(vm: &mut Vm, msg: &str) -> PyErr {
    vm.err(types().memory_error, msg)
}

fn required<'a>(vm: &mut Vm, v: Option<&'a Value>, f: &str, name: &str) -> PyResult<&'a Value> {
    v.ok_or_else(|| vm.type_error(format!("{f}() missing required argument '{name}' (pos 1)")))
}

pub fn init(_vm: &mut Vm) -> PyResult<Value> {
    let m = module(
        "zlib",
        &[
            ("adler32", adler32),
            ("compress", compress),
            ("compressobj", compressobj),
            ("crc32", crc32),
            ("decompress", decompress),
            ("decompressobj", decompressobj),
        ],
    );
    if ERROR.load(Ordering::Acquire) == 0 {
        let e = super::binascii::exception_type("error", "zlib", types().exception);
        ERROR.store(e.raw().0, Ordering::Release);
    }
    set(
        &m,
        "error",
        Value::from_borrowed(RawValue(ERROR.load(Ordering::Acquire))),
    );
    let ct = new_type::<CompressObj>(
        "Compress",
        "zlib",
        object_type(),
        Kind::Native,
        &COMPRESS_T,
        &COMPRESS,
    );
    methods(
        &ct,
        &[
            ("compress", c_compress),
            ("flush", c_flush),
            ("copy", c_copy),
            ("__copy__", c_copy),
            ("__deepcopy__", c_deepcopy),
        ],
    );
    let dt = new_type::<DecompressObj>(
        "Decompress",
        "zlib",
        object_type(),
        Kind::Native,
        &DECOMPRESS_T,
        &DECOMPRESS,
    );
    methods(
        &dt,
        &[
            ("decompress", d_decompress),
            ("flush", d_flush),
            ("copy", d_copy),
            ("__copy__", d_copy),
            ("__deepcopy__", d_deepcopy),
        ],
    );
    getset(&dt, "unused_data", d_unused_data, None);
    getset(&dt, "unconsumed_tail", d_unconsumed_tail, None);
    getset(&dt, "eof", d_eof, None);
    let version = stream::zlib_version();
    set(&m, "ZLIB_VERSION", new_str(&version));
    set(&m, "ZLIB_RUNTIME_VERSION", new_str(&version));
    for (name, v) in [
        ("MAX_WBITS", MAX_WBITS),
        ("DEFLATED", z::Z_DEFLATED),
        ("DEF_MEM_LEVEL", DEF_MEM_LEVEL),
        ("DEF_BUF_SIZE", DEF_BUF_SIZE as c_int),
        ("Z_NO_COMPRESSION", z::Z_NO_COMPRESSION),
        ("Z_BEST_SPEED", z::Z_BEST_SPEED),
        ("Z_BEST_COMPRESSION", z::Z_BEST_COMPRESSION),
        ("Z_DEFAULT_COMPRESSION", z::Z_DEFAULT_COMPRESSION),
        ("Z_FILTERED", z::Z_FILTERED),
        ("Z_HUFFMAN_ONLY", z::Z_HUFFMAN_ONLY),
        ("Z_RLE", z::Z_RLE),
        ("Z_FIXED", z::Z_FIXED),
        ("Z_DEFAULT_STRATEGY", z::Z_DEFAULT_STRATEGY),
        ("Z_NO_FLUSH", z::Z_NO_FLUSH),
        ("Z_PARTIAL_FLUSH", z::Z_PARTIAL_FLUSH),
        ("Z_SYNC_FLUSH", z::Z_SYNC_FLUSH),
        ("Z_FULL_FLUSH", z::Z_FULL_FLUSH),
        ("Z_FINISH", z::Z_FINISH),
        ("Z_BLOCK", z::Z_BLOCK),
        ("Z_TREES", z::Z_TREES),
    ] {
        set(&m, name, Value::int(v as i64));
    }
    Ok(m)
}

// ---- checksums ------------------------------------------------------------------------

/// `adler32(data, value=1, /)`.
fn adler32(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let p = unpack(vm, "adler32", a, 1, 2)?;
    let data = buffer::need(vm, &p[0])?;
    let v = match p.get(1) {
        Some(v) => super::binascii::u32_bitwise(vm, v)?,
        None => 1,
    };
    Ok(Value::int(stream::adler32(v, &data) as i64))
}

/// `crc32(data, value=0, /)`.
fn crc32(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let p = unpack(vm, "crc32", a, 1, 2)?;
    let data = buffer::need(vm, &p[0])?;
    let v = match p.get(1) {
        Some(v) => super::binascii::u32_bitwise(vm, v)?,
        None => 0,
    };
    Ok(Value::int(super::binascii::crc32_update(v, &data) as i64))
}

// ---- one-shot -------------------------------------------------------------------------

/// Output room per step when the final size is unknown.
fn grow(out: &[u8]) -> usize {
    DEF_BUF_SIZE.max(out.len())
}

/// `compress(data, /, level=Z_DEFAULT_COMPRESSION, wbits=MAX_WBITS)`.
fn compress(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let b = bind(vm, "compress", a, &["data", "level", "wbits"], 1, 3)?;
    let data = required(vm, b[0], "compress", "data")?;
    let data = buffer::need(vm, data)?;
    let level = int_arg(vm, b[1], z::Z_DEFAULT_COMPRESSION)?;
    let wbits = int_arg(vm, b[2], MAX_WBITS)?;
    let mut s = match Stream::deflate(
        level,
        z::Z_DEFLATED,
        wbits,
        DEF_MEM_LEVEL,
        z::Z_DEFAULT_STRATEGY,
    ) {
        Ok(s) => s,
        Err((z::Z_MEM_ERROR, _)) => {
            return Err(memory_error(vm, "Out of memory while compressing data"));
        }
        Err((z::Z_STREAM_ERROR, _)) => return Err(zerr(vm, "Bad compression level")),
        Err((e, m)) => return Err(zlib_error(vm, e, m, "while compressing data")),
    };
    let mut out = Vec::new();
    let mut pos = 0;
    loop {
        let room = grow(&out);
        let st = s.step(&data[pos..], &mut out, room, z::Z_FINISH);
        pos += st.consumed;
        if st.err == z::Z_STREAM_ERROR {
            let m = s.msg();
            return Err(zlib_error(vm, st.err, m, "while compressing data"));
        }
        if st.err == z::Z_STREAM_END {
            break;
        }
    }
    let err = s.end();
    if err != z::Z_OK {
        let m = s.msg();
        return Err(zlib_error(vm, err, m, "while finishing compression"));
    }
    Ok(BytesObj::new_value(out))
}

/// `decompress(data, /, wbits=MAX_WBITS, bufsize=DEF_BUF_SIZE)`.
fn decompress(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let b = bind(vm, "decompress", a, &["data", "wbits", "bufsize"], 1, 3)?;
    let data = required(vm, b[0], "decompress", "data")?;
    let data = buffer::need(vm, data)?;
    let wbits = int_arg(vm, b[1], MAX_WBITS)?;
    let bufsize = ssize_arg(vm, b[2], DEF_BUF_SIZE as i64)?;
    if bufsize < 0 {
        return Err(vm.value_error("bufsize must be non-negative"));
    }
    let mut s = match Stream::inflate(wbits) {
        Ok(s) => s,
        Err((z::Z_MEM_ERROR, _)) => {
            return Err(memory_error(vm, "Out of memory while decompressing data"));
        }
        Err((e, m)) => return Err(zlib_error(vm, e, m, "while preparing to decompress data")),
    };
    let mut out = Vec::new();
    let mut room = (bufsize as usize).max(1);
    let mut pos = 0;
    let mut err;
    loop {
        let flush = if data.len() - pos <= u32::MAX as usize {
            z::Z_FINISH
        } else {
            z::Z_NO_FLUSH
        };
        loop {
            let st = s.step(&data[pos..], &mut out, room, flush);
            pos += st.consumed;
            err = st.err;
            match err {
                z::Z_OK | z::Z_BUF_ERROR | z::Z_STREAM_END => {}
                z::Z_MEM_ERROR => {
                    return Err(memory_error(vm, "Out of memory while decompressing data"));
                }
                _ => {
                    let m = s.msg();
                    return Err(zlib_error(vm, err, m, "while decompressing data"));
                }
            }
            room = grow(&out);
            if !st.out_full {
                break;
            }
        }
        if err == z::Z_STREAM_END || pos == data.len() {
            break;
        }
    }
    if err != z::Z_STREAM_END {
        let m = s.msg();
        return Err(zlib_error(vm, err, m, "while decompressing data"));
    }
    Ok(BytesObj::new_value(out))
}

// ---- Compress -------------------------------------------------------------------------

pub struct CompressObj {
    s: ObjCell<Stream>,
}
native_payload!(CompressObj, COMPRESS);
static COMPRESS_T: NativeType = NativeType::of::<CompressObj>();

fn comp<'a>(vm: &mut Vm, v: &'a Value) -> PyResult<&'a CompressObj> {
    crate::types::native::downcast::<CompressObj>(v)
        .ok_or_else(|| vm.type_error("descriptor requires a 'zlib.Compress' object"))
}

/// `compressobj(level=-1, method=DEFLATED, wbits=MAX_WBITS, memLevel=DEF_MEM_LEVEL,
/// strategy=Z_DEFAULT_STRATEGY, zdict=None)`.
fn compressobj(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let names = ["level", "method", "wbits", "memLevel", "strategy", "zdict"];
    let b = bind(vm, "compressobj", a, &names, 0, 6)?;
    let level = int_arg(vm, b[0], z::Z_DEFAULT_COMPRESSION)?;
    let method = int_arg(vm, b[1], z::Z_DEFLATED)?;
    let wbits = int_arg(vm, b[2], MAX_WBITS)?;
    let mem_level = int_arg(vm, b[3], DEF_MEM_LEVEL)?;
    let strategy = int_arg(vm, b[4], z::Z_DEFAULT_STRATEGY)?;
    let zdict = match b[5] {
        Some(d) if !d.is_none() => Some(buffer::need(vm, d)?.into_owned()),
        _ => None,
    };
    let mut s = match Stream::deflate(level, method, wbits, mem_level, strategy) {
        Ok(s) => s,
        Err((z::Z_MEM_ERROR, _)) => {
            return Err(memory_error(
                vm,
                "Can't allocate memory for compression object",
            ));
        }
        Err((z::Z_STREAM_ERROR, _)) => {
            return Err(vm.value_error("Invalid initialization option"));
        }
        Err((e, m)) => return Err(zlib_error(vm, e, m, "while creating compression object")),
    };
    if let Some(d) = zdict
        && s.set_dictionary(&d) != z::Z_OK
    {
        return Err(vm.value_error("Invalid dictionary"));
    }
    Ok(Value::alloc(CompressObj { s: ObjCell::new(s) }))
}

/// `Compress.compress(data, /)`.
fn c_compress(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (s, r) = this(vm, "compress", a, 1, 1)?;
    let c = comp(vm, s)?;
    let data = buffer::need(vm, &r[0])?;
    let res = c.s.with(|s| {
        let mut out = Vec::new();
        let mut pos = 0;
        loop {
            let room = grow(&out);
            let st = s.step(&data[pos..], &mut out, room, z::Z_NO_FLUSH);
            pos += st.consumed;
            if st.err == z::Z_STREAM_ERROR {
                return Err((st.err, s.msg()));
            }
            if !st.out_full && pos == data.len() {
                return Ok(out);
            }
        }
    });
    match res {
        Ok(out) => Ok(BytesObj::new_value(out)),
        Err((e, m)) => Err(zlib_error(vm, e, m, "while compressing data")),
    }
}

/// `Compress.flush(mode=Z_FINISH, /)`: after Z_FINISH the stream is finished.
fn c_flush(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (s, r) = this(vm, "flush", a, 0, 1)?;
    let c = comp(vm, s)?;
    let mode = int_arg(vm, r.first(), z::Z_FINISH)?;
    if mode == z::Z_NO_FLUSH {
        return Ok(BytesObj::new_value(vec![]));
    }
    let res = c.s.with(|s| {
        let mut out = Vec::new();
        let mut last: Step;
        loop {
            let room = grow(&out);
            last = s.step(&[], &mut out, room, mode);
            if last.err == z::Z_STREAM_ERROR {
                return Err((last.err, s.msg(), "while flushing"));
            }
            if !last.out_full {
                break;
            }
        }
        if last.err == z::Z_STREAM_END && mode == z::Z_FINISH {
            let e = s.end();
            if e != z::Z_OK {
                return Err((e, s.msg(), "while finishing compression"));
            }
        } else if last.err != z::Z_OK && last.err != z::Z_BUF_ERROR {
            return Err((last.err, s.msg(), "while flushing"));
        }
        Ok(out)
    });
    match res {
        Ok(out) => Ok(BytesObj::new_value(out)),
        Err((e, m, what)) => Err(zlib_error(vm, e, m, what)),
    }
}

/// `Compress.copy()` (also `__copy__`).
fn c_copy(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (s, _) = this(vm, "copy", a, 0, 0)?;
    let c = comp(vm, s)?;
    copy_compress(vm, c)
}

fn c_deepcopy(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (s, _) = this(vm, "__deepcopy__", a, 1, 1)?;
    let c = comp(vm, s)?;
    copy_compress(vm, c)
}

fn copy_compress(vm: &mut Vm, c: &CompressObj) -> PyResult<Value> {
    let r = c.s.with(|s| {
        if !s.is_live() {
            return Err(None);
        }
        s.copy().map_err(|e| Some((e, s.msg())))
    });
    match r {
        Ok(s) => Ok(Value::alloc(CompressObj { s: ObjCell::new(s) })),
        Err(None) | Err(Some((z::Z_STREAM_ERROR, _))) => {
            Err(vm.value_error("Inconsistent stream state"))
        }
        Err(Some((z::Z_MEM_ERROR, _))) => Err(memory_error(
            vm,
            "Can't allocate memory for compression object",
        )),
        Err(Some((e, m))) => Err(zlib_error(vm, e, m, "while copying compression object")),
    }
}

// ---- Decompress -----------------------------------------------------------------------

struct DState {
    s: Stream,
    unused_data: Vec<u8>,
    unconsumed_tail: Vec<u8>,
    eof: bool,
    zdict: Option<Vec<u8>>,
}

pub struct DecompressObj {
    st: ObjCell<DState>,
}
native_payload!(DecompressObj, DECOMPRESS);
static DECOMPRESS_T: NativeType = NativeType::of::<DecompressObj>();

fn decomp<'a>(vm: &mut Vm, v: &'a Value) -> PyResult<&'a DecompressObj> {
    crate::types::native::downcast::<DecompressObj>(v)
        .ok_or_else(|| vm.type_error("descriptor requires a 'zlib.Decompress' object"))
}

/// `decompressobj(wbits=MAX_WBITS, zdict=b'')`.
fn decompressobj(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let b = bind(vm, "decompressobj", a, &["wbits", "zdict"], 0, 2)?;
    let wbits = int_arg(vm, b[0], MAX_WBITS)?;
    let zdict = match b[1] {
        Some(d) => match buffer::bytes_like(d) {
            Some(bytes) => Some(bytes.into_owned()),
            None => {
                return Err(vm.type_error("zdict argument must support the buffer protocol"));
            }
        },
        None => None,
    };
    let mut s = match Stream::inflate(wbits) {
        Ok(s) => s,
        Err((z::Z_MEM_ERROR, _)) => {
            return Err(memory_error(
                vm,
                "Can't allocate memory for decompression object",
            ));
        }
        Err((z::Z_STREAM_ERROR, _)) => {
            return Err(vm.value_error("Invalid initialization option"));
        }
        Err((e, m)) => return Err(zlib_error(vm, e, m, "while creating decompression object")),
    };
    // A raw stream has no header asking for the dictionary: it is set at once.
    if wbits < 0
        && let Some(d) = &zdict
    {
        let e = s.set_dictionary(d);
        if e != z::Z_OK {
            let m = s.msg();
            return Err(zlib_error(vm, e, m, "while setting zdict"));
        }
    }
    Ok(Value::alloc(DecompressObj {
        st: ObjCell::new(DState {
            s,
            unused_data: vec![],
            unconsumed_tail: vec![],
            eof: false,
            zdict,
        }),
    }))
}

/// Why a decompression loop stopped with an error.
type LoopErr = (c_int, Option<String>, &'static str);

/// The shared loop of `decompress` and `flush`: inflate `data` into `out` (up to
/// `max_len` bytes when non-zero), setting the dictionary when the stream asks.
/// Returns zlib's last code and the input consumed.
fn inflate_loop(
    d: &mut DState,
    data: &[u8],
    out: &mut Vec<u8>,
    max_len: usize,
    first_room: usize,
    finish: bool,
) -> Result<(c_int, usize), LoopErr> {
    let mut pos = 0;
    let mut err = z::Z_OK;
    let mut room = first_room;
    'outer: loop {
        // As CPython, which hands zlib all the input (up to 4 GiB) at once.
        let flush = if finish { z::Z_FINISH } else { z::Z_SYNC_FLUSH };
        loop {
            let r = if max_len > 0 {
                let left = max_len - out.len();
                if left == 0 {
                    break 'outer;
                }
                room.min(left)
            } else {
                room
            };
            let st = d.s.step(&data[pos..], out, r, flush);
            pos += st.consumed;
            err = st.err;
            room = grow(out);
            match err {
                z::Z_OK | z::Z_BUF_ERROR | z::Z_STREAM_END => {}
                z::Z_NEED_DICT if d.zdict.is_some() => {
                    let dict = d.zdict.clone().unwrap_or_default();
                    let e = d.s.set_dictionary(&dict);
                    if e != z::Z_OK {
                        return Err((e, d.s.msg(), "while setting zdict"));
                    }
                    continue;
                }
                _ => break 'outer,
            }
            if !st.out_full {
                break;
            }
        }
        if err == z::Z_STREAM_END || pos == data.len() {
            break;
        }
    }
    Ok((err, pos))
}

/// CPython's `save_unconsumed_input`.
fn save_unconsumed(d: &mut DState, data: &[u8], mut pos: usize, err: c_int) {
    if err == z::Z_STREAM_END && pos < data.len() {
        d.unused_data.extend_from_slice(&data[pos..]);
        pos = data.len();
    }
    if pos < data.len() || !d.unconsumed_tail.is_empty() {
        d.unconsumed_tail = data[pos..].to_vec();
    }
}

/// `Decompress.decompress(data, /, max_length=0)`.
fn d_decompress(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (s, rest_args) = receiver(vm, "decompress", a)?;
    let b = bind(vm, "decompress", &rest_args, &["data", "max_length"], 1, 2)?;
    let data = required(vm, b[0], "decompress", "data")?;
    let data = buffer::need(vm, data)?;
    let max_length = ssize_arg(vm, b[1], 0)?;
    if max_length < 0 {
        return Err(vm.value_error("max_length must be non-negative"));
    }
    let d = decomp(vm, s)?;
    let res = d.st.with(|d| {
        let mut out = Vec::new();
        let (err, pos) =
            inflate_loop(d, &data, &mut out, max_length as usize, DEF_BUF_SIZE, false)?;
        save_unconsumed(d, &data, pos, err);
        if err == z::Z_STREAM_END {
            d.eof = true;
        } else if err != z::Z_OK && err != z::Z_BUF_ERROR {
            return Err((err, d.s.msg(), "while decompressing data"));
        }
        Ok(out)
    });
    match res {
        Ok(out) => Ok(BytesObj::new_value(out)),
        Err((e, m, what)) => Err(zlib_error(vm, e, m, what)),
    }
}

/// `Decompress.flush(length=DEF_BUF_SIZE, /)`: decompress what is left of the
/// unconsumed tail; at the end of the stream zlib's state is freed.
fn d_flush(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (s, r) = this(vm, "flush", a, 0, 1)?;
    let length = ssize_arg(vm, r.first(), DEF_BUF_SIZE as i64)?;
    if length <= 0 {
        return Err(vm.value_error("length must be greater than zero"));
    }
    let d = decomp(vm, s)?;
    let res = d.st.with(|d| {
        let data = std::mem::take(&mut d.unconsumed_tail);
        let mut out = Vec::new();
        let (err, pos) = inflate_loop(d, &data, &mut out, 0, length as usize, true)?;
        save_unconsumed(d, &data, pos, err);
        if err == z::Z_STREAM_END {
            d.eof = true;
            let e = d.s.end();
            if e != z::Z_OK {
                return Err((e, d.s.msg(), "while finishing decompression"));
            }
        }
        Ok(out)
    });
    match res {
        Ok(out) => Ok(BytesObj::new_value(out)),
        Err((e, m, what)) => Err(zlib_error(vm, e, m, what)),
    }
}

fn d_copy(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (s, _) = this(vm, "copy", a, 0, 0)?;
    let d = decomp(vm, s)?;
    copy_decompress(vm, d)
}

fn d_deepcopy(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (s, _) = this(vm, "__deepcopy__", a, 1, 1)?;
    let d = decomp(vm, s)?;
    copy_decompress(vm, d)
}

fn copy_decompress(vm: &mut Vm, d: &DecompressObj) -> PyResult<Value> {
    let r = d.st.with(|d| {
        if !d.s.is_live() {
            return Err(None);
        }
        match d.s.copy() {
            Ok(s) => Ok(DState {
                s,
                unused_data: d.unused_data.clone(),
                unconsumed_tail: d.unconsumed_tail.clone(),
                eof: d.eof,
                zdict: d.zdict.clone(),
            }),
            Err(e) => Err(Some((e, d.s.msg()))),
        }
    });
    match r {
        Ok(st) => Ok(Value::alloc(DecompressObj {
            st: ObjCell::new(st),
        })),
        Err(None) | Err(Some((z::Z_STREAM_ERROR, _))) => {
            Err(vm.value_error("Inconsistent stream state"))
        }
        Err(Some((z::Z_MEM_ERROR, _))) => Err(memory_error(
            vm,
            "Can't allocate memory for decompression object",
        )),
        Err(Some((e, m))) => Err(zlib_error(vm, e, m, "while copying decompression object")),
    }
}

fn d_unused_data(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (s, _) = this(vm, "unused_data", a, 0, 0)?;
    let d = decomp(vm, s)?;
    Ok(BytesObj::new_value(d.st.read(|d| d.unused_data.clone())))
}

fn d_unconsumed_tail(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (s, _) = this(vm, "unconsumed_tail", a, 0, 0)?;
    let d = decomp(vm, s)?;
    Ok(BytesObj::new_value(
        d.st.read(|d| d.unconsumed_tail.clone()),
    ))
}

fn d_eof(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (s, _) = this(vm, "eof", a, 0, 0)?;
    let d = decomp(vm, s)?;
    Ok(Value::bool(d.st.read(|d| d.eof)))
}
