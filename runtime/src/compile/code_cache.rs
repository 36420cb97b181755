//! The on-disk code cache: modules compiled once are loaded from disk on later runs, as
//! CPython's `__pycache__` does, in a format of stitch's own.
//!
//! Importing the Lib re-parsed and re-compiled every module on every run (`import json`
//! spent 0.21 s of its 0.39 s compiling 21 modules). Now a module's code object is
//! written after its first compile and read back when the same source is imported again
//! by the same stitch binary.
//!
//! - **Where**: one folder for every source, since the Lib's folder is usually not
//!   writable: `$STITCH_CACHE_DIR`, else `$XDG_CACHE_HOME/stitch/code`, else
//!   `~/.cache/stitch/code`. An entry's file name is a hash of the source's path and of
//!   the running executable's path, so a debug and a release build (or two worktrees)
//!   keep their own entries instead of evicting each other's.
//! - **Validity**: the header holds the build id (a hash of the executable's path, size
//!   and modification time: any rebuild invalidates every entry), the source's length,
//!   modification time and a 128-bit hash of its text, and a hash of the payload. An
//!   entry is used only when all match; anything else (missing, truncated, stale,
//!   another format) falls back to compiling, silently.
//! - **Unchanged files** are recognised by their size and modification time alone, as
//!   CPython's default `.pyc` check does ([`load_unchanged`]): reading, UTF-8 checking
//!   and hashing every imported source was a tenth of `import unittest`'s start-up. A
//!   source whose modification time was within [`RACY_NS`] of the entry's writing is
//!   stored without its time (a rewrite in the same clock tick, with the same size,
//!   could otherwise keep the old code), and such entries are checked by the hash.
//! - **Writing** goes to a temporary file renamed into place, so concurrent stitch
//!   processes never read a half-written entry. `STITCH_CODE_CACHE=0` turns the cache
//!   off. `PYTHONDONTWRITEBYTECODE`/`-B` are about `__pycache__` files next to sources;
//!   this cache writes nothing there, so they do not turn it off.
//! - **Payload**: the module's code object through `marshal`'s writer with stitch's code
//!   objects (type code `C`, below) and interned strs kept interned, so a loaded code
//!   object is the one the compiler would have made.
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use super::SourceError;
use crate::modules::marshal::{Reader, Writer};
use crate::options::Env;
use crate::types::code::{CodeObj, ExcEntry};
use crate::value::Value;
use crate::vm::{PyResult, Vm};

const MAGIC: &[u8; 8] = b"STITCHC\x03";
/// Bump when the payload's layout changes (the build id also changes on every rebuild).
const FORMAT: u32 = 2;
/// magic, build id (16), source length (8), source modification time (8), source hash
/// (16), payload hash (16).
const HEADER: usize = 8 + 16 + 8 + 8 + 16 + 16;
/// The modification time stored for a source whose time cannot be trusted.
const NO_MTIME: u64 = u64::MAX;
/// How recent (in nanoseconds, before the entry is written) a source's modification
/// time may be and still be trusted: file times advance in clock ticks of a few
/// milliseconds, so a file rewritten within one keeps its time.
const RACY_NS: u64 = 2_000_000_000;

/// A source file's modification time in nanoseconds since the epoch.
pub fn mtime_ns(meta: &std::fs::Metadata) -> Option<u64> {
    let t = meta.modified().ok()?;
    let ns = t.duration_since(std::time::UNIX_EPOCH).ok()?.as_nanos();
    u64::try_from(ns).ok().filter(|&n| n != NO_MTIME)
}

/// Compile `source` (a module file at `filename`) or load its code from the cache.
/// `mtime` is the file's modification time, taken before its text was read.
pub fn compile_module(
    vm: &mut Vm,
    source: &str,
    filename: &str,
    mtime: Option<u64>,
) -> Result<Value, SourceError> {
    let Some(entry) = entry_path(filename) else {
        return super::compile(source, filename);
    };
    let code = match load(vm, &entry, source) {
        Some((code, stored)) if stored == mtime.unwrap_or(NO_MTIME) => return Ok(code),
        // Same text, another time (touched, or written too recently to trust before):
        // store the entry again so that the next run skips reading the source.
        Some((code, _)) => code,
        None => super::compile(source, filename)?,
    };
    store(vm, &entry, source, mtime, &code);
    Ok(code)
}

