import fs from "node:fs";
import { describe, it, expect, vi } from "vitest";
import cvssPkg from "ae-cvss-calculator";
import { scoreVector, type CvssResult } from "../../src/cvss/score-vector.js";

const { Cvss3P1, Cvss4P0 } = cvssPkg;

interface Official {
  vector: string;
  baseScore: number;
  severity: string;
  nomenclature?: string;
}
const load = (url: URL): Official[] => JSON.parse(fs.readFileSync(url, "utf8")) as Official[];

// Samples of /work/shared/testdata/cvss (RedHatProductSecurity/cvss, pandatix/go-cvss test vectors).
const sample31 = load(new URL("../fixtures/cvss/sample31.json", import.meta.url));
const sample40 = load(new URL("../fixtures/cvss/sample40.json", import.meta.url));
const fullData = new URL("../../../shared/testdata/cvss/", import.meta.url);

const expectOfficial = (x: Official, version: string) =>
  expect(scoreVector(x.vector), x.vector).toEqual({
    ok: true,
    value: { version, vector: x.vector, score: x.baseScore, severity: x.severity.toLowerCase() },
  });

const scoreOf = (vector: string): number => {
  const r = scoreVector(vector);
  if (!r.ok) throw new Error(`${vector}: ${r.error}`);
  return r.value.score;
};

describe("official scores", () => {
  it("the samples hold the known traps and every 4.0 nomenclature", () => {
    const v31 = sample31.map((x) => x.vector);
    expect(v31).toContain("CVSS:3.1/AV:L/AC:H/PR:L/UI:N/S:C/C:H/I:H/A:N");
    // These 5.7s come out as 5.6 in @pandatix/js-cvss.
    const traps40 = sample40.filter((x) => x.vector.includes("/AT:P/") && x.baseScore === 5.7);
    expect(traps40.length).toBeGreaterThanOrEqual(5);
    expect(new Set(sample40.map((x) => x.nomenclature))).toEqual(new Set(["CVSS-B", "CVSS-BT", "CVSS-BE", "CVSS-BTE"]));
    expect(sample31.length).toBeGreaterThan(250);
    expect(sample40.length).toBeGreaterThan(250);
  });

  it.each(sample31)("3.1 $vector = $baseScore", (x) => expectOfficial(x, "3.1"));
  it.each(sample40)("4.0 $vector = $baseScore", (x) => expectOfficial(x, "4.0"));

  // Checked against the 3.0 spec formula by hand: Roundup(min(Impact + Exploitability, 10)),
  // times 1.08 when scope changes; 3.0 base scores equal 3.1's except for float rounding noise.
  it.each([
    // ISS = 1 - 0.44^3 = 0.914816; 6.42 * ISS = 5.8731 + 8.22*0.85*0.77*0.85*0.85 = 3.8870 -> 9.760 -> 9.8
    ["CVSS:3.0/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", 9.8, "critical"],
    // 1.08 * (6.0477 + 3.8870) = 10.73 -> capped 10
    ["CVSS:3.0/AV:N/AC:L/PR:N/UI:N/S:C/C:H/I:H/A:H", 10, "critical"],
    // ISS 0.8064; 7.52*0.7774 - 3.25*0.7864^15 = 5.7576; 8.22*0.55*0.44*0.68*0.85 = 1.1498; *1.08 = 7.460 -> 7.5
    ["CVSS:3.0/AV:L/AC:H/PR:L/UI:N/S:C/C:H/I:H/A:N", 7.5, "high"],
    // ISS 0.3916; 7.52*0.3626 = 2.7268; 8.22*0.85*0.77*0.85*0.62 = 2.8353; *1.08 = 6.007 -> 6.1
    ["CVSS:3.0/AV:N/AC:L/PR:N/UI:R/S:C/C:L/I:L/A:N", 6.1, "medium"],
    // 6.42*0.22 = 1.4124 + 8.22*0.2*0.44*0.27*0.62 = 0.1212 -> 1.534 -> 1.6
    ["CVSS:3.0/AV:P/AC:H/PR:H/UI:R/S:U/C:L/I:N/A:N", 1.6, "low"],
    // 6.42*0.56 = 3.5952 + 8.22*0.62*0.77*0.85*0.85 = 2.8353 -> 6.431 -> 6.5
    ["CVSS:3.0/AV:A/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:H", 6.5, "medium"],
    // 5.8731 + 8.22*0.55*0.77*0.62*0.85 = 1.8346 -> 7.708 -> 7.8
    ["CVSS:3.0/AV:L/AC:L/PR:L/UI:N/S:U/C:H/I:H/A:H", 7.8, "high"],
    // Impact 0 gives 0 whatever the exploitability.
    ["CVSS:3.0/AV:N/AC:H/PR:N/UI:N/S:U/C:N/I:N/A:N", 0, "none"],
  ] as const)("3.0 %s = %s", (vector, score, severity) => {
    expect(scoreVector(vector)).toEqual({ ok: true, value: { version: "3.0", vector, score, severity } });
  });

  it.skipIf(!fs.existsSync(fullData))("every vector in the full reference files", () => {
    const wrong: string[] = [];
    let count = 0;
    for (const [file, version] of [["cvss31.json", "3.1"], ["cvss40.json", "4.0"]] as const) {
      for (const x of load(new URL(file, fullData))) {
        count++;
        const r = scoreVector(x.vector);
        const want = { version, vector: x.vector, score: x.baseScore, severity: x.severity.toLowerCase() };
        if (!r.ok || JSON.stringify(r.value) !== JSON.stringify(want)) wrong.push(`${x.vector}: ${JSON.stringify(r)}`);
      }
    }
    expect(wrong).toEqual([]);
    expect(count).toBe(2592 + 1704);
  });
});

