/* Elementwise kernels: broadcasting binary ops over coalesced strides, and unary ops. Single-threaded
 * by design: tfjs calls ~1,300 kernels per training step, mostly small, and waking a second thread per
 * call costs more than it saves (measured: 5× slower on a busy 2-core box). Loops are written so GCC
 * vectorizes them; exp/log/tanh use glibc's vector math (libmvec) through `omp declare simd` declarations
 * (kernels.h), which math.h only makes under -ffast-math (whose other liberties we do not want). */
#include <math.h>
#include <stddef.h>
#include "kernels.h"

#pragma omp declare simd notinbranch
float logf(float);

/* JavaScript's Math.max/min: NaN if either is NaN. */
static inline float jmax(float x, float y) { return (x != x || y != y) ? NAN : (x > y ? x : y); }
static inline float jmin(float x, float y) { return (x != x || y != y) ? NAN : (x < y ? x : y); }

#define OP_ADD(x, y) ((x) + (y))
#define OP_SUB(x, y) ((x) - (y))
#define OP_MUL(x, y) ((x) * (y))
#define OP_DIV(x, y) ((x) / (y))
#define OP_MAX(x, y) jmax(x, y)
#define OP_MIN(x, y) jmin(x, y)
#define OP_SQDIFF(x, y) (((x) - (y)) * ((x) - (y)))
#define OP_POW(x, y) powf(x, y)

/* One innermost row: n elements with strides sa, sb (each 0, 1 or other). */
#define ROW(OP)                                                                           \
  HOT static void row_##OP(const float *restrict a, long sa, const float *restrict b, long sb, \
                       float *restrict o, long n) {                                       \
    if (sa == 1 && sb == 1) {                                                             \
      _Pragma("omp simd") for (long j = 0; j < n; j++) o[j] = OP(a[j], b[j]);              \
    } else if (sa == 1 && sb == 0) {                                                      \
      const float y = b[0];                                                               \
      _Pragma("omp simd") for (long j = 0; j < n; j++) o[j] = OP(a[j], y);                 \
    } else if (sa == 0 && sb == 1) {                                                      \
      const float x = a[0];                                                               \
      _Pragma("omp simd") for (long j = 0; j < n; j++) o[j] = OP(x, b[j]);                 \
    } else {                                                                              \
      for (long j = 0; j < n; j++) o[j] = OP(a[j * sa], b[j * sb]);                        \
    }                                                                                     \
  }
ROW(OP_ADD)
ROW(OP_SUB)
ROW(OP_MUL)
ROW(OP_DIV)
ROW(OP_MAX)
ROW(OP_MIN)
ROW(OP_SQDIFF)
ROW(OP_POW)

typedef void (*row_fn)(const float *, long, const float *, long, float *, long);

/* Rows [r0, r1) of the [rows, n] output; row r's operand offsets follow from its coordinates. */
HOT static void rows_range(row_fn f, const float *a, const int64_t *sa, const float *b, const int64_t *sb, float *out,
                       const int64_t *shape, int rank, long r0, long r1) {
  const long n = shape[rank - 1];
  for (long r = r0; r < r1; r++) {
    long rem = r, oa = 0, ob = 0;
    for (int d = rank - 2; d >= 0; d--) {
      const long c = rem % shape[d];
      rem /= shape[d];
      oa += c * sa[d];
      ob += c * sb[d];
    }
    f(a + oa, sa[rank - 1], b + ob, sb[rank - 1], out + r * n, n);
  }
}

HOT void rk_binary(int op, const float *a, const int64_t *sa, const float *b, const int64_t *sb, float *out,
                   const int64_t *shape, int rank) {
  static const row_fn fns[] = {row_OP_ADD, row_OP_SUB, row_OP_MUL, row_OP_DIV,
                               row_OP_MAX, row_OP_MIN, row_OP_SQDIFF, row_OP_POW};
  const row_fn f = fns[op];
  long rows = 1;
  for (int d = 0; d < rank - 1; d++) rows *= shape[d];
  rows_range(f, a, sa, b, sb, out, shape, rank, 0, rows);
}

/* 1/(1+e^-x), as e^x/(1+e^x) for x < 0 so tiny results keep their precision (no e^-x overflow). */
static inline float rk_sigmoid(float x) {
  const float e = rk_exp(-fabsf(x));
  const float s = 1.0f / (1.0f + e);
  return x >= 0.0f ? s : e * s;
}

HOT void rk_unary(int op, const float *restrict x, float *restrict out, long n, float p) {
#define UNARY(EXPR)                                                        \
  _Pragma("omp simd")                                                      \
  for (long i = 0; i < n; i++) {                                           \
    const float v = x[i];                                                  \
    out[i] = (EXPR);                                                       \
  }                                                                        \
  break;
  switch (op) {
    case RK_EXP: UNARY(rk_exp(v))
    case RK_TANH: UNARY(rk_tanh(v))
    case RK_SQRT: UNARY(sqrtf(v))
    case RK_RSQRT: UNARY(1.0f / sqrtf(v))
    case RK_SQUARE: UNARY(v * v)
    case RK_NEG: UNARY(-v)
    case RK_LOG: UNARY(logf(v))
    case RK_RECIP: UNARY(1.0f / v)
    case RK_ABS: UNARY(fabsf(v))
    case RK_SIGMOID: UNARY(rk_sigmoid(v))
    case RK_POWS:
      if (p == 2.0f) {
        UNARY(v * v)
      } else if (p == 3.0f) {
        UNARY(v * v * v)
      } else if (p == 1.0f) {
        UNARY(v)
      } else {
        UNARY(powf(v, p))
      }
  }
#undef UNARY
}

/* GELU, GPT-2's tanh approximation: 0.5·x·(1 + tanh(√(2/π)·(x + 0.044715·x³))), as model/mlp.ts computes
 * it with tfjs ops (the model's decoding path, model/native-decode.ts, calls this instead). */
HOT void rk_gelu(const float *restrict x, float *restrict out, long n) {
  const float k = 0.7978845608028654f, c = 0.044715f;
#pragma omp simd
  for (long i = 0; i < n; i++) {
    const float v = x[i];
    const float inner = v * (v * v * c + 1.0f) * k;
    out[i] = (v * 0.5f) * (rk_tanh(inner) + 1.0f);
  }
}

/* LayerNorm over the rows of [rows, cols] with gain and bias, biased variance, as model/layer-norm.ts
 * (tf.moments: mean, then the mean of squared float32 differences; sums in double as our Mean). */
HOT void rk_layernorm(const float *restrict x, const float *restrict gain, const float *restrict bias, float *restrict out,
                      long rows, long cols, float eps) {
  for (long r = 0; r < rows; r++) {
    const float *xi = x + r * cols;
    float *oi = out + r * cols;
    double s = 0;
#pragma omp simd reduction(+ : s)
    for (long j = 0; j < cols; j++) s += xi[j];
    const float mean = (float)(s / (double)cols);
    double q = 0;
#pragma omp simd reduction(+ : q)
    for (long j = 0; j < cols; j++) {
      const float d = xi[j] - mean;
      q += (double)(d * d);
    }
    const float rstd = 1.0f / sqrtf((float)(q / (double)cols) + eps);
#pragma omp simd
    for (long j = 0; j < cols; j++) oi[j] = (xi[j] - mean) * rstd * gain[j] + bias[j];
  }
}
