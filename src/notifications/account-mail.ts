/**
 * Account codes by mail (issue 16). The customers module records a code (hashed, with a sealed copy)
 * and an outbox event in its transaction; this runs after commit from the event's `notifications`
 * delivery row, sends the mail in the shopper's language, then asks customers to drop the sealed
 * copy. A failed send throws: the delivery is retried with back-off, and the code stays mailable.
 */
import type { PublishedEvent } from '../platform/events/outbox.js';
import type { NotificationOutcome, NotificationsService } from './service.js';
import type { MessageTemplate } from './messages.js';

export interface AccountCodePort {
  codeMail(
    codeId: string,
  ): Promise<
    { to: string; purpose: string; code: string; customer_id: string | null; locale: string | undefined } | undefined
  >;
  codeMailed(codeId: string): Promise<void>;
}

const TEMPLATE_OF: Record<string, MessageTemplate> = {
  register: 'account_code',
  claim: 'account_code',
  reset: 'password_reset',
  exists: 'account_exists',
};

export async function mailAccountCode(
  notifications: NotificationsService,
  accounts: AccountCodePort,
  event: PublishedEvent,
): Promise<NotificationOutcome> {
  const codeId = String(event.data.code_id ?? '');
  const mail = await accounts.codeMail(codeId);
  // Sent already, used, or erased: nothing to mail.
  if (!mail) return { status: 'duplicate' };
  const template = TEMPLATE_OF[mail.purpose] ?? 'account_code';
  const out = await notifications.send({
    eventId: event.id,
    template,
    customerId: mail.customer_id,
    email: mail.to,
    orderId: null,
    data: { locale: mail.locale, code: template === 'account_exists' ? undefined : mail.code, expires_in_min: 15 },
  });
  await accounts.codeMailed(codeId);
  return out;
}
