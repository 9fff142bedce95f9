/** Public surface of the MIME scanner; see types.ts for the data model. */
export type * from './types.js';
export { MimeScanner, parseMessageBuffer, type MimeScannerOptions } from './scanner.js';
export { parseHeaderBlock, type HeaderField } from './headers.js';
export { decodeWords } from './encoded-words.js';
export { parseMailDate } from './date.js';
export { addressFacts, envelopeAddresses, parseAddressList } from './addresses.js';
export { parseContentType, parseDisposition } from './params.js';
export { decodeCharset } from './charset.js';
export { htmlToText } from './html-text.js';
