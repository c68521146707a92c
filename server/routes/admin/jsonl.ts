import type { Context } from 'hono';
import { stream } from 'hono/streaming';

/**
 * Streams objects as JSON Lines (`application/x-ndjson`) as they are produced, so an export of any
 * size starts at once and never sits whole in memory. Headers are already sent when a line fails,
 * so a failure is logged and the body ends early (the client sees a truncated download).
 */
export function jsonlResponse(c: Context, filename: string, lines: AsyncIterable<unknown>): Response {
  c.header('Content-Type', 'application/x-ndjson; charset=utf-8');
  c.header('Content-Disposition', `attachment; filename="${filename}"`);
  c.header('Cache-Control', 'no-store');
  return stream(
    c,
    async (out) => {
      for await (const line of lines) await out.write(`${JSON.stringify(line)}\n`);
    },
    async (err) => {
      console.error(`[rapport] export ${filename} failed midway:`, err);
    },
  );
}
