import nock from "nock";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { noticeText } from "../../src/notify/notice-text.js";
import { notify } from "../../src/notify/notify.js";
import { createTestProbot, labeledEvent, mockConfig, mockIdentity, mockNoOverrides, mockToken, recordOf } from "../helpers/app.js";
import { mockGitHub, type GitHubMock } from "../helpers/github-api.js";
import { configOf, fakeSecurityIssue, ISSUE, sendCommand, triageRecord } from "../helpers/security-issue.js";
import { RESPONSE_MARKER } from "../../src/record/markers.js";
import { BOT_LOGIN } from "../sweep/fake-github.js";
import { commentEvent as storedComment, issuesEvent, PRODUCT, PUBLIC_PR, SECURITY, SECURITY_YAML, seededFake, subscribedExamples } from "../sweep/sweep-world.js";

let gh: GitHubMock;
beforeEach(() => {
  gh = mockGitHub();
});
afterEach(() => gh.done());

const HOOK = "https://hooks.slack.com";
const HOOK_PATH = "/services/T000/B000/notarealtoken";
const ENV = { SECURITY_SLACK_URL: `${HOOK}${HOOK_PATH}` };
const CONFIG = "notify: { slack_webhook_env: SECURITY_SLACK_URL }\ncomponents:\n  upload-api: { package: { ecosystem: npm, name: acme-upload } }\n";

/** The report's secrets: none of them may reach the chat channel by default. */
const TITLE = "Path traversal in upload-api lets anyone write files";
const BODY = "Send ../../etc/passwd as the file name";
const CVE = "CVE-2026-31337";

/** The chat webhook: each message's JSON body is captured; `status` answers it. */
function mockHook(status = 200) {
  const sent: string[] = [];
  nock(HOOK).post(HOOK_PATH, (b) => (sent.push(JSON.stringify(b)), true)).reply(status, status === 200 ? "ok" : "invalid_payload");
  return sent;
}

function expectNoSecrets(json: string) {
  for (const secret of [TITLE, "Path traversal", BODY, CVE, "upload-api", "acme-upload", "high"]) expect(json.toLowerCase()).not.toContain(secret.toLowerCase());
}

describe("message text", () => {
  const event = { kind: "confirmed" as const, repo: "acme/security", number: 7, url: "https://github.com/acme/security/issues/7", login: "alice", details: { title: TITLE, cve: CVE, components: ["upload-api"], severity: "high" } };

  it("says who and which issue, and nothing about the vulnerability, by default", () => {
    const text = noticeText(event, configOf(CONFIG));
    expect(text).toBe("<https://github.com/acme/security/issues/7|acme/security#7> was confirmed as a vulnerability by alice");
    expectNoSecrets(text);
  });

  it("carries title, CVE, severity and components with notify.include_details, escaped for Slack", () => {
    const text = noticeText({ ...event, details: { ...event.details, title: "<!channel> & co" } }, configOf("notify: { slack_webhook_env: X, include_details: true }\n"));
    expect(text).toContain("&lt;!channel&gt; &amp; co");
    expect(text).toContain(CVE);
    expect(text).toContain("components: upload-api");
  });

  it("announced: claims a published advisory only when there was one (none without a component repo, or on GHES)", () => {
    const announced = { ...event, kind: "announced" as const, details: undefined };
    expect(noticeText(announced, configOf(CONFIG))).toBe("<https://github.com/acme/security/issues/7|acme/security#7> was announced: the advisory is published");
    expect(noticeText({ ...announced, advisory: true }, configOf(CONFIG))).toContain("was announced: the advisory is published");
    expect(noticeText({ ...announced, advisory: false }, configOf(CONFIG))).toBe("<https://github.com/acme/security/issues/7|acme/security#7> was announced: the embargo is over");
  });
});

