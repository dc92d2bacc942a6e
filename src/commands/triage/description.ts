import { textCommand } from "../field-command.js";

export const description = textCommand(
  {
    name: "description",
    usage: "/triage description <text>",
    summary: "The advisory's description (markdown, one line here; the advisory draft can be edited later).",
    examples: ["/triage description Uploaded file names are not normalised, so `../` escapes the upload directory."],
  },
  "description",
  1900,
  "the description",
);
