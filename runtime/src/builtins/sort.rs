//! `list.sort` and `sorted`: a stable merge sort of natural runs (Tim Peters' design,
//! as CPython's `listobject.c`), over a key order chosen once per sort.
//!
//! Why not `slice::sort_by`: a Python `__lt__` may raise, and may be no total order at
//! all; the standard library's sort is allowed to panic on an inconsistent comparison.
//! Here a comparison that raises stops the sort and the input is left as it was, and
//! an inconsistent one gives some permutation, as in CPython.
//!
//! The shape: runs already in order (ascending, or strictly descending and then
//! reversed) are found in one pass, short ones are extended to `min_run` by binary
//! insertion, and runs are merged under Timsort's stack invariants. A merge first
//! trims, by binary search, the head of the left run and the tail of the right run
//! that are already in place, so sorted and nearly sorted input costs about n
//! comparisons. (CPython also gallops inside a merge; that is left out.)
//!
//! The permutation is of `u32` indices into the keys: moving an index costs no
//! reference-count traffic, and the items are reordered once at the end.
//!
//! Key order: before sorting, the keys are scanned once (CPython's "pre-sort check").
//! When all are of one exact builtin type whose order no Python code can change (small
//! ints, floats, strs), or tuples whose first items are, comparisons go straight to that
//! order instead of through the rich-comparison protocol.
use std::cmp::Ordering;

use crate::ops;
use crate::types::str::StrObj;
use crate::types::tuple::TupleObj;
use crate::value::Value;
use crate::vm::{PyResult, Vm};

/// An order on keys that needs no Python code, found by [`KeyOrder::of`].
#[derive(Clone, Copy, PartialEq)]
enum Scalar {
    SmallInt,
    Float,
    Str,
}

impl Scalar {
    fn of(v: &Value) -> Option<Scalar> {
        if v.as_small_int().is_some() {
            Some(Scalar::SmallInt)
        } else if v.as_exact_float().is_some() {
            Some(Scalar::Float)
        } else if v.downcast_exact::<StrObj>().is_some() {
            Some(Scalar::Str)
        } else {
            None
        }
    }

    /// The order of two keys both of this kind. `None` means unordered (a NaN): not
    /// less and not equal, unless they are the same object.
    #[inline]
    fn cmp(self, a: &Value, b: &Value) -> Option<Ordering> {
        match self {
            Scalar::SmallInt => Some(a.as_small_int()?.cmp(&b.as_small_int()?)),
            Scalar::Float => a.as_exact_float()?.partial_cmp(&b.as_exact_float()?),
            Scalar::Str => Some(crate::types::str::cmp_strs(
                a.downcast_exact::<StrObj>()?,
                b.downcast_exact::<StrObj>()?,
            )),
        }
    }
}

/// How keys are compared for one sort.
#[derive(Clone, Copy)]
enum KeyOrder {
    /// Every key is of this scalar kind.
    Scalar(Scalar),
    /// Every key is an exact tuple; when all are non-empty with first items of one
    /// scalar kind, that kind's order decides unless the first items are equal
    /// (CPython's `unsafe_tuple_compare`). Items compare as tuple `<` compares them.
    Tuples(Option<Scalar>),
    /// The rich comparison `a < b`.
    Rich,
}

impl KeyOrder {
    fn of(keys: &[Value]) -> KeyOrder {
        let Some(first) = keys.first() else {
            return KeyOrder::Rich;
        };
        if let Some(s) = Scalar::of(first) {
            if keys.iter().all(|k| Scalar::of(k) == Some(s)) {
                return KeyOrder::Scalar(s);
            }
            return KeyOrder::Rich;
        }
        if keys
            .iter()
            .all(|k| k.downcast_exact::<TupleObj>().is_some())
        {
            let head = |k: &Value| {
                let t = k.downcast_exact::<TupleObj>()?;
                Scalar::of(t.items.first()?)
            };
            let s = head(first).filter(|&s| keys.iter().all(|k| head(k) == Some(s)));
            return KeyOrder::Tuples(s);
        }
        KeyOrder::Rich
    }

