//! Compiling a `struct` format string ("<hhl", "@3s2xq", ...) into the list of items
//! to pack or unpack: where each sits, its code and byte order, and the total size.
//!
//! Sizes and alignment follow CPython on x86-64 Linux: native mode (`@`, the default)
//! uses C sizes and aligns each item to its size; `=`, `<`, `>` and `!` use the
//! standard sizes (l and L are 4 bytes) without alignment, and have no `n`, `N`, `P`.

/// How an item is converted (CPython's packer and unpacker functions are grouped so:
/// each kind has the range checks and messages of the C function it stands for).
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Kind {
    /// `x`: zero bytes, no value.
    Pad,
    /// `c`: a bytes object of length 1.
    Char,
    /// `s`: a bytes object, padded or truncated to the item's size.
    Str,
    /// `p`: a Pascal string (a length byte, then the data).
    Pascal,
    /// `?`.
    Bool,
    /// `b` (byte range error message).
    Byte,
    /// `B`.
    UByte,
    /// `h` in native-function form ("short format requires ...").
    Short,
    /// `H` in native form ("ushort format requires ...").
    UShort,
    /// A signed integer whose range error names the format ("'i' format requires ..."):
    /// native `i`, standard `h`/`i`/`l` (checked against the item's size).
    IntNamed,
    /// An unsigned integer with a named range error for values too large (negative
    /// values: "argument out of range"): native `I`, standard `H`/`I`/`L`.
    UIntNamed,
    /// A signed integer whose overflow is "argument out of range": native l, q, n.
    IntPlain,
    /// An unsigned integer whose overflow is "argument out of range": native L, Q, N.
    UIntPlain,
    /// Big-endian `q`: the overflow message names the format and the full range.
    LongLongNamed,
    /// Big-endian `Q`.
    ULongLongNamed,
    /// `P`: a pointer-sized integer, negative values allowed.
    VoidP,
    /// `e`.
    Half,
    /// `f` in native form (no overflow check: a huge double becomes inf).
    FloatNative,
    /// `f` in standard form (OverflowError past the float range).
    Float,
    /// `d`.
    Double,
}

/// One item of a compiled format.
#[derive(Clone, Copy, Debug)]
pub struct Item {
    pub kind: Kind,
    /// The format character (for messages).
    pub code: u8,
    /// Byte offset of the item in the packed data.
    pub offset: usize,
    /// Bytes the item takes (the count of `s`, `p`, `x` groups).
    pub size: usize,
}

/// `count` consecutive items of one code (`"1000i"` is one run, as CPython's
/// `formatcode` with a repeat): a huge repeat count costs no memory until values are
/// actually packed or unpacked, and `calcsize` of any format is cheap.
#[derive(Clone, Copy, Debug)]
pub struct Run {
    /// The first item; the others follow it every `item.size` bytes.
    pub item: Item,
    pub count: usize,
}

/// A compiled format.
#[derive(Debug)]
pub struct Compiled {
    /// The runs of items that take or produce a value (pads are left out).
    pub runs: Vec<Run>,
    /// How many values the format packs (the items of all runs).
    pub len: usize,
    /// Total packed size.
    pub size: usize,
    /// Little-endian byte order for the multi-byte numbers.
    pub little: bool,
    /// The format as given (`Struct.format`).
    pub format: String,
}

impl Compiled {
    /// Every item, in order.
    pub fn items(&self) -> impl Iterator<Item = Item> + '_ {
        self.runs.iter().flat_map(|r| {
            (0..r.count).map(move |k| Item {
                offset: r.item.offset + k * r.item.size,
                ..r.item
            })
        })
    }
}

/// Why a format did not compile (each becomes `struct.error` with this text).
pub enum FormatError {
    BadChar,
    CountWithoutFormat,
    TooLong,
}

