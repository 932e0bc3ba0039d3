package io.hypersdk.pipeline.daemon;

import io.hypersdk.core.Cancellation;
import io.hypersdk.core.CancelledException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** File operations of the spool protocol: atomic publish, bounded reads, date-directory search. */
final class SpoolFiles {
    private static final Logger LOG = LoggerFactory.getLogger(SpoolFiles.class);
    private static final long COPY_CHUNK = 64L << 20;

    private SpoolFiles() {}

    /** The dot-file a submission is written to before it is published. */
    static Path tempFor(Path target) {
        return target.resolveSibling("." + target.getFileName() + ".tmp");
    }

    /**
     * Publishes {@code content} as {@code target}: written to a dot-file in the same directory
     * (ignored by every daemon), fsynced, mode 0644, then linked (or, where hard links are not
     * supported, renamed) into place. Never replaces an existing file.
     */
    static void publish(Path target, byte[] content) throws IOException {
        Path tmp = tempFor(target);
        try (FileChannel ch =
                FileChannel.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            ByteBuffer buf = ByteBuffer.wrap(content);
            while (buf.hasRemaining()) {
                ch.write(buf);
            }
            ch.force(true);
        } catch (IOException e) {
            Files.deleteIfExists(tmp);
            throw e;
        }
        publishTemp(tmp, target);
    }

    /**
     * Copies {@code source} to the dot-file of {@code target}, fsyncs it and publishes it; checks
     * the cancellation between 64 MiB chunks.
     */
    static void publishCopy(Path source, Path target, Cancellation cancellation)
            throws IOException {
        Path tmp = tempFor(target);
        try (FileChannel in = FileChannel.open(source, StandardOpenOption.READ);
                FileChannel out =
                        FileChannel.open(
                                tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            long size = in.size();
            long pos = 0;
            while (pos < size) {
                cancellation.throwIfCancelled();
                pos += in.transferTo(pos, Math.min(COPY_CHUNK, size - pos), out);
            }
            out.force(true);
        } catch (IOException | CancelledException e) {
            Files.deleteIfExists(tmp);
            throw e;
        }
        publishTemp(tmp, target);
    }

    private static void publishTemp(Path tmp, Path target) throws IOException {
        boolean published = false;
        try {
            try {
                Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-r--r--"));
            } catch (UnsupportedOperationException e) {
                // not a POSIX file system
            }
            try {
                Files.createLink(
                        target, tmp); // atomic and never replaces: fails if the target exists
            } catch (FileAlreadyExistsException e) {
                throw e;
            } catch (UnsupportedOperationException | FileSystemException e) {
                if (!linkUnsupported(e)) {
                    // The link may have been made and a daemon may already have claimed it:
                    // sshfs links, then looks the new name up, and reports ENOENT when the
                    // daemon renamed it away in between (seen in MultiHostIT); an EIO may hide a
                    // link that was made. A rename now would queue the job a second time.
                    throw new UncertainPublishException(
                            "submitting "
                                    + target
                                    + " failed: the hard link from "
                                    + tmp
                                    + " ended with "
                                    + e
                                    + "; the job may or may not be queued: check with hyperctl"
                                    + " job status before submitting it again",
                            e);
                }
                if (Files.exists(target, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                    throw new FileAlreadyExistsException(target.toString());
                }
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
            }
            published = true;
            fsyncDirectory(target.getParent());
        } finally {
            try {
                Files.deleteIfExists(tmp);
            } catch (IOException e) {
                if (!published) {
                    throw e;
                }
                // The job is queued; a dot-file left behind is ignored by every daemon, and a
                // network spool that is unreachable right now must not turn a submitted job
                // into a failed submission.
                LOG.warn("submitted {}, but could not remove {}: {}", target, tmp, e.toString());
            }
        }
    }

    /**
     * Whether a failed {@code link(2)} means "this file system has no hard links" (so the file may
     * be renamed into place instead) rather than an error whose outcome is unknown.
     */
    static boolean linkUnsupported(Exception e) {
        if (e instanceof UnsupportedOperationException) {
            return true;
        }
        String reason =
                e instanceof FileSystemException f && f.getReason() != null ? f.getReason() : "";
        return reason.contains("Operation not permitted")
                || reason.contains("Operation not supported")
                || reason.contains("Function not implemented");
    }

    /**
     * A hard link into the queue failed in a way that leaves unknown whether it was made (the
     * caller may look the job up in the spool to decide).
     */
    static final class UncertainPublishException extends IOException {
        private static final long serialVersionUID = 1L;

        UncertainPublishException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    static void fsyncDirectory(Path dir) {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException e) {
            LOG.debug("fsync of directory {} not possible: {}", dir, e.toString());
        }
    }

    /** Reads at most {@code max} bytes of a file as UTF-8; empty if it vanished. */
    static Optional<String> readSmall(Path file, int max) {
        try (InputStream in = Files.newInputStream(file)) {
            byte[] bytes = in.readNBytes(max);
            return Optional.of(new String(bytes, java.nio.charset.StandardCharsets.UTF_8));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            LOG.debug("cannot read {}: {}", file, e.toString());
            return Optional.empty();
        }
    }

    /**
     * Whether {@code dir} can be listed now: false on an I/O error (a network file system that is
     * briefly unreachable), true when it lists or does not exist (a definite answer).
     */
    static boolean reachable(Path dir) {
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
            return true;
        } catch (NoSuchFileException e) {
            return true;
        } catch (IOException e) {
            LOG.debug("{} unreachable for now: {}", dir, e.toString());
            return false;
        }
    }

    /** The non-hidden subdirectories of {@code dir} (date directories), newest name first. */
    static List<Path> subdirectories(Path dir) {
        List<Path> out = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
            for (Path p : ds) {
                if (!p.getFileName().toString().startsWith(".") && Files.isDirectory(p)) {
                    out.add(p);
                }
            }
        } catch (IOException e) {
            return List.of();
        }
        out.sort((a, b) -> b.getFileName().toString().compareTo(a.getFileName().toString()));
        return out;
    }

    /** {@code dir/<any date>/name} that exists, if any. */
    static Optional<Path> findInDateDirs(Path dir, String name) {
        for (Path d : subdirectories(dir)) {
            Path p = d.resolve(name);
            if (Files.exists(p, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                return Optional.of(p);
            }
        }
        return Optional.empty();
    }

    /** Identity of a file version: file key (inode) plus modification time. */
    static Optional<String> version(Path file) {
        try {
            BasicFileAttributes a =
                    Files.readAttributes(
                            file,
                            BasicFileAttributes.class,
                            java.nio.file.LinkOption.NOFOLLOW_LINKS);
            return Optional.of(
                    a.fileKey() + "@" + a.lastModifiedTime().toMillis() + "/" + a.size());
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /** Deletes a directory tree if present (symbolic links are removed, never followed). */
    static void deleteTree(Path dir) {
        if (!Files.isDirectory(dir, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try (java.util.stream.Stream<Path> all = Files.walk(dir)) {
            all.sorted(java.util.Comparator.reverseOrder()).forEach(SpoolFiles::deleteIfPresent);
        } catch (IOException | java.io.UncheckedIOException e) {
            LOG.debug("cannot remove {}: {}", dir, e.toString());
        }
    }

    /** Deletes a file (or an empty directory), reporting whether this call removed it. */
    static boolean deleteIfPresent(Path file) {
        try {
            return Files.deleteIfExists(file);
        } catch (IOException e) {
            LOG.debug("cannot delete {}: {}", file, e.toString());
            return false;
        }
    }
}
