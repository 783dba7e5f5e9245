import { bodyLimit } from "hono/body-limit";
import { ApiError } from "./errors";

/** Refuses bodies over `maxBytes` with 413 in the one error shape, before they are parsed. */
export const limitBody = (maxBytes: number) =>
  bodyLimit({
    maxSize: maxBytes,
    onError: () => {
      throw new ApiError("payload_too_large", `Request body is larger than ${maxBytes} bytes`);
    },
  });
