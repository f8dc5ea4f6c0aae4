//! Structs for entity and complex types, enums for enum types.

use super::docs;
use super::features::Features;
use super::names::{Case, Scope};
use super::plan::{Plan, Polymorphic};
use crate::model::{Api, Primitive, Property, TypeDef, TypeKind, TypeRef, TypeUse};
use proc_macro2::{Ident, Span, TokenStream};
use quote::{format_ident, quote};

/// The Rust type of one value of `ty` (not wrapped in `Option` or `Vec`).
pub fn value_type(ty: &TypeRef, plan: &Plan) -> TokenStream {
    match ty {
        TypeRef::Named(name) => match plan.value_ident(name) {
            Some(ident) if plan.is_flags(name) => {
                quote!(docgen_runtime::Flags<crate::types::#ident>)
            }
            Some(ident) => quote!(crate::types::#ident),
            None => quote!(serde_json::Value),
        },
        TypeRef::Primitive(p) => match p {
            Primitive::String => quote!(String),
            Primitive::Boolean => quote!(bool),
            Primitive::Byte => quote!(u8),
            Primitive::SByte => quote!(i8),
            Primitive::Int16 => quote!(i16),
            Primitive::Int32 => quote!(i32),
            Primitive::Int64 => quote!(i64),
            Primitive::Single => quote!(f32),
            Primitive::Double | Primitive::Decimal => quote!(f64),
            Primitive::DateTimeOffset => quote!(docgen_runtime::DateTimeOffset),
            Primitive::Date => quote!(docgen_runtime::Date),
            Primitive::TimeOfDay => quote!(docgen_runtime::TimeOfDay),
            Primitive::Duration => quote!(docgen_runtime::Duration),
            Primitive::Guid => quote!(docgen_runtime::Guid),
            Primitive::Binary => quote!(docgen_runtime::Base64),
            Primitive::Stream | Primitive::Untyped => quote!(serde_json::Value),
        },
    }
}

/// The Rust type of a body or response: a value, or a `Vec` of them.
pub fn use_type(u: &TypeUse, plan: &Plan) -> TokenStream {
    let t = value_type(&u.ty, plan);
    if u.collection { quote!(Vec<#t>) } else { t }
}

pub fn emit(t: &TypeDef, api: &Api, plan: &Plan, features: &Features) -> TokenStream {
    match t.kind {
        TypeKind::Enum => emit_enum(t, plan),
        TypeKind::Entity | TypeKind::Complex => {
            let ident = plan.type_ident(&t.name).expect("every type has a name");
            let mut doc = vec![t.description.clone()];
            if let Some(base) = &t.base {
                doc.push(format!("Inherits the properties of `{base}`."));
            }
            doc.push(source_line(&t.source.file, t.source.line));
            let docs = docs::attrs(doc);
            let properties = api.all_properties(&t.name);
            let body = struct_body(&ident, &properties, Fields::Optional(&t.name), plan);
            let any = plan
                .polymorphic(&t.name)
                .map(|p| emit_any(t, p, plan, features));
            let patch = plan.patch_ident(&t.name).map(|patch| {
                let docs = docs::own(&format!(
                    "The changes to a [`{ident}`] an update (PATCH) sends: a field left `Absent` keeps its value, `Null` clears it."
                ));
                let body = struct_body(&patch, &properties, Fields::Patch, plan);
                quote! { #docs #body }
            });
            quote! { #docs #body #any #patch }
        }
    }
}

/// How a struct's fields hold their values.
#[derive(Clone, Copy)]
pub enum Fields<'a> {
    /// `Option<T>`, absent and `null` alike reading as `None`. The owning
    /// type, when the struct is one, so that fields that would make it
    /// infinitely large are boxed.
    Optional(&'a str),
    /// `Option<T>` for a struct that is no type of the docs (parameters).
    Parameters,
    /// `docgen_runtime::Patch<T>`, for update bodies: absent, `null` and a
    /// value are three different requests.
    Patch,
}

/// A struct with one field per property and a map that keeps every member
/// the docs do not describe, so that nothing is lost on a round trip.
///
/// Its serde impls are written out rather than derived: they call
/// `docgen_runtime::object`, a few lines per struct where the derive (with
/// the flattened map) expands to hundreds, which is most of what compiling
/// a generated crate costs. Each field is one call without a `?`, so the
/// bodies stay straight lines (the runtime keeps the first error).
pub fn struct_body(
    ident: &Ident,
    properties: &[&Property],
    mode: Fields<'_>,
    plan: &Plan,
) -> TokenStream {
    let mut scope = Scope::with_reserved(&["additional_properties"]);
    let fields: Vec<(Ident, &str, TokenStream)> = properties
        .iter()
        .map(|p| {
            let name = format_ident!("{}", scope.claim(&p.name, Case::Snake));
            let mut t = value_type(&p.ty, plan);
            if p.collection {
                t = quote!(Vec<#t>);
            } else if matches!(mode, Fields::Optional(owner) if plan.is_boxed(owner, &p.ty)) {
                t = quote!(Box<#t>);
            }
            let t = match mode {
                Fields::Patch => quote!(docgen_runtime::Patch<#t>),
                Fields::Optional(_) | Fields::Parameters => quote!(Option<#t>),
            };
            let docs = docs::attrs([p.description.as_str()]);
            let decl = quote!(#docs pub #name: #t,);
            (name, p.name.as_str(), decl)
        })
        .collect();
    let decls = fields.iter().map(|(_, _, decl)| decl);
    let writes = fields
        .iter()
        .map(|(name, json, _)| quote!(out.member(#json, &self.#name);));
    let reads = fields
        .iter()
        .map(|(name, json, _)| quote!(#name: object.take(#json),));
    // A struct without properties reads and writes only the map.
    let mutable = (!fields.is_empty()).then(|| quote!(mut));
    quote! {
        #[derive(Clone, Debug, Default, PartialEq)]
        pub struct #ident {
            #(#decls)*
            /// Members these docs do not describe, and `@odata` annotations, as received.
            pub additional_properties: serde_json::Map<String, serde_json::Value>,
        }

        impl serde::Serialize for #ident {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                let #mutable out = docgen_runtime::object::Writer::new(serializer)?;
                #(#writes)*
                out.end(&self.additional_properties)
            }
        }

        impl<'de> serde::Deserialize<'de> for #ident {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                let mut object = docgen_runtime::object::Reader::new(deserializer)?;
                let read = Self {
                    #(#reads)*
                    additional_properties: object.rest(),
                };
                object.finish(read)
            }
        }
    }
}

/// `Any…`: the type or any type derived from it, chosen by the value's
/// `@odata.type` when read, with the base type for names it does not know.
/// A derived type's variant exists only when the type is compiled in
/// (see [`Features`]); otherwise its values read as the base type.
fn emit_any(t: &TypeDef, poly: &Polymorphic, plan: &Plan, features: &Features) -> TokenStream {
    let any = Ident::new(&poly.ident, Span::call_site());
    let base = plan.type_ident(&t.name).expect("every type has a name");
    let derived: Vec<(Ident, &str, TokenStream)> = poly
        .descendants
        .iter()
        .filter_map(|d| Some((plan.type_ident(d)?, d.as_str(), features.type_cfg(d))))
        .collect();
    let variants = derived
        .iter()
        .map(|(v, _, cfg)| quote!(#cfg #v(crate::types::#v),));
    let serialize = derived
        .iter()
        .map(|(v, _, cfg)| quote!(#cfg Self::#v(v) => serde::Serialize::serialize(v, serializer),));
    let dispatch = derived.iter().map(|(v, name, cfg)| {
        let folded = name.to_ascii_lowercase();
        quote!(#cfg Some(#folded) => serde_json::from_value(value).map(Self::#v),)
    });
    let from = std::iter::once((&base, TokenStream::new()))
        .chain(derived.iter().map(|(v, _, cfg)| (v, cfg.clone())))
        .map(|(v, cfg)| {
            quote! {
                #cfg
                impl From<crate::types::#v> for #any {
                    fn from(value: crate::types::#v) -> Self {
                        Self::#v(value)
                    }
                }
            }
        });
    let doc = docs::own(&format!(
        "[`{base}`] or any type derived from it, told apart by `@odata.type` (in any case); a name these docs do not list reads as [`{base}`]."
    ));
    quote! {
        #doc
        #[derive(Clone, Debug, PartialEq)]
        #[non_exhaustive]
        pub enum #any {
            #base(crate::types::#base),
            #(#variants)*
        }

        impl serde::Serialize for #any {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                match self {
                    Self::#base(v) => serde::Serialize::serialize(v, serializer),
                    #(#serialize)*
                }
            }
        }

        impl<'de> serde::Deserialize<'de> for #any {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                let value = <serde_json::Value as serde::Deserialize>::deserialize(deserializer)?;
                let name = docgen_runtime::odata_type_name(&value).map(str::to_ascii_lowercase);
                let read = match name.as_deref() {
                    #(#dispatch)*
                    _ => serde_json::from_value(value).map(Self::#base),
                };
                read.map_err(serde::de::Error::custom)
            }
        }

        #(#from)*
    }
}

/// An enum that keeps values it does not know in `Other`, so that a newer
/// service never makes a response unreadable.
fn emit_enum(t: &TypeDef, plan: &Plan) -> TokenStream {
    let ident = plan.type_ident(&t.name).expect("every type has a name");
    let mut scope = Scope::with_reserved(&["Other"]);
    let variants: Vec<(Ident, &str, TokenStream)> = t
        .members
        .iter()
        .map(|m| {
            let v = Ident::new(&scope.claim(&m.name, Case::Camel), Span::call_site());
            (v, m.name.as_str(), docs::attrs([m.description.as_str()]))
        })
        .collect();
    let decls = variants.iter().map(|(v, _, d)| quote!(#d #v,));
    let to_str = variants.iter().map(|(v, s, _)| quote!(Self::#v => #s,));
    let from_str = variants.iter().map(|(v, s, _)| quote!(#s => Self::#v,));
    let docs = docs::attrs([
        t.description.clone(),
        source_line(&t.source.file, t.source.line),
    ]);
    let wire = t.flags.then(|| {
        quote! {
            /// Lets [`docgen_runtime::Flags`] hold this flags enum.
            impl docgen_runtime::WireEnum for #ident {
                fn as_wire(&self) -> &str {
                    self.as_str()
                }
                fn from_wire(s: &str) -> Self {
                    Self::from(s)
                }
            }
        }
    });
    quote! {
        #wire

        #docs
        #[derive(Clone, Debug, PartialEq, Eq, Hash)]
        #[non_exhaustive]
        pub enum #ident {
            #(#decls)*
            /// A value these docs do not list, kept as received.
            Other(String),
        }

        impl #ident {
            /// The value as it appears in JSON.
            pub fn as_str(&self) -> &str {
                match self {
                    #(#to_str)*
                    Self::Other(s) => s,
                }
            }
        }

        impl From<&str> for #ident {
            fn from(s: &str) -> Self {
                match s {
                    #(#from_str)*
                    _ => Self::Other(s.to_owned()),
                }
            }
        }

        impl serde::Serialize for #ident {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }

        impl<'de> serde::Deserialize<'de> for #ident {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                let s = <String as serde::Deserialize>::deserialize(deserializer)?;
                Ok(Self::from(s.as_str()))
            }
        }
    }
}

/// "Documented in `file` (line N)."
pub fn source_line(file: &str, line: u32) -> String {
    format!("Documented in `{file}` (line {line}).")
}
