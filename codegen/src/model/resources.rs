//! Resource and enum pages → type definitions.
//!
//! A resource page gives one entity or complex type (name from the resource
//! annotation or the title, properties from the Properties and Relationships
//! tables, base type from the annotation or the "Inherits from" sentence)
//! and any number of in-page enums (`### x values` tables). Enum pages give
//! enums from their Members tables.

use super::type_cell::{self, qualify, type_key};
use super::{EnumMember, Property, Source, TypeDef, TypeKind, TypeRef};
use crate::diag::Sink;
use crate::read::{Annotation, Block, Inline, Page, Table};

const PROPERTY_COLUMNS: &[&str] = &["Property", "Name", "Property name", "Relationship"];
/// `Value` last: some parameter tables (`Name | Value | Description`) put the
/// type there. Enum tables, where it holds numbers, are keyed by `Member`.
const TYPE_COLUMNS: &[&str] = &["Type", "Return type", "Value type", "Value"];
const DESCRIPTION_COLUMNS: &[&str] = &["Description", "Notes", "Remarks"];
const MEMBER_COLUMNS: &[&str] = &["Member", "Name", "Member name", "Value name"];
const VALUE_COLUMNS: &[&str] = &["Value", "Int value"];

/// The entity or complex type a resource page defines, plus its in-page enums.
pub fn resource_types(page: &Page, sink: &mut Sink<'_>) -> Vec<TypeDef> {
    let mut types = enum_types(page, sink);
    let resource_block = page.blocks().find_map(|b| match b {
        Block::Code(c)
            if c.annotation
                .as_ref()
                .is_some_and(|a| a.block_type().as_deref() == Some("resource")) =>
        {
            Some(c)
        }
        _ => None,
    });
    let annotation = resource_block.and_then(|c| c.annotation.as_ref());
    let namespace = page_namespace(page);
    let name = annotation
        .and_then(Annotation::odata_type)
        .and_then(type_key)
        .map(str::to_owned)
        .or_else(|| title_name(page, &["resource type", "complex type", "entity type"]))
        .map(|n| qualify(&n, namespace.as_deref()));
    let Some(name) = name else {
        let line = page.title_line();
        sink.warn(
            line,
            "unnamed-resource",
            "cannot tell which type this resource page defines",
        );
        return types;
    };
    let line = annotation
        .map(|a| a.line)
        .or_else(|| page.title().map(|t| t.line))
        .unwrap_or(1);

    let mut properties = Vec::new();
    for (i, _) in page.sections_where(|h| h == "properties") {
        properties.extend(property_rows(page, i, false, sink));
    }
    for (i, _) in page.sections_where(|h| h == "relationships" || h == "navigation properties") {
        properties.extend(property_rows(page, i, true, sink));
    }

    let annotated_base = annotation
        .and_then(|a| a.str("baseType"))
        .and_then(type_key)
        .map(str::to_owned);
    let prose_base = inherits_from(page, sink);
    let base = match (annotated_base, prose_base) {
        (Some(a), Some((p, pline))) => {
            // The text names the base bare; the annotation may qualify it.
            let last = |n: &str| n.rsplit('.').next().unwrap_or(n).to_ascii_lowercase();
            if last(&a) != last(&p) {
                sink.warn(
                    pline,
                    "base-type-conflict",
                    format!(
                        "text says `{name}` inherits from `{p}`, annotation says `{a}`; using `{a}`"
                    ),
                );
            }
            Some(a)
        }
        (a, p) => a.or(p.map(|(p, _)| p)),
    }
    .or_else(|| inherited_in_rows(&properties, sink));

    // An entity has a key. Many pages omit `keyProperty`, and some complex
    // types (`identity`) have an `id` too; an `id` together with methods or
    // relationships is what marks an entity on those pages.
    let has_id = properties.iter().any(|p| !p.navigation && p.name == "id");
    let addressable = properties.iter().any(|p| p.navigation)
        || page.sections_where(|h| h == "methods").any(|(i, _)| {
            page.subtree(i)
                .any(|b| matches!(b, Block::Table(t) if !t.rows.is_empty()))
        });
    let keyed =
        annotation.is_some_and(|a| a.str("keyProperty").is_some()) || (has_id && addressable);
    types.extend(prose_enums(&name, &mut properties, page, sink));
    types.push(TypeDef {
        name,
        kind: if keyed {
            TypeKind::Entity
        } else {
            TypeKind::Complex
        },
        base,
        description: description(page),
        properties,
        members: Vec::new(),
        flags: false,
        from_prose: false,
        source: Source::at(page, line),
        representation: resource_block.map_or_else(Vec::new, |c| representation(page, c, sink)),
    });
    types
}

