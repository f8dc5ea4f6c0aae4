//! Who may call an endpoint: the Permissions section, in every form the
//! docs have used.
//!
//! - 2016–2021: a table `Permission type | Permissions (from least to most
//!   privileged)`, or on the oldest pages a "Prerequisites" paragraph of
//!   scopes.
//! - Today: `Permission type | Least privileged permission(s) | Higher
//!   privileged permissions`, usually in an include (spliced in by the
//!   reader), with cells such as "Not supported." and "Not available.".
//! - Per resource: `Supported resource | Delegated (work or school
//!   account) | …`, a row for each kind of resource the call takes (adding
//!   a member that may be a user, a group or a device).

use super::Permission;
use super::resources::plain;
use crate::read::{Block, Page, Table};

/// Every permission the page's Permissions sections list, tables of any
/// form; else the scopes of an older page's Prerequisites.
pub(super) fn permissions(page: &Page) -> Vec<Permission> {
    let mut out = Vec::new();
    for (i, _) in page.sections_where(|h| h == "permissions") {
        for block in page.subtree(i) {
            if let Block::Table(t) = block {
                out.extend(rows(t));
            }
        }
    }
    if out.is_empty() {
        // Older pages: "## Prerequisites" then the scopes in italics.
        for (i, _) in page.sections_where(|h| h == "prerequisites") {
            let scopes: Vec<String> = page
                .subtree(i)
                .filter_map(|b| match b {
                    Block::Paragraph(p) => Some(p.text.as_str()),
                    _ => None,
                })
                .flat_map(|t| t.split([',', ' ', ';']))
                .map(plain)
                .filter(|w| is_scope(w))
                .collect();
            if !scopes.is_empty() {
                out.push(Permission {
                    kind: "Scopes".to_owned(),
                    scopes,
                    ..Permission::default()
                });
            }
        }
    }
    out
}

/// The permissions of one table, by its form.
fn rows(table: &Table) -> Vec<Permission> {
    if table.is_keyed_by(&["Supported resource", "Resource", "Resource type"]) {
        return per_resource(table);
    }
    let least = table
        .column(&[
            "Least privileged permission(s)",
            "Least privileged permissions",
            "Least privileged permission",
            "Permissions (from least to most privileged)",
            "Permissions",
        ])
        .unwrap_or(1);
    let higher = table.column(&[
        "Higher privileged permissions",
        "Higher privileged permission(s)",
        "Higher privileged permission",
    ]);
    table
        .rows
        .iter()
        .filter(|r| r.cells.len() > least)
        .map(|row| {
            let cell = |c: usize| row.cells.get(c).map_or("", |i| i.text.as_str());
            Permission {
                kind: plain(cell(0)),
                scopes: scopes(cell(least)),
                higher: higher.map(|c| scopes(cell(c))).unwrap_or_default(),
                resource: None,
                unsupported: unsupported(cell(least)),
            }
        })
        .collect()
}

/// `Supported resource | Delegated (work or school account) | …`: a
/// permission per resource and kind.
fn per_resource(table: &Table) -> Vec<Permission> {
    let mut out = Vec::new();
    for row in &table.rows {
        let Some(first) = row.cells.first() else {
            continue;
        };
        // The link text names the resource; the rest of the cell may say
        // which path (`chatMessage (/teams/{id}/…)`).
        let resource = first
            .links
            .first()
            .map_or_else(|| plain(&first.text), |l| plain(&l.text));
        for (kind, cell) in table.header.iter().zip(&row.cells).skip(1) {
            out.push(Permission {
                kind: plain(kind),
                scopes: scopes(&cell.text),
                higher: Vec::new(),
                resource: Some(resource.clone()),
                unsupported: unsupported(&cell.text),
            });
        }
    }
    out
}

/// The scopes a cell lists: `A, B`, and `A and B` (both needed) alike.
fn scopes(cell: &str) -> Vec<String> {
    cell.split(',')
        .flat_map(|part| part.split(" and "))
        .map(plain)
        .filter(|s| is_scope(s))
        .collect()
}

/// "Not supported." or "Not available.", when that is what a cell says.
fn unsupported(cell: &str) -> Option<String> {
    let text = plain(cell);
    let text = text.trim_end_matches('.');
    let lower = text.to_ascii_lowercase();
    (lower == "not supported" || lower == "not available").then(|| format!("{text}."))
}

/// `DeviceManagementConfiguration.ReadWrite.All`, not "Not supported.".
fn is_scope(word: &str) -> bool {
    word.contains('.')
        && word.starts_with(|c: char| c.is_ascii_uppercase())
        && word
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '.' || c == '-' || c == '_')
        && !word.ends_with('.')
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::read::parse_page;

    fn read(table: &str) -> Vec<Permission> {
        let page = parse_page(
            "api/x.md",
            format!("# X\n\n## Permissions\n\n{table}").as_bytes(),
        )
        .0;
        permissions(&page)
    }

    #[test]
    fn scopes_are_told_from_prose() {
        assert!(is_scope("DeviceManagementConfiguration.ReadWrite.All"));
        assert!(!is_scope("Not supported."));
        assert!(!is_scope("scopes"));
    }

    #[test]
    fn todays_tables_keep_both_columns_in_order() {
        let found = read(
            "|Permission type|Least privileged permissions|Higher privileged permissions|\n|:---|:---|:---|\n|Delegated (work or school account)|User.Read|User.ReadWrite, Directory.Read.All|\n|Delegated (personal Microsoft account)|Not supported.|Not supported.|\n|Application|Sites.Read.All and Files.Read.All|Not available|\n",
        );
        assert_eq!(found.len(), 3);
        assert_eq!(found[0].scopes, ["User.Read"]);
        assert_eq!(found[0].higher, ["User.ReadWrite", "Directory.Read.All"]);
        assert_eq!(found[1].unsupported.as_deref(), Some("Not supported."));
        assert!(found[1].scopes.is_empty());
        assert_eq!(found[2].scopes, ["Sites.Read.All", "Files.Read.All"]);
        assert!(found[2].higher.is_empty());
    }

    #[test]
    fn per_resource_tables_say_which_scopes_for_which_member() {
        let found = read(
            "| Supported resource | Delegated (work or school account) | Delegated (personal Microsoft account) | Application |\n|:--|:--|:--|:--|\n| [user](../resources/user.md) | GroupMember.ReadWrite.All | Not supported. | GroupMember.ReadWrite.All |\n| [device](../resources/device.md) (/devices/{id}) | Device.ReadWrite.All | Not supported. | Device.ReadWrite.All |\n",
        );
        assert_eq!(found.len(), 6);
        assert_eq!(found[0].resource.as_deref(), Some("user"));
        assert_eq!(found[0].kind, "Delegated (work or school account)");
        assert_eq!(found[3].resource.as_deref(), Some("device"));
        assert_eq!(found[5].scopes, ["Device.ReadWrite.All"]);
        assert_eq!(found[4].unsupported.as_deref(), Some("Not supported."));
    }

    #[test]
    fn older_tables_list_every_scope_from_least_privileged() {
        let found = read(
            "|Permission type|Permissions (from least to most privileged)|\n|:---|:---|\n|Application|Mail.Read, Mail.ReadWrite|\n",
        );
        assert_eq!(found[0].scopes, ["Mail.Read", "Mail.ReadWrite"]);
        assert!(found[0].higher.is_empty());
    }
}
