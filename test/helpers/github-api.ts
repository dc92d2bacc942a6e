/**
 * Shared GitHub API harness for app tests.
 *
 * Every request the app makes to api.github.com is recorded and checked against GitHub's
 * published REST description (@octokit/openapi), so a test cannot pass while the app calls an
 * endpoint GitHub does not have, sends a body GitHub would reject, or passes query parameters
 * GitHub would silently ignore. `leaks()` lets tests prove that nothing sent towards a public
 * repository carries embargoed text.
 *
 * Typical use:
 *
 *   let gh: GitHubMock;
 *   beforeEach(() => { gh = mockGitHub(); });
 *   afterEach(() => gh.done());
 *
 * Add interceptors on `gh.api` (or on scopes from `gh.scope()`): requests matched by a scope the
 * harness did not create are invisible to it, because nock only reports matches per scope.
 */
import { generateKeyPairSync } from "node:crypto";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import nock from "nock";
import { Ajv, type ErrorObject, type ValidateFunction } from "ajv";

const API_HOST = "api.github.com";
const API_ORIGIN = `https://${API_HOST}`;
/**
 * The GitHub Enterprise Server of the tests: its REST API is at `https://<host>/api/v3`, its
 * GraphQL at `/api/graphql`. Requests there are checked against GHES 3.17's REST description, the
 * oldest @octokit/openapi ships: every operation it has is in 3.18 and 3.19 too (checked when this
 * was written), so a request valid there works on every GHES the package describes, and a path
 * GHES does not have at all (repository security advisories) fails the test.
 */
export const GHES_HOST = "ghes.acme.test";
export const GHES_API = `https://${GHES_HOST}/api/v3`;
const GHES_DESCRIPTION = "ghes-3.17";

export interface RecordedRequest {
  method: string;
  /** Path without the query string, exactly as sent (percent-encoding kept). */
  path: string;
  /** Decoded query parameters; a repeated key keeps all values, comma-joined. */
  query: Record<string, string>;
  /** Parsed JSON when the body is JSON, the raw string otherwise, undefined when empty. */
  body: unknown;
  operationId?: string;
  /** False when no interceptor matched (the app got a nock error instead of a reply). */
  matched: boolean;
  /** Why the request does not conform to GitHub's REST description; empty when it does. */
  errors: string[];
  /** The `If-None-Match` the request carried (a conditional read), if any. */
  ifNoneMatch?: string;
  /** The status the mock answered with, once it has answered. */
  status?: number;
  /** Set for requests to the test GHES (`GHES_HOST`); `path` is then without `/api/v3`. */
  host?: string;
}

export interface GitHubMock {
  /** nock("https://api.github.com"), or the GHES origin with `{ ghes: true }`: add the test's interceptors here. */
  api: nock.Scope;
  /** Every request made to api.github.com in this test, in order, matched or not. */
  requests: RecordedRequest[];
  /**
   * Throws, listing every problem, if any request failed validation, any request had no
   * matching interceptor (including requests to hosts other than api.github.com), or
   * `nock.pendingMocks()` is not empty.
   */
  done(): void;
  /**
   * Requests whose path is /repos/{owner}/{repo} or under it (case-insensitive), plus GraphQL
   * requests whose variables or query text name that repository. Requests addressing the repo
   * by numeric id (/repositories/{id}) cannot be attributed and are not included.
   */
  requestsTo(owner: string, repo: string): RecordedRequest[];
  /**
   * One "secret #i in METHOD path" per (secret, request) pair where the secret (i is its index
   * in `secrets`) appears, case-insensitively and also URL-encoded, in the request's path,
   * query or body. Defaults to all recorded requests.
   */
  leaks(secrets: string[], requests?: RecordedRequest[]): string[];
  /** An extra api.github.com scope whose matches are recorded like `api`'s (e.g. for other options). */
  scope(options?: nock.Options): nock.Scope;
}

// ---------------------------------------------------------------------------------------------
// REST description: loaded and indexed once per process, on first use.
// ---------------------------------------------------------------------------------------------

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type JsonObject = { [key: string]: Json };

interface Parameter {
  name: string;
  in: string;
  required: boolean;
  /** JSON pointer (ajv ref) to the parameter's schema inside the description. */
  schemaRef: string;
  schema: JsonObject;
}

interface Operation {
  operationId: string;
  method: string;
  template: string;
  pointer: string;
  params: Map<string, Parameter>;
  /** The statuses GitHub documents for it ("200", "304", …). */
  responses: Set<string>;
  /** GitHub's `x-github.enabledForGitHubApps`: false where an installation's token is refused. */
  forApps: boolean;
  body?: {
    required: boolean;
    /** Undefined when the body is not JSON (raw markdown, binary uploads): not validated. */
    jsonSchemaRef?: string;
    /** Top-level property names the schema declares, or undefined when it allows any. */
    knownKeys?: Set<string>;
  };
}

