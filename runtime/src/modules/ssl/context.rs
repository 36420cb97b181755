//! `_ssl._SSLContext`: the settings every connection made from it starts with
//! (protocol side, verify mode, host name check, versions, CA certificates, own
//! certificate chain and key, ALPN), turned into a rustls client or server config
//! when a connection is wrapped, so later changes apply to later connections only,
//! as with OpenSSL.
//!
//! What OpenSSL has and rustls does not is accepted and documented, not faked:
//! `set_ciphers` keeps the string but rustls always offers its own suites (TLS 1.3
//! AES-GCM and ChaCha20, TLS 1.2 ECDHE with AEAD); TLS 1.0/1.1 and SSL are absent;
//! `load_dh_params`, `set_ecdh_curve`, `keylog_filename`, `num_tickets` and
//! `security_level` are kept but do not change the handshake; encrypted private keys
//! cannot be loaded.
use std::sync::Arc;

use rustls::RootCertStore;
use rustls::crypto::CryptoProvider;
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, PrivateKeyDer};

use super::{cert, errors, verify};
use crate::modules::buffer;
use crate::modules::native_args::{bind, getset, methods, object_type, static_new, this};
use crate::native_payload;
use crate::object::ObjCell;
use crate::types::bytes::BytesObj;
use crate::types::class::Kind;
use crate::types::dict::DictObj;
use crate::types::list::ListObj;
use crate::types::native::{self, NativeType, new_type};
use crate::types::str::as_str;
use crate::value::Value;
use crate::vm::{Args, PyErr, PyResult, Vm};

pub const PROTOCOL_TLS: i64 = 2;
pub const PROTOCOL_TLSV1_2: i64 = 5;
pub const PROTOCOL_TLS_CLIENT: i64 = 16;
pub const PROTOCOL_TLS_SERVER: i64 = 17;
pub const CERT_NONE: i64 = 0;
pub const CERT_OPTIONAL: i64 = 1;
pub const CERT_REQUIRED: i64 = 2;
pub const PROTO_MINIMUM_SUPPORTED: i64 = -2;
pub const PROTO_MAXIMUM_SUPPORTED: i64 = -1;
pub const PROTO_TLSV1_2: i64 = 0x303;
pub const PROTO_TLSV1_3: i64 = 0x304;
pub const OP_NO_TLSV1_2: i64 = 0x0800_0000;
pub const OP_NO_TLSV1_3: i64 = 0x2000_0000;
/// OP_ALL | OP_NO_SSLv3 | OP_CIPHER_SERVER_PREFERENCE | OP_ENABLE_MIDDLEBOX_COMPAT |
/// OP_NO_COMPRESSION: what CPython 3.11 sets on a new context.
const DEFAULT_OPTIONS: i64 = 0x8000_0050 | 0x0200_0000 | 0x0040_0000 | 0x0010_0000 | 0x2_0000;
/// X509_V_FLAG_TRUSTED_FIRST, CPython's default verify flags.
const DEFAULT_VERIFY_FLAGS: i64 = 0x8000;

/// Where `set_default_verify_paths` looks (Debian's OpenSSL paths, which are also
/// what `get_default_verify_paths` reports), unless SSL_CERT_FILE/SSL_CERT_DIR say.
pub const DEFAULT_CAFILE: &str = "/usr/lib/ssl/cert.pem";
pub const DEFAULT_CAPATH: &str = "/usr/lib/ssl/certs";

pub struct CtxState {
    pub protocol: i64,
    pub verify_mode: i64,
    pub check_hostname: bool,
    pub options: i64,
    pub min_version: i64,
    pub max_version: i64,
    pub verify_flags: i64,
    pub host_flags: i64,
    pub num_tickets: i64,
    pub post_handshake_auth: bool,
    pub ciphers: String,
    /// CA certificates loaded (no duplicates), and the store made from them.
    pub ca: Vec<CertificateDer<'static>>,
    pub roots: Option<Arc<RootCertStore>>,
    pub chain: Option<(Vec<CertificateDer<'static>>, PrivateKeyDer<'static>)>,
    pub alpn: Vec<Vec<u8>>,
    /// session_stats(): connect, connect_good, accept, accept_good.
    pub stats: [i64; 4],
}

pub struct SslContext {
    pub st: ObjCell<CtxState>,
    pub sni_callback: ObjCell<Value>,
    pub msg_callback: ObjCell<Value>,
    pub keylog_filename: ObjCell<Value>,
}
native_payload!(SslContext, SSL_CONTEXT);
static SSL_CONTEXT_T: NativeType = NativeType {
    new: Some(ctx_new),
    ..NativeType::of::<SslContext>()
};

