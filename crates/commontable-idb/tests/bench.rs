//! Benchmarks that must run in a real browser. Not part of the test suite: run with
//! `scripts/bench.sh` (release build, Chromium), which prints the figures recorded in
//! BENCHMARKS.md. Nothing here asserts a time.

use commontable_core::database::Edit;
use commontable_core::search::SearchIndex;
use commontable_core::Database;
use commontable_idb::IdbStorage;
use indexed_db_futures::prelude::*;
use indexed_db_futures::transaction::TransactionMode;
use serde_json::{json, Map, Value};
use wasm_bindgen_test::{console_log, wasm_bindgen_test};

wasm_bindgen_test::wasm_bindgen_test_configure!(run_in_browser);

fn now() -> f64 {
    web_sys::window().unwrap().performance().unwrap().now()
}

/// Deterministic pseudo-random numbers (no clock, reproducible runs).
struct Lcg(u64);
impl Lcg {
    fn next(&mut self) -> usize {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (self.0 >> 33) as usize
    }
    fn pick<'a>(&mut self, xs: &[&'a str]) -> &'a str {
        xs[self.next() % xs.len()]
    }
}

const WORDS: &[&str] = &[
    "community",
    "health",
    "youth",
    "family",
    "housing",
    "food",
    "pantry",
    "literacy",
    "immigrant",
    "refugee",
    "senior",
    "legal",
    "clinic",
    "mentoring",
    "after-school",
    "arts",
    "faith",
    "mosque",
    "church",
    "temple",
    "soccer",
    "league",
    "library",
    "parents",
    "jobs",
    "training",
    "veterans",
    "disability",
    "transit",
    "tenants",
    "language",
    "english",
    "classes",
    "counseling",
    "recovery",
];
const LANGS: &[&str] = &[
    "English",
    "Spanish",
    "Polish",
    "Korean",
    "Hindi",
    "Urdu",
    "Arabic",
    "Tagalog",
    "Ukrainian",
];
const KINDS: &[&str] = &[
    "non_profit",
    "faith_community",
    "school_district",
    "park_district",
    "business",
    "civic_or_cultural_association",
];

/// A partner-like document: name, description, strengths, populations, languages, contacts.
fn partner(r: &mut Lcg, i: usize) -> Map<String, Value> {
    let name = format!(
        "{} {} {} #{i}",
        r.pick(WORDS),
        r.pick(WORDS),
        r.pick(&["Center", "Alliance", "Network", "Association", "Project"])
    );
    let desc: Vec<&str> = (0..25).map(|_| r.pick(WORDS)).collect();
    let v = json!({
        "type": "partner",
        "name": name,
        "kind": r.pick(KINDS),
        "description": desc.join(" "),
        "strengths": [r.pick(WORDS), r.pick(WORDS)],
        "populations": [r.pick(WORDS), r.pick(WORDS)],
        "languages": [r.pick(LANGS), r.pick(LANGS)],
        "contacts": [{ "name": format!("Contact {i}"), "role": r.pick(WORDS) }],
    });
    match v {
        Value::Object(m) => m,
        _ => unreachable!(),
    }
}

fn text_of(body: &Map<String, Value>, key: &str) -> String {
    match body.get(key) {
        Some(Value::String(s)) => s.clone(),
        Some(Value::Array(a)) => a.iter().filter_map(Value::as_str).collect::<Vec<_>>().join(" "),
        _ => String::new(),
    }
}

fn percentile(sorted: &[f64], p: f64) -> f64 {
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i]
}

#[wasm_bindgen_test]
fn search_latency_per_keystroke() {
    let mut r = Lcg(42);
    let mut index = SearchIndex::new();
    // The toolkit: 32 entries of about 1,400 characters each.
    for i in 0..32 {
        let body: Vec<&str> = (0..200).map(|_| r.pick(WORDS)).collect();
        index.add(&format!("toolkit:{i}"), &[(r.pick(WORDS), 4.0), (&body.join(" "), 1.0)]);
    }
    let t0 = now();
    for i in 0..5000 {
        let p = partner(&mut r, i);
        let contacts = p["contacts"].to_string();
        index.add(
            &format!("partner:{i}"),
            &[
                (&text_of(&p, "name"), 4.0),
                (&text_of(&p, "description"), 1.0),
                (&text_of(&p, "strengths"), 2.0),
                (&text_of(&p, "populations"), 2.0),
                (&text_of(&p, "languages"), 2.0),
                (&contacts, 1.0),
            ],
        );
    }
    let build_ms = now() - t0;
    let phrases = [
        "community health",
        "spanish youth soccer",
        "food pantry",
        "legal clinic immigrant",
        "after school arts",
    ];
    let mut times = Vec::new();
    let mut hits = 0;
    for _round in 0..5 {
        for phrase in phrases {
            for end in 1..=phrase.len() {
                let q = &phrase[..end];
                let t = now();
                hits += index.search(q, 50).len();
                times.push(now() - t);
            }
        }
    }
    times.sort_by(f64::total_cmp);
    console_log!(
        "BENCH search: {} docs, index build {:.0} ms; per keystroke over {} queries: p50 {:.2} ms, p95 {:.2} ms, max {:.2} ms ({} hits)",
        index.len(),
        build_ms,
        times.len(),
        percentile(&times, 0.5),
        percentile(&times, 0.95),
        times.last().unwrap(),
        hits
    );
}