interface Segment {
  literal?: string;
  pattern?: RegExp;
  names: string[];
}

interface Template {
  template: string;
  segments: Segment[];
  /** Per segment: 2 literal, 1 mixed ("{base}...{head}"), 0 pure parameter. */
  rank: number[];
  literalCount: number;
  /** Set when a git-name parameter may span several segments (unencoded "/" in a path or ref). */
  greedy?: RegExp;
  operations: Map<string, Operation>;
}

interface Description {
  /** The id the document is registered under in ajv: every schema ref starts with it. */
  docId: string;
  ajv: Ajv;
  bySegmentCount: Map<number, Template[]>;
  greedyTemplates: Template[];
  validators: Map<string, ValidateFunction>;
}

const DOC_ID = "github-rest";
type DescriptionName = "api.github.com" | typeof GHES_DESCRIPTION;
const HTTP_METHODS = ["get", "put", "post", "delete", "options", "head", "patch", "trace"];
// Parameters naming git objects or files: GitHub also accepts them with literal slashes.
const MULTI_SEGMENT_PARAMS = new Set(["path", "ref", "branch"]);

const descriptions = new Map<DescriptionName, Description>();

function loadDescription(name: DescriptionName = "api.github.com"): Description {
  const known = descriptions.get(name);
  if (known) return known;
  const docId = name === "api.github.com" ? DOC_ID : `${DOC_ID}-${name}`;
  const require = createRequire(import.meta.url);
  const file = require.resolve(`@octokit/openapi/generated/${name}.json`);
  const doc = JSON.parse(readFileSync(file, "utf8")) as JsonObject;
  const paths = doc.paths as JsonObject;
  const components = doc.components as JsonObject;
  for (const part of [paths, components.schemas, components.parameters]) nullableToJsonSchema(part);

  const ajv = new Ajv({
    strict: false,
    allErrors: true,
    // The description is OpenAPI, not a JSON Schema document: meta-validating it is meaningless.
    validateSchema: false,
    logger: false,
    formats: {
      "date-time": (s: string) =>
        /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/i.test(s) && !Number.isNaN(Date.parse(s)),
      date: /^\d{4}-\d{2}-\d{2}$/,
      email: /^[^\s@]+@[^\s@]+$/,
      uri: (s: string) => URL.canParse(s),
      "uri-template": true,
      int64: true,
    },
  });
  // Registering the whole document lets "#/components/..." refs inside operation schemas resolve
  // without dereferencing 13 MB up front; each schema is compiled only when first needed.
  ajv.addSchema(doc, docId);

  const bySegmentCount = new Map<number, Template[]>();
  const greedyTemplates: Template[] = [];
  for (const [template, item] of Object.entries(paths)) {
    const t = compileTemplate(template);
    for (const [method, op] of Object.entries(item as JsonObject)) {
      if (!HTTP_METHODS.includes(method)) continue;
      t.operations.set(method.toUpperCase(), compileOperation(doc, docId, template, method, op as JsonObject));
    }
    const list = bySegmentCount.get(t.segments.length) ?? [];
    list.push(t);
    bySegmentCount.set(t.segments.length, list);
    if (t.greedy) greedyTemplates.push(t);
  }
  const description = { docId, ajv, bySegmentCount, greedyTemplates, validators: new Map() };
  descriptions.set(name, description);
  return description;
}

/**
 * OpenAPI 3.0 `nullable` is not JSON Schema: ajv only understands it next to `type`, and GitHub
 * uses it next to oneOf/anyOf too (e.g. issues/create `milestone`), which makes ajv refuse to
 * compile the schema. Rewrite it into plain JSON Schema in place.
 */
function nullableToJsonSchema(node: Json | undefined): void {
  if (Array.isArray(node)) {
    for (const item of node) nullableToJsonSchema(item);
    return;
  }
  if (node === null || typeof node !== "object") return;
  for (const value of Object.values(node)) nullableToJsonSchema(value);
  if (!("nullable" in node) || typeof node.nullable !== "boolean") return;
  const nullable = node.nullable;
  delete node.nullable;
  if (!nullable) return;
  if (typeof node.type === "string") {
    node.type = [node.type, "null"];
    if (Array.isArray(node.enum) && !node.enum.includes(null)) node.enum = [...node.enum, null];
  } else if (node.type === undefined) {
    const inner = { ...node };
    for (const key of Object.keys(node)) delete node[key];
    node.anyOf = [{ type: "null" }, inner];
  }
}

