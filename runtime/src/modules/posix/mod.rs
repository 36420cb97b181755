//! `posix`: the operating-system interface CPython's `Lib/os.py` is built on (files and
//! directories, file descriptors, processes, the environment), written on the C library
//! with CPython 3.11's names, arguments, results and errors (OSError subclasses chosen
//! from errno, naming the path arguments).
//!
//! Files: `path.rs` (path arguments), `fs.rs` (paths: stat, mkdir, rename, ...),
//! `fd.rs` (file descriptors), `scandir.rs` (`scandir`, `DirEntry`), `process.rs`
//! (processes, users, system information), `consts.rs` (constants and name tables).
mod consts;
mod fd;
mod fs;
pub(crate) mod path;
pub(crate) mod process;
mod scandir;

use std::os::unix::ffi::OsStrExt;
use std::sync::OnceLock;

use stitch_stencils::value::RawValue;

use super::args;
use super::structseq;
use crate::types::bytes::BytesObj;
use crate::types::dict::DictObj;
use crate::value::Value;
use crate::vm::{PyResult, Vm};
use crate::world::types;

/// The struct sequence and class objects of the module (immortal), for functions that
/// build their instances.
struct Types {
    stat_result: u64,
    statvfs_result: u64,
    terminal_size: u64,
    times_result: u64,
    uname_result: u64,
    dir_entry: u64,
    scandir_iterator: u64,
}

static TYPES: OnceLock<Types> = OnceLock::new();

fn ty(f: fn(&Types) -> u64) -> Value {
    let t = TYPES
        .get()
        .expect("posix types are made when posix is imported");
    Value::from_borrowed(RawValue(f(t)))
}

const STAT_FIELDS: &[&str] = &[
    "st_mode",
    "st_ino",
    "st_dev",
    "st_nlink",
    "st_uid",
    "st_gid",
    "st_size",
    "",
    "",
    "",
    "st_atime",
    "st_mtime",
    "st_ctime",
    "st_atime_ns",
    "st_mtime_ns",
    "st_ctime_ns",
    "st_blksize",
    "st_blocks",
    "st_rdev",
];

/// Makes the module's types once per process (every VM shares them).
fn make_types(vm: &mut Vm) -> PyResult<()> {
    if TYPES.get().is_some() {
        return Ok(());
    }
    let st = structseq::new_type(vm, "os", "stat_result", STAT_FIELDS, 10)?;
    let sv = structseq::new_type(
        vm,
        "os",
        "statvfs_result",
        &[
            "f_bsize",
            "f_frsize",
            "f_blocks",
            "f_bfree",
            "f_bavail",
            "f_files",
            "f_ffree",
            "f_favail",
            "f_flag",
            "f_namemax",
            "f_fsid",
        ],
        10,
    )?;
    let ts = structseq::new_type(vm, "os", "terminal_size", &["columns", "lines"], 2)?;
    let tr = structseq::new_type(
        vm,
        "posix",
        "times_result",
        &[
            "user",
            "system",
            "children_user",
            "children_system",
            "elapsed",
        ],
        5,
    )?;
    let un = structseq::new_type(
        vm,
        "posix",
        "uname_result",
        &["sysname", "nodename", "release", "version", "machine"],
        5,
    )?;
    let (de, si) = scandir::make_types(vm)?;
    let _ = TYPES.set(Types {
        stat_result: st.bits(),
        statvfs_result: sv.bits(),
        terminal_size: ts.bits(),
        times_result: tr.bits(),
        uname_result: un.bits(),
        dir_entry: de.bits(),
        scandir_iterator: si.bits(),
    });
    Ok(())
}

