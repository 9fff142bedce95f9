/** A minimal EventSource-style reader over fetch, for the live-updates tests. */
export interface SseEvent {
  id: string | null;
  data: Record<string, unknown> | null;
  /** Comment lines (": ..."), e.g. keep-alives. */
  comments: string[];
}

export class SseClient {
  private buffer = '';
  private readonly queue: SseEvent[] = [];
  private waiters: Array<() => void> = [];
  ended = false;
  status = 0;
  headers: Headers | null = null;

  private constructor(private readonly abort: AbortController) {}

  static async open(url: string, headers: Record<string, string> = {}): Promise<SseClient> {
    const abort = new AbortController();
    const client = new SseClient(abort);
    const res = await fetch(url, { headers, signal: abort.signal });
    client.status = res.status;
    client.headers = res.headers;
    if (!res.body) throw new Error('no body');
    const reader = res.body.getReader();
    const decoder = new TextDecoder();
    void (async () => {
      try {
        for (;;) {
          const { value, done } = await reader.read();
          if (done) break;
          client.feed(decoder.decode(value, { stream: true }));
        }
      } catch {
        // aborted
      }
      client.ended = true;
      client.wake();
    })();
    return client;
  }

  private feed(text: string): void {
    this.buffer += text;
    let i: number;
    while ((i = this.buffer.indexOf('\n\n')) >= 0) {
      const block = this.buffer.slice(0, i);
      this.buffer = this.buffer.slice(i + 2);
      const ev: SseEvent = { id: null, data: null, comments: [] };
      const data: string[] = [];
      for (const line of block.split('\n')) {
        if (line.startsWith(':')) ev.comments.push(line.slice(1).trim());
        else if (line.startsWith('id:')) ev.id = line.slice(3).trim();
        else if (line.startsWith('data:')) data.push(line.slice(5).trim());
      }
      if (data.length) ev.data = JSON.parse(data.join('\n')) as Record<string, unknown>;
      this.queue.push(ev);
    }
    this.wake();
  }

  private wake(): void {
    const w = this.waiters;
    this.waiters = [];
    for (const f of w) f();
  }

  /** The next event matching `pred` (earlier non-matching ones are dropped). */
  async next(pred: (e: SseEvent) => boolean = () => true, timeoutMs = 5000): Promise<SseEvent> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      while (this.queue.length) {
        const e = this.queue.shift()!;
        if (pred(e)) return e;
      }
      if (this.ended) throw new Error('stream ended');
      const left = deadline - Date.now();
      if (left <= 0) throw new Error('timed out waiting for an event');
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, left);
        this.waiters.push(() => {
          clearTimeout(t);
          resolve();
        });
      });
    }
  }

  /** Resolves when the server ends the stream. */
  async closedByServer(timeoutMs = 5000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!this.ended) {
      if (Date.now() > deadline) throw new Error('stream still open');
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, 50);
        this.waiters.push(() => {
          clearTimeout(t);
          resolve();
        });
      });
    }
  }

  close(): void {
    this.abort.abort();
  }
}

export const command = (name: string) => (e: SseEvent) => e.data?.command === name;
