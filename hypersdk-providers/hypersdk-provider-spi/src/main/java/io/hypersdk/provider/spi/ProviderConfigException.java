package io.hypersdk.provider.spi;

/** A setting or credential is missing or invalid; the message names the key. */
public class ProviderConfigException extends ExportException {
  private static final long serialVersionUID = 1L;

  public ProviderConfigException(String message) {
    super(message);
  }

  public ProviderConfigException(String message, Throwable cause) {
    super(message, cause);
  }
}