impl crate::gc::Traverse for SslContext {
    fn traverse(&self, visit: crate::gc::Visit<'_>) {
        for c in [
            &self.sni_callback,
            &self.msg_callback,
            &self.keylog_filename,
        ] {
            c.read(|v| crate::gc::visit_value(v, visit));
        }
    }
    fn clear(&self) {
        for c in [&self.sni_callback, &self.msg_callback] {
            drop(c.with(|v| std::mem::replace(v, Value::none())));
        }
    }
}

/// The crypto provider every config uses (ring). rustls 0.23.48 deprecates ring's
/// constructor for lacking post-quantum key exchange; the alternative (aws-lc-rs)
/// needs cmake and a longer C build, so ring stays until that is worth it.
#[allow(deprecated)]
pub fn provider() -> Arc<CryptoProvider> {
    static P: std::sync::OnceLock<Arc<CryptoProvider>> = std::sync::OnceLock::new();
    P.get_or_init(|| Arc::new(rustls::crypto::ring::default_provider()))
        .clone()
}

pub fn make_type() -> Value {
    let t = new_type::<SslContext>(
        "_SSLContext",
        "_ssl",
        object_type(),
        Kind::Native,
        &SSL_CONTEXT_T,
        &SSL_CONTEXT,
    );
    methods(
        &t,
        &[
            ("_set_alpn_protocols", set_alpn_protocols),
            ("set_ciphers", set_ciphers),
            ("load_cert_chain", load_cert_chain),
            ("load_verify_locations", load_verify_locations),
            ("set_default_verify_paths", set_default_verify_paths),
            ("load_dh_params", load_dh_params),
            ("set_ecdh_curve", set_ecdh_curve),
            ("session_stats", session_stats),
            ("cert_store_stats", cert_store_stats),
            ("get_ca_certs", get_ca_certs),
            ("_wrap_socket", super::conn::wrap_socket),
            ("_wrap_bio", super::conn::wrap_bio),
        ],
    );
    getset(&t, "protocol", get_protocol, None);
    getset(&t, "verify_mode", get_verify_mode, Some(set_verify_mode));
    getset(
        &t,
        "check_hostname",
        get_check_hostname,
        Some(set_check_hostname),
    );
    getset(&t, "options", get_options, Some(set_options));
    getset(&t, "verify_flags", get_verify_flags, Some(set_verify_flags));
    getset(
        &t,
        "minimum_version",
        get_min_version,
        Some(set_min_version),
    );
    getset(
        &t,
        "maximum_version",
        get_max_version,
        Some(set_max_version),
    );
    getset(&t, "_host_flags", get_host_flags, Some(set_host_flags));
    getset(&t, "num_tickets", get_num_tickets, Some(set_num_tickets));
    getset(&t, "security_level", get_security_level, None);
    getset(
        &t,
        "post_handshake_auth",
        get_post_handshake_auth,
        Some(set_post_handshake_auth),
    );
    getset(&t, "sni_callback", get_sni_callback, Some(set_sni_callback));
    getset(
        &t,
        "_msg_callback",
        get_msg_callback,
        Some(set_msg_callback),
    );
    getset(&t, "keylog_filename", get_keylog, Some(set_keylog));
    static_new(&t, ctx_dnew);
    t
}

fn ctx_new(vm: &mut Vm, cls: &Value, a: &Args) -> PyResult<Value> {
    let b = bind(vm, "_SSLContext", a, &["protocol"], 1, 1)?;
    let protocol = int_of(vm, b[0].unwrap_or(&Value::none()))?;
    if ![
        PROTOCOL_TLS,
        PROTOCOL_TLSV1_2,
        PROTOCOL_TLS_CLIENT,
        PROTOCOL_TLS_SERVER,
    ]
    .contains(&protocol)
    {
        return Err(vm.value_error("invalid or unsupported protocol version"));
    }
    let client = protocol == PROTOCOL_TLS_CLIENT;
    let st = CtxState {
        protocol,
        verify_mode: if client { CERT_REQUIRED } else { CERT_NONE },
        check_hostname: client,
        options: DEFAULT_OPTIONS,
        min_version: if protocol == PROTOCOL_TLSV1_2 {
            PROTO_MINIMUM_SUPPORTED
        } else {
            PROTO_TLSV1_2
        },
        max_version: PROTO_MAXIMUM_SUPPORTED,
        verify_flags: DEFAULT_VERIFY_FLAGS,
        host_flags: 4,
        num_tickets: 2,
        post_handshake_auth: false,
        ciphers: String::new(),
        ca: Vec::new(),
        roots: None,
        chain: None,
        alpn: Vec::new(),
        stats: [0; 4],
    };
    Ok(native::alloc(
        cls,
        SslContext {
            st: ObjCell::new(st),
            sni_callback: ObjCell::new(Value::none()),
            msg_callback: ObjCell::new(Value::none()),
            keylog_filename: ObjCell::new(Value::none()),
        },
    ))
}

