/**
 * One streaming pass over a message at ingest time, producing the MIME tree
 * with byte offsets, envelopes and decoded facts (see types.ts).
 *
 * Memory: only an incomplete line (capped, see LineSplitter), the header
 * block being read (capped), the frames of the currently open parts, and
 * decoded text up to its budget are held. Nothing here throws on malformed
 * input; problems are recorded in `warnings`.
 *
 * Offsets follow RFC 2046 §5.1.1: the line break before a boundary line
 * belongs to the boundary, so a part's body ends before it. Preamble and
 * epilogue belong to the multipart's body but are not parts.
 */
import type { AttachmentFact, Envelope, MimePart, ParsedMessage } from './types.js';
import { ByteBuffer } from './byte-buffer.js';
import { PartClassifier, buildFacts, type TextSegment } from './facts.js';
import { splitHeaderBlock, type RawHeaderField } from './headers.js';
import { EPILOGUE, PARTS, PREAMBLE, isMessageType, label, matchBoundary, partNumber, type Frame } from './frame.js';
import { LineSplitter } from './line-splitter.js';
import { applyPartHeader, buildEnvelope, emptyEnvelope, newPart, type DefaultType } from './part-fields.js';
import { paramValue } from './params.js';
import { TextCollector, type TextBudget, type TextKind } from './text-collector.js';

export interface MimeScannerOptions {
  /** Decoded text kept for facts.text, in bytes before charset decoding and in characters after. Default 1 MiB. */
  textLimit?: number;
  /** Header bytes parsed per header block; the rest is skipped (offsets stay exact). Default 256 KiB. */
  maxHeaderBytes?: number;
  /** Bytes of one incomplete line kept before it is processed in pieces. Default 64 KiB, minimum 8 KiB. */
  maxLineBuffer?: number;
  /** Nesting depth (multipart and message levels) below which parts are still opened. Default 128. */
  maxDepth?: number;
  /** Parts created per message (embedded message roots included). Default 20000. */
  maxParts?: number;
  /** Warnings recorded per message. Default 100. */
  maxWarnings?: number;
}

const DEFAULTS = {
  textLimit: 1024 * 1024,
  maxHeaderBytes: 256 * 1024,
  maxLineBuffer: 64 * 1024,
  maxDepth: 128,
  maxParts: 20_000,
  maxWarnings: 100,
};

/** RFC 5322 §2.1.1. */
const MAX_LINE = 998;
/**
 * Longest line still tested as a boundary: RFC 2046 limits the boundary to
 * 70 characters; this leaves room for transport padding. Kept well below
 * maxLineBuffer so that such a line always reaches us in one piece.
 */
const MAX_BOUNDARY_LINE = 4096;
/** HTML carries markup; allow it more raw bytes than the text it yields. */
const HTML_BUDGET_FACTOR = 4;

export class MimeScanner {
  private readonly opt: typeof DEFAULTS;
  private readonly splitter: LineSplitter;
  private readonly root: MimePart;
  private readonly stack: Frame[] = [];
  /** Open multipart frames with a boundary, outermost first. */
  private readonly multiparts: Frame[] = [];
  private readonly warnings: string[] = [];
  private readonly warned = new Set<string>();
  private readonly classifier = new PartClassifier();
  private readonly attachments: AttachmentFact[] = [];
  private readonly segments: TextSegment[] = [];
  private readonly attachedSegments: TextSegment[] = [];
  /** Shared by the text parts of attached messages, kept apart from the message's own text budgets. */
  private readonly attachedBudget: TextBudget;
  private readonly budgets: Record<TextKind, TextBudget>;
  private envelope: Envelope = emptyEnvelope();
  private rootFields: RawHeaderField[] = [];
  private parts = 1;
  private ended = false;
  /** Some text/plain part had content: HTML text would be discarded, so it is not collected. */
  private havePlainText = false;

  // Position bookkeeping; all offsets are absolute.
  private received = 0;
  private pos = 0;
  private lineStart = 0;
  private lineLen = 0;
  private prevLineLen = 0;
  private prevTerm = 0;
  private lfCount = 0;
  private sawNul = false;

  constructor(options: MimeScannerOptions = {}) {
    this.opt = { ...DEFAULTS };
    for (const key of Object.keys(DEFAULTS) as Array<keyof typeof DEFAULTS>) {
      const v = options[key];
      if (v !== undefined && Number.isFinite(v) && v >= 0) this.opt[key] = Math.floor(v);
    }
    this.opt.maxLineBuffer = Math.max(this.opt.maxLineBuffer, 2 * MAX_BOUNDARY_LINE);
    this.budgets = {
      plain: { remaining: this.opt.textLimit, truncated: false },
      html: { remaining: this.opt.textLimit * HTML_BUDGET_FACTOR, truncated: false },
    };
    this.attachedBudget = { remaining: this.opt.textLimit, truncated: false };
    this.splitter = new LineSplitter({ piece: (d, first, last, term) => this.piece(d, first, last, term) }, this.opt.maxLineBuffer);
    this.root = newPart('', 0);
    this.stack.push(this.newFrame(this.root, null, null, 'text/plain', 0, 0));
  }

