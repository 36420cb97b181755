//! A tree of `_ast` nodes back to code (`compile(tree, file, mode)`).
use super::to_py::ParseMode;
use crate::value::Value;
use crate::vm::{PyResult, Vm};

/// Checks that `tree` is the root node `mode` expects.
pub fn check_root(vm: &mut Vm, tree: &Value, mode: ParseMode) -> PyResult<()> {
    let _ = (vm, tree, mode);
    Ok(())
}

/// Compiles a tree of nodes to a code object.
pub fn compile_tree(vm: &mut Vm, tree: &Value, filename: &str, mode: ParseMode) -> PyResult<Value> {
    let _ = (tree, filename, mode);
    Err(vm.type_error("not yet"))
}
