import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const OMNIA_BIN = path.join(ROOT, 'bin/omnia.js');

/**
 * The environment for a spawned `omnia`: ours without DATABASE_URL and OMNIA_DATA_DIR (in the
 * PostgreSQL pass DATABASE_URL names the server's shared admin database, which a child must never
 * write to), plus what the test names explicitly.
 */
export function childEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const { DATABASE_URL: _url, OMNIA_DATA_DIR: _dir, ...rest } = process.env;
  return { ...rest, LOG_LEVEL: 'warn', ...extra };
}

/** Runs `omnia …` to completion. */
export function omnia(args: string[], opts: { env?: Record<string, string>; input?: string; timeoutMs?: number } = {}) {
  const res = spawnSync(process.execPath, [OMNIA_BIN, ...args], {
    cwd: ROOT,
    env: childEnv(opts.env),
    input: opts.input ?? '',
    encoding: 'utf8',
    timeout: opts.timeoutMs ?? 120_000,
  });
  return { code: res.status, stdout: res.stdout, stderr: res.stderr };
}

/**
 * Runs `omnia …` to completion without blocking the event loop: a test worker that waits in spawnSync
 * for a long seed cannot answer vitest's RPC, which then reports "Timeout calling onTaskUpdate".
 */
export function omniaAsync(
  args: string[],
  opts: { env?: Record<string, string>; input?: string; timeoutMs?: number } = {},
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, [OMNIA_BIN, ...args], { cwd: ROOT, env: childEnv(opts.env) });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  child.stdin.end(opts.input ?? '');
  const timer = setTimeout(() => child.kill('SIGKILL'), opts.timeoutMs ?? 120_000);
  return new Promise((resolve) =>
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    }),
  );
}

/** Starts `omnia serve` on a free port and resolves with its URL once it prints it. */
export function startServer(
  args: string[],
  env: Record<string, string> = {},
  timeoutMs = 90_000,
): Promise<{ url: string; child: ChildProcess; output: () => string }> {
  const child = spawn(process.execPath, [OMNIA_BIN, 'serve', '--port', '0', ...args], {
    cwd: ROOT,
    env: childEnv(env),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start:\n${out}`)), timeoutMs);
    const onData = (d: Buffer) => {
      out += d.toString();
      // An API process prints its API address; a worker (--role worker) its probes.
      const m = /API:\s+(http:\/\/[^\s]+)\/v1/.exec(out) ?? /Probes:\s+(http:\/\/[^\s,]+)\/health/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve({ url: m[1]!, child, output: () => out });
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`server exited with ${code}:\n${out}`));
    });
  });
}

export function waitExit(child: ChildProcess): Promise<number | null> {
  return new Promise((r) => (child.exitCode !== null ? r(child.exitCode) : child.on('exit', (code) => r(code))));
}