#[wasm_bindgen_test]
async fn indexeddb_write_throughput() {
    const N: usize = 5000;
    const BATCH: usize = 500;
    let mut r = Lcg(7);
    let docs: Vec<Map<String, Value>> = (0..N).map(|i| partner(&mut r, i)).collect();

    // Our store: Database::bulk_put (revision trees, sequence index, validation).
    let name = format!("bench-store-{}", js_sys::Date::now());
    let db = Database::new(IdbStorage::open(&name).await.unwrap());
    let t = now();
    for (b, chunk) in docs.chunks(BATCH).enumerate() {
        let edits = chunk
            .iter()
            .enumerate()
            .map(|(i, body)| Edit {
                id: format!("partner:{:05}", b * BATCH + i),
                base: None,
                deleted: false,
                body: body.clone(),
            })
            .collect();
        db.bulk_put(edits).await.unwrap();
    }
    let store_ms = now() - t;
    db.into_storage().close();
    IdbStorage::destroy(&name).await.unwrap();

    // Raw IndexedDB: the same documents as JSON strings, one transaction per batch.
    let raw_ms = raw_put_ms("bench-raw", N, BATCH, |i| {
        (format!("partner:{i:05}"), Value::Object(docs[i].clone()).to_string())
    })
    .await;

    console_log!(
        "BENCH indexeddb: {N} docs in batches of {BATCH}: store {:.0} ms ({:.0} docs/s), raw put {:.0} ms ({:.0} docs/s), store/raw {:.2}x",
        store_ms,
        N as f64 / store_ms * 1000.0,
        raw_ms,
        N as f64 / raw_ms * 1000.0,
        store_ms / raw_ms
    );
}

/// Times a raw IndexedDB batch put of `n` documents (`doc(i)` gives id and JSON, inside the
/// timing), one readwrite transaction per `batch`, into a fresh database that is then deleted.
async fn raw_put_ms(prefix: &str, n: usize, batch: usize, doc: impl Fn(usize) -> (String, String)) -> f64 {
    let name = format!("{prefix}-{}", js_sys::Date::now());
    let raw = indexed_db_futures::database::Database::open(name.as_str())
        .with_version(1u32)
        .with_on_upgrade_needed(|_, db| {
            db.create_object_store("docs").build()?;
            Ok(())
        })
        .await
        .unwrap();
    let t = now();
    for start in (0..n).step_by(batch) {
        let tx = raw
            .transaction("docs")
            .with_mode(TransactionMode::Readwrite)
            .build()
            .unwrap();
        {
            let store = tx.object_store("docs").unwrap();
            for i in start..(start + batch).min(n) {
                let (id, json) = doc(i);
                store.put(json).with_key(id).without_key_type().primitive().unwrap();
            }
        }
        tx.commit().await.unwrap();
    }
    let ms = now() - t;
    raw.close();
    indexed_db_futures::database::Database::delete_by_name(&name)
        .unwrap()
        .await
        .unwrap();
    ms
}

/// A peer that adds up the time spent in each protocol step (for the pull benchmark's
/// breakdown).
struct Timed<P> {
    inner: P,
    spent: std::cell::RefCell<std::collections::BTreeMap<&'static str, f64>>,
}

impl<P> Timed<P> {
    fn new(inner: P) -> Self {
        Timed {
            inner,
            spent: Default::default(),
        }
    }
    fn add(&self, step: &'static str, since: f64) {
        *self.spent.borrow_mut().entry(step).or_default() += now() - since;
    }
    fn summary(&self) -> String {
        self.spent
            .borrow()
            .iter()
            .map(|(k, v)| format!("{k} {v:.0} ms"))
            .collect::<Vec<_>>()
            .join(", ")
    }
}

