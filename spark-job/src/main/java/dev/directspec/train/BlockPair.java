package dev.directspec.train;

import java.io.Serializable;

/**
 * Partition b between two strata: user block b with the epoch's running loss, and the item block that
 * b's next task meets (item block b after the last stratum, with the task's share of the epoch sums
 * when they are asked for). The shuffle after a stratum delivers it in two pieces, the user block from
 * task b and the item block from the task that trained it; {@link #merge} joins them.
 */
record BlockPair(EmbeddingBlock users, EmbeddingBlock items, double lossSum, long steps, EpochSums sums)
    implements Serializable {

  static BlockPair ofUsers(EmbeddingBlock users, double lossSum, long steps, EpochSums sums) {
    return new BlockPair(users, null, lossSum, steps, sums);
  }

  static BlockPair ofItems(EmbeddingBlock items) {
    return new BlockPair(null, items, 0, 0, null);
  }

  /** The user piece and the item piece of one partition, in either order. */
  static BlockPair merge(BlockPair a, BlockPair b) {
    BlockPair user = a.users != null ? a : b;
    BlockPair item = a.users != null ? b : a;
    if (user.users == null || item.items == null || item.users != null || user.items != null) {
      throw new IllegalStateException("a stratum's partition did not receive exactly one user and one item block");
    }
    return new BlockPair(user.users, item.items, user.lossSum, user.steps, user.sums);
  }
}
