import type { EmbargoConfig } from "../config/config-schema.js";
import { neutralize } from "../render/neutralize.js";

/** What happened to a response, for the team's chat channel. */
export interface NotifyEvent {
  kind: "triaging" | "confirmed" | "announced" | "overdue";
  /** The security issue: `owner/name` and number, and its link when known (GitHub's html_url). */
  repo: string;
  number: number;
  url?: string;
  /** The triager (`triaging`), who confirmed (`confirmed`). */
  login?: string;
  /** `announced`: whether a GitHub advisory was published (none without a component repo, or on GHES). Missing: it was. */
  advisory?: boolean;
  /** Sent only with `notify.include_details: true`: the channel may be wider than the team. */
  details?: { title?: string; cve?: string; components?: string[]; severity?: string; embargo_end?: string };
}

/** Slack reads `&`, `<` and `>` as markup (links, `<!channel>`): escaped as its docs ask. */
function slackEscape(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/[\r\n]+/g, " ");
}

function detailsText(details: NonNullable<NotifyEvent["details"]>): string {
  const parts = [
    details.title ? `"${details.title.slice(0, 200)}"` : undefined,
    details.severity ? `severity ${details.severity}` : undefined,
    details.cve,
    details.components?.length ? `components: ${details.components.join(", ")}` : undefined,
    details.embargo_end ? `embargo ends ${details.embargo_end}` : undefined,
  ].filter(Boolean);
  return parts.length ? ` — ${parts.join("; ")}` : "";
}

/**
 * The message: by default only who and which issue (a link the channel's members can open only if
 * they can read the private repository), never the title, body, CVE or component.
 */
export function noticeText(event: NotifyEvent, config: EmbargoConfig): string {
  const ref = `${event.repo}#${event.number}`;
  const link = event.url && /^https:\/\/[^\s|<>]+$/.test(event.url) ? `<${event.url}|${slackEscape(ref)}>` : slackEscape(ref);
  const who = event.login ? slackEscape(event.login) : "someone";
  const text = {
    triaging: `${who} is triaging ${link}`,
    confirmed: `${link} was confirmed as a vulnerability by ${who}`,
    announced: event.advisory === false ? `${link} was announced: the embargo is over` : `${link} was announced: the advisory is published`,
    overdue: `${link}: the embargo end has passed and it is not announced yet`,
  }[event.kind];
  // The title is a reporter's: Mattermost and Rocket.Chat ping on a plain `@channel` or `@login`.
  return config.notify.include_details && event.details ? `${text}${slackEscape(neutralize(detailsText(event.details)))}` : text;
}
