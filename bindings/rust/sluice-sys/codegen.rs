// codegen.rs: reads sluice.h / sluice_mock.h and writes the Rust declarations
// that src/lib.rs commits between its @generated markers.
//
// Shared by build.rs (which warns when the committed declarations are stale)
// and tests/header_check.rs (which fails, or rewrites them with
// SLUICE_SYS_BLESS=1). It understands exactly the C the headers use: opaque
// struct typedefs, integer typedefs, one function-pointer typedef, plain
// structs, `#define NAME ((type)N)` constants and `SLUICE_API` prototypes.
// Anything else is an error, so a new construct in a header cannot be skipped
// silently.
#![allow(dead_code)]

use std::fmt::Write as _;

/// One parsed C type: `[const] base [const] (* [const])*`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CType {
    pub base: String,
    pub base_const: bool,
    /// One entry per `*`: whether that pointer itself is const (irrelevant to
    /// the ABI, kept for completeness).
    pub pointers: Vec<bool>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Param {
    pub name: String,
    pub ty: CType,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Field {
    pub name: String,
    pub ty: CType,
    pub doc: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Item {
    Const { name: String, ty: Option<String>, value: i64, doc: Option<String> },
    Opaque { name: String, doc: Option<String> },
    Alias { name: String, ty: CType, doc: Option<String> },
    FnPtr { name: String, ret: CType, params: Vec<Param>, doc: Option<String> },
    Struct { name: String, fields: Vec<Field>, doc: Option<String> },
    Function { name: String, ret: CType, params: Vec<Param>, doc: Option<String> },
}

impl Item {
    pub fn name(&self) -> &str {
        match self {
            Item::Const { name, .. }
            | Item::Opaque { name, .. }
            | Item::Alias { name, .. }
            | Item::FnPtr { name, .. }
            | Item::Struct { name, .. }
            | Item::Function { name, .. } => name,
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
enum Tok {
    Doc(String),
    Comment(String),
    Pp(String),
    Ident(String),
    Num(String),
    Str,
    Punct(char),
}

#[derive(Debug, Clone)]
struct Token {
    tok: Tok,
    line: usize,
}

fn tokenize(src: &str) -> Result<Vec<Token>, String> {
    let b = src.as_bytes();
    let mut i = 0;
    let mut line = 1;
    let mut at_line_start = true;
    let mut out = Vec::new();
    while i < b.len() {
        let c = b[i];
        if c == b'\n' {
            line += 1;
            at_line_start = true;
            i += 1;
            continue;
        }
        if c.is_ascii_whitespace() {
            i += 1;
            continue;
        }
        if c == b'#' && at_line_start {
            // A preprocessor line, with its backslash continuations joined.
            let start_line = line;
            let mut text = String::new();
            while i < b.len() {
                if b[i] == b'\\' && i + 1 < b.len() && b[i + 1] == b'\n' {
                    text.push(' ');
                    i += 2;
                    line += 1;
                    continue;
                }
                if b[i] == b'\n' {
                    break;
                }
                text.push(b[i] as char);
                i += 1;
            }
            out.push(Token { tok: Tok::Pp(text), line: start_line });
            continue;
        }
        at_line_start = false;
        if c == b'/' && i + 1 < b.len() && b[i + 1] == b'*' {
            let start_line = line;
            let end = src[i + 2..].find("*/").ok_or("unterminated comment")? + i + 2;
            let body = &src[i..end + 2];
            line += body.matches('\n').count();
            let doc = body.starts_with("/**") && !body.starts_with("/**/");
            let text = clean_comment(body);
            out.push(Token { tok: if doc { Tok::Doc(text) } else { Tok::Comment(text) }, line: start_line });
            i = end + 2;
            continue;
        }
        if c == b'/' && i + 1 < b.len() && b[i + 1] == b'/' {
            while i < b.len() && b[i] != b'\n' {
                i += 1;
            }
            continue;
        }
        if c == b'"' {
            i += 1;
            while i < b.len() && b[i] != b'"' {
                if b[i] == b'\\' {
                    i += 1;
                }
                i += 1;
            }
            i += 1;
            out.push(Token { tok: Tok::Str, line });
            continue;
        }
        if c.is_ascii_alphabetic() || c == b'_' {
            let s = i;
            while i < b.len() && (b[i].is_ascii_alphanumeric() || b[i] == b'_') {
                i += 1;
            }
            out.push(Token { tok: Tok::Ident(src[s..i].to_string()), line });
            continue;
        }
        if c.is_ascii_digit() {
            let s = i;
            while i < b.len() && (b[i].is_ascii_alphanumeric()) {
                i += 1;
            }
            out.push(Token { tok: Tok::Num(src[s..i].to_string()), line });
            continue;
        }
        out.push(Token { tok: Tok::Punct(c as char), line });
        i += 1;
    }
    Ok(out)
}

/// The text of a comment without its delimiters and leading `*` columns.
fn clean_comment(body: &str) -> String {
    let inner = body.trim_start_matches("/**").trim_start_matches("/*");
    let inner = inner.strip_suffix("*/").unwrap_or(inner);
    let mut lines: Vec<String> = inner
        .lines()
        .map(|l| {
            let t = l.trim();
            let t = t.strip_prefix('*').unwrap_or(t);
            t.trim().to_string()
        })
        .collect();
    while lines.first().is_some_and(|l| l.is_empty()) {
        lines.remove(0);
    }
    while lines.last().is_some_and(|l| l.is_empty()) {
        lines.pop();
    }
    lines.join("\n")
}

fn parse_int(s: &str) -> Option<i64> {
    let s = s.trim();
    let (neg, s) = match s.strip_prefix('-') {
        Some(r) => (true, r.trim()),
        None => (false, s),
    };
    let s = s.trim_end_matches(['u', 'U', 'l', 'L']);
    let v = if let Some(h) = s.strip_prefix("0x").or_else(|| s.strip_prefix("0X")) {
        i64::from_str_radix(h, 16).ok()?
    } else {
        s.parse::<i64>().ok()?
    };
    Some(if neg { -v } else { v })
}

/// `#define NAME value [/* comment */]`: a constant when value is an integer
/// literal or `((type)integer)`; None for everything else (include guards,
/// SLUICE_API, expressions).
fn parse_define(line: &str) -> Option<Item> {
    let rest = line.trim_start_matches('#').trim_start().strip_prefix("define")?;
    let rest = rest.trim_start();
    let name_end = rest.find(|c: char| !(c.is_ascii_alphanumeric() || c == '_')).unwrap_or(rest.len());
    let name = &rest[..name_end];
    if !name.starts_with("SLUICE_") {
        return None;
    }
    let mut value = rest[name_end..].trim().to_string();
    let mut doc = None;
    if let Some(p) = value.find("/*") {
        let c = value[p..].to_string();
        value = value[..p].trim().to_string();
        let d = clean_comment(&c);
        if !d.is_empty() {
            doc = Some(d);
        }
    }
    let v = value.replace(' ', "");
    if let Some(n) = parse_int(&v) {
        return Some(Item::Const { name: name.to_string(), ty: None, value: n, doc });
    }
    // ((type)N)
    let inner = v.strip_prefix("((")?.strip_suffix(')')?;
    let close = inner.find(')')?;
    let ty = &inner[..close];
    if !ty.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
        return None;
    }
    let n = parse_int(&inner[close + 1..])?;
    Some(Item::Const { name: name.to_string(), ty: Some(ty.to_string()), value: n, doc })
}

fn ident(t: &Tok) -> Option<&str> {
    match t {
        Tok::Ident(s) => Some(s),
        _ => None,
    }
}

fn parse_type(toks: &[Tok]) -> Result<CType, String> {
    let mut base: Option<String> = None;
    let mut base_const = false;
    let mut pointers: Vec<bool> = Vec::new();
    for t in toks {
        match t {
            Tok::Ident(s) if s == "const" => {
                if let Some(last) = pointers.last_mut() {
                    *last = true;
                } else {
                    base_const = true;
                }
            }
            Tok::Ident(s) if s == "struct" || s == "unsigned" || s == "signed" || s == "long" => {
                return Err(format!("unsupported type keyword '{s}': extend codegen.rs"));
            }
            Tok::Ident(s) => {
                if base.is_some() {
                    return Err(format!("two base types in one type: {toks:?}"));
                }
                base = Some(s.clone());
            }
            Tok::Punct('*') => {
                if base.is_none() {
                    return Err(format!("pointer before base type: {toks:?}"));
                }
                pointers.push(false);
            }
            other => return Err(format!("unexpected token in a type: {other:?}")),
        }
    }
    Ok(CType { base: base.ok_or_else(|| format!("no base type in {toks:?}"))?, base_const, pointers })
}

/// `type name`, the name being the last identifier.
fn parse_decl(toks: &[Tok]) -> Result<(CType, String), String> {
    let (last, rest) = toks.split_last().ok_or("empty declaration")?;
    let name = ident(last).ok_or_else(|| format!("declaration without a name: {toks:?}"))?;
    Ok((parse_type(rest)?, name.to_string()))
}

fn split_commas(toks: &[Tok]) -> Vec<&[Tok]> {
    let mut out = Vec::new();
    let mut depth = 0;
    let mut start = 0;
    for (i, t) in toks.iter().enumerate() {
        match t {
            Tok::Punct('(') => depth += 1,
            Tok::Punct(')') => depth -= 1,
            Tok::Punct(',') if depth == 0 => {
                out.push(&toks[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    out.push(&toks[start..]);
    out
}

fn parse_params(toks: &[Tok]) -> Result<Vec<Param>, String> {
    if toks.len() == 1 && ident(&toks[0]) == Some("void") {
        return Ok(Vec::new());
    }
    if toks.is_empty() {
        return Err("'()' parameter list: write '(void)' in C".into());
    }
    split_commas(toks)
        .into_iter()
        .map(|p| parse_decl(p).map(|(ty, name)| Param { name, ty }))
        .collect()
}

/// The index of the `)` matching the `(` at `open`.
fn matching_paren(toks: &[Tok], open: usize) -> Result<usize, String> {
    let mut depth = 0;
    for (i, t) in toks.iter().enumerate().skip(open) {
        match t {
            Tok::Punct('(') => depth += 1,
            Tok::Punct(')') => {
                depth -= 1;
                if depth == 0 {
                    return Ok(i);
                }
            }
            _ => {}
        }
    }
    Err("unbalanced parentheses".into())
}

fn parse_statement(stmt: &[Token], doc: Option<String>, trailing: &dyn Fn(usize) -> Option<String>) -> Result<Item, String> {
    let toks: Vec<Tok> = stmt.iter().map(|t| t.tok.clone()).collect();
    let first = ident(&toks[0]).unwrap_or("");
    if first == "SLUICE_API" {
        let open = toks.iter().position(|t| *t == Tok::Punct('(')).ok_or("prototype without '('")?;
        let close = matching_paren(&toks, open)?;
        if close + 1 != toks.len() {
            return Err(format!("unexpected tokens after a prototype: {toks:?}"));
        }
        let (ret, name) = parse_decl(&toks[1..open])?;
        let params = parse_params(&toks[open + 1..close])?;
        return Ok(Item::Function { name, ret, params, doc });
    }
    if first != "typedef" {
        return Err(format!("unrecognised declaration: {toks:?}"));
    }
    let body = &toks[1..];
    if ident(&body[0]) == Some("struct") {
        // typedef struct tag alias;  or  typedef struct tag { fields } alias;
        if body.len() == 3 {
            let alias = ident(&body[2]).ok_or("bad opaque typedef")?;
            return Ok(Item::Opaque { name: alias.to_string(), doc });
        }
        let lb = body.iter().position(|t| *t == Tok::Punct('{')).ok_or("struct without '{'")?;
        let rb = body.iter().position(|t| *t == Tok::Punct('}')).ok_or("struct without '}'")?;
        if rb + 2 != body.len() {
            return Err(format!("unexpected struct typedef form: {toks:?}"));
        }
        let alias = ident(&body[rb + 1]).ok_or("struct typedef without a name")?;
        // Fields: split the stmt tokens (with lines) between the braces at ';'.
        let lb_s = 1 + lb;
        let rb_s = 1 + rb;
        let mut fields = Vec::new();
        let mut start = lb_s + 1;
        for i in lb_s + 1..rb_s {
            if stmt[i].tok == Tok::Punct(';') {
                let ftoks: Vec<Tok> = stmt[start..i].iter().map(|t| t.tok.clone()).collect();
                let (ty, name) = parse_decl(&ftoks)?;
                fields.push(Field { name, ty, doc: trailing(stmt[i].line) });
                start = i + 1;
            }
        }
        if start != rb_s {
            return Err(format!("struct {alias}: a field without ';'"));
        }
        return Ok(Item::Struct { name: alias.to_string(), fields, doc });
    }
    if let Some(open) = body.iter().position(|t| *t == Tok::Punct('(')) {
        // typedef ret (*name)(params);
        if body.get(open + 1) != Some(&Tok::Punct('*')) || body.get(open + 3) != Some(&Tok::Punct(')')) {
            return Err(format!("unsupported typedef: {toks:?}"));
        }
        let name = ident(&body[open + 2]).ok_or("function pointer typedef without a name")?;
        let ret = parse_type(&body[..open])?;
        let popen = open + 4;
        let pclose = matching_paren(body, popen)?;
        if pclose + 1 != body.len() {
            return Err(format!("unexpected tokens after a function pointer typedef: {toks:?}"));
        }
        let params = parse_params(&body[popen + 1..pclose])?;
        return Ok(Item::FnPtr { name: name.to_string(), ret, params, doc });
    }
    let (ty, name) = parse_decl(body)?;
    Ok(Item::Alias { name, ty, doc })
}

/// Parses one header into its items, in order.
pub fn parse_header(src: &str) -> Result<Vec<Item>, String> {
    let toks = tokenize(src)?;
    let mut items = Vec::new();
    // Conditional stack: true = this level is skipped (only `#ifdef
    // __cplusplus` blocks are; the other conditionals hold only SLUICE_API).
    let mut skip: Vec<bool> = Vec::new();
    let mut pending_doc: Option<String> = None;
    let mut stmt: Vec<Token> = Vec::new();
    let mut stmt_doc: Option<String> = None;
    let comments: Vec<(usize, String)> = toks
        .iter()
        .filter_map(|t| match &t.tok {
            Tok::Comment(c) | Tok::Doc(c) => Some((t.line, c.clone())),
            _ => None,
        })
        .collect();
    // A trailing comment is a comment that starts on the given line after
    // code; the statement tokens before it are on the same line.
    let trailing = |line: usize| -> Option<String> {
        comments.iter().find(|(l, _)| *l == line).map(|(_, c)| c.clone()).filter(|c| !c.is_empty())
    };
    let skipping = |s: &Vec<bool>| s.iter().any(|x| *x);
    let mut depth = 0i32;
    let mut last_code_line = 0usize;
    for t in &toks {
        match &t.tok {
            Tok::Pp(line) => {
                let words: Vec<&str> = line.trim_start_matches('#').split_whitespace().collect();
                match words.first().copied() {
                    Some("ifdef") => skip.push(words.get(1) == Some(&"__cplusplus")),
                    Some("if") | Some("ifndef") => skip.push(false),
                    Some("elif") | Some("else") => {}
                    Some("endif") => {
                        skip.pop().ok_or("#endif without #if")?;
                    }
                    Some("define") if !skipping(&skip) => {
                        if let Some(mut item) = parse_define(line) {
                            if let Item::Const { doc, .. } = &mut item {
                                if doc.is_none() {
                                    *doc = pending_doc.take();
                                }
                            }
                            items.push(item);
                        }
                        pending_doc = None;
                    }
                    _ => {}
                }
            }
            _ if skipping(&skip) => {}
            Tok::Doc(d) => {
                // A doc comment after code on the same line is a trailing one.
                if !(depth > 0 || (last_code_line == t.line && !stmt.is_empty())) {
                    pending_doc = Some(d.clone());
                }
            }
            Tok::Comment(_) => {}
            Tok::Str => return Err(format!("line {}: string literal outside #ifdef __cplusplus", t.line)),
            _ => {
                if stmt.is_empty() {
                    stmt_doc = pending_doc.take();
                }
                last_code_line = t.line;
                match t.tok {
                    Tok::Punct('{') => depth += 1,
                    Tok::Punct('}') => depth -= 1,
                    _ => {}
                }
                if t.tok == Tok::Punct(';') && depth == 0 {
                    let item = parse_statement(&stmt, stmt_doc.take(), &trailing)
                        .map_err(|e| format!("line {}: {e}", stmt[0].line))?;
                    items.push(item);
                    stmt.clear();
                } else {
                    stmt.push(t.clone());
                }
            }
        }
    }
    if !stmt.is_empty() {
        return Err("a declaration without ';' at the end of the header".into());
    }
    if !skip.is_empty() {
        return Err("#if without #endif".into());
    }
    Ok(items)
}

// ---------------------------------------------------------------------------
// Rust output
// ---------------------------------------------------------------------------

const RUST_KEYWORDS: &[&str] = &[
    "as", "async", "await", "box", "break", "const", "continue", "crate", "dyn", "else", "enum", "extern",
    "false", "fn", "for", "gen", "if", "impl", "in", "let", "loop", "match", "mod", "move", "mut", "pub",
    "ref", "return", "self", "Self", "static", "struct", "super", "trait", "true", "type", "unsafe", "use",
    "where", "while", "yield",
];

pub fn rust_ident(name: &str) -> String {
    if RUST_KEYWORDS.contains(&name) {
        format!("{name}_")
    } else {
        name.to_string()
    }
}

fn rust_base(base: &str) -> Result<String, String> {
    Ok(match base {
        "void" => "c_void".into(),
        "char" => "c_char".into(),
        "int" => "c_int".into(),
        "int8_t" => "i8".into(),
        "int16_t" => "i16".into(),
        "int32_t" => "i32".into(),
        "int64_t" => "i64".into(),
        "uint8_t" => "u8".into(),
        "uint16_t" => "u16".into(),
        "uint32_t" => "u32".into(),
        "uint64_t" => "u64".into(),
        "size_t" => "usize".into(),
        s if s.starts_with("sluice_") => s.to_string(),
        s => return Err(format!("no Rust mapping for C type '{s}': extend codegen.rs")),
    })
}

pub fn rust_type(t: &CType) -> Result<String, String> {
    let mut s = rust_base(&t.base)?;
    let mut pointee_const = t.base_const;
    for &ptr_const in &t.pointers {
        s = format!("{} {s}", if pointee_const { "*const" } else { "*mut" });
        pointee_const = ptr_const;
    }
    Ok(s)
}

fn is_void(t: &CType) -> bool {
    t.base == "void" && t.pointers.is_empty()
}

fn rust_params(params: &[Param]) -> Result<String, String> {
    let v: Result<Vec<String>, String> =
        params.iter().map(|p| Ok(format!("{}: {}", rust_ident(&p.name), rust_type(&p.ty)?))).collect();
    Ok(v?.join(", "))
}

fn rust_ret(ret: &CType) -> Result<String, String> {
    Ok(if is_void(ret) { String::new() } else { format!(" -> {}", rust_type(ret)?) })
}

fn push_doc(out: &mut String, indent: &str, doc: &Option<String>) {
    if let Some(d) = doc {
        for l in d.lines() {
            if l.is_empty() {
                let _ = writeln!(out, "{indent}///");
            } else {
                let _ = writeln!(out, "{indent}/// {l}");
            }
        }
    }
}

fn const_type(ty: &Option<String>) -> Result<String, String> {
    match ty {
        None => Ok("i32".into()), // a plain C integer literal is an int
        Some(t) => rust_base(t),
    }
}

/// The Rust text of one header's items. `gate` (e.g. `feature = "mock"`)
/// puts every item behind `#[cfg(gate)]`.
pub fn render_items(items: &[Item], gate: Option<&str>) -> Result<String, String> {
    let mut out = String::new();
    let cfg = gate.map(|g| format!("#[cfg({g})]\n")).unwrap_or_default();
    let mut fns: Vec<&Item> = Vec::new();
    for (i, it) in items.iter().enumerate() {
        // A blank line between items, except within a run of constants.
        let consts = matches!(it, Item::Const { .. }) && i > 0 && matches!(items[i - 1], Item::Const { .. });
        if i > 0 && !consts && !matches!(it, Item::Function { .. }) {
            out.push('\n');
        }
        match it {
            Item::Const { name, ty, value, doc } => {
                push_doc(&mut out, "", doc);
                let _ = writeln!(out, "{cfg}pub const {name}: {} = {value};", const_type(ty)?);
            }
            Item::Opaque { name, doc } => {
                push_doc(&mut out, "", doc);
                let _ = writeln!(
                    out,
                    "{cfg}#[repr(C)]\npub struct {name} {{\n    _private: [u8; 0],\n    _marker: PhantomData<(*mut u8, PhantomPinned)>,\n}}"
                );
            }
            Item::Alias { name, ty, doc } => {
                push_doc(&mut out, "", doc);
                let _ = writeln!(out, "{cfg}pub type {name} = {};", rust_type(ty)?);
            }
            Item::FnPtr { name, ret, params, doc } => {
                push_doc(&mut out, "", doc);
                let _ = writeln!(
                    out,
                    "{cfg}pub type {name} = Option<unsafe extern \"C\" fn({}){}>;",
                    rust_params(params)?,
                    rust_ret(ret)?
                );
            }
            Item::Struct { name, fields, doc } => {
                push_doc(&mut out, "", doc);
                let _ = writeln!(out, "{cfg}#[repr(C)]\n#[derive(Debug, Copy, Clone)]\npub struct {name} {{");
                for f in fields {
                    push_doc(&mut out, "    ", &f.doc);
                    let _ = writeln!(out, "    pub {}: {},", rust_ident(&f.name), rust_type(&f.ty)?);
                }
                let _ = writeln!(out, "}}");
            }
            Item::Function { .. } => fns.push(it),
        }
    }
    if !fns.is_empty() {
        let _ = writeln!(out, "\n{cfg}extern \"C\" {{");
        for (i, it) in fns.iter().enumerate() {
            if let Item::Function { name, ret, params, doc } = it {
                if i > 0 {
                    out.push('\n');
                }
                push_doc(&mut out, "    ", doc);
                let _ = writeln!(out, "    pub fn {name}({}){};", rust_params(params)?, rust_ret(ret)?);
            }
        }
        let _ = writeln!(out, "}}");
    }
    Ok(out)
}

/// The whole generated region of src/lib.rs, from the two headers' text.
pub fn generate(sluice_h: &str, mock_h: &str) -> Result<String, String> {
    let main = parse_header(sluice_h).map_err(|e| format!("sluice.h: {e}"))?;
    let mock = parse_header(mock_h).map_err(|e| format!("sluice_mock.h: {e}"))?;
    let mut out = String::new();
    out.push_str("// ---- sluice.h (stable ABI) ----\n\n");
    out.push_str(&render_items(&main, None)?);
    out.push_str("\n// ---- sluice_mock.h (UNSTABLE test support, feature \"mock\") ----\n\n");
    out.push_str(&render_items(&mock, Some("feature = \"mock\""))?);

    // Tables the checker and the safe crate use.
    let errs: Vec<&str> = main
        .iter()
        .filter_map(|i| match i {
            Item::Const { name, .. } if name.starts_with("SLUICE_ERR_") => Some(name.as_str()),
            _ => None,
        })
        .collect();
    out.push_str("\n/// Every `SLUICE_ERR_*` code of sluice.h as (name, value), in header order.\n");
    out.push_str("pub const SLUICE_ERR_ALL: &[(&str, sluice_code_t)] = &[\n");
    for e in &errs {
        let _ = writeln!(out, "    (\"{e}\", {e}),");
    }
    out.push_str("];\n");

    out.push_str("\n/// For the header checker (tests/header_check.rs): what this file declares.\n");
    out.push_str("#[doc(hidden)]\npub mod __check {\n    use super::*;\n\n");
    // Constants.
    out.push_str("    /// Every constant as (name, value).\n    pub fn constants() -> Vec<(&'static str, i64)> {\n");
    out.push_str("        #[allow(unused_mut)]\n        let mut v: Vec<(&'static str, i64)> = vec![\n");
    for it in &main {
        if let Item::Const { name, .. } = it {
            let _ = writeln!(out, "            (\"{name}\", {name} as i64),");
        }
    }
    out.push_str("        ];\n");
    render_table_ext(&mut out, &mock, |it| match it {
        Item::Const { name, .. } => Some(format!("(\"{name}\", {name} as i64)")),
        _ => None,
    });
    out.push_str("        v\n    }\n\n");
    // Struct layouts.
    out.push_str("    /// Every struct's size, alignment and field offsets as (struct, what, bytes).\n");
    out.push_str("    pub fn layouts() -> Vec<(&'static str, &'static str, usize)> {\n");
    out.push_str("        #[allow(unused_mut)]\n        let mut v: Vec<(&'static str, &'static str, usize)> = vec![\n");
    for it in &main {
        for row in layout_rows(it) {
            let _ = writeln!(out, "            {row},");
        }
    }
    out.push_str("        ];\n");
    render_table_ext(&mut out, &mock, |it| {
        let rows = layout_rows(it);
        if rows.is_empty() {
            None
        } else {
            Some(rows.join(", "))
        }
    });
    out.push_str("        v\n    }\n\n");
    // Symbols: taking every function's address makes the link fail when the
    // library lacks one.
    out.push_str("    /// Every function as (name, address).\n    pub fn symbols() -> Vec<(&'static str, usize)> {\n");
    out.push_str("        #[allow(unused_mut)]\n        let mut v: Vec<(&'static str, usize)> = vec![\n");
    for it in &main {
        if let Item::Function { name, .. } = it {
            let _ = writeln!(out, "            (\"{name}\", {name} as *const () as usize),");
        }
    }
    out.push_str("        ];\n");
    render_table_ext(&mut out, &mock, |it| match it {
        Item::Function { name, .. } => Some(format!("(\"{name}\", {name} as *const () as usize)")),
        _ => None,
    });
    out.push_str("        v\n    }\n}\n");
    Ok(out)
}

fn render_table_ext(out: &mut String, items: &[Item], row: impl Fn(&Item) -> Option<String>) {
    let rows: Vec<String> = items.iter().filter_map(row).collect();
    if rows.is_empty() {
        return;
    }
    out.push_str("        #[cfg(feature = \"mock\")]\n        v.extend_from_slice(&[\n");
    for r in rows {
        let _ = writeln!(out, "            {r},");
    }
    out.push_str("        ]);\n");
}

fn layout_rows(it: &Item) -> Vec<String> {
    let mut rows = Vec::new();
    if let Item::Struct { name, fields, .. } = it {
        rows.push(format!("(\"{name}\", \"<size>\", core::mem::size_of::<{name}>())"));
        rows.push(format!("(\"{name}\", \"<align>\", core::mem::align_of::<{name}>())"));
        for f in fields {
            let fname = rust_ident(&f.name);
            rows.push(format!("(\"{name}\", \"{}\", core::mem::offset_of!({name}, {fname}))", f.name));
        }
    }
    rows
}

// ---------------------------------------------------------------------------
// Layout as the header implies it, for an LP64 target (what the C compiler
// says is checked separately when one is available).
// ---------------------------------------------------------------------------

fn scalar_size(t: &CType, items: &[Item]) -> Result<usize, String> {
    if !t.pointers.is_empty() {
        return Ok(core::mem::size_of::<usize>());
    }
    Ok(match t.base.as_str() {
        "char" | "int8_t" | "uint8_t" => 1,
        "int16_t" | "uint16_t" => 2,
        "int" | "int32_t" | "uint32_t" => 4,
        "int64_t" | "uint64_t" => 8,
        "size_t" => core::mem::size_of::<usize>(),
        other => match items.iter().find(|i| i.name() == other) {
            Some(Item::Alias { ty, .. }) => scalar_size(ty, items)?,
            Some(Item::FnPtr { .. }) => core::mem::size_of::<usize>(),
            _ => return Err(format!("no size for '{other}'")),
        },
    })
}

/// (struct, what, bytes) rows as the C layout rules give them: each field
/// at the next multiple of its alignment (= its size for these scalars), the
/// size rounded up to the largest alignment.
pub fn expected_layouts(items: &[Item]) -> Result<Vec<(String, String, usize)>, String> {
    let mut out = Vec::new();
    for it in items {
        if let Item::Struct { name, fields, .. } = it {
            let mut off = 0usize;
            let mut align = 1usize;
            let mut rows = Vec::new();
            for f in fields {
                let s = scalar_size(&f.ty, items)?;
                off = off.div_ceil(s) * s;
                rows.push((name.clone(), f.name.clone(), off));
                off += s;
                align = align.max(s);
            }
            out.push((name.clone(), "<size>".to_string(), off.div_ceil(align) * align));
            out.push((name.clone(), "<align>".to_string(), align));
            out.extend(rows);
        }
    }
    Ok(out)
}

/// A C program that prints the same rows as `__check::layouts()` and
/// `__check::constants()`, one "struct what bytes" / "name value" per line,
/// so the checker can compare with what the C compiler thinks.
pub fn c_probe_program(items: &[Item]) -> String {
    let mut c = String::from(
        "#include <stddef.h>\n#include <stdio.h>\n#include \"sluice.h\"\n#include \"sluice_mock.h\"\nint main(void) {\n",
    );
    for it in items {
        match it {
            Item::Struct { name, fields, .. } => {
                let _ = writeln!(c, "  printf(\"L {name} <size> %zu\\n\", sizeof({name}));");
                let _ = writeln!(c, "  printf(\"L {name} <align> %zu\\n\", _Alignof({name}));");
                for f in fields {
                    let _ = writeln!(c, "  printf(\"L {name} {0} %zu\\n\", offsetof({name}, {0}));", f.name);
                }
            }
            Item::Const { name, .. } => {
                let _ = writeln!(c, "  printf(\"C {name} %lld\\n\", (long long)({name}));");
            }
            _ => {}
        }
    }
    c.push_str("  return 0;\n}\n");
    c
}

pub const BEGIN_MARKER: &str = "// @generated-begin";
pub const END_MARKER: &str = "// @generated-end";

/// The generated region of a lib.rs text (between the marker lines), or None.
pub fn committed_region(lib_rs: &str) -> Option<(usize, usize)> {
    let b = lib_rs.find(BEGIN_MARKER)?;
    let start = b + lib_rs[b..].find('\n')? + 1;
    let end = lib_rs.find(END_MARKER)?;
    (end >= start).then_some((start, end))
}
