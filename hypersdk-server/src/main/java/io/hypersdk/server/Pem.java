package io.hypersdk.server;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.Collection;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads a PEM certificate chain and PKCS#8 private key into an in-memory key store. */
final class Pem {
    private static final Pattern KEY =
            Pattern.compile(
                    "-----BEGIN PRIVATE KEY-----([A-Za-z0-9+/=\\s]+)-----END PRIVATE KEY-----");

    private Pem() {}

    static KeyStore keyStore(Path certificate, Path key, char[] password) {
        try {
            Collection<? extends Certificate> chain;
            try (InputStream in = Files.newInputStream(certificate)) {
                chain = CertificateFactory.getInstance("X.509").generateCertificates(in);
            }
            if (chain.isEmpty()) {
                throw new ServerConfigException(
                        "--tls-cert " + certificate + ": no PEM certificate in the file");
            }
            PrivateKey privateKey = privateKey(key);
            KeyStore ks = KeyStore.getInstance("PKCS12");
            ks.load(null, null);
            ks.setKeyEntry("server", privateKey, password, chain.toArray(new Certificate[0]));
            return ks;
        } catch (IOException e) {
            throw new ServerConfigException(
                    "cannot read the TLS certificate or key: " + e.getMessage());
        } catch (GeneralSecurityException e) {
            throw new ServerConfigException(
                    "--tls-cert "
                            + certificate
                            + " / --tls-key "
                            + key
                            + ": not a usable PEM certificate and key pair: "
                            + e.getMessage());
        }
    }

    private static PrivateKey privateKey(Path key) throws IOException, GeneralSecurityException {
        Matcher m = KEY.matcher(Files.readString(key, StandardCharsets.US_ASCII));
        if (!m.find()) {
            throw new ServerConfigException(
                    "--tls-key "
                            + key
                            + ": no \"BEGIN PRIVATE KEY\" block (PKCS#8 PEM); convert with: openssl pkcs8 -topk8 -nocrypt");
        }
        byte[] der = Base64.getMimeDecoder().decode(m.group(1));
        GeneralSecurityException last = null;
        for (String alg : new String[] {"RSA", "EC", "Ed25519"}) {
            try {
                return KeyFactory.getInstance(alg).generatePrivate(new PKCS8EncodedKeySpec(der));
            } catch (GeneralSecurityException e) {
                last = e;
            }
        }
        throw last;
    }
}