function escapePointer(s: string): string {
  return s.replace(/~/g, "~0").replace(/\//g, "~1");
}

function resolveLocalRef(doc: JsonObject, value: Json | undefined): Json | undefined {
  let current = value;
  for (let depth = 0; depth < 20; depth++) {
    if (!current || typeof current !== "object" || Array.isArray(current)) return current;
    const ref = current.$ref;
    if (typeof ref !== "string" || !ref.startsWith("#/")) return current;
    let target: Json | undefined = doc;
    for (const raw of ref.slice(2).split("/")) {
      const key = raw.replace(/~1/g, "/").replace(/~0/g, "~");
      target = target && typeof target === "object" && !Array.isArray(target) ? target[key] : undefined;
    }
    current = target;
  }
  return current;
}

function compileTemplate(template: string): Template {
  const segments: Segment[] = [];
  const rank: number[] = [];
  let greedySource = "^";
  let hasGreedy = false;
  for (const part of template.split("/").slice(1)) {
    const names = [...part.matchAll(/\{([^}]+)\}/g)].map((m) => m[1] as string);
    if (names.length === 0) {
      segments.push({ literal: part, names });
      rank.push(2);
      greedySource += "/" + escapeRegExp(part);
      continue;
    }
    let source = "";
    let greedy = "";
    for (const piece of part.split(/(\{[^}]+\})/)) {
      const name = /^\{([^}]+)\}$/.exec(piece)?.[1];
      if (name === undefined) {
        source += escapeRegExp(piece);
        greedy += escapeRegExp(piece);
      } else {
        // Lazy so that a literal between two parameters ("{base}...{head}") splits at its first occurrence.
        source += "(.+?)";
        const multi = names.length === 1 && MULTI_SEGMENT_PARAMS.has(name);
        hasGreedy ||= multi;
        greedy += multi ? "(.+)" : "([^/]+?)";
      }
    }
    segments.push({ pattern: new RegExp(`^${source}$`), names });
    rank.push(names.length === 1 && part === `{${names[0]}}` ? 0 : 1);
    greedySource += "/" + greedy;
  }
  return {
    template,
    segments,
    rank,
    literalCount: rank.filter((r) => r === 2).length,
    greedy: hasGreedy ? new RegExp(greedySource + "$") : undefined,
    operations: new Map(),
  };
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

function compileOperation(doc: JsonObject, docId: string, template: string, method: string, op: JsonObject): Operation {
  const pointer = `${docId}#/paths/${escapePointer(template)}/${method}`;
  const params = new Map<string, Parameter>();
  const rawParams = Array.isArray(op.parameters) ? op.parameters : [];
  rawParams.forEach((raw, i) => {
    const param = resolveLocalRef(doc, raw);
    if (!param || typeof param !== "object" || Array.isArray(param)) return;
    const name = String(param.name);
    const where = String(param.in);
    const ref =
      raw && typeof raw === "object" && !Array.isArray(raw) && typeof raw.$ref === "string"
        ? `${docId}${raw.$ref}/schema`
        : `${pointer}/parameters/${i}/schema`;
    const schema = param.schema && typeof param.schema === "object" && !Array.isArray(param.schema) ? param.schema : {};
    params.set(`${where}:${name}`, { name, in: where, required: param.required === true, schemaRef: ref, schema });
  });

  const operation: Operation = {
    operationId: String(op.operationId),
    method: method.toUpperCase(),
    template,
    pointer,
    params,
    responses: new Set(Object.keys((op.responses ?? {}) as JsonObject)),
    forApps: ((op["x-github"] ?? {}) as JsonObject).enabledForGitHubApps !== false,
  };
  const requestBody = resolveLocalRef(doc, op.requestBody);
  if (requestBody && typeof requestBody === "object" && !Array.isArray(requestBody)) {
    const content = (requestBody.content ?? {}) as JsonObject;
    const json = content["application/json"] as JsonObject | undefined;
    operation.body = { required: requestBody.required === true };
    if (json?.schema) {
      operation.body.jsonSchemaRef = `${pointer}/requestBody/content/application~1json/schema`;
      operation.body.knownKeys = topLevelKeys(doc, json.schema);
    }
  }
  return operation;
}

/**
 * GitHub ignores unknown body properties, so a misspelt or misplaced field fails silently in
 * production; collecting the declared ones lets the harness report them. Undefined means the
 * schema admits arbitrary keys (or is not an object), so nothing can be said.
 */
