/**
 * Splits finished text into word-sized pieces (each word with the whitespace before it) and yields
 * them one macrotask apart, so an SSE response flushes progressively and an abort is seen between
 * pieces. Used by responders whose answer exists before it is streamed (retrieval).
 */
export async function* streamText(text: string, signal?: AbortSignal): AsyncIterable<string> {
  const pieces = text.match(/\s*\S+/g) ?? [];
  for (const piece of pieces) {
    if (signal?.aborted) return;
    yield piece;
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
  const trailing = text.match(/\s+$/);
  if (trailing && !signal?.aborted) yield trailing[0];
}
