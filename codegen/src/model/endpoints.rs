//! API pages → endpoints.
//!
//! An API page documents one or more endpoints: every `METHOD /path` line
//! in its HTTP blocks before the examples, under whatever heading they sit
//! ("HTTP request (to upload a new file)", "Get the tenant's root site"),
//! each with the page's function parameters, what the request sends
//! (Request body), what comes back (Response prose and the response
//! example's annotation), who may call it (Permissions, or Prerequisites on
//! older pages), and the examples whose URL fits its path; `media` then
//! tells the bodies that are bytes, not JSON. Endpoints that
//! several pages document are then merged into one ([`merge`]).

use super::resolve::{ScopedIndex, TypeIndex, keep_first_of_each_name};
use super::resources::{description, page_namespace, property_rows};
use super::type_cell::type_key;
use super::{
    AlsoDocumented, Endpoint, Example, ExampleRequest, ExampleResponse, Method, Overrides,
    Permission, RequestBody, Response, Source, TypeRef, TypeUse, paths,
};
use crate::diag::{Diagnostic, Sink};
use crate::read::{Annotation, Block, CodeBlock, Inline, Page};
use std::collections::BTreeMap;

/// Every endpoint `page` documents, in the order of its request lines.
pub fn endpoints(page: &Page, index: &TypeIndex, sink: &mut Sink<'_>) -> Vec<Endpoint> {
    let title = page.title();
    let line = title.map_or(1, |t| t.line);
    let name = title
        .map(|t| t.heading.clone())
        .or_else(|| page.front_matter.get("title").cloned())
        .unwrap_or_else(|| page.file.clone());
    let source = Source::at(page, line);
    let namespace = page_namespace(page);
    let types = &index.within(namespace.as_deref());

    let lines = request_lines(page, sink);
    if lines.is_empty() {
        return Vec::new();
    }
    let methods: Vec<Method> = lines.iter().fold(Vec::new(), |mut m, (method, _)| {
        if !m.contains(method) {
            m.push(*method);
        }
        m
    });
    let examples = examples(page, &methods, sink);
    // `## Parameters` is a function's, unless an action sends them.
    let sends = methods
        .iter()
        .any(|m| matches!(m, Method::Post | Method::Put | Method::Patch));
    let names: &[&str] = match sends && parameters_section(page).is_some() {
        true => &["function parameters"],
        false => &["function parameters", "parameters"],
    };
    let parameters: Vec<_> = sections_named(page, names)
        .flat_map(|i| property_rows(page, i, false, sink))
        .collect();
    let permissions = super::permissions::permissions(page);
    let description = description(page);
    // Examples go to the endpoint their URL fits, the most literal one when
    // it fits several; one that fits none of the page's paths for its
    // method still documents the page's bodies, so it stays with the
    // method's first endpoint, with a note.
    let mut placed: Vec<Vec<Example>> = vec![Vec::new(); lines.len()];
    for example in examples {
        let Some(request) = &example.request else {
            // A response alone: the page's first endpoint.
            placed[0].push(example);
            continue;
        };
        let same_method =
            |(_, (m, _)): &(usize, &(Method, paths::PathTemplate))| m.as_str() == request.method;
        let fitting = lines
            .iter()
            .enumerate()
            .filter(same_method)
            .filter(|(_, (_, t))| t.fit(&request.url).is_some())
            .min_by_key(|(_, (_, t))| std::cmp::Reverse(t.literal_len()));
        let at = match fitting {
            Some((i, _)) => i,
            None => {
                sink.note(
                    request.source.line,
                    "example-url-unmatched",
                    format!(
                        "example URL `{}` fits none of the page's `{}` paths",
                        request.url, request.method
                    ),
                );
                lines
                    .iter()
                    .enumerate()
                    .find(same_method)
                    .map_or(0, |(i, _)| i)
            }
        };
        placed[at].push(example);
    }
    let mut by_method: BTreeMap<Method, (Option<RequestBody>, Response)> = BTreeMap::new();
    for method in &methods {
        let of_method: Vec<Example> = lines
            .iter()
            .zip(&placed)
            .filter(|((m, _), _)| m == method)
            .flat_map(|(_, e)| e.iter().cloned())
            .collect();
        let response = response(page, *method, &of_method, types, sink);
        let body = request_body(page, *method, types, sink);
        by_method.insert(*method, (body, response));
    }
    lines
        .into_iter()
        .zip(placed)
        .map(|((method, path), examples)| {
            let (request_body, response) = by_method[&method].clone();
            let mut endpoint = Endpoint {
                method,
                path,
                name: name.clone(),
                description: description.clone(),
                parameters: parameters.clone(),
                request_body,
                response,
                permissions: permissions.clone(),
                examples,
                source: source.clone(),
                also: Vec::new(),
                namespace: namespace.clone(),
            };
            super::media::settle(page, &mut endpoint, sink);
            endpoint
        })
        .collect()
}

