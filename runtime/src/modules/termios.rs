//! `termios`: POSIX terminal control (`tcgetattr`/`tcsetattr`, `tcsendbreak`,
//! `tcdrain`, `tcflush`, `tcflow`, `tcgetwinsize`/`tcsetwinsize`) and the Linux
//! constants, as CPython's Modules/termios.c. `tty`, `pty` and `getpass` are written
//! on it. A file argument is an int or an object with `fileno()`. Failures raise
//! `termios.error(errno, strerror)`, which (as in CPython) derives from `Exception`,
//! not `OSError`.
use std::sync::OnceLock;

use stitch_stencils::value::RawValue;

use super::args;
use super::fcntl::fileno;
use super::native_args::unpack;
use crate::types::bytes::{BytesObj, as_bytes};
use crate::types::list::ListObj;
use crate::types::str::new_string;
use crate::types::tuple::TupleObj;
use crate::value::Value;
use crate::vm::{Args, PyErr, PyResult, Vm};
use crate::world::types;

/// `termios.error` (bits of the immortal class), made once per process.
static ERROR: OnceLock<u64> = OnceLock::new();

fn error_class() -> RawValue {
    RawValue(*ERROR.get_or_init(|| {
        let t = super::binascii::exception_type("error", "termios", types().exception);
        crate::object::make_immortal(t.raw());
        t.raw().0
    }))
}

/// `termios.error(errno, strerror(errno))` from the calling thread's errno
/// (CPython's `PyErr_SetFromErrno(state->TermiosError)`).
fn errno_error(vm: &mut Vm) -> PyErr {
    let e = super::posix::path::errno();
    let msg = crate::builtins::os_error::strerror(e);
    PyErr {
        exc: vm.new_exception(error_class(), vec![Value::int(e as i64), new_string(msg)]),
    }
}

/// Result of a libc call returning -1 on failure.
fn check(vm: &mut Vm, r: libc::c_int) -> PyResult<()> {
    if r == -1 {
        return Err(errno_error(vm));
    }
    Ok(())
}

/// `PyLong_AsLong` of a list item (its TypeError/OverflowError texts).
fn as_long(vm: &mut Vm, v: &Value) -> PyResult<i64> {
    args::int(vm, v)
}

fn get_mode(vm: &mut Vm, fd: libc::c_int) -> PyResult<libc::termios> {
    // SAFETY: termios is plain data; zeroes are a valid value.
    let mut mode: libc::termios = unsafe { std::mem::zeroed() };
    // SAFETY: `mode` is a valid, writable termios for the call.
    check(vm, unsafe { libc::tcgetattr(fd, &mut mode) })?;
    Ok(mode)
}

pub fn init(_vm: &mut Vm) -> PyResult<Value> {
    let m = args::module(
        "termios",
        &[
            ("tcdrain", tcdrain),
            ("tcflow", tcflow),
            ("tcflush", tcflush),
            ("tcgetattr", tcgetattr),
            ("tcgetwinsize", tcgetwinsize),
            ("tcsendbreak", tcsendbreak),
            ("tcsetattr", tcsetattr),
            ("tcsetwinsize", tcsetwinsize),
        ],
    );
    args::set(&m, "error", Value::from_borrowed(error_class()));
    args::set(
        &m,
        "__doc__",
        new_string(
            "This module provides an interface to the Posix calls for tty I/O control.\n\
             For a complete description of these calls, see the Posix or Unix manual\n\
             pages. It is only available for those Unix versions that support Posix\n\
             termios style tty I/O control.\n\
             \n\
             All functions in this module take a file descriptor fd as their first\n\
             argument. This can be an integer file descriptor, such as returned by\n\
             sys.stdin.fileno(), or a file object, such as sys.stdin itself."
                .to_string(),
        ),
    );
    args::consts(&m, CONSTANTS);
    Ok(m)
}