  write(chunk: Buffer): void {
    if (this.ended) throw new Error('MimeScanner: write after end');
    if (!this.sawNul) {
      const nul = chunk.indexOf(0);
      if (nul >= 0) {
        this.sawNul = true;
        this.warn(`NUL byte at offset ${this.received + nul}`);
      }
    }
    this.received += chunk.length;
    this.splitter.write(chunk);
  }

  end(): ParsedMessage {
    if (this.ended) throw new Error('MimeScanner: end called twice');
    this.splitter.end();
    this.ended = true;
    if (this.pos === 0) this.warn('empty message');
    while (this.stack.length > 0) this.finalize(this.stack.pop()!, true);
    const facts = buildFacts({
      fields: this.rootFields,
      attachments: this.attachments,
      segments: this.segments,
      attachedSegments: this.attachedSegments,
      maxText: this.opt.textLimit,
      truncated: { plain: this.budgets.plain.truncated, html: this.budgets.html.truncated },
    });
    return {
      size: this.pos,
      headerLength: this.root.bodyStart,
      envelope: this.envelope,
      root: this.root,
      facts,
      warnings: this.warnings,
    };
  }

  /** Called by the splitter for every piece of every line. */
  private piece(data: Buffer, first: boolean, last: boolean, term: 0 | 1 | 2): void {
    if (first) {
      this.lineStart = this.pos;
      this.lineLen = 0;
    }
    this.lineLen += data.length;
    const consumed =
      first && last && this.multiparts.length > 0 && data.length <= MAX_BOUNDARY_LINE &&
      data[0] === 0x2d && data[1] === 0x2d && this.boundaryLine(data, term);
    if (!consumed) {
      const top = this.stack[this.stack.length - 1]!;
      if (top.inHeader) this.headerPiece(top, data, first, last, term);
      else if (top.collector !== null) this.textPiece(top, data, first, last, term);
    }
    this.pos += data.length + term;
    if (last) {
      if (term === 1) this.warnOnce('bare-lf', `bare LF line ending at offset ${this.lineStart + this.lineLen}`);
      if (this.lineLen > MAX_LINE) this.warnOnce('long-line', `line over ${MAX_LINE} octets at offset ${this.lineStart}`);
      this.prevLineLen = this.lineLen;
      this.prevTerm = term;
      if (term > 0) this.lfCount++;
    }
  }

  private newFrame(part: MimePart, parent: Frame | null, host: MimePart | null, defaultType: DefaultType, depth: number, index: number): Frame {
    return {
      part,
      parent,
      host,
      messageRoot: parent === null || host !== null,
      inHeader: true,
      header: new ByteBuffer(this.opt.maxHeaderBytes),
      defaultType,
      depth,
      index,
      lfAtBodyStart: this.lfCount,
      boundary: null,
      phase: PREAMBLE,
      childCount: 0,
      inAttachment: parent !== null && parent.inAttachment,
      collector: null,
      attachedText: false,
      attachment: null,
      pendingNewline: false,
      warnedEpilogue: false,
    };
  }

  /** Returns true when the line was a boundary line of an open multipart. */
  private boundaryLine(line: Buffer, term: number): boolean {
    let epilogueHit: Frame | null = null;
    for (let k = this.multiparts.length - 1; k >= 0; k--) {
      const f = this.multiparts[k]!;
      const m = matchBoundary(line, f.boundary!);
      if (m === null) continue;
      if (f.phase === EPILOGUE) {
        // Its own boundary again after the close: the parts that follow are
        // ignored (RFC 2046 §5.1.1), but an outer boundary may still match.
        epilogueHit ??= f;
        continue;
      }
      if (m === 'delim' && this.parts >= this.opt.maxParts) {
        this.warnOnce('max-parts', `more than ${this.opt.maxParts} parts: the rest is kept in the last part`);
        return false;
      }
      while (this.stack[this.stack.length - 1] !== f) this.finalize(this.stack.pop()!, false);
      if (m === 'delim') {
        f.phase = PARTS;
        this.openChild(f, this.pos + line.length + term);
      } else {
        if (f.phase === PREAMBLE) this.warn(`${label(f)}: close boundary before any part`);
        f.phase = EPILOGUE;
      }
      return true;
    }
    if (epilogueHit !== null && !epilogueHit.warnedEpilogue) {
      epilogueHit.warnedEpilogue = true;
      this.warn(`${label(epilogueHit)}: boundary after the close boundary; following content ignored`);
    }
    return false;
  }

