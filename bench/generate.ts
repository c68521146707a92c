/**
 * Generation through the real HTTP route: the real server (child process) with the shipped base policy
 * (models/base-policy.rpck, installed and activated for a site whose knowledge is the Bitext training
 * split) answers N held-out Bitext questions, one after another, each in a new conversation, over the
 * SSE message route. Measures time to the first `token` event (TTFT, from sending the request) and
 * tokens per second while streaming (token events after the first / time from first to last). Two
 * warm-up messages first (worker start, policy load) are not counted. Goal: TTFT p50 ≤ 50 ms.
 * Before the policy is activated, the same questions are answered by retrieval: `routeTtftP50ms` is
 * the route's own share (database, retrieval, SSE) of the time to first token.
 *   npm run bench -- generate                 30 questions, models/ checkpoint
 *   npm run bench -- generate --n 100 --dir tmp/base-pilot
 * Prints `BENCH generate {"ttftP50ms","ttftP90ms","tokPerS","tokensPerAnswer","n",…}`.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { projectPath } from '../server/runtime/paths.js';
import { DEFAULT_SPLIT, loadBitext, splitBitext } from '../trainer/base/split.js';
import { createBenchDatabase } from './support/bench-db.js';

const { values: opts } = parseArgs({
  options: {
    n: { type: 'string', default: '30' },
    warmup: { type: 'string', default: '2' },
    dir: { type: 'string', default: projectPath('models') },
  },
});
const N = Number(opts.n);
const WARMUP = Number(opts.warmup);
const serverFile = fileURLToPath(new URL('./support/generate-server.ts', import.meta.url));

type Info = { port: number; origin: string; siteKey: string; model: string; params: number; workers: number; maxNewTokens: number };

async function startServer(databaseUrl: string) {
  const child = spawn(process.execPath, ['--import', 'tsx', serverFile, databaseUrl, opts.dir!], { stdio: ['pipe', 'pipe', 'inherit'] });
  const lines = createInterface({ input: child.stdout! })[Symbol.asyncIterator]();
  const nextLine = async () => {
    const exited = new Promise<never>((_, reject) => child.once('exit', (code) => reject(new Error(`bench server exited with ${code}`))));
    const line = await Promise.race([lines.next(), exited]);
    if (line.done) throw new Error('bench server closed its output');
    return JSON.parse(line.value) as Record<string, unknown>;
  };
  const info = (await nextLine()) as Info;
  /** Activates the base policy for the site; resolves with its version id. */
  const activate = async () => {
    child.stdin!.write('activate\n');
    return String((await nextLine()).activated);
  };
  return { child, info, activate };
}

interface Answer {
  ttftMs: number;
  tokens: number;
  /** From the first to the last token event. */
  streamMs: number;
  responder: string;
  modelVersion: string;
}

/** One visitor message over SSE, timed as the widget would see it. */
async function ask(base: string, headers: Record<string, string>, question: string): Promise<Answer> {
  const conv = await fetch(`${base}/v1/widget/conversations`, { method: 'POST', headers, body: '{}' });
  const { conversationId } = (await conv.json()) as { conversationId: string };
  const t0 = performance.now();
  const res = await fetch(`${base}/v1/widget/conversations/${conversationId}/messages`, {
    method: 'POST',
    headers,
    body: JSON.stringify({ clientMessageId: `m-${crypto.randomUUID()}`, text: question }),
  });
  const reader = res.body!.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = '';
  let first = 0;
  let last = 0;
  let tokens = 0;
  let done: { responder: string; modelVersion: string } | null = null;
  for (;;) {
    const { value, done: ended } = await reader.read();
    if (ended) break;
    buffer += value;
    let cut: number;
    while ((cut = buffer.indexOf('\n\n')) !== -1) {
      const block = buffer.slice(0, cut);
      buffer = buffer.slice(cut + 2);
      const event = /^event: (.*)$/m.exec(block)?.[1];
      if (event === 'token') {
        last = performance.now();
        first ||= last;
        tokens++;
      } else if (event === 'done') {
        done = JSON.parse(/^data: (.*)$/m.exec(block)![1]!).message;
      } else if (event === 'error') {
        throw new Error(`the server answered with an error event: ${block}`);
      }
    }
  }
  if (!done || tokens === 0) throw new Error(`no answer streamed for ${JSON.stringify(question)}`);
  return { ttftMs: first - t0, tokens, streamMs: last - first, responder: done.responder, modelVersion: done.modelVersion };
}

const percentile = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(p * s.length))]!;
};
const round1 = (x: number) => Math.round(x * 10) / 10;

// Held-out questions (never in the site's knowledge nor the base's training data), evenly spaced.
const heldOut = splitBitext(loadBitext(), DEFAULT_SPLIT).heldOut;
const questions = Array.from({ length: N + WARMUP }, (_, i) => heldOut[Math.floor((i * heldOut.length) / (N + WARMUP))]!.question);

const db = await createBenchDatabase();
const { child, info, activate } = await startServer(db.url);
try {
  const base = `http://127.0.0.1:${info.port}`;
  const session = await fetch(`${base}/v1/widget/sessions`, {
    method: 'POST',
    headers: { Origin: info.origin, 'Content-Type': 'application/json' },
    body: JSON.stringify({ siteKey: info.siteKey }),
  });
  const { visitorToken } = (await session.json()) as { visitorToken: string };
  const headers = { Origin: info.origin, 'Content-Type': 'application/json', Authorization: `Bearer ${visitorToken}`, Accept: 'text/event-stream' };

  /** The questions in turn, warm-ups dropped; every answer must come from `responder` (and `version`). */
  const run = async (responder: string, version?: string) => {
    const answers: Answer[] = [];
    for (const [i, q] of questions.entries()) {
      const a = await ask(base, headers, q);
      if (a.responder !== responder || (version && a.modelVersion !== version)) {
        throw new Error(`answered by ${a.responder} ${a.modelVersion}, not ${responder} ${version ?? ''}: see the server log above`);
      }
      if (i >= WARMUP) answers.push(a);
    }
    return answers;
  };
  const route = await run('retrieval');
  const versionId = await activate();
  const answers = await run('policy', versionId);
  const ttft = answers.map((a) => a.ttftMs);
  const streamed = answers.reduce((s, a) => s + a.tokens - 1, 0);
  const streamMs = answers.reduce((s, a) => s + a.streamMs, 0);
  const result = {
    ttftP50ms: round1(percentile(ttft, 0.5)),
    ttftP90ms: round1(percentile(ttft, 0.9)),
    tokPerS: round1(streamed / (streamMs / 1000)),
    tokensPerAnswer: round1(answers.reduce((s, a) => s + a.tokens, 0) / answers.length),
    routeTtftP50ms: round1(percentile(route.map((a) => a.ttftMs), 0.5)),
    n: answers.length,
    model: info.model,
    params: info.params,
    workers: info.workers,
    maxNewTokens: info.maxNewTokens,
  };
  console.log(`BENCH generate ${JSON.stringify(result)}`);
} finally {
  await new Promise<void>((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });
  await db.drop();
}
