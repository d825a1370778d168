/*
 * Dense-layer kernels for tfjs's wasm backend: a matrix product with its bias and ReLU, a dense layer's gradient,
 * and Adam's update, each in one call over tfjs's own wasm memory (this module imports it).
 *
 * Built by scripts/build-kernels.sh (Debian's clang 14, wasm32, 128-bit SIMD); the binary is committed beside it.
 *
 * The arithmetic is that of tfjs 4.22's wasm kernels, operation for operation, so the results are the same bits:
 *   - a product (XNNPACK's fully connected operator): every output starts at its bias ("bias first", a fused
 *     product) or at +0, and adds a[i][k] * b[k][j] for k = 0, 1, ..., K-1 in that order, the product rounded
 *     before the sum (WebAssembly SIMD has no fused multiply-add). Tiles and packing change nothing: each output
 *     keeps its own chain. "Bias after" is tfjs's unfused path, a product then an Add;
 *   - ReLU as XNNPACK's clamp: on x86, max(0, x) as `0 < x ? x : 0` (NaN becomes 0); elsewhere a max that keeps
 *     NaN. The caller says which (XNNPACK tells x86 by the sign of inf - inf, see `nanSignBit`);
 *   - a layer's gradient: dz = dy * step(y) (step(NaN) = NaN), the bias gradient as a column sum from +0 down the
 *     rows (tfjs's Sum), and products as above;
 *   - Adam: the element-wise steps of this project's FlatAdam (the same as tf.train.adam), each rounded to float32.
 *
 * No static data and no stack: the module writes only where its caller points it.
 */
#include <wasm_simd128.h>

#define MR 4
#define NR 8

typedef float f32;

/* 1 where this machine's inf - inf has its sign bit set (x86), as XNNPACK detects it. */
__attribute__((export_name("nanSignBit"))) int nanSignBit(f32 inf) {
  f32 nan = inf - inf;
  return (int)(__builtin_bit_cast(unsigned, nan) >> 31);
}

static inline v128_t relu(v128_t v, int x86) {
  const v128_t zero = wasm_f32x4_splat(0.0f);
  return x86 ? wasm_f32x4_pmax(zero, v) : wasm_f32x4_max(v, zero);
}

static inline int padded(int n, int to) { return (n + to - 1) / to * to; }

/* A (M x K, or stored K x M when transA) into row panels: ap[(block * K + k) * MR + r], padded with zeros. */
static void packA(const f32 *a, int transA, int M, int K, f32 *ap) {
  for (int i0 = 0; i0 < M; i0 += MR) {
    int h = M - i0 < MR ? M - i0 : MR;
    f32 *dst = ap + (long)i0 * K;
    if (transA) {
      for (int k = 0; k < K; k++) {
        const f32 *src = a + (long)k * M + i0;
        for (int r = 0; r < MR; r++) dst[k * MR + r] = r < h ? src[r] : 0.0f;
      }
    } else {
      for (int r = 0; r < MR; r++) {
        if (r < h) {
          const f32 *src = a + (long)(i0 + r) * K;
          for (int k = 0; k < K; k++) dst[k * MR + r] = src[k];
        } else {
          for (int k = 0; k < K; k++) dst[k * MR + r] = 0.0f;
        }
      }
    }
  }
}

/* B (K x N, or stored N x K when transB) into column panels: bp[(panel * K + k) * NR + c], padded with zeros. */
static void packB(const f32 *b, int transB, int K, int N, f32 *bp) {
  for (int j0 = 0; j0 < N; j0 += NR) {
    int w = N - j0 < NR ? N - j0 : NR;
    f32 *dst = bp + (long)j0 * K;
    if (!transB) {
      for (int k = 0; k < K; k++) {
        const f32 *src = b + (long)k * N + j0;
        for (int c = 0; c < NR; c++) dst[k * NR + c] = c < w ? src[c] : 0.0f;
      }
    } else {
      for (int c = 0; c < NR; c++) {
        if (c < w) {
          const f32 *src = b + (long)(j0 + c) * K;
          for (int k = 0; k < K; k++) dst[k * NR + c] = src[k];
        } else {
          for (int k = 0; k < K; k++) dst[k * NR + c] = 0.0f;
        }
      }
    }
  }
}

static inline void storePartial(f32 *out, v128_t v, int n) {
  if (n > 0) out[0] = wasm_f32x4_extract_lane(v, 0);
  if (n > 1) out[1] = wasm_f32x4_extract_lane(v, 1);
  if (n > 2) out[2] = wasm_f32x4_extract_lane(v, 2);
  if (n > 3) out[3] = wasm_f32x4_extract_lane(v, 3);
}