/// The cached code of the module file at `filename` when its entry was written for
/// the file's current size and modification time (`meta`), without reading the source.
pub fn load_unchanged(vm: &mut Vm, filename: &str, meta: &std::fs::Metadata) -> Option<Value> {
    let mtime = mtime_ns(meta)?;
    let entry = entry_path(filename)?;
    let data = std::fs::read(entry).ok()?;
    let payload = checked_payload(&data)?;
    if u64::from_le_bytes(data[24..32].try_into().ok()?) != meta.len()
        || u64::from_le_bytes(data[32..40].try_into().ok()?) != mtime
    {
        return None;
    }
    read_payload(vm, payload)
}

fn enabled() -> bool {
    !(Env::CodeCache.is("0") || Env::CodeCache.is("off"))
}

fn cache_dir() -> Option<PathBuf> {
    if let Some(d) = Env::CacheDir.get() {
        return Some(PathBuf::from(d));
    }
    let base = match std::env::var_os("XDG_CACHE_HOME") {
        Some(x) if !x.is_empty() => PathBuf::from(x),
        _ => PathBuf::from(std::env::var_os("HOME")?).join(".cache"),
    };
    Some(base.join("stitch").join("code"))
}

/// A 128-bit hash of `parts` (each length-prefixed). XXH3: the cache hashes every
/// imported source and payload on each run, and a cryptographic hash (BLAKE2b, here
/// before) cost 16% of `import unittest`'s instructions; nothing here needs resistance
/// to a chosen collision (the cache folder is the user's own).
fn hash128(parts: &[&[u8]]) -> [u8; 16] {
    let mut st = xxhash_rust::xxh3::Xxh3::new();
    for p in parts {
        st.update(&(p.len() as u64).to_le_bytes());
        st.update(p);
    }
    st.digest128().to_le_bytes()
}

/// The hash of an entry's payload: XXH3's one-shot form, cheaper than the streaming
/// one [`hash128`] needs for its parts (every load hashes its whole payload).
fn payload_hash(payload: &[u8]) -> [u8; 16] {
    xxhash_rust::xxh3::xxh3_128(payload).to_le_bytes()
}

/// The running executable's identity: (hash of its path, build id).
fn exe_identity() -> Option<&'static ([u8; 16], [u8; 16])> {
    static ID: OnceLock<Option<([u8; 16], [u8; 16])>> = OnceLock::new();
    ID.get_or_init(|| {
        let exe = std::env::current_exe().ok()?;
        let meta = std::fs::metadata(&exe).ok()?;
        let mtime = meta
            .modified()
            .ok()?
            .duration_since(std::time::UNIX_EPOCH)
            .ok()?
            .as_nanos();
        let path = exe.to_string_lossy().into_owned();
        let build = hash128(&[
            path.as_bytes(),
            &meta.len().to_le_bytes(),
            &mtime.to_le_bytes(),
            &FORMAT.to_le_bytes(),
        ]);
        Some((hash128(&[path.as_bytes()]), build))
    })
    .as_ref()
}

/// The cache file for the module source at `filename`, or None when caching is off or
/// there is no cache folder.
fn entry_path(filename: &str) -> Option<PathBuf> {
    // Sources that are not files (`<stitch importlib bridge>`, `<string>`) stay uncached.
    if !enabled() || filename.starts_with('<') {
        return None;
    }
    let (exe, _) = exe_identity()?;
    let abs = std::path::absolute(filename).ok()?;
    // Code compiled under -O or -OO differs (as CPython's `.opt-1.pyc`).
    let key = hash128(&[
        abs.to_string_lossy().as_bytes(),
        exe,
        &[crate::compile::default_optimize()],
    ]);
    let name: String = key[..12].iter().map(|b| format!("{b:02x}")).collect();
    let stem = Path::new(filename)
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    Some(cache_dir()?.join(format!("{stem}.{name}.stc")))
}

/// The payload of an entry whose format, build and payload hash check out.
fn checked_payload(data: &[u8]) -> Option<&[u8]> {
    let (_, build) = exe_identity()?;
    if data.len() < HEADER || &data[..8] != MAGIC || data[8..24] != build[..] {
        return None;
    }
    let payload = &data[HEADER..];
    (data[56..72] == payload_hash(payload)).then_some(payload)
}

fn read_payload(vm: &mut Vm, payload: &[u8]) -> Option<Value> {
    let mut r = Reader::new(payload, true);
    let code = r.read(vm, 0).ok()?;
    code.downcast::<CodeObj>()?;
    Some(code)
}

/// The cached code for `source` and the modification time its entry holds.
fn load(vm: &mut Vm, entry: &Path, source: &str) -> Option<(Value, u64)> {
    let data = std::fs::read(entry).ok()?;
    let payload = checked_payload(&data)?;
    let len = u64::from_le_bytes(data[24..32].try_into().ok()?);
    if len != source.len() as u64 || data[40..56] != hash128(&[source.as_bytes()]) {
        return None;
    }
    let mtime = u64::from_le_bytes(data[32..40].try_into().ok()?);
    Some((read_payload(vm, payload)?, mtime))
}

