package io.hypersdk.provider.vsphere.soap;

import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.file.Files;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.Collection;
import java.util.HexFormat;
import java.util.Locale;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * Builds the {@link SSLContext} for a {@link VsphereTls} policy.
 *
 * <p>Module-internal: public for the NFC downloads, which pin files on other hosts.
 */
public final class TlsContexts {
    private TlsContexts() {}

    public static SSLContext forPolicy(VsphereTls tls) {
        try {
            if (tls instanceof VsphereTls.SystemTrust) {
                return SSLContext.getDefault();
            }
            SSLContext ctx = SSLContext.getInstance("TLS");
            if (tls instanceof VsphereTls.TrustedCertificates t) {
                TrustManagerFactory tmf =
                        TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
                tmf.init(trustStore(t));
                ctx.init(null, tmf.getTrustManagers(), null);
            } else if (tls instanceof VsphereTls.PinnedThumbprint p) {
                ctx.init(null, new TrustManager[] {new PinningTrustManager(p.thumbprint())}, null);
            } else {
                ctx.init(null, new TrustManager[] {new PinningTrustManager(null)}, null);
            }
            return ctx;
        } catch (GeneralSecurityException e) {
            throw new VsphereException("cannot set up TLS (" + tls + "): " + e.getMessage(), e);
        }
    }

    private static KeyStore trustStore(VsphereTls.TrustedCertificates t)
            throws GeneralSecurityException {
        Collection<? extends Certificate> certs;
        try (InputStream in = Files.newInputStream(t.pemFile())) {
            certs = CertificateFactory.getInstance("X.509").generateCertificates(in);
        } catch (IOException e) {
            throw new VsphereException(
                    "cannot read CA certificate file "
                            + t.pemFile()
                            + ": "
                            + e.getMessage()
                            + "; pass a readable PEM file",
                    e);
        } catch (CertificateException e) {
            throw new VsphereException(
                    "CA certificate file "
                            + t.pemFile()
                            + " holds no valid PEM certificate: "
                            + e.getMessage(),
                    e);
        }
        if (certs.isEmpty()) {
            throw new VsphereException(
                    "CA certificate file "
                            + t.pemFile()
                            + " holds no certificate; pass a PEM file");
        }
        KeyStore ks = KeyStore.getInstance(KeyStore.getDefaultType());
        try {
            ks.load(null, null);
        } catch (IOException e) {
            throw new GeneralSecurityException(e);
        }
        int i = 0;
        for (Certificate c : certs) {
            ks.setCertificateEntry("ca-" + i++, c);
        }
        return ks;
    }

    /** SHA-1 (or SHA-256 when {@code sha256}) fingerprint: upper-case hex, no colons. */
    public static String fingerprint(X509Certificate cert, boolean sha256) {
        try {
            MessageDigest md = MessageDigest.getInstance(sha256 ? "SHA-256" : "SHA-1");
            return HexFormat.of().formatHex(md.digest(cert.getEncoded())).toUpperCase(Locale.ROOT);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Accepts the server's leaf certificate when its fingerprint matches (or anything, when the pin
     * is null = insecure). An X509ExtendedTrustManager does its own host name check, so none is
     * made here: the pin names the exact certificate.
     */
    private static final class PinningTrustManager extends X509ExtendedTrustManager {
        private final String pin;

        PinningTrustManager(String pin) {
            this.pin = pin;
        }

        private void check(X509Certificate[] chain) throws CertificateException {
            if (pin == null) {
                return;
            }
            if (chain == null || chain.length == 0) {
                throw new CertificateException("server sent no certificate");
            }
            String actual = fingerprint(chain[0], pin.length() == 64);
            if (!actual.equals(pin)) {
                throw new CertificateException(
                        "server certificate fingerprint "
                                + actual
                                + " does not match the pinned thumbprint "
                                + pin);
            }
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket)
                throws CertificateException {
            check(chain);
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
                throws CertificateException {
            check(chain);
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType)
                throws CertificateException {
            check(chain);
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket)
                throws CertificateException {
            throw new CertificateException("client certificates are not accepted");
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
                throws CertificateException {
            throw new CertificateException("client certificates are not accepted");
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType)
                throws CertificateException {
            throw new CertificateException("client certificates are not accepted");
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }
}
