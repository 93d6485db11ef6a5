/**
 * CPU of one inventory benchmark phase: the server process (and this client) from /proc or
 * process.cpuUsage, and the PostgreSQL backends of the benchmark's database, sampled while they
 * live. The machine is shared, so wall-clock rates move with the neighbours' load; CPU per operation
 * hardly does, and is what before/after comparisons rely on.
 */
import { readFileSync } from 'node:fs';
import { startServer } from './_lib.js';
import path from 'node:path';
import pg from 'pg';

/** CPU ticks (user + system, 100 a second) a process has used, or 0 once it is gone. */
function ticks(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return Number(f[11]) + Number(f[12]);
  } catch {
    return 0;
  }
}

export function loadAverage(): string {
  return readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
}

export interface PhaseCpu {
  server_ms: number;
  client_ms: number;
  pg_ms: number;
  load: string;
}

/**
 * Starts measuring: the server process, this process, and every backend of `url`'s database
 * (sampled every 250 ms through one connection of its own, which is left out).
 */
export async function cpuMeter(url: string, serverPid: number | undefined): Promise<{ stop(): Promise<PhaseCpu> }> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  const own = (await c.query<{ pid: number }>('select pg_backend_pid() as pid')).rows[0]!.pid;
  const first = new Map<number, number>();
  const last = new Map<number, number>();
  const sample = async (initial: boolean) => {
    const r = await c.query<{ pid: number }>(
      'select pid from pg_stat_activity where datname = current_database() and pid <> $1',
      [own],
    );
    for (const { pid } of r.rows) {
      const t = ticks(pid);
      if (!t) continue;
      if (!first.has(pid)) first.set(pid, initial ? t : 0);
      last.set(pid, t);
    }
  };
  const server0 = serverPid ? ticks(serverPid) : 0;
  const client0 = process.cpuUsage();
  await sample(true);
  let busy = Promise.resolve();
  const timer = setInterval(() => (busy = busy.then(() => sample(false))), 250);
  return {
    async stop() {
      clearInterval(timer);
      await busy;
      await sample(false);
      await c.end();
      let pgTicks = 0;
      for (const [pid, t] of last) pgTicks += t - (first.get(pid) ?? 0);
      const cl = process.cpuUsage(client0);
      return {
        server_ms: serverPid ? (ticks(serverPid) - server0) * 10 : 0,
        client_ms: Math.round((cl.user + cl.system) / 1000),
        pg_ms: pgTicks * 10,
        load: loadAverage(),
      };
    },
  };
}

/** CPU per operation in ms, from a phase's CPU and its operation count. */
export function perOp(cpu: PhaseCpu, ops: number) {
  const d = Math.max(1, ops);
  return {
    server_ms_per_op: +(cpu.server_ms / d).toFixed(3),
    pg_ms_per_op: +(cpu.pg_ms / d).toFixed(3),
    client_ms_per_op: +(cpu.client_ms / d).toFixed(3),
    load: cpu.load,
  };
}

/**
 * `omnia serve` from another checkout (`--server-root`, e.g. a worktree of the old code), so one
 * client measures two servers alternately.
 */
export function startServerAt(root: string, args: string[], env: Record<string, string>) {
  return startServer(args, env, { bin: path.join(root, 'bin/omnia.js') });
}
