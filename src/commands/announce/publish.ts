import { createHash } from "node:crypto";
import { draftProblems } from "../../announce/advisory-fields.js";
import { PUBLISH_STEPS, stepsLeft } from "../../announce/publish-steps.js";
import { publishGates } from "../../announce/publish-gates.js";
import { done, fail, refuse, type CommandDefinition } from "../command.js";

// Said first: a command's error is clipped (src/commands/error-summary.ts), the gates' reasons are not short.
const CUT_SHORT_START = "this publish was cut short before its first step (publishing the advisory) was recorded, and is refused now that its event came again.";
const CUT_SHORT = `${CUT_SHORT_START} If GitHub did publish the advisory (its answer lost), the app's next tick finishes the publish steps; if not, nothing was published.`;

/**
 * The tick reads the advisory's state only for open responses (src/tick/reconcile-response.ts): a
 * response closed since (invalid, no-action) is never finished, so the team is told to look itself.
 */
function cutShortClosed(record: { state: string; ghsa?: string; advisory?: { repo: string } }): string {
  const where = record.ghsa && record.advisory ? `the advisory ${record.ghsa} of ${record.advisory.repo} on GitHub` : "the repository's security advisories on GitHub";
  return `${CUT_SHORT_START} If GitHub did publish the advisory (its answer lost), it is public though this response is closed (${record.state}), and the app finishes no publish steps for a closed response: look at ${where}, and if it is published, announce it and tell the reporter by hand; if not, nothing was published.`;
}

export const publish: CommandDefinition = {
  group: "announce",
  name: "publish",
  usage: "/announce publish [--force <reason>]",
  summary:
    "Publishes once the gates pass (embargo end reached; fixes merged and branches patched; advisory ready), then opens the CHANGES/NEWS PR, posts the un-embargo steps, tells the reporter, closes this issue and opens the process review. Run it again to finish a publish GitHub broke off. `--force` passes the date and fix gates, never the advisory one; the reason is recorded.",
  examples: ["/announce publish", "/announce publish --force the reporter went public early"],
  // A publish that broke off after the state changed must be finishable.
  whenClosed: true,
  tellsCutShort: true,
  run(record, { args, config, now, actor, members, advisories = true, cutShort }) {
    const m = /^(?:--force(?:\s+(.*))?)?$/s.exec(args);
    if (!m) return fail("`/announce publish` takes nothing, or `--force <reason>`");
    const force = args.startsWith("--force");
    const reason = (m[1] ?? "").trim();
    if (force && !reason) return fail("`--force` needs a reason, e.g. `/announce publish --force the fix is already public`");
    if (reason.length > 500) return fail(`the reason is ${reason.length} characters long; keep it under 500`);
    // Refused for the response's state, the line counts as run (`refuse`): an edit of the comment or
    // a redelivery must not publish later, when nobody asked for it then. Malformed lines (above)
    // stay the author's to fix by editing; `--force` refused (the advisory gate) counts as run too.
    const again = `To publish, post \`${force ? "/announce publish --force <reason>" : "/announce publish"}\` in a new comment once the gates pass.`;
    const steps = record.publish_steps ?? {};
    // Redelivered after a run cut short before step 1 was recorded: whether GitHub published is not
    // known here. Step 1 recorded (then closed as invalid, say), it was published: not said otherwise.
    const closed = record.state === "invalid" || record.state === "no-action";
    const said = (why: string) => (cutShort && !steps.advisory ? `${closed ? cutShortClosed(record) : CUT_SHORT} ${why[0]!.toUpperCase()}${why.slice(1)}.` : why);
    if (closed) return refuse(said(`this response is closed (${record.state}); there is nothing to publish`), "Should it be reopened, post `/announce publish` in a new comment.");
    if (steps.advisory) {
      // Step 1 happened: the gates were passed then; what is left only finishes the publish.
      // Every step done, but the pack GitHub refused after them (`publish_refused`): this run writes it.
      if (!stepsLeft(record).length && !record.publish_refused) return fail(`every publish step is done already (${PUBLISH_STEPS.map((s) => s.id).join(", ")}); nothing was changed`);
      return done({ record, actions: [{ kind: "announce.publish" }] });
    }
    if (record.state === "triage") return refuse(said(`no advisory can be published yet: ${draftProblems(record).join("; ")}`), again);
    // Without the handler's reads, a person's tick counts for nobody: never trusted by default.
    const gates = publishGates(record, config, now, force, members ?? new Map(), advisories);
    const failed = gates.filter((g) => !g.pass);
    if (failed.length) {
      const gatesText = failed.map((g) => `Gate "${g.title}" fails: ${g.why}.`).join(" ");
      const anyway = failed.some((g) => g.id !== "advisory") && !force ? " To publish anyway (the reporter agreed, or it is public already), use `--force <reason>`." : "";
      return refuse(cutShort ? `${CUT_SHORT} ${gatesText}${anyway}` : `not published, nothing was changed. ${gatesText}${anyway}`, again);
    }
    const forced = gates.filter((g) => g.forced).map((g) => g.id);
    if (!forced.length) return done({ record, actions: [{ kind: "announce.publish" }] });
    const next = { ...record, forced: { by: actor, at: now.toISOString(), reason, gates: forced } };
    // Keyed by what was forced, not when: a redelivery decides it again at another time, and says it once.
    const key = `forced-${createHash("sha256").update(JSON.stringify([actor.toLowerCase(), reason, forced])).digest("base64url").slice(0, 16)}`;
    const reply = { key, template: "announce-forced", view: { by: actor, reason, gates: forced, plural: forced.length > 1 } };
    return done({ record: next, replies: [reply], actions: [{ kind: "announce.publish" }] });
  },
};
