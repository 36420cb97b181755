//! Builtin object types: one file per type, each with its payload and its methods.
pub mod attr_cache;
pub mod class;
pub mod code;
pub mod dict;
pub mod float;
pub mod func;
pub mod generator;
pub mod instance;
pub mod int;
pub mod iter;
pub mod list;
pub mod misc;
pub mod module;
pub mod range;
pub mod set;
pub mod str;
pub mod tuple;
