import { createHash } from 'node:crypto';
import * as tf from '@tensorflow/tfjs';
import { Gpt } from './gpt.js';
import { RewardModel } from './reward-model.js';
import { ValueHead } from './value-head.js';

/**
 * One model's config and weights in one Uint8Array, independent of any tfjs IO handler:
 *
 *   "RPCK" | u32 LE header length | header JSON (UTF-8) | zero padding to a multiple of 4 | float32 LE data
 *
 * The header lists each tensor's stable name, shape, dtype and byte offset into the data. Weights are
 * written in the model's parameter order, so the same weights always give the same bytes (and sha256).
 */
const MAGIC = 'RPCK';
const FORMAT = 'rapport-checkpoint';
const VERSION = 1;

export interface Checkpointable {
  readonly kind: string;
  readonly config: object;
  namedVariables(): ReadonlyMap<string, tf.Variable>;
}

export interface TensorEntry {
  name: string;
  shape: number[];
  dtype: 'float32';
  /** Byte offset into the data section. */
  offset: number;
}

export interface CheckpointHeader {
  format: typeof FORMAT;
  version: typeof VERSION;
  kind: string;
  config: Record<string, unknown>;
  /** Free-form JSON the caller attaches (training step, tokenizer hash, data version…). */
  meta: Record<string, unknown>;
  tensors: TensorEntry[];
}

export interface DecodedCheckpoint {
  header: CheckpointHeader;
  weights: Map<string, { shape: number[]; values: Float32Array }>;
}

function assertLittleEndian(): void {
  if (new Uint8Array(new Uint16Array([1]).buffer)[0] !== 1) {
    throw new Error('checkpoints store little-endian float32; this platform is big-endian and is not supported');
  }
}

export function encodeCheckpoint(model: Checkpointable, meta: Record<string, unknown> = {}): Uint8Array {
  assertLittleEndian();
  const tensors: TensorEntry[] = [];
  let offset = 0;
  for (const [name, v] of model.namedVariables()) {
    if (v.dtype !== 'float32') throw new Error(`parameter ${name} is ${v.dtype}: checkpoints hold float32 only`);
    tensors.push({ name, shape: [...v.shape], dtype: 'float32', offset });
    offset += v.size * 4;
  }
  const header: CheckpointHeader = {
    format: FORMAT,
    version: VERSION,
    kind: model.kind,
    config: { ...model.config },
    meta,
    tensors,
  };
  const json = new TextEncoder().encode(JSON.stringify(header));
  const dataStart = align4(8 + json.length);
  const bytes = new Uint8Array(dataStart + offset);
  bytes.set(new TextEncoder().encode(MAGIC), 0);
  new DataView(bytes.buffer).setUint32(4, json.length, true);
  bytes.set(json, 8);
  const data = new Float32Array(bytes.buffer, dataStart, offset / 4);
  for (const [i, v] of [...model.namedVariables().values()].entries()) {
    data.set(v.dataSync() as Float32Array, tensors[i].offset / 4);
  }
  return bytes;
}

export function decodeCheckpoint(bytes: Uint8Array): DecodedCheckpoint {
  assertLittleEndian();
  const fail = (why: string): never => {
    throw new Error(`not a Rapport checkpoint (${why}): pass the bytes encodeCheckpoint() produced`);
  };
  if (bytes.length < 8 || new TextDecoder().decode(bytes.subarray(0, 4)) !== MAGIC) fail('bad magic');
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const headerLen = view.getUint32(4, true);
  if (8 + headerLen > bytes.length) fail('truncated header');
  let header: CheckpointHeader;
  try {
    header = JSON.parse(new TextDecoder().decode(bytes.subarray(8, 8 + headerLen))) as CheckpointHeader;
  } catch {
    return fail('header is not JSON');
  }
  if (header.format !== FORMAT) fail(`format ${String(header.format)}`);
  if (header.version !== VERSION) fail(`version ${header.version}; this code reads version ${VERSION}`);
  const dataStart = align4(8 + headerLen);
  const weights = new Map<string, { shape: number[]; values: Float32Array }>();
  for (const t of header.tensors) {
    const size = t.shape.reduce((a, b) => a * b, 1);
    const start = dataStart + t.offset;
    if (start + size * 4 > bytes.length) fail(`tensor ${t.name} runs past the end`);
    // Copy: the weights must not alias the caller's buffer (nor need its alignment).
    const values = new Float32Array(bytes.slice(start, start + size * 4).buffer);
    weights.set(t.name, { shape: t.shape, values });
  }
  return { header, weights };
}

/** Assigns a decoded checkpoint's weights to a model with exactly the same parameter names and shapes. */
export function loadWeights(model: Checkpointable, decoded: DecodedCheckpoint): void {
  const vars = model.namedVariables();
  const missing = [...vars.keys()].filter((n) => !decoded.weights.has(n));
  const extra = [...decoded.weights.keys()].filter((n) => !vars.has(n));
  if (missing.length || extra.length) {
    throw new Error(
      `checkpoint (${decoded.header.kind}) does not fit this ${model.kind}: missing [${missing.join(', ')}], ` +
        `unexpected [${extra.join(', ')}]. Load it with the loader of its kind.`,
    );
  }
  for (const [name, v] of vars) {
    const w = decoded.weights.get(name)!;
    if (!tf.util.arraysEqual(w.shape, v.shape)) {
      throw new Error(`checkpoint ${name} is [${w.shape}] but the model's is [${v.shape}]: configs differ`);
    }
    tf.tidy(() => v.assign(tf.tensor(w.values, w.shape, 'float32')));
  }
}

function expectKind(decoded: DecodedCheckpoint, kind: string): void {
  if (decoded.header.kind !== kind) {
    throw new Error(`checkpoint holds a ${decoded.header.kind}, not a ${kind}: use load of that kind`);
  }
}

export function loadGpt(bytes: Uint8Array): Gpt {
  const decoded = decodeCheckpoint(bytes);
  expectKind(decoded, 'gpt');
  const model = new Gpt(decoded.header.config);
  loadWeights(model, decoded);
  return model;
}

export function loadRewardModel(bytes: Uint8Array): RewardModel {
  const decoded = decodeCheckpoint(bytes);
  expectKind(decoded, 'reward-model');
  const model = new RewardModel(decoded.header.config);
  loadWeights(model, decoded);
  return model;
}

export function loadValueHead(bytes: Uint8Array): ValueHead {
  const decoded = decodeCheckpoint(bytes);
  expectKind(decoded, 'value-head');
  const head = new ValueHead(Number(decoded.header.config.nEmbd));
  loadWeights(head, decoded);
  return head;
}

/** Hex SHA-256 of checkpoint bytes: the version id of a model. */
export function sha256(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

function align4(n: number): number {
  return (n + 3) & ~3;
}
