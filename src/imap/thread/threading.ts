/**
 * RFC 5256 §2.2 THREAD algorithms over per-message facts. Pure: the handler
 * gathers the facts (message ids, references, sent date, subject) and gets a
 * forest back, rendered by `formatThreads`.
 */
import { baseSubject, casemap } from '../../mime/subject.js';

export interface ThreadInput {
  /** What the response names: sequence number or UID. */
  id: number;
  messageId: string | null;
  /** References ids in order; when empty, In-Reply-To's id (RFC 5256 §2.2 step 1A). */
  references: readonly string[];
  /** RFC 5256 §2.2 "sent date": the Date header, else the internal date (ms). */
  date: number;
  /** Decoded subject. */
  subject: string;
}

export interface ThreadNode {
  /** null: a dummy (a message referred to but not present). */
  id: number | null;
  children: ThreadNode[];
}

interface Container {
  msg: ThreadInput | null;
  parent: Container | null;
  children: Container[];
}

const byDateThenId = (a: ThreadInput, b: ThreadInput) => a.date - b.date || a.id - b.id;

function isAncestor(maybeAncestor: Container, node: Container): boolean {
  for (let p: Container | null = node; p; p = p.parent) if (p === maybeAncestor) return true;
  return false;
}

function unlink(c: Container): void {
  if (!c.parent) return;
  const siblings = c.parent.children;
  siblings.splice(siblings.indexOf(c), 1);
  c.parent = null;
}

function link(parent: Container, child: Container): void {
  if (child === parent || isAncestor(child, parent)) return; // would loop
  unlink(child);
  child.parent = parent;
  parent.children.push(child);
}

/** The sent date of a container: its message's, or for a dummy its first (earliest) child's. */
function dateOf(c: Container): ThreadInput {
  if (c.msg) return c.msg;
  const first = c.children[0];
  return first ? dateOf(first) : { id: 0, messageId: null, references: [], date: 0, subject: '' };
}

function sortTree(list: Container[]): void {
  for (const c of list) sortTree(c.children);
  list.sort((a, b) => byDateThenId(dateOf(a), dateOf(b)));
}

/** Step 4: remove dummies without children; splice the children of the others into their parent. */
function prune(list: Container[], atRoot: boolean): Container[] {
  const out: Container[] = [];
  for (const c of list) {
    c.children = prune(c.children, false);
    for (const child of c.children) child.parent = c;
    if (c.msg) out.push(c);
    else if (c.children.length === 0) continue;
    else if (!atRoot || c.children.length === 1) {
      for (const child of c.children) child.parent = c.parent;
      out.push(...c.children);
    } else out.push(c);
  }
  return out;
}

function subjectOf(c: Container): ThreadInput | null {
  return c.msg ?? c.children[0]?.msg ?? null;
}

/** Step 5: merge roots whose base subjects are equal. */
function groupBySubject(roots: Container[]): Container[] {
  const table = new Map<string, Container>();
  const info = new Map<Container, { key: string; reply: boolean }>();
  for (const root of roots) {
    const m = subjectOf(root);
    if (!m) continue;
    const bs = baseSubject(m.subject);
    const key = casemap(bs.base);
    if (key === '') continue;
    const reply = root.msg ? bs.replyOrForward : false;
    info.set(root, { key, reply });
    const have = table.get(key);
    if (!have || (!root.msg && have.msg) || (have.msg && info.get(have)!.reply && root.msg && !reply)) table.set(key, root);
  }
  const out: Container[] = [];
  for (const root of roots) {
    const i = info.get(root);
    const have = i ? table.get(i.key) : undefined;
    if (!i || !have || have === root) {
      out.push(root);
      continue;
    }
    if (!have.msg && !root.msg) {
      for (const child of [...root.children]) link(have, child);
    } else if (!have.msg || (!info.get(have)!.reply && i.reply)) {
      link(have, root);
    } else if (info.get(have)!.reply && !i.reply) {
      // Cannot happen after the first pass's preference, kept for symmetry with RFC 5256.
      link(root, have);
    } else {
      // Both replies or neither: make them siblings under a new dummy in the table's place.
      const dummy: Container = { msg: null, parent: null, children: [] };
      const index = out.indexOf(have);
      link(dummy, have);
      link(dummy, root);
      if (index >= 0) out[index] = dummy;
      else out.push(dummy);
      table.set(i.key, dummy);
      info.set(dummy, { key: i.key, reply: false });
    }
  }
  return out.filter((c) => c.parent === null);
}

