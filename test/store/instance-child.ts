/**
 * One instance of embargo for the two-instance proof (two-instances.test.ts): a real HTTP server
 * on loopback serving the app through `embargoMiddleware`, configured only by its environment
 * (REDIS_URL, GHE_HOST pointing at the test's fake GitHub, the app's credentials), as a replica
 * would be. Bundled by the test and run with plain node; prints `listening <port>` when ready.
 */
import { createServer } from "node:http";
import { ProbotOctokit } from "probot";
import { embargoMiddleware } from "../../src/adapters/node-middleware.js";

// No retries, no throttling: Probot's write spacing would serialise the two instances' writes and
// hide exactly the races this proof is about (DESIGN.md on Probot 14.3).
// The user agent names the instance, so the test sees which one made each request.
const Octokit = ProbotOctokit.defaults((o: Record<string, unknown>) => ({
  ...o,
  userAgent: `embargo-instance-${process.env.INSTANCE_NAME}`,
  retry: { enabled: false },
  throttle: { ...(o.throttle as object), enabled: false },
}));
const middleware = await embargoMiddleware({ env: process.env, probotOptions: { Octokit, logLevel: "fatal" } });
const server = createServer((req, res) =>
  middleware(req, res, () => {
    res.statusCode = 404;
    res.end();
  }),
);
server.listen(0, "127.0.0.1", () => {
  const { port } = server.address() as { port: number };
  process.stdout.write(`listening ${port}\n`);
});
