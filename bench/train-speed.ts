/**
 * Training and generation speed: the reference model of FACTS.md (2 layers, d=128, 4 heads, vocab 2048,
 * context 128) trained with AdamW on 16×128-token batches, greedy KV-cache generation of 127 tokens
 * from a 1-token prompt (`genTokPerS`), and the server's case: the same model with a 512-token context
 * (as trainer/base) prefilling a 360-token prompt (`prefillMs`), then decoding 150 tokens
 * (`genPromptTokPerS`, decoding only). `genCpuUsPerTok` / `genPromptCpuUsPerTok`: CPU time per decoded
 * token, the steadier figure on a busy machine.
 *   npm run bench -- train-speed                     the backend initTfjs picks (TFJS_BACKEND honoured)
 *   npm run bench -- train-speed --all               every backend, each in its own process, as a table
 *   npm run bench -- train-speed --steps 20 --warmup 3 --profile
 * Prints `BENCH train-speed {"backend","tokPerS","genTokPerS",…}` (with --all: one line per backend).
 * PyTorch reference on the same machine: bench/reference/gpt_torch.py.
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { Gpt } from '../assistant/model/gpt.js';
import { Decoder } from '../assistant/model/decoder.js';
import { generate } from '../assistant/model/generate.js';
import { argmax } from '../assistant/model/sampling.js';
import { makeTrainer } from '../assistant/model/train-step.js';
import { initTfjs, tf } from '../assistant/tfjs/index.js';

const { values: opts } = parseArgs({
  options: {
    all: { type: 'boolean', default: false },
    steps: { type: 'string', default: '10' },
    warmup: { type: 'string', default: '2' },
    'stock-steps': { type: 'string', default: '2' },
    profile: { type: 'boolean', default: false },
    'gen-runs': { type: 'string', default: '3' },
  },
});

const CONFIG = { vocabSize: 2048, blockSize: 128, nLayer: 2, nHead: 4, nEmbd: 128 };
const B = 16;
const T = 128;
/** The server's case: a prompt of retrieved passages and history, then an answer. */
const PROMPT = 360;
const ANSWER = 150;

/** CPU time of this process (all threads) since `from`, per unit, in µs. */
function cpuMicros(from: NodeJS.CpuUsage, units: number): number {
  const { user, system } = process.cpuUsage(from);
  return Math.round((user + system) / units);
}

/** Greedy decoding of `newTokens` after `prompt`: prefill and decoding times in ms. */
function timeDecode(model: Gpt, prompt: number[], newTokens: number): { prefillMs: number; decodeMs: number; decodeCpuUs: number } {
  const decoder = new Decoder(model, [prompt]);
  try {
    const t0 = performance.now();
    let logits = decoder.nextLogits();
    const t1 = performance.now();
    const c1 = process.cpuUsage();
    for (let i = 1; i < newTokens; i++) {
      decoder.push([argmax(logits)]);
      logits = decoder.nextLogits();
    }
    const { user, system } = process.cpuUsage(c1);
    return { prefillMs: t1 - t0, decodeMs: performance.now() - t1, decodeCpuUs: user + system };
  } finally {
    decoder.dispose();
  }
}

/** Each row of the --all table: a backend and the environment that selects it. */
const SETUPS: { label: string; env: Record<string, string>; stock?: boolean }[] = [
  { label: 'cpu stock', env: { TFJS_BACKEND: 'cpu-stock' }, stock: true },
  { label: 'cpu patched (JS kernels only)', env: { TFJS_BACKEND: 'cpu', RAPPORT_NATIVE: '0' }, stock: true },
  { label: 'wasm stock', env: { TFJS_BACKEND: 'wasm-stock' }, stock: true },
  { label: 'wasm patched', env: { TFJS_BACKEND: 'wasm' } },
  { label: 'cpu patched + native (OpenBLAS, C)', env: { TFJS_BACKEND: 'cpu' } },
];

