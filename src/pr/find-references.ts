const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/**
 * Every issue number of `repo` (the security repo the PR lives in) that a PR's title or body points
 * at, in order: `#12`, `owner/repo#12`, or the URL on GitHub's host (`webBase`, from the
 * repository's html_url). References to other repositories are not links.
 */
export function findReferences(text: string, repo: string, webBase?: string): number[] {
  const found = new Set<number>();
  const [owner, name] = repo.toLowerCase().split("/");
  const full = new RegExp(`(?:^|[^\\w/])${escape(owner!)}/${escape(name!)}#(\\d+)\\b`, "gi");
  const host = webBase ? escape(webBase.replace(/\/+$/, "")) : `https://[^/\\s]+/${escape(owner!)}/${escape(name!)}`;
  const url = new RegExp(`${host}/issues/(\\d+)\\b`, "gi");
  const short = /(?:^|[\s(,;:])#(\d+)\b/g;
  const hits: { at: number; n: number }[] = [];
  for (const re of [full, url, short]) for (const m of text.matchAll(re)) hits.push({ at: m.index ?? 0, n: Number(m[1]) });
  for (const hit of hits.sort((a, b) => a.at - b.at)) if (hit.n > 0) found.add(hit.n);
  return [...found];
}
