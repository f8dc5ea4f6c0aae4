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

/// The reqwest client builder [`Client::new`](super::Client::new) starts
/// from: with the `rustls` feature, TLS on rustls with the *ring* provider
/// (or the process default an application installed) and the platform's
/// verifier. Add proxies, timeouts or headers to it and hand the client it
/// builds to [`Client::with_http_client`](super::Client::with_http_client):
/// a plain `reqwest::Client::builder()` has no crypto provider to build
/// with, since reqwest is compiled without one.
///
/// # Errors
/// [`Error::Tls`] when the platform's certificate verifier cannot be set up.
#[cfg(feature = "rustls")]
pub fn http_client_builder() -> Result<reqwest::ClientBuilder, Error> {
    use rustls_platform_verifier::BuilderVerifierExt;
    use std::sync::Arc;

    // rustls 0.23.48 deprecates *ring*'s provider: *ring* has no
    // post-quantum key exchange. It stays the fallback here because its
    // alternative, aws-lc-rs, takes twice as long to build (see above); an
    // application that wants post-quantum key exchange installs aws-lc-rs
    // as the process default, which is then used instead.
    #[allow(deprecated)]
    let ring = rustls::crypto::ring::default_provider;
    let provider = rustls::crypto::CryptoProvider::get_default()
        .cloned()
        .unwrap_or_else(|| Arc::new(ring()));
    let config = rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .and_then(BuilderVerifierExt::with_platform_verifier)
        .map_err(|e| Error::Tls(e.to_string()))?
        .with_no_client_auth();
    Ok(reqwest::Client::builder().tls_backend_preconfigured(config))
}

/// The reqwest client builder [`Client::new`](super::Client::new) starts
/// from; without the `rustls` feature there is no TLS, and `http` roots
/// only are reached.
///
/// # Errors
/// None without the `rustls` feature; the signature is the same as with it.
#[cfg(not(feature = "rustls"))]
pub fn http_client_builder() -> Result<reqwest::ClientBuilder, Error> {
    Ok(reqwest::Client::builder())
}

/// The client [`Client::new`](super::Client::new) sends with.
pub(super) fn http_client() -> Result<reqwest::Client, Error> {
    http_client_builder()?
        .build()
        .map_err(|e| Error::Tls(e.to_string()))
}
