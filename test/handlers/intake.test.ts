import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { CHECKLIST } from "../../src/checklist/checklist-items.js";
import { itemMarker, recordMarker } from "../../src/record/markers.js";
import type { ResponseRecord } from "../../src/record/response-record.js";
import {
  BOT,
  commentList,
  createTestProbot,
  mockCommentById,
  isResponse,
  labeledEvent,
  mockConfig,
  mockIdentity,
  mockNoOverrides,
  mockToken,
  openedEvent,
  recordOf,
  TEST_KEYS,
  type StoredComment,
} from "../helpers/app.js";
import { mockGitHub, type GitHubMock } from "../helpers/github-api.js";

let gh: GitHubMock;
beforeEach(() => {
  gh = mockGitHub();
});
afterEach(() => gh.done());

const ISSUE = "/repos/acme/security/issues/7";

/** Mocks a fresh private response: no comments yet, one created, labels added. */
function expectNewResponse(created: { body?: string }, labels: { labels?: string[] }) {
  gh.api.get(`${ISSUE}/comments`).query(true).reply(200, []);
  mockNoOverrides(gh, "acme", "security");
  gh.api.post(`${ISSUE}/comments`, (b) => ((created.body = b.body), true)).reply(201, { id: 555, body: "" });
  gh.api.post(`${ISSUE}/labels`, (b) => ((labels.labels = b.labels), true)).reply(200, []);
}

