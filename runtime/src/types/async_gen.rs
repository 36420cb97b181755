//! The awaitables of the async generator protocol (PEP 525) and `anext()`'s.
//!
//! An async generator's frame yields two kinds of values: those of its own `yield`
//! expressions, which the interpreter wraps in an [`AsyncGenWrapped`] (YIELD_VALUE
//! with argument 1), and those an `await` inside it passes through from the event
//! loop's awaitables, which stay bare. `__anext__()`/`asend()` return an
//! [`AsyncGenASend`] and `athrow()`/`aclose()` an [`AsyncGenAThrow`]: awaitables that
//! run the generator when the event loop sends into them, hand bare values on to the
//! loop, and finish (StopIteration carrying the value) when the generator yields a
//! wrapped one. The methods live in `builtins/async_generators.rs`.
use stitch_sync::shim::{AtomicU8, Ordering};

use crate::value::{PyPayload, Value};
use crate::world::types;
use stitch_stencils::value::RawValue;

/// A value yielded by an async generator's own `yield` (never seen by Python code).
pub struct AsyncGenWrapped {
    pub value: Value,
}

impl PyPayload for AsyncGenWrapped {
    fn class() -> RawValue {
        types().async_generator_wrapped_value
    }
}

/// Wrap the value of a `yield` in an async generator.
pub fn wrap(value: Value) -> Value {
    Value::alloc_with_type(
        &Value::from_borrowed(types().async_generator_wrapped_value),
        AsyncGenWrapped { value },
    )
}

/// Where an asend/athrow awaitable is (CPython's AwaitableState): not yet sent into,
/// running the generator, or done (awaiting it again is an error).
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
#[repr(u8)]
pub enum AwaitState {
    Init,
    Iter,
    Closed,
}

/// The state byte of an awaitable: one atomic, so an awaitable shared between threads
/// never reads a torn state (the generator's own claim keeps its frame exclusive).
pub struct AwaitCell(AtomicU8);

impl AwaitCell {
    fn new() -> AwaitCell {
        AwaitCell(AtomicU8::new(AwaitState::Init as u8))
    }
    pub fn get(&self) -> AwaitState {
        match self.0.load(Ordering::Acquire) {
            0 => AwaitState::Init,
            1 => AwaitState::Iter,
            _ => AwaitState::Closed,
        }
    }
    pub fn set(&self, s: AwaitState) {
        self.0.store(s as u8, Ordering::Release);
    }
}

/// `agen.__anext__()` / `agen.asend(value)`.
pub struct AsyncGenASend {
    pub agen: Value,
    /// The value sent on the first step (None for `__anext__`).
    pub sendval: Value,
    pub state: AwaitCell,
}

impl PyPayload for AsyncGenASend {
    fn class() -> RawValue {
        types().async_generator_asend
    }
}

impl AsyncGenASend {
    pub fn new_value(agen: Value, sendval: Value) -> Value {
        Value::alloc_with_type(
            &Value::from_borrowed(types().async_generator_asend),
            AsyncGenASend {
                agen,
                sendval,
                state: AwaitCell::new(),
            },
        )
    }
}

/// `agen.athrow(...)` / `agen.aclose()`.
pub struct AsyncGenAThrow {
    pub agen: Value,
    /// The arguments of `athrow` as a tuple, or NULL for `aclose()`.
    pub args: Value,
    pub state: AwaitCell,
}

impl PyPayload for AsyncGenAThrow {
    fn class() -> RawValue {
        types().async_generator_athrow
    }
}

impl AsyncGenAThrow {
    pub fn new_value(agen: Value, args: Value) -> Value {
        Value::alloc_with_type(
            &Value::from_borrowed(types().async_generator_athrow),
            AsyncGenAThrow {
                agen,
                args,
                state: AwaitCell::new(),
            },
        )
    }
    /// `aclose()` rather than `athrow()`.
    pub fn is_close(&self) -> bool {
        self.args.is_null()
    }
}

/// `anext(it, default)`: awaits `it.__anext__()`, turning its StopAsyncIteration
/// into the end of the await with `default`.
pub struct ANextAwaitable {
    pub wrapped: Value,
    pub default: Value,
}

impl PyPayload for ANextAwaitable {
    fn class() -> RawValue {
        types().anext_awaitable
    }
}
