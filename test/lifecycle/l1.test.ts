/**
 * Lifecycle L1 without faults: the reference end state the fault tests compare against, and what
 * a security team expects to see after it (issue 14).
 */
import { afterEach, expect, it } from "vitest";
import { PACK_MARKER } from "../../src/announce/pack.js";
import type { GitHubMock } from "../helpers/github-api.js";
import { BOT_LOGIN } from "../sweep/fake-json.js";
import { INSTALLATION_ID, recordOf } from "../helpers/app.js";
import { endState } from "./end-state.js";
import { AFTER_END, FIX_PR, ISSUE, l1World, PRODUCT, runL1, SECURITY, SUMMARY, TITLE, REPORT } from "./lifecycle-l1.js";

let gh: GitHubMock | undefined;
afterEach(() => gh?.done());

it("L1 runs from the label to a published advisory, a changelog PR, a closed issue and a process review", async () => {
  const w = l1World();
  gh = w.gh;
  const { steps, state } = await runL1(w);
  expect(w.fake.unknown).toEqual([]);
  expect(steps.map((s) => s.name)).toEqual([
    "label security",
    "/triage confirm",
    "/triage cvss",
    "/triage component",
    "/triage affects",
    "/triage fixed",
    "/triage cwe",
    "/triage summary",
    "/triage credit",
    "fix PR opened",
    "/triage pr",
    "fix PR pushed",
    "fix PR approved",
    "fix PR merged",
    "/announce",
    "/announce publish",
  ]);
  for (const s of steps) {
    expect(s.deliveries, s.name).toBe(1);
    expect(s.requests.length, s.name).toBeGreaterThan(0);
    expect(s.requests.every((r) => typeof r.status === "number" && r.status < 500 && !r.fault), s.name).toBe(true);
  }
  expect(steps.at(-1)!.requests.map((r) => r.operation)).toContain("security-advisories/update-repository-advisory");

  expect(state.record).toMatchObject({
    state: "announced",
    severity: "critical",
    summary: SUMMARY,
    components: ["api"],
    cwes: ["CWE-89"],
    patched: ["main"],
    prs: [{ repo: PRODUCT, number: FIX_PR, state: "merged", review: "approved" }],
  });
  expect(state.record!.embargo_end! <= AFTER_END.toISOString().slice(0, 10)).toBe(true);
  expect(state.advisories).toHaveLength(1);
  expect(state.advisories[0]).toMatchObject({ repo: PRODUCT, state: "published", ghsa_id: state.record!.ghsa, cwe_ids: ["CWE-89"], summary: SUMMARY });
  const security = state.issues.find((i) => i.key === `${SECURITY}#${ISSUE}`)!;
  expect(security).toMatchObject({ state: "closed", state_reason: "completed" });
  expect(state.labels[`${SECURITY}#${ISSUE}`]).toEqual(["security", "security: announced", "severity: critical"]);
  expect(state.issues.filter((i) => i.title.startsWith("Process review"))).toHaveLength(1);
  const created = state.pulls.filter((p) => p.head_ref.startsWith("embargo/disclosure-"));
  expect(created).toHaveLength(1);
  expect(state.pulls.find((p) => p.key === `${PRODUCT}#${FIX_PR}`)).toMatchObject({ state: "closed", merged: true, requested_reviewers: ["owner1", "sec1"] });
  const gate = state.checkRuns.filter((r) => r.repo === PRODUCT);
  expect(gate.at(-1)).toMatchObject({ conclusion: "success" });
  const changes = Object.entries(state.files).find(([k]) => k.includes("embargo/disclosure-") && k.endsWith("CHANGES.md"))!;
  expect(changes[1]).toContain(state.record!.ghsa);

  // Every version of the response the app wrote (created, then edited in place) counts one write more than the last.
  const written = w.gh.requests.flatMap((r) => {
    const body = (r.body as { body?: unknown } | undefined)?.body;
    return r.method !== "GET" && typeof body === "string" && body.includes("<!-- embargo:response -->") ? [recordOf(body, `${SECURITY}#${ISSUE}`, w.fake.repo(SECURITY).id).seq] : [];
  });
  expect(written.length).toBeGreaterThan(10);
  expect(written).toEqual(written.map((_seq, i) => i + 1));

  const bot = state.comments[`${SECURITY}#${ISSUE}`]!.filter((c) => c.startsWith(`${BOT_LOGIN}: `));
  expect(bot.filter((c) => c.includes("<!-- embargo:response -->"))).toHaveLength(1);
  expect(bot.filter((c) => c.includes(PACK_MARKER))).toHaveLength(1);
  expect(bot.filter((c) => c.includes("### Un-embargo steps"))).toHaveLength(1);
  // Nothing the app wrote on the public product repo before publishing names the vulnerability.
  const publishAt = w.gh.requests.findIndex((r) => (r.body as { state?: string } | undefined)?.state === "published");
  const toPublic = w.gh.requests.slice(0, publishAt).filter((r) => w.gh.requestsTo("acme", "product").includes(r) && !r.path.includes("/security-advisories"));
  expect(toPublic.length).toBeGreaterThan(0);
  expect(w.gh.leaks([SUMMARY, TITLE, REPORT], toPublic)).toEqual([]);
});

it("GitHub's repository_advisory.published that follows the app's own publish only reads, and changes nothing", async () => {
  const w = l1World();
  gh = w.gh;
  const { state } = await runL1(w);
  const [ghsa, advisory] = [...w.fake.repo(PRODUCT).advisories.entries()][0]!;
  const repo = w.fake.repo(PRODUCT);
  const payload = {
    action: "published",
    repository_advisory: { ...advisory, ghsa_id: ghsa },
    repository: { id: repo.id, node_id: `R_${repo.id}`, name: repo.name, full_name: PRODUCT, private: false, owner: { login: repo.owner, type: "Organization" }, html_url: `https://github.com/${PRODUCT}` },
    installation: { id: INSTALLATION_ID, node_id: "x" },
    sender: { login: "alice", type: "User" },
  };
  const from = w.fake.mark();
  expect(await w.deliver({ id: "advisory-published", name: "repository_advisory", payload })).toBeUndefined();
  expect(w.fake.log.slice(from).filter((r) => r.method !== "GET")).toEqual([]);
  expect(endState(w.fake)).toEqual(state);
});