/// Whether the members' values mark a flags enum: every member has one,
/// and at least four non-zero ones are distinct powers of two. Fewer read
/// as an ordinary enum: `0, 1, 2, 4` is as often a plain list of choices
/// (`open, wep, wpaPersonal, wpaEnterprise`), and an ordinary enum still
/// keeps a combined value, in `Other`.
fn is_flags(members: &[EnumMember]) -> bool {
    let Some(values) = members
        .iter()
        .map(|m| m.value)
        .collect::<Option<Vec<i64>>>()
    else {
        return false;
    };
    let nonzero: Vec<i64> = values.into_iter().filter(|&v| v != 0).collect();
    let mut distinct = nonzero.clone();
    distinct.sort_unstable();
    distinct.dedup();
    nonzero.len() >= 4
        && distinct.len() == nonzero.len()
        && nonzero.iter().all(|&v| v > 0 && (v & (v - 1)) == 0)
}

/// Enums for String properties whose values are listed only in prose
/// ("Possible values are: `a`, `b`, `c`."), named after the owner and the
/// property (`presenceAvailability`); the property is retyped to it. The
/// generated enum keeps values the list lacks, so nothing is lost if the
/// prose is incomplete.
fn prose_enums(
    owner: &str,
    properties: &mut [Property],
    page: &Page,
    sink: &mut Sink<'_>,
) -> Vec<TypeDef> {
    let mut enums = Vec::new();
    for p in properties
        .iter_mut()
        .filter(|p| p.ty == TypeRef::Primitive(super::Primitive::String))
    {
        let values = prose_values(&p.description);
        if values.len() < 2 {
            continue;
        }
        let mut chars = p.name.chars();
        let Some(first) = chars.next() else { continue };
        let name = format!("{owner}{}{}", first.to_ascii_uppercase(), chars.as_str());
        if type_key(&name) != Some(name.as_str()) {
            continue;
        }
        sink.note(
            p.source.line,
            "enum-from-prose",
            format!(
                "`{owner}.{}` lists its values in prose; typed as the enum `{name}`",
                p.name
            ),
        );
        enums.push(TypeDef {
            name: name.clone(),
            kind: TypeKind::Enum,
            base: None,
            description: format!(
                "Values of `{owner}.{}`, as its description lists them.",
                p.name
            ),
            properties: Vec::new(),
            members: values
                .into_iter()
                .map(|v| EnumMember {
                    name: v,
                    value: None,
                    description: String::new(),
                    source: p.source.clone(),
                })
                .collect(),
            flags: false,
            from_prose: true,
            source: Source::at(page, p.source.line),
            representation: Vec::new(),
        });
        p.ty = TypeRef::Named(name);
    }
    enums
}

/// The backticked values of a "Possible values are …" sentence, without
/// `null`, in order and without repeats.
fn prose_values(description: &str) -> Vec<String> {
    let phrase = "possible values are";
    let Some(at) = description.to_ascii_lowercase().find(phrase) else {
        return Vec::new();
    };
    let rest = &description[at + phrase.len()..];
    let mut values: Vec<String> = Vec::new();
    let mut ticked: Option<String> = None;
    for (i, c) in rest.char_indices() {
        match (c, ticked.as_mut()) {
            ('`', Some(v)) => {
                let v = std::mem::take(v);
                ticked = None;
                let plain =
                    !v.is_empty() && v.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
                if plain && v != "null" && !values.contains(&v) {
                    values.push(v);
                }
            }
            ('`', None) => ticked = Some(String::new()),
            (c, Some(v)) => v.push(c),
            ('.', None)
                if rest[i + 1..].is_empty() || rest[i + 1..].starts_with(char::is_whitespace) =>
            {
                break;
            }
            _ => {}
        }
    }
    values
}

