import { CliError, EXIT } from './shared.js';

interface Command {
  help: string;
  run(argv: string[]): Promise<number>;
}

/** Commands load lazily so `omnia doctor` does not pay for the HTTP server's imports. */
const COMMANDS: Record<string, { summary: string; load: () => Promise<Command> }> = {
  serve: {
    summary: 'start the HTTP API (embedded database unless DATABASE_URL is set)',
    load: () => import('./commands/serve.js'),
  },
  migrate: { summary: 'apply pending database migrations', load: () => import('./commands/migrate.js') },
  seed: {
    summary: 'create the demo retailer (--demo, --stores N, --products N, --seed S)',
    load: () => import('./commands/seed.js'),
  },
  import: {
    summary: 'import products from CSV: omnia import products FILE',
    load: () => import('./commands/import.js'),
  },
  doctor: {
    summary: 'check the database invariants; non-zero exit on any breach',
    load: () => import('./commands/doctor.js'),
  },
  'create-admin': {
    summary: 'create a staff user: --email E --password-stdin',
    load: () => import('./commands/create-admin.js'),
  },
  'api-key': { summary: 'create, list or revoke channel API keys', load: () => import('./commands/api-key.js') },
  plan: {
    summary: 'min/max per size per store, pooling, proposals: omnia plan minmax [--service-level 0.95 …]',
    load: () => import('./commands/plan.js'),
  },
};

function usage(): string {
  const width = Math.max(...Object.keys(COMMANDS).map((c) => c.length));
  return `omnia — omnichannel commerce\n\nUsage: omnia <command> [options]\n\nCommands:\n${Object.entries(COMMANDS)
    .map(([name, c]) => `  ${name.padEnd(width)}  ${c.summary}`)
    .join(
      '\n',
    )}\n\nRun 'omnia <command> --help' for a command's options.\nEnvironment: PORT, HOST, DATABASE_URL, OMNIA_DATA_DIR, LOG_LEVEL, OMNIA_SECRET, NATS_URL.\n`;
}

async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write(usage());
    return name ? EXIT.ok : EXIT.usage;
  }
  const entry = COMMANDS[name];
  if (!entry) {
    process.stderr.write(`omnia: unknown command "${name}"\n\n${usage()}`);
    return EXIT.usage;
  }
  const command = await entry.load();
  if (rest.includes('--help') || rest.includes('-h')) {
    process.stdout.write(`${command.help}\n`);
    return EXIT.ok;
  }
  return command.run(rest);
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err: unknown) => {
    if (err instanceof CliError) {
      process.stderr.write(`omnia: ${err.message}\n`);
      process.exit(err.code);
    }
    const e = err as { code?: string; message?: string };
    if (
      e?.code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION' ||
      e?.code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE' ||
      e?.code === 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL'
    ) {
      process.stderr.write(`omnia: ${e.message}\n`);
      process.exit(EXIT.usage);
    }
    process.stderr.write(`omnia: ${(err as Error)?.stack ?? String(err)}\n`);
    process.exit(EXIT.failure);
  },
);
