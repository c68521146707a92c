/* N-API bindings of kernels.h: every array argument is a TypedArray whose memory the kernel reads or
 * writes in place (no copies); shapes and strides come as Int32Arrays. Arguments are checked in
 * JavaScript (assistant/tfjs/native/load.ts), which is the only caller. */
#include <node_api.h>
#include <stdint.h>
#include <stdlib.h>
#include "kernels.h"


#define MAXARGS 12
#define CHECK(call)                                              \
  if ((call) != napi_ok) {                                       \
    napi_throw_error(env, NULL, "rapport native: bad argument"); \
    return NULL;                                                 \
  }

static void *data_of(napi_env env, napi_value v, size_t *len) {
  napi_typedarray_type type;
  size_t length;
  void *data;
  napi_value ab;
  size_t offset;
  if (napi_get_typedarray_info(env, v, &type, &length, &data, &ab, &offset) != napi_ok) return NULL;
  if (len) *len = length;
  return data;
}
static double num(napi_env env, napi_value v) {
  double d = 0;
  napi_get_value_double(env, v, &d);
  return d;
}
static int nullish(napi_env env, napi_value v) {
  napi_valuetype t;
  napi_typeof(env, v, &t);
  return t == napi_null || t == napi_undefined;
}
/* Int32Array -> int64_t[] (rank ≤ 8). */
static int dims(napi_env env, napi_value v, int64_t *out) {
  size_t n = 0;
  const int32_t *p = data_of(env, v, &n);
  if (!p || n > 8) return -1;
  for (size_t i = 0; i < n; i++) out[i] = p[i];
  return (int)n;
}

static napi_value gemm(napi_env env, napi_callback_info info) {
  size_t argc = MAXARGS;
  napi_value a[MAXARGS];
  CHECK(napi_get_cb_info(env, info, &argc, a, NULL, NULL));
  const float *A = data_of(env, a[0], NULL), *B = data_of(env, a[1], NULL);
  float *out = data_of(env, a[2], NULL);
  const float *bias = nullish(env, a[11]) ? NULL : data_of(env, a[11], NULL);
  rk_gemm(A, B, out, (int)num(env, a[3]), (long)num(env, a[4]), (long)num(env, a[5]), (int)num(env, a[6]),
          (int)num(env, a[7]), (int)num(env, a[8]), (int)num(env, a[9]), (int)num(env, a[10]), bias);
  return NULL;
}

static napi_value binary(napi_env env, napi_callback_info info) {
  size_t argc = MAXARGS;
  napi_value a[MAXARGS];
  CHECK(napi_get_cb_info(env, info, &argc, a, NULL, NULL));
  int64_t sa[8], sb[8], shape[8];
  const int rank = dims(env, a[6], shape);
  if (rank < 1 || dims(env, a[2], sa) != rank || dims(env, a[4], sb) != rank) {
    napi_throw_error(env, NULL, "rapport native binary: rank mismatch");
    return NULL;
  }
  rk_binary((int)num(env, a[0]), data_of(env, a[1], NULL), sa, data_of(env, a[3], NULL), sb,
            data_of(env, a[5], NULL), shape, rank);
  return NULL;
}

static napi_value unary(napi_env env, napi_callback_info info) {
  size_t argc = MAXARGS;
  napi_value a[MAXARGS];
  CHECK(napi_get_cb_info(env, info, &argc, a, NULL, NULL));
  size_t n = 0;
  const float *x = data_of(env, a[1], &n);
  rk_unary((int)num(env, a[0]), x, data_of(env, a[2], NULL), (long)n, (float)num(env, a[3]));
  return NULL;
}

static napi_value gelu(napi_env env, napi_callback_info info) {
  size_t argc = MAXARGS;
  napi_value a[MAXARGS];
  CHECK(napi_get_cb_info(env, info, &argc, a, NULL, NULL));
  size_t n = 0;
  const float *x = data_of(env, a[0], &n);
  rk_gelu(x, data_of(env, a[1], NULL), (long)n);
  return NULL;
}

