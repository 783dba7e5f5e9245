import { leaf, projectArg } from "../_args";
import { cliClient } from "../config";
import { print } from "../output";

export const note = leaf({
  name: "note",
  description: "Keep a note on a run (--run) or on the project: why a configuration was chosen or a run stopped",
  args: {
    ...projectArg,
    run: { type: "string", description: "The run (name or id); without it the note is the project's" },
    text: { type: "string", required: true, description: "The note" },
  },
  async run({ args }) {
    const n = await cliClient(args).notes.add(args.project, args.run ?? null, args.text);
    print(args, n, (x) => `Note ${x.id} added to ${x.run_id ? `run ${x.run_id}` : `project ${x.project}`}.`);
  },
});
