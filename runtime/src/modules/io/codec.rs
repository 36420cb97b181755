//! The encodings TextIOWrapper handles natively (UTF-8, Latin-1, ASCII) with
//! CPython's error handlers and error messages. Decoding is incremental: a chunk may
//! end inside a UTF-8 sequence, whose bytes wait for the next chunk.
use crate::types::bytes::BytesObj;
use crate::types::str::new_str;
use crate::value::Value;
use crate::vm::{PyErr, PyResult, Vm};
use crate::world::types;

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Codec {
    Utf8,
    Latin1,
    Ascii,
}

impl Codec {
    /// The codec for an encoding name (CPython's aliases for the three), or None.
    pub fn lookup(name: &str) -> Option<Codec> {
        let n: String = name
            .trim()
            .to_ascii_lowercase()
            .chars()
            .map(|c| if c == '_' || c == ' ' { '-' } else { c })
            .collect();
        match n.as_str() {
            "utf-8" | "utf8" | "u8" | "utf" | "cp65001" => Some(Codec::Utf8),
            "latin-1" | "latin1" | "latin" | "l1" | "iso-8859-1" | "iso8859-1" | "8859"
            | "cp819" | "iso-ir-100" | "csisolatin1" => Some(Codec::Latin1),
            "ascii" | "us-ascii" | "646" | "us" | "ansi-x3.4-1968" | "iso646-us" => {
                Some(Codec::Ascii)
            }
            _ => None,
        }
    }

    /// CPython's canonical name, used in error messages.
    pub fn name(self) -> &'static str {
        match self {
            Codec::Utf8 => "utf-8",
            Codec::Latin1 => "latin-1",
            Codec::Ascii => "ascii",
        }
    }

    fn limit(self) -> u32 {
        match self {
            Codec::Utf8 => u32::MAX,
            Codec::Latin1 => 256,
            Codec::Ascii => 128,
        }
    }
}

fn unknown_handler(vm: &mut Vm, errors: &str) -> PyErr {
    vm.err(
        types().lookup_error,
        format!("unknown error handler name '{errors}'"),
    )
}

/// Encode `s`; unencodable characters go through the `errors` handler.
pub fn encode(vm: &mut Vm, codec: Codec, s: &str, errors: &str) -> PyResult<Vec<u8>> {
    if codec == Codec::Utf8 || s.is_ascii() {
        return Ok(s.as_bytes().to_vec());
    }
    let limit = codec.limit();
    let mut out = Vec::with_capacity(s.len());
    let chars: Vec<char> = s.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if (c as u32) < limit {
            out.push(c as u32 as u8);
            i += 1;
            continue;
        }
        // A run of unencodable characters is one error, as in CPython.
        let mut j = i + 1;
        while j < chars.len() && chars[j] as u32 >= limit {
            j += 1;
        }
        match errors {
            "strict" | "surrogateescape" | "surrogatepass" => {
                let what = if j - i == 1 {
                    format!("character '{}' in position {i}", escape_char(c))
                } else {
                    format!("characters in position {i}-{}", j - 1)
                };
                let msg = format!(
                    "'{}' codec can't encode {what}: ordinal not in range({limit})",
                    codec.name()
                );
                let e = vm.err(types().unicode_encode_error, msg);
                set_info(
                    vm,
                    &e,
                    codec,
                    new_str(s),
                    i,
                    j,
                    &format!("ordinal not in range({limit})"),
                );
                return Err(e);
            }
            "ignore" => {}
            "replace" => out.extend(std::iter::repeat_n(b'?', j - i)),
            "backslashreplace" | "namereplace" => {
                for &c in &chars[i..j] {
                    out.extend_from_slice(escape_char(c).as_bytes());
                }
            }
            "xmlcharrefreplace" => {
                for &c in &chars[i..j] {
                    out.extend_from_slice(format!("&#{};", c as u32).as_bytes());
                }
            }
            _ => return Err(unknown_handler(vm, errors)),
        }
        i = j;
    }
    Ok(out)
}

/// `\xe9`, `\u20ac`, `\U0001f600`: how CPython shows a character in codec errors.
pub fn escape_char(c: char) -> String {
    let n = c as u32;
    if n < 0x100 {
        format!("\\x{n:02x}")
    } else if n < 0x10000 {
        format!("\\u{n:04x}")
    } else {
        format!("\\U{n:08x}")
    }
}

