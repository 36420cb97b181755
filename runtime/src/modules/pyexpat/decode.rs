//! Input decoding (bytes -> UTF-8 text): the encoding comes from `ParserCreate`'s
//! argument, a byte order mark, the first bytes (UTF-16 without a mark), or the XML
//! declaration; until the declaration has been read, only its bytes are decoded.
//! UTF-8, UTF-16 (LE/BE), ISO-8859-1 and US-ASCII are built in; any other single-byte
//! encoding is a 256-entry table the caller builds with Python's codecs (as pyexpat's
//! unknown-encoding handler does).

#[derive(Clone)]
pub enum Enc {
    Utf8,
    Utf16Le,
    Utf16Be,
    Latin1,
    Ascii,
    /// Code point per byte (`None`: the byte is invalid).
    Table(Box<[Option<char>; 256]>),
}

impl Enc {
    /// Expat's built-in encodings by name.
    pub fn builtin(name: &str) -> Option<Enc> {
        Some(match name.to_ascii_uppercase().as_str() {
            "UTF-8" | "UTF8" => Enc::Utf8,
            "UTF-16" => Enc::Utf16Be,
            "UTF-16LE" => Enc::Utf16Le,
            "UTF-16BE" => Enc::Utf16Be,
            "ISO-8859-1" | "LATIN1" | "LATIN-1" | "ISO8859-1" => Enc::Latin1,
            "US-ASCII" | "ASCII" => Enc::Ascii,
            _ => return None,
        })
    }

    /// Bytes one char takes in this encoding (for `CurrentByteIndex`).
    pub fn width(&self, c: char) -> i64 {
        match self {
            Enc::Utf8 => c.len_utf8() as i64,
            Enc::Utf16Le | Enc::Utf16Be => c.len_utf16() as i64 * 2,
            _ => 1,
        }
    }
}

pub struct Decoder {
    pub enc: Option<Enc>,
    /// Set by `ParserCreate(encoding=...)` or str input: the declaration cannot change it.
    pub forced: bool,
    /// Undecoded input.
    pub raw: Vec<u8>,
    /// An invalid byte sequence was met: nothing after it is decoded.
    pub bad: bool,
    /// Waiting to read the XML declaration's encoding before decoding further.
    pub await_decl: bool,
    /// Bytes of a byte order mark skipped at the start.
    pub bom: i64,
    started: bool,
}

impl Decoder {
    pub fn new(enc: Option<Enc>) -> Decoder {
        let forced = enc.is_some();
        Decoder {
            enc,
            forced,
            raw: Vec::new(),
            bad: false,
            await_decl: false,
            bom: 0,
            started: false,
        }
    }

    /// Decodes what it can of `raw` onto `out`. `fin`: no more input will come.
    pub fn pump(&mut self, out: &mut String, fin: bool) {
        if self.bad {
            return;
        }
        if !self.started {
            if self.raw.len() < 4 && !fin {
                // Too few bytes to look for a byte order mark.
                if !(self.raw.len() >= 2
                    && (self.raw.starts_with(b"\xfe\xff") || self.raw.starts_with(b"\xff\xfe")))
                    && !(self.raw.len() >= 3 && self.raw.starts_with(b"\xef\xbb\xbf"))
                    && !self.raw.is_empty()
                    && b"<?xml".starts_with(&self.raw[..self.raw.len().min(5)])
                {
                    return;
                }
                if self.raw.is_empty() {
                    return;
                }
            }
            self.started = true;
            let r = &self.raw;
            let mut bom = 0;
            let mut bom_enc = None;
            if r.starts_with(b"\xfe\xff") {
                bom = 2;
                bom_enc = Some(Enc::Utf16Be);
            } else if r.starts_with(b"\xff\xfe") {
                bom = 2;
                bom_enc = Some(Enc::Utf16Le);
            } else if r.starts_with(b"\xef\xbb\xbf") {
                bom = 3;
                bom_enc = Some(Enc::Utf8);
            } else if r.starts_with(b"\x00<\x00?") {
                bom_enc = Some(Enc::Utf16Be);
            } else if r.starts_with(b"<\x00?\x00") {
                bom_enc = Some(Enc::Utf16Le);
            }
            let skip = match (&self.enc, &bom_enc) {
                (None, Some(e)) => {
                    self.enc = Some(e.clone());
                    self.forced = true;
                    bom
                }
                (Some(Enc::Utf8), Some(Enc::Utf8)) => bom,
                (Some(Enc::Utf16Be | Enc::Utf16Le), Some(Enc::Utf16Be | Enc::Utf16Le))
                    if bom == 2 =>
                {
                    self.enc = bom_enc.clone();
                    2
                }
                _ => 0,
            };
            self.raw.drain(..skip);
            self.bom = skip as i64;
            if self.enc.is_none() {
                self.enc = Some(Enc::Utf8);
                self.await_decl = self.raw.starts_with(b"<?xml");
            }
        }
        let mut limit = self.raw.len();
        if self.await_decl {
            match self.raw.windows(2).position(|w| w == b"?>") {
                Some(p) => limit = p + 2,
                None if fin || self.raw.len() > 1024 => self.await_decl = false,
                None => return,
            }
        }
        let enc = self.enc.clone().unwrap_or(Enc::Utf8);
        let used = decode(
            &enc,
            &self.raw[..limit],
            out,
            fin && limit == self.raw.len(),
            &mut self.bad,
        );
        self.raw.drain(..used);
    }