/// `tcgetattr(fd)` -> `[iflag, oflag, cflag, lflag, ispeed, ospeed, cc]`; `cc` holds
/// 1-byte bytes, except `cc[VMIN]` and `cc[VTIME]`, ints when ICANON is off (they
/// are counts then, not characters).
fn tcgetattr(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let v = args::one(vm, "termios.tcgetattr", a)?;
    let fd = fileno(vm, v)?;
    let mode = get_mode(vm, fd)?;
    // SAFETY: `mode` was filled by tcgetattr.
    let ispeed = unsafe { libc::cfgetispeed(&mode) };
    // SAFETY: as above.
    let ospeed = unsafe { libc::cfgetospeed(&mode) };
    let mut cc: Vec<Value> = mode
        .c_cc
        .iter()
        .map(|&c| BytesObj::new_value(vec![c]))
        .collect();
    if mode.c_lflag & libc::ICANON == 0 {
        cc[libc::VMIN] = Value::int(mode.c_cc[libc::VMIN] as i64);
        cc[libc::VTIME] = Value::int(mode.c_cc[libc::VTIME] as i64);
    }
    Ok(ListObj::new_value(vec![
        Value::int(mode.c_iflag as i64),
        Value::int(mode.c_oflag as i64),
        Value::int(mode.c_cflag as i64),
        Value::int(mode.c_lflag as i64),
        Value::int(ispeed as i64),
        Value::int(ospeed as i64),
        ListObj::new_value(cc),
    ]))
}

/// `tcsetattr(fd, when, attributes)`: starts from the current mode so fields the
/// list does not carry (c_line) are kept.
fn tcsetattr(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let p = unpack(vm, "tcsetattr", a, 3, 3)?;
    let fd = fileno(vm, &p[0])?;
    let when = args::c_int(vm, &p[1])?;
    let items = match p[2].downcast::<ListObj>() {
        Some(l) if l.len() == 7 => l.snapshot(),
        _ => return Err(vm.type_error("tcsetattr, arg 3: must be 7 element list")),
    };
    let mut mode = get_mode(vm, fd)?;
    // CPython converts all six numbers before looking at errors, so the last bad
    // one is the one reported.
    let mut nums = [0i64; 6];
    let mut failed = None;
    for (i, n) in nums.iter_mut().enumerate() {
        match as_long(vm, &items[i]) {
            Ok(x) => *n = x,
            Err(e) => failed = Some(e),
        }
    }
    if let Some(e) = failed {
        return Err(e);
    }
    mode.c_iflag = nums[0] as libc::tcflag_t;
    mode.c_oflag = nums[1] as libc::tcflag_t;
    mode.c_cflag = nums[2] as libc::tcflag_t;
    mode.c_lflag = nums[3] as libc::tcflag_t;
    let ispeed = nums[4] as libc::speed_t;
    let ospeed = nums[5] as libc::speed_t;
    let cc = match items[6].downcast::<ListObj>() {
        Some(l) if l.len() == libc::NCCS => l.snapshot(),
        _ => {
            return Err(vm.type_error(format!(
                "tcsetattr: attributes[6] must be {} element list",
                libc::NCCS
            )));
        }
    };
    for (slot, v) in mode.c_cc.iter_mut().zip(cc.iter()) {
        let is_int = crate::types::int::as_int(v).is_some();
        match as_bytes(v).filter(|b| !is_int && b.len() == 1) {
            Some(b) => *slot = b[0],
            None if is_int => *slot = as_long(vm, v)? as libc::cc_t,
            None => {
                return Err(vm.type_error(
                    "tcsetattr: elements of attributes must be characters or integers",
                ));
            }
        }
    }
    // SAFETY: `mode` is a valid termios.
    check(vm, unsafe { libc::cfsetispeed(&mut mode, ispeed) })?;
    // SAFETY: as above.
    check(vm, unsafe { libc::cfsetospeed(&mut mode, ospeed) })?;
    // SAFETY: `mode` outlives the call.
    let r = crate::thread_state::blocking(|| unsafe { libc::tcsetattr(fd, when, &mode) });
    check(vm, r)?;
    Ok(Value::none())
}

/// The shape of `tcsendbreak`, `tcflush` and `tcflow`: a descriptor and an int.
fn fd_and_int(
    vm: &mut Vm,
    name: &str,
    a: &Args,
    call: impl FnOnce(libc::c_int, libc::c_int) -> libc::c_int,
) -> PyResult<Value> {
    let p = unpack(vm, name, a, 2, 2)?;
    let fd = fileno(vm, &p[0])?;
    let x = args::c_int(vm, &p[1])?;
    let r = crate::thread_state::blocking(|| call(fd, x));
    check(vm, r)?;
    Ok(Value::none())
}

