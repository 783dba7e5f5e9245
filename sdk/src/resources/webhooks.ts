import { seg, type Client } from "../client";

export type CreateWebhook = { url: string; min_level?: string; run?: string; kind?: string };
export type Webhook = { id: string; url: string; min_level?: string | null; run?: string | null; kind?: string; secret?: string; [k: string]: unknown };
export type WebhookDelivery = { id?: string; webhook_id?: string; status?: string; [k: string]: unknown };

/** Webhook subscriptions of a project; the signing secret is returned only at creation and rotation. */
export class Webhooks {
  constructor(private readonly client: Client) {}

  add(project: string, body: CreateWebhook): Promise<Webhook> {
    return this.client.request("POST", `/v1/projects/${seg(project)}/webhooks`, { body });
  }

  list(project: string): Promise<{ webhooks: Webhook[] }> {
    return this.client.request("GET", `/v1/projects/${seg(project)}/webhooks`);
  }

  remove(project: string, id: string): Promise<unknown> {
    return this.client.request("DELETE", `/v1/projects/${seg(project)}/webhooks/${seg(id)}`);
  }

  rotateSecret(project: string, id: string): Promise<Webhook> {
    return this.client.request("POST", `/v1/projects/${seg(project)}/webhooks/${seg(id)}/rotate-secret`);
  }

  deliveries(project: string, query: { webhook?: string; status?: string; limit?: number; cursor?: string | number } = {}): Promise<{ deliveries: WebhookDelivery[]; [k: string]: unknown }> {
    return this.client.request("GET", `/v1/projects/${seg(project)}/webhooks/deliveries`, { query });
  }
}
