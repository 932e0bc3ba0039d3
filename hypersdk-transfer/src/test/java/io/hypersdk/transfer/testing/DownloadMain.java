package io.hypersdk.transfer.testing;

import io.hypersdk.core.Cancellation;
import io.hypersdk.core.progress.ProgressListener;
import io.hypersdk.transfer.DownloadEngine;
import io.hypersdk.transfer.DownloadRequest;
import io.hypersdk.transfer.DownloadedFile;
import java.net.URI;
import java.nio.file.Path;

/**
 * A separate JVM that downloads one file, for the kill-and-resume test: {@code DownloadMain URI
 * TARGET [BYTES_PER_SECOND]}; prints {@code DONE <sha256>} on success.
 */
public final class DownloadMain {
    private DownloadMain() {}

    public static void main(String[] args) {
        DownloadEngine.Builder b = DownloadEngine.builder();
        if (args.length > 2) {
            b.bandwidthLimit(Long.parseLong(args[2]));
        }
        DownloadedFile f =
                b.build()
                        .download(
                                DownloadRequest.of(URI.create(args[0]), Path.of(args[1])),
                                ProgressListener.NONE,
                                Cancellation.none());
        System.out.println("DONE " + f.sha256());
    }
}
