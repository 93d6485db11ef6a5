/** Pure shaping for the messages pages: the campaign form's body and the results line. */

export interface CampaignResults {
  recipients: number;
  sent: number;
  pending: number;
  skipped: Record<string, number>;
}

/** The create-campaign body from the form; a blank cap field means the default (2 in 7 days). */
export function campaignBody(f: Record<string, string>): {
  name: string;
  segment_id: string;
  promotion_id: string;
  offer?: string;
  frequency_cap?: { max: number; days: number };
} {
  const max = f.cap_max?.trim();
  const days = f.cap_days?.trim();
  return {
    name: (f.name ?? '').trim(),
    segment_id: f.segment_id ?? '',
    promotion_id: f.promotion_id ?? '',
    ...(f.offer?.trim() ? { offer: f.offer.trim() } : {}),
    // Numbers go as typed (the server refuses a bad one with a field error, never a silent clamp).
    ...(max || days ? { frequency_cap: { max: Number(max || 2), days: Number(days || 7) } } : {}),
  };
}

/** Skip reasons in a stable order (the API's keys), with their translation key. */
export const SKIP_REASONS = ['no marketing consent', 'frequency cap', 'no email address'] as const;
export function skipKey(reason: string): string {
  const i = (SKIP_REASONS as readonly string[]).indexOf(reason);
  return i >= 0 ? ['no_consent', 'capped', 'no_email'][i]! : 'other';
}

/** The skipped counts as [translation key, count] pairs, biggest first; nothing when none were skipped. */
export function skippedRows(r: CampaignResults): [string, number][] {
  return Object.entries(r.skipped)
    .filter(([, n]) => n > 0)
    .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
    .map(([reason, n]) => [skipKey(reason), n]);
}
