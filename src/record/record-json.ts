import { Ran } from "./ran.js";
import type { ResponseRecord } from "./response-record.js";

/**
 * The record's JSON: the very text JSON.stringify(record) gives (what is signed, hashed and
 * written), with `ran` spliced in from its Ran, which makes its text once. The record's own keys
 * are names, never array indices, so JSON lists them in the record's key order, as here.
 */
export function recordJson<T extends Pick<ResponseRecord, "ran">>(record: T): string {
  const ran = record.ran;
  if (!(ran instanceof Ran)) return JSON.stringify(record);
  let text = "";
  for (const key of Object.keys(record)) {
    const part = key === "ran" ? ran.json() : (JSON.stringify(record[key as keyof T]) as string | undefined);
    if (part !== undefined) text += `${text ? "," : "{"}${JSON.stringify(key)}:${part}`;
  }
  return text ? `${text}}` : "{}";
}

/**
 * A record's JSON parsed, `ran` as a Ran. `known`: a Ran this process wrote into a record whose
 * JSON this may be; when its text is that JSON's `ran`, it is taken as is. Else `ran` is read from
 * its text (Ran.scan), and JSON.parse does the rest; JSON.parse does it all for any other shape.
 */
export function parseRecord(json: string, known?: Ran): unknown {
  const at = known ? json.indexOf(`"ran":${known.json()}`) : -1;
  const found = at !== -1 ? { at, ran: known!, end: at + 6 + known!.json().length } : scanned(json);
  if (found) {
    // The text found is a key and its value (a quote inside a string is escaped). That it is the
    // record's own `ran` (not a nested one, nor one a later duplicate overrides) shows in the parsed
    // record: the app never writes a `ran` of 0.
    const parsed = JSON.parse(`${json.slice(0, found.at)}"ran":0${json.slice(found.end)}`) as { ran?: unknown } | null;
    if (parsed?.ran === 0) {
      parsed.ran = found.ran;
      return parsed;
    }
  }
  const parsed = JSON.parse(json) as { ran?: unknown } | null;
  if (parsed && typeof parsed.ran === "object" && parsed.ran !== null && !Array.isArray(parsed.ran)) parsed.ran = Ran.from(parsed.ran as Record<string, string[]>);
  return parsed;
}

/** The first `"ran":{…}` in the text, read by Ran.scan, and where it starts and ends. */
function scanned(json: string): { at: number; ran: Ran; end: number } | undefined {
  const at = json.indexOf('"ran":{');
  const read = at === -1 ? undefined : Ran.scan(json, at + 6);
  return read && { at, ...read };
}
