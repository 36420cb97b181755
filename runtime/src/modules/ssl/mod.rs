//! `_ssl`: TLS for CPython's `ssl.py` on rustls (ring provider), under CPython 3.11's
//! names: the module constants `ssl.py` turns into its enums, the exception classes,
//! `_SSLContext` (context.rs), `MemoryBIO` (bio.rs), `_SSLSocket` (conn.rs),
//! certificate decoding (cert.rs) and the OID table (oid.rs).
//!
//! The version constants say what is underneath (`OPENSSL_VERSION` is "rustls ...")
//! and the `HAS_*` flags what rustls has: TLS 1.2 and 1.3 only, SNI, ALPN, ECDH; no
//! SSLv2/3, TLS 1.0/1.1, NPN or tls-unique.
mod bio;
mod cert;
mod conn;
mod context;
mod errors;
mod oid;
mod verify;

pub use conn::SslSocket;
pub use context::SslContext;

use crate::modules::native_args::{bind, module, object_type, set, unpack};
use crate::native_payload;
use crate::types::bytes::BytesObj;
use crate::types::class::Kind;
use crate::types::native::{NativeType, new_type};
use crate::types::str::{as_str, new_str};
use crate::types::tuple::TupleObj;
use crate::value::Value;
use crate::vm::{Args, PyResult, Vm};

/// The rustls release this module is built on (Cargo.lock pins it).
const RUSTLS_VERSION: (i64, i64, i64) = (0, 23, 48);

/// `_ssl.SSLSession`: rustls keeps its sessions internally, so none is ever made; the
/// type exists because `ssl.py` imports it.
pub struct SslSession;
native_payload!(SslSession, SSL_SESSION);
static SSL_SESSION_T: NativeType = NativeType::of::<SslSession>();

pub fn init(vm: &mut Vm) -> PyResult<Value> {
    let m = module(
        "_ssl",
        &[
            ("RAND_add", rand_add),
            ("RAND_bytes", rand_bytes),
            ("RAND_pseudo_bytes", rand_pseudo_bytes),
            ("RAND_status", rand_status),
            ("txt2obj", txt2obj),
            ("nid2obj", nid2obj),
            ("get_default_verify_paths", get_default_verify_paths),
            ("_test_decode_cert", test_decode_cert),
        ],
    );
    errors::install(vm, &m)?;
    set(&m, "_SSLContext", context::make_type());
    set(&m, "_SSLSocket", conn::make_type());
    set(&m, "MemoryBIO", bio::make_type());
    let session = new_type::<SslSession>(
        "SSLSession",
        "_ssl",
        object_type(),
        Kind::Native,
        &SSL_SESSION_T,
        &SSL_SESSION,
    );
    set(&m, "SSLSession", session);

    let (a, b, c) = RUSTLS_VERSION;
    set(
        &m,
        "OPENSSL_VERSION",
        new_str(&format!("rustls {a}.{b}.{c}")),
    );
    set(
        &m,
        "OPENSSL_VERSION_NUMBER",
        Value::int((a << 28) | (b << 20) | (c << 4)),
    );
    let info = || {
        TupleObj::from_iter([
            Value::int(a),
            Value::int(b),
            Value::int(c),
            Value::int(0),
            Value::int(0),
        ])
    };
    set(&m, "OPENSSL_VERSION_INFO", info());
    set(&m, "_OPENSSL_API_VERSION", info());
    set(
        &m,
        "_DEFAULT_CIPHERS",
        new_str(
            "@SECLEVEL=2:ECDH+AESGCM:ECDH+CHACHA20:ECDH+AES:DHE+AES:!aNULL:!eNULL:!aDSS:!SHA1:!AESCCM",
        ),
    );
    for (name, on) in [
        ("HAS_SNI", true),
        ("HAS_ECDH", true),
        ("HAS_NPN", false),
        ("HAS_ALPN", true),
        ("HAS_SSLv2", false),
        ("HAS_SSLv3", false),
        ("HAS_TLSv1", false),
        ("HAS_TLSv1_1", false),
        ("HAS_TLSv1_2", true),
        ("HAS_TLSv1_3", true),
        ("HAS_TLS_UNIQUE", false),
    ] {
        set(&m, name, Value::bool(on));
    }
    for (name, v) in CONSTANTS {
        set(&m, name, Value::int(*v));
    }
    Ok(m)
}