  private openChild(parent: Frame, headerStart: number): void {
    this.parts++;
    const n = ++parent.childCount;
    const path = parent.part.path === '' ? String(n) : `${parent.part.path}.${n}`;
    const part = newPart(path, headerStart);
    parent.part.children!.push(part);
    const def: DefaultType = parent.part.subtype === 'digest' ? 'message/rfc822' : 'text/plain';
    this.stack.push(this.newFrame(part, parent, null, def, parent.depth + 1, n));
  }

  private headerPiece(f: Frame, data: Buffer, first: boolean, last: boolean, term: number): void {
    if (first && last && data.length === 0) {
      // The empty line ending the header; it belongs to the header block.
      this.finishHeader(f, this.pos + term, this.lfCount + 1, false);
      return;
    }
    const h = f.header!;
    const kept = h.append(data);
    if (last && term > 0) h.appendByte(0x0a);
    if (kept < data.length || (last && term > 0 && h.full)) {
      this.warnOnce(`header-cap:${f.part.path}:${f.part.headerStart}`,
        `${label(f)}: header over ${this.opt.maxHeaderBytes} octets, the rest ignored`);
    }
  }

  private textPiece(f: Frame, data: Buffer, first: boolean, last: boolean, term: number): void {
    const c = f.collector!;
    // The line break is written when the next line turns out to be body too:
    // the last one belongs to the boundary.
    if (first && f.pendingNewline) c.write(NEWLINE);
    c.write(data);
    if (last) f.pendingNewline = term > 0;
  }

  /** Parses the header block and sets up the body. `closing`: the part ends right here. */
  private finishHeader(f: Frame, bodyStart: number, lfAtBodyStart: number, closing: boolean): void {
    const part = f.part;
    f.inHeader = false;
    part.bodyStart = bodyStart;
    f.lfAtBodyStart = lfAtBodyStart;
    const { fields, invalidLines } = splitHeaderBlock(f.header!.view());
    f.header = null;
    if (invalidLines > 0) this.warn(`${label(f)}: ${invalidLines} malformed header line(s) ignored`);
    if (fields.some((x) => x.latin1)) this.warnOnce('8bit-header', `${label(f)}: 8-bit header bytes that are not UTF-8`);
    const applied = applyPartHeader(part, fields, f.defaultType);
    if (applied.problem !== null) this.warn(`${label(f)}: ${applied.problem}`);
    if (f.messageRoot) {
      const envelope = buildEnvelope(fields);
      if (f.host !== null) {
        f.host.message = { envelope, root: part };
      } else {
        this.envelope = envelope;
        this.rootFields = fields;
      }
    }

    if (part.type === 'multipart') {
      part.children = [];
      if (applied.boundary === null) {
        this.warn(`${label(f)}: multipart without boundary parameter`);
      } else if (f.depth >= this.opt.maxDepth) {
        this.warnOnce('max-depth', `${label(f)}: nesting deeper than ${this.opt.maxDepth} levels not parsed`);
      } else if (!closing) {
        f.boundary = applied.boundary;
        this.multiparts.push(f);
      }
      return;
    }

    this.classify(f);
    if (!isMessageType(part) || closing) return;
    if (!['7BIT', '8BIT', 'BINARY'].includes(part.encoding)) {
      this.warn(`${label(f)}: ${part.type}/${part.subtype} with ${part.encoding} encoding not parsed as a message`);
    } else if (f.depth >= this.opt.maxDepth) {
      this.warnOnce('max-depth', `${label(f)}: nesting deeper than ${this.opt.maxDepth} levels not parsed`);
    } else if (this.parts >= this.opt.maxParts) {
      this.warnOnce('max-parts', `more than ${this.opt.maxParts} parts: the rest is kept in the last part`);
    } else {
      this.parts++;
      const root = newPart(partNumber(f), bodyStart);
      const rf = this.newFrame(root, f, part, 'text/plain', f.depth + 1, 0);
      rf.lfAtBodyStart = lfAtBodyStart;
      this.stack.push(rf);
    }
  }