    fn less(self, vm: &mut Vm, a: &Value, b: &Value) -> PyResult<bool> {
        match self {
            KeyOrder::Scalar(s) => Ok(s.cmp(a, b) == Some(Ordering::Less)),
            KeyOrder::Tuples(first) => {
                let (Some(x), Some(y)) = (
                    a.downcast_exact::<TupleObj>(),
                    b.downcast_exact::<TupleObj>(),
                ) else {
                    return ops::less_than(vm, a, b);
                };
                for (k, (p, q)) in x.items.iter().zip(y.items.iter()).enumerate() {
                    if p.is(q) {
                        continue;
                    }
                    if k == 0
                        && let Some(s) = first
                    {
                        match s.cmp(p, q) {
                            Some(Ordering::Equal) => continue,
                            o => return Ok(o == Some(Ordering::Less)),
                        }
                    }
                    if vm.eq(p, q)? {
                        continue;
                    }
                    return ops::rich_bool(vm, p, q, ops::LT);
                }
                Ok(x.items.len() < y.items.len())
            }
            KeyOrder::Rich => ops::less_than(vm, a, b),
        }
    }
}

/// Sorts `items` (stably; by `key(item)` when given; descending when `reverse`, still
/// stable). On an error (from `key` or a comparison) `items` is left as it was.
pub fn sort_in_place(
    vm: &mut Vm,
    items: &mut [Value],
    key: Option<&Value>,
    reverse: bool,
) -> PyResult<()> {
    let n = items.len();
    if n < 2 {
        if let (Some(f), Some(it)) = (key, items.first()) {
            // CPython calls the key function even for a single item.
            vm.call(f, std::slice::from_ref(it))?;
        }
        return Ok(());
    }
    if n > u32::MAX as usize {
        return Err(vm.overflow_error("list too long to sort"));
    }
    let owned_keys;
    let keys: &[Value] = match key {
        Some(f) => {
            let mut ks = Vec::with_capacity(n);
            for it in items.iter() {
                ks.push(vm.call(f, std::slice::from_ref(it))?);
            }
            owned_keys = ks;
            &owned_keys
        }
        None => items,
    };
    // Reverse, sort stably, reverse back: equal keys keep their order (CPython's way).
    let mut idx: Vec<u32> = if reverse {
        (0..n as u32).rev().collect()
    } else {
        (0..n as u32).collect()
    };
    // One instance of the sort per key order, so each comparison is a few inlined
    // instructions; scalar keys are unpacked once.
    match KeyOrder::of(keys) {
        KeyOrder::Scalar(Scalar::SmallInt) => {
            let ks: Vec<i64> = keys.iter().map(|k| k.as_small_int().unwrap_or(0)).collect();
            merge_sort::<()>(&mut idx, &mut |i, j| Ok(ks[i as usize] < ks[j as usize])).ok();
        }
        KeyOrder::Scalar(Scalar::Float) => {
            let ks: Vec<f64> = keys
                .iter()
                .map(|k| k.as_exact_float().unwrap_or(0.0))
                .collect();
            merge_sort::<()>(&mut idx, &mut |i, j| Ok(ks[i as usize] < ks[j as usize])).ok();
        }
        KeyOrder::Scalar(Scalar::Str) => {
            let ks: Vec<&StrObj> = keys
                .iter()
                .filter_map(|k| k.downcast_exact::<StrObj>())
                .collect();
            merge_sort::<()>(&mut idx, &mut |i, j| {
                Ok(crate::types::str::cmp_strs(ks[i as usize], ks[j as usize]) == Ordering::Less)
            })
            .ok();
        }
        order => merge_sort(&mut idx, &mut |i, j| {
            order.less(vm, &keys[i as usize], &keys[j as usize])
        })?,
    }
    if reverse {
        idx.reverse();
    }
    permute(items, &mut idx);
    Ok(())
}

/// Reorders `items` so that the item at `k` is the one that was at `idx[k]`, in place by
/// following the permutation's cycles (moves only: no reference counts change). `idx`
/// is used up.
fn permute(items: &mut [Value], idx: &mut [u32]) {
    for start in 0..idx.len() {
        let mut k = start;
        // Along the cycle, the item first at `start` travels ahead of the swaps and
        // lands where the cycle closes.
        loop {
            let j = idx[k] as usize;
            idx[k] = k as u32;
            if j == start {
                break;
            }
            items.swap(k, j);
            k = j;
        }
    }
}

/// [`sort_in_place`] on an owned vector.
pub fn sort_values(
    vm: &mut Vm,
    mut items: Vec<Value>,
    key: Option<&Value>,
    reverse: bool,
) -> PyResult<Vec<Value>> {
    sort_in_place(vm, &mut items, key, reverse)?;
    Ok(items)
}

/// Runs shorter than this are extended by binary insertion (CPython's `merge_compute_minrun`:
/// between 32 and 64, chosen so that `n / min_run` is a power of two or just under one).
fn min_run(mut n: usize) -> usize {
    let mut r = 0;
    while n >= 64 {
        r |= n & 1;
        n >>= 1;
    }
    n + r
}