describe("bad input", () => {
  const base31 = "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H";
  const base40 = "CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:H/SI:H/SA:H";
  const PREFIX = "a vector must start with CVSS:3.0/, CVSS:3.1/ or CVSS:4.0/";
  it.each([
    ["", "empty CVSS vector"],
    [" \n ", "empty CVSS vector"],
    ["AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", `missing prefix: ${PREFIX}`],
    ["cvss:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", `bad prefix "cvss:3.1": ${PREFIX}`],
    ["CVSS3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", `bad prefix "CVSS3.1": ${PREFIX}`],
    ["CVSS:3.2/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", "unsupported CVSS version 3.2: use 3.0, 3.1 or 4.0"],
    ["CVSS:2.0/AV:N/AC:L/Au:N/C:P/I:P/A:P", "CVSS 2.0 is not supported: give a CVSS 3.0, 3.1 or 4.0 vector"],
    ["AV:N/AC:L/Au:N/C:P/I:P/A:P", "CVSS 2.0 is not supported: give a CVSS 3.0, 3.1 or 4.0 vector"],
    ["(AV:N/AC:L/Au:N/C:P/I:P/A:P)", "CVSS 2.0 is not supported: give a CVSS 3.0, 3.1 or 4.0 vector"],
    [`${base31}/ZZ:1`, 'unknown metric "ZZ" in a CVSS 3.1 vector'],
    [`${base40}/RL:O`, 'unknown metric "RL" in a CVSS 4.0 vector'],
    [`${base31}/__proto__:X`, 'unknown metric "__proto__" in a CVSS 3.1 vector'],
    ["CVSS:3.1/av:n/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", 'unknown metric "av" in a CVSS 3.1 vector'],
    [`${base31}/AV:N`, 'metric "AV" appears twice'],
    [`${base31}/E:U/E:U`, 'metric "E" appears twice'],
    ["CVSS:3.1/AV:Q/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", '"Q" is not a value of AV (allowed: N, A, L, P)'],
    ["CVSS:3.1/AV:/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", '"" is not a value of AV (allowed: N, A, L, P)'],
    [`${base31}/MS:Q`, '"Q" is not a value of MS (allowed: X, U, C)'],
    [`${base40}/U:amber`, '"amber" is not a value of U (allowed: X, Clear, Green, Amber, Red)'],
    [`${base40}/MSC:S`, '"S" is not a value of MSC (allowed: X, H, L, N)'],
    ["CVSS:3.1/AV:N/UI:N/S:U/C:H/I:H/A:H", "missing base metric(s): AC, PR"],
    ["CVSS:3.1/", "missing base metric(s): AV, AC, PR, UI, S, C, I, A"],
    // A 3.1 vector relabelled 4.0: the library would happily score it from defaults.
    ["CVSS:4.0/AV:N/AC:L/PR:N/UI:N/C:H", 'unknown metric "C" in a CVSS 4.0 vector'],
    ["CVSS:4.0/AV:N/AC:L/PR:N/UI:N", "missing base metric(s): AT, VC, VI, VA, SC, SI, SA"],
    ["CVSS:3.1/AV:N//AC:L", 'empty metric in "AV:N//AC:L"'],
    [`${base31}/`, `empty metric in "${base31.slice(9)}/"`],
    ["CVSS:3.1/AVN/AC:L", 'malformed metric "AVN": expected NAME:VALUE'],
    [`${base31}/${"E:X/".repeat(64)}`, "input is 301 characters; a CVSS vector is at most 300"],
  ])("%j", (input, error) => {
    expect(scoreVector(input)).toEqual({ ok: false, error });
  });

  it("refuses non-strings without throwing", () => {
    expect(scoreVector(null as unknown as string)).toEqual({ ok: false, error: "expected a CVSS vector string" });
  });

  it("turns a calculator failure into an error result", async () => {
    vi.resetModules();
    const broken = class {
      calculateScores(): never {
        throw new Error("boom");
      }
    };
    vi.doMock("ae-cvss-calculator", () => ({ default: { Cvss3P0: broken, Cvss3P1: broken, Cvss4P0: class {} } }));
    try {
      const mod = await import("../../src/cvss/score-vector.js");
      expect(mod.scoreVector(base31)).toEqual({ ok: false, error: "could not score vector: boom" });
      // A Cvss4P0 without calculateScores throws a TypeError, which is caught too.
      const r: CvssResult = mod.scoreVector(base40);
      expect(r.ok).toBe(false);
    } finally {
      vi.doUnmock("ae-cvss-calculator");
      vi.resetModules();
    }
  });
});

