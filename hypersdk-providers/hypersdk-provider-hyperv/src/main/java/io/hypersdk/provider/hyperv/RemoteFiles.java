package io.hypersdk.provider.hyperv;

import java.io.IOException;
import java.io.InputStream;

/** Where exported disk files are read from: SFTP or an SMB share. One instance per transfer. */
interface RemoteFiles extends AutoCloseable {

    /**
     * Opens {@code windowsPath} (as the host names it, {@code D:\exports\job\disk.vhdx}) for
     * reading from byte {@code offset}.
     */
    InputStream open(String windowsPath, long offset) throws IOException;

    /** How the files travel, for messages ({@code sftp}, {@code smb}). */
    String name();

    @Override
    void close() throws IOException;
}
