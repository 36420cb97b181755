//! The hash modules CPython builds when OpenSSL is not used, which its Lib's `hashlib`
//! falls back to when `_hashlib` cannot be imported: `_md5`, `_sha1`, `_sha256`
//! (sha224, sha256), `_sha512` (sha384, sha512), `_sha3` (sha3_*, shake_*) and
//! `_blake2` (blake2b, blake2s), on the RustCrypto crates and blake2b/s_simd.
//!
//! Every algorithm's objects share one payload, [`HashObj`] (the algorithm's running
//! state in a cell, so two threads updating one object serialise), but each has its
//! own type object under CPython's name (`_md5.md5`, `_sha3.sha3_256`, ...), as in
//! CPython; the types are not subclassable (neither are CPython's).
mod blake2;
mod sha3;

use std::sync::atomic::AtomicU64;

use md5::Md5;
use sha1::Sha1;
use sha2::{Digest, Sha224, Sha256, Sha384, Sha512};

use super::kwonly::bind;
use super::native_args::{getset, methods, module, set, this};
use crate::object::ObjCell;
use crate::types::bytes::BytesObj;
use crate::types::class::Kind;
use crate::types::native::{NativeType, new_type};
use crate::types::str::{as_str, new_str, new_string};
use crate::value::Value;
use crate::vm::{Args, PyResult, Vm};

/// A running hash computation.
#[derive(Clone)]
pub(crate) enum State {
    Md5(Md5),
    Sha1(Sha1),
    Sha224(Sha224),
    Sha256(Sha256),
    Sha384(Sha384),
    Sha512(Sha512),
    Sha3(sha3::Sha3State),
    Blake2b(blake2b_simd::State),
    Blake2s(blake2s_simd::State),
}

impl State {
    fn update(&mut self, data: &[u8]) {
        match self {
            State::Md5(h) => h.update(data),
            State::Sha1(h) => h.update(data),
            State::Sha224(h) => h.update(data),
            State::Sha256(h) => h.update(data),
            State::Sha384(h) => h.update(data),
            State::Sha512(h) => h.update(data),
            State::Sha3(h) => h.update(data),
            State::Blake2b(h) => {
                h.update(data);
            }
            State::Blake2s(h) => {
                h.update(data);
            }
        }
    }

    /// The digest of everything so far (the state goes on).
    fn digest(&self, xof_len: usize) -> Vec<u8> {
        match self {
            State::Md5(h) => h.clone().finalize().to_vec(),
            State::Sha1(h) => h.clone().finalize().to_vec(),
            State::Sha224(h) => h.clone().finalize().to_vec(),
            State::Sha256(h) => h.clone().finalize().to_vec(),
            State::Sha384(h) => h.clone().finalize().to_vec(),
            State::Sha512(h) => h.clone().finalize().to_vec(),
            State::Sha3(h) => h.digest(xof_len),
            State::Blake2b(h) => h.finalize().as_bytes().to_vec(),
            State::Blake2s(h) => h.finalize().as_bytes().to_vec(),
        }
    }
}

/// Each hash type: its name (the object's `name` and the type's `__name__`), the module
/// that defines it, digest and block sizes.
pub(crate) struct Algo {
    pub name: &'static str,
    pub module: &'static str,
    pub digest_size: usize,
    pub block_size: usize,
    /// Index of the type's cell in `CELLS`.
    pub slot: usize,
}

pub(crate) const MD5: Algo = Algo {
    name: "md5",
    module: "_md5",
    digest_size: 16,
    block_size: 64,
    slot: 0,
};
pub(crate) const SHA1: Algo = Algo {
    name: "sha1",
    module: "_sha1",
    digest_size: 20,
    block_size: 64,
    slot: 1,
};
pub(crate) const SHA224: Algo = Algo {
    name: "sha224",
    module: "_sha256",
    digest_size: 28,
    block_size: 64,
    slot: 2,
};
pub(crate) const SHA256: Algo = Algo {
    name: "sha256",
    module: "_sha256",
    digest_size: 32,
    block_size: 64,
    slot: 3,
};
pub(crate) const SHA384: Algo = Algo {
    name: "sha384",
    module: "_sha512",
    digest_size: 48,
    block_size: 128,
    slot: 4,
};
pub(crate) const SHA512: Algo = Algo {
    name: "sha512",
    module: "_sha512",
    digest_size: 64,
    block_size: 128,
    slot: 5,
};

/// One type cell per hash type (md5 ... blake2s).
static CELLS: [AtomicU64; 14] = [const { AtomicU64::new(0) }; 14];

/// The payload of every hash object.
pub struct HashObj {
    algo: &'static Algo,
    /// The digest size of this object (blake2's is chosen per object).
    digest_size: usize,
    st: ObjCell<State>,
}

/// The native table shared by all hash types: it identifies hash objects.
static HASH_T: NativeType = NativeType {
    new: Some(type_new),
    ..NativeType::of::<HashObj>()
};

