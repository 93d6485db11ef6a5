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
