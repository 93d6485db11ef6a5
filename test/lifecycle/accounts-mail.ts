/** The account and campaign journeys' mail: the shared SMTP sink, and the one-time codes read from it. */
import type { Mail } from '../helpers/smtp.js';

export { decodeQp, smtpSink, type Mail } from '../helpers/smtp.js';

/** The 6-digit code of the newest mail to `to` that carries one. */
export function codeFor(inbox: Mail[], to: string): string {
  const mails = inbox.filter((m) => m.to === to);
  // "… code is 123456" / "… es 123456" / "… é 123456" in the body (headers carry other digits). The newest
  // mail that has one: other mails of the same drain (an order confirmation) may arrive after it.
  const found = (m: Mail) => /\s(?:is|es|é) (\d{6})\b/.exec(m.text)?.[1];
  const code = [...mails].reverse().map(found).find(Boolean);
  if (!code) throw new Error(`no code mailed to ${to} (${mails.length} mails)`);
  return code;
}
