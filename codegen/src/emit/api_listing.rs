//! The generated crate's public API as text, one line per item: `api.txt`.
//!
//! A regeneration can touch hundreds of files, most of them for reasons a
//! reviewer does not need to weigh one by one: a reworded description, a
//! moved example line. What users can name and call is what needs review,
//! and it hides in those files among docs, serde attributes and bodies.
//! The listing pulls it out: every public struct, field, enum, variant,
//! function, method, constant, type alias and trait implementation, with
//! its Rust signature, one per line and in a fixed order. `git diff` of that
//! one file then shows every API change of a regeneration at a glance (a
//! field whose type changed is one line out and one line in), and an empty
//! diff says the API did not change at all.
//!
//! The listing is read off the syntax trees of the emitted `types/*.rs` and
//! `api/*.rs` files, the same trees that are printed, so it cannot
//! disagree with the code. An item counts when its folder's `mod.rs`
//! re-exports it, and it is listed under the path users write:
//! `types::User`, not `types::user::User`. Types are printed as written in
//! the generated code (`Option<crate::types::AgeGroup>`), with the spacing
//! of hand-written Rust ([`normalise`]).
//!
//! Lines are grouped by the item they belong to (items sorted by path, one
//! segment at a time, ignoring case and `_`), and within an item: the item
//! itself, its fields or variants, its methods, its trait implementations,
//! each sorted by name. Derived traits are listed like hand-written impls,
//! and a `#[non_exhaustive]` item or variant says so.

use super::MARKER;
use proc_macro2::{Delimiter, Spacing, TokenStream, TokenTree};
use quote::ToTokens;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};
use syn::punctuated::Punctuated;

/// Where the listing is written, relative to the crate's source root.
pub const PATH: &str = "api.txt";

/// The folders of the generated crate whose items are public API, each a
/// public module of the crate root that re-exports its files' items.
const FOLDERS: &[&str] = &["types", "api"];

/// The listing of a crate, built file by file so that files can be parsed
/// on any thread: each folder's `mod.rs` first, since it says what the
/// folder's other files export ([`Listing::module`]), then the other files
/// in any order ([`Listing::lines`], [`Listing::add`]). The text does not
/// depend on the order files were added in.
#[derive(Default)]
pub struct Listing {
    /// File path → what its folder's `mod.rs` re-exports from it.
    exports: BTreeMap<String, Exported>,
    entries: BTreeSet<Entry>,
}

/// The lines one file contributes to a [`Listing`].
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct Lines(BTreeSet<Entry>);

impl Listing {
    /// Records what the `mod.rs` at `path` re-exports and lists its own
    /// public items. Other files are ignored.
    pub fn module(&mut self, path: &str, module: &syn::File) {
        let Some(folder) = path.strip_suffix("/mod.rs").filter(|f| FOLDERS.contains(f)) else {
            return;
        };
        let mut lister = Lister {
            folder,
            entries: &mut self.entries,
        };
        lister.items(&module.items, &Exported::All);
        for (name, exported) in re_exports(module) {
            self.exports.insert(format!("{folder}/{name}.rs"), exported);
        }
    }

    /// What the recorded `mod.rs` files export from the file at `path`, as
    /// text: part of what the file's lines are made from.
    pub fn exports_of(&self, path: &str) -> String {
        format!("{:?}", self.exports.get(path))
    }

    /// The lines of the file at `path`: none unless a recorded `mod.rs`
    /// re-exports from it.
    pub fn lines(&self, path: &str, file: &syn::File) -> Lines {
        let mut entries = BTreeSet::new();
        if let (Some(exported), Some((folder, _))) = (self.exports.get(path), path.split_once('/'))
        {
            Lister {
                folder,
                entries: &mut entries,
            }
            .items(&file.items, exported);
        }
        Lines(entries)
    }

    /// Adds to `digest` what the recorded `mod.rs` files contribute: their
    /// own lines and what they export.
    pub(super) fn digest(&self, digest: &mut super::cache::Digest) {
        digest
            .add(&self.entries)
            .add(&format!("{:?}", self.exports));
    }

    pub fn add(&mut self, lines: Lines) {
        self.entries.extend(lines.0);
    }

