package dev.directspec.graph;

import dev.directspec.blocks.EmbeddingBlock;

import java.io.Serializable;
import java.util.Arrays;

/**
 * The in/out-block routing of one block for LightGCN's propagation (the idea of Spark ALS's
 * in/out blocks), computed once from the block's adjacency and kept beside it.
 *
 * <p>Out: for every block t of the other table, the ascending local rows of this block that some row
 * of t is adjacent to; one layer sends t exactly those rows, pre-scaled by {@code 1/sqrt(deg)}.
 * In: for every adjacency entry, its slot in the message that the neighbour's block sends here. Both
 * sides derive the same row lists from the (symmetric) graph independently, so no index is shipped.
 * A layer computes {@code x'_v = sum_{w in N(v)} x_w / sqrt(deg v * deg w)}, i.e. one multiplication
 * by {@code D^-1/2 A D^-1/2} (docs/method.md 5), accumulating in the adjacency's fixed order so that a
 * retried task gives the same bits.
 */
public final class GraphRouting implements Serializable {
  private static final long serialVersionUID = 1L;

  public final int block;
  public final int numBlocks;
  public final int size;
  public final int[] offsets;
  public final int[] neighbours;
  private final int[][] sendRows;
  private final int[] slots;
  private final float[] invSqrtDegree;

  private GraphRouting(EmbeddingBlock b, int[][] sendRows, int[] slots, float[] invSqrtDegree) {
    this.block = b.block;
    this.numBlocks = b.numBlocks;
    this.size = b.size;
    this.offsets = b.offsets;
    this.neighbours = b.neighbours;
    this.sendRows = sendRows;
    this.slots = slots;
    this.invSqrtDegree = invSqrtDegree;
  }

  public static GraphRouting of(EmbeddingBlock b) {
    int p = b.numBlocks;
    int[] counts = new int[p];
    for (int r = 0; r < b.size; r++) {
      for (int t = 0; t < p; t++) {
        if (b.cellEnd(r, t) > b.cellStart(r, t)) counts[t]++;
      }
    }
    int[][] sendRows = new int[p][];
    for (int t = 0; t < p; t++) sendRows[t] = new int[counts[t]];
    Arrays.fill(counts, 0);
    float[] invSqrt = new float[b.size];
    for (int r = 0; r < b.size; r++) {
      int degree = b.degree(r);
      invSqrt[r] = degree == 0 ? 0f : (float) (1.0 / Math.sqrt(degree));
      for (int t = 0; t < p; t++) {
        if (b.cellEnd(r, t) > b.cellStart(r, t)) sendRows[t][counts[t]++] = r;
      }
    }
    return new GraphRouting(b, sendRows, slotsOf(b), invSqrt);
  }

  /**
   * Slot of each adjacency entry in its source block's message: the rank of the neighbour among the
   * distinct neighbours of this whole block that live in the same source block.
   */
  private static int[] slotsOf(EmbeddingBlock b) {
    int p = b.numBlocks;
    int[] slots = new int[b.neighbours.length];
    for (int c = 0; c < p; c++) {
      int n = 0;
      for (int r = 0; r < b.size; r++) n += b.cellEnd(r, c) - b.cellStart(r, c);
      int[] ids = new int[n];
      n = 0;
      for (int r = 0; r < b.size; r++) {
        for (int k = b.cellStart(r, c); k < b.cellEnd(r, c); k++) ids[n++] = b.neighbours[k];
      }
      Arrays.sort(ids);
      int distinct = 0;
      for (int k = 0; k < n; k++) {
        if (k == 0 || ids[k] != ids[k - 1]) ids[distinct++] = ids[k];
      }
      for (int r = 0; r < b.size; r++) {
        for (int k = b.cellStart(r, c); k < b.cellEnd(r, c); k++) {
          slots[k] = Arrays.binarySearch(ids, 0, distinct, b.neighbours[k]);
        }
      }
    }
    return slots;
  }

  /** Whether block t of the other table needs any row of this block. */
  public boolean sendsTo(int t) {
    return sendRows[t].length > 0;
  }

  /** The rows block t of the other table needs, each scaled by 1/sqrt(its degree), packed row-major. */
  public float[] pack(float[] factors, int dim, int t) {
    int[] rows = sendRows[t];
    float[] message = new float[rows.length * dim];
    for (int k = 0; k < rows.length; k++) {
      int r = rows[k];
      float s = invSqrtDegree[r];
      for (int j = 0; j < dim; j++) message[k * dim + j] = factors[r * dim + j] * s;
    }
    return message;
  }

  /**
   * One layer for this block: {@code messages[c]} is what block c of the other table sent (null when
   * it sent nothing). Sums in double in adjacency order, then scales by 1/sqrt(deg).
   */
  public float[] receive(float[][] messages, int dim) {
    float[] out = new float[size * dim];
    double[] row = new double[dim];
    for (int r = 0; r < size; r++) {
      Arrays.fill(row, 0);
      for (int k = offsets[r]; k < offsets[r + 1]; k++) {
        float[] message = messages[neighbours[k] % numBlocks];
        int base = slots[k] * dim;
        for (int j = 0; j < dim; j++) row[j] += message[base + j];
      }
      float s = invSqrtDegree[r];
      for (int j = 0; j < dim; j++) out[r * dim + j] = (float) (row[j] * s);
    }
    return out;
  }
}
