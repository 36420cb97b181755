//! Native modules under CPython's names (`_io`, `_sre`, `itertools`, `posix`, ...), one
//! file (or folder) per module, registered in the one table below.
//!
//! CPython's own pure-Python standard library (its `Lib/`, used in place as an installed
//! package) imports these exactly as it imports CPython's C modules, so each must offer
//! the names and behaviour the Lib relies on. A module in this table is found before
//! anything on `sys.path`, as CPython's built-in modules are, and its name is listed in
//! `sys.builtin_module_names`.
pub mod _abc;
mod _string;
pub mod _weakref;
pub mod args;
pub mod ast;
pub mod atexit;
pub mod codecs;
pub mod elementtree;
pub mod errno;
pub mod faulthandler;
pub mod fcntl;
pub mod gc;
pub mod imp;
pub mod io;
pub mod locale;
mod lzma;
pub mod marshal;
mod multiprocessing;
pub mod namespace;
pub mod native_class;
pub mod posix;
mod posixshmem;
pub mod posixsubprocess;
pub mod select;
pub mod signal;
pub mod sre;
pub mod stat;
pub mod structseq;
pub mod sys;
pub mod thread;
pub mod time;
pub mod unraisable;
pub mod warnings;

use crate::value::Value;
use crate::vm::{PyResult, Vm};

pub(crate) mod array;
pub(crate) mod asyncio;
pub(crate) mod binascii;
mod bisect;
pub(crate) mod buffer;
mod bz2;
mod cmath;
pub(crate) mod collections;
pub(crate) mod contextvars;
pub(crate) mod csv;
mod datetime;
mod decimal;
pub(crate) mod functools;
mod hashes;
mod heapq;
mod itertools;
mod json;
mod kwonly;
mod math;
/// `PyFloat_AsDouble`: a float, an int, or an object with `__float__` or `__index__`.
pub(crate) use math::num as real_number;
pub(crate) mod native_args;
mod operator;
pub(crate) mod pickle;
mod pyexpat;
mod queue;
mod random;
pub(crate) mod socket;
pub(crate) mod sqlite;
pub(crate) mod ssl;
mod structs;
mod termios;
mod testinternalcapi;
pub(crate) mod unicodedata;
mod zlib;

/// Creates a module object the first time it is imported. The import system stores
/// the result in `sys.modules`, so an init function runs at most once per program.
pub type InitFn = fn(&mut Vm) -> PyResult<Value>;

/// Every native module: its import name and its init function. Keep sorted by name.
const TABLE: &[(&str, InitFn)] = &[
    ("_abc", _abc::init),
    ("_ast", ast::init),
    ("_asyncio", asyncio::init),
    ("_bisect", bisect::init),
    ("_blake2", hashes::init_blake2),
    ("_bz2", bz2::init),
    ("_codecs", codecs::init),
    ("_collections", collections::init),
    ("_contextvars", contextvars::init),
    ("_csv", csv::init),
    ("_datetime", datetime::init),
    ("_decimal", decimal::init),
    ("_elementtree", elementtree::init),
    ("_functools", functools::init),
    ("_heapq", heapq::init),
    ("_imp", imp::init),
    ("_io", io::make_module),
    ("_json", json::init),
    ("_locale", locale::init),
    ("_lzma", lzma::init),
    ("_md5", hashes::init_md5),
    ("_multiprocessing", multiprocessing::init),
    ("_operator", operator::init),
    ("_os", |vm| legacy(vm, "_os")),
    ("_pickle", pickle::init),
    ("_posixshmem", posixshmem::init),
    ("_posixsubprocess", posixsubprocess::init),
    ("_queue", queue::init),
    ("_random", random::init),
    ("_sha1", hashes::init_sha1),
    ("_sha256", hashes::init_sha256),
    ("_sha3", hashes::init_sha3),
    ("_sha512", hashes::init_sha512),
    ("_signal", signal::init),
    ("_socket", socket::init),
    ("_sqlite3", sqlite::init),
    ("_sre", sre::init),
    ("_ssl", ssl::init),
    ("_stat", stat::init),
    ("_string", _string::init),
    ("_struct", structs::init),
    ("_testinternalcapi", testinternalcapi::init),
    ("_thread", thread::init),
    ("_traceback", |vm| legacy(vm, "_traceback")),
    ("_warnings", warnings::init),
    ("_weakref", _weakref::init),
    ("array", array::init),
    ("atexit", atexit::init),
    ("binascii", binascii::init),
    ("cmath", cmath::init),
    ("errno", errno::init),
    ("faulthandler", faulthandler::init),
    ("fcntl", fcntl::init),
    ("gc", gc::init),
    ("itertools", itertools::init),
    ("marshal", marshal::init),
    ("math", math::init),
    ("posix", posix::init),
    ("pyexpat", pyexpat::init),
    ("select", select::init),
    ("termios", termios::init),
    ("time", time::init),
    ("unicodedata", unicodedata::init),
    ("zlib", zlib::init),
];

/// Modules still built by the older table in `builtins/modules.rs`.
fn legacy(vm: &mut Vm, name: &str) -> PyResult<Value> {
    match crate::builtins::make_native_module(vm, name) {
        Some(m) => Ok(m),
        None => unreachable!("native module table lists {name} without a builder"),
    }
}

/// At exit: empties the registries native modules keep for the whole process (csv's
/// dialects, sqlite3's adapters and converters), which hold the program's objects.
pub fn clear_registries() {
    csv::clear();
    decimal::clear();
    elementtree::clear();
    sqlite::clear();
    warnings::clear();
    crate::world::release_interned();
}

/// The init function of native module `name`, if stitch has one.
pub fn find(name: &str) -> Option<InitFn> {
    TABLE
        .binary_search_by(|(n, _)| (*n).cmp(name))
        .ok()
        .map(|i| TABLE[i].1)
}

/// Names of all native modules (`sys.builtin_module_names`), sorted.
pub fn names() -> impl Iterator<Item = &'static str> {
    TABLE.iter().map(|(n, _)| *n)
}

#[cfg(test)]
mod tests {
    #[test]
    fn table_is_sorted_and_unique() {
        let names: Vec<&str> = super::names().collect();
        let mut sorted = names.clone();
        sorted.sort_unstable();
        sorted.dedup();
        assert_eq!(
            names, sorted,
            "keep TABLE sorted by name, without duplicates"
        );
    }
}
