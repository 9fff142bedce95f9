/**
 * HTML → plain text for search and previews of HTML-only messages. Not a
 * renderer: it drops markup, the content of script/style/title/template,
 * and comments; turns block elements into line breaks; collapses
 * whitespace as HTML does outside <pre>; decodes character references.
 * Linear in the input and never throws on broken markup.
 */

const NAMED: ReadonlyMap<string, string> = new Map(
  Object.entries({
    amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: '\u00a0', copy: '©', reg: '®', trade: '™',
    hellip: '…', mdash: '—', ndash: '–', lsquo: '‘', rsquo: '’', sbquo: '‚', ldquo: '“', rdquo: '”',
    bdquo: '„', laquo: '«', raquo: '»', lsaquo: '‹', rsaquo: '›', bull: '•', middot: '·', deg: '°',
    times: '×', divide: '÷', plusmn: '±', para: '¶', sect: '§', euro: '€', pound: '£', yen: '¥',
    cent: '¢', curren: '¤', iexcl: '¡', iquest: '¿', shy: '\u00ad', zwnj: '\u200c', zwj: '\u200d',
    ensp: '\u2002', emsp: '\u2003', thinsp: '\u2009', dagger: '†', Dagger: '‡', permil: '‰',
    prime: '′', Prime: '″', larr: '←', rarr: '→', uarr: '↑', darr: '↓', harr: '↔', hearts: '♥',
    frac12: '½', frac14: '¼', frac34: '¾', sup1: '¹', sup2: '²', sup3: '³', micro: 'µ', ordf: 'ª',
    ordm: 'º', not: '¬', macr: '¯', acute: '´', cedil: '¸', uml: '¨', brvbar: '¦', szlig: 'ß',
    agrave: 'à', aacute: 'á', acirc: 'â', atilde: 'ã', auml: 'ä', aring: 'å', aelig: 'æ', ccedil: 'ç',
    egrave: 'è', eacute: 'é', ecirc: 'ê', euml: 'ë', igrave: 'ì', iacute: 'í', icirc: 'î', iuml: 'ï',
    eth: 'ð', ntilde: 'ñ', ograve: 'ò', oacute: 'ó', ocirc: 'ô', otilde: 'õ', ouml: 'ö', oslash: 'ø',
    ugrave: 'ù', uacute: 'ú', ucirc: 'û', uuml: 'ü', yacute: 'ý', thorn: 'þ', yuml: 'ÿ',
    Agrave: 'À', Aacute: 'Á', Acirc: 'Â', Atilde: 'Ã', Auml: 'Ä', Aring: 'Å', AElig: 'Æ', Ccedil: 'Ç',
    Egrave: 'È', Eacute: 'É', Ecirc: 'Ê', Euml: 'Ë', Igrave: 'Ì', Iacute: 'Í', Icirc: 'Î', Iuml: 'Ï',
    ETH: 'Ð', Ntilde: 'Ñ', Ograve: 'Ò', Oacute: 'Ó', Ocirc: 'Ô', Otilde: 'Õ', Ouml: 'Ö', Oslash: 'Ø',
    Ugrave: 'Ù', Uacute: 'Ú', Ucirc: 'Û', Uuml: 'Ü', Yacute: 'Ý', THORN: 'Þ', OElig: 'Œ', oelig: 'œ',
    Scaron: 'Š', scaron: 'š', Yuml: 'Ÿ', fnof: 'ƒ', circ: 'ˆ', tilde: '˜', alpha: 'α', beta: 'β',
    gamma: 'γ', delta: 'δ', pi: 'π', sigma: 'σ', omega: 'ω', Omega: 'Ω', infin: '∞', ne: '≠', le: '≤',
    ge: '≥', minus: '−', check: '✓',
  }),
);

/** References HTML still honours without the ";" (a small part of the legacy table). */
const LEGACY = new Set(['amp', 'lt', 'gt', 'quot', 'nbsp', 'copy', 'reg']);

/** HTML maps these numeric references to windows-1252 characters. */
const C1 =
  '\u20ac\u0081\u201a\u0192\u201e\u2026\u2020\u2021\u02c6\u2030\u0160\u2039\u0152\u008d\u017d\u008f' +
  '\u0090\u2018\u2019\u201c\u201d\u2022\u2013\u2014\u02dc\u2122\u0161\u203a\u0153\u009d\u017e\u0178';

