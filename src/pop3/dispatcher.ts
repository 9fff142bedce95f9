import { performance } from 'node:perf_hooks';
import type { Logger } from '../log/logger.js';
import { UnavailableError } from '../storage/errors.js';
import type { SessionApi } from './commands/types.js';
import { Pop3Error } from './errors.js';
import { splitCommand } from './parse.js';
import { commands } from './registry.js';

/** The connection went away in the middle of a command (a SASL exchange, a TLS handshake): nothing to answer. */
export class ConnectionGoneError extends Error {
  override readonly name = 'ConnectionGoneError';
}

/** What the dispatcher needs beyond the handlers' view of the session. */
export interface DispatchTarget extends SessionApi {
  readonly logger: Logger;
  /** True once any part of the current command's answer has been written. */
  readonly answered: boolean;
  /** Starts a command: clears `answered`. */
  beginCommand(): void;
  writeLine(line: string): void;
  /** A response broke half-way: the only safe thing left is to drop the connection. */
  abort(reason: string): void;
  /** Counts consecutive invalid commands (true) or resets the count (false). */
  noteBadCommand(bad: boolean): void;
}

const SERVER_TROUBLE = '-ERR [SYS/TEMP] Temporary server problem, try again later';

/**
 * Runs one command line: finds the command, checks the session state (the
 * only place that does), parses, runs the handler, and maps every failure to
 * one `-ERR` line. Each command logs its event (pop3.<name>), the session id
 * and the elapsed milliseconds.
 */
export async function dispatch(target: DispatchTarget, line: Buffer): Promise<void> {
  const started = performance.now();
  let event = 'pop3.unknown';
  target.beginCommand();
  const elapsed = () => Math.round((performance.now() - started) * 100) / 100;
  try {
    const { keyword, args } = splitCommand(line);
    const command = commands.get(keyword);
    if (!command) throw new Pop3Error('Unknown command', { bad: true, detail: keyword.slice(0, 16) });
    event = `pop3.${command.name.toLowerCase()}`;
    if (!command.states.includes(target.state)) throw new Pop3Error('Command not valid in this state', { bad: true, detail: target.state });
    const run = command.bind(args);
    await run(target);
    target.noteBadCommand(false);
    target.logger.debug(event, { session: target.id, ms: elapsed(), status: 'ok' });
  } catch (err) {
    if (err instanceof Pop3Error) {
      target.logger.debug(event, { session: target.id, ms: elapsed(), status: 'err', code: err.code, reason: err.message });
      if (target.answered) {
        target.abort(`${event} failed after its answer began`);
        return;
      }
      target.writeLine(err.line());
      target.noteBadCommand(err.bad);
      return;
    }
    if (err instanceof ConnectionGoneError) {
      target.logger.debug(event, { session: target.id, ms: elapsed(), status: 'gone', reason: err.message });
      return;
    }
    // Log detail (with cause), tell the client only that it may retry.
    const level = err instanceof UnavailableError ? 'warn' : 'error';
    target.logger[level]('pop3.command_failed', { session: target.id, command: event, ms: elapsed(), err });
    if (target.answered) target.abort(`${event} failed after its answer began`);
    else target.writeLine(SERVER_TROUBLE);
  }
}