/// Merges endpoints that several pages document into one each, sorted by
/// path and method.
///
/// The reading kept is that of the page the overrides name for the
/// endpoint; else of a page whose file name names the path's last segment
/// (`conversationthread-list-posts.md` for `…/threads/{id}/posts`, over an
/// extensions page that lists the path among many); then of the page with
/// the shortest file name (the general `user-list.md` over an area's
/// `intune-devices-user-list.md`); then the first in path order. The others
/// add their permissions, examples, titles, descriptions and sources. Where
/// they disagree on the request body or the response, a note on the other
/// page says which reading was kept.
pub fn merge(
    endpoints: Vec<Endpoint>,
    overrides: &Overrides,
    diags: &mut Vec<Diagnostic>,
) -> Vec<Endpoint> {
    let chosen = overrides.endpoint_pages(diags);
    let mut used = vec![false; overrides.endpoint.len()];
    let mut groups: BTreeMap<(String, Method), Vec<Endpoint>> = BTreeMap::new();
    for e in endpoints {
        groups.entry((e.path.key(), e.method)).or_default().push(e);
    }
    let file_name = |s: &Source| s.file.rsplit('/').next().unwrap_or_default().to_owned();
    let merged: Vec<Endpoint> = groups
        .into_iter()
        .map(|((key, method), mut group)| {
            let last = super::tree::path_words(&group[0].path)
                .last()
                .map(|w| paths::singular(w).to_ascii_lowercase())
                .unwrap_or_default();
            let wanted = chosen
                .iter()
                .find(|(_, m, k, page)| {
                    *m == method
                        && *k == key
                        && group.len() > 1
                        && group.iter().any(|e| e.source.file == *page)
                })
                .map(|(i, _, _, page)| {
                    used[*i] = true;
                    page.as_str()
                });
            group.sort_by_cached_key(|e| {
                let name = file_name(&e.source);
                (
                    Some(e.source.file.as_str()) != wanted,
                    !name.to_ascii_lowercase().contains(&last),
                    name.len(),
                    e.source.clone(),
                )
            });
            let mut group = group.into_iter();
            let mut kept = group.next().expect("groups are never empty");
            for other in group {
                if other.source == kept.source {
                    // One page documenting a path twice (under two headings).
                    kept.examples.extend(other.examples);
                    continue;
                }
                let file = other.source.file.clone();
                let mut sink = Sink::new(&file);
                if other.request_body != kept.request_body
                    || other.response.body != kept.response.body
                {
                    sink.note(
                        other.path.source.line,
                        "endpoint-disagreement",
                        format!(
                            "`{}` is also documented by {}:{}, whose request body and response are kept",
                            kept.label(),
                            kept.source.file,
                            kept.source.line
                        ),
                    );
                }
                for p in other.permissions {
                    let same = |k: &&mut Permission| k.kind == p.kind && k.resource == p.resource;
                    match kept.permissions.iter_mut().find(same) {
                        Some(k) => {
                            for scope in p.scopes {
                                if !k.scopes.contains(&scope) {
                                    k.scopes.push(scope);
                                }
                            }
                            for scope in p.higher {
                                if !k.higher.contains(&scope) && !k.scopes.contains(&scope) {
                                    k.higher.push(scope);
                                }
                            }
                        }
                        None => kept.permissions.push(p),
                    }
                }
                kept.examples.extend(other.examples);
                if !kept.also.iter().any(|a| a.source == other.source) {
                    kept.also.push(AlsoDocumented {
                        name: other.name,
                        description: other.description,
                        source: other.source,
                    });
                }
                diags.extend(sink.into_vec());
            }
            kept
        })
        .collect();
    overrides.report_unused_endpoints(&used, diags);
    merged
}

/// Indices of the sections whose heading is one of `names`.
fn sections_named<'a>(page: &'a Page, names: &'a [&'a str]) -> impl Iterator<Item = usize> + 'a {
    page.sections_where(move |h| names.contains(&h))
        .map(|(i, _)| i)
}

