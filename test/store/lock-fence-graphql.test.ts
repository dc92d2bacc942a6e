/**
 * The fence reads the lock before writes only: a GraphQL query (sent as a POST) is a read, as the
 * leak firewall takes it, and must not cost a store read nor fail once the lock is lost.
 */
import { ProbotOctokit } from "probot";
import { expect, it } from "vitest";
import { fenceWrites } from "../../src/github/lock-fence.js";
import { KeyLostError, underHeldKey, type HeldKey } from "../../src/store/held-key.js";
import { MemoryStore } from "../../src/store/memory-store.js";

it("under a lock another instance took: a GraphQL query is answered, a GraphQL mutation is not sent", async () => {
  const sent: string[] = [];
  const octokit = new ProbotOctokit({
    auth: { token: "t" },
    throttle: { enabled: false },
    retry: { enabled: false },
    request: {
      fetch: async (_url: string, init: { body?: string }) => {
        sent.push(String(JSON.parse(init.body ?? "{}").query));
        return new Response(JSON.stringify({ data: { viewer: { login: "embargo[bot]" } } }), { status: 200, headers: { "content-type": "application/json" } });
      },
    },
  });
  fenceWrites(octokit);
  const store = new MemoryStore();
  await store.set("lock:repo:1#7", "theirs", 60_000);
  const held: HeldKey = { store, key: "lock:repo:1#7", token: "ours", released: false };
  let answered: unknown;
  const work = underHeldKey(held, async () => {
    answered = await octokit.graphql("query { viewer { login } }");
    await octokit.graphql('mutation { pinIssue(input: { issueId: "I_7" }) { issue { id } } }');
  });
  await expect(work).rejects.toThrow(KeyLostError);
  expect(answered).toEqual({ viewer: { login: "embargo[bot]" } });
  expect(sent).toEqual(["query { viewer { login } }"]);
});
