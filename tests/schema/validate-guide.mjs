// Validates schema/guide.json and the archived versions in schema/guides/ against
// schema/guide.schema.json (JSON Schema 2020-12, ajv), then checks that broken copies
// of the guide are rejected with an error naming the place.
// Prints "N passed, N failed" last and exits non-zero when anything failed.
//
//   cd tests/schema && npm ci && node validate-guide.mjs [GUIDE] [SCHEMA]
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import Ajv2020 from "ajv/dist/2020.js";
import addFormats from "ajv-formats";

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, "..", "..");
const guidePath = resolve(process.argv[2] ?? resolve(root, "schema/guide.json"));
const schemaPath = resolve(process.argv[3] ?? resolve(root, "schema/guide.schema.json"));

let passed = 0;
let failed = 0;
function ok(name) {
  passed++;
  console.log(`ok   ${name}`);
}
function fail(name, why) {
  failed++;
  console.log(`FAIL ${name}: ${why}`);
}

function finish() {
  console.log(`${passed} passed, ${failed} failed`);
  process.exit(failed ? 1 : 0);
}

let schema, guide, validate;
try {
  schema = JSON.parse(readFileSync(schemaPath, "utf8"));
  guide = JSON.parse(readFileSync(guidePath, "utf8"));
  const ajv = new Ajv2020({ allErrors: true, strict: true, strictRequired: false });
  addFormats(ajv);
  validate = ajv.compile(schema);
  ok("schema compiles under draft 2020-12 (strict mode)");
} catch (e) {
  fail("load and compile", e.message);
  finish();
}

function errorsText(errors) {
  return (errors ?? [])
    .slice(0, 5)
    .map((e) => `${e.instancePath || "/"} ${e.message}`)
    .join("; ");
}

// 1. The real guide is valid.
if (validate(guide)) ok(`${guidePath} is valid`);
else fail(`${guidePath} is valid`, errorsText(validate.errors));

// 1b. So is every archived version in schema/guides/ (when no GUIDE is named).
if (!process.argv[2]) {
  const dir = resolve(root, "schema/guides");
  const files = existsSync(dir) ? readdirSync(dir).filter((f) => f.endsWith(".json") && !f.startsWith(".")) : [];
  for (const f of files.sort()) {
    const path = resolve(dir, f);
    let g;
    try {
      g = JSON.parse(readFileSync(path, "utf8"));
    } catch (e) {
      fail(`${path} is valid`, e.message);
      continue;
    }
    if (validate(g)) ok(`${path} is valid`);
    else fail(`${path} is valid`, errorsText(validate.errors));
  }
}

// 2. Broken copies are rejected, and an error names the broken place (a JSON pointer).
const clone = () => structuredClone(guide);
const firstScored = (g) => {
  for (let a = 0; a < g.areas.length; a++)
    for (let q = 0; q < g.areas[a].questions.length; q++)
      if (["choice", "multi", "scale"].includes(g.areas[a].questions[q].type)) return [a, q];
  throw new Error("no scored question");
};
const firstOfType = (g, type) => {
  for (let a = 0; a < g.areas.length; a++)
    for (let q = 0; q < g.areas[a].questions.length; q++)
      if (g.areas[a].questions[q].type === type) return [a, q];
  throw new Error(`no ${type} question`);
};

const broken = [
  {
    name: "a version with a space",
    mutate(g) {
      g.version = "1.0 beta";
      return `/version`;
    },
  },
  {
    name: "an option score of 1.5",
    mutate(g) {
      const [a, q] = firstScored(g);
      g.areas[a].questions[q].options[0].score = 1.5;
      return `/areas/${a}/questions/${q}/options/0/score`;
    },
  },
  {
    name: "an unknown question type",
    mutate(g) {
      const [a, q] = firstScored(g);
      g.areas[a].questions[q].type = "slider";
      return `/areas/${a}/questions/${q}/type`;
    },
  },
  {
    name: "a question text without en",
    mutate(g) {
      const [a, q] = firstScored(g);
      g.areas[a].questions[q].text = { fr: "Texte sans anglais" };
      return `/areas/${a}/questions/${q}/text`;
    },
  },
  {
    name: "a recommendation title without en",
    mutate(g) {
      g.recommendations[0].title = {};
      return `/recommendations/0/title`;
    },
  },
  {
    name: "an unknown key (typo wieght)",
    mutate(g) {
      const [a, q] = firstScored(g);
      g.areas[a].questions[q].wieght = 2;
      return `/areas/${a}/questions/${q}`;
    },
  },
  {
    name: "a weight of 4",
    mutate(g) {
      const [a, q] = firstScored(g);
      g.areas[a].questions[q].weight = 4;
      return `/areas/${a}/questions/${q}/weight`;
    },
  },
  {
    name: "an article number 20",
    mutate(g) {
      const [a, q] = firstScored(g);
      g.areas[a].questions[q].refs.protocol = [20];
      return `/areas/${a}/questions/${q}/refs/protocol/0`;
    },
  },
  {
    name: "an unknown Review Mechanism cluster",
    mutate(g) {
      const [a, q] = firstScored(g);
      g.areas[a].questions[q].refs.cluster = "jurisdiction";
      return `/areas/${a}/questions/${q}/refs/cluster`;
    },
  },
  {
    name: "the reserved option id na",
    mutate(g) {
      const [a, q] = firstScored(g);
      g.areas[a].questions[q].options[0].id = "na";
      return `/areas/${a}/questions/${q}/options/0/id`;
    },
  },
  {
    name: "options on a number question",
    mutate(g) {
      const [a, q] = firstOfType(g, "number");
      g.areas[a].questions[q].options = [
        { id: "x", label: { en: "X" }, score: 0 },
        { id: "y", label: { en: "Y" }, score: 1 },
      ];
      return `/areas/${a}/questions/${q}/options`;
    },
  },
  {
    name: "an area id outside the seven",
    mutate(g) {
      g.areas[3].id = "planning";
      return `/areas/3/id`;
    },
  },
];

for (const b of broken) {
  const g = clone();
  let where;
  try {
    where = b.mutate(g);
  } catch (e) {
    fail(`rejects ${b.name}`, `cannot build the broken copy: ${e.message}`);
    continue;
  }
  if (validate(g)) {
    fail(`rejects ${b.name}`, "the broken copy was accepted");
    continue;
  }
  const hit = validate.errors.find((e) => e.instancePath === where);
  if (hit) ok(`rejects ${b.name} at ${where} (${hit.message})`);
  else fail(`rejects ${b.name}`, `no error names ${where}; got: ${errorsText(validate.errors)}`);
}

finish();