    /// The text of `api.txt`: the marker line, a line saying what the file
    /// is, and one line per public item.
    pub fn render(self) -> String {
        let mut out = format!(
            "# {MARKER}\n# The public API of this crate, one line per item with its signature: a diff of this file is the API change.\n"
        );
        for entry in self.entries {
            out.push_str(&entry.text);
            out.push('\n');
        }
        out
    }
}

/// One line of the listing, ordered by the item it belongs to, then
/// [`Rank`], then name.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
struct Entry {
    /// The item's path, segment by segment and ignoring case and `_`
    /// ([`sort_key`]), so that `types::User::id` stays with `types::User`
    /// and before `types::User2`, and `api::users` (the function) stays with
    /// `api::Users` (its node).
    key: Vec<String>,
    owner: Vec<String>,
    rank: Rank,
    name: String,
    text: String,
}

/// `GetUserPath` → `getuserpath`, `get_user` → `getuser`: the names of an
/// operation's function and its types sort together.
fn sort_key(segment: &str) -> String {
    segment
        .chars()
        .filter(|c| *c != '_')
        .flat_map(char::to_lowercase)
        .collect()
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
enum Rank {
    Item,
    Member,
    Method,
    Impl,
}

/// Which items of a file its folder's `mod.rs` makes public, and under
/// which names.
#[derive(Debug)]
enum Exported {
    /// `pub use m::*`, or items of `mod.rs` itself.
    All,
    /// Item name → the name it is exported as.
    Names(BTreeMap<String, String>),
}

impl Exported {
    fn name(&self, ident: &syn::Ident) -> Option<String> {
        let ident = ident.to_string();
        match self {
            Exported::All => Some(ident),
            Exported::Names(names) => names.get(&ident).cloned(),
        }
    }
}

/// The modules `mod.rs` re-exports from, with what it re-exports:
/// `pub use user::{User, UserPatch};` gives `user` → {`User`, `UserPatch`}.
fn re_exports(module: &syn::File) -> BTreeMap<String, Exported> {
    fn names(tree: &syn::UseTree, out: &mut Exported) {
        match tree {
            syn::UseTree::Name(n) => insert(out, &n.ident, &n.ident),
            syn::UseTree::Rename(r) => insert(out, &r.ident, &r.rename),
            syn::UseTree::Glob(_) => *out = Exported::All,
            syn::UseTree::Group(g) => g.items.iter().for_each(|t| names(t, out)),
            // Deeper paths name items of nested modules, which the
            // generator does not write.
            syn::UseTree::Path(_) => {}
        }
    }
    fn insert(out: &mut Exported, ident: &syn::Ident, as_: &syn::Ident) {
        if let Exported::Names(names) = out {
            names.insert(ident.to_string(), as_.to_string());
        }
    }
    let mut out: BTreeMap<String, Exported> = BTreeMap::new();
    for item in &module.items {
        if let syn::Item::Use(u) = item
            && is_pub(&u.vis)
            && let syn::UseTree::Path(p) = &u.tree
        {
            let exported = out
                .entry(p.ident.to_string())
                .or_insert_with(|| Exported::Names(BTreeMap::new()));
            names(&p.tree, exported);
        }
    }
    out
}

fn is_pub(vis: &syn::Visibility) -> bool {
    matches!(vis, syn::Visibility::Public(_))
}

struct Lister<'a> {
    folder: &'a str,
    entries: &'a mut BTreeSet<Entry>,
}

