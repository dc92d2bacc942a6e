import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { runDoctor } from "../../src/cli/doctor.js";
import { main } from "../../src/cli/main.js";
import { INSTALLATION_ID, mockConfig } from "../helpers/app.js";
import { GHES_API, GHES_HOST, mockGitHub, mockInstallationToken, testPrivateKey, type GitHubMock } from "../helpers/github-api.js";

let gh: GitHubMock;
beforeEach(() => {
  gh = mockGitHub();
});
afterEach(() => gh.done());

const creds = () => ({ appId: "1", privateKey: testPrivateKey(), baseUrl: "https://api.github.com" });
const PERMISSIONS = { metadata: "read", issues: "write", checks: "write", members: "read" };
const APP = { id: 1, slug: "embargo", html_url: "https://github.com/apps/embargo", permissions: PERMISSIONS };
const INSTALLATION = { id: INSTALLATION_ID, html_url: "https://github.com/organizations/acme/settings/installations/42", permissions: PERMISSIONS };

async function doctor(target = "acme/security") {
  const lines: string[] = [];
  const code = await runDoctor(target, creds(), { out: (l) => lines.push(l) });
  return { code, lines };
}

const CONFIG = `team: acme/security-team
supported_branches: [main, "4.19"]
components:
  api: { repo: acme/product, owners: [api-owner] }
`;

function mockSecurityRepo(config: string | null = CONFIG, installation: object = INSTALLATION) {
  gh.api.get("/app").reply(200, APP);
  gh.api.get("/repos/acme/security/installation").reply(200, installation);
  mockInstallationToken(gh.api, INSTALLATION_ID);
  gh.api.get("/repos/acme/security").reply(200, { private: true, visibility: "private", default_branch: "main" });
  mockConfig(gh, "acme", "security", config);
}

const statusRule = (context: string, integration_id?: number) => ({
  type: "required_status_checks",
  ruleset_source_type: "Repository",
  ruleset_source: "acme/product",
  ruleset_id: 9,
  parameters: { strict_required_status_checks_policy: false, required_status_checks: [{ context, ...(integration_id ? { integration_id } : {}) }] },
});

