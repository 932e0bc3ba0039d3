package io.hypersdk.pipeline;

import io.hypersdk.core.settings.Converter;
import io.hypersdk.core.settings.Hyper2KvmSettings;
import io.hypersdk.core.settings.PipelineSettings;
import io.hypersdk.core.settings.Setting;
import io.hypersdk.core.settings.SettingText;
import io.hypersdk.core.spool.SpoolDescriptor;
import io.hypersdk.systemd.SystemctlNotFoundException;
import io.hypersdk.systemd.SystemdClient;
import io.hypersdk.systemd.SystemdException;
import io.hypersdk.systemd.SystemdUnavailableException;
import io.hypersdk.systemd.UnitName;
import io.hypersdk.systemd.UnitStatus;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Supplier;

/** DESIGN.md "Mode detection", made visible: the mode, why, and the unit's status. */
final class ModeDetector {
    static final String PREFIX = "hyper2kvm";

    /** The decision. */
    record Decision(
            ConversionMode mode,
            String reason,
            boolean fallback,
            Optional<UnitStatus> unit,
            Optional<SpoolDescriptor> descriptor) {
        Decision(ConversionMode mode, String reason, boolean fallback, Optional<UnitStatus> unit) {
            this(mode, reason, fallback, unit, Optional.empty());
        }
    }

    private ModeDetector() {}

    /**
     * Remote submission: no local systemd; the spool's descriptor says the layout and the output
     * directory, and its heartbeat says whether the daemon is alive.
     *
     * @throws RemoteSpoolException when there is no descriptor or the heartbeat is stale
     */
    static Decision remote(Hyper2KvmSettings h, Clock clock) {
        Path spool = h.watchDirOrDefault();
        Path file = SpoolDescriptor.file(spool);
        SpoolDescriptor d = io.hypersdk.pipeline.daemon.RemoteSpool.descriptor(spool);
        Duration age = d.age(clock.instant());
        if (!d.isFresh(clock.instant())) {
            throw new RemoteSpoolException(
                    spool,
                    Optional.of(age),
                    "the hyper2kvm daemon of remote spool "
                            + spool
                            + " looks stopped: its heartbeat (host "
                            + d.host()
                            + ", "
                            + file
                            + ") is "
                            + age.toSeconds()
                            + " s old, alive means younger than "
                            + d.staleAfter().toSeconds()
                            + " s; start "
                            + unitName(h.instance().isPresent() ? h : withInstance(h, d))
                            + " on "
                            + d.host()
                            + ", or convert on this host without --hyper2kvm-remote");
        }
        return new Decision(
                ConversionMode.DAEMON,
                "remote spool "
                        + spool
                        + ": daemon on host "
                        + d.host()
                        + " ("
                        + d.converterVersion()
                        + "), heartbeat "
                        + age.toSeconds()
                        + " s ago",
                false,
                Optional.empty(),
                Optional.of(d));
    }

    private static Hyper2KvmSettings withInstance(Hyper2KvmSettings h, SpoolDescriptor d) {
        return h.toBuilder().instance(d.instance()).build();
    }

    static UnitName unitName(Hyper2KvmSettings h) {
        return h.instance().map(i -> UnitName.instance(PREFIX, i)).orElse(UnitName.service(PREFIX));
    }

    /**
     * Decides the mode.
     *
     * @throws DaemonRequiredException when the daemon is required but not active
     */
    static Decision decide(
            PipelineSettings settings, Supplier<SystemdClient> systemd, Clock clock) {
        Hyper2KvmSettings h = settings.hyper2kvm();
        if (settings.converter() == Converter.QEMU_IMG) {
            String reason =
                    "converter qemu-img chosen in the settings: every disk converted with"
                            + " qemu-img, no guest repair";
            if (h.daemon()) {
                reason += " (daemon mode is ignored for this converter)";
            }
            return new Decision(ConversionMode.QEMU_IMG, reason, false, Optional.empty());
        }
        if (!h.daemon()) {
            return new Decision(
                    ConversionMode.DIRECT,
                    "daemon mode off (hyper2kvm_daemon=false): hyper2kvm one-shot",
                    false,
                    Optional.empty());
        }
        if (h.remote()) {
            return remote(h, clock);
        }
        UnitName unit = unitName(h);
        String why;
        boolean startable = true;
        Optional<UnitStatus> status = Optional.empty();
        try {
            UnitStatus s = systemd.get().status(unit);
            status = Optional.of(s);
            if (s.isActive()) {
                return new Decision(ConversionMode.DAEMON, unit + " is active", false, status);
            }
            if (s.isNotFound()) {
                why = unit + " is not installed (LoadState=not-found)";
            } else if (s.isMasked()) {
                why = unit + " is masked";
            } else {
                why =
                        unit
                                + " is "
                                + s.activeState()
                                + (s.subState().isEmpty() ? "" : " (" + s.subState() + ")");
            }
        } catch (SystemctlNotFoundException | SystemdUnavailableException e) {
            why =
                    "this host has no usable systemd, so "
                            + unit
                            + " cannot run here ("
                            + e.getMessage()
                            + ")";
            startable = false;
        } catch (SystemdException e) {
            why = "systemd cannot tell whether " + unit + " is active (" + e.getMessage() + ")";
        }
        if (h.requireDaemon()) {
            String fix =
                    startable
                            ? ": start it with systemctl start " + unit + ", or "
                            : ": run on the host where the hyper2kvm daemon runs, or ";
            throw new DaemonRequiredException(
                    SettingText.of("daemon mode is required but " + why + fix)
                            .turnOff(Setting.REQUIRE_DAEMON)
                            .text(" to allow direct mode"));
        }
        return new Decision(
                ConversionMode.DIRECT,
                "daemon mode requested but "
                        + why
                        + "; fell back to direct mode (hyper2kvm one-shot)",
                true,
                status);
    }
}
