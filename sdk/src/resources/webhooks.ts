import type { CreateWebhook, CreatedWebhook, DeletedWebhook, DeliveryList, DeliveryQuery, RotatedSecret, WebhookList } from "../../../src/contract";
import type { Client } from "../client";
import { seg } from "../internal/path";

/** Webhook subscriptions of a project; the signing secret is returned only at creation and rotation. */
export class Webhooks {
  constructor(private readonly client: Client) {}

  add(project: string, body: CreateWebhook): Promise<CreatedWebhook> {
    return this.client.request("POST", `/v1/projects/${seg(project)}/webhooks`, { body });
  }

  list(project: string): Promise<WebhookList> {
    return this.client.request("GET", `/v1/projects/${seg(project)}/webhooks`);
  }

  remove(project: string, id: string): Promise<DeletedWebhook> {
    return this.client.request("DELETE", `/v1/projects/${seg(project)}/webhooks/${seg(id)}`);
  }

  rotateSecret(project: string, id: string): Promise<RotatedSecret> {
    return this.client.request("POST", `/v1/projects/${seg(project)}/webhooks/${seg(id)}/rotate-secret`);
  }

  /** Recent deliveries with their status, attempts and last error. */
  deliveries(project: string, query: Omit<DeliveryQuery, "limit"> & { limit?: number } = {}): Promise<DeliveryList> {
    return this.client.request("GET", `/v1/projects/${seg(project)}/webhooks/deliveries`, { query });
  }
}
