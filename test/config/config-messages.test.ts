import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { configSchema } from "../../src/config/config-schema.js";
import { validateConfig } from "../../src/config/load-config.js";
import { createTestProbot, labeledEvent, mockConfig, mockIdentity, mockToken } from "../helpers/app.js";
import { mockGitHub, type GitHubMock } from "../helpers/github-api.js";

/** One bad value per key (and per nested key), and the exact message the team must read for it. */
const CASES: [string, object, string][] = [
  ["label", { label: "" }, "`label` must not be empty"],
  ["label (long)", { label: "x".repeat(51) }, "`label` must be at most 50 characters long"],
  ["label (markdown)", { label: "sec`urity" }, '`label` must be a label name (no backtick, "<", ">" or line break)'],
  ["team", { team: "security-team" }, '`team` must be a team as "org/team-slug"'],
  ["release_managers", { release_managers: ["not a login"] }, "`release_managers.0` must be a GitHub login (letters, digits and single hyphens)"],
  ["release_managers (twice)", { release_managers: ["rm", "rm"] }, "`release_managers` lists the same value twice"],
  ["triage_rotation", { triage_rotation: "tri-a" }, "`triage_rotation` must be a list"],
  ["embargo_days", { embargo_days: { critical: 0 } }, "`embargo_days.critical` must be between 1 and 365"],
  ["embargo_days (key)", { embargo_days: { urgent: 3 } }, "`embargo_days.urgent` is not a known key (allowed here: critical, high, medium, low)"],
  ["supported_branches", { supported_branches: ["main branch"] }, "`supported_branches.0` must be a branch name (no spaces, no backtick and none of ~ ^ : ? * [ \\ < > |)"],
  ["components (name)", { components: { "a b": {} } }, '`components` has a name that is not allowed, `a b`: it must be a component name (up to 50 letters, digits, ".", "_" and "-", starting with a letter or digit)'],
  ["components.repo", { components: { api: { repo: "product" } } }, '`components.api.repo` must be a repository as "owner/name"'],
  ["components.owners", { components: { api: { owners: ["@lead"] } } }, "`components.api.owners.0` must be a GitHub login (letters, digits and single hyphens)"],
  ["components.package", { components: { api: { package: { ecosystem: "npm" } } } }, "`components.api.package` needs `name`"],
  ["security_repo", { security_repo: "security" }, '`security_repo` must be a repository as "owner/name"'],
  ["public_reports", { public_reports: "move" }, "`public_reports` must be one of: notice, transfer"],
  ["report_instructions", { report_instructions: "x".repeat(2001) }, "`report_instructions` must be at most 2000 characters long"],
  ["notify_team", { notify_team: "yes" }, "`notify_team` must be a boolean"],
  ["public_pr", { public_pr: [] }, "`public_pr` must be a mapping"],
  ["public_pr.priority_label", { public_pr: { priority_label: "" } }, "`public_pr.priority_label` must not be empty"],
  ["public_pr.check_name", { public_pr: { check_name: "x".repeat(61) } }, "`public_pr.check_name` must be at most 60 characters long"],
  ["public_pr.review_team", { public_pr: { review_team: "reviewers" } }, '`public_pr.review_team` must be a team as "org/team-slug"'],
  ["public_pr.leak_words", { public_pr: { leak_words: ["x"] } }, "`public_pr.leak_words.0` must be at least 2 characters long"],
  ["checklist.skip", { checklist: { skip: ["intake.nope"] } }, "intake.nope"],
  ["public_pr.max_reviewers", { public_pr: { max_reviewers: 0 } }, "`public_pr.max_reviewers` must be between 1 and 10"],
  ["cna_org_id", { cna_org_id: "acme" }, "`cna_org_id` must be"],
  ["osv_prefix", { osv_prefix: "1x" }, "`osv_prefix` must be"],
  ["changelog", { changelog: [{ path: "CHANGES.md" }] }, "`changelog.0` needs `template`"],
  ["disclosure_branch", { disclosure_branch: "has space-{id}" }, "`disclosure_branch` must be"],
  ["disclosure_branch (no {id})", { disclosure_branch: "security/changelog" }, "`disclosure_branch` must be a branch name with {id} in it"],
  ["public_issue", { public_issue: "yes" }, "`public_issue` must be a boolean"],
  ["incident_contacts", { incident_contacts: ["not a login"] }, '`incident_contacts.0` must be a GitHub login or a team as "org/team-slug"'],
  ["notify.slack_webhook_env", { notify: { slack_webhook_env: "https://hooks.slack.com/services/T/B/x" } }, "`notify.slack_webhook_env` must be the NAME of an environment variable"],
  ["feeds", { feeds: [{ url: "http://nvd.example/feed.xml" }] }, "`feeds.0.url` must be an https:// URL"],
  ["dashboard.title", { dashboard: { title: "" } }, "`dashboard.title` must not be empty"],
  ["dashboard.enabled", { dashboard: { enabled: "yes" } }, "`dashboard.enabled` must be a boolean"],
  ["reminders.triage_hours", { reminders: { triage_hours: 0 } }, "`reminders.triage_hours` must be between 1 and 8760"],
  ["reminders.embargo_warning_days", { reminders: { embargo_warning_days: 400 } }, "`reminders.embargo_warning_days` must be between 1 and 365"],
  ["unknown key", { colour: "red" }, "`colour` is not a known key"],
  ["transfer without security_repo", { public_reports: "transfer" }, "`public_reports: transfer` needs `security_repo`: the private repository to move reports to"],
];

describe("each invalid key gets its own message", () => {
  it.each(CASES)("%s", (_name, config, message) => {
    const result = validateConfig(config);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.problems).toHaveLength(1);
    expect(result.problems[0]).toContain(message);
  });

  it("covers every top-level key of the schema", () => {
    const tested = new Set(CASES.flatMap(([, config]) => Object.keys(config)));
    for (const key of Object.keys(configSchema.properties)) expect(tested, key).toContain(key);
  });

  it("a key or a name with a backtick cannot break out of its code span", () => {
    const result = validateConfig({ "x` @acme/everyone `y": 1 });
    expect(result.ok || result.problems[0]).toMatch(/^`x  @acme\/everyone  y` is not a known key/);
  });
});

describe("an invalid security_repo, as the team sees it", () => {
  let gh: GitHubMock;
  beforeEach(() => {
    gh = mockGitHub();
  });
  afterEach(() => gh.done());

  it("says it must be a repository, not a team", async () => {
    const probot = createTestProbot();
    mockToken(gh);
    mockIdentity(gh);
    mockConfig(gh, "acme", "security", "security_repo: security\nteam: acme/sec\n");
    gh.api.get("/repos/acme/security/issues/7/comments").query(true).reply(200, []);
    let body = "";
    gh.api.post("/repos/acme/security/issues/7/comments", (b) => ((body = b.body), true)).reply(201, { id: 1 });
    await probot.receive(labeledEvent());
    expect(body).toContain('`security_repo` must be a repository as "owner/name"');
    expect(body).not.toContain("team as");
  });
});