/// A stable sort of `v` by `less`, stopping at the first error.
pub(crate) fn merge_sort<E>(
    v: &mut [u32],
    less: &mut impl FnMut(u32, u32) -> Result<bool, E>,
) -> Result<(), E> {
    let n = v.len();
    if n < 2 {
        return Ok(());
    }
    let min = min_run(n);
    // Pending runs as (start, length), merged under the invariants of Timsort (as
    // corrected in 2015): each run longer than the next, and longer than the next two.
    let mut runs: Vec<(usize, usize)> = Vec::new();
    let mut tmp: Vec<u32> = Vec::new();
    let mut lo = 0;
    while lo < n {
        let mut len = count_run(&mut v[lo..], less)?;
        if len < min {
            let force = min.min(n - lo);
            binary_insertion(&mut v[lo..lo + force], len, less)?;
            len = force;
        }
        runs.push((lo, len));
        lo += len;
        collapse(v, &mut runs, &mut tmp, less, false)?;
    }
    collapse(v, &mut runs, &mut tmp, less, true)?;
    debug_assert!(runs.len() == 1 && runs[0] == (0, n));
    Ok(())
}

/// The length of the run at the start of `v`, made ascending: a strictly descending run
/// is reversed (strictly, so reversing keeps equal items in order).
fn count_run<E>(
    v: &mut [u32],
    less: &mut impl FnMut(u32, u32) -> Result<bool, E>,
) -> Result<usize, E> {
    if v.len() < 2 {
        return Ok(v.len());
    }
    let mut i = 2;
    if less(v[1], v[0])? {
        while i < v.len() && less(v[i], v[i - 1])? {
            i += 1;
        }
        v[..i].reverse();
    } else {
        while i < v.len() && !less(v[i], v[i - 1])? {
            i += 1;
        }
    }
    Ok(i)
}

/// Sorts `v` whose first `sorted` items are in order, inserting each later item after
/// the last one not greater than it (binary search: about log2(i) comparisons each).
fn binary_insertion<E>(
    v: &mut [u32],
    sorted: usize,
    less: &mut impl FnMut(u32, u32) -> Result<bool, E>,
) -> Result<(), E> {
    for i in sorted.max(1)..v.len() {
        let x = v[i];
        let at = upper_bound(&v[..i], x, less)?;
        v.copy_within(at..i, at + 1);
        v[at] = x;
    }
    Ok(())
}

/// The first position in sorted `v` whose item is greater than `x` (after its equals).
fn upper_bound<E>(
    v: &[u32],
    x: u32,
    less: &mut impl FnMut(u32, u32) -> Result<bool, E>,
) -> Result<usize, E> {
    partition_point(v, |y| Ok(!less(x, y)?))
}

/// The first position in sorted `v` whose item is not less than `x` (before its equals).
fn lower_bound<E>(
    v: &[u32],
    x: u32,
    less: &mut impl FnMut(u32, u32) -> Result<bool, E>,
) -> Result<usize, E> {
    partition_point(v, |y| less(y, x))
}

/// The first position in `v` where `before` turns false (it holds for a prefix of
/// `v`): a binary search whose test may fail.
fn partition_point<E>(
    v: &[u32],
    mut before: impl FnMut(u32) -> Result<bool, E>,
) -> Result<usize, E> {
    let (mut lo, mut hi) = (0, v.len());
    while lo < hi {
        let mid = lo + (hi - lo) / 2;
        if before(v[mid])? {
            lo = mid + 1;
        } else {
            hi = mid;
        }
    }
    Ok(lo)
}

/// Merges pending runs until the stack invariants hold again (or, when `all`, down to
/// one run).
fn collapse<E>(
    v: &mut [u32],
    runs: &mut Vec<(usize, usize)>,
    tmp: &mut Vec<u32>,
    less: &mut impl FnMut(u32, u32) -> Result<bool, E>,
    all: bool,
) -> Result<(), E> {
    while runs.len() > 1 {
        let k = runs.len();
        let len = |i: usize| runs[i].1;
        let at = if all {
            if k > 2 && len(k - 3) < len(k - 1) {
                k - 3
            } else {
                k - 2
            }
        } else if (k > 2 && len(k - 3) <= len(k - 2) + len(k - 1))
            || (k > 3 && len(k - 4) <= len(k - 3) + len(k - 2))
        {
            if len(k - 3) < len(k - 1) {
                k - 3
            } else {
                k - 2
            }
        } else if len(k - 2) <= len(k - 1) {
            k - 2
        } else {
            break;
        };
        let (a, b) = (runs[at], runs[at + 1]);
        merge(&mut v[a.0..b.0 + b.1], a.1, tmp, less)?;
        runs[at] = (a.0, a.1 + b.1);
        runs.remove(at + 1);
    }
    Ok(())
}