fn ctx_dnew(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let base = <SslContext as crate::value::PyPayload>::class();
    let (cls, rest) = crate::modules::native_args::new_args(vm, a, base)?;
    ctx_new(vm, &cls, &rest)
}

fn int_of(vm: &mut Vm, v: &Value) -> PyResult<i64> {
    if v.is_float() {
        return Err(vm.type_error("'float' object cannot be interpreted as an integer"));
    }
    let n = crate::ops::to_index(vm, v)?;
    i64::try_from(&n).map_err(|_| vm.overflow_error("Python int too large to convert to C long"))
}

/// The context payload of `v` (an `_SSLContext` or a subclass instance).
pub fn of<'a>(vm: &mut Vm, v: &'a Value) -> PyResult<&'a SslContext> {
    native::downcast::<SslContext>(v).ok_or_else(|| {
        vm.type_error(format!(
            "descriptor requires a '_ssl._SSLContext' object but received '{}'",
            v.type_data().name
        ))
    })
}

fn me<'a>(
    vm: &mut Vm,
    name: &str,
    a: &Args<'a>,
    min: usize,
    max: usize,
) -> PyResult<(&'a SslContext, &'a [Value])> {
    let (s, r) = this(vm, name, a, min, max)?;
    Ok((of(vm, s)?, r))
}

// ---- simple attributes ----------------------------------------------------------------

fn get_protocol(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (c, _) = me(vm, "protocol", a, 0, 0)?;
    Ok(Value::int(c.st.read(|s| s.protocol)))
}

fn get_verify_mode(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (c, _) = me(vm, "verify_mode", a, 0, 0)?;
    Ok(Value::int(c.st.read(|s| s.verify_mode)))
}

fn set_verify_mode(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (c, r) = me(vm, "verify_mode", a, 1, 1)?;
    let n = int_of(vm, &r[0])?;
    if !(CERT_NONE..=CERT_REQUIRED).contains(&n) {
        return Err(vm.value_error("invalid value for verify_mode"));
    }
    let ok = c.st.with(|s| {
        if n == CERT_NONE && s.check_hostname {
            return false;
        }
        s.verify_mode = n;
        true
    });
    if !ok {
        return Err(
            vm.value_error("Cannot set verify_mode to CERT_NONE when check_hostname is enabled.")
        );
    }
    Ok(Value::none())
}

fn get_check_hostname(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (c, _) = me(vm, "check_hostname", a, 0, 0)?;
    Ok(Value::bool(c.st.read(|s| s.check_hostname)))
}

/// Turning the check on also turns verification on (CERT_REQUIRED), as in CPython.
fn set_check_hostname(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (c, r) = me(vm, "check_hostname", a, 1, 1)?;
    let on = crate::ops::truthy(vm, &r[0])?;
    c.st.with(|s| {
        if on && s.verify_mode == CERT_NONE {
            s.verify_mode = CERT_REQUIRED;
        }
        s.check_hostname = on;
    });
    Ok(Value::none())
}

fn get_options(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (c, _) = me(vm, "options", a, 0, 0)?;
    Ok(Value::int(c.st.read(|s| s.options)))
}

fn set_options(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (c, r) = me(vm, "options", a, 1, 1)?;
    let n = crate::ops::to_index(vm, &r[0])?;
    let n = u64::try_from(&n).map_err(|_| vm.overflow_error("int too big to convert"))? as i64;
    c.st.with(|s| s.options = n);
    Ok(Value::none())
}

fn get_verify_flags(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (c, _) = me(vm, "verify_flags", a, 0, 0)?;
    Ok(Value::int(c.st.read(|s| s.verify_flags)))
}

fn set_verify_flags(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (c, r) = me(vm, "verify_flags", a, 1, 1)?;
    let n = int_of(vm, &r[0])?;
    c.st.with(|s| s.verify_flags = n);
    Ok(Value::none())
}

