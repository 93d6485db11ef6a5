/**
 * Coupon campaigns to saved segments (issue 16). Sending records the intent first — one row per
 * member of the segment with the decision (pending, or skipped and why) and, for the pending ones, a
 * single-use code from one new coupon batch — commits, then mails; each outcome goes to the
 * notifications log (per person) and settles the row. A crash mid-way leaves unsettled rows that the
 * `campaigns.deliver` job finishes: the log's (event, template) key makes a repeated send a no-op.
 */
import type { Db, Executor } from '../platform/db/schema.js';
import type { Clock } from '../platform/clock.js';
import { inTx } from '../platform/db/tx.js';
import { newId } from '../platform/ids.js';
import { AppError, problems } from '../platform/http/problems.js';
import * as store from './store.js';
import { capWindowStart, decideRecipient, DEFAULT_CAP, readUnsubscribeToken, unsubscribeToken } from './rules.js';
import type { CampaignsDeps } from './ports.js';

export interface CampaignInput {
  name: string;
  segment_id: string;
  promotion_id: string;
  offer?: string | undefined;
  channel?: 'email' | 'sms' | 'push' | undefined;
  frequency_cap?: { max: number; days: number } | undefined;
}

export interface CampaignView {
  id: string;
  name: string;
  segment_id: string;
  promotion_id: string;
  offer: string | null;
  channel: string;
  frequency_cap: { max: number; days: number };
  status: 'draft' | 'sending' | 'sent';
  created_at: string;
  sent_at: string | null;
  finished_at: string | null;
  results: { recipients: number; sent: number; pending: number; skipped: Record<string, number> };
}

const DELIVER_PAGE = 200;

