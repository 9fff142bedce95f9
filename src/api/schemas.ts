/**
 * Building blocks for route schemas. Query strings and form bodies carry
 * only strings, so scalars accept their string spelling too (as WildDuck's
 * Joi schemas do with `convert`), and reject everything else with a message
 * that names what was expected.
 */
import { z } from 'zod';

/** 24 lowercase hex characters (uppercase accepted and lowered, like WildDuck). */
export const objectId = (what = 'id') =>
  z
    .string({ error: `must be a ${what} (24 hex characters)` })
    .regex(/^[0-9a-fA-F]{24}$/, { error: `must be a ${what} (24 hex characters)` })
    .transform((s) => s.toLowerCase())
    .meta({ description: `${what}: 24 hex characters`, example: '5f1b0c2e9d3a4b5c6d7e8f90' });

const TRUE = ['true', '1', 'yes', 'y', 'on'];
const FALSE = ['false', '0', 'no', 'n', 'off', ''];

/** true/false, 1/0, and their string spellings (yes/no, on/off...). */
export const bool = () =>
  z
    .union([z.boolean(), z.literal(1), z.literal(0), z.string().refine((s) => TRUE.includes(s.toLowerCase()) || FALSE.includes(s.toLowerCase()))], {
      error: 'must be a boolean',
    })
    .transform((v) => v === true || v === 1 || (typeof v === 'string' && TRUE.includes(v.toLowerCase())));

/** An integer in [min, max], as a number or a decimal string. */
export const int = (min: number, max: number) =>
  z
    .union([z.number(), z.string().trim().regex(/^-?\d{1,16}$/).transform(Number)], { error: 'must be an integer' })
    .pipe(z.number().int({ error: 'must be an integer' }).min(min, { error: `must be at least ${min}` }).max(max, { error: `must be at most ${max}` }));

/** Bytes or milliseconds: a non-negative integer below 2^53. */
export const size = () => int(0, Number.MAX_SAFE_INTEGER);

/** A date: ISO 8601 (or anything Date.parse reads) or ms since epoch. */
export const date = () =>
  z
    .union([z.string().max(64), z.number()], { error: 'must be a date' })
    .transform((v, ctx) => {
      const d = typeof v === 'number' ? new Date(v) : new Date(/^\d{10,16}$/.test(v) ? Number(v) : Date.parse(v));
      if (Number.isNaN(d.getTime())) {
        ctx.issues.push({ code: 'custom', message: 'must be a date', input: v });
        return z.NEVER;
      }
      return d;
    })
    .meta({ description: 'ISO 8601 date-time or ms since epoch' });

/** A string with a length cap; control characters other than tab/newline refused. */
export const text = (max: number, min = 0) =>
  z
    .string({ error: 'must be a string' })
    .min(min, { error: min === 1 ? 'must not be empty' : `must be at least ${min} characters` })
    .max(max, { error: `must be at most ${max} characters` })
    .refine((s) => !/[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]/.test(s), { error: 'must not contain control characters' });

/** A list given as a JSON array or a comma-separated string. */
export const list = <T>(item: z.ZodType<T, string>, maxItems = 100) =>
  z
    .union([z.array(z.string()), z.string().transform((s) => s.split(',').map((x) => x.trim()).filter((x) => x))], { error: 'must be a list' })
    .pipe(z.array(item).max(maxItems, { error: `must have at most ${maxItems} items` }));

export const tag = () => text(128).transform((s) => s.trim());

export const ip = () => z.union([z.ipv4(), z.ipv6()], { error: 'must be an IP address' });

/** WildDuck's `sess` and `ip`: who the caller acts for, recorded in the auth log. */
export const sessionFields = {
  sess: text(255).optional().meta({ description: 'Session identifier for the logs' }),
  ip: ip().optional().meta({ description: 'IP address for the logs' }),
};
export const sessionSchema = z.object(sessionFields);

export const cursor = () =>
  z
    .string()
    .max(2048)
    .regex(/^[A-Za-z0-9_-]*$/, { error: 'must be a cursor from nextCursor or previousCursor' })
    .transform((s) => s || undefined);

/** limit, next, previous, page: WildDuck's paging arguments. */
export const pagingFields = {
  limit: int(1, 250).default(20).meta({ description: 'How many records to return (1-250)' }),
  next: cursor().optional().meta({ description: 'Cursor for the next page (nextCursor of the previous response)' }),
  previous: cursor().optional().meta({ description: 'Cursor for the previous page (previousCursor of the previous response)' }),
  page: int(1, 1_000_000).default(1).meta({ description: 'Page number (informational)' }),
};

// ---------------------------------------------------------------- responses

export const success = z.boolean();
export const successSchema = z.object({ success });
export const createdSchema = z.object({ success, id: z.string() });
export const isoDate = () => z.string().meta({ format: 'date-time' });
export const cursorOut = z.union([z.string(), z.literal(false)]).meta({ description: 'A cursor string, or false when there is no such page' });

export function pagedSchema<T extends z.ZodType>(item: T) {
  return z.object({
    success,
    total: z.number(),
    page: z.number(),
    previousCursor: cursorOut,
    nextCursor: cursorOut,
    results: z.array(item),
  });
}

export const addressOut = z.object({ name: z.string(), address: z.string() });

/** Free-form metadata: an object, or a JSON string of one (WildDuck accepts both), at most 64 KiB serialised. */
export const metaData = () =>
  z
    .union(
      [
        z.record(z.string(), z.unknown()),
        z.string().transform((s, ctx) => {
          try {
            const v = JSON.parse(s) as unknown;
            if (v && typeof v === 'object' && !Array.isArray(v)) return v as Record<string, unknown>;
          } catch {
            // reported below
          }
          ctx.issues.push({ code: 'custom', message: 'must be a JSON object', input: s });
          return z.NEVER;
        }),
      ],
      { error: 'must be an object or a JSON string of one' },
    )
    .refine((v) => JSON.stringify(v).length <= 65536, { error: 'must be at most 64 KiB as JSON' });

export const scopeEnum = z.enum(['imap', 'pop3', 'smtp'], { error: 'must be one of imap, pop3, smtp' });
