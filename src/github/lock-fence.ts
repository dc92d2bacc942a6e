import type { ProbotOctokit } from "probot";
import { assertKeysHeld, heldKeys, holdsKeys } from "../store/held-key.js";
import { isMutation } from "./leak-graphql.js";

type Octokit = InstanceType<typeof ProbotOctokit>;

const INSTALLED = Symbol.for("embargo.lock-fence");

/** Refused before it is sent: a status Octokit's retry never retries, swapped for the reason below. */
const REFUSED = 400;

/**
 * With several instances (README, "Several instances"): every write to GitHub made under the
 * per-issue lock or the tick's lease first checks that they are still this instance's
 * (src/store/held-key.ts). One store read per write; reads, and writes outside them, go straight on.
 *
 * The check runs as each try is sent (Octokit's `fetch`), not once before: this hook wraps Probot's
 * retry and throttling, so a write answered 5xx and retried seconds later, or one waiting for its
 * turn, would else go out after the lock was lost. A refusal is answered as a 400 (not retried),
 * and the caller gets the KeyLostError (or the store's error) instead.
 */
export function fenceWrites(octokit: Octokit): void {
  const marked = octokit as unknown as Record<symbol, boolean>;
  if (marked[INSTALLED]) return;
  marked[INSTALLED] = true;
  octokit.hook.wrap("request", async (request, options) => {
    const method = String(options.method).toUpperCase();
    // A GraphQL query is sent as a POST and is a read, as the leak firewall takes it (leak-graphql.ts).
    const query = String(options.url).endsWith("/graphql") && !isMutation(options.query);
    if (method === "GET" || method === "HEAD" || query || !holdsKeys()) return request(options);
    const keys = heldKeys();
    const send: typeof fetch = options.request?.fetch ?? ((input, init) => globalThis.fetch(input, init));
    let refused: unknown;
    const fenced: typeof fetch = async (input, init) => {
      try {
        await assertKeysHeld(keys);
      } catch (error) {
        refused = error;
        return new Response(JSON.stringify({ message: "not sent: the lock or lease is no longer held" }), { status: REFUSED, headers: { "content-type": "application/json" } });
      }
      return send(input, init);
    };
    // Hooks share the one options object (each gets it, not what the outer one passes): set in place.
    options.request = { ...options.request, fetch: fenced };
    try {
      return await request(options);
    } catch (error) {
      throw refused ?? error;
    }
  });
}
