//! The instruction set, declared once: generic bytecodes, the specialized forms the
//! adaptive interpreter rewrites them into (PEP 659), and the micro-ops (uops) every
//! specialized form expands into.
//!
//! Each instruction is one 32-bit code unit: opcode in the low 8 bits, argument in the
//! high 24 bits. Inline caches do not live in the code stream: every instruction has a
//! side-table slot in its code object's `InlineCaches` (see `stitch_sync::inline_cache`
//! and `crate::specialize`), so jump targets and line tables never move.
//!
//! From this one table come: the `Op` enum and its names, each specialized
//! instruction's family (the generic instruction it deoptimizes to) and uop expansion,
//! and the `Uop` enum with stack effects and flags. The interpreter dispatches on `Op`;
//! the JIT (tier 2) will record `Uop`s from the same expansions; a unit test checks
//! that every expansion has its family's stack effect.
macro_rules! instructions {
    (
        generic { $($name:ident = $num:literal, $doc:literal;)* }
        specialized { $($sname:ident = $snum:literal, $family:ident, [$($uop:ident),*], $sdoc:literal;)* }
    ) => {
        #[allow(non_camel_case_types, clippy::upper_case_acronyms)]
        #[derive(Clone, Copy, PartialEq, Eq, Debug, Hash)]
        #[repr(u8)]
        pub enum Op {
            $(#[doc = $doc] $name = $num,)*
            $(#[doc = $sdoc] $sname = $snum,)*
        }

        impl Op {
            /// Every instruction, generic ones first.
            pub const ALL: &'static [Op] = &[$(Op::$name,)* $(Op::$sname,)*];

            /// Family table (the `match` compiled to a chain of compares).
            const FAMILY: [Op; 256] = {
                let mut t = [Op::NOP; 256];
                $(t[$num] = Op::$name;)*
                $(t[$snum] = Op::$family;)*
                t
            };

            /// Decode (a `match`: in the interpreter's dispatch it compiles to better
            /// code than a table lookup, which cost tier 1 13% more instructions).
            #[inline(always)]
            pub fn from_u8(b: u8) -> Option<Op> {
                match b { $($num => Some(Op::$name),)* $($snum => Some(Op::$sname),)* _ => None }
            }
            pub fn name(self) -> &'static str {
                match self { $(Op::$name => stringify!($name),)* $(Op::$sname => stringify!($sname),)* }
            }
            /// The generic instruction a specialized one deoptimizes to (itself if generic).
            #[inline(always)]
            pub fn family(self) -> Op {
                Self::FAMILY[self as usize]
            }
            /// The uops a specialized instruction expands into (empty for generic ones:
            /// the recorder handles those one by one).
            pub fn uops(self) -> &'static [Uop] {
                match self { $(Op::$name => &[],)* $(Op::$sname => &[$(Uop::$uop),*],)* }
            }
            #[inline(always)]
            pub fn is_specialized(self) -> bool {
                self as u8 >= FIRST_SPECIALIZED
            }
        }
    };
}

/// Opcodes at or above this are specialized forms.
pub const FIRST_SPECIALIZED: u8 = 128;

