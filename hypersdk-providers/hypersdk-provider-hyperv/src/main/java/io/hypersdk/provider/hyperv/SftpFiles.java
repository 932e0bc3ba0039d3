package io.hypersdk.provider.hyperv;

import java.io.IOException;
import java.io.InputStream;
import java.util.EnumSet;
import org.apache.sshd.sftp.client.SftpClient;

/** Exported files read over SFTP from the same SSH session ({@code C:\a} is {@code /C:/a}). */
final class SftpFiles implements RemoteFiles {
    private final SftpClient sftp;

    SftpFiles(PowerShellHost host) throws IOException {
        this.sftp = host.sftp();
    }

    @Override
    public InputStream open(String windowsPath, long offset) throws IOException {
        String path = PowerShellHost.sftpPath(windowsPath);
        SftpClient.CloseableHandle handle = sftp.open(path, EnumSet.of(SftpClient.OpenMode.Read));
        return new PositionalInputStream(offset) {
            private boolean closed;

            @Override
            int readAt(long at, byte[] b, int off, int len) throws IOException {
                return sftp.read(handle, at, b, off, len);
            }

            @Override
            public void close() throws IOException {
                if (!closed) {
                    closed = true;
                    handle.close();
                }
            }
        };
    }

    @Override
    public String name() {
        return "sftp";
    }

    @Override
    public void close() throws IOException {
        sftp.close();
    }
}
