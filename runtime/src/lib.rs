//! The small hand-written runtime that docgen-generated clients use.
//!
//! Generated code stays lean by leaning on this crate for what every
//! operation and type shares: building [`Request`] values (pure data that
//! tests can inspect, separate from any transport), percent-encoding path
//! parameters, string-backed primitive types that keep the exact text the
//! service sent, the `{"value": […]}` collection envelope, and the
//! round-trip check the docs' examples are tested with.

mod collection;
pub mod conformance;
mod path;
mod primitives;
mod request;

pub use collection::{Collection, Scalar};
pub use path::{PathPart, build_path};
pub use primitives::{Base64, Date, DateTimeOffset, Duration, Guid, TimeOfDay};
pub use request::{Method, Request};
