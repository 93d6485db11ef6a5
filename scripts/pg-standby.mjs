#!/usr/bin/env node
// A local hot standby of the PostgreSQL server, for the read-replica test and benchmark
// (DATABASE_READ_URL, docs/scaling.md "A read replica"):
//
//   node scripts/pg-standby.mjs            start (or reuse) a streaming standby on 127.0.0.1:5433
//   node scripts/pg-standby.mjs --stop     stop it (its folder stays: the next start resumes it)
//   node scripts/pg-standby.mjs --stop --purge   stop it and delete its folder
//
// Idempotent: a running, streaming standby is reused; a stopped one is started and, if it cannot
// resume streaming (the primary recycled the WAL it needs), rebuilt with pg_basebackup.
// The last line on stdout is JSON: {"status":"running"|"started"|"rebuilt"|"stopped", "url": …}.
//
// What it needs of the primary (checked, with the reason printed when missing):
//   - wal_level replica or logical and max_wal_senders ≥ 2: both need a server restart, which this
//     script never does;
//   - a pg_hba.conf rule letting 127.0.0.1 open replication connections. When missing and the
//     hba file is writable by this user (root or the server's user), the script appends
//     `host replication all 127.0.0.1/32 <method of the existing 127.0.0.1 rule>` and reloads the
//     server (pg_reload_conf(), no restart), and says so; otherwise it stops and prints the line;
//   - a superuser or REPLICATION role in OMNIA_PRIMARY_URL.
// The standby runs as the OS user that owns the primary's data folder (root cannot run postgres):
// the script runs the PostgreSQL binaries through `runuser` when started as root.
//
// Environment: OMNIA_PRIMARY_URL (postgres://postgres@127.0.0.1:5432/postgres), OMNIA_STANDBY_PORT
// (5433), OMNIA_STANDBY_DIR (/var/lib/postgresql/omnia-standby-<port>), PG_BIN (the server's bin folder).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';
import { URL } from 'node:url';
import pg from 'pg';

const PRIMARY = process.env.OMNIA_PRIMARY_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const PORT = Number(process.env.OMNIA_STANDBY_PORT ?? 5433);
const DIR = process.env.OMNIA_STANDBY_DIR ?? `/var/lib/postgresql/omnia-standby-${PORT}`;
const args = new Set(process.argv.slice(2));
const say = (msg) => console.error(`pg-standby: ${msg}`);
const done = (status) => {
  console.log(JSON.stringify({ status, url: standbyUrl(), dir: DIR, port: PORT }));
  process.exit(0);
};
const fail = (msg) => {
  console.error(`pg-standby: ${msg}`);
  console.log(JSON.stringify({ status: 'failed', reason: msg }));
  process.exit(1);
};

function standbyUrl() {
  const u = new URL(PRIMARY);
  u.hostname = '127.0.0.1';
  u.port = String(PORT);
  return u.toString();
}

async function query(url, sql, params = []) {
  const c = new pg.Client({ connectionString: url, connectionTimeoutMillis: 3000 });
  await c.connect();
  try {
    return (await c.query(sql, params)).rows;
  } finally {
    await c.end();
  }
}

/** The bin folder of the primary's major version (PG_BIN wins). */
function binDir(versionNum) {
  if (process.env.PG_BIN) return process.env.PG_BIN;
  const dir = `/usr/lib/postgresql/${Math.floor(versionNum / 10000)}/bin`;
  if (!fs.existsSync(path.join(dir, 'pg_ctl'))) fail(`no pg_ctl in ${dir}: set PG_BIN`);
  return dir;
}

/** Runs a PostgreSQL binary as `user` (through runuser when we are root and they are not us). */
function runAs(user, bin, argv, opts = {}) {
  const me = os.userInfo().username;
  const [cmd, full] = me === user ? [bin, argv] : ['runuser', ['-u', user, '--', bin, ...argv]];
  if (me !== user && me !== 'root') fail(`the standby must run as ${user}; run this script as root or ${user}`);
  return execFileSync(cmd, full, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], ...opts });
}

function running(bin, user) {
  if (!fs.existsSync(path.join(DIR, 'PG_VERSION'))) return false;
  try {
    runAs(user, path.join(bin, 'pg_ctl'), ['-D', DIR, 'status']);
    return true;
  } catch {
    return false;
  }
}

/** True once the standby answers, is in recovery and its WAL receiver streams from the primary. */
async function streaming(timeoutMs) {
  const until = Date.now() + timeoutMs;
  for (;;) {
    try {
      const [r] = await query(
        standbyUrl(),
        `select pg_is_in_recovery() as rec, (select status from pg_stat_wal_receiver limit 1) as status`,
      );
      if (r.rec && r.status === 'streaming') return true;
    } catch {
      /* not accepting connections yet */
    }
    if (Date.now() > until) return false;
    await sleep(250);
  }
}

async function allowReplication(settings) {
  const rules = await query(
    PRIMARY,
    `select database, address, auth_method, type from pg_hba_file_rules where error is null order by line_number`,
  );
  const local = (r) =>
    r.type !== 'local' && (r.address === '127.0.0.1' || r.address === 'all' || r.address === 'samehost');
  const repl = rules.find((r) => local(r) && (r.database.includes('replication') || r.database.includes('all')));
  // `all` in the database column does not match replication connections: only `replication` does.
  if (repl && repl.database.includes('replication')) return;
  const method = rules.find((r) => local(r) && r.database.includes('all'))?.auth_method ?? 'scram-sha-256';
  const line = `host replication all 127.0.0.1/32 ${method}`;
  const hba = settings.hba_file;
  try {
    fs.accessSync(hba, fs.constants.W_OK);
  } catch {
    fail(`the primary refuses replication from 127.0.0.1: add "${line}" to ${hba} and reload it`);
  }
  fs.appendFileSync(hba, `\n# added by omnia scripts/pg-standby.mjs (local hot standby)\n${line}\n`);
  await query(PRIMARY, 'select pg_reload_conf()');
  say(`changed the primary: appended "${line}" to ${hba} and reloaded its configuration (no restart)`);
}

