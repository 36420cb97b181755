//! `scandir()` and `DirEntry`: directory entries with the file type the directory
//! listing gave (so `is_dir()` usually costs no system call) and a cached `stat()`.
//!
//! Both classes are made as Python classes with native methods; an entry's state is
//! in its instance dict (`name`, `path`, and private `_d_type`, `_ino`, `_dir_fd`,
//! `_stat`, `_lstat`). The directory is read when `scandir()` is called (CPython reads
//! it lazily as the iterator advances; the entries seen are the same unless the
//! directory changes while it is iterated).
use super::fs::{do_stat, open_dir, read_dir_names, stat_value};
use super::path::{PathArg, name_value, path};
use super::{args, ty};
use crate::builtins::os_error::from_errno;
use crate::types::dict::DictObj;
use crate::types::list::ListObj;
use crate::value::Value;
use crate::vm::{Args, PyResult, Vm, new_instance_of};
use crate::world::types;

pub fn make_types(vm: &mut Vm) -> PyResult<(Value, Value)> {
    let de = crate::modules::native_class::new(
        vm,
        "posix",
        "DirEntry",
        &[
            ("inode", entry_inode),
            ("is_dir", entry_is_dir),
            ("is_file", entry_is_file),
            ("is_symlink", entry_is_symlink),
            ("stat", entry_stat),
            ("__fspath__", entry_fspath),
            ("__repr__", entry_repr),
        ],
    )?;
    let it = crate::modules::native_class::new(
        vm,
        "posix",
        "ScandirIterator",
        &[
            ("__iter__", iter_self),
            ("__next__", iter_next),
            ("close", iter_close),
            ("__enter__", iter_self),
            ("__exit__", iter_exit),
        ],
    )?;
    Ok((de, it))
}

fn dict_of(v: &Value) -> Option<&DictObj> {
    if v.type_data().kind != crate::types::class::Kind::Object {
        return None;
    }
    // SAFETY: Kind::Object instances are `Instance`s.
    let inst = unsafe { v.payload_unchecked::<crate::types::instance::Instance>() };
    inst.dict.downcast::<DictObj>()
}

fn slot(v: &Value, name: &str) -> Value {
    dict_of(v)
        .and_then(|d| d.get_str(name))
        .unwrap_or_else(Value::none)
}

pub fn scandir(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let b = args::bind(vm, "scandir", a, &["path"], 1, 0)?;
    let arg = b[0].cloned().unwrap_or_else(Value::none);
    let p = path(vm, "scandir", &arg, true, true)?;
    let names = open_dir(&p).and_then(read_dir_names);
    let names = match names {
        Ok(n) => n,
        Err(e) => return Err(from_errno(vm, e, Some(p.obj), None)),
    };
    let cls = ty(|t| t.dir_entry);
    let mut entries = Vec::with_capacity(names.len());
    for (name, d_type, ino) in names {
        entries.push(make_entry(&cls, &p, &name, d_type, ino));
    }
    let it = new_instance_of(&ty(|t| t.scandir_iterator), vec![]);
    if let Some(d) = dict_of(&it) {
        d.set_str("_entries", ListObj::new_value(entries));
        d.set_str("_pos", Value::int(0));
    }
    Ok(it)
}

fn make_entry(cls: &Value, dir: &PathArg, name: &[u8], d_type: u8, ino: u64) -> Value {
    let e = new_instance_of(cls, vec![]);
    let Some(d) = dict_of(&e) else { return e };
    let name_v = name_value(name, dir.bytes);
    let path_v = match dir.fd {
        Some(_) => name_v.clone(),
        None if dir.obj.is_none() => {
            let mut full = b"./".to_vec();
            full.extend_from_slice(name);
            name_value(&full, false)
        }
        None => {
            let mut full = dir.as_bytes().to_vec();
            if !full.ends_with(b"/") {
                full.push(b'/');
            }
            full.extend_from_slice(name);
            name_value(&full, dir.bytes)
        }
    };
    d.set_str("name", name_v);
    d.set_str("path", path_v);
    d.set_str("_d_type", Value::int(d_type as i64));
    d.set_str("_ino", Value::bigint(ino.into()));
    d.set_str(
        "_dir_fd",
        match dir.fd {
            Some(fd) => Value::int(fd as i64),
            None => Value::none(),
        },
    );
    e
}

fn this<'a>(vm: &mut Vm, a: &Args<'a>, name: &str) -> PyResult<&'a Value> {
    match a.pos().first() {
        Some(s) if dict_of(s).is_some() => Ok(s),
        _ => Err(vm.type_error(format!(
            "descriptor '{name}' requires a 'posix.DirEntry' object"
        ))),
    }
}

/// The keyword-only `follow_symlinks` of an entry method.
fn follow_arg(vm: &mut Vm, a: &Args, name: &str) -> PyResult<bool> {
    let rest = Args {
        args: &a.args[1..],
        kwnames: a.kwnames,
    };
    let b = args::bind(vm, name, &rest, &["follow_symlinks"], 0, 0)?;
    args::flag(vm, b[0], true)
}

fn entry_inode(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let s = this(vm, a, "inode")?;
    Ok(slot(s, "_ino"))
}

fn entry_fspath(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let s = this(vm, a, "__fspath__")?;
    Ok(slot(s, "path"))
}

