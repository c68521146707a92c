import { z } from 'zod';
import { ComparisonChoice, ConversationStatus, FlagReason, MessageRole, Rating, Theme, Uuid } from './widget.js';

/**
 * The staff API under `/v1/admin`: every request body, query and response. Staff authenticate with the
 * `rapport_session` cookie (plus `X-CSRF-Token` on writes) or `Authorization: Bearer rk_…`.
 */

export const StaffRole = z.enum(['owner', 'admin', 'reviewer']);
export type StaffRole = z.infer<typeof StaffRole>;

/** ISO timestamps on the wire. */
const Timestamp = z.string();

export const CorrectionLimits = { textChars: 8000 } as const;

/** Error codes specific to the staff API (the shared ones are in errors.ts). */
export const AdminErrorCode = {
  /** A correction was sent for a visitor or staff message; only assistant answers can be corrected. */
  notAssistantMessage: 'not_assistant_message',
} as const;

// ---------------------------------------------------------------- auth

// POST /v1/admin/auth/login
export const LoginRequest = z.object({
  email: z.string().trim().min(3).max(320),
  password: z.string().min(1).max(1024),
});
export type LoginRequest = z.infer<typeof LoginRequest>;

export const StaffUserView = z.object({ id: Uuid, email: z.string() });
export type StaffUserView = z.infer<typeof StaffUserView>;

export const LoginResponse = z.object({ user: StaffUserView, csrfToken: z.string() });
export type LoginResponse = z.infer<typeof LoginResponse>;

export const LogoutResponse = z.object({ ok: z.literal(true) });

// GET /v1/admin/me
export const MeResponse = z.object({
  user: StaffUserView,
  /** Present for cookie sessions: send it back as `X-CSRF-Token` on writes. */
  csrfToken: z.string().optional(),
  sites: z.array(z.object({ id: Uuid, name: z.string(), role: StaffRole })),
});
export type MeResponse = z.infer<typeof MeResponse>;

// ---------------------------------------------------------------- sites

/** `*` or an origin `scheme://host[:port]` (no path). The server stores it normalised. */
export const AllowedOrigin = z.string().trim().min(1).max(300);

/** Values substituted into knowledge answers, e.g. {"Website Name": "Acme"}. */
export const Placeholders = z.record(z.string().min(1).max(100), z.string().max(1000)).refine(
  (p) => Object.keys(p).length <= 100,
  'at most 100 placeholders',
);

const SiteSettings = {
  name: z.string().trim().min(1).max(200),
  allowedOrigins: z.array(AllowedOrigin).max(50),
  greeting: z.string().trim().min(1).max(500),
  persona: z.string().trim().min(1).max(4000),
  theme: Theme,
  locale: z
    .string()
    .trim()
    .regex(/^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$/, 'a language tag such as "en" or "pt-BR"'),
  compareRate: z.number().min(0).max(1),
  placeholders: Placeholders,
};

// POST /v1/admin/sites
export const CreateSiteRequest = z
  .object({
    ...SiteSettings,
    allowedOrigins: SiteSettings.allowedOrigins.min(1, 'list at least one origin, or "*"'),
    /** Optional fixed public key (demo seeds); generated (`pk_` + 24 base62 chars) when absent. */
    publicKey: z
      .string()
      .regex(/^pk_[A-Za-z0-9_-]{1,96}$/, '"pk_" followed by letters, digits, "-" or "_"')
      .optional(),
    greeting: SiteSettings.greeting.optional(),
    persona: SiteSettings.persona.optional(),
    theme: SiteSettings.theme.optional(),
    locale: SiteSettings.locale.optional(),
    compareRate: SiteSettings.compareRate.optional(),
    placeholders: SiteSettings.placeholders.optional(),
  })
  .strict();
export type CreateSiteRequest = z.infer<typeof CreateSiteRequest>;

// PATCH /v1/admin/sites/:id — any subset of the settings.
export const UpdateSiteRequest = z.object(SiteSettings).partial().strict();
export type UpdateSiteRequest = z.infer<typeof UpdateSiteRequest>;

export const SiteView = z.object({
  id: Uuid,
  /** The public key the embed snippet carries (`data-site-key`). */
  siteKey: z.string(),
  name: z.string(),
  allowedOrigins: z.array(z.string()),
  greeting: z.string(),
  persona: z.string(),
  theme: Theme,
  locale: z.string(),
  compareRate: z.number(),
  placeholders: z.record(z.string(), z.string()),
  knowledgeVersion: z.number().int(),
  createdAt: Timestamp,
  /** The caller's role on this site. */
  role: StaffRole,
});
export type SiteView = z.infer<typeof SiteView>;

