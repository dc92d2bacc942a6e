import { XMLParser } from "fast-xml-parser";

/** One entry of a CVE feed, as plain text (nothing from it is trusted or rendered as markup). */
export interface FeedEntry {
  /** The entry's id in its feed: Atom `id`, RSS `guid`, else its link or title. */
  id: string;
  title: string;
  link?: string;
  summary: string;
  /** The first CVE id named in the id, title or summary. */
  cve?: string;
  published?: string;
  /** The feed it came from. */
  feed: string;
}

/** Feeds are read whole: a bigger document is refused rather than parsed. */
export const MAX_FEED_BYTES = 5_000_000;
const MAX_SUMMARY = 1_000;
const CVE_RE = /\bCVE-\d{4}-\d{4,7}\b/i;

// Entity expansion is bounded (a feed is someone else's document: no "billion laughs").
const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: "@_",
  textNodeName: "#text",
  parseTagValue: false,
  trimValues: true,
  processEntities: { enabled: true, maxEntityCount: 20, maxTotalExpansions: 1000, maxExpandedLength: 100_000 },
  htmlEntities: true,
  maxNestedTags: 100,
  isArray: (name) => ["item", "entry", "link"].includes(name),
});

type Node = Record<string, unknown>;

/** Text of an element that may be a string, a number, or an object with attributes and text. */
function text(value: unknown): string {
  if (value === undefined || value === null) return "";
  if (typeof value === "string" || typeof value === "number") return String(value);
  if (Array.isArray(value)) return text(value[0]);
  if (typeof value === "object") return text((value as Node)["#text"]);
  return "";
}

/** Summaries are often HTML: tags dropped (one linear pass), whitespace folded, length capped. */
function plain(value: unknown): string {
  return text(value).replace(/<[^>]{0,1000}>/g, " ").replace(/\s+/g, " ").trim().slice(0, MAX_SUMMARY);
}

function httpsOnly(url: string): string | undefined {
  try {
    return new URL(url).protocol === "https:" ? url : undefined;
  } catch {
    return undefined;
  }
}

function atomLink(links: unknown): string | undefined {
  const list = (Array.isArray(links) ? links : [links]) as Node[];
  const alternate = list.find((l) => l && typeof l === "object" && (!l["@_rel"] || l["@_rel"] === "alternate")) ?? list[0];
  return alternate && typeof alternate === "object" ? text(alternate["@_href"]) : undefined;
}

function entry(feed: string, fields: { id: string; title: string; link?: string; summary: string; published?: string }): FeedEntry {
  const cve = CVE_RE.exec(`${fields.id} ${fields.title} ${fields.summary}`)?.[0]?.toUpperCase();
  const link = fields.link ? httpsOnly(fields.link) : undefined;
  return { feed, id: fields.id || link || fields.title, title: fields.title, link, summary: fields.summary, cve, published: fields.published || undefined };
}

/**
 * RSS 2.0 (`rss > channel > item`) and Atom (`feed > entry`), from a string: no network. Anything
 * else (or broken XML) throws, with a message that names the problem.
 */
export function parseFeed(xml: string, feedUrl: string): FeedEntry[] {
  if (xml.length > MAX_FEED_BYTES) throw new Error(`the feed is larger than ${MAX_FEED_BYTES} characters`);
  const doc = parser.parse(xml) as Node;
  const rss = doc.rss as Node | undefined;
  if (rss && typeof rss === "object") {
    const items = ((rss.channel as Node | undefined)?.item ?? []) as Node[];
    return items.map((i) =>
      entry(feedUrl, { id: text(i.guid), title: plain(i.title), link: text(i.link), summary: plain(i.description), published: text(i.pubDate) }),
    );
  }
  const atom = doc.feed as Node | undefined;
  if (atom && typeof atom === "object") {
    const entries = (atom.entry ?? []) as Node[];
    return entries.map((e) =>
      entry(feedUrl, { id: text(e.id), title: plain(e.title), link: atomLink(e.link), summary: plain(e.summary ?? e.content), published: text(e.published ?? e.updated) }),
    );
  }
  throw new Error("not an RSS 2.0 or Atom feed");
}
