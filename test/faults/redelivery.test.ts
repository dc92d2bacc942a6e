/**
 * Issue 14: every event of lifecycle L1 delivered twice, and out of order (each event's second
 * delivery arrives after the next event's first): GitHub ends as after a run without repeats.
 */
import { beforeAll, expect, it } from "vitest";
import { l1World, runL1, type Delivery, type EndState } from "../lifecycle/lifecycle-l1.js";
import { endState } from "../lifecycle/end-state.js";

let clean: EndState;
beforeAll(async () => {
  const w = l1World();
  clean = (await runL1(w)).state;
  w.gh.done();
});

it("every event twice, each repeat after the next event: the same end state", async () => {
  const w = l1World();
  let previous: Delivery | undefined;
  const order: string[] = [];
  const deliver = async (d: Delivery) => {
    order.push(d.id);
    expect(await w.deliver(d), d.id).toBeUndefined();
  };
  for (const step of w.steps) {
    w.clock.now = step.at;
    const d = step.act();
    await deliver(d);
    if (previous) await deliver(previous);
    previous = d;
  }
  await deliver(previous!);
  expect(order).toHaveLength(w.steps.length * 2);
  expect(order[2]).toBe(order[0]); // the first event's repeat came after the second event
  expect(endState(w.fake)).toEqual(clean);
  expect(w.fake.unknown).toEqual([]);
  w.gh.done();
});

it("every event twice in a row (a redelivery right away): the same end state", async () => {
  const w = l1World();
  for (const step of w.steps) {
    w.clock.now = step.at;
    const d = step.act();
    expect(await w.deliver(d)).toBeUndefined();
    expect(await w.deliver(d)).toBeUndefined();
  }
  expect(endState(w.fake)).toEqual(clean);
  w.gh.done();
});