fn get_min_version(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (c, _) = me(vm, "minimum_version", a, 0, 0)?;
    Ok(Value::int(c.st.read(|s| s.min_version)))
}

fn get_max_version(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (c, _) = me(vm, "maximum_version", a, 0, 0)?;
    Ok(Value::int(c.st.read(|s| s.max_version)))
}

fn set_version(vm: &mut Vm, a: &Args, max: bool) -> PyResult<Value> {
    let (c, r) = me(vm, "minimum_version", a, 1, 1)?;
    let v = int_of(vm, &r[0])?;
    let known = [
        PROTO_MINIMUM_SUPPORTED,
        PROTO_MAXIMUM_SUPPORTED,
        0x300,
        0x301,
        0x302,
        0x303,
        0x304,
    ];
    if !known.contains(&v) {
        return Err(vm.value_error(format!("Unsupported TLS/SSL version 0x{v:x}")));
    }
    let p = c.st.read(|s| s.protocol);
    if p != PROTOCOL_TLS && p != PROTOCOL_TLS_CLIENT && p != PROTOCOL_TLS_SERVER {
        return Err(vm.value_error(
            "The context's protocol doesn't support modification of highest and lowest version.",
        ));
    }
    c.st.with(|s| {
        if max {
            s.max_version = v;
        } else {
            s.min_version = v;
        }
    });
    Ok(Value::none())
}

fn set_min_version(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    set_version(vm, a, false)
}

fn set_max_version(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    set_version(vm, a, true)
}

fn get_host_flags(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (c, _) = me(vm, "_host_flags", a, 0, 0)?;
    Ok(Value::int(c.st.read(|s| s.host_flags)))
}

fn set_host_flags(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (c, r) = me(vm, "_host_flags", a, 1, 1)?;
    let n = int_of(vm, &r[0])?;
    c.st.with(|s| s.host_flags = n);
    Ok(Value::none())
}

fn get_num_tickets(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (c, _) = me(vm, "num_tickets", a, 0, 0)?;
    Ok(Value::int(c.st.read(|s| s.num_tickets)))
}

fn set_num_tickets(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (c, r) = me(vm, "num_tickets", a, 1, 1)?;
    let n = int_of(vm, &r[0])?;
    if n < 0 {
        return Err(vm.value_error("value must be non-negative"));
    }
    if c.st.read(|s| s.protocol) != PROTOCOL_TLS_SERVER {
        return Err(vm.value_error("SSLContext is not a server context."));
    }
    c.st.with(|s| s.num_tickets = n);
    Ok(Value::none())
}

fn get_security_level(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (_c, _) = me(vm, "security_level", a, 0, 0)?;
    Ok(Value::int(2))
}

fn get_post_handshake_auth(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (c, _) = me(vm, "post_handshake_auth", a, 0, 0)?;
    Ok(Value::bool(c.st.read(|s| s.post_handshake_auth)))
}

fn set_post_handshake_auth(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (c, r) = me(vm, "post_handshake_auth", a, 1, 1)?;
    let on = crate::ops::truthy(vm, &r[0])?;
    c.st.with(|s| s.post_handshake_auth = on);
    Ok(Value::none())
}

fn get_sni_callback(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (c, _) = me(vm, "sni_callback", a, 0, 0)?;
    Ok(c.sni_callback.get_clone())
}

fn set_sni_callback(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (c, r) = me(vm, "sni_callback", a, 1, 1)?;
    if c.st.read(|s| s.protocol) == PROTOCOL_TLS_CLIENT {
        return Err(vm.value_error("sni_callback cannot be set on TLS_CLIENT context"));
    }
    let v = r[0].clone();
    if !v.is_none() && !crate::ops::callable(&v) {
        return Err(vm.type_error("not a callable object"));
    }
    drop(c.sni_callback.with(|s| std::mem::replace(s, v)));
    Ok(Value::none())
}

fn get_msg_callback(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (c, _) = me(vm, "_msg_callback", a, 0, 0)?;
    Ok(c.msg_callback.get_clone())
}

/// Kept only: rustls reports no per-message events to call it with.
fn set_msg_callback(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (c, r) = me(vm, "_msg_callback", a, 1, 1)?;
    let v = r[0].clone();
    if !v.is_none() && !crate::ops::callable(&v) {
        return Err(vm.type_error("not a callable object"));
    }
    drop(c.msg_callback.with(|s| std::mem::replace(s, v)));
    Ok(Value::none())
}

