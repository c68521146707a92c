/**
 * The database. This file is the single source of truth: tables, row types ($inferSelect) and, through
 * `npm run db:generate` (drizzle-kit), the SQL in migrations/. Comments on indexes say which query they serve.
 */
import { sql } from 'drizzle-orm';
import {
  bigint,
  bigserial,
  customType,
  boolean,
  index,
  integer,
  jsonb,
  pgEnum,
  pgTable,
  pgView,
  primaryKey,
  real,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';

/** Postgres bytea as a Node Buffer (drizzle has no built-in bytea column). */
const customBytea = customType<{ data: Buffer; driverData: Buffer }>({ dataType: () => 'bytea' });

const createdAt = () => timestamp('created_at', { withTimezone: true }).notNull().defaultNow();
const id = () => uuid('id').primaryKey().defaultRandom();

export const role = pgEnum('staff_role', ['owner', 'admin', 'reviewer']);
export const conversationStatus = pgEnum('conversation_status', ['open', 'flagged', 'resolved']);
export const messageRole = pgEnum('message_role', ['user', 'assistant', 'staff']);
export const rating = pgEnum('rating', ['up', 'down']);
export const comparisonChoice = pgEnum('comparison_choice', ['a', 'b', 'tie', 'both_bad']);
export const flagReason = pgEnum('flag_reason', ['wrong', 'harmful', 'wants_human', 'other']);

/** A business's site: its public key, who may embed it, and how its assistant presents itself. */
export const sites = pgTable('sites', {
  id: id(),
  /** Public key used in the embed snippet (`pk_…`). Unique: the widget looks sites up by it. */
  publicKey: text('public_key').notNull().unique(),
  name: text('name').notNull(),
  /** Origins allowed to embed the widget (`https://shop.example`), or `*` for any. */
  allowedOrigins: text('allowed_origins').array().notNull().default(sql`'{}'::text[]`),
  greeting: text('greeting').notNull().default('Hi! How can I help you today?'),
  /** The assistant's persona, placed at the start of every prompt. */
  persona: text('persona').notNull().default('You are a helpful, concise support assistant.'),
  theme: jsonb('theme').$type<{ accent?: string; position?: 'right' | 'left' }>().notNull().default({}),
  locale: text('locale').notNull().default('en'),
  /** Share of assistant turns shown as a side-by-side comparison, 0..1. */
  compareRate: real('compare_rate').notNull().default(0),
  /** Values for placeholders in knowledge answers, e.g. {"Website Name": "Acme"}. */
  placeholders: jsonb('placeholders').$type<Record<string, string>>().notNull().default({}),
  /** Bumped on every knowledge change so servers rebuild their retrieval index. */
  knowledgeVersion: integer('knowledge_version').notNull().default(0),
  createdAt: createdAt(),
});

export const staffUsers = pgTable('staff_users', {
  id: id(),
  /** Stored lower-cased; login looks users up by it. */
  email: text('email').notNull().unique(),
  /** argon2id hash (PHC string). */
  passwordHash: text('password_hash').notNull(),
  createdAt: createdAt(),
});

export const staffSessions = pgTable(
  'staff_sessions',
  {
    /** sha256 of the cookie value: a database leak does not leak live sessions. */
    tokenHash: text('token_hash').primaryKey(),
    userId: uuid('user_id').notNull().references(() => staffUsers.id, { onDelete: 'cascade' }),
    /** Must come back in the X-CSRF-Token header on cookie-authenticated writes. */
    csrfToken: text('csrf_token').notNull(),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
    createdAt: createdAt(),
  },
  (t) => [index('staff_sessions_user_idx').on(t.userId)],
);

export const apiTokens = pgTable(
  'api_tokens',
  {
    id: id(),
    userId: uuid('user_id').notNull().references(() => staffUsers.id, { onDelete: 'cascade' }),
    name: text('name').notNull().default('api'),
    /** sha256 of the token; the token itself is shown once at creation. */
    tokenHash: text('token_hash').notNull().unique(),
    lastUsedAt: timestamp('last_used_at', { withTimezone: true }),
    revokedAt: timestamp('revoked_at', { withTimezone: true }),
    createdAt: createdAt(),
  },
);

export const memberships = pgTable(
  'memberships',
  {
    userId: uuid('user_id').notNull().references(() => staffUsers.id, { onDelete: 'cascade' }),
    siteId: uuid('site_id').notNull().references(() => sites.id, { onDelete: 'cascade' }),
    role: role('role').notNull(),
    createdAt: createdAt(),
  },
  // PK serves "may user U see site S"; the site index serves "who works on site S".
  (t) => [primaryKey({ columns: [t.userId, t.siteId] }), index('memberships_site_idx').on(t.siteId)],
);

export const visitors = pgTable(
  'visitors',
  {
    id: id(),
    siteId: uuid('site_id').notNull().references(() => sites.id, { onDelete: 'cascade' }),
    createdAt: createdAt(),
    lastSeenAt: timestamp('last_seen_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('visitors_site_idx').on(t.siteId)],
);

export const conversations = pgTable(
  'conversations',
  {
    id: id(),
    siteId: uuid('site_id').notNull().references(() => sites.id, { onDelete: 'cascade' }),
    visitorId: uuid('visitor_id').notNull().references(() => visitors.id, { onDelete: 'cascade' }),
    clientConversationId: text('client_conversation_id'),
    status: conversationStatus('status').notNull().default('open'),
    createdAt: createdAt(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
    resolvedAt: timestamp('resolved_at', { withTimezone: true }),
  },
  (t) => [
    // Idempotent creation: a retried POST returns the same conversation.
    uniqueIndex('conversations_client_id_uq').on(t.visitorId, t.clientConversationId),
    // Staff list: a site's conversations, newest first, optionally by status.
    index('conversations_site_updated_idx').on(t.siteId, t.updatedAt),
    index('conversations_site_status_idx').on(t.siteId, t.status),
  ],
);

/** One alternative of a side-by-side turn. */
export type Alternative = { content: string; responder: string; modelVersion: string };

export const messages = pgTable(
  'messages',
  {
    id: id(),
    /** Total order of messages (created_at ties under load). */
    seq: bigserial('seq', { mode: 'number' }).notNull(),
    siteId: uuid('site_id').notNull().references(() => sites.id, { onDelete: 'cascade' }),
    conversationId: uuid('conversation_id').notNull().references(() => conversations.id, { onDelete: 'cascade' }),
    role: messageRole('role').notNull(),
    content: text('content').notNull(),
    /** Visitor messages: the widget's id, so a resend is stored once. */
    clientMessageId: text('client_message_id'),
    /** Assistant messages: the visitor message they answer. */
    replyToId: uuid('reply_to_id'),
    /** Which responder produced an assistant message ("retrieval", later "policy"), and its version. */
    responder: text('responder'),
    modelVersion: text('model_version'),
    /** Side-by-side turns: both alternatives, in the order shown (a, b). */
    alternatives: jsonb('alternatives').$type<Alternative[]>(),
    /** Set on assistant turns whose generation did not finish (kept, never shown as an answer). */
    failed: boolean('failed').notNull().default(false),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex('messages_client_id_uq').on(t.conversationId, t.clientMessageId),
    // One reply per visitor message: concurrent resends cannot generate twice.
    uniqueIndex('messages_reply_to_uq').on(t.replyToId),
    // Reading a conversation in order.
    index('messages_conversation_seq_idx').on(t.conversationId, t.seq),
    // A site's answers in order: the exports page through them, probing each one's thumbs.
    index('messages_site_seq_idx').on(t.siteId, t.seq),
  ],
);

/**
 * Thumbs: every event ever sent, appended and never changed. The current value per visitor and message is
 * their newest event (the `feedback` view), so the hottest write in the product is one insert with two
 * index entries, and history and current value can never disagree.
 * Keyed to the message only: site and visitor are copies of the message's (the one write path, the
 * thumbs batch, stores an event only when its message is in that visitor's conversation on that site),
 * and deleting a site or visitor still cascades here through messages. Foreign keys on the copies would
 * check and lock two more rows per event.
 */
export const feedbackEvents = pgTable(
  'feedback_events',
  {
    /** Total order of events: the newest per visitor and message is the current value. */
    seq: bigserial('seq', { mode: 'number' }).notNull(),
    siteId: uuid('site_id').notNull(),
    messageId: uuid('message_id').notNull().references(() => messages.id, { onDelete: 'cascade' }),
    visitorId: uuid('visitor_id').notNull(),
    clientEventId: text('client_event_id').notNull(),
    rating: rating('rating'),
    reasons: text('reasons').array().notNull().default(sql`'{}'::text[]`),
    comment: text('comment'),
    createdAt: createdAt(),
  },
  (t) => [
    // Idempotency: the same event sent twice is stored once.
    primaryKey({ columns: [t.visitorId, t.clientEventId] }),
    // A message's thumbs (current values and history), and the "is there a newer one" probe.
    index('feedback_events_message_idx').on(t.messageId),
  ],
);

/**
 * The current thumbs: each visitor's newest event per message (a cleared rating is a current value with
 * rating null). A plain filter view, so Postgres folds it into the query that reads it: predicates and
 * joins reach `feedback_events` and its indexes, as they would on a table.
 */
export const feedback = pgView('feedback', {
  messageId: uuid('message_id').notNull(),
  visitorId: uuid('visitor_id').notNull(),
  siteId: uuid('site_id').notNull(),
  rating: rating('rating'),
  reasons: text('reasons').array().notNull(),
  comment: text('comment'),
  /** The event that set this value, and when it was stored. */
  eventSeq: bigint('event_seq', { mode: 'number' }).notNull(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull(),
}).as(sql`
  select e.message_id, e.visitor_id, e.site_id, e.rating, e.reasons, e.comment, e.seq as event_seq, e.created_at as updated_at
  from feedback_events e
  where not exists (
    select 1 from feedback_events newer
    where newer.message_id = e.message_id and newer.visitor_id = e.visitor_id and newer.seq > e.seq
  )`);

export const comparisons = pgTable(
  'comparisons',
  {
    id: id(),
    siteId: uuid('site_id').notNull().references(() => sites.id, { onDelete: 'cascade' }),
    conversationId: uuid('conversation_id').notNull().references(() => conversations.id, { onDelete: 'cascade' }),
    /** The assistant message shown as this comparison (one comparison per message). */
    messageId: uuid('message_id').notNull().unique().references(() => messages.id, { onDelete: 'cascade' }),
    a: jsonb('a').$type<Alternative>().notNull(),
    b: jsonb('b').$type<Alternative>().notNull(),
    choice: comparisonChoice('choice'),
    /** The client event that made the choice: a resend is recognised, a second choice refused. */
    choiceClientEventId: text('choice_client_event_id'),
    chosenAt: timestamp('chosen_at', { withTimezone: true }),
    createdAt: createdAt(),
  },
  // Exports and the reward model read a site's decided comparisons.
  (t) => [index('comparisons_site_idx').on(t.siteId, t.chosenAt)],
);

export const flags = pgTable(
  'flags',
  {
    id: id(),
    siteId: uuid('site_id').notNull().references(() => sites.id, { onDelete: 'cascade' }),
    conversationId: uuid('conversation_id').notNull().references(() => conversations.id, { onDelete: 'cascade' }),
    visitorId: uuid('visitor_id').notNull().references(() => visitors.id, { onDelete: 'cascade' }),
    clientEventId: text('client_event_id').notNull(),
    reason: flagReason('reason').notNull(),
    comment: text('comment'),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex('flags_client_id_uq').on(t.visitorId, t.clientEventId),
    index('flags_conversation_idx').on(t.conversationId),
  ],
);

/** The answer staff say should have been given to an assistant message. */
export const corrections = pgTable(
  'corrections',
  {
    id: id(),
    siteId: uuid('site_id').notNull().references(() => sites.id, { onDelete: 'cascade' }),
    messageId: uuid('message_id').notNull().references(() => messages.id, { onDelete: 'cascade' }),
    authorId: uuid('author_id').references(() => staffUsers.id, { onDelete: 'set null' }),
    text: text('text').notNull(),
    createdAt: createdAt(),
  },
  (t) => [index('corrections_site_idx').on(t.siteId), index('corrections_message_idx').on(t.messageId)],
);

/** A site's knowledge base: question/answer pairs the assistant retrieves from. */
export const knowledgeEntries = pgTable(
  'knowledge_entries',
  {
    id: id(),
    siteId: uuid('site_id').notNull().references(() => sites.id, { onDelete: 'cascade' }),
    question: text('question').notNull(),
    answer: text('answer').notNull(),
    /** Optional label (e.g. Bitext intent), used for evaluation and grouping. */
    intent: text('intent'),
    /** sha256(question + "\n" + answer): re-importing a file adds nothing twice. */
    contentHash: text('content_hash').notNull(),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex('knowledge_site_hash_uq').on(t.siteId, t.contentHash)],
);

export const auditLog = pgTable(
  'audit_log',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    siteId: uuid('site_id').references(() => sites.id, { onDelete: 'cascade' }),
    actorUserId: uuid('actor_user_id').references(() => staffUsers.id, { onDelete: 'set null' }),
    /** Verb in dotted form: "site.create", "knowledge.import", "conversation.resolve", … */
    action: text('action').notNull(),
    /** What it acted on, e.g. a conversation id. */
    target: text('target'),
    data: jsonb('data').$type<Record<string, unknown>>().notNull().default({}),
    createdAt: createdAt(),
  },
  // Staff read a site's audit trail newest first.
  (t) => [index('audit_site_created_idx').on(t.siteId, t.createdAt)],
);

export type Site = typeof sites.$inferSelect;
export type NewSite = typeof sites.$inferInsert;
export type StaffUser = typeof staffUsers.$inferSelect;
export type Conversation = typeof conversations.$inferSelect;
export type MessageRow = typeof messages.$inferSelect;
export type ComparisonRow = typeof comparisons.$inferSelect;
export type KnowledgeEntry = typeof knowledgeEntries.$inferSelect;
export type Membership = typeof memberships.$inferSelect;

// ---------------------------------------------------------------------------------------------------
// Models and training (the assistant's own language model, its reward model, and the runs that make them)

export const modelKind = pgEnum('model_kind', ['policy', 'reward']);
/** ready → candidate → active (one per site and kind) → retired; `failed` when evaluation rejected it. */
export const modelStatus = pgEnum('model_status', ['ready', 'candidate', 'active', 'retired', 'failed']);
export const trainingKind = pgEnum('training_kind', ['sft', 'reward', 'ppo', 'evaluate']);
export const trainingStatus = pgEnum('training_status', ['queued', 'running', 'succeeded', 'failed', 'cancelled']);

/** Checkpoint bytes, content-addressed: two versions with identical weights share one row. */
export const modelArtifacts = pgTable('model_artifacts', {
  sha256: text('sha256').primaryKey(),
  bytes: customBytea('bytes').notNull(),
  size: integer('size').notNull(),
  createdAt: createdAt(),
});

export const trainingRuns = pgTable(
  'training_runs',
  {
    id: id(),
    /** Null for runs that train the shipped base model. */
    siteId: uuid('site_id').references(() => sites.id, { onDelete: 'cascade' }),
    kind: trainingKind('kind').notNull(),
    status: trainingStatus('status').notNull().default('queued'),
    /** The validated run config (SftConfig, RewardConfig, PpoConfig, …). */
    config: jsonb('config').$type<Record<string, unknown>>().notNull().default({}),
    step: integer('step').notNull().default(0),
    totalSteps: integer('total_steps').notNull().default(0),
    /** Latest figures (loss, accuracy, KL, …) and the curve: one point per logged step. */
    metrics: jsonb('metrics').$type<Record<string, number>>().notNull().default({}),
    curve: jsonb('curve').$type<Array<Record<string, number>>>().notNull().default([]),
    error: text('error'),
    /** BullMQ job id, to find the job from the run. */
    jobId: text('job_id'),
    createdById: uuid('created_by_id').references(() => staffUsers.id, { onDelete: 'set null' }),
    createdAt: createdAt(),
    startedAt: timestamp('started_at', { withTimezone: true }),
    finishedAt: timestamp('finished_at', { withTimezone: true }),
  },
  // Staff list a site's runs newest first.
  (t) => [index('training_runs_site_created_idx').on(t.siteId, t.createdAt)],
);

export const modelVersions = pgTable(
  'model_versions',
  {
    id: id(),
    /** Null for shared base models (shipped with the project). */
    siteId: uuid('site_id').references(() => sites.id, { onDelete: 'cascade' }),
    kind: modelKind('kind').notNull(),
    status: modelStatus('status').notNull().default('ready'),
    /** Human label, e.g. "sft-2026-12-03-1". */
    name: text('name').notNull(),
    /** The version this one was trained from (SFT from base, PPO from SFT, …). */
    parentId: uuid('parent_id'),
    trainingRunId: uuid('training_run_id').references(() => trainingRuns.id, { onDelete: 'set null' }),
    artifactSha256: text('artifact_sha256').notNull().references(() => modelArtifacts.sha256),
    /** Model and tokenizer config as saved in the checkpoint header (for listing without loading). */
    config: jsonb('config').$type<Record<string, unknown>>().notNull().default({}),
    metrics: jsonb('metrics').$type<Record<string, number>>().notNull().default({}),
    createdAt: createdAt(),
    activatedAt: timestamp('activated_at', { withTimezone: true }),
  },
  (t) => [
    // At most one active model of each kind per site: serving reads it, activation swaps it atomically.
    uniqueIndex('model_versions_one_active_uq').on(t.siteId, t.kind).where(sql`status = 'active'`),
    index('model_versions_site_idx').on(t.siteId, t.kind, t.createdAt),
  ],
);

export type ModelVersion = typeof modelVersions.$inferSelect;
export type TrainingRun = typeof trainingRuns.$inferSelect;
