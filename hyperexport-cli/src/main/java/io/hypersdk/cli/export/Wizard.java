package io.hypersdk.cli.export;

import io.hypersdk.core.spool.InstanceName;
import io.hypersdk.core.spool.SpoolConvention;
import io.hypersdk.provider.spi.ExportFormat;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The interactive wizard: (1) choose VMs from a filterable list, (2) export configuration
 * (template, output directory, parallel downloads 1-8), (3) conversion and the hyper2kvm daemon
 * ("use the daemon?", and only then "configure it?": instance, watch directory, output directory,
 * poll interval 1-60 s, timeout 1-240 min), then a summary and confirmation. {@code <} goes back
 * one step. The answers are returned, and {@link Answers#applyTo} writes them into the same options
 * the flags fill, so they drive the export and the pipeline exactly like flags.
 */
final class Wizard {
    static final String BACK = "<";

    /** A VM as listed by the provider. */
    record Vm(String name, int cpus, long memoryBytes, long storageBytes, String power) {}

    /** The seed's export templates. */
    enum Template {
        QUICK("Quick Export", ExportFormat.OVF, false, false),
        PRODUCTION("Production Backup", ExportFormat.OVA, true, true),
        DEVELOPMENT("Development", ExportFormat.OVF, true, false),
        ARCHIVE("Archive", ExportFormat.OVA, true, true);

        final String label;
        final ExportFormat format;
        final boolean checksums;
        final boolean verify;

        Template(String label, ExportFormat format, boolean checksums, boolean verify) {
            this.label = label;
            this.format = format;
            this.checksums = checksums;
            this.verify = verify;
        }

        String describe() {
            return label
                    + " ("
                    + format.id()
                    + (checksums ? ", SHA-256 checksums" : ", no checksums")
                    + (verify ? ", verify manifest" : "")
                    + ")";
        }
    }

    /** What the user chose. */
    record Answers(
            List<String> vms,
            Template template,
            Path outputDir,
            int parallel,
            boolean convert,
            boolean daemon,
            Optional<String> instance,
            Optional<Path> watchDir,
            Optional<Path> daemonOutputDir,
            int pollSeconds,
            int timeoutMinutes) {

        /** Writes the answers into the command's options (the same fields the flags fill). */
        void applyTo(HyperExportCommand cmd) {
            cmd.export.output = outputDir;
            cmd.export.format = template.format;
            cmd.export.parallel = parallel;
            cmd.manifest.manifestChecksum = template.checksums;
            cmd.manifest.verifyManifest = template.verify;
            cmd.pipeline.pipeline = convert;
            cmd.daemon.daemon = convert && daemon;
            cmd.daemon.instance = instance.orElse(null);
            cmd.daemon.watchDir = watchDir.orElse(null);
            cmd.daemon.outputDir = daemonOutputDir.orElse(null);
            cmd.daemon.pollSeconds = pollSeconds;
            cmd.daemon.timeoutMinutes = timeoutMinutes;
        }
    }

    /** Starting values, taken from the flags. */
    record Defaults(
            Optional<String> vm,
            Path outputDir,
            int parallel,
            Template template,
            boolean convert,
            String converter,
            boolean daemon,
            Optional<String> instance,
            Optional<Path> watchDir,
            Optional<Path> daemonOutputDir,
            int pollSeconds,
            int timeoutMinutes) {

        static Defaults from(HyperExportCommand cmd) {
            Template t =
                    cmd.export.format == ExportFormat.OVA
                            ? Template.PRODUCTION
                            : (cmd.manifest.manifestChecksum
                                    ? Template.DEVELOPMENT
                                    : Template.QUICK);
            return new Defaults(
                    cmd.source.vm(),
                    cmd.export.output().orElse(Path.of("exports")),
                    Math.min(8, cmd.export.parallel),
                    t,
                    cmd.pipeline.pipeline,
                    cmd.pipeline.converter.id(),
                    cmd.daemon.daemon,
                    cmd.daemon.instance(),
                    cmd.daemon.watchDir(),
                    cmd.daemon.outputDir(),
                    cmd.daemon.pollSeconds,
                    cmd.daemon.timeoutMinutes);
        }
    }

    private enum Step {
        VMS,
        CONFIG,
        CONVERSION,
        CONFIRM,
        DONE
    }

    private static final class GoBack extends RuntimeException {
        private static final long serialVersionUID = 1L;

        GoBack() {
            super(null, null, false, false);
        }
    }

    private final Prompter p;
    private final List<Vm> vms;
    private final Defaults d;

    // state carried between steps (so going back keeps earlier answers)
    private final Set<String> selected = new LinkedHashSet<>();
    private String filter = "";
    private Template template;
    private Path outputDir;
    private int parallel;
    private boolean convert;
    private boolean daemon;
    private boolean configure;
    private Optional<String> instance;
    private Optional<Path> watchDir;
    private Optional<Path> daemonOutputDir;
    private int poll;
    private int timeout;

    Wizard(Prompter prompter, List<Vm> vms, Defaults defaults) {
        this.p = prompter;
        this.vms =
                vms.stream()
                        .sorted(Comparator.comparing(v -> v.name().toLowerCase(Locale.ROOT)))
                        .toList();
        this.d = defaults;
        defaults.vm()
                .ifPresent(
                        v ->
                                this.vms.stream()
                                        .filter(x -> x.name().equals(v))
                                        .findFirst()
                                        .ifPresent(x -> selected.add(x.name())));
        this.template = defaults.template();
        this.outputDir = defaults.outputDir();
        this.parallel = defaults.parallel();
        this.convert = defaults.convert();
        this.daemon = defaults.daemon();
        this.configure =
                defaults.instance().isPresent()
                        || defaults.watchDir().isPresent()
                        || defaults.daemonOutputDir().isPresent();
        this.instance = defaults.instance();
        this.watchDir = defaults.watchDir();
        this.daemonOutputDir = defaults.daemonOutputDir();
        this.poll = defaults.pollSeconds();
        this.timeout = defaults.timeoutMinutes();
    }

    /** Runs the wizard; empty when the user cancelled. Ctrl-C throws {@link Prompter.Cancelled}. */
    Optional<Answers> run() {
        if (vms.isEmpty()) {
            p.println("The provider lists no VMs: nothing to export.");
            return Optional.empty();
        }
        Step step = Step.VMS;
        while (true) {
            try {
                switch (step) {
                    case VMS -> {
                        if (!chooseVms()) {
                            return Optional.empty();
                        }
                        step = Step.CONFIG;
                    }
                    case CONFIG -> {
                        configureExport();
                        step = Step.CONVERSION;
                    }
                    case CONVERSION -> {
                        configureConversion();
                        step = Step.CONFIRM;
                    }
                    case CONFIRM -> {
                        String c = confirm();
                        if (c.equals("cancel")) {
                            return Optional.empty();
                        }
                        step = Step.DONE;
                    }
                    case DONE -> {
                        return Optional.of(answers());
                    }
                }
            } catch (GoBack back) {
                step =
                        switch (step) {
                            case VMS, CONFIG -> Step.VMS;
                            case CONVERSION -> Step.CONFIG;
                            case CONFIRM, DONE -> Step.CONVERSION;
                        };
            }
        }
    }

    private Answers answers() {
        boolean useDaemon = convert && daemon;
        return new Answers(
                List.copyOf(selected),
                template,
                outputDir,
                parallel,
                convert,
                useDaemon,
                useDaemon && configure ? instance : Optional.empty(),
                useDaemon && configure ? watchDir : Optional.empty(),
                useDaemon && configure ? daemonOutputDir : Optional.empty(),
                useDaemon && configure ? poll : DaemonOptions.DEFAULT_POLL_SECONDS,
                useDaemon && configure ? timeout : DaemonOptions.DEFAULT_TIMEOUT_MINUTES);
    }

    // ---- step 1 ------------------------------------------------------------------------------

    private boolean chooseVms() {
        while (true) {
            List<Vm> shown = shown();
            p.println("");
            p.println(
                    "Step 1 of 3: choose VMs"
                            + (filter.isEmpty()
                                    ? ""
                                    : "   (filter: \"" + filter + "\", '/' clears)"));
            p.println(
                    String.format(
                            Locale.ROOT,
                            "  %3s  %-3s  %-30s %5s %10s %10s  %s",
                            "#",
                            "",
                            "name",
                            "CPUs",
                            "memory",
                            "storage",
                            "power"));
            for (int i = 0; i < shown.size(); i++) {
                Vm v = shown.get(i);
                p.println(
                        String.format(
                                Locale.ROOT,
                                "  %3d  %-3s  %-30s %5d %10s %10s  %s",
                                i + 1,
                                selected.contains(v.name()) ? "[x]" : "[ ]",
                                cut(v.name(), 30),
                                v.cpus(),
                                Units.bytes(v.memoryBytes()),
                                v.storageBytes() > 0 ? Units.bytes(v.storageBytes()) : "-",
                                v.power()));
            }
            if (shown.isEmpty()) {
                p.println("  (no VM matches \"" + filter + "\")");
            }
            p.println(
                    "  "
                            + selected.size()
                            + " selected. Numbers toggle (1 3-5), text filters, 'a' all shown, 'n' none, Enter continues, 'q' quits.");
            String in = p.readLine("vms> ").strip();
            if (in.isEmpty()) {
                if (selected.isEmpty()) {
                    p.println("Please select at least one VM to export.");
                    continue;
                }
                return true;
            }
            if (in.equals(BACK)) {
                p.println("This is the first step; 'q' quits.");
                continue;
            }
            switch (in) {
                case "q" -> {
                    return false;
                }
                case "a" -> shown.forEach(v -> selected.add(v.name()));
                case "n" -> selected.clear();
                case "/" -> filter = "";
                default -> {
                    Optional<List<Integer>> picks = numbers(in, shown.size());
                    if (picks.isPresent()) {
                        for (int i : picks.get()) {
                            String name = shown.get(i - 1).name();
                            if (!selected.remove(name)) {
                                selected.add(name);
                            }
                        }
                    } else if (in.matches("[0-9 ,-]+")) {
                        p.println("No VM numbered " + in + ": use numbers 1-" + shown.size() + ".");
                    } else {
                        filter = in.startsWith("/") ? in.substring(1) : in;
                    }
                }
            }
        }
    }

    private List<Vm> shown() {
        String f = filter.toLowerCase(Locale.ROOT);
        return vms.stream()
                .filter(v -> v.name().toLowerCase(Locale.ROOT).contains(f))
                .collect(Collectors.toList());
    }

    static Optional<List<Integer>> numbers(String in, int max) {
        List<Integer> out = new ArrayList<>();
        for (String part : in.split("[,\\s]+")) {
            if (part.isEmpty()) {
                continue;
            }
            String[] range = part.split("-", -1);
            try {
                if (range.length == 1) {
                    out.add(Integer.parseInt(range[0]));
                } else if (range.length == 2) {
                    int a = Integer.parseInt(range[0]);
                    int b = Integer.parseInt(range[1]);
                    for (int i = Math.min(a, b); i <= Math.max(a, b); i++) {
                        out.add(i);
                    }
                } else {
                    return Optional.empty();
                }
            } catch (NumberFormatException e) {
                return Optional.empty();
            }
        }
        if (out.isEmpty() || out.stream().anyMatch(i -> i < 1 || i > max)) {
            return Optional.empty();
        }
        return Optional.of(out);
    }

    // ---- step 2 ------------------------------------------------------------------------------

    private void configureExport() {
        p.println("");
        p.println("Step 2 of 3: export configuration   ('<' goes back)");
        Template[] all = Template.values();
        for (int i = 0; i < all.length; i++) {
            p.println("  " + (i + 1) + ") " + all[i].describe());
        }
        int t = askInt("template", template.ordinal() + 1, 1, all.length, "");
        template = all[t - 1];
        outputDir = askPath("output directory (each VM goes to <dir>/<vm>)", outputDir);
        parallel = askInt("parallel downloads", parallel, 1, 8, "");
    }

    // ---- step 3 ------------------------------------------------------------------------------

    private void configureConversion() {
        p.println("");
        p.println("Step 3 of 3: conversion and the hyper2kvm daemon   ('<' goes back)");
        convert =
                askYesNo(
                        "convert the export for KVM with " + d.converter() + " after it finished?",
                        convert);
        if (!convert) {
            daemon = false;
            return;
        }
        if (d.converter().equals("qemu-img")) {
            daemon = false;
            return;
        }
        daemon = askYesNo("use the hyper2kvm daemon?", daemon);
        if (!daemon) {
            return;
        }
        configure = askYesNo("configure it?", configure);
        if (!configure) {
            return;
        }
        while (true) {
            String v = ask("instance (empty = the default hyper2kvm.service)", instance.orElse(""));
            if (v.isEmpty()) {
                instance = Optional.empty();
                break;
            }
            if (InstanceName.isValid(v)) {
                instance = Optional.of(v);
                break;
            }
            p.println("instance must be " + InstanceName.RULE + ", e.g. vsphere-prod");
        }
        Path conventionWatch = SpoolConvention.watchDir(instance);
        Path conventionOut = SpoolConvention.outputDir(instance);
        Path w = askPath("watch directory", watchDir.orElse(conventionWatch));
        watchDir =
                w.equals(conventionWatch) && watchDir.isEmpty() ? Optional.empty() : Optional.of(w);
        Path o = askPath("output directory", daemonOutputDir.orElse(conventionOut));
        daemonOutputDir =
                o.equals(conventionOut) && daemonOutputDir.isEmpty()
                        ? Optional.empty()
                        : Optional.of(o);
        poll = askInt("poll interval", poll, 1, 60, "seconds");
        timeout = askInt("daemon timeout", timeout, 1, 240, "minutes");
    }

    // ---- confirm -----------------------------------------------------------------------------

    private String confirm() {
        Answers a = answers();
        List<Vm> chosen = vms.stream().filter(v -> selected.contains(v.name())).toList();
        p.println("");
        p.println("Summary");
        p.println("  VMs:              " + chosen.size() + " (" + String.join(", ", a.vms()) + ")");
        p.println(
                "  CPUs / memory:    "
                        + chosen.stream().mapToInt(Vm::cpus).sum()
                        + " / "
                        + Units.bytes(chosen.stream().mapToLong(Vm::memoryBytes).sum())
                        + (chosen.stream().anyMatch(v -> v.storageBytes() > 0)
                                ? ", storage "
                                        + Units.bytes(
                                                chosen.stream().mapToLong(Vm::storageBytes).sum())
                                : ""));
        p.println("  template:         " + a.template().describe());
        p.println("  output directory: " + a.outputDir());
        p.println("  parallel:         " + a.parallel());
        p.println("  conversion:       " + (a.convert() ? d.converter() : "none (export only)"));
        p.println("  daemon:           " + daemonSummary(a));
        while (true) {
            String in =
                    p.readLine("start the export? [y]es / [b]ack / [c]ancel > ")
                            .strip()
                            .toLowerCase(Locale.ROOT);
            switch (in) {
                case "y", "yes" -> {
                    return "yes";
                }
                case "b", "back", BACK -> throw new GoBack();
                case "c", "cancel", "n", "no", "q" -> {
                    return "cancel";
                }
                default -> p.println("answer y, b or c");
            }
        }
    }

    static String daemonSummary(Answers a) {
        if (!a.daemon()) {
            return a.convert() ? "no (direct conversion)" : "no";
        }
        String unit =
                a.instance().map(i -> "hyper2kvm@" + i + ".service").orElse("hyper2kvm.service");
        return "yes, "
                + unit
                + "; watch "
                + a.watchDir()
                        .map(Path::toString)
                        .orElse(
                                "(from the unit, else "
                                        + SpoolConvention.watchDir(a.instance())
                                        + ")")
                + "; output "
                + a.daemonOutputDir()
                        .map(Path::toString)
                        .orElse(
                                "(from the unit, else "
                                        + SpoolConvention.outputDir(a.instance())
                                        + ")")
                + "; poll "
                + a.pollSeconds()
                + " s; timeout "
                + a.timeoutMinutes()
                + " min";
    }

    // ---- input helpers -----------------------------------------------------------------------

    private String ask(String question, String def) {
        String in = p.readLine(question + (def.isEmpty() ? "" : " [" + def + "]") + " > ").strip();
        if (in.equals(BACK)) {
            throw new GoBack();
        }
        return in.isEmpty() ? def : in;
    }

    private boolean askYesNo(String question, boolean def) {
        while (true) {
            String in =
                    p.readLine(question + (def ? " [Y/n]" : " [y/N]") + " > ")
                            .strip()
                            .toLowerCase(Locale.ROOT);
            if (in.equals(BACK)) {
                throw new GoBack();
            }
            if (in.isEmpty()) {
                return def;
            }
            if (in.equals("y") || in.equals("yes")) {
                return true;
            }
            if (in.equals("n") || in.equals("no")) {
                return false;
            }
            p.println("answer y or n ('<' goes back)");
        }
    }

    private int askInt(String what, int def, int min, int max, String unit) {
        String u = unit.isEmpty() ? "" : " " + unit;
        while (true) {
            String in = ask(what + " (" + min + "-" + max + u + ")", Integer.toString(def));
            try {
                int v = Integer.parseInt(in);
                if (v >= min && v <= max) {
                    return v;
                }
                p.println(
                        what + " must be between " + min + " and " + max + u + " (got " + v + ")");
            } catch (NumberFormatException e) {
                p.println(
                        what
                                + " must be a number between "
                                + min
                                + " and "
                                + max
                                + u
                                + " (got '"
                                + in
                                + "')");
            }
        }
    }

    private Path askPath(String what, Path def) {
        while (true) {
            String in = ask(what, def.toString());
            try {
                return Path.of(in);
            } catch (InvalidPathException e) {
                p.println(what + ": '" + in + "' is not a valid path");
            }
        }
    }

    private static String cut(String s, int n) {
        return s.length() <= n ? s : s.substring(0, n - 1) + "\u2026";
    }
}