function topLevelKeys(doc: JsonObject, schemaJson: Json | undefined, depth = 0): Set<string> | undefined {
  const schema = resolveLocalRef(doc, schemaJson);
  if (!schema || typeof schema !== "object" || Array.isArray(schema) || depth > 5) return undefined;
  if (schema.additionalProperties !== undefined && schema.additionalProperties !== false) return undefined;
  const keys = new Set<string>();
  let constrained = false;
  if (schema.properties && typeof schema.properties === "object" && !Array.isArray(schema.properties)) {
    constrained = true;
    for (const key of Object.keys(schema.properties)) keys.add(key);
  }
  for (const combinator of ["oneOf", "anyOf", "allOf"] as const) {
    const branches = schema[combinator];
    if (!Array.isArray(branches)) continue;
    for (const branch of branches) {
      const resolved = resolveLocalRef(doc, branch);
      const type = resolved && typeof resolved === "object" && !Array.isArray(resolved) ? resolved.type : undefined;
      // Non-object branches (a bare array of labels, a string) say nothing about object keys.
      if (type !== undefined && type !== "object" && !(Array.isArray(type) && type.includes("object"))) continue;
      const sub = topLevelKeys(doc, branch, depth + 1);
      if (!sub) return undefined;
      constrained = true;
      for (const key of sub) keys.add(key);
    }
  }
  return constrained ? keys : undefined;
}

function validator(d: Description, ref: string): ValidateFunction {
  let v = d.validators.get(ref);
  if (!v) {
    v = d.ajv.compile({ $ref: ref });
    d.validators.set(ref, v);
  }
  return v;
}

function formatAjvErrors(errors: ErrorObject[] | null | undefined, root: string): string {
  const seen = new Set<string>();
  for (const e of errors ?? []) {
    let msg = `${root}${e.instancePath} ${e.message ?? e.keyword}`;
    if (e.keyword === "enum" && Array.isArray(e.params.allowedValues)) {
      msg += ` (${e.params.allowedValues.map((v: unknown) => JSON.stringify(v)).join(", ")})`;
    }
    if (e.keyword === "additionalProperties") msg += ` ('${String(e.params.additionalProperty)}')`;
    seen.add(msg);
  }
  const list = [...seen];
  return list.length > 8 ? `${list.slice(0, 8).join("; ")}; … ${list.length - 8} more` : list.join("; ");
}

// ---------------------------------------------------------------------------------------------
// Validation
// ---------------------------------------------------------------------------------------------

interface RouteMatch {
  template: Template;
  values: Map<string, string>;
}

function matchSegments(t: Template, raw: string[]): Map<string, string> | undefined {
  const values = new Map<string, string>();
  for (let i = 0; i < t.segments.length; i++) {
    const seg = t.segments[i] as Segment;
    const part = raw[i] as string;
    if (seg.literal !== undefined) {
      if (seg.literal !== part) return undefined;
      continue;
    }
    const m = seg.pattern?.exec(part);
    if (!m) return undefined;
    seg.names.forEach((name, j) => values.set(name, m[j + 1] as string));
  }
  return values;
}

function compareRank(a: Template, b: Template): number {
  if (a.literalCount !== b.literalCount) return b.literalCount - a.literalCount;
  // Same count: the template whose literals come first wins, as routers try static segments first.
  for (let i = 0; i < Math.min(a.rank.length, b.rank.length); i++) {
    const diff = (b.rank[i] ?? 0) - (a.rank[i] ?? 0);
    if (diff !== 0) return diff;
  }
  return 0;
}

function findRoutes(d: Description, pathname: string): RouteMatch[] {
  const raw = pathname.split("/").slice(1);
  const matches: RouteMatch[] = [];
  for (const t of d.bySegmentCount.get(raw.length) ?? []) {
    const values = matchSegments(t, raw);
    if (values) matches.push({ template: t, values });
  }
  if (matches.length === 0) {
    for (const t of d.greedyTemplates) {
      const m = t.greedy?.exec(pathname);
      if (!m) continue;
      const names = t.segments.flatMap((s) => s.names);
      matches.push({ template: t, values: new Map(names.map((n, i) => [n, m[i + 1] as string])) });
    }
  }
  return matches.sort((a, b) => compareRank(a.template, b.template));
}

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

/** URL strings carry no types: accept the value if any natural reading of it fits the schema. */
function checkParamValue(d: Description, param: Parameter, value: string | string[]): string | undefined {
  const numeric = (s: string): Json => (/^-?\d+(\.\d+)?$/.test(s) ? Number(s) : s);
  const items = Array.isArray(value) ? value : value.split(",");
  const candidates: Json[] = Array.isArray(value)
    ? [value, value.map(numeric)]
    : [value, numeric(value), value === "true" ? true : value === "false" ? false : value, items, items.map(numeric)];
  let v: ValidateFunction;
  try {
    v = validator(d, param.schemaRef);
  } catch (e) {
    return `cannot compile schema of ${param.in} parameter "${param.name}": ${(e as Error).message}`;
  }
  let firstErrors: ErrorObject[] | null | undefined;
  for (const candidate of candidates) {
    if (v(candidate)) return undefined;
    firstErrors ??= v.errors;
  }
  const declared = param.schema.type === "integer" || param.schema.type === "number" ? ` (must be ${param.schema.type})` : "";
  return `${param.in} parameter "${param.name}"=${JSON.stringify(value)} does not match its schema${declared}: ${formatAjvErrors(firstErrors, param.name)}`;
}

