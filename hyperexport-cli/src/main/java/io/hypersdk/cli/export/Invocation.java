package io.hypersdk.cli.export;

import io.hypersdk.core.settings.Converter;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;

/**
 * The parsed command after the checks that need more than one flag: what to export (one VM, a
 * batch, or the wizard's choice), and the refusal of flags that would otherwise do nothing. Throws
 * {@link ParameterException} (exit 2) before anything is started.
 */
final class Invocation {
    /** Flags that only make sense with --pipeline. */
    private static final List<String> NEED_PIPELINE =
            List.of(
                    "--hyper2kvm-remote",
                    "--converter",
                    "--hyper2kvm-path",
                    "--pipeline-timeout",
                    "--pipeline-dry-run",
                    "--pipeline-inspect",
                    "--pipeline-fix",
                    "--pipeline-convert",
                    "--pipeline-validate",
                    "--pipeline-compress",
                    "--compress-level",
                    "--keep-export-files",
                    "--libvirt",
                    "--libvirt-uri",
                    "--libvirt-autostart",
                    "--libvirt-bridge",
                    "--libvirt-pool",
                    "--libvirt-redefine",
                    "--hyper2kvm-daemon",
                    "--hyper2kvm-instance",
                    "--hyper2kvm-watch-dir",
                    "--hyper2kvm-output-dir",
                    "--hyper2kvm-poll-interval",
                    "--hyper2kvm-daemon-timeout",
                    "--hyper2kvm-queue-layout",
                    "--require-daemon",
                    "--hyper2kvm-poll-only",
                    "--no-wait");

    /** Flags that only make sense with --libvirt. */
    private static final List<String> NEED_LIBVIRT =
            List.of(
                    "--libvirt-uri",
                    "--libvirt-autostart",
                    "--libvirt-bridge",
                    "--libvirt-pool",
                    "--libvirt-redefine");

    /** Flags that only make sense with --hyper2kvm-daemon. */
    private static final List<String> NEED_DAEMON =
            List.of(
                    "--hyper2kvm-instance",
                    "--hyper2kvm-watch-dir",
                    "--hyper2kvm-output-dir",
                    "--hyper2kvm-poll-interval",
                    "--hyper2kvm-daemon-timeout",
                    "--hyper2kvm-queue-layout",
                    "--require-daemon",
                    "--hyper2kvm-poll-only",
                    "--no-wait");

    final HyperExportCommand cmd;
    private final List<String> vms;
    private final Optional<OptionsFile> optionsFile;

    private Invocation(
            HyperExportCommand cmd, List<String> vms, Optional<OptionsFile> optionsFile) {
        this.cmd = cmd;
        this.vms = vms;
        this.optionsFile = optionsFile;
    }

    static Invocation check(HyperExportCommand cmd, CommandSpec spec, OptionsFile optionsFile) {
        Optional<OptionsFile> file = Optional.ofNullable(optionsFile);
        ParseResult parsed = spec.commandLine().getParseResult();
        java.util.function.Predicate<String> given =
                name -> {
                    if (parsed != null && parsed.hasMatchedOption(name)) {
                        return true;
                    }
                    OptionSpec o = spec.findOption(name);
                    return o != null && file.map(f -> f.supplies(o)).orElse(false);
                };
        SourceOptions source = cmd.source;

        if (source.vm().isPresent() && source.batch().isPresent()) {
            throw usage(
                    spec,
                    "--vm and --batch exclude each other: export one VM with --vm NAME, or several with --batch FILE");
        }
        if (source.batch().isPresent() && source.interactive) {
            throw usage(
                    spec,
                    "--batch and --interactive exclude each other: the wizard chooses the VMs itself");
        }
        if (source.vm().isEmpty() && source.batch().isEmpty() && !source.interactive) {
            throw usage(
                    spec,
                    "missing --vm: name the VM to export (--vm NAME), or use --batch FILE or --interactive");
        }
        if (cmd.output.quiet && source.interactive) {
            throw usage(
                    spec,
                    "--quiet and --interactive exclude each other: the wizard needs the terminal");
        }
        if (!cmd.pipeline.pipeline && !source.interactive) {
            for (String flag : NEED_PIPELINE) {
                if (given.test(flag)) {
                    throw usage(
                            spec,
                            flag
                                    + " needs --pipeline: it configures the conversion after the export; add --pipeline");
                }
            }
        }
        if (!cmd.libvirt.libvirt) {
            for (String flag : NEED_LIBVIRT) {
                if (given.test(flag)) {
                    throw usage(
                            spec,
                            flag
                                    + " needs --libvirt: it configures the libvirt domain; add --libvirt");
                }
            }
        }
        if (!cmd.daemon.daemon && !cmd.daemon.remote && !source.interactive) {
            for (String flag : NEED_DAEMON) {
                if (given.test(flag)) {
                    throw usage(
                            spec,
                            flag
                                    + " needs --hyper2kvm-daemon: it configures the daemon hand-off; add --hyper2kvm-daemon");
                }
            }
        }
        if (given.test("--compress-level") && !cmd.pipeline.compress) {
            throw usage(
                    spec, "--compress-level needs --pipeline-compress: add --pipeline-compress");
        }
        if (cmd.pipeline.pipeline && cmd.pipeline.converter == Converter.QEMU_IMG) {
            for (String flag : List.of("--hyper2kvm-daemon", "--hyper2kvm-path")) {
                if (given.test(flag)) {
                    throw usage(
                            spec,
                            flag + " does nothing with --converter qemu-img: drop one of them");
                }
            }
        }

        List<String> vms = new ArrayList<>();
        if (source.batch().isPresent()) {
            try {
                vms.addAll(BatchFile.read(source.batch().get()));
            } catch (BatchFile.BatchFileException e) {
                throw usage(spec, e.getMessage());
            }
        } else {
            source.vm().ifPresent(vms::add);
        }
        return new Invocation(cmd, vms, file);
    }

    /** VMs named by --vm or --batch; empty for the wizard until it has asked. */
    List<String> vms() {
        return vms;
    }

    boolean batch() {
        return cmd.source.batch().isPresent();
    }

    Optional<OptionsFile> optionsFile() {
        return optionsFile;
    }

    static ParameterException usage(CommandSpec spec, String message) {
        return new ParameterException(spec.commandLine(), message);
    }
}
