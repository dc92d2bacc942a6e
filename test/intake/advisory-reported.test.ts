import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { BOT, commentList, createTestProbot, mockConfig, mockIdentity, mockNoOverrides, mockToken, NOW, openedEvent, recordOf } from "../helpers/app.js";
import { DASHBOARD_LABEL } from "../../src/github/dashboard-issue.js";
import { mockGitHub, validateWebhookPayload, type GitHubMock } from "../helpers/github-api.js";
import { fakeSecurityIssue, ISSUE, sendCommand, triageRecord } from "../helpers/security-issue.js";
import { reportedEvent } from "./advisory-payload.js";
import { ranOf } from "../../src/record/ran.js";
import { intakeMarker, type Report } from "../../src/github/advisory-intake.js";
import { fittedBody } from "../../src/handlers/intake-body.js";

let gh: GitHubMock;
beforeEach(() => {
  gh = mockGitHub();
});
afterEach(() => gh.done());

const GHSA = "GHSA-abcd-1234-wxyz";
const SECURITY_CONFIG = "components:\n  upload: { repo: acme/product }\n";
const PRODUCT_CONFIG = "security_repo: acme/security\n";

function mockSecurityRepo(isPrivate = true) {
  gh.api.get("/repos/acme/security").reply(200, { id: 1, name: "security", full_name: "acme/security", private: isPrivate, visibility: isPrivate ? "private" : "public" });
}

/** The issues the app could have opened already: listed since the report was made. */
function mockIssueList(issues: object[]) {
  gh.api.get("/repos/acme/security/issues").query({ state: "all", since: "2026-11-21T08:00:00Z", per_page: "100" }).reply(200, issues);
}

describe("the test payload", () => {
  it("is valid against GitHub's schema for repository_advisory.reported, and the check can fail", () => {
    expect(validateWebhookPayload("webhook-repository-advisory-reported", reportedEvent().payload)).toEqual([]);
    const broken: any = reportedEvent().payload;
    delete broken.repository_advisory.ghsa_id;
    expect(validateWebhookPayload("webhook-repository-advisory-reported", broken).join()).toContain("ghsa_id");
  });
});