function parseBody(body: unknown): unknown {
  if (body === undefined || body === null || body === "") return undefined;
  if (Buffer.isBuffer(body)) body = body.toString("utf8");
  if (typeof body !== "string") return body;
  try {
    return JSON.parse(body) as unknown;
  } catch {
    return body;
  }
}

function validateGraphQL(method: string, search: URLSearchParams, body: unknown): string[] {
  const errors: string[] = [];
  if (method !== "POST") return [`GraphQL must be POSTed, not sent with ${method}`];
  if ([...search.keys()].length > 0) errors.push(`GraphQL request has query parameters (${[...search.keys()].join(", ")})`);
  if (!body || typeof body !== "object" || Array.isArray(body)) return [...errors, "GraphQL body must be a JSON object { query, variables? }"];
  const b = body as Record<string, unknown>;
  if (typeof b.query !== "string" || b.query.trim() === "") errors.push("GraphQL body needs a non-empty string `query`");
  if (b.variables !== undefined && (b.variables === null || typeof b.variables !== "object" || Array.isArray(b.variables))) {
    errors.push("GraphQL `variables` must be an object");
  }
  if (b.operationName !== undefined && typeof b.operationName !== "string") errors.push("GraphQL `operationName` must be a string");
  const extra = Object.keys(b).filter((k) => !["query", "variables", "operationName"].includes(k));
  if (extra.length) errors.push(`GraphQL body has unexpected keys: ${extra.join(", ")}`);
  return errors;
}

/**
 * Checks one request against GitHub's REST description. `url` may be absolute or a path with a
 * query string; `body` may be parsed JSON or the raw string sent. Never throws.
 */
/**
 * A 304 is GitHub's answer to a conditional request only, and only where it documents one: a
 * mock answering 304 elsewhere (or an `If-None-Match` sent where no 304 can come back) fails.
 */
export function validateConditional(method: string, url: string, ifNoneMatch: string | undefined, status: number | undefined): string[] {
  if (ifNoneMatch === undefined && status !== 304) return [];
  const target = apiTarget(url);
  if ("error" in target) return [];
  const route = findRoutes(target.d, target.pathname).find((r) => r.template.operations.has(method.toUpperCase()));
  const op = route?.template.operations.get(method.toUpperCase());
  if (!op) return [];
  const errors: string[] = [];
  if (!op.responses.has("304")) errors.push(`${op.operationId} never answers 304, yet ${ifNoneMatch !== undefined ? "If-None-Match was sent" : "the mock answered 304"}`);
  if (status === 304 && ifNoneMatch === undefined) errors.push(`answered 304 to a request without If-None-Match (GitHub answers 304 only to conditional requests)`);
  return errors;
}

/** Where a request goes: api.github.com, or the test GHES (`/api/v3` stripped), and which description checks it. */
type ApiTarget = { d: Description; name: string; pathname: string; search: URLSearchParams; graphql: boolean } | { error: string };

function apiTarget(url: string): ApiTarget {
  let parsed: URL;
  try {
    parsed = new URL(url, API_ORIGIN);
  } catch {
    return { error: `unparseable URL ${url}` };
  }
  const host = parsed.host.toLowerCase();
  if (host === API_HOST) {
    return { d: loadDescription(), name: "GitHub", pathname: parsed.pathname, search: parsed.searchParams, graphql: parsed.pathname === "/graphql" };
  }
  if (host === GHES_HOST) {
    const name = `GitHub Enterprise Server (${GHES_DESCRIPTION})`;
    if (parsed.pathname === "/api/graphql") return { d: loadDescription(GHES_DESCRIPTION), name, pathname: "/graphql", search: parsed.searchParams, graphql: true };
    if (!parsed.pathname.startsWith("/api/v3/")) return { error: `not under ${GHES_HOST}'s REST API (/api/v3): ${url}` };
    return { d: loadDescription(GHES_DESCRIPTION), name, pathname: parsed.pathname.slice("/api/v3".length), search: parsed.searchParams, graphql: false };
  }
  return { error: `not an api.github.com or ${GHES_HOST} URL: ${url}` };
}

/** Called with the app's JWT, not an installation token: where an installation is found. */
const APP_JWT_ROUTE = /^\/(?:app(?:\/|$)|repos\/\{owner\}\/\{repo\}\/installation$|orgs\/\{org\}\/installation$|users\/\{username\}\/installation$)/;

