//! Stage 1, read: Markdown pages → [`Page`]s.
//!
//! A page is kept close to its Markdown: sections by heading, and in each
//! section the paragraphs, tables and code blocks with the `<!-- { … } -->`
//! annotation that preceded them. Every piece keeps its line so that later
//! stages can point diagnostics at the docs. Nothing here knows what a
//! resource or an operation is; that is the model's job.

mod annotation;
mod front_matter;
mod include;
mod markdown;
mod reuse;
pub(crate) mod source;

pub use annotation::Annotation;
pub use include::is_fragment;
pub use markdown::parse_page;
pub use reuse::Parsed;

use crate::diag::{Diagnostic, Sink};
use crate::fields_key::FieldsKey;
use crate::file_names;
use crate::file_state::State;
use rayon::prelude::*;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// One Markdown page, as read.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Page {
    /// Path relative to the docs root, with `/` separators.
    pub file: String,
    /// `key: value` pairs of the YAML front matter (absent on older pages).
    pub front_matter: BTreeMap<String, String>,
    /// Sections in document order. The first one (level 0, no heading) holds
    /// what precedes the first heading.
    pub sections: Vec<Section>,
}

/// A heading and the blocks up to the next heading of any level.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Section {
    /// 1–6 for headings, 0 for the untitled start of the page.
    pub level: u8,
    /// Heading text with inline markup removed.
    pub heading: String,
    pub line: u32,
    pub blocks: Vec<Block>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum Block {
    Paragraph(Inline),
    Table(Table),
    Code(CodeBlock),
}

