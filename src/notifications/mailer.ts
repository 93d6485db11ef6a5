import nodemailer from 'nodemailer';

/** How a rendered message leaves: email over SMTP here; SMS or push would be other Mailers. */
export interface Mailer {
  readonly channel: string;
  send(msg: { to: string; subject: string; text: string; html: string }): Promise<void>;
  close?(): void;
}

/** Email over SMTP with nodemailer, e.g. `smtp://127.0.0.1:2525` (development) or `smtps://user:pass@host`. */
export function smtpMailer(url: string, from = 'Omnia <no-reply@omnia.local>'): Mailer {
  const transport = nodemailer.createTransport(url);
  return {
    channel: 'email',
    async send(msg) {
      await transport.sendMail({ from, to: msg.to, subject: msg.subject, text: msg.text, html: msg.html });
    },
    close: () => transport.close(),
  };
}

/**
 * SMS and push stand behind the same interface; until a provider is contracted they are log-only:
 * the message is written to the log (never its full text: a code or coupon would be a secret in the
 * logs) and counted as sent on that channel.
 */
export function logOnlyChannel(
  channel: 'sms' | 'push',
  log: { info(obj: object, msg: string): void },
): Mailer & { sent: { to: string; subject: string }[] } {
  const sent: { to: string; subject: string }[] = [];
  return {
    channel,
    sent,
    async send(msg) {
      sent.push({ to: msg.to, subject: msg.subject });
      log.info(
        { channel, to_suffix: msg.to.slice(-4), length: msg.text.length },
        `${channel} message (log-only provider)`,
      );
    },
  };
}