export const SiteListResponse = z.object({ sites: z.array(SiteView) });
export type SiteListResponse = z.infer<typeof SiteListResponse>;

// GET /v1/admin/sites/:id/snippet
export const SnippetResponse = z.object({ html: z.string() });
export type SnippetResponse = z.infer<typeof SnippetResponse>;

// ---------------------------------------------------------------- knowledge

// GET /v1/admin/sites/:id/knowledge
export const KnowledgeListQuery = z.object({
  limit: z.coerce.number().int().min(1).max(500).default(50),
  offset: z.coerce.number().int().min(0).default(0),
  /** Case-insensitive substring of the question or the answer. */
  q: z.string().trim().max(200).optional(),
});
export type KnowledgeListQuery = z.infer<typeof KnowledgeListQuery>;

export const KnowledgeEntryView = z.object({
  id: Uuid,
  question: z.string(),
  answer: z.string(),
  intent: z.string().nullable(),
  createdAt: Timestamp,
});
export type KnowledgeEntryView = z.infer<typeof KnowledgeEntryView>;

export const KnowledgeListResponse = z.object({
  items: z.array(KnowledgeEntryView),
  /** Entries matching `q` (all entries without it). */
  total: z.number().int(),
  limit: z.number().int(),
  offset: z.number().int(),
});
export type KnowledgeListResponse = z.infer<typeof KnowledgeListResponse>;

export const KnowledgeLimits = { questionChars: 4000, answerChars: 20_000, intentChars: 200 } as const;

/**
 * One imported entry. POST /v1/admin/sites/:id/knowledge takes a JSON array of these (or Bitext rows
 * `{instruction, response, intent}`), JSONL of the same, or CSV with a `question,answer[,intent]` header.
 */
export const KnowledgeInput = z.object({
  question: z.string().trim().min(1, 'question is empty').max(KnowledgeLimits.questionChars),
  answer: z.string().trim().min(1, 'answer is empty').max(KnowledgeLimits.answerChars),
  intent: z.string().trim().min(1).max(KnowledgeLimits.intentChars).optional(),
});
export type KnowledgeInput = z.infer<typeof KnowledgeInput>;

export const ImportKnowledgeResponse = z.object({
  added: z.number().int(),
  /** Entries already present (same question and answer), including repeats within the file. */
  skipped: z.number().int(),
});
export type ImportKnowledgeResponse = z.infer<typeof ImportKnowledgeResponse>;

// ---------------------------------------------------------------- conversations

const BoolParam = z.enum(['true', 'false']).transform((v) => v === 'true');

// GET /v1/admin/sites/:id/conversations
export const ConversationListQuery = z.object({
  status: ConversationStatus.optional(),
  /** Conversations with at least one answer currently rated this way. */
  rating: Rating.optional(),
  /** true: conversations a visitor flagged at least once (whatever their status now); false: never flagged. */
  flagged: BoolParam.optional(),
  /** Last activity (`updatedAt`) at or after / before this instant. */
  from: z.iso.datetime({ offset: true }).optional(),
  to: z.iso.datetime({ offset: true }).optional(),
  limit: z.coerce.number().int().min(1).max(100).default(20),
  /** `nextCursor` of the previous page. */
  cursor: z.string().max(200).optional(),
});
export type ConversationListQuery = z.infer<typeof ConversationListQuery>;

export const ConversationSummary = z.object({
  id: Uuid,
  status: ConversationStatus,
  visitorId: Uuid,
  createdAt: Timestamp,
  updatedAt: Timestamp,
  resolvedAt: Timestamp.nullable(),
  /** The first visitor message, cut to 200 characters; null before the visitor wrote anything. */
  preview: z.string().nullable(),
  counts: z.object({
    messages: z.number().int(),
    thumbsUp: z.number().int(),
    thumbsDown: z.number().int(),
    flags: z.number().int(),
  }),
});
export type ConversationSummary = z.infer<typeof ConversationSummary>;

export const ConversationListResponse = z.object({
  conversations: z.array(ConversationSummary),
  /** Pass as `cursor` for the next (older) page; null on the last page. */
  nextCursor: z.string().nullable(),
});
export type ConversationListResponse = z.infer<typeof ConversationListResponse>;

const AlternativeView = z.object({ content: z.string(), responder: z.string(), modelVersion: z.string() });

export const ThumbsView = z.object({
  visitorId: Uuid,
  rating: Rating.nullable(),
  reasons: z.array(z.string()),
  comment: z.string().nullable(),
  /** updatedAt for current values, createdAt for history events. */
  at: Timestamp,
});
export type ThumbsView = z.infer<typeof ThumbsView>;

