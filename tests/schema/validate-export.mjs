// Validates real exports against schema/export.schema.json (JSON Schema 2020-12, ajv):
// starts the somguide binary on port 0 with a temporary database and the real guide,
// fills assessments through the API (every question type, na and dk, a hidden question,
// texts with commas, quotes, newlines and formula starts, a review comment, an action,
// a round carried over from the last), and checks that each GET .../export.json is
// valid, equals /scores and /plan where it embeds them, and that broken copies are
// rejected with an error naming the place. Prints "N passed, N failed" last and exits
// non-zero when anything failed.
//
//   cd tests/schema && npm ci && SOMGUIDE_BIN=../../build/somguide node validate-export.mjs
import { spawn, spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { isDeepStrictEqual } from "node:util";
import { fileURLToPath } from "node:url";
import Ajv2020 from "ajv/dist/2020.js";
import addFormats from "ajv-formats";

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, "..", "..");
const bin = resolve(root, process.env.SOMGUIDE_BIN ?? "build/somguide");
const schemaPath = resolve(root, "schema/export.schema.json");
const guide = JSON.parse(readFileSync(resolve(root, "schema/guide.json"), "utf8"));
const PASSWORD = "export-schema-test-password";

let passed = 0;
let failed = 0;
const ok = (name) => {
  passed++;
  console.log(`ok   ${name}`);
};
const fail = (name, why) => {
  failed++;
  console.log(`FAIL ${name}: ${why}`);
};
const errorsText = (errors) =>
  (errors ?? [])
    .slice(0, 5)
    .map((e) => `${e.instancePath || "/"} ${e.message}`)
    .join("; ");

let server;
let dir;
function finish() {
  if (server) server.kill("SIGTERM");
  if (dir) rmSync(dir, { recursive: true, force: true });
  console.log(`${passed} passed, ${failed} failed`);
  process.exit(failed ? 1 : 0);
}

let validate;
try {
  const ajv = new Ajv2020({ allErrors: true, strict: true, strictRequired: false, allowUnionTypes: true });
  addFormats(ajv);
  validate = ajv.compile(JSON.parse(readFileSync(schemaPath, "utf8")));
  ok("export schema compiles under draft 2020-12 (strict mode)");
} catch (e) {
  fail("load and compile the export schema", e.message);
  finish();
}

// ---- a server of our own ----------------------------------------------------

dir = mkdtempSync(join(tmpdir(), "somguide-export-schema-"));
const db = join(dir, "export.db");
const add = spawnSync(bin, ["user", "add", "--username", "exp-admin", "--role", "admin", "--db", db], {
  input: `${PASSWORD}\n`,
  encoding: "utf8",
  cwd: root,
});
if (add.status !== 0) {
  fail("create an account", `${bin} user add: ${add.stderr || add.error}`);
  finish();
}

const base = await new Promise((resolvePort) => {
  server = spawn(bin, ["serve", "--port", "0", "--db", db, "--root", root], {
    cwd: root,
    stdio: ["ignore", "pipe", "pipe"],
  });
  let out = "";
  const timer = setTimeout(() => resolvePort(null), 20000);
  server.stdout.on("data", (d) => {
    out += d;
    const m = out.match(/listening on (http:\/\/\S+)/);
    if (m) {
      clearTimeout(timer);
      resolvePort(m[1]);
    }
  });
  server.on("exit", () => resolvePort(null));
});
if (!base) {
  fail("start the server", "no \"listening on\" line");
  server = null;
  finish();
}

