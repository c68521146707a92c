"""PyTorch reference for `npm run bench -- train-speed`: the same 2-layer GPT (pre-LN, causal attention,
tied embeddings; d=128, 4 heads, vocab 2048, context 128) and the same Adam training step on a 16x128
batch, plus greedy generation with a KV cache: 127 tokens from a 1-token prompt, and the server's case
(context 512: a 360-token prompt prefilled, then 150 tokens). The issue's speed goal is measured
against these figures.

Run on the same machine, with threads set explicitly (PyTorch oversubscribes 2 cores by default):
    OPENBLAS_NUM_THREADS=2 python3 bench/reference/gpt_torch.py --threads 1
Needs Debian's python3-torch (`apt-get install -y python3-torch`); not part of CI.
"""
import argparse
import json
import math
import time

import torch
import torch.nn as nn
import torch.nn.functional as F


class Block(nn.Module):
    def __init__(self, d, n_head):
        super().__init__()
        self.n_head = n_head
        self.ln1 = nn.LayerNorm(d)
        self.qkv = nn.Linear(d, 3 * d)
        self.proj = nn.Linear(d, d)
        self.ln2 = nn.LayerNorm(d)
        self.fc = nn.Linear(d, 4 * d)
        self.fc2 = nn.Linear(4 * d, d)

    def attn(self, x, cache=None):
        B, T, C = x.shape
        hs = C // self.n_head
        q, k, v = self.qkv(x).split(C, dim=2)  # 3x[B,T,C]
        q, k, v = (t.view(B, T, self.n_head, hs).transpose(1, 2) for t in (q, k, v))  # [B,nH,T,hs]
        if cache is not None:
            if cache.get("k") is not None:
                k = torch.cat([cache["k"], k], dim=2)
                v = torch.cat([cache["v"], v], dim=2)
            cache["k"], cache["v"] = k, v
        Tk = k.shape[2]
        att = (q @ k.transpose(-2, -1)) * (1.0 / math.sqrt(hs))  # [B,nH,T,Tk]
        if T > 1:
            mask = torch.ones(T, Tk, dtype=torch.bool).tril(diagonal=Tk - T)
            att = att.masked_fill(~mask, float("-inf"))
        y = F.softmax(att, dim=-1) @ v  # [B,nH,T,hs]
        return self.proj(y.transpose(1, 2).reshape(B, T, C))

    def forward(self, x, cache=None):
        x = x + self.attn(self.ln1(x), cache)
        return x + self.fc2(F.gelu(self.fc(self.ln2(x)), approximate="tanh"))


class Gpt(nn.Module):
    def __init__(self, vocab=2048, block=128, n_layer=2, n_head=4, d=128):
        super().__init__()
        self.wte = nn.Embedding(vocab, d)
        self.wpe = nn.Embedding(block, d)
        self.blocks = nn.ModuleList(Block(d, n_head) for _ in range(n_layer))
        self.lnf = nn.LayerNorm(d)

    def forward(self, idx, caches=None, pos0=0):
        B, T = idx.shape
        x = self.wte(idx) + self.wpe(torch.arange(pos0, pos0 + T))  # [B,T,C]
        for i, blk in enumerate(self.blocks):
            x = blk(x, caches[i] if caches is not None else None)
        if caches is not None:
            x = x[:, -1:]  # decoding needs the last position's logits only (nanoGPT's inference path)
        return self.lnf(x) @ self.wte.weight.t()  # [B,T,V], tied embeddings


def bench_train(model, args):
    opt = torch.optim.Adam(model.parameters(), lr=3e-4)
    idx = torch.randint(0, args.vocab, (args.batch, args.block))
    tgt = torch.randint(0, args.vocab, (args.batch, args.block))

    def step():
        logits = model(idx)
        loss = F.cross_entropy(logits.view(-1, args.vocab), tgt.view(-1))
        opt.zero_grad(set_to_none=True)
        loss.backward()
        opt.step()
        return loss.item()

    for _ in range(args.warmup):
        step()
    t0 = time.perf_counter()
    for _ in range(args.steps):
        step()
    dt = time.perf_counter() - t0
    return args.steps * args.batch * args.block / dt


@torch.no_grad()
def bench_generate(model, args):
    model.eval()

    def run(n):
        caches = [{} for _ in model.blocks]
        idx = torch.zeros((1, 1), dtype=torch.long)
        logits = model(idx, caches, 0)
        for pos in range(1, n + 1):
            nxt = logits[:, -1].argmax(-1, keepdim=True)  # greedy
            logits = model(nxt, caches, pos)

    n = args.block - 1
    run(n)  # warm-up: one full run, as the tfjs bench
    t0 = time.perf_counter()
    c0 = time.process_time()
    for _ in range(args.gen_runs):
        run(n)
    dt = time.perf_counter() - t0
    cpu_us = (time.process_time() - c0) * 1e6 / (args.gen_runs * n)  # CPU time: steadier on a busy machine
    return args.gen_runs * n / dt, cpu_us


@torch.no_grad()
def bench_prompt(args, prompt_len=360, new_tokens=150):
    """The server's case, as bench/train-speed.ts times it: prefill, then decoding only."""
    model = Gpt(args.vocab, 512)
    model.eval()
    prompt = torch.tensor([[(i * 7919) % args.vocab for i in range(prompt_len)]])

    def run(n):
        caches = [{} for _ in model.blocks]
        t0 = time.perf_counter()
        logits = model(prompt, caches, 0)
        t1 = time.perf_counter()
        c1 = time.process_time()
        for pos in range(prompt_len, prompt_len + n):
            nxt = logits[:, -1].argmax(-1, keepdim=True)
            logits = model(nxt, caches, pos)
        return t1 - t0, time.perf_counter() - t1, time.process_time() - c1

    run(new_tokens)
    timed = [run(new_tokens) for _ in range(args.gen_runs)]
    prefill_ms = min(p for p, _, _ in timed) * 1000
    tok_per_s = args.gen_runs * new_tokens / sum(d for _, d, _ in timed)
    cpu_us = sum(c for _, _, c in timed) * 1e6 / (args.gen_runs * new_tokens)
    return prefill_ms, tok_per_s, cpu_us


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--threads", type=int, default=1)
    p.add_argument("--steps", type=int, default=20)
    p.add_argument("--warmup", type=int, default=3)
    p.add_argument("--gen-runs", type=int, default=5)
    p.add_argument("--batch", type=int, default=16)
    p.add_argument("--block", type=int, default=128)
    p.add_argument("--vocab", type=int, default=2048)
    args = p.parse_args()
    torch.set_num_threads(args.threads)
    torch.manual_seed(0)
    model = Gpt(args.vocab, args.block)
    train = bench_train(model, args)
    gen, gen_cpu = bench_generate(model, args)
    prefill_ms, gen_prompt, gen_prompt_cpu = bench_prompt(args)
    print("BENCH train-speed-torch " + json.dumps({
        "torch": torch.__version__, "threads": torch.get_num_threads(),
        "trainTokPerS": round(train), "generateTokPerS": round(gen), "genCpuUsPerTok": round(gen_cpu),
        "prompt": 360, "prefillMs": round(prefill_ms, 1), "genPromptTokPerS": round(gen_prompt),
        "genPromptCpuUsPerTok": round(gen_prompt_cpu),
    }))


if __name__ == "__main__":
    main()
