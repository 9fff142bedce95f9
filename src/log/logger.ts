import type { LogConfig } from '../config/schema.js';

export type Level = 'debug' | 'info' | 'warn' | 'error';
const rank: Record<Level | 'silent', number> = { debug: 10, info: 20, warn: 30, error: 40, silent: 100 };

export type Fields = Record<string, unknown>;

/**
 * Structured logger: every line carries a stable event name plus fields
 * (session id, elapsed ms, ...). Child loggers bind fields such as the
 * module or session id so call sites stay short.
 */
export interface Logger {
  debug(event: string, fields?: Fields): void;
  info(event: string, fields?: Fields): void;
  warn(event: string, fields?: Fields): void;
  error(event: string, fields?: Fields): void;
  child(fields: Fields): Logger;
  enabled(level: Level): boolean;
}

export interface Sink {
  write(line: string): void;
}

function formatValue(v: unknown): string {
  if (v instanceof Error) return JSON.stringify(v.stack ?? v.message);
  if (typeof v === 'string') return /[\s"=]/.test(v) || v === '' ? JSON.stringify(v) : v;
  return JSON.stringify(v) ?? String(v);
}

function errorFields(fields: Fields): Fields {
  const out: Fields = {};
  for (const [k, v] of Object.entries(fields)) {
    out[k] = v instanceof Error ? { message: v.message, name: v.name, stack: v.stack, cause: v.cause } : v;
  }
  return out;
}

class StructuredLogger implements Logger {
  constructor(
    private readonly min: number,
    private readonly format: 'json' | 'text',
    private readonly sink: Sink,
    private readonly bound: Fields,
  ) {}

  private emit(level: Level, event: string, fields?: Fields): void {
    if (rank[level] < this.min) return;
    const all = { ...this.bound, ...fields };
    if (this.format === 'json') {
      this.sink.write(JSON.stringify({ time: new Date().toISOString(), level, event, ...errorFields(all) }) + '\n');
    } else {
      const rest = Object.entries(all)
        .map(([k, v]) => `${k}=${formatValue(v)}`)
        .join(' ');
      this.sink.write(`${new Date().toISOString()} ${level.toUpperCase().padEnd(5)} ${event}${rest ? ' ' + rest : ''}\n`);
    }
  }

  debug(event: string, fields?: Fields): void {
    this.emit('debug', event, fields);
  }
  info(event: string, fields?: Fields): void {
    this.emit('info', event, fields);
  }
  warn(event: string, fields?: Fields): void {
    this.emit('warn', event, fields);
  }
  error(event: string, fields?: Fields): void {
    this.emit('error', event, fields);
  }
  child(fields: Fields): Logger {
    return new StructuredLogger(this.min, this.format, this.sink, { ...this.bound, ...fields });
  }
  enabled(level: Level): boolean {
    return rank[level] >= this.min;
  }
}

export function createLogger(config: LogConfig, sink: Sink = process.stderr): Logger {
  return new StructuredLogger(rank[config.level], config.format, sink, {});
}

/** A logger that drops everything; for tests and tools. */
export const silentLogger: Logger = createLogger({ level: 'silent', format: 'text' });
