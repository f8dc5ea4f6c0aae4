//! Page roles and the order in which the model is put together.

use super::{Api, Overrides, TypeDef, endpoints, resolve, resources};
use crate::diag::{Diagnostic, Sink};
use crate::read::Page;
use rayon::prelude::*;

#[derive(Debug, PartialEq, Eq)]
enum Role {
    Resource,
    Enum,
    Api,
    /// An overview page: documents no type or operation by design.
    Conceptual,
    Unknown,
}

/// What a page documents: the front matter's `doc_type` where it names one
/// (read by prefix: pages say `resourcePageType_` or `enumTypes` too),
/// otherwise its title and sections (2016–2018 pages have no front matter).
fn role(page: &Page) -> Role {
    let doc_type = page
        .front_matter
        .get("doc_type")
        .map(|d| d.trim().to_ascii_lowercase())
        .unwrap_or_default();
    for (prefix, role) in [
        ("resource", Role::Resource),
        ("enum", Role::Enum),
        ("api", Role::Api),
        ("conceptual", Role::Conceptual),
    ] {
        if doc_type.starts_with(prefix) {
            return role;
        }
    }
    let title = page
        .title()
        .map(|t| t.heading.to_ascii_lowercase())
        .unwrap_or_default();
    if title.ends_with("enum type") {
        Role::Enum
    } else if title.ends_with("resource type") || title.ends_with("complex type") {
        Role::Resource
    } else if page
        .sections_where(|h| h.starts_with("http request"))
        .next()
        .is_some()
    {
        Role::Api
    } else {
        Role::Unknown
    }
}

/// An HTTP request section and no resource annotation: an API page,
/// whatever its front matter says.
fn documents_an_operation(page: &Page) -> bool {
    let has_request = page
        .sections_where(|h| h.starts_with("http request"))
        .next()
        .is_some();
    let has_resource = page.blocks().any(|b| {
        matches!(b, crate::read::Block::Code(c)
            if c.annotation.as_ref().is_some_and(|a| a.block_type().as_deref() == Some("resource")))
    });
    has_request && !has_resource
}

/// Builds the API model from every page of a docs tree.
///
/// Types come first so that API pages can resolve the type names in their
/// prose; then every name is resolved and the result sorted.
pub fn build(pages: &[Page]) -> (Api, Vec<Diagnostic>) {
    build_with(pages, &Overrides::default())
}

/// [`build`], with known doc defects corrected by `overrides` once the
/// types are merged and before any name is resolved.
pub fn build_with(pages: &[Page], overrides: &Overrides) -> (Api, Vec<Diagnostic>) {
    let mut diags = Vec::new();
    let mut fragments = Vec::new();
    let mut api_pages = Vec::new();
    // Pages are taken in path order whatever order they come in, so that
    // which of two clashing definitions wins, and which name a collision
    // leaves to whom, never depends on how a file system lists a folder.
    // Each page is read on any thread; the results are taken in that order.
    let mut sorted: Vec<&Page> = pages.iter().collect();
    sorted.sort_by(|a, b| a.file.cmp(&b.file));
    let read: Vec<(Vec<_>, Option<&Page>, Vec<Diagnostic>)> =
        sorted.par_iter().map(|page| types_of(page)).collect();
    for (types, api_page, page_diags) in read {
        fragments.extend(types);
        api_pages.extend(api_page);
        diags.extend(page_diags);
    }
    resolve::yield_prose_enums(&mut fragments, &mut diags);
    let mut types = resolve::merge(fragments, &mut diags);
    overrides.apply(&mut types, &mut diags);
    let index = resolve::TypeIndex::new(&types);
    let mut api = Api {
        types,
        endpoints: Vec::new(),
        areas: Default::default(),
    };
    // The areas need only the pages: they are found beside the endpoints,
    // on the core that merging and resolving those (one thread's work)
    // leaves free.
    let ((areas, area_diags), ()) = rayon::join(
        || {
            let mut found = Vec::new();
            (super::areas::areas(pages, &mut found), found)
        },
        || {
            let per_page: Vec<(Vec<_>, Vec<Diagnostic>)> = api_pages
                .par_iter()
                .map(|page| {
                    let mut sink = Sink::new(&page.file);
                    let read = endpoints::endpoints(page, &index, &mut sink);
                    (read, sink.into_vec())
                })
                .collect();
            let mut read = Vec::new();
            for (endpoints, page_diags) in per_page {
                read.extend(endpoints);
                diags.extend(page_diags);
            }
            api.endpoints = endpoints::merge(read, overrides, &mut diags);
            resolve::resolve(&mut api, &mut diags);
        },
    );
    api.areas = areas;
    diags.extend(area_diags);
    diags.sort();
    diags.dedup();
    (api, diags)
}

/// The types a page defines, or the page itself when it documents
/// endpoints (read once the types are known), and what it says about it.
fn types_of(page: &Page) -> (Vec<TypeDef>, Option<&Page>, Vec<Diagnostic>) {
    let mut sink = Sink::new(&page.file);
    let mut types = Vec::new();
    let mut api_page = None;
    match role(page) {
        Role::Resource if documents_an_operation(page) => {
            sink.note(
                page.title_line(),
                "doc-type-mismatch",
                "doc_type says resource, but the page documents an HTTP request and no resource",
            );
            api_page = Some(page);
        }
        Role::Resource => types = resources::resource_types(page, &mut sink),
        Role::Enum => {
            types = resources::enum_types(page, &mut sink);
            if types.is_empty() {
                let line = page.title_line();
                sink.warn(line, "no-enum-members", "enum page has no members table");
            }
        }
        Role::Api => api_page = Some(page),
        Role::Conceptual => sink.note(
            page.title_line(),
            "conceptual-page",
            "overview page: documents no type or operation",
        ),
        Role::Unknown => sink.warn(
            page.title_line(),
            "unrecognised-page",
            "neither a resource, enum nor API page (no doc_type, title or HTTP request section says so)",
        ),
    }
    (types, api_page, sink.into_vec())
}

