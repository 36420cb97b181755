//! The bytecode instruction set, declared once.
//!
//! Each instruction is one 32-bit code unit: opcode in the low 8 bits, argument in the
//! high 24 bits. `cache` is the number of inline cache units that follow the instruction
//! (reserved for the specializing interpreter; zero until it lands).
macro_rules! opcodes {
    ($($name:ident = $num:literal, cache $cache:literal, $doc:literal;)*) => {
        #[allow(non_camel_case_types, clippy::upper_case_acronyms)]
        #[derive(Clone, Copy, PartialEq, Eq, Debug)]
        #[repr(u8)]
        pub enum Op { $(#[doc = $doc] $name = $num,)* }

        impl Op {
            pub fn from_u8(b: u8) -> Option<Op> {
                match b { $($num => Some(Op::$name),)* _ => None }
            }
            pub fn name(self) -> &'static str {
                match self { $(Op::$name => stringify!($name),)* }
            }
            /// Inline cache units following this instruction.
            pub fn cache_units(self) -> usize {
                match self { $(Op::$name => $cache,)* }
            }
        }
    };
}

opcodes! {
    NOP = 0, cache 0, "Do nothing.";
    POP_TOP = 1, cache 0, "Discard the top of stack.";
    PUSH_NULL = 2, cache 0, "Push NULL (the 'no self' marker of a call).";
    LOAD_CONST = 3, cache 0, "Push consts[arg].";
    COPY = 4, cache 0, "Push a copy of the arg-th item (1 = top).";
    SWAP = 5, cache 0, "Swap the top with the arg-th item.";
    LOAD_FAST = 6, cache 0, "Push local arg (UnboundLocalError if unset).";
    STORE_FAST = 7, cache 0, "Pop into local arg.";
    DELETE_FAST = 8, cache 0, "Unbind local arg.";
    LOAD_DEREF = 9, cache 0, "Push the contents of cell/free slot arg.";
    STORE_DEREF = 10, cache 0, "Pop into cell/free slot arg.";
    DELETE_DEREF = 11, cache 0, "Empty cell/free slot arg.";
    LOAD_CLOSURE = 12, cache 0, "Push the cell object in slot arg.";
    LOAD_NAME = 13, cache 0, "Push names[arg] from locals, globals, then builtins.";
    STORE_NAME = 14, cache 0, "Pop into names[arg] in the local namespace.";
    DELETE_NAME = 15, cache 0, "Delete names[arg] from the local namespace.";
    LOAD_GLOBAL = 16, cache 0, "Push names[arg] from globals, then builtins.";
    STORE_GLOBAL = 17, cache 0, "Pop into global names[arg].";
    DELETE_GLOBAL = 18, cache 0, "Delete global names[arg].";
    LOAD_ATTR = 19, cache 0, "Replace the top with its attribute names[arg].";
    STORE_ATTR = 20, cache 0, "TOS.names[arg] = TOS1.";
    DELETE_ATTR = 21, cache 0, "del TOS.names[arg].";
    LOAD_METHOD = 22, cache 0, "Replace obj with (method, obj) or (attr, NULL).";
    BINARY_SUBSCR = 23, cache 0, "TOS1[TOS].";
    STORE_SUBSCR = 24, cache 0, "TOS1[TOS] = TOS2.";
    DELETE_SUBSCR = 25, cache 0, "del TOS1[TOS].";
    BUILD_SLICE = 26, cache 0, "Build a slice from 2 or 3 items.";
    BINARY_OP = 27, cache 0, "Binary operator arg (see BinOp) on TOS1, TOS.";
    UNARY_NEGATIVE = 28, cache 0, "-TOS.";
    UNARY_POSITIVE = 29, cache 0, "+TOS.";
    UNARY_INVERT = 30, cache 0, "~TOS.";
    UNARY_NOT = 31, cache 0, "not TOS.";
    COMPARE_OP = 32, cache 0, "Rich comparison arg (< <= == != > >=).";
    IS_OP = 33, cache 0, "TOS1 is TOS (arg 1: is not).";
    CONTAINS_OP = 34, cache 0, "TOS1 in TOS (arg 1: not in).";
    JUMP = 35, cache 0, "Jump forward to instruction arg.";
    JUMP_BACKWARD = 36, cache 0, "Jump back to instruction arg (a loop back edge).";
    POP_JUMP_IF_FALSE = 37, cache 0, "Pop; jump to arg if false.";
    POP_JUMP_IF_TRUE = 38, cache 0, "Pop; jump to arg if true.";
    JUMP_IF_FALSE_OR_POP = 39, cache 0, "Jump to arg keeping TOS if false, else pop.";
    JUMP_IF_TRUE_OR_POP = 40, cache 0, "Jump to arg keeping TOS if true, else pop.";
    POP_JUMP_IF_NONE = 41, cache 0, "Pop; jump to arg if None.";
    POP_JUMP_IF_NOT_NONE = 42, cache 0, "Pop; jump to arg if not None.";
    GET_ITER = 43, cache 0, "iter(TOS).";
    FOR_ITER = 44, cache 0, "Push next(TOS), or pop the iterator and jump to arg.";
    BUILD_TUPLE = 45, cache 0, "Tuple of the top arg items.";
    BUILD_LIST = 46, cache 0, "List of the top arg items.";
    BUILD_SET = 47, cache 0, "Set of the top arg items.";
    BUILD_MAP = 48, cache 0, "Dict of the top 2*arg items.";
    LIST_APPEND = 49, cache 0, "Append TOS to the list arg items down.";
    SET_ADD = 50, cache 0, "Add TOS to the set arg items down.";
    MAP_ADD = 51, cache 0, "dict[TOS1] = TOS in the dict arg items down.";
    LIST_EXTEND = 52, cache 0, "Extend the list arg items down with TOS.";
    SET_UPDATE = 53, cache 0, "Update the set arg items down with TOS.";
    DICT_UPDATE = 54, cache 0, "Update the dict arg items down with TOS.";
    DICT_MERGE = 55, cache 0, "Like DICT_UPDATE, rejecting duplicate keyword arguments.";
    LIST_TO_TUPLE = 56, cache 0, "tuple(TOS) for a list.";
    BUILD_STRING = 57, cache 0, "Concatenate the top arg strings.";
    FORMAT_VALUE = 58, cache 0, "Format TOS (arg: conversion | 4 if a spec is on top).";
    UNPACK_SEQUENCE = 59, cache 0, "Unpack TOS into arg items (first item on top).";
    UNPACK_EX = 60, cache 0, "Starred unpack: arg & 0xff before, arg >> 8 after.";
    MAKE_FUNCTION = 61, cache 0, "Function from code on top (flags: 1 defaults, 2 kwdefaults, 8 closure).";
    CALL = 62, cache 0, "Call with arg positional arguments.";
    CALL_KW = 63, cache 0, "Call with arg arguments; a tuple of keyword names on top.";
    CALL_FUNCTION_EX = 64, cache 0, "Call with an args tuple (and a kwargs dict if arg & 1).";
    RETURN_VALUE = 65, cache 0, "Return TOS to the caller.";
    LOAD_BUILD_CLASS = 66, cache 0, "Push builtins.__build_class__.";
    RAISE_VARARGS = 67, cache 0, "raise (0), raise TOS (1), raise TOS1 from TOS (2).";
    RERAISE = 68, cache 0, "Re-raise TOS.";
    PUSH_EXC_INFO = 69, cache 0, "Push the handled exception under TOS; TOS becomes handled.";
    POP_EXCEPT = 70, cache 0, "Pop the saved exception and make it the handled one again.";
    CHECK_EXC_MATCH = 71, cache 0, "Push whether TOS1 matches the exception type(s) TOS.";
    BEFORE_WITH = 72, cache 0, "Replace a context manager with (bound __exit__, __enter__()).";
    WITH_EXCEPT_START = 73, cache 0, "Call __exit__ (4 items down) with the exception on top.";
    LOAD_ASSERTION_ERROR = 74, cache 0, "Push AssertionError.";
    YIELD_VALUE = 75, cache 0, "Yield TOS; the sent value is pushed on resume.";
    GET_YIELD_FROM_ITER = 76, cache 0, "iter(TOS) unless it is a generator or coroutine.";
    SEND = 77, cache 0, "Send TOS into TOS1; on return, replace both with the value and jump.";
    IMPORT_NAME = 78, cache 0, "Import module names[arg] (TOS: fromlist, TOS1: level).";
    IMPORT_FROM = 79, cache 0, "Push attribute names[arg] of the module on top.";
    IMPORT_STAR = 80, cache 0, "from module import *.";
    GET_AWAITABLE = 81, cache 0, "Get the iterator of an awaitable.";
    DELETE_LOCAL_EXC = 82, cache 0, "Reserved.";
    RETURN_GENERATOR = 83, cache 0, "Reserved: generator creation happens at call time.";
    SETUP_ANNOTATIONS = 84, cache 0, "Create __annotations__ in the local namespace.";
    BEFORE_ASYNC_WITH = 85, cache 0, "Replace an async context manager with (bound __aexit__, __aenter__()).";
    GET_AITER = 86, cache 0, "Replace TOS with TOS.__aiter__().";
    GET_ANEXT = 87, cache 0, "Push TOS.__anext__() (TOS stays: the async iterator).";
    END_ASYNC_FOR = 88, cache 0, "Handler of async for: StopAsyncIteration on TOS ends the loop (pops it and the iterator); anything else is re-raised.";
}

/// BINARY_OP arguments (the in-place forms are +13).
pub const BIN_OPS: [&str; 13] = [
    "+", "&", "//", "<<", "@", "*", "%", "|", "**", ">>", "-", "/", "^",
];
pub const NB_ADD: u32 = 0;
pub const NB_AND: u32 = 1;
pub const NB_FLOOR_DIVIDE: u32 = 2;
pub const NB_LSHIFT: u32 = 3;
pub const NB_MATMUL: u32 = 4;
pub const NB_MULTIPLY: u32 = 5;
pub const NB_REMAINDER: u32 = 6;
pub const NB_OR: u32 = 7;
pub const NB_POWER: u32 = 8;
pub const NB_RSHIFT: u32 = 9;
pub const NB_SUBTRACT: u32 = 10;
pub const NB_TRUE_DIVIDE: u32 = 11;
pub const NB_XOR: u32 = 12;
pub const NB_INPLACE: u32 = 13;

pub const CMP_OPS: [&str; 6] = ["<", "<=", "==", "!=", ">", ">="];

/// Stack effect of an instruction: (fall-through, jump taken).
pub fn stack_effect(op: Op, arg: u32) -> (i32, i32) {
    use Op::*;
    let a = arg as i32;
    let e = match op {
        NOP | JUMP | JUMP_BACKWARD | SETUP_ANNOTATIONS | DELETE_FAST | DELETE_DEREF
        | DELETE_NAME | DELETE_GLOBAL | UNARY_NEGATIVE | UNARY_POSITIVE | UNARY_INVERT
        | UNARY_NOT | GET_ITER | LIST_TO_TUPLE | GET_YIELD_FROM_ITER | GET_AWAITABLE
        | GET_AITER | DELETE_LOCAL_EXC | RETURN_GENERATOR | SWAP | LOAD_ATTR | YIELD_VALUE
        | CHECK_EXC_MATCH => 0,
        POP_TOP | STORE_FAST | STORE_DEREF | STORE_NAME | STORE_GLOBAL | DELETE_ATTR
        | BINARY_SUBSCR | BINARY_OP | COMPARE_OP | IS_OP | CONTAINS_OP | POP_JUMP_IF_FALSE
        | POP_JUMP_IF_TRUE | POP_JUMP_IF_NONE | POP_JUMP_IF_NOT_NONE | LIST_APPEND | SET_ADD
        | LIST_EXTEND | SET_UPDATE | DICT_UPDATE | DICT_MERGE | RETURN_VALUE | RERAISE
        | POP_EXCEPT | IMPORT_STAR => -1,
        PUSH_NULL | LOAD_CONST | COPY | LOAD_FAST | LOAD_DEREF | LOAD_CLOSURE | LOAD_NAME
        | LOAD_GLOBAL | LOAD_METHOD | LOAD_BUILD_CLASS | PUSH_EXC_INFO | BEFORE_WITH
        | WITH_EXCEPT_START | LOAD_ASSERTION_ERROR | IMPORT_FROM | BEFORE_ASYNC_WITH
        | GET_ANEXT => 1,
        END_ASYNC_FOR => -2,
        STORE_ATTR | DELETE_SUBSCR | MAP_ADD => -2,
        STORE_SUBSCR => -3,
        BUILD_SLICE => 1 - a,
        JUMP_IF_FALSE_OR_POP | JUMP_IF_TRUE_OR_POP => return (-1, 0),
        FOR_ITER => return (1, -1),
        SEND => return (0, -1),
        BUILD_TUPLE | BUILD_LIST | BUILD_SET | BUILD_STRING => 1 - a,
        BUILD_MAP => 1 - 2 * a,
        FORMAT_VALUE => {
            if arg & 4 != 0 {
                -1
            } else {
                0
            }
        }
        UNPACK_SEQUENCE => a - 1,
        UNPACK_EX => (a & 0xff) + (a >> 8),
        MAKE_FUNCTION => -((arg & 1 != 0) as i32 + (arg & 2 != 0) as i32 + (arg & 8 != 0) as i32),
        CALL => -1 - a,
        CALL_KW => -2 - a,
        CALL_FUNCTION_EX => -2 - (arg & 1) as i32,
        RAISE_VARARGS => -a,
        IMPORT_NAME => -1,
    };
    (e, e)
}

pub fn is_jump(op: Op) -> bool {
    use Op::*;
    matches!(
        op,
        JUMP | JUMP_BACKWARD
            | POP_JUMP_IF_FALSE
            | POP_JUMP_IF_TRUE
            | JUMP_IF_FALSE_OR_POP
            | JUMP_IF_TRUE_OR_POP
            | POP_JUMP_IF_NONE
            | POP_JUMP_IF_NOT_NONE
            | FOR_ITER
            | SEND
    )
}