impl FormatError {
    pub fn message(&self) -> &'static str {
        match self {
            FormatError::BadChar => "bad char in struct format",
            FormatError::CountWithoutFormat => "repeat count given without format specifier",
            FormatError::TooLong => "total struct size too long",
        }
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Mode {
    Native,
    Little,
    Big,
}

/// Size and kind of `code` in `mode`; None for a character the mode does not know.
fn describe(code: u8, mode: Mode) -> Option<(usize, Kind)> {
    use Kind::*;
    let native = mode == Mode::Native;
    // On a little-endian machine CPython uses the native packers for the standard
    // little-endian codes of the same size (b B c h H i I q Q e), with their messages.
    let little = mode == Mode::Little;
    Some(match code {
        b'x' => (1, Pad),
        b'c' => (1, Char),
        b's' => (1, Str),
        b'p' => (1, Pascal),
        b'?' => (1, Bool),
        b'b' => (1, Byte),
        b'B' => (1, UByte),
        b'h' if native || little => (2, Short),
        b'h' => (2, IntNamed),
        b'H' if native || little => (2, UShort),
        b'H' => (2, UIntNamed),
        b'i' => (4, IntNamed),
        b'I' => (4, UIntNamed),
        b'l' if native => (8, IntPlain),
        b'l' => (4, IntNamed),
        b'L' if native => (8, UIntPlain),
        b'L' => (4, UIntNamed),
        b'q' if native || little => (8, IntPlain),
        b'q' => (8, LongLongNamed),
        b'Q' if native || little => (8, UIntPlain),
        b'Q' => (8, ULongLongNamed),
        b'n' if native => (8, IntPlain),
        b'N' if native => (8, UIntPlain),
        b'P' if native => (8, VoidP),
        b'e' => (2, Half),
        b'f' if native => (4, FloatNative),
        b'f' => (4, Float),
        b'd' => (8, Double),
        _ => return None,
    })
}

/// Compile `fmt`.
pub fn compile(fmt: &[u8]) -> Result<Compiled, FormatError> {
    let (mode, rest) = match fmt.first() {
        Some(b'@') => (Mode::Native, &fmt[1..]),
        Some(b'=') | Some(b'<') => (Mode::Little, &fmt[1..]),
        Some(b'>') | Some(b'!') => (Mode::Big, &fmt[1..]),
        _ => (Mode::Native, fmt),
    };
    let mut runs = Vec::new();
    let mut len: usize = 0;
    let mut offset: usize = 0;
    let mut i = 0;
    while i < rest.len() {
        let c = rest[i];
        if c.is_ascii_whitespace() {
            i += 1;
            continue;
        }
        let mut count: Option<usize> = None;
        if c.is_ascii_digit() {
            let mut n: usize = 0;
            while i < rest.len() && rest[i].is_ascii_digit() {
                n = n
                    .checked_mul(10)
                    .and_then(|n| n.checked_add((rest[i] - b'0') as usize))
                    .ok_or(FormatError::TooLong)?;
                i += 1;
            }
            if i >= rest.len() {
                return Err(FormatError::CountWithoutFormat);
            }
            count = Some(n);
        }
        let code = rest[i];
        i += 1;
        let Some((size, kind)) = describe(code, mode) else {
            return Err(FormatError::BadChar);
        };
        let n = count.unwrap_or(1);
        if mode == Mode::Native && size > 1 {
            offset = offset
                .div_ceil(size)
                .checked_mul(size)
                .ok_or(FormatError::TooLong)?;
        }
        match kind {
            Kind::Str | Kind::Pascal => {
                runs.push(Run {
                    item: Item {
                        kind,
                        code,
                        offset,
                        size: n,
                    },
                    count: 1,
                });
                len += 1;
                offset = offset.checked_add(n).ok_or(FormatError::TooLong)?;
            }
            Kind::Pad => {
                offset = offset.checked_add(n).ok_or(FormatError::TooLong)?;
            }
            _ => {
                let total = n.checked_mul(size).ok_or(FormatError::TooLong)?;
                if offset
                    .checked_add(total)
                    .is_none_or(|t| t > isize::MAX as usize)
                {
                    return Err(FormatError::TooLong);
                }
                if n > 0 {
                    runs.push(Run {
                        item: Item {
                            kind,
                            code,
                            offset,
                            size,
                        },
                        count: n,
                    });
                }
                // Cannot overflow: every item takes at least one byte of `offset`,
                // which stays within isize::MAX.
                len += n;
                offset += total;
            }
        }
        if offset > isize::MAX as usize {
            return Err(FormatError::TooLong);
        }
    }
    Ok(Compiled {
        runs,
        len,
        size: offset,
        little: mode != Mode::Big,
        format: String::from_utf8_lossy(fmt).into_owned(),
    })
}

#[cfg(test)]
mod tests {
    use super::compile;

    fn size(f: &str) -> usize {
        compile(f.as_bytes()).map(|c| c.size).unwrap_or(usize::MAX)
    }

    #[test]
    fn sizes() {
        assert_eq!(size("@c0l"), 8);
        assert_eq!(size("ci"), 8);
        assert_eq!(size("<ci"), 5);
        assert_eq!(size("3s2xq"), 16);
        assert_eq!(size("<l"), 4);
        assert_eq!(size("l"), 8);
        assert!(compile(b"<n").is_err());
        assert!(compile(b"3").is_err());
    }

    #[test]
    fn huge_counts_compile_without_expanding() {
        let c = compile(b"<1000000000000q").ok().unwrap();
        assert_eq!(c.len, 1_000_000_000_000);
        assert_eq!(c.runs.len(), 1);
        let half = (isize::MAX / 2).to_string();
        assert!(compile(format!("{half}b{half}H").as_bytes()).is_err());
        let items: Vec<_> = compile(b"<b2hs").ok().unwrap().items().collect();
        let offsets: Vec<_> = items.iter().map(|i| i.offset).collect();
        assert_eq!(offsets, [0, 1, 3, 5]);
    }
}
