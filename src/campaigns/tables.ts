export interface CampaignsTable {
  id: string;
  name: string;
  segment_id: string;
  promotion_id: string;
  offer: string | null;
  channel: string;
  cap_max: number;
  cap_days: number;
  status: string;
  batch_id: string | null;
  created_by: string;
  created_at: Date;
  sent_at: Date | null;
  finished_at: Date | null;
}
export interface CampaignRecipientsTable {
  campaign_id: string;
  customer_id: string;
  status: string;
  reason: string | null;
  coupon_code: string | null;
  logged: boolean;
  updated_at: Date;
}
export interface CartRemindersTable {
  cart_id: string;
  customer_id: string;
  status: string;
  reason: string | null;
  created_at: Date;
  updated_at: Date;
}

declare module '../platform/db/schema.js' {
  interface DB {
    campaigns: CampaignsTable;
    campaign_recipients: CampaignRecipientsTable;
    cart_reminders: CartRemindersTable;
  }
}
