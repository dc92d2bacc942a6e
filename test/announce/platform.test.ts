import { describe, expect, it } from "vitest";
import { octokitPlatform, platformOf } from "../../src/github/platform.js";
import { GHES_API } from "../helpers/github-api.js";

describe("platformOf: which GitHub, from the API base URL the operator set", () => {
  it("GitHub.com and GitHub Enterprise Cloud have repository security advisories", () => {
    expect(platformOf("https://api.github.com")).toEqual({ kind: "github.com", host: "api.github.com", advisories: true });
    expect(platformOf(undefined)).toMatchObject({ kind: "github.com", advisories: true });
    expect(platformOf("https://api.octocorp.ghe.com")).toEqual({ kind: "ghec", host: "api.octocorp.ghe.com", advisories: true });
  });

  it("GitHub Enterprise Server (`<protocol>://<host>/api/v3`, as Probot builds it from GHE_HOST) has none", () => {
    expect(platformOf("https://github.acme-inc.com/api/v3")).toEqual({ kind: "ghes", host: "github.acme-inc.com", advisories: false });
    expect(platformOf("http://ghe.internal:8080/api/v3/")).toEqual({ kind: "ghes", host: "ghe.internal:8080", advisories: false });
    expect(platformOf(GHES_API).advisories).toBe(false);
  });

  it("GHES written with a trailing slash in GHE_HOST (`//api/v3`), or behind a proxy's path prefix, is still GHES", () => {
    expect(platformOf("https://github.acme-inc.com//api/v3")).toMatchObject({ kind: "ghes", advisories: false });
    expect(platformOf("https://gateway.acme-inc.com/github/api/v3")).toMatchObject({ kind: "ghes", host: "gateway.acme-inc.com", advisories: false });
  });

  it("anything else is taken for GitHub.com (an unparseable URL too): the app then behaves as it always did", () => {
    expect(platformOf("not a url").advisories).toBe(true);
    expect(platformOf("https://proxy.example.com/github").advisories).toBe(true);
  });

  it("reads an Octokit's own base URL", () => {
    const octokit = (baseUrl: string) => ({ request: { endpoint: { DEFAULTS: { baseUrl } } } });
    expect(octokitPlatform(octokit("https://api.github.com")).advisories).toBe(true);
    expect(octokitPlatform(octokit(GHES_API)).kind).toBe("ghes");
  });
});