    /// The declaration named `name`: switch to it unless the encoding was fixed.
    /// `Err(())`: not a built-in encoding (the caller may supply a table).
    pub fn declared(&mut self, name: Option<&str>) -> Result<(), ()> {
        self.await_decl = false;
        if self.forced {
            return Ok(());
        }
        let Some(name) = name else {
            return Ok(());
        };
        match Enc::builtin(name) {
            Some(Enc::Utf16Be | Enc::Utf16Le) => Ok(()),
            Some(e) => {
                self.enc = Some(e);
                Ok(())
            }
            None => Err(()),
        }
    }
}

/// Decodes a prefix of `r` onto `out`; returns the bytes used. An incomplete sequence
/// at the end is left unless `fin`; an invalid one sets `bad` and stops.
fn decode(enc: &Enc, r: &[u8], out: &mut String, fin: bool, bad: &mut bool) -> usize {
    match enc {
        Enc::Utf8 => match std::str::from_utf8(r) {
            Ok(s) => {
                out.push_str(s);
                r.len()
            }
            Err(e) => {
                let n = e.valid_up_to();
                out.push_str(std::str::from_utf8(&r[..n]).unwrap_or(""));
                if e.error_len().is_some() || fin {
                    *bad = e.error_len().is_some();
                }
                n
            }
        },
        Enc::Latin1 => {
            out.extend(r.iter().map(|&b| b as char));
            r.len()
        }
        Enc::Ascii => {
            for (i, &b) in r.iter().enumerate() {
                if b >= 0x80 {
                    *bad = true;
                    return i;
                }
                out.push(b as char);
            }
            r.len()
        }
        Enc::Table(t) => {
            for (i, &b) in r.iter().enumerate() {
                match t[b as usize] {
                    Some(c) => out.push(c),
                    None => {
                        *bad = true;
                        return i;
                    }
                }
            }
            r.len()
        }
        Enc::Utf16Le | Enc::Utf16Be => {
            let le = matches!(enc, Enc::Utf16Le);
            let mut i = 0;
            while i + 1 < r.len() {
                let u = |k: usize| {
                    if le {
                        u16::from_le_bytes([r[k], r[k + 1]])
                    } else {
                        u16::from_be_bytes([r[k], r[k + 1]])
                    }
                };
                let a = u(i);
                if (0xD800..0xDC00).contains(&a) {
                    if i + 3 >= r.len() {
                        break;
                    }
                    let b = u(i + 2);
                    if !(0xDC00..0xE000).contains(&b) {
                        *bad = true;
                        return i;
                    }
                    let c = 0x10000 + (((a as u32) - 0xD800) << 10) + ((b as u32) - 0xDC00);
                    out.push(char::from_u32(c).unwrap_or('\u{FFFD}'));
                    i += 4;
                } else if (0xDC00..0xE000).contains(&a) {
                    *bad = true;
                    return i;
                } else {
                    out.push(char::from_u32(a as u32).unwrap_or('\u{FFFD}'));
                    i += 2;
                }
            }
            i
        }
    }
}
