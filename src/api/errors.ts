/**
 * The API's error model and the one place where storage, login and security
 * errors become HTTP statuses and WildDuck-style codes:
 * `{"error": "message", "code": "ErrorCode", "details"?: {field: message}}`.
 */
import type { z } from 'zod';
import { LoginError } from '../auth/login.js';
import { SecurityError } from '../security/service.js';
import { NotFoundError, StorageError } from '../storage/errors.js';

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: Record<string, string>,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

/** 400 InputValidationError naming one field. */
export function invalidField(field: string, message: string): ApiError {
  return new ApiError(400, 'InputValidationError', `${field}: ${message}`, { [field]: message });
}

function issueMessage(issue: z.core.$ZodIssue): string {
  if (issue.code === 'invalid_type' && /received undefined$/.test(issue.message)) return 'is required';
  return issue.message;
}

/** Zod issues → 400 with every offending field, named by its path ("query.from", "limit"). */
export function validationError(issues: readonly z.core.$ZodIssue[], where?: string): ApiError {
  const details: Record<string, string> = {};
  for (const issue of issues) {
    const path = issue.path.map(String).join('.');
    const field = path || where || 'request';
    details[field] ??= issueMessage(issue);
  }
  const message = Object.entries(details)
    .map(([field, msg]) => `${field}: ${msg}`)
    .join('; ');
  return new ApiError(400, 'InputValidationError', message, details);
}

const NOT_FOUND_CODES: Record<NotFoundError['kind'], [string, string]> = {
  user: ['UserNotFound', 'This user does not exist'],
  address: ['AddressNotFound', 'This address does not exist'],
  mailbox: ['MailboxNotFound', 'This mailbox does not exist'],
  message: ['MessageNotFound', 'This message does not exist'],
  archived: ['MessageNotFound', 'This archived message does not exist'],
  blob: ['MessageNotFound', 'The message content is missing'],
  filter: ['FilterNotFound', 'This filter does not exist'],
  asp: ['AspNotFound', 'This application password does not exist'],
  object: ['NotFound', 'Not found'],
};

const LOGIN_ERRORS: Record<LoginError['reason'], [number, string, string]> = {
  invalid: [403, 'AuthFailed', 'Authentication failed'],
  'rate-limited': [429, 'RateLimitedError', 'Too many failed attempts, try again later'],
  disabled: [403, 'UserDisabled', 'User account is disabled'],
  'second-factor': [403, 'AuthFailed', 'Two-factor authentication is enabled: use an application-specific password for this scope'],
  temporary: [503, 'ServiceUnavailable', 'Temporary failure, try again later'],
};

const SECURITY_ERRORS: Record<SecurityError['reason'], [number, string]> = {
  'rate-limited': [429, 'RateLimitedError'],
  'not-setup': [400, 'TotpNotSetup'],
  'already-enabled': [409, 'TotpEnabled'],
  'not-enabled': [400, 'TotpDisabled'],
};

/** Anything thrown by a handler → the ApiError to send. Unknown errors are 500 with a generic text (the log has the detail). */
export function toApiError(err: unknown): ApiError {
  if (err instanceof ApiError) return err;
  if (err instanceof NotFoundError) {
    const [code, message] = NOT_FOUND_CODES[err.kind];
    return new ApiError(404, code, message);
  }
  if (err instanceof StorageError) {
    switch (err.code) {
      case 'AlreadyExists':
        return new ApiError(409, 'AlreadyExists', err.message);
      case 'OverQuota':
        return new ApiError(403, 'OverQuotaError', 'User is over quota');
      case 'Cannot':
        return new ApiError(403, 'NotPermitted', err.message);
      case 'Invalid': {
        const field = 'field' in err && typeof err.field === 'string' ? err.field : 'request';
        return invalidField(field, err.message);
      }
      case 'Conflict':
        return new ApiError(409, 'Conflict', err.message);
      case 'Unavailable':
        return new ApiError(503, 'ServiceUnavailable', 'Storage is unavailable, try again later');
      case 'NotFound':
        return new ApiError(404, 'NotFound', err.message);
    }
  }
  if (err instanceof LoginError) {
    const [status, code, message] = LOGIN_ERRORS[err.reason];
    return new ApiError(status, code, message);
  }
  if (err instanceof SecurityError) {
    const [status, code] = SECURITY_ERRORS[err.reason];
    return new ApiError(status, code, err.message);
  }
  return new ApiError(500, 'InternalError', 'Internal error');
}