fn entry_repr(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let s = this(vm, a, "__repr__")?;
    let r = crate::ops::repr(vm, &slot(s, "name"))?;
    Ok(crate::types::str::new_string(format!("<DirEntry {r}>")))
}

/// The entry's stat result (cached), following symlinks or not.
fn fetch_stat(vm: &mut Vm, s: &Value, follow: bool) -> PyResult<Value> {
    let key = if follow { "_stat" } else { "_lstat" };
    if let Some(v) = dict_of(s).and_then(|d| d.get_str(key)) {
        return Ok(v);
    }
    let follow = follow && is_link(vm, s)?;
    let key2 = if follow { "_stat" } else { "_lstat" };
    if let Some(v) = dict_of(s).and_then(|d| d.get_str(key2)) {
        if let Some(d) = dict_of(s) {
            d.set_str(key, v.clone());
        }
        return Ok(v);
    }
    let path_v = slot(s, "path");
    let dir_fd = slot(s, "_dir_fd");
    let (target, dfd) = if dir_fd.is_none() {
        (path_v.clone(), libc::AT_FDCWD)
    } else {
        (slot(s, "name"), dir_fd.as_small_int().unwrap_or(-1) as i32)
    };
    let p = path(vm, "stat", &target, false, false)?;
    let st = match do_stat(&p, dfd, follow) {
        Ok(st) => st,
        Err(e) => return Err(from_errno(vm, e, Some(path_v), None)),
    };
    let v = stat_value(vm, &st)?;
    if let Some(d) = dict_of(s) {
        d.set_str(key2, v.clone());
        d.set_str(key, v.clone());
    }
    Ok(v)
}

fn is_link(vm: &mut Vm, s: &Value) -> PyResult<bool> {
    let t = slot(s, "_d_type").as_small_int().unwrap_or(0) as u8;
    if t != libc::DT_UNKNOWN {
        return Ok(t == libc::DT_LNK);
    }
    let st = fetch_stat(vm, s, false)?;
    let mode = super::structseq::get(vm, &st, "st_mode")?
        .as_small_int()
        .unwrap_or(0);
    Ok(mode & 0o170000 == 0o120000)
}

/// Whether the entry is of file type `dt` (`S_IFMT` bits `fmt`).
fn is_type(vm: &mut Vm, a: &Args, name: &str, dt: u8, fmt: i64) -> PyResult<Value> {
    let s = this(vm, a, name)?;
    let follow = follow_arg(vm, a, name)?;
    let t = slot(s, "_d_type").as_small_int().unwrap_or(0) as u8;
    if t != libc::DT_UNKNOWN && !(follow && t == libc::DT_LNK) {
        return Ok(Value::bool(t == dt));
    }
    match fetch_stat(vm, s, follow) {
        Ok(st) => {
            let mode = super::structseq::get(vm, &st, "st_mode")?
                .as_small_int()
                .unwrap_or(0);
            Ok(Value::bool(mode & 0o170000 == fmt))
        }
        Err(e) if vm.err_matches(&e, types().file_not_found_error) => Ok(Value::bool(false)),
        Err(e) => Err(e),
    }
}

fn entry_is_dir(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    is_type(vm, a, "is_dir", libc::DT_DIR, 0o040000)
}

fn entry_is_file(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    is_type(vm, a, "is_file", libc::DT_REG, 0o100000)
}

fn entry_is_symlink(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let s = this(vm, a, "is_symlink")?;
    args::none(vm, "is_symlink", &Args::new(&a.args[1..]))?;
    match is_link(vm, s) {
        Ok(b) => Ok(Value::bool(b)),
        Err(e) if vm.err_matches(&e, types().file_not_found_error) => Ok(Value::bool(false)),
        Err(e) => Err(e),
    }
}

fn entry_stat(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let s = this(vm, a, "stat")?;
    let follow = follow_arg(vm, a, "stat")?;
    fetch_stat(vm, s, follow)
}

fn iter_self(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    match a.pos().first() {
        Some(s) => Ok(s.clone()),
        None => Err(vm.type_error("descriptor needs an argument")),
    }
}

fn iter_next(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let Some(s) = a.pos().first() else {
        return Err(vm.type_error("descriptor '__next__' needs an argument"));
    };
    let Some(d) = dict_of(s) else {
        return Err(vm.stop_iteration(Value::none()));
    };
    let pos = d
        .get_str("_pos")
        .and_then(|p| p.as_small_int())
        .unwrap_or(0);
    let item = d.get_str("_entries").and_then(|l| {
        l.downcast::<ListObj>()
            .and_then(|l| l.items.with(|v| v.get(pos as usize).cloned()))
    });
    match item {
        Some(e) => {
            d.set_str("_pos", Value::int(pos + 1));
            Ok(e)
        }
        None => {
            d.set_str("_entries", ListObj::new_value(vec![]));
            Err(vm.stop_iteration(Value::none()))
        }
    }
}

fn iter_close(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let Some(s) = a.pos().first() else {
        return Err(vm.type_error("descriptor 'close' needs an argument"));
    };
    if let Some(d) = dict_of(s) {
        d.set_str("_entries", ListObj::new_value(vec![]));
    }
    Ok(Value::none())
}

fn iter_exit(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    iter_close(vm, &Args::new(&a.pos()[..1.min(a.pos().len())]))?;
    Ok(Value::bool(false))
}
