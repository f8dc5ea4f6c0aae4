//! docgen's code generator: Graph-style Markdown API reference pages in, a
//! typed Rust client crate out.
//!
//! The pipeline has four stages, one module each, with plain data between
//! them:
//!
//! 1. [`read`]: Markdown → [`read::Page`] (sections, tables, code, annotations);
//! 2. [`model`]: pages → one [`model::Api`] (types, enums, operations);
//! 3. [`emit`]: API → formatted Rust source files (pure, no I/O);
//! 4. [`write`]: files → disk, touching only what changed.
//!
//! [`Generator`] runs them for `build.rs` and the CLI alike.

pub mod diag;
pub mod model;
pub mod read;
