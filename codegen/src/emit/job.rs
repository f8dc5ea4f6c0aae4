//! One Rust file to emit, as pieces that are built, parsed and printed on
//! the thread that takes the file, or taken from the cache.
//!
//! Tokens cannot cross threads, so a job carries what builds them instead.
//! Most files are one piece. A request-tree file is a piece per node: the
//! largest hold every path below `/me` or `/deviceManagement` (1.5 and 3.2
//! MB of Rust), and a docs edit changes one node's methods; only that
//! node's items are then built, parsed and printed again. prettyplease
//! prints a file's items one after the other, so the pieces' texts put
//! end to end are the text of the whole file (tested).

use super::api_listing::{Lines, Listing};
use super::cache::{self, Cache, Cached, Digest, Kept, StoredLines};
use super::{Error, MARKER, SourceFile, parse};
use proc_macro2::TokenStream;
use std::ops::Range;

type Tokens<'a> = Box<dyn Fn() -> TokenStream + Send + Sync + 'a>;
type Inputs<'a> = Box<dyn Fn(&mut Digest) + Send + Sync + 'a>;

pub(super) struct Job<'a> {
    path: String,
    pieces: Vec<Piece<'a>>,
}

/// Part of a file: what builds its tokens (items, or the file's inner
/// attributes), and what adds to a digest every part of the model those
/// tokens are made from beyond what the plan and the features decide.
pub(super) struct Piece<'a> {
    /// Its name within the file, for the cache: empty for a whole file.
    name: String,
    tokens: Tokens<'a>,
    inputs: Inputs<'a>,
}

impl<'a> Piece<'a> {
    pub(super) fn new(
        name: String,
        tokens: impl Fn() -> TokenStream + Send + Sync + 'a,
        inputs: impl Fn(&mut Digest) + Send + Sync + 'a,
    ) -> Self {
        Piece {
            name,
            tokens: Box::new(tokens),
            inputs: Box::new(inputs),
        }
    }
}

/// A file, printed or taken from the cache piece by piece.
pub(super) struct Printed<'c> {
    pub file: SourceFile,
    pub pieces: Vec<PrintedPiece<'c>>,
}

/// One piece of a [`Printed`] file: its cache entry.
pub(super) struct PrintedPiece<'c> {
    /// The file's path, then `#` and the piece's name if it has one.
    pub path: String,
    /// The cache keys of its inputs and of its tokens' text.
    pub inputs: Option<u128>,
    pub text: u128,
    /// Where its text lies in the file's.
    pub range: Range<usize>,
    /// Its lines of the API listing, encoded.
    pub lines: StoredLines<'c>,
    /// Where its text and lines lie in the cache, when they came from it.
    pub kept: Option<Kept>,
    pub origin: Origin,
}

/// Where a piece's text came from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Origin {
    /// Built, parsed and printed.
    Printed,
    /// The cache, found by its tokens' text (its inputs changed).
    SameTokens,
    /// The cache, found by its inputs: its entry stays as it was.
    SameInputs,
}

impl Printed<'_> {
    /// Whether every piece came from the cache.
    pub fn reused(&self) -> bool {
        self.pieces.iter().all(|p| p.origin != Origin::Printed)
    }

    /// The pieces' lines of the listing; a piece's are read again from its
    /// text if the cache's copy does not decode.
    pub fn listing_lines(&self, listing: &Listing) -> Result<Vec<Lines>, Error> {
        (self.pieces.iter())
            .map(|piece| {
                if let Some(lines) = piece.lines.decode() {
                    return Ok(lines);
                }
                let text = &self.file.contents[piece.range.clone()];
                let parsed = parse(&self.file.path, syn::parse_file(text))?;
                Ok(listing.lines(&self.file.path, &parsed))
            })
            .collect()
    }
}

impl<'a> Job<'a> {
    /// A file of one piece.
    pub(super) fn build(
        path: String,
        tokens: impl Fn() -> TokenStream + Send + Sync + 'a,
        inputs: impl Fn(&mut Digest) + Send + Sync + 'a,
    ) -> Self {
        Job::pieces(path, vec![Piece::new(String::new(), tokens, inputs)])
    }

    /// A file of `pieces`, printed in order.
    pub(super) fn pieces(path: String, pieces: Vec<Piece<'a>>) -> Self {
        Job { path, pieces }
    }

