/**
 * Content-Type / Content-Disposition parameters as BODYSTRUCTURE carries them
 * (RFC 3501 §9 body-fld-param): 7-bit, undecoded, as IMAP clients expect.
 *
 * RFC 2231 sections are joined but not decoded, the way Dovecot sends them:
 * `name*0*=utf-8''a%20; name*1*=b` becomes `("name*" "utf-8''a%20b")` and
 * `title*0="x"; title*1="y"` becomes `("title" "xy")`. Clients (imapflow,
 * Thunderbird, ...) decode the `name*` form; a decoded UTF-8 value would be
 * 8-bit data that IMAP4rev1 has no charset label for. Sections that do not run
 * 0, 1, 2, ... are passed on as written. Plain parameters keep their order and
 * come first, the RFC 2231 ones follow in order of first appearance.
 */

type Param = readonly [string, string];

/** `name*` (extended, no sections), `name*3` or `name*3*`. */
const SECTION = /^(.*?)\*(?:(0|[1-9][0-9]{0,5})(\*)?)?$/;

interface Group {
  readonly base: string;
  /** A bare `name*` value (charset'lang'percent-encoded). */
  whole: string | null;
  readonly sections: Array<{ index: number; value: string; extended: boolean; raw: Param }>;
}

/**
 * The parameter list for BODYSTRUCTURE from the scanner's `rawParams` (every
 * parameter as written, names lower-cased); `params` (decoded) when a record
 * predates rawParams.
 */
export function bodyParams(params: readonly Param[], rawParams: readonly Param[] | undefined): Param[] {
  if (rawParams === undefined) return [...params];
  const plain: Param[] = [];
  const groups = new Map<string, Group>();
  for (const p of rawParams) {
    const m = SECTION.exec(p[0]);
    if (m === null || m[1] === undefined || m[1] === '') {
      plain.push(p);
      continue;
    }
    const base = m[1];
    let g = groups.get(base);
    if (g === undefined) {
      g = { base, whole: null, sections: [] };
      groups.set(base, g);
    }
    if (m[2] === undefined) g.whole ??= p[1];
    else g.sections.push({ index: Number(m[2]), value: p[1], extended: m[3] !== undefined, raw: p });
  }
  const out = [...plain];
  for (const g of groups.values()) {
    if (g.whole !== null) out.push([`${g.base}*`, g.whole]);
    if (g.sections.length === 0) continue;
    const sorted = [...g.sections].sort((a, b) => a.index - b.index);
    if (sorted.every((s, i) => s.index === i)) {
      const extended = sorted.some((s) => s.extended);
      out.push([extended ? `${g.base}*` : g.base, sorted.map((s) => s.value).join('')]);
    } else {
      out.push(...sorted.map((s) => s.raw));
    }
  }
  return out;
}