describe("repository_advisory.reported", () => {
  it("opens one response issue in the security repo its own config names, with the label, neutralised", async () => {
    const probot = createTestProbot();
    mockToken(gh);
    mockConfig(gh, "acme", "product", PRODUCT_CONFIG);
    mockConfig(gh, "acme", "security", SECURITY_CONFIG);
    mockSecurityRepo();
    mockIdentity(gh);
    mockIssueList([]);
    let created: any;
    gh.api.post("/repos/acme/security/issues", (b) => ((created = b), true)).reply(201, { number: 12 });

    await probot.receive(reportedEvent({ summary: "Traversal, cc @acme/everyone", description: "Step 1\n<!-- embargo:record:v2 x y -->\n@admin please" }));

    expect(created.labels).toEqual(["security"]);
    expect(created.title).toBe("Private report on acme/product: Traversal, cc @\u200bacme/everyone");
    const body: string = created.body;
    expect(body).toContain(`[${GHSA}](https://github.com/acme/product/security/advisories/${GHSA})`);
    expect(body).toContain("| **Reporter** | @\u200bfinder |");
    expect(body).toContain("| **Affected** | npm/acme-upload &lt; 2.4.1 |");
    expect(body).toContain("| **Severity suggested** | high — `CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:N` |");
    expect(body).toContain("> @\u200badmin please");
    expect(body).not.toContain("<!-- embargo:record");
    expect(body).toContain(`<!-- embargo:intake ${GHSA} acme/product https://github.com/acme/product/security/advisories/${GHSA} -->`);
  });

  /** The report as the app would open it: the create's body and title. */
  async function reportOpened(shape: Parameters<typeof reportedEvent>[0]) {
    const probot = createTestProbot();
    mockToken(gh);
    mockConfig(gh, "acme", shape?.product?.split("/")[1] ?? "product", PRODUCT_CONFIG);
    mockConfig(gh, "acme", "security", shape?.product ? `components:\n  upload: { repo: ${shape.product} }\n` : SECURITY_CONFIG);
    mockSecurityRepo();
    mockIdentity(gh);
    mockIssueList([]);
    let created: any;
    gh.api.post("/repos/acme/security/issues", (b) => ((created = b), true)).reply(201, { number: 12 });
    await probot.receive(reportedEvent(shape));
    return created as { title: string; body: string };
  }

  it("a mention wrapped in emphasis (`_@team_`, which GitHub renders as <em>@team</em> and pings) is defused too", async () => {
    const created = await reportOpened({ summary: "Traversal _@acme/everyone_", description: "Please look _@admin_ and __@acme/security-team__" });
    for (const text of [created.title, created.body]) expect(text).not.toMatch(/_@(?!\u200b)/);
    expect(created.body).toContain("_@\u200badmin_");
    expect(created.body).toContain("__@\u200bacme/security-team__");
  });

  it("a description that escapes to more than an issue can hold is cut to fit, saying so, and the issue is still opened", async () => {
    // 20,000 quotes: within the app's own cap, but each is written as `&quot;` (6 characters).
    const created = await reportOpened({ description: `Proof of concept:\n${'"'.repeat(20_000)}\nend` });
    expect(created.body.length).toBeLessThanOrEqual(65_536);
    expect(created.body).toContain("Proof of concept:");
    expect(created.body).toContain("Cut here to fit in an issue: the whole description is on the advisory.");
    expect(created.body).toContain(`<!-- embargo:intake ${GHSA} acme/product `);
  });

  it("a report whose package list alone would pass GitHub's limit still opens its issue: the list is cut, saying so, and the description is kept", async () => {
    // A reporter can list thousands of packages; 3,000 of ~90 characters escape to about 330,000.
    const vulnerabilities = Array.from({ length: 3_000 }, (_, i) => ({
      package: { ecosystem: "npm", name: `@acme/plugin-${String(i).padStart(4, "0")}-${"x".repeat(40)}` },
      vulnerable_version_range: '>= "1.0.0", < "2.4.1"',
      patched_versions: null,
      vulnerable_functions: [],
    }));
    const event = reportedEvent({ vulnerabilities });
    expect(validateWebhookPayload("webhook-repository-advisory-reported", event.payload)).toEqual([]);
    const created = await reportOpened({ vulnerabilities });
    expect(created.body.length).toBeLessThanOrEqual(65_536);
    const affected = created.body.split("\n").find((l) => l.startsWith("| **Affected** |"))!;
    // The scope's "@" gets its zero-width space like any other text of the reporter's.
    expect(affected.startsWith(`| **Affected** | npm/@\u200bacme/plugin-0000-${"x".repeat(40)} &gt;&#x3D; &quot;1.0.0&quot;, &lt; &quot;2.4.1&quot;<br>npm/@\u200bacme/plugin-0001-`)).toBe(true);
    const shown = affected.split("<br>").filter((p) => p.includes("acme/plugin-")).length;
    expect(shown).toBeGreaterThan(0);
    expect(affected).toContain(`<br>_and ${3_000 - shown} more_ |`);
    expect(created.body).toContain(`_Cut here to fit in an issue: the affected packages. The whole report is on the [advisory](https://github.com/acme/product/security/advisories/${GHSA})._`);
    expect(created.body).toContain("> Uploading a file named ../../x writes outside the upload directory.");
    expect(created.body).not.toContain("the whole description is on the advisory");
    expect(created.body).toContain(`<!-- embargo:intake ${GHSA} acme/product `);
  });

  it("every other field of the reporter's is bounded too: huge CWE names and summary with a huge description still fit, each cut said", async () => {
    const cwes = Array.from({ length: 500 }, (_, i) => ({ cwe_id: `CWE-${i + 1}`, name: `"${"&".repeat(2_000)}"` }));
    const created = await reportOpened({ cwes, summary: '"'.repeat(5_000), description: '"'.repeat(20_000) });
    expect(created.body.length).toBeLessThanOrEqual(65_536);
    expect(created.title.length).toBeLessThanOrEqual(256);
    expect(created.body).toMatch(/_Cut here to fit in an issue: the summary, the CWEs\. The whole report is on the \[advisory\]/);
    expect(created.body).toMatch(/\| \*\*CWE suggested\*\* \| CWE-1: &quot;(&amp;)+…, CWE-2: .* _and \d+ more_ \|/);
    expect(created.body).toContain(`<!-- embargo:intake ${GHSA} acme/product `);
  });

  it("a CWE name with &, <, > or quotes shows once escaped (readable as GitHub renders it), and still cannot ping, break the table or open markup", async () => {
    const created = await reportOpened({
      cwes: [
        { cwe_id: "CWE-89", name: "Improper Neutralization of Special Elements used in an SQL Command ('SQL Injection')" },
        { cwe_id: "CWE-1236", name: 'Formulas & "<img src=x onerror=alert(1)>" | cc @acme/everyone <!-- embargo:x -->' },
      ],
      description: "See <b>this</b> & <!-- that -->",
    });
    expect(created.body).toContain(
      "| **CWE suggested** | CWE-89: Improper Neutralization of Special Elements used in an SQL Command (&#x27;SQL Injection&#x27;), " +
        "CWE-1236: Formulas &amp; &quot;&lt;img src&#x3D;x onerror&#x3D;alert(1)&gt;&quot; \\| cc @\u200bacme/everyone &lt;\u200b!-- embargo:x --&gt; |",
    );
    expect(created.body).toContain("> See &lt;b&gt;this&lt;/b&gt; &amp; &lt;\u200b!-- that --&gt;");
    // Escaped twice, GitHub would show the entity itself ("&amp;") instead of the character.
    expect(created.body).not.toMatch(/&amp;(?:amp|lt|gt|quot|#x27|#x3D);/);
  });

  it("a report whose other fields leave no room for any of its description says the description was cut (it is not dropped without a word)", async () => {
    // 63 packages of ~1,010 characters and a summary of 200: without its description the loosest level fits, with under 100 characters to spare.
    const vulnerabilities = Array.from({ length: 63 }, (_, i) => ({
      package: { ecosystem: "npm", name: `${String(i).padStart(2, "0")}${"x".repeat(1_000)}` },
      vulnerable_version_range: "< 2.4.1",
      patched_versions: null,
      vulnerable_functions: [],
    }));
    const created = await reportOpened({ vulnerabilities, summary: "S".repeat(200) });
    expect(created.body.length).toBeLessThanOrEqual(65_536);
    // Either some of it is shown (in its block, which says when it is cut), or a line says it was left out.
    const shown = created.body.includes("> Uploading a file named");
    const said = /_Cut here to fit in an issue: [^\n]*the description\. The whole report is on the \[advisory\]/.test(created.body);
    expect(shown || said).toBe(true);
    expect(created.body).toContain(`<!-- embargo:intake ${GHSA} acme/product `);
  });

  it("a lone carriage return (a line ending to Markdown, like \\n) cannot take the reporter's text out of its table cell or quote to start a block of its own", async () => {
    const created = await reportOpened({
      summary: "Traversal\r# Injected summary",
      vulnerabilities: [{ package: { ecosystem: "npm", name: "acme-upload\r# Injected package" }, vulnerable_version_range: "< 2.4.1", patched_versions: null, vulnerable_functions: [] }],
      cwes: [{ cwe_id: "CWE-22", name: "Path Traversal\r```" }],
      cvss: "CVSS:3.1/AV:N\r# Injected vector",
      description: "Line one\r# Injected description\r\nLine two",
    });
    // Lines as CommonMark (and GitHub) splits them: \r\n, \r or \n.
    const lines = created.body.split(/\r\n|\r|\n/);
    const reporters = lines.filter((l) => /Injected|Path Traversal/.test(l));
    expect(reporters.length).toBe(5);
    for (const line of reporters) expect(line).toMatch(/^(\| \*\*(Summary|Affected|Severity suggested|CWE suggested)\*\* \| .* \||> .*)$/);
    expect(lines.some((l) => l.startsWith("```"))).toBe(false);
  });

  it("a `|` in the reporter's CVSS vector stays inside its code span and does not split the severity row", async () => {
    const created = await reportOpened({ cvss: "CVSS:3.1/AV:N|AC:L" });
    const row = created.body.split("\n").find((l) => l.startsWith("| **Severity suggested** |"))!;
    // GFM splits a row at every `|` not escaped with a backslash, code spans included.
    expect(row.split(/(?<!\\)\|/).length).toBe(4);
    expect(row).toBe("| **Severity suggested** | high — `CVSS:3.1/AV:N\\|AC:L` |");
  });

  it("a long repository name and summary still make a title GitHub accepts (at most 256 characters)", async () => {
    const product = `acme/${"p".repeat(100)}`;
    const created = await reportOpened({ product, summary: "S".repeat(1000) });
    expect(created.title.length).toBeLessThanOrEqual(256);
    expect(created.title).toMatch(new RegExp(`^Private report on ${product}: S+`));
  });

  it("a title cut inside an emoji keeps no half of it (a lone surrogate is not valid UTF-8 on the wire)", async () => {
    const created = await reportOpened({ summary: `${"S".repeat(179)}\u{1F525} and more` });
    expect((created.title as string & { isWellFormed(): boolean }).isWellFormed()).toBe(true);
    expect(created.title).toBe(`Private report on acme/product: ${"S".repeat(179)}`);
  });

  it("redelivered: finds its issue by the marker and opens no second one", async () => {
    const probot = createTestProbot();
    mockToken(gh);
    mockConfig(gh, "acme", "product", PRODUCT_CONFIG);
    mockConfig(gh, "acme", "security", SECURITY_CONFIG);
    mockSecurityRepo();
    mockIdentity(gh);
    const marker = `<!-- embargo:intake ${GHSA} acme/product https://github.com/acme/product/security/advisories/${GHSA} -->`;
    mockIssueList([
      { number: 11, body: marker, user: { login: "mallory" } },
      { number: 12, body: `text\n\n${marker}`, user: { login: BOT } },
    ]);
    await probot.receive(reportedEvent());
    expect(gh.requests.filter((r) => r.method === "POST" && !r.path.startsWith("/app/"))).toEqual([]);
  });

  it("a security repo whose own config does not name the product repo gets nothing (public: not even a note)", async () => {
    const probot = createTestProbot(NOW, { dashboard: true });
    mockToken(gh);
    mockConfig(gh, "acme", "product", "security_repo: acme/security\n");
    mockConfig(gh, "acme", "security", "components:\n  upload: { repo: acme/other }\n");
    mockSecurityRepo(false);
    await probot.receive(reportedEvent());
    expect(gh.requests.filter((r) => r.method !== "GET" && !r.path.startsWith("/app/"))).toEqual([]);
  });

  it("a private security repo whose own config does not name the product repo opens nothing, and its dashboard says so once, without the report", async () => {
    const probot = createTestProbot(NOW, { dashboard: true });
    const dashboard = { id: 3, node_id: "I_3", number: 3, title: "Security response dashboard", body: "<!-- embargo:dashboard -->", state: "open", user: { login: BOT, id: 1, type: "Bot" }, labels: [{ name: DASHBOARD_LABEL }], html_url: "https://github.com/acme/security/issues/3" };
    const writes: string[] = [];
    const deliver = async () => {
      mockNoOverrides(gh, "acme", "security");
      mockConfig(gh, "acme", "product", "security_repo: acme/security\n");
      gh.api.get(`/repos/acme/security/contents/${encodeURIComponent(".github/embargo.yml")}`).times(2).reply(200, "components:\n  upload: { repo: acme/other }\n", { "content-type": "text/plain; charset=utf-8" });
      mockSecurityRepo();
      gh.api.get("/repos/acme/security/issues").query((q) => q.labels === DASHBOARD_LABEL).reply(200, () => [dashboard]);
      await probot.receive(reportedEvent({ summary: "Traversal in uploads" }));
    };
    mockToken(gh);
    mockIdentity(gh);
    gh.api.patch("/repos/acme/security/issues/3", (b) => (writes.push(b.body), (dashboard.body = b.body), true)).reply(200, () => dashboard);
    await deliver();
    expect(gh.requests.filter((r) => r.method === "POST" && !r.path.startsWith("/app/"))).toEqual([]);
    expect(writes).toHaveLength(1);
    expect(writes[0]).toContain(
      "A private vulnerability report on `acme/product` was sent to this repository (2026-11-22), but `acme/security's own config does not name acme/product as a component's repo`: no response was opened. If `acme/product` is yours, add it as a component's `repo` in `.github/embargo.yml`; the next tick opens its reports still in triage.",
    );
    expect(writes[0]).not.toContain(GHSA);
    expect(writes[0]).not.toContain("Traversal");

    await deliver();
    expect(writes).toHaveLength(1);
  });

  it("reports from two repos the security repo does not name, taking turns on one day, write its dashboard once per repo", async () => {
    const probot = createTestProbot(NOW, { dashboard: true });
    const dashboard = { id: 3, node_id: "I_3", number: 3, title: "Security response dashboard", body: "<!-- embargo:dashboard -->", state: "open", user: { login: BOT, id: 1, type: "Bot" }, labels: [{ name: DASHBOARD_LABEL }], html_url: "https://github.com/acme/security/issues/3" };
    const writes: string[] = [];
    const deliver = async (product: string, ghsa: string) => {
      mockNoOverrides(gh, "acme", "security");
      mockConfig(gh, "acme", product.split("/")[1]!, "security_repo: acme/security\n");
      gh.api.get(`/repos/acme/security/contents/${encodeURIComponent(".github/embargo.yml")}`).times(2).reply(200, "components:\n  upload: { repo: acme/other }\n", { "content-type": "text/plain; charset=utf-8" });
      mockSecurityRepo();
      gh.api.get("/repos/acme/security/issues").query((q) => q.labels === DASHBOARD_LABEL).reply(200, () => [dashboard]);
      await probot.receive(reportedEvent({ product, ghsa }));
    };
    mockToken(gh);
    mockIdentity(gh);
    gh.api.patch("/repos/acme/security/issues/3", (b) => (writes.push(b.body), (dashboard.body = b.body), true)).times(2).reply(200, () => dashboard);
    await deliver("acme/product", "GHSA-aaaa-1111-wxyz");
    await deliver("acme/spare", "GHSA-bbbb-2222-wxyz");
    expect(writes).toHaveLength(2);
    // A second report from a repo noted today changes nothing on the dashboard: no edit, no reordering.
    await deliver("acme/product", "GHSA-cccc-3333-wxyz");
    await deliver("acme/spare", "GHSA-dddd-4444-wxyz");
    expect(writes).toHaveLength(2);
  });

  it("a security repo that is not private gets nothing", async () => {
    const probot = createTestProbot();
    mockToken(gh);
    mockConfig(gh, "acme", "product", PRODUCT_CONFIG);
    mockConfig(gh, "acme", "security", SECURITY_CONFIG);
    mockSecurityRepo(false);
    await probot.receive(reportedEvent());
    expect(gh.requests.filter((r) => r.method === "POST" && !r.path.startsWith("/app/"))).toEqual([]);
  });
});

describe("fitting a huge report", () => {
  it("reads each of tens of thousands of packages, and the description, once however many tries the fit takes (read on every try, 30,000 packages held the app for seconds)", async () => {
    const url = `https://github.com/acme/product/security/advisories/${GHSA}`;
    let packageReads = 0;
    let descriptionReads = 0;
    // The first 100 packages (the most any level shows) nearly fill the issue, so the description is fitted over many tries.
    const vulnerabilities = Array.from({ length: 30_000 }, (_, i) => {
      const entry = { vulnerable_version_range: "" } as { package: { ecosystem: string; name: string }; vulnerable_version_range: string };
      const pkg = { ecosystem: "npm", name: `${String(i).padStart(6, "0")}${"x".repeat(630)}` };
      Object.defineProperty(entry, "package", { get: () => (packageReads++, pkg), enumerable: true });
      return entry;
    });
    const report = { ghsa_id: GHSA, html_url: url, state: "triage", summary: "S", severity: "high", created_at: null, cvss: null, cwes: [], vulnerabilities } as unknown as Report;
    Object.defineProperty(report, "description", { get: () => (descriptionReads++, `@admin ${"a".repeat(20_000)}`), enumerable: true });
    const body = await fittedBody(report, "acme/product", intakeMarker(GHSA, "acme/product", url));
    expect(body.length).toBeLessThanOrEqual(65_536);
    expect(body).toContain("_and 29900 more_");
    // Its package's ecosystem and name are read once: three reads of `package` an entry, not three on each try.
    expect(packageReads).toBeLessThanOrEqual(3 * 30_000);
    expect(descriptionReads).toBeLessThanOrEqual(1);
  });
});

describe("the response opened from a report is tied to its advisory", () => {
  const marker = `<!-- embargo:intake ${GHSA} acme/product https://github.com/acme/product/security/advisories/${GHSA} -->`;

  async function openFrom(author: string) {
    const probot = createTestProbot();
    mockToken(gh);
    mockConfig(gh, "acme", "security", SECURITY_CONFIG);
    mockIdentity(gh);
    gh.api.get(`${ISSUE}/comments`).query(true).reply(200, commentList([]));
    mockNoOverrides(gh, "acme", "security");
    let body = "";
    gh.api.post(`${ISSUE}/comments`, (b) => ((body = b.body), true)).reply(201, { id: 555 });
    gh.api.post(`${ISSUE}/labels`).reply(200, []);
    await probot.receive(openedEvent({ labels: ["security"], author, body: `report\n\n${marker}` }));
    return recordOf(body);
  }

  it("the app's own issue: GHSA id, advisory repo and link recorded, shown in the response", async () => {
    const record = await openFrom(BOT);
    expect(record.ghsa).toBe(GHSA);
    expect(record.advisory).toEqual({ repo: "acme/product", url: `https://github.com/acme/product/security/advisories/${GHSA}` });
    expect(record.advisory_state).toBe("triage");
  });

  it("a person's issue carrying the same marker is not tied to anything", async () => {
    const record = await openFrom("mallory");
    expect(record.ghsa).toBeUndefined();
    expect(record.advisory).toBeUndefined();
  });

  const tied = () => triageRecord({ ghsa: GHSA, advisory: { repo: "acme/product", url: `https://github.com/acme/product/security/advisories/${GHSA}` }, advisory_state: "triage" });
  const ADVISORY = `/repos/acme/product/security-advisories/${GHSA}`;

  it("/triage confirm accepts the report: the advisory becomes a draft", async () => {
    const f = await fakeSecurityIssue(gh, { yaml: SECURITY_CONFIG, record: tied() });
    let patched: any;
    gh.api.patch(ADVISORY, (b) => ((patched = b), true)).reply(200, { ghsa_id: GHSA, state: "draft" });
    await sendCommand(gh, f, "/triage confirm", { followUp: true });
    expect(patched).toEqual({ state: "draft" });
    expect(f.record).toMatchObject({ state: "confirmed", advisory_state: "draft", ghsa: GHSA });
    expect(f.response).toContain(`| **Advisory** | [${GHSA}]`);
  });

  it.each([["invalid", "not_planned"], ["no-action", "completed"]])("/triage %s closes the advisory", async (command, reason) => {
    const f = await fakeSecurityIssue(gh, { yaml: SECURITY_CONFIG, record: tied() });
    let patched: any;
    gh.api.patch(ADVISORY, (b) => ((patched = b), true)).reply(200, { ghsa_id: GHSA, state: "closed" });
    await sendCommand(gh, f, `/triage ${command} Works as designed.`, { followUp: true });
    expect(patched).toEqual({ state: "closed" });
    expect(f.closed).toEqual([`closed ${reason}`]);
    expect(f.record.advisory_state).toBe("closed");
  });

  it("GitHub refusing the state change is answered, and the line can be run again", async () => {
    const f = await fakeSecurityIssue(gh, { yaml: SECURITY_CONFIG, record: tied() });
    gh.api.patch(ADVISORY).reply(403, { message: "Resource not accessible by integration" });
    await sendCommand(gh, f, "/triage confirm", { followUp: true });
    expect(f.replies.at(-1)).toContain("GitHub refused to set");
    expect(f.record.advisory_state).toBe("triage");
    expect(ranOf(f.record.ran).get("9001") ?? []).toEqual([]);
  });

  it("a response not opened from a report touches no advisory", async () => {
    const f = await fakeSecurityIssue(gh, { yaml: SECURITY_CONFIG });
    await sendCommand(gh, f, "/triage confirm");
    expect(gh.requests.some((r) => r.path.includes("security-advisories"))).toBe(false);
  });
});
