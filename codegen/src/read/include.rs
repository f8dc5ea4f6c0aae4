//! `[!INCLUDE [label](path)]`: fragments spliced into the pages that
//! include them.
//!
//! Today's pages keep their permission tables in files under
//! `includes/permissions/`. Files below an `includes/` folder are
//! fragments, not pages; a page's include directive is replaced by the
//! fragment's blocks where the page needs them, that is when the fragment
//! holds a table or a code block (notes, disclaimers and cloud lists do
//! not change what a page means).
//!
//! Confinement: a target is resolved relative to the including file,
//! textually, and looked up among the fragments already read from inside
//! the docs root, which never include symbolic links. A target that climbs
//! out of the root, is absolute or a URL, is a symbolic link, is missing,
//! or includes itself (directly or not) is a diagnostic; nothing is ever
//! read for an include.

use super::{Block, Page};
use crate::diag::{Diagnostic, Sink};
use std::collections::{BTreeMap, BTreeSet};

/// Whether `file` (relative to the docs root) is a fragment: below an
/// `includes/` folder.
pub fn is_fragment(file: &str) -> bool {
    let mut folders = file.split('/').rev().skip(1);
    folders.any(|f| f.eq_ignore_ascii_case("includes"))
}

/// What the docs root holds besides pages: its fragments, by file, and its
/// symbolic links, which are never followed.
pub struct Fragments {
    pub pages: BTreeMap<String, Page>,
    pub links: BTreeSet<String>,
}

/// Replaces the include directives of `page` with the blocks of the
/// fragments they name, when those hold a table or a code block.
pub fn splice(page: &mut Page, fragments: &Fragments, diags: &mut Vec<Diagnostic>) {
    let mut sink = Sink::new(&page.file);
    let mut chain = vec![page.file.clone()];
    let file = page.file.clone();
    for section in &mut page.sections {
        let blocks = std::mem::take(&mut section.blocks);
        section.blocks = expand(&file, blocks, fragments, &mut chain, None, &mut sink);
    }
    diags.extend(sink.into_vec());
}

/// `blocks` of `file`, each include directive replaced by what it brings.
/// `chain` holds the files being expanded, to tell a cycle; `at` is the
/// page's line of the directive being expanded, where everything found
/// inside a fragment is reported.
fn expand(
    file: &str,
    blocks: Vec<Block>,
    fragments: &Fragments,
    chain: &mut Vec<String>,
    at: Option<u32>,
    sink: &mut Sink<'_>,
) -> Vec<Block> {
    let mut out = Vec::with_capacity(blocks.len());
    for block in blocks {
        let Some(target) = directive(&block) else {
            out.push(block);
            continue;
        };
        let line = at.unwrap_or_else(|| block_line(&block));
        match resolve(file, target, fragments) {
            Err(problem) => {
                if !problem.quiet(target) {
                    sink.note(line, problem.code(), problem.message(target));
                }
                out.push(block);
            }
            Ok(name) if chain.contains(&name) => {
                sink.warn(
                    line,
                    "include-cycle",
                    format!(
                        "`{target}` includes itself through {}; not followed",
                        chain.join(" → ")
                    ),
                );
                out.push(block);
            }
            Ok(name) => {
                let fragment = &fragments.pages[&name];
                chain.push(name.clone());
                let inner: Vec<Block> = fragment
                    .sections
                    .iter()
                    .flat_map(|s| s.blocks.iter().cloned())
                    .collect();
                let inner = expand(&name, inner, fragments, chain, Some(line), sink);
                chain.pop();
                if inner
                    .iter()
                    .any(|b| matches!(b, Block::Table(_) | Block::Code(_)))
                {
                    // The fragment's own lines mean nothing in this page:
                    // what it brings is reported at the directive.
                    out.extend(inner.into_iter().map(|b| relocated(b, line)));
                } else {
                    out.push(block);
                }
            }
        }
    }
    out
}

/// The target of an include directive paragraph:
/// `[!INCLUDE [permissions-table](../includes/permissions/x.md)]`.
fn directive(block: &Block) -> Option<&str> {
    let Block::Paragraph(p) = block else {
        return None;
    };
    if !is_directive(p) {
        return None;
    }
    p.links.first().map(|l| l.target.trim())
}

/// Whether a paragraph is an include directive.
pub(super) fn is_directive(p: &super::Inline) -> bool {
    p.text
        .trim_start()
        .get(..9)
        .is_some_and(|head| head.eq_ignore_ascii_case("[!include"))
}

/// Why an include is not followed.
enum Problem {
    /// Absolute, a URL, or climbing above the docs root.
    Outside,
    Link,
    Missing,
}

impl Problem {
    fn code(&self) -> &'static str {
        match self {
            Problem::Outside => "include-outside-root",
            Problem::Link => "include-symlink",
            Problem::Missing => "include-missing",
        }
    }

    fn message(&self, target: &str) -> String {
        match self {
            Problem::Outside => format!("`{target}` is outside the docs root; not read"),
            Problem::Link => format!("`{target}` is a symbolic link; not followed"),
            Problem::Missing => {
                format!("`{target}` is not in the docs tree; the page is read without it")
            }
        }
    }

    /// Code snippets in other languages are never needed, and the 2021
    /// snapshots hold none: their absence is not worth a note.
    fn quiet(&self, target: &str) -> bool {
        matches!(self, Problem::Missing) && target.contains("includes/snippets")
    }
}

