//! What the request tree does at an endpoint: the method of its node that
//! builds the endpoint's request, and the struct of an action's
//! parameters.
//!
//! A method builds a `docgen_runtime::Request` value and does no I/O. Doc
//! text reaches the code only as string literals (query names, docs).

use super::docs;
use super::names::{Case, Scope};
use super::plan::{EndpointNames, Plan};
use super::types::{Fields, source_line, struct_body, use_type, value_type};
use crate::model::{Endpoint, Method, Primitive, RequestBody, TypeRef};
use proc_macro2::TokenStream;
use quote::{format_ident, quote};

/// The node's method that builds `op`'s request: its required query
/// parameters and its body are its arguments.
pub fn request_method(op: &Endpoint, names: &EndpointNames, plan: &Plan) -> TokenStream {
    let verb = format_ident!("{}", names.verb);
    let method = method_tokens(op.method);
    let response = response_type(op, plan);
    let mut scope = Scope::with_reserved(&["body", "content", "self"]);
    let mut args = Vec::new();
    let query_calls: Vec<TokenStream> = op
        .path
        .query
        .iter()
        .map(|name| {
            let ident = format_ident!("{}", scope.claim(name, Case::Snake));
            args.push(quote!(#ident: &str));
            quote!(.query(#name, #ident))
        })
        .collect();
    let with_body = match &op.request_body {
        Some(RequestBody::Content { content_type }) => {
            args.push(quote!(content: impl Into<docgen_runtime::Content>));
            Some(quote!(.content(content, #content_type)))
        }
        _ => request_body_type(op, names, plan).map(|ty| {
            args.push(quote!(body: &#ty));
            quote!(.json(body))
        }),
    };
    let docs = docs::attrs(request_docs(op));
    quote! {
        #docs
        pub fn #verb(self, #(#args),*) -> docgen_runtime::Request<#response> {
            docgen_runtime::Request::new(#method, self.0) #(#query_calls)* #with_body
        }
    }
}

/// The struct of an action's parameters, when `op` sends them.
pub fn body_struct(op: &Endpoint, names: &EndpointNames, plan: &Plan) -> Option<TokenStream> {
    let (Some(RequestBody::Parameters { parameters }), Some(body_name)) =
        (&op.request_body, &names.body)
    else {
        return None;
    };
    let ident = format_ident!("{body_name}");
    let properties: Vec<_> = parameters.iter().collect();
    let docs = docs::own(&format!("The parameters `{}` sends.", op.label()));
    let mode = match op.method {
        Method::Patch => Fields::Patch,
        _ => Fields::Parameters,
    };
    let body = struct_body(&ident, &properties, mode, plan);
    Some(quote! { #docs #body })
}

/// The type a request method takes its body as: the parameters struct,
/// the update struct for PATCH, else the documented type (a slice for a
/// collection); `None` for no body and for content, which is not JSON.
pub fn request_body_type(op: &Endpoint, names: &EndpointNames, plan: &Plan) -> Option<TokenStream> {
    body_type(op, names, plan, |ty| quote!([#ty]))
}

/// The type a request body is read back as (by the mock): that of
/// [`request_body_type`], with a `Vec` for a collection.
pub fn request_body_owned_type(
    op: &Endpoint,
    names: &EndpointNames,
    plan: &Plan,
) -> Option<TokenStream> {
    body_type(op, names, plan, |ty| quote!(Vec<#ty>))
}

fn body_type(
    op: &Endpoint,
    names: &EndpointNames,
    plan: &Plan,
    collection: fn(TokenStream) -> TokenStream,
) -> Option<TokenStream> {
    match (&op.request_body, &names.body) {
        (Some(RequestBody::Parameters { .. }), Some(body_name)) => {
            let ident = format_ident!("{body_name}");
            Some(quote!(crate::api::#ident))
        }
        (Some(RequestBody::Type(t)), _) => {
            let patch = match &t.ty {
                TypeRef::Named(n) if op.method == Method::Patch && !t.collection => {
                    plan.patch_ident(n)
                }
                _ => None,
            };
            let ty = value_type(&t.ty, plan);
            Some(match patch {
                Some(patch) => quote!(crate::types::#patch),
                None if t.collection => collection(ty),
                None => ty,
            })
        }
        _ => None,
    }
}

/// `docgen_runtime::Method::Get` and so on: the runtime's variant of `m`.
pub(super) fn method_tokens(m: Method) -> TokenStream {
    match m {
        Method::Get => quote!(docgen_runtime::Method::Get),
        Method::Post => quote!(docgen_runtime::Method::Post),
        Method::Put => quote!(docgen_runtime::Method::Put),
        Method::Patch => quote!(docgen_runtime::Method::Patch),
        Method::Delete => quote!(docgen_runtime::Method::Delete),
    }
}

/// What the response body deserialises into: `NoContent` for no body, the
/// collection envelope for collections, `{"value": …}` for a lone primitive;
/// `Binary` for content, which `Client::download` reads.
pub fn response_type(op: &Endpoint, plan: &Plan) -> TokenStream {
    if op.response.content_type.is_some() {
        return quote!(docgen_runtime::Binary);
    }
    match &op.response.body {
        None => quote!(docgen_runtime::NoContent),
        Some(u) if u.collection => {
            let t = value_type(&u.ty, plan);
            quote!(docgen_runtime::Collection<#t>)
        }
        Some(u) => match &u.ty {
            TypeRef::Primitive(p) if *p != Primitive::Untyped => {
                let t = use_type(u, plan);
                quote!(docgen_runtime::Scalar<#t>)
            }
            _ => use_type(u, plan),
        },
    }
}

fn request_docs(op: &Endpoint) -> Vec<String> {
    let mut out = vec![
        format!("`{}`", op.label()),
        op.name.clone(),
        op.description.clone(),
    ];
    if let Some(RequestBody::Content { content_type }) = &op.request_body {
        out.push(format!(
            "Sends bytes as `{content_type}` unless the `Content` names another type."
        ));
    }
    if let Some(media) = &op.response.content_type {
        let redirect = if op.response.status == 302 {
            " behind a `302 Found` to a download URL, followed without the bearer token"
        } else {
            ""
        };
        out.push(format!(
            "Answers `{media}` content{redirect}: read it with `Client::download`, \
             or `Client::download_stream` for large files."
        ));
    }
    if !op.path.query.is_empty() {
        out.push(format!(
            "Required query parameters: {}.",
            op.path
                .query
                .iter()
                .map(|q| format!("`{q}`"))
                .collect::<Vec<_>>()
                .join(", ")
        ));
    }
    let permissions: Vec<String> = op
        .permissions
        .iter()
        .filter(|p| !p.scopes.is_empty() || !p.higher.is_empty() || p.unsupported.is_some())
        .map(|p| {
            let kind = match &p.resource {
                Some(r) => format!("{} (for a {r})", p.kind),
                None => p.kind.clone(),
            };
            match (&p.unsupported, p.higher.is_empty()) {
                (Some(said), _) if p.scopes.is_empty() => {
                    format!("{kind}: {}", said.to_lowercase().trim_end_matches('.'))
                }
                (_, true) => format!("{kind}: {}", p.scopes.join(", ")),
                (_, false) => format!(
                    "{kind}: {} (least privileged); higher: {}",
                    p.scopes.join(", "),
                    p.higher.join(", ")
                ),
            }
        })
        .collect();
    if !permissions.is_empty() {
        out.push(format!("Permissions: {}.", permissions.join("; ")));
    }
    out.push(source_line(&op.source.file, op.source.line));
    // Other pages: where, and what they say when it differs.
    for also in &op.also {
        out.push(source_line(&also.source.file, also.source.line));
        if !also.description.is_empty() && also.description != op.description {
            out.push(also.description.clone());
        }
    }
    out
}