fn set_info(
    vm: &mut Vm,
    e: &PyErr,
    codec: Codec,
    object: Value,
    start: usize,
    end: usize,
    reason: &str,
) {
    let attrs = [
        ("encoding", new_str(codec.name())),
        ("object", object),
        ("start", Value::int(start as i64)),
        ("end", Value::int(end as i64)),
        ("reason", new_str(reason)),
    ];
    for (k, v) in attrs {
        let _ = crate::ops::generic_setattr(vm, &e.exc, k, v);
    }
}

/// Decode `data`. Unless `fin`, an incomplete UTF-8 sequence at the end is not an
/// error: the number of its bytes is returned (they are not consumed).
pub fn decode(
    vm: &mut Vm,
    codec: Codec,
    data: &[u8],
    errors: &str,
    fin: bool,
) -> PyResult<(String, usize)> {
    match codec {
        Codec::Latin1 => Ok((data.iter().map(|&b| b as char).collect(), 0)),
        Codec::Ascii => {
            if data.is_ascii() {
                // SAFETY: ASCII bytes are valid UTF-8.
                return Ok((unsafe { String::from_utf8_unchecked(data.to_vec()) }, 0));
            }
            let mut out = String::with_capacity(data.len());
            for (i, &b) in data.iter().enumerate() {
                if b < 128 {
                    out.push(b as char);
                    continue;
                }
                bad_bytes(
                    vm,
                    codec,
                    data,
                    errors,
                    i,
                    i + 1,
                    "ordinal not in range(128)",
                    &mut out,
                )?;
            }
            Ok((out, 0))
        }
        Codec::Utf8 => {
            let mut out = String::with_capacity(data.len());
            let mut rest = data;
            let mut base = 0;
            loop {
                match std::str::from_utf8(rest) {
                    Ok(s) => {
                        out.push_str(s);
                        return Ok((out, 0));
                    }
                    Err(e) => {
                        let good = e.valid_up_to();
                        // SAFETY: from_utf8 validated rest[..good].
                        out.push_str(unsafe { std::str::from_utf8_unchecked(&rest[..good]) });
                        let at = base + good;
                        let (len, reason) = match e.error_len() {
                            None => {
                                if !fin {
                                    return Ok((out, rest.len() - good));
                                }
                                (rest.len() - good, "unexpected end of data")
                            }
                            Some(n) => {
                                let b = rest[good];
                                let reason = if (0x80..0xc2).contains(&b) || b >= 0xf5 {
                                    "invalid start byte"
                                } else {
                                    "invalid continuation byte"
                                };
                                (n, reason)
                            }
                        };
                        bad_bytes(vm, codec, data, errors, at, at + len, reason, &mut out)?;
                        rest = &rest[good + len..];
                        base = at + len;
                    }
                }
            }
        }
    }
}

#[allow(
    clippy::too_many_arguments,
    reason = "the arguments of a UnicodeDecodeError and its handler"
)]
fn bad_bytes(
    vm: &mut Vm,
    codec: Codec,
    data: &[u8],
    errors: &str,
    start: usize,
    end: usize,
    reason: &str,
    out: &mut String,
) -> PyResult<()> {
    match errors {
        "strict" | "surrogateescape" | "surrogatepass" => {
            let what = if end - start == 1 {
                format!("byte 0x{:02x} in position {start}", data[start])
            } else {
                format!("bytes in position {start}-{}", end - 1)
            };
            let msg = format!("'{}' codec can't decode {what}: {reason}", codec.name());
            let e = vm.err(types().unicode_decode_error, msg);
            set_info(
                vm,
                &e,
                codec,
                BytesObj::new_value(data.to_vec()),
                start,
                end,
                reason,
            );
            Err(e)
        }
        "ignore" => Ok(()),
        "replace" => {
            out.push('\u{fffd}');
            Ok(())
        }
        "backslashreplace" => {
            for b in &data[start..end] {
                out.push_str(&format!("\\x{b:02x}"));
            }
            Ok(())
        }
        "xmlcharrefreplace" | "namereplace" => {
            let tn = "UnicodeDecodeError";
            Err(vm.type_error(format!("don't know how to handle {tn} in error callback")))
        }
        _ => Err(unknown_handler(vm, errors)),
    }
}