    /// The file, each piece from `cache` when its key is there, else built,
    /// parsed and printed. A piece is keyed by what it is made from
    /// (`shared`: the plan and the features; its own inputs; what its
    /// folder exports from the file), so an unchanged one is never built;
    /// and then by its tokens' text, since inputs that changed (a name
    /// anywhere, say) may still give the same tokens.
    pub(super) fn print<'c>(
        &self,
        shared: &Digest,
        listing: &Listing,
        cache: &'c Cache,
    ) -> Result<Printed<'c>, Error> {
        let exports = listing.exports_of(&self.path);
        let mut contents = format!("// {MARKER}\n");
        let mut pieces = Vec::with_capacity(self.pieces.len());
        for piece in &self.pieces {
            let path = match piece.name.as_str() {
                "" => self.path.clone(),
                name => format!("{}#{name}", self.path),
            };
            let cached = cache.get(&path);
            let start = contents.len();
            let reuse = |cached: &Cached<'c>, contents: &mut String, inputs, text, origin| {
                contents.push_str(cached.contents);
                PrintedPiece {
                    path: path.clone(),
                    inputs,
                    text,
                    range: start..contents.len(),
                    lines: cached.lines.clone(),
                    kept: Some(cached.kept),
                    origin,
                }
            };
            let mut digest = shared.clone();
            // The piece's own path too: two pieces made from the same
            // inputs never share an entry.
            digest.add(&path);
            (piece.inputs)(&mut digest);
            let inputs = digest.add(&exports).finish();
            if let Some(cached) = &cached
                && inputs.is_some()
                && cached.inputs == inputs
            {
                let origin = Origin::SameInputs;
                pieces.push(reuse(cached, &mut contents, inputs, cached.text, origin));
                continue;
            }
            let tokens = (piece.tokens)();
            let text = cache::key(&tokens.to_string(), &exports);
            if let Some(cached) = &cached
                && cached.text == text
            {
                let origin = Origin::SameTokens;
                pieces.push(reuse(cached, &mut contents, inputs, text, origin));
                continue;
            }
            let parsed = parse(&self.path, syn::parse2(tokens))?;
            contents.push_str(&prettyplease::unparse(&parsed));
            pieces.push(PrintedPiece {
                lines: StoredLines::of(&listing.lines(&self.path, &parsed)),
                kept: None,
                path,
                inputs,
                text,
                range: start..contents.len(),
                origin: Origin::Printed,
            });
        }
        Ok(Printed {
            file: SourceFile {
                path: self.path.clone(),
                contents,
            },
            pieces,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use quote::quote;

    fn printed(job: &Job<'_>, cache: &Cache) -> String {
        let printed = job.print(&Digest::new(), &Listing::default(), cache);
        printed.unwrap().file.contents
    }

    #[test]
    fn pieces_print_as_their_whole_file() {
        let whole = Job::build(
            "api/x.rs".to_owned(),
            || {
                quote! {
                    //! Header.
                    /// A.
                    pub struct A(pub(crate) String);
                    impl A { pub fn get(self) -> u8 { 1 } }
                    /// B.
                    pub struct B;
                }
            },
            |_| {},
        );
        let pieces = Job::pieces(
            "api/x.rs".to_owned(),
            vec![
                Piece::new(
                    String::new(),
                    || {
                        quote! {
                            //! Header.
                        }
                    },
                    |_| {},
                ),
                Piece::new(
                    "a".to_owned(),
                    || {
                        quote! {
                            /// A.
                            pub struct A(pub(crate) String);
                            impl A { pub fn get(self) -> u8 { 1 } }
                        }
                    },
                    |_| {},
                ),
                Piece::new(
                    "b".to_owned(),
                    || {
                        quote! {
                            /// B.
                            pub struct B;
                        }
                    },
                    |_| {},
                ),
            ],
        );
        let cache = Cache::default();
        assert_eq!(printed(&pieces, &cache), printed(&whole, &cache));
    }

    #[test]
    fn lines_that_do_not_decode_are_read_again_from_the_piece() {
        let mut listing = Listing::default();
        let module = syn::parse_str("mod user; pub use user::User;").unwrap();
        listing.module("types/mod.rs", &module);
        let text = "pub struct User {\n    pub id: String,\n}\n";
        let fresh = listing.lines("types/user.rs", &syn::parse_str(text).unwrap());
        let contents = format!("// {MARKER}\n{text}");
        let printed = Printed {
            pieces: vec![PrintedPiece {
                path: "types/user.rs".to_owned(),
                inputs: None,
                text: 0,
                range: contents.len() - text.len()..contents.len(),
                lines: StoredLines::damaged(),
                kept: None,
                origin: Origin::SameInputs,
            }],
            file: SourceFile {
                path: "types/user.rs".to_owned(),
                contents,
            },
        };
        let read = printed.listing_lines(&listing).unwrap();
        assert_eq!(format!("{read:?}"), format!("{:?}", [fresh]));
        assert!(format!("{read:?}").contains("User"), "{read:?}");
    }
}
