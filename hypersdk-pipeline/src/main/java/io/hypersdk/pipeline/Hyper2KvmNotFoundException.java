package io.hypersdk.pipeline;

import io.hypersdk.core.HypersdkException;

/** No hyper2kvm executable: neither at the configured path nor on PATH; the message names both. */
public class Hyper2KvmNotFoundException extends HypersdkException {
  private static final long serialVersionUID = 1L;

  /**
   * Creates the exception.
   *
   * @param message one line naming the input and the fix
   */
  public Hyper2KvmNotFoundException(String message) {
    super(message);
  }
}
