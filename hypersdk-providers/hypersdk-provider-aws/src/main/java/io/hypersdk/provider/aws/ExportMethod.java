package io.hypersdk.provider.aws;

import io.hypersdk.provider.spi.ProviderConfigException;
import java.util.Locale;

/** How the disks of an instance leave AWS ({@code --provider-option method=}). */
public enum ExportMethod {
    /**
     * The default: snapshot each volume and read only its written blocks with the EBS direct APIs
     * into sparse raw images. Every volume, no S3 bucket, none of the export-task restrictions, and
     * only the written bytes cross the network.
     */
    EBS_DIRECT("ebs-direct"),
    /**
     * {@code CreateInstanceExportTask} to an S3 bucket, then a download of the exported object: the
     * original tool's path. Root volume only, and subject to the VM Import/Export restrictions.
     */
    EXPORT_TASK("export-task");

    private final String id;

    ExportMethod(String id) {
        this.id = id;
    }

    /** The option value, e.g. {@code ebs-direct}. */
    public String id() {
        return id;
    }

    /**
     * Parses an option value.
     *
     * @throws ProviderConfigException naming the allowed values
     */
    public static ExportMethod parse(String text) {
        String t = text.trim().toLowerCase(Locale.ROOT);
        for (ExportMethod m : values()) {
            if (m.id.equals(t)) {
                return m;
            }
        }
        throw new ProviderConfigException(
                "setting 'method' must be ebs-direct or export-task (got '" + text + "')");
    }
}
