/** Pure helpers of the moderation page. */
import type { paths } from '../../api/schema';

export type QueueItem = paths['/v1/reviews']['get']['responses']['200']['content']['application/json']['items'][number];
export type ReviewStatus = 'pending' | 'approved' | 'rejected';

/** A rating as five stars, filled up to the rating ("★★★★☆"); out-of-range values are clamped for display. */
export function stars(rating: number): string {
  const n = Math.max(0, Math.min(5, Math.round(rating)));
  return '★'.repeat(n) + '☆'.repeat(5 - n);
}
