//! The pulldown-cmark walk that turns one page into sections and blocks.

use super::annotation::Annotation;
use super::source::{LineIndex, decode};
use super::{Block, CodeBlock, Inline, Link, Page, Row, Section, Table, front_matter};
use crate::diag::{Diagnostic, Sink};
use pulldown_cmark::{CodeBlockKind, Event, Options, Parser, Tag, TagEnd};

/// Reads one page. Never fails: what cannot be read becomes a diagnostic.
pub fn parse_page(file: &str, bytes: &[u8]) -> (Page, Vec<Diagnostic>) {
    let mut sink = Sink::new(file);
    let text = decode(bytes, &mut sink);
    let mut walk = Walk {
        lines: LineIndex::new(&text),
        sink,
        page: Page {
            file: file.to_owned(),
            sections: vec![Section::default()],
            ..Page::default()
        },
        inline: None,
        table: None,
        code: None,
        html: None,
        metadata: None,
        annotation: None,
        quote_depth: 0,
        pipe_led: false,
        table_pipe_led: false,
    };
    let options = Options::ENABLE_TABLES | Options::ENABLE_YAML_STYLE_METADATA_BLOCKS;
    for (event, range) in Parser::new_ext(&text, options).into_offset_iter() {
        let line = walk.lines.line(range.start);
        if matches!(event, Event::Start(Tag::Table(_) | Tag::TableRow)) {
            walk.pipe_led = text[range.start..].starts_with('|');
        }
        walk.event(event, line);
    }
    walk.finish()
}

/// Inline text being collected, with the links still open.
struct OpenInline {
    inline: Inline,
    open_links: Vec<(String, usize)>,
}

struct Walk<'f> {
    lines: LineIndex,
    sink: Sink<'f>,
    page: Page,
    inline: Option<OpenInline>,
    table: Option<(Table, Option<Row>)>,
    code: Option<CodeBlock>,
    html: Option<(String, u32)>,
    metadata: Option<String>,
    /// An annotation waiting for the table or code block it describes.
    annotation: Option<Annotation>,
    quote_depth: usize,
    /// Whether the table or row starting now begins with `|` in the source.
    pipe_led: bool,
    /// Whether the open table's header did.
    table_pipe_led: bool,
}

