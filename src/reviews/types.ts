/** The reviews module's public data types. */
export const SIZE_FEEDBACK = ['small', 'true', 'large'] as const;
export type SizeFeedback = (typeof SIZE_FEEDBACK)[number];
export const REVIEW_STATUSES = ['pending', 'approved', 'rejected'] as const;
export type ReviewStatus = (typeof REVIEW_STATUSES)[number];
/** What a product's size feedback says, once enough people answered. */
export type SizeAdvice = 'runs_small' | 'true_to_size' | 'runs_large';

/** A review as the public sees it (no customer id, no moderation detail). */
export interface PublicReview {
  id: string;
  product_id: string;
  sku: string | null;
  author_name: string | null;
  rating: number;
  title: string | null;
  text: string | null;
  size_feedback: SizeFeedback | null;
  verified_purchase: boolean;
  created_at: string;
}

/** A review as its author and the moderators see it. */
export interface Review extends PublicReview {
  customer_id: string | null;
  channel_id: string;
  verified_order_id: string | null;
  verified_channel_type: string | null;
  status: ReviewStatus;
  reject_reason: string | null;
  moderated_by: string | null;
  moderated_at: string | null;
  updated_at: string;
}

/** A product's approved reviews in figures (the product page and the product read). */
export interface RatingSummary {
  count: number;
  /** Mean rating, one decimal; null without reviews. */
  average: number | null;
  /** How many reviews gave each star, "1" … "5". */
  distribution: Record<'1' | '2' | '3' | '4' | '5', number>;
  size_feedback: {
    count: number;
    /** Shares of the answers (0..1, two decimals); 0 each without answers. */
    small: number;
    true: number;
    large: number;
    advice: SizeAdvice | null;
  };
}

/** What a person's own size feedback says about how they choose sizes. */
export interface CustomerSizeProfile {
  answers: { small: number; true: number; large: number };
  /** `size_up`: what they bought usually felt small; `size_down`: large; null: no clear pattern. */
  tendency: 'size_up' | 'true_to_size' | 'size_down' | null;
  /** Per size they bought and judged: the size to suggest next time (e.g. M felt small → L). */
  sizes: { size: string; feedback: SizeFeedback; suggest: string }[];
}
