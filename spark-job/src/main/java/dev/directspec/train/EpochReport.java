package dev.directspec.train;

import dev.directspec.spectrum.Spectrum;

/**
 * One epoch's figures: loss, training seconds, learning rate, and the singular values of both tables
 * as they stand at the end of the epoch (after the Gram step, when it balances).
 */
public record EpochReport(int epoch, double loss, double seconds, double learningRate, double[] sigmaUsers,
    double[] sigmaItems) {

  public double effectiveRankUsers() {
    return Spectrum.effectiveRank(sigmaUsers);
  }

  public double effectiveRankItems() {
    return Spectrum.effectiveRank(sigmaItems);
  }
}