impl Lister<'_> {
    fn push(&mut self, owner: &[String], rank: Rank, name: &str, text: String) {
        self.entries.insert(Entry {
            key: owner.iter().map(|s| sort_key(s)).collect(),
            owner: owner.to_vec(),
            rank,
            name: name.to_owned(),
            text,
        });
    }

    /// The path of an exported item: `types::User`.
    fn owner(&self, name: String) -> Vec<String> {
        vec![self.folder.to_owned(), name]
    }

    fn items(&mut self, items: &[syn::Item], exported: &Exported) {
        // The local names of the file's public types, for impls to find
        // their type's exported path by.
        let mut types: BTreeMap<String, Vec<String>> = BTreeMap::new();
        for item in items {
            let (vis, ident) = match item {
                syn::Item::Struct(s) => (&s.vis, &s.ident),
                syn::Item::Enum(e) => (&e.vis, &e.ident),
                syn::Item::Union(u) => (&u.vis, &u.ident),
                syn::Item::Type(t) => (&t.vis, &t.ident),
                syn::Item::Trait(t) => (&t.vis, &t.ident),
                _ => continue,
            };
            if let (true, Some(name)) = (is_pub(vis), exported.name(ident)) {
                types.insert(ident.to_string(), self.owner(name));
            }
        }
        for item in items {
            match item {
                syn::Item::Struct(s) => {
                    if let Some(owner) = types.get(&s.ident.to_string()) {
                        self.type_item("struct", owner, &s.generics, &s.attrs);
                        self.fields(owner, s.fields.iter());
                    }
                }
                syn::Item::Union(u) => {
                    if let Some(owner) = types.get(&u.ident.to_string()) {
                        self.type_item("union", owner, &u.generics, &u.attrs);
                        self.fields(owner, u.fields.named.iter());
                    }
                }
                syn::Item::Enum(e) => {
                    if let Some(owner) = types.get(&e.ident.to_string()) {
                        self.type_item("enum", owner, &e.generics, &e.attrs);
                        for v in &e.variants {
                            let text = format!(
                                "{}variant {}::{}{}",
                                non_exhaustive(&v.attrs),
                                owner.join("::"),
                                v.ident,
                                variant_data(v)
                            );
                            self.push(owner, Rank::Member, &v.ident.to_string(), text);
                        }
                    }
                }
                syn::Item::Type(t) => {
                    if let Some(owner) = types.get(&t.ident.to_string()) {
                        let text = format!(
                            "type {}{}{} = {}",
                            owner.join("::"),
                            normalise(t.generics.to_token_stream()),
                            where_clause(&t.generics),
                            normalise(t.ty.to_token_stream())
                        );
                        self.push(owner, Rank::Item, "", text);
                    }
                }
                syn::Item::Trait(t) => {
                    if let Some(owner) = types.get(&t.ident.to_string()) {
                        let supertraits = match t.supertraits.is_empty() {
                            true => String::new(),
                            false => format!(": {}", normalise(t.supertraits.to_token_stream())),
                        };
                        let text = format!(
                            "trait {}{}{supertraits}{}",
                            owner.join("::"),
                            normalise(t.generics.to_token_stream()),
                            where_clause(&t.generics),
                        );
                        self.push(owner, Rank::Item, "", text);
                    }
                }
                syn::Item::Fn(f) if is_pub(&f.vis) => {
                    if let Some(name) = exported.name(&f.sig.ident) {
                        let owner = self.owner(name);
                        let text = signature(&owner.join("::"), &f.sig);
                        self.push(&owner, Rank::Item, "", text);
                    }
                }
                syn::Item::Const(c) if is_pub(&c.vis) => {
                    if let Some(name) = exported.name(&c.ident) {
                        let owner = self.owner(name);
                        let text = format!(
                            "const {}: {}",
                            owner.join("::"),
                            normalise(c.ty.to_token_stream())
                        );
                        self.push(&owner, Rank::Item, "", text);
                    }
                }
                syn::Item::Static(s) if is_pub(&s.vis) => {
                    if let Some(name) = exported.name(&s.ident) {
                        let owner = self.owner(name);
                        let mutability = match s.mutability {
                            syn::StaticMutability::Mut(_) => "mut ",
                            _ => "",
                        };
                        let text = format!(
                            "static {mutability}{}: {}",
                            owner.join("::"),
                            normalise(s.ty.to_token_stream())
                        );
                        self.push(&owner, Rank::Item, "", text);
                    }
                }
                syn::Item::Impl(i) => self.implementation(i, &types),
                // Private items, and `mod`/`use` (the folders' `mod.rs`
                // files, read for their re-exports).
                _ => {}
            }
        }
    }

    /// `struct types::User` and a line per trait the item derives.
    fn type_item(
        &mut self,
        keyword: &str,
        owner: &[String],
        generics: &syn::Generics,
        attrs: &[syn::Attribute],
    ) {
        let path = owner.join("::");
        let text = format!(
            "{}{keyword} {path}{}{}",
            non_exhaustive(attrs),
            normalise(generics.to_token_stream()),
            where_clause(generics)
        );
        self.push(owner, Rank::Item, "", text);
        let (impl_generics, ty_generics, where_) = generics.split_for_impl();
        for attr in attrs.iter().filter(|a| a.path().is_ident("derive")) {
            let Ok(traits) =
                attr.parse_args_with(Punctuated::<syn::Path, syn::Token![,]>::parse_terminated)
            else {
                continue;
            };
            for t in traits {
                // Written as the derive writes it, so that a derived impl
                // and the same impl by hand give the same line.
                let (impl_generics, t) = match t.segments.last() {
                    Some(last) if last.ident == "Deserialize" => {
                        let params = normalise(impl_generics.to_token_stream());
                        let params = match params.strip_prefix('<') {
                            Some(rest) => format!("<'de, {rest}"),
                            None => "<'de>".to_owned(),
                        };
                        (params, format!("{}<'de>", normalise(t.to_token_stream())))
                    }
                    _ => (
                        normalise(impl_generics.to_token_stream()),
                        normalise(t.to_token_stream()),
                    ),
                };
                let text = format!(
                    "impl{impl_generics} {t} for {path}{}{}",
                    normalise(ty_generics.to_token_stream()),
                    spaced(where_.map(|w| normalise(w.to_token_stream()))),
                );
                self.push(owner, Rank::Impl, &text.clone(), text);
            }
        }
    }

    /// A line per public field: `field types::User::id: Option<String>`.
    fn fields<'f>(&mut self, owner: &[String], fields: impl Iterator<Item = &'f syn::Field>) {
        for (i, field) in fields.enumerate() {
            if !is_pub(&field.vis) {
                continue;
            }
            let name = field
                .ident
                .as_ref()
                .map_or_else(|| i.to_string(), ToString::to_string);
            let text = format!(
                "field {}::{name}: {}",
                owner.join("::"),
                normalise(field.ty.to_token_stream())
            );
            self.push(owner, Rank::Member, &name, text);
        }
    }

    /// An inherent impl gives a line per public method and constant; a
    /// trait impl one line for itself.
    fn implementation(&mut self, i: &syn::ItemImpl, types: &BTreeMap<String, Vec<String>>) {
        let (owner, self_ty) = match self_type(&i.self_ty) {
            // The type is private or not exported: nobody can reach its impls.
            Some((ident, _)) if !types.contains_key(&ident) => return,
            Some((ident, arguments)) => {
                let owner = types[&ident].clone();
                let written = format!("{}{arguments}", owner.join("::"));
                (owner, written)
            }
            None => {
                let written = normalise(i.self_ty.to_token_stream());
                (vec![self.folder.to_owned(), written.clone()], written)
            }
        };
        let path = owner.join("::");
        match &i.trait_ {
            Some((trait_, _)) => {
                let text = format!(
                    "{}impl{} {} for {self_ty}{}",
                    spaced_after(i.unsafety.as_ref().map(|_| "unsafe".to_owned())),
                    normalise(i.generics.to_token_stream()),
                    normalise(trait_.to_token_stream()),
                    where_clause(&i.generics),
                );
                self.push(&owner, Rank::Impl, &text.clone(), text);
            }
            None => {
                for item in &i.items {
                    match item {
                        syn::ImplItem::Fn(f) if is_pub(&f.vis) => {
                            let text = signature(&format!("{path}::{}", f.sig.ident), &f.sig);
                            self.push(&owner, Rank::Method, &f.sig.ident.to_string(), text);
                        }
                        syn::ImplItem::Const(c) if is_pub(&c.vis) => {
                            let text = format!(
                                "const {path}::{}: {}",
                                c.ident,
                                normalise(c.ty.to_token_stream())
                            );
                            self.push(&owner, Rank::Method, &c.ident.to_string(), text);
                        }
                        _ => {}
                    }
                }
            }
        }
    }
}