/// `target` relative to `file`'s folder, as a name in the docs root.
fn resolve(file: &str, target: &str, fragments: &Fragments) -> Result<String, Problem> {
    let name = super::link_target(file, target).ok_or(Problem::Outside)?;
    if fragments.links.contains(&name) {
        Err(Problem::Link)
    } else if fragments.pages.contains_key(&name) {
        Ok(name)
    } else {
        Err(Problem::Missing)
    }
}

fn block_line(block: &Block) -> u32 {
    match block {
        Block::Paragraph(p) => p.line,
        Block::Table(t) => t.line,
        Block::Code(c) => c.line,
    }
}

/// `block` with every line set to `line`.
fn relocated(mut block: Block, line: u32) -> Block {
    match &mut block {
        Block::Paragraph(p) => p.line = line,
        Block::Table(t) => {
            t.line = line;
            for row in &mut t.rows {
                row.line = line;
                for cell in &mut row.cells {
                    cell.line = line;
                }
            }
        }
        Block::Code(c) => {
            c.line = line;
            if let Some(a) = &mut c.annotation {
                a.line = line;
            }
        }
    }
    block
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::read::parse_page;

    fn fragments(files: &[(&str, &str)], links: &[&str]) -> Fragments {
        Fragments {
            pages: files
                .iter()
                .map(|(f, t)| ((*f).to_owned(), parse_page(f, t.as_bytes()).0))
                .collect(),
            links: links.iter().map(|l| (*l).to_owned()).collect(),
        }
    }

    fn page(body: &str) -> Page {
        parse_page("api/x-get.md", body.as_bytes()).0
    }

    const TABLE: &str = "|Permission type|Least privileged permission(s)|Higher privileged permissions|\n|:---|:---|:---|\n|Application|A.Read.All|A.ReadWrite.All|\n";

    #[test]
    fn fragments_live_below_includes_folders() {
        assert!(is_fragment("includes/permissions/x.md"));
        assert!(is_fragment("v1.0/Includes/a.md"));
        assert!(!is_fragment("api/includes.md"));
        assert!(!is_fragment("api/x.md"));
    }

    #[test]
    fn a_table_fragment_takes_the_directive_place_at_its_line() {
        let fr = fragments(&[("includes/permissions/x.md", TABLE)], &[]);
        let mut p = page(
            "# X\n\n## Permissions\n\n[!INCLUDE [permissions-table](../includes/permissions/x.md)]\n\n## Next\n",
        );
        let mut diags = Vec::new();
        splice(&mut p, &fr, &mut diags);
        assert!(diags.is_empty(), "{diags:?}");
        let Some(Block::Table(t)) = p.sections[2].blocks.first() else {
            panic!("{:?}", p.sections[2]);
        };
        assert_eq!((t.line, t.rows[0].line), (5, 5));
        assert_eq!(t.rows[0].cells[2].text, "A.ReadWrite.All");
    }

    #[test]
    fn outside_links_missing_files_and_cycles_are_diagnostics() {
        let fr = fragments(
            &[
                ("includes/a.md", "[!INCLUDE [b](b.md)]\n"),
                (
                    "includes/b.md",
                    "[!INCLUDE [a](./a.md)]\n\n|x|y|\n|-|-|\n|1|2|\n",
                ),
                ("includes/note.md", "Only a note.\n"),
            ],
            &["includes/link.md"],
        );
        let mut p = page(
            "# X\n\n[!INCLUDE [a](../../secret.md)]\n\n[!INCLUDE [a](/etc/passwd)]\n\n[!INCLUDE [a](https://example.com/x.md)]\n\n[!INCLUDE [a](../includes/link.md)]\n\n[!INCLUDE [a](../includes/gone.md)]\n\n[!INCLUDE [a](../includes/snippets/go/x.md)]\n\n[!INCLUDE [a](../includes/a.md)]\n\n[!INCLUDE [n](../includes/note.md)]\n",
        );
        let mut diags = Vec::new();
        splice(&mut p, &fr, &mut diags);
        let codes: Vec<(&str, u32)> = diags.iter().map(|d| (d.code, d.line)).collect();
        assert_eq!(
            codes,
            [
                ("include-outside-root", 3),
                ("include-outside-root", 5),
                ("include-outside-root", 7),
                ("include-symlink", 9),
                ("include-missing", 11),
                ("include-cycle", 15),
            ]
        );
        // The cycle is cut where it closes: b's table still arrives; the
        // note-only fragment leaves its directive in place.
        let blocks = &p.sections[1].blocks;
        assert!(
            blocks
                .iter()
                .any(|b| matches!(b, Block::Table(t) if t.line == 15))
        );
        assert_eq!(blocks.iter().filter(|b| directive(b).is_some()).count(), 8);
    }
}
