import { describe, expect, it } from "vitest";
import { PACK_MARKER } from "../../src/announce/pack.js";
import { KeyRing } from "../../src/security/key-ring.js";
import { mockGitHub, type GitHubMock } from "../helpers/github-api.js";
import { SECURITY_REPO_ID } from "../helpers/app.js";
import { checkEachTest, readyRecord, SUMMARY, world, type World } from "./world.js";

let gh: GitHubMock;
let w: World | undefined;
checkEachTest(() => ({ gh, w }), (fresh) => ({ gh, w } = fresh));

const advisoryWrites = () => gh.requests.filter((r) => r.path.includes("/security-advisories") && r.method !== "GET");
const packs = () => w!.replies().filter((b) => b.includes(PACK_MARKER));

describe("/announce draft", () => {
  it("creates the draft advisory with the record's fields, records it, posts the pack, mentions the release managers once", async () => {
    w = await world(gh);
    await w.send("/announce");
    const [create] = advisoryWrites();
    expect(create).toMatchObject({ method: "POST", path: "/repos/acme/widget/security-advisories" });
    expect(create!.body).toMatchObject({
      summary: SUMMARY,
      cvss_vector_string: "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:N",
      severity: null,
      cwe_ids: ["CWE-22"],
      vulnerabilities: [{ package: { ecosystem: "npm", name: "widget" }, vulnerable_version_range: ">= 1.0.0, < 1.3.1", patched_versions: "1.3.1" }],
      credits: [{ login: "reporter", type: "finder" }],
    });
    expect((create!.body as { description: string }).description).toContain("joins user-supplied file names");
    const ghsa = w.fake.advisories[0]!.ghsa_id as string;
    expect(w.record).toMatchObject({ ghsa, advisory: { repo: "acme/widget", url: `https://github.com/acme/widget/security/advisories/${ghsa}` } });
    expect(w.record.ticks["disclosure.announcement"]).toBeDefined();
    const reply = w.replies().find((b) => b.includes("Draft advisory"))!;
    expect(reply).toContain(`Draft advisory ${ghsa} created on acme/widget`);
    expect(reply).toContain("@rm-alice");
    expect(packs()).toHaveLength(1);
    for (const title of ["Mail to the dev list", "Mail to the users list", "Security alerts page entry", "Full-disclosure", "Pre-notification for distributors", "CVE JSON 5 record", "OSV record"]) {
      expect(packs()[0]).toContain(`<summary>${title}`);
    }
    expect(packs()[0]).toContain(`"id": "${ghsa}"`);
    expect(packs()[0]).toContain("Not generated yet; it needs a CVE id");
    expect(packs()[0]).toContain("Hello widget users,");
  });

  it("updates the same advisory and the same pack when run again, without mentioning anyone again", async () => {
    w = await world(gh);
    await w.send("/announce");
    await w.send("/triage summary Path traversal in upload");
    await w.send("/announce draft");
    expect(advisoryWrites().map((r) => r.method)).toEqual(["POST", "PATCH"]);
    expect(w.fake.advisories).toHaveLength(1);
    expect(w.fake.advisories[0]!.summary).toBe("Path traversal in upload");
    expect(packs()).toHaveLength(1);
    expect(packs()[0]).toContain("Path traversal in upload");
    const second = w.replies().filter((b) => b.includes("Draft advisory"))[1]!;
    expect(second).toContain("updated");
    expect(second).not.toContain("@rm-alice");
  });

  it("names the fields it overwrote when the draft was edited on GitHub", async () => {
    w = await world(gh);
    await w.send("/announce");
    w.fake.advisories[0]!.summary = "Edited by hand";
    w.fake.advisories[0]!.cwe_ids = ["CWE-23"];
    await w.send("/announce");
    expect(w.replies().at(-1)).toContain("these fields were overwritten from this response: summary, cwe_ids");
    expect(w.fake.advisories[0]!.summary).toBe(SUMMARY);
  });

  it("finds its draft again when GitHub's answer to the create was lost, instead of making a second one", async () => {
    w = await world(gh);
    const marker = new KeyRing("test-link-secret").sign("advisory", "acme/security#7");
    w.fake.advisories.push({ repo: "acme/widget", ghsa_id: "GHSA-lost-4q2w-9x8v", state: "draft", summary: SUMMARY, description: `old text\n\n<!-- embargo:advisory ${marker} -->` });
    w.fake.advisories.push({ repo: "acme/widget", ghsa_id: "GHSA-othr-4q2w-9x8v", state: "draft", summary: SUMMARY, description: "made by hand, same summary" });
    await w.send("/announce");
    expect(advisoryWrites().map((r) => `${r.method} ${r.path}`)).toEqual(["PATCH /repos/acme/widget/security-advisories/GHSA-lost-4q2w-9x8v"]);
    expect(w.record.ghsa).toBe("GHSA-lost-4q2w-9x8v");
  });

  it("finds its lost draft by a marker bound to the security repository's id, and one signed under a name the repository had before", async () => {
    w = await world(gh, { record: { ...readyRecord(), former_names: ["acme/sec-old"] } });
    const keys = new KeyRing("test-link-secret");
    const draft = (ghsa: string, signedOver: string) =>
      w!.fake.advisories.push({ repo: "acme/widget", ghsa_id: ghsa, state: "draft", summary: SUMMARY, description: `old text\n\n<!-- embargo:advisory ${keys.sign("advisory", signedOver)} -->` });
    draft("GHSA-byid-4q2w-9x8v", `repo:${SECURITY_REPO_ID}#7`);
    await w.send("/announce");
    expect(advisoryWrites().map((r) => `${r.method} ${r.path}`)).toEqual(["PATCH /repos/acme/widget/security-advisories/GHSA-byid-4q2w-9x8v"]);
    // What the app writes is bound to the id: a rename of the security repository keeps it.
    expect(w.fake.advisories[0]!.description).toContain(`<!-- embargo:advisory ${keys.sign("advisory", `repo:${SECURITY_REPO_ID}#7`)} -->`);

    expect(w.fake.unknown).toEqual([]);
    gh.done();
    w = await world((gh = mockGitHub()), { record: { ...readyRecord(), former_names: ["acme/sec-old"] } });
    draft("GHSA-name-4q2w-9x8v", "acme/sec-old#7");
    await w.send("/announce");
    expect(w.record.ghsa).toBe("GHSA-name-4q2w-9x8v");
    expect(w.fake.advisories).toHaveLength(1);
  });

  it("shows GitHub's message on a 4xx and records nothing", async () => {
    w = await world(gh);
    w.fake.failOnce("POST", /security-advisories$/, 422);
    await w.send("/announce");
    expect(w.replies().join("\n")).toContain("GitHub refused the advisory on acme/widget (422): Server Error");
    expect(w.record.ghsa).toBeUndefined();
    expect(w.fake.advisories).toHaveLength(0);
  });

  it("without a product repo: no GitHub advisory, the pack carries the advisory text, the reply says why", async () => {
    w = await world(gh, { yaml: "components:\n  core: {}\n" });
    await w.send("/announce");
    expect(advisoryWrites()).toEqual([]);
    expect(w.replies().join("\n")).toContain("No component of this response (core) has a `repo` in `.github/embargo.yml`, so there is no GitHub advisory to draft.");
    expect(packs()[0]).toContain("Advisory text (summary, then description)");
    expect(packs()[0]).toContain("joins user-supplied file names");
  });

  it("refuses people outside the security team, changing nothing", async () => {
    w = await world(gh);
    await w.send("/announce", { sender: "mallory" });
    expect(advisoryWrites()).toEqual([]);
    expect(w.replies()).toEqual([expect.stringContaining("@mallory only people with the admin or maintain role")]);
  });

  it("says what is missing before a draft can be made, and writes nothing", async () => {
    w = await world(gh, { record: readyRecord({ state: "triage", summary: undefined }) });
    await w.send("/announce");
    await w.send("/announce draft now");
    expect(advisoryWrites()).toEqual([]);
    const text = w.replies().join("\n");
    expect(text).toContain("the response is not confirmed yet (`/triage confirm`)");
    expect(text).toContain("it has no summary (`/triage summary");
    expect(text).toContain("`/announce draft` takes no arguments");
  });
});

describe("/announce cve", () => {
  it("asks GitHub for a CVE for the draft; a later /announce records the id GitHub assigned", async () => {
    w = await world(gh);
    await w.send("/announce");
    await w.send("/announce cve");
    const ghsa = w.record.ghsa!;
    expect(w.fake.cveRequests).toEqual([ghsa]);
    expect(w.replies().join("\n")).toContain(`Asked GitHub to assign a CVE to ${ghsa}. GitHub reviews the request`);
    w.fake.advisories[0]!.cve_id = "CVE-2026-4242";
    await w.send("/announce");
    expect(w.record.cve).toBe("CVE-2026-4242");
    expect(w.replies().filter((b) => b.includes("GitHub assigned CVE-2026-4242; it is recorded."))).toHaveLength(1);
    expect(packs()[0]).toContain('"cveId": "CVE-2026-4242"');
  });

  it("a CVE id on the draft the team did not ask GitHub for (set by someone with access to the draft) is named, not recorded", async () => {
    w = await world(gh);
    await w.send("/announce");
    // A collaborator on the draft (the reporter of a private report is one) edits its metadata.
    w.fake.advisories[0]!.cve_id = "CVE-2026-6666";
    await w.send("/announce");
    expect(w.record.cve).toBeUndefined();
    expect(w.replies().join("\n")).not.toContain("GitHub assigned CVE-2026-6666");
    const told = w.replies().filter((b) => b.includes("The draft carries CVE-2026-6666, which the app did not ask GitHub for"));
    expect(told).toHaveLength(1);
    expect(told[0]).toContain("record it with `/triage cve CVE-2026-6666`");
    expect(packs().at(-1)).not.toContain("CVE-2026-6666");
    expect(w.fake.advisories[0]!.cve_id).toBe("CVE-2026-6666");
  });

  it("is refused without a draft, or when the response has a CVE already", async () => {
    w = await world(gh);
    await w.send("/announce cve");
    await w.send("/announce cve please");
    await w.send("/triage cve CVE-2026-1234");
    await w.send("/announce cve");
    expect(w.fake.cveRequests).toEqual([]);
    const text = w.replies().join("\n");
    expect(text).toContain("there is no draft advisory yet: run `/announce` first");
    expect(text).toContain("this response already has CVE-2026-1234");
    expect(text).toContain("`/announce cve` takes no arguments");
  });

  it("refuses non-members", async () => {
    w = await world(gh, { record: readyRecord({ ghsa: "GHSA-abcd-4q2w-9x8v" }) });
    await w.send("/announce cve", { sender: "mallory" });
    expect(w.fake.cveRequests).toEqual([]);
  });
});

describe("the status table", () => {
  it("shows the GHSA id and link once the draft exists", async () => {
    w = await world(gh);
    await w.send("/announce");
    const response = w.fake.comments.find((c) => c.id === 555)!.body;
    const ghsa = w.record.ghsa!;
    expect(response).toContain(`| **Advisory** | [${ghsa}](https://github.com/acme/widget/security/advisories/${ghsa}) (draft) |`);
  });
});

describe("the pack's exports", () => {
  it("carry the advisory text unescaped and valid JSON", async () => {
    w = await world(gh);
    await w.send("/announce");
    const pack = w.replies().find((b) => b.includes(PACK_MARKER))!;
    const osv = JSON.parse(/<summary>OSV record<\/summary>\n\n`{3,}json\n([\s\S]*?)\n`{3,}/.exec(pack)![1]!);
    expect(osv.details).toContain("- npm `widget` >= 1.0.0, < 1.3.1 (fixed in 1.3.1)");
    expect(osv.affected[0].ranges[0]).toEqual({ type: "SEMVER", events: [{ introduced: "1.0.0" }, { fixed: "1.3.1" }] });
  });
});
