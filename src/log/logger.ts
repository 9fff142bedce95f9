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

function textFields(fields: Fields): string {
  let out = '';
  for (const k in fields) out += ` ${k}=${formatValue(fields[k])}`;
  return out;
}

const LEVEL_TEXT: Record<Level, string> = { debug: 'DEBUG', info: 'INFO ', warn: 'WARN ', error: 'ERROR' };

class StructuredLogger implements Logger {
  /** The bound fields as text, formatted once per child logger rather than once per line (every IMAP command logs one). */
  private readonly boundText: string;

  constructor(
    private readonly min: number,
    private readonly format: 'json' | 'text',
    private readonly sink: Sink,
    private readonly bound: Fields,
  ) {
    this.boundText = format === 'text' ? textFields(bound) : '';
  }

  private emit(level: Level, event: string, fields?: Fields): void {
    if (rank[level] < this.min) return;
    if (this.format === 'json') {
      const all = { ...this.bound, ...fields };
      this.sink.write(JSON.stringify({ time: new Date().toISOString(), level, event, ...errorFields(all) }) + '\n');
      return;
    }
    // A field given here replaces a bound one in place, so only then is the bound text rebuilt.
    let overrides = false;
    if (fields) for (const k in fields) if (k in this.bound) overrides = true;
    const rest = overrides ? textFields({ ...this.bound, ...fields }) : this.boundText + (fields ? textFields(fields) : '');
    this.sink.write(`${new Date().toISOString()} ${LEVEL_TEXT[level]} ${event}${rest}\n`);
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

/**
 * Lines gathered and handed to `out` once per turn of the event loop. The
 * server logs every command, and a write(2) per line to a pipe or file cost
 * more than answering a small command (about 70 µs a line on the 2-core test
 * VM); lines keep their order, and whatever is pending at exit is written
 * then (process.stderr writes synchronously to files and pipes).
 */
export class TurnBufferedSink implements Sink {
  private lines: string[] = [];
  private scheduled = false;

  constructor(private readonly out: Sink) {
    process.once('exit', () => this.flush());
  }

  write(line: string): void {
    this.lines.push(line);
    if (this.scheduled) return;
    this.scheduled = true;
    setImmediate(() => this.flush());
  }

  flush(): void {
    this.scheduled = false;
    if (this.lines.length === 0) return;
    const text = this.lines.join('');
    this.lines = [];
    this.out.write(text);
  }
}

export function createLogger(config: LogConfig, sink: Sink = new TurnBufferedSink(process.stderr)): Logger {
  return new StructuredLogger(rank[config.level], config.format, sink, {});
}

/** A logger that drops everything; for tests and tools. */
export const silentLogger: Logger = createLogger({ level: 'silent', format: 'text' }, { write: () => undefined });
