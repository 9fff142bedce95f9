/**
 * The one place that checks whether a command is allowed in the session's
 * state and that turns every failure into a tagged response: parse errors
 * → BAD (or NO where the parser says so), storage errors → NO with an RFC
 * 5530 response code, login failures → NO [AUTHENTICATIONFAILED] and
 * friends, anything unexpected → logged with its cause, NO [SERVERBUG].
 * It also decides when pending changes are reported (RFC 3501 §7.4.1) and
 * logs every command with its duration.
 */
import { LoginError } from '../auth/login.js';
import { StorageError } from '../storage/errors.js';
import { ImapParseError, type ResponseCode } from './errors.js';
import { CommandError, type Command, type CommandResult } from './handler.js';
import { parseCommandLine } from './parse/command-line.js';
import type { CommandName } from './parse/registry.js';
import type { RawCommand } from './proto/raw-command.js';
import { LiteralSizeMismatchError, type TaggedStatus } from './proto/writer.js';
import { handlers } from './commands/registry.js';
import { catchUp } from './sync.js';
import type { Session } from './session.js';

interface Outcome {
  status: TaggedStatus;
  text: string;
  code: ResponseCode | null;
  after?: () => Promise<void>;
}

/**
 * RFC 3501 §7.4.1: no EXPUNGE while responding to FETCH, STORE or SEARCH
 * (their UID forms may report them), so sequence numbers the client is
 * using stay valid.
 */
const NO_EXPUNGE: ReadonlySet<CommandName> = new Set(['FETCH', 'STORE', 'SEARCH']);

function invoke<N extends CommandName>(command: Command<N>, session: Session): Promise<CommandResult | void> {
  return handlers[command.name].handle(command, session);
}

function code(name: string): ResponseCode {
  return { name };
}

/** Storage errors as the client sees them: generic text, the RFC 5530 code that fits. */
function storageOutcome(err: StorageError): Outcome {
  switch (err.code) {
    case 'NotFound':
      return { status: 'NO', text: 'No such mailbox or message', code: code('NONEXISTENT') };
    case 'AlreadyExists':
      return { status: 'NO', text: 'Mailbox already exists', code: code('ALREADYEXISTS') };
    case 'OverQuota':
      return { status: 'NO', text: 'Quota exceeded', code: code('OVERQUOTA') };
    case 'Cannot':
      return { status: 'NO', text: 'Operation not permitted', code: code('CANNOT') };
    case 'Invalid':
      return { status: 'NO', text: 'Invalid mailbox name or argument', code: code('CANNOT') };
    case 'Conflict':
      return { status: 'NO', text: 'Resource in use, try again', code: code('INUSE') };
    case 'Unavailable':
      return { status: 'NO', text: 'Temporary failure, try again later', code: code('UNAVAILABLE') };
  }
}

/** The single translation of login failures (LoginService decides; we only word it). */
function loginOutcome(err: LoginError): Outcome {
  switch (err.reason) {
    case 'invalid':
      return { status: 'NO', text: 'Invalid credentials', code: code('AUTHENTICATIONFAILED') };
    case 'rate-limited':
      return { status: 'NO', text: 'Too many failed logins, try again later', code: code('AUTHENTICATIONFAILED') };
    case 'disabled':
      return { status: 'NO', text: 'Account disabled', code: code('CONTACTADMIN') };
    case 'second-factor':
      return { status: 'NO', text: 'Application-specific password required', code: code('AUTHENTICATIONFAILED') };
    case 'temporary':
      return { status: 'NO', text: 'Temporary authentication failure, try again later', code: code('UNAVAILABLE') };
  }
}

export class Dispatcher {
  constructor(private readonly session: Session) {}

  /** Whether `name` may run in the session's current state. */
  allowed(name: CommandName): boolean {
    return handlers[name].states.includes(this.session.state);
  }

  /** Parses, checks state, runs, reports pending changes, answers, logs. */
  async run(raw: RawCommand): Promise<void> {
    const session = this.session;
    const started = performance.now();
    const parsed = parseCommandLine(raw, { utf8Accept: session.utf8Accept });
    if (!parsed.ok) {
      await session.spools.releaseAll();
      session.logger.info('imap.command', { command: parsed.name ?? '?', status: parsed.error.status, text: parsed.error.message, ms: 0 });
      await session.writer.parseError(parsed.tag, parsed.error);
      return;
    }
    const command = parsed.command;
    let outcome: Outcome;
    if (!this.allowed(command.name)) {
      outcome = { status: 'BAD', text: `${command.name} not allowed ${stateText(session.state)}`, code: null };
    } else {
      outcome = await this.execute(command);
    }
    await session.spools.releaseAll();
    if (session.closed) return;
    try {
      if (session.selected?.dirty) await catchUp(session, !NO_EXPUNGE.has(command.name));
    } catch (err) {
      session.logger.error('imap.sync_failed', { err });
    }
    if (outcome.status === 'OK' && outcome.code === null && NO_EXPUNGE.has(command.name) && (session.selected?.pendingExpunges.size ?? 0) > 0) {
      // RFC 5530: tell the client an EXPUNGE it has not seen yet happened; a NOOP will report it.
      outcome.code = code('EXPUNGEISSUED');
    }
    if (session.closed) return;
    await session.writer.tagged(command.tag, outcome.status, outcome.text, outcome.code);
    const ms = Math.round((performance.now() - started) * 10) / 10;
    session.logger.info('imap.command', { command: command.name, status: outcome.status, code: outcome.code?.name, ms });
    if (outcome.after) await outcome.after();
  }

  private async execute(command: Command<CommandName>): Promise<Outcome> {
    const session = this.session;
    try {
      const result = await invoke(command, session);
      return {
        status: 'OK',
        text: result?.text ?? `${command.name} completed`,
        code: result?.code ?? null,
        after: result?.after,
      };
    } catch (err) {
      if (session.closed) return { status: 'NO', text: 'Connection closed', code: null };
      return this.failure(command.name, err);
    }
  }

  private failure(name: CommandName, err: unknown): Outcome {
    if (err instanceof CommandError) return { status: err.status, text: err.clientText, code: err.code };
    if (err instanceof ImapParseError) return { status: err.status, text: err.clientText, code: err.code };
    if (err instanceof StorageError) {
      this.session.logger.info('imap.storage_refused', { command: name, err: err.message });
      return storageOutcome(err);
    }
    if (err instanceof LoginError) return loginOutcome(err);
    if (err instanceof LiteralSizeMismatchError) {
      // The response stream is out of step with what we announced: the connection cannot continue.
      this.session.logger.error('imap.literal_mismatch', { command: name, err });
      this.session.close();
      return { status: 'NO', text: 'Internal error', code: code('SERVERBUG') };
    }
    this.session.logger.error('imap.command_failed', { command: name, err });
    return { status: 'NO', text: 'Internal server error', code: code('SERVERBUG') };
  }
}

function stateText(state: Session['state']): string {
  switch (state) {
    case 'not-authenticated':
      return 'before authentication';
    case 'authenticated':
      return 'without a selected mailbox';
    default:
      return 'in this state';
  }
}
