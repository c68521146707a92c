import type { Context } from 'hono';
import { streamSSE } from 'hono/streaming';
import type { StreamEvent } from '../../../protocol/events.js';
import type { Message, SendMessageResponse } from '../../../protocol/widget.js';
import type { AppEnv } from '../../deps.js';
import { AppError } from '../../errors.js';
import type { Turn } from '../../services/widget/send-message.js';

/**
 * Sends a turn as Server-Sent Events (default) or, with `Accept: application/json`, as one JSON body
 * once the reply is stored. Generation stops when the visitor disconnects (stream.onAbort).
 */
export function sendTurn(c: Context<AppEnv>, turn: Turn): Response | Promise<Response> {
  const accept = c.req.header('accept') ?? '';
  if (accept.includes('application/json') && !accept.includes('text/event-stream')) return sendJson(c, turn);
  return streamSSE(c, async (stream) => {
    const abort = new AbortController();
    stream.onAbort(() => abort.abort());
    const write = (e: StreamEvent) => stream.writeSSE({ event: e.event, data: JSON.stringify(e.data) });
    await write({ event: 'message', data: { message: turn.userMessage, replyId: turn.replyId } });
    try {
      for await (const e of turn.events(abort.signal)) {
        if (abort.signal.aborted) break;
        await write(e);
      }
    } catch (err) {
      console.error('[rapport] reply generation failed:', err);
      await write({ event: 'error', data: { code: 'generation_failed', message: 'the assistant could not answer: send the message again' } });
    }
  });
}

async function sendJson(c: Context<AppEnv>, turn: Turn): Promise<Response> {
  let reply: Message | null = null;
  for await (const e of turn.events(c.req.raw.signal)) {
    if (e.event === 'done') reply = e.data.message;
    if (e.event === 'error') throw new AppError(503, e.data.code, e.data.message);
  }
  if (!reply) throw new AppError(503, 'generation_failed', 'the assistant could not answer: send the message again');
  const body: SendMessageResponse = { messages: [turn.userMessage, reply] };
  if (reply.comparison) body.comparison = reply.comparison;
  return c.json(body);
}