/// `GetUserPath<'_>` → (`GetUserPath`, `<'_>`): a type named by one
/// segment, which is how the generated code names its own types in impls.
fn self_type(ty: &syn::Type) -> Option<(String, String)> {
    match ty {
        syn::Type::Path(p) if p.qself.is_none() && p.path.segments.len() == 1 => {
            let segment = &p.path.segments[0];
            Some((
                segment.ident.to_string(),
                normalise(segment.arguments.to_token_stream()),
            ))
        }
        _ => None,
    }
}

/// `fn api::Users::get(self) -> …`: the signature
/// with the function's name replaced by its public path.
fn signature(path: &str, sig: &syn::Signature) -> String {
    let mut qualifiers = TokenStream::new();
    sig.constness.to_tokens(&mut qualifiers);
    sig.asyncness.to_tokens(&mut qualifiers);
    sig.safety.to_tokens(&mut qualifiers);
    sig.abi.to_tokens(&mut qualifiers);
    let inputs = &sig.inputs;
    let variadic = &sig.variadic;
    let output = &sig.output;
    let generics = &sig.generics;
    let rest = quote::quote!(#generics (#inputs #variadic) #output);
    format!(
        "{}fn {path}{}{}",
        spaced_after(Some(normalise(qualifiers)).filter(|q| !q.is_empty())),
        normalise(rest),
        where_clause(&sig.generics)
    )
}

/// What follows a variant's name: `(T)`, ` { a: T, b: U }`, ` = 3`.
fn variant_data(v: &syn::Variant) -> String {
    let fields = |fields: &Punctuated<syn::Field, syn::Token![,]>| -> Vec<String> {
        fields
            .iter()
            .map(|f| {
                let ty = normalise(f.ty.to_token_stream());
                match &f.ident {
                    Some(name) => format!("{name}: {ty}"),
                    None => ty,
                }
            })
            .collect()
    };
    let data = match &v.fields {
        syn::Fields::Unit => String::new(),
        syn::Fields::Unnamed(f) => format!("({})", fields(&f.unnamed).join(", ")),
        syn::Fields::Named(f) => format!(" {{ {} }}", fields(&f.named).join(", ")),
    };
    match &v.discriminant {
        Some((_, expr)) => format!("{data} = {}", normalise(expr.to_token_stream())),
        None => data,
    }
}

/// `#[non_exhaustive] `, when the item or variant is: users can then
/// neither build it with a literal nor match it exhaustively.
fn non_exhaustive(attrs: &[syn::Attribute]) -> &'static str {
    match attrs.iter().any(|a| a.path().is_ident("non_exhaustive")) {
        true => "#[non_exhaustive] ",
        false => "",
    }
}