/// Every `METHOD /path` line of the page's HTTP blocks before its
/// examples, once per (method, path), in page order.
fn request_lines(page: &Page, sink: &mut Sink<'_>) -> Vec<(Method, paths::PathTemplate)> {
    let end = page
        .sections
        .iter()
        .position(|s| s.level >= 2 && s.heading.to_ascii_lowercase().contains("example"))
        .unwrap_or(page.sections.len());
    let mut out: Vec<(Method, paths::PathTemplate)> = Vec::new();
    // Paths are documented in plain HTTP blocks; an example request under
    // the HTTP request heading, or one whose path has a placeholder,
    // documents its path too. Some pages ("List a group's drives", "List
    // the current user's drives") document each path only by an example
    // request under its own heading: then those requests' lines are the
    // paths.
    let mut annotated = Vec::new();
    let mut documenting = Vec::new();
    for section in &page.sections[..end] {
        let under_request = section
            .heading
            .to_ascii_lowercase()
            .starts_with("http request");
        for block in &section.blocks {
            let Block::Code(code) = block else { continue };
            if !matches!(code.lang.as_str(), "http" | "" | "msgraph-interactive") {
                continue;
            }
            match example_kind_annotated(code) {
                None => documenting.push(code),
                Some(ExampleKind::Request) => {
                    let placeholder = code
                        .text
                        .lines()
                        .find_map(request_line)
                        .is_some_and(|(_, p)| p.contains(['{', '<']));
                    if under_request || placeholder {
                        documenting.push(code);
                    } else {
                        annotated.push(code);
                    }
                }
                Some(ExampleKind::Response) => {}
            }
        }
    }
    let plain_lines = documenting.iter().any(|c| {
        example_kind_annotated(c).is_none() && c.text.lines().any(|l| request_line(l).is_some())
    });
    if !plain_lines {
        documenting.retain(|c| example_kind_annotated(c).is_some());
        documenting.extend(annotated);
        documenting.sort_by_key(|c| c.line);
    }
    for code in documenting {
        for (n, text) in code.text.lines().enumerate() {
            let line = code.line + u32::try_from(n).unwrap_or(0);
            let Some((method, path)) = request_line(text) else {
                continue;
            };
            let source = Source::at(page, line);
            if let Some(t) = paths::parse(path, source, sink)
                && !out.iter().any(|(m, p)| *m == method && p.key() == t.key())
            {
                out.push((method, t));
            }
        }
    }
    if out.is_empty() {
        let line = page
            .sections_where(|h| h.starts_with("http request"))
            .next()
            .map_or_else(|| page.title_line(), |(_, s)| s.line);
        sink.warn(
            line,
            "no-http-request",
            "API page lists no `METHOD /path` line before its examples",
        );
    }
    out
}

/// `METHOD path [HTTP/1.1]`; the path may hold spaces inside `{…}`.
fn request_line(line: &str) -> Option<(Method, &str)> {
    let (method, rest) = line.trim().split_once(char::is_whitespace)?;
    let method = Method::parse(&method.to_ascii_uppercase())?;
    let rest = rest.trim();
    let path = match rest.rsplit_once(char::is_whitespace) {
        Some((p, version)) if version.starts_with("HTTP/") => p.trim_end(),
        _ => rest,
    };
    (!path.is_empty()).then_some((method, path))
}

fn request_body(
    page: &Page,
    method: Method,
    types: &ScopedIndex<'_>,
    sink: &mut Sink<'_>,
) -> Option<RequestBody> {
    if !matches!(method, Method::Post | Method::Patch | Method::Put) {
        return None;
    }
    let Some((index, section)) = page.sections_where(|h| h == "request body").next() else {
        return parameters_body(page, sink);
    };
    let mut paragraphs = Vec::new();
    let mut parameter_table = false;
    let mut property_table = false;
    for block in page.subtree(index) {
        match block {
            Block::Paragraph(p) if !p.quoted => paragraphs.push(p),
            Block::Table(t) if t.is_keyed_by(&["Parameter", "Name"]) => parameter_table = true,
            Block::Table(t) if t.is_keyed_by(&["Property"]) => property_table = true,
            _ => {}
        }
    }
    let text: String = paragraphs
        .iter()
        .map(|p| p.text.to_ascii_lowercase())
        .collect();
    if forbids_body(&text) {
        return None;
    }
    // "No request body is required. However, you can specify…" and the
    // table under `## Parameters` (createUploadSession).
    if text.contains("no request body") {
        return parameters_body(page, sink);
    }
    // Intune's action pages head their parameter table "Property", under
    // prose that calls them parameters.
    if parameter_table || (property_table && text.contains("parameters")) {
        let mut parameters = property_rows(page, index, false, sink);
        let owner = page.title().map_or("request body", |t| t.heading.as_str());
        keep_first_of_each_name(&mut parameters, "duplicate-parameter", owner, sink);
        return Some(RequestBody::Parameters { parameters });
    }
    let named = paragraphs
        .iter()
        .find_map(|p| linked_type(p, types))
        .or_else(|| {
            paragraphs
                .iter()
                .find_map(|p| named_in_text(&p.text, types))
        })
        // "Update user" with a table of the user's properties.
        .or_else(|| {
            let title = page.title().filter(|_| property_table)?;
            named_in_title(&title.heading, types)
        });
    match named {
        Some(ty) => Some(RequestBody::Type(ty)),
        None => {
            // Prose about bytes: `media` tells, per endpoint.
            if !paragraphs.is_empty() && !super::media::says_binary(&text) {
                sink.note(
                    section.line,
                    "unknown-request-body",
                    "cannot tell the request body's type",
                );
            }
            None
        }
    }
}