describe("severity bands", () => {
  it.each([
    ["CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:C/C:N/I:N/A:N", 0, "none"],
    ["CVSS:3.1/AV:P/AC:H/PR:H/UI:N/S:U/C:L/I:N/A:N", 1.6, "low"],
    ["CVSS:4.0/AV:A/AC:H/AT:N/PR:H/UI:P/VC:L/VI:N/VA:L/SC:N/SI:N/SA:L", 1, "low"],
    ["CVSS:3.1/AV:N/AC:H/PR:H/UI:R/S:U/C:L/I:L/A:L", 3.9, "low"],
    ["CVSS:3.1/AV:N/AC:H/PR:N/UI:N/S:C/C:L/I:N/A:N", 4, "medium"],
    ["CVSS:3.1/AV:N/AC:L/PR:H/UI:R/S:C/C:H/I:L/A:N", 6.9, "medium"],
    ["CVSS:3.1/AV:N/AC:H/PR:N/UI:N/S:U/C:H/I:L/A:L", 7, "high"],
    ["CVSS:3.1/AV:N/AC:L/PR:L/UI:R/S:C/C:H/I:H/A:L", 8.9, "high"],
    ["CVSS:3.1/AV:N/AC:L/PR:L/UI:R/S:C/C:H/I:H/A:H", 9, "critical"],
    ["CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:H/SI:H/SA:H", 10, "critical"],
  ] as const)("%s = %s %s", (vector, score, severity) => {
    const r = scoreVector(vector);
    expect(r.ok && [r.value.score, r.value.severity]).toEqual([score, severity]);
  });
});

describe("normalisation", () => {
  it("puts metrics in FIRST order, keeps explicit X values and trims whitespace", () => {
    const r = scoreVector(" \tCVSS:3.1/MA:X/CR:H/A:H/I:H/C:H/S:U/E:U/UI:N/PR:N/AC:L/AV:N\n");
    expect(r).toEqual({
      ok: true,
      value: {
        version: "3.1",
        vector: "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H/E:U/CR:H/MA:X",
        score: 9.8,
        severity: "critical",
      },
    });
  });

  it("orders 4.0 base, threat, environmental, then supplemental metrics", () => {
    const r = scoreVector(
      "CVSS:4.0/U:Amber/S:N/AV:L/AC:L/AT:N/PR:L/UI:P/VC:N/VI:H/VA:H/SC:N/SI:L/SA:L/MSI:H/E:P/CR:H/MAV:A",
    );
    expect(r.ok && r.value.vector).toBe(
      "CVSS:4.0/AV:L/AC:L/AT:N/PR:L/UI:P/VC:N/VI:H/VA:H/SC:N/SI:L/SA:L/E:P/CR:H/MAV:A/MSI:H/S:N/U:Amber",
    );
  });
});

describe("which score", () => {
  it("3.1 with temporal metrics gives the base score, not the temporal one", () => {
    const vector = "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H/E:U/RL:O/RC:U";
    expect(new Cvss3P1(vector).calculateScores().temporal).toBe(7.8);
    expect(scoreOf(vector)).toBe(9.8);
  });

  it("3.1 with environmental metrics gives the base score", () => {
    expect(scoreOf("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H/MAV:P/MC:N/MI:N")).toBe(9.8);
  });

  it("4.0 with threat metrics gives the library's overall (CVSS-BT) score", () => {
    const vector = "CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:H/SI:H/SA:H/E:U";
    const lib = new Cvss4P0(vector).calculateScores();
    expect(lib.baseMetricsOnly).toBe(10);
    expect(scoreOf(vector)).toBe(lib.overall);
    expect(scoreOf(vector)).toBe(9.1);
  });

  it("4.0 supplemental metrics do not change the score", () => {
    const base = "CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N";
    expect(scoreOf(`${base}/S:P/AU:Y/R:I/V:C/RE:H/U:Red`)).toBe(scoreOf(base));
  });
});
