import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createLogger, TurnBufferedSink, type Sink } from '../../src/log/logger.js';

function memory(): Sink & { lines: string[] } {
  const lines: string[] = [];
  return { lines, write: (text: string) => void lines.push(text) };
}

describe('logger', () => {
  it('writes bound fields, then the line’s own; a field given again replaces the bound one in place', () => {
    const sink = memory();
    const log = createLogger({ level: 'info', format: 'text' }, sink).child({ module: 'imap', session: 'abc' });
    log.info('imap.command', { command: 'NOOP', ms: 0.2, text: 'two words' });
    log.info('imap.other', { session: 'xyz' });
    log.debug('imap.hidden');
    assert.equal(sink.lines.length, 2);
    assert.match(sink.lines[0]!, /^\d{4}-\d\d-\d\dT[\d:.]+Z INFO  imap\.command module=imap session=abc command=NOOP ms=0\.2 text="two words"\n$/);
    assert.match(sink.lines[1]!, / INFO  imap\.other module=imap session=xyz\n$/);
  });

  it('gathers lines for one write per event-loop turn, in order', async () => {
    const out = memory();
    const sink = new TurnBufferedSink(out);
    const log = createLogger({ level: 'info', format: 'json' }, sink);
    log.info('one', { n: 1 });
    log.warn('two', { n: 2 });
    assert.equal(out.lines.length, 0, 'nothing written within the turn');
    await new Promise((resolve) => setImmediate(resolve));
    assert.equal(out.lines.length, 1);
    const [first, second] = (out.lines[0] ?? '')
      .trimEnd()
      .split('\n')
      .map((l) => JSON.parse(l) as { event: string; n: number });
    assert.deepEqual([first?.event, first?.n, second?.event, second?.n], ['one', 1, 'two', 2]);
    sink.write('tail\n');
    sink.flush();
    assert.equal(out.lines[1], 'tail\n');
  });
});