#[cfg(test)]
mod tests {
    use super::build;
    use crate::diag::{Diagnostic, Severity};
    use crate::model::{Api, Method, RequestBody, TypeKind, TypeRef, TypeUse};
    use crate::read::parse_page;

    fn build_api(pages: &[(&str, &str)]) -> (Api, Vec<Diagnostic>) {
        let mut read = Vec::new();
        let mut diags = Vec::new();
        for (file, text) in pages {
            let (page, d) = parse_page(file, text.as_bytes());
            read.push(page);
            diags.extend(d);
        }
        let (api, d) = build(&read);
        diags.extend(d);
        (api, diags)
    }

    fn codes(diags: &[Diagnostic]) -> Vec<(&str, &str, u32)> {
        diags
            .iter()
            .map(|d| (d.code, d.file.as_str(), d.line))
            .collect()
    }

    const BASE: &str = "---\ndoc_type: resourcePageType\n---\n# entity resource type\n\nBase of everything.\n\n## Properties\n|Property|Type|Description|\n|:--|:--|:--|\n|id|String|Key.|\n\n## JSON representation\n<!-- { \"blockType\": \"resource\", \"keyProperty\": \"id\", \"@odata.type\": \"microsoft.graph.entity\" } -->\n```json\n{}\n```\n";

    #[test]
    fn inheritance_from_prose_and_annotation_and_kinds_through_the_base() {
        let derived = "# widget resource type\n\nA widget. Inherits from [entity](entity.md).\n\n## Properties\n|Property|Type|Description|\n|--|--|--|\n|size|Int32|How big.|\n|parts|[part](part.md) collection|Parts.|\n\n## JSON representation\n<!-- { \"blockType\": \"resource\", \"@odata.type\": \"microsoft.graph.widget\", \"baseType\": \"microsoft.graph.entity\" } -->\n```json\n{}\n```\n";
        let part = "# part complex type\n\n## Properties\n|Name|Type|Description|\n|--|--|--|\n|label|string|A label.|\n";
        let (api, diags) = build_api(&[
            ("resources/entity.md", BASE),
            ("resources/widget.md", derived),
            ("resources/part.md", part),
        ]);
        assert!(diags.is_empty(), "{diags:?}");
        let widget = api.type_named("widget").unwrap();
        assert_eq!(widget.base.as_deref(), Some("entity"));
        assert_eq!(widget.kind, TypeKind::Entity);
        assert_eq!(widget.description, "A widget. Inherits from entity.");
        assert_eq!(widget.properties[1].ty, TypeRef::Named("part".into()));
        assert!(widget.properties[1].collection);
        assert_eq!(widget.source.line, 12, "the resource annotation's line");
        assert_eq!(api.type_named("part").unwrap().kind, TypeKind::Complex);
        let all: Vec<&str> = api
            .all_properties("widget")
            .iter()
            .map(|p| p.name.as_str())
            .collect();
        assert_eq!(all, ["size", "parts", "id"]);
    }

    #[test]
    fn enums_from_pages_and_value_sections() {
        let color = "---\ndoc_type: enumPageType\n---\n# color enum type\n\nColours.\n\n## Members\n|Member|Value|Description|\n|--|--|--|\n|red|0|Red.|\n|blue|x|Blue.|\n";
        let thing = "# thing resource type\n\n## Properties\n|Property|Type|Description|\n|--|--|--|\n|mood|[mood](#mood-values)|How it feels.|\n|tint|[Color](color.md)|Its colour.|\n\n### mood values\n|Member|Description|\n|--|--|\n|null|Unset.|\n|happy|Glad.|\n";
        let (api, diags) =
            build_api(&[("resources/color.md", color), ("resources/thing.md", thing)]);
        assert_eq!(
            codes(&diags),
            [("invalid-enum-value", "resources/color.md", 12)]
        );
        let color = api.type_named("color").unwrap();
        assert_eq!(color.kind, TypeKind::Enum);
        let members: Vec<_> = color
            .members
            .iter()
            .map(|m| (m.name.as_str(), m.value))
            .collect();
        assert_eq!(members, [("red", Some(0)), ("blue", None)]);
        let mood = api.type_named("mood").unwrap();
        assert_eq!(mood.members.len(), 1, "null is not a member");
        let thing = api.type_named("thing").unwrap();
        assert_eq!(
            thing.properties.len(),
            2,
            "the enum table is not a property table"
        );
        assert_eq!(
            thing.properties[1].ty,
            TypeRef::Named("color".into()),
            "resolved by name, any case"
        );
    }

    #[test]
    fn bad_rows_and_missing_links_are_reported_and_the_rest_is_kept() {
        let page = "# gadget resource type\n\n## Properties\n|Property|Type|Description|\n|--|--|--|\n|ok|String|Fine.|\n|weird|see below|Bad cell.|\n|ghost|[phantom](phantom.md)|Missing page.|\n|last|Boolean\n\n## JSON representation\n<!-- { \"blockType\": \"resource\", } -->\n```json\n{ not json\n```\n";
        let (api, diags) = build_api(&[("resources/gadget.md", page)]);
        assert_eq!(
            codes(&diags),
            [
                ("unknown-type-cell", "resources/gadget.md", 7),
                ("unresolved-type", "resources/gadget.md", 8),
                ("invalid-representation-json", "resources/gadget.md", 14)
            ]
        );
        let gadget = api.type_named("gadget").unwrap();
        let names: Vec<&str> = gadget.properties.iter().map(|p| p.name.as_str()).collect();
        assert_eq!(names, ["ok", "weird", "ghost", "last"]);
        assert_eq!(
            gadget.properties[2].ty,
            TypeRef::Primitive(crate::model::Primitive::Untyped)
        );
    }

