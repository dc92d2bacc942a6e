import { done, fail, type CommandDefinition } from "../command.js";
import { limitText } from "../validate-args.js";

/**
 * GOV.UK: when a breach may already have happened (not only a flaw), the incident contacts are
 * alerted at once. The escalation is not blocked by a missing config: the checklist then says
 * whom to add, and the team alerts the contact by hand.
 */
export const breach: CommandDefinition = {
  group: "triage",
  name: "breach",
  usage: "/triage breach [<what is known so far>]",
  summary: "A breach may already have happened: the incident contacts are mentioned, `security: breach` is added and the escalation checklist posted.",
  examples: ["/triage breach", "/triage breach Access logs show the endpoint was used from an unknown address on 2026-11-19."],
  run(record, { args, config, actor, now }) {
    const note = args.trim();
    const problem = note ? limitText(note, 1000, "the note") : undefined;
    if (problem) return fail(problem);
    const next = { ...record };
    // The first escalation is the one that counts; a later `/triage breach` does not rewrite it.
    next.breach ??= { by: actor, at: now.toISOString(), ...(note ? { note } : {}) };
    return done({
      record: next,
      ticks: config.incident_contacts.length ? ["intake.breach"] : [],
      replies: [{ key: "breach", template: "breach", view: { contacts: config.incident_contacts, actor, note: next.breach.note } }],
    });
  },
};
