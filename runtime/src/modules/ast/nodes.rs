//! The node classes of Python 3.11's abstract grammar, as one table: every class of
//! `_ast` is made from its line here (`mod.rs`), so names, field order, field kinds
//! and which classes carry source positions are stated once.
//!
//! An abstract class (`expr`, `stmt`, ...) comes before its concrete subclasses; a
//! class's line names its base (`"AST"` for the roots).

/// How many values a field holds: exactly one, one or None (`?`), or a list (`*`).
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Arity {
    One,
    Opt,
    Seq,
}

use Arity::{One, Opt, Seq};

/// One node class: its name, its base class, whether its instances carry the location
/// attributes (`lineno`, `col_offset`, `end_lineno`, `end_col_offset`), and its
/// fields as (name, type in the grammar, arity).
pub struct NodeDef {
    pub name: &'static str,
    pub base: &'static str,
    pub located: bool,
    pub fields: &'static [(&'static str, &'static str, Arity)],
}

const fn node(
    name: &'static str,
    base: &'static str,
    located: bool,
    fields: &'static [(&'static str, &'static str, Arity)],
) -> NodeDef {
    NodeDef {
        name,
        base,
        located,
        fields,
    }
}

/// Every node class of Python 3.11, bases first.
#[rustfmt::skip]
pub const NODES: &[NodeDef] = &[
    node("mod", "AST", false, &[]),
    node("Module", "mod", false, &[("body", "stmt", Seq), ("type_ignores", "type_ignore", Seq)]),
    node("Interactive", "mod", false, &[("body", "stmt", Seq)]),
    node("Expression", "mod", false, &[("body", "expr", One)]),
    node("FunctionType", "mod", false, &[("argtypes", "expr", Seq), ("returns", "expr", One)]),
    node("stmt", "AST", true, &[]),
    node("FunctionDef", "stmt", true, &[("name", "identifier", One), ("args", "arguments", One), ("body", "stmt", Seq), ("decorator_list", "expr", Seq), ("returns", "expr", Opt), ("type_comment", "string", Opt)]),
    node("AsyncFunctionDef", "stmt", true, &[("name", "identifier", One), ("args", "arguments", One), ("body", "stmt", Seq), ("decorator_list", "expr", Seq), ("returns", "expr", Opt), ("type_comment", "string", Opt)]),
    node("ClassDef", "stmt", true, &[("name", "identifier", One), ("bases", "expr", Seq), ("keywords", "keyword", Seq), ("body", "stmt", Seq), ("decorator_list", "expr", Seq)]),
    node("Return", "stmt", true, &[("value", "expr", Opt)]),
    node("Delete", "stmt", true, &[("targets", "expr", Seq)]),
    node("Assign", "stmt", true, &[("targets", "expr", Seq), ("value", "expr", One), ("type_comment", "string", Opt)]),
    node("AugAssign", "stmt", true, &[("target", "expr", One), ("op", "operator", One), ("value", "expr", One)]),
    node("AnnAssign", "stmt", true, &[("target", "expr", One), ("annotation", "expr", One), ("value", "expr", Opt), ("simple", "int", One)]),
    node("For", "stmt", true, &[("target", "expr", One), ("iter", "expr", One), ("body", "stmt", Seq), ("orelse", "stmt", Seq), ("type_comment", "string", Opt)]),
    node("AsyncFor", "stmt", true, &[("target", "expr", One), ("iter", "expr", One), ("body", "stmt", Seq), ("orelse", "stmt", Seq), ("type_comment", "string", Opt)]),
    node("While", "stmt", true, &[("test", "expr", One), ("body", "stmt", Seq), ("orelse", "stmt", Seq)]),
    node("If", "stmt", true, &[("test", "expr", One), ("body", "stmt", Seq), ("orelse", "stmt", Seq)]),
    node("With", "stmt", true, &[("items", "withitem", Seq), ("body", "stmt", Seq), ("type_comment", "string", Opt)]),
    node("AsyncWith", "stmt", true, &[("items", "withitem", Seq), ("body", "stmt", Seq), ("type_comment", "string", Opt)]),
    node("Match", "stmt", true, &[("subject", "expr", One), ("cases", "match_case", Seq)]),
    node("Raise", "stmt", true, &[("exc", "expr", Opt), ("cause", "expr", Opt)]),
    node("Try", "stmt", true, &[("body", "stmt", Seq), ("handlers", "excepthandler", Seq), ("orelse", "stmt", Seq), ("finalbody", "stmt", Seq)]),
    node("TryStar", "stmt", true, &[("body", "stmt", Seq), ("handlers", "excepthandler", Seq), ("orelse", "stmt", Seq), ("finalbody", "stmt", Seq)]),
    node("Assert", "stmt", true, &[("test", "expr", One), ("msg", "expr", Opt)]),
    node("Import", "stmt", true, &[("names", "alias", Seq)]),
    node("ImportFrom", "stmt", true, &[("module", "identifier", Opt), ("names", "alias", Seq), ("level", "int", Opt)]),
    node("Global", "stmt", true, &[("names", "identifier", Seq)]),
    node("Nonlocal", "stmt", true, &[("names", "identifier", Seq)]),
    node("Expr", "stmt", true, &[("value", "expr", One)]),
    node("Pass", "stmt", true, &[]),
    node("Break", "stmt", true, &[]),
    node("Continue", "stmt", true, &[]),
    node("expr", "AST", true, &[]),
    node("BoolOp", "expr", true, &[("op", "boolop", One), ("values", "expr", Seq)]),
    node("NamedExpr", "expr", true, &[("target", "expr", One), ("value", "expr", One)]),
    node("BinOp", "expr", true, &[("left", "expr", One), ("op", "operator", One), ("right", "expr", One)]),
    node("UnaryOp", "expr", true, &[("op", "unaryop", One), ("operand", "expr", One)]),
    node("Lambda", "expr", true, &[("args", "arguments", One), ("body", "expr", One)]),
    node("IfExp", "expr", true, &[("test", "expr", One), ("body", "expr", One), ("orelse", "expr", One)]),
    node("Dict", "expr", true, &[("keys", "expr", Seq), ("values", "expr", Seq)]),
    node("Set", "expr", true, &[("elts", "expr", Seq)]),
    node("ListComp", "expr", true, &[("elt", "expr", One), ("generators", "comprehension", Seq)]),
    node("SetComp", "expr", true, &[("elt", "expr", One), ("generators", "comprehension", Seq)]),
    node("DictComp", "expr", true, &[("key", "expr", One), ("value", "expr", One), ("generators", "comprehension", Seq)]),
    node("GeneratorExp", "expr", true, &[("elt", "expr", One), ("generators", "comprehension", Seq)]),
    node("Await", "expr", true, &[("value", "expr", One)]),
    node("Yield", "expr", true, &[("value", "expr", Opt)]),
    node("YieldFrom", "expr", true, &[("value", "expr", One)]),
    node("Compare", "expr", true, &[("left", "expr", One), ("ops", "cmpop", Seq), ("comparators", "expr", Seq)]),
    node("Call", "expr", true, &[("func", "expr", One), ("args", "expr", Seq), ("keywords", "keyword", Seq)]),
    node("FormattedValue", "expr", true, &[("value", "expr", One), ("conversion", "int", One), ("format_spec", "expr", Opt)]),
    node("JoinedStr", "expr", true, &[("values", "expr", Seq)]),
    node("Constant", "expr", true, &[("value", "constant", One), ("kind", "string", Opt)]),
    node("Attribute", "expr", true, &[("value", "expr", One), ("attr", "identifier", One), ("ctx", "expr_context", One)]),
    node("Subscript", "expr", true, &[("value", "expr", One), ("slice", "expr", One), ("ctx", "expr_context", One)]),
    node("Starred", "expr", true, &[("value", "expr", One), ("ctx", "expr_context", One)]),
    node("Name", "expr", true, &[("id", "identifier", One), ("ctx", "expr_context", One)]),
    node("List", "expr", true, &[("elts", "expr", Seq), ("ctx", "expr_context", One)]),
    node("Tuple", "expr", true, &[("elts", "expr", Seq), ("ctx", "expr_context", One)]),
    node("Slice", "expr", true, &[("lower", "expr", Opt), ("upper", "expr", Opt), ("step", "expr", Opt)]),
    node("expr_context", "AST", false, &[]),
    node("Load", "expr_context", false, &[]),
    node("Store", "expr_context", false, &[]),
    node("Del", "expr_context", false, &[]),
    node("boolop", "AST", false, &[]),
    node("And", "boolop", false, &[]),
    node("Or", "boolop", false, &[]),
    node("operator", "AST", false, &[]),
    node("Add", "operator", false, &[]),
    node("Sub", "operator", false, &[]),
    node("Mult", "operator", false, &[]),
    node("MatMult", "operator", false, &[]),
    node("Div", "operator", false, &[]),
    node("Mod", "operator", false, &[]),
    node("Pow", "operator", false, &[]),
    node("LShift", "operator", false, &[]),
    node("RShift", "operator", false, &[]),
    node("BitOr", "operator", false, &[]),
    node("BitXor", "operator", false, &[]),
    node("BitAnd", "operator", false, &[]),
    node("FloorDiv", "operator", false, &[]),
    node("unaryop", "AST", false, &[]),
    node("Invert", "unaryop", false, &[]),
    node("Not", "unaryop", false, &[]),
    node("UAdd", "unaryop", false, &[]),
    node("USub", "unaryop", false, &[]),
    node("cmpop", "AST", false, &[]),
    node("Eq", "cmpop", false, &[]),
    node("NotEq", "cmpop", false, &[]),
    node("Lt", "cmpop", false, &[]),
    node("LtE", "cmpop", false, &[]),
    node("Gt", "cmpop", false, &[]),
    node("GtE", "cmpop", false, &[]),
    node("Is", "cmpop", false, &[]),
    node("IsNot", "cmpop", false, &[]),
    node("In", "cmpop", false, &[]),
    node("NotIn", "cmpop", false, &[]),
    node("comprehension", "AST", false, &[("target", "expr", One), ("iter", "expr", One), ("ifs", "expr", Seq), ("is_async", "int", One)]),
    node("excepthandler", "AST", true, &[]),
    node("ExceptHandler", "excepthandler", true, &[("type", "expr", Opt), ("name", "identifier", Opt), ("body", "stmt", Seq)]),
    node("arguments", "AST", false, &[("posonlyargs", "arg", Seq), ("args", "arg", Seq), ("vararg", "arg", Opt), ("kwonlyargs", "arg", Seq), ("kw_defaults", "expr", Seq), ("kwarg", "arg", Opt), ("defaults", "expr", Seq)]),
    node("arg", "AST", true, &[("arg", "identifier", One), ("annotation", "expr", Opt), ("type_comment", "string", Opt)]),
    node("keyword", "AST", true, &[("arg", "identifier", Opt), ("value", "expr", One)]),
    node("alias", "AST", true, &[("name", "identifier", One), ("asname", "identifier", Opt)]),
    node("withitem", "AST", false, &[("context_expr", "expr", One), ("optional_vars", "expr", Opt)]),
    node("match_case", "AST", false, &[("pattern", "pattern", One), ("guard", "expr", Opt), ("body", "stmt", Seq)]),
    node("pattern", "AST", true, &[]),
    node("MatchValue", "pattern", true, &[("value", "expr", One)]),
    node("MatchSingleton", "pattern", true, &[("value", "constant", One)]),
    node("MatchSequence", "pattern", true, &[("patterns", "pattern", Seq)]),
    node("MatchMapping", "pattern", true, &[("keys", "expr", Seq), ("patterns", "pattern", Seq), ("rest", "identifier", Opt)]),
    node("MatchClass", "pattern", true, &[("cls", "expr", One), ("patterns", "pattern", Seq), ("kwd_attrs", "identifier", Seq), ("kwd_patterns", "pattern", Seq)]),
    node("MatchStar", "pattern", true, &[("name", "identifier", Opt)]),
    node("MatchAs", "pattern", true, &[("pattern", "pattern", Opt), ("name", "identifier", Opt)]),
    node("MatchOr", "pattern", true, &[("patterns", "pattern", Seq)]),
    node("type_ignore", "AST", false, &[]),
    node("TypeIgnore", "type_ignore", false, &[("lineno", "int", One), ("tag", "string", One)]),
];

/// The location attributes of located nodes, in CPython's order.
pub const LOCATION: [&str; 4] = ["lineno", "col_offset", "end_lineno", "end_col_offset"];
