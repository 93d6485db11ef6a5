/**
 * The shopper's HTTP client of the flow benchmarks (flow.ts, _flow-steps.ts): node:http with a
 * keep-alive agent, one socket per concurrent shopper reused for all its requests. JSON in and out;
 * the Authorization header on every request, Content-Type only with a body.
 */
import http from 'node:http';

export interface Answer {
  status: number;
  body: Record<string, unknown>;
}
export type Send = (method: string, path: string, body?: unknown) => Promise<Answer>;

export function keepAliveClient(base: string, authorization: string, sockets: number): { send: Send; close(): void } {
  const agent = new http.Agent({ keepAlive: true, maxSockets: sockets });
  const url = new URL(base);
  const send: Send = (method, path, body) =>
    new Promise((resolve, reject) => {
      const payload = body === undefined ? undefined : JSON.stringify(body);
      const headers: Record<string, string> = { authorization };
      if (payload !== undefined) headers['content-type'] = 'application/json';
      const req = http.request({ agent, host: url.hostname, port: url.port, method, path, headers }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString();
          resolve({ status: res.statusCode ?? 0, body: text ? (JSON.parse(text) as Record<string, unknown>) : {} });
        });
        res.on('error', reject);
      });
      req.on('error', reject);
      req.end(payload);
    });
  return { send, close: () => agent.destroy() };
}