/// The section `## Parameters` of an action page when it holds the body's
/// parameters, not a function's: a parameter table, on a page whose
/// request body section (if any) does not forbid a body.
fn parameters_section(page: &Page) -> Option<usize> {
    let forbidden = page
        .sections_where(|h| h == "request body")
        .flat_map(|(i, _)| page.subtree(i))
        .any(|b| matches!(b, Block::Paragraph(p) if forbids_body(&p.text.to_ascii_lowercase())));
    let (index, _) = page.sections_where(|h| h == "parameters").next()?;
    let table = page
        .subtree(index)
        .any(|b| matches!(b, Block::Table(t) if t.is_keyed_by(&["Parameter", "Name"])));
    (table && !forbidden).then_some(index)
}

/// "Do not supply a request body": lower-cased Request body prose that
/// says the call takes none.
fn forbids_body(text: &str) -> bool {
    text.contains("do not supply") || text.contains("don't supply")
}

fn parameters_body(page: &Page, sink: &mut Sink<'_>) -> Option<RequestBody> {
    let index = parameters_section(page)?;
    let mut parameters = property_rows(page, index, false, sink);
    let owner = page.title().map_or("parameters", |t| t.heading.as_str());
    keep_first_of_each_name(&mut parameters, "duplicate-parameter", owner, sink);
    Some(RequestBody::Parameters { parameters })
}

/// The first link in a paragraph that names a type, with "collection" read
/// from the words around it. A link names a type when its text is a
/// documented type's name, or when it points into `resources/`: then the
/// name is kept even if no page defines it, and resolution reports it.
fn linked_type(p: &Inline, types: &ScopedIndex<'_>) -> Option<TypeUse> {
    let lower = p.text.to_ascii_lowercase();
    p.links.iter().find_map(|link| {
        let text = link.text.trim_matches('`');
        let name = types.lookup(text).or_else(|| {
            link.target
                .contains("resources/")
                .then(|| type_key(text))
                .flatten()
        })?;
        let at = lower.find(&link.text.to_ascii_lowercase()).unwrap_or(0);
        let after = lower[at + link.text.len()..].trim_start();
        let before = &lower[..at];
        let collection = after.starts_with("collection")
            || after.starts_with("objects")
            || before.trim_end().ends_with("collection of")
            || before.trim_end().ends_with("list of");
        Some(TypeUse {
            ty: TypeRef::Named(name.to_owned()),
            collection,
        })
    })
}

/// "send a JSON representation of a deviceConfigurationGroupAssignment
/// object": older pages name the type in prose without linking it. Only a
/// word that is exactly a documented type's name counts, and only where the
/// sentence says it is one: after "representation of" or "description of"
/// (an article may come between), or before "object". English words that
/// are also type names ("properties", "directory") elsewhere do not count.
fn named_in_text(text: &str, types: &ScopedIndex<'_>) -> Option<TypeUse> {
    let words: Vec<&str> = text
        .split(|c: char| !c.is_ascii_alphanumeric() && c != '_')
        .filter(|w| !w.is_empty())
        .collect();
    let exact = |w: &str| types.lookup(w).filter(|n| *n == w);
    let named = words.iter().enumerate().find_map(|(i, w)| {
        let lead = w.to_ascii_lowercase();
        if (lead == "representation" || lead == "description")
            && words.get(i + 1).is_some_and(|n| *n == "of" || *n == "for")
        {
            words
                .iter()
                .skip(i + 2)
                .find(|w| !matches!(**w, "a" | "an" | "the"))
                .and_then(|w| exact(w))
        } else if words.get(i + 1).is_some_and(|n| *n == "object") {
            exact(w)
        } else {
            None
        }
    });
    named.map(|name| TypeUse {
        ty: TypeRef::Named(name.to_owned()),
        collection: false,
    })
}