describe("notify()", () => {
  const log = () => ({ info: vi.fn(), warn: vi.fn() });

  it("a variable that is not set: logged once, nothing sent", async () => {
    const deps = { env: {}, log: log() };
    const config = configOf("notify: { slack_webhook_env: UNSET_HOOK_VARIABLE }\n");
    const event = { kind: "overdue" as const, repo: "acme/security", number: 7 };
    expect(await notify(deps, config, event)).toBe("off");
    expect(await notify(deps, config, event)).toBe("off");
    expect(deps.log.warn).toHaveBeenCalledTimes(1);
    expect(deps.log.warn.mock.calls[0]![0]).toContain("UNSET_HOOK_VARIABLE");
  });

  it("never sends to the app's own secrets, nor to a value that is not an https URL", async () => {
    const config = (name: string) => configOf(`notify: { slack_webhook_env: ${name} }\n`);
    const event = { kind: "overdue" as const, repo: "acme/security", number: 7 };
    expect(await notify({ env: { WEBHOOK_PROXY_URL: "https://smee.io/abc" }, log: log() }, config("WEBHOOK_PROXY_URL"), event)).toBe("off");
    const deps = { env: { PLAIN_HOOK: "http://chat.example/hook" }, log: log() };
    expect(await notify(deps, config("PLAIN_HOOK"), event)).toBe("off");
    expect(deps.log.warn.mock.calls[0]![0]).not.toContain("chat.example");
  });

  it("the overdue message the tick sends", async () => {
    const sent = mockHook();
    const result = await notify({ env: ENV, log: log() }, configOf(CONFIG), { kind: "overdue", repo: "acme/security", number: 7 });
    expect(result).toBe("sent");
    expect(JSON.parse(sent[0]!).text).toBe("acme/security#7: the embargo end has passed and it is not announced yet");
  });
});

