//! The tokenizer (text -> tokens): cuts UTF-8 text into Expat's tokens (tags, character
//! runs, references, comments, PIs, CDATA pieces, prolog tokens) with byte spans, and
//! finds Expat's well-formedness errors at the offsets Expat reports them.
//!
//! Every function looks at `t[i..]` only; reaching the end of `t` in the middle of a
//! token is `Stop::More` (the caller waits for more input, or reports the token as
//! unclosed once the input is final), so a token split across `Parse` calls is scanned
//! again from its start when the rest arrives.
use super::chars::{is_char, is_name, is_name_start, is_space};
use super::errors::*;

/// Why a token could not be made.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stop {
    /// The text ends inside the token.
    More,
    /// Error `code` at byte offset `at`.
    Err(u32, usize),
}

pub type Span = (usize, usize);

pub struct AttrTok {
    pub name: Span,
    /// The value between the quotes (raw: references not yet replaced).
    pub value: Span,
}

pub enum Tok {
    StartTag {
        name: Span,
        attrs: Vec<AttrTok>,
        empty: bool,
    },
    EndTag {
        name: Span,
    },
    /// A run of characters (no newline, no markup).
    Data,
    /// One line break (`\n`, `\r` or `\r\n`), reported as "\n".
    Newline,
    CharRef(char),
    EntityRef(Span),
    Comment(Span),
    Pi {
        target: Span,
        data: Span,
    },
    CdataStart,
    CdataEnd,
}

/// The token's kind and where it ends.
pub type Scanned<T> = Result<(T, usize), Stop>;

/// The char at `i` (the text is valid UTF-8 and `i` a char boundary).
#[inline]
pub fn char_at(t: &str, i: usize) -> Option<char> {
    let b = *t.as_bytes().get(i)?;
    if b < 0x80 {
        Some(b as char)
    } else {
        t[i..].chars().next()
    }
}

fn need(t: &str, i: usize) -> Result<char, Stop> {
    char_at(t, i).ok_or(Stop::More)
}

/// A Name at `i`; error at `i` when none starts there.
pub fn name(t: &str, i: usize) -> Result<usize, Stop> {
    let c = need(t, i)?;
    if !is_name_start(c) {
        return Err(Stop::Err(INVALID_TOKEN, i));
    }
    let mut j = i + c.len_utf8();
    loop {
        let c = need(t, j)?;
        if !is_name(c) {
            return Ok(j);
        }
        j += c.len_utf8();
    }
}

fn skip_s(t: &str, mut i: usize) -> usize {
    let b = t.as_bytes();
    while i < b.len() && is_space(b[i]) {
        i += 1;
    }
    i
}

/// Does `t[i..]` start with `lit`? `Err(More)` when the text ends on a prefix of it.
fn starts(t: &str, i: usize, lit: &str) -> Result<bool, Stop> {
    let rest = &t.as_bytes()[i.min(t.len())..];
    let n = rest.len().min(lit.len());
    if rest[..n] != lit.as_bytes()[..n] {
        return Ok(false);
    }
    if n < lit.len() {
        return Err(Stop::More);
    }
    Ok(true)
}

/// One token of element content (or of a CDATA section when `cdata`) at `i`.
pub fn content(t: &str, i: usize, cdata: bool, fin: bool) -> Scanned<Tok> {
    let b = t.as_bytes();
    let c = need(t, i)?;
    if c == '\n' {
        return Ok((Tok::Newline, i + 1));
    }
    if c == '\r' {
        return match b.get(i + 1) {
            Some(b'\n') => Ok((Tok::Newline, i + 2)),
            Some(_) => Ok((Tok::Newline, i + 1)),
            None if fin => Ok((Tok::Newline, i + 1)),
            None => Err(Stop::More),
        };
    }
    if cdata {
        if starts(t, i, "]]>")? {
            return Ok((Tok::CdataEnd, i + 3));
        }
        return data_run(t, i, true, fin);
    }
    match c {
        '<' => markup(t, i),
        '&' => reference(t, i),
        _ => data_run(t, i, false, fin),
    }
}

