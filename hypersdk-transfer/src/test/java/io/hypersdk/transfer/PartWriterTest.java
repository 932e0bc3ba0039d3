package io.hypersdk.transfer;

import static io.hypersdk.transfer.testing.TestBytes.random;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(30)
class PartWriterTest {

    private static final int SLOT = 64 * 1024;

    @TempDir Path dir;

    /** Feeds {@code data} to the writer in pieces of the given sizes (each at most one slot). */
    private static void feed(PartWriter w, byte[] data, int... pieces) throws Exception {
        int at = 0;
        for (int p : pieces) {
            ByteBuffer b = w.take();
            b.put(data, at, p).flip();
            w.submit(b);
            at += p;
        }
        assertThat(at).isEqualTo(data.length);
    }

    @Test
    void writesWholeBlocksDirectlyAndAnUnalignedTailThroughThePageCache() throws Exception {
        Path part = dir.resolve(".a.part");
        int alignment = PartWriter.alignmentFor(part, true);
        assertThat(alignment).isGreaterThanOrEqualTo(512);
        byte[] data = random(3 * SLOT + 1234, 1);
        try (PartWriter w = new PartWriter(part, 0, SLOT, 4, alignment, "t-writer")) {
            if (Set.of("ext4", "xfs", "btrfs").contains(Files.getFileStore(dir).type())) {
                assertThat(w.direct())
                        .as("O_DIRECT on %s", Files.getFileStore(dir).type())
                        .isTrue();
            }
            feed(w, data, SLOT, SLOT, SLOT, 1234);
            w.finish();
        }
        assertThat(Files.readAllBytes(part)).isEqualTo(data);
    }

    @Test
    void buffersAreWrittenInOrderWhenMoreAreSubmittedThanTheWriterHasSlotsFor() throws Exception {
        Path part = dir.resolve(".b.part");
        byte[] data = random(40 * SLOT, 2);
        int[] pieces = new int[40];
        Arrays.fill(pieces, SLOT);
        try (PartWriter w =
                new PartWriter(part, 0, SLOT, 2, PartWriter.alignmentFor(part, true), "t-writer")) {
            feed(w, data, pieces);
            w.finish();
        }
        assertThat(Files.readAllBytes(part)).isEqualTo(data);
    }

    @Test
    void continuesAnExistingFileAtAnOffsetAndCutsWhatLayBeyondIt() throws Exception {
        Path part = dir.resolve(".c.part");
        byte[] old = random(3 * SLOT, 3);
        Files.write(part, old);
        byte[] rest = random(SLOT + 17, 4);
        try (PartWriter w =
                new PartWriter(
                        part, SLOT, SLOT, 4, PartWriter.alignmentFor(part, true), "t-writer")) {
            feed(w, rest, SLOT, 17);
            w.finish();
        }
        byte[] want = new byte[SLOT + rest.length];
        System.arraycopy(old, 0, want, 0, SLOT);
        System.arraycopy(rest, 0, want, SLOT, rest.length);
        assertThat(Files.readAllBytes(part)).isEqualTo(want);
    }

    @Test
    void anUnalignedStartIsWrittenThroughThePageCacheAndStaysExact() throws Exception {
        Path part = dir.resolve(".d.part");
        byte[] head = random(5000, 5);
        Files.write(part, head);
        byte[] rest = random(2 * SLOT + 3, 6);
        try (PartWriter w =
                new PartWriter(
                        part, 5000, SLOT, 4, PartWriter.alignmentFor(part, true), "t-writer")) {
            feed(w, rest, SLOT, SLOT, 3);
            w.finish();
        }
        byte[] all = Files.readAllBytes(part);
        assertThat(Arrays.copyOfRange(all, 0, 5000)).isEqualTo(head);
        assertThat(Arrays.copyOfRange(all, 5000, all.length)).isEqualTo(rest);
    }

    @Test
    void withoutDirectIoEverythingGoesThroughThePageCache() throws Exception {
        Path part = dir.resolve(".e.part");
        byte[] data = random(2 * SLOT + 99, 7);
        try (PartWriter w =
                new PartWriter(
                        part, 0, SLOT, 4, PartWriter.alignmentFor(part, false), "t-writer")) {
            assertThat(w.direct()).isFalse();
            feed(w, data, SLOT, SLOT, 99);
            w.finish();
        }
        assertThat(Files.readAllBytes(part)).isEqualTo(data);
    }