/// "Update user" over a table of the user's properties: the title's last
/// word that is a documented type's name, in any case ("Update
/// plannertask"), but never a word of three letters or fewer.
fn named_in_title(title: &str, types: &ScopedIndex<'_>) -> Option<TypeUse> {
    title
        .split(|c: char| !c.is_ascii_alphanumeric() && c != '_')
        .rev()
        .filter(|w| w.len() > 3)
        .find_map(|w| types.lookup(w))
        .map(|name| TypeUse {
            ty: TypeRef::Named(name.to_owned()),
            collection: false,
        })
}

/// The response's status and body type.
///
/// The type comes from the Response prose's link when it names a
/// documented type, else from the first response example's annotation
/// (`@odata.type`, which may be a primitive or `Collection(…)`), else from
/// a prose link to an undocumented type (which resolution then reports).
/// Whether it is a collection: the annotation's `isCollection` when given,
/// else the first example body's shape, else what the prose or the
/// annotation's type said.
fn response(
    page: &Page,
    method: Method,
    examples: &[Example],
    types: &ScopedIndex<'_>,
    sink: &mut Sink<'_>,
) -> Response {
    let section = page.sections_where(|h| h == "response").next();
    let paragraphs: Vec<&Inline> = section
        .map(|(i, _)| {
            page.subtree(i)
                .filter_map(|b| match b {
                    Block::Paragraph(p) if !p.quoted => Some(p),
                    _ => None,
                })
                .collect()
        })
        .unwrap_or_default();
    let first_example = examples.iter().find_map(|e| e.response.as_ref());
    let status = paragraphs
        .iter()
        .find_map(|p| status_in(&p.text))
        .or_else(|| first_example.and_then(|r| r.status))
        .unwrap_or_else(|| {
            let line = section.map_or(1, |(_, s)| s.line);
            sink.note(
                line,
                "missing-response-status",
                "no response status documented; assuming the usual one",
            );
            match method {
                Method::Post => 201,
                Method::Patch | Method::Delete => 204,
                Method::Get | Method::Put => 200,
            }
        });
    if status == 204 {
        return Response {
            status,
            body: None,
            content_type: None,
        };
    }
    let from_prose = paragraphs.iter().find_map(|p| linked_type(p, types));
    let from_example = first_example
        .and_then(|r| r.odata_type.as_deref())
        .and_then(|t| annotated_type(t, types));
    let documented = |t: &TypeUse| match &t.ty {
        TypeRef::Named(n) => types.lookup(n).is_some(),
        TypeRef::Primitive(_) => true,
    };
    let body = match (from_prose, from_example) {
        (Some(p), _) if documented(&p) => Some(p),
        (_, Some(e)) => Some(e),
        (p, None) => p.or_else(|| paragraphs.iter().find_map(|p| primitive_in_prose(&p.text))),
    };
    let shape = first_example.and_then(|r| {
        r.is_collection
            .or_else(|| r.body.as_deref().map(is_collection_body))
    });
    let body = body.map(|mut t| {
        t.collection = shape.unwrap_or(t.collection);
        t
    });
    // An example shows a body but nothing says its type: keep it readable
    // as any JSON value rather than dropping it.
    let body = body.or_else(|| {
        let example = first_example.filter(|r| r.body.is_some())?;
        sink.note(
            example.source.line,
            "unknown-response-type",
            "the response example has a body but no documented type; typed as any JSON value",
        );
        Some(TypeUse {
            ty: TypeRef::Primitive(super::Primitive::Untyped),
            collection: false,
        })
    });
    Response {
        status,
        body,
        content_type: None,
    }
}

/// "returns a `200 OK` response code and a String collection in the
/// response body": functions and actions that return a primitive say so in
/// plain words, with no link to follow. Only a primitive's name right after
/// an article counts; `Stream` is left out, as it is no JSON value.
fn primitive_in_prose(text: &str) -> Option<TypeUse> {
    let lower = text.to_ascii_lowercase();
    let before = &lower[..lower.find(" in the response body")?];
    let mut words = before.split_whitespace().rev().map(|w| w.trim_matches('`'));
    let mut word = words.next()?;
    let collection = word == "collection";
    if collection {
        word = words.next()?;
    }
    let article = words.next()?;
    let primitive = super::Primitive::from_doc_name(word)
        .filter(|p| *p != super::Primitive::Stream && matches!(article, "a" | "an"))?;
    Some(TypeUse {
        ty: TypeRef::Primitive(primitive),
        collection,
    })
}

