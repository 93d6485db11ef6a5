/** Spawning real `omnia` processes against one PostgreSQL database, for the multi-process and crash tests. */
import type { ChildProcess } from 'node:child_process';
import { omnia, startServer as startOmnia } from '../helpers/cli.js';

export function omniaCli(args: string[], opts: { url: string; input?: string }) {
  const r = omnia([...args, '--database-url', opts.url], {
    ...(opts.input !== undefined ? { input: opts.input } : {}),
    timeoutMs: 60_000,
  });
  return { status: r.code, stdout: r.stdout, stderr: r.stderr };
}

export interface Server {
  proc: ChildProcess;
  base: string;
  exited: Promise<number | null>;
}

/** Starts `omnia serve` on a free port and resolves once it says where it listens. */
export async function startServer(url: string, env: Record<string, string> = {}): Promise<Server> {
  const s = await startOmnia(['--database-url', url, '--no-demo'], env, 60_000);
  const exited = new Promise<number | null>((resolve) => {
    if (s.child.exitCode !== null || s.child.signalCode !== null) resolve(s.child.exitCode);
    else s.child.on('exit', (code) => resolve(code));
  });
  return { proc: s.child, base: s.url, exited };
}

export async function stopServer(s: Server, signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
  if (s.proc.exitCode === null && s.proc.signalCode === null) s.proc.kill(signal);
  await s.exited;
}

export async function api(
  base: string,
  token: string,
  method: string,
  url: string,
  body?: unknown,
): Promise<{ status: number; body: any }> {
  const res = await fetch(base + url, {
    method,
    headers: {
      authorization: `Bearer ${token}`,
      ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
    },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : undefined };
}