/// The members of a JSON representation block, each typed from its
/// placeholder: `"String"`, `"Int32"`, `true`, `{"@odata.type": "…x"}`, or a
/// one-element array of those. Members whose placeholder names no type keep
/// `Edm.Untyped`; resolution only uses them to compare with the tables.
fn representation(
    page: &Page,
    code: &crate::read::CodeBlock,
    sink: &mut Sink<'_>,
) -> Vec<Property> {
    let Ok(serde_json::Value::Object(members)) =
        serde_json::from_str::<serde_json::Value>(&code.text)
    else {
        sink.note(
            code.line,
            "invalid-representation-json",
            "the JSON representation is not a JSON object; not compared with the tables",
        );
        return Vec::new();
    };
    members
        .iter()
        .filter(|(name, _)| !name.starts_with('@') && !name.contains("@odata"))
        .map(|(name, value)| {
            let (ty, collection) = match value {
                serde_json::Value::Array(items) => (
                    items.first().map_or(
                        TypeRef::Primitive(super::Primitive::Untyped),
                        placeholder_type,
                    ),
                    true,
                ),
                other => (placeholder_type(other), false),
            };
            let offset = code.text.find(&format!("\"{name}\"")).unwrap_or(0);
            let line =
                code.line + u32::try_from(code.text[..offset].matches('\n').count()).unwrap_or(0);
            Property {
                name: name.clone(),
                ty,
                collection,
                navigation: false,
                description: String::new(),
                source: Source::at(page, line),
            }
        })
        .collect()
}

fn placeholder_type(value: &serde_json::Value) -> TypeRef {
    use super::Primitive;
    let untyped = TypeRef::Primitive(Primitive::Untyped);
    match value {
        serde_json::Value::Bool(_) => TypeRef::Primitive(Primitive::Boolean),
        serde_json::Value::Number(n) if n.is_f64() => TypeRef::Primitive(Primitive::Double),
        serde_json::Value::Number(_) => TypeRef::Primitive(Primitive::Int64),
        serde_json::Value::String(s) => {
            let head = s.split(['(', ' ', ',']).next().unwrap_or(s);
            Primitive::from_doc_name(head).map_or(untyped, TypeRef::Primitive)
        }
        serde_json::Value::Object(o) => o
            .get("@odata.type")
            .and_then(serde_json::Value::as_str)
            .and_then(type_key)
            .map_or(untyped, |n| TypeRef::Named(n.to_owned())),
        _ => untyped,
    }
}

/// Enums from `x values` sections, and from a standalone enum page's Members table.
pub fn enum_types(page: &Page, sink: &mut Sink<'_>) -> Vec<TypeDef> {
    let mut enums = Vec::new();
    let namespace = page_namespace(page);
    let page_enum = title_name(page, &["enum type", "enumeration type"]);
    for section in &page.sections {
        let heading = section.heading.trim();
        let name = if let Some(n) = heading
            .strip_suffix(" values")
            .or_else(|| heading.strip_suffix(" Values"))
        {
            type_key(n.trim().trim_matches('`')).map(str::to_owned)
        } else if heading.eq_ignore_ascii_case("members") {
            page_enum.clone()
        } else {
            None
        };
        let Some(name) = name.map(|n| qualify(&n, namespace.as_deref())) else {
            continue;
        };
        let Some(table) = section.blocks.iter().find_map(|b| match b {
            Block::Table(t) if t.column(MEMBER_COLUMNS).is_some() => Some(t),
            _ => None,
        }) else {
            continue;
        };
        let members = enum_members(page, table, sink);
        let is_page_enum = page_enum
            .as_deref()
            .is_some_and(|e| qualify(e, namespace.as_deref()) == name);
        let description = if is_page_enum {
            description(page)
        } else {
            String::new()
        };
        enums.push(TypeDef {
            name,
            kind: TypeKind::Enum,
            base: None,
            description,
            properties: Vec::new(),
            flags: is_flags(&members),
            from_prose: false,
            members,
            source: Source::at(page, section.line),
            representation: Vec::new(),
        });
    }
    enums
}

fn enum_members(page: &Page, table: &Table, sink: &mut Sink<'_>) -> Vec<EnumMember> {
    let name_col = table.column(MEMBER_COLUMNS).unwrap_or(0);
    let value_col = table.column(VALUE_COLUMNS).filter(|&c| c != name_col);
    let desc_col = table.column(DESCRIPTION_COLUMNS);
    let mut members = Vec::new();
    for row in &table.rows {
        let name = plain(&row.cells[name_col].text);
        if name.is_empty() {
            continue;
        }
        if name.eq_ignore_ascii_case("null") {
            continue;
        }
        let value = match value_col.map(|c| plain(&row.cells[c].text)) {
            Some(v) if !v.is_empty() => match v.parse::<i64>() {
                Ok(n) => Some(n),
                Err(_) => {
                    sink.warn(
                        row.line,
                        "invalid-enum-value",
                        format!("enum value `{v}` is not an integer"),
                    );
                    None
                }
            },
            _ => None,
        };
        members.push(EnumMember {
            name,
            value,
            description: desc_col.map_or_else(String::new, |c| row.cells[c].text.trim().to_owned()),
            source: Source::at(page, row.line),
        });
    }
    members
}

