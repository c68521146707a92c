/**
 * One SFT run, start to finish, without BullMQ (the processor, the CLI and tests all call this):
 * reads the run row and its SftConfig, builds retrieval-augmented examples from the site's knowledge
 * base and feedback, trains, saves a `policy` model version and marks the run succeeded.
 *
 * Cancellable: staff set the row to `cancelled` and the run stops at its next logged step
 * (RunCancelledError), saving nothing.
 *
 * Not resumable: a retried run starts again from step 0 (the optimizer moments live inside
 * assistant/model's AdamW and are not part of a checkpoint). Idempotent: a run whose version was
 * already saved is only marked succeeded again, never trained twice.
 */
import { eq } from 'drizzle-orm';
import { SftConfig } from '../../protocol/training.js';
import { encodeCheckpoint } from '../../assistant/model/index.js';
import { PromptFormat } from '../../assistant/prompt/format.js';
import { KnowledgeIndex } from '../../assistant/retrieval/index.js';
import { initTfjs } from '../../assistant/tfjs/index.js';
import type { Db } from '../../server/db/client.js';
import { modelVersions } from '../../server/db/schema.js';
import { saveModelVersion } from '../../server/services/models/save-version.js';
import { BadInputError, RunCancelledError } from '../errors.js';
import { assertNotCancelled, findRun, markRunning, markSucceeded, recordProgress } from '../runs.js';
import { buildExamples, corpusOf, fromKnowledge, fromSftLine, type SftSource } from './examples.js';
import { loadSftData } from './load-data.js';
import { startingPoint } from './start-model.js';
import { trainLoop } from './train-loop.js';

export interface SftProgress {
  step: number;
  totalSteps: number;
  loss: number;
}

export interface SftOutcome {
  modelVersionId: string;
  steps: number;
  firstLoss: number;
  finalLoss: number;
  examples: number;
  tokensPerSecond: number;
  /** Tensors a step left behind (0 unless something leaks). */
  tensorGrowth: number;
}

export async function runSft({
  db,
  runId,
  onProgress,
  log = () => {},
}: {
  db: Db;
  runId: string;
  /** Called after each logged point is in the run row (the processor mirrors it onto the job). */
  onProgress?: (p: SftProgress) => Promise<void>;
  log?: (line: string) => void;
}): Promise<SftOutcome> {
  // 1. the run, its config, and whether an earlier attempt already finished the work
  const run = await findRun(db, runId);
  if (!run) throw new BadInputError(`training run ${runId} does not exist (deleted with its site?): nothing to do`);
  if (run.kind !== 'sft' || !run.siteId) throw new BadInputError(`training run ${runId} is a ${run.kind} run${run.siteId ? '' : ' without a site'}, not a site's sft run`);
  if (run.status === 'cancelled') throw new RunCancelledError(runId);
  const siteId = run.siteId;
  const [saved] = await db.select().from(modelVersions).where(eq(modelVersions.trainingRunId, runId));
  if (saved) {
    await markSucceeded(db, runId, saved.metrics);
    return outcomeOf(saved.id, saved.metrics);
  }
  const parsed = SftConfig.safeParse(run.config);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new BadInputError(`training run ${runId} has an invalid config: ${issue.path.join('.') || '(config)'}: ${issue.message}; start a new run with a valid config`);
  }
  const config = parsed.data;
  await initTfjs();
  await markRunning(db, runId, config.steps);
  const t0 = performance.now();

  // 2. what to learn: knowledge Q/A and feedback lines
  const data = await loadSftData(db, siteId, config);
  const sources: SftSource[] = [...fromKnowledge(data.knowledge), ...data.lines.map(fromSftLine).filter((s): s is SftSource => s !== null)];
  if (sources.length === 0) {
    throw new BadInputError(`site ${siteId} has no knowledge entries and no feedback to learn from: import knowledge (POST /v1/admin/sites/${siteId}/knowledge) first`);
  }

  // 3. tokenizer and model: the base checkpoint's, or fresh ones trained on this corpus
  const start = await startingPoint({ db, siteId, config, corpus: () => corpusOf(sources, data.persona) });
  const { model, tokenizer, blockSize } = start;
  try {
    // 4. tokenized, retrieval-augmented examples
    const format = new PromptFormat(tokenizer);
    const index = new KnowledgeIndex(data.knowledge);
    const examples = buildExamples(sources, { format, index, persona: data.persona, topKPassages: config.topKPassages, blockSize });
    if (examples.length === 0) throw new BadInputError(`no example keeps an answer token within blockSize ${blockSize}: raise blockSize`);
    const prepareSeconds = round1((performance.now() - t0) / 1000);
    log(`run ${runId}: ${examples.length} examples (${data.knowledge.length} knowledge, ${data.lines.length} feedback) prepared in ${prepareSeconds} s; ${model.numParams()} parameters, ${start.baseId ? `from base ${start.baseId}` : 'fresh model'}`);

    // 5. train, writing progress to the run row
    const result = await trainLoop({
      model,
      examples,
      padId: tokenizer.idOf('<|pad|>'),
      config,
      onLog: async (point) => {
        await recordProgress(db, runId, { ...point });
        await onProgress?.({ step: point.step, totalSteps: config.steps, loss: point.loss });
      },
    });

    // 6. save the policy (tokenizer in the checkpoint meta) and close the run, unless staff cancelled it
    //    meanwhile (a cancel landing between this check and the save leaves a saved version behind a
    //    cancelled run: harmless, the version is never activated by itself)
    await assertNotCancelled(db, runId);
    const metrics = {
      loss: result.finalLoss,
      firstLoss: result.firstLoss,
      steps: result.steps,
      examples: examples.length,
      tokensPerSecond: result.tokensPerSecond,
      prepareSeconds,
    };
    const bytes = encodeCheckpoint(model, {
      tokenizer: tokenizer.toJSON(),
      trainingRunId: runId,
      baseModelId: start.baseId,
      prompt: { topKPassages: config.topKPassages, blockSize },
    });
    const version = await saveModelVersion({
      db,
      input: {
        siteId,
        kind: 'policy',
        name: `sft-${new Date().toISOString().slice(0, 10)}-${runId.slice(0, 8)}`,
        bytes,
        config: { ...model.config, tokenizerVocabSize: tokenizer.vocabSize, topKPassages: config.topKPassages },
        metrics,
        parentId: start.baseId,
        trainingRunId: runId,
      },
    });
    await markSucceeded(db, runId, metrics);
    log(`run ${runId}: loss ${result.firstLoss.toFixed(3)} → ${result.finalLoss.toFixed(3)} in ${result.steps} steps, ${result.tokensPerSecond} tokens/s; saved ${version.name} (${version.id})`);
    return {
      modelVersionId: version.id,
      steps: result.steps,
      firstLoss: result.firstLoss,
      finalLoss: result.finalLoss,
      examples: examples.length,
      tokensPerSecond: result.tokensPerSecond,
      tensorGrowth: result.tensorGrowth,
    };
  } finally {
    model.dispose();
  }
}

const round1 = (x: number) => Math.round(x * 10) / 10;

function outcomeOf(modelVersionId: string, m: Record<string, number>): SftOutcome {
  return {
    modelVersionId,
    steps: m.steps ?? 0,
    firstLoss: m.firstLoss ?? NaN,
    finalLoss: m.loss ?? NaN,
    examples: m.examples ?? 0,
    tokensPerSecond: m.tokensPerSecond ?? 0,
    tensorGrowth: 0,
  };
}