describe("embargo doctor", () => {
  it("passes a sound installation, one line per check", async () => {
    mockSecurityRepo();
    gh.api.get("/orgs/acme/teams/security-team").reply(200, { slug: "security-team" });
    gh.api.get("/orgs/acme/teams/security-team/members").query({ per_page: "1" }).reply(200, [{ login: "alice" }]);
    gh.api.get("/repos/acme/security/labels/security").reply(200, { name: "security" });
    gh.api.get("/repos/acme/product/installation").reply(200, { id: INSTALLATION_ID });
    mockConfig(gh, "acme", "product", null);
    gh.api.get("/repos/acme/product/branches/main").reply(200, { name: "main", protected: false });
    gh.api.get("/repos/acme/product/rules/branches/main").query({ per_page: "100" }).reply(200, [statusRule("review gate", 1)]);
    gh.api.get("/repos/acme/product/branches/4.19").reply(200, {
      name: "4.19",
      protected: true,
      protection: { enabled: true, required_status_checks: { enforcement_level: "everyone", contexts: ["review gate"], checks: [{ context: "review gate", app_id: 1 }] } },
    });
    gh.api.get("/repos/acme/product/rules/branches/4.19").query({ per_page: "100" }).reply(200, []);

    const { code, lines } = await doctor();

    expect(lines).toEqual([
      "PASS  the app embargo is installed on acme/security",
      "PASS  the installation has every permission the app asks for",
      "PASS  acme/security is private",
      "PASS  .github/embargo.yml is valid",
      "PASS  the team `acme/security-team` exists and the app can read its members",
      "PASS  the label `security` exists on acme/security",
      "PASS  the app is installed on acme/product",
      "PASS  `review gate` is required on acme/product@main (ruleset), from embargo only",
      "PASS  `review gate` is required on acme/product@4.19 (branch protection), from embargo only",
      "All checks passed.",
    ]);
    expect(code).toBe(0);
  });

  it("fails each broken part with its fix", async () => {
    mockSecurityRepo();
    gh.api.get("/orgs/acme/teams/security-team").reply(404, { message: "Not Found" });
    gh.api.get("/repos/acme/security/labels/security").reply(404, { message: "Not Found" });
    gh.api.get("/repos/acme/product/installation").reply(200, { id: 77 });
    mockInstallationToken(gh.api, 77);
    mockConfig(gh, "acme", "product", "security_repo: acme/security\n");
    gh.api.get("/repos/acme/product/branches/main").reply(200, { name: "main", protected: false });
    gh.api.get("/repos/acme/product/rules/branches/main").query({ per_page: "100" }).reply(200, [statusRule("review gate")]);
    gh.api.get("/repos/acme/product/branches/4.19").reply(404, { message: "Branch not found" });

    const { code, lines } = await doctor();

    expect(code).toBe(1);
    const text = lines.join("\n");
    expect(text).toContain("FAIL  the team `acme/security-team` (config `team`) does not exist or cannot be seen (HTTP 404)\n      fix: create the team in acme, fix `team`, or accept the app's members:read permission");
    expect(text).toContain("FAIL  the label `security` does not exist on acme/security: nobody can apply it to open a response\n      fix: create it (Issues → Labels → New label) named exactly `security`");
    expect(text).toContain("WARN  `review gate` is required on acme/product@main (ruleset), but from any source");
    expect(text).toContain("      fix: pick embargo as the check's source in the rule");
    expect(text).toContain("FAIL  acme/product has no branch `4.19` (config `supported_branches`)\n      fix: fix `supported_branches`, or create the branch");
    expect(lines.at(-1)).toBe("3 check(s) failed.");
  });

  it("fails a gate that is not required, a team whose members it cannot read, and a component repo without the app", async () => {
    mockSecurityRepo(`team: acme/security-team
components:
  api: { repo: acme/product }
  web: { repo: other-org/web }
`);
    gh.api.get("/orgs/acme/teams/security-team").reply(200, { slug: "security-team" });
    gh.api.get("/orgs/acme/teams/security-team/members").query({ per_page: "1" }).reply(403, { message: "Resource not accessible by integration" });
    gh.api.get("/repos/acme/security/labels/security").reply(200, { name: "security" });
    gh.api.get("/repos/acme/product/installation").reply(200, { id: INSTALLATION_ID });
    gh.api.get("/repos/acme/product").reply(200, { private: false, visibility: "public", default_branch: "trunk" });
    mockConfig(gh, "acme", "product", "security_repo: acme/security\n");
    gh.api.get("/repos/acme/product/branches/trunk").reply(200, { name: "trunk", protected: false });
    gh.api.get("/repos/acme/product/rules/branches/trunk").query({ per_page: "100" }).reply(200, [statusRule("ci")]);
    gh.api.get("/repos/other-org/web/installation").reply(404, { message: "Not Found" });

    const { code, lines } = await doctor();

    expect(code).toBe(1);
    expect(lines).toContain("FAIL  the app cannot read the members of `acme/security-team` (HTTP 403): every command would be refused");
    expect(lines).toContain("FAIL  the check `review gate` is not required on acme/product@trunk: a fix PR can merge before the security team approves");
    expect(lines).toContain('      fix: add a ruleset (Settings → Rules → Rulesets) or a branch protection rule on `trunk` with "Require status checks to pass": `review gate`, source: embargo; then `npm run embargo -- backfill acme/product` gives the PRs already open their passing run');
    expect(lines).toContain("FAIL  the app is not installed on other-org/web: fix PRs there get no gate and cannot be linked");
    expect(lines).toContain("      fix: install it on other-org/web: https://github.com/apps/embargo/installations/new");
  });

  /** acme/security with acme/product as its one component, the team and label sound: what `checkGate` says of acme/product. */
  async function gateLines(productYaml: string | null, branches: { main: object; rules?: object[] }) {
    mockSecurityRepo("team: acme/security-team\ncomponents:\n  api: { repo: acme/product }\nsupported_branches: [main]\n");
    gh.api.get("/orgs/acme/teams/security-team").reply(200, { slug: "security-team" });
    gh.api.get("/orgs/acme/teams/security-team/members").query({ per_page: "1" }).reply(200, [{ login: "alice" }]);
    gh.api.get("/repos/acme/security/labels/security").reply(200, { name: "security" });
    gh.api.get("/repos/acme/product/installation").reply(200, { id: INSTALLATION_ID });
    mockConfig(gh, "acme", "product", productYaml);
    gh.api.get("/repos/acme/product/branches/main").reply(200, { name: "main", ...branches.main });
    gh.api.get("/repos/acme/product/rules/branches/main").query({ per_page: "100" }).reply(200, branches.rules ?? []);
    const { code, lines } = await doctor();
    return { code, lines: lines.slice(lines.indexOf("PASS  the app is installed on acme/product") + 1) };
  }

  it("fails a required gate on a product repo whose config turns off the passing run of unlinked PRs: every ordinary PR would wait for good", async () => {
    const { code, lines } = await gateLines("security_repo: acme/security\npublic_pr:\n  gate_every_pr: false\n", { main: { protected: false }, rules: [statusRule("review gate", 1)] });
    expect(code).toBe(1);
    expect(lines).toEqual([
      "PASS  `review gate` is required on acme/product@main (ruleset), from embargo only",
      "FAIL  `review gate` is required on acme/product (main) but `public_pr.gate_every_pr` is false on acme/product: every PR no response is linked to gets no run of the gate and waits for it for good",
      "      fix: remove `public_pr.gate_every_pr: false` from acme/product's .github/embargo.yml (or its owner's), then run `npm run embargo -- backfill acme/product` so the PRs already open get their passing run",
      "1 check(s) failed.",
    ]);
  });

  it("checks the gate under the product repo's own name for it, and says nothing of `gate_every_pr` where the gate is not required", async () => {
    const { lines } = await gateLines("security_repo: acme/security\npublic_pr:\n  check_name: fix gate\n  gate_every_pr: false\n", { main: { protected: false }, rules: [statusRule("review gate", 1)] });
    expect(lines).toEqual([
      "FAIL  the check `fix gate` is not required on acme/product@main: a fix PR can merge before the security team approves",
      '      fix: first remove `public_pr.gate_every_pr: false` from acme/product\'s .github/embargo.yml (or its owner\'s), then add a ruleset (Settings → Rules → Rulesets) or a branch protection rule on `main` with "Require status checks to pass": `fix gate`, source: embargo; then `npm run embargo -- backfill acme/product` gives the PRs already open their passing run',
      "1 check(s) failed.",
    ]);
  });

  it("a classic protection rule whose summary shows its status checks off (a rule for reviews only) does not require the gate: FAIL, not a guess", async () => {
    // GitHub's branch summary, readable without the administration permission, of a rule that requires no status check.
    const reviewsOnly = { protected: true, protection: { enabled: true, required_status_checks: { enforcement_level: "off", contexts: [], checks: [] } } };
    const { code, lines } = await gateLines(null, { main: reviewsOnly });
    expect(code).toBe(1);
    expect(lines).toEqual([
      "FAIL  the check `review gate` is not required on acme/product@main: a fix PR can merge before the security team approves",
      '      fix: add a ruleset (Settings → Rules → Rulesets) or a branch protection rule on `main` with "Require status checks to pass": `review gate`, source: embargo; then `npm run embargo -- backfill acme/product` gives the PRs already open their passing run',
      "1 check(s) failed.",
    ]);
  });

  it("says when it cannot tell whether a classic protection rule requires the gate (its status checks left out of the summary), and warns of `gate_every_pr: false` there", async () => {
    // A branch summary that says the branch is protected and leaves out the rule's settings.
    const stub = { protected: true, protection: { enabled: true } };
    const { code, lines } = await gateLines("security_repo: acme/security\npublic_pr:\n  gate_every_pr: false\n", { main: stub });
    expect(code).toBe(0);
    expect(lines).toEqual([
      "WARN  could not tell whether `review gate` is required on acme/product@main: a branch protection rule protects it, and GitHub shows the app none of its status checks (their settings need the administration permission, which the app does not ask for)",
      '      fix: look in acme/product\'s Settings → Branches, or require the check with a ruleset (rulesets are readable): first remove `public_pr.gate_every_pr: false` from acme/product\'s .github/embargo.yml (or its owner\'s), then add a ruleset (Settings → Rules → Rulesets) or a branch protection rule on `main` with "Require status checks to pass": `review gate`, source: embargo; then `npm run embargo -- backfill acme/product` gives the PRs already open their passing run',
      "WARN  `public_pr.gate_every_pr` is false on acme/product: if `review gate` is required on acme/product (main), every PR no response is linked to waits for it for good",
      "      fix: if it is required there, remove `public_pr.gate_every_pr: false` from acme/product's .github/embargo.yml (or its owner's), then run `npm run embargo -- backfill acme/product` so the PRs already open get their passing run",
      "All checks passed.",
    ]);
  });

  it("a branch a ruleset protects (no classic rule needed for `protected`) and that does not require the gate: not required, no guess", async () => {
    const { lines } = await gateLines(null, { main: { protected: true }, rules: [statusRule("ci", 1)] });
    expect(lines[0]).toBe("FAIL  the check `review gate` is not required on acme/product@main: a fix PR can merge before the security team approves");
  });

  it("a product repo whose config is broken: said, and its gate checked under the defaults, as the app judges its PRs", async () => {
    const { lines } = await gateLines("public_pr:\n  check_name: ''\n", { main: { protected: false }, rules: [statusRule("review gate", 1)] });
    expect(lines[0]).toMatch(/^FAIL {2}acme\/product's \.github\/embargo\.yml: .*check_name.*: its fix PRs' gate says "Configuration needs a fix" and blocks$/);
    expect(lines.slice(2)).toEqual(["PASS  `review gate` is required on acme/product@main (ruleset), from embargo only", "1 check(s) failed."]);
  });

  it("reports an invalid config line by line and stops there; and permissions an owner has not accepted", async () => {
    mockSecurityRepo("team: not a team\nlabel: security\nsupported_branch: [main]\n", { ...INSTALLATION, permissions: { metadata: "read", issues: "write", checks: "read" } });
    const { code, lines } = await doctor();
    expect(code).toBe(1);
    expect(lines).toContain('FAIL  .github/embargo.yml: `team` must be a team as "org/team-slug"');
    expect(lines.filter((l) => l.startsWith("FAIL  .github/embargo.yml: `supported_branch` is not a known key"))).toHaveLength(1);
    expect(lines).toContain("      fix: edit .github/embargo.yml on the default branch (every key is in the README)");
    expect(lines).toContain("FAIL  the installation on acme has not accepted: checks: write, members: read");
    expect(lines).toContain("      fix: an owner of acme accepts the app's new permissions: https://github.com/organizations/acme/settings/installations/42");
  });

  it("reads the config as the app does: a list from `_extends` is replaced by the repository's, not joined to it", async () => {
    // The org's file and the repo's both name rm-alice; joined, the list would name her twice and be refused.
    mockSecurityRepo("_extends: .github\nrelease_managers: [rm-alice]\nlabel: vuln\n");
    mockConfig(gh, "acme", ".github", "release_managers: [rm-alice, rm-bob]\nteam: not a team\nlabel: security\n");
    const { lines } = await doctor();
    expect(lines).toContain('FAIL  .github/embargo.yml: `team` must be a team as "org/team-slug"');
    expect(lines.filter((l) => l.includes("release_managers"))).toEqual([]);
  });

  it("names the install link when the app is not on the security repo, and checks nothing else", async () => {
    gh.api.get("/app").reply(200, APP);
    gh.api.get("/repos/acme/security/installation").reply(404, { message: "Not Found" });
    const { code, lines } = await doctor();
    expect(code).toBe(1);
    expect(lines).toEqual(["FAIL  the app embargo is not installed on acme/security", "      fix: install it: https://github.com/apps/embargo/installations/new", "1 check(s) failed."]);
  });

  it("says how to call it and what credentials it needs", async () => {
    const out: string[] = [];
    const err: string[] = [];
    const io = { env: {}, out: (t: string) => out.push(t), err: (t: string) => err.push(t) };
    expect(await main(["doctor", "acme/security"], io)).toBe(2);
    expect(err).toEqual(["embargo doctor needs the app's credentials: set APP_ID and PRIVATE_KEY or PRIVATE_KEY_PATH (in the environment or .env, as for `npm start`)"]);
    expect((await doctor("security")).lines).toEqual(["usage: embargo doctor <owner/security-repo>"]);
    expect(gh.requests).toEqual([]);
  });
});

