package io.hypersdk.provider.hyperv;

import com.hierynomus.msdtyp.AccessMask;
import com.hierynomus.mssmb2.SMB2CreateDisposition;
import com.hierynomus.mssmb2.SMB2ShareAccess;
import com.hierynomus.smbj.SMBClient;
import com.hierynomus.smbj.SmbConfig;
import com.hierynomus.smbj.auth.AuthenticationContext;
import com.hierynomus.smbj.connection.Connection;
import com.hierynomus.smbj.session.Session;
import com.hierynomus.smbj.share.DiskShare;
import com.hierynomus.smbj.share.File;
import io.hypersdk.provider.spi.AuthenticationException;
import io.hypersdk.provider.spi.TransferException;
import java.io.IOException;
import java.io.InputStream;
import java.util.EnumSet;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * Exported files read from an SMB share of the Hyper-V host with smbj. The share exposes {@link
 * HypervSettings#stagingRoot()}; a file's share path is its host path below that root. The SSH user
 * and {@code HYPERV_PASSWORD} log in (domain from {@code user} as DOMAIN\\user).
 */
final class SmbFiles implements RemoteFiles {
    private final SMBClient client;
    private final Connection connection;
    private final DiskShare share;
    private final String root;

    SmbFiles(HypervSettings settings) {
        this.root = settings.stagingRoot();
        SmbConfig config =
                SmbConfig.builder()
                        .withTimeout(settings.timeout().toMillis(), TimeUnit.MILLISECONDS)
                        .withSoTimeout(settings.timeout().toMillis(), TimeUnit.MILLISECONDS)
                        .build();
        this.client = new SMBClient(config);
        String user = settings.user();
        String domain = "";
        int slash = user.indexOf('\\');
        if (slash > 0) {
            domain = user.substring(0, slash);
            user = user.substring(slash + 1);
        }
        char[] password =
                settings.password().map(s -> s.reveal().toCharArray()).orElse(new char[0]);
        Connection c = null;
        try {
            c = client.connect(settings.host(), settings.smbPort());
            Session session;
            try {
                session = c.authenticate(new AuthenticationContext(user, password, domain));
            } catch (RuntimeException e) {
                throw new AuthenticationException(
                        "SMB server "
                                + settings.host()
                                + ":"
                                + settings.smbPort()
                                + " refused the login of user "
                                + settings.user()
                                + "; check "
                                + HypervSettings.PASSWORD_VARIABLE);
            }
            this.share = (DiskShare) session.connectShare(settings.share().orElseThrow());
            this.connection = c;
        } catch (IOException | RuntimeException e) {
            if (c != null) {
                try {
                    c.close();
                } catch (IOException ignored) {
                    // already failing
                }
            }
            client.close();
            if (e instanceof AuthenticationException a) {
                throw a;
            }
            throw new TransferException(
                    "cannot open SMB share '"
                            + settings.share().orElse("")
                            + "' on "
                            + settings.host()
                            + ":"
                            + settings.smbPort()
                            + ": "
                            + e.getMessage()
                            + "; check --provider-option share=/smb-port= and that the share exists",
                    e);
        }
    }

    /** The share path of {@code windowsPath}, below the share's root directory. */
    String sharePath(String windowsPath) {
        String r = root.endsWith("\\") ? root : root + "\\";
        if (!windowsPath.toLowerCase(Locale.ROOT).startsWith(r.toLowerCase(Locale.ROOT))) {
            throw new TransferException(
                    "exported file "
                            + windowsPath
                            + " is not under share-path "
                            + root
                            + "; set share-path to the directory the share exposes");
        }
        return windowsPath.substring(r.length());
    }

    @Override
    public InputStream open(String windowsPath, long offset) throws IOException {
        File file =
                share.openFile(
                        sharePath(windowsPath),
                        EnumSet.of(AccessMask.GENERIC_READ),
                        null,
                        SMB2ShareAccess.ALL,
                        SMB2CreateDisposition.FILE_OPEN,
                        null);
        return new PositionalInputStream(offset) {
            @Override
            int readAt(long at, byte[] b, int off, int len) {
                return file.read(b, at, off, len);
            }

            @Override
            public void close() {
                file.close();
            }
        };
    }

    @Override
    public String name() {
        return "smb";
    }

    @Override
    public void close() throws IOException {
        try {
            share.close();
            connection.close();
        } finally {
            client.close();
        }
    }
}
