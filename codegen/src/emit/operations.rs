//! One request function per operation, covering every documented path.
//!
//! A function builds a `docgen_runtime::Request` value and does no I/O.
//! Paths are emitted as literal pieces and parameters for the runtime to
//! join and encode: doc text reaches the code only as string literals.

use super::docs;
use super::names::{Case, Scope};
use super::plan::{OperationNames, Plan};
use super::types::{Fields, source_line, struct_body, use_type, value_type};
use crate::model::{Method, Operation, PathTemplate, Primitive, RequestBody, Segment, TypeRef};
use heck::ToUpperCamelCase;
use proc_macro2::{Ident, Span, TokenStream};
use quote::{format_ident, quote};

/// The request function and the types only it uses (path enum, parameters).
pub fn emit(op: &Operation, names: &OperationNames, plan: &Plan) -> TokenStream {
    let function = format_ident!("{}", names.function);
    let method = method_tokens(op.method);
    let response = response_type(op, plan);

    let mut args = Vec::new();
    let mut items = Vec::new();
    let path_expr = match &names.path_enum {
        None => {
            let (params, parts) = path_parts(&op.paths[0], &mut Scope::with_reserved(&["body"]));
            args.extend(params.iter().map(|p| quote!(#p: &str)));
            quote!(docgen_runtime::build_path(&[#(#parts),*]))
        }
        Some(enum_name) => {
            items.push(path_enum(op, enum_name, &function));
            let enum_ident = format_ident!("{enum_name}");
            let lifetime = has_parameters(op).then(|| quote!(<'_>));
            args.push(quote!(path: #enum_ident #lifetime));
            quote!(path.to_path())
        }
    };

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
            docgen_runtime::Request::new(#method, #path_expr) #with_body
        }
    }
}

/// The type a request function takes its body as: the parameters struct,
/// the update struct for PATCH, else the documented type (a slice for a
/// collection).
pub fn request_body_type(
    op: &Operation,
    names: &OperationNames,
    plan: &Plan,
) -> Option<TokenStream> {
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

fn has_parameters(op: &Operation) -> bool {
    op.paths.iter().any(|p| p.parameters().next().is_some())
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
pub fn response_type(op: &Operation, plan: &Plan) -> TokenStream {
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

/// The parameters of one path, named in `scope`, and its pieces.
///
/// Every placeholder is its own parameter, even when two are spelled the
/// same: `/groups/{id}/members/{id}/$ref` names two different objects, so it
/// takes `id` and `id_2`.
fn path_parts(path: &PathTemplate, scope: &mut Scope) -> (Vec<Ident>, Vec<TokenStream>) {
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
                let ident = format_ident!("{}", scope.claim(&parameter_name(raw), Case::Snake));
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
    (params, parts)
}

/// `id | userPrincipalName` → `id_or_user_principal_name`.
fn parameter_name(raw: &str) -> String {
    raw.split('|')
        .map(str::trim)
        .collect::<Vec<_>>()
        .join(" or ")
}

/// An enum with one variant per documented path, and the method that turns
/// a variant into its encoded path.
fn path_enum(op: &Operation, name: &str, function: &Ident) -> TokenStream {
    let ident = format_ident!("{name}");
    let lifetime = has_parameters(op).then(|| quote!(<'a>));
    let mut decls = Vec::new();
    let mut arms = Vec::new();
    for (path, (variant, params, parts)) in op.paths.iter().zip(path_variants(op)) {
        let doc = docs::attrs([format!("`{} {}`", op.method.as_str(), path.template)]);
        if params.is_empty() {
            decls.push(quote!(#doc #variant,));
            arms.push(quote!(Self::#variant => docgen_runtime::build_path(&[#(#parts),*]),));
        } else {
            decls.push(quote!(#doc #variant { #(#params: &'a str),* },));
            arms.push(quote!(Self::#variant { #(#params),* } => docgen_runtime::build_path(&[#(#parts),*]),));
        }
    }
    let impl_lifetime = lifetime.as_ref().map(|_| quote!(<'_>));
    let docs = docs::own(&format!("The paths [`{function}`] can be called on."));
    quote! {
        #docs
        #[derive(Clone, Copy, Debug, PartialEq, Eq)]
        #[non_exhaustive]
        pub enum #ident #lifetime {
            #(#decls)*
        }

        impl #ident #impl_lifetime {
            /// The path, with its parameters percent-encoded.
            pub fn to_path(&self) -> String {
                match self {
                    #(#arms)*
                }
            }
        }
    }
}

/// Per documented path: its variant in the path enum, the variant's fields
/// (one per placeholder), and the path's pieces.
pub fn path_variants(op: &Operation) -> Vec<(Ident, Vec<Ident>, Vec<TokenStream>)> {
    let mut variants = Scope::default();
    op.paths
        .iter()
        .map(|path| {
            let variant = Ident::new(
                &variants.claim(&variant_name(path), Case::Camel),
                Span::call_site(),
            );
            let (params, parts) = path_parts(path, &mut Scope::default());
            (variant, params, parts)
        })
        .collect()
}

/// A variant name from a path's literal segments:
/// `/deviceManagement/…/microsoft.graph.iosScepCertificateProfile/rootCertificate`
/// → `DeviceManagement…IosScepCertificateProfileRootCertificate`.
fn variant_name(path: &PathTemplate) -> String {
    let mut name = String::new();
    for segment in &path.segments {
        let Segment::Literal(text) = segment else {
            continue;
        };
        for part in text.split('/') {
            let part = part.split('(').next().unwrap_or_default();
            let last = part.rsplit('.').next().unwrap_or_default();
            name.push_str(&last.to_upper_camel_case());
        }
    }
    name
}

fn function_docs(op: &Operation) -> Vec<String> {
    let mut out = vec![op.name.clone(), op.description.clone()];
    let paths: Vec<String> = op
        .paths
        .iter()
        .map(|p| format!("`{} {}`", op.method.as_str(), p.template))
        .collect();
    out.push(paths.join(", "));
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
    out
}
