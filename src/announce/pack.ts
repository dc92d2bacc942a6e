import type { EmbargoConfig } from "../config/config-schema.js";
import type { ResponseRecord } from "../record/response-record.js";
import { renderTemplate, trusted, type OverrideSource } from "../render/templates.js";
import { announceView, publicReferences, type AnnounceFacts } from "./announce-view.js";
import { cveRecord } from "./cve-export.js";
import { osvRecord, type ExportFacts } from "./osv-export.js";

export const PACK_MARKER = "<!-- embargo:announce-pack -->";

/** A fenced block that no backtick run in the content can close. */
export function fenced(text: string, info = ""): string {
  const longest = Math.max(2, ...[...text.matchAll(/`+/g)].map((m) => m[0].length));
  const fence = "`".repeat(longest + 1);
  return `${fence}${info}\n${text}\n${fence}`;
}

const ENTITIES: Record<string, string> = { "&lt;": "<", "&gt;": ">", "&quot;": '"', "&#x27;": "'", "&#x60;": "`", "&#x3D;": "=", "&amp;": "&" };

export function unescapeHtml(text: string): string {
  return text.replace(/&(?:lt|gt|quot|amp|#x27|#x60|#x3D);/g, (e) => ENTITIES[e] ?? e);
}

/** The advisory text, plain: what CVE and OSV carry as the description. */
export async function advisoryDescription(record: ResponseRecord, config: EmbargoConfig, facts: AnnounceFacts, overrides?: OverrideSource): Promise<string> {
  return (await renderTemplate("advisory-description", announceView(record, config, facts), overrides)).text;
}

export function exportFacts(record: ResponseRecord, facts: AnnounceFacts, details: string, now: Date): ExportFacts {
  return {
    issueNumber: facts.issueNumber,
    advisoryUrl: facts.advisoryUrl,
    references: publicReferences(record, facts.htmlBase),
    modified: now.toISOString().replace(/\.\d{3}Z$/, "Z"),
    published: facts.publishedAt,
    details,
  };
}

export interface PackExtras {
  /** The reporter's "it is public" text, when the app could not tell them in the issue. */
  reporterText?: string;
}

/** The announcement pack comment: one `<details>` per text, then the CVE JSON 5 and OSV records. */
export async function renderPack(record: ResponseRecord, config: EmbargoConfig, facts: AnnounceFacts, now: Date, overrides?: OverrideSource, extras: PackExtras = {}): Promise<string> {
  const view = announceView(record, config, facts);
  // Mails are copied as plain text: a code block keeps their lines, so Handlebars' escaping is undone.
  const mail = async (name: string) => fenced(unescapeHtml((await renderTemplate(name, view, overrides)).text), "text");
  const description = await advisoryDescription(record, config, facts, overrides);
  const sections: { title: string; body: string }[] = [];
  if (!facts.advisoryUrl) sections.push({ title: "Advisory text (summary, then description)", body: `**${record.summary ?? ""}**\n\n${description}` });
  sections.push(
    { title: "Mail to the dev list", body: await mail("announce-dev-list") },
    { title: "Mail to the users list", body: await mail("announce-users-list") },
    { title: "Security alerts page entry", body: await mail("security-page") },
    { title: "Full-disclosure / oss-security mail", body: await mail("full-disclosure") },
    { title: `Pre-notification for distributors (embargoed until ${record.embargo_end ?? "the embargo end"})`, body: await mail("distributors") },
  );
  if (extras.reporterText) sections.push({ title: "Reply to the reporter (they cannot read this repository: send it yourselves)", body: fenced(unescapeHtml(extras.reporterText), "text") });
  // CVE and OSV carry the text as written, not as HTML-escaped markdown.
  const ef = exportFacts(record, facts, unescapeHtml(description), now);
  const cve = cveRecord(record, config.cna_org_id, facts.vendor, ef);
  sections.push({
    title: "CVE JSON 5 record",
    body: cve.ok ? fenced(JSON.stringify(cve.json, null, 2), "json") : `Not generated yet; it needs ${cve.missing.join(", ")}.`,
  });
  sections.push({ title: "OSV record", body: fenced(JSON.stringify(osvRecord(record, config.osv_prefix, ef), null, 2), "json") });
  const rendered = await renderTemplate(
    "announce-pack",
    { ...view, published: Boolean(record.publish_steps?.advisory && facts.advisoryUrl), no_advisories: facts.advisories === false, sections: sections.map((s) => ({ title: s.title, body: trusted(s.body) })) },
    overrides,
  );
  return `${PACK_MARKER}\n${rendered.text}`;
}
