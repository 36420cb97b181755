//! The encodings TextIOWrapper handles natively (UTF-8, Latin-1, ASCII, UTF-16 and
//! UTF-32 with their -LE/-BE forms) with CPython's error handlers and error messages.
//! Decoding is incremental: a chunk may end inside a UTF-8 sequence or a UTF-16/32
//! code unit, whose bytes wait for the next chunk. "utf-16" and "utf-32" read the byte
//! order from a BOM and write one first, as CPython's incremental codecs do.
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
    /// UTF-16 in byte order -1 (little), 1 (big) or 0 (from a BOM).
    Utf16(i32),
    /// UTF-32 likewise.
    Utf32(i32),
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
            "utf-16" | "utf16" | "u16" => Some(Codec::Utf16(0)),
            "utf-16-le" | "utf-16le" | "unicodelittleunmarked" => Some(Codec::Utf16(-1)),
            "utf-16-be" | "utf-16be" | "unicodebigunmarked" => Some(Codec::Utf16(1)),
            "utf-32" | "utf32" | "u32" => Some(Codec::Utf32(0)),
            "utf-32-le" | "utf-32le" => Some(Codec::Utf32(-1)),
            "utf-32-be" | "utf-32be" => Some(Codec::Utf32(1)),
            _ => None,
        }
    }

    /// CPython's canonical name, used in error messages.
    pub fn name(self) -> &'static str {
        match self {
            Codec::Utf8 => "utf-8",
            Codec::Latin1 => "latin-1",
            Codec::Ascii => "ascii",
            Codec::Utf16(0) => "utf-16",
            Codec::Utf16(-1) => "utf-16-le",
            Codec::Utf16(_) => "utf-16-be",
            Codec::Utf32(0) => "utf-32",
            Codec::Utf32(-1) => "utf-32-le",
            Codec::Utf32(_) => "utf-32-be",
        }
    }

    /// Bytes per code unit (the step of an input position).
    pub fn unit(self) -> usize {
        match self {
            Codec::Utf16(_) => 2,
            Codec::Utf32(_) => 4,
            _ => 1,
        }
    }

    /// The bytes that encode `c`.
    pub fn char_len(self, c: char) -> usize {
        match self {
            Codec::Utf8 => c.len_utf8(),
            Codec::Utf16(_) => c.len_utf16() * 2,
            Codec::Utf32(_) => 4,
            _ => 1,
        }
    }

    /// The code unit at `data[i..]` (None past the end).
    pub fn unit_at(self, data: &[u8], i: usize, order: i32) -> Option<u32> {
        let u = data.get(i..i + self.unit())?;
        let big = order == 1;
        Some(match u.len() {
            2 if big => u16::from_be_bytes([u[0], u[1]]) as u32,
            2 => u16::from_le_bytes([u[0], u[1]]) as u32,
            4 if big => u32::from_be_bytes([u[0], u[1], u[2], u[3]]),
            4 => u32::from_le_bytes([u[0], u[1], u[2], u[3]]),
            _ => u[0] as u32,
        })
    }

    /// The BOM-reading codecs ("utf-16", "utf-32").
    pub fn has_bom(self) -> bool {
        matches!(self, Codec::Utf16(0) | Codec::Utf32(0))
    }

    fn limit(self) -> u32 {
        match self {
            Codec::Utf8 | Codec::Utf16(_) | Codec::Utf32(_) => u32::MAX,
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

/// Encode `s` in UTF-16/32, a BOM first when `bom` (the first write of "utf-16"),
/// else in the codec's byte order ("utf-16" after its BOM: little-endian).
pub fn encode_wide(codec: Codec, s: &str, bom: bool) -> Vec<u8> {
    use crate::modules::codecs::unicode::{utf16_encode, utf32_encode};
    let order = match codec {
        Codec::Utf16(0) | Codec::Utf32(0) if bom => 0,
        Codec::Utf16(o) | Codec::Utf32(o) if o != 0 => o,
        _ => -1,
    };
    match codec {
        Codec::Utf32(_) => utf32_encode(s, order),
        _ => utf16_encode(s, order),
    }
}

/// Decode UTF-16/32 `data` in byte order `*order` (0: read a BOM, which sets it; a
/// stream without one is CPython's UnicodeError). Returns the text and the bytes used.
pub fn decode_wide(
    vm: &mut Vm,
    codec: Codec,
    data: &[u8],
    errors: &str,
    order: &mut i32,
    fin: bool,
) -> PyResult<(String, usize)> {
    use crate::modules::codecs::unicode::{utf16_decode, utf32_decode};
    let (wide32, fixed) = match codec {
        Codec::Utf32(o) => (true, o),
        Codec::Utf16(o) => (false, o),
        _ => (false, -1),
    };
    if fixed != 0 {
        *order = fixed;
    }
    let (text, used) = if wide32 {
        utf32_decode(vm, data, errors, order, fin)?
    } else {
        utf16_decode(vm, data, errors, order, fin)?
    };
    if *order == 0 && used >= codec.unit() {
        let w = if wide32 { "UTF-32" } else { "UTF-16" };
        return Err(vm.err(
            types().unicode_error,
            format!("{w} stream does not start with BOM"),
        ));
    }
    Ok((text, used))
}

/// Encode `s`; unencodable characters go through the `errors` handler.
pub fn encode(vm: &mut Vm, codec: Codec, s: &str, errors: &str) -> PyResult<Vec<u8>> {
    if matches!(codec, Codec::Utf16(_) | Codec::Utf32(_)) {
        return Ok(encode_wide(codec, s, false));
    }
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
        Codec::Utf16(o) | Codec::Utf32(o) => {
            let mut order = o;
            let (text, used) = decode_wide(vm, codec, data, errors, &mut order, fin)?;
            Ok((text, data.len() - used))
        }
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
