import { z } from 'zod';
import { Limits } from './limits.js';
import { DownReasons, UpReasons } from './reasons.js';

/** A client-generated id that makes a write idempotent (uuid recommended). */
export const ClientId = z
  .string()
  .min(8)
  .max(Limits.clientIdChars)
  .regex(/^[A-Za-z0-9_-]+$/, 'letters, digits, "-" and "_" only');

export const Uuid = z.string().uuid();

export const Theme = z
  .object({
    /** Accent colour (buttons, launcher), any CSS colour. */
    accent: z.string().max(64).optional(),
    /** Launcher position. */
    position: z.enum(['right', 'left']).optional(),
  })
  .strict();
export type Theme = z.infer<typeof Theme>;

export const SiteInfo = z.object({
  name: z.string(),
  greeting: z.string(),
  theme: Theme,
  locale: z.string(),
  compareRate: z.number(),
});
export type SiteInfo = z.infer<typeof SiteInfo>;

// POST /v1/widget/sessions
export const CreateSessionRequest = z.object({
  siteKey: z.string().min(1).max(100),
  visitorId: Uuid.optional(),
});
export type CreateSessionRequest = z.infer<typeof CreateSessionRequest>;
export const CreateSessionResponse = z.object({
  visitorToken: z.string(),
  visitorId: Uuid,
  site: SiteInfo,
});
export type CreateSessionResponse = z.infer<typeof CreateSessionResponse>;

// POST /v1/widget/conversations
export const CreateConversationRequest = z.object({
  /** Optional: makes retried creations return the same conversation. */
  clientConversationId: ClientId.optional(),
});
export const CreateConversationResponse = z.object({ conversationId: Uuid });

export const MessageRole = z.enum(['user', 'assistant', 'staff']);
export type MessageRole = z.infer<typeof MessageRole>;

export const Comparison = z.object({
  id: Uuid,
  a: z.string(),
  b: z.string(),
  choice: z.enum(['a', 'b', 'tie', 'both_bad']).nullable(),
});
export type Comparison = z.infer<typeof Comparison>;

export const Message = z.object({
  id: Uuid,
  role: MessageRole,
  content: z.string(),
  clientMessageId: z.string().nullable(),
  /** Which responder produced an assistant message ("retrieval", "policy"). */
  responder: z.string().nullable(),
  modelVersion: z.string().nullable(),
  /** Set when this assistant turn was shown as a side-by-side comparison. */
  comparison: Comparison.nullable(),
  createdAt: z.string(),
});
export type Message = z.infer<typeof Message>;

export const ConversationStatus = z.enum(['open', 'flagged', 'resolved']);
export type ConversationStatus = z.infer<typeof ConversationStatus>;

export const Rating = z.enum(['up', 'down']);
export type Rating = z.infer<typeof Rating>;

/** The visitor's current thumbs on one message. */
export const FeedbackState = z.object({
  messageId: Uuid,
  rating: Rating.nullable(),
  reasons: z.array(z.string()),
  comment: z.string().nullable(),
});
export type FeedbackState = z.infer<typeof FeedbackState>;

// GET /v1/widget/conversations/:id
export const ConversationView = z.object({
  conversation: z.object({ id: Uuid, status: ConversationStatus, createdAt: z.string() }),
  messages: z.array(Message),
  feedback: z.array(FeedbackState),
});
export type ConversationView = z.infer<typeof ConversationView>;

// POST /v1/widget/conversations/:id/messages
export const SendMessageRequest = z.object({
  clientMessageId: ClientId,
  text: z.string().trim().min(1).max(Limits.messageChars),
});
export type SendMessageRequest = z.infer<typeof SendMessageRequest>;
/** JSON answer (with `Accept: application/json`). */
export const SendMessageResponse = z.object({
  messages: z.array(Message),
  comparison: Comparison.optional(),
});
export type SendMessageResponse = z.infer<typeof SendMessageResponse>;

export { DownReasons, UpReasons } from './reasons.js';

// POST /v1/widget/messages/:id/feedback
export const FeedbackRequest = z.object({
  clientEventId: ClientId,
  /** null clears the rating. */
  rating: Rating.nullable(),
  /** Reason chips, by code (see DownReasons / UpReasons). */
  reasons: z.array(z.enum([...DownReasons, ...UpReasons])).max(Limits.reasons).optional(),
  comment: z.string().max(Limits.commentChars).optional(),
});
export type FeedbackRequest = z.infer<typeof FeedbackRequest>;
export const FeedbackResponse = z.object({ feedback: FeedbackState, duplicate: z.boolean() });
export type FeedbackResponse = z.infer<typeof FeedbackResponse>;

// POST /v1/widget/comparisons/:id/choice
export const ComparisonChoice = z.enum(['a', 'b', 'tie', 'both_bad']);
export type ComparisonChoice = z.infer<typeof ComparisonChoice>;
export const ChoiceRequest = z.object({ clientEventId: ClientId, choice: ComparisonChoice });
export type ChoiceRequest = z.infer<typeof ChoiceRequest>;
export const ChoiceResponse = z.object({ comparison: Comparison, message: Message, duplicate: z.boolean() });
export type ChoiceResponse = z.infer<typeof ChoiceResponse>;

// POST /v1/widget/conversations/:id/flag
export const FlagReason = z.enum(['wrong', 'harmful', 'wants_human', 'other']);
export type FlagReason = z.infer<typeof FlagReason>;
export const FlagRequest = z.object({
  clientEventId: ClientId,
  reason: FlagReason,
  comment: z.string().max(Limits.commentChars).optional(),
});
export type FlagRequest = z.infer<typeof FlagRequest>;
export const FlagResponse = z.object({ flagId: Uuid, status: ConversationStatus, duplicate: z.boolean() });
export type FlagResponse = z.infer<typeof FlagResponse>;
