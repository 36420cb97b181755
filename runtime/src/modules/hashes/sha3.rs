//! `_sha3`: SHA-3 (224, 256, 384, 512) and the SHAKE extendable-output functions.
use sha3::digest::{Digest, ExtendableOutput, Update, XofReader};
use sha3::{Sha3_224, Sha3_256, Sha3_384, Sha3_512, Shake128, Shake256};

use super::{Algo, State, feed, new_hash};
use crate::modules::native_args::attr;
use crate::types::bytes::BytesObj;
use crate::value::Value;
use crate::vm::{Args, PyResult, Vm};

#[derive(Clone)]
pub(crate) enum Sha3State {
    S224(Sha3_224),
    S256(Sha3_256),
    S384(Sha3_384),
    S512(Sha3_512),
    Shake128(Shake128),
    Shake256(Shake256),
}

impl Sha3State {
    pub(crate) fn update(&mut self, data: &[u8]) {
        match self {
            Sha3State::S224(h) => Digest::update(h, data),
            Sha3State::S256(h) => Digest::update(h, data),
            Sha3State::S384(h) => Digest::update(h, data),
            Sha3State::S512(h) => Digest::update(h, data),
            Sha3State::Shake128(h) => Update::update(h, data),
            Sha3State::Shake256(h) => Update::update(h, data),
        }
    }

    /// The digest so far; `xof_len` bytes of output for the SHAKEs.
    pub(crate) fn digest(&self, xof_len: usize) -> Vec<u8> {
        let mut out = vec![0u8; xof_len];
        match self {
            Sha3State::S224(h) => return h.clone().finalize().to_vec(),
            Sha3State::S256(h) => return h.clone().finalize().to_vec(),
            Sha3State::S384(h) => return h.clone().finalize().to_vec(),
            Sha3State::S512(h) => return h.clone().finalize().to_vec(),
            Sha3State::Shake128(h) => h.clone().finalize_xof().read(&mut out),
            Sha3State::Shake256(h) => h.clone().finalize_xof().read(&mut out),
        }
        out
    }
}

macro_rules! sha3_algo {
    ($c:ident, $name:literal, $digest:expr, $rate:expr, $slot:expr) => {
        const $c: Algo = Algo {
            name: $name,
            module: "_sha3",
            digest_size: $digest,
            block_size: $rate,
            slot: $slot,
        };
    };
}
sha3_algo!(SHA3_224, "sha3_224", 28, 144, 6);
sha3_algo!(SHA3_256, "sha3_256", 32, 136, 7);
sha3_algo!(SHA3_384, "sha3_384", 48, 104, 8);
sha3_algo!(SHA3_512, "sha3_512", 64, 72, 9);
sha3_algo!(SHAKE_128, "shake_128", 0, 168, 10);
sha3_algo!(SHAKE_256, "shake_256", 0, 136, 11);

pub(crate) static ALGOS: [&Algo; 6] = [
    &SHA3_224, &SHA3_256, &SHA3_384, &SHA3_512, &SHAKE_128, &SHAKE_256,
];

fn fresh(algo: &Algo) -> Sha3State {
    match algo.slot {
        6 => Sha3State::S224(Sha3_224::new()),
        7 => Sha3State::S256(Sha3_256::new()),
        8 => Sha3State::S384(Sha3_384::new()),
        9 => Sha3State::S512(Sha3_512::new()),
        10 => Sha3State::Shake128(Shake128::default()),
        _ => Sha3State::Shake256(Shake256::default()),
    }
}

/// Construction of every `_sha3` type: `cls(data=b'', /, *, usedforsecurity=True)`.
pub(crate) fn sha3_new(vm: &mut Vm, algo: &'static Algo, a: &Args) -> PyResult<Value> {
    // CPython's generated parser names every sha3 type "sha3_224" in its errors.
    let b = crate::modules::kwonly::bind(vm, "sha3_224", a, &["data", "usedforsecurity"], 1, 1)?;
    let h = new_hash(algo, algo.digest_size, State::Sha3(fresh(algo)));
    if let Some(data) = b[0]
        && let Some(o) = super::hash_of(&h)
    {
        feed(vm, &o.st, data)?;
    }
    Ok(h)
}

/// `__new__` and the Keccak parameters CPython exposes on each type.
pub(crate) fn add_extras(t: &Value) {
    let Some(algo) = ALGOS.iter().find(|al| super::type_of(al).raw() == t.raw()) else {
        return;
    };
    let rate = algo.block_size as i64 * 8;
    attr(t, "_capacity_bits", Value::int(1600 - rate));
    attr(t, "_rate_bits", Value::int(rate));
    let suffix = if algo.digest_size == 0 { 0x1f } else { 0x06 };
    // The type (immortal) keeps this object for good: it is immortal too.
    let sfx = BytesObj::new_value(vec![suffix]);
    crate::object::make_immortal(sfx.raw());
    attr(t, "_suffix", sfx);
}

/// The `length` of `shake.digest(length)`.
pub(crate) fn length_arg(vm: &mut Vm, v: &Value) -> PyResult<usize> {
    let n = crate::ops::to_index(vm, v)?;
    let Ok(n) = i64::try_from(&n) else {
        return Err(vm.overflow_error(if n < 0.into() {
            "value must be positive"
        } else {
            "Python int too large to convert to C unsigned long"
        }));
    };
    if n < 0 {
        return Err(vm.value_error("value must be positive"));
    }
    if n >= 1 << 29 {
        return Err(vm.value_error("length is too large"));
    }
    Ok(n as usize)
}
