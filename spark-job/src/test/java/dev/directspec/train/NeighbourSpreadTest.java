package dev.directspec.train;

import dev.directspec.blocks.EmbeddingBlock;
import dev.directspec.config.Settings;
import dev.directspec.config.SettingsException;
import dev.directspec.settings.TrainSettings;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** LightGCN's in-cell neighbour spread against a direct computation over the edge list. */
class NeighbourSpreadTest {
  private static final int P = 2;
  private static final int DIM = 2;
  // (user, item) edges over 4 users and 6 items; user u lives in block u % P, item i in block i % P.
  private static final int[][] EDGES = {{0, 1}, {0, 2}, {0, 3}, {1, 1}, {2, 3}, {2, 5}, {2, 0}, {3, 5}, {0, 5}};

  /** The block of rows {@code id % P == b} of one side, with every neighbour (all blocks) in its adjacency. */
  private static EmbeddingBlock block(int b, int rows, boolean users) {
    int size = EmbeddingBlock.blockSize(rows, b, P);
    int[] offsets = new int[size + 1];
    List<Integer> neighbours = new ArrayList<>();
    for (int local = 0; local < size; local++) {
      int id = local * P + b;
      for (int[] e : EDGES) {
        if ((users ? e[0] : e[1]) == id) neighbours.add(users ? e[1] : e[0]);
      }
      offsets[local + 1] = neighbours.size();
    }
    int[] ids = neighbours.stream().mapToInt(Integer::intValue).toArray();
    for (int local = 0; local < size; local++) EmbeddingBlock.sortByBlock(ids, offsets[local], offsets[local + 1], P);
    float[] factors = new float[size * DIM];
    for (int k = 0; k < factors.length; k++) factors[k] = 0.01f * k;
    return new EmbeddingBlock(b, P, size, DIM, factors, offsets, ids);
  }

  private static int degree(int id, boolean user) {
    int d = 0;
    for (int[] e : EDGES) if ((user ? e[0] : e[1]) == id) d++;
    return d;
  }

  @Test
  void movesExactlyTheNeighboursInTheOtherBlockByTheirNormalisedEdgeWeight() {
    EmbeddingBlock users = block(0, 4, true);   // users 0, 2
    EmbeddingBlock items = block(1, 6, false);  // items 1, 3, 5
    float[] before = items.factors.clone();
    int[] rows = {0, 1, 0};                     // user 0 twice, user 2 once
    float[] grad = {1, 2, -3, 4, 0.5f, 0.5f};
    float scale = 0.7f;
    new NeighbourSpread(users, items).fromUsers(rows, grad, scale);
    for (int local = 0; local < items.size; local++) {
      int item = local * P + 1;
      for (int j = 0; j < DIM; j++) {
        double expected = before[local * DIM + j];
        for (int k = 0; k < rows.length; k++) {
          int user = rows[k] * P;
          boolean edge = false;
          for (int[] e : EDGES) edge |= e[0] == user && e[1] == item;
          if (edge) expected -= scale * grad[k * DIM + j] / Math.sqrt(degree(user, true) * degree(item, false));
        }
        assertEquals(expected, items.factors[local * DIM + j], 1e-6, "item " + item + ", column " + j);
      }
    }
    assertEquals(before[0] - scale * (1 + 0.5) / Math.sqrt(4 * 2), items.factors[0], 1e-6, "item 1 from user 0 twice");
  }

  @Test
  void itemGradientsMoveTheirUserNeighbours() {
    EmbeddingBlock users = block(0, 4, true);   // users 0 (degree 4), 2 (degree 3)
    EmbeddingBlock items = block(1, 6, false);  // item 5 (local 2, degree 3): users 0, 2 and 3
    float[] before = users.factors.clone();
    new NeighbourSpread(users, items).fromItems(new int[] {2}, new float[] {1, -1}, 0.5f);
    assertEquals(before[0] - 0.5 / Math.sqrt(3 * 4), users.factors[0], 1e-6, "user 0");
    assertEquals(before[1] + 0.5 / Math.sqrt(3 * 4), users.factors[1], 1e-6, "user 0");
    assertEquals(before[2] - 0.5 / Math.sqrt(3 * 3), users.factors[2], 1e-6, "user 2");
    assertEquals(before[3] + 0.5 / Math.sqrt(3 * 3), users.factors[3], 1e-6, "user 2");
  }

  @Test
  void aRowWithoutNeighboursInTheOtherBlockMovesNothing() {
    EmbeddingBlock users = block(1, 4, true);   // users 1, 3: user 3's only item (5) is in block 1
    EmbeddingBlock items = block(0, 6, false);  // items 0, 2, 4
    float[] before = items.factors.clone();
    new NeighbourSpread(users, items).fromUsers(new int[] {1}, new float[] {5, 5}, 1f);
    for (int k = 0; k < before.length; k++) assertEquals(before[k], items.factors[k]);
  }

  @Test
  void settingIsABetaInZeroOneForSgdOnly() {
    SettingsException adam = assertThrows(SettingsException.class, () -> TrainSettings.from(Settings.load(List.of(),
        List.of("model=lightgcn", "graph_spread=0.5", "optimizer=adam"))));
    assertTrue(adam.getMessage().contains("train.graph_spread > 0 needs train.optimizer = sgd"), adam.getMessage());
    SettingsException range = assertThrows(SettingsException.class, () -> TrainSettings.from(Settings.load(List.of(),
        List.of("model=lightgcn", "graph_spread=1.5"))));
    assertTrue(range.getMessage().contains("train.graph_spread"), range.getMessage());
  }
}
