//! Repetition of sequences (`seq * n`), with CPython's errors instead of an abort when
//! the result cannot exist: the allocation is asked for fallibly.
use crate::vm::{PyResult, Vm};
use crate::world::types;

/// `items` repeated `n` times. A result longer than `isize::MAX` bytes raises
/// `OverflowError(overflow)` when CPython names that case (bytes: "repeated bytes are
/// too long", str: "repeated string is too long") and `MemoryError` otherwise, as does a
/// result the allocator refuses.
pub fn repeat<T: Clone>(
    vm: &mut Vm,
    items: &[T],
    n: usize,
    overflow: Option<&str>,
) -> PyResult<Vec<T>> {
    let total = items.len().checked_mul(n).filter(|t| {
        t.checked_mul(size_of::<T>().max(1))
            .is_some_and(|b| b <= isize::MAX as usize)
    });
    let Some(total) = total else {
        return Err(match overflow {
            Some(msg) => vm.err(types().overflow_error, msg),
            None => vm.err(types().memory_error, ""),
        });
    };
    let mut v = Vec::new();
    if v.try_reserve_exact(total).is_err() {
        return Err(vm.err(types().memory_error, ""));
    }
    // One item: a fill (a memset for bytes). More: one copy, then doubling copies of
    // what is there, as CPython's `_PyBytes_Repeat` does: log2(n) copies, not n.
    match items {
        _ if total == 0 => {}
        [one] => v.resize(total, one.clone()),
        _ => {
            v.extend_from_slice(items);
            while v.len() < total {
                let k = v.len().min(total - v.len());
                v.extend_from_within(..k);
            }
        }
    }
    Ok(v)
}

/// `s` repeated `n` times (str's `*`).
pub fn repeat_str(vm: &mut Vm, s: &str, n: usize) -> PyResult<String> {
    let bytes = repeat(vm, s.as_bytes(), n, Some("repeated string is too long"))?;
    // SAFETY: copies of valid UTF-8 laid end to end are valid UTF-8.
    Ok(unsafe { String::from_utf8_unchecked(bytes) })
}

/// `n` zero bytes (`bytes(n)`, `bytearray(n)`), MemoryError when they cannot be had.
pub fn zeros(vm: &mut Vm, n: usize) -> PyResult<Vec<u8>> {
    repeat(vm, &[0u8], n, None)
}
