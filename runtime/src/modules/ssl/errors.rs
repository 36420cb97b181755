//! `_ssl`'s exception classes (`SSLError` and its subclasses, under `ssl`) and how
//! rustls' errors become them, with CPython's `errno`, `library`, `reason` and message
//! shape (`[SSL: REASON] description`).
use std::sync::atomic::{AtomicU64, Ordering};

use stitch_stencils::value::RawValue;

use crate::types::dict::DictObj;
use crate::types::str::{as_str, new_str};
use crate::types::tuple::TupleObj;
use crate::value::Value;
use crate::vm::{Args, PyErr, PyResult, Vm};
use crate::world::types;

/// CPython's `SSL_ERROR_*` codes (the `errno` of the exceptions).
pub const SSL_ERROR_SSL: i64 = 1;
pub const SSL_ERROR_WANT_READ: i64 = 2;
pub const SSL_ERROR_WANT_WRITE: i64 = 3;
pub const SSL_ERROR_SYSCALL: i64 = 5;
pub const SSL_ERROR_ZERO_RETURN: i64 = 6;
pub const SSL_ERROR_EOF: i64 = 8;

/// The exception classes, in the order of [`Kind`]; 0 until the module is made.
static CLASSES: [AtomicU64; 7] = [const { AtomicU64::new(0) }; 7];

/// Which `_ssl` exception class.
#[derive(Clone, Copy)]
pub enum Kind {
    Error = 0,
    ZeroReturn,
    WantRead,
    WantWrite,
    Syscall,
    Eof,
    CertVerification,
}

pub fn class(k: Kind) -> Value {
    Value::from_borrowed(RawValue(CLASSES[k as usize].load(Ordering::Acquire)))
}

/// `SSLError.__str__`: the strerror when it is a str (the formatted message), else
/// `str(self.args)`.
fn ssl_error_str(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let Some(s) = a.pos().first() else {
        return Err(vm.type_error("descriptor '__str__' needs an argument"));
    };
    if let Some(e) = crate::ops::getattr_opt(vm, s, "strerror")?
        && as_str(&e).is_some()
    {
        return Ok(e);
    }
    let args = crate::ops::getattr_str(vm, s, "args")?;
    let t = crate::ops::to_str(vm, &args)?;
    Ok(new_str(&t))
}

/// Make the classes (once per process; they are immortal) and put them in `m`.
pub fn install(vm: &mut Vm, m: &Value) -> PyResult<()> {
    if CLASSES[0].load(Ordering::Acquire) == 0 {
        let os_error = Value::from_borrowed(types().os_error);
        let value_error = Value::from_borrowed(types().value_error);
        let base = make(vm, "SSLError", &[os_error], true)?;
        let subs: [(&str, Kind); 5] = [
            ("SSLZeroReturnError", Kind::ZeroReturn),
            ("SSLWantReadError", Kind::WantRead),
            ("SSLWantWriteError", Kind::WantWrite),
            ("SSLSyscallError", Kind::Syscall),
            ("SSLEOFError", Kind::Eof),
        ];
        CLASSES[0].store(base.raw().0, Ordering::Release);
        for (name, k) in subs {
            let c = make(vm, name, std::slice::from_ref(&base), false)?;
            CLASSES[k as usize].store(c.raw().0, Ordering::Release);
        }
        let c = make(vm, "SSLCertVerificationError", &[base, value_error], false)?;
        CLASSES[Kind::CertVerification as usize].store(c.raw().0, Ordering::Release);
    }
    let names = [
        ("SSLError", Kind::Error),
        ("SSLZeroReturnError", Kind::ZeroReturn),
        ("SSLWantReadError", Kind::WantRead),
        ("SSLWantWriteError", Kind::WantWrite),
        ("SSLSyscallError", Kind::Syscall),
        ("SSLEOFError", Kind::Eof),
        ("SSLCertVerificationError", Kind::CertVerification),
    ];
    for (n, k) in names {
        super::super::native_args::set(m, n, class(k));
    }
    Ok(())
}

fn make(vm: &mut Vm, name: &str, bases: &[Value], with_str: bool) -> PyResult<Value> {
    let ns = DictObj::new();
    ns.set_str("__module__", crate::world::intern("ssl"));
    ns.set_str("__qualname__", crate::world::intern(name));
    let tyty = Value::from_borrowed(types().type_);
    let cls = vm.call(
        &tyty,
        &[
            new_str(name),
            TupleObj::new_value(bases.to_vec()),
            Value::alloc(ns),
        ],
    )?;
    crate::object::make_immortal(cls.raw());
    if with_str {
        crate::builtins::add_method(cls.raw(), "__str__", ssl_error_str);
    }
    Ok(cls)
}

/// An exception of class `k` as CPython's `fill_and_set_sslerror` makes it:
/// `(errno, "[LIB: REASON] message")`, with `library` and `reason` set.
pub fn ssl_error(
    vm: &mut Vm,
    k: Kind,
    errno: i64,
    lib_reason: Option<(&str, &str)>,
    msg: &str,
) -> PyErr {
    let text = match lib_reason {
        Some((lib, reason)) => format!("[{lib}: {reason}] {msg}"),
        None => msg.to_string(),
    };
    let cls = class(k);
    let exc = match vm.call(&cls, &[Value::int(errno), new_str(&text)]) {
        Ok(e) => e,
        Err(e) => return e,
    };
    let (lib, reason) = match lib_reason {
        Some((l, r)) => (new_str(l), new_str(r)),
        None => (Value::none(), Value::none()),
    };
    for (n, v) in [("library", lib), ("reason", reason)] {
        if let Err(e) = crate::ops::generic_setattr(vm, &exc, n, v) {
            return e;
        }
    }
    PyErr { exc }
}

