/** EXAMINE (RFC 3501 §6.3.2): the same arguments as SELECT; the handler opens read-only. */
export { parse, type SelectArgs as ExamineArgs, type QresyncParams } from './select.js';