/* One row of a tile: bias after, ReLU, then its w (<= NR) values. */
static inline void storeRow(f32 *out, v128_t v0, v128_t v1, v128_t bias0, v128_t bias1, int biasMode, int relu_, int x86, int w) {
  if (biasMode == 2) {
    v0 = wasm_f32x4_add(v0, bias0);
    v1 = wasm_f32x4_add(v1, bias1);
  }
  if (relu_) {
    v0 = relu(v0, x86);
    v1 = relu(v1, x86);
  }
  if (w == NR) {
    wasm_v128_store(out, v0);
    wasm_v128_store(out + 4, v1);
  } else {
    storePartial(out, v0, w);
    storePartial(out + 4, v1, w - 4);
  }
}

/* Floats of scratch `gemm` needs. */
__attribute__((export_name("gemmScratch"))) int gemmScratch(int M, int K, int N) { return padded(M, MR) * K + padded(N, NR) * K + padded(N, NR); }

/*
 * c (M x N) = op(a) op(b), with bias (biasMode 0: none, 1: first, 2: after) and ReLU (relu != 0; x86: the NaN rule
 * above). scratch: gemmScratch(M, K, N) floats.
 */
__attribute__((export_name("gemm"))) void gemm(const f32 *a, int transA, const f32 *b, int transB, f32 *c, int M, int K, int N, const f32 *bias,
                                                int biasMode, int relu_, int x86, f32 *scratch) {
  f32 *ap = scratch;
  f32 *bp = ap + (long)padded(M, MR) * K;
  f32 *biasp = bp + (long)padded(N, NR) * K;
  packA(a, transA, M, K, ap);
  packB(b, transB, K, N, bp);
  for (int j = 0; j < padded(N, NR); j++) biasp[j] = biasMode != 0 && j < N ? bias[j] : 0.0f;
  for (int j0 = 0; j0 < N; j0 += NR) {
    const int w = N - j0 < NR ? N - j0 : NR;
    const f32 *panel = bp + (long)j0 * K;
    const v128_t bias0 = wasm_v128_load(biasp + j0), bias1 = wasm_v128_load(biasp + j0 + 4);
    const v128_t init0 = biasMode == 1 ? bias0 : wasm_f32x4_splat(0.0f);
    const v128_t init1 = biasMode == 1 ? bias1 : wasm_f32x4_splat(0.0f);
    for (int i0 = 0; i0 < M; i0 += MR) {
      const int h = M - i0 < MR ? M - i0 : MR;
      const f32 *x = ap + (long)i0 * K;
      const f32 *y = panel;
      v128_t c00 = init0, c01 = init1, c10 = init0, c11 = init1, c20 = init0, c21 = init1, c30 = init0, c31 = init1;
      for (int k = 0; k < K; k++) {
        const v128_t b0 = wasm_v128_load(y), b1 = wasm_v128_load(y + 4);
        const v128_t a0 = wasm_v128_load32_splat(x), a1 = wasm_v128_load32_splat(x + 1);
        const v128_t a2 = wasm_v128_load32_splat(x + 2), a3 = wasm_v128_load32_splat(x + 3);
        c00 = wasm_f32x4_add(c00, wasm_f32x4_mul(a0, b0));
        c01 = wasm_f32x4_add(c01, wasm_f32x4_mul(a0, b1));
        c10 = wasm_f32x4_add(c10, wasm_f32x4_mul(a1, b0));
        c11 = wasm_f32x4_add(c11, wasm_f32x4_mul(a1, b1));
        c20 = wasm_f32x4_add(c20, wasm_f32x4_mul(a2, b0));
        c21 = wasm_f32x4_add(c21, wasm_f32x4_mul(a2, b1));
        c30 = wasm_f32x4_add(c30, wasm_f32x4_mul(a3, b0));
        c31 = wasm_f32x4_add(c31, wasm_f32x4_mul(a3, b1));
        x += MR;
        y += NR;
      }
      f32 *out = c + (long)i0 * N + j0;
      storeRow(out, c00, c01, bias0, bias1, biasMode, relu_, x86, w);
      if (h > 1) storeRow(out + N, c10, c11, bias0, bias1, biasMode, relu_, x86, w);
      if (h > 2) storeRow(out + 2 * N, c20, c21, bias0, bias1, biasMode, relu_, x86, w);
      if (h > 3) storeRow(out + 3 * N, c30, c31, bias0, bias1, biasMode, relu_, x86, w);
    }
  }
}

static int maxInt(int a, int b) { return a > b ? a : b; }

/* Floats of scratch `denseGrad` needs. */
__attribute__((export_name("denseGradScratch"))) int denseGradScratch(int B, int In, int Out) {
  return B * Out + maxInt(gemmScratch(In, B, Out), gemmScratch(B, Out, In));
}

/*
 * The gradient of y = act(x w + bias) (x: B x In, w: In x Out) from dy: dw = x^T dz, dbias = column sums of dz,
 * and dx = dz w^T unless dx is null; dz = dy * step(y) for ReLU, dy itself when linear.
 */
