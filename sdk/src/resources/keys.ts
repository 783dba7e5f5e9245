import type { ApiKeyInfo, CreateKey, CreatedKey, KeyList } from "../../../src/contract";
import type { Client } from "../client";
import { seg } from "../internal/path";

/** API keys (admin scope). */
export class Keys {
  constructor(private readonly client: Client) {}

  /** The returned `key` is shown once; only its hash is stored. */
  create(body: CreateKey): Promise<CreatedKey> {
    return this.client.request("POST", "/v1/keys", { body });
  }

  list(): Promise<KeyList> {
    return this.client.request("GET", "/v1/keys");
  }

  revoke(id: string): Promise<ApiKeyInfo> {
    return this.client.request("DELETE", `/v1/keys/${seg(id)}`);
  }
}
