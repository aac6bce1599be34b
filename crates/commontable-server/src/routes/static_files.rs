//! Serving the built app with the caching each file needs.
//!
//! Trunk's hashed files never change under their name: cached for a year, immutable. The page
//! itself, the service worker and the manifest must be revalidated every time (`no-cache`), or
//! a phone would keep an old version forever. Any path that is not a file (a client-side
//! route such as `/toolkit/asset-mapping`) gets the app's `index.html`.

use axum::body::Body;
use axum::http::{header, HeaderValue, Request, Response};
use std::convert::Infallible;
use std::path::Path;
use tower::{Service, ServiceExt};
use tower_http::services::{ServeDir, ServeFile};

/// The caching policy for a request path.
pub fn cache_control(path: &str) -> &'static str {
    let name = path.rsplit('/').next().unwrap_or("");
    if is_hashed(name) {
        "public, max-age=31536000, immutable"
    } else if name.ends_with(".png") || name.ends_with(".svg") || name.ends_with(".ico") {
        "public, max-age=86400"
    } else {
        "no-cache"
    }
}

/// Trunk names built files `<name>-<16 hex>.<ext>` (or `..._bg.wasm`).
fn is_hashed(name: &str) -> bool {
    let Some(stem) = name.split('.').next() else {
        return false;
    };
    let stem = stem.strip_suffix("_bg").unwrap_or(stem);
    stem.rsplit_once('-')
        .is_some_and(|(_, h)| h.len() >= 16 && h.chars().all(|c| c.is_ascii_hexdigit()))
}

/// The static-file service with the SPA fallback and caching headers.
pub fn service(
    dist: &Path,
) -> impl Service<Request<Body>, Response = Response<Body>, Error = Infallible, Future = impl Send> + Clone + Send + 'static
{
    let index = dist.join("index.html");
    let serve = ServeDir::new(dist)
        .append_index_html_on_directories(true)
        .fallback(SpaFallback {
            index: ServeFile::new(index),
        });
    CacheHeaders { inner: serve }
}

/// Serves `index.html` for client-side routes; a missing file with an extension stays a 404.
#[derive(Clone)]
struct SpaFallback {
    index: ServeFile,
}

impl Service<Request<Body>> for SpaFallback {
    type Response = Response<Body>;
    type Error = Infallible;
    type Future = std::pin::Pin<Box<dyn std::future::Future<Output = Result<Response<Body>, Infallible>> + Send>>;

    fn poll_ready(&mut self, _cx: &mut std::task::Context<'_>) -> std::task::Poll<Result<(), Infallible>> {
        std::task::Poll::Ready(Ok(()))
    }

    fn call(&mut self, req: Request<Body>) -> Self::Future {
        let last = req.uri().path().rsplit('/').next().unwrap_or("").to_string();
        let index = self.index.clone();
        Box::pin(async move {
            if last.contains('.') {
                let mut res = Response::new(Body::from("not found"));
                *res.status_mut() = axum::http::StatusCode::NOT_FOUND;
                return Ok(res);
            }
            let res = index.oneshot(req).await.map(|r| r.map(Body::new))?;
            Ok(res)
        })
    }
}

#[derive(Clone)]
struct CacheHeaders<S> {
    inner: S,
}

impl<S, B> Service<Request<Body>> for CacheHeaders<S>
where
    S: Service<Request<Body>, Response = Response<B>, Error = Infallible> + Clone + Send + 'static,
    S::Future: Send,
    B: http_body::Body<Data = axum::body::Bytes> + Send + 'static,
    B::Error: Into<axum::BoxError>,
{
    type Response = Response<Body>;
    type Error = Infallible;
    type Future = std::pin::Pin<Box<dyn std::future::Future<Output = Result<Response<Body>, Infallible>> + Send>>;

    fn poll_ready(&mut self, cx: &mut std::task::Context<'_>) -> std::task::Poll<Result<(), Infallible>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, req: Request<Body>) -> Self::Future {
        let policy = cache_control(req.uri().path());
        let fut = self.inner.call(req);
        Box::pin(async move {
            let res = fut.await?;
            let mut res = res.map(Body::new);
            let value = if res.status().is_success() || res.status() == axum::http::StatusCode::NOT_MODIFIED {
                policy
            } else {
                "no-store"
            };
            res.headers_mut()
                .insert(header::CACHE_CONTROL, HeaderValue::from_static(value));
            res.headers_mut()
                .insert("x-content-type-options", HeaderValue::from_static("nosniff"));
            Ok(res)
        })
    }
}