impl Walk<'_> {
    fn event(&mut self, event: Event<'_>, line: u32) {
        match event {
            Event::Start(tag) => self.start(tag, line),
            Event::End(tag) => self.end(tag),
            Event::Text(t) => {
                if let Some(code) = &mut self.code {
                    code.text.push_str(&t);
                } else if let Some(meta) = &mut self.metadata {
                    meta.push_str(&t);
                } else {
                    self.push_text(&t);
                }
            }
            Event::Code(t) => {
                self.push_text("`");
                self.push_text(&t);
                self.push_text("`");
            }
            Event::SoftBreak | Event::HardBreak => self.push_text(" "),
            Event::InlineHtml(h) if is_line_break(&h) => self.push_text(" "),
            Event::Html(h) => {
                if let Some((html, _)) = &mut self.html {
                    html.push_str(&h);
                }
            }
            _ => {}
        }
    }

    fn start(&mut self, tag: Tag<'_>, line: u32) {
        match tag {
            Tag::Heading { .. } | Tag::Paragraph | Tag::TableCell => self.open_inline(line),
            Tag::Link { dest_url, .. } => {
                if let Some(open) = &mut self.inline {
                    let at = open.inline.text.len();
                    open.open_links.push((dest_url.into_string(), at));
                }
            }
            Tag::Table(_) => {
                self.table_pipe_led = self.pipe_led;
                let table = Table {
                    line,
                    ..Table::default()
                };
                self.table = Some((table, None));
            }
            Tag::TableRow => {
                if let Some((_, row)) = &mut self.table {
                    *row = Some(Row {
                        continued: self.table_pipe_led && !self.pipe_led,
                        cells: Vec::new(),
                        line,
                    });
                }
            }
            Tag::CodeBlock(kind) => {
                let lang = match kind {
                    CodeBlockKind::Fenced(info) => info
                        .split(|c: char| c.is_whitespace() || c == ',' || c == '{')
                        .next()
                        .unwrap_or_default()
                        .to_ascii_lowercase(),
                    CodeBlockKind::Indented => String::new(),
                };
                self.code = Some(CodeBlock {
                    lang,
                    text: String::new(),
                    line: line + 1,
                    annotation: self.annotation.take(),
                });
            }
            Tag::HtmlBlock => self.html = Some((String::new(), line)),
            Tag::MetadataBlock(_) => self.metadata = Some(String::new()),
            Tag::BlockQuote(_) => self.quote_depth += 1,
            _ => {}
        }
    }

    fn end(&mut self, tag: TagEnd) {
        match tag {
            TagEnd::Heading(level) => {
                let Some(inline) = self.close_inline() else {
                    return;
                };
                if is_tab_marker(&inline) {
                    return;
                }
                self.drop_unpaired_annotation();
                self.page.sections.push(Section {
                    level: level as u8,
                    heading: inline.text.trim().to_owned(),
                    line: inline.line,
                    blocks: Vec::new(),
                });
            }
            TagEnd::Paragraph => {
                if let Some(inline) = self.close_inline() {
                    // `<!-- { "blockType": "permissions" } -->` before an
                    // include: the table the include brings is what it
                    // describes.
                    if super::include::is_directive(&inline) {
                        self.annotation = None;
                    }
                    self.push_block(Block::Paragraph(inline));
                }
            }
            TagEnd::Link => {
                if let Some(open) = &mut self.inline
                    && let Some((target, at)) = open.open_links.pop()
                {
                    let text = open
                        .inline
                        .text
                        .get(at..)
                        .unwrap_or_default()
                        .trim()
                        .to_owned();
                    open.inline.links.push(Link { text, target });
                }
            }
            TagEnd::TableCell => {
                let cell = self.close_inline().unwrap_or_default();
                if let Some((table, row)) = &mut self.table {
                    match row {
                        Some(row) => row.cells.push(cell),
                        None => table.header.push(cell.text.trim().to_owned()),
                    }
                }
            }
            TagEnd::TableRow => {
                if let Some((table, row)) = &mut self.table
                    && let Some(mut row) = row.take()
                {
                    // A line without a leading `|` holding one piece of text, in
                    // a table whose header has the `|`, is the previous row's
                    // last cell run onto a new line. A fuller row without the
                    // `|` is still a row.
                    if row.continued
                        && row
                            .cells
                            .iter()
                            .filter(|c| !c.text.trim().is_empty())
                            .count()
                            == 1
                        && let Some(last) = table.rows.last_mut().and_then(|r| r.cells.last_mut())
                    {
                        for cell in row.cells.into_iter().filter(|c| !c.text.trim().is_empty()) {
                            last.text.push(' ');
                            last.text.push_str(cell.text.trim());
                            last.links.extend(cell.links);
                        }
                        self.sink.note(
                            row.line,
                            "table-row-continued",
                            "line without a leading `|` read as the end of the previous row",
                        );
                        return;
                    }
                    row.cells
                        .resize_with(table.header.len().max(row.cells.len()), || Inline {
                            line: row.line,
                            ..Inline::default()
                        });
                    table.rows.push(row);
                }
            }
            TagEnd::Table => {
                if let Some((table, _)) = self.table.take() {
                    self.push_block(Block::Table(table));
                }
            }
            TagEnd::CodeBlock => {
                if let Some(code) = self.code.take() {
                    self.push_block(Block::Code(code));
                }
            }
            TagEnd::HtmlBlock => {
                if let Some((html, line)) = self.html.take()
                    && let Some(a) = Annotation::from_comment(&html, line, &mut self.sink)
                {
                    self.drop_unpaired_annotation();
                    self.annotation = Some(a);
                }
            }
            TagEnd::MetadataBlock(_) => {
                if let Some(meta) = self.metadata.take() {
                    self.page.front_matter = front_matter::parse(&meta);
                }
            }
            TagEnd::BlockQuote(_) => self.quote_depth = self.quote_depth.saturating_sub(1),
            _ => {}
        }
    }

    fn open_inline(&mut self, line: u32) {
        self.inline = Some(OpenInline {
            inline: Inline {
                line,
                quoted: self.quote_depth > 0,
                ..Inline::default()
            },
            open_links: Vec::new(),
        });
    }

    fn close_inline(&mut self) -> Option<Inline> {
        self.inline.take().map(|open| open.inline)
    }

    fn push_text(&mut self, text: &str) {
        if let Some(open) = &mut self.inline {
            open.inline.text.push_str(text);
        }
    }

    fn push_block(&mut self, block: Block) {
        if let Some(section) = self.page.sections.last_mut() {
            section.blocks.push(block);
        }
    }

    /// An annotation followed by a heading or another annotation describes
    /// nothing; page-level annotations (`#page.annotation`) are expected to.
    fn drop_unpaired_annotation(&mut self) {
        if let Some(a) = self.annotation.take()
            && a.block_type().is_some()
        {
            self.sink.note(
                a.line,
                "unpaired-annotation",
                "annotation is not followed by a table or code block; it is ignored",
            );
        }
    }

    fn finish(mut self) -> (Page, Vec<Diagnostic>) {
        self.drop_unpaired_annotation();
        (self.page, self.sink.into_vec())
    }
}

fn is_line_break(html: &str) -> bool {
    let tag: String = html
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '/')
        .collect();
    tag.eq_ignore_ascii_case("<br>")
}