function codePoint(n: number): string {
  if (n >= 0x80 && n <= 0x9f) return C1[n - 0x80]!;
  if (n === 0 || n > 0x10ffff || (n >= 0xd800 && n <= 0xdfff) || !Number.isFinite(n)) return '\ufffd';
  return String.fromCodePoint(n);
}

export function decodeEntities(s: string): string {
  if (s.indexOf('&') < 0) return s;
  return s.replace(/&(?:#(\d{1,8})|#[xX]([0-9a-fA-F]{1,7})|([A-Za-z][A-Za-z0-9]{0,31}))(;?)/g, (m, dec, hx, name, semi) => {
    if (typeof dec === 'string') return codePoint(Number(dec));
    if (typeof hx === 'string') return codePoint(parseInt(hx, 16));
    const n = String(name);
    const v = NAMED.get(n) ?? NAMED.get(n.toLowerCase());
    if (v === undefined || (semi === '' && !LEGACY.has(n))) return m;
    return v;
  });
}

const SKIP_CONTENT = new Set(['script', 'style', 'title', 'template', 'xml']);
const BLOCK = new Set([
  'address', 'article', 'aside', 'blockquote', 'br', 'center', 'dd', 'div', 'dl', 'dt', 'fieldset',
  'figure', 'footer', 'form', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'header', 'hr', 'li', 'main', 'nav',
  'ol', 'p', 'pre', 'section', 'table', 'tbody', 'thead', 'tfoot', 'tr', 'ul', 'body', 'html',
]);
const CELL = new Set(['td', 'th']);

/** Index just past the ">" ending the tag at `i`, honouring quoted attribute values. */
function tagEnd(s: string, i: number): number {
  let quote = '';
  for (; i < s.length; i++) {
    const c = s[i];
    if (quote !== '') {
      if (c === quote) quote = '';
    } else if (c === '"' || c === "'") {
      quote = c;
    } else if (c === '>') {
      return i + 1;
    }
  }
  return s.length;
}

export function htmlToText(html: string): string {
  const out: string[] = [];
  let lower: string | null = null;
  let pre = 0;
  let i = 0;
  const text = (raw: string): void => {
    if (raw === '') return;
    const t = decodeEntities(pre > 0 ? raw : raw.replace(/[ \t\r\n\f]+/g, ' '));
    out.push(t);
  };
  while (i < html.length) {
    const lt = html.indexOf('<', i);
    if (lt < 0) {
      text(html.slice(i));
      break;
    }
    text(html.slice(i, lt));
    if (html.startsWith('<!--', lt)) {
      const close = html.indexOf('-->', lt + 4);
      i = close < 0 ? html.length : close + 3;
      continue;
    }
    const m = /^<(\/?)([A-Za-z][A-Za-z0-9:-]*)/.exec(html.slice(lt, lt + 64));
    if (!m) {
      if (html[lt + 1] === '!' || html[lt + 1] === '?') {
        i = tagEnd(html, lt);
      } else {
        text('<');
        i = lt + 1;
      }
      continue;
    }
    const closing = m[1] === '/';
    const name = m[2]!.toLowerCase();
    i = tagEnd(html, lt + m[0].length);
    if (!closing && SKIP_CONTENT.has(name) && !html.slice(lt, i).endsWith('/>')) {
      // ASCII-only lowering keeps indices aligned with `html`.
      lower ??= html.replace(/[A-Z]+/g, (w) => w.toLowerCase());
      const end = lower.indexOf(`</${name}`, i);
      i = end < 0 ? html.length : tagEnd(html, end);
      continue;
    }
    if (name === 'pre') pre = Math.max(0, pre + (closing ? -1 : 1));
    if (BLOCK.has(name)) out.push('\n');
    else if (CELL.has(name) && !closing) out.push(' ');
  }
  return tidy(out.join(''));
}

/** Trims each line and keeps at most one blank line in a row. */
function tidy(s: string): string {
  const lines = s.replace(/\u00a0/g, ' ').split('\n');
  const kept: string[] = [];
  let blank = 0;
  for (const line of lines) {
    const t = line.replace(/[ \t]+/g, ' ').trim();
    if (t === '') {
      if (kept.length > 0 && ++blank === 1) kept.push('');
      continue;
    }
    blank = 0;
    kept.push(t);
  }
  while (kept.length > 0 && kept[kept.length - 1] === '') kept.pop();
  return kept.join('\n');
}