/// The integer constants, with CPython 3.11's (OpenSSL's) values.
const CONSTANTS: &[(&str, i64)] = &[
    ("PROTOCOL_SSLv23", context::PROTOCOL_TLS),
    ("PROTOCOL_TLS", context::PROTOCOL_TLS),
    ("PROTOCOL_TLS_CLIENT", context::PROTOCOL_TLS_CLIENT),
    ("PROTOCOL_TLS_SERVER", context::PROTOCOL_TLS_SERVER),
    ("PROTOCOL_TLSv1_2", context::PROTOCOL_TLSV1_2),
    ("PROTO_MINIMUM_SUPPORTED", context::PROTO_MINIMUM_SUPPORTED),
    ("PROTO_MAXIMUM_SUPPORTED", context::PROTO_MAXIMUM_SUPPORTED),
    ("PROTO_SSLv3", 0x300),
    ("PROTO_TLSv1", 0x301),
    ("PROTO_TLSv1_1", 0x302),
    ("PROTO_TLSv1_2", context::PROTO_TLSV1_2),
    ("PROTO_TLSv1_3", context::PROTO_TLSV1_3),
    ("CERT_NONE", context::CERT_NONE),
    ("CERT_OPTIONAL", context::CERT_OPTIONAL),
    ("CERT_REQUIRED", context::CERT_REQUIRED),
    ("ENCODING_PEM", 1),
    ("ENCODING_DER", 2),
    ("OP_ALL", 0x8000_0050),
    ("OP_CIPHER_SERVER_PREFERENCE", 0x40_0000),
    ("OP_ENABLE_MIDDLEBOX_COMPAT", 0x10_0000),
    ("OP_IGNORE_UNEXPECTED_EOF", 0x80),
    ("OP_NO_COMPRESSION", 0x2_0000),
    ("OP_NO_RENEGOTIATION", 0x4000_0000),
    ("OP_NO_SSLv2", 0),
    ("OP_NO_SSLv3", 0x200_0000),
    ("OP_NO_TICKET", 0x4000),
    ("OP_NO_TLSv1", 0x400_0000),
    ("OP_NO_TLSv1_1", 0x1000_0000),
    ("OP_NO_TLSv1_2", context::OP_NO_TLSV1_2),
    ("OP_NO_TLSv1_3", context::OP_NO_TLSV1_3),
    ("OP_SINGLE_DH_USE", 0),
    ("OP_SINGLE_ECDH_USE", 0),
    ("HOSTFLAG_ALWAYS_CHECK_SUBJECT", 1),
    ("HOSTFLAG_NO_WILDCARDS", 2),
    ("HOSTFLAG_NO_PARTIAL_WILDCARDS", 4),
    ("HOSTFLAG_MULTI_LABEL_WILDCARDS", 8),
    ("HOSTFLAG_SINGLE_LABEL_SUBDOMAINS", 16),
    ("HOSTFLAG_NEVER_CHECK_SUBJECT", 32),
    ("VERIFY_DEFAULT", 0),
    ("VERIFY_CRL_CHECK_LEAF", 4),
    ("VERIFY_CRL_CHECK_CHAIN", 12),
    ("VERIFY_X509_STRICT", 32),
    ("VERIFY_ALLOW_PROXY_CERTS", 64),
    ("VERIFY_X509_TRUSTED_FIRST", 0x8000),
    ("VERIFY_X509_PARTIAL_CHAIN", 0x8_0000),
    ("SSL_ERROR_SSL", errors::SSL_ERROR_SSL),
    ("SSL_ERROR_WANT_READ", errors::SSL_ERROR_WANT_READ),
    ("SSL_ERROR_WANT_WRITE", errors::SSL_ERROR_WANT_WRITE),
    ("SSL_ERROR_WANT_X509_LOOKUP", 4),
    ("SSL_ERROR_SYSCALL", errors::SSL_ERROR_SYSCALL),
    ("SSL_ERROR_ZERO_RETURN", errors::SSL_ERROR_ZERO_RETURN),
    ("SSL_ERROR_WANT_CONNECT", 7),
    ("SSL_ERROR_EOF", errors::SSL_ERROR_EOF),
    ("SSL_ERROR_INVALID_ERROR_CODE", 10),
    ("ALERT_DESCRIPTION_CLOSE_NOTIFY", 0),
    ("ALERT_DESCRIPTION_UNEXPECTED_MESSAGE", 10),
    ("ALERT_DESCRIPTION_BAD_RECORD_MAC", 20),
    ("ALERT_DESCRIPTION_RECORD_OVERFLOW", 22),
    ("ALERT_DESCRIPTION_DECOMPRESSION_FAILURE", 30),
    ("ALERT_DESCRIPTION_HANDSHAKE_FAILURE", 40),
    ("ALERT_DESCRIPTION_BAD_CERTIFICATE", 42),
    ("ALERT_DESCRIPTION_UNSUPPORTED_CERTIFICATE", 43),
    ("ALERT_DESCRIPTION_CERTIFICATE_REVOKED", 44),
    ("ALERT_DESCRIPTION_CERTIFICATE_EXPIRED", 45),
    ("ALERT_DESCRIPTION_CERTIFICATE_UNKNOWN", 46),
    ("ALERT_DESCRIPTION_ILLEGAL_PARAMETER", 47),
    ("ALERT_DESCRIPTION_UNKNOWN_CA", 48),
    ("ALERT_DESCRIPTION_ACCESS_DENIED", 49),
    ("ALERT_DESCRIPTION_DECODE_ERROR", 50),
    ("ALERT_DESCRIPTION_DECRYPT_ERROR", 51),
    ("ALERT_DESCRIPTION_PROTOCOL_VERSION", 70),
    ("ALERT_DESCRIPTION_INSUFFICIENT_SECURITY", 71),
    ("ALERT_DESCRIPTION_INTERNAL_ERROR", 80),
    ("ALERT_DESCRIPTION_USER_CANCELLED", 90),
    ("ALERT_DESCRIPTION_NO_RENEGOTIATION", 100),
    ("ALERT_DESCRIPTION_UNSUPPORTED_EXTENSION", 110),
    ("ALERT_DESCRIPTION_CERTIFICATE_UNOBTAINABLE", 111),
    ("ALERT_DESCRIPTION_UNRECOGNIZED_NAME", 112),
    ("ALERT_DESCRIPTION_BAD_CERTIFICATE_STATUS_RESPONSE", 113),
    ("ALERT_DESCRIPTION_BAD_CERTIFICATE_HASH_VALUE", 114),
    ("ALERT_DESCRIPTION_UNKNOWN_PSK_IDENTITY", 115),
];

