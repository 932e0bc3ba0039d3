package io.hypersdk.provider.spi;

/** Moving bytes failed after the retries allowed (network, server, or local disk). */
public class TransferException extends ExportException {
  private static final long serialVersionUID = 1L;

  public TransferException(String message) {
    super(message);
  }

  public TransferException(String message, Throwable cause) {
    super(message, cause);
  }
}