/// A response annotation's `@odata.type`: `microsoft.graph.user`,
/// `Collection(microsoft.graph.user)`, `Edm.Boolean` or `String`.
fn annotated_type(t: &str, types: &ScopedIndex<'_>) -> Option<TypeUse> {
    let t = t.trim();
    let (inner, collection) = match t
        .strip_prefix("Collection(")
        .or_else(|| t.strip_prefix("collection("))
        .and_then(|r| r.strip_suffix(')'))
    {
        Some(inner) => (inner, true),
        None => (t, false),
    };
    let ty = match super::Primitive::from_doc_name(inner) {
        Some(p) => TypeRef::Primitive(p),
        None => TypeRef::Named(types.lookup(inner)?.to_owned()),
    };
    Some(TypeUse { ty, collection })
}

/// `{"value": [ … ]}`: the shape Graph gives every collection response.
pub(super) fn is_collection_body(body: &str) -> bool {
    serde_json::from_str::<serde_json::Value>(body)
        .ok()
        .and_then(|v| v.get("value").map(serde_json::Value::is_array))
        .unwrap_or(false)
}

/// The first success or redirect `NNN Word` status in a sentence, e.g.
/// "`201 Created`": prose that also names an error ("a `507 Insufficient
/// Storage` response is returned if …") does not make it the answer.
fn status_in(text: &str) -> Option<u16> {
    let words: Vec<&str> = text.split_whitespace().collect();
    words.windows(2).find_map(|w| {
        let code = w[0].trim_matches(|c: char| !c.is_ascii_digit());
        let next = w[1].trim_matches('`');
        let ok = code.len() == 3 && next.starts_with(|c: char| c.is_ascii_uppercase());
        ok.then(|| code.parse::<u16>().ok())
            .flatten()
            .filter(|s| (100..400).contains(s))
    })
}

/// Request and response examples, paired in page order.
///
/// A request example for a method the page documents no path for (pages
/// sometimes show a related call) is left out with a note, and so is the
/// response that follows it.
fn examples(page: &Page, methods: &[Method], sink: &mut Sink<'_>) -> Vec<Example> {
    let Some((start, _)) = page.sections_where(|h| h.contains("example")).next() else {
        return Vec::new();
    };
    let mut out: Vec<Example> = Vec::new();
    let mut skipping = false;
    for block in page.sections[start..].iter().flat_map(|s| &s.blocks) {
        let Block::Code(code) = block else { continue };
        match example_kind(code) {
            Some(ExampleKind::Response) if skipping => skipping = false,
            Some(ExampleKind::Request) => {
                let request = example_request(page, code, sink);
                if let Some(r) = &request
                    && !methods.iter().any(|m| m.as_str() == r.method)
                {
                    sink.note(
                        r.source.line,
                        "example-method-mismatch",
                        format!(
                            "{} example on a page that documents no {} path is not used",
                            r.method, r.method
                        ),
                    );
                    skipping = true;
                    continue;
                }
                skipping = false;
                let name = code
                    .annotation
                    .as_ref()
                    .and_then(|a| a.str("name"))
                    .map(str::to_owned);
                out.push(Example {
                    name,
                    request,
                    response: None,
                });
            }
            Some(ExampleKind::Response) => {
                let response = example_response(page, code, sink);
                // `"name": ["get-a", "get-b"]`: one response for several
                // requests.
                let names: Vec<&str> = code
                    .annotation
                    .as_ref()
                    .and_then(|a| a.fields.get("name")?.as_array())
                    .map(|names| names.iter().filter_map(|n| n.as_str()).collect())
                    .unwrap_or_default();
                let mut paired = false;
                for e in out.iter_mut().filter(|e| e.response.is_none()) {
                    if e.name.as_deref().is_some_and(|n| names.contains(&n)) {
                        e.response.clone_from(&response);
                        paired = true;
                    }
                }
                if paired {
                    continue;
                }
                match out.last_mut() {
                    Some(e) if e.response.is_none() => e.response = response,
                    _ => out.push(Example {
                        name: None,
                        request: None,
                        response,
                    }),
                }
            }
            None => {}
        }
    }
    out
}

enum ExampleKind {
    Request,
    Response,
}

/// What a block's annotation says it is, when it says it is an example.
fn example_kind_annotated(code: &CodeBlock) -> Option<ExampleKind> {
    match code.annotation.as_ref()?.block_type().as_deref() {
        Some("request") => Some(ExampleKind::Request),
        Some("response") => Some(ExampleKind::Response),
        _ => None,
    }
}