// ---- random bytes ---------------------------------------------------------------------

/// `n` bytes from the kernel's CSPRNG.
fn random(vm: &mut Vm, n: usize) -> PyResult<Vec<u8>> {
    let mut buf = vec![0u8; n];
    let mut off = 0;
    while off < n {
        // SAFETY: the pointer and length describe the unfilled tail of `buf`.
        let r = unsafe { libc::getrandom(buf[off..].as_mut_ptr().cast(), n - off, 0) };
        if r < 0 {
            let e = crate::modules::posix::path::errno();
            if e == libc::EINTR {
                continue;
            }
            return Err(crate::builtins::os_error::from_errno(vm, e, None, None));
        }
        off += r as usize;
    }
    Ok(buf)
}

fn count_arg(vm: &mut Vm, a: &Args, name: &str) -> PyResult<usize> {
    let p = unpack(vm, name, a, 1, 1)?;
    if p[0].is_float() {
        return Err(vm.type_error("'float' object cannot be interpreted as an integer"));
    }
    let n = crate::ops::to_index(vm, &p[0])?;
    let n = i64::try_from(&n)
        .map_err(|_| vm.overflow_error("Python int too large to convert to C int"))?;
    if n < 0 {
        return Err(vm.value_error("num must be positive"));
    }
    if n > i32::MAX as i64 {
        return Err(vm.overflow_error("Python int too large to convert to C int"));
    }
    Ok(n as usize)
}

