package io.hypersdk.core;

/** Unchecked base of every exception thrown by the hypersdk libraries. */
public class HypersdkException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /**
   * Creates an exception with a one-line message.
   *
   * @param message what failed, for which input, and what to do; never null
   */
  public HypersdkException(String message) {
    super(message);
  }

  /**
   * Creates an exception with a one-line message and a cause.
   *
   * @param message what failed, for which input, and what to do; never null
   * @param cause the underlying failure, may be null
   */
  public HypersdkException(String message, Throwable cause) {
    super(message, cause);
  }
}