fn example_kind(code: &CodeBlock) -> Option<ExampleKind> {
    if code.annotation.is_some() {
        return example_kind_annotated(code);
    }
    if !matches!(code.lang.as_str(), "http" | "" | "msgraph-interactive") {
        return None;
    }
    let first = code
        .text
        .lines()
        .find(|l| !l.trim().is_empty())?
        .trim_start();
    if first.starts_with("HTTP/") {
        Some(ExampleKind::Response)
    } else if first
        .split_whitespace()
        .next()
        .and_then(Method::parse)
        .is_some()
    {
        Some(ExampleKind::Request)
    } else {
        None
    }
}

/// A line of a code block: its index in the block, and its text.
type NumberedLine<'a> = (usize, &'a str);

/// An HTTP message as the docs write one.
struct HttpMessage<'a> {
    /// The first line (request or status line), after any blank lines.
    first: Option<NumberedLine<'a>>,
    headers: Vec<&'a str>,
    body: Option<NumberedLine<'a>>,
}

/// Splits an HTTP message into its first line, header lines and body. The
/// body is the first line after the first line that is neither blank nor
/// a header: some pages leave out the blank line before a JSON body,
/// others put one between the first line and the headers.
fn http_message(text: &str) -> HttpMessage<'_> {
    let mut lines = text
        .lines()
        .enumerate()
        .skip_while(|(_, l)| l.trim().is_empty());
    let first = lines.next();
    let mut headers = Vec::new();
    let body_start = lines.find_map(|(n, l)| {
        let t = l.trim();
        if t.is_empty() {
            None
        } else if !t.starts_with(['{', '[']) && is_header(t) {
            headers.push(t);
            None
        } else {
            Some(n)
        }
    });
    let body = body_start.and_then(|start| {
        let offset: usize = text.lines().take(start).map(|l| l.len() + 1).sum();
        let body = text.get(offset..)?.trim();
        (!body.is_empty()).then_some((start, body))
    });
    HttpMessage {
        first,
        headers,
        body,
    }
}

/// `Content-Type: x`, `Content-type:x`: a token, then a colon.
fn is_header(line: &str) -> bool {
    line.split_once(':').is_some_and(|(name, _)| {
        !name.is_empty() && name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
    })
}

impl HttpMessage<'_> {
    /// The media type of the `Content-Type` header, without parameters
    /// (`multipart/form-data; boundary=…` → `multipart/form-data`), in
    /// lower case.
    fn content_type(&self) -> Option<String> {
        self.headers
            .iter()
            .find_map(|l| {
                let (name, value) = l.split_once(':')?;
                name.trim().eq_ignore_ascii_case("content-type").then(|| {
                    let media = value.split(';').next().unwrap_or_default();
                    media.trim().to_ascii_lowercase()
                })
            })
            .filter(|m| !m.is_empty())
    }
}

impl HttpMessage<'_> {
    /// The headers besides `Content-Type` and `Content-Length`, as
    /// (name, value), values trimmed; those without a value are left out.
    fn other_headers(&self) -> Vec<(String, String)> {
        (self.headers.iter())
            .filter_map(|l| {
                let (name, value) = l.split_once(':')?;
                let (name, value) = (name.trim(), value.trim());
                let body_header = ["content-type", "content-length"]
                    .iter()
                    .any(|h| name.eq_ignore_ascii_case(h));
                (!body_header && !value.is_empty()).then(|| (name.to_owned(), value.to_owned()))
            })
            .collect()
    }
}

/// A body that does not even look like JSON, as written.
fn text_body(body: Option<(usize, &str)>) -> Option<String> {
    body.map(|(_, b)| b)
        .filter(|b| !b.starts_with(['{', '[']))
        .map(str::to_owned)
}

fn json_body(body: Option<(usize, &str)>, code: &CodeBlock, sink: &mut Sink<'_>) -> Option<String> {
    let (n, body) = body?;
    let line = code.line + u32::try_from(n).unwrap_or(0);
    if !body.starts_with(['{', '[']) {
        return None;
    }
    match serde_json::from_str::<serde_json::Value>(body) {
        Ok(_) => Some(body.to_owned()),
        Err(e) => {
            sink.warn(
                line + u32::try_from(e.line().saturating_sub(1)).unwrap_or(0),
                "invalid-example-json",
                format!("example body is not valid JSON: {e}"),
            );
            None
        }
    }
}

fn example_request(page: &Page, code: &CodeBlock, sink: &mut Sink<'_>) -> Option<ExampleRequest> {
    let message = http_message(&code.text);
    let body = message.body;
    let (n, first) = message.first?;
    let (method, url) = request_line(first)?;
    Some(ExampleRequest {
        method: method.as_str().to_owned(),
        url: url.to_owned(),
        content_type: message.content_type(),
        content: text_body(body),
        body: json_body(body, code, sink),
        source: Source::at(page, code.line + u32::try_from(n).unwrap_or(0)),
    })
}

