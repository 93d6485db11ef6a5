/**
 * Adapts the customers module to the engine's CustomerFacts. The customers module has no
 * per-customer segment membership call yet, so the segments a promotion can name are the derived
 * classes of the 360 view: the RFM segment (e.g. "champions"), "churn_<low|medium|high>" and the
 * channel-mix class ("omnichannel", "online_only", "store_only"). Consents are the granted purposes;
 * a first order is a customer with no orders yet.
 */
import type { AppError } from '../platform/http/problems.js';
import type { CustomerFactsPort } from './ports.js';

interface CustomerView {
  consents: { purpose: string; granted: boolean }[];
  metrics: {
    orders_count: number;
    rfm: { segment: string };
    churn_risk: { level: string };
    channel_mix: { class: string };
  };
}

export function customerFactsFrom(customers: { get(id: string): Promise<CustomerView> }): CustomerFactsPort {
  return {
    async facts(customerId) {
      const view = await customers.get(customerId).catch((err: unknown) => {
        if ((err as AppError)?.type === 'not_found') return undefined;
        throw err;
      });
      if (!view) return undefined;
      const m = view.metrics;
      return {
        segments: [m.rfm.segment, `churn_${m.churn_risk.level}`, m.channel_mix.class].filter((s) => s && s !== 'none'),
        consents: view.consents.filter((c) => c.granted).map((c) => c.purpose),
        first_order: m.orders_count === 0,
      };
    },
  };
}
