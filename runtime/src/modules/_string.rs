//! `_string`: the parser behind `string.Formatter` (`formatter_parser`,
//! `formatter_field_name_split`), splitting a `str.format` template as CPython does.
//!
//! CPython's iterators report a malformed template lazily, on the step that reaches the
//! bad part; here the whole template is parsed up front and the error is raised by the
//! call, which `string.Formatter` cannot tell apart (it iterates at once).
use crate::builtins::{module_with, posargs};
use crate::types::list::ListObj;
use crate::types::str::{as_str, new_str};
use crate::types::tuple::TupleObj;
use crate::value::Value;
use crate::vm::{Args, PyResult, Vm};

pub fn init(_vm: &mut Vm) -> PyResult<Value> {
    Ok(module_with(
        "_string",
        &[
            ("formatter_parser", formatter_parser),
            ("formatter_field_name_split", formatter_field_name_split),
        ],
    ))
}

/// One piece of a template: literal text, then optionally a replacement field.
struct Piece {
    literal: String,
    /// (field name, format spec, conversion) of the field after the literal.
    field: Option<(String, String, Option<char>)>,
}

fn parse_template(s: &[char]) -> Result<Vec<Piece>, &'static str> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < s.len() {
        let mut literal = String::new();
        let mut field = None;
        while i < s.len() {
            let c = s[i];
            i += 1;
            if c != '{' && c != '}' {
                literal.push(c);
                continue;
            }
            if i < s.len() && s[i] == c {
                // A doubled brace is one literal brace, and ends this piece.
                literal.push(c);
                i += 1;
                break;
            }
            if c == '}' {
                return Err("Single '}' encountered in format string");
            }
            if i >= s.len() {
                return Err("Single '{' encountered in format string");
            }
            let (f, next) = parse_field(s, i)?;
            field = Some(f);
            i = next;
            break;
        }
        out.push(Piece { literal, field });
    }
    Ok(out)
}

/// Parse a replacement field starting just after its `{`; returns the field and the
/// index just past its closing `}`.
#[allow(
    clippy::type_complexity,
    reason = "one field's parts and where it ends, used once"
)]
fn parse_field(
    s: &[char],
    start: usize,
) -> Result<((String, String, Option<char>), usize), &'static str> {
    let mut i = start;
    let mut stop = None;
    while i < s.len() {
        match s[i] {
            '[' => {
                while i < s.len() && s[i] != ']' {
                    i += 1;
                }
                if i < s.len() {
                    i += 1;
                }
            }
            '{' => return Err("unexpected '{' in field name"),
            c @ ('}' | ':' | '!') => {
                stop = Some(c);
                break;
            }
            _ => i += 1,
        }
    }
    let Some(mut stop) = stop else {
        return Err("expected '}' before end of string");
    };
    let name: String = s[start..i].iter().collect();
    i += 1;
    let mut conversion = None;
    if stop == '!' {
        if i >= s.len() {
            return Err("end of string while looking for conversion specifier");
        }
        conversion = Some(s[i]);
        i += 1;
        if i < s.len() {
            stop = s[i];
            i += 1;
            if stop != '}' && stop != ':' {
                return Err("expected ':' after conversion specifier");
            }
        } else {
            return Err("unmatched '{' in format spec");
        }
    }
    if stop == '}' {
        return Ok(((name, String::new(), conversion), i));
    }
    // The format spec runs to the '}' that balances the field's '{'.
    let spec_start = i;
    let mut depth = 1;
    while i < s.len() {
        match s[i] {
            '{' => depth += 1,
            '}' => {
                depth -= 1;
                if depth == 0 {
                    let spec: String = s[spec_start..i].iter().collect();
                    return Ok(((name, spec, conversion), i + 1));
                }
            }
            _ => {}
        }
        i += 1;
    }
    Err("unmatched '{' in format spec")
}

fn str_arg<'a>(vm: &mut Vm, v: &'a Value) -> PyResult<&'a str> {
    as_str(v).ok_or_else(|| {
        vm.type_error(format!(
            "descriptor needs a 'str' object, not '{}'",
            v.type_data().name
        ))
    })
}

fn list_iter(vm: &mut Vm, items: Vec<Value>) -> PyResult<Value> {
    crate::ops::get_iter(vm, &ListObj::new_value(items))
}

fn formatter_parser(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let p = posargs(vm, "formatter_parser", a, 1, 1)?;
    let chars: Vec<char> = str_arg(vm, &p[0])?.chars().collect();
    let pieces = parse_template(&chars).map_err(|m| vm.value_error(m))?;
    let items = pieces
        .into_iter()
        .map(|piece| {
            let lit = new_str(&piece.literal);
            match piece.field {
                None => TupleObj::from_iter([lit, Value::none(), Value::none(), Value::none()]),
                Some((name, spec, conv)) => TupleObj::from_iter([
                    lit,
                    new_str(&name),
                    new_str(&spec),
                    conv.map_or_else(Value::none, |c| new_str(c.encode_utf8(&mut [0; 4]))),
                ]),
            }
        })
        .collect();
    list_iter(vm, items)
}

/// An index made of decimal digits is an int, anything else a str (as CPython).
fn key_value(k: &str) -> Value {
    if !k.is_empty()
        && k.chars().all(|c| c.is_ascii_digit())
        && let Ok(n) = k.parse::<i64>()
    {
        return Value::int(n);
    }
    new_str(k)
}

fn formatter_field_name_split(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let p = posargs(vm, "formatter_field_name_split", a, 1, 1)?;
    let name = str_arg(vm, &p[0])?.to_string();
    let first_end = name.find(['.', '[']).unwrap_or(name.len());
    let first = key_value(&name[..first_end]);
    let mut rest: &str = &name[first_end..];
    let mut parts = Vec::new();
    while !rest.is_empty() {
        if let Some(r) = rest.strip_prefix('.') {
            let end = r.find(['.', '[']).unwrap_or(r.len());
            if end == 0 {
                return Err(vm.value_error("Empty attribute in format string"));
            }
            parts.push(TupleObj::from_iter([Value::bool(true), new_str(&r[..end])]));
            rest = &r[end..];
        } else if let Some(r) = rest.strip_prefix('[') {
            let Some(end) = r.find(']') else {
                return Err(vm.value_error("Missing ']' in format string"));
            };
            if end == 0 {
                return Err(vm.value_error("Empty attribute in format string"));
            }
            parts.push(TupleObj::from_iter([
                Value::bool(false),
                key_value(&r[..end]),
            ]));
            rest = &r[end + 1..];
            if !rest.is_empty() && !rest.starts_with(['.', '[']) {
                return Err(
                    vm.value_error("Only '.' or '[' may follow ']' in format field specifier")
                );
            }
        } else {
            unreachable!("field name parts start with '.' or '['");
        }
    }
    let it = list_iter(vm, parts)?;
    Ok(TupleObj::from_iter([first, it]))
}