/// Property rows from the tables of section `index` (and its subsections),
/// skipping enum tables that sit under the Properties heading.
pub fn property_rows(
    page: &Page,
    index: usize,
    navigation: bool,
    sink: &mut Sink<'_>,
) -> Vec<Property> {
    let mut out = Vec::new();
    // `### x values` subsections hold enum tables, not properties.
    let blocks = page
        .subsections(index)
        .iter()
        .filter(|s| !s.heading.to_ascii_lowercase().ends_with(" values"))
        .flat_map(|s| &s.blocks);
    for block in blocks {
        let Block::Table(table) = block else { continue };
        if !table.is_keyed_by(PROPERTY_COLUMNS) && !table.is_keyed_by(&["Parameter"]) {
            continue;
        }
        let Some(type_col) = table.column(TYPE_COLUMNS) else {
            sink.warn(
                table.line,
                "missing-table-column",
                "property table has no Type column",
            );
            continue;
        };
        let desc_col = table.column(DESCRIPTION_COLUMNS);
        for row in &table.rows {
            let name = plain(&row.cells[0].text);
            if name.is_empty() {
                continue;
            }
            let cell = &row.cells[type_col];
            // `|**Onboarding**|` groups the rows below it: a row with a name
            // and nothing else is a heading, not a property.
            if row.cells[1..].iter().all(|c| c.text.trim().is_empty()) {
                sink.note(
                    row.line,
                    "table-group-row",
                    format!("row `{name}` groups the rows below it; not a property"),
                );
                continue;
            }
            // `[List transitive memberOf](…)` links to an operation, in a
            // relationships table: linked words, not a JSON member's name.
            if !row.cells[0].links.is_empty() && name.contains(char::is_whitespace) {
                sink.warn(
                    row.line,
                    "invalid-property-name",
                    format!("`{name}` links elsewhere and is not a property name; row skipped"),
                );
                continue;
            }
            let (ty, collection) = match type_cell::parse(cell) {
                Ok(t) => (t.ty, t.collection),
                Err(text) => {
                    sink.warn(
                        row.line,
                        "unknown-type-cell",
                        format!(
                            "type `{text}` of `{name}` is not a type name; typed as any JSON value"
                        ),
                    );
                    (TypeRef::Primitive(super::Primitive::Untyped), false)
                }
            };
            out.push(Property {
                name,
                ty,
                collection,
                navigation,
                description: desc_col
                    .map_or_else(String::new, |c| row.cells[c].text.trim().to_owned()),
                source: Source::at(page, row.line),
            });
        }
    }
    out
}

/// The page's sub-namespace of `microsoft.graph`, from its
/// `Namespace: microsoft.graph.callRecords` line; `None` for the default.
pub fn page_namespace(page: &Page) -> Option<String> {
    page.sections
        .iter()
        .take(2)
        .flat_map(|s| &s.blocks)
        .find_map(|b| {
            let Block::Paragraph(p) = b else { return None };
            let rest = p.text.trim().strip_prefix("Namespace:")?;
            let namespace = rest.split_whitespace().next()?;
            if namespace
                .trim_end_matches('.')
                .eq_ignore_ascii_case("microsoft.graph")
            {
                return None;
            }
            type_key(namespace)
                .filter(|k| *k != namespace)
                .map(str::to_owned)
        })
}

/// The name in a title like `user resource type`.
fn title_name(page: &Page, suffixes: &[&str]) -> Option<String> {
    let title = page.title()?.heading.trim();
    let lower = title.to_ascii_lowercase();
    let suffix = suffixes.iter().find(|s| lower.ends_with(*s))?;
    let name = title[..title.len() - suffix.len()].trim().trim_matches('`');
    type_key(name).map(str::to_owned)
}