fn rand_bytes(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let n = count_arg(vm, a, "RAND_bytes")?;
    Ok(BytesObj::new_value(random(vm, n)?))
}

fn rand_pseudo_bytes(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let n = count_arg(vm, a, "RAND_pseudo_bytes")?;
    let b = BytesObj::new_value(random(vm, n)?);
    Ok(TupleObj::from_iter([b, Value::bool(true)]))
}

/// `RAND_add(string, entropy)`: the kernel's generator needs no seeding; the arguments
/// are checked as CPython checks them.
fn rand_add(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let p = unpack(vm, "RAND_add", a, 2, 2)?;
    if as_str(&p[0]).is_none() {
        crate::modules::buffer::need(vm, &p[0])?;
    }
    crate::modules::args::seconds(vm, &p[1])?;
    Ok(Value::none())
}

fn rand_status(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    unpack(vm, "RAND_status", a, 0, 0)?;
    Ok(Value::bool(true))
}

// ---- objects and paths ----------------------------------------------------------------

fn obj_value(o: &oid::Obj) -> Value {
    TupleObj::from_iter([Value::int(o.0), new_str(o.1), new_str(o.2), new_str(o.3)])
}

/// `txt2obj(txt, name=False)`.
fn txt2obj(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let b = bind(vm, "txt2obj", a, &["txt", "name"], 1, 2)?;
    let txt = b[0].cloned().unwrap_or_else(Value::none);
    let Some(t) = as_str(&txt) else {
        return Err(vm.type_error(format!(
            "txt2obj() argument 'txt' must be str, not {}",
            txt.type_data().name
        )));
    };
    let names = match b[1] {
        Some(v) => crate::ops::truthy(vm, v)?,
        None => false,
    };
    match oid::by_text(t, names) {
        Some(o) => Ok(obj_value(o)),
        None if t
            .split('.')
            .all(|p| !p.is_empty() && p.bytes().all(|c| c.is_ascii_digit())) =>
        {
            Err(vm.value_error("Unknown object"))
        }
        None => Err(vm.value_error(format!("unknown object '{t}'"))),
    }
}

/// `nid2obj(nid)`.
fn nid2obj(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let p = unpack(vm, "nid2obj", a, 1, 1)?;
    let n = crate::ops::to_index(vm, &p[0])?;
    let n = i64::try_from(&n).unwrap_or(-1);
    if n < 1 {
        return Err(vm.value_error("NID must be positive."));
    }
    match oid::by_nid(n) {
        Some(o) => Ok(obj_value(o)),
        None => Err(vm.value_error(format!("unknown NID {n}"))),
    }
}

/// `get_default_verify_paths()`: (file env var, file, dir env var, dir).
fn get_default_verify_paths(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    unpack(vm, "get_default_verify_paths", a, 0, 0)?;
    Ok(TupleObj::from_iter([
        new_str("SSL_CERT_FILE"),
        new_str(context::DEFAULT_CAFILE),
        new_str("SSL_CERT_DIR"),
        new_str(context::DEFAULT_CAPATH),
    ]))
}

/// `_test_decode_cert(path)`: the first PEM certificate of a file, decoded.
fn test_decode_cert(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    use rustls::pki_types::CertificateDer;
    use rustls::pki_types::pem::PemObject;
    let p = unpack(vm, "_test_decode_cert", a, 1, 1)?;
    let path = crate::modules::io::fileio::fspath(vm, &p[0])?;
    let path = String::from_utf8_lossy(&path).into_owned();
    let data = std::fs::read(&path).map_err(|e| {
        let errno = e.raw_os_error().unwrap_or(libc::EIO);
        crate::builtins::os_error::from_errno(vm, errno, None, None)
    })?;
    let Some(Ok(der)) = CertificateDer::pem_slice_iter(&data).next() else {
        return Err(errors::generic(vm, "PEM_LIB", "Error loading certificate"));
    };
    match cert::parse(&der) {
        Some(c) => Ok(cert::to_dict(&c)),
        None => Err(errors::generic(
            vm,
            "BAD_CERTIFICATE",
            "Error decoding certificate",
        )),
    }
}