fn get_keylog(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (c, _) = me(vm, "keylog_filename", a, 0, 0)?;
    Ok(c.keylog_filename.get_clone())
}

fn set_keylog(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (c, r) = me(vm, "keylog_filename", a, 1, 1)?;
    let v = r[0].clone();
    if !v.is_none() {
        let p = crate::modules::io::fileio::fspath(vm, &v)?;
        // As OpenSSL's keylog callback would: the file must be writable.
        let path = String::from_utf8_lossy(&p).into_owned();
        if let Err(e) = std::fs::OpenOptions::new()
            .append(true)
            .create(true)
            .open(&path)
        {
            let errno = e.raw_os_error().unwrap_or(libc::EIO);
            return Err(crate::builtins::os_error::from_errno(vm, errno, None, None));
        }
    }
    drop(c.keylog_filename.with(|s| std::mem::replace(s, v)));
    Ok(Value::none())
}

// ---- certificates ---------------------------------------------------------------------

/// A path argument (str, bytes or os.PathLike) as a string, or CPython's TypeError.
fn path_arg(vm: &mut Vm, v: &Value, what: &str) -> PyResult<String> {
    let ok = as_str(v).is_some()
        || v.downcast::<BytesObj>().is_some()
        || crate::vm::lookup_special(v, "__fspath__").is_some();
    if !ok {
        return Err(vm.type_error(format!("{what} should be a valid filesystem path")));
    }
    let p = crate::modules::io::fileio::fspath(vm, v)?;
    Ok(String::from_utf8_lossy(&p).into_owned())
}

fn read_file(vm: &mut Vm, path: &str) -> PyResult<Vec<u8>> {
    std::fs::read(path).map_err(|e| {
        let errno = e.raw_os_error().unwrap_or(libc::EIO);
        crate::builtins::os_error::from_errno(vm, errno, None, None)
    })
}

fn pem_lib(vm: &mut Vm) -> PyErr {
    errors::ssl_error(vm, errors::Kind::Error, 9, None, "[SSL] PEM lib")
}

/// `load_cert_chain(certfile, keyfile=None, password=None)`: the PEM certificates of
/// `certfile` (leaf first) and the private key from `keyfile` or else `certfile`.
fn load_cert_chain(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (s, rest) = crate::modules::native_args::receiver(vm, "load_cert_chain", a)?;
    let c = of(vm, s)?;
    let b = bind(
        vm,
        "load_cert_chain",
        &rest,
        &["certfile", "keyfile", "password"],
        1,
        3,
    )?;
    let certfile = path_arg(vm, b[0].unwrap_or(&Value::none()), "certfile")?;
    let keyfile = match b[1] {
        Some(k) if !k.is_none() => Some(path_arg(vm, k, "keyfile")?),
        _ => None,
    };
    if let Some(p) = b[2]
        && !p.is_none()
        && as_str(p).is_none()
        && buffer::bytes_like(p).is_none()
        && !crate::ops::callable(p)
    {
        return Err(vm.type_error("password should be a string or callable"));
    }
    let cert_pem = read_file(vm, &certfile)?;
    let certs: Vec<CertificateDer<'static>> = CertificateDer::pem_slice_iter(&cert_pem)
        .filter_map(Result::ok)
        .collect();
    if certs.is_empty() {
        return Err(pem_lib(vm));
    }
    let key_pem = match &keyfile {
        Some(k) => read_file(vm, k)?,
        None => cert_pem,
    };
    let Ok(key) = PrivateKeyDer::from_pem_slice(&key_pem) else {
        return Err(pem_lib(vm));
    };
    if provider()
        .key_provider
        .load_private_key(key.clone_key())
        .is_err()
    {
        return Err(pem_lib(vm));
    }
    c.st.with(|s| s.chain = Some((certs, key)));
    Ok(Value::none())
}

/// Add certificates to the CA list (skipping ones already there); how many were new.
fn add_ca(c: &SslContext, certs: Vec<CertificateDer<'static>>) {
    c.st.with(|s| {
        for cert in certs {
            if !s.ca.contains(&cert) {
                s.ca.push(cert);
            }
        }
        s.roots = None;
    });
}

