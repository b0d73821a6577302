package dev.directspec.eval;

import dev.directspec.blocks.EmbeddingBlock;
import dev.directspec.kernels.SmallGemm;
import dev.directspec.ranking.RankedList;
import dev.directspec.ranking.TopK;

/**
 * Full-ranking scores of one (user block, item block) cell, reduced at once to each user's top K
 * (docs/method.md 6): scores are computed for a chunk of users at a time with one matrix product, the
 * user's training items are excluded, and only K (item, score) pairs per user leave the task. The
 * largest buffer is chunk x |item block| floats; no |U| x |I| matrix exists anywhere.
 */
final class BlockScorer {
  private static final int CHUNK = 128;

  private BlockScorer() {}

  static BlockTopK score(EmbeddingBlock users, EmbeddingBlock items, int k, boolean excludeTraining) {
    BlockTopK out = BlockTopK.empty(users.block, users.size, k);
    int d = users.dim;
    int n = items.size;
    if (n == 0 || users.size == 0) return out;
    float[] scores = new float[CHUNK * n];
    float[] chunk = new float[CHUNK * d];
    SmallGemm gemm = SmallGemm.create();
    TopK heap = new TopK(k);
    for (int start = 0; start < users.size; start += CHUNK) {
      int rows = Math.min(CHUNK, users.size - start);
      // scores[rows x n] = U[start..start+rows) (rows x d) * I^T (d x n)
      System.arraycopy(users.factors, start * d, chunk, 0, rows * d);
      gemm.gemm(false, true, rows, n, d, 1f, chunk, items.factors, 0f, scores);
      for (int r = 0; r < rows; r++) {
        int u = start + r;
        int rowBase = r * n;
        if (excludeTraining) {
          int lo = users.cellStart(u, items.block);
          int hi = users.cellEnd(u, items.block);
          for (int e = lo; e < hi; e++) {
            scores[rowBase + users.neighbours[e] / items.numBlocks] = Float.NEGATIVE_INFINITY;
          }
        }
        heap.reset();
        for (int j = 0; j < n; j++) {
          float s = scores[rowBase + j];
          if (s != Float.NEGATIVE_INFINITY) heap.offer(items.globalId(j), s);
        }
        RankedList best = heap.result();
        for (int slot = 0; slot < best.size(); slot++) {
          out.items()[u * k + slot] = best.items()[slot];
          out.scores()[u * k + slot] = (float) best.scores()[slot];
        }
      }
    }
    return out;
  }
}
