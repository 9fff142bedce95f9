/** Two-factor authentication: TOTP (RFC 6238) setup, confirmation, checks, removal. */
import QRCode from 'qrcode';
import { z } from 'zod';
import { ApiError } from '../errors.js';
import { defineRoute } from '../router.js';
import { bool, successSchema, text } from '../schemas.js';
import { audit, requireUser, userParams } from './common.js';

const tags = ['TwoFactorAuth'];

const token = () =>
  z
    .union([z.string().trim(), z.number().int().min(0).max(999999).transform((n) => String(n).padStart(6, '0'))], { error: 'must be a 6-digit code' })
    .pipe(z.string().regex(/^\d{6}$/, { error: 'must be a 6-digit code' }))
    .meta({ description: '6-digit code from the authenticator app' });

const setup = defineRoute({
  method: 'POST',
  path: '/users/:user/2fa/totp/setup',
  summary: 'Generate a TOTP seed and its QR code',
  description: 'The seed stays pending until confirmed with /2fa/totp/enable. Without `fresh`, a pending seed is shown again.',
  tags,
  params: userParams,
  body: z.object({
    issuer: text(255).optional().meta({ description: 'Issuer shown by the authenticator app (default api.totpIssuer)' }),
    label: text(255).optional().meta({ description: 'Account label (default: the main address or username)' }),
    fresh: bool().optional().meta({ description: 'Always generate a new seed' }),
  }),
  response: z.object({
    success: z.boolean(),
    seed: z.string().meta({ description: 'Base32 seed for manual entry' }),
    qrcode: z.string().meta({ description: 'PNG data URL of the otpauth:// URI' }),
    uri: z.string(),
  }),
  async handler({ params, body, deps, meta }) {
    const user = await requireUser(deps, params.user);
    const { seed, uri } = await deps.security.setupTotp(user, { issuer: body.issuer?.trim(), label: body.label?.trim(), fresh: body.fresh }, audit(meta));
    return { success: true, seed, qrcode: await QRCode.toDataURL(uri), uri };
  },
});

const enable = defineRoute({
  method: 'POST',
  path: '/users/:user/2fa/totp/enable',
  summary: 'Confirm the pending seed with a current code, turning TOTP on',
  tags,
  params: userParams,
  body: z.object({ token: token() }),
  response: successSchema,
  async handler({ params, body, deps, meta }) {
    const user = await requireUser(deps, params.user);
    if (!(await deps.security.enableTotp(user, body.token, audit(meta)))) throw new ApiError(400, 'InvalidToken', 'Invalid authentication token');
    return { success: true };
  },
});

const check = defineRoute({
  method: 'POST',
  path: '/users/:user/2fa/totp/check',
  summary: 'Check a code (each code is accepted once; failures are rate-limited)',
  tags,
  params: userParams,
  body: z.object({ token: token() }),
  response: successSchema,
  async handler({ params, body, deps, meta }) {
    const user = await requireUser(deps, params.user);
    if (!(await deps.security.checkTotp(user, body.token, audit(meta)))) throw new ApiError(403, 'InvalidToken', 'Failed to validate TOTP');
    return { success: true };
  },
});

const disableTotp = defineRoute({
  method: 'DELETE',
  path: '/users/:user/2fa/totp',
  summary: 'Turn TOTP off',
  tags,
  params: userParams,
  response: successSchema,
  async handler({ params, deps, meta }) {
    await requireUser(deps, params.user);
    await deps.security.disableTotp(params.user, audit(meta));
    return { success: true };
  },
});

const disableAll = defineRoute({
  method: 'DELETE',
  path: '/users/:user/2fa',
  summary: 'Turn every 2FA method off',
  tags,
  params: userParams,
  response: successSchema,
  async handler({ params, deps, meta }) {
    await requireUser(deps, params.user);
    await deps.security.disableTotp(params.user, audit(meta), 'disable 2fa');
    return { success: true };
  },
});

export const twofaRoutes = [setup, enable, check, disableTotp, disableAll];
