/**
 * The record's `ran` (command lines already applied, by comment id) as the app holds it in memory.
 *
 * Comment ids are integer-like, sparse keys: in a plain object V8 keeps them as dictionary
 * elements, where every copy (`{ ...ran, [id]: hashes }`), key listing and JSON.stringify costs tens
 * of µs for a busy issue's 100 comments, several times per event. A Map copies in a few µs. Entries
 * are kept in the order a plain object lists its keys (and JSON.stringify writes them): array-index
 * keys ascending by number, then the other keys (ids past 2^32 - 2) in insertion order, so what is
 * written, and which comments count as oldest, stay exactly what they were with the plain object.
 *
 * Immutable: every change makes a new Ran (the entries themselves are shared), so a record that
 * holds one never sees it change.
 */
export class Ran implements Iterable<[string, readonly string[]]> {
  static readonly EMPTY = new Ran(new Map(), 0, 0, undefined, "{}");

  readonly #entries: ReadonlyMap<string, Entry>;
  readonly #hashes: number;
  readonly #empties: number;
  /** The last key: a new key goes after it when it is no index, or a greater one. */
  readonly #last: string | undefined;
  #keys: readonly string[] | undefined;
  #json: string | undefined;

  // Counts are carried from Ran to Ran, not counted again: on a busy process a pass over the entries
  // costs far more than in a tight loop (each entry is a cache miss).
  private constructor(entries: ReadonlyMap<string, Entry>, hashes: number, empties: number, last: string | undefined, json?: string) {
    this.#entries = entries;
    this.#hashes = hashes;
    this.#empties = empties;
    this.#last = last;
    this.#json = json;
  }

