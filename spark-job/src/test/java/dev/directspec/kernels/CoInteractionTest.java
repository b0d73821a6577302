package dev.directspec.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** CoInteraction against a brute-force set intersection on random small adjacency. */
class CoInteractionTest {

  @Test
  void matchesBruteForce() {
    Random rnd = new Random(11);
    CoInteraction co = new CoInteraction();
    for (int trial = 0; trial < 50; trial++) {
      int rows = 1 + rnd.nextInt(30);
      int numNeighbours = 1 + rnd.nextInt(40);
      int[] offsets = new int[rows + 1];
      TreeSet<Integer>[] adj = adjacency(rnd, rows, numNeighbours, offsets);
      int[] neighbours = new int[offsets[rows]];
      for (int r = 0; r < rows; r++) {
        int k = offsets[r];
        for (int v : adj[r]) {
          neighbours[k++] = v;
        }
      }
      int batch = 1 + rnd.nextInt(100); // > 64 at times, to cross a bit-set word; repeats are common
      int[] batchRows = new int[batch];
      for (int a = 0; a < batch; a++) {
        batchRows[a] = rnd.nextInt(rows);
      }
      float[] out = new float[batch * batch];
      co.fill(offsets, neighbours, numNeighbours, batchRows, batch, 2.5f, 3f, out);
      for (int a = 0; a < batch; a++) {
        for (int c = 0; c < batch; c++) {
          TreeSet<Integer> common = new TreeSet<>(adj[batchRows[a]]);
          common.retainAll(adj[batchRows[c]]);
          boolean share = a == c || batchRows[a] == batchRows[c] || !common.isEmpty();
          assertEquals(share ? 2.5f : 3f, out[a * batch + c], "trial " + trial + " pair " + a + "," + c);
        }
      }
    }
  }

  @SuppressWarnings("unchecked")
  private static TreeSet<Integer>[] adjacency(Random rnd, int rows, int numNeighbours, int[] offsets) {
    TreeSet<Integer>[] adj = new TreeSet[rows];
    for (int r = 0; r < rows; r++) {
      adj[r] = new TreeSet<>();
      int deg = rnd.nextInt(4); // degree 0 included
      for (int q = 0; q < deg; q++) {
        adj[r].add(rnd.nextInt(numNeighbours));
      }
      offsets[r + 1] = offsets[r] + adj[r].size();
    }
    return adj;
  }
}
