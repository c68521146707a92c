/* Matrix products through OpenBLAS (threaded by OpenBLAS itself). Products with one to a few rows
 * (decoding one token per sequence) go through sgemv: sgemm packs the whole right operand per call,
 * which made a 1×128 · 128×2048 product take 0.5 ms instead of ~20 µs. */
#include <cblas.h>
#include <string.h>
#include "kernels.h"

/* Rows up to which a product is computed row by row with sgemv. */
#define GEMV_ROWS 8
/* Multiply-adds below which a product runs on one thread: waking OpenBLAS's other threads costs tens of
 * µs (milliseconds on a busy machine), more than small products take (a decoding step is all small). */
#define THREADED_MIN_MACS (4L << 20)

extern void openblas_set_num_threads(int);
extern int openblas_get_num_threads(void);
static int max_threads = 0, current_threads = 0;

void rk_set_threads(int n) {
  max_threads = n;
  openblas_set_num_threads(n);
  current_threads = n;
}

int rk_get_threads(void) {
  if (max_threads == 0) max_threads = current_threads = openblas_get_num_threads();
  return max_threads;
}

static void use_threads(long macs) {
  const int want = macs >= THREADED_MIN_MACS ? rk_get_threads() : 1;
  if (want != current_threads) {
    openblas_set_num_threads(want);
    current_threads = want;
  }
}

void rk_gemm(const float *a, const float *b, float *out, int batch, long strideA, long strideB, int m, int n,
             int k, int transA, int transB, const float *bias) {
  const int lda = transA ? m : k, ldb = transB ? k : n;
  use_threads((long)m * n * k);
  for (int i = 0; i < batch; i++) {
    const float *A = a + i * strideA, *B = b + i * strideB;
    float *c = out + (long)i * m * n;
    float beta = 0.0f;
    if (bias) {
      for (int r = 0; r < m; r++) memcpy(c + (long)r * n, bias, sizeof(float) * n);
      beta = 1.0f;
    }
    if (k == 0) {
      if (!bias) memset(c, 0, sizeof(float) * m * n);
      continue;
    }
    if (m <= GEMV_ROWS) {
      /* row r of C = op(B)ᵀ-vector product with row r of op(A) (stride m when A is transposed) */
      for (int r = 0; r < m; r++) {
        const float *x = transA ? A + r : A + (long)r * k;
        const int incx = transA ? m : 1;
        if (transB) /* B is [n,k]: c_r = B · x */
          cblas_sgemv(CblasRowMajor, CblasNoTrans, n, k, 1.0f, B, ldb, x, incx, beta, c + (long)r * n, 1);
        else /* B is [k,n]: c_r = Bᵀ · x */
          cblas_sgemv(CblasRowMajor, CblasTrans, k, n, 1.0f, B, ldb, x, incx, beta, c + (long)r * n, 1);
      }
      continue;
    }
    cblas_sgemm(CblasRowMajor, transA ? CblasTrans : CblasNoTrans, transB ? CblasTrans : CblasNoTrans, m, n, k,
                1.0f, A, lda, B, ldb, beta, c, n);
  }
}
