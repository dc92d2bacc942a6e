/** At most `max` UTF-16 units, never half a surrogate pair at the cut: a lone one is not valid UTF-8, and GitHub may refuse the issue. */
export function cut(text: string, max: number): string {
  return text.slice(0, /[\ud800-\udbff]/.test(text[max - 1] ?? "") ? max - 1 : max);
}
