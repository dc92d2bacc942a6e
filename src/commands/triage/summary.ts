import { textCommand } from "../field-command.js";

export const summary = textCommand(
  {
    name: "summary",
    usage: "/triage summary <one line>",
    summary: "The advisory's one-line summary (GitHub allows 1024 characters).",
    examples: ["/triage summary Path traversal in the upload endpoint"],
  },
  "summary",
  1024,
  "the summary",
);
