package dev.directspec.kernels;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link InBatchFilter#expNonPositive} against {@link Math#exp} over its whole domain, x <= 0: every
 * 61st float from 0 down to the clamp at -87 (about 17 million values, every binade included), then the
 * clamped tail down to -infinity. Bound: 4 float ulps (relative 4.8e-7) where e^x is a normal float; below
 * the clamp the result is e^-87 or less, so off by at most that in absolute terms (the softmax only adds
 * such terms to a sum of at least 1).
 */
class ExpNonPositiveTest {
  static final double RELATIVE_BOUND = 4 * Math.ulp(1f);
  static final float CLAMP = -87f;

  @Test
  void relativeErrorIsBoundedFromZeroToTheClamp() {
    double worst = 0;
    float worstAt = 0;
    long checked = 0;
    int last = Float.floatToRawIntBits(CLAMP);
    // Negative floats ordered by magnitude: raw bits from -0 (0x80000000) up to -87.
    for (int bits = 0x80000000; Integer.compareUnsigned(bits, last) <= 0; bits += 61) {
      float x = Float.intBitsToFloat(bits);
      double error = relativeError(x);
      if (error > worst) {
        worst = error;
        worstAt = x;
      }
      checked++;
    }
    for (float x : new float[] {0f, -0f, -Float.MIN_VALUE, -0.5f * (float) Math.log(2), -1f, -20f, -86.99f, CLAMP}) {
      assertTrue(relativeError(x) <= RELATIVE_BOUND, "x = " + x + ": relative error " + relativeError(x));
    }
    assertTrue(checked > 10_000_000, checked + " values checked");
    assertTrue(worst <= RELATIVE_BOUND, "relative error " + worst + " at x = " + worstAt);
    assertEquals(1f, InBatchFilter.expNonPositive(0f), "e^0");
  }

  @Test
  void belowTheClampTheResultIsTinyAndNeverNegative() {
    double atClamp = Math.exp(CLAMP);
    for (float x = CLAMP; x > -1e4f; x -= 0.37f) {
      float e = InBatchFilter.expNonPositive(x);
      assertTrue(e >= 0 && e <= atClamp * (1 + RELATIVE_BOUND), "x = " + x + ": " + e);
      assertTrue(Math.abs(e - Math.exp(x)) <= atClamp * (1 + RELATIVE_BOUND), "x = " + x + ": " + e);
    }
    float atMinusInfinity = InBatchFilter.expNonPositive(Float.NEGATIVE_INFINITY);
    assertTrue(atMinusInfinity >= 0 && atMinusInfinity <= atClamp * (1 + RELATIVE_BOUND), "e^-inf: " + atMinusInfinity);
    assertTrue(Float.isFinite(InBatchFilter.expNonPositive(-Float.MAX_VALUE)));
  }

  private static double relativeError(float x) {
    double exact = Math.exp(x);
    return Math.abs(InBatchFilter.expNonPositive(x) - exact) / exact;
  }
}