    #[test]
    fn group_rows_and_operation_links_in_property_tables_are_not_properties() {
        let page = "# gadget resource type\n\n## Properties\n|Property|Type|Description|\n|--|--|--|\n|**Onboarding**|\n|ok|String|Fine.|\n|[List the parts](../api/gadget-list-parts.md)|[gadget](gadget.md) collection|A link.|\n";
        let (api, diags) = build_api(&[("resources/gadget.md", page)]);
        let found: Vec<_> = diags.iter().map(|d| (d.code, d.severity, d.line)).collect();
        assert_eq!(
            found,
            [
                ("table-group-row", Severity::Note, 6),
                ("invalid-property-name", Severity::Warning, 8)
            ]
        );
        let gadget = api.type_named("gadget").unwrap();
        let names: Vec<&str> = gadget.properties.iter().map(|p| p.name.as_str()).collect();
        assert_eq!(names, ["ok"]);
    }

    #[test]
    fn one_type_over_several_pages_is_merged_and_conflicts_reported() {
        let a = "# hub resource type\n\n## Properties\n|Property|Type|Description|\n|--|--|--|\n|id|String|Key.|\n|name|String|Name.|\n";
        let b = "# hub resource type\n\n## Properties\n|Property|Type|Description|\n|--|--|--|\n|name|Int32|Clash.|\n|extra|Boolean|More.|\n";
        let (api, diags) = build_api(&[("resources/a.md", a), ("resources/b.md", b)]);
        assert_eq!(
            codes(&diags),
            [
                ("type-merged", "resources/b.md", 1),
                ("property-conflict", "resources/b.md", 6)
            ]
        );
        let hub = api.type_named("hub").unwrap();
        let names: Vec<&str> = hub.properties.iter().map(|p| p.name.as_str()).collect();
        assert_eq!(names, ["id", "name", "extra"]);
        assert_eq!(hub.source.file, "resources/a.md");
    }

    #[test]
    fn an_api_page_gives_paths_body_response_permissions_and_examples() {
        let page = "# widget: polish\n\nPolishes a widget.\n\n## Permissions\n|Permission type|Permissions|\n|--|--|\n|Application|Widget.ReadWrite.All, Not supported.|\n\n## HTTP request\n<!-- { \"blockType\": \"ignored\" } -->\n```http\nPOST /widgets/{id}/polish\nPOST /me//widgets/{id}/polish/\n```\n\n## Request body\n|Parameter|Type|Description|\n|--|--|--|\n|shine|Int32|How much.|\n\n## Response\nIf successful, this method returns a `200 OK` response code and a [widget](../resources/widget.md) object in the response body.\n\n## Example\n<!-- { \"blockType\": \"request\", \"name\": \"polish\" } -->\n```http\nPOST https://graph.microsoft.com/v1.0/widgets/1/polish\nContent-Type: application/json\n\n{ \"shine\": 3 }\n```\n<!-- { \"blockType\": \"response\", \"truncated\": \"true\" } -->\n```http\nHTTP/1.1 200 OK\n\n{ \"id\": \"1\", }\n```\n";
        let widget = "# widget resource type\n\n## Properties\n|Property|Type|Description|\n|--|--|--|\n|id|String|Key.|\n";
        let (api, diags) = build_api(&[
            ("api/widget-polish.md", page),
            ("resources/widget.md", widget),
        ]);
        assert_eq!(
            codes(&diags),
            [
                ("path-double-slash", "api/widget-polish.md", 14),
                ("path-trailing-slash", "api/widget-polish.md", 14),
                ("invalid-example-json", "api/widget-polish.md", 37),
            ]
        );
        let paths: Vec<&str> = api
            .endpoints
            .iter()
            .map(|e| e.path.template.as_str())
            .collect();
        assert_eq!(
            paths,
            [
                "/me/widgets/{widget-id}/polish",
                "/widgets/{widget-id}/polish"
            ]
        );
        assert!(api.endpoints[0].examples.is_empty());
        let op = &api.endpoints[1];
        assert_eq!(
            (op.name.as_str(), op.method),
            ("widget: polish", Method::Post)
        );
        let Some(RequestBody::Parameters { parameters }) = &op.request_body else {
            panic!()
        };
        assert_eq!(parameters[0].name, "shine");
        assert_eq!(op.response.status, 200);
        assert_eq!(
            op.response.body,
            Some(TypeUse {
                ty: TypeRef::Named("widget".into()),
                collection: false
            })
        );
        assert_eq!(op.permissions[0].scopes, ["Widget.ReadWrite.All"]);
        let example = &op.examples[0];
        assert_eq!(example.name.as_deref(), Some("polish"));
        assert_eq!(
            example.request.as_ref().unwrap().body.as_deref(),
            Some("{ \"shine\": 3 }")
        );
        let response = example.response.as_ref().unwrap();
        assert_eq!(
            (
                response.status,
                response.body.as_deref(),
                response.truncated
            ),
            (Some(200), None, true)
        );
    }

