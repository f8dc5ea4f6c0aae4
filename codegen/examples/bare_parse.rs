//! The floor for generation time: one pulldown-cmark pass, with the reader's
//! options, over every Markdown file below the given folders, doing nothing
//! with the events but count them. `bench/corpus.sh` times it beside the
//! full pipeline.

use pulldown_cmark::{Options, Parser};

fn main() {
    let options = Options::ENABLE_TABLES | Options::ENABLE_YAML_STYLE_METADATA_BLOCKS;
    let (mut files, mut events) = (0usize, 0usize);
    for root in std::env::args_os().skip(1) {
        for entry in walkdir::WalkDir::new(root).sort_by_file_name() {
            let Ok(entry) = entry else { continue };
            if entry.path().extension().is_none_or(|x| x != "md") {
                continue;
            }
            let Ok(bytes) = std::fs::read(entry.path()) else {
                continue;
            };
            let text = String::from_utf8_lossy(&bytes);
            events += Parser::new_ext(&text, options).into_offset_iter().count();
            files += 1;
        }
    }
    println!("{files} files, {events} events");
}
