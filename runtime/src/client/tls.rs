//! The HTTP client a [`Client`](super::Client) starts with.
//!
//! With the `rustls` feature, TLS runs on rustls with the *ring* crypto
//! provider and the platform's certificate verifier. reqwest's own `rustls`
//! feature would bring aws-lc-rs instead, whose C build took 40 s of a clean
//! `cargo check` of reqwest where *ring* takes 20 s (measured in one run
//! each, see `docs/performance.md`). The configuration is built here rather
//! than installed as the process-wide default, so an application's choice is
//! never overridden: a provider it installed as the default is used.

use super::Error;

/// A reqwest client with TLS for `https` roots.
///
/// # Errors
/// [`Error::Tls`] when the platform's certificate verifier cannot be set up.
#[cfg(feature = "rustls")]
pub(super) fn http_client() -> Result<reqwest::Client, Error> {
    use rustls_platform_verifier::BuilderVerifierExt;
    use std::sync::Arc;

    let provider = rustls::crypto::CryptoProvider::get_default()
        .cloned()
        .unwrap_or_else(|| Arc::new(rustls::crypto::ring::default_provider()));
    let config = rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .and_then(BuilderVerifierExt::with_platform_verifier)
        .map_err(|e| Error::Tls(e.to_string()))?
        .with_no_client_auth();
    reqwest::Client::builder()
        .tls_backend_preconfigured(config)
        .build()
        .map_err(|e| Error::Tls(e.to_string()))
}

/// A reqwest client for `http` roots only: without the `rustls` feature
/// there is no TLS.
#[cfg(not(feature = "rustls"))]
pub(super) fn http_client() -> Result<reqwest::Client, Error> {
    Ok(reqwest::Client::new())
}