    #[test]
    fn every_request_line_and_method_is_an_endpoint_and_pages_merge_on_one() {
        // Two methods, request lines under two headings, an example whose
        // URL fits no documented path.
        let photo = "# Update photo\n\n## HTTP request (to replace)\n```http\nPATCH /me/photo/$value\n```\n\n## HTTP request (to set)\n```http\nPUT /users/{id | userPrincipalName}/photo/$value\nPUT /me/photo/$value\n```\n\n## Response\nReturns `204 No Content`.\n\n## Example\n<!-- { \"blockType\": \"request\", \"name\": \"a\" } -->\n```http\nPUT /users/42/photo/$value\n```\n<!-- { \"blockType\": \"request\", \"name\": \"b\" } -->\n```http\nPUT /groups/7/photo/$value\n```\n";
        // A second page on one of those endpoints, with its own scope.
        let other = "# Set a photo\n\n## Permissions\n|Permission type|Permissions|\n|--|--|\n|Delegated|User.ReadWrite|\n\n## HTTP request\n```http\nPUT /me/photo/$value\n```\n";
        let (api, diags) = build_api(&[
            ("api/profilephoto-update.md", photo),
            ("api/intune-profilephoto-update.md", other),
        ]);
        let labels: Vec<String> = api.endpoints.iter().map(|e| e.label()).collect();
        assert_eq!(
            labels,
            [
                "PUT /me/photo/$value",
                "PATCH /me/photo/$value",
                "PUT /users/{user-id}/photo/$value"
            ]
        );
        let put_me = &api.endpoints[0];
        assert_eq!(put_me.source.file, "api/profilephoto-update.md");
        assert_eq!(
            put_me.also[0].source.file,
            "api/intune-profilephoto-update.md"
        );
        assert_eq!(put_me.permissions[0].scopes, ["User.ReadWrite"]);
        let named = |e: &crate::model::Endpoint| -> Vec<Option<String>> {
            e.examples.iter().map(|x| x.name.clone()).collect()
        };
        // The unmatched example stays with the page's first PUT endpoint.
        assert_eq!(
            named(&api.endpoints[2]),
            [Some("a".to_owned()), Some("b".to_owned())]
        );
        assert!(named(put_me).is_empty());
        assert!(
            codes(&diags).contains(&("example-url-unmatched", "api/profilephoto-update.md", 24)),
            "{diags:?}"
        );
    }

    #[test]
    fn an_example_fitting_two_paths_goes_to_the_more_literal_one() {
        // `roleTemplateId=7` also fits `{id}`, one segment of any text.
        let page = "# Get role\n\n## HTTP request\n```http\nGET /roles/{id}\nGET /roles/roleTemplateId={roleTemplateId}\n```\n\n## Response\nReturns `200 OK`.\n\n## Example\n<!-- { \"blockType\": \"request\", \"name\": \"by_id\" } -->\n```http\nGET /roles/42\n```\n<!-- { \"blockType\": \"request\", \"name\": \"by_template\" } -->\n```http\nGET /roles/roleTemplateId=7\n```\n";
        let (api, _) = build_api(&[("api/role-get.md", page)]);
        let named = |path: &str| -> Vec<Option<String>> {
            let labels: Vec<String> = api.endpoints.iter().map(|e| e.label()).collect();
            let endpoint = (api.endpoints.iter().find(|e| e.label() == path))
                .unwrap_or_else(|| panic!("{path} is not among {labels:?}"));
            endpoint.examples.iter().map(|x| x.name.clone()).collect()
        };
        assert_eq!(named("GET /roles/{role-id}"), [Some("by_id".to_owned())]);
        assert_eq!(
            named("GET /roles/roleTemplateId={roles-role-template-id}"),
            [Some("by_template".to_owned())]
        );
    }

    #[test]
    fn the_page_named_after_the_path_is_kept_unless_the_overrides_say_otherwise() {
        let page = |title: &str, response: &str| {
            format!(
                "# {title}\n\n## HTTP request\n```http\nGET /groups/{{id}}/threads/{{id}}/posts\n```\n\n## Response\nReturns `200 OK` and a [{response}](../resources/{response}.md) collection in the response body.\n"
            )
        };
        let post = "# post resource type\n\n## Properties\n|Property|Type|Description|\n|--|--|--|\n|id|String|Key.|\n";
        let extension = "# extension resource type\n\n## Properties\n|Property|Type|Description|\n|--|--|--|\n|id|String|Key.|\n";
        let pages = [
            ("api/ext-get.md", page("Get extension", "extension")),
            (
                "api/conversationthread-list-posts.md",
                page("List posts", "post"),
            ),
            ("resources/post.md", post.to_owned()),
            ("resources/extension.md", extension.to_owned()),
        ];
        let read: Vec<_> = pages
            .iter()
            .map(|(f, t)| crate::read::parse_page(f, t.as_bytes()).0)
            .collect();
        let kept = |overrides: &crate::model::Overrides| {
            let (api, diags) = crate::model::build_with(&read, overrides);
            let e = &api.endpoints[0];
            let ty = e.response.body.as_ref().map(|b| b.ty.clone());
            let unused = diags.iter().filter(|d| d.code == "override-unused").count();
            (e.source.file.clone(), ty, e.also.len(), unused)
        };
        // The shorter file name loses to the one that names `posts`.
        assert_eq!(
            kept(&crate::model::Overrides::default()),
            (
                "api/conversationthread-list-posts.md".to_owned(),
                Some(TypeRef::Named("post".into())),
                1,
                0
            )
        );
        let overrides: crate::model::Overrides = toml::from_str(
            "[[endpoint]]\nmethod = \"GET\"\npath = \"/groups/{x}/threads/{y}/posts\"\npage = \"api/ext-get.md\"\nreason = \"test\"\n\n[[endpoint]]\nmethod = \"GET\"\npath = \"/gone\"\npage = \"api/ext-get.md\"\nreason = \"test\"\n",
        )
        .unwrap();
        assert_eq!(
            kept(&overrides),
            (
                "api/ext-get.md".to_owned(),
                Some(TypeRef::Named("extension".into())),
                1,
                1
            )
        );
    }

