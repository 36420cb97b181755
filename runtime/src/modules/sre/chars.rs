//! Character classes and case mappings the matcher uses: the ASCII rules, the C-locale
//! rules (`re.LOCALE`: stitch runs in the C locale, where only ASCII letters have case),
//! and the Unicode rules of Python's `str` methods (simple one-to-one case mappings, as
//! CPython's `_PyUnicode_ToLowercase`; `\d` is a decimal digit, as `str.isdecimal`).
//!
//! The Unicode predicates use Rust's tables where they agree with Python's and small
//! tables of their own where they do not (decimal digits, the extra spaces).
use super::constants::*;

#[inline]
pub fn is_linebreak(ch: u32) -> bool {
    ch == u32::from(b'\n')
}

#[inline]
pub fn ascii_is_digit(ch: u32) -> bool {
    (u32::from(b'0')..=u32::from(b'9')).contains(&ch)
}

#[inline]
pub fn ascii_is_space(ch: u32) -> bool {
    matches!(ch, 9..=13 | 32)
}

#[inline]
pub fn ascii_is_word(ch: u32) -> bool {
    ch < 128 && (ch as u8).is_ascii_alphanumeric() || ch == u32::from(b'_')
}

#[inline]
pub fn lower_ascii(ch: u32) -> u32 {
    if (u32::from(b'A')..=u32::from(b'Z')).contains(&ch) {
        ch + 32
    } else {
        ch
    }
}

#[inline]
pub fn upper_ascii(ch: u32) -> u32 {
    if (u32::from(b'a')..=u32::from(b'z')).contains(&ch) {
        ch - 32
    } else {
        ch
    }
}

/// `tolower` of the C locale (ASCII letters only; other code points unchanged).
#[inline]
pub fn lower_locale(ch: u32) -> u32 {
    lower_ascii(ch)
}

#[inline]
pub fn upper_locale(ch: u32) -> u32 {
    upper_ascii(ch)
}

/// `isalnum(ch) || ch == '_'` in the C locale.
#[inline]
pub fn loc_is_word(ch: u32) -> bool {
    ascii_is_word(ch)
}

/// Starts of the runs of ten decimal digits (general category Nd) of Unicode 14, the
/// version CPython 3.11 uses. Every Nd character is in one such run except the
/// mathematical digits U+1D7CE..U+1D7FF, handled apart.
const DECIMAL_RUNS: &[u32] = &[
    0x0030, 0x0660, 0x06F0, 0x07C0, 0x0966, 0x09E6, 0x0A66, 0x0AE6, 0x0B66, 0x0BE6, 0x0C66, 0x0CE6,
    0x0D66, 0x0DE6, 0x0E50, 0x0ED0, 0x0F20, 0x1040, 0x1090, 0x17E0, 0x1810, 0x1946, 0x19D0, 0x1A80,
    0x1A90, 0x1B50, 0x1BB0, 0x1C40, 0x1C50, 0xA620, 0xA8D0, 0xA900, 0xA9D0, 0xA9F0, 0xAA50, 0xABF0,
    0xFF10, 0x104A0, 0x10D30, 0x11066, 0x110F0, 0x11136, 0x111D0, 0x112F0, 0x11450, 0x114D0,
    0x11650, 0x116C0, 0x11730, 0x118E0, 0x11950, 0x11C50, 0x11D50, 0x11DA0, 0x16A60, 0x16AC0,
    0x16B50, 0x1E140, 0x1E2F0, 0x1E950, 0x1FBF0,
];

/// `str.isdecimal` for one code point.
pub fn uni_is_decimal(ch: u32) -> bool {
    if ch < 128 {
        return ascii_is_digit(ch);
    }
    if (0x1D7CE..=0x1D7FF).contains(&ch) {
        return true;
    }
    let i = DECIMAL_RUNS.partition_point(|&s| s <= ch);
    i > 0 && ch - DECIMAL_RUNS[i - 1] < 10
}

/// `str.isspace` for one code point (Rust's White_Space plus the four ASCII
/// separators U+001C..U+001F, which Python counts as spaces).
#[inline]
pub fn uni_is_space(ch: u32) -> bool {
    if ch < 128 {
        return matches!(ch, 9..=13 | 28..=32);
    }
    char::from_u32(ch).is_some_and(char::is_whitespace)
}