/// The base type named by an "Inherits from [x](…)" sentence, with its line.
fn inherits_from(page: &Page, sink: &mut Sink<'_>) -> Option<(String, u32)> {
    page.blocks().find_map(|b| {
        let Block::Paragraph(p) = b else { return None };
        let phrase = "inherits from";
        let after = p.text.to_ascii_lowercase().find(phrase)? + phrase.len();
        let rest = &p.text[after..];
        // The link after the phrase, not the paragraph's first link.
        let linked = p
            .links
            .iter()
            .filter_map(|l| rest.find(&l.text).map(|at| (at, l.text.as_str())))
            .min()
            .map(|(_, text)| text);
        let word = || {
            rest.split(|c: char| c.is_whitespace() || c == '.' || c == ',')
                .find(|w| !w.is_empty())
        };
        let name = linked.or_else(word).unwrap_or_default().trim_matches('`');
        match type_key(name) {
            Some(n) => Some((n.to_owned(), p.line)),
            None => {
                sink.warn(
                    p.line,
                    "unreadable-base-type",
                    format!("cannot read a type name after \"Inherits from\" (found `{name}`)"),
                );
                None
            }
        }
    })
}

/// The base named by rows' "Inherited from x" notes, for pages that say it
/// nowhere else: the first named type other than `entity`, if any (a row
/// inherited from `entity` is also inherited through any other base).
/// English words where the notes use prose ("inherited from the parent")
/// do not count.
fn inherited_in_rows(properties: &[Property], sink: &mut Sink<'_>) -> Option<String> {
    let named: Vec<(&str, u32)> = properties
        .iter()
        .filter_map(|p| {
            let lower = p.description.to_ascii_lowercase();
            let at = lower.find("inherited from ")? + "inherited from ".len();
            let word = p.description[at..]
                .split(|c: char| c.is_whitespace() || matches!(c, ',' | ';' | ')'))
                .next()?
                .trim_matches(|c: char| c == '`' || c == '.');
            // A type name, not an English word ("inherited from the parent").
            let key = type_key(word)?;
            let name = key.rsplit('.').next().unwrap_or(key).to_ascii_lowercase();
            let english = [
                "a", "an", "the", "another", "its", "their", "this", "that", "parent", "base",
                "other",
            ];
            (!english.contains(&name.as_str())).then_some((key, p.source.line))
        })
        .collect();
    let (name, line) = named
        .iter()
        .find(|(n, _)| *n != "entity")
        .or_else(|| named.first())?;
    sink.note(
        *line,
        "base-from-rows",
        format!("base type `{name}` read from the rows' \"Inherited from\" notes"),
    );
    Some((*name).to_owned())
}

/// The first plain paragraph under the title, or the front matter's description.
pub fn description(page: &Page) -> String {
    let from_text = page.title().and_then(|t| {
        t.blocks.iter().find_map(|b| match b {
            Block::Paragraph(p) if is_description(p) => Some(without_namespace(&p.text)),
            _ => None,
        })
    });
    from_text
        .or_else(|| page.front_matter.get("description").cloned())
        .unwrap_or_default()
}

fn is_description(p: &Inline) -> bool {
    let t = without_namespace(&p.text);
    !p.quoted && !t.is_empty() && !t.to_ascii_lowercase().starts_with("inherits from")
}

/// Paragraph text without a leading `Namespace: microsoft.graph`, which some
/// pages run into the description without a blank line.
fn without_namespace(text: &str) -> String {
    let t = text.trim();
    match t.strip_prefix("Namespace:") {
        Some(rest) => {
            let rest = rest.trim_start();
            let end = rest.find(char::is_whitespace).unwrap_or(rest.len());
            rest[end..].trim().to_owned()
        }
        None => t.to_owned(),
    }
}

/// Cell text without the markup the docs wrap names in (backticks, bold).
pub fn plain(s: &str) -> String {
    s.replace(['`', '*'], "").trim().to_owned()
}

#[cfg(test)]
mod tests {
    use super::prose_values;

    #[test]
    fn values_listed_in_prose() {
        assert_eq!(
            prose_values(
                "State. Possible values are: `null` (default), `on`, `off`, and `on`. Use `x` elsewhere."
            ),
            ["on", "off"]
        );
        assert_eq!(
            prose_values("Possible values are `Available`, `Away`."),
            ["Available", "Away"]
        );
        assert!(prose_values("No list here: `a`, `b`.").is_empty());
        assert!(prose_values("Possible values are `a b`, `c`").len() == 1);
    }
}