/// `SSLWantReadError("The operation did not complete (read)")`.
pub fn want_read(vm: &mut Vm) -> PyErr {
    ssl_error(
        vm,
        Kind::WantRead,
        SSL_ERROR_WANT_READ,
        None,
        "The operation did not complete (read)",
    )
}

/// `SSLWantWriteError("The operation did not complete (write)")`.
pub fn want_write(vm: &mut Vm) -> PyErr {
    ssl_error(
        vm,
        Kind::WantWrite,
        SSL_ERROR_WANT_WRITE,
        None,
        "The operation did not complete (write)",
    )
}

/// The peer closed the transport without a close_notify alert.
pub fn eof(vm: &mut Vm) -> PyErr {
    ssl_error(
        vm,
        Kind::Eof,
        SSL_ERROR_EOF,
        None,
        "EOF occurred in violation of protocol",
    )
}

/// The peer sent close_notify: no more data.
pub fn zero_return(vm: &mut Vm) -> PyErr {
    ssl_error(
        vm,
        Kind::ZeroReturn,
        SSL_ERROR_ZERO_RETURN,
        None,
        "TLS/SSL connection has been closed (EOF)",
    )
}

/// A plain `SSLError` with OpenSSL's library `SSL`.
pub fn generic(vm: &mut Vm, reason: &str, msg: &str) -> PyErr {
    ssl_error(vm, Kind::Error, SSL_ERROR_SSL, Some(("SSL", reason)), msg)
}

/// A rustls protocol or certificate error as the exception OpenSSL's counterpart
/// gives (certificate failures: `SSLCertVerificationError` with `verify_code` and
/// `verify_message`; alerts from the peer: `SSLV3_ALERT_*`/`TLSV1_ALERT_*` reasons).
pub fn from_rustls(vm: &mut Vm, e: &rustls::Error) -> PyErr {
    use rustls::{AlertDescription as A, CertificateError as C, Error as E};
    match e {
        E::InvalidCertificate(c) => {
            let (code, what) = match c {
                C::Expired | C::ExpiredContext { .. } => (10, "certificate has expired".into()),
                C::NotValidYet | C::NotValidYetContext { .. } => {
                    (9, "certificate is not yet valid".into())
                }
                C::UnknownIssuer => (20, "unable to get local issuer certificate".to_string()),
                C::NotValidForName | C::NotValidForNameContext { .. } => (
                    62,
                    "Hostname mismatch, certificate is not valid".to_string(),
                ),
                C::Revoked => (23, "certificate revoked".into()),
                C::BadSignature => (7, "certificate signature failure".into()),
                other => (1, format!("{other:?}")),
            };
            let msg = format!("certificate verify failed: {what}");
            let err = ssl_error(
                vm,
                Kind::CertVerification,
                SSL_ERROR_SSL,
                Some(("SSL", "CERTIFICATE_VERIFY_FAILED")),
                &msg,
            );
            let _ = crate::ops::generic_setattr(vm, &err.exc, "verify_code", Value::int(code));
            let _ = crate::ops::generic_setattr(vm, &err.exc, "verify_message", new_str(&what));
            err
        }
        E::AlertReceived(a) => {
            let reason = match a {
                A::HandshakeFailure => "SSLV3_ALERT_HANDSHAKE_FAILURE".to_string(),
                A::BadCertificate => "SSLV3_ALERT_BAD_CERTIFICATE".to_string(),
                A::CertificateUnknown => "SSLV3_ALERT_CERTIFICATE_UNKNOWN".to_string(),
                A::UnknownCA => "TLSV1_ALERT_UNKNOWN_CA".to_string(),
                A::ProtocolVersion => "TLSV1_ALERT_PROTOCOL_VERSION".to_string(),
                A::InternalError => "TLSV1_ALERT_INTERNAL_ERROR".to_string(),
                A::DecryptError => "TLSV1_ALERT_DECRYPT_ERROR".to_string(),
                A::AccessDenied => "TLSV1_ALERT_ACCESS_DENIED".to_string(),
                A::CertificateRequired => "TLSV13_ALERT_CERTIFICATE_REQUIRED".to_string(),
                A::NoApplicationProtocol => "TLSV1_ALERT_NO_APPLICATION_PROTOCOL".to_string(),
                A::UnrecognisedName => "TLSV1_UNRECOGNIZED_NAME".to_string(),
                other => format!("TLSV1_ALERT_{}", format!("{other:?}").to_uppercase()),
            };
            let msg = format!("tlsv1 alert {}", reason.to_lowercase());
            generic(vm, &reason, &msg)
        }
        E::PeerIncompatible(p) => generic(vm, "NO_SHARED_CIPHER", &format!("{p:?}")),
        E::NoApplicationProtocol => {
            generic(vm, "NO_APPLICATION_PROTOCOL", "no application protocol")
        }
        E::DecryptError => generic(
            vm,
            "DECRYPTION_FAILED_OR_BAD_RECORD_MAC",
            "decryption failed",
        ),
        E::InvalidMessage(_)
        | E::InappropriateMessage { .. }
        | E::InappropriateHandshakeMessage { .. } => generic(
            vm,
            "WRONG_VERSION_NUMBER",
            &format!("wrong version number ({e})"),
        ),
        _ => generic(vm, "UNKNOWN", &e.to_string()),
    }
}
