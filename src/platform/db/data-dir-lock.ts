import fs from 'node:fs';
import path from 'node:path';

/**
 * The embedded database admits one process. A lock file in the data folder names the holder (pid,
 * and the server URL when it is `omnia serve`), so a second process can say who holds it and, for
 * CLI commands, go through that server instead of opening the folder twice.
 */
export interface LockInfo {
  pid: number;
  url?: string;
  command: string;
  since: string;
}

export class DataDirLockedError extends Error {
  constructor(
    public readonly holder: LockInfo,
    dir: string,
  ) {
    super(
      `the embedded database in ${dir} is in use by process ${holder.pid} (${holder.command}` +
        `${holder.url ? ` at ${holder.url}` : ''}). Stop it first, or use its HTTP API.`,
    );
    this.name = 'DataDirLockedError';
  }
}

const LOCK_NAME = 'omnia.lock';

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export function readLock(dir: string): LockInfo | undefined {
  try {
    const info = JSON.parse(fs.readFileSync(path.join(dir, LOCK_NAME), 'utf8')) as LockInfo;
    return alive(info.pid) && info.pid !== process.pid ? info : undefined;
  } catch {
    return undefined;
  }
}

export interface DataDirLock {
  update(patch: Partial<LockInfo>): void;
  release(): void;
}

/** Takes the folder's lock or throws DataDirLockedError. A lock left by a dead process is taken over. */
export function acquireDataDirLock(dir: string, command: string): DataDirLock {
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, LOCK_NAME);
  const info: LockInfo = { pid: process.pid, command, since: new Date().toISOString() };
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      fs.writeFileSync(file, JSON.stringify(info), { flag: 'wx' });
      let released = false;
      const release = () => {
        if (released) return;
        released = true;
        try {
          const current = JSON.parse(fs.readFileSync(file, 'utf8')) as LockInfo;
          if (current.pid === process.pid) fs.unlinkSync(file);
        } catch {
          /* already gone */
        }
      };
      process.once('exit', release);
      return {
        update(patch) {
          Object.assign(info, patch);
          fs.writeFileSync(file, JSON.stringify(info));
        },
        release,
      };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      const holder = readLock(dir);
      if (holder) throw new DataDirLockedError(holder, dir);
      fs.rmSync(file, { force: true }); // stale: its process is gone
    }
  }
  throw new Error(`could not take the lock on ${dir}`);
}