fn store(vm: &mut Vm, entry: &Path, source: &str, mtime: Option<u64>, code: &Value) {
    let Some((_, build)) = exe_identity() else {
        return;
    };
    let mut w = Writer::new(4, true);
    if let Err(e) = w.write(vm, code, 0) {
        // Only a constant marshal cannot write (none the compiler makes today): the
        // module just stays uncached.
        debug_assert!(
            false,
            "code cache: {entry:?} not written: {:?}",
            e.exc.type_data().name
        );
        return;
    }
    let mut data = Vec::with_capacity(HEADER + w.out.len());
    data.extend_from_slice(MAGIC);
    data.extend_from_slice(build);
    data.extend_from_slice(&(source.len() as u64).to_le_bytes());
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos().min(u64::MAX as u128) as u64);
    let mtime = mtime.filter(|&t| t.saturating_add(RACY_NS) < now);
    data.extend_from_slice(&mtime.unwrap_or(NO_MTIME).to_le_bytes());
    data.extend_from_slice(&hash128(&[source.as_bytes()]));
    data.extend_from_slice(&payload_hash(&w.out));
    data.extend_from_slice(&w.out);
    let Some(dir) = entry.parent() else {
        return;
    };
    if std::fs::create_dir_all(dir).is_err() {
        return;
    }
    // A name no other process or thread uses, renamed over the entry when complete.
    static SEQ: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
    let seq = SEQ.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let tmp = dir.join(format!(".tmp.{}.{seq}", std::process::id()));
    if std::fs::write(&tmp, &data).is_err() || std::fs::rename(&tmp, entry).is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
}

// ---- stitch code objects in the marshal stream ----------------------------------------

fn put_u32(w: &mut Writer, n: usize) {
    w.out.extend_from_slice(&(n as u32).to_le_bytes());
}

fn put_str(w: &mut Writer, s: &str) {
    put_u32(w, s.len());
    w.out.extend_from_slice(s.as_bytes());
}

fn put_u32s(w: &mut Writer, xs: impl ExactSizeIterator<Item = u32>) {
    put_u32(w, xs.len());
    for x in xs {
        w.out.extend_from_slice(&x.to_le_bytes());
    }
}

/// Writes the fields of `co` after its `C` type code; constants (nested code objects
/// included) go through the marshal writer.
pub(crate) fn write_code(w: &mut Writer, vm: &mut Vm, co: &CodeObj, depth: usize) -> PyResult<()> {
    put_str(w, &co.name);
    put_str(w, &co.qualname);
    put_str(w, &co.filename);
    put_u32s(w, co.code.iter().copied());
    put_u32(w, co.consts.len());
    for c in &co.consts {
        w.write(vm, c, depth + 1)?;
    }
    put_u32(w, co.names.len());
    for n in &co.names {
        put_str(w, crate::types::str::as_str(n).unwrap_or(""));
    }
    put_u32(w, co.localsplus_names.len());
    for n in &co.localsplus_names {
        put_str(w, n);
    }
    for n in [
        co.nlocals,
        co.ncells,
        co.nfree,
        co.argcount,
        co.posonlyargcount,
        co.kwonlyargcount,
        co.flags as usize,
        co.stacksize,
        co.firstlineno as usize,
    ] {
        put_u32(w, n);
    }
    put_u32s(
        w,
        co.cell2arg.iter().map(|a| a.map_or(u32::MAX, |i| i as u32)),
    );
    put_u32s(w, co.lines.iter().copied());
    let (width, spans) = co.spans.packed();
    w.out.push(width);
    put_u32(w, spans.len());
    w.out.extend_from_slice(spans);
    put_u32(w, co.exc_table.len());
    for e in &co.exc_table {
        for n in [e.start, e.end, e.handler, e.depth, e.lasti as u32] {
            w.out.extend_from_slice(&n.to_le_bytes());
        }
    }
    Ok(())
}

fn get_u32(r: &mut Reader, vm: &mut Vm) -> PyResult<u32> {
    Ok(r.i32(vm)? as u32)
}

fn get_usize(r: &mut Reader, vm: &mut Vm) -> PyResult<usize> {
    Ok(get_u32(r, vm)? as usize)
}

fn get_str(r: &mut Reader, vm: &mut Vm) -> PyResult<String> {
    let n = get_usize(r, vm)?;
    let b = r.take(vm, n)?;
    String::from_utf8(b.to_vec()).map_err(|_| vm.value_error("bad code cache (invalid UTF-8)"))
}

