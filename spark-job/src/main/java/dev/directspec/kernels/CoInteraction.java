package dev.directspec.kernels;

import java.util.Arrays;

/**
 * Per-pair inverse temperatures of the adaptive DirectSpec+ variant (docs/method.md section 3): for the batch
 * rows a, c, {@code tau_ac = tau0} when their rows share at least one training neighbour (users: an item;
 * items: a user), when a == c, or when the same row id was drawn twice; otherwise {@code tau1}.
 *
 * <p>Decided from sparse adjacency without pairwise merges: each distinct neighbour seen in the batch gets
 * a B-bit set of the batch positions adjacent to it, and row a's "shares with" set is the OR of the sets of
 * its neighbours. Cost O(sum of batch degrees * B/64 + B^2); memory O(distinct neighbours * B/64) plus
 * one int per neighbour id (a slot map reset after each call). Not thread-safe: one instance per task.
 */
public final class CoInteraction {

  private int[] slotOf = new int[0];
  private int[] touched = new int[0];
  private long[] bits = new long[0];
  private long[] rowMask = new long[0];
  private int used;

  /**
   * Fills {@code out} (B x B row-major) for the batch rows {@code rows[0..batch)}: local row ids into the
   * CSR adjacency ({@code neighbours[offsets[r] .. offsets[r+1])} are row r's neighbour ids, all below
   * {@code numNeighbours}).
   */
  public void fill(int[] offsets, int[] neighbours, int numNeighbours, int[] rows, int batch,
                   float tau0, float tau1, float[] out) {
    int words = (batch + 63) >>> 6;
    int keys = numNeighbours + offsets.length - 1;
    if (slotOf.length < keys) {
      slotOf = new int[keys];
      Arrays.fill(slotOf, -1);
    }
    used = 0;
    for (int a = 0; a < batch; a++) {
      int r = rows[a];
      // The row id itself is a key too (after all neighbour ids), so a row drawn twice shares with itself.
      mark(numNeighbours + r, a, words);
      for (int k = offsets[r]; k < offsets[r + 1]; k++) {
        mark(neighbours[k], a, words);
      }
    }
    if (rowMask.length < words) {
      rowMask = new long[words];
    }
    long[] m = rowMask;
    for (int a = 0; a < batch; a++) {
      int r = rows[a];
      System.arraycopy(bits, slotOf[numNeighbours + r] * words, m, 0, words);
      for (int k = offsets[r]; k < offsets[r + 1]; k++) {
        int s = slotOf[neighbours[k]] * words;
        for (int q = 0; q < words; q++) {
          m[q] |= bits[s + q];
        }
      }
      int off = a * batch;
      for (int c = 0; c < batch; c++) {
        out[off + c] = (m[c >>> 6] & (1L << c)) != 0 ? tau0 : tau1;
      }
    }
    for (int i = 0; i < used; i++) {
      slotOf[touched[i]] = -1;
    }
  }

  /** Adds batch position {@code a} to the bit set of {@code key}, giving the key a fresh slot if new. */
  private void mark(int key, int a, int words) {
    int s = slotOf[key];
    if (s < 0) {
      s = used++;
      slotOf[key] = s;
      if (touched.length < used) {
        touched = Arrays.copyOf(touched, Math.max(2 * used, 64));
      }
      touched[s] = key;
      if (bits.length < used * words) {
        bits = Arrays.copyOf(bits, Math.max(2 * used * words, 64));
      }
      Arrays.fill(bits, s * words, (s + 1) * words, 0L);
    }
    bits[s * words + (a >>> 6)] |= 1L << a;
  }
}
