import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { deliverySchema } from '../../src/config/sections/delivery.js';
import { compileSpamRules, parseScore, spamVerdict, type SpamReason } from '../../src/filters/spam.js';
import { parseHeaderBlock } from '../../src/mime/headers.js';

const rules = compileSpamRules(deliverySchema.parse({}));
const headers = (text: string) => parseHeaderBlock(Buffer.from(text.replace(/\n/g, '\r\n') + '\r\n\r\n'));

describe('spam decisions', () => {
  const cases: Array<[string, string, number | undefined, boolean | undefined, boolean, SpamReason]> = [
    ['no spam headers', 'Subject: hi', undefined, undefined, false, 'clean'],
    ['X-Spam-Flag: YES', 'X-Spam-Flag: YES', undefined, undefined, true, 'header'],
    ['X-Spam-Flag case-insensitive', 'x-spam-flag:   yes', undefined, undefined, true, 'header'],
    ['X-Spam-Flag: NO', 'X-Spam-Flag: NO', undefined, undefined, false, 'clean'],
    ['X-Spam-Status: Yes, score=...', 'X-Spam-Status: Yes, score=9.1 required=5.0', undefined, undefined, true, 'header'],
    ['X-Spam-Status: No', 'X-Spam-Status: No, score=1.2 required=5.0', undefined, undefined, false, 'clean'],
    ['X-Rspamd-Action: add header', 'X-Rspamd-Action: add header', undefined, undefined, true, 'header'],
    ['X-Rspamd-Action: no action', 'X-Rspamd-Action: no action', undefined, undefined, false, 'clean'],
    ['score at the threshold', 'X-Spam-Score: 5.0', undefined, undefined, true, 'score'],
    ['score below the threshold', 'X-Spam-Score: 4.9', undefined, undefined, false, 'clean'],
    ['strict user: low score is spam', 'X-Rspamd-Score: 1.5', 10, undefined, true, 'score'],
    ['lenient user: high score is not', 'X-Spam-Score: 7', 80, undefined, false, 'clean'],
    ['level 0: any non-negative score', 'X-Spam-Score: 0', 0, undefined, true, 'score'],
    ['level 0: negative score is ham', 'X-Spam-Score: -2.5', 0, undefined, false, 'clean'],
    ['level 100 ignores flags', 'X-Spam-Flag: YES', 100, undefined, false, 'level'],
    ['filter says spam', 'Subject: hi', undefined, true, true, 'filter'],
    ['filter says not spam over the headers', 'X-Spam-Flag: YES', undefined, false, false, 'filter'],
    ['unparseable score', 'X-Spam-Score: high', undefined, undefined, false, 'clean'],
  ];
  for (const [name, block, level, filterSpam, spam, reason] of cases) {
    it(name, () => {
      const v = spamVerdict(headers(block), rules, level, filterSpam);
      assert.equal(v.spam, spam);
      assert.equal(v.reason, reason);
    });
  }

  it('custom header rules from config', () => {
    const custom = compileSpamRules(deliverySchema.parse({ spamHeaders: ['X-Junk: true'], spamScoreHeaders: [] }));
    assert.equal(spamVerdict(headers('X-Junk: TRUE'), custom, undefined, undefined).spam, true);
    assert.equal(spamVerdict(headers('X-Spam-Flag: YES\nX-Spam-Score: 99'), custom, undefined, undefined).spam, false);
  });

  it('parses scores', () => {
    assert.equal(parseScore('7.3'), 7.3);
    assert.equal(parseScore(' -1.25 / 15.00'), -1.25);
    assert.equal(parseScore('Yes, score=12.4 required=5.0'), 12.4);
    assert.equal(parseScore('none'), null);
  });
});
