//! Tokens from an Azure credential (`azure-identity` feature).
//!
//! Rust users of Azure already hold an `azure_core` [`TokenCredential`]:
//! a client secret, a certificate, a managed identity or the developer
//! tools' sign-in from the `azure_identity` crate. [`AzureCredential`]
//! turns any of them into a [`TokenProvider`] for Graph's scope. The
//! credentials cache their tokens and refresh them before they expire, and
//! the client asks for a token before every request, so nothing is cached
//! here.

use super::auth::{BoxError, BoxFuture, TokenProvider};
use azure_core::credentials::TokenCredential;
use std::sync::Arc;

/// The scope that asks for every permission the application was granted
/// on the global Graph service.
pub const GRAPH_SCOPE: &str = "https://graph.microsoft.com/.default";

/// A [`TokenProvider`] backed by an Azure credential.
#[derive(Clone, Debug)]
pub struct AzureCredential {
    credential: Arc<dyn TokenCredential>,
    scopes: Vec<String>,
}

impl AzureCredential {
    /// Tokens for the global service's [`GRAPH_SCOPE`].
    pub fn new(credential: Arc<dyn TokenCredential>) -> Self {
        Self::with_scopes(credential, [GRAPH_SCOPE])
    }

    /// Tokens for other scopes: a national cloud's
    /// (`https://graph.microsoft.us/.default`), or delegated scopes.
    pub fn with_scopes(
        credential: Arc<dyn TokenCredential>,
        scopes: impl IntoIterator<Item = impl Into<String>>,
    ) -> Self {
        AzureCredential {
            credential,
            scopes: scopes.into_iter().map(Into::into).collect(),
        }
    }
}

impl TokenProvider for AzureCredential {
    fn token(&self) -> BoxFuture<'_, Result<String, BoxError>> {
        Box::pin(async move {
            let scopes: Vec<&str> = self.scopes.iter().map(String::as_str).collect();
            let token = self
                .credential
                .get_token(&scopes, None)
                .await
                .map_err(|e| Box::new(e) as BoxError)?;
            Ok(token.token.secret().to_owned())
        })
    }
}