    #[test]
    fn api_pages_without_a_request_line_are_reported_not_dropped_silently() {
        let page = "---\ndoc_type: apiPageType\n---\n# Broken\n\n## HTTP request\n```http\nsee elsewhere\n```\n";
        let (api, diags) = build_api(&[("api/broken.md", page)]);
        assert!(api.endpoints.is_empty());
        assert_eq!(codes(&diags), [("no-http-request", "api/broken.md", 6)]);
    }

    const WIDGET: &str = "# widget resource type\n\n## Properties\n|Property|Type|Description|\n|--|--|--|\n|id|String|Key.|\n";

    fn api_page(body: &str) -> String {
        format!("---\ndoc_type: apiPageType\n---\n# Do widget\n\n{body}")
    }

    #[test]
    fn the_link_after_inherits_from_names_the_base() {
        let page = "# special resource type\n\nUsed by [widget](widget.md) pages. Inherits from [entity](entity.md).\n";
        let (api, _) = build_api(&[
            ("resources/entity.md", BASE),
            ("resources/widget.md", WIDGET),
            ("resources/special.md", page),
        ]);
        assert_eq!(
            api.type_named("special").unwrap().base.as_deref(),
            Some("entity")
        );
    }

    #[test]
    fn prose_enums_never_displace_documented_types() {
        let lamp = "# lamp resource type\n\n## Properties\n|Property|Type|Description|\n|--|--|--|\n|state|String|Possible values are: `on`, `off`.|\n|mode|String|Possible values are: `eco`, `full`.|\n|color|String|Possible values are: `red`, `blue`.|\n";
        let state = "# lampState complex type\n\n## Properties\n|Property|Type|Description|\n|--|--|--|\n|since|DateTimeOffset|When.|\n";
        let mode = "# lampMode enum type\n\n## Members\n|Member|Value|Description|\n|--|--|--|\n|eco|0|Saves.|\n|full|1|Bright.|\n|turbo|2|Brighter.|\n";
        // Either order of pages: the documented types win.
        for pages in [
            [
                ("lamp.md", lamp),
                ("lampstate.md", state),
                ("lampmode.md", mode),
            ],
            [
                ("lampmode.md", mode),
                ("lampstate.md", state),
                ("lamp.md", lamp),
            ],
        ] {
            let (api, diags) = build_api(&pages);
            let lamp = api.type_named("lamp").unwrap();
            let ty = |name: &str| &lamp.properties.iter().find(|p| p.name == name).unwrap().ty;
            assert_eq!(
                ty("state"),
                &TypeRef::Primitive(super::super::Primitive::String)
            );
            assert_eq!(ty("mode"), &TypeRef::Named("lampMode".into()));
            assert_eq!(ty("color"), &TypeRef::Named("lampColor".into()));
            assert_eq!(api.type_named("lampState").unwrap().kind, TypeKind::Complex);
            let mode = api.type_named("lampMode").unwrap();
            assert!(!mode.from_prose);
            assert_eq!(mode.members.len(), 3);
            assert!(api.type_named("lampColor").unwrap().from_prose);
            let codes = codes(&diags);
            assert!(
                codes.contains(&("prose-enum-name-taken", "lamp.md", 6)),
                "{codes:?}"
            );
            assert!(
                codes.contains(&("prose-enum-documented", "lamp.md", 7)),
                "{codes:?}"
            );
        }
    }

    #[test]
    fn bytes_are_told_from_paths_headers_prose_and_redirects_per_endpoint() {
        let photo = api_page(
            "## HTTP request\n```http\nGET /widgets/{id}/photo\nGET /widgets/{id}/photo/$value\nPUT /widgets/{id}/photo/$value\n```\n\n## Request headers\n|Name|Description|\n|--|--|\n|Content-Type|image/jpeg. Required.|\n\n## Request body\nThe binary data of the photo.\n\n## Response\nReturns `200 OK` and a [widget](../resources/widget.md) object.\n\n## Example\n<!-- { \"blockType\": \"request\" } -->\n```http\nGET /widgets/1/photo\n```\n<!-- { \"blockType\": \"response\" } -->\n```http\nHTTP/1.1 200 OK\nContent-Type: application/json\n\n{\"id\": \"1\"}\n```\n<!-- { \"blockType\": \"request\" } -->\n```http\nGET /widgets/1/photo/$value\n```\n<!-- { \"blockType\": \"response\" } -->\n```http\nHTTP/1.1 200 OK\nContent-Type: image/png\n```\n",
        );
        let report = api_page(
            "## HTTP request\n```http\nGET /reports/getWidgetCounts(period='{p}')\n```\n\n## Response\nReturns a `302 Found` to a download URL. The CSV file has these columns.\n",
        );
        let (api, diags) = build_api(&[
            ("resources/widget.md", WIDGET),
            ("api/widget-photo.md", &photo),
            ("api/report.md", &report),
        ]);
        let at = |method: Method, path: &str| {
            api.endpoints
                .iter()
                .find(|e| e.method == method && e.path.template == path)
                .unwrap()
        };
        // The metadata path answers JSON; the `$value` path on the same
        // page answers the type its example shows.
        let meta = at(Method::Get, "/widgets/{widget-id}/photo");
        assert_eq!(meta.response.content_type, None);
        assert!(meta.response.body.is_some());
        let value = at(Method::Get, "/widgets/{widget-id}/photo/$value");
        assert_eq!(value.response.content_type.as_deref(), Some("image/png"));
        assert_eq!(value.response.body, None);
        // The upload takes bytes of the type the headers table names.
        assert_eq!(
            at(Method::Put, "/widgets/{widget-id}/photo/$value").request_body,
            Some(RequestBody::Content {
                content_type: "image/jpeg".into()
            })
        );
        let report = at(Method::Get, "/reports/getWidgetCounts(period='{period}')");
        assert_eq!(
            (
                report.response.status,
                report.response.content_type.as_deref()
            ),
            (302, Some("text/csv"))
        );
        assert!(
            !diags.iter().any(|d| d.code == "unknown-request-body"),
            "{diags:?}"
        );
    }

