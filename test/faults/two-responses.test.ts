/**
 * Two own response comments on one issue (an older version of the app retried a create GitHub had
 * made; or a copy by hand): the app chooses one the same way every time, and it is the one the
 * team's latest work is in (src/github/response-choice.ts).
 */
import { expect, it } from "vitest";
import { chooseResponse } from "../../src/github/response-choice.js";
import { decodeRecord, RESPONSE_MARKER } from "../../src/record/markers.js";
import { MemoryStore } from "../../src/store/memory-store.js";
import { TEST_KEYS } from "../helpers/app.js";
import { deliverUntilOk, ISSUE, l1World, SECURITY, START } from "../lifecycle/lifecycle-l1.js";
import { BOT_LOGIN } from "../sweep/fake-json.js";

const LATER = new Date(START.getTime() + 3_600_000);

it("the stale first and the newer copy the app went on with: after a restart, the listing takes the newer, and no update is lost", async () => {
  const store = new MemoryStore();
  const w = l1World({ app: { store } });
  const [label, confirm, cvss] = w.steps as [(typeof w.steps)[0], (typeof w.steps)[0], (typeof w.steps)[0]];
  const issue = { owner: "acme", repo: "security", issue_number: ISSUE };
  const recordOf = (body: string) => {
    const d = decodeRecord(body, TEST_KEYS, { ...issue, repo_id: w.fake.repo(SECURITY).id });
    if (!d.found) throw new Error("no record");
    return d.record;
  };
  await deliverUntilOk(w, label.name, label.act(), 1);
  const comments = w.fake.comments(SECURITY, ISSUE);
  const first = comments.find((c) => c.login === BOT_LOGIN && c.body.includes(RESPONSE_MARKER))!;
  const stale = first.body;
  // What an older version's retried create made: a second comment, newer, which the app remembered and went on with.
  const copy = { ...first, id: w.fake.nextId() };
  comments.push(copy);
  // Where the app keeps it (src/github/response-comment.ts: by the repository's id).
  const key = `response-comment:repo:${w.fake.repo(SECURITY).id}#${ISSUE}`;
  expect(await store.get(key)).toBe(String(first.id));
  await store.set(key, String(copy.id), 60_000);
  w.clock.now = LATER;
  await deliverUntilOk(w, confirm.name, confirm.act(), 1);
  expect(recordOf(copy.body).confirmed).toBeDefined();
  // The memory is lost (a restart without Redis): the next event lists the comments.
  await store.del(key);
  await deliverUntilOk(w, cvss.name, cvss.act(), 1);
  const record = recordOf(copy.body);
  expect(record.confirmed).toBeDefined();
  expect(record.cvss?.score).toBe(9.8);
  expect(first.body).toBe(stale);
  w.gh.done();
});

it("the rule: a record that verifies, then the latest record, then the highest id", () => {
  const record = (at: string) => ({ v: 1, opened_at: "2026-11-20T09:30:00.000Z", ticks: { a: { at, by: "app" } }, ran: { "2099-01-01T00:00:00Z": 1 } });
  const bodies: Record<string, object | undefined> = { old: record("2026-11-22T12:00:00.000Z"), new: record("2026-11-23T12:00:00.000Z"), broken: undefined };
  const verify = (body: string) => bodies[body.split(" ").at(-1)!];
  const c = (id: number, name: string, login = BOT_LOGIN) => ({ id, body: `${RESPONSE_MARKER} ${name}`, login });
  const pick = (...list: ReturnType<typeof c>[]) => chooseResponse(list, BOT_LOGIN, verify);
  // The latest record wins over a higher id (a stale copy made later); `ran` (command ids) is no time.
  expect(pick(c(1, "new"), c(2, "old")).own?.id).toBe(1);
  // A record that verifies wins over a newer comment whose record does not.
  expect(pick(c(1, "old"), c(2, "broken")).own?.id).toBe(1);
  // The same record, or none that verifies: the newest comment.
  expect(pick(c(1, "old"), c(2, "old")).own?.id).toBe(2);
  expect(pick(c(1, "broken"), c(2, "broken")).own?.id).toBe(2);
  // Someone else's comment never counts, and the losers leave the list.
  const chosen = pick(c(1, "old"), c(2, "new", "mallory"), c(3, "old"));
  expect(chosen.own?.id).toBe(3);
  expect(chosen.comments.map((x) => x.id)).toEqual([2, 3]);
});