/// Characters up to the next markup, reference, newline or invalid char.
fn data_run(t: &str, i: usize, cdata: bool, fin: bool) -> Scanned<Tok> {
    let b = t.as_bytes();
    let mut j = i;
    while j < b.len() {
        let x = b[j];
        match x {
            b'\n' | b'\r' => break,
            b'<' | b'&' if !cdata => break,
            b']' => {
                if b.get(j + 1) == Some(&b']') {
                    match b.get(j + 2) {
                        Some(b'>') => {
                            if cdata {
                                break;
                            }
                            return Err(Stop::Err(INVALID_TOKEN, j + 2));
                        }
                        None if !fin => {
                            if j == i {
                                return Err(Stop::More);
                            }
                            break;
                        }
                        _ => {}
                    }
                } else if j + 1 == b.len() && !fin {
                    if j == i {
                        return Err(Stop::More);
                    }
                    break;
                }
                j += 1;
            }
            0x20..=0x7f => j += 1,
            b'\t' => j += 1,
            0..=0x1f => {
                if j == i {
                    return Err(Stop::Err(INVALID_TOKEN, j));
                }
                break;
            }
            _ => {
                let c = char_at(t, j).unwrap_or('\0');
                if !is_char(c) {
                    if j == i {
                        return Err(Stop::Err(INVALID_TOKEN, j));
                    }
                    break;
                }
                j += c.len_utf8();
            }
        }
    }
    if j == i {
        return Err(Stop::More);
    }
    Ok((Tok::Data, j))
}

/// `&...;` at `i`.
pub fn reference(t: &str, i: usize) -> Scanned<Tok> {
    let b = t.as_bytes();
    let c = need(t, i + 1)?;
    if c == '#' {
        let mut j = i + 2;
        let hex = need(t, j)? == 'x';
        if hex {
            j += 1;
        }
        let start = j;
        let mut v: u32 = 0;
        loop {
            let c = need(t, j)?;
            if c == ';' && j > start {
                break;
            }
            let d = if hex { c.to_digit(16) } else { c.to_digit(10) };
            let Some(d) = d else {
                return Err(Stop::Err(INVALID_TOKEN, j));
            };
            v = v
                .saturating_mul(if hex { 16 } else { 10 })
                .saturating_add(d);
            j += 1;
        }
        let ch = char::from_u32(v).filter(|c| is_char(*c));
        return match ch {
            Some(ch) => Ok((Tok::CharRef(ch), j + 1)),
            None => Err(Stop::Err(BAD_CHAR_REF, i)),
        };
    }
    let e = name(t, i + 1)?;
    if b[e] != b';' {
        return Err(Stop::Err(INVALID_TOKEN, e));
    }
    Ok((Tok::EntityRef((i + 1, e)), e + 1))
}

/// Markup starting with `<` at `i` in content.
fn markup(t: &str, i: usize) -> Scanned<Tok> {
    let c = need(t, i + 1)?;
    match c {
        '/' => {
            let e = name(t, i + 2)?;
            let j = skip_s(t, e);
            match need(t, j)? {
                '>' => Ok((Tok::EndTag { name: (i + 2, e) }, j + 1)),
                _ => Err(Stop::Err(INVALID_TOKEN, j)),
            }
        }
        '!' => {
            if starts(t, i, "<!--")? {
                let (s, e) = comment(t, i)?;
                return Ok((Tok::Comment(s), e));
            }
            if starts(t, i, "<![CDATA[")? {
                return Ok((Tok::CdataStart, i + 9));
            }
            Err(Stop::Err(INVALID_TOKEN, i + 2))
        }
        '?' => {
            let (target, data, e) = pi(t, i)?;
            Ok((Tok::Pi { target, data }, e))
        }
        _ => start_tag(t, i),
    }
}

