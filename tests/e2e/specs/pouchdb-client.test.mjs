// PouchDB 9 — an independent implementation of the replication protocol — as a client of our
// server: push, pull, deletions and conflicts, and checkpoints that resume.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import PouchDB from "pouchdb";
import memory from "pouchdb-adapter-memory";
import { AppServer } from "../lib.mjs";

PouchDB.plugin(memory);
let server;
before(async () => {
  server = await AppServer.start();
});
after(async () => {
  await server?.down();
});

test("PouchDB replicates with our server both ways, with deletions and conflicts", async () => {
  const url = `${server.url}/couch/pouch-interop`;
  const remote = new PouchDB(url);
  const a = new PouchDB("device-a", { adapter: "memory" });
  const b = new PouchDB("device-b", { adapter: "memory" });

  // Push from device A (PouchDB creates the database on our server).
  await a.bulkDocs(Array.from({ length: 30 }, (_, i) => ({ _id: `p${String(i).padStart(2, "0")}`, type: "partner", kind: "non_profit", name: `Partner ${i}` })));
  const gone = await a.get("p29");
  await a.remove(gone);
  let res = await a.replicate.to(url);
  assert.equal(res.ok, true);
  assert.equal(res.docs_written, 30);
  const info = await (await fetch(url)).json();
  assert.equal(info.doc_count, 29);
  assert.equal(info.doc_del_count, 1);

  // Pull into device B.
  res = await b.replicate.from(url);
  assert.equal(res.ok, true);
  assert.equal((await b.allDocs()).total_rows, 29);
  await assert.rejects(b.get("p29"), (e) => e.status === 404);

  // Resume: nothing new means nothing read.
  res = await b.replicate.from(url);
  assert.equal(res.docs_read, 0);

  // Conflict: A and B edit the same partner offline, both sync.
  const pa = await a.get("p01");
  const pb = await b.get("p01");
  await a.put({ ...pa, name: "Edited on A" });
  await b.put({ ...pb, name: "Edited on B" });
  await a.replicate.to(url);
  await b.replicate.to(url);
  await a.replicate.from(url);
  await b.replicate.from(url);
  const docA = await a.get("p01", { conflicts: true });
  const docB = await b.get("p01", { conflicts: true });
  const onServer = await (await fetch(`${url}/p01?conflicts=true`)).json();
  assert.equal(docA._rev, docB._rev);
  assert.equal(docA._rev, onServer._rev, "PouchDB and our server pick the same winner");
  assert.deepEqual(docA._conflicts, onServer._conflicts);
  assert.equal(docA._conflicts.length, 1);

  // Resolve on A by removing the losing revision; B learns of it.
  await a.remove("p01", docA._conflicts[0]);
  await a.replicate.to(url);
  await b.replicate.from(url);
  assert.equal((await b.get("p01", { conflicts: true }))._conflicts, undefined);

  // Our server's own writes reach PouchDB too.
  const put = await fetch(`${url}/from-server`, { method: "PUT", body: JSON.stringify({ type: "note", text: "hello" }) });
  assert.equal(put.status, 201);
  await b.replicate.from(url);
  assert.equal((await b.get("from-server")).text, "hello");
  await remote.close();
});

test("our server refuses bad input with CouchDB errors and writes nothing", async () => {
  const url = `${server.url}/couch/bad-input`;
  assert.equal((await fetch(url, { method: "PUT" })).status, 201);
  assert.equal((await fetch(url, { method: "PUT" })).status, 412);
  const malformed = await fetch(`${url}/_bulk_docs`, { method: "POST", body: '{"docs": [' });
  assert.equal(malformed.status, 400);
  assert.equal((await malformed.json()).error, "bad_request");
  const invalid = await fetch(`${url}/_bulk_docs`, {
    method: "POST",
    body: JSON.stringify({ docs: [{ _id: "ok", type: "note" }, { _id: "no-type" }] }),
  });
  assert.equal(invalid.status, 403);
  const body = await invalid.json();
  assert.equal(body.error, "forbidden");
  assert.match(body.reason, /type/);
  assert.equal((await (await fetch(url)).json()).doc_count, 0, "nothing of the refused batch was written");
  const big = await fetch(`${url}/_bulk_docs`, { method: "POST", body: JSON.stringify({ docs: [{ _id: "x", type: "n", pad: "x".repeat(70 << 20) }] }) });
  assert.equal(big.status, 413);
  assert.equal((await fetch(`${server.url}/couch/Bad_Name`)).status, 400);
  assert.equal((await fetch(`${url}/missing`)).status, 404);
  const stale = await fetch(`${url}/d`, { method: "PUT", body: JSON.stringify({ type: "n" }) });
  const { rev } = await stale.json();
  await fetch(`${url}/d`, { method: "PUT", body: JSON.stringify({ _rev: rev, type: "n", v: 2 }) });
  const conflict = await fetch(`${url}/d`, { method: "PUT", body: JSON.stringify({ _rev: rev, type: "n", v: 3 }) });
  assert.equal(conflict.status, 409);
});
