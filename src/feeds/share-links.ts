/**
 * Share links: a product page URL with the attribution parameters (utm_source = the social channel,
 * utm_medium, utm_campaign) and the share id. The storefront that opens one reports the visit; it is
 * recorded as a behaviour event of the social channel through the customers module's ingestion, so the
 * channel mix counts the visit (and the visitor's later identity) under social.
 */
import type { Db } from '../platform/db/schema.js';
import type { Clock } from '../platform/clock.js';
import { newId } from '../platform/ids.js';
import { AppError, problems } from '../platform/http/problems.js';
import { httpUrl, shareUrl } from './rules.js';
import type { FeedsPorts } from './ports.js';
import * as store from './store.js';

export interface ShareLinkInput {
  /** The social channel the link is shared on (its code or id): utm_source. */
  channel: string;
  /** The page shared (a product page of the shop). */
  url: string;
  campaign?: string | undefined;
  medium?: string | undefined;
  sku?: string | undefined;
}

export interface ShareLinkView {
  id: string;
  channel: string;
  url: string;
  target_url: string;
  campaign: string;
  medium: string;
  sku: string | null;
  sharer_customer_id: string | null;
  visits: number;
  created_at: string;
}

const TOKEN = /^[a-z0-9][a-z0-9_.-]{0,63}$/;

export class ShareLinks {
  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
    private readonly ports: FeedsPorts,
  ) {}

  async create(input: ShareLinkInput, by: { customerId: string | null }): Promise<ShareLinkView> {
    const channel = await this.ports.network.channel(input.channel);
    if (!channel) throw problems.field('channel', `channel ${input.channel} does not exist`);
    if (channel.type !== 'social') throw problems.field('channel', `channel ${channel.code} is not a social channel`);
    const target = httpUrl(input.url);
    if (!target) throw problems.field('url', 'must be an http(s) URL');
    const campaign = (input.campaign ?? 'share').toLowerCase();
    const medium = (input.medium ?? 'social').toLowerCase();
    if (!TOKEN.test(campaign)) throw problems.field('campaign', 'letters, digits, _ . - only (up to 64)');
    if (!TOKEN.test(medium)) throw problems.field('medium', 'letters, digits, _ . - only (up to 64)');
    const now = this.clock.now();
    const row: store.ShareLinkRow = {
      id: newId('shl', now.getTime()),
      channel_id: channel.id,
      target_url: target,
      campaign,
      medium,
      sku: input.sku ?? null,
      sharer_customer_id: by.customerId,
      visits: 0,
      created_at: now,
    };
    await store.insertShareLink(this.db, row);
    return this.view(row, channel.code);
  }

  async get(id: string): Promise<ShareLinkView> {
    const row = await store.getShareLink(this.db, id);
    if (!row) throw problems.notFound('share link', id);
    const channel = await this.ports.network.channel(row.channel_id);
    return this.view(row, channel?.code ?? row.channel_id);
  }

  /**
   * A visit through the link: one `page_viewed` behaviour event in the social channel, carrying the
   * utm parameters and the share id, under the visitor's anonymous id (the same id the storefront
   * later uses for the cart, so the identity graph ties the order to the visit).
   */
  async visit(
    id: string,
    anonymousId: string,
    customerId: string | null = null,
  ): Promise<{ channel: string; recorded: true }> {
    const link = await this.get(id);
    if (!/^[\w.:-]{1,128}$/.test(anonymousId))
      throw problems.field('anonymous_id', 'letters, digits, _ . : - only (up to 128)');
    await this.ports.customers
      .recordVisit({
        type: 'page_viewed',
        timestamp: this.clock.now().toISOString(),
        anonymous_id: anonymousId,
        ...(customerId ? { customer_id: customerId } : {}),
        channel: link.channel,
        properties: {
          path: new URL(link.target_url).pathname,
          utm_source: link.channel,
          utm_medium: link.medium,
          utm_campaign: link.campaign,
          share_id: link.id,
        },
      })
      .catch((err: unknown) => {
        throw err instanceof AppError ? err : new AppError('unavailable', `the visit was not recorded: ${String(err)}`);
      });
    await store.countVisit(this.db, id);
    return { channel: link.channel, recorded: true };
  }

  /** The sharer is personal data: erased with the person (customer.erased, in the dispatcher's transaction). */
  forgetSharers = store.forgetSharers;

  private view(r: store.ShareLinkRow, channelCode: string): ShareLinkView {
    return {
      id: r.id,
      channel: channelCode,
      url: shareUrl(r.target_url, { source: channelCode, medium: r.medium, campaign: r.campaign, shareId: r.id }),
      target_url: r.target_url,
      campaign: r.campaign,
      medium: r.medium,
      sku: r.sku,
      sharer_customer_id: r.sharer_customer_id,
      visits: r.visits,
      created_at: r.created_at.toISOString(),
    };
  }
}
