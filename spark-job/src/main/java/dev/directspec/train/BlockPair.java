package dev.directspec.train;

import dev.directspec.blocks.EmbeddingBlock;
import java.io.Serializable;

/**
 * Partition b of a stratum's outcome: user block b with the epoch's running loss, the item block that
 * task b trained and, after an epoch's last stratum, the task's share of the epoch sums.
 */
record BlockPair(EmbeddingBlock users, EmbeddingBlock items, double lossSum, long steps, EpochSums sums)
    implements Serializable {}