fn tcsendbreak(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    // SAFETY: plain syscall on integers.
    fd_and_int(vm, "tcsendbreak", a, |fd, d| unsafe {
        libc::tcsendbreak(fd, d)
    })
}

fn tcflush(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    // SAFETY: plain syscall on integers.
    fd_and_int(vm, "tcflush", a, |fd, q| unsafe { libc::tcflush(fd, q) })
}

fn tcflow(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    // SAFETY: plain syscall on integers.
    fd_and_int(vm, "tcflow", a, |fd, x| unsafe { libc::tcflow(fd, x) })
}

/// `tcdrain(fd)`: waits until the output is sent, detached from the VM meanwhile.
fn tcdrain(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let v = args::one(vm, "termios.tcdrain", a)?;
    let fd = fileno(vm, v)?;
    // SAFETY: plain syscall on an integer.
    let r = crate::thread_state::blocking(|| unsafe { libc::tcdrain(fd) });
    check(vm, r)?;
    Ok(Value::none())
}

fn get_winsize(vm: &mut Vm, fd: libc::c_int) -> PyResult<libc::winsize> {
    // SAFETY: winsize is plain data.
    let mut w: libc::winsize = unsafe { std::mem::zeroed() };
    // SAFETY: TIOCGWINSZ writes one winsize into `w`.
    check(vm, unsafe { libc::ioctl(fd, libc::TIOCGWINSZ, &mut w) })?;
    Ok(w)
}

/// `tcgetwinsize(fd)` -> `(rows, columns)`.
fn tcgetwinsize(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let v = args::one(vm, "termios.tcgetwinsize", a)?;
    let fd = fileno(vm, v)?;
    let w = get_winsize(vm, fd)?;
    Ok(TupleObj::from_items([
        Value::int(w.ws_row as i64),
        Value::int(w.ws_col as i64),
    ]))
}

/// `tcsetwinsize(fd, (rows, columns))`: keeps the pixel sizes already set.
fn tcsetwinsize(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let p = unpack(vm, "tcsetwinsize", a, 2, 2)?;
    let fd = fileno(vm, &p[0])?;
    let ws = &p[1];
    // PySequence_Check: a `__getitem__` on the type, and not a dict.
    let is_seq = ws.downcast::<crate::types::dict::DictObj>().is_none()
        && crate::ops::getattr_opt(vm, &ws.type_of(), "__getitem__")?.is_some();
    let n = if is_seq {
        crate::ops::len(vm, ws).ok()
    } else {
        None
    };
    if n != Some(2) {
        return Err(vm.type_error("tcsetwinsize, arg 2: must be a two-item sequence"));
    }
    let r = crate::ops::getitem(vm, ws, &Value::int(0))?;
    let rows = as_long(vm, &r)?;
    let c = crate::ops::getitem(vm, ws, &Value::int(1))?;
    let cols = as_long(vm, &c)?;
    let mut w = get_winsize(vm, fd)?;
    let (Ok(r16), Ok(c16)) = (u16::try_from(rows), u16::try_from(cols)) else {
        return Err(vm.overflow_error("winsize value(s) out of range."));
    };
    w.ws_row = r16;
    w.ws_col = c16;
    // SAFETY: TIOCSWINSZ reads one winsize from `w`.
    check(vm, unsafe { libc::ioctl(fd, libc::TIOCSWINSZ, &w) })?;
    Ok(Value::none())
}