/// ` where T: X`, or nothing.
fn where_clause(generics: &syn::Generics) -> String {
    spaced(
        generics
            .where_clause
            .as_ref()
            .map(|w| normalise(w.to_token_stream())),
    )
}

fn spaced(text: Option<String>) -> String {
    text.map(|t| format!(" {t}")).unwrap_or_default()
}

fn spaced_after(text: Option<String>) -> String {
    text.map(|t| format!("{t} ")).unwrap_or_default()
}

/// Prints tokens with the spacing of hand-written Rust: `Option<Vec<T>>`,
/// `&'a str`, `fn(&str) -> String`, `[u8; 4]`, not the token-by-token
/// `Option < Vec < T > >` of `TokenStream`'s `Display`.
pub fn normalise(tokens: TokenStream) -> String {
    let mut atoms = Vec::new();
    flatten(tokens, &mut atoms);
    let mut out = String::new();
    for (i, atom) in atoms.iter().enumerate() {
        if i > 0 && space_between(&atoms[i - 1], atom) {
            out.push(' ');
        }
        out.push_str(atom);
    }
    out
}

/// Operators of more than one character that tokens spell out with joint
/// punctuation. `>>` is not one: in types it closes two generic lists.
const OPERATORS: &[&str] = &[
    "::", "->", "=>", "..", "...", "..=", "==", "!=", "<=", ">=", "||",
];

/// The tokens as printed pieces: identifiers, literals, lifetimes (`'a`),
/// operators, and each delimiter on its own.
fn flatten(tokens: TokenStream, out: &mut Vec<String>) {
    let mut tokens = tokens.into_iter().peekable();
    while let Some(token) = tokens.next() {
        match token {
            TokenTree::Group(g) => {
                let (open, close) = match g.delimiter() {
                    Delimiter::Parenthesis => ("(", ")"),
                    Delimiter::Bracket => ("[", "]"),
                    Delimiter::Brace => ("{", "}"),
                    Delimiter::None => ("", ""),
                };
                if !open.is_empty() {
                    out.push(open.to_owned());
                }
                flatten(g.stream(), out);
                if !close.is_empty() {
                    out.push(close.to_owned());
                }
            }
            TokenTree::Ident(i) => out.push(i.to_string()),
            TokenTree::Literal(l) => out.push(l.to_string()),
            TokenTree::Punct(p) if p.as_char() == '\'' => {
                // A lifetime: the tick and the name are one piece.
                let mut lifetime = "'".to_owned();
                if let Some(TokenTree::Ident(_)) = tokens.peek()
                    && let Some(name) = tokens.next()
                {
                    lifetime.push_str(&name.to_string());
                }
                out.push(lifetime);
            }
            TokenTree::Punct(p) => {
                let mut op = p.as_char().to_string();
                let mut spacing = p.spacing();
                while spacing == Spacing::Joint {
                    let Some(TokenTree::Punct(next)) = tokens.peek() else {
                        break;
                    };
                    let longer = format!("{op}{}", next.as_char());
                    if !OPERATORS.contains(&longer.as_str()) {
                        break;
                    }
                    spacing = next.spacing();
                    op = longer;
                    tokens.next();
                }
                out.push(op);
            }
        }
    }
}

