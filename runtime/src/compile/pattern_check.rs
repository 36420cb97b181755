//! The compile-time checks CPython makes on `match` statements (PEP 634), run before
//! codegen so bad patterns are a SyntaxError at the pattern, as in CPython 3.11:
//! an irrefutable case or alternative that hides later ones, names bound twice,
//! or-alternatives binding different names, two starred names, duplicate literal keys in
//! a mapping pattern and repeated keyword attributes in a class pattern.
use ruff_python_ast::{self as ast, Expr, Pattern as P};
use ruff_text_size::{Ranged, TextRange};

pub type PatternError = (String, TextRange);

/// Check every case of one `match` statement.
pub fn check_match(m: &ast::StmtMatch) -> Result<(), PatternError> {
    let last = m.cases.len().saturating_sub(1);
    for (i, case) in m.cases.iter().enumerate() {
        let allow_irrefutable = i == last || case.guard.is_some();
        let mut names = Vec::new();
        check(&case.pattern, allow_irrefutable, &mut names)?;
    }
    Ok(())
}

/// Check `p`, appending the names it binds (in binding order) to `names`.
fn check(p: &P, allow_irrefutable: bool, names: &mut Vec<String>) -> Result<(), PatternError> {
    match p {
        P::MatchValue(_) | P::MatchSingleton(_) => Ok(()),
        P::MatchAs(a) => {
            match &a.pattern {
                Some(sub) => check(sub, allow_irrefutable, names)?,
                None if !allow_irrefutable => {
                    let msg = match &a.name {
                        Some(n) => format!(
                            "name capture '{}' makes remaining patterns unreachable",
                            n.as_str()
                        ),
                        None => "wildcard makes remaining patterns unreachable".to_string(),
                    };
                    return Err((msg, a.range));
                }
                None => {}
            }
            if let Some(n) = &a.name {
                bind(n.as_str(), a.range, names)?;
            }
            Ok(())
        }
        P::MatchStar(s) => {
            if let Some(n) = &s.name {
                bind(n.as_str(), s.range, names)?;
            }
            Ok(())
        }
        P::MatchSequence(s) => {
            let stars = s
                .patterns
                .iter()
                .filter(|x| matches!(x, P::MatchStar(_)))
                .count();
            if stars > 1 {
                return Err(("multiple starred names in sequence pattern".into(), s.range));
            }
            s.patterns
                .iter()
                .try_for_each(|sub| check(sub, true, names))
        }
        P::MatchMapping(m) => {
            let mut seen: Vec<String> = Vec::new();
            for k in &m.keys {
                if let Some(key) = literal_key(k) {
                    if seen.contains(&key) {
                        return Err((
                            format!("mapping pattern checks duplicate key ({key})"),
                            m.range,
                        ));
                    }
                    seen.push(key);
                }
            }
            for sub in &m.patterns {
                check(sub, true, names)?;
            }
            if let Some(rest) = &m.rest {
                bind(rest.as_str(), m.range, names)?;
            }
            Ok(())
        }
        P::MatchClass(c) => {
            let kws = &c.arguments.keywords;
            for (i, k) in kws.iter().enumerate() {
                if kws[..i].iter().any(|o| o.attr.as_str() == k.attr.as_str()) {
                    let msg = format!(
                        "attribute name repeated in class pattern: {}",
                        k.attr.as_str()
                    );
                    return Err((msg, k.pattern.range()));
                }
            }
            for sub in &c.arguments.patterns {
                check(sub, true, names)?;
            }
            kws.iter().try_for_each(|k| check(&k.pattern, true, names))
        }
        P::MatchOr(o) => {
            let last = o.patterns.len().saturating_sub(1);
            let mut first: Option<Vec<String>> = None;
            for (i, alt) in o.patterns.iter().enumerate() {
                let mut alt_names = Vec::new();
                check(alt, allow_irrefutable && i == last, &mut alt_names)?;
                let mut sorted = alt_names.clone();
                sorted.sort();
                match &first {
                    None => {
                        for n in &alt_names {
                            bind(n, alt.range(), names)?;
                        }
                        first = Some(sorted);
                    }
                    Some(f) if *f != sorted => {
                        return Err((
                            "alternative patterns bind different names".into(),
                            alt.range(),
                        ));
                    }
                    Some(_) => {}
                }
            }
            Ok(())
        }
    }
}

fn bind(name: &str, range: TextRange, names: &mut Vec<String>) -> Result<(), PatternError> {
    if names.iter().any(|n| n == name) {
        return Err((
            format!("multiple assignments to name '{name}' in pattern"),
            range,
        ));
    }
    names.push(name.to_string());
    Ok(())
}

/// The repr of a literal mapping key, or None for keys only known at run time.
fn literal_key(k: &Expr) -> Option<String> {
    match k {
        Expr::NumberLiteral(n) => match &n.value {
            ast::Number::Int(i) => i.as_i64().map(|v| v.to_string()),
            ast::Number::Float(f) => Some(crate::types::float::float_repr(*f)),
            ast::Number::Complex { .. } => None,
        },
        Expr::StringLiteral(s) => Some(crate::ops::str_repr(s.value.to_str())),
        Expr::NoneLiteral(_) => Some("None".into()),
        Expr::BooleanLiteral(b) => Some(if b.value { "True" } else { "False" }.into()),
        Expr::UnaryOp(u) if matches!(u.op, ast::UnaryOp::USub) => {
            literal_key(&u.operand).map(|s| format!("-{s}"))
        }
        _ => None,
    }
}
