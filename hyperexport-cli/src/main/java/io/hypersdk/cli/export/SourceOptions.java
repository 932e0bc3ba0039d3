package io.hypersdk.cli.export;

import java.nio.file.Path;
import java.util.Optional;
import picocli.CommandLine.Option;

/** Which provider, which VM(s), and whether to ask interactively. */
final class SourceOptions {
    static final String DEFAULT_PROVIDER = "vsphere";

    @Option(
            names = "--provider",
            paramLabel = "ID",
            defaultValue = DEFAULT_PROVIDER,
            order = 1,
            description =
                    "Export provider id, found through the provider SPI (ServiceLoader) (default: ${DEFAULT-VALUE}). Available here: local (OVA / OVF / VMX files), vsphere (vCenter; credentials from GOVC_URL, GOVC_USERNAME, GOVC_PASSWORD, GOVC_INSECURE=1 in the environment), aws (EC2; credentials from the AWS SDK default chain: AWS_PROFILE / AWS_ACCESS_KEY_ID..., --provider-option region=,profile=; method=ebs-direct is the default because it exports every volume, needs no S3 bucket and moves only the written blocks; method=export-task,bucket=,prefix= uses CreateInstanceExportTask, root volume only), hyperv (Hyper-V over SSH with PowerShell: --provider-option host=,user=,host-key=SHA256:...; password from HYPERV_PASSWORD or an SSH key; transfer=sftp (default) or transfer=smb,share=...).")
    String provider = DEFAULT_PROVIDER;

    @Option(
            names = "--provider-option",
            paramLabel = "KEY=VALUE",
            order = 2,
            mapFallbackValue = "",
            split = ",",
            description =
                    "A provider setting (repeatable or comma-separated), e.g. --provider-option directory=/srv/ovas. Credentials are refused here: they come from the environment (never argv).")
    java.util.Map<String, String> providerOptions = new java.util.LinkedHashMap<>();

    @Option(
            names = "--vm",
            paramLabel = "NAME",
            order = 2,
            description =
                    "VM to export: a name or inventory path (vsphere), or an .ova/.ovf/.vmx file (local).")
    String vm;

    @Option(
            names = "--batch",
            paramLabel = "FILE",
            order = 3,
            description =
                    "Export every VM listed in FILE: one VM per line, '#' starts a comment, blank lines are skipped. Each VM goes to <output>/<vm>. Prints a summary; the exit code is that of the first failure (0 when all succeeded).")
    Path batch;

    @Option(
            names = {"--interactive", "--tui"},
            order = 4,
            description =
                    "Interactive wizard: choose VMs, export configuration, the hyper2kvm daemon, then confirm. Other flags give the wizard's defaults.")
    boolean interactive;

    Optional<String> vm() {
        return Optional.ofNullable(vm).filter(s -> !s.isBlank());
    }

    Optional<Path> batch() {
        return Optional.ofNullable(batch);
    }
}
