import type { StreamEvent } from '../protocol/events.js';

/**
 * Incremental parser for the `text/event-stream` format (WHATWG HTML §9.2.6). Written by hand
 * because `EventSource` cannot POST and the maintained fetch-based parsers would cost more bytes
 * than this whole file. Feed it decoded text in chunks of any size; it calls `onEvent` once per
 * blank-line-terminated event with the event name ("message" by default) and the joined data lines.
 * As the spec says, an event cut off by the end of the stream (no blank line yet) is discarded.
 */
export function createSseParser(onEvent: (name: string, data: string) => void) {
  let buffer = '';
  let name = '';
  let data: string[] = [];

  function line(text: string): void {
    if (text === '') {
      if (data.length) onEvent(name || 'message', data.join('\n'));
      name = '';
      data = [];
      return;
    }
    if (text[0] === ':') return; // comment / keep-alive
    const colon = text.indexOf(':');
    const field = colon < 0 ? text : text.slice(0, colon);
    let value = colon < 0 ? '' : text.slice(colon + 1);
    if (value[0] === ' ') value = value.slice(1);
    if (field === 'event') name = value;
    else if (field === 'data') data.push(value);
    // `id` and `retry` only matter for EventSource reconnection, which a POST stream never does.
  }

  return {
    push(chunk: string): void {
      buffer += chunk;
      for (;;) {
        const m = /\r\n|\r|\n/.exec(buffer);
        if (!m) return;
        // A lone "\r" at the very end may be the first half of a "\r\n" split across chunks.
        if (m[0] === '\r' && m.index === buffer.length - 1) return;
        line(buffer.slice(0, m.index));
        buffer = buffer.slice(m.index + m[0].length);
      }
    },
    /** End of input: a held-back final "\r" was a line end after all. */
    end(): void {
      if (buffer.endsWith('\r')) line(buffer.slice(0, -1));
      buffer = '';
    },
  };
}

const kinds = ['message', 'token', 'compare', 'done', 'error'];

/**
 * Reads a response body of server-sent events and reports each known event with its JSON payload.
 * `TextDecoder` in streaming mode keeps a multi-byte character split across chunks intact.
 * Unknown event names and unparsable payloads are skipped: newer servers may add events.
 */
export async function readEventStream(
  body: ReadableStream<Uint8Array>,
  onEvent: (event: StreamEvent) => void,
): Promise<void> {
  const decoder = new TextDecoder();
  const parser = createSseParser((name, raw) => {
    if (!kinds.includes(name)) return;
    let data: unknown;
    try {
      data = JSON.parse(raw);
    } catch {
      return;
    }
    onEvent({ event: name, data } as StreamEvent);
  });
  const reader = body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    parser.push(decoder.decode(value, { stream: true }));
  }
  parser.push(decoder.decode());
  parser.end();
}
