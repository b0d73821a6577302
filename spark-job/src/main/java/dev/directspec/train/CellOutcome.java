package dev.directspec.train;

import dev.directspec.blocks.EmbeddingBlock;
import java.io.Serializable;

/** What one stratum task returns: both updated blocks and the loss of the steps it ran. */
record CellOutcome(EmbeddingBlock users, EmbeddingBlock items, double lossSum, long steps)
    implements Serializable {}
