import nock from "nock";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { BOT, createTestProbot, mockConfig, mockIdentity, mockToken, NOW } from "../helpers/app.js";
import { mockGitHub, type GitHubMock } from "../helpers/github-api.js";
import { reportedEvent } from "../intake/advisory-payload.js";
import { MemoryStore } from "../../src/store/memory-store.js";
import { CONFIG, tickWorld, type World } from "./tick-world.js";

let gh: GitHubMock;
beforeEach(() => {
  gh = mockGitHub();
});
afterEach(() => {
  const problems = gh.requests.filter((r) => !r.matched || r.errors.length);
  nock.cleanAll();
  expect(problems).toEqual([]);
});

const GHSA = "GHSA-abcd-1234-wxyz";
const MARKER = `<!-- embargo:intake ${GHSA} acme/product https://github.com/acme/product/security/advisories/${GHSA} -->`;
const WITH_PRODUCT = `${CONFIG}components:\n  upload: { repo: acme/product }\n  cli: { repo: Acme/Product }\n`;
const CONFIG_PATH = `/contents/${encodeURIComponent(".github/embargo.yml")}`;
/** The report as GitHub lists it among the product repo's advisories (the payload's advisory is that same object). */
const listed = () => reportedEvent().payload.repository_advisory;

/** acme/product, reporting to acme/security (or as `productYaml` says), with `reports` in triage. */
async function world(reports: object[], productYaml = "security_repo: acme/security\n", record = {}): Promise<World> {
  const w = await tickWorld(gh, NOW, record, WITH_PRODUCT);
  const api = gh.api.persist();
  api.get(`/repos/acme/product${CONFIG_PATH}`).reply(200, productYaml, { "content-type": "text/plain; charset=utf-8" });
  api.get("/repos/acme/product/security-advisories").query({ state: "triage", per_page: "100" }).reply(200, reports);
  api.get("/repos/acme/security").reply(200, { id: 1, name: "security", full_name: "acme/security", private: true, visibility: "private" });
  return w;
}

const intakes = (w: World) => w.opened.filter((o) => o.body.includes("<!-- embargo:intake "));
const advisoryLists = () => gh.requests.filter((r) => r.path === "/repos/acme/product/security-advisories");