impl<P: commontable_core::replicate::Peer> commontable_core::replicate::Peer for Timed<P> {
    async fn info(&self) -> Result<commontable_core::replicate::PeerInfo, commontable_core::replicate::PeerError> {
        self.inner.info().await
    }
    async fn get_local(&self, id: &str) -> Result<Option<Value>, commontable_core::replicate::PeerError> {
        self.inner.get_local(id).await
    }
    async fn put_local(&self, id: &str, doc: Value) -> Result<Option<String>, commontable_core::replicate::PeerError> {
        let t = now();
        let r = self.inner.put_local(id, doc).await;
        self.add("checkpoint", t);
        r
    }
    async fn changes(
        &self,
        since: &Value,
        limit: usize,
    ) -> Result<commontable_core::replicate::ChangesPage, commontable_core::replicate::PeerError> {
        let t = now();
        let r = self.inner.changes(since, limit).await;
        self.add("changes", t);
        r
    }
    async fn revs_diff(
        &self,
        wanted: std::collections::BTreeMap<String, Vec<commontable_core::Rev>>,
    ) -> Result<std::collections::BTreeMap<String, Vec<commontable_core::Rev>>, commontable_core::replicate::PeerError>
    {
        let t = now();
        let r = self.inner.revs_diff(wanted).await;
        self.add("revs_diff", t);
        r
    }
    async fn get_revs(
        &self,
        wanted: &std::collections::BTreeMap<String, Vec<commontable_core::Rev>>,
    ) -> Result<Vec<commontable_core::couch::RevDoc>, commontable_core::replicate::PeerError> {
        let t = now();
        let r = self.inner.get_revs(wanted).await;
        self.add("bulk_get", t);
        r
    }
    async fn write_revs(
        &self,
        docs: Vec<commontable_core::couch::RevDoc>,
    ) -> Result<(), commontable_core::replicate::PeerError> {
        let t = now();
        let r = self.inner.write_revs(docs).await;
        self.add("write", t);
        r
    }
}

/// Initial pull of a whole database from a sync server into a fresh IndexedDB store by our
/// replicator, and a raw IndexedDB batch put of the same documents. The server address comes
/// from `BENCH_SYNC_URL` at build time (set by tests/e2e/bench/server.mjs).
#[wasm_bindgen_test]
async fn initial_pull_into_indexeddb() {
    use commontable_core::replicate::{replicate, HttpPeer, ReplicationOptions};
    let Some(url) = option_env!("BENCH_SYNC_URL") else {
        console_log!("BENCH pull: skipped (BENCH_SYNC_URL not set)");
        return;
    };
    // Three runs into fresh databases; the median is reported.
    let mut times = Vec::new();
    let mut counts = (0, 0);
    for run in 0..3 {
        let name = format!("bench-pull-{}-{run}", js_sys::Date::now());
        let local = Timed::new(Database::new(IdbStorage::open(&name).await.unwrap()));
        let remote = Timed::new(HttpPeer::new(commontable_idb::fetch::FetchClient::new(url.to_string())));
        let opts = ReplicationOptions {
            replication_id: "bench".into(),
            session_id: "s".into(),
            now: "t".into(),
            batch_size: 500,
        };
        let t = now();
        let report = replicate(&remote, &local, &opts, |_| {}).await.unwrap();
        times.push(now() - t);
        console_log!(
            "BENCH pull steps (overlapping): remote {}; local {}",
            remote.summary(),
            local.summary()
        );
        let local = local.inner;
        counts = (local.counts().await.unwrap().0, report.docs_written);
        local.into_storage().close();
        IdbStorage::destroy(&name).await.unwrap();
    }
    times.sort_by(f64::total_cmp);
    let ours = times[1];

    // Raw: the same documents (fetched first, not timed), put as JSON in batches of 500.
    let window = web_sys::window().unwrap();
    let resp =
        wasm_bindgen_futures::JsFuture::from(window.fetch_with_str(&format!("{url}/_all_docs?include_docs=true")))
            .await
            .unwrap();
    let resp: web_sys::Response = wasm_bindgen::JsCast::dyn_into(resp).unwrap();
    let text = wasm_bindgen_futures::JsFuture::from(resp.text().unwrap())
        .await
        .unwrap()
        .as_string()
        .unwrap();
    let all: Value = serde_json::from_str(&text).unwrap();
    let docs: Vec<(String, String)> = all["rows"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| (r["id"].as_str().unwrap().to_string(), r["doc"].to_string()))
        .collect();
    let mut raws = Vec::new();
    for _ in 0..3 {
        raws.push(raw_put_ms("bench-rawpull", docs.len(), 500, |i| docs[i].clone()).await);
    }
    raws.sort_by(f64::total_cmp);
    console_log!(
        "BENCH pull: {} docs ({} written) by our replicator into IndexedDB in {:.0} ms ({:.0} docs/s, median of 3); raw IndexedDB put of the same docs {:.0} ms",
        counts.0,
        counts.1,
        ours,
        counts.0 as f64 / ours * 1000.0,
        raws[1]
    );
}