export const CorrectionView = z.object({
  id: Uuid,
  messageId: Uuid,
  text: z.string(),
  authorId: Uuid.nullable(),
  createdAt: Timestamp,
});
export type CorrectionView = z.infer<typeof CorrectionView>;

export const AdminMessage = z.object({
  id: Uuid,
  seq: z.number().int(),
  role: MessageRole,
  content: z.string(),
  replyToId: Uuid.nullable(),
  responder: z.string().nullable(),
  modelVersion: z.string().nullable(),
  failed: z.boolean(),
  createdAt: Timestamp,
  /** Side-by-side turns: both alternatives (a, b) and the visitor's choice. */
  comparison: z
    .object({ id: Uuid, a: AlternativeView, b: AlternativeView, choice: ComparisonChoice.nullable(), chosenAt: Timestamp.nullable() })
    .nullable(),
  /** Current thumbs, one per visitor who rated. */
  thumbs: z.array(ThumbsView),
  /** Every thumbs event, oldest first. */
  thumbsHistory: z.array(ThumbsView),
  corrections: z.array(CorrectionView),
});
export type AdminMessage = z.infer<typeof AdminMessage>;

export const FlagView = z.object({
  id: Uuid,
  visitorId: Uuid,
  reason: FlagReason,
  comment: z.string().nullable(),
  createdAt: Timestamp,
});
export type FlagView = z.infer<typeof FlagView>;

// GET /v1/admin/conversations/:id
export const ConversationDetail = z.object({
  conversation: z.object({
    id: Uuid,
    siteId: Uuid,
    visitorId: Uuid,
    status: ConversationStatus,
    createdAt: Timestamp,
    updatedAt: Timestamp,
    resolvedAt: Timestamp.nullable(),
  }),
  messages: z.array(AdminMessage),
  flags: z.array(FlagView),
});
export type ConversationDetail = z.infer<typeof ConversationDetail>;

// POST /v1/admin/conversations/:id/resolve
export const ResolveResponse = z.object({
  id: Uuid,
  status: ConversationStatus,
  resolvedAt: Timestamp.nullable(),
});
export type ResolveResponse = z.infer<typeof ResolveResponse>;

// POST /v1/admin/messages/:id/corrections
export const CreateCorrectionRequest = z.object({
  text: z.string().trim().min(1, 'write the answer that should have been given').max(CorrectionLimits.textChars),
});
export type CreateCorrectionRequest = z.infer<typeof CreateCorrectionRequest>;

// ---------------------------------------------------------------- exports (JSONL lines, TRL conversational formats)

export const ChatTurn = z.object({ role: z.enum(['user', 'assistant']), content: z.string() });
export type ChatTurn = z.infer<typeof ChatTurn>;

/** GET /v1/admin/sites/:id/export/preferences.jsonl — one line each (TRL "preference"). */
export const PreferenceLine = z.object({
  prompt: z.array(ChatTurn),
  chosen: z.array(ChatTurn),
  rejected: z.array(ChatTurn),
});
export type PreferenceLine = z.infer<typeof PreferenceLine>;

/** GET …/export/thumbs.jsonl (TRL "unpaired preference"): label true = thumbs up. */
export const ThumbsLine = z.object({
  prompt: z.array(ChatTurn),
  completion: z.array(ChatTurn),
  label: z.boolean(),
});
export type ThumbsLine = z.infer<typeof ThumbsLine>;

/** GET …/export/sft.jsonl (TRL "prompt-completion"). */
export const SftLine = z.object({ prompt: z.array(ChatTurn), completion: z.array(ChatTurn) });
export type SftLine = z.infer<typeof SftLine>;

// ---------------------------------------------------------------- API tokens

// POST /v1/admin/tokens
export const CreateTokenRequest = z.object({ name: z.string().trim().min(1).max(100).optional() });
export type CreateTokenRequest = z.infer<typeof CreateTokenRequest>;
/** The token is shown once: only its hash is stored. */
export const CreateTokenResponse = z.object({ id: Uuid, token: z.string() });
export type CreateTokenResponse = z.infer<typeof CreateTokenResponse>;

export const TokenView = z.object({
  id: Uuid,
  name: z.string(),
  createdAt: Timestamp,
  lastUsedAt: Timestamp.nullable(),
  revokedAt: Timestamp.nullable(),
});
export type TokenView = z.infer<typeof TokenView>;
export const TokenListResponse = z.object({ tokens: z.array(TokenView) });
export type TokenListResponse = z.infer<typeof TokenListResponse>;