macro_rules! uops {
    ($($name:ident: $inputs:literal -> $outputs:literal, $flags:expr, $doc:literal;)*) => {
        #[allow(non_camel_case_types, clippy::upper_case_acronyms)]
        #[derive(Clone, Copy, PartialEq, Eq, Debug, Hash)]
        pub enum Uop { $(#[doc = $doc] $name,)* }

        impl Uop {
            pub const ALL: &'static [Uop] = &[$(Uop::$name,)*];
            pub fn name(self) -> &'static str {
                match self { $(Uop::$name => stringify!($name),)* }
            }
            /// Stack items read (popped) and written (pushed).
            pub fn stack(self) -> (u32, u32) {
                match self { $(Uop::$name => ($inputs, $outputs),)* }
            }
            pub fn flags(self) -> u8 {
                match self { $(Uop::$name => $flags,)* }
            }
        }
    };
}

/// Uop flags.
pub mod flag {
    /// No side effects beyond its outputs; may be removed if they are unused.
    pub const PURE: u8 = 1;
    /// Checks an assumption; on failure the instruction deoptimizes (tier 1) or the
    /// trace exits (tier 2).
    pub const GUARD: u8 = 2;
    /// May fail at run time for a reason no guard covers (overflow, zero divisor):
    /// then the generic instruction runs instead.
    pub const DEOPT: u8 = 4;
    /// May run arbitrary Python code or release the thread (calls, dealloc hooks).
    pub const ESCAPES: u8 = 8;
    /// Correct only while one thread runs Python code (tier 2 guards it with the
    /// `SingleThreaded` patchpoint).
    pub const SINGLE_THREAD: u8 = 16;
    /// Body is in the runtime (it touches dicts, lists or frames), not in `stencils`.
    pub const RUNTIME: u8 = 32;
    /// Changes the instruction pointer (branches, frame pushes).
    pub const BRANCH: u8 = 64;
}

use flag::*;

uops! {
    GUARD_BOTH_INT: 2 -> 2, GUARD, "Both top items are small ints (exact big ints pass to the generic operator without a miss).";
    GUARD_BOTH_FLOAT: 2 -> 2, GUARD, "Both top items are floats.";
    GUARD_FLOAT_OPERANDS: 2 -> 2, GUARD, "Two floats, or a float and a small int (converted to a float exactly).";
    GUARD_BOTH_STR: 2 -> 2, GUARD, "Both top items are exact str objects.";
    ADD_INT: 2 -> 1, PURE | DEOPT, "Small-int +; a result beyond the small range is computed by the generic operator.";
    SUB_INT: 2 -> 1, PURE | DEOPT, "Small-int -; a result beyond the small range is computed by the generic operator.";
    MUL_INT: 2 -> 1, PURE | DEOPT, "Small-int *; a result beyond the small range is computed by the generic operator.";
    FLOORDIV_INT: 2 -> 1, PURE | DEOPT, "Small-int //; zero divisor -> deopt.";
    MOD_INT: 2 -> 1, PURE | DEOPT, "Small-int %; zero divisor -> deopt.";
    AND_INT: 2 -> 1, PURE, "Small-int &.";
    OR_INT: 2 -> 1, PURE, "Small-int |.";
    XOR_INT: 2 -> 1, PURE, "Small-int ^.";
    LSHIFT_INT: 2 -> 1, PURE | DEOPT, "Small-int <<; a negative count or a result beyond the small range -> generic operator.";
    RSHIFT_INT: 2 -> 1, PURE | DEOPT, "Small-int >>; a negative count -> generic operator.";
    ADD_FLOAT: 2 -> 1, PURE, "Float +.";
    SUB_FLOAT: 2 -> 1, PURE, "Float -.";
    MUL_FLOAT: 2 -> 1, PURE, "Float *.";
    TRUEDIV_FLOAT: 2 -> 1, PURE | DEOPT, "Float /; zero divisor -> deopt.";
    ADD_STR: 2 -> 1, RUNTIME, "Concatenate two str objects.";
    COMPARE_INT: 2 -> 1, PURE, "Compare two small ints (arg: the comparison).";
    COMPARE_FLOAT: 2 -> 1, PURE, "Compare two floats (arg: the comparison).";
    COMPARE_STR: 2 -> 1, RUNTIME, "Compare two str objects (arg: the comparison).";
    POP_JUMP_IF: 1 -> 0, PURE | BRANCH, "Pop a bool; branch as the fused POP_JUMP_IF_TRUE/FALSE that follows.";
    GUARD_TYPE_VERSION: 1 -> 1, GUARD | RUNTIME, "type(TOS) has the cached type version.";
    GUARD_CLASS_VERSION: 1 -> 1, GUARD | RUNTIME, "TOS is a class (metatype type) with the cached version.";
    GUARD_MODULE_KEYS: 1 -> 1, GUARD | RUNTIME, "TOS is a module whose dict has the cached keys version.";
    GUARD_NOT_IN_INSTANCE_DICT: 1 -> 1, GUARD | RUNTIME, "The instance dict (if any) does not shadow the name.";
    LOAD_INSTANCE_HINT: 1 -> 1, GUARD | RUNTIME, "Instance dict entry at the cached index, if its key is the name.";
    LOAD_SLOT: 1 -> 1, GUARD | RUNTIME, "__slots__ value at the cached index, if set.";
    LOAD_MODULE_ENTRY: 1 -> 1, RUNTIME, "Module dict value at the cached index.";
    LOAD_CACHED_VALUE: 1 -> 1, PURE, "Replace TOS by the cached object.";
    PUSH_CACHED_METHOD: 1 -> 2, PURE, "Replace obj by (cached function, obj).";
    PUSH_NULL_UNDER: 1 -> 2, PURE, "Replace TOS by (TOS, NULL): a call with no self.";
    STORE_INSTANCE_HINT: 2 -> 0, RUNTIME | ESCAPES, "Replace the instance dict value at the cached index if its key is the name, else store by key.";
    STORE_SLOT: 2 -> 0, RUNTIME | ESCAPES, "Store a __slots__ value at the cached index.";
    GUARD_GLOBALS_KEYS: 0 -> 0, GUARD | RUNTIME, "The globals dict has the cached keys version.";
    GUARD_BUILTINS_KEYS: 0 -> 0, GUARD | RUNTIME, "The builtins dict has the cached keys version.";
    LOAD_GLOBALS_ENTRY: 0 -> 1, RUNTIME, "Globals dict value at the cached index.";
    LOAD_BUILTINS_ENTRY: 0 -> 1, RUNTIME, "Builtins dict value at the cached index.";
    ENTER_TRACE: 0 -> 0, RUNTIME | BRANCH | ESCAPES, "Run the loop's compiled trace on this frame; continue at its exit.";
    UNPACK_BOUND_METHOD: 0 -> 0, GUARD | RUNTIME, "The callable is a bound method with an empty self slot: put (function, self) in its place.";
    GUARD_FUNCTION_EXACT_ARGS: 0 -> 0, GUARD | RUNTIME, "The callable is a plain Python function taking arg positionals (missing trailing ones from its defaults).";
    PUSH_FRAME: 0 -> 0, RUNTIME | BRANCH | ESCAPES, "Move the call's items into a new frame and enter it.";
    ALLOC_INSTANCE: 0 -> 0, RUNTIME, "Allocate an instance of the class in the callable slot; it takes the class's place and fills the self slot.";
    PUSH_INIT_FRAME: 0 -> 0, RUNTIME | BRANCH | ESCAPES, "Enter __init__ with the instance and the arguments; its return leaves the instance on the stack.";
    GUARD_BUILTIN_FUNCTION: 0 -> 0, GUARD | RUNTIME, "The callable is a native function; a bound one's self moves into the empty self slot.";
    CALL_NATIVE: 0 -> 0, RUNTIME | ESCAPES, "Call the native function with the arguments on the stack.";
    GUARD_LEN: 0 -> 0, GUARD | RUNTIME, "The callable is builtins.len.";
    CALL_LEN: 0 -> 0, RUNTIME | ESCAPES, "len() of the one argument.";
    GUARD_LIST_APPEND: 0 -> 0, GUARD | RUNTIME, "The call is list.append on a list.";
    CALL_LIST_APPEND: 0 -> 0, RUNTIME, "Append the argument to the list.";
    ITER_NEXT_RANGE: 1 -> 2, GUARD | RUNTIME | BRANCH, "Next int of a range iterator, or pop it and jump.";
    ITER_NEXT_LIST: 1 -> 2, GUARD | RUNTIME | BRANCH, "Next item of a list iterator, or pop it and jump.";
    ITER_NEXT_TUPLE: 1 -> 2, GUARD | RUNTIME | BRANCH, "Next item of a tuple iterator, or pop it and jump.";
    GUARD_LIST_INT: 2 -> 2, GUARD, "TOS1 is a list and TOS a small int.";
    GUARD_TUPLE_INT: 2 -> 2, GUARD, "TOS1 is a tuple and TOS a small int.";
    GUARD_DICT: 2 -> 2, GUARD, "TOS1 is an exact dict.";
    LIST_GET: 2 -> 1, GUARD | RUNTIME, "list[i]; out of range -> deopt.";
    TUPLE_GET: 2 -> 1, GUARD | RUNTIME, "tuple[i]; out of range -> deopt.";
    DICT_GET: 2 -> 1, RUNTIME | ESCAPES | DEOPT, "dict[k]; missing key or non-builtin key equality -> deopt.";
    LIST_SET: 3 -> 0, GUARD | RUNTIME | ESCAPES, "list[i] = v; out of range -> deopt.";
    GUARD_DICT_STORE: 3 -> 3, GUARD, "TOS1 is an exact dict.";
    DICT_SET: 3 -> 0, RUNTIME | ESCAPES | DEOPT, "dict[k] = v; non-builtin key equality -> deopt.";
    GUARD_TUPLE_LEN: 1 -> 1, GUARD, "TOS is a tuple of exactly arg items.";
    GUARD_LIST_LEN: 1 -> 1, GUARD, "TOS is a list of exactly arg items.";
    UNPACK_ITEMS: 1 -> 0, RUNTIME, "Push the arg items of TOS, first item on top (the stack grows by arg).";
}

instructions! {
    generic {
        NOP = 0, "Do nothing.";
        POP_TOP = 1, "Discard the top of stack.";
        PUSH_NULL = 2, "Push NULL (the 'no self' marker of a call).";
        LOAD_CONST = 3, "Push consts[arg].";
        COPY = 4, "Push a copy of the arg-th item (1 = top).";
        SWAP = 5, "Swap the top with the arg-th item.";
        LOAD_FAST = 6, "Push local arg (UnboundLocalError if unset).";
        STORE_FAST = 7, "Pop into local arg.";
        DELETE_FAST = 8, "Unbind local arg.";
        LOAD_DEREF = 9, "Push the contents of cell/free slot arg.";
        STORE_DEREF = 10, "Pop into cell/free slot arg.";
        DELETE_DEREF = 11, "Empty cell/free slot arg.";
        LOAD_CLOSURE = 12, "Push the cell object in slot arg.";
        LOAD_NAME = 13, "Push names[arg] from locals, globals, then builtins.";
        STORE_NAME = 14, "Pop into names[arg] in the local namespace.";
        DELETE_NAME = 15, "Delete names[arg] from the local namespace.";
        LOAD_GLOBAL = 16, "Push names[arg] from globals, then builtins.";
        STORE_GLOBAL = 17, "Pop into global names[arg].";
        DELETE_GLOBAL = 18, "Delete global names[arg].";
        LOAD_ATTR = 19, "Replace the top with its attribute names[arg].";
        STORE_ATTR = 20, "TOS.names[arg] = TOS1.";
        DELETE_ATTR = 21, "del TOS.names[arg].";
        LOAD_METHOD = 22, "Replace obj with (method, obj) or (attr, NULL).";
        BINARY_SUBSCR = 23, "TOS1[TOS].";
        STORE_SUBSCR = 24, "TOS1[TOS] = TOS2.";
        DELETE_SUBSCR = 25, "del TOS1[TOS].";
        BUILD_SLICE = 26, "Build a slice from 2 or 3 items.";
        BINARY_OP = 27, "Binary operator arg (see BinOp) on TOS1, TOS.";
        UNARY_NEGATIVE = 28, "-TOS.";
        UNARY_POSITIVE = 29, "+TOS.";
        UNARY_INVERT = 30, "~TOS.";
        UNARY_NOT = 31, "not TOS.";
        COMPARE_OP = 32, "Rich comparison arg (< <= == != > >=).";
        IS_OP = 33, "TOS1 is TOS (arg 1: is not).";
        CONTAINS_OP = 34, "TOS1 in TOS (arg 1: not in).";
        JUMP = 35, "Jump forward to instruction arg.";
        JUMP_BACKWARD = 36, "Jump back to instruction arg (a loop back edge).";
        POP_JUMP_IF_FALSE = 37, "Pop; jump to arg if false.";
        POP_JUMP_IF_TRUE = 38, "Pop; jump to arg if true.";
        JUMP_IF_FALSE_OR_POP = 39, "Jump to arg keeping TOS if false, else pop.";
        JUMP_IF_TRUE_OR_POP = 40, "Jump to arg keeping TOS if true, else pop.";
        POP_JUMP_IF_NONE = 41, "Pop; jump to arg if None.";
        POP_JUMP_IF_NOT_NONE = 42, "Pop; jump to arg if not None.";
        GET_ITER = 43, "iter(TOS).";
        FOR_ITER = 44, "Push next(TOS), or pop the iterator and jump to arg.";
        BUILD_TUPLE = 45, "Tuple of the top arg items.";
        BUILD_LIST = 46, "List of the top arg items.";
        BUILD_SET = 47, "Set of the top arg items.";
        BUILD_MAP = 48, "Dict of the top 2*arg items.";
        LIST_APPEND = 49, "Append TOS to the list arg items down.";
        SET_ADD = 50, "Add TOS to the set arg items down.";
        MAP_ADD = 51, "dict[TOS1] = TOS in the dict arg items down.";
        LIST_EXTEND = 52, "Extend the list arg items down with TOS.";
        SET_UPDATE = 53, "Update the set arg items down with TOS.";
        DICT_UPDATE = 54, "Update the dict arg items down with TOS.";
        DICT_MERGE = 55, "Like DICT_UPDATE, rejecting duplicate keyword arguments.";
        LIST_TO_TUPLE = 56, "tuple(TOS) for a list.";
        BUILD_STRING = 57, "Concatenate the top arg strings.";
        FORMAT_VALUE = 58, "Format TOS (arg: conversion | 4 if a spec is on top).";
        UNPACK_SEQUENCE = 59, "Unpack TOS into arg items (first item on top).";
        UNPACK_EX = 60, "Starred unpack: arg & 0xff before, arg >> 8 after.";
        MAKE_FUNCTION = 61, "Function from code on top (flags: 1 defaults, 2 kwdefaults, 4 annotations, 8 closure).";
        CALL = 62, "Call with arg positional arguments.";
        CALL_KW = 63, "Call with arg arguments; a tuple of keyword names on top.";
        CALL_FUNCTION_EX = 64, "Call with an args tuple (and a kwargs dict if arg & 1).";
        RETURN_VALUE = 65, "Return TOS to the caller.";
        LOAD_BUILD_CLASS = 66, "Push builtins.__build_class__.";
        RAISE_VARARGS = 67, "raise (0), raise TOS (1), raise TOS1 from TOS (2).";
        RERAISE = 68, "Re-raise TOS.";
        PUSH_EXC_INFO = 69, "Push the handled exception under TOS; TOS becomes handled.";
        POP_EXCEPT = 70, "Pop the saved exception and make it the handled one again.";
        CHECK_EXC_MATCH = 71, "Push whether TOS1 matches the exception type(s) TOS.";
        BEFORE_WITH = 72, "Replace a context manager with (bound __exit__, __enter__()).";
        WITH_EXCEPT_START = 73, "Call __exit__ (4 items down) with the exception on top.";
        LOAD_ASSERTION_ERROR = 74, "Push AssertionError.";
        YIELD_VALUE = 75, "Yield TOS; the sent value is pushed on resume.";
        GET_YIELD_FROM_ITER = 76, "iter(TOS) unless it is a generator or coroutine.";
        SEND = 77, "Send TOS into TOS1; on return, replace both with the value and jump.";
        IMPORT_NAME = 78, "Import module names[arg] (TOS: fromlist, TOS1: level).";
        IMPORT_FROM = 79, "Push attribute names[arg] of the module on top.";
        IMPORT_STAR = 80, "from module import *.";
        GET_AWAITABLE = 81, "Get the iterator of an awaitable.";
        DELETE_LOCAL_EXC = 82, "Reserved.";
        RETURN_GENERATOR = 83, "Reserved: generator creation happens at call time.";
        SETUP_ANNOTATIONS = 84, "Create __annotations__ in the local namespace.";
        BEFORE_ASYNC_WITH = 85, "Replace an async context manager with (bound __aexit__, __aenter__()).";
        GET_AITER = 86, "Replace TOS with TOS.__aiter__().";
        GET_ANEXT = 87, "Push TOS.__anext__() (TOS stays: the async iterator).";
        END_ASYNC_FOR = 88, "Handler of async for: StopAsyncIteration on TOS ends the loop (pops it and the iterator); anything else is re-raised.";
    }
    specialized {
        BINARY_OP_ADD_INT = 128, BINARY_OP, [GUARD_BOTH_INT, ADD_INT], "Specialized BINARY_OP: small int +.";
        BINARY_OP_SUB_INT = 129, BINARY_OP, [GUARD_BOTH_INT, SUB_INT], "Specialized BINARY_OP: small int -.";
        BINARY_OP_MUL_INT = 130, BINARY_OP, [GUARD_BOTH_INT, MUL_INT], "Specialized BINARY_OP: small int *.";
        BINARY_OP_FLOORDIV_INT = 131, BINARY_OP, [GUARD_BOTH_INT, FLOORDIV_INT], "Specialized BINARY_OP: small int //.";
        BINARY_OP_MOD_INT = 132, BINARY_OP, [GUARD_BOTH_INT, MOD_INT], "Specialized BINARY_OP: small int %.";
        BINARY_OP_ADD_FLOAT = 133, BINARY_OP, [GUARD_FLOAT_OPERANDS, ADD_FLOAT], "Specialized BINARY_OP: float + (one operand may be a small int).";
        BINARY_OP_SUB_FLOAT = 134, BINARY_OP, [GUARD_FLOAT_OPERANDS, SUB_FLOAT], "Specialized BINARY_OP: float - (one operand may be a small int).";
        BINARY_OP_MUL_FLOAT = 135, BINARY_OP, [GUARD_FLOAT_OPERANDS, MUL_FLOAT], "Specialized BINARY_OP: float * (one operand may be a small int).";
        BINARY_OP_TRUEDIV_FLOAT = 136, BINARY_OP, [GUARD_FLOAT_OPERANDS, TRUEDIV_FLOAT], "Specialized BINARY_OP: float / (one operand may be a small int).";
        BINARY_OP_ADD_STR = 137, BINARY_OP, [GUARD_BOTH_STR, ADD_STR], "Specialized BINARY_OP: str +.";
        COMPARE_OP_INT = 138, COMPARE_OP, [GUARD_BOTH_INT, COMPARE_INT], "Specialized COMPARE_OP: small ints.";
        COMPARE_OP_FLOAT = 139, COMPARE_OP, [GUARD_BOTH_FLOAT, COMPARE_FLOAT], "Specialized COMPARE_OP: floats.";
        COMPARE_OP_STR = 140, COMPARE_OP, [GUARD_BOTH_STR, COMPARE_STR], "Specialized COMPARE_OP: str objects.";
        COMPARE_OP_INT_JUMP = 141, COMPARE_OP, [GUARD_BOTH_INT, COMPARE_INT, POP_JUMP_IF], "COMPARE_OP on small ints fused with the POP_JUMP_IF_* after it.";
        COMPARE_OP_FLOAT_JUMP = 142, COMPARE_OP, [GUARD_BOTH_FLOAT, COMPARE_FLOAT, POP_JUMP_IF], "COMPARE_OP on floats fused with the POP_JUMP_IF_* after it.";
        COMPARE_OP_STR_JUMP = 143, COMPARE_OP, [GUARD_BOTH_STR, COMPARE_STR, POP_JUMP_IF], "COMPARE_OP on str fused with the POP_JUMP_IF_* after it.";
        LOAD_ATTR_INSTANCE = 144, LOAD_ATTR, [GUARD_TYPE_VERSION, LOAD_INSTANCE_HINT], "Specialized LOAD_ATTR: instance dict entry at a known index.";
        LOAD_ATTR_SLOT = 145, LOAD_ATTR, [GUARD_TYPE_VERSION, LOAD_SLOT], "Specialized LOAD_ATTR: a __slots__ value.";
        LOAD_ATTR_MODULE = 146, LOAD_ATTR, [GUARD_MODULE_KEYS, LOAD_MODULE_ENTRY], "Specialized LOAD_ATTR: module attribute.";
        LOAD_ATTR_CLASS = 147, LOAD_ATTR, [GUARD_CLASS_VERSION, LOAD_CACHED_VALUE], "Specialized LOAD_ATTR: attribute of a class.";
        LOAD_ATTR_NONDESCRIPTOR = 148, LOAD_ATTR, [GUARD_TYPE_VERSION, GUARD_NOT_IN_INSTANCE_DICT, LOAD_CACHED_VALUE], "Specialized LOAD_ATTR: plain class attribute read through an instance.";
        STORE_ATTR_INSTANCE = 149, STORE_ATTR, [GUARD_TYPE_VERSION, STORE_INSTANCE_HINT], "Specialized STORE_ATTR: instance dict entry, expected at a known index.";
        STORE_ATTR_SLOT = 150, STORE_ATTR, [GUARD_TYPE_VERSION, STORE_SLOT], "Specialized STORE_ATTR: a __slots__ value.";
        LOAD_METHOD_INSTANCE = 151, LOAD_METHOD, [GUARD_TYPE_VERSION, GUARD_NOT_IN_INSTANCE_DICT, PUSH_CACHED_METHOD], "Specialized LOAD_METHOD: a Python function of the class, not shadowed by the instance.";
        LOAD_METHOD_NO_DICT = 152, LOAD_METHOD, [GUARD_TYPE_VERSION, PUSH_CACHED_METHOD], "Specialized LOAD_METHOD: a method of a type whose instances have no dict.";
        LOAD_METHOD_MODULE = 153, LOAD_METHOD, [GUARD_MODULE_KEYS, LOAD_MODULE_ENTRY, PUSH_NULL_UNDER], "Specialized LOAD_METHOD: module attribute called as a function.";
        LOAD_GLOBAL_MODULE = 154, LOAD_GLOBAL, [GUARD_GLOBALS_KEYS, LOAD_GLOBALS_ENTRY], "Specialized LOAD_GLOBAL: module global.";
        LOAD_GLOBAL_BUILTIN = 155, LOAD_GLOBAL, [GUARD_GLOBALS_KEYS, GUARD_BUILTINS_KEYS, LOAD_BUILTINS_ENTRY], "Specialized LOAD_GLOBAL: builtin.";
        CALL_PY_EXACT_ARGS = 156, CALL, [GUARD_FUNCTION_EXACT_ARGS, PUSH_FRAME], "Specialized CALL: Python function, positional arguments filling its parameters (with defaults).";
        CALL_BUILTIN = 157, CALL, [GUARD_BUILTIN_FUNCTION, CALL_NATIVE], "Specialized CALL: native function, or native method (bound or with self on the stack).";
        CALL_LEN = 158, CALL, [GUARD_LEN, CALL_LEN], "Specialized CALL: len(x).";
        CALL_LIST_APPEND = 159, CALL, [GUARD_LIST_APPEND, CALL_LIST_APPEND], "Specialized CALL: list.append(x) loaded as a method.";
        FOR_ITER_RANGE = 160, FOR_ITER, [ITER_NEXT_RANGE], "Specialized FOR_ITER: range iterator.";
        FOR_ITER_LIST = 161, FOR_ITER, [ITER_NEXT_LIST], "Specialized FOR_ITER: list iterator.";
        FOR_ITER_TUPLE = 162, FOR_ITER, [ITER_NEXT_TUPLE], "Specialized FOR_ITER: tuple iterator.";
        BINARY_SUBSCR_LIST_INT = 163, BINARY_SUBSCR, [GUARD_LIST_INT, LIST_GET], "Specialized BINARY_SUBSCR: list[int].";
        BINARY_SUBSCR_TUPLE_INT = 164, BINARY_SUBSCR, [GUARD_TUPLE_INT, TUPLE_GET], "Specialized BINARY_SUBSCR: tuple[int].";
        BINARY_SUBSCR_DICT = 165, BINARY_SUBSCR, [GUARD_DICT, DICT_GET], "Specialized BINARY_SUBSCR: dict[key].";
        STORE_SUBSCR_LIST_INT = 166, STORE_SUBSCR, [GUARD_LIST_INT, LIST_SET], "Specialized STORE_SUBSCR: list[int] = v.";
        STORE_SUBSCR_DICT = 167, STORE_SUBSCR, [GUARD_DICT_STORE, DICT_SET], "Specialized STORE_SUBSCR: dict[key] = v.";
        UNPACK_SEQUENCE_TUPLE = 168, UNPACK_SEQUENCE, [GUARD_TUPLE_LEN, UNPACK_ITEMS], "Specialized UNPACK_SEQUENCE: tuple of the right length.";
        UNPACK_SEQUENCE_LIST = 169, UNPACK_SEQUENCE, [GUARD_LIST_LEN, UNPACK_ITEMS], "Specialized UNPACK_SEQUENCE: list of the right length.";
        CALL_ALLOC_AND_ENTER_INIT = 171, CALL, [GUARD_CLASS_VERSION, ALLOC_INSTANCE, PUSH_INIT_FRAME], "Specialized CALL: instantiate a Python class whose __init__ takes exact positional arguments, running __init__ in this loop.";
        JUMP_BACKWARD_JIT = 172, JUMP_BACKWARD, [ENTER_TRACE], "A loop back edge whose loop has a compiled tier-2 trace: run it, then resume tier 1 where it exits.";
        BINARY_OP_AND_INT = 173, BINARY_OP, [GUARD_BOTH_INT, AND_INT], "Specialized BINARY_OP: small int &.";
        BINARY_OP_OR_INT = 174, BINARY_OP, [GUARD_BOTH_INT, OR_INT], "Specialized BINARY_OP: small int |.";
        BINARY_OP_XOR_INT = 175, BINARY_OP, [GUARD_BOTH_INT, XOR_INT], "Specialized BINARY_OP: small int ^.";
        BINARY_OP_LSHIFT_INT = 176, BINARY_OP, [GUARD_BOTH_INT, LSHIFT_INT], "Specialized BINARY_OP: small int <<.";
        BINARY_OP_RSHIFT_INT = 177, BINARY_OP, [GUARD_BOTH_INT, RSHIFT_INT], "Specialized BINARY_OP: small int >>.";
        CALL_BOUND_METHOD_EXACT_ARGS = 170, CALL, [UNPACK_BOUND_METHOD, GUARD_FUNCTION_EXACT_ARGS, PUSH_FRAME], "Specialized CALL: bound method of a Python function, exact positional arguments.";
    }
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
        MAKE_FUNCTION => {
            -((arg & 1 != 0) as i32
                + (arg & 2 != 0) as i32
                + (arg & 4 != 0) as i32
                + (arg & 8 != 0) as i32)
        }
        CALL => -1 - a,
        CALL_KW => -2 - a,
        CALL_FUNCTION_EX => -2 - (arg & 1) as i32,
        RAISE_VARARGS => -a,
        IMPORT_NAME => -1,
        _ => return stack_effect(op.family(), arg),
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

#[cfg(test)]
mod tests {
    use super::*;

    /// Net stack effect of a uop sequence.
    fn uops_effect(uops: &[Uop]) -> i32 {
        uops.iter()
            .map(|u| {
                let (i, o) = u.stack();
                o as i32 - i as i32
            })
            .sum()
    }

    #[test]
    fn every_opcode_round_trips_and_families_are_generic() {
        for &op in Op::ALL {
            assert_eq!(Op::from_u8(op as u8), Some(op), "{}", op.name());
            assert!(!op.family().is_specialized(), "{}", op.name());
            assert_eq!(op.is_specialized(), !op.uops().is_empty(), "{}", op.name());
        }
    }

    /// A specialized instruction's uops must have its family's stack effect (the JIT
    /// records uops in place of the instruction). Fused compare-and-branch forms also
    /// consume the POP_JUMP_IF after them. CALL and UNPACK_SEQUENCE have effects that
    /// depend on the argument; their uops are declared 0 -> 0 (or 1 -> 0 for the
    /// unpacked sequence) and the argument-dependent part is checked here.
    #[test]
    fn uop_expansions_have_their_family_stack_effect() {
        for &op in Op::ALL.iter().filter(|o| o.is_specialized()) {
            let family = op.family();
            let got = uops_effect(op.uops());
            for arg in [0u32, 1, 3] {
                let (want, _) = stack_effect(family, arg);
                let want = match family {
                    Op::CALL => want + 1 + arg as i32,
                    Op::UNPACK_SEQUENCE => want - arg as i32,
                    Op::COMPARE_OP if op.uops().contains(&Uop::POP_JUMP_IF) => want - 1,
                    _ => want,
                };
                assert_eq!(got, want, "{} (arg {arg})", op.name());
            }
        }
    }
}
