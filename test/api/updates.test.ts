import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import type { ChangeListener } from '../../src/notify/notifier.js';
import { textMessage } from '../helpers/messages.js';
import { NO_USER, startApi, type ApiHarness } from './helpers.js';
import { command, SseClient } from './sse-client.js';

describe('api: live updates (SSE)', () => {
  let h: ApiHarness;
  let user: string;
  let inbox: string;
  let active = 0;
  const url = (q = '') => `${h.api.base}/users/${user}/updates${q}`;
  const upload = async (subject: string) =>
    ((await h.api.ok('POST', `/users/${user}/mailboxes/${inbox}/messages`, { raw: { data: textMessage({ subject }), type: 'message/rfc822' } })).message as { id: number }).id;

  before(async () => {
    h = await startApi({ api: { keepAliveInterval: 0.05 } });
    user = await h.createUser('watcher');
    inbox = String((await h.api.ok('GET', `/users/${user}/mailboxes`)).results![0]!.id);
    // Count live subscriptions, to see streams clean up after themselves.
    const notifier = h.t.app.ctx.notifier;
    const subscribe = notifier.subscribe.bind(notifier);
    notifier.subscribe = (userId: string, listener: ChangeListener) => {
      active++;
      const off = subscribe(userId, listener);
      return () => {
        active--;
        off();
      };
    };
  });
  after(async () => h.stop());

  it('streams new messages, flag changes, expunges and mailbox changes with ids', async () => {
    const sse = await SseClient.open(url());
    try {
      assert.equal(sse.status, 200);
      assert.match(sse.headers!.get('content-type')!, /^text\/event-stream/);
      const hello = await sse.next();
      assert.match(hello.comments[0]!, /eider live updates/);
      const uid = await upload('live one');
      const exists = await sse.next(command('EXISTS'));
      assert.deepEqual([exists.data!.mailbox, exists.data!.uid], [inbox, uid]);
      assert.match(exists.id!, /^\d+$/);
      const counters = await sse.next(command('COUNTERS'));
      assert.deepEqual([counters.data!.total, counters.data!.unseen], [1, 0]);

      await h.api.ok('PUT', `/users/${user}/mailboxes/${inbox}/messages/${uid}`, { body: { flagged: true } });
      const fetch = await sse.next(command('FETCH'));
      assert.equal(fetch.data!.uid, uid);
      assert.ok((fetch.data!.flags as string[]).includes('\\Flagged'));
      assert.ok(Number(fetch.id) > Number(exists.id));

      const box = await h.api.ok('POST', `/users/${user}/mailboxes`, { body: { path: 'Live' } });
      assert.equal((await sse.next(command('CREATE'))).data!.path, 'Live');
      await h.api.ok('PUT', `/users/${user}/mailboxes/${box.id}`, { body: { path: 'Live2' } });
      assert.equal((await sse.next(command('RENAME'))).data!.path, 'Live2');
      await h.api.ok('DELETE', `/users/${user}/mailboxes/${box.id}`);
      assert.equal((await sse.next(command('DELETE'))).data!.mailbox, box.id);
      await h.api.ok('DELETE', `/users/${user}/mailboxes/${inbox}/messages/${uid}`);
      assert.equal((await sse.next(command('EXPUNGE'))).data!.uid, uid);

      const ping = await sse.next((e) => e.comments.includes('keep-alive'));
      assert.equal(ping.data, null);
    } finally {
      sse.close();
    }
  });

  it('resumes from Last-Event-ID (header or query) by replaying the journal', async () => {
    const first = await SseClient.open(url());
    await first.next();
    await upload('before disconnect');
    const seen = await first.next(command('EXISTS'));
    first.close();
    const missed = [await upload('missed one'), await upload('missed two')];

    const resumed = await SseClient.open(url(), { 'Last-Event-ID': seen.id! });
    try {
      const a = await resumed.next(command('EXISTS'));
      const b = await resumed.next(command('EXISTS'));
      assert.deepEqual([a.data!.uid, b.data!.uid], missed);
    } finally {
      resumed.close();
    }
    const byQuery = await SseClient.open(url(`?Last-Event-ID=${seen.id}`));
    try {
      assert.equal((await byQuery.next(command('EXISTS'))).data!.uid, missed[0]);
    } finally {
      byQuery.close();
    }
  });

  it('ends the stream on logout', async () => {
    const sse = await SseClient.open(url());
    await sse.next();
    await h.api.ok('PUT', `/users/${user}/logout`, { body: {} });
    await sse.next(command('LOGOUT'));
    await sse.closedByServer();
  });

  it('cleans up when the client leaves', async () => {
    await sleep(50);
    const before = active;
    const sse = await SseClient.open(url());
    await sse.next();
    assert.equal(active, before + 1);
    sse.close();
    for (let i = 0; i < 100 && active !== before; i++) await sleep(10);
    assert.equal(active, before, 'the notifier subscription is gone');
  });

  it('validates the user and Last-Event-ID', async () => {
    assert.equal((await h.api.get(`/users/${NO_USER}/updates`)).status, 404);
    const bad = await h.api.get(`/users/${user}/updates`, { headers: { 'last-event-id': 'abc' } });
    assert.equal(bad.status, 400);
    assert.ok((bad.json.details as Record<string, string>)['Last-Event-ID']);
    const badQuery = await h.api.get(`/users/${user}/updates`, { query: { 'Last-Event-ID': '-1' } });
    assert.equal(badQuery.status, 400);
  });
});

describe('api: live updates at shutdown', () => {
  it('ends open streams when the server stops, without waiting for the shutdown deadline', async () => {
    const h = await startApi();
    const user = await h.createUser('leaver');
    const sse = await SseClient.open(`${h.api.base}/users/${user}/updates`);
    await sse.next();
    const started = Date.now();
    await h.stop();
    await sse.closedByServer();
    assert.ok(Date.now() - started < 3000, `stopped in ${Date.now() - started} ms`);
  });
});
