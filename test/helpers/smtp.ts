/** A real SMTP server on a free loopback port for the tests that check mail (what nodemailer sends lands in `inbox`). */
import { SMTPServer } from 'smtp-server';
import type { AddressInfo } from 'node:net';

export interface Mail {
  to: string;
  raw: string;
  /** The decoded text (quoted-printable undone). */
  text: string;
}

/** The text of a mail as sent: nodemailer writes non-ASCII quoted-printable. */
export const decodeQp = (raw: string) =>
  raw
    .replace(/=\r?\n/g, '')
    .replace(/(?:=[0-9A-F]{2})+/g, (m) => Buffer.from(m.replace(/=/g, ''), 'hex').toString('utf8'));

export async function smtpSink(): Promise<{ url: string; inbox: Mail[]; close(): Promise<void> }> {
  const inbox: Mail[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onData(stream, session, done) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        const raw = Buffer.concat(chunks).toString('utf8');
        inbox.push({ to: session.envelope.rcptTo.map((r) => r.address).join(','), raw, text: decodeQp(raw) });
        done();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.server.address() as AddressInfo;
  return { url: `smtp://127.0.0.1:${port}`, inbox, close: () => new Promise<void>((r) => server.close(() => r())) };
}