export class CampaignsService {
  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
    private readonly deps: CampaignsDeps,
  ) {}

  async create(input: CampaignInput, by: string): Promise<CampaignView> {
    // Both must exist now, not at send time: a typo is a 404 on create.
    await this.deps.customers.segmentMembers(input.segment_id).then(() => undefined);
    await this.deps.promotions.getPromotion(input.promotion_id);
    const at = this.clock.now();
    const id = newId('cmp', at.getTime());
    const cap = input.frequency_cap ?? DEFAULT_CAP;
    await store.insertCampaign(this.db, {
      id,
      name: input.name,
      segment_id: input.segment_id,
      promotion_id: input.promotion_id,
      offer: input.offer ?? null,
      channel: input.channel ?? 'email',
      cap_max: cap.max,
      cap_days: cap.days,
      status: 'draft',
      batch_id: null,
      created_by: by,
      created_at: at,
      sent_at: null,
      finished_at: null,
    });
    return this.get(id);
  }

  async get(id: string): Promise<CampaignView> {
    const row = await store.getCampaign(this.db, id);
    if (!row) throw problems.notFound('campaign', id);
    return (await this.views([row]))[0]!;
  }

  async list(q: { limit?: number | undefined; cursor?: string | undefined }) {
    const limit = q.limit ?? 50;
    const rows = await store.listCampaigns(this.db, limit + 1, q.cursor);
    const page = rows.slice(0, limit);
    return { items: await this.views(page), next_cursor: rows.length > limit ? page[page.length - 1]!.id : null };
  }

  /** The people of a campaign and what happened to each (codes are shown: they are the campaign's). */
  async recipients(id: string, limit = 200) {
    await this.get(id);
    return (await store.recipients(this.db, id, limit)).map((r) => ({
      customer_id: r.customer_id,
      status: r.status,
      reason: r.reason,
      coupon_code: r.coupon_code,
      updated_at: r.updated_at.toISOString(),
    }));
  }

  private async views(rows: store.CampaignRow[]): Promise<CampaignView[]> {
    const counts = await store.counts(
      this.db,
      rows.map((r) => r.id),
    );
    return rows.map((r) => {
      const mine = counts.filter((c) => c.campaign_id === r.id);
      const skipped: Record<string, number> = {};
      for (const c of mine) if (c.status === 'skipped') skipped[c.reason ?? 'unknown'] = c.n;
      const n = (s: string) => mine.filter((c) => c.status === s).reduce((a, c) => a + c.n, 0);
      return {
        id: r.id,
        name: r.name,
        segment_id: r.segment_id,
        promotion_id: r.promotion_id,
        offer: r.offer,
        channel: r.channel,
        frequency_cap: { max: r.cap_max, days: r.cap_days },
        status: r.status as CampaignView['status'],
        created_at: r.created_at.toISOString(),
        sent_at: r.sent_at?.toISOString() ?? null,
        finished_at: r.finished_at?.toISOString() ?? null,
        results: { recipients: mine.reduce((a, c) => a + c.n, 0), sent: n('sent'), pending: n('pending'), skipped },
      };
    });
  }

  /**
   * Sends a draft campaign once. Decisions (consent, cap) are read before the transaction — the
   * segment is evaluated through the customers service, which reads through the pool — and the
   * send itself checks consent again, so a withdrawal in between still wins.
   */
  async send(id: string): Promise<CampaignView> {
    const campaign = await store.getCampaign(this.db, id);
    if (!campaign) throw problems.notFound('campaign', id);
    if (campaign.status !== 'draft') throw new AppError('invalid_transition', `campaign ${id} was sent already`);
    const members = await this.deps.customers.segmentMembers(campaign.segment_id);
    const now = this.clock.now();
    const cap = { max: campaign.cap_max, days: campaign.cap_days };
    const decisions: { customer_id: string; send: boolean; reason: string | null }[] = [];
    for (const customerId of members) {
      const [consented, rows] = await Promise.all([
        // Consent per channel: marketing_email, marketing_sms or marketing_push.
        this.deps.customers.hasConsent(customerId, `marketing_${campaign.channel}`),
        this.deps.customers.memberIds(customerId),
      ]);
      const sentInWindow = consented ? await this.deps.messages.marketingSentSince(rows, capWindowStart(now, cap)) : 0;
      const d = decideRecipient({ consented, sentInWindow, cap });
      decisions.push({ customer_id: customerId, send: d.send, reason: d.send ? null : d.reason });
    }
    await inTx(this.db, undefined, async (trx) => {
      const locked = await store.getCampaign(trx, id, true);
      if (locked?.status !== 'draft') throw new AppError('invalid_transition', `campaign ${id} was sent already`);
      const toSend = decisions.filter((d) => d.send);
      const batch = toSend.length
        ? await this.deps.promotions.createCoupons(
            campaign.promotion_id,
            { kind: 'single_use', count: toSend.length, prefix: 'C' },
            { trx },
          )
        : { batch_id: null, codes: [] };
      let next = 0;
      await store.insertRecipients(
        trx,
        decisions.map((d) => ({
          campaign_id: id,
          customer_id: d.customer_id,
          status: d.send ? 'pending' : 'skipped',
          reason: d.reason,
          coupon_code: d.send ? (batch.codes[next++] ?? null) : null,
          logged: false,
          updated_at: now,
        })),
      );
      await store.updateCampaign(trx, id, { status: 'sending', sent_at: now, batch_id: batch.batch_id });
    });
    await this.deliver(id);
    return this.get(id);
  }

  /** Mails the pending recipients and logs the skipped ones, then marks the campaign sent. */
  async deliver(id: string): Promise<number> {
    const campaign = await store.getCampaign(this.db, id);
    if (!campaign || campaign.status !== 'sending') return 0;
    let done = 0;
    for (;;) {
      const page = await store.openRecipients(this.db, id, DELIVER_PAGE);
      for (const r of page) {
        const contact = await this.deps.customers.contact(r.customer_id).catch(() => null);
        const channel = campaign.channel as 'email' | 'sms' | 'push';
        // The address on the campaign's channel: e-mail, phone, or (push) the person the provider knows.
        const address =
          channel === 'email' ? contact?.email : channel === 'sms' ? contact?.phone : contact ? r.customer_id : null;
        const out = await this.deps.messages.send({
          eventId: `campaign:${id}:${r.customer_id}`,
          template: 'campaign_coupon',
          channel,
          customerId: r.customer_id,
          email: address ?? null,
          skipReason: r.status === 'skipped' ? (r.reason ?? 'skipped') : undefined,
          data: {
            locale: contact?.locale,
            first_name: contact?.first_name ?? undefined,
            coupon_code: r.coupon_code ?? undefined,
            offer: campaign.offer ?? undefined,
            unsubscribe_url: this.unsubscribeUrl(r.customer_id, `marketing_${channel}`),
          },
        });
        // `duplicate`: an earlier attempt sent it and died before settling; the log says sent.
        const status = out.status === 'skipped' ? 'skipped' : r.status === 'skipped' ? 'skipped' : 'sent';
        const reason = out.status === 'skipped' ? (out.reason ?? r.reason) : r.reason;
        await store.settleRecipient(this.db, r, { status, reason, at: this.clock.now() });
        done++;
      }
      if (page.length < DELIVER_PAGE) break;
    }
    await store.updateCampaign(this.db, id, { status: 'sent', finished_at: this.clock.now() });
    return done;
  }

  /** The job: finishes campaigns a crash (or a failing mail server) left half-sent. */
  async deliverDue(): Promise<number> {
    let n = 0;
    for (const c of await store.sendingCampaigns(this.db, 10)) n += await this.deliver(c.id).catch(() => 0);
    return n;
  }

  /** What campaigns hold about these profile rows (the customer export). */
  dataOf(customerIds: string[]) {
    return store.ofCustomers(this.db, customerIds);
  }

  /** `customer.erased`: codes sent to them and their cart reminders go. */
  erase(customerIds: string[], trx: Executor): Promise<void> {
    return store.eraseCustomers(trx, customerIds);
  }

  /** The signed link that withdraws `purpose` (the consent the message was sent under). */
  unsubscribeUrl(customerId: string, purpose = 'marketing_email'): string {
    const [secret] = this.deps.secrets();
    return `${this.deps.publicUrl}/v1/unsubscribe?token=${unsubscribeToken(secret!, customerId, purpose)}`;
  }

  /** The public unsubscribe link: withdraws the consent the token names. */
  async unsubscribe(token: string): Promise<{ unsubscribed: true; purpose: string }> {
    const t = readUnsubscribeToken(this.deps.secrets(), token);
    if (!t) throw problems.field('token', 'this unsubscribe link is not valid');
    await this.deps.customers.withdrawConsent(t.customer_id, t.purpose, 'unsubscribe_link');
    return { unsubscribed: true, purpose: t.purpose };
  }
}