/// `<!-- ... -->` at `i`: the text span and the end.
pub fn comment(t: &str, i: usize) -> Result<(Span, usize), Stop> {
    let b = t.as_bytes();
    let mut j = i + 4;
    loop {
        if j >= b.len() {
            return Err(Stop::More);
        }
        if b[j] == b'-' {
            match b.get(j + 1) {
                None => return Err(Stop::More),
                Some(b'-') => match b.get(j + 2) {
                    None => return Err(Stop::More),
                    Some(b'>') => return Ok(((i + 4, j), j + 3)),
                    Some(_) => return Err(Stop::Err(INVALID_TOKEN, j + 2)),
                },
                Some(_) => {}
            }
        }
        let c = char_at(t, j).unwrap_or('\0');
        if !is_char(c) {
            return Err(Stop::Err(INVALID_TOKEN, j));
        }
        j += c.len_utf8();
    }
}

/// `<?target data?>` at `i`.
pub fn pi(t: &str, i: usize) -> Result<(Span, Span, usize), Stop> {
    let b = t.as_bytes();
    let e = name(t, i + 2)?;
    let c = need(t, e)?;
    if c == '?' {
        if need(t, e + 1)? == '>' {
            return Ok(((i + 2, e), (e, e), e + 2));
        }
        return Err(Stop::Err(INVALID_TOKEN, e + 1));
    }
    if !is_space(c as u8) || !c.is_ascii() {
        return Err(Stop::Err(INVALID_TOKEN, e));
    }
    let ds = skip_s(t, e);
    let mut j = ds;
    loop {
        if j >= b.len() {
            return Err(Stop::More);
        }
        if b[j] == b'?' {
            match b.get(j + 1) {
                None => return Err(Stop::More),
                Some(b'>') => return Ok(((i + 2, e), (ds, j), j + 2)),
                _ => {}
            }
        }
        let c = char_at(t, j).unwrap_or('\0');
        if !is_char(c) {
            return Err(Stop::Err(INVALID_TOKEN, j));
        }
        j += c.len_utf8();
    }
}

/// `<name attr="v" ...>` or `.../>` at `i`.
fn start_tag(t: &str, i: usize) -> Scanned<Tok> {
    let b = t.as_bytes();
    let ne = name(t, i + 1)?;
    let mut attrs = Vec::new();
    let mut j = ne;
    loop {
        let c = need(t, j)?;
        let had_space = is_space(b[j]);
        j = skip_s(t, j);
        let c2 = if had_space { need(t, j)? } else { c };
        match c2 {
            '>' => {
                return Ok((
                    Tok::StartTag {
                        name: (i + 1, ne),
                        attrs,
                        empty: false,
                    },
                    j + 1,
                ));
            }
            '/' => {
                return match need(t, j + 1)? {
                    '>' => Ok((
                        Tok::StartTag {
                            name: (i + 1, ne),
                            attrs,
                            empty: true,
                        },
                        j + 2,
                    )),
                    _ => Err(Stop::Err(INVALID_TOKEN, j + 1)),
                };
            }
            _ if !had_space => return Err(Stop::Err(INVALID_TOKEN, j)),
            _ => {}
        }
        let an = name(t, j)?;
        let mut k = skip_s(t, an);
        if need(t, k)? != '=' {
            return Err(Stop::Err(INVALID_TOKEN, k));
        }
        k = skip_s(t, k + 1);
        let q = need(t, k)?;
        if q != '"' && q != '\'' {
            return Err(Stop::Err(INVALID_TOKEN, k));
        }
        let vs = k + 1;
        let mut m = vs;
        loop {
            if m >= b.len() {
                return Err(Stop::More);
            }
            let x = b[m];
            if x == q as u8 {
                break;
            }
            if x == b'<' {
                return Err(Stop::Err(INVALID_TOKEN, m));
            }
            if x == b'&' {
                let (_, e) = reference(t, m)?;
                m = e;
                continue;
            }
            let c = char_at(t, m).unwrap_or('\0');
            if !is_char(c) {
                return Err(Stop::Err(INVALID_TOKEN, m));
            }
            m += c.len_utf8();
        }
        attrs.push(AttrTok {
            name: (j, an),
            value: (vs, m),
        });
        j = m + 1;
    }
}