/// Merges the sorted halves `v[..mid]` and `v[mid..]`, stably (on ties the left run's
/// item first). The left run's head that is not greater than the right run's first
/// item, and the right run's tail not less than the left run's last, are already in
/// place and skipped. On an error, `v` holds every index exactly once.
fn merge<E>(
    v: &mut [u32],
    mid: usize,
    tmp: &mut Vec<u32>,
    less: &mut impl FnMut(u32, u32) -> Result<bool, E>,
) -> Result<(), E> {
    let start = upper_bound(&v[..mid], v[mid], less)?;
    if start == mid {
        return Ok(());
    }
    let end = mid + lower_bound(&v[mid..], v[mid - 1], less)?;
    let v = &mut v[start..end];
    let mid = mid - start;
    // Copy the left run out and merge forward into `v`; the output never overtakes
    // the right run's unread items.
    tmp.clear();
    tmp.extend_from_slice(&v[..mid]);
    let (mut i, mut j, mut out) = (0, mid, 0);
    let result = loop {
        if i == tmp.len() || j == v.len() {
            break Ok(());
        }
        match less(v[j], tmp[i]) {
            Ok(true) => {
                v[out] = v[j];
                j += 1;
            }
            Ok(false) => {
                v[out] = tmp[i];
                i += 1;
            }
            Err(e) => break Err(e),
        }
        out += 1;
    };
    // What is left of the left run fills the gap (also on an error, so that `v` stays
    // a permutation).
    let rest = tmp.len() - i;
    v[out..out + rest].copy_from_slice(&tmp[i..]);
    result
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Sorting by a key with many ties gives what the standard library's stable sort
    /// gives, for lengths around every run and merge boundary.
    #[test]
    fn merge_sort_is_a_stable_sort() {
        let mut seed = 12345u64;
        let mut rand = || {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed
        };
        for n in (0..300).chain([511, 1000, 4097]) {
            for shape in 0..4 {
                let keys: Vec<u64> = (0..n as u64)
                    .map(|i| match shape {
                        0 => rand() % 10,
                        1 => i / 3,
                        2 => (n as u64 - i) / 2,
                        _ => (i % 50) + rand() % 3,
                    })
                    .collect();
                let mut v: Vec<u32> = (0..n as u32).collect();
                merge_sort::<()>(&mut v, &mut |a, b| Ok(keys[a as usize] < keys[b as usize]))
                    .unwrap();
                let mut want: Vec<u32> = (0..n as u32).collect();
                want.sort_by_key(|&i| keys[i as usize]);
                assert_eq!(v, want, "n={n} shape={shape}");
            }
        }
    }

    /// `permute` puts at `k` the item that was at `idx[k]`.
    #[test]
    fn permute_follows_cycles() {
        for idx in [
            vec![0u32],
            vec![1, 0],
            vec![2, 0, 1],
            vec![3, 2, 0, 1, 4, 6, 5],
        ] {
            let mut items: Vec<Value> = (0..idx.len() as i64).map(Value::int).collect();
            let want: Vec<i64> = idx.iter().map(|&i| i as i64).collect();
            permute(&mut items, &mut idx.clone());
            let got: Vec<i64> = items.iter().map(|v| v.as_small_int().unwrap()).collect();
            assert_eq!(got, want);
        }
    }

    /// An error stops the sort with every index still present once, wherever it falls.
    #[test]
    fn an_error_leaves_a_permutation() {
        let n = 500u32;
        for fail_at in (1..3000).step_by(97) {
            let mut v: Vec<u32> = (0..n).map(|i| i * 7919 % n).collect();
            let mut calls = 0;
            let r = merge_sort(&mut v, &mut |a, b| {
                calls += 1;
                if calls == fail_at { Err(()) } else { Ok(a < b) }
            });
            assert!(r.is_err(), "{fail_at}");
            let mut seen = v.clone();
            seen.sort();
            assert_eq!(seen, (0..n).collect::<Vec<_>>());
        }
    }

    /// Sorted and reversed input cost about n comparisons.
    #[test]
    fn runs_cost_linear_comparisons() {
        for input in [
            (0..1000u32).collect::<Vec<_>>(),
            (0..1000u32).rev().collect(),
        ] {
            let mut v = input;
            let mut calls = 0;
            merge_sort::<()>(&mut v, &mut |a, b| {
                calls += 1;
                Ok(a < b)
            })
            .unwrap();
            assert!(calls < 1100, "{calls} comparisons");
            assert!(v.windows(2).all(|w| w[0] < w[1]));
        }
    }
}
