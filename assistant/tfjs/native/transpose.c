/* General transpose. When the last axis stays last, whole contiguous runs are copied; otherwise 2-D
 * tiles keep both reads and writes within cache lines. */
#include <string.h>
#include "kernels.h"

#define TILE 32

/* out [rows, cols] = x [cols, rows]ᵀ, for `count` matrices of the batch (stride rows*cols). */
HOT static void transpose2d(const float *restrict x, float *restrict out, long rows, long cols) {
  for (long i0 = 0; i0 < rows; i0 += TILE)
    for (long j0 = 0; j0 < cols; j0 += TILE) {
      const long i1 = i0 + TILE < rows ? i0 + TILE : rows, j1 = j0 + TILE < cols ? j0 + TILE : cols;
      for (long i = i0; i < i1; i++)
        for (long j = j0; j < j1; j++) out[i * cols + j] = x[j * rows + i];
    }
}

HOT void rk_transpose(const float *x, float *out, const int64_t *shape, const int32_t *perm, int rank) {
  int64_t xstride[8], oshape[8];
  long total = 1;
  for (int d = rank - 1, s = 1; d >= 0; d--) {
    xstride[d] = s;
    s *= shape[d];
  }
  for (int d = 0; d < rank; d++) {
    oshape[d] = shape[perm[d]];
    total *= oshape[d];
  }
  if (total == 0) return;
  /* Batched 2-D transpose ([.., a, b] -> [.., b, a] with leading axes in place). */
  int lead = 0;
  while (lead < rank && perm[lead] == lead) lead++;
  if (rank - lead == 2) {
    const long a = shape[lead], b = shape[lead + 1], count = total / (a * b);
    for (long c = 0; c < count; c++) transpose2d(x + c * a * b, out + c * a * b, b, a);
    return;
  }
  /* Runs along the output's last axis: contiguous in x when that axis is x's last. */
  const long run = oshape[rank - 1];
  const long rs = xstride[perm[rank - 1]];
  const long rows = total / run;
  for (long r = 0; r < rows; r++) {
    long rem = r, off = 0;
    for (int d = rank - 2; d >= 0; d--) {
      const long c = rem % oshape[d];
      rem /= oshape[d];
      off += c * xstride[perm[d]];
    }
    float *dst = out + r * run;
    if (rs == 1)
      memcpy(dst, x + off, sizeof(float) * run);
    else
      for (long j = 0; j < run; j++) dst[j] = x[off + j * rs];
  }
}