describe("a security label on a private issue", () => {
  it("posts one response comment with the status table, every checklist item and the record", async () => {
    const probot = createTestProbot();
    mockToken(gh);
    mockConfig(gh, "acme", "security", null);
    mockIdentity(gh);
    const created: { body?: string } = {};
    const labels: { labels?: string[] } = {};
    expectNewResponse(created, labels);

    await probot.receive(labeledEvent());

    const body = created.body!;
    expect(isResponse(body)).toBe(true);
    expect(body).toContain("| **State** | Triage |");
    expect(body).toContain("| **Severity** | _not rated yet_");
    expect(body).toContain("| **Reported** | 2026-11-20 |");
    for (const item of CHECKLIST) expect(body).toContain(itemMarker(item.id));
    expect(new Set(CHECKLIST.map((i) => i.source))).toEqual(new Set(["gov.uk", "cloudstack", "both"]));
    for (const phase of ["Intake", "Triage", "Fix", "Release", "Disclosure", "Follow-up"]) expect(body).toContain(`#### ${phase}`);
    expect(body).toMatch(/- \[x\] Report tracked in this private issue.*<!-- embargo:item intake\.tracked -->/);
    expect(body).toMatch(/- \[ \] Reproduced on a suitable environment/);
    const record = recordOf(body);
    expect(record.state).toBe("triage");
    expect(record.reported_at).toBe("2026-11-20");
    expect(labels.labels).toEqual(["security: triage"]);
  });

  it("also starts on issues.opened when the label is already set", async () => {
    const probot = createTestProbot();
    mockToken(gh);
    mockConfig(gh, "acme", "security", null);
    mockIdentity(gh);
    const created: { body?: string } = {};
    expectNewResponse(created, {});
    await probot.receive(openedEvent({ labels: ["security"] }));
    expect(isResponse(created.body!)).toBe(true);
  });

  it("does nothing for another label, and nothing for an issue opened without the label", async () => {
    const probot = createTestProbot();
    mockToken(gh);
    mockConfig(gh, "acme", "security", null);
    await probot.receive(labeledEvent({ label: "bug", labels: ["bug"] }));
    mockConfig(gh, "acme", "security", null);
    await probot.receive(openedEvent({ labels: [] }));
    expect(gh.requests.filter((r) => r.method !== "GET" && !r.path.startsWith("/app/"))).toEqual([]);
  });

  it("honours a configured label name", async () => {
    const probot = createTestProbot();
    mockToken(gh);
    mockConfig(gh, "acme", "security", "label: vuln-report\n");
    await probot.receive(labeledEvent({ label: "security" }));
    mockConfig(gh, "acme", "security", "label: vuln-report\n");
    mockIdentity(gh);
    const created: { body?: string } = {};
    expectNewResponse(created, {});
    await probot.receive(labeledEvent({ label: "vuln-report" }));
    expect(isResponse(created.body!)).toBe(true);
  });

  it("on redelivery, on opened + labeled, and on a label re-added, keeps exactly one response comment", async () => {
    const probot = createTestProbot();
    mockToken(gh);
    mockIdentity(gh);
    const stored: StoredComment[] = [];
    let creates = 0;
    let updates = 0;
    // Listed once; then the app reads the response it created by its id.
    gh.api
      .get(`${ISSUE}/comments`)
      .query(true)
      .reply(200, () => commentList(stored));
    mockCommentById(gh, () => stored, 555, { times: 3 });
    gh.api.post(`${ISSUE}/comments`).reply(201, (_uri, b: any) => {
      creates++;
      stored.push({ id: 555, body: b.body, user: { login: BOT, type: "Bot" } });
      return { id: 555, body: b.body };
    });
    gh.api
      .patch("/repos/acme/security/issues/comments/555")
      .optionally()
      .reply(200, (_uri, b: any) => {
        updates++;
        stored[0]!.body = b.body;
        return { id: 555 };
      });
    // A redelivered payload carries the labels of its time, so the state label is asked for again.
    gh.api.post(`${ISSUE}/labels`).times(2).reply(200, []);
    for (let i = 0; i < 4; i++) {
      mockConfig(gh, "acme", "security", null);
      mockNoOverrides(gh, "acme", "security");
    }
    const first = labeledEvent();
    await probot.receive(first);
    await probot.receive(first); // the same delivery again
    await probot.receive(openedEvent({ labels: ["security", "security: triage"] }));
    await probot.receive(labeledEvent({ labels: ["security", "security: triage"] }));
    expect(creates).toBe(1);
    expect(updates).toBe(0); // nothing changed, so nothing was written
    expect(stored.filter((c) => isResponse(c.body))).toHaveLength(1);
  });

  it("serialises two events for one issue handled at the same moment", async () => {
    const probot = createTestProbot();
    mockToken(gh);
    mockIdentity(gh);
    const stored: StoredComment[] = [];
    gh.api
      .get(`${ISSUE}/comments`)
      .query(true)
      .delay(20)
      .reply(200, () => commentList(stored));
    mockCommentById(gh, () => stored, 555);
    gh.api.post(`${ISSUE}/comments`).reply(201, (_uri, b: any) => {
      stored.push({ id: 555, body: b.body, user: { login: BOT, type: "Bot" } });
      return { id: 555 };
    });
    gh.api.post(`${ISSUE}/labels`).times(2).reply(200, []);
    for (let i = 0; i < 2; i++) {
      mockConfig(gh, "acme", "security", null);
      mockNoOverrides(gh, "acme", "security");
    }
    await Promise.all([probot.receive(openedEvent({ labels: ["security"] })), probot.receive(labeledEvent())]);
    expect(stored).toHaveLength(1);
  });

  it("keeps a box a person ticked by hand when it re-renders", async () => {
    const probot = createTestProbot();
    mockToken(gh);
    mockIdentity(gh);
    const stored: StoredComment[] = [];
    gh.api.get(`${ISSUE}/comments`).query(true).reply(200, () => commentList(stored));
    gh.api.post(`${ISSUE}/comments`).reply(201, (_uri, b: any) => {
      stored.push({ id: 555, body: b.body, user: { login: BOT, type: "Bot" } });
      return { id: 555 };
    });
    gh.api.post(`${ISSUE}/labels`).reply(200, []);
    mockConfig(gh, "acme", "security", null);
    mockNoOverrides(gh, "acme", "security");
    await probot.receive(labeledEvent());

    // A person ticks "breach" in the UI; then the label is removed and added again.
    stored[0]!.body = stored[0]!.body.replace(/- \[ \] (If a breach)/, "- [x] $1");
    let patched = "";
    mockCommentById(gh, () => stored, 555);
    gh.api.patch("/repos/acme/security/issues/comments/555", (b) => ((patched = b.body), true)).reply(200, { id: 555 });
    mockConfig(gh, "acme", "security", null);
    mockNoOverrides(gh, "acme", "security");
    await probot.receive(labeledEvent({ labels: ["security", "security: triage"] }));
    expect(patched).toMatch(/- \[x\] If a breach/);
    expect(recordOf(patched).ticks["intake.breach"]?.by).toBe("hand");
  });

  it("ignores a forged record in somebody else's comment", async () => {
    const probot = createTestProbot();
    mockToken(gh);
    mockIdentity(gh);
    mockConfig(gh, "acme", "security", null);
    mockNoOverrides(gh, "acme", "security");
    const forged = "<!-- embargo:response -->\n<!-- embargo:record:v1 eyJ2IjoxLCJzdGF0ZSI6ImFubm91bmNlZCJ9 -->";
    gh.api.get(`${ISSUE}/comments`).query(true).reply(200, commentList([{ id: 1, body: forged, user: { login: "mallory", type: "User" } }]));
    let body = "";
    gh.api.post(`${ISSUE}/comments`, (b) => ((body = b.body), true)).reply(201, { id: 555 });
    gh.api.post(`${ISSUE}/labels`).reply(200, []);
    await probot.receive(labeledEvent());
    expect(recordOf(body).state).toBe("triage");
  });
});

