import { CreateNote, NoteQuery, RunWaitQuery, StopRun } from "../contract";
import { projectAccess } from "../auth/middleware";
import { createRouter } from "../env";
import { svc } from "../services/context";
import { diagnoseRun } from "../services/diagnosis";
import { addNote, notesOf } from "../services/notes";
import { waitForRun } from "../services/run-wait";
import { stopRun } from "../services/stop";
import { valid } from "../validate";

const read = projectAccess("read");
const write = projectAccess("write");

/** The agent's control of a run (mounted at /v1/projects/:project): wait, stop, notes, diagnosis. */
export const runControl = createRouter()
  .get("/runs/:run/wait", read, valid("query", RunWaitQuery), async (c) =>
    c.json(await waitForRun(svc(c.env, c.var.principal), c.req.param("project")!, c.req.param("run"), c.req.valid("query"))))
  .post("/runs/:run/stop", write, valid("json", StopRun), async (c) =>
    c.json(await stopRun(svc(c.env, c.var.principal), c.req.param("project")!, c.req.param("run"), c.req.valid("json"))))
  .get("/runs/:run/diagnosis", read, async (c) => c.json(await diagnoseRun(svc(c.env, c.var.principal), c.req.param("project")!, c.req.param("run"))))
  .post("/runs/:run/notes", write, valid("json", CreateNote), async (c) =>
    c.json(await addNote(svc(c.env, c.var.principal), c.req.param("project")!, c.req.param("run"), c.req.valid("json").text), 201))
  .get("/runs/:run/notes", read, valid("query", NoteQuery), async (c) =>
    c.json({ notes: await notesOf(svc(c.env, c.var.principal), c.req.param("project")!, c.req.param("run"), c.req.valid("query").limit) }))
  .post("/notes", write, valid("json", CreateNote), async (c) =>
    c.json(await addNote(svc(c.env, c.var.principal), c.req.param("project")!, null, c.req.valid("json").text), 201))
  .get("/notes", read, valid("query", NoteQuery), async (c) =>
    c.json({ notes: await notesOf(svc(c.env, c.var.principal), c.req.param("project")!, null, c.req.valid("query").limit) }));