pub fn init(vm: &mut Vm) -> PyResult<Value> {
    make_types(vm)?;
    let m = args::module(
        "posix",
        &[
            // fs.rs
            ("stat", fs::stat),
            ("lstat", fs::lstat),
            ("fstat", fs::fstat),
            ("access", fs::access),
            ("chdir", fs::chdir),
            ("fchdir", fs::fchdir),
            ("chmod", fs::chmod),
            ("fchmod", fs::fchmod),
            ("chown", fs::chown),
            ("lchown", fs::lchown),
            ("fchown", fs::fchown),
            ("getcwd", fs::getcwd),
            ("getcwdb", fs::getcwdb),
            ("link", fs::link),
            ("listdir", fs::listdir),
            ("mkdir", fs::mkdir),
            ("mkfifo", fs::mkfifo),
            ("readlink", fs::readlink),
            ("rename", fs::rename),
            ("replace", fs::replace),
            ("rmdir", fs::rmdir),
            ("symlink", fs::symlink),
            ("unlink", fs::unlink),
            ("remove", fs::remove),
            ("utime", fs::utime),
            ("truncate", fs::truncate),
            ("statvfs", fs::statvfs),
            ("fstatvfs", fs::fstatvfs),
            ("fspath", fs::fspath),
            ("umask", fs::umask),
            ("sync", fs::sync),
            // scandir.rs
            ("scandir", scandir::scandir),
            // fd.rs
            ("open", fd::open),
            ("close", fd::close),
            ("closerange", fd::closerange),
            ("read", fd::read),
            ("write", fd::write),
            ("pread", fd::pread),
            ("pwrite", fd::pwrite),
            ("lseek", fd::lseek),
            ("dup", fd::dup),
            ("dup2", fd::dup2),
            ("openpty", fd::openpty),
            ("pipe", fd::pipe),
            ("pipe2", fd::pipe2),
            ("fsync", fd::fsync),
            ("fdatasync", fd::fdatasync),
            ("ftruncate", fd::ftruncate),
            ("isatty", fd::isatty),
            ("ttyname", fd::ttyname),
            ("get_inheritable", fd::get_inheritable),
            ("set_inheritable", fd::set_inheritable),
            ("get_blocking", fd::get_blocking),
            ("set_blocking", fd::set_blocking),
            ("device_encoding", fd::device_encoding),
            ("get_terminal_size", fd::get_terminal_size),
            ("sendfile", fd::sendfile),
            ("lockf", fd::lockf),
            // process.rs
            ("getpid", process::getpid),
            ("getppid", process::getppid),
            ("getuid", process::getuid),
            ("geteuid", process::geteuid),
            ("getgid", process::getgid),
            ("getegid", process::getegid),
            ("getpgrp", process::getpgrp),
            ("getpgid", process::getpgid),
            ("getsid", process::getsid),
            ("setsid", process::setsid),
            ("getgroups", process::getgroups),
            ("getlogin", process::getlogin),
            ("kill", process::kill),
            ("killpg", process::killpg),
            ("waitpid", process::waitpid),
            ("wait", process::wait),
            ("waitstatus_to_exitcode", process::waitstatus_to_exitcode),
            ("WIFEXITED", process::wifexited),
            ("WEXITSTATUS", process::wexitstatus),
            ("WIFSIGNALED", process::wifsignaled),
            ("WTERMSIG", process::wtermsig),
            ("WIFSTOPPED", process::wifstopped),
            ("WSTOPSIG", process::wstopsig),
            ("WIFCONTINUED", process::wifcontinued),
            ("WCOREDUMP", process::wcoredump),
            ("_exit", process::exit),
            ("abort", process::abort),
            ("fork", process::fork),
            ("execv", process::execv),
            ("execve", process::execve),
            ("system", process::system),
            ("register_at_fork", process::register_at_fork),
            ("times", process::times),
            ("uname", process::uname),
            ("cpu_count", process::cpu_count),
            ("urandom", process::urandom),
            ("getrandom", process::getrandom),
            ("sysconf", process::sysconf),
            ("confstr", process::confstr),
            ("fpathconf", process::fpathconf),
            ("pathconf", process::pathconf),
            ("sched_getaffinity", process::sched_getaffinity),
            ("sched_yield", process::sched_yield),
            ("getloadavg", process::getloadavg),
            ("nice", process::nice),
            ("strerror", process::strerror),
            ("putenv", process::putenv),
            ("unsetenv", process::unsetenv),
        ],
    );
    consts::install(vm, &m)?;
    args::set(&m, "environ", environ(vm)?);
    args::set(&m, "error", Value::from_borrowed(types().os_error));
    args::set(&m, "stat_result", ty(|t| t.stat_result));
    args::set(&m, "statvfs_result", ty(|t| t.statvfs_result));
    args::set(&m, "terminal_size", ty(|t| t.terminal_size));
    args::set(&m, "times_result", ty(|t| t.times_result));
    args::set(&m, "uname_result", ty(|t| t.uname_result));
    args::set(&m, "DirEntry", ty(|t| t.dir_entry));
    Ok(m)
}

/// `posix.environ`: the environment at startup as a dict of bytes to bytes (os.py
/// wraps it in `os.environ`, decoding with the file-system encoding).
fn environ(vm: &mut Vm) -> PyResult<Value> {
    let d = DictObj::new();
    for (k, v) in std::env::vars_os() {
        let k = BytesObj::new_value(k.as_bytes().to_vec());
        let v = BytesObj::new_value(v.as_bytes().to_vec());
        d.set(vm, k, v)?;
    }
    Ok(Value::alloc(d))
}