describe("the tick catches up a report whose webhook was missed", () => {
  it("a report whose delivery failed (502 on the create) is opened by the next tick, once", async () => {
    // The delivery: GitHub answers 502 to each of the three creates (and shows no issue between them).
    const probot = createTestProbot();
    mockToken(gh);
    mockConfig(gh, "acme", "product", "security_repo: acme/security\n");
    mockConfig(gh, "acme", "security", WITH_PRODUCT);
    gh.api.get("/repos/acme/security").reply(200, { id: 1, name: "security", full_name: "acme/security", private: true, visibility: "private" });
    mockIdentity(gh);
    gh.api.get("/repos/acme/security/issues").query({ state: "all", since: "2026-11-21T08:00:00Z", per_page: "100" }).times(3).reply(200, []);
    gh.api.post("/repos/acme/security/issues").times(3).reply(502, { message: "Bad Gateway" });
    await expect(probot.receive(reportedEvent())).rejects.toThrow();
    expect(gh.requests.filter((r) => r.method === "POST" && r.path === "/repos/acme/security/issues")).toHaveLength(3);
    expect(gh.requests.filter((r) => !r.matched || r.errors.length)).toEqual([]);

    gh = mockGitHub();
    const w = await world([listed()]);
    await w.tick();
    expect(intakes(w)).toHaveLength(1);
    expect(intakes(w)[0]!.title).toBe("Private report on acme/product: Path traversal in upload handler");
    expect(intakes(w)[0]!.body).toContain(MARKER);
    expect(intakes(w)[0]!.body).toContain("| **Reporter** | @\u200bfinder |");
    const created = gh.requests.find((r) => r.method === "POST" && r.path === "/repos/acme/security/issues" && (r.body as { body: string }).body.includes(MARKER));
    expect((created!.body as { labels: string[] }).labels).toEqual(["security"]);
    // One list call for the repo two components name.
    expect(advisoryLists()).toHaveLength(1);

    await w.tick();
    expect(intakes(w)).toHaveLength(1);
  });

  it("a report whose package list alone passes GitHub's 65,536 characters is opened by the tick, cut to fit (not refused on every tick)", async () => {
    const vulnerabilities = Array.from({ length: 3_000 }, (_, i) => ({ package: { ecosystem: "npm", name: `acme-plugin-${i}-${"x".repeat(40)}` }, vulnerable_version_range: "< 2.4.1", patched_versions: null, vulnerable_functions: [] }));
    const w = await world([reportedEvent({ vulnerabilities }).payload.repository_advisory]);
    await w.tick();
    expect(intakes(w)).toHaveLength(1);
    const body = intakes(w)[0]!.body;
    expect(body.length).toBeLessThanOrEqual(65_536);
    expect(body).toMatch(/<br>_and \d+ more_ \|/);
    expect(body).toContain("_Cut here to fit in an issue: the affected packages. The whole report is on the [advisory]");
    expect(body).toContain(MARKER);
  });

  it("a report whose intake issue the webhook opened and the team then transferred out of the security repo gets no second one from the tick", async () => {
    const store = new MemoryStore();
    const probot = createTestProbot(NOW, { store });
    mockToken(gh);
    mockConfig(gh, "acme", "product", "security_repo: acme/security\n");
    mockConfig(gh, "acme", "security", WITH_PRODUCT);
    gh.api.get("/repos/acme/security").reply(200, { id: 1, name: "security", full_name: "acme/security", private: true, visibility: "private" });
    mockIdentity(gh);
    gh.api.get("/repos/acme/security/issues").query({ state: "all", since: "2026-11-21T08:00:00Z", per_page: "100" }).reply(200, []);
    gh.api.post("/repos/acme/security/issues").reply(201, { number: 90 });
    await probot.receive(reportedEvent());
    expect(gh.requests.filter((r) => !r.matched || r.errors.length)).toEqual([]);

    // Moved to another repository (GitHub lists it there now): the report itself stays in triage.
    gh = mockGitHub();
    const w = await tickWorld(gh, NOW, {}, WITH_PRODUCT, true, undefined, true, store);
    const api = gh.api.persist();
    api.get(`/repos/acme/product${CONFIG_PATH}`).reply(200, "security_repo: acme/security\n", { "content-type": "text/plain; charset=utf-8" });
    api.get("/repos/acme/product/security-advisories").query({ state: "triage", per_page: "100" }).reply(200, [listed()]);
    api.get("/repos/acme/security").reply(200, { id: 1, name: "security", full_name: "acme/security", private: true, visibility: "private" });
    await w.tick();
    expect(intakes(w)).toEqual([]);
  });

  it("a report that already has its intake issue opens nothing", async () => {
    const w = await world([listed()]);
    w.opened.push({ number: 90, title: "Private report on acme/product: x", body: `text\n\n${MARKER}`, updated_at: "2026-11-21T08:05:00Z" });
    await w.tick();
    expect(w.opened.map((o) => o.number)).toEqual([90]);
  });

  it("a report whose intake issue was closed (the report left in triage) is looked for once, not by every tick", async () => {
    const w = await world([listed()]);
    w.opened.push({ number: 90, title: "Private report on acme/product: x", body: `text\n\n${MARKER}`, updated_at: "2026-11-21T08:05:00Z" });
    await w.tick();
    const before = gh.requests.length;
    await w.tick();
    await w.tick();
    const later = gh.requests.slice(before);
    expect(w.opened.map((o) => o.number)).toEqual([90]);
    // Each later tick lists the reports, and reads neither the configs nor the security repo's issues for this one.
    expect(later.filter((r) => r.path.startsWith("/repos/acme/product")).map((r) => r.path)).toEqual(["/repos/acme/product/security-advisories", "/repos/acme/product/security-advisories"]);
    expect(later.filter((r) => r.path === "/repos/acme/security/issues" && r.query?.since === "2026-11-21T08:00:00Z")).toEqual([]);
  });

  it("a report an open response's record names already costs no call beyond the list, and opens nothing", async () => {
    const w = await world([listed()], "security_repo: acme/security\n", { ghsa: GHSA });
    await w.tick();
    expect(intakes(w)).toEqual([]);
    expect(gh.requests.filter((r) => r.path.startsWith("/repos/acme/product") && r.path !== "/repos/acme/product/security-advisories")).toEqual([]);
  });

  it("a product repo whose config does not name this security repo back opens nothing, and the dashboard says its reports wait, without naming them", async () => {
    const w = await world([listed()], "team: acme/product-team\n");
    await w.tick();
    expect(advisoryLists()).toHaveLength(1);
    expect(intakes(w)).toEqual([]);
    const body = w.dashboard!.body;
    expect(body).toContain("Private vulnerability reports on `acme/product` wait in triage with no response here: `acme/product names no security_repo`. Fix that config; the next tick opens them.");
    expect(body).not.toContain(GHSA);
    expect(body).not.toContain(listed().summary);
  });

  it("that note goes once the product repo names this security repo: the tick opens the report", async () => {
    const w = await world([listed()], "team: acme/product-team\n");
    await w.tick();
    expect(w.dashboard!.body).toContain("wait in triage with no response here");
    nock.cleanAll();
    gh = mockGitHub();
    const next = await world([listed()]);
    next.dashboard = w.dashboard;
    await next.tick();
    expect(intakes(next)).toHaveLength(1);
    expect(next.dashboard!.body).not.toContain("wait in triage with no response here");
  });

  it("a product repo the app cannot read is skipped: the rest of the tick runs and does not fail", async () => {
    const w = await tickWorld(gh, NOW, {}, WITH_PRODUCT);
    gh.api.persist().get("/repos/acme/product/security-advisories").query(true).reply(404, { message: "Not Found" });
    const report = await w.tick();
    expect(report.failed).toEqual([]);
    expect(w.dashboard?.body).toContain("Security response dashboard");
    expect(intakes(w)).toEqual([]);
  });
});