/** The standby's own configuration: the Debian layout keeps postgresql.conf outside the data folder. */
function writeConfig(settings, user) {
  const keep = ['max_connections', 'max_worker_processes', 'max_wal_senders', 'max_prepared_transactions'];
  const lines = [
    '# written by omnia scripts/pg-standby.mjs',
    `port = ${PORT}`,
    `listen_addresses = '127.0.0.1'`,
    `unix_socket_directories = '${DIR}'`,
    `hba_file = '${DIR}/pg_hba.conf'`,
    `ident_file = '${DIR}/pg_ident.conf'`,
    'hot_standby = on',
    'hot_standby_feedback = on',
    // Hot standby refuses to start when these are below the primary's.
    ...keep.map((k) => `${k} = ${settings[k]}`),
    `max_locks_per_transaction = ${settings.max_locks_per_transaction}`,
    'shared_buffers = 128MB',
    'logging_collector = off',
  ];
  fs.writeFileSync(path.join(DIR, 'postgresql.conf'), lines.join('\n') + '\n');
  fs.writeFileSync(path.join(DIR, 'pg_hba.conf'), fs.readFileSync(settings.hba_file, 'utf8'));
  if (!fs.existsSync(path.join(DIR, 'pg_ident.conf'))) fs.writeFileSync(path.join(DIR, 'pg_ident.conf'), '');
  execFileSync('chown', [
    `${user}:`,
    ...['postgresql.conf', 'pg_hba.conf', 'pg_ident.conf'].map((f) => path.join(DIR, f)),
  ]);
}

async function build(settings, bin, user) {
  await allowReplication(settings);
  fs.rmSync(DIR, { recursive: true, force: true });
  fs.mkdirSync(DIR, { recursive: true, mode: 0o700 });
  execFileSync('chown', [`${user}:`, DIR]);
  const u = new URL(PRIMARY);
  const conninfo = `host=${u.hostname} port=${u.port || 5432} user=${decodeURIComponent(u.username || user)}`;
  say(`pg_basebackup from ${u.hostname}:${u.port || 5432} into ${DIR} (copies the whole cluster)`);
  const started = Date.now();
  runAs(user, path.join(bin, 'pg_basebackup'), ['-d', conninfo, '-D', DIR, '-R', '-X', 'stream', '-c', 'fast', '-w'], {
    env: { ...process.env, PGPASSWORD: decodeURIComponent(u.password ?? '') },
  });
  say(`base backup took ${((Date.now() - started) / 1000).toFixed(1)} s`);
  writeConfig(settings, user);
}

function startServer(bin, user) {
  runAs(user, path.join(bin, 'pg_ctl'), ['-D', DIR, '-l', path.join(DIR, 'standby.log'), '-w', '-t', '120', 'start']);
}

async function main() {
  let settings;
  try {
    const rows = await query(
      PRIMARY,
      `select name, setting from pg_settings where name in ('server_version_num', 'wal_level', 'max_wal_senders',
         'hba_file', 'data_directory', 'max_connections', 'max_worker_processes', 'max_prepared_transactions',
         'max_locks_per_transaction')`,
    );
    settings = Object.fromEntries(rows.map((r) => [r.name, r.setting]));
  } catch (err) {
    fail(`cannot reach the primary at ${PRIMARY.replace(/:[^:@/]*@/, ':***@')}: ${err.message}`);
  }
  const bin = binDir(Number(settings.server_version_num));
  // The OS user the server runs as owns its data folder.
  const user =
    process.env.OMNIA_STANDBY_USER ??
    execFileSync('stat', ['-c', '%U', settings.data_directory], { encoding: 'utf8' }).trim();

  if (args.has('--stop')) {
    if (running(bin, user)) runAs(user, path.join(bin, 'pg_ctl'), ['-D', DIR, '-m', 'fast', '-w', 'stop']);
    if (args.has('--purge')) fs.rmSync(DIR, { recursive: true, force: true });
    done('stopped');
  }
  if (!['replica', 'logical'].includes(settings.wal_level))
    fail(`the primary's wal_level is ${settings.wal_level}: set it to replica and restart the server (not done here)`);
  if (Number(settings.max_wal_senders) < 2)
    fail(`the primary's max_wal_senders is ${settings.max_wal_senders}: set at least 2 and restart (not done here)`);

  if (running(bin, user) && (await streaming(5000))) done('running');
  if (fs.existsSync(path.join(DIR, 'standby.signal'))) {
    try {
      if (!running(bin, user)) startServer(bin, user);
      if (await streaming(15_000)) done('started');
      say('the standby did not resume streaming: rebuilding it');
    } catch (err) {
      say(`the existing standby did not start (${String(err.message).split('\n')[0]}): rebuilding it`);
    }
    if (running(bin, user)) runAs(user, path.join(bin, 'pg_ctl'), ['-D', DIR, '-m', 'immediate', '-w', 'stop']);
  }
  await build(settings, bin, user);
  startServer(bin, user);
  if (!(await streaming(60_000))) fail(`the standby started but does not stream; see ${DIR}/standby.log`);
  done('rebuilt');
}

main().catch((err) => fail(err.stack ?? String(err)));
