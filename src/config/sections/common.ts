import { z } from 'zod';

/** A TCP port; 0 asks the OS for a free one (used by tests). */
export const port = (def: number) => z.number().int().min(0).max(65535).default(def);

/** Bind address. Loopback by default: exposing a mail server is a decision. */
export const host = () => z.string().min(1).default('127.0.0.1');

/** Durations in config are written in seconds; code converts. */
export const seconds = (def: number) => z.number().min(0).default(def);
