package io.hypersdk.server;

import io.hypersdk.core.spool.InstanceName;
import io.hypersdk.core.spool.SpoolDirectories;
import io.hypersdk.core.spool.SpoolEnvironmentException;
import io.hypersdk.systemd.CommandStartException;
import io.hypersdk.systemd.SystemdClient;
import io.hypersdk.systemd.SystemdException;
import io.hypersdk.systemd.UnitName;
import io.hypersdk.systemd.UnitStatus;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * {@code GET /daemons} (the hyper2kvm units as {@code hyperctl daemon status} sees them) and {@code
 * GET /daemons/{instance}} (one instance's unit and the spool it speaks: the directories its
 * Environment declares, else the convention, by the SDK's one rule, {@link
 * SpoolDirectories#fromUnit}); the dashboard shows the latter as the form's placeholders.
 */
final class DaemonRoutes {
    private static final String PREFIX = "hyper2kvm";

    private final Supplier<SystemdClient> systemd;
    private final Clock clock;

    DaemonRoutes(Supplier<SystemdClient> systemd, Clock clock) {
        this.systemd = systemd;
        this.clock = clock;
    }

    void register(RoutesConfig r) {
        r.get("/daemons", this::daemons);
        r.get("/daemons/{instance}", this::instance);
    }

    private void daemons(Context ctx) {
        List<Map<String, Object>> out = new ArrayList<>();
        Map<String, Object> m = new LinkedHashMap<>();
        try {
            for (UnitStatus s : systemd.get().instances(PREFIX)) {
                out.add(unit(s));
            }
            m.put("daemons", out);
        } catch (SystemdException e) {
            m.put("daemons", out);
            m.put("error", "systemd is not available here: " + e.getMessage());
        }
        m.put("timestamp", clock.instant());
        ctx.json(m);
    }

    private void instance(Context ctx) {
        String instance = ctx.pathParam("instance");
        if (!InstanceName.isValid(instance)) {
            throw ApiException.badRequest(
                    "instance",
                    "invalid instance name '"
                            + InstanceName.printable(instance)
                            + "': use "
                            + InstanceName.RULE
                            + " (the NAME of hyper2kvm@NAME.service, e.g. vsphere-prod)");
        }
        UnitName name = UnitName.instance(PREFIX, instance);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("unit", name.toString());
        m.put("instance", instance);
        Map<String, String> environment = Map.of();
        try {
            UnitStatus s = systemd.get().status(name);
            m.put("known", !s.isNotFound());
            m.putAll(unit(s));
            m.put("unit", name.toString());
            environment = s.isNotFound() ? Map.of() : s.environment();
        } catch (SystemdException | CommandStartException e) {
            m.put("known", false);
            m.put("error", "systemd is not available here: " + e.getMessage());
        }
        try {
            SpoolDirectories d =
                    SpoolDirectories.fromUnit(name.toString(), environment, Optional.of(instance));
            m.put("watch_dir", d.watchDir().toString());
            m.put("watch_dir_origin", d.watchDirOrigin().id());
            m.put("output_dir", d.outputDir().toString());
            m.put("output_dir_origin", d.outputDirOrigin().id());
            m.put("queue_layout", d.layout().id());
        } catch (SpoolEnvironmentException e) {
            m.put("error", e.getMessage());
        }
        m.put("timestamp", clock.instant());
        ctx.json(m);
    }

    private static Map<String, Object> unit(UnitStatus s) {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("unit", s.id());
        d.put("instance", s.instance().orElse(""));
        d.put("load_state", s.loadState());
        d.put("active_state", s.activeState());
        d.put("sub_state", s.subState());
        d.put("active", s.isActive());
        if (s.mainPid().isPresent()) {
            d.put("main_pid", s.mainPid().getAsLong());
        }
        return d;
    }
}
