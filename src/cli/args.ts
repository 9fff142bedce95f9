import { parseArgs } from 'node:util';

export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

export const USAGE = `Usage: eider [--config FILE] <command>

Commands:
  start                              run every enabled server in this process
  check-config                       validate the configuration and print it
  user add <username> --password P [--address A] [--quota BYTES] [--name N]
  user list
  user passwd <username> --password P
  user del <username>

Configuration: config/default.toml, then --config FILE, then EIDER_<SECTION>_<KEY>
environment variables (e.g. EIDER_IMAP_PORT=1143).`;

export interface Parsed {
  config?: string;
  command: string[];
  options: { password?: string; address?: string; quota?: string; name?: string; help?: boolean };
}

export function parseCli(argv: string[]): Parsed {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      strict: true,
      options: {
        config: { type: 'string', short: 'c' },
        password: { type: 'string', short: 'p' },
        address: { type: 'string', short: 'a' },
        quota: { type: 'string', short: 'q' },
        name: { type: 'string', short: 'n' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
  const { config, ...options } = parsed.values;
  return { config, command: parsed.positionals, options };
}

/** Parses a byte count: plain number or with a K/M/G/T suffix (binary). */
export function parseBytes(value: string): number {
  const m = /^(\d+(?:\.\d+)?)\s*([kmgt]?)i?b?$/i.exec(value.trim());
  if (!m) throw new UsageError(`invalid size: ${value}`);
  const mult = { '': 1, k: 1024, m: 1024 ** 2, g: 1024 ** 3, t: 1024 ** 4 }[m[2]!.toLowerCase() as '' | 'k' | 'm' | 'g' | 't'];
  return Math.floor(Number(m[1]) * mult);
}
