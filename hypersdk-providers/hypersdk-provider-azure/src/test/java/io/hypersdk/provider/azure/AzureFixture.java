package io.hypersdk.provider.azure;

import com.azure.storage.blob.specialized.PageBlobClient;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.util.List;

/**
 * Azurite holding the OS disk of VM {@code myVM} as a sparse page blob (a 64 MiB fixed VHD with six
 * 256 KiB data runs, made by qemu-img), and the scripted Azure Resource Manager. Shared by this
 * module's tests and hyperexport-cli's end-to-end test.
 */
@SuppressWarnings("try")
final class AzureFixture implements AutoCloseable {
    final Azurite azurite;
    final ArmDouble arm;
    final Path vhd;
    final PageBlobClient blob;

    private AzureFixture(Azurite azurite, ArmDouble arm, Path vhd, PageBlobClient blob) {
        this.azurite = azurite;
        this.arm = arm;
        this.vhd = vhd;
        this.blob = blob;
    }

    static AzureFixture start(Path dir) throws Exception {
        Path vhd = TestDisks.fixedVhd(dir, "os", 64, 6, 256);
        Azurite azurite = Azurite.start(dir);
        try {
            PageBlobClient blob = azurite.uploadSparse("myOsDisk.vhd", vhd);
            return new AzureFixture(azurite, ArmDouble.start(dir), vhd, blob);
        } catch (Exception | Error e) {
            azurite.close();
            throw e;
        }
    }

    /** A read-only SAS of the OS disk blob valid until {@code expiry}. */
    String sas(OffsetDateTime expiry) {
        return azurite.readSas(blob, expiry);
    }

    /** The {@code sig} of a SAS URL: what must never be shown. */
    static String signature(String sas) {
        return sas.replaceAll(".*[?&]sig=([^&]*).*", "$1");
    }

    /** Scripts {@code myVM}, deallocated, with its OS disk granted as {@code grants} in turn. */
    void deallocatedVm(List<String> grants) {
        arm.vm("myVM", "deallocated", "myOsDisk", 64L << 20, List.of(), null, "V1");
        arm.grants("myOsDisk", grants);
    }

    @Override
    public void close() throws Exception {
        try {
            azurite.close();
        } finally {
            arm.close();
        }
    }
}