let token = "";
async function api(method, path, body) {
  const res = await fetch(base + path, {
    method,
    headers: { "Content-Type": "application/json", ...(token ? { Authorization: `Bearer ${token}` } : {}) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  let json = null;
  try {
    json = JSON.parse(text);
  } catch {
    /* not JSON */
  }
  return { status: res.status, json, text };
}

// ---- assessments with something to say --------------------------------------

// A valid value for each question of the real guide, varied by position.
const TEXT = 'Comma, "quotes" and a\nnew line: =SUM(A1:A9) — ünïcödé ✓';
function valueFor(q, i) {
  if (["choice", "scale"].includes(q.type)) {
    if (i % 11 === 3) return "dk";
    if (i % 13 === 5 && q.allow_na !== false) return "na";
    return q.options[i % q.options.length].id;
  }
  if (q.type === "multi") return q.options.slice(0, 1 + (i % Math.min(3, q.options.length))).map((o) => o.id);
  if (q.type === "number") {
    let v = q.min !== undefined ? q.min + 1 : 12.5;
    if (q.max !== undefined && v > q.max) v = q.max;
    return q.integer ? Math.ceil(v) : v;
  }
  if (q.type === "date") return "2024-05-01";
  return TEXT;
}

let full;
try {
  const tok = await api("POST", "/api/v1/tokens", { username: "exp-admin", password: PASSWORD });
  if (tok.status !== 201) throw new Error(`POST /api/v1/tokens: ${tok.status} ${tok.text}`);
  token = tok.json.token;
  const create = async (country, round, extra = {}) => {
    const r = await api("POST", "/api/v1/assessments", { country, round, ...extra });
    if (r.status !== 201) throw new Error(`create ${country} ${round}: ${r.status} ${r.text}`);
    return r.json.id;
  };
  full = await create("KEN", 2026);
  const answers = {};
  let i = 0;
  for (const area of guide.areas)
    for (const q of area.questions) {
      answers[q.id] = { value: valueFor(q, i), comment: i % 4 === 0 ? `=cmd|' /C calc'!A0, note ${i}` : "" };
      i++;
    }
  // a comment without a value
  const firstText = guide.areas.flatMap((a) => a.questions).find((q) => q.type === "text");
  answers[firstText.id] = { value: null, comment: "to be checked with the ministry" };
  const put = await api("PUT", `/api/v1/assessments/${full}/answers`, { answers });
  if (put.status !== 200) throw new Error(`PUT answers: ${put.status} ${put.text.slice(0, 400)}`);
  const qid = guide.areas[0].questions[0].id;
  const c = await api("POST", `/api/v1/assessments/${full}/comments`, { question: qid, body: "Which years?" });
  if (c.status !== 201) throw new Error(`POST comment: ${c.status} ${c.text}`);
  const plan = await api("GET", `/api/v1/assessments/${full}/plan`);
  const rec = plan.json.items[0]?.id;
  if (rec) {
    const a = await api("POST", `/api/v1/assessments/${full}/actions`, {
      rec,
      status: "planned",
      partner: "A donor",
      start: "2027-01-15",
    });
    if (a.status !== 201) throw new Error(`POST action: ${a.status} ${a.text}`);
  }
  await create("KEN", 2027, { from_previous: true }); // answers carried over
  await create("GHA", 2026); // nothing answered
  ok("assessments filled through the API");
} catch (e) {
  fail("fill assessments", e.message);
  finish();
}

// ---- the exports are valid and agree with /scores and /plan ------------------

const list = await api("GET", "/api/v1/assessments");
const docs = [];
for (const a of list.json.assessments) {
  const name = `export of ${a.country} ${a.round}`;
  const r = await api("GET", `/api/v1/assessments/${a.id}/export.json`);
  if (r.status !== 200 || !r.json) {
    fail(name, `status ${r.status}`);
    continue;
  }
  docs.push(r.json);
  if (validate(r.json)) ok(`${name} is valid (${r.json.answers.length} answers)`);
  else fail(`${name} is valid`, errorsText(validate.errors));
  const scores = await api("GET", `/api/v1/assessments/${a.id}/scores`);
  const plan = await api("GET", `/api/v1/assessments/${a.id}/plan`);
  if (isDeepStrictEqual(r.json.scores, scores.json) && isDeepStrictEqual(r.json.plan, plan.json))
    ok(`${name}: scores and plan equal /scores and /plan`);
  else fail(`${name}: scores and plan equal /scores and /plan`, "they differ");
}

const doc = docs.find((d) => d.assessment.id === full);
const carried = docs.find((d) => d.assessment.round === 2027);
const checks = [
  ["every state but invalid occurs", () => ["answered", "na", "dk", "hidden", "none"].every((s) => doc.answers.some((a) => a.state === s))],
  ["a multi answer has its labels", () => doc.answers.some((a) => a.type === "multi" && a.labels.length > 1)],
  ["texts keep commas, quotes, new lines and UTF-8", () => doc.answers.some((a) => a.value === TEXT && a.answer === TEXT)],
  ["the review comment and the action are there", () => doc.review_comments.length === 1 && doc.actions.length === 1 && doc.actions[0].in_plan],
  ["CJAT tools cited by the plan are resolved", () => doc.plan.items.every((it) => it.cjat.every((id) => doc.cjat.some((c) => c.id === id && c.recommendations.includes(it.id))))],
  ["the carried-over round says so", () => carried.answers.length > 0 && carried.answers.every((a) => a.carried_over && a.carried_from === 2026)],
  ["the country has its region", () => doc.country.region === "Africa" && doc.country.iso2 === "KE"],
];
for (const [name, test] of checks) {
  try {
    if (test()) ok(name);
    else fail(name, "not so");
  } catch (e) {
    fail(name, e.message);
  }
}

// ---- broken copies are rejected where they are broken -------------------------

const broken = [
  ["no format_version", (d) => { delete d.format_version; return ""; }],
  ["format_version 2", (d) => { d.format_version = 2; return "/format_version"; }],
  ["an unknown top-level key", (d) => { d.extra = 1; return ""; }],
  ["a country code of two letters", (d) => { d.assessment.country = "KE"; return "/assessment/country"; }],
  ["an unknown answer state", (d) => { d.answers[0].state = "maybe"; return "/answers/0/state"; }],
  ["a score of 1.5", (d) => { d.answers[0].score = 1.5; return "/answers/0/score"; }],
  ["six areas of scores", (d) => { d.scores.areas.pop(); return "/scores/areas"; }],
  ["a need of 101", (d) => { d.scores.areas[0].need = 101; return "/scores/areas/0/need"; }],
  ["a plan item without triggers", (d) => { d.plan.items[0].triggered_by = []; return "/plan/items/0/triggered_by"; }],
  ["an action status of done", (d) => { d.actions[0].status = "done"; return "/actions/0/status"; }],
];
for (const [name, mutate] of broken) {
  const d = structuredClone(doc);
  const where = mutate(d);
  if (validate(d)) {
    fail(`rejects ${name}`, "the broken copy was accepted");
    continue;
  }
  const hit = validate.errors.find((e) => e.instancePath === where);
  if (hit) ok(`rejects ${name} at ${where || "/"} (${hit.message})`);
  else fail(`rejects ${name}`, `no error names ${where || "/"}; got: ${errorsText(validate.errors)}`);
}

finish();