    #[test]
    fn prose_words_that_are_type_names_do_not_become_bodies() {
        let properties = "# properties resource type\n\n## Properties\n|Property|Type|Description|\n|--|--|--|\n|x|String|X.|\n";
        let page = api_page(
            "## HTTP request\n```http\nPOST /widgets\n```\n\n## Request body\nIn the request body, supply a JSON object with the following properties.\n\n## Response\nReturns `204 No Content`.\n",
        );
        let (api, diags) = build_api(&[
            ("resources/properties.md", properties),
            ("api/do.md", &page),
        ]);
        assert_eq!(api.endpoints[0].request_body, None);
        assert!(diags.iter().any(|d| d.code == "unknown-request-body"));

        let page = api_page(
            "## HTTP request\n```http\nPOST /widgets\n```\n\n## Request body\nSupply a JSON representation of a widget object.\n",
        );
        let (api, _) = build_api(&[("resources/widget.md", WIDGET), ("api/do.md", &page)]);
        assert_eq!(
            api.endpoints[0].request_body,
            Some(RequestBody::Type(TypeUse {
                ty: TypeRef::Named("widget".into()),
                collection: false
            }))
        );
    }

    #[test]
    fn response_type_prefers_what_resolves_and_the_example_decides_collection() {
        let page = api_page(
            "## HTTP request\n```http\nGET /widgets/{id}\n```\n\n## Response\nReturns `200 OK` and a [gizmo](../resources/gizmo.md) collection.\n\n## Example\n```http\nGET https://graph.microsoft.com/v1.0/widgets/1\n```\n<!-- { \"blockType\": \"response\", \"@odata.type\": \"microsoft.graph.widget\" } -->\n```http\nHTTP/1.1 200 OK\n\n{\"id\": \"1\"}\n```\n",
        );
        let (api, _) = build_api(&[("resources/widget.md", WIDGET), ("api/get.md", &page)]);
        assert_eq!(
            api.endpoints[0].response.body,
            Some(TypeUse {
                ty: TypeRef::Named("widget".into()),
                collection: false
            })
        );

        let page = api_page(
            "## HTTP request\n```http\nPOST /widgets/check\n```\n\n## Response\nReturns `200 OK`.\n\n## Example\n```http\nPOST https://graph.microsoft.com/v1.0/widgets/check\n```\n<!-- { \"blockType\": \"response\", \"@odata.type\": \"Collection(Edm.String)\" } -->\n```http\nHTTP/1.1 200 OK\n\n{\"value\": [\"a\"]}\n```\n",
        );
        let (api, _) = build_api(&[("api/check.md", &page)]);
        assert_eq!(
            api.endpoints[0].response.body,
            Some(TypeUse {
                ty: TypeRef::Primitive(crate::model::Primitive::String),
                collection: true
            })
        );
    }

    #[test]
    fn name_value_parameter_tables_and_duplicate_parameters() {
        let page = api_page(
            "## HTTP request\n```http\nPOST /widgets/{id}/copy\n```\n\n## Request body\n| Name | Value | Description |\n|--|--|--|\n|name|string|New name.|\n|name|string|Again.|\n|count|Int32|How many.|\n",
        );
        let (api, diags) = build_api(&[("api/copy.md", &page)]);
        let Some(RequestBody::Parameters { parameters }) = &api.endpoints[0].request_body else {
            panic!()
        };
        let names: Vec<&str> = parameters.iter().map(|p| p.name.as_str()).collect();
        assert_eq!(names, ["name", "count"]);
        assert_eq!(
            codes(&diags),
            [
                ("missing-response-status", "api/copy.md", 1),
                ("duplicate-parameter", "api/copy.md", 15)
            ]
        );
    }

