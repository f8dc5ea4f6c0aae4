//! Stage 2, model: pages → one [`Api`].
//!
//! The model is plain, serde-serialisable data: what `codegen model` prints
//! and what the emitter reads. Every item keeps the [`Source`] it came from.
//! Type references are resolved by name (link text, `@odata.type`), never by
//! file path: file names carry prefixes and links often point at pages that
//! do not exist.

pub mod areas;
mod build;
mod endpoints;
mod media;
mod overrides;
mod paths;
mod permissions;
mod resolve;
mod resources;
pub mod tree;
mod type_cell;

pub use build::{build, build_with};
pub use overrides::Overrides;
pub use paths::{Fit, PathTemplate, Segment};
pub use type_cell::Primitive;

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// The whole API described by one docs tree.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Api {
    /// Sorted by name.
    pub types: Vec<TypeDef>,
    /// Sorted by path, then method; one per (method, path) whatever the
    /// number of pages documenting it.
    pub endpoints: Vec<Endpoint>,
    /// The [`areas::areas`] of every page read, by file.
    #[serde(default)]
    pub areas: BTreeMap<String, String>,
}

/// Where an item was documented.
#[derive(Clone, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Source {
    pub file: String,
    pub line: u32,
}

impl Source {
    /// Line `line` of `page`.
    pub fn at(page: &crate::read::Page, line: u32) -> Source {
        Source {
            file: page.file.clone(),
            line,
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum TypeKind {
    /// Has a key (`id`) and can be addressed by a path.
    Entity,
    /// A structured value without identity.
    Complex,
    Enum,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TypeDef {
    /// The name the docs use, e.g. `deviceConfigurationGroupAssignment`.
    pub name: String,
    pub kind: TypeKind,
    /// Name of the base type, for derived entity and complex types.
    pub base: Option<String>,
    pub description: String,
    /// Structural and navigation properties the page itself documents
    /// (inherited ones are reached through `base`).
    pub properties: Vec<Property>,
    /// Members, for enums.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub members: Vec<EnumMember>,
    /// A flags enum: a value is a set of members, written `"a,b"`.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub flags: bool,
    /// An enum the generator made from a property's prose ("Possible
    /// values are: …"), not one the docs define.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub from_prose: bool,
    pub source: Source,
    /// Members of the page's JSON representation, typed from their
    /// placeholder values, until resolution reconciles them with the
    /// property tables.
    #[serde(skip)]
    pub representation: Vec<Property>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Property {
    pub name: String,
    #[serde(rename = "type")]
    pub ty: TypeRef,
    pub collection: bool,
    /// A relationship (navigation property) rather than a stored value.
    #[serde(default)]
    pub navigation: bool,
    pub description: String,
    pub source: Source,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct EnumMember {
    pub name: String,
    pub value: Option<i64>,
    pub description: String,
    pub source: Source,
}

/// A property's or body's type: a primitive or a type defined in the docs.
///
/// Serialised as a string: primitives as `Edm.*` names, others by name.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(into = "String", from = "String")]
pub enum TypeRef {
    Primitive(Primitive),
    Named(String),
}

impl From<TypeRef> for String {
    fn from(t: TypeRef) -> String {
        match t {
            TypeRef::Primitive(p) => p.edm_name().to_owned(),
            TypeRef::Named(n) => n,
        }
    }
}

impl From<String> for TypeRef {
    fn from(s: String) -> TypeRef {
        match Primitive::from_edm_name(&s) {
            Some(p) => TypeRef::Primitive(p),
            None => TypeRef::Named(s),
        }
    }
}

/// A type as used by a body or response: the type and whether it is a
/// collection of it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TypeUse {
    #[serde(rename = "type")]
    pub ty: TypeRef,
    pub collection: bool,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "UPPERCASE")]
pub enum Method {
    Get,
    Post,
    Put,
    Patch,
    Delete,
}

impl Method {
    pub fn parse(s: &str) -> Option<Method> {
        Some(match s {
            "GET" => Method::Get,
            "POST" => Method::Post,
            "PUT" => Method::Put,
            "PATCH" => Method::Patch,
            "DELETE" => Method::Delete,
            _ => return None,
        })
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Method::Get => "GET",
            Method::Post => "POST",
            Method::Put => "PUT",
            Method::Patch => "PATCH",
            Method::Delete => "DELETE",
        }
    }
}

/// One HTTP method on one path: the unit of the API.
///
/// A page may document several endpoints (a method on several paths,
/// several methods), and several pages may document one endpoint: they are
/// merged, keeping what each says (see `endpoints::merge`).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Endpoint {
    pub method: Method,
    /// The normalised path, with its required query parameters.
    pub path: PathTemplate,
    /// The title of the page that documents it, e.g. `Create
    /// groupPolicyConfigurationAssignment`. Only for docs: names come from
    /// the path.
    pub name: String,
    pub description: String,
    /// Function parameters passed in the URL.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub parameters: Vec<Property>,
    pub request_body: Option<RequestBody>,
    pub response: Response,
    pub permissions: Vec<Permission>,
    pub examples: Vec<Example>,
    /// The title line of the page whose reading was kept.
    pub source: Source,
    /// The other pages documenting the same endpoint.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub also: Vec<AlsoDocumented>,
    /// The page's sub-namespace of `microsoft.graph` (`callRecords`), in
    /// which bare type names on the page are looked up first.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub namespace: Option<String>,
}

/// Another page's word on an endpoint: its title, description and title
/// line.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AlsoDocumented {
    pub name: String,
    pub description: String,
    pub source: Source,
}

impl Endpoint {
    /// `GET /users/{}`: what identifies the endpoint, placeholder names
    /// and letter case aside.
    pub fn key(&self) -> String {
        format!("{} {}", self.method.as_str(), self.path.key())
    }