describe("embargo doctor on GitHub Enterprise Server (GHE_HOST)", () => {
  it("says the advisory steps are skipped, and why; every request is one GHES has", async () => {
    gh = mockGitHub({ ghes: true });
    const v3 = "/api/v3";
    gh.api.get(`${v3}/app`).reply(200, { ...APP, html_url: `https://${GHES_HOST}/github-apps/embargo` });
    gh.api.get(`${v3}/repos/acme/security/installation`).reply(200, { ...INSTALLATION, html_url: `https://${GHES_HOST}/organizations/acme/settings/installations/42` });
    gh.api.post(`${v3}/app/installations/${INSTALLATION_ID}/access_tokens`).reply(201, { token: "ghs_t", expires_at: "2099-01-01T00:00:00Z", permissions: {}, repository_selection: "all" });
    gh.api.get(`${v3}/repos/acme/security`).reply(200, { private: true, visibility: "private", default_branch: "main" });
    gh.api.get(`${v3}/repos/acme/security/contents/${encodeURIComponent(".github/embargo.yml")}`).reply(200, "label: security\n", { "content-type": "text/plain; charset=utf-8" });
    gh.api.get(`${v3}/repos/acme/security/labels/security`).reply(200, { name: "security" });
    const lines: string[] = [];
    const code = await runDoctor("acme/security", { appId: "1", privateKey: testPrivateKey(), baseUrl: GHES_API }, { out: (l) => lines.push(l) });
    expect(lines).toEqual([
      "PASS  the app embargo is installed on acme/security",
      `SKIP  repository security advisories: GitHub Enterprise Server (${GHES_HOST}) has none. \`/announce\` drafts no advisory (the announcement pack carries its text, OSV and CVE JSON, to publish elsewhere), \`/announce cve\` points to a CNA, \`/announce publish\` skips the advisory step`,
      "PASS  the installation has every permission the app asks for",
      "PASS  acme/security is private",
      "PASS  .github/embargo.yml is valid",
      "WARN  no `team`: repository admins and maintainers may run commands",
      "      fix: set `team: org/team-slug` to the security team",
      "PASS  the label `security` exists on acme/security",
      "SKIP  no component repositories (`components.<name>.repo`): the gate on fix PRs is not checked",
      "All checks passed.",
    ]);
    expect(code).toBe(0);
  });

  it("on GitHub.com says nothing of advisories", async () => {
    mockSecurityRepo("label: security\n");
    gh.api.get("/repos/acme/security/labels/security").reply(200, { name: "security" });
    const { lines } = await doctor();
    expect(lines.join("\n")).not.toContain("advisories");
  });
});
