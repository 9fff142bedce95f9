import { LoginError } from '../auth/login.js';
import { Pop3Error } from './errors.js';

/**
 * LoginService failures as POP3 answers (RFC 3206, RFC 2449 §8.1): AUTH when
 * the credentials or the account are the problem (clients then ask the user),
 * LOGIN-DELAY when the rate limit holds further attempts back, SYS/TEMP when
 * the server is at fault. Texts stay generic: no hint whether a user exists.
 */
export function loginFailure(err: LoginError): Pop3Error {
  switch (err.reason) {
    case 'invalid':
      return new Pop3Error('Authentication failed', { code: 'AUTH', detail: err.reason });
    case 'rate-limited':
      return new Pop3Error('Too many failed logins, try again later', { code: 'LOGIN-DELAY', detail: err.reason });
    case 'disabled':
      return new Pop3Error('Account disabled for POP3', { code: 'AUTH', detail: err.reason });
    case 'second-factor':
      return new Pop3Error('Use an application-specific password', { code: 'AUTH', detail: err.reason });
    case 'temporary':
      return new Pop3Error('Temporary authentication failure, try again later', { code: 'SYS/TEMP', detail: err.reason, cause: err });
  }
}

export function isLoginError(err: unknown): err is LoginError {
  return err instanceof LoginError;
}