/// `load_verify_locations(cafile=None, capath=None, cadata=None)`.
fn load_verify_locations(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (s, rest) = crate::modules::native_args::receiver(vm, "load_verify_locations", a)?;
    let c = of(vm, s)?;
    let b = bind(
        vm,
        "load_verify_locations",
        &rest,
        &["cafile", "capath", "cadata"],
        0,
        3,
    )?;
    let given = |v: Option<&Value>| v.filter(|v| !v.is_none()).cloned();
    let (cafile, capath, cadata) = (given(b[0]), given(b[1]), given(b[2]));
    if cafile.is_none() && capath.is_none() && cadata.is_none() {
        return Err(vm.type_error("cafile, capath and cadata cannot be all omitted"));
    }
    let cafile = match cafile {
        Some(v) => Some(path_arg(vm, &v, "cafile")?),
        None => None,
    };
    let capath = match capath {
        Some(v) => Some(path_arg(vm, &v, "capath")?),
        None => None,
    };
    if let Some(d) = cadata {
        let certs: Vec<CertificateDer<'static>> = if let Some(text) = as_str(&d) {
            let v: Vec<_> = CertificateDer::pem_slice_iter(text.as_bytes())
                .filter_map(Result::ok)
                .collect();
            if v.is_empty() {
                return Err(errors::ssl_error(
                    vm,
                    errors::Kind::Error,
                    9,
                    Some(("PEM", "NO_START_LINE")),
                    "no start line: cadata does not contain a certificate",
                ));
            }
            v
        } else if let Some(bytes) = buffer::bytes_like(&d) {
            let v = split_der(&bytes);
            if v.is_empty() {
                return Err(errors::ssl_error(
                    vm,
                    errors::Kind::Error,
                    9,
                    Some(("ASN1", "NOT_ENOUGH_DATA")),
                    "not enough data: cadata does not contain a certificate",
                ));
            }
            v
        } else {
            return Err(vm.type_error("cadata should be an ASCII string or a bytes-like object"));
        };
        add_ca(c, certs);
    }
    if let Some(f) = cafile {
        let data = read_file(vm, &f)?;
        let mut v: Vec<_> = CertificateDer::pem_slice_iter(&data)
            .filter_map(Result::ok)
            .collect();
        if v.is_empty() {
            v = split_der(&data);
        }
        if v.is_empty() {
            return Err(errors::ssl_error(
                vm,
                errors::Kind::Error,
                136,
                Some(("X509", "NO_CERTIFICATE_OR_CRL_FOUND")),
                "no certificate or crl found",
            ));
        }
        add_ca(c, v);
    }
    if let Some(p) = capath {
        let rd = std::fs::read_dir(&p).map_err(|e| {
            let errno = e.raw_os_error().unwrap_or(libc::EIO);
            crate::builtins::os_error::from_errno(vm, errno, None, None)
        })?;
        add_ca(c, certs_in_dir(rd));
    }
    Ok(Value::none())
}

/// Every PEM certificate in the files of a directory (OpenSSL looks them up lazily by
/// hashed name; all of them are loaded here at once).
fn certs_in_dir(rd: std::fs::ReadDir) -> Vec<CertificateDer<'static>> {
    let mut out = Vec::new();
    for e in rd.flatten() {
        if let Ok(data) = std::fs::read(e.path()) {
            out.extend(CertificateDer::pem_slice_iter(&data).filter_map(Result::ok));
        }
    }
    out
}

/// Concatenated DER certificates (each a SEQUENCE with a definite length).
fn split_der(mut d: &[u8]) -> Vec<CertificateDer<'static>> {
    let mut out = Vec::new();
    while d.len() >= 2 && d[0] == 0x30 {
        let (len, hdr) = if d[1] < 0x80 {
            (d[1] as usize, 2)
        } else {
            let n = (d[1] & 0x7f) as usize;
            if n == 0 || n > 4 || d.len() < 2 + n {
                break;
            }
            (
                d[2..2 + n]
                    .iter()
                    .fold(0usize, |a, &b| (a << 8) | b as usize),
                2 + n,
            )
        };
        let Some(end) = hdr.checked_add(len).filter(|&e| e <= d.len()) else {
            break;
        };
        out.push(CertificateDer::from(d[..end].to_vec()));
        d = &d[end..];
    }
    out
}

/// `set_default_verify_paths()`: the system CA bundle (SSL_CERT_FILE, else the default
/// file; the directory SSL_CERT_DIR or the default one only when there is no file).
fn set_default_verify_paths(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (c, _) = me(vm, "set_default_verify_paths", a, 0, 0)?;
    let file = std::env::var("SSL_CERT_FILE").unwrap_or_else(|_| DEFAULT_CAFILE.to_string());
    let dir = std::env::var("SSL_CERT_DIR").unwrap_or_else(|_| DEFAULT_CAPATH.to_string());
    match std::fs::read(&file) {
        Ok(data) => add_ca(
            c,
            CertificateDer::pem_slice_iter(&data)
                .filter_map(Result::ok)
                .collect(),
        ),
        Err(_) => {
            if let Ok(rd) = std::fs::read_dir(&dir) {
                add_ca(c, certs_in_dir(rd));
            }
        }
    }
    Ok(Value::none())
}

