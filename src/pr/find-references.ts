/**
 * Issue numbers of the security repo that a private PR's title or body points at: `#12` (the PR
 * lives in the security repo or in one of its temporary private forks, whose own issues are off),
 * `owner/security#12`, or the URL.
 */
export function findReferences(text: string, securityRepo: string): number[] {
  const found = new Set<number>();
  const [owner, repo] = securityRepo.toLowerCase().split("/");
  const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  const full = new RegExp(`(?:^|[^\\w/])${escape(owner!)}/${escape(repo!)}#(\\d+)\\b`, "gi");
  const url = new RegExp(`https://github\\.com/${escape(owner!)}/${escape(repo!)}/issues/(\\d+)\\b`, "gi");
  const short = /(?:^|[\s(,;:])#(\d+)\b/g;
  for (const re of [full, url, short]) for (const m of text.matchAll(re)) found.add(Number(m[1]));
  return [...found].filter((n) => n > 0);
}
