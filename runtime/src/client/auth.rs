//! Where the bearer token comes from: the user's choice, not ours.

use std::future::Future;
use std::pin::Pin;

/// Any error a token provider reports.
pub type BoxError = Box<dyn std::error::Error + Send + Sync>;

/// A boxed future, as [`TokenProvider`] returns.
pub type BoxFuture<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;

/// Supplies the bearer token for each request.
///
/// The client asks before every request (retries and next pages included),
/// so a provider can cache a token and refresh it when it expires. Any
/// `Fn() -> impl Future<Output = Result<String, BoxError>>` is a provider,
/// and so is [`StaticToken`].
pub trait TokenProvider: Send + Sync {
    fn token(&self) -> BoxFuture<'_, Result<String, BoxError>>;
}

impl<F, Fut> TokenProvider for F
where
    F: Fn() -> Fut + Send + Sync,
    Fut: Future<Output = Result<String, BoxError>> + Send + 'static,
{
    fn token(&self) -> BoxFuture<'_, Result<String, BoxError>> {
        Box::pin(self())
    }
}

/// One token for every request: for scripts, tests, and tokens obtained
/// elsewhere (e.g. `az account get-access-token`).
#[derive(Clone)]
pub struct StaticToken(String);

impl StaticToken {
    pub fn new(token: impl Into<String>) -> Self {
        StaticToken(token.into())
    }
}

/// Never prints the token itself.
impl std::fmt::Debug for StaticToken {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("StaticToken(…)")
    }
}

impl TokenProvider for StaticToken {
    fn token(&self) -> BoxFuture<'_, Result<String, BoxError>> {
        let token = self.0.clone();
        Box::pin(async move { Ok(token) })
    }
}
