/**
 * RFC 5256 §2.1 base subject: what SORT SUBJECT orders by and THREAD groups
 * by. Input is the decoded (RFC 2047) subject. The result is compared with
 * i;ascii-casemap, so callers fold ASCII case with `casemap()`.
 */

export interface BaseSubject {
  base: string;
  /** Whether extraction removed a reply/forward marker (Re:, Fwd:, (fwd), [fwd: ...]); THREAD needs it. */
  replyOrForward: boolean;
}

// Subjects longer than this are cut before extraction: keeps the regexes linear in practice.
const MAX_SUBJECT = 2048;
// subj-trailer = "(fwd)" / WSP
const TRAILER = /(?:\s|\(fwd\))+$/i;
// subj-leader = (*subj-blob subj-refwd) / WSP ; subj-refwd = ("re" / ("fw" ["d"])) *WSP [subj-blob] ":"
const LEADER = /^(?:(?:\[[^[\]]*\]\s*)*(?:re|fwd?)\s*(?:\[[^[\]]*\]\s*)?:|\s)/i;
// subj-blob = "[" *BLOBCHAR "]" *WSP
const BLOB = /^\[[^[\]]*\]\s*/;

export function baseSubject(decoded: string): BaseSubject {
  // (1) Tabs and line breaks to spaces, runs of spaces to one.
  let s = decoded.slice(0, MAX_SUBJECT).replace(/[\t\r\n]/g, ' ').replace(/ {2,}/g, ' ');
  let replyOrForward = false;
  for (;;) {
    // (2) Strip trailers.
    const trimmed = s.replace(TRAILER, (m) => {
      if (/\(fwd\)/i.test(m)) replyOrForward = true;
      return '';
    });
    s = trimmed;
    // (3)-(5) Strip leaders and leading blobs until nothing changes.
    for (;;) {
      const before = s;
      for (let m = LEADER.exec(s); m; m = LEADER.exec(s)) {
        if (/:$/.test(m[0])) replyOrForward = true;
        s = s.slice(m[0].length);
      }
      const blob = BLOB.exec(s);
      // (4) A blob is removed only if something is left after it.
      if (blob && s.length > blob[0].length) s = s.slice(blob[0].length);
      if (s === before) break;
    }
    // (6) "[fwd: ... ]" wrapper: unwrap and start again at (2).
    if (/^\[fwd:/i.test(s) && s.endsWith(']')) {
      s = s.slice(5, -1);
      replyOrForward = true;
      continue;
    }
    return { base: s, replyOrForward };
  }
}

/** i;ascii-casemap (RFC 4790 §9.2): ASCII letters folded to upper case, everything else as is. */
export function casemap(s: string): string {
  return s.replace(/[a-z]+/g, (m) => m.toUpperCase());
}