/// CPython's termios constants on Linux: libc's where the crate has them, else the
/// values of Linux's headers (asm-generic, as on x86-64 and aarch64).
const CONSTANTS: &[(&str, i64)] = &[
    ("B0", libc::B0 as i64),
    ("B1000000", libc::B1000000 as i64),
    ("B110", libc::B110 as i64),
    ("B115200", libc::B115200 as i64),
    ("B1152000", libc::B1152000 as i64),
    ("B1200", libc::B1200 as i64),
    ("B134", libc::B134 as i64),
    ("B150", libc::B150 as i64),
    ("B1500000", libc::B1500000 as i64),
    ("B1800", libc::B1800 as i64),
    ("B19200", libc::B19200 as i64),
    ("B200", libc::B200 as i64),
    ("B2000000", libc::B2000000 as i64),
    ("B230400", libc::B230400 as i64),
    ("B2400", libc::B2400 as i64),
    ("B2500000", libc::B2500000 as i64),
    ("B300", libc::B300 as i64),
    ("B3000000", libc::B3000000 as i64),
    ("B3500000", libc::B3500000 as i64),
    ("B38400", libc::B38400 as i64),
    ("B4000000", libc::B4000000 as i64),
    ("B460800", libc::B460800 as i64),
    ("B4800", libc::B4800 as i64),
    ("B50", libc::B50 as i64),
    ("B500000", libc::B500000 as i64),
    ("B57600", libc::B57600 as i64),
    ("B576000", libc::B576000 as i64),
    ("B600", libc::B600 as i64),
    ("B75", libc::B75 as i64),
    ("B921600", libc::B921600 as i64),
    ("B9600", libc::B9600 as i64),
    ("BRKINT", libc::BRKINT as i64),
    ("BS0", libc::BS0 as i64),
    ("BS1", libc::BS1 as i64),
    ("BSDLY", libc::BSDLY as i64),
    ("CBAUD", libc::CBAUD as i64),
    ("CBAUDEX", libc::CBAUDEX as i64),
    ("CDSUSP", 25),
    ("CEOF", 4),
    ("CEOL", 0),
    ("CEOT", 4),
    ("CERASE", 127),
    ("CFLUSH", 15),
    ("CIBAUD", libc::CIBAUD as i64),
    ("CINTR", 3),
    ("CKILL", 21),
    ("CLNEXT", 22),
    ("CLOCAL", libc::CLOCAL as i64),
    ("CQUIT", 28),
    ("CR0", libc::CR0 as i64),
    ("CR1", libc::CR1 as i64),
    ("CR2", libc::CR2 as i64),
    ("CR3", libc::CR3 as i64),
    ("CRDLY", libc::CRDLY as i64),
    ("CREAD", libc::CREAD as i64),
    ("CRPRNT", 18),
    ("CRTSCTS", libc::CRTSCTS as i64),
    ("CS5", libc::CS5 as i64),
    ("CS6", libc::CS6 as i64),
    ("CS7", libc::CS7 as i64),
    ("CS8", libc::CS8 as i64),
    ("CSIZE", libc::CSIZE as i64),
    ("CSTART", 17),
    ("CSTOP", 19),
    ("CSTOPB", libc::CSTOPB as i64),
    ("CSUSP", 26),
    ("CWERASE", 23),
    ("ECHO", libc::ECHO as i64),
    ("ECHOCTL", libc::ECHOCTL as i64),
    ("ECHOE", libc::ECHOE as i64),
    ("ECHOK", libc::ECHOK as i64),
    ("ECHOKE", libc::ECHOKE as i64),
    ("ECHONL", libc::ECHONL as i64),
    ("ECHOPRT", libc::ECHOPRT as i64),
    ("EXTA", libc::EXTA as i64),
    ("EXTB", libc::EXTB as i64),
    ("FF0", libc::FF0 as i64),
    ("FF1", libc::FF1 as i64),
    ("FFDLY", libc::FFDLY as i64),
    ("FIOASYNC", libc::FIOASYNC as i64),
    ("FIOCLEX", libc::FIOCLEX as i64),
    ("FIONBIO", libc::FIONBIO as i64),
    ("FIONCLEX", libc::FIONCLEX as i64),
    ("FIONREAD", libc::FIONREAD as i64),
    ("FLUSHO", libc::FLUSHO as i64),
    ("HUPCL", libc::HUPCL as i64),
    ("ICANON", libc::ICANON as i64),
    ("ICRNL", libc::ICRNL as i64),
    ("IEXTEN", libc::IEXTEN as i64),
    ("IGNBRK", libc::IGNBRK as i64),
    ("IGNCR", libc::IGNCR as i64),
    ("IGNPAR", libc::IGNPAR as i64),
    ("IMAXBEL", libc::IMAXBEL as i64),
    ("INLCR", libc::INLCR as i64),
    ("INPCK", libc::INPCK as i64),
    ("IOCSIZE_MASK", 1073676288),
    ("IOCSIZE_SHIFT", 16),
    ("ISIG", libc::ISIG as i64),
    ("ISTRIP", libc::ISTRIP as i64),
    ("IUCLC", libc::IUCLC as i64),
    ("IXANY", libc::IXANY as i64),
    ("IXOFF", libc::IXOFF as i64),
    ("IXON", libc::IXON as i64),
    ("NCC", 8),
    ("NCCS", libc::NCCS as i64),
    ("NL0", libc::NL0 as i64),
    ("NL1", libc::NL1 as i64),
    ("NLDLY", libc::NLDLY as i64),
    ("NOFLSH", libc::NOFLSH as i64),
    ("N_MOUSE", 2),
    ("N_PPP", 3),
    ("N_SLIP", 1),
    ("N_STRIP", 4),
    ("N_TTY", 0),
    ("OCRNL", libc::OCRNL as i64),
    ("OFDEL", libc::OFDEL as i64),
    ("OFILL", libc::OFILL as i64),
    ("OLCUC", libc::OLCUC as i64),
    ("ONLCR", libc::ONLCR as i64),
    ("ONLRET", libc::ONLRET as i64),
    ("ONOCR", libc::ONOCR as i64),
    ("OPOST", libc::OPOST as i64),
    ("PARENB", libc::PARENB as i64),
    ("PARMRK", libc::PARMRK as i64),
    ("PARODD", libc::PARODD as i64),
    ("PENDIN", libc::PENDIN as i64),
    ("TAB0", libc::TAB0 as i64),
    ("TAB1", libc::TAB1 as i64),
    ("TAB2", libc::TAB2 as i64),
    ("TAB3", libc::TAB3 as i64),
    ("TABDLY", libc::TABDLY as i64),
    ("TCFLSH", libc::TCFLSH as i64),
    ("TCGETA", libc::TCGETA as i64),
    ("TCGETS", libc::TCGETS as i64),
    ("TCIFLUSH", libc::TCIFLUSH as i64),
    ("TCIOFF", libc::TCIOFF as i64),
    ("TCIOFLUSH", libc::TCIOFLUSH as i64),
    ("TCION", libc::TCION as i64),
    ("TCOFLUSH", libc::TCOFLUSH as i64),
    ("TCOOFF", libc::TCOOFF as i64),
    ("TCOON", libc::TCOON as i64),
    ("TCSADRAIN", libc::TCSADRAIN as i64),
    ("TCSAFLUSH", libc::TCSAFLUSH as i64),
    ("TCSANOW", libc::TCSANOW as i64),
    ("TCSBRK", libc::TCSBRK as i64),
    ("TCSBRKP", libc::TCSBRKP as i64),
    ("TCSETA", libc::TCSETA as i64),
    ("TCSETAF", libc::TCSETAF as i64),
    ("TCSETAW", libc::TCSETAW as i64),
    ("TCSETS", libc::TCSETS as i64),
    ("TCSETSF", libc::TCSETSF as i64),
    ("TCSETSW", libc::TCSETSW as i64),
    ("TCXONC", libc::TCXONC as i64),
    ("TIOCCONS", libc::TIOCCONS as i64),
    ("TIOCEXCL", libc::TIOCEXCL as i64),
    ("TIOCGETD", libc::TIOCGETD as i64),
    ("TIOCGICOUNT", libc::TIOCGICOUNT as i64),
    ("TIOCGLCKTRMIOS", libc::TIOCGLCKTRMIOS as i64),
    ("TIOCGPGRP", libc::TIOCGPGRP as i64),
    ("TIOCGSERIAL", libc::TIOCGSERIAL as i64),
    ("TIOCGSOFTCAR", libc::TIOCGSOFTCAR as i64),
    ("TIOCGWINSZ", libc::TIOCGWINSZ as i64),
    ("TIOCINQ", libc::TIOCINQ as i64),
    ("TIOCLINUX", libc::TIOCLINUX as i64),
    ("TIOCMBIC", libc::TIOCMBIC as i64),
    ("TIOCMBIS", libc::TIOCMBIS as i64),
    ("TIOCMGET", libc::TIOCMGET as i64),
    ("TIOCMIWAIT", libc::TIOCMIWAIT as i64),
    ("TIOCMSET", libc::TIOCMSET as i64),
    ("TIOCM_CAR", libc::TIOCM_CAR as i64),
    ("TIOCM_CD", libc::TIOCM_CD as i64),
    ("TIOCM_CTS", libc::TIOCM_CTS as i64),
    ("TIOCM_DSR", libc::TIOCM_DSR as i64),
    ("TIOCM_DTR", libc::TIOCM_DTR as i64),
    ("TIOCM_LE", libc::TIOCM_LE as i64),
    ("TIOCM_RI", libc::TIOCM_RI as i64),
    ("TIOCM_RNG", libc::TIOCM_RNG as i64),
    ("TIOCM_RTS", libc::TIOCM_RTS as i64),
    ("TIOCM_SR", libc::TIOCM_SR as i64),
    ("TIOCM_ST", libc::TIOCM_ST as i64),
    ("TIOCNOTTY", libc::TIOCNOTTY as i64),
    ("TIOCNXCL", libc::TIOCNXCL as i64),
    ("TIOCOUTQ", libc::TIOCOUTQ as i64),
    ("TIOCPKT", libc::TIOCPKT as i64),
    ("TIOCPKT_DATA", 0),
    ("TIOCPKT_DOSTOP", 32),
    ("TIOCPKT_FLUSHREAD", 1),
    ("TIOCPKT_FLUSHWRITE", 2),
    ("TIOCPKT_NOSTOP", 16),
    ("TIOCPKT_START", 8),
    ("TIOCPKT_STOP", 4),
    ("TIOCSCTTY", libc::TIOCSCTTY as i64),
    ("TIOCSERCONFIG", libc::TIOCSERCONFIG as i64),
    ("TIOCSERGETLSR", libc::TIOCSERGETLSR as i64),
    ("TIOCSERGETMULTI", libc::TIOCSERGETMULTI as i64),
    ("TIOCSERGSTRUCT", libc::TIOCSERGSTRUCT as i64),
    ("TIOCSERGWILD", libc::TIOCSERGWILD as i64),
    ("TIOCSERSETMULTI", libc::TIOCSERSETMULTI as i64),
    ("TIOCSERSWILD", libc::TIOCSERSWILD as i64),
    ("TIOCSER_TEMT", 1),
    ("TIOCSETD", libc::TIOCSETD as i64),
    ("TIOCSLCKTRMIOS", libc::TIOCSLCKTRMIOS as i64),
    ("TIOCSPGRP", libc::TIOCSPGRP as i64),
    ("TIOCSSERIAL", libc::TIOCSSERIAL as i64),
    ("TIOCSSOFTCAR", libc::TIOCSSOFTCAR as i64),
    ("TIOCSTI", libc::TIOCSTI as i64),
    ("TIOCSWINSZ", libc::TIOCSWINSZ as i64),
    ("TOSTOP", libc::TOSTOP as i64),
    ("VDISCARD", libc::VDISCARD as i64),
    ("VEOF", libc::VEOF as i64),
    ("VEOL", libc::VEOL as i64),
    ("VEOL2", libc::VEOL2 as i64),
    ("VERASE", libc::VERASE as i64),
    ("VINTR", libc::VINTR as i64),
    ("VKILL", libc::VKILL as i64),
    ("VLNEXT", libc::VLNEXT as i64),
    ("VMIN", libc::VMIN as i64),
    ("VQUIT", libc::VQUIT as i64),
    ("VREPRINT", libc::VREPRINT as i64),
    ("VSTART", libc::VSTART as i64),
    ("VSTOP", libc::VSTOP as i64),
    ("VSUSP", libc::VSUSP as i64),
    ("VSWTC", libc::VSWTC as i64),
    ("VSWTCH", 7),
    ("VT0", libc::VT0 as i64),
    ("VT1", libc::VT1 as i64),
    ("VTDLY", libc::VTDLY as i64),
    ("VTIME", libc::VTIME as i64),
    ("VWERASE", libc::VWERASE as i64),
    ("XCASE", libc::XCASE as i64),
    ("XTABS", libc::XTABS as i64),
];