/// The partner directory at size: 5,000 partners with 2 contacts and a stage change each, and
/// 50,000 interactions, in IndexedDB. Times each step of opening the directory.
#[wasm_bindgen_test]
async fn directory_at_size() {
    use commontable_core::directory::{Directory, PartnerFilter};
    const PARTNERS: usize = 5000;
    const INTERACTIONS: usize = 50_000;
    let mut r = Lcg(11);
    let mut edits = Vec::new();
    let doc = |v: Value| v.as_object().unwrap().clone();
    for i in 0..PARTNERS {
        let mut body = partner(&mut r, i);
        body.insert("type".into(), json!("partner"));
        body.insert("kind".into(), json!("non_profit"));
        edits.push((format!("partner:p{i}"), body));
        for c in 0..2 {
            edits.push((
                format!("contact:p{i}:{c}"),
                doc(json!({"type": "contact", "partner": format!("partner:p{i}"), "name": format!("Person {c} of {i}")})),
            ));
        }
        edits.push((
            format!("stage:p{i}:0"),
            doc(json!({"type": "stage_change", "partner": format!("partner:p{i}"), "stage": "coordination", "date": "2026-01-01"})),
        ));
    }
    for i in 0..INTERACTIONS {
        let p = r.next() % PARTNERS;
        let date = format!(
            "202{}-{:02}-{:02}",
            2 + r.next() % 5,
            1 + r.next() % 12,
            1 + r.next() % 28
        );
        edits.push((
            format!("interaction:p{p}:{i}"),
            doc(
                json!({"type": "interaction", "partner": format!("partner:p{p}"), "kind": "call", "date": date,
                "notes": "Talked about the summer program and the next joint event."}),
            ),
        ));
    }
    let n = edits.len();
    let name = format!("bench-directory-{}", js_sys::Date::now());
    let db = Database::new(IdbStorage::open(&name).await.unwrap());
    for chunk in edits.chunks(5000) {
        let batch = chunk
            .iter()
            .map(|(id, body)| Edit {
                id: id.clone(),
                base: None,
                deleted: false,
                body: body.clone(),
            })
            .collect();
        db.bulk_put(batch).await.unwrap();
    }
    let t = now();
    let pending = db.count_changes(0).await.unwrap();
    let count_ms = now() - t;
    let t = now();
    let docs = db.all_docs().await.unwrap();
    let read_ms = now() - t;
    let t = now();
    let mut dir = Directory::from_docs(docs.iter().map(|d| (d.id.as_str(), &d.body)));
    dir.prepare();
    let build_ms = now() - t;
    let t = now();
    let all = dir.find(&PartnerFilter::default(), "2026-11-22").len();
    let find_ms = now() - t;
    let mut keys = Vec::new();
    for q in ["partner 12", "person 1 of", "seniors", "spanish", "community"] {
        for n in 1..=q.len() {
            let f = PartnerFilter {
                query: q[..n].to_string(),
                ..Default::default()
            };
            let t = now();
            std::hint::black_box(dir.find(&f, "2026-11-22").len());
            keys.push(now() - t);
        }
    }
    keys.sort_by(f64::total_cmp);
    console_log!(
        "BENCH directory find per keystroke (core only, {} keystrokes): p50 {:.2} ms, p95 {:.2} ms, max {:.2} ms",
        keys.len(),
        percentile(&keys, 0.5),
        percentile(&keys, 0.95),
        percentile(&keys, 1.0)
    );
    console_log!(
        "BENCH directory: {n} docs ({PARTNERS} partners, {INTERACTIONS} interactions): count pending {:.0} ms ({pending}), read all from IndexedDB {:.0} ms, build directory {:.0} ms, list all {:.1} ms ({all})",
        count_ms,
        read_ms,
        build_ms,
        find_ms
    );
    db.into_storage().close();
    IdbStorage::destroy(&name).await.unwrap();
}