/// Prolog and DTD tokens.
pub enum PTok {
    S,
    Pi {
        target: Span,
        data: Span,
    },
    Comment(Span),
    /// `<` followed by a name start: the document element begins here.
    Element,
    /// `<!NAME` (DOCTYPE, ENTITY, ...), span of NAME.
    DeclOpen(Span),
    Name,
    /// `#NAME` (`#PCDATA`, `#REQUIRED`, ...).
    PoundName,
    /// A quoted literal (span includes the quotes).
    Literal,
    /// `%name;`
    PeRef(Span),
    /// One of `[ ] ( ) | , ? * + % >`.
    Punct(u8),
}

/// One prolog/DTD token at `i`.
pub fn prolog(t: &str, i: usize) -> Scanned<PTok> {
    let b = t.as_bytes();
    let c = need(t, i)?;
    if is_space(b[i]) {
        let mut j = i;
        while j < b.len() && is_space(b[j]) {
            j += 1;
        }
        if j == b.len() {
            // More whitespace may follow; Expat reports what it has.
        }
        return Ok((PTok::S, j));
    }
    match c {
        '<' => {
            let c1 = need(t, i + 1)?;
            match c1 {
                '?' => {
                    let (target, data, e) = pi(t, i)?;
                    Ok((PTok::Pi { target, data }, e))
                }
                '!' => {
                    if starts(t, i, "<!--")? {
                        let (s, e) = comment(t, i)?;
                        return Ok((PTok::Comment(s), e));
                    }
                    let c2 = need(t, i + 2)?;
                    if c2 == '[' {
                        // A conditional section: no place for one here.
                        return Err(Stop::Err(SYNTAX, i));
                    }
                    if !c2.is_ascii_uppercase() {
                        return Err(Stop::Err(INVALID_TOKEN, i + 2));
                    }
                    let e = name(t, i + 2)?;
                    Ok((PTok::DeclOpen((i + 2, e)), e))
                }
                c1 if is_name_start(c1) => Ok((PTok::Element, i)),
                _ => Err(Stop::Err(INVALID_TOKEN, i + 1)),
            }
        }
        '"' | '\'' => {
            let mut j = i + 1;
            loop {
                if j >= b.len() {
                    return Err(Stop::More);
                }
                if b[j] == c as u8 {
                    return Ok((PTok::Literal, j + 1));
                }
                let ch = char_at(t, j).unwrap_or('\0');
                if !is_char(ch) {
                    return Err(Stop::Err(INVALID_TOKEN, j));
                }
                j += ch.len_utf8();
            }
        }
        '%' => {
            let c1 = need(t, i + 1)?;
            if is_space(c1 as u8) && c1.is_ascii() {
                return Ok((PTok::Punct(b'%'), i + 1));
            }
            let e = name(t, i + 1)?;
            if need(t, e)? != ';' {
                return Err(Stop::Err(INVALID_TOKEN, e));
            }
            Ok((PTok::PeRef((i + 1, e)), e + 1))
        }
        '#' => {
            let e = name(t, i + 1)?;
            Ok((PTok::PoundName, e))
        }
        '[' | ']' | '(' | ')' | '|' | ',' | '?' | '*' | '+' | '>' => {
            Ok((PTok::Punct(c as u8), i + 1))
        }
        c if is_name(c) => {
            let mut j = i;
            loop {
                let Some(c) = char_at(t, j) else {
                    return Err(Stop::More);
                };
                if !is_name(c) {
                    break;
                }
                j += c.len_utf8();
            }
            let nx = char_at(t, j).unwrap_or(' ');
            if !(nx.is_ascii() && (is_space(nx as u8) || b"[]()|,?*+>%\"'".contains(&(nx as u8)))) {
                return Err(Stop::Err(INVALID_TOKEN, j));
            }
            Ok((PTok::Name, j))
        }
        _ => Err(Stop::Err(INVALID_TOKEN, i)),
    }
}
