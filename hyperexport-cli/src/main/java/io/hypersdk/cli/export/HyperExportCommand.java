package io.hypersdk.cli.export;

import io.hypersdk.core.Cancellation;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code hyperexport}: export a VM with a provider, write its Artifact Manifest, and convert it for
 * KVM (hyper2kvm directly or through its systemd daemon, or qemu-img), then define a libvirt
 * domain. Parses, calls the libraries, renders; nothing else.
 */
@Command(
        name = "hyperexport",
        mixinStandardHelpOptions = true,
        // declared here (not only added at run time) so that the generated man page and bash
        // completion, which read this class, include it
        subcommands = ServeCommand.class,
        versionProvider = VersionProvider.class,
        sortOptions = false,
        usageHelpAutoWidth = true,
        showDefaultValues = false,
        headerHeading = "%n",
        header =
                "Export a VM and convert it for KVM (hyper2kvm or qemu-img), then define its libvirt domain.",
        synopsisHeading = "%nUsage: ",
        customSynopsis = {
            "hyperexport [--provider ID] (--vm NAME | --batch FILE | --interactive)",
            "         [--output DIR] [--json | --quiet] [OPTIONS...]",
            "         [--pipeline [--converter hyper2kvm|qemu-img]",
            "          [--hyper2kvm-daemon ...] [--libvirt ...]]"
        },
        descriptionHeading = "%n",
        description =
                "Exports the VM with the chosen provider into the output directory, writes the Artifact Manifest v1.0 next to the disks and, with --pipeline, converts it: through the systemd-managed hyper2kvm daemon when --hyper2kvm-daemon is given and its unit is active, else by running hyper2kvm directly (the result says which mode was used and why), or with qemu-img when --converter qemu-img is given. With --libvirt the converted images get a libvirt domain. Every flag below does what it says; a flag that needs --pipeline is refused without it. Any flag can also come from a YAML --options-file; flags on the command line win.",
        optionListHeading = "%nOptions:%n",
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            ExitCodes.L_SUCCESS,
            ExitCodes.L_INTERNAL,
            ExitCodes.L_USAGE,
            ExitCodes.L_EXPORT,
            ExitCodes.L_CONVERSION,
            ExitCodes.L_TIMEOUT,
            ExitCodes.L_CANCELLED
        },
        footerHeading = "%nExamples:%n",
        footer = {
            "  hyperexport --provider local --vm samples/sample-appliance.ova \\",
            "      --output /tmp/appliance --pipeline --converter qemu-img \\",
            "      --libvirt --libvirt-uri test:///default",
            "  export GOVC_URL=https://vc.example/sdk GOVC_USERNAME=u GOVC_PASSWORD=...",
            "  hyperexport --vm /DC1/vm/web-01 --output /var/lib/hyper2kvm/exports/web-01 \\",
            "      --pipeline --hyper2kvm-daemon --hyper2kvm-instance vsphere-prod --libvirt",
            "  hyperexport --provider local --batch vms.txt --output /srv/exports --quiet",
            "  hyperexport --provider local --interactive",
            ""
        })
final class HyperExportCommand implements Callable<Integer> {

    @Spec CommandSpec spec;

    @Mixin SourceOptions source = new SourceOptions();
    @Mixin ExportOptions export = new ExportOptions();
    @Mixin ManifestFlags manifest = new ManifestFlags();
    @Mixin PipelineOptions pipeline = new PipelineOptions();
    @Mixin LibvirtOptions libvirt = new LibvirtOptions();
    @Mixin DaemonOptions daemon = new DaemonOptions();
    @Mixin OutputOptions output = new OutputOptions();

    @Option(
            names = OptionsFile.FLAG,
            paramLabel = "FILE",
            order = 90,
            description =
                    "YAML file whose keys are flag names without dashes, e.g. 'pipeline: true', 'hyper2kvm-poll-interval: 10'. Flags given on the command line win.")
    Path optionsFile;

    private final Io io;
    private final Cancellation cancellation;
    private OptionsFile options;

    /** Used by picocli's generators (man page, completion). */
    HyperExportCommand() {
        this(
                new Io(System.out, System.err, System.in, System.getenv(), false),
                Cancellation.create());
    }

    HyperExportCommand(Io io, Cancellation cancellation) {
        this.io = io;
        this.cancellation = cancellation;
    }

    void optionsFile(OptionsFile file) {
        this.options = file;
    }

    Io io() {
        return io;
    }

    @Override
    public Integer call() {
        Invocation invocation = Invocation.check(this, spec, options);
        return new ExportSession(invocation, spec, io, cancellation).run();
    }
}
