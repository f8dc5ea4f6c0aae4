//! One request function per endpoint.
//!
//! A function builds a `docgen_runtime::Request` value and does no I/O.
//! Paths are emitted as literal pieces and parameters for the runtime to
//! join and encode: doc text reaches the code only as string literals.

use super::docs;
use super::names::{Case, Scope};
use super::plan::{EndpointNames, Plan};
use super::types::{Fields, source_line, struct_body, use_type, value_type};
use crate::model::{Endpoint, Method, PathTemplate, Primitive, RequestBody, Segment, TypeRef};
use proc_macro2::{Ident, TokenStream};
use quote::{format_ident, quote};

/// The request function and the parameters struct only it uses.
pub fn emit(op: &Endpoint, names: &EndpointNames, plan: &Plan) -> TokenStream {
    let function = format_ident!("{}", names.function);
    let method = method_tokens(op.method);
    let response = response_type(op, plan);

    let mut args = Vec::new();
    let mut items = Vec::new();
    let (params, parts, query) = path_parts(&op.path, &mut Scope::with_reserved(&["body"]));
    args.extend(params.iter().map(|p| quote!(#p: &str)));
    let path_expr = quote!(docgen_runtime::build_path(&[#(#parts),*]));
    let query_calls = query
        .iter()
        .map(|(name, ident)| quote!(.query(#name, #ident)));

    if let (Some(RequestBody::Parameters { parameters }), Some(body_name)) =
        (&op.request_body, &names.body)
    {
        let ident = format_ident!("{body_name}");
        let properties: Vec<_> = parameters.iter().collect();
        let docs = docs::own(&format!("The parameters [`{}`] sends.", names.function));
        let mode = match op.method {
            Method::Patch => Fields::Patch,
            _ => Fields::Parameters,
        };
        let body = struct_body(&ident, &properties, mode, plan);
        items.push(quote! { #docs #body });
    }
    let with_body = request_body_type(op, names, plan).map(|ty| {
        args.push(quote!(body: &#ty));
        quote!(.json(body))
    });

    let docs = docs::attrs(function_docs(op));
    quote! {
        #(#items)*

        #docs
        pub fn #function(#(#args),*) -> docgen_runtime::Request<#response> {
            docgen_runtime::Request::new(#method, #path_expr) #(#query_calls)* #with_body
        }
    }
}

/// The type a request function takes its body as: the parameters struct,
/// the update struct for PATCH, else the documented type (a slice for a
/// collection).
pub fn request_body_type(op: &Endpoint, names: &EndpointNames, plan: &Plan) -> Option<TokenStream> {
    match (&op.request_body, &names.body) {
        (Some(RequestBody::Parameters { .. }), Some(body_name)) => {
            let ident = format_ident!("{body_name}");
            Some(quote!(crate::operations::#ident))
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
                None if t.collection => quote!([#ty]),
                None => ty,
            })
        }
        _ => None,
    }
}

fn method_tokens(m: Method) -> TokenStream {
    match m {
        Method::Get => quote!(docgen_runtime::Method::Get),
        Method::Post => quote!(docgen_runtime::Method::Post),
        Method::Put => quote!(docgen_runtime::Method::Put),
        Method::Patch => quote!(docgen_runtime::Method::Patch),
        Method::Delete => quote!(docgen_runtime::Method::Delete),
    }
}

/// What the response body deserialises into: `NoContent` for no body, the
/// collection envelope for collections, `{"value": …}` for a lone primitive.
pub fn response_type(op: &Endpoint, plan: &Plan) -> TokenStream {
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

/// The parameters of one path, named in `scope`: its pieces, and its
/// required query parameters (query name, parameter).
///
/// Every placeholder is its own parameter, even when two are spelled the
/// same.
pub fn path_parts(
    path: &PathTemplate,
    scope: &mut Scope,
) -> (Vec<Ident>, Vec<TokenStream>, Vec<(String, Ident)>) {
    let mut params = Vec::new();
    let mut after_root = false;
    let parts = path
        .segments
        .iter()
        .map(|s| match s {
            Segment::Literal(text) => {
                after_root = text.ends_with(":/");
                quote!(docgen_runtime::PathPart::Literal(#text))
            }
            Segment::Parameter(raw) => {
                let ident = format_ident!("{}", scope.claim(raw, Case::Snake));
                params.push(ident.clone());
                // `root:/{item-path}:` addresses a drive item by its path,
                // whose `/` are separators.
                if after_root {
                    quote!(docgen_runtime::PathPart::Subpath(#ident))
                } else {
                    quote!(docgen_runtime::PathPart::Param(#ident))
                }
            }
        })
        .collect();
    let query = path
        .query
        .iter()
        .map(|name| {
            let ident = format_ident!("{}", scope.claim(name, Case::Snake));
            params.push(ident.clone());
            (name.clone(), ident)
        })
        .collect();
    (params, parts, query)
}

fn function_docs(op: &Endpoint) -> Vec<String> {
    let mut out = vec![
        format!("`{}`", op.label()),
        op.name.clone(),
        op.description.clone(),
    ];
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
        .filter(|p| !p.scopes.is_empty())
        .map(|p| format!("{}: {}", p.kind, p.scopes.join(", ")))
        .collect();
    if !permissions.is_empty() {
        out.push(format!("Permissions: {}.", permissions.join("; ")));
    }
    out.push(source_line(&op.source.file, op.source.line));
    out.extend(op.also.iter().map(|s| source_line(&s.file, s.line)));
    out
}
