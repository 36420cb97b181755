//! A structural check of a code list before it becomes a Pattern (CPython's
//! `_validate`): every skip stays inside its block, every nested block ends where its
//! operator says, group numbers are in range. Code that fails is rejected with
//! `RuntimeError: invalid SRE code`, so the matcher only runs well-formed code (it also
//! reads code defensively, so malformed code could only give wrong answers, never a
//! crash; this check gives CPython's error instead).
use super::constants::*;

/// Check `code`; on success, the code indices where character sets start (for
/// `Prog`'s tables).
pub fn validate(code: &[u32], groups: usize) -> Option<Vec<usize>> {
    let mut sets = Vec::new();
    block(code, 0, code.len(), groups, &mut sets)?;
    Some(sets)
}

fn at(code: &[u32], i: usize, end: usize) -> Option<u32> {
    if i < end { code.get(i).copied() } else { None }
}

/// The ops in `code[i..end]`, which must end exactly at `end`.
fn block(
    code: &[u32],
    mut i: usize,
    end: usize,
    groups: usize,
    sets: &mut Vec<usize>,
) -> Option<()> {
    if end > code.len() || i > end {
        return None;
    }
    while i < end {
        let o = code[i];
        i += 1;
        match o {
            SUCCESS | FAILURE | ANY | ANY_ALL => {}
            MARK => {
                if at(code, i, end)? as usize > 2 * groups + 1 {
                    return None;
                }
                i += 1;
            }
            AT
            | CATEGORY
            | LITERAL
            | NOT_LITERAL
            | LITERAL_IGNORE
            | NOT_LITERAL_IGNORE
            | LITERAL_UNI_IGNORE
            | NOT_LITERAL_UNI_IGNORE
            | LITERAL_LOC_IGNORE
            | NOT_LITERAL_LOC_IGNORE => {
                at(code, i, end)?;
                i += 1;
            }
            GROUPREF | GROUPREF_IGNORE | GROUPREF_UNI_IGNORE | GROUPREF_LOC_IGNORE => {
                if at(code, i, end)? as usize >= groups {
                    return None;
                }
                i += 1;
            }
            IN | IN_IGNORE | IN_UNI_IGNORE | IN_LOC_IGNORE => {
                let skip = at(code, i, end)? as usize;
                if skip == 0 || i + skip > end {
                    return None;
                }
                charset(code, i + 1, i + skip)?;
                sets.push(i + 1);
                i += skip;
            }
            INFO => {
                let skip = at(code, i, end)? as usize;
                if skip < 4 || i + skip > end {
                    return None;
                }
                // <INFO> <skip> <flags> <min> <max> <charset>: the search's first set.
                if code[i + 1] & INFO_CHARSET != 0 && code[i + 1] & INFO_PREFIX == 0 {
                    charset(code, i + 4, i + skip)?;
                    sets.push(i + 4);
                }
                i += skip;
            }
            BRANCH => loop {
                let skip = at(code, i, end)? as usize;
                if skip == 0 {
                    i += 1;
                    break;
                }
                let next = i + skip;
                if skip < 3 || next > end || code[next - 2] != JUMP {
                    return None;
                }
                block(code, i + 1, next - 2, groups, sets)?;
                i = next;
            },
            REPEAT_ONE | MIN_REPEAT_ONE | POSSESSIVE_REPEAT_ONE => {
                let skip = at(code, i, end)? as usize;
                let (min, max) = (at(code, i + 1, end)?, at(code, i + 2, end)?);
                let next = i + skip;
                if skip < 4 || next > end || min > max || code[next - 1] != SUCCESS {
                    return None;
                }
                block(code, i + 3, next - 1, groups, sets)?;
                i = next;
            }
            REPEAT | POSSESSIVE_REPEAT => {
                let skip = at(code, i, end)? as usize;
                let (min, max) = (at(code, i + 1, end)?, at(code, i + 2, end)?);
                let next = i + skip;
                if skip < 3 || min > max {
                    return None;
                }
                let tail = at(code, next, end)?;
                let ok = if o == REPEAT {
                    tail == MAX_UNTIL || tail == MIN_UNTIL
                } else {
                    tail == SUCCESS
                };
                if !ok {
                    return None;
                }
                block(code, i + 3, next, groups, sets)?;
                i = next + 1;
            }
            GROUPREF_EXISTS => {
                if at(code, i, end)? as usize >= groups {
                    return None;
                }
                let skip = at(code, i + 1, end)? as usize;
                let next = i + skip;
                if skip < 2 || next > end {
                    return None;
                }
                if skip >= 4 && code[next - 2] == JUMP {
                    block(code, i + 2, next - 2, groups, sets)?;
                    let k = code[next - 1] as usize;
                    let after = next - 1 + k;
                    if k == 0 || after > end {
                        return None;
                    }
                    block(code, next, after, groups, sets)?;
                    i = after;
                } else {
                    block(code, i + 2, next, groups, sets)?;
                    i = next;
                }
            }
            ASSERT | ASSERT_NOT => {
                let skip = at(code, i, end)? as usize;
                at(code, i + 1, end)?;
                let next = i + skip;
                if skip < 3 || next > end || code[next - 1] != SUCCESS {
                    return None;
                }
                block(code, i + 2, next - 1, groups, sets)?;
                i = next;
            }
            ATOMIC_GROUP => {
                let skip = at(code, i, end)? as usize;
                let next = i + skip;
                if skip < 2 || next > end || code[next - 1] != SUCCESS {
                    return None;
                }
                block(code, i + 1, next - 1, groups, sets)?;
                i = next;
            }
            _ => return None,
        }
    }
    (i == end).then_some(())
}

/// A set's items in `code[i..end]`, ending with FAILURE.
fn charset(code: &[u32], mut i: usize, end: usize) -> Option<()> {
    while i < end {
        let o = code[i];
        i += 1;
        match o {
            FAILURE => return (i == end).then_some(()),
            NEGATE => {}
            LITERAL | CATEGORY => i += 1,
            RANGE | RANGE_UNI_IGNORE => i += 2,
            CHARSET => i += 8,
            BIGCHARSET => {
                let count = at(code, i, end)? as usize;
                i += 1 + 64 + count * 8;
            }
            _ => return None,
        }
    }
    None
}