fn get_u32s(r: &mut Reader, vm: &mut Vm) -> PyResult<Vec<u32>> {
    let n = get_usize(r, vm)?;
    let Some(bytes) = n.checked_mul(4) else {
        return Err(vm.value_error("bad code cache (length)"));
    };
    // One bounds check for the run, not one per unit (code units are most of a cache).
    let b = r.take(vm, bytes)?;
    let mut out = vec![0u32; n];
    if cfg!(target_endian = "little") {
        // One copy for the run: decoding unit by unit through an iterator was 4% of
        // `import unittest`'s instructions.
        // SAFETY: `out` holds `n` u32s, `b.len() == 4 * n` bytes, the two do not
        // overlap, every bit pattern is a valid u32, and on a little-endian target the
        // stored little-endian bytes are the values' own representation.
        unsafe { std::ptr::copy_nonoverlapping(b.as_ptr(), out.as_mut_ptr().cast::<u8>(), bytes) };
    } else {
        for (o, c) in out.iter_mut().zip(b.chunks_exact(4)) {
            *o = u32::from_le_bytes([c[0], c[1], c[2], c[3]]);
        }
    }
    Ok(out)
}

/// Reads a code object written by `write_code`.
pub(crate) fn read_code(r: &mut Reader, vm: &mut Vm, depth: usize) -> PyResult<Value> {
    let name = get_str(r, vm)?;
    let qualname = get_str(r, vm)?;
    let filename = get_str(r, vm)?;
    let code = get_u32s(r, vm)?;
    let nconsts = get_usize(r, vm)?;
    let mut consts = Vec::with_capacity(nconsts.min(1 << 16));
    for _ in 0..nconsts {
        consts.push(r.read(vm, depth + 1)?);
    }
    let nnames = get_usize(r, vm)?;
    let mut names = Vec::with_capacity(nnames.min(1 << 16));
    for _ in 0..nnames {
        let n = get_usize(r, vm)?;
        let b = r.take(vm, n)?;
        let Some(name) = crate::world::intern_utf8(b) else {
            return Err(vm.value_error("bad code cache (invalid UTF-8)"));
        };
        names.push(name);
    }
    let nlocalsplus = get_usize(r, vm)?;
    let mut localsplus_names = Vec::with_capacity(nlocalsplus.min(1 << 16));
    for _ in 0..nlocalsplus {
        localsplus_names.push(get_str(r, vm)?);
    }
    let mut f = [0usize; 9];
    for x in &mut f {
        *x = get_usize(r, vm)?;
    }
    let [
        nlocals,
        ncells,
        nfree,
        argcount,
        posonlyargcount,
        kwonlyargcount,
        flags,
        stacksize,
        firstlineno,
    ] = f;
    let cell2arg = get_u32s(r, vm)?
        .into_iter()
        .map(|a| (a != u32::MAX).then_some(a as usize))
        .collect();
    let lines = get_u32s(r, vm)?;
    let width = r.take(vm, 1)?[0];
    let nbytes = get_usize(r, vm)?;
    let Some(spans) =
        crate::types::code::Spans::from_packed(width, r.take(vm, nbytes)?, code.len())
    else {
        return Err(vm.value_error("bad code cache (spans)"));
    };
    let nexc = get_usize(r, vm)?;
    let mut exc_table = Vec::with_capacity(nexc.min(1 << 16));
    for _ in 0..nexc {
        let mut e = [0u32; 5];
        for x in &mut e {
            *x = get_u32(r, vm)?;
        }
        exc_table.push(ExcEntry {
            start: e[0],
            end: e[1],
            handler: e[2],
            depth: e[3],
            lasti: e[4] != 0,
        });
    }
    if nlocals + ncells + nfree != localsplus_names.len()
        || lines.len() != code.len()
        || !(spans.is_empty() || spans.len() == code.len())
    {
        return Err(vm.value_error("bad code cache (inconsistent code object)"));
    }
    Ok(Value::alloc(CodeObj {
        name_objs: Default::default(),
        name,
        qualname,
        filename,
        quick: crate::specialize::new_caches(&code, &exc_table)
            .map_err(|e| vm.value_error(format!("bad code cache ({e})")))?,
        code,
        consts,
        names,
        localsplus_names,
        nlocals,
        ncells,
        nfree,
        cell2arg,
        argcount,
        posonlyargcount,
        kwonlyargcount,
        flags: flags as u32,
        stacksize,
        firstlineno: firstlineno as u32,
        lines,
        spans,
        exc_table,
    }))
}
