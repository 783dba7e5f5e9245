import { z } from "zod";
import { MediaFileName, Step } from "../../contract";
import { findMediaByPath, findStaged } from "../../db/media";
import { claimStaged, type Claim } from "../../services/media";
import { requireWriter } from "../auth";
import { endpoint, OptString, Project, type Ctx } from "../endpoint";
import { trackioBadRequest } from "../errors";
import { runForWrite } from "../identity";

const Upload = z.object({
  project: Project,
  run: z.string({ error: "run must be a string" }).min(1).max(256).nullish(),
  run_id: OptString("run_id"),
  step: Step.nullish(),
  relative_path: OptString("relative_path"),
  uploaded_file: z.object({ path: z.string({ error: "uploaded_file.path must be a string" }).max(256), orig_name: MediaFileName.nullish() }, { error: "uploaded_file must be an object" }),
});
type Upload = z.output<typeof Upload>;

const NOT_STAGED = "is not a file this key uploaded with /api/upload (or it was already filed elsewhere)";

/**
 * Trackio's `bulk_upload_media`: files each staged upload under `<project>/<run>/<step>/<orig_name>`,
 * the `file_path` its metric value holds. Only the key that uploaded a file may claim it, and only
 * into projects it may write to. Every upload is checked before any is filed; one already filed
 * (a retried call) is skipped.
 */
export const bulkUploadMedia = endpoint({
  params: ["uploads", "hf_token"],
  required: ["uploads"],
  access: "write",
  args: z.object({ uploads: z.array(Upload, { error: "uploads must be a list" }).max(1000, "uploads may hold at most 1000 files") }),
  run: async (ctx, a) => {
    requireWriter(ctx.caller, new Set(a.uploads.map((u) => u.project)));
    const claims: { u: Upload; claim: Omit<Claim, "runId"> }[] = [];
    for (const [i, u] of a.uploads.entries()) {
      const at = `uploads.${i}`;
      // Files of trackio.save() have no run; only media logged with a run is stored.
      if (!u.run) throw trackioBadRequest(`Invalid ${at}.run: project files (trackio.save) are not stored; media must belong to a run`);
      if (u.relative_path) throw trackioBadRequest(`Invalid ${at}.relative_path: only media files (relative_path null) are stored`);
      const step = u.step ?? 0;
      const staged = await findStaged(ctx.s.db, u.uploaded_file.path);
      const fileName = u.uploaded_file.orig_name ?? staged?.id ?? "";
      const filePath = `${u.project}/${u.run}/${step}/${fileName}`;
      if (!staged || staged.keyId !== ctx.caller!.keyId) {
        if (fileName && (await findMediaByPath(ctx.s.db, u.project, filePath))) continue;
        throw trackioBadRequest(`Invalid ${at}.uploaded_file.path: '${u.uploaded_file.path.slice(0, 80)}' ${NOT_STAGED}`);
      }
      claims.push({ u, claim: { staged, project: u.project, step, fileName, filePath } });
    }
    for (const { u, claim } of claims) {
      const run = await runForWrite(ctx as Ctx, u.project, u.run!, u.run_id ?? u.run!, null);
      await claimStaged(ctx.s, { ...claim, runId: run.id });
    }
    return null;
  },
});
