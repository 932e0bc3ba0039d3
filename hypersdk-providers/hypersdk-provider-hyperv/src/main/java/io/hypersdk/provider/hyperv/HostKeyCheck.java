package io.hypersdk.provider.hyperv;

import java.io.IOException;
import java.net.SocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PublicKey;
import java.util.Collection;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.sshd.client.config.hosts.KnownHostEntry;
import org.apache.sshd.client.keyverifier.ServerKeyVerifier;
import org.apache.sshd.client.session.ClientSession;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.config.keys.PublicKeyEntryResolver;
import org.apache.sshd.common.digest.BuiltinDigests;

/**
 * Host-key verification, on by default: a pinned {@code SHA256:} fingerprint when one is set, else
 * the known_hosts file. A key that matches neither is refused and remembered, so that the
 * connection error can show its fingerprint and how to pin it.
 */
final class HostKeyCheck implements ServerKeyVerifier {
    private final String host;
    private final int port;
    private final Optional<String> pinned;
    private final Path knownHosts;
    private final AtomicReference<String> refusal = new AtomicReference<>();

    HostKeyCheck(String host, int port, Optional<String> pinned, Path knownHosts) {
        this.host = host;
        this.port = port;
        this.pinned = pinned;
        this.knownHosts = knownHosts;
    }

    static String fingerprint(PublicKey key) {
        return KeyUtils.getFingerPrint(BuiltinDigests.sha256, key);
    }

    @Override
    public boolean verifyServerKey(
            ClientSession session, SocketAddress remoteAddress, PublicKey serverKey) {
        String fp = fingerprint(serverKey);
        if (pinned.isPresent()) {
            if (same(pinned.get(), fp)) {
                return true;
            }
            refusal.set(
                    "the host key of "
                            + host
                            + ":"
                            + port
                            + " is "
                            + fp
                            + ", not the pinned "
                            + pinned.get()
                            + "; if the host's key really changed, pin the new one with --provider-option host-key="
                            + fp);
            return false;
        }
        Known known = known(serverKey);
        switch (known) {
            case MATCH:
                return true;
            case CHANGED:
                refusal.set(
                        "the host key of "
                                + host
                                + ":"
                                + port
                                + " ("
                                + fp
                                + ") differs from the one in "
                                + knownHosts
                                + "; if the host's key really changed, remove the old entry (ssh-keygen -R "
                                + host
                                + ") or pin the new one with --provider-option host-key="
                                + fp);
                return false;
            default:
                refusal.set(
                        "the host key of "
                                + host
                                + ":"
                                + port
                                + " ("
                                + fp
                                + ") is not in "
                                + knownHosts
                                + "; check it on the host (ssh-keygen -lf the host's key) and pin it with --provider-option host-key="
                                + fp
                                + ", or add the host to known_hosts");
                return false;
        }
    }

    /** Why the last key was refused, if one was. */
    Optional<String> refusal() {
        return Optional.ofNullable(refusal.get());
    }

    private enum Known {
        MATCH,
        CHANGED,
        UNKNOWN
    }

    private Known known(PublicKey key) {
        if (!Files.isReadable(knownHosts)) {
            return Known.UNKNOWN;
        }
        Collection<KnownHostEntry> entries;
        try {
            entries = KnownHostEntry.readKnownHostEntries(knownHosts);
        } catch (IOException e) {
            return Known.UNKNOWN;
        }
        boolean sawHost = false;
        for (KnownHostEntry e : entries) {
            if (e.getKeyEntry() == null || !e.isHostMatch(host, port)) {
                continue;
            }
            try {
                PublicKey k =
                        e.getKeyEntry()
                                .resolvePublicKey(
                                        null, java.util.Map.of(), PublicKeyEntryResolver.IGNORING);
                if (k == null || !KeyUtils.getKeyType(k).equals(KeyUtils.getKeyType(key))) {
                    continue;
                }
                sawHost = true;
                if (KeyUtils.compareKeys(k, key)) {
                    return Known.MATCH;
                }
            } catch (IOException | java.security.GeneralSecurityException ex) {
                // an entry we cannot read does not vouch for the key
            }
        }
        return sawHost ? Known.CHANGED : Known.UNKNOWN;
    }

    private static boolean same(String pin, String actual) {
        return strip(pin).equals(strip(actual));
    }

    private static String strip(String fp) {
        return fp.endsWith("=") ? fp.substring(0, fp.length() - 1) : fp;
    }
}
