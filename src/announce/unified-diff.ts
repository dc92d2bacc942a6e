/** A unified diff of two texts (LCS over lines, 3 lines of context): what the preview shows per file. */
export function unifiedDiff(path: string, before: string | null, after: string): string {
  const a = before === null ? [] : before.replace(/\r\n/g, "\n").replace(/\n$/, "").split("\n");
  const b = after.replace(/\r\n/g, "\n").replace(/\n$/, "").split("\n");
  const ops = diffLines(a, b);
  const header = [`--- ${before === null ? "/dev/null" : `a/${path}`}`, `+++ b/${path}`];
  const hunks: string[] = [];
  const CONTEXT = 3;
  let i = 0;
  while (i < ops.length) {
    if (ops[i]!.op === " ") {
      i++;
      continue;
    }
    let start = Math.max(0, i - CONTEXT);
    let end = i;
    // Extend while changes are closer than two contexts apart.
    while (end < ops.length) {
      if (ops[end]!.op !== " ") {
        end++;
        continue;
      }
      let run = end;
      while (run < ops.length && ops[run]!.op === " ") run++;
      if (run === ops.length || run - end > 2 * CONTEXT) break;
      end = run;
    }
    end = Math.min(ops.length, end + CONTEXT);
    const slice = ops.slice(start, end);
    const aStart = ops.slice(0, start).filter((o) => o.op !== "+").length;
    const bStart = ops.slice(0, start).filter((o) => o.op !== "-").length;
    const aLen = slice.filter((o) => o.op !== "+").length;
    const bLen = slice.filter((o) => o.op !== "-").length;
    hunks.push(`@@ -${aLen ? aStart + 1 : aStart},${aLen} +${bLen ? bStart + 1 : bStart},${bLen} @@`, ...slice.map((o) => `${o.op}${o.line}`));
    i = end;
    start = end;
  }
  return [...header, ...hunks].join("\n");
}

type Op = { op: " " | "-" | "+"; line: string };

// An entry insertion changes a few lines of a long file: the common ends are cut off before the
// quadratic part, so a 5,000-line CHANGES file costs next to nothing.
function diffLines(all: string[], allB: string[]): Op[] {
  let p = 0;
  while (p < all.length && p < allB.length && all[p] === allB[p]) p++;
  let s = 0;
  while (s < all.length - p && s < allB.length - p && all[all.length - 1 - s] === allB[allB.length - 1 - s]) s++;
  const same = (lines: string[]): Op[] => lines.map((line) => ({ op: " ", line }));
  return [...same(all.slice(0, p)), ...lcsDiff(all.slice(p, all.length - s), allB.slice(p, allB.length - s)), ...same(all.slice(all.length - s))];
}

function lcsDiff(a: string[], b: string[]): Op[] {
  const n = a.length;
  const m = b.length;
  const lcs: number[][] = Array.from({ length: n + 1 }, () => new Array<number>(m + 1).fill(0));
  for (let x = n - 1; x >= 0; x--) for (let y = m - 1; y >= 0; y--) lcs[x]![y] = a[x] === b[y] ? lcs[x + 1]![y + 1]! + 1 : Math.max(lcs[x + 1]![y]!, lcs[x]![y + 1]!);
  const out: { op: " " | "-" | "+"; line: string }[] = [];
  let x = 0;
  let y = 0;
  while (x < n && y < m) {
    if (a[x] === b[y]) {
      out.push({ op: " ", line: a[x]! });
      x++;
      y++;
    } else if (lcs[x + 1]![y]! >= lcs[x]![y + 1]!) out.push({ op: "-", line: a[x++]! });
    else out.push({ op: "+", line: b[y++]! });
  }
  while (x < n) out.push({ op: "-", line: a[x++]! });
  while (y < m) out.push({ op: "+", line: b[y++]! });
  return out;
}