    #[test]
    fn examples_for_another_method_are_left_out() {
        let page = api_page(
            "## HTTP request\n```http\nPOST /widgets\n```\n\n## Example\n```http\nPATCH https://graph.microsoft.com/v1.0/widgets/1\n\n{\"a\": 1}\n```\n```http\nHTTP/1.1 204 No Content\n```\n```http\nPOST https://graph.microsoft.com/v1.0/widgets\n\n{\"b\": 2}\n```\n",
        );
        let (api, diags) = build_api(&[("api/post.md", &page)]);
        let examples = &api.endpoints[0].examples;
        assert_eq!(examples.len(), 1);
        assert_eq!(
            examples[0].request.as_ref().unwrap().body.as_deref(),
            Some("{\"b\": 2}")
        );
        assert_eq!(
            codes(&diags),
            [
                ("missing-response-status", "api/post.md", 1),
                ("example-method-mismatch", "api/post.md", 13)
            ]
        );
    }
    #[test]
    fn a_response_body_of_unknown_type_is_kept_as_json() {
        let page = api_page(
            "## HTTP request\n```http\nGET /widgets/stats\n```\n\n## Response\nReturns `200 OK`.\n\n## Example\n```http\nGET https://graph.microsoft.com/v1.0/widgets/stats\n```\n```http\nHTTP/1.1 200 OK\n\n{\"count\": 3}\n```\n",
        );
        let (api, diags) = build_api(&[("api/stats.md", &page)]);
        let untyped = TypeRef::Primitive(crate::model::Primitive::Untyped);
        assert_eq!(
            api.endpoints[0].response.body,
            Some(TypeUse {
                ty: untyped,
                collection: false
            })
        );
        assert_eq!(
            codes(&diags),
            [("unknown-response-type", "api/stats.md", 19)]
        );
    }
    #[test]
    fn rows_inherited_from_a_type_name_the_base_when_nothing_else_does() {
        let page = "# leaf resource type\n\n## Properties\n|Property|Type|Description|\n|--|--|--|\n|id|String|Inherited from [entity](entity.md).|\n|size|Int32|Inherited from [widget](widget.md).|\n";
        let (api, diags) = build_api(&[
            ("resources/entity.md", BASE),
            ("resources/widget.md", WIDGET),
            ("resources/leaf.md", page),
        ]);
        assert_eq!(
            api.type_named("leaf").unwrap().base.as_deref(),
            Some("widget")
        );
        assert_eq!(codes(&diags), [("base-from-rows", "resources/leaf.md", 7)]);
    }
    #[test]
    fn the_json_representation_is_reconciled_with_the_tables() {
        let page = "# gauge resource type\n\nInherits from [entity](entity.md).\n\n## Properties\n|Property|Type|Description|\n|--|--|--|\n|level|Int32 collection|Levels.|\n|label|String|Label.|\n\n## JSON representation\n<!-- { \"blockType\": \"resource\", \"@odata.type\": \"microsoft.graph.gauge\" } -->\n```json\n{\n  \"id\": \"String (identifier)\",\n  \"level\": 1,\n  \"label\": true,\n  \"unit\": \"String\",\n  \"parts\": [{\"@odata.type\": \"microsoft.graph.entity\"}],\n  \"4e98f8f1-bb03\": \"String\"\n}\n```\n";
        let (api, diags) =
            build_api(&[("resources/entity.md", BASE), ("resources/gauge.md", page)]);
        assert_eq!(
            codes(&diags),
            [
                ("representation-disagrees", "resources/gauge.md", 16),
                ("representation-disagrees", "resources/gauge.md", 17),
                ("property-missing-from-table", "resources/gauge.md", 18),
                ("property-missing-from-table", "resources/gauge.md", 19),
                ("representation-key-not-a-name", "resources/gauge.md", 20),
            ]
        );
        let gauge = api.type_named("gauge").unwrap();
        let added: Vec<(&str, String, bool)> = gauge.properties[2..]
            .iter()
            .map(|p| (p.name.as_str(), String::from(p.ty.clone()), p.collection))
            .collect();
        // In the representation's key order, which serde_json sorts.
        assert_eq!(
            added,
            [
                ("parts", "entity".to_owned(), true),
                ("unit", "Edm.String".to_owned(), false)
            ]
        );
        assert_eq!(
            gauge.properties[0].ty,
            TypeRef::Primitive(crate::model::Primitive::Int32),
            "the table wins"
        );
    }
    #[test]
    fn flags_enums_are_told_by_their_values() {
        let page = |name: &str, values: &[i64]| {
            let rows: String = values
                .iter()
                .enumerate()
                .map(|(i, v)| format!("|m{i}|{v}|x|\n"))
                .collect();
            format!(
                "---\ndoc_type: enumPageType\n---\n# {name} enum type\n\n## Members\n|Member|Value|Description|\n|--|--|--|\n{rows}"
            )
        };
        let (flags, ordinal, small) = (
            page("parts", &[1, 2, 4, 8]),
            page("level", &[0, 1, 2, 3]),
            page("tiny", &[0, 1, 2]),
        );
        let (api, _) = build_api(&[
            ("resources/parts.md", &flags),
            ("resources/level.md", &ordinal),
            ("resources/tiny.md", &small),
        ]);
        assert!(api.type_named("parts").unwrap().flags);
        assert!(!api.type_named("level").unwrap().flags);
        assert!(
            !api.type_named("tiny").unwrap().flags,
            "0, 1, 2 reads as an ordinary enum"
        );
    }
    #[test]
    fn a_name_in_two_namespaces_is_two_types_resolved_from_the_page_namespace() {
        let plain = "# mediaStream resource type\n\nNamespace: microsoft.graph\n\n## Properties\n|Property|Type|Description|\n|--|--|--|\n|label|String|A.|\n";
        let calls = "# mediaStream resource type\n\nNamespace: microsoft.graph.callRecords\n\n## Properties\n|Property|Type|Description|\n|--|--|--|\n|packets|Int64|B.|\n";
        let session = "# session resource type\n\nNamespace: microsoft.graph.callRecords\n\n## Properties\n|Property|Type|Description|\n|--|--|--|\n|streams|[mediaStream](callrecords-mediastream.md) collection|C.|\n";
        let call = "# call resource type\n\n## Properties\n|Property|Type|Description|\n|--|--|--|\n|stream|[mediaStream](mediastream.md)|D.|\n";
        let (api, diags) = build_api(&[
            ("resources/mediastream.md", plain),
            ("resources/callrecords-mediastream.md", calls),
            ("resources/callrecords-session.md", session),
            ("resources/call.md", call),
        ]);
        assert!(diags.is_empty(), "{diags:?}");
        let names: Vec<&str> = api.types.iter().map(|t| t.name.as_str()).collect();
        assert_eq!(
            names,
            [
                "call",
                "callRecords.mediaStream",
                "callRecords.session",
                "mediaStream"
            ]
        );
        let ty = |t: &str| api.type_named(t).unwrap().properties[0].ty.clone();
        assert_eq!(
            ty("callRecords.session"),
            TypeRef::Named("callRecords.mediaStream".into())
        );
        assert_eq!(ty("call"), TypeRef::Named("mediaStream".into()));
    }
    #[test]
    fn an_undocumented_body_type_is_read_from_examples_that_fit_it() {
        let page = |body: &str| {
            api_page(&format!(
                "## HTTP request\n```http\nPATCH /widgets/{{id}}\n```\n\n## Request body\nSend the new values.\n\n## Response\nReturns `200 OK` and a [widget](../resources/widget.md).\n\n## Example\n```http\nPATCH https://graph.microsoft.com/v1.0/widgets/1\n\n{body}\n```\n"
            ))
        };
        let fits = page("{\"id\": \"1\", \"@odata.etag\": \"x\"}");
        let (api, diags) = build_api(&[("resources/widget.md", WIDGET), ("api/update.md", &fits)]);
        let widget = TypeUse {
            ty: TypeRef::Named("widget".into()),
            collection: false,
        };
        assert_eq!(
            api.endpoints[0].request_body,
            Some(RequestBody::Type(widget))
        );
        assert!(diags.iter().any(|d| d.code == "body-type-from-example"));

        let foreign = page("{\"id\": \"1\", \"colour\": \"red\"}");
        let (api, _) = build_api(&[("resources/widget.md", WIDGET), ("api/update.md", &foreign)]);
        assert_eq!(api.endpoints[0].request_body, None);
    }
    #[test]
    fn an_undocumented_response_type_is_read_from_examples_that_fit_it() {
        let page = |request: &str, response: &str| {
            api_page(&format!(
                "## HTTP request\n```http\nPOST /widgets\n```\n\n## Request body\nSend a [widget](../resources/widget.md).\n\n## Response\nReturns `200 OK` and what was made.\n\n## Example\n```http\nPOST https://graph.microsoft.com/v1.0/widgets\n\n{request}\n```\n<!-- {{ \"blockType\": \"response\" }} -->\n```http\nHTTP/1.1 200 OK\n\n{response}\n```\n"
            ))
        };
        let typed = |page: &str| {
            let (api, diags) = build_api(&[("resources/widget.md", WIDGET), ("api/make.md", page)]);
            let inferred = diags.iter().any(|d| d.code == "response-type-from-example");
            (api.endpoints[0].response.body.clone(), inferred)
        };
        let widget = |collection| {
            Some(TypeUse {
                ty: TypeRef::Named("widget".into()),
                collection,
            })
        };
        // The request body's type, when the answer fits it.
        assert_eq!(
            typed(&page(
                "{\"id\": \"1\"}",
                "{\"id\": \"1\", \"@odata.context\": \"x\"}"
            )),
            (widget(false), true)
        );
        // The type the items of a page name, whatever was sent.
        assert_eq!(
            typed(&page(
                "{\"colour\": \"red\"}",
                "{\"value\": [{\"@odata.type\": \"#microsoft.graph.widget\", \"id\": \"1\"}]}"
            )),
            (widget(true), true)
        );
        // A member the type lacks, or an empty answer, leaves it any JSON.
        let untyped = Some(TypeUse {
            ty: TypeRef::Primitive(super::super::Primitive::Untyped),
            collection: false,
        });
        assert_eq!(
            typed(&page(
                "{\"id\": \"1\"}",
                "{\"id\": \"1\", \"colour\": \"red\"}"
            )),
            (untyped.clone(), false)
        );
        assert_eq!(typed(&page("{\"id\": \"1\"}", "{}")), (untyped, false));
    }
    #[test]
    fn an_api_page_mislabelled_as_a_resource_is_read_as_an_api_page() {
        let page = "---\ndoc_type: resourcePageType\n---\n# widget: List parts\n\n## HTTP request\n```http\nGET /widgets/{id}/parts\n```\n";
        let (api, diags) = build_api(&[("api/widget-list-parts.md", page)]);
        assert_eq!(api.endpoints.len(), 1);
        assert!(api.types.is_empty());
        assert!(codes(&diags).contains(&("doc-type-mismatch", "api/widget-list-parts.md", 4)));
    }
    #[test]
    fn review_cases_explicit_namespace_empty_bodies_and_english_after_inherited_from() {
        let plain = "# mediaStream resource type\n\n## Properties\n|Property|Type|Description|\n|--|--|--|\n|label|String|A.|\n";
        let calls = "# mediaStream resource type\n\nNamespace: microsoft.graph.callRecords\n\n## Properties\n|Property|Type|Description|\n|--|--|--|\n|packets|Int64|B.|\n|plain|microsoft.graph.mediaStream|Names the default namespace.|\n|id|String|Inherited from the parent object.|\n";
        let (api, _) = build_api(&[
            ("resources/mediastream.md", plain),
            ("resources/callrecords-mediastream.md", calls),
        ]);
        let calls = api.type_named("callRecords.mediaStream").unwrap();
        assert_eq!(calls.properties[1].ty, TypeRef::Named("mediaStream".into()));
        assert_eq!(calls.base, None, "`the` is not a base type");

        let page = api_page(
            "## HTTP request\n```http\nPOST /widgets/{id}/reset\n```\n\n## Response\nReturns `200 OK` and a [widget](../resources/widget.md).\n\n## Example\n```http\nPOST https://graph.microsoft.com/v1.0/widgets/1/reset\n\n{}\n```\n",
        );
        let (api, _) = build_api(&[("resources/widget.md", WIDGET), ("api/reset.md", &page)]);
        assert_eq!(
            api.endpoints[0].request_body, None,
            "an empty body fits no type"
        );
    }
}