/// Calling a hash type: the sha3 and blake2 types are constructors; the md5, sha1 and
/// sha2 types are made by their module's functions only.
fn type_new(vm: &mut Vm, cls: &Value, a: &Args) -> PyResult<Value> {
    let slot = CELLS
        .iter()
        .position(|c| c.load(std::sync::atomic::Ordering::Acquire) == cls.raw().0);
    match slot {
        Some(i @ 6..=11) => sha3::sha3_new(vm, sha3::ALGOS[i - 6], a),
        Some(12) => blake2::new(vm, &blake2::BLAKE2B, a),
        Some(13) => blake2::new(vm, &blake2::BLAKE2S, a),
        _ => {
            let td = crate::types::class::type_data_raw(cls.raw());
            let (m, n) = (td.module.get_clone(), td.name.clone());
            Err(vm.type_error(format!("cannot create '{m}.{n}' instances")))
        }
    }
}

/// The hash payload of `v`, if `v` is a hash object.
fn hash_of(v: &Value) -> Option<&HashObj> {
    if !v.is_ptr() {
        return None;
    }
    let td = v.type_data();
    if !td.is_heap && td.native.is_some_and(|t| std::ptr::eq(t, &HASH_T)) {
        // SAFETY: only the hash types carry HASH_T, and their instances are
        // `PyObj<HashObj>` (allocated by `new_hash`; the types are not subclassable).
        return Some(unsafe { v.payload_unchecked::<HashObj>() });
    }
    None
}

fn me<'a>(vm: &mut Vm, v: &'a Value, what: &str) -> PyResult<&'a HashObj> {
    hash_of(v).ok_or_else(|| vm.type_error(format!("descriptor '{what}' requires a hash object")))
}

/// The type object of `algo` (created on first use).
fn type_of(algo: &'static Algo) -> Value {
    let cell = &CELLS[algo.slot];
    let existing = cell.load(std::sync::atomic::Ordering::Acquire);
    if existing != 0 {
        return Value::from_borrowed(stitch_stencils::value::RawValue(existing));
    }
    let t = new_type::<HashObj>(
        algo.name,
        algo.module,
        super::native_args::object_type(),
        Kind::Native,
        &HASH_T,
        cell,
    );
    methods(
        &t,
        &[
            ("update", h_update),
            ("digest", h_digest),
            ("hexdigest", h_hexdigest),
            ("copy", h_copy),
        ],
    );
    getset(&t, "name", h_name, None);
    getset(&t, "digest_size", h_digest_size, None);
    getset(&t, "block_size", h_block_size, None);
    t
}

/// A new hash object of `algo` in state `st`.
pub(crate) fn new_hash(algo: &'static Algo, digest_size: usize, st: State) -> Value {
    let t = type_of(algo);
    Value::alloc_with_type(
        &t,
        HashObj {
            algo,
            digest_size,
            st: ObjCell::new(st),
        },
    )
}

/// Feed a buffer argument to a hash, with the hash modules' own TypeErrors.
pub(crate) fn feed(vm: &mut Vm, st: &ObjCell<State>, data: &Value) -> PyResult<()> {
    if as_str(data).is_some() {
        return Err(vm.type_error("Strings must be encoded before hashing"));
    }
    let Some(b) = super::buffer::bytes_like(data) else {
        return Err(vm.type_error("object supporting the buffer API required"));
    };
    st.with(|s| s.update(&b));
    Ok(())
}

fn h_update(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (s, r) = this(vm, "update", a, 1, 1)?;
    let h = me(vm, s, "update")?;
    feed(vm, &h.st, &r[0])?;
    Ok(Value::none())
}

/// The XOF length argument of shake's `digest(length)`.
fn xof_length(vm: &mut Vm, h: &HashObj, fname: &str, r: &[Value]) -> PyResult<usize> {
    if h.algo.digest_size != 0 {
        if !r.is_empty() {
            let n = r.len();
            return Err(vm.type_error(format!("{fname}() takes no arguments ({n} given)")));
        }
        return Ok(0);
    }
    if r.len() != 1 {
        let n = r.len();
        let name = h.algo.name;
        return Err(vm.type_error(format!(
            "{name}.{fname}() takes exactly one argument ({n} given)"
        )));
    }
    sha3::length_arg(vm, &r[0])
}

fn h_digest(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (s, r) = this(vm, "digest", a, 0, 1)?;
    let h = me(vm, s, "digest")?;
    let n = xof_length(vm, h, "digest", r)?;
    let d = h.st.read(|st| st.digest(n));
    Ok(BytesObj::new_value(d))
}

fn h_hexdigest(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (s, r) = this(vm, "hexdigest", a, 0, 1)?;
    let h = me(vm, s, "hexdigest")?;
    let n = xof_length(vm, h, "hexdigest", r)?;
    let d = h.st.read(|st| st.digest(n));
    Ok(new_string(hex(&d)))
}

