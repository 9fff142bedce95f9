/**
 * Eider's FETCH answers against Dovecot's, for every corpus message and every
 * recorded item (ENVELOPE, BODY, BODYSTRUCTURE, header sections, numeric
 * parts inside nested messages, MIME headers, partials, BINARY).
 *
 * The recorded answers are fixtures (bench/record-dovecot-answers.ts wrote
 * them from a live Dovecot 2.3); this test needs no Dovecot. An answer
 * passes when it is byte-identical, identical by value (a quoted string where
 * Dovecot sent a literal), identical after the documented normalisations
 * (compare.ts), or listed in dovecot-differences.ts. Every listed difference
 * is explained in docs/IMAP-COMPAT.md; an entry that no longer differs fails
 * the test, so the list cannot go stale.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { fetchResponse, UnknownCteError } from '../../../src/imap/fetch/render.js';
import type { MessageRecord } from '../../../src/storage/types.js';
import { compareAnswers, type Verdict } from './compare.js';
import { answerBytes, compatHeadings, loadCorpus, loadRecorded, type RecordedAnswer } from './corpus.js';
import { DIFFERENCES, type Difference } from './dovecot-differences.js';
import { fetchItems, openTestStore, putMessage, wireBytes, type TestStore } from './helpers.js';

type Outcome = Verdict | { kind: 'refused' };

/** Our answer to one recorded item, compared with Dovecot's; both refusing with UNKNOWN-CTE is a match. */
async function answer(t: TestStore, record: MessageRecord, a: RecordedAnswer): Promise<Outcome> {
  let ours: Buffer | null = null;
  try {
    ours = await wireBytes(await fetchResponse(record, fetchItems(a.item), { store: t.store, includeUid: false, includeModseq: false }));
  } catch (err) {
    if (!(err instanceof UnknownCteError)) throw err;
  }
  const theirs = answerBytes(a);
  if (a.status !== 'OK' || ours === null) {
    if (ours === null && a.status === 'NO' && a.text.startsWith('[UNKNOWN-CTE]')) return { kind: 'refused' };
    const theirStatus = a.status === 'OK' ? (theirs?.toString('latin1') ?? '') : `${a.status} ${a.text}`;
    return { kind: 'different', ours: ours === null ? 'NO [UNKNOWN-CTE]' : ours.toString('latin1'), theirs: theirStatus };
  }
  assert.ok(theirs !== null, `${a.item}: no recorded FETCH data`);
  return compareAnswers(ours, theirs);
}

/** The first difference with some context, so that a failure shows where to look. */
function diffContext(ours: string, theirs: string): string {
  let i = 0;
  while (i < ours.length && i < theirs.length && ours[i] === theirs[i]) i++;
  const from = Math.max(0, i - 60);
  return `at ${i}\n    ours   …${ours.slice(from, i + 60)}…\n    theirs …${theirs.slice(from, i + 60)}…`;
}

function listed(message: string, item: string): Difference | undefined {
  return DIFFERENCES.find((d) => d.message === message && (d.items === '*' || d.items.includes(item)));
}

const tally: Record<string, number> = { exact: 0, equivalent: 0, 'mime-case': 0, 'field-name-case': 0, refused: 0, documented: 0 };

describe('FETCH answers match the recorded Dovecot answers', () => {
  let t: TestStore;
  before(async () => {
    t = await openTestStore();
  });
  after(async () => {
    await t.close();
    process.stdout.write(`# dovecot corpus: ${JSON.stringify(tally)}\n`);
  });

  for (const message of loadCorpus()) {
    it(message.name, async () => {
      const recorded = loadRecorded(message.name);
      const record = await putMessage(t, message.raw);
      const failures: string[] = [];
      const used = new Set<Difference>();
      for (const a of recorded.answers) {
        const outcome = await answer(t, record, a);
        const difference = listed(message.name, a.item);
        if (outcome.kind !== 'different') {
          if (outcome.kind === 'normalised') outcome.rules.forEach((r) => (tally[r] = (tally[r] ?? 0) + 1));
          else tally[outcome.kind] = (tally[outcome.kind] ?? 0) + 1;
          if (difference !== undefined && difference.items !== '*') failures.push(`${a.item}: listed (${difference.doc}) but matches`);
        } else if (difference !== undefined) {
          used.add(difference);
          tally.documented = (tally.documented ?? 0) + 1;
        } else {
          failures.push(`${a.item}: ${diffContext(outcome.ours, outcome.theirs)}`);
        }
      }
      for (const d of DIFFERENCES) {
        if (d.message === message.name && d.items === '*' && !used.has(d)) failures.push(`"${d.doc}" listed, but nothing differs`);
      }
      assert.deepEqual(failures, []);
    });
  }

  it('has recorded answers for every corpus message, and every difference is documented', () => {
    const names = loadCorpus().map((m) => m.name);
    for (const name of names) assert.ok(loadRecorded(name).answers.length > 20, name);
    const headings = compatHeadings();
    for (const d of DIFFERENCES) {
      assert.ok(names.includes(d.message), `difference for unknown message ${d.message}`);
      assert.ok(headings.includes(d.doc), `"${d.doc}" is not a heading of docs/IMAP-COMPAT.md`);
    }
  });
});
