//! `codegen`: generate, inspect and check bindings from Markdown API docs.

use clap::{Parser, Subcommand};
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Parser)]
#[command(version, about)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Print the API model of a docs tree as JSON.
    Model {
        #[arg(long, default_value = "docs-input")]
        docs: PathBuf,
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Model { docs } => {
            let (pages, mut diags) = codegen::read::read_dir(&docs);
            let (api, more) = codegen::model::build(&pages);
            diags.extend(more);
            for d in &diags {
                eprintln!("{d}");
            }
            println!("{}", serde_json::to_string_pretty(&api).expect("model serialises"));
            ExitCode::SUCCESS
        }
    }
}