/// Lowercase hex digits of `d`.
pub(crate) fn hex(d: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut s = String::with_capacity(d.len() * 2);
    for b in d {
        s.push(DIGITS[(b >> 4) as usize] as char);
        s.push(DIGITS[(b & 15) as usize] as char);
    }
    s
}

fn h_copy(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (s, _) = this(vm, "copy", a, 0, 0)?;
    let h = me(vm, s, "copy")?;
    let st = h.st.read(|st| st.clone());
    Ok(new_hash(h.algo, h.digest_size, st))
}

fn h_name(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (s, _) = this(vm, "name", a, 0, 0)?;
    Ok(new_str(me(vm, s, "name")?.algo.name))
}

fn h_digest_size(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (s, _) = this(vm, "digest_size", a, 0, 0)?;
    Ok(Value::int(me(vm, s, "digest_size")?.digest_size as i64))
}

fn h_block_size(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (s, _) = this(vm, "block_size", a, 0, 0)?;
    Ok(Value::int(me(vm, s, "block_size")?.algo.block_size as i64))
}

/// A constructor of the md5/sha1/sha2 modules:
/// `name(string=b'', *, usedforsecurity=True)`.
fn construct(vm: &mut Vm, a: &Args, algo: &'static Algo, st: State) -> PyResult<Value> {
    let b = bind(vm, algo.name, a, &["string", "usedforsecurity"], 0, 1)?;
    let h = new_hash(algo, algo.digest_size, st);
    if let Some(data) = b[0] {
        let hh = hash_of(&h).map(|x| &x.st);
        if let Some(st) = hh {
            feed(vm, st, data)?;
        }
    }
    Ok(h)
}

fn md5_new(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    construct(vm, a, &MD5, State::Md5(Md5::new()))
}
fn sha1_new(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    construct(vm, a, &SHA1, State::Sha1(Sha1::new()))
}
fn sha224_new(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    construct(vm, a, &SHA224, State::Sha224(Sha224::new()))
}
fn sha256_new(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    construct(vm, a, &SHA256, State::Sha256(Sha256::new()))
}
fn sha384_new(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    construct(vm, a, &SHA384, State::Sha384(Sha384::new()))
}
fn sha512_new(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    construct(vm, a, &SHA512, State::Sha512(Sha512::new()))
}

pub fn init_md5(_vm: &mut Vm) -> PyResult<Value> {
    type_of(&MD5);
    Ok(module("_md5", &[("md5", md5_new)]))
}

pub fn init_sha1(_vm: &mut Vm) -> PyResult<Value> {
    type_of(&SHA1);
    Ok(module("_sha1", &[("sha1", sha1_new)]))
}

pub fn init_sha256(_vm: &mut Vm) -> PyResult<Value> {
    type_of(&SHA224);
    type_of(&SHA256);
    Ok(module(
        "_sha256",
        &[("sha224", sha224_new), ("sha256", sha256_new)],
    ))
}

pub fn init_sha512(_vm: &mut Vm) -> PyResult<Value> {
    type_of(&SHA384);
    type_of(&SHA512);
    Ok(module(
        "_sha512",
        &[("sha384", sha384_new), ("sha512", sha512_new)],
    ))
}

pub fn init_sha3(_vm: &mut Vm) -> PyResult<Value> {
    let m = module("_sha3", &[]);
    for algo in sha3::ALGOS {
        let t = type_of(algo);
        sha3::add_extras(&t);
        set(&m, algo.name, t);
    }
    set(&m, "implementation", new_str("tiny_sha3"));
    set(&m, "keccakopt", Value::int(0));
    Ok(m)
}

pub fn init_blake2(_vm: &mut Vm) -> PyResult<Value> {
    let m = module("_blake2", &[]);
    blake2::fill_module(&m);
    Ok(m)
}

/// The digest of `data` by the named algorithm (md5, sha1, sha2): for native callers
/// that need a hash without going through Python (none left today but tests).
#[cfg(test)]
pub(crate) fn oneshot(name: &str, data: &[u8]) -> Option<Vec<u8>> {
    let mut st = match name {
        "md5" => State::Md5(Md5::new()),
        "sha1" => State::Sha1(Sha1::new()),
        "sha256" => State::Sha256(Sha256::new()),
        "sha512" => State::Sha512(Sha512::new()),
        _ => return None,
    };
    st.update(data);
    Some(st.digest(0))
}

#[cfg(test)]
mod tests {
    #[test]
    fn known_vectors() {
        let h = super::oneshot("md5", b"abc").map(|d| super::hex(&d));
        assert_eq!(h.as_deref(), Some("900150983cd24fb0d6963f7d28e17f72"));
        let h = super::oneshot("sha256", b"").map(|d| super::hex(&d));
        assert_eq!(
            h.as_deref(),
            Some("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        );
    }
}
