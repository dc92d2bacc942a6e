import nock from "nock";
import { describe, expect, it } from "vitest";
import type { GitHubMock } from "../helpers/github-api.js";
import { AFTER_END, checkEachTest, readyRecord, SECURITY_CONFIG, SUMMARY, TITLE, world, type World } from "../announce/world.js";

let gh: GitHubMock;
let w: World | undefined;
checkEachTest(() => ({ gh, w }), (fresh) => ({ gh, w } = fresh));

const GHSA = "GHSA-r3pd-4q2w-9x8v";
const tied = () =>
  readyRecord({ ghsa: GHSA, advisory: { repo: "acme/widget", url: `https://github.com/acme/widget/security/advisories/${GHSA}` }, advisory_state: "draft" });

describe("a response opened from a private report, on /announce", () => {
  it("/announce fills in the reported advisory instead of creating another", async () => {
    w = await world(gh, { record: tied() });
    w.fake.advisories.push({ repo: "acme/widget", ghsa_id: GHSA, state: "draft", cve_id: null, published_at: null, summary: "reporter's words", description: "x" });
    await w.send("/announce");
    const writes = gh.requests.filter((r) => r.path.includes("/security-advisories"));
    expect(writes.filter((r) => r.method === "POST")).toEqual([]);
    expect(writes.filter((r) => r.method === "PATCH").map((r) => r.path)).toEqual([`/repos/acme/widget/security-advisories/${GHSA}`]);
    expect(w.fake.advisories).toHaveLength(1);
    expect(w.fake.advisories[0]!.summary).toBe(SUMMARY);
    expect(w.record.ghsa).toBe(GHSA);
  });
});

describe("the announced notification", () => {
  it("is sent once when /announce publish announces, with nothing secret in it", async () => {
    const sent: string[] = [];
    nock("https://hooks.slack.com").post("/services/T1/B1/x", (b) => (sent.push(JSON.stringify(b)), true)).reply(200, "ok");
    const yaml = `${SECURITY_CONFIG}notify: { slack_webhook_env: SECURITY_HOOK }\n`;
    w = await world(gh, { record: tied(), yaml, env: { SECURITY_HOOK: "https://hooks.slack.com/services/T1/B1/x" } });
    w.fake.advisories.push({ repo: "acme/widget", ghsa_id: GHSA, state: "draft", cve_id: null, published_at: null });
    await w.send("/announce publish", { now: AFTER_END });
    expect(w.record.state).toBe("announced");
    expect(sent).toHaveLength(1);
    expect(JSON.parse(sent[0]!).text).toBe("<https://github.com/acme/security/issues/7|acme/security#7> was announced: the advisory is published");
    for (const secret of [TITLE, SUMMARY, GHSA, "widget", "CWE-22"]) expect(sent[0]!.toLowerCase()).not.toContain(secret.toLowerCase());
    expect(w.record.notified).toEqual(["announced"]);
  });
});