if (opts.all) {
  const results: string[] = [];
  for (const s of SETUPS) {
    const steps = s.stock ? opts['stock-steps']! : opts.steps!;
    const warmup = s.stock ? '1' : opts.warmup!;
    const args = ['--import', 'tsx', fileURLToPath(import.meta.url), '--steps', steps, '--warmup', warmup, '--gen-runs', s.stock ? '1' : opts['gen-runs']!];
    const r = spawnSync(process.execPath, args, { env: { ...process.env, ...s.env }, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
    const line = r.stdout.split('\n').find((l) => l.startsWith('BENCH train-speed '));
    const json = line ? (JSON.parse(line.slice('BENCH train-speed '.length)) as Record<string, unknown>) : { error: `exit ${r.status}` };
    const cols = [`${String(json.tokPerS ?? '-').padStart(7)} train tok/s`, `${String(json.genTokPerS ?? '-').padStart(6)} gen tok/s`];
    cols.push(`${String(json.prefillMs ?? '-').padStart(6)} ms prefill ${PROMPT}`, `${String(json.genPromptTokPerS ?? '-').padStart(6)} gen tok/s after it`);
    results.push(`${s.label.padEnd(36)} ${cols.join(' ')}  ${json.error ?? ''}`);
    console.log(`BENCH train-speed ${JSON.stringify({ setup: s.label, ...json })}`);
  }
  console.log(`\n${'setup'.padEnd(36)} (reference model, batch ${B}×${T}, AdamW)\n${results.join('\n')}`);
  process.exit(0);
}

const info = await initTfjs();
const result: Record<string, unknown> = { backend: info.backend, tfBackend: info.tfBackend, gflops: info.gflops, batch: [B, T] };
const model = new Gpt(CONFIG, { seed: 1 });
const trainer = makeTrainer(model, { lr: 3e-4 });
// Random token ids: the speed does not depend on the text.
const idx = tf.randomUniform([B, T], 0, CONFIG.vocabSize, 'int32', 1) as tf.Tensor2D;
const targets = tf.randomUniform([B, T], 0, CONFIG.vocabSize, 'int32', 2) as tf.Tensor2D;
try {
  const warmup = Number(opts.warmup);
  const steps = Number(opts.steps);
  for (let i = 0; i < warmup; i++) trainer.step(idx, targets);
  const tensorsBefore = tf.memory().numTensors;
  const times: number[] = [];
  let loss = NaN;
  for (let i = 0; i < steps; i++) {
    const t0 = performance.now();
    loss = trainer.step(idx, targets);
    times.push(performance.now() - t0);
  }
  const total = times.reduce((a, t) => a + t, 0);
  Object.assign(result, {
    tokPerS: Math.round((steps * B * T) / (total / 1000)),
    bestTokPerS: Math.round((B * T) / (Math.min(...times) / 1000)),
    stepMs: Math.round(total / steps),
    steps,
    loss: Number(loss.toFixed(4)),
    tensorsLeaked: tf.memory().numTensors - tensorsBefore,
  });
  // Greedy generation with the KV cache from a 1-token prompt, as the PyTorch reference does.
  const runs = Number(opts['gen-runs']);
  generate(model, [[0]], { maxNewTokens: T - 1, temperature: 0 }); // warm-up: one full run (the JIT settles)
  const g0 = performance.now();
  const c0 = process.cpuUsage();
  for (let i = 0; i < runs; i++) generate(model, [[0]], { maxNewTokens: T - 1, temperature: 0 });
  result.genTokPerS = Math.round((runs * (T - 1)) / ((performance.now() - g0) / 1000));
  result.genCpuUsPerTok = cpuMicros(c0, runs * (T - 1)); // CPU time: steadier than tok/s on a busy machine
  // A 360-token prompt, then 150 tokens (decoding only: the prefill is reported on its own).
  const served = new Gpt({ ...CONFIG, blockSize: 512 }, { seed: 1 });
  const prompt = Array.from({ length: PROMPT }, (_, i) => (i * 7919) % CONFIG.vocabSize);
  timeDecode(served, prompt, ANSWER + 1);
  const timed = Array.from({ length: runs }, () => timeDecode(served, prompt, ANSWER + 1));
  served.dispose();
  Object.assign(result, {
    prompt: PROMPT,
    prefillMs: Number(Math.min(...timed.map((t) => t.prefillMs)).toFixed(1)),
    genPromptTokPerS: Math.round((runs * ANSWER) / (timed.reduce((a, t) => a + t.decodeMs, 0) / 1000)),
    genPromptCpuUsPerTok: Math.round(timed.reduce((a, t) => a + t.decodeCpuUs, 0) / (runs * ANSWER)),
  });
  if (opts.profile) {
    const p = await tf.profile(() => {
      trainer.step(idx, targets);
    });
    const byKernel = new Map<string, number>();
    for (const k of p.kernels) byKernel.set(k.name, (byKernel.get(k.name) ?? 0) + (k.kernelTimeMs as number));
    const top = [...byKernel].sort((a, b) => b[1] - a[1]).slice(0, 15);
    console.log(top.map(([k, ms]) => `${k.padEnd(24)} ${ms.toFixed(1).padStart(8)} ms`).join('\n'));
  }
} catch (err) {
  result.error = (err as Error).message.split('\n')[0];
}
console.log(`BENCH train-speed ${JSON.stringify(result)}`);