  private classify(f: Frame): void {
    if (f.inAttachment) {
      this.collectAttached(f);
      return;
    }
    const parent = f.messageRoot ? null : f.parent;
    const c = this.classifier.classify(f.part, {
      number: partNumber(f),
      parentSubtype: parent ? parent.part.subtype : null,
      index: f.index,
    });
    if (c.attachment !== null) {
      this.attachments.push(c.attachment);
      f.attachment = c.attachment;
      // Everything inside an attached message belongs to that attachment.
      f.inAttachment = true;
      this.collectAttached(f);
    }
    if (c.collect !== null && !(c.collect === 'html' && this.havePlainText)) {
      const charset = f.part.type === 'text' ? paramValue(f.part.params, 'charset') : null;
      f.collector = new TextCollector(c.collect, f.part.encoding, charset, this.budgets[c.collect]);
    }
  }

  /**
   * A text/* attachment, or a text part inside an attached message (a
   * forward): searchable (RFC 3501 §6.4.4 TEXT/BODY match the whole body,
   * as Dovecot does for decoded text parts), though not the message's text.
   */
  private collectAttached(f: Frame): void {
    const part = f.part;
    if (part.type !== 'text' || f.collector !== null) return;
    const kind = part.subtype === 'html' ? 'html' : 'plain';
    f.collector = new TextCollector(kind, part.encoding, paramValue(part.params, 'charset'), this.attachedBudget);
    f.attachedText = true;
  }

  /** Closes a part: at EOF, or at the boundary line that starts at `lineStart`. */
  private finalize(f: Frame, eof: boolean): void {
    const part = f.part;
    const at = eof ? this.pos : this.lineStart;
    if (f.inHeader) {
      const empty = f.header!.length === 0;
      this.finishHeader(f, at, this.lfCount, true);
      if (part.path === '' && !f.host) {
        if (this.pos > 0) this.warn('message: no empty line after the header, so no body');
      } else {
        this.warn(`${label(f)}: ${empty ? 'empty part' : 'header not ended by an empty line'}`);
      }
    }
    const bodyEnd = eof ? this.pos : Math.max(part.bodyStart, at - this.prevTerm);
    part.bodyEnd = bodyEnd;
    part.size = bodyEnd - part.bodyStart;
    if (part.type === 'text' || isMessageType(part)) {
      part.lines = this.countLines(f, bodyEnd, eof);
      part.lineBreaks = this.countLineBreaks(f, bodyEnd, eof);
    }

    if (f.boundary !== null) {
      this.multiparts.pop();
      if (f.phase === PREAMBLE) this.warn(`${label(f)}: boundary "${f.boundary.toString('latin1')}" never found`);
      else if (f.phase === PARTS) this.warn(`${label(f)}: missing close boundary "${f.boundary.toString('latin1')}"`);
    }
    if (f.collector !== null) {
      const text = f.collector.finish();
      if (f.attachedText) {
        if (text !== '') this.attachedSegments.push({ kind: f.collector.kind, text });
      } else {
        if (text !== '') this.segments.push({ kind: f.collector.kind, text });
        if (f.collector.kind === 'plain' && text.trim() !== '') this.havePlainText = true;
      }
    }
    if (f.attachment !== null) f.attachment.size = part.size;
  }

  /** Line breaks in [bodyStart, bodyEnd) only: what Dovecot reports as IMAP body-fld-lines. */
  private countLineBreaks(f: Frame, bodyEnd: number, eof: boolean): number {
    if (bodyEnd <= f.part.bodyStart) return 0;
    // As in countLines, the line break just before a boundary line is the boundary's.
    return eof ? this.lfCount - f.lfAtBodyStart : this.lfCount - 1 - f.lfAtBodyStart;
  }

  /** Line breaks in [bodyStart, bodyEnd), plus one for a last line without one. */
  private countLines(f: Frame, bodyEnd: number, eof: boolean): number {
    if (bodyEnd <= f.part.bodyStart) return 0;
    if (eof) return this.lfCount - f.lfAtBodyStart + (this.prevTerm === 0 && this.prevLineLen > 0 ? 1 : 0);
    // The line break just before the boundary line is not part of the body.
    return this.lfCount - 1 - f.lfAtBodyStart + (this.prevLineLen > 0 ? 1 : 0);
  }

  private warn(msg: string): void {
    if (this.warnings.length < this.opt.maxWarnings) this.warnings.push(msg);
    else if (this.warnings.length === this.opt.maxWarnings) this.warnings.push('further warnings suppressed');
  }

  private warnOnce(key: string, msg: string): void {
    if (this.warned.has(key)) return;
    this.warned.add(key);
    this.warn(msg);
  }
}

const NEWLINE = Buffer.from('\n');

/** Convenience for tests and small inputs. */
export function parseMessageBuffer(buf: Buffer, options?: MimeScannerOptions): ParsedMessage {
  const s = new MimeScanner(options);
  s.write(buf);
  return s.end();
}