/// `load_dh_params(path)`: rustls has no finite-field DHE suites; the file must exist.
fn load_dh_params(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (_c, r) = me(vm, "load_dh_params", a, 1, 1)?;
    let p = crate::modules::io::fileio::fspath(vm, &r[0])?;
    read_file(vm, &String::from_utf8_lossy(&p))?;
    Ok(Value::none())
}

/// `set_ecdh_curve(name)`: rustls picks among its own groups (X25519, P-256, P-384).
fn set_ecdh_curve(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (_c, r) = me(vm, "set_ecdh_curve", a, 1, 1)?;
    let name = match as_str(&r[0]) {
        Some(s) => s.to_string(),
        None => match r[0].downcast::<BytesObj>() {
            Some(_) => String::from_utf8_lossy(&buffer::need(vm, &r[0])?).into_owned(),
            None => {
                return Err(vm.type_error(format!(
                    "'{}' object cannot be converted to 'PyBytes'",
                    r[0].type_data().name
                )));
            }
        },
    };
    let known = ["prime256v1", "secp256r1", "secp384r1", "X25519", "x25519"];
    if !known.contains(&name.as_str()) {
        return Err(vm.value_error(format!("unknown elliptic curve name '{name}'")));
    }
    Ok(Value::none())
}

fn set_ciphers(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (c, r) = me(vm, "set_ciphers", a, 1, 1)?;
    let Some(s) = as_str(&r[0]) else {
        return Err(vm.type_error(format!(
            "set_ciphers() argument must be str, not {}",
            r[0].type_data().name
        )));
    };
    if s.is_empty() {
        return Err(errors::ssl_error(
            vm,
            errors::Kind::Error,
            errors::SSL_ERROR_SSL,
            None,
            "No cipher can be selected.",
        ));
    }
    let s = s.to_string();
    c.st.with(|st| st.ciphers = s);
    Ok(Value::none())
}

/// `_set_alpn_protocols(protos)`: the wire format (each name after its length byte).
fn set_alpn_protocols(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (c, r) = me(vm, "_set_alpn_protocols", a, 1, 1)?;
    let data = buffer::need(vm, &r[0])?;
    let mut out = Vec::new();
    let mut i = 0;
    while i < data.len() {
        let n = data[i] as usize;
        let Some(p) = data.get(i + 1..i + 1 + n) else {
            return Err(vm.value_error("invalid ALPN protocol list"));
        };
        out.push(p.to_vec());
        i += 1 + n;
    }
    c.st.with(|s| s.alpn = out);
    Ok(Value::none())
}

fn session_stats(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (c, _) = me(vm, "session_stats", a, 0, 0)?;
    let [connect, connect_good, accept, accept_good] = c.st.read(|s| s.stats);
    let d = DictObj::new();
    for (k, v) in [
        ("number", 0),
        ("connect", connect),
        ("connect_good", connect_good),
        ("connect_renegotiate", 0),
        ("accept", accept),
        ("accept_good", accept_good),
        ("accept_renegotiate", 0),
        ("hits", 0),
        ("misses", 0),
        ("timeouts", 0),
        ("cache_full", 0),
    ] {
        d.set_str(k, Value::int(v));
    }
    Ok(Value::alloc(d))
}

fn cert_store_stats(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (c, _) = me(vm, "cert_store_stats", a, 0, 0)?;
    let (n, ca) = c.st.read(|s| {
        let ca =
            s.ca.iter()
                .filter(|d| cert::parse(d).is_some_and(|p| p.is_ca))
                .count();
        (s.ca.len(), ca)
    });
    let d = DictObj::new();
    d.set_str("x509", Value::int(n as i64));
    d.set_str("crl", Value::int(0));
    d.set_str("x509_ca", Value::int(ca as i64));
    Ok(Value::alloc(d))
}

