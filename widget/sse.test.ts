// @vitest-environment happy-dom
import { describe, expect, test } from 'vitest';
import type { StreamEvent } from '../protocol/events.js';
import { createSseParser, readEventStream } from './sse.js';

const uuid = '44444444-4444-4444-8444-444444444444';
const stored = {
  id: uuid,
  role: 'assistant',
  content: 'Déjà vu — ✓',
  clientMessageId: null,
  responder: 'policy',
  modelVersion: 'v1',
  comparison: null,
  createdAt: '2025-01-01T00:00:00.000Z',
};
const events: StreamEvent[] = [
  { event: 'message', data: { message: { ...stored, role: 'user', clientMessageId: 'c-1' }, replyId: uuid } },
  { event: 'token', data: { messageId: uuid, text: 'Déjà ' } },
  { event: 'token', data: { messageId: uuid, text: 'vu — ✓' } },
  { event: 'compare', data: { messageId: uuid, comparison: { id: uuid, a: 'A', b: 'B', choice: null } } },
  { event: 'done', data: { message: stored as never } },
  { event: 'error', data: { code: 'internal_error', message: 'generation failed' } },
];
const wire =
  ': keep-alive\n\n' +
  events.map((e) => `event: ${e.event}\r\ndata: ${JSON.stringify(e.data)}\r\n\r\n`).join('') +
  'event: future_event\ndata: {}\n\n';

function streamOf(chunks: Uint8Array[]): ReadableStream<Uint8Array> {
  return new ReadableStream({
    start(c) {
      for (const chunk of chunks) c.enqueue(chunk);
      c.close();
    },
  });
}

async function collect(chunks: Uint8Array[]): Promise<StreamEvent[]> {
  const got: StreamEvent[] = [];
  await readEventStream(streamOf(chunks), (e) => got.push(e));
  return got;
}

describe('readEventStream', () => {
  test('reports the five event types in order, skipping comments and unknown events', async () => {
    expect(await collect([new TextEncoder().encode(wire)])).toEqual(events);
  });

  test('any split point, even inside a multi-byte character or a CRLF, gives the same events', async () => {
    const bytes = new TextEncoder().encode(wire);
    for (let cut = 1; cut < bytes.length; cut++) {
      const got = await collect([bytes.slice(0, cut), bytes.slice(cut)]);
      expect(got, `split at byte ${cut}`).toEqual(events);
    }
  });

  test('one byte per chunk', async () => {
    const bytes = new TextEncoder().encode(wire);
    expect(await collect(Array.from(bytes, (b) => new Uint8Array([b])))).toEqual(events);
  });

  test('an event cut off by the end of the stream is not reported', async () => {
    const got = await collect([new TextEncoder().encode('event: token\ndata: {"messageId":"x","text":"a"}\n')]);
    expect(got).toEqual([]);
  });
});

describe('createSseParser', () => {
  const parse = (text: string) => {
    const got: [string, string][] = [];
    const p = createSseParser((name, data) => got.push([name, data]));
    p.push(text);
    p.end();
    return got;
  };

  test('joins multi-line data with newlines and strips one leading space', () => {
    expect(parse('event: token\ndata: line one\ndata:line two\ndata:  indented\n\n')).toEqual([
      ['token', 'line one\nline two\n indented'],
    ]);
  });

  test('defaults the name to "message", accepts bare CR line ends, ignores id and retry', () => {
    expect(parse('id: 7\rretry: 100\rdata: x\r\r')).toEqual([['message', 'x']]);
  });

  test('a stream ending in bare CR still ends its last event', async () => {
    const got = await collect([new TextEncoder().encode('event: token\rdata: {"messageId":"m","text":"t"}\r\r')]);
    expect(got).toEqual([{ event: 'token', data: { messageId: 'm', text: 't' } }]);
  });

  test('a blank line without data dispatches nothing and resets the event name', () => {
    expect(parse('event: token\n\ndata: y\n\n')).toEqual([['message', 'y']]);
  });
});
