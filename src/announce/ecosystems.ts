/** GitHub's advisory ecosystems, and the names other tools use for the same registries. */
const GITHUB_NAMES: Record<string, string> = {
  npm: "npm", pip: "pip", pypi: "pip", python: "pip", maven: "maven", rubygems: "rubygems", gem: "rubygems",
  nuget: "nuget", composer: "composer", packagist: "composer", go: "go", golang: "go", rust: "rust", cargo: "rust",
  "crates.io": "rust", erlang: "erlang", hex: "erlang", actions: "actions", "github actions": "actions",
  pub: "pub", swift: "swift", swifturl: "swift", other: "other",
};

/** GitHub's name for an ecosystem; anything unknown is GitHub's "other". */
export function githubEcosystem(name: string): string {
  return GITHUB_NAMES[name.trim().toLowerCase()] ?? "other";
}

// OSV's names (ossf/osv-schema ecosystems); "other" has none, so such packages stay out of OSV.
const OSV_NAMES: Record<string, string> = {
  npm: "npm", pip: "PyPI", maven: "Maven", rubygems: "RubyGems", nuget: "NuGet", composer: "Packagist",
  go: "Go", rust: "crates.io", erlang: "Hex", actions: "GitHub Actions", pub: "Pub", swift: "SwiftURL",
};

export function osvEcosystem(github: string): string | undefined {
  return OSV_NAMES[githubEcosystem(github)];
}

/** Ecosystems whose versions are SemVer 2.0 by rule (OSV's SEMVER range type). */
export function isSemverEcosystem(github: string): boolean {
  return ["npm", "go", "rust"].includes(githubEcosystem(github));
}

/** CVE JSON 5 `versionType` per ecosystem ("custom" where there is no established name). */
export function cveVersionType(github: string): string {
  const types: Record<string, string> = { npm: "semver", go: "semver", rust: "semver", maven: "maven", pip: "python", rubygems: "rubygems", nuget: "nuget", composer: "composer" };
  return types[githubEcosystem(github)] ?? "custom";
}

/** Where a package's registry lives, for CVE JSON 5 `collectionURL`. */
export function collectionUrl(github: string): string | undefined {
  const urls: Record<string, string> = {
    npm: "https://www.npmjs.com", pip: "https://pypi.org", maven: "https://repo.maven.apache.org/maven2",
    rubygems: "https://rubygems.org", nuget: "https://www.nuget.org/packages", composer: "https://packagist.org",
    go: "https://pkg.go.dev", rust: "https://crates.io", erlang: "https://hex.pm", pub: "https://pub.dev",
  };
  return urls[githubEcosystem(github)];
}