    /// What the request is called on its node of the request tree:
    /// `list` or `get` for GET (by the response's shape), `create` for a
    /// POST answered `201 Created`, else `post`, then `update`, `delete`
    /// and `put`. Page titles play no part, so a retitled page renames
    /// nothing.
    pub fn verb(&self) -> &'static str {
        match self.method {
            Method::Get if self.response.body.as_ref().is_some_and(|b| b.collection) => "list",
            Method::Get => "get",
            Method::Post if self.response.status == 201 => "create",
            Method::Post => "post",
            Method::Patch => "update",
            Method::Delete => "delete",
            Method::Put => "put",
        }
    }

    /// The words the endpoint is named by: its path's words (see
    /// [`tree::path_words`]), then its [`Endpoint::verb`].
    pub fn name_words(&self) -> String {
        let mut words = tree::path_words(&self.path);
        words.push(self.verb().to_owned());
        words.join(" ")
    }

    /// Whether the request body is bytes, not JSON.
    pub fn sends_content(&self) -> bool {
        matches!(self.request_body, Some(RequestBody::Content { .. }))
    }

    /// `GET /users/{user-id}`, for docs and messages.
    pub fn label(&self) -> String {
        format!("{} {}", self.method.as_str(), self.path.template)
    }
}

/// What a request sends: a documented type, an action's parameters, or
/// content that is not JSON.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum RequestBody {
    Type(TypeUse),
    Parameters {
        parameters: Vec<Property>,
    },
    /// Bytes: a file, a photo, a page of HTML (see `media`).
    Content {
        /// The media type the docs name, else `application/octet-stream`.
        content_type: String,
    },
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Response {
    pub status: u16,
    /// `None` when the response has no JSON body: the status is 204, the
    /// body is content (see `content_type`), or neither the prose nor an
    /// example shows one. A JSON body of unknown type is `Edm.Untyped`.
    pub body: Option<TypeUse>,
    /// The media type of a body that is not JSON: a file's bytes, a photo,
    /// a CSV report behind a `302 Found` (see `media`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub content_type: Option<String>,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Permission {
    /// e.g. `Application`, `Delegated (work or school account)`, or `Scopes`
    /// on older pages that list scopes without a table.
    pub kind: String,
    /// The least privileged scopes (today's tables), or every scope from
    /// least to most privileged (older ones).
    pub scopes: Vec<String>,
    /// Today's "Higher privileged permissions", in order.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub higher: Vec<String>,
    /// The kind of resource the row is for, in per-resource tables (a
    /// member that is a `user`, a `group`…).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resource: Option<String>,
    /// "Not supported." or "Not available.", when the table says so.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unsupported: Option<String>,
}

/// One request/response pair from the page's examples.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Example {
    /// The request annotation's `name`, when there is one.
    pub name: Option<String>,
    pub request: Option<ExampleRequest>,
    pub response: Option<ExampleResponse>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ExampleRequest {
    pub method: String,
    pub url: String,
    /// The `Content-Type` header, when the example shows one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub content_type: Option<String>,
    /// The JSON body as written, when there is one and it parses.
    pub body: Option<String>,
    /// The body as written, when there is one and it is not JSON (a
    /// file's text, a photo's placeholder).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub content: Option<String>,
    pub source: Source,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ExampleResponse {
    pub status: Option<u16>,
    /// The `Content-Type` header, when the example shows one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub content_type: Option<String>,
    /// The JSON body as written, when there is one and it parses.
    pub body: Option<String>,
    /// The body as written, when there is one and it is not JSON.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub content: Option<String>,
    /// The other headers the example shows (`Location`, `ETag`…), as
    /// written; `Content-Type` and `Content-Length` are left to whoever
    /// sends the body.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub headers: Vec<(String, String)>,
    /// The annotation's `@odata.type`, when given.
    pub odata_type: Option<String>,
    /// The annotation's `isCollection`, when given.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub is_collection: Option<bool>,
    pub truncated: bool,
    pub source: Source,
}

impl Api {
    /// The area of the page `source` points into.
    pub fn area(&self, source: &Source) -> &str {
        self.areas
            .get(&source.file)
            .map_or(areas::OTHER, String::as_str)
    }

    /// The type called `name`, if the docs define one.
    pub fn type_named(&self, name: &str) -> Option<&TypeDef> {
        self.types
            .binary_search_by(|t| t.name.as_str().cmp(name))
            .ok()
            .map(|i| &self.types[i])
    }
}
