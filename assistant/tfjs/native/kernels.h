/* Float32 kernels behind assistant/tfjs/kernels/native-*.ts. Pure C over caller-owned buffers (the
 * tfjs cpu backend's Float32Arrays); addon.c binds them to JavaScript. */
#ifndef RAPPORT_KERNELS_H
#define RAPPORT_KERNELS_H
#include <math.h>
#include <stdint.h>
#include <string.h>

/* x86-64: build an AVX2+FMA copy of hot loops next to the baseline one; the loader picks per CPU, so a
 * binary built on one machine still runs on an older one. */
#if defined(__x86_64__) && defined(__GNUC__) && !defined(__clang__)
#define HOT __attribute__((target_clones("arch=x86-64-v3", "default")))
#else
#define HOT
#endif

/* exp and tanh as inline polynomials (Cephes expf/tanhf, ~1 ulp) that GCC vectorizes in place. glibc's
 * vector expf was the first choice, but any lane outside its fast range (exp of a -1e9 attention mask)
 * sends the whole vector down a scalar path: masked softmax rows ran 6× slower. Results below 2^-126
 * are denormals as in JavaScript (slow, but only for x in [-104, -87]); lanes that underflow to 0
 * compute exp(0) and are replaced, so masks cost nothing. Above 88.72: ∞. NaN passes through. */
static inline float rk_exp(float x) {
  const float c = (x < -103.98f || x != x) ? 0.0f : (x > 88.72f ? 88.72f : x);
  const float fx = floorf(c * 1.44269504088896341f + 0.5f); /* round(x / ln2) */
  const float r = c - fx * 0.693359375f + fx * 2.12194440e-4f; /* x - n·ln2 in two parts */
  float p = 1.9875691500e-4f;
  p = p * r + 1.3981999507e-3f;
  p = p * r + 8.3334519073e-3f;
  p = p * r + 4.1665795894e-2f;
  p = p * r + 1.6666665459e-1f;
  p = p * r + 5.0000001201e-1f;
  const float y = p * r * r + r + 1.0f;
  /* 2^n as two normal factors 2^h·2^(n-h), h = n/2, so n = -126 and n = 128 stay exact */
  const int32_t n = (int32_t)fx, h = n >> 1;
  const int32_t b1 = (h + 127) << 23, b2 = (n - h + 127) << 23;
  float s1, s2;
  memcpy(&s1, &b1, sizeof s1);
  memcpy(&s2, &b2, sizeof s2);
  const float e = y * s1 * s2;
  return x != x ? x : (x < -103.98f ? 0.0f : (x > 88.7228f ? INFINITY : e));
}
static inline float rk_tanh(float x) {
  const float a = fabsf(x);
  /* small |x|: odd polynomial; else 1 - 2/(e^{2|x|} + 1) */
  const float z = x * x;
  float p = -5.70498872745e-3f;
  p = p * z + 2.06390887954e-2f;
  p = p * z - 5.37397155531e-2f;
  p = p * z + 1.33314422036e-1f;
  p = p * z - 3.33332819422e-1f;
  const float small = x + x * z * p;
  /* (No clamp of a: GCC then narrows rk_exp's integer maths and stops vectorizing. e^{2a} = ∞ gives 1.) */
  const float big = 1.0f - 2.0f / (rk_exp(2.0f * a) + 1.0f);
  return a < 0.625f ? small : (x < 0.0f ? -big : big);
}

/* out[i] = op(A_i)·op(B_i) (+ bias[col]) for i < batch; A_i at a + i*strideA, op = transpose if flag.
 * The only multi-threaded kernel: OpenBLAS runs its own threads (OPENBLAS_NUM_THREADS, default all cores). */
void rk_gemm(const float *a, const float *b, float *out, int batch, long strideA, long strideB, int m, int n,
             int k, int transA, int transB, const float *bias);
/* Most threads OpenBLAS may use for a large product (default: OpenBLAS's own, OPENBLAS_NUM_THREADS or
 * all cores); small products always run on one. */
void rk_set_threads(int n);
int rk_get_threads(void);

enum { RK_ADD, RK_SUB, RK_MUL, RK_DIV, RK_MAX, RK_MIN, RK_SQDIFF, RK_POW };
/* out = a op b over `rank` coalesced dims; sa/sb are element strides (0 = broadcast). */
void rk_binary(int op, const float *a, const int64_t *sa, const float *b, const int64_t *sb, float *out,
               const int64_t *shape, int rank);

enum { RK_EXP, RK_TANH, RK_SQRT, RK_RSQRT, RK_SQUARE, RK_NEG, RK_LOG, RK_RECIP, RK_ABS, RK_POWS, RK_SIGMOID };
/* out[i] = op(x[i]) (RK_POWS: x[i]^p). */
void rk_unary(int op, const float *x, float *out, long n, float p);

enum { RK_RSUM, RK_RMAX, RK_RMIN, RK_RMEAN };
/* x viewed as [outer, r, inner]: out[o, i] = reduce over r. Sums accumulate in double. */
void rk_reduce(int op, const float *x, float *out, long outer, long r, long inner);

/* GELU (tanh approximation) of n floats. */
void rk_gelu(const float *x, float *out, long n);

/* LayerNorm of each row of [rows, cols]: (x - mean)·rsqrt(var + eps)·gain + bias. */
void rk_layernorm(const float *x, const float *gain, const float *bias, float *out, long rows, long cols, float eps);

/* Row-wise softmax over the last axis of [rows, cols]. */
void rk_softmax(const float *x, float *out, long rows, long cols);

/* out = x permuted: out shape[d] = shape[perm[d]] (dims already coalesced, rank ≤ 8). */
void rk_transpose(const float *x, float *out, const int64_t *shape, const int32_t *perm, int rank);

#endif
