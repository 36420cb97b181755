//! String formatting with CPython's output: the format-spec mini-language
//! (`format()`, f-strings, `str.format`) in [`spec`], printf-style `%` for str and
//! bytes in [`percent`], and the float text both build on in [`float_text`].
pub mod float_text;
pub mod percent;
pub mod spec;

pub use percent::{bytes_percent_format, percent_format};
pub use spec::{
    Spec, TOO_MANY_DIGITS, format_complex, format_float, format_int, format_value, parse_spec,
};