fn example_response(page: &Page, code: &CodeBlock, sink: &mut Sink<'_>) -> Option<ExampleResponse> {
    let annotation = code.annotation.as_ref();
    let (status, body, content_type, headers) = if code.lang == "json" {
        (None, Some((0, code.text.trim())), None, Vec::new())
    } else {
        let message = http_message(&code.text);
        let status = message
            .first
            .and_then(|(_, l)| l.split_whitespace().nth(1)?.parse().ok());
        (
            status,
            message.body,
            message.content_type(),
            message.other_headers(),
        )
    };
    Some(ExampleResponse {
        status,
        content_type,
        headers,
        content: text_body(body),
        body: json_body(body, code, sink),
        odata_type: annotation
            .and_then(Annotation::odata_type)
            .map(str::to_owned),
        is_collection: annotation.and_then(|a| a.bool("isCollection")),
        truncated: annotation
            .and_then(|a| a.bool("truncated"))
            .unwrap_or(false),
        source: Source::at(page, code.line),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn primitives_named_in_the_response_prose() {
        let read = |t: &str| primitive_in_prose(t).map(|u| (u.ty, u.collection));
        assert_eq!(
            read("returns a `200 OK` response code and a String collection in the response body."),
            Some((TypeRef::Primitive(super::super::Primitive::String), true))
        );
        assert_eq!(
            read("returns a `200 OK` response code and a Int32 in the response body."),
            Some((TypeRef::Primitive(super::super::Primitive::Int32), false))
        );
        // A Stream is no JSON value; a word that is no article is no claim.
        assert_eq!(read("and a Stream in the response body"), None);
        assert_eq!(read("the returned String in the response body"), None);
        assert_eq!(read("a site collection in the response body"), None);
    }

    #[test]
    fn status_from_prose() {
        assert_eq!(
            status_in("returns a `201 Created` response code and"),
            Some(201)
        );
        assert_eq!(status_in("returns `200 OK` response code"), Some(200));
        assert_eq!(status_in("returns 204 No Content."), Some(204));
        assert_eq!(status_in("up to 999 items"), None);
        assert_eq!(
            status_in("if it exceeds the quota, a `507 Insufficient Storage` response is returned"),
            None
        );
    }

    #[test]
    fn request_lines_keep_spaces_inside_placeholders() {
        assert_eq!(
            request_line("GET /users/{id | userPrincipalName}/events HTTP/1.1"),
            Some((Method::Get, "/users/{id | userPrincipalName}/events"))
        );
        assert_eq!(request_line("  patch /me "), Some((Method::Patch, "/me")));
        assert_eq!(request_line("Content-Type: application/json"), None);
        assert_eq!(request_line("GET"), None);
    }

    #[test]
    fn content_types_are_read_from_the_headers_only() {
        assert_eq!(
            http_message("PUT /me/photo/$value\nContent-type: image/jpeg\n\nbinary").content_type(),
            Some("image/jpeg".to_owned())
        );
        assert_eq!(
            http_message("POST /x\ncontent-type: multipart/form-data; boundary=MyPart\n\n")
                .content_type(),
            Some("multipart/form-data".to_owned())
        );
        assert_eq!(
            http_message("HTTP/1.1 200 OK\n\nThe text: plain").content_type(),
            None
        );
    }

    #[test]
    fn http_messages_split_into_first_line_and_body() {
        let message = http_message("\nHTTP/1.1 201 Created\nContent-Type: x\n\n{\n \"a\": 1\n}\n");
        assert_eq!(message.first, Some((1, "HTTP/1.1 201 Created")));
        assert_eq!(message.body, Some((4, "{\n \"a\": 1\n}")));
        assert_eq!(http_message("GET /me\n").body, None);
        let message = http_message("POST /me/x\nContent-Type: application/json\n{\"a\": 1}\n");
        assert_eq!(message.body, Some((2, "{\"a\": 1}")));
        // A blank line before the headers, as Intune's pages have.
        let text =
            "POST /x/assign\n\nContent-type: application/json\nContent-length: 8\n\n{\"a\": 1}";
        assert_eq!(http_message(text).body, Some((5, "{\"a\": 1}")));
        assert_eq!(
            http_message(text).content_type().as_deref(),
            Some("application/json")
        );
        assert_eq!(
            http_message("PUT /p\nContent-Type: image/jpeg\n\nBinary data: the image").body,
            Some((3, "Binary data: the image"))
        );
    }
}
