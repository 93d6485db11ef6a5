/** Spawning real `omnia` processes against one PostgreSQL database, for the multi-process and crash tests. */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { childEnv } from '../helpers/cli.js';

const BIN = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../bin/omnia.js');

export function omniaCli(args: string[], opts: { url: string; input?: string }) {
  const r = spawnSync(process.execPath, [BIN, ...args, '--database-url', opts.url], { input: opts.input ?? '', encoding: 'utf8', env: childEnv(), timeout: 60_000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

export interface Server {
  proc: ChildProcess;
  base: string;
  exited: Promise<number | null>;
}

/** Starts `omnia serve` on a free port and resolves once it says where it listens. */
export function startServer(url: string, env: Record<string, string> = {}): Promise<Server> {
  const proc = spawn(process.execPath, [BIN, 'serve', '--database-url', url, '--port', '0', '--no-demo'], { env: childEnv(env), stdio: ['ignore', 'pipe', 'pipe'] });
  const exited = new Promise<number | null>((resolve) => proc.on('exit', (code) => resolve(code)));
  return new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`server did not start:\n${out}`)), 60_000);
    const onData = (b: Buffer) => {
      out += b.toString();
      const m = /API:\s+(http:\/\/[^\s/]+)\/v1/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve({ proc, base: m[1]!, exited });
      }
    };
    proc.stdout!.on('data', onData);
    proc.stderr!.on('data', onData);
    void exited.then((code) => reject(new Error(`server exited (${code}) before starting:\n${out}`)));
  });
}

export async function stopServer(s: Server, signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
  if (s.proc.exitCode === null && s.proc.signalCode === null) s.proc.kill(signal);
  await s.exited;
}

export async function api(base: string, token: string, method: string, url: string, body?: unknown): Promise<{ status: number; body: any }> {
  const res = await fetch(base + url, { method, headers: { authorization: `Bearer ${token}`, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) }, ...(body !== undefined ? { body: JSON.stringify(body) } : {}) });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : undefined };
}