describe("notifications from the app's events", () => {
  it("intake with a triager: '<login> is triaging <repo>#n', with no secret in the message", async () => {
    const sent = mockHook();
    const probot = createTestProbot(undefined, { env: ENV });
    mockToken(gh);
    mockIdentity(gh);
    mockConfig(gh, "acme", "security", `${CONFIG}triage_rotation: [tri-a]\n`);
    mockNoOverrides(gh, "acme", "security");
    gh.api.get(`${ISSUE}/comments`).query(true).reply(200, []);
    gh.api.get("/repos/acme/security/issues").query(true).reply(200, [{ number: 7 }]);
    gh.api.post(`${ISSUE}/assignees`).reply(201, { number: 7, assignees: [{ login: "tri-a" }] });
    let body = "";
    gh.api.post(`${ISSUE}/comments`, (b) => ((body = b.body), true)).reply(201, { id: 555 });
    gh.api.post(`${ISSUE}/labels`).reply(200, []);
    await probot.receive(labeledEvent({ title: TITLE, body: `${BODY} ${CVE}` }));
    expect(sent).toHaveLength(1);
    expect(JSON.parse(sent[0]!).text).toMatch(/^tri-a is triaging <https:\/\/[^|]+\|acme\/security#7>$/);
    expectNoSecrets(sent[0]!);
    expect(recordOf(body).notified).toEqual(["triaging:tri-a"]);
  });

  it("with notify.include_details, a title's mentions reach the channel as text, never as pings (a reporter wrote it)", async () => {
    const sent = mockHook();
    const probot = createTestProbot(undefined, { env: ENV });
    mockToken(gh);
    mockIdentity(gh);
    mockConfig(gh, "acme", "security", `notify: { slack_webhook_env: SECURITY_SLACK_URL, include_details: true }\ntriage_rotation: [tri-a]\n`);
    mockNoOverrides(gh, "acme", "security");
    gh.api.get(`${ISSUE}/comments`).query(true).reply(200, []);
    gh.api.get("/repos/acme/security/issues").query(true).reply(200, [{ number: 7 }]);
    gh.api.post(`${ISSUE}/assignees`).reply(201, { number: 7, assignees: [{ login: "tri-a" }] });
    gh.api.post(`${ISSUE}/comments`).reply(201, { id: 555 });
    gh.api.post(`${ISSUE}/labels`).reply(200, []);
    // Mattermost and Rocket.Chat (README: any webhook taking Slack's JSON) ping on a plain
    // `@channel`, `@all`, `@here` or `@login` in a webhook's text.
    await probot.receive(labeledEvent({ title: "Crash in upload, @channel @all @here please ask @mallory", body: BODY }));
    expect(sent).toHaveLength(1);
    const text = JSON.parse(sent[0]!).text as string;
    expect(text).toContain("is triaging");
    expect(text).toContain("Crash in upload");
    expect(text).not.toMatch(/@(channel|all|here|mallory)\b/);
  });

  it("a failing webhook changes nothing else, and the next event sends the message", async () => {
    const record = triageRecord({ cve: CVE, components: ["upload-api"], severity: "high" });
    const f = await fakeSecurityIssue(gh, { yaml: CONFIG, record, env: ENV });
    const failed = mockHook(500);
    await sendCommand(gh, f, "/triage confirm");
    expect(failed).toHaveLength(1);
    expect(f.record.state).toBe("confirmed");
    expect(f.added).toEqual(["security: confirmed", "severity: high"]);
    expect(f.replies).toEqual([]);
    expect(f.record.notify_pending).toEqual([{ key: "confirmed", event: { kind: "confirmed", login: "alice" }, tries: 1 }]);
    expect(f.record.notified ?? []).toEqual([]);

    const sent = mockHook();
    await sendCommand(gh, f, "/triage reproduced yes", { commentId: 9002 });
    expect(sent).toHaveLength(1);
    expect(JSON.parse(sent[0]!).text).toMatch(/was confirmed as a vulnerability by alice$/);
    expectNoSecrets(sent[0]!);
    expect(f.record.notify_pending).toBeUndefined();
    expect(f.record.notified).toEqual(["confirmed"]);
    expect(f.record.reproduced).toBe(true);

    // Nothing more to say: a later command sends nothing (an unexpected message would hit no interceptor).
    await sendCommand(gh, f, "/triage confirm", { commentId: 9003 });
  });

  it("without notify config, a command sends nothing", async () => {
    const f = await fakeSecurityIssue(gh, { yaml: null, env: ENV });
    await sendCommand(gh, f, "/triage confirm");
    expect(f.record.notified).toBeUndefined();
  });

  it("a /triage pr that sends a message refused earlier records it first: the PR's sync failing, the redelivery does not send it again", async () => {
    const fake = seededFake();
    fake.repo(SECURITY).config = `${SECURITY_YAML}notify: { slack_webhook_env: SECURITY_SLACK_URL }\n`;
    fake.install(gh);
    const probot = createTestProbot(undefined, { env: ENV });
    const example = (label: string) => subscribedExamples().find((e) => e.label === label)!.payload;
    const record = () => recordOf(fake.comments(SECURITY, 7).find((c) => c.login === BOT_LOGIN && c.body.includes(RESPONSE_MARKER))!.body, `${SECURITY}#7`, fake.repo(SECURITY).id);

    // Intake names a triager from the rotation; the webhook refuses the message: it waits for a retry.
    const refused = mockHook(500);
    await probot.receive({ id: "intake", name: "issues", payload: issuesEvent(example("issues.labeled #1"), fake, SECURITY, 7, "maintainer") } as never);
    expect(refused).toHaveLength(1);
    const [waiting] = record().notify_pending!;
    expect(waiting!.key).toMatch(/^triaging:/);

    const sent: string[] = [];
    nock(HOOK).persist().post(HOOK_PATH, (b) => (sent.push(JSON.stringify(b)), true)).reply(200, "ok");
    const command = { id: "link", name: "issue_comment", payload: storedComment(example("issue_comment.created #1"), fake, SECURITY, 7, `/triage pr ${PRODUCT}#${PUBLIC_PR}`) };
    // The PR's sync fails after the command sent the message: the event fails, GitHub redelivers it.
    fake.fail("POST", /^\/repos\/acme\/product\/check-runs$/, 502, { message: "Bad Gateway" });
    await expect(probot.receive(command as never)).rejects.toThrow();
    expect(sent).toHaveLength(1);
    expect(record().notified).toEqual([waiting!.key]);
    fake.failures.length = 0;
    await probot.receive(command as never);

    expect(sent).toHaveLength(1);
    expect(JSON.parse(sent[0]!).text).toMatch(/ is triaging <https:\/\/[^|]+\|acme\/security#7>$/);
    expect(record().notified).toEqual([waiting!.key]);
    expect(record().notify_pending).toBeUndefined();
    expect(record().prs.map((p) => `${p.repo}#${p.number}`)).toEqual([`${PRODUCT}#${PUBLIC_PR}`]);
  });
});
