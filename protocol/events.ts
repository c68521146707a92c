import { z } from 'zod';
import { Comparison, Message } from './widget.js';

/**
 * Server-sent events of `POST /v1/widget/conversations/:id/messages` (text/event-stream).
 * Order: `message` (the stored visitor message and the id of the reply being written), then either
 * `token`* (plain turn) or one `compare` (side-by-side turn), then `done` with the stored reply.
 * `error` may replace anything after `message`.
 */
export const MessageEvent = z.object({ message: Message, replyId: z.string().uuid() });
export const TokenEvent = z.object({ messageId: z.string().uuid(), text: z.string() });
export const CompareEvent = z.object({ messageId: z.string().uuid(), comparison: Comparison });
export const DoneEvent = z.object({ message: Message });
export const ErrorEvent = z.object({ code: z.string(), message: z.string() });

export type MessageEvent = z.infer<typeof MessageEvent>;
export type TokenEvent = z.infer<typeof TokenEvent>;
export type CompareEvent = z.infer<typeof CompareEvent>;
export type DoneEvent = z.infer<typeof DoneEvent>;
export type ErrorEvent = z.infer<typeof ErrorEvent>;

export type StreamEvent =
  | { event: 'message'; data: MessageEvent }
  | { event: 'token'; data: TokenEvent }
  | { event: 'compare'; data: CompareEvent }
  | { event: 'done'; data: DoneEvent }
  | { event: 'error'; data: ErrorEvent };
