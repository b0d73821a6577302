package dev.directspec.train;

import dev.directspec.spectrum.Spectrum;

import java.util.Map;

/**
 * One epoch's figures: loss, training seconds (and, where the phases run as separate jobs, their
 * seconds by phase), learning rate, and the singular values of both tables as they stand at the end of
 * the epoch (after the Gram step, when it balances), and the tables' RMS row norms ({@link DivergenceGuard}).
 */
public record EpochReport(int epoch, double loss, double seconds, double learningRate, double[] sigmaUsers,
    double[] sigmaItems, Map<String, Double> phaseSeconds, FactorNorms norms) {

  public EpochReport(int epoch, double loss, double seconds, double learningRate, double[] sigmaUsers,
      double[] sigmaItems) {
    this(epoch, loss, seconds, learningRate, sigmaUsers, sigmaItems, Map.of(), FactorNorms.UNKNOWN);
  }

  public double effectiveRankUsers() {
    return Spectrum.effectiveRank(sigmaUsers);
  }

  public double effectiveRankItems() {
    return Spectrum.effectiveRank(sigmaItems);
  }
}