/// Inline text: a paragraph, a heading or a table cell.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Inline {
    /// Text with emphasis dropped, code spans kept in backticks, link text
    /// kept and link targets moved to `links`, `<br>` as a space.
    pub text: String,
    pub links: Vec<Link>,
    /// Whether the text sits inside a block quote (notes, warnings).
    pub quoted: bool,
    pub line: u32,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Link {
    pub text: String,
    pub target: String,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Table {
    pub header: Vec<String>,
    pub rows: Vec<Row>,
    pub line: u32,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Row {
    /// One cell per header column: short rows are padded with empty cells.
    pub cells: Vec<Inline>,
    pub line: u32,
    /// The row's line lacks the leading `|` the table's header line has.
    pub continued: bool,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct CodeBlock {
    /// First word of the fence's info string, lower-cased (`http`, `json`).
    pub lang: String,
    pub text: String,
    /// Line of the first line inside the fence.
    pub line: u32,
    pub annotation: Option<Annotation>,
}

impl Table {
    /// Index of the first column whose header matches one of `names`,
    /// compared case-insensitively and ignoring spaces and punctuation.
    pub fn column(&self, names: &[&str]) -> Option<usize> {
        // Compared as they are folded, without building either: endpoints
        // ask every table of their page for several columns.
        (self.header.iter()).position(|h| (names.iter()).any(|n| fold_header(h).eq(fold_header(n))))
    }

    /// Whether the header's first column is one of `names`.
    pub fn is_keyed_by(&self, names: &[&str]) -> bool {
        self.column(names) == Some(0)
    }
}

fn fold_header(h: &str) -> impl Iterator<Item = char> + '_ {
    h.chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
}

impl Page {
    /// The H1 title, if the page has one.
    pub fn title(&self) -> Option<&Section> {
        self.sections.iter().find(|s| s.level == 1)
    }

    /// The line of the H1 title, or 1: where page-level findings point.
    pub fn title_line(&self) -> u32 {
        self.title().map_or(1, |t| t.line)
    }

    /// Sections whose heading, lower-cased and trimmed, satisfies `pred`.
    pub fn sections_where<'a>(
        &'a self,
        pred: impl Fn(&str) -> bool + 'a,
    ) -> impl Iterator<Item = (usize, &'a Section)> + 'a {
        self.sections
            .iter()
            .enumerate()
            .filter(move |(_, s)| s.level > 0 && pred(&s.heading.trim().to_lowercase()))
    }

    /// Section `index` and every section nested under it.
    pub fn subsections(&self, index: usize) -> &[Section] {
        let level = self.sections[index].level;
        let end = self.sections[index + 1..]
            .iter()
            .position(|s| s.level <= level)
            .map_or(self.sections.len(), |p| index + 1 + p);
        &self.sections[index..end]
    }

    /// The blocks of section `index` and of every section nested under it.
    pub fn subtree(&self, index: usize) -> impl Iterator<Item = &Block> {
        self.subsections(index).iter().flat_map(|s| &s.blocks)
    }

    /// Every block on the page, in order.
    pub fn blocks(&self) -> impl Iterator<Item = &Block> {
        self.sections.iter().flat_map(|s| &s.blocks)
    }
}

/// The file a link target in `file` names, relative to the docs root, as
/// a `/`-separated name: resolved textually, without touching the disk.
/// `None` for an absolute path, a URL, or a target that climbs above the
/// root. A `#fragment` or `?query` is left out.
pub fn link_target(file: &str, target: &str) -> Option<String> {
    let target = target.split(['#', '?']).next().unwrap_or_default();
    if target.starts_with(['/', '\\']) || target.contains(':') {
        return None;
    }
    let mut parts: Vec<&str> = file.split('/').collect();
    parts.pop();
    for piece in target.split(['/', '\\']) {
        match piece {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            p => parts.push(p),
        }
    }
    Some(parts.join("/"))
}

/// Reads every `.md` file below `root`, in sorted path order, and splices
/// the fragments below `includes/` folders into the pages that include
/// them (see `include`); fragments are not pages.
///
/// Pages are read and parsed on every core; results come back in path
/// order whatever the thread count. Unreadable files become diagnostics;
/// the walk never stops early.
pub fn read_dir(root: &Path) -> (Vec<Page>, Vec<Diagnostic>) {
    Sources::read(root).parse()
}

/// The Markdown files below a docs root as the file system lists them
/// ([`markdown_files`]), before any is read: with their states, enough for
/// a stamp to tell that the docs it recorded did not change, unread
/// ([`crate::write::Stamp::docs_key`]).
#[derive(Debug)]
pub struct Listing {
    /// Each file's name relative to the root ([`file_names::relative`]) and its
    /// path, in name order.
    files: Vec<(String, PathBuf)>,
    links: BTreeSet<String>,
    diagnostics: Vec<Diagnostic>,
    /// See [`Listing::key`].
    key: u128,
}

impl Listing {
    pub fn of(root: &Path) -> Listing {
        let mut diagnostics = Vec::new();
        let mut links = BTreeSet::new();
        let files = walk(root, &mut diagnostics, &mut links);
        let mut key = FieldsKey::default();
        key.field(&(files.len() as u64).to_le_bytes());
        for (name, _) in &files {
            key.field(name.as_bytes());
        }
        key.field(&(links.len() as u64).to_le_bytes());
        for link in &links {
            key.field(link.as_bytes());
        }
        for d in &diagnostics {
            key.field(d.to_string().as_bytes());
        }
        Listing {
            files,
            links,
            diagnostics,
            key: key.finish(),
        }
    }

    /// A 128-bit hash of the files' names, the links and what the walk
    /// found: equal keys mean the same files to read, in the same order.
    pub fn key(&self) -> u128 {
        self.key
    }

    /// Each file's state as it is now, in order, taken on every core.
    pub(crate) fn states(&self) -> Vec<std::io::Result<State>> {
        (self.files.par_iter())
            .map(|(_, path)| State::of(path))
            .collect()
    }

    /// Reads the files on every core, each file's state taken before its
    /// bytes, so that a change while it is read shows in the next run's.
    pub fn read(self) -> Sources {
        let listing = self.key;
        let read: Vec<_> = (self.files.into_par_iter())
            .map(|(name, path)| {
                let read = read_file(&path);
                let state = read.as_ref().ok().and_then(|(_, state)| *state);
                let read = read.map(|(bytes, _)| (reuse::key(&name, &bytes), bytes));
                ((name, read), state)
            })
            .collect();
        let (files, states): (Vec<_>, Vec<_>) = read.into_iter().unzip();
        Sources {
            files,
            links: self.links,
            diagnostics: self.diagnostics,
            listing,
            states: states.into_iter().collect(),
        }
    }
}

/// A file's bytes, and its state just before they were read.
fn read_file(path: &Path) -> std::io::Result<(Vec<u8>, Option<State>)> {
    use std::io::Read;
    let mut file = std::fs::File::open(path)?;
    let meta = file.metadata()?;
    let mut bytes = Vec::new();
    // A file too large to hold is an unreadable file, not an abort.
    let len = usize::try_from(meta.len()).unwrap_or(usize::MAX);
    (bytes.try_reserve_exact(len))
        .map_err(|e| std::io::Error::new(std::io::ErrorKind::OutOfMemory, e))?;
    file.read_to_end(&mut bytes)?;
    Ok((bytes, State::from_metadata(&meta).ok()))
}

/// The bytes of every Markdown file below a docs root, before any parsing:
/// what a run depends on, so that a run can tell from their [`key`]
/// whether anything changed before spending time on them.
///
/// [`key`]: Sources::key
#[derive(Debug)]
pub struct Sources {
    /// Relative name and what was read, in path order.
    files: Vec<(String, std::io::Result<Keyed>)>,
    links: BTreeSet<String>,
    diagnostics: Vec<Diagnostic>,
    /// The key of the [`Listing`] read.
    listing: u128,
    /// Each file's state before it was read; `None` if any file was
    /// unreadable or told none.
    states: Option<Vec<State>>,
}

/// A file's bytes, with the key of its name and bytes (`reuse::key`):
/// what the set of parsed pages keeps it under, and its part of
/// [`Sources::key`].
type Keyed = (u128, Vec<u8>);

impl Sources {
    /// Lists the files below `root` ([`markdown_files`]) and reads them on
    /// every core.
    pub fn read(root: &Path) -> Sources {
        Listing::of(root).read()
    }

    /// A 128-bit hash of every name and byte read, and of what could not
    /// be read: equal keys mean equal input to [`Sources::parse`].
    pub fn key(&self) -> u128 {
        let mut key = FieldsKey::default();
        key.field(&self.listing.to_le_bytes());
        for (_, read) in &self.files {
            match read {
                Ok((file, _)) => key.field(&file.to_le_bytes()),
                Err(e) => key.field(format!("unreadable: {e}").as_bytes()),
            }
        }
        key.finish()
    }

    /// The key of the listing read and each file's state before it was
    /// read, in order: what a stamp keeps to know these bytes again
    /// unread. `None` when a file was unreadable or told no state.
    pub(crate) fn states(&self) -> Option<(u128, &[State])> {
        Some((self.listing, self.states.as_deref()?))
    }

    /// Parses every page on every core and splices the fragments in.
    pub fn parse(self) -> (Vec<Page>, Vec<Diagnostic>) {
        let (pages, diagnostics, _) = self.parse_reusing(None);
        (pages, diagnostics)
    }

    /// [`Sources::parse`], decoding the pages whose name and bytes are
    /// in `previous` instead of parsing them; given a previous set, with
    /// this run's, for the next.
    pub fn parse_reusing(
        self,
        previous: Option<Parsed>,
    ) -> (Vec<Page>, Vec<Diagnostic>, Option<Parsed>) {
        let Sources {
            files,
            links,
            mut diagnostics,
            ..
        } = self;
        let read: Vec<ParsedFile> = files
            .into_par_iter()
            .map(|(file, read)| parse_file(file, read, previous.as_ref()))
            .collect();
        let mut entries = Vec::with_capacity(read.len());
        let mut pages = Vec::with_capacity(read.len());
        let mut fragments = include::Fragments {
            pages: BTreeMap::new(),
            links,
        };
        for ParsedFile { page, found, entry } in read {
            if let Some(entry) = entry {
                entries.push((entry.key, entry.bytes));
            }
            match page {
                Some(p) if is_fragment(&p.file) => {
                    fragments.pages.insert(p.file.clone(), p);
                }
                Some(p) => pages.push(p),
                None => {}
            }
            diagnostics.extend(found);
        }
        let spliced: Vec<Vec<Diagnostic>> = pages
            .par_iter_mut()
            .map(|page| {
                let mut found = Vec::new();
                include::splice(page, &fragments, &mut found);
                found
            })
            .collect();
        diagnostics.extend(spliced.into_iter().flatten());
        let parsed = previous.map(|previous| Parsed::of(entries, previous));
        (pages, diagnostics, parsed)
    }
}

/// One file read: its page (none when unreadable), its findings, and its
/// entry in this run's set of parsed pages, when one is kept.
struct ParsedFile {
    page: Option<Page>,
    found: Vec<Diagnostic>,
    entry: Option<Entry>,
}

struct Entry {
    key: u128,
    bytes: reuse::Bytes,
}

/// Parses one file, or decodes it from `previous` when that holds its
/// name and bytes.
fn parse_file(file: String, read: std::io::Result<Keyed>, previous: Option<&Parsed>) -> ParsedFile {
    let (key, bytes) = match read {
        Ok(read) => read,
        Err(e) => {
            let mut sink = Sink::new(&file);
            sink.warn(1, "unreadable-file", e.to_string());
            return ParsedFile {
                page: None,
                found: sink.into_vec(),
                entry: None,
            };
        }
    };
    let Some(previous) = previous else {
        let (page, found) = parse_page(&file, &bytes);
        return ParsedFile {
            page: Some(page),
            found,
            entry: None,
        };
    };
    if let Some((kept, bytes)) = previous.get(key)
        && let Some((page, found)) = reuse::decode(&file, kept)
    {
        return ParsedFile {
            page: Some(page),
            found,
            entry: Some(Entry { key, bytes }),
        };
    }
    let (page, found) = parse_page(&file, &bytes);
    let bytes = reuse::Bytes::New(reuse::encode(&page, &found));
    ParsedFile {
        page: Some(page),
        found,
        entry: Some(Entry { key, bytes }),
    }
}

/// The Markdown files below `root`, sorted so that output never depends on
/// the order the file system lists them in. `README.md` files describe
/// their folder, not the API, and are skipped.
///
/// Symbolic links (below `root`) are not followed, and each gets a note: a
/// link may point anywhere on the machine that runs the generator, and
/// docs come from many hands.
pub fn markdown_files(root: &Path, diagnostics: &mut Vec<Diagnostic>) -> Vec<PathBuf> {
    let files = walk(root, diagnostics, &mut BTreeSet::new());
    files.into_iter().map(|(_, path)| path).collect()
}

/// [`markdown_files`], each with its [`file_names::relative`], in name order,
/// and the names of the symbolic links put in `links`, so that an include
/// through one is told apart from a missing file.
fn walk(
    root: &Path,
    diagnostics: &mut Vec<Diagnostic>,
    links: &mut BTreeSet<String>,
) -> Vec<(String, PathBuf)> {
    let mut files = Vec::new();
    let mut found = Vec::new();
    // Unsorted: sorting each folder, or the paths, compares them component
    // by component, parsing each path again on every comparison (a tenth
    // of a run that finds its stamp current). The names are sorted once at
    // the end, in the same order (`file_names::sort`).
    for entry in walkdir::WalkDir::new(root) {
        match entry {
            Ok(e) if e.depth() > 0 && e.path_is_symlink() => {
                let file = file_names::relative(root, e.path());
                links.insert(file.clone());
                let mut sink = Sink::new(&file);
                sink.note(
                    1,
                    "symlink-not-followed",
                    "a symbolic link: not read, since it may lead out of the docs tree",
                );
                found.extend(sink.into_vec());
            }
            Ok(e)
                if e.file_type().is_file()
                    && Path::new(e.file_name())
                        .extension()
                        .is_some_and(|x| x == "md")
                    && !e.file_name().eq_ignore_ascii_case("README.md") =>
            {
                files.push((file_names::relative(root, e.path()), e.into_path()));
            }
            Ok(_) => {}
            Err(e) => {
                let name = e.path().map_or_else(
                    || root.display().to_string(),
                    |p| file_names::relative(root, p),
                );
                let mut sink = Sink::new(&name);
                sink.warn(1, "unreadable-file", e.to_string());
                found.extend(sink.into_vec());
            }
        }
    }
    file_names::sort(&mut files);
    found.sort();
    diagnostics.extend(found);
    files
}

#[cfg(test)]
mod tests {
    use super::*;
    #[test]
    fn a_listing_names_its_pages_from_the_root_in_path_order() {
        let root = std::env::temp_dir().join(format!("docgen-listing-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&root);
        for name in ["a-b/x.md", "a/x.md", "a.md", "a/b/README.md", "a/notes.txt"] {
            let path = root.join(name);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, "# page\n").unwrap();
        }
        let listing = Listing::of(&root);
        let names: Vec<_> = listing.files.iter().map(|(n, _)| n.as_str()).collect();
        assert_eq!(names, ["a/x.md", "a-b/x.md", "a.md"]);
        assert!(listing.files.iter().all(|(n, p)| *p == root.join(n)));
        std::fs::remove_dir_all(&root).unwrap();
    }
}