static napi_value layer_norm(napi_env env, napi_callback_info info) {
  size_t argc = MAXARGS;
  napi_value a[MAXARGS];
  CHECK(napi_get_cb_info(env, info, &argc, a, NULL, NULL));
  rk_layernorm(data_of(env, a[0], NULL), data_of(env, a[1], NULL), data_of(env, a[2], NULL), data_of(env, a[3], NULL),
               (long)num(env, a[4]), (long)num(env, a[5]), (float)num(env, a[6]));
  return NULL;
}

static napi_value reduce(napi_env env, napi_callback_info info) {
  size_t argc = MAXARGS;
  napi_value a[MAXARGS];
  CHECK(napi_get_cb_info(env, info, &argc, a, NULL, NULL));
  rk_reduce((int)num(env, a[0]), data_of(env, a[1], NULL), data_of(env, a[2], NULL), (long)num(env, a[3]),
            (long)num(env, a[4]), (long)num(env, a[5]));
  return NULL;
}

static napi_value softmax(napi_env env, napi_callback_info info) {
  size_t argc = MAXARGS;
  napi_value a[MAXARGS];
  CHECK(napi_get_cb_info(env, info, &argc, a, NULL, NULL));
  rk_softmax(data_of(env, a[0], NULL), data_of(env, a[1], NULL), (long)num(env, a[2]), (long)num(env, a[3]));
  return NULL;
}

static napi_value transpose(napi_env env, napi_callback_info info) {
  size_t argc = MAXARGS;
  napi_value a[MAXARGS];
  CHECK(napi_get_cb_info(env, info, &argc, a, NULL, NULL));
  int64_t shape[8];
  size_t np = 0;
  const int rank = dims(env, a[2], shape);
  const int32_t *perm = data_of(env, a[3], &np);
  if (rank < 1 || (int)np != rank) {
    napi_throw_error(env, NULL, "rapport native transpose: rank mismatch");
    return NULL;
  }
  rk_transpose(data_of(env, a[0], NULL), data_of(env, a[1], NULL), shape, perm, rank);
  return NULL;
}

/* threads(n): sets the most threads OpenBLAS may use for a large product when n > 0; returns it. */
static napi_value threads(napi_env env, napi_callback_info info) {
  size_t argc = 1;
  napi_value a[1];
  CHECK(napi_get_cb_info(env, info, &argc, a, NULL, NULL));
  const int n = argc > 0 ? (int)num(env, a[0]) : 0;
  if (n > 0) rk_set_threads(n);
  napi_value r;
  napi_create_int32(env, rk_get_threads(), &r);
  return r;
}

static napi_value init(napi_env env, napi_value exports) {
  const napi_property_descriptor props[] = {
      {"gemm", NULL, gemm, NULL, NULL, NULL, napi_default, NULL},
      {"binary", NULL, binary, NULL, NULL, NULL, napi_default, NULL},
      {"unary", NULL, unary, NULL, NULL, NULL, napi_default, NULL},
      {"gelu", NULL, gelu, NULL, NULL, NULL, napi_default, NULL},
      {"layerNorm", NULL, layer_norm, NULL, NULL, NULL, napi_default, NULL},
      {"reduce", NULL, reduce, NULL, NULL, NULL, napi_default, NULL},
      {"softmax", NULL, softmax, NULL, NULL, NULL, napi_default, NULL},
      {"transpose", NULL, transpose, NULL, NULL, NULL, napi_default, NULL},
      {"threads", NULL, threads, NULL, NULL, NULL, napi_default, NULL},
  };
  napi_define_properties(env, exports, sizeof(props) / sizeof(props[0]), props);
  return exports;
}

NAPI_MODULE(NODE_GYP_MODULE_NAME, init)