/// `# [HTTP](#tab/http)` headings switch between code tabs; they are not sections.
fn is_tab_marker(heading: &Inline) -> bool {
    heading.links.len() == 1 && heading.links[0].target.starts_with("#tab/")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(md: &str) -> (Page, Vec<Diagnostic>) {
        parse_page("p.md", md.as_bytes())
    }

    #[test]
    fn front_matter_title_and_sections() {
        let (page, diags) = read(
            "---\ntitle: \"Get user\"\ndoc_type: apiPageType\n---\n\n# Get user\n\nIntro [user](../resources/user.md).\n\n## HTTP request\n\ntext\n",
        );
        assert!(diags.is_empty(), "{diags:?}");
        assert_eq!(page.front_matter["doc_type"], "apiPageType");
        let title = page.title().unwrap();
        assert_eq!((title.heading.as_str(), title.line), ("Get user", 6));
        let Block::Paragraph(p) = &title.blocks[0] else {
            panic!()
        };
        assert_eq!(p.text, "Intro user.");
        assert_eq!(p.links[0].target, "../resources/user.md");
        assert_eq!(page.sections_where(|h| h == "http request").count(), 1);
    }

    #[test]
    fn annotations_pair_with_the_next_block_and_tab_markers_are_not_sections() {
        let (page, diags) = read(
            "## Example\n\n# [HTTP](#tab/http)\n<!-- {\n  \"blockType\": \"request\",\n  \"name\": \"x\",\n} -->\n```http\nGET https://graph.microsoft.com/v1.0/me\n```\n",
        );
        assert!(diags.is_empty(), "{diags:?}");
        assert_eq!(page.sections.len(), 2);
        let Block::Code(code) = &page.sections[1].blocks[0] else {
            panic!()
        };
        assert_eq!(code.lang, "http");
        assert_eq!(code.line, 9);
        assert_eq!(code.text, "GET https://graph.microsoft.com/v1.0/me\n");
        let a = code.annotation.as_ref().unwrap();
        assert_eq!((a.str("name"), a.line), (Some("x"), 4));
    }

    #[test]
    fn tables_keep_cells_links_and_lines_and_pad_short_rows() {
        let (page, _) = read(
            "|Property|Type|Description|\n|:--|:--|:--|\n|target|[deviceAndAppManagementAssignmentTarget](a.md)|One<br>two \\| three|\n|short|String|\n",
        );
        let Block::Table(t) = &page.sections[0].blocks[0] else {
            panic!()
        };
        assert_eq!(t.header, ["Property", "Type", "Description"]);
        assert_eq!(t.column(&["type"]), Some(1));
        assert_eq!(t.rows.len(), 2);
        assert_eq!(t.rows[0].line, 3);
        assert_eq!(
            t.rows[0].cells[1].links[0].text,
            "deviceAndAppManagementAssignmentTarget"
        );
        assert_eq!(t.rows[0].cells[2].text, "One two | three");
        assert_eq!(t.rows[1].cells.len(), 3);
        assert_eq!(t.rows[1].cells[2].text, "");
    }

    #[test]
    fn a_description_run_onto_the_next_line_stays_in_its_row() {
        let (page, diags) = read(
            "|Property|Type|Description|\n|--|--|--|\n|a|Int64|First part\nsecond part|\n|b|String|Next.|\n",
        );
        let Block::Table(t) = &page.sections[0].blocks[0] else {
            panic!()
        };
        assert_eq!(t.rows.len(), 2);
        assert_eq!(t.rows[0].cells[2].text, "First part second part");
        assert_eq!(t.rows[1].cells[0].text, "b");
        assert_eq!((diags[0].code, diags[0].line), ("table-row-continued", 4));

        let (page, _) = read(
            "|Property|Type|Description|\n|--|--|--|\n|a|Int64|First.|\nb|String|Full row without a leading pipe.|\n",
        );
        let Block::Table(t) = &page.sections[0].blocks[0] else {
            panic!()
        };
        assert_eq!(t.rows.len(), 2, "a full row is kept as a row");
    }

    #[test]
    fn an_annotation_before_a_heading_is_reported() {
        let (_, diags) = read("<!-- { \"blockType\": \"ignored\" } -->\n\n## Next\n");
        assert_eq!(diags[0].code, "unpaired-annotation");
        assert_eq!(diags[0].line, 1);
    }

    #[test]
    fn quoted_paragraphs_are_marked() {
        let (page, _) = read("> **Note:** careful\n\nplain\n");
        let quoted: Vec<bool> = page
            .blocks()
            .map(|b| matches!(b, Block::Paragraph(p) if p.quoted))
            .collect();
        assert_eq!(quoted, [true, false]);
    }
}