/// `str.isalnum` for one code point.
#[inline]
pub fn uni_is_alnum(ch: u32) -> bool {
    if ch < 128 {
        return (ch as u8).is_ascii_alphanumeric();
    }
    char::from_u32(ch).is_some_and(|c| c.is_alphabetic() || c.is_numeric())
}

#[inline]
pub fn uni_is_word(ch: u32) -> bool {
    uni_is_alnum(ch) || ch == u32::from(b'_')
}

/// Line boundaries of `str.splitlines`.
#[inline]
pub fn uni_is_linebreak(ch: u32) -> bool {
    matches!(ch, 10..=13 | 0x1C..=0x1E | 0x85 | 0x2028 | 0x2029)
}

/// Simple (one code point) lowercase mapping.
#[inline]
pub fn lower_unicode(ch: u32) -> u32 {
    if ch < 128 {
        return lower_ascii(ch);
    }
    let Some(c) = char::from_u32(ch) else {
        return ch;
    };
    let mut it = c.to_lowercase();
    match (it.next(), it.next()) {
        (Some(l), None) => l as u32,
        // U+0130 (I with dot above) lowercases to "i" + combining dot; its simple
        // mapping is plain "i".
        _ if ch == 0x130 => 0x69,
        _ => ch,
    }
}

/// Simple (one code point) uppercase mapping.
#[inline]
pub fn upper_unicode(ch: u32) -> u32 {
    if ch < 128 {
        return upper_ascii(ch);
    }
    let Some(c) = char::from_u32(ch) else {
        return ch;
    };
    let mut it = c.to_uppercase();
    match (it.next(), it.next()) {
        (Some(u), None) => u as u32,
        // Greek letters with ypogegrammeni: the full mapping adds a capital iota; the
        // simple mapping is the titlecase letter with prosgegrammeni.
        _ => match ch {
            0x1F80..=0x1F87 | 0x1F90..=0x1F97 | 0x1FA0..=0x1FA7 => ch + 8,
            0x1FB3 => 0x1FBC,
            0x1FC3 => 0x1FCC,
            0x1FF3 => 0x1FFC,
            _ => ch,
        },
    }
}

/// Does `ch` match the category code `cat` (a CATEGORY operand)?
#[inline]
pub fn category(cat: u32, ch: u32) -> bool {
    match cat {
        CATEGORY_DIGIT => ascii_is_digit(ch),
        CATEGORY_NOT_DIGIT => !ascii_is_digit(ch),
        CATEGORY_SPACE => ascii_is_space(ch),
        CATEGORY_NOT_SPACE => !ascii_is_space(ch),
        CATEGORY_WORD => ascii_is_word(ch),
        CATEGORY_NOT_WORD => !ascii_is_word(ch),
        CATEGORY_LINEBREAK => is_linebreak(ch),
        CATEGORY_NOT_LINEBREAK => !is_linebreak(ch),
        CATEGORY_LOC_WORD => loc_is_word(ch),
        CATEGORY_LOC_NOT_WORD => !loc_is_word(ch),
        CATEGORY_UNI_DIGIT => uni_is_decimal(ch),
        CATEGORY_UNI_NOT_DIGIT => !uni_is_decimal(ch),
        CATEGORY_UNI_SPACE => uni_is_space(ch),
        CATEGORY_UNI_NOT_SPACE => !uni_is_space(ch),
        CATEGORY_UNI_WORD => uni_is_word(ch),
        CATEGORY_UNI_NOT_WORD => !uni_is_word(ch),
        CATEGORY_UNI_LINEBREAK => uni_is_linebreak(ch),
        CATEGORY_UNI_NOT_LINEBREAK => !uni_is_linebreak(ch),
        _ => false,
    }
}

/// `char_loc_ignore`: does `ch` equal `pat` ignoring case in the locale?
#[inline]
pub fn char_loc_ignore(pat: u32, ch: u32) -> bool {
    ch == pat || lower_locale(ch) == pat || upper_locale(ch) == pat
}