    @Test
    void closeWithoutFinishStillWritesWhatWasSubmitted() throws Exception {
        Path part = dir.resolve(".f.part");
        byte[] data = random(SLOT + 10, 8);
        try (PartWriter w =
                new PartWriter(part, 0, SLOT, 4, PartWriter.alignmentFor(part, true), "t-writer")) {
            feed(w, data, SLOT, 10);
            ByteBuffer unused = w.take();
            w.giveBack(unused);
        }
        assertThat(Files.readAllBytes(part)).isEqualTo(data);
    }

    @Test
    void aFileThatCannotBeOpenedIsAnIoErrorAndNoThreadIsLeft() {
        Path part = dir.resolve("missing-dir").resolve(".g.part");
        int before = Thread.activeCount();
        assertThatThrownBy(() -> new PartWriter(part, 0, SLOT, 4, 4096, "t-writer"))
                .isInstanceOf(IOException.class);
        assertThat(Thread.getAllStackTraces().keySet())
                .noneMatch(t -> t.getName().equals("t-writer"));
        assertThat(Thread.activeCount()).isLessThanOrEqualTo(before);
    }

    @Test
    void allZeroBlocksBecomeHolesTheContentStaysExactAndAFinalHoleKeepsTheLength()
            throws Exception {
        Path part = dir.resolve(".h.part");
        int block = PartWriter.alignmentFor(part, true);
        byte[] data = withZeroRuns(8 * SLOT, block);
        for (boolean direct : new boolean[] {true, false}) {
            Files.deleteIfExists(part);
            long holes;
            try (PartWriter w =
                    new PartWriter(
                            part,
                            0,
                            SLOT,
                            4,
                            PartWriter.alignmentFor(part, direct),
                            block,
                            "t-writer")) {
                feed(w, data, SLOT, SLOT, SLOT, SLOT, SLOT, SLOT, SLOT, SLOT);
                w.finish();
                holes = w.holeBytes();
            }
            assertThat(Files.readAllBytes(part)).as("direct %s", direct).isEqualTo(data);
            assertThat(holes).as("bytes left as holes").isEqualTo(6L * SLOT - 3L * block);
            assertThat(allocatedBytes(part))
                    .as("allocated bytes of %s (apparent %d)", part, data.length)
                    .isLessThan(data.length - holes / 2);
        }
    }

    @Test
    void withoutHolesEveryZeroIsWritten() throws Exception {
        Path part = dir.resolve(".i.part");
        int block = PartWriter.alignmentFor(part, true);
        byte[] data = withZeroRuns(8 * SLOT, block);
        try (PartWriter w = new PartWriter(part, 0, SLOT, 4, block, "t-writer")) {
            feed(w, data, SLOT, SLOT, SLOT, SLOT, SLOT, SLOT, SLOT, SLOT);
            w.finish();
            assertThat(w.holeBytes()).isZero();
        }
        assertThat(Files.readAllBytes(part)).isEqualTo(data);
        assertThat(allocatedBytes(part)).isGreaterThanOrEqualTo(data.length);
    }

    /**
     * Random bytes with zeros in slots 2-6 but for one non-zero byte a block into slot 2 and one
     * just before slot 7, and a final slot of zeros: holes between data, and a hole at the end.
     */
    static byte[] withZeroRuns(int length, int block) {
        byte[] data = random(length, 9);
        Arrays.fill(data, 2 * SLOT, 7 * SLOT, (byte) 0);
        Arrays.fill(data, 7 * SLOT + 1, length, (byte) 0);
        data[7 * SLOT] = 1;
        data[2 * SLOT + block] = 7;
        data[7 * SLOT - 1] = 5;
        return data;
    }

    /** Bytes the file takes on disk ({@code stat %b} blocks of {@code %B} bytes). */
    static long allocatedBytes(Path p) throws Exception {
        Process stat = new ProcessBuilder("stat", "-c", "%b %B", p.toString()).start();
        String[] out =
                new String(
                                stat.getInputStream().readAllBytes(),
                                java.nio.charset.StandardCharsets.UTF_8)
                        .trim()
                        .split(" ");
        assertThat(stat.waitFor()).isZero();
        return Long.parseLong(out[0]) * Long.parseLong(out[1]);
    }
}
