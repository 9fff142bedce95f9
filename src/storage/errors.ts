/**
 * Typed storage errors. Protocol layers translate these in one place each
 * (IMAP NO [code], POP3 -ERR [code], LMTP 4xx/5xx, HTTP status + code);
 * storage never decides wire text.
 */
export type StorageErrorCode =
  | 'NotFound'
  | 'AlreadyExists'
  | 'OverQuota'
  | 'Cannot'
  | 'Invalid'
  | 'Conflict'
  | 'Unavailable';

export class StorageError extends Error {
  constructor(
    readonly code: StorageErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = `${code}Error`;
  }
}

/** The user, mailbox, message or other object does not exist. */
export class NotFoundError extends StorageError {
  constructor(
    readonly kind: 'user' | 'address' | 'mailbox' | 'message' | 'filter' | 'asp' | 'archived' | 'blob' | 'object',
    message = `${kind} not found`,
  ) {
    super('NotFound', message);
  }
}

/** A unique name (username, address, mailbox path) is taken. */
export class AlreadyExistsError extends StorageError {
  constructor(
    readonly kind: 'user' | 'address' | 'mailbox' | 'object',
    message = `${kind} already exists`,
  ) {
    super('AlreadyExists', message);
  }
}

/** Storing would take the user over quota. Nothing was written. */
export class OverQuotaError extends StorageError {
  constructor(
    readonly used: number,
    readonly quota: number,
    readonly needed: number,
  ) {
    super('OverQuota', `over quota: ${used} + ${needed} > ${quota}`);
  }
}

/** The operation is not allowed on this object (delete INBOX, delete the main address, ...). */
export class CannotError extends StorageError {
  constructor(message: string) {
    super('Cannot', message);
  }
}

/** An argument is malformed (bad mailbox name, bad address). */
export class InvalidError extends StorageError {
  constructor(
    readonly field: string,
    message: string,
  ) {
    super('Invalid', message);
  }
}

/** Optimistic concurrency lost (e.g. a lease held by someone else). */
export class ConflictError extends StorageError {
  constructor(message: string) {
    super('Conflict', message);
  }
}

/** The store cannot be reached or is closing; the caller may retry later (temporary failure). */
export class UnavailableError extends StorageError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('Unavailable', message, options);
  }
}

/** A METADATA set would pass a limit (RFC 5464 §4.3: MAXSIZE, TOOMANY). Nothing was written. */
export class MetadataLimitError extends StorageError {
  constructor(
    readonly limit: 'maxsize' | 'toomany',
    readonly max: number,
  ) {
    super('Invalid', limit === 'maxsize' ? `metadata value over ${max} octets` : `more than ${max} metadata entries`);
  }
}
