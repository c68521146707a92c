import type { ModelVersionView, TrainingRunSummary, TrainingRunView } from '../../../protocol/training.js';
import type { ModelVersion, TrainingRun } from '../../db/schema.js';

const iso = (d: Date | null) => d?.toISOString() ?? null;

export function runSummary(run: TrainingRun, modelVersionId: string | null): TrainingRunSummary {
  return {
    id: run.id,
    siteId: run.siteId,
    kind: run.kind,
    status: run.status,
    config: run.config,
    step: run.step,
    totalSteps: run.totalSteps,
    metrics: run.metrics,
    error: run.error,
    jobId: run.jobId,
    modelVersionId,
    createdById: run.createdById,
    createdAt: run.createdAt.toISOString(),
    startedAt: iso(run.startedAt),
    finishedAt: iso(run.finishedAt),
  };
}

export function runView(run: TrainingRun, modelVersionId: string | null): TrainingRunView {
  return { ...runSummary(run, modelVersionId), curve: run.curve };
}

export function modelView(v: ModelVersion): ModelVersionView {
  return {
    id: v.id,
    siteId: v.siteId,
    shared: v.siteId === null,
    kind: v.kind,
    status: v.status,
    name: v.name,
    parentId: v.parentId,
    trainingRunId: v.trainingRunId,
    artifactSha256: v.artifactSha256,
    config: v.config,
    metrics: v.metrics,
    createdAt: v.createdAt.toISOString(),
    activatedAt: iso(v.activatedAt),
  };
}
