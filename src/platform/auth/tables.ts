import type { Generated } from 'kysely';

export interface PlatformSettingsTable {
  key: string;
  value: string;
}
export interface StaffUsersTable {
  id: string;
  email: string;
  password_hash: string;
  role: string;
  location_id: string | null;
  disabled: Generated<boolean>;
  created_at: Generated<Date>;
}
export interface ApiKeysTable {
  id: string;
  /** publishable | secret (migration 0010) */
  kind: string;
  channel_id: string;
  location_id: string | null;
  scopes: string[];
  secret_hash: string;
  label: string | null;
  created_at: Generated<Date>;
  revoked_at: Date | null;
}
export interface IdempotencyKeysTable {
  principal: string;
  key: string;
  method: string;
  path: string;
  request_hash: string;
  status_code: number | null;
  response: string | null;
  content_type: string | null;
  locked_until: Date | null;
  created_at: Generated<Date>;
}
/** Subjects whose tokens issued at or before `not_before` are refused (sessions.ts). */
export interface AuthRevocationsTable {
  subject: string;
  not_before: Date;
}
/** Single sessions ended by logout, kept until their token would have expired. */
export interface AuthRevokedSessionsTable {
  sid: string;
  subject: string;
  expires_at: Date;
  revoked_at: Date;
}

declare module '../db/schema.js' {
  interface DB {
    platform_settings: PlatformSettingsTable;
    staff_users: StaffUsersTable;
    api_keys: ApiKeysTable;
    idempotency_keys: IdempotencyKeysTable;
    auth_revocations: AuthRevocationsTable;
    auth_revoked_sessions: AuthRevokedSessionsTable;
  }
}
