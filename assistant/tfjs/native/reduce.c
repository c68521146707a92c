/* Reductions over the middle axis of [outer, r, inner], and row softmax, single-threaded and vectorized
 * (see elementwise.c). Sums accumulate in double (as tfjs's cpu kernels do in JavaScript numbers), so
 * results match the stock kernels to rounding. */
#include <math.h>
#include <stdlib.h>
#include "kernels.h"


static inline float jmax(float x, float y) { return (x != x || y != y) ? NAN : (x > y ? x : y); }
static inline float jmin(float x, float y) { return (x != x || y != y) ? NAN : (x < y ? x : y); }

/* Max/min of a row, vectorized; NaN if any element is NaN (JavaScript's Math.max). */
static inline float row_max(const float *restrict row, long r) {
  float m = -INFINITY;
  int nan = 0;
#pragma omp simd reduction(max : m) reduction(| : nan)
  for (long j = 0; j < r; j++) {
    m = row[j] > m ? row[j] : m;
    nan |= row[j] != row[j];
  }
  return nan ? NAN : m;
}
static inline float row_min(const float *restrict row, long r) {
  float m = INFINITY;
  int nan = 0;
#pragma omp simd reduction(min : m) reduction(| : nan)
  for (long j = 0; j < r; j++) {
    m = row[j] < m ? row[j] : m;
    nan |= row[j] != row[j];
  }
  return nan ? NAN : m;
}

HOT void rk_reduce(int op, const float *restrict x, float *restrict out, long outer, long r, long inner) {
  if (inner == 1) {
    /* Contiguous rows. */
    for (long o = 0; o < outer; o++) {
      const float *row = x + o * r;
      if (op == RK_RSUM || op == RK_RMEAN) {
        double s = 0;
#pragma omp simd reduction(+ : s)
        for (long j = 0; j < r; j++) s += row[j];
        out[o] = (float)(op == RK_RMEAN ? s / r : s);
      } else {
        out[o] = op == RK_RMAX ? row_max(row, r) : row_min(row, r);
      }
    }
    return;
  }
  /* Strided: accumulate whole rows of `inner` at a time (vectorizes across inner). */
  {
    double *acc = (op == RK_RSUM || op == RK_RMEAN) ? malloc(sizeof(double) * inner) : NULL;
    for (long o = 0; o < outer; o++) {
      const float *base = x + o * r * inner;
      float *dst = out + o * inner;
      if (acc) {
        for (long i = 0; i < inner; i++) acc[i] = 0;
        for (long j = 0; j < r; j++) {
          const float *row = base + j * inner;
#pragma omp simd
          for (long i = 0; i < inner; i++) acc[i] += row[i];
        }
        for (long i = 0; i < inner; i++) dst[i] = (float)(op == RK_RMEAN ? acc[i] / r : acc[i]);
      } else {
        for (long i = 0; i < inner; i++) dst[i] = r > 0 ? base[i] : (op == RK_RMAX ? -INFINITY : INFINITY);
        for (long j = 1; j < r; j++) {
          const float *row = base + j * inner;
          if (op == RK_RMAX)
            for (long i = 0; i < inner; i++) dst[i] = jmax(dst[i], row[i]);
          else
            for (long i = 0; i < inner; i++) dst[i] = jmin(dst[i], row[i]);
        }
      }
    }
    free(acc);
  }
}

HOT void rk_softmax(const float *restrict x, float *restrict out, long rows, long cols) {
  for (long r = 0; r < rows; r++) {
    const float *xi = x + r * cols;
    float *oi = out + r * cols;
    const float m = row_max(xi, cols);
#pragma omp simd
    for (long j = 0; j < cols; j++) oi[j] = rk_exp(xi[j] - m);
    double s = 0;
#pragma omp simd reduction(+ : s)
    for (long j = 0; j < cols; j++) s += oi[j];
    const float inv = (float)(1.0 / s);
#pragma omp simd
    for (long j = 0; j < cols; j++) oi[j] *= inv;
  }
}