__attribute__((export_name("denseGrad"))) void denseGrad(const f32 *dy, const f32 *x, const f32 *w, const f32 *y, int B, int In, int Out, int relu_,
                                                          f32 *dw, f32 *dbias, f32 *dx, f32 *scratch) {
  const f32 *dz = dy;
  f32 *work = scratch;
  if (relu_) {
    f32 *masked = scratch;
    work = scratch + B * Out;
    const v128_t one = wasm_f32x4_splat(1.0f), zero = wasm_f32x4_splat(0.0f);
    int n = B * Out, i = 0;
    for (; i + 4 <= n; i += 4) {
      const v128_t yv = wasm_v128_load(y + i);
      v128_t s = wasm_v128_bitselect(one, zero, wasm_f32x4_gt(yv, zero));
      s = wasm_v128_bitselect(yv, s, wasm_f32x4_ne(yv, yv));
      wasm_v128_store(masked + i, wasm_f32x4_mul(wasm_v128_load(dy + i), s));
    }
    for (; i < n; i++) {
      const f32 yi = y[i];
      const f32 s = yi != yi ? yi : (yi > 0.0f ? 1.0f : 0.0f);
      masked[i] = dy[i] * s;
    }
    dz = masked;
  }
  int j = 0;
  for (; j + 4 <= Out; j += 4) {
    v128_t sum = wasm_f32x4_splat(0.0f);
    for (int r = 0; r < B; r++) sum = wasm_f32x4_add(sum, wasm_v128_load(dz + (long)r * Out + j));
    wasm_v128_store(dbias + j, sum);
  }
  for (; j < Out; j++) {
    f32 sum = 0.0f;
    for (int r = 0; r < B; r++) sum += dz[(long)r * Out + j];
    dbias[j] = sum;
  }
  gemm(x, 1, dz, 0, dw, In, B, Out, 0, 0, 0, 0, work);
  if (dx) gemm(dz, 0, w, 1, dx, B, Out, In, 0, 0, 0, 0, work);
}

/*
 * One Adam step over n values: m' = m beta1 + g (1 - beta1); v' = v beta2 + g^2 (1 - beta2);
 * w' = (m' / (1 - beta1^t)) / (sqrt(v' / (1 - beta2^t)) + epsilon) * (-rate) + w. Outputs may not alias inputs.
 */
__attribute__((export_name("adam"))) void adam(const f32 *w, const f32 *g, const f32 *m, const f32 *v, f32 *wOut, f32 *mOut, f32 *vOut, int n, f32 beta1,
                                                f32 oneMinusBeta1, f32 beta2, f32 oneMinusBeta2, f32 oneMinusAccBeta1, f32 oneMinusAccBeta2, f32 epsilon,
                                                f32 negativeRate) {
  int i = 0;
  const v128_t b1 = wasm_f32x4_splat(beta1), c1 = wasm_f32x4_splat(oneMinusBeta1), b2 = wasm_f32x4_splat(beta2), c2 = wasm_f32x4_splat(oneMinusBeta2);
  const v128_t d1 = wasm_f32x4_splat(oneMinusAccBeta1), d2 = wasm_f32x4_splat(oneMinusAccBeta2), eps = wasm_f32x4_splat(epsilon),
               rate = wasm_f32x4_splat(negativeRate);
  for (; i + 4 <= n; i += 4) {
    const v128_t gv = wasm_v128_load(g + i);
    const v128_t mv = wasm_f32x4_add(wasm_f32x4_mul(wasm_v128_load(m + i), b1), wasm_f32x4_mul(gv, c1));
    const v128_t vv = wasm_f32x4_add(wasm_f32x4_mul(wasm_v128_load(v + i), b2), wasm_f32x4_mul(wasm_f32x4_mul(gv, gv), c2));
    const v128_t step = wasm_f32x4_mul(wasm_f32x4_div(wasm_f32x4_div(mv, d1), wasm_f32x4_add(wasm_f32x4_sqrt(wasm_f32x4_div(vv, d2)), eps)), rate);
    wasm_v128_store(mOut + i, mv);
    wasm_v128_store(vOut + i, vv);
    wasm_v128_store(wOut + i, wasm_f32x4_add(step, wasm_v128_load(w + i)));
  }
  for (; i < n; i++) {
    const f32 gi = g[i];
    const f32 mi = m[i] * beta1 + gi * oneMinusBeta1;
    const f32 vi = v[i] * beta2 + (gi * gi) * oneMinusBeta2;
    const f32 step = ((mi / oneMinusAccBeta1) / (__builtin_sqrtf(vi / oneMinusAccBeta2) + epsilon)) * negativeRate;
    mOut[i] = mi;
    vOut[i] = vi;
    wOut[i] = step + w[i];
  }
}