/// Identifiers and literals.
fn is_word(atom: &str) -> bool {
    atom.starts_with(|c: char| c.is_alphanumeric() || c == '_' || c == '"')
}

/// Keywords after which a type starts, so a `(` or `[` after them opens a
/// tuple or slice type, not an argument list.
fn is_type_prefix(atom: &str) -> bool {
    matches!(
        atom,
        "mut" | "const" | "dyn" | "impl" | "as" | "in" | "where" | "for"
    )
}

fn space_between(prev: &str, next: &str) -> bool {
    match (prev, next) {
        // Nothing follows an opening delimiter, a reference, a pointer or
        // a path separator with a space.
        ("(" | "[" | "<" | "&" | "*" | "::" | "#" | "!" | "?" | ".", _) => false,
        ("{", "}") => false,
        // Closing delimiters and separators hug what precedes them.
        (_, ")" | "]" | ">" | "," | ";" | ":") => false,
        // `a::b`, `Vec<T>::new`; but `: ::std::x` keeps its space.
        (_, "::") => !(is_word(prev) || prev == ">"),
        // `Vec<T>`, `impl<'de>`, `for<'a>`, `fn f<T>`; but `: <T as X>::Y`.
        (_, "<") => !is_word(prev),
        // `f(x)`, `Fn(A)`, `fn(A)`; but `&mut (A, B)`, `dyn (Fn())`.
        (_, "(") => !is_word(prev) || is_type_prefix(prev),
        _ => true,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use quote::quote;

    fn ty(text: &str) -> String {
        normalise(
            syn::parse_str::<syn::Type>(text)
                .expect("a type")
                .to_token_stream(),
        )
    }

    /// The listing of `files`, `mod.rs` files first as [`Listing`] needs.
    fn listing(files: Vec<(String, syn::File)>) -> String {
        let (modules, others): (Vec<_>, Vec<_>) = files
            .into_iter()
            .partition(|(path, _)| path.ends_with("/mod.rs"));
        let mut listing = Listing::default();
        for (path, module) in &modules {
            listing.module(path, module);
        }
        for (path, file) in &others {
            let lines = listing.lines(path, file);
            listing.add(lines);
        }
        listing.render()
    }

    #[test]
    fn types_print_as_written_by_hand() {
        for written in [
            "Option<Vec<crate::types::User>>",
            "&'a str",
            "&str",
            "&&str",
            "&mut [u8]",
            "[u8; 4]",
            "(String, u32)",
            "()",
            "(u8,)",
            "fn(&str) -> String",
            "Box<dyn Fn(&mut [u8]) -> Result<(), E> + Send + 'static>",
            "<T as Iterator>::Item",
            "impl Iterator<Item = &'a str>",
            "*const u8",
            "&'a mut (A, B)",
            "docgen_runtime::Patch<Vec<crate::types::AssignedLicense>>",
            "HashMap<String, Vec<Option<u8>>>",
            "for<'a> fn(&'a u8) -> &'a u8",
        ] {
            assert_eq!(ty(written), written);
        }
        // Whatever the spacing of the input.
        assert_eq!(
            normalise(quote!(Option<Vec<crate::types::User>>)),
            "Option<Vec<crate::types::User>>"
        );
        assert_eq!(
            normalise(quote!(impl < 'de > serde :: Deserialize < 'de >)),
            "impl<'de> serde::Deserialize<'de>"
        );
        assert_eq!(
            normalise(quote!(fn f(&self, x: &str) -> &str)),
            "fn f(&self, x: &str) -> &str"
        );
        assert_eq!(
            normalise(quote!(where T: ?Sized + Clone, 'a: 'b)),
            "where T: ?Sized + Clone, 'a: 'b"
        );
    }

    fn files(user: TokenStream) -> Vec<(String, syn::File)> {
        let parse = |tokens: TokenStream| syn::parse2::<syn::File>(tokens).unwrap();
        vec![
            (
                "types/mod.rs".to_owned(),
                parse(quote!(
                    mod user;
                    pub use user::{User, AnyUser};
                )),
            ),
            ("types/user.rs".to_owned(), parse(user)),
            (
                "api/mod.rs".to_owned(),
                parse(quote!(
                    mod users;
                    pub use users::*;
                    pub fn users() -> Users {
                        todo!()
                    }
                )),
            ),
            (
                "api/users.rs".to_owned(),
                parse(quote! {
                    #[derive(Clone, Copy)]
                    #[non_exhaustive]
                    pub enum GetUserPath<'a> { Users { id: &'a str }, Me }
                    impl GetUserPath<'_> {
                        pub fn to_path(&self) -> String { String::new() }
                        fn private(&self) {}
                    }
                    pub struct Users(pub(crate) String);
                    impl Users {
                        pub fn get(self) -> docgen_runtime::Request<crate::types::User> {
                            todo!()
                        }
                    }
                    fn not_public() {}
                }),
            ),
            // Not public API: ignored.
            (
                "fixtures/users_get.rs".to_owned(),
                parse(quote!(
                    pub(super) const EXAMPLES: &[u8] = &[];
                )),
            ),
        ]
    }

    fn user(display_name: TokenStream) -> TokenStream {
        quote! {
            #[derive(Clone, Debug, serde::Deserialize)]
            pub struct User {
                #[serde(rename = "displayName")]
                pub display_name: #display_name,
                pub id: Option<String>,
                private: u8,
            }
            pub enum AnyUser { User(crate::types::User), Other(String) }
            impl From<crate::types::User> for AnyUser {
                fn from(u: crate::types::User) -> Self { Self::User(u) }
            }
            impl<'de> serde::Deserialize<'de> for AnyUser {
                fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                    todo!()
                }
            }
            impl AnyUser { pub const KIND: &'static str = "user"; }
            pub struct Hidden;
        }
    }

    #[test]
    fn every_exported_item_gets_a_line_under_its_public_path() {
        let listing = listing(files(user(quote!(Option<String>))));
        let lines: Vec<&str> = listing.lines().skip(2).collect();
        assert_eq!(
            lines,
            [
                "#[non_exhaustive] enum api::GetUserPath<'a>",
                "variant api::GetUserPath::Me",
                "variant api::GetUserPath::Users { id: &'a str }",
                "fn api::GetUserPath::to_path(&self) -> String",
                "impl<'a> Clone for api::GetUserPath<'a>",
                "impl<'a> Copy for api::GetUserPath<'a>",
                "struct api::Users",
                "fn api::Users::get(self) -> docgen_runtime::Request<crate::types::User>",
                "fn api::users() -> Users",
                "enum types::AnyUser",
                "variant types::AnyUser::Other(String)",
                "variant types::AnyUser::User(crate::types::User)",
                "const types::AnyUser::KIND: &'static str",
                "impl From<crate::types::User> for types::AnyUser",
                "impl<'de> serde::Deserialize<'de> for types::AnyUser",
                "struct types::User",
                "field types::User::display_name: Option<String>",
                "field types::User::id: Option<String>",
                "impl Clone for types::User",
                "impl Debug for types::User",
                // Derived, and written as the hand-written impl above.
                "impl<'de> serde::Deserialize<'de> for types::User",
            ]
        );
        assert!(listing.starts_with(&format!("# {MARKER}\n")));
    }

    #[test]
    fn changing_a_field_type_changes_exactly_that_line() {
        let before = listing(files(user(quote!(Option<String>))));
        let after = listing(files(user(quote!(Option<Vec<String>>))));
        let before: BTreeSet<&str> = before.lines().collect();
        let after: BTreeSet<&str> = after.lines().collect();
        assert_eq!(
            before.difference(&after).collect::<Vec<_>>(),
            [&"field types::User::display_name: Option<String>"]
        );
        assert_eq!(
            after.difference(&before).collect::<Vec<_>>(),
            [&"field types::User::display_name: Option<Vec<String>>"]
        );
    }
}
