package io.hypersdk.pipeline;

import io.hypersdk.core.HypersdkException;

/** Daemon mode was required (`require-daemon`) but the hyper2kvm unit is not active; the message names the unit, its state and the fix. */
public class DaemonRequiredException extends HypersdkException {
  private static final long serialVersionUID = 1L;

  /**
   * Creates the exception.
   *
   * @param message one line naming the input and the fix
   */
  public DaemonRequiredException(String message) {
    super(message);
  }
}
