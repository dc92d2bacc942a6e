/**
 * How much of each recorded value the response shows. The record keeps everything; the comment
 * shows a bounded amount, so it stays under GitHub's 65,536 characters whatever was recorded.
 * Each level is tighter than the one before; `renderResponse` takes the first level that fits.
 */
export interface ViewCaps {
  /** Items shown of each list before "+N more". */
  list: number;
  /** Characters shown of one free-text value. */
  text: number;
  /** Characters shown of one list element (a ticket URL, a package name). */
  element: number;
  /** Linked PRs shown in the status table. */
  prs: number;
  /** Branch items shown with a box; the rest are counted. */
  branches: number;
  /** Whether checklist items say how the app ticks them. */
  how: boolean;
}

export const LEVELS: readonly ViewCaps[] = [
  { list: 20, text: 1200, element: 120, prs: 20, branches: 40, how: true },
  { list: 6, text: 300, element: 80, prs: 8, branches: 20, how: true },
  { list: 0, text: 80, element: 60, prs: 3, branches: 8, how: false },
];

/** GitHub's limit for a comment body, and the share the signed record may take of it. */
export const COMMENT_LIMIT = 65_536;
export const RECORD_BUDGET = 34_000;

export function clip(text: string, max: number): string {
  // A text has at most as many characters as UTF-16 units: one no longer than `max` units fits,
  // without splitting it into characters (most values, on every render).
  if (text.length <= max) return text;
  const chars = [...text];
  return chars.length <= max ? text : `${chars.slice(0, Math.max(0, max - 1)).join("")}…`;
}

/** "a, b, c +N more", or undefined for an empty list. With a cap of 0 only the count shows. */
export function listText(items: string[], caps: ViewCaps, sep = ", "): string | undefined {
  if (!items.length) return undefined;
  const shown = items.slice(0, caps.list).map((i) => clip(i, caps.element));
  const more = items.length - shown.length;
  if (!shown.length) return `${items.length} recorded`;
  return `${shown.join(sep)}${more > 0 ? ` +${more} more` : ""}`;
}
