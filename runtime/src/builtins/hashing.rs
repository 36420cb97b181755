//! `_hashlib`: one native entry point, `digest(name, data) -> bytes`, over the RustCrypto
//! hash crates. `hashlib.py` builds the familiar `md5()`/`sha256()` objects on top of it;
//! `random.seed(str)` needs `sha512` to seed exactly as CPython does.
use md5::Md5;
use sha1::Sha1;
use sha2::{Digest, Sha224, Sha256, Sha384, Sha512};

use super::posargs;
use crate::types::bytes::{BytesObj, as_bytes};
use crate::types::str::as_str;
use crate::value::Value;
use crate::vm::{Args, PyResult, Vm};
use crate::world::types;

fn run<D: Digest>(data: &[u8]) -> Vec<u8> {
    D::digest(data).to_vec()
}

pub fn digest(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let p = posargs(vm, "digest", a, 2, 2)?;
    let name = as_str(&p[0])
        .map(|s| s.to_ascii_lowercase())
        .unwrap_or_default();
    let Some(data) = as_bytes(&p[1]) else {
        return Err(vm.type_error("object supporting the buffer API required"));
    };
    let out = match name.as_str() {
        "md5" => run::<Md5>(&data),
        "sha1" => run::<Sha1>(&data),
        "sha224" => run::<Sha224>(&data),
        "sha256" => run::<Sha256>(&data),
        "sha384" => run::<Sha384>(&data),
        "sha512" => run::<Sha512>(&data),
        _ => return Err(vm.err(types().value_error, format!("unsupported hash type {name}"))),
    };
    Ok(BytesObj::new_value(out))
}
