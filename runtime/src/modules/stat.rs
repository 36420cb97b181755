//! `_stat`: file-mode constants and tests (`S_ISDIR`, `S_IMODE`, `filemode`), which
//! the Lib's `stat.py` imports over its pure-Python definitions.
use super::args;
use crate::types::str::new_string;
use crate::value::Value;
use crate::vm::{Args, PyResult, Vm};

const S_IFMT: i64 = 0o170000;
const S_IFDIR: i64 = 0o040000;
const S_IFCHR: i64 = 0o020000;
const S_IFBLK: i64 = 0o060000;
const S_IFREG: i64 = 0o100000;
const S_IFIFO: i64 = 0o010000;
const S_IFLNK: i64 = 0o120000;
const S_IFSOCK: i64 = 0o140000;

const CONSTANTS: &[(&str, i64)] = &[
    ("S_IFDIR", S_IFDIR),
    ("S_IFCHR", S_IFCHR),
    ("S_IFBLK", S_IFBLK),
    ("S_IFREG", S_IFREG),
    ("S_IFIFO", S_IFIFO),
    ("S_IFLNK", S_IFLNK),
    ("S_IFSOCK", S_IFSOCK),
    ("S_IFDOOR", 0),
    ("S_IFPORT", 0),
    ("S_IFWHT", 0),
    ("S_ISUID", 0o4000),
    ("S_ISGID", 0o2000),
    ("S_ISVTX", 0o1000),
    ("S_ENFMT", 0o2000),
    ("S_IREAD", 0o400),
    ("S_IWRITE", 0o200),
    ("S_IEXEC", 0o100),
    ("S_IRWXU", 0o700),
    ("S_IRUSR", 0o400),
    ("S_IWUSR", 0o200),
    ("S_IXUSR", 0o100),
    ("S_IRWXG", 0o70),
    ("S_IRGRP", 0o40),
    ("S_IWGRP", 0o20),
    ("S_IXGRP", 0o10),
    ("S_IRWXO", 0o7),
    ("S_IROTH", 0o4),
    ("S_IWOTH", 0o2),
    ("S_IXOTH", 0o1),
    ("UF_NODUMP", 1),
    ("UF_IMMUTABLE", 2),
    ("UF_APPEND", 4),
    ("UF_OPAQUE", 8),
    ("UF_NOUNLINK", 16),
    ("UF_COMPRESSED", 32),
    ("UF_HIDDEN", 32768),
    ("SF_ARCHIVED", 65536),
    ("SF_IMMUTABLE", 131072),
    ("SF_APPEND", 262144),
    ("SF_NOUNLINK", 1048576),
    ("SF_SNAPSHOT", 2097152),
    ("ST_MODE", 0),
    ("ST_INO", 1),
    ("ST_DEV", 2),
    ("ST_NLINK", 3),
    ("ST_UID", 4),
    ("ST_GID", 5),
    ("ST_SIZE", 6),
    ("ST_ATIME", 7),
    ("ST_MTIME", 8),
    ("ST_CTIME", 9),
];

pub fn init(_vm: &mut Vm) -> PyResult<Value> {
    let m = args::module(
        "_stat",
        &[
            ("S_ISDIR", s_isdir),
            ("S_ISCHR", s_ischr),
            ("S_ISBLK", s_isblk),
            ("S_ISREG", s_isreg),
            ("S_ISFIFO", s_isfifo),
            ("S_ISLNK", s_islnk),
            ("S_ISSOCK", s_issock),
            ("S_ISDOOR", s_isdoor),
            ("S_ISPORT", s_isdoor),
            ("S_ISWHT", s_isdoor),
            ("S_IMODE", s_imode),
            ("S_IFMT", s_ifmt),
            ("filemode", filemode),
        ],
    );
    args::consts(&m, CONSTANTS);
    Ok(m)
}

/// A mode argument (any int; CPython masks it to C `mode_t`).
fn mode(vm: &mut Vm, a: &Args) -> PyResult<i64> {
    let v = args::one(vm, "", a).map_err(|_| {
        vm.type_error(format!(
            "function takes exactly one argument ({} given)",
            a.pos().len()
        ))
    })?;
    if crate::types::int::as_int(v).is_none() {
        return Err(vm.type_error("an integer is required"));
    }
    let m = args::int(vm, v)?;
    if !(0..=u32::MAX as i64).contains(&m) {
        return Err(vm.overflow_error("mode out of range"));
    }
    Ok(m)
}

macro_rules! kind_test {
    ($($f:ident => $bits:expr;)*) => {
        $(fn $f(vm: &mut Vm, a: &Args) -> PyResult<Value> {
            Ok(Value::bool(mode(vm, a)? & S_IFMT == $bits))
        })*
    };
}

kind_test! {
    s_isdir => S_IFDIR;
    s_ischr => S_IFCHR;
    s_isblk => S_IFBLK;
    s_isreg => S_IFREG;
    s_isfifo => S_IFIFO;
    s_islnk => S_IFLNK;
    s_issock => S_IFSOCK;
}

fn s_isdoor(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    mode(vm, a)?;
    Ok(Value::bool(false))
}

fn s_imode(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    Ok(Value::int(mode(vm, a)? & 0o7777))
}

fn s_ifmt(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    Ok(Value::int(mode(vm, a)? & S_IFMT))
}

/// The `ls -l` string of a mode: `-rw-r--r--`.
pub fn mode_string(m: i64) -> String {
    let kind = match m & S_IFMT {
        S_IFLNK => 'l',
        S_IFSOCK => 's',
        S_IFREG => '-',
        S_IFBLK => 'b',
        S_IFDIR => 'd',
        S_IFCHR => 'c',
        S_IFIFO => 'p',
        _ => '?',
    };
    let mut s = String::with_capacity(10);
    s.push(kind);
    let bit = |b: i64, c: char| if m & b != 0 { c } else { '-' };
    let special =
        |x: i64, special: i64, lower: char, upper: char| match (m & x != 0, m & special != 0) {
            (true, true) => lower,
            (false, true) => upper,
            (true, false) => 'x',
            (false, false) => '-',
        };
    s.push(bit(0o400, 'r'));
    s.push(bit(0o200, 'w'));
    s.push(special(0o100, 0o4000, 's', 'S'));
    s.push(bit(0o40, 'r'));
    s.push(bit(0o20, 'w'));
    s.push(special(0o10, 0o2000, 's', 'S'));
    s.push(bit(0o4, 'r'));
    s.push(bit(0o2, 'w'));
    s.push(special(0o1, 0o1000, 't', 'T'));
    s
}

fn filemode(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let m = mode(vm, a)?;
    Ok(new_string(mode_string(m)))
}
