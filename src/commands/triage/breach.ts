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
    const contacts = config.incident_contacts.length > 0;
    // Escalated before any contact was configured (its reply asked for them): the first escalation
    // since then is the one that alerts them, and only that ticks the box.
    const late = contacts && record.breach?.no_contacts === true;
    const next = { ...record };
    // The first escalation is the one that counts; a later `/triage breach` does not rewrite it.
    next.breach ??= { by: actor, at: now.toISOString(), ...(note ? { note } : {}), ...(contacts ? {} : { no_contacts: true as const }) };
    if (late) {
      const { no_contacts: _alerted, ...first } = next.breach;
      next.breach = first;
    }
    return done({
      record: next,
      ticks: contacts ? ["intake.breach"] : [],
      replies: [{ key: late ? "breach-contacts" : "breach", template: "breach", view: { contacts: config.incident_contacts, actor, note: next.breach.note } }],
    });
  },
};
