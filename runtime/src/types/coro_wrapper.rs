//! `coroutine.__await__()`'s result (CPython's `coroutine_wrapper`): an iterator over
//! the coroutine, so a class's `__await__` can return `coro.__await__()` and a plain
//! `yield from`/`for` loop can drive it. Its methods (`builtins/coroutines.rs`) pass
//! straight to the coroutine.
use crate::value::{PyPayload, Value};
use crate::world::types;
use stitch_stencils::value::RawValue;

pub struct CoroWrapper {
    pub coro: Value,
}

impl PyPayload for CoroWrapper {
    fn class() -> RawValue {
        types().coroutine_wrapper
    }
}

/// A new wrapper iterating `coro`.
pub fn new_wrapper(coro: Value) -> Value {
    Value::alloc_with_type(
        &Value::from_borrowed(types().coroutine_wrapper),
        CoroWrapper { coro },
    )
}