/** THREAD=REFERENCES (RFC 5256 §2.2, after Zawinski). */
export function threadReferences(messages: readonly ThreadInput[]): ThreadNode[] {
  const table = new Map<string, Container>();
  const containerFor = (id: string): Container => {
    let c = table.get(id);
    if (!c) table.set(id, (c = { msg: null, parent: null, children: [] }));
    return c;
  };
  let unique = 0;
  for (const m of messages) {
    // Step 1B: a missing or duplicate Message-ID gets a unique one.
    let key = m.messageId?.toLowerCase() ?? null;
    if (!key || table.get(key)?.msg) key = `\u0000unique-${unique++}`;
    const self = containerFor(key);
    self.msg = m;
    // Step 1A: link the references chain parent → child, never creating a loop or re-parenting.
    const refs = m.references.map((r) => r.toLowerCase()).filter((r) => r !== key);
    let prev: Container | null = null;
    for (const ref of refs) {
      const c = containerFor(ref);
      if (prev && !c.parent && c !== prev && !isAncestor(c, prev)) link(prev, c);
      prev = c;
    }
    // Step 1C: the last reference is the parent; this replaces any presumed parent.
    unlink(self);
    if (prev && prev !== self && !isAncestor(self, prev)) link(prev, self);
  }
  // Steps 2-4.
  let roots = prune(
    [...table.values()].filter((c) => c.parent === null),
    true,
  );
  for (const r of roots) r.parent = null;
  // Children were pushed in arrival order; step 5 looks at "the first child", so sort first.
  sortTree(roots);
  roots = groupBySubject(roots);
  // Step 6.
  sortTree(roots);
  const toNode = (c: Container): ThreadNode => ({ id: c.msg ? c.msg.id : null, children: c.children.map(toNode) });
  return roots.map(toNode);
}

/** THREAD=ORDEREDSUBJECT (RFC 5256 §2.1): by base subject, then date; the first of each subject is the parent of the rest. */
export function threadOrderedSubject(messages: readonly ThreadInput[]): ThreadNode[] {
  const groups = new Map<string, ThreadInput[]>();
  for (const m of [...messages].sort((a, b) => {
    const sa = casemap(baseSubject(a.subject).base);
    const sb = casemap(baseSubject(b.subject).base);
    return sa < sb ? -1 : sa > sb ? 1 : byDateThenId(a, b);
  })) {
    const key = casemap(baseSubject(m.subject).base);
    const list = groups.get(key);
    if (list) list.push(m);
    else groups.set(key, [m]);
  }
  const threads = [...groups.values()].map((list) => ({
    first: list[0]!,
    node: { id: list[0]!.id, children: list.slice(1).map((m) => ({ id: m.id, children: [] })) } as ThreadNode,
  }));
  threads.sort((a, b) => byDateThenId(a.first, b.first));
  return threads.map((t) => t.node);
}

/**
 * RFC 5256 §4 response syntax: "(1 2 (3)(4 5))". A node with one child
 * continues its chain; several children become nested lists; a dummy shows
 * only as the parentheses around its children.
 */
export function formatThreads(forest: readonly ThreadNode[]): string {
  const members = (node: ThreadNode): string => {
    const head = node.id === null ? '' : String(node.id);
    if (node.children.length === 0) return head;
    if (node.children.length === 1 && node.id !== null) return `${head} ${members(node.children[0]!)}`;
    const nested = node.children.map((c) => `(${members(c)})`).join('');
    return head ? `${head} ${nested}` : nested;
  };
  return forest.map((t) => `(${members(t)})`).join('');
}
