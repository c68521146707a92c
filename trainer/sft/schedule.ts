/**
 * Learning rate of 1-based step `step` of `steps`: linear warm-up from 0 to `lr` over `warmupSteps`,
 * then cosine decay to `lr · minLrRatio` at the last step (nanoGPT's `get_lr`, GPT-3 paper §B).
 */
export function lrAt(step: number, o: { lr: number; steps: number; warmupSteps: number; minLrRatio: number }): number {
  const warmup = Math.min(o.warmupSteps, o.steps);
  if (step <= warmup) return (o.lr * step) / warmup;
  const decaySteps = o.steps - warmup;
  const progress = decaySteps <= 1 ? 0 : (step - warmup - 1) / (decaySteps - 1); // 0 after warm-up … 1 at the last step
  const cosine = 0.5 * (1 + Math.cos(Math.PI * Math.min(1, progress)));
  return o.lr * (o.minLrRatio + (1 - o.minLrRatio) * cosine);
}