/// `get_ca_certs(binary_form=False)`: the loaded CA certificates (those marked CA).
fn get_ca_certs(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (s, rest) = crate::modules::native_args::receiver(vm, "get_ca_certs", a)?;
    let c = of(vm, s)?;
    let b = bind(vm, "get_ca_certs", &rest, &["binary_form"], 0, 1)?;
    let binary = match b[0] {
        Some(v) => crate::ops::truthy(vm, v)?,
        None => false,
    };
    let ders = c.st.read(|s| s.ca.clone());
    let mut out = Vec::new();
    for d in ders {
        let Some(p) = cert::parse(&d) else { continue };
        if !p.is_ca {
            continue;
        }
        out.push(if binary {
            BytesObj::new_value(d.to_vec())
        } else {
            cert::to_dict(&p)
        });
    }
    Ok(ListObj::new_value(out))
}

// ---- configs for connections ----------------------------------------------------------

/// The protocol versions allowed by the context's range and options.
fn versions(s: &CtxState) -> Vec<&'static rustls::SupportedProtocolVersion> {
    let allowed = |v: i64, no_flag: i64| {
        (s.min_version == PROTO_MINIMUM_SUPPORTED || s.min_version <= v)
            && (s.max_version == PROTO_MAXIMUM_SUPPORTED || s.max_version >= v)
            && s.options & no_flag == 0
    };
    let mut out = Vec::new();
    if allowed(PROTO_TLSV1_3, OP_NO_TLSV1_3) && s.protocol != PROTOCOL_TLSV1_2 {
        out.push(&rustls::version::TLS13);
    }
    if allowed(PROTO_TLSV1_2, OP_NO_TLSV1_2) {
        out.push(&rustls::version::TLS12);
    }
    out
}

fn roots(s: &mut CtxState) -> Arc<RootCertStore> {
    if let Some(r) = &s.roots {
        return r.clone();
    }
    let mut store = RootCertStore::empty();
    store.add_parsable_certificates(s.ca.iter().cloned());
    let r = Arc::new(store);
    s.roots = Some(r.clone());
    r
}

/// The rustls client config for a new connection (an error message on failure).
pub fn client_config(s: &mut CtxState) -> Result<Arc<rustls::ClientConfig>, String> {
    let vers = versions(s);
    if vers.is_empty() {
        return Err("no protocols available".into());
    }
    let p = provider();
    let verify = s.verify_mode != CERT_NONE;
    let inner = if verify {
        let r = roots(s);
        rustls::client::WebPkiServerVerifier::builder_with_provider(r, p.clone())
            .build()
            .ok()
    } else {
        None
    };
    let verifier = Arc::new(verify::ServerVerifier {
        inner,
        verify,
        check_name: s.check_hostname,
        provider: p.clone(),
    });
    let b = rustls::ClientConfig::builder_with_provider(p)
        .with_protocol_versions(&vers)
        .map_err(|e| e.to_string())?
        .dangerous()
        .with_custom_certificate_verifier(verifier);
    let mut cfg = match &s.chain {
        Some((certs, key)) => b
            .with_client_auth_cert(certs.clone(), key.clone_key())
            .map_err(|e| e.to_string())?,
        None => b.with_no_client_auth(),
    };
    cfg.alpn_protocols = s.alpn.clone();
    cfg.enable_sni = true;
    Ok(Arc::new(cfg))
}

/// The rustls server config for a new connection (an error message on failure).
pub fn server_config(s: &mut CtxState) -> Result<Arc<rustls::ServerConfig>, String> {
    let vers = versions(s);
    if vers.is_empty() {
        return Err("no protocols available".into());
    }
    let p = provider();
    let b = rustls::ServerConfig::builder_with_provider(p.clone())
        .with_protocol_versions(&vers)
        .map_err(|e| e.to_string())?;
    let b = if s.verify_mode == CERT_NONE {
        b.with_no_client_auth()
    } else {
        let r = roots(s);
        let vb = rustls::server::WebPkiClientVerifier::builder_with_provider(r, p);
        let vb = if s.verify_mode == CERT_OPTIONAL {
            vb.allow_unauthenticated()
        } else {
            vb
        };
        b.with_client_cert_verifier(vb.build().map_err(|e| e.to_string())?)
    };
    let mut cfg = match &s.chain {
        Some((certs, key)) => b
            .with_single_cert(certs.clone(), key.clone_key())
            .map_err(|e| e.to_string())?,
        None => b.with_cert_resolver(Arc::new(verify::NoCert)),
    };
    cfg.alpn_protocols = s.alpn.clone();
    cfg.send_tls13_tickets = s.num_tickets as usize;
    Ok(Arc::new(cfg))
}
