//! `__print_expr__(value)`: what an expression statement at the top level of code
//! compiled in `single` mode (the REPL's, doctest's) compiles to: CPython's PRINT_EXPR,
//! which hands the value to `sys.displayhook`.
use crate::types::dict::DictObj;
use crate::types::func::new_builtin;
use crate::value::Value;
use crate::vm::{Args, PyResult, Vm};

pub fn install(d: &DictObj) {
    let v = new_builtin("__print_expr__", print_expr);
    crate::object::make_immortal(v.raw());
    d.set_str("__print_expr__", v);
}

fn print_expr(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let p = super::posargs(vm, "__print_expr__", a, 1, 1)?;
    let hook = crate::import::loaded(vm, "sys").and_then(|s| {
        s.downcast::<crate::types::module::ModuleObj>()?
            .dict()
            .get_str("displayhook")
    });
    let Some(hook) = hook else {
        return Err(vm.runtime_error("lost sys.displayhook"));
    };
    vm.call(&hook, &[p[0].clone()])
}
