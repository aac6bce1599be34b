//! The replicator's HTTP client in the browser: `fetch`, cookies included (for `_session`).

use commontable_core::replicate::{HttpClient, HttpRequest, HttpResponse, PeerError};
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

/// Sends the replicator's requests with `fetch`, cookies included (for `_session`).
pub struct FetchClient {
    db_url: String,
}

impl FetchClient {
    /// A client for the database at `db_url`.
    pub fn new(db_url: String) -> Self {
        FetchClient { db_url }
    }
}

impl HttpClient for FetchClient {
    async fn send(&self, req: HttpRequest) -> Result<HttpResponse, PeerError> {
        let url = if req.path.is_empty() {
            self.db_url.clone()
        } else {
            format!("{}/{}", self.db_url, req.path)
        };
        let init = web_sys::RequestInit::new();
        init.set_method(req.method);
        init.set_credentials(web_sys::RequestCredentials::Include);
        let headers = web_sys::Headers::new().map_err(|_| PeerError::network("headers"))?;
        let _ = headers.set("Accept", "application/json");
        if let Some(body) = &req.body {
            let _ = headers.set("Content-Type", "application/json");
            init.set_body(&wasm_bindgen::JsValue::from_str(&body.to_string()));
        }
        init.set_headers(&headers);
        let offline = |_| PeerError::network("The sync server cannot be reached.");
        let resp = JsFuture::from(
            web_sys::window()
                .ok_or_else(|| PeerError::network("no window"))?
                .fetch_with_str_and_init(&url, &init),
        )
        .await
        .map_err(offline)?;
        let resp: web_sys::Response = resp.dyn_into().map_err(offline)?;
        let text = JsFuture::from(resp.text().map_err(offline)?).await.map_err(offline)?;
        let text = text.as_string().unwrap_or_default();
        let body = if text.is_empty() {
            serde_json::Value::Null
        } else {
            serde_json::from_str(&text).unwrap_or(serde_json::Value::Null)
        };
        Ok(HttpResponse {
            status: resp.status(),
            body,
        })
    }
}