describe("triage rotation", () => {
  const CONFIG = "triage_rotation: [tri-a, tri-b, tri-c]\n";

  it("assigns the person after the previous response's triager", async () => {
    const probot = createTestProbot();
    mockToken(gh);
    mockIdentity(gh);
    mockConfig(gh, "acme", "security", CONFIG);
    mockNoOverrides(gh, "acme", "security");
    gh.api.get(`${ISSUE}/comments`).query(true).reply(200, []);
    gh.api
      .get("/repos/acme/security/issues")
      .query({ labels: "security", state: "all", sort: "created", direction: "desc", per_page: "6" })
      .reply(200, [{ number: 7 }, { number: 5 }]);
    const prev = "<!-- embargo:response -->\n" + recordMarker({ v: 1, state: "triage", triager: "tri-a", rotation_index: 0 } as ResponseRecord, TEST_KEYS, "acme/security#5");
    gh.api.get("/repos/acme/security/issues/5/comments").query(true).reply(200, commentList([{ id: 3, body: prev, user: { login: BOT, type: "Bot" } }]));
    gh.api.post(`${ISSUE}/assignees`, { assignees: ["tri-b"] }).reply(201, { number: 7, assignees: [{ login: "tri-b" }] });
    let body = "";
    gh.api.post(`${ISSUE}/comments`, (b) => ((body = b.body), true)).reply(201, { id: 555 });
    gh.api.post(`${ISSUE}/labels`).reply(200, []);
    await probot.receive(labeledEvent());
    expect(body).toContain("| **Owner** | @tri-b |");
    expect(recordOf(body).rotation_index).toBe(1);
    expect(body).toMatch(/- \[x\] Triager assigned/);
  });

  it("skips, and says so, a person GitHub will not assign", async () => {
    const probot = createTestProbot();
    mockToken(gh);
    mockIdentity(gh);
    mockConfig(gh, "acme", "security", CONFIG);
    mockNoOverrides(gh, "acme", "security");
    gh.api.get(`${ISSUE}/comments`).query(true).reply(200, []);
    gh.api.get("/repos/acme/security/issues").query(true).reply(200, [{ number: 7 }]);
    gh.api.post(`${ISSUE}/assignees`, { assignees: ["tri-a"] }).reply(201, { number: 7, assignees: [] });
    gh.api.post(`${ISSUE}/assignees`, { assignees: ["tri-b"] }).reply(201, { number: 7, assignees: [{ login: "tri-b" }] });
    let body = "";
    gh.api.post(`${ISSUE}/comments`, (b) => ((body = b.body), true)).reply(201, { id: 555 });
    gh.api.post(`${ISSUE}/labels`).reply(200, []);
    await probot.receive(labeledEvent());
    expect(body).toContain("| **Owner** | @tri-b |");
    expect(body).toContain("Skipped in the triage rotation because GitHub would not assign them (not a collaborator?): @\u200btri-a.");
  });
});

describe("configuration", () => {
  it("an invalid file gets one comment naming each bad key, and nothing else happens", async () => {
    const probot = createTestProbot();
    mockToken(gh);
    mockIdentity(gh);
    const yaml = "public_reports: shout\nembargo_days: { critical: 0 }\ntriage_rotation: ['not a login']\ncolour: red\n";
    mockConfig(gh, "acme", "security", yaml);
    gh.api.get(`${ISSUE}/comments`).query(true).reply(200, []);
    let body = "";
    gh.api.post(`${ISSUE}/comments`, (b) => ((body = b.body), true)).reply(201, { id: 1 });
    await probot.receive(labeledEvent());
    expect(body).toContain("embargo could not use its configuration");
    expect(body).toContain("`public_reports` must be one of: notice, transfer");
    expect(body).toContain("`embargo_days.critical` must be between 1 and 365");
    expect(body).toContain("`triage_rotation.0` must be a GitHub login");
    expect(body).toContain("`colour` is not a known key");
    expect(gh.requests.filter((r) => r.method !== "GET" && !r.path.startsWith("/app/"))).toHaveLength(1);
  });

  it("does not repeat the same problems on a redelivery", async () => {
    const probot = createTestProbot();
    mockToken(gh);
    mockIdentity(gh);
    mockConfig(gh, "acme", "security", "colour: red\n");
    const stored: StoredComment[] = [];
    gh.api.get(`${ISSUE}/comments`).query(true).times(2).reply(200, () => commentList(stored));
    gh.api.post(`${ISSUE}/comments`).reply(201, (_u, b: any) => (stored.push({ id: 1, body: b.body, user: { login: BOT, type: "Bot" } }), { id: 1 }));
    const event = labeledEvent();
    await probot.receive(event);
    mockConfig(gh, "acme", "security", "colour: red\n");
    await probot.receive(event);
    expect(stored).toHaveLength(1);
  });

  it("reports YAML that does not parse", async () => {
    const probot = createTestProbot();
    mockToken(gh);
    mockIdentity(gh);
    mockConfig(gh, "acme", "security", "label: [unclosed\n");
    gh.api.get(`${ISSUE}/comments`).query(true).reply(200, []);
    let body = "";
    gh.api.post(`${ISSUE}/comments`, (b) => ((body = b.body), true)).reply(201, { id: 1 });
    await probot.receive(labeledEvent());
    expect(body).toContain("the file could not be read");
    expect(body).toContain("invalid YAML");
  });
});