export function validateRequest(method: string, url: string, body: unknown): { operationId?: string; errors: string[] } {
  const m = method.toUpperCase();
  const target = apiTarget(url);
  if ("error" in target) return { errors: [target.error] };
  const data = parseBody(body);
  if (target.graphql) return { operationId: "graphql", errors: validateGraphQL(m, target.search, data) };

  const d = target.d;
  const routes = findRoutes(d, target.pathname);
  if (routes.length === 0) return { errors: [`no ${target.name} REST path matches ${target.pathname}`] };
  const route = routes.find((r) => r.template.operations.has(m));
  if (!route) {
    const best = routes[0] as RouteMatch;
    return {
      errors: [
        `${target.name} has no ${m} ${best.template.template} (it supports ${[...best.template.operations.keys()].join(", ")})`,
      ],
    };
  }
  const op = route.template.operations.get(m) as Operation;
  const errors: string[] = [];
  // An installation's token is refused there: the app would meet a 403 in production that no
  // mock shows. The routes it reaches as the app itself (a JWT) are described apart.
  if (!op.forApps && !APP_JWT_ROUTE.test(op.template)) errors.push(`${op.operationId} is not enabled for GitHub Apps (${target.name}'s x-github.enabledForGitHubApps): an installation token gets 403`);

  for (const [name, raw] of route.values) {
    const param = op.params.get(`path:${name}`);
    if (!param) continue;
    const problem = checkParamValue(d, param, safeDecode(raw));
    if (problem) errors.push(problem);
  }

  const query = new Map<string, string[]>();
  for (const [key, value] of target.search) {
    const name = key.endsWith("[]") ? key.slice(0, -2) : key;
    query.set(name, [...(query.get(name) ?? []), value]);
  }
  for (const [name, values] of query) {
    const param = op.params.get(`query:${name}`);
    if (!param) {
      errors.push(`query parameter "${name}" is not declared by ${op.operationId}`);
      continue;
    }
    const problem = checkParamValue(d, param, values.length === 1 ? (values[0] as string) : values);
    if (problem) errors.push(problem);
  }
  for (const param of op.params.values()) {
    if (param.in === "query" && param.required && !query.has(param.name)) {
      errors.push(`required query parameter "${param.name}" is missing`);
    }
  }

  // Octokit sends "" (PUT/PATCH without parameters) or {} where no body is meant; both are benign.
  const empty = data === undefined || (isPlainObject(data) && Object.keys(data).length === 0);
  if (!op.body) {
    if (!empty) errors.push(`${op.operationId} takes no request body, got ${preview(data)}`);
  } else if (data === undefined || (empty && !op.body.required)) {
    if (op.body.required) errors.push(`${op.operationId} requires a request body`);
  } else if (op.body.jsonSchemaRef) {
    if (typeof data === "string") {
      errors.push(`${op.operationId} expects a JSON body, got ${preview(data)}`);
    } else {
      try {
        const v = validator(d, op.body.jsonSchemaRef);
        if (!v(data)) errors.push(`request body does not match ${op.operationId}'s schema: ${formatAjvErrors(v.errors, "body")}`);
      } catch (e) {
        errors.push(`cannot compile the body schema of ${op.operationId}: ${(e as Error).message}`);
      }
      if (op.body.knownKeys && isPlainObject(data)) {
        const unknown = Object.keys(data).filter((k) => !op.body?.knownKeys?.has(k));
        if (unknown.length) errors.push(`body properties not in ${op.operationId}'s schema (GitHub ignores them): ${unknown.join(", ")}`);
      }
    }
  }
  return { operationId: op.operationId, errors };
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function preview(v: unknown): string {
  const s = JSON.stringify(v) ?? String(v);
  return s.length > 120 ? `${s.slice(0, 117)}...` : s;
}

// ---------------------------------------------------------------------------------------------
// Recording
// ---------------------------------------------------------------------------------------------

interface NockRequestLike {
  method?: string;
  path?: string;
  hostname?: string;
}

let activeNoMatchListener: ((...args: unknown[]) => void) | undefined;

/** A GHES request's path as the REST description names it: `/api/v3` dropped, `/api/graphql` → `/graphql`. */
function ghesApiPath(pathname: string): string {
  if (pathname === "/api/graphql") return "/graphql";
  return pathname.startsWith("/api/v3/") ? pathname.slice("/api/v3".length) : pathname;
}

/**
 * `ghes`: the app under test talks to the test GitHub Enterprise Server (`GHES_API`): `api` and
 * `scope()` intercept `https://ghes.acme.test` (interceptor paths then start with `/api/v3`), and
 * recorded paths drop that prefix. Requests to either host are validated in both modes, each
 * against its own description.
 */
export function mockGitHub(options: { ghes?: boolean } = {}): GitHubMock {
  const origin = options.ghes ? `https://${GHES_HOST}` : API_ORIGIN;
  if (activeNoMatchListener) nock.emitter.removeListener("no match", activeNoMatchListener);
  nock.cleanAll();
  if (!nock.isActive()) nock.activate();
  nock.disableNetConnect();
  // Pay the one-off description load here rather than inside the first intercepted request.
  loadDescription();
  if (options.ghes) loadDescription(GHES_DESCRIPTION);

  const requests: RecordedRequest[] = [];
  const strayHosts: string[] = [];

  const record = (host: string, method: string | undefined, rawPath: string | undefined, rawBody: unknown, matched: boolean, ifNoneMatch?: string): RecordedRequest => {
    const m = (method ?? "GET").toUpperCase();
    const ghes = host.toLowerCase() === GHES_HOST;
    const url = new URL(rawPath ?? "/", `https://${host}`);
    const query: Record<string, string> = {};
    for (const [k, v] of url.searchParams) query[k] = k in query ? `${query[k]},${v}` : v;
    const body = parseBody(rawBody);
    const { operationId, errors } = validateRequest(m, url.href, body);
    const path = ghes ? ghesApiPath(url.pathname) : url.pathname;
    const recorded: RecordedRequest = { method: m, path, query, body, operationId, matched, errors, ...(ifNoneMatch === undefined ? {} : { ifNoneMatch }), ...(ghes ? { host: GHES_HOST } : {}) };
    requests.push(recorded);
    return recorded;
  };
  // Each intercepted request's record, so its answer's status can be added when it is sent.
  const recordedFor = new WeakMap<object, RecordedRequest>();

  const onRequest = (req: NockRequestLike & { headers?: Record<string, unknown> }, _interceptor: unknown, body: unknown) => {
    try {
      const header = req.headers?.["if-none-match"];
      const recorded = record(new URL(origin).host, req.method, req.path, body, true, header === undefined ? undefined : String(header));
      recordedFor.set(req, recorded);
      // The status as soon as the answer starts (the app may finish before an unread body ends).
      (req as { once?: (e: string, f: (res: { statusCode?: number }) => void) => void }).once?.("response", (res) => {
        recorded.status ??= res.statusCode;
      });
    } catch (e) {
      // A throw here would surface as a nock/fetch error the app might swallow; report it from done().
      strayHosts.push(`harness failed to record ${req.method} ${req.path}: ${(e as Error).message}`);
    }
  };

  // nock emits "no match" as (options) when no interceptor exists for the host at all (no body
  // available then), and as (req, options, body) when interceptors exist but none matched.
  const onNoMatch = (...args: unknown[]) => {
    try {
      const first = args[0] as NockRequestLike;
      const options = (args[1] ?? first) as NockRequestLike;
      const host = options.hostname ?? "";
      if (host.toLowerCase() === API_HOST || host.toLowerCase() === GHES_HOST) {
        record(host, first.method, first.path, args[2], false);
      } else {
        strayHosts.push(`request to unmocked host: ${first.method ?? "GET"} https://${host}${first.path ?? ""}`);
      }
    } catch (e) {
      strayHosts.push(`harness failed to record an unmatched request: ${(e as Error).message}`);
    }
  };
  nock.emitter.on("no match", onNoMatch);
  activeNoMatchListener = onNoMatch;

  const onReplied = (req: object & { res?: { statusCode?: number } }) => {
    const recorded = recordedFor.get(req);
    if (!recorded) return;
    recorded.status ??= req.res?.statusCode;
  };

  const scope = (options?: nock.Options): nock.Scope => {
    const s = nock(origin, options);
    s.on("request", onRequest);
    s.on("replied", onReplied);
    return s;
  };

  const mock: GitHubMock = {
    api: scope(),
    requests,
    scope,
    done() {
      const problems: string[] = [...strayHosts];
      for (const r of requests) {
        const line = `${r.method} ${r.path}${formatQuery(r.query)}`;
        if (!r.matched) problems.push(`no interceptor matched ${line}${r.body === undefined ? "" : ` body ${preview(r.body)}`}`);
        const url = r.host ? `https://${r.host}/api/v3${r.path}` : r.path;
        for (const e of [...r.errors, ...validateConditional(r.method, url, r.ifNoneMatch, r.status)]) problems.push(`${line}: ${e}`);
      }
      for (const pending of nock.pendingMocks()) problems.push(`interceptor never called: ${pending}`);
      if (problems.length) {
        throw new Error(`GitHub API mock: ${problems.length} problem(s):\n  - ${problems.join("\n  - ")}`);
      }
    },
    requestsTo(owner, repo) {
      const prefix = `/repos/${owner}/${repo}`.toLowerCase();
      return requests.filter((r) => {
        const p = r.path.toLowerCase();
        if (p === prefix || p.startsWith(`${prefix}/`)) return true;
        return r.operationId === "graphql" && graphqlMentions(r.body, owner, repo);
      });
    },
    leaks(secrets, subset = requests) {
      const needles = secrets.map((secret, i) => {
        if (secret.trim() === "") throw new Error(`leaks(): secret #${i} is empty and would match everything`);
        const forms = [secret, encodeURIComponent(secret), encodeURIComponent(secret).replace(/%20/g, "+"), JSON.stringify(secret).slice(1, -1)];
        return [...new Set(forms.map((f) => f.toLowerCase()))];
      });
      const found: string[] = [];
      for (const r of subset) {
        const haystack = [
          r.path,
          safeDecode(r.path),
          ...Object.entries(r.query).flat(),
          JSON.stringify(r.query),
          typeof r.body === "string" ? r.body : JSON.stringify(r.body) ?? "",
          ...stringsIn(r.body),
        ]
          .join("\n")
          .toLowerCase();
        needles.forEach((forms, i) => {
          if (forms.some((f) => haystack.includes(f))) found.push(`secret #${i} in ${r.method} ${r.path}`);
        });
      }
      return found;
    },
  };
  return mock;
}

function formatQuery(query: Record<string, string>): string {
  const s = new URLSearchParams(query).toString();
  return s ? `?${s}` : "";
}

function stringsIn(value: unknown, out: string[] = []): string[] {
  if (typeof value === "string") out.push(value);
  else if (Array.isArray(value)) for (const v of value) stringsIn(v, out);
  else if (isPlainObject(value)) {
    for (const [k, v] of Object.entries(value)) {
      out.push(k);
      stringsIn(v, out);
    }
  }
  return out;
}

function graphqlMentions(body: unknown, owner: string, repo: string): boolean {
  if (!isPlainObject(body)) return false;
  const values = stringsIn(body.variables).map((s) => s.toLowerCase());
  const o = owner.toLowerCase();
  const r = repo.toLowerCase();
  if (values.includes(`${o}/${r}`)) return true;
  if (values.includes(o) && values.includes(r)) return true;
  // Inlined literals: repository(owner: "o", name: "r")
  const text = typeof body.query === "string" ? body.query.toLowerCase() : "";
  return (text.includes(`"${o}"`) && text.includes(`"${r}"`)) || text.includes(`"${o}/${r}"`);
}

// ---------------------------------------------------------------------------------------------
// Small helpers shared by app tests
// ---------------------------------------------------------------------------------------------

interface WebhookDefinition {
  name: string;
  actions: string[];
  examples: Array<{ action?: string } & Record<string, unknown>>;
}

let webhookExamples: WebhookDefinition[] | undefined;

/**
 * A webhook payload checked against GitHub's own schema for it in @octokit/openapi (the REST
 * description's `x-webhooks` point at `components.schemas["webhook-<event>-<action>"]`), for events
 * that @octokit/webhooks-examples has no example of. Returns ajv's problems, empty when valid.
 */
export function validateWebhookPayload(schemaName: string, payload: unknown): string[] {
  const { ajv } = loadDescription();
  const validate = ajv.getSchema(`${DOC_ID}#/components/schemas/${schemaName}`);
  if (!validate) return [`no schema ${schemaName} in GitHub's description`];
  if (validate(payload)) return [];
  return (validate.errors ?? []).map((e) => `${e.instancePath || "/"} ${e.message ?? ""} ${JSON.stringify(e.params)}`);
}

/**
 * A deep clone of the first example payload GitHub documents for `event` (and `action`), from
 * @octokit/webhooks-examples; tests may mutate it freely.
 */
export function loadWebhookExample(event: string, action?: string): any {
  if (!webhookExamples) {
    const require = createRequire(import.meta.url);
    webhookExamples = JSON.parse(readFileSync(require.resolve("@octokit/webhooks-examples"), "utf8")) as WebhookDefinition[];
  }
  const def = webhookExamples.find((d) => d.name === event);
  if (!def) throw new Error(`no webhook examples for event "${event}"`);
  const example = def.examples.find((e) => action === undefined || e.action === action);
  if (!example) {
    const actions = [...new Set(def.examples.map((e) => e.action))].join(", ");
    throw new Error(`no "${event}" example with action "${action}" (examples exist for: ${actions})`);
  }
  return structuredClone(example);
}

/**
 * Interceptor for the installation-token exchange Probot performs before an installation's first
 * API call (Probot caches the token per Probot instance, so one per fresh instance).
 */
export function mockInstallationToken(scope: nock.Scope, installationId: number, token = "ghs_test_installation_token"): nock.Scope {
  return scope.post(`/app/installations/${installationId}/access_tokens`).reply(201, {
    token,
    expires_at: new Date(Date.now() + 3_600_000).toISOString(),
    permissions: { issues: "write", contents: "read", metadata: "read" },
    repository_selection: "all",
  });
}

let privateKey: string | undefined;

/** An RSA key Probot accepts as an app private key; generated once per process (it is slow). */
export function testPrivateKey(): string {
  privateKey ??= generateKeyPairSync("rsa", {
    modulusLength: 2048,
    privateKeyEncoding: { type: "pkcs1", format: "pem" },
    publicKeyEncoding: { type: "spki", format: "pem" },
  }).privateKey;
  return privateKey;
}
