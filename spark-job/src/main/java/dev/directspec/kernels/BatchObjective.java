package dev.directspec.kernels;

/**
 * A training loss on one mini-batch of (user, positive item) pairs, with its gradient w.r.t. the raw
 * embedding rows (docs/method.md section 3, steps 4-5). The caller applies the SGD step.
 */
public interface BatchObjective {

  /**
   * @param xu    B x d user rows, row-major
   * @param xi    B x d positive item rows, row-major (row b pairs with user row b)
   * @param gu    receives dL/dxu (B x d, overwritten)
   * @param gi    receives dL/dxi (B x d, overwritten)
   * @param ws    the calling thread's workspace
   * @return the batch loss
   */
  double lossAndGradient(float[] xu, float[] xi, int batch, int dim, float[] gu, float[] gi, Workspace ws);
}