  /** A Ran of `entries`, which are in a plain object's order, counted. */
  static #counted(entries: ReadonlyMap<string, Entry>, json?: string): Ran {
    if (!entries.size) return Ran.EMPTY;
    let hashes = 0;
    let empties = 0;
    let last: string | undefined;
    for (const [key, entry] of entries) {
      hashes += entry.hashes.length;
      if (!entry.hashes.length) empties++;
      last = key;
    }
    return new Ran(entries, hashes, empties, last, json);
  }

  /** The entries of a plain object (as JSON.parse gives it), in its own key order. */
  static from(plain: Readonly<Record<string, readonly string[]>>): Ran {
    const entries = new Map<string, Entry>();
    for (const key of Object.keys(plain)) entries.set(key, { hashes: plain[key]! });
    return Ran.#counted(entries);
  }

  /**
   * The `ran` object whose text starts at `json[from]` (its "{"), read from the text itself, with the
   * offset just past it: a plain object from JSON.parse costs more to list than this reading does.
   * Undefined unless the text has the exact shape JSON.stringify gives a plain `ran` (no space, no
   * escape, keys in a plain object's order): anything else is left to JSON.parse.
   */
  static scan(json: string, from: number): { ran: Ran; end: number } | undefined {
    if (json.charCodeAt(from) !== 123 /* { */) return undefined;
    if (json.charCodeAt(from + 1) === 125 /* } */) return { ran: Ran.EMPTY, end: from + 2 };
    const entries = new Map<string, Entry>();
    let last = -1;
    let at = from + 1;
    for (;;) {
      const keyEnd = plainStringEnd(json, at);
      if (keyEnd === -1 || json.charCodeAt(keyEnd + 1) !== 58 /* : */ || json.charCodeAt(keyEnd + 2) !== 91 /* [ */) return undefined;
      const key = json.slice(at + 1, keyEnd);
      const index = arrayIndex(key);
      // Index keys ascending, then the other keys, each once: the order a plain object lists them in.
      if ((index !== -1 && index <= last) || (index === -1 && entries.has(key))) return undefined;
      last = index === -1 ? Infinity : index;
      const hashes: string[] = [];
      let i = keyEnd + 3;
      if (json.charCodeAt(i) === 93 /* ] */) i++;
      else {
        for (;;) {
          const end = plainStringEnd(json, i);
          if (end === -1) return undefined;
          hashes.push(json.slice(i + 1, end));
          const next = json.charCodeAt(end + 1);
          i = end + 2;
          if (next === 93 /* ] */) break;
          if (next !== 44 /* , */) return undefined;
        }
      }
      entries.set(key, { hashes, json: json.slice(at, i) });
      const next = json.charCodeAt(i);
      at = i + 1;
      if (next === 125 /* } */) break;
      if (next !== 44 /* , */) return undefined;
    }
    return { ran: Ran.#counted(entries, json.slice(from, at)), end: at };
  }

  /** Comments remembered. */
  get size(): number {
    return this.#entries.size;
  }

  /** Hashes remembered, over all comments. */
  get hashCount(): number {
    return this.#hashes;
  }

  /** Comments whose list is empty. */
  get emptyCount(): number {
    return this.#empties;
  }

  get(key: string): readonly string[] | undefined {
    return this.#entries.get(key)?.hashes;
  }

  has(key: string): boolean {
    return this.#entries.has(key);
  }

  /** The keys in the order a plain object (and its JSON) has them: for index keys, oldest comment first. */
  keys(): readonly string[] {
    return (this.#keys ??= [...this.#entries.keys()]);
  }

  *[Symbol.iterator](): Iterator<[string, readonly string[]]> {
    for (const [key, entry] of this.#entries) yield [key, entry.hashes];
  }

  /**
   * This memory with `key` set to `hashes` (a key already there keeps its place, as in a plain
   * object), less its oldest entries past `keep`.
   */
  with(key: string, hashes: readonly string[], keep = Infinity): Ran {
    const entry: Entry = { hashes, json: `${JSON.stringify(key)}:${JSON.stringify(hashes)}` };
    const old = this.#entries.get(key);
    const index = arrayIndex(key);
    let count = this.#hashes - (old?.hashes.length ?? 0) + hashes.length;
    let empties = this.#empties - (old && !old.hashes.length ? 1 : 0) + (hashes.length ? 0 : 1);
    // A new key that a plain object lists before the last one (an older comment's id): laid out
    // again. Else (a key already there, a newer comment's id, a key that is no index) a copy keeps the order.
    const lastIndex = this.#last === undefined ? -1 : arrayIndex(this.#last);
    if (!old && index !== -1 && this.#last !== undefined && (lastIndex === -1 || index < lastIndex)) {
      const entries = new Map<string, Entry>();
      for (const [k, e] of this.#entries) {
        if (!entries.has(key) && (arrayIndex(k) === -1 || arrayIndex(k) > index)) entries.set(key, entry);
        entries.set(k, e);
      }
      return Ran.#counted(entries).#withoutOldest(keep);
    }
    const entries = new Map(this.#entries).set(key, entry);
    // The text follows from this one's when the entry changed is the last (as a new comment's is).
    let json: string | undefined;
    if (this.#json !== undefined && !old) json = `${this.#entries.size ? `${this.#json.slice(0, -1)},` : "{"}${entry.json}}`;
    else if (this.#json !== undefined && old?.json !== undefined && key === this.#last) json = `${this.#json.slice(0, -1 - old.json.length)}${entry.json}}`;
    let dropped = 0;
    for (const [k, e] of entries) {
      if (entries.size <= keep) break;
      entries.delete(k);
      count -= e.hashes.length;
      if (!e.hashes.length) empties--;
      if (json !== undefined) dropped += e.json === undefined ? Infinity : e.json.length + 1;
    }
    if (!entries.size) return Ran.EMPTY;
    if (dropped) json = dropped === Infinity ? undefined : `{${json!.slice(1 + dropped)}`;
    return new Ran(entries, count, empties, old ? this.#last : key, json);
  }

  /** The oldest entries past `keep` dropped (rare: the caller changed an entry not last). */
  #withoutOldest(keep: number): Ran {
    const size = this.#entries.size;
    return size <= keep ? this : this.select((_k, hashes, position) => (position >= size - keep ? hashes : undefined));
  }

  /**
   * The entries `pick` keeps, in their order: it gets each key, its hashes and its position, and
   * returns the hashes to keep (the same, or fewer) or undefined to drop the entry.
   */
  select(pick: (key: string, hashes: readonly string[], position: number) => readonly string[] | undefined): Ran {
    const entries = new Map<string, Entry>();
    let position = 0;
    let same = true;
    for (const [key, entry] of this.#entries) {
      const kept = pick(key, entry.hashes, position++);
      if (kept !== entry.hashes) same = false;
      if (kept) entries.set(key, kept === entry.hashes ? entry : { hashes: kept });
    }
    return same ? this : Ran.#counted(entries);
  }

  /** The text JSON.stringify gives for the same entries in a plain object; made once per Ran. */
  json(): string {
    if (this.#json === undefined) {
      const parts: string[] = [];
      for (const [key, entry] of this.#entries) parts.push((entry.json ??= `${JSON.stringify(key)}:${JSON.stringify(entry.hashes)}`));
      this.#json = `{${parts.join(",")}}`;
    }
    return this.#json;
  }

  /** For JSON.stringify of a whole record anywhere: the plain object, whose JSON is `json()`. */
  toJSON(): Record<string, readonly string[]> {
    // fromEntries defines own properties (a key "__proto__" stays a key) and orders keys as our entries are.
    return Object.fromEntries(this);
  }
}

/**
 * Where the string opening at `at` closes, when JSON.stringify would write its value as is (no
 * quote, backslash, control character or surrogate in it, so no escape); else -1.
 */
function plainStringEnd(json: string, at: number): number {
  if (json.charCodeAt(at) !== 34 /* " */) return -1;
  for (let i = at + 1; ; i++) {
    const c = json.charCodeAt(i);
    if (c === 34) return i;
    // NaN: past the end of the text.
    if (c === 92 || c < 32 || (c >= 0xd800 && c <= 0xdfff) || Number.isNaN(c)) return -1;
  }
}

/** One comment's hashes, and their JSON text (`"id":[…]`) once made: shared by the Rans that hold it. */
interface Entry {
  readonly hashes: readonly string[];
  json?: string;
}

/**
 * The number of a key a plain object lists before the others, in numeric order (a canonical
 * integer up to 2^32 - 2, an "array index"); -1 for any other key.
 */
export function arrayIndex(key: string): number {
  const length = key.length;
  if (!length || length > 10 || (length > 1 && key.charCodeAt(0) === 48 /* 0 */)) return -1;
  let value = 0;
  for (let i = 0; i < length; i++) {
    const digit = key.charCodeAt(i) - 48;
    if (digit < 0 || digit > 9) return -1;
    value = value * 10 + digit;
  }
  return value < 4294967295 ? value : -1;
}

/** `ran` as a Ran, whichever form the record holds (a record built by hand may hold a plain object). */
export function ranOf(ran: Ran | Readonly<Record<string, readonly string[]>>): Ran {
  return ran instanceof Ran ? ran : Ran.from(ran);
}
