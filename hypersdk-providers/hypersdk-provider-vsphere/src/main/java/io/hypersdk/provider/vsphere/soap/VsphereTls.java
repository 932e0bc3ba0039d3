package io.hypersdk.provider.vsphere.soap;

import java.nio.file.Path;
import java.util.Locale;
import java.util.Objects;

/**
 * How the client checks the server's TLS certificate. The default, {@link #verify()}, uses the JDK
 * trust store and checks the host name; everything weaker has to be chosen explicitly.
 */
public sealed interface VsphereTls {

    /** Verify against the JDK's default trust store, with host name checks (the default). */
    static VsphereTls verify() {
        return new SystemTrust();
    }

    /** Verify against the CA certificate(s) in this PEM file, with host name checks. */
    static VsphereTls trustCertificates(Path pemFile) {
        return new TrustedCertificates(pemFile);
    }

    /**
     * Accept exactly the server certificate with this SHA-1 (40 hex digits) or SHA-256 (64 hex
     * digits) fingerprint, colons optional, any case; no CA or host name check.
     */
    static VsphereTls pinThumbprint(String thumbprint) {
        return new PinnedThumbprint(thumbprint);
    }

    /** Accept any certificate. Only for lab set-ups; the user must ask for it explicitly. */
    static VsphereTls insecure() {
        return new Insecure();
    }

    /** JDK trust store, host name checked. */
    record SystemTrust() implements VsphereTls {}

    /** Trust the certificates of a PEM file, host name checked. */
    record TrustedCertificates(Path pemFile) implements VsphereTls {
        public TrustedCertificates {
            Objects.requireNonNull(pemFile, "pemFile");
        }
    }

    /**
     * Accept only the certificate with this fingerprint (normalised to upper-case hex, no colons).
     */
    record PinnedThumbprint(String thumbprint) implements VsphereTls {
        public PinnedThumbprint {
            Objects.requireNonNull(thumbprint, "thumbprint");
            String hex = thumbprint.replace(":", "").trim().toUpperCase(Locale.ROOT);
            if (!hex.matches("[0-9A-F]{40}|[0-9A-F]{64}")) {
                throw new IllegalArgumentException(
                        "TLS thumbprint \""
                                + thumbprint
                                + "\" is not a SHA-1 (40 hex digits) or SHA-256 (64 hex digits) fingerprint,"
                                + " e.g. 9E:18:A5:69:3A:33:23:D4:11:DB:3B:DA:85:B5:70:3F:1B:26:64:9C");
            }
            thumbprint = hex;
        }
    }

    /** No verification at all. */
    record Insecure() implements VsphereTls {}
}
