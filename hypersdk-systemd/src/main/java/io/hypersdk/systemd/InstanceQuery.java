package io.hypersdk.systemd;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The instances of a unit prefix, being asked of systemd: started by {@link
 * SystemdClient#startInstances(String)}, answered by {@link #await()} (what {@link
 * SystemdClient#instances(String)} returns).
 *
 * <p>Two systemctl processes run <b>at the same time</b>: one {@code show --all} of {@code
 * prefix.service}, {@code default.target}, {@code multi-user.target} and the pattern {@code
 * prefix@*.service} (every loaded instance), with the properties of a unit's status and the
 * targets' {@code Wants}/{@code Requires}/{@code Upholds} (where {@code systemctl enable} links
 * instances); and {@code list-unit-files} (instance files, masks, the template). So the usual host
 * (every instance loaded) costs the latency of one {@code systemctl show} of its instances; only
 * instances that are not loaded (a mask, an instance enabled for {@code default.target} or {@code
 * multi-user.target} while that target is not loaded) are read by one more {@code show}.
 *
 * <p>Only those two targets are named: an instance that a <em>loaded</em> target wants is loaded
 * itself (systemd loads every dependency of a loaded unit, and keeps it loaded, running or not), so
 * the pattern already finds it. Until issue 15 every loaded target ({@code *.target}, dozens on a
 * host) was read by a third process, which on two cores made {@code daemon list} ~10 % slower and
 * found nothing more ({@code SystemdClientFixtureTest} checks an instance of a started custom
 * target, stopped, and one enabled for the fixture's unloaded {@code multi-user.target}).
 *
 * <p>Thread-safe; {@link #await()} may be called more than once (the same answer).
 */
public final class InstanceQuery {
    private static final Logger LOG = LoggerFactory.getLogger(InstanceQuery.class);

    /** Where {@code systemctl enable} links instances: these dependencies of the targets. */
    private static final List<String> TARGET_DEPENDENCIES = List.of("Wants", "Requires", "Upholds");

    private final SystemdClient client;
    private final String prefix;
    private final UnitName main;
    private final String instancePattern;
    private final List<String> showArgs;
    private final List<String> filesArgs;
    private final RunningCommand shown;
    private final RunningCommand listed;
    private List<UnitStatus> answer;

    InstanceQuery(SystemdClient client, String prefix) {
        this.client = client;
        this.prefix = prefix;
        this.main = UnitName.service(prefix);
        this.instancePattern = prefix + "@*.service";
        List<String> properties = new ArrayList<>(ShowOutput.PROPERTIES);
        properties.addAll(TARGET_DEPENDENCIES);
        this.showArgs =
                List.of(
                        "show",
                        "--all",
                        "-p",
                        String.join(",", properties),
                        "--",
                        main.toString(),
                        "default.target",
                        "multi-user.target",
                        instancePattern);
        this.filesArgs =
                listArgs("list-unit-files", List.of(), List.of(main.toString(), instancePattern));
        this.shown = client.startShow(showArgs);
        try {
            this.listed = client.startRaw(filesArgs);
        } catch (RuntimeException e) {
            shown.cancel();
            throw e;
        }
    }

    /** The client that asks (its systemctl and timeout). */
    public SystemdClient client() {
        return client;
    }

    /** The unit prefix asked about ({@code hyper2kvm}). */
    public String prefix() {
        return prefix;
    }

    /**
     * Waits for systemd's answer: the default unit {@code prefix.service} first (even when it does
     * not exist), then every instance, sorted by name; see {@link SystemdClient#instances(String)}.
     *
     * @throws SystemdException (a subclass) when systemctl fails, times out or prints nonsense
     */
    public synchronized List<UnitStatus> await() {
        if (answer == null) {
            try {
                answer = collect();
            } finally {
                cancel(); // after a failure
            }
        }
        return answer;
    }

    /** Stops the systemctl processes still running; the answer is not wanted. Idempotent. */
    public void cancel() {
        for (RunningCommand c : List.of(shown, listed)) {
            if (c.isAlive()) {
                c.cancel();
            }
        }
    }

    private List<UnitStatus> collect() {
        CommandResult showResult = client.finishShow(showArgs, shown);
        CommandResult listResult = client.finish(filesArgs, listed);
        Instant now = client.clock().instant();
        List<Map<String, String>> blocks = ShowOutput.parseBlocks(showResult.stdout());
        if (blocks.isEmpty()) {
            throw new SystemctlOutputException(
                    "systemctl show printed nothing for " + main + " and " + instancePattern);
        }
        // the units named come first, in the order given: block 0 is the default unit, then the
        // two targets (by their own names: default.target is an alias), then the instances
        UnitStatus mainStatus = ShowOutput.toStatus(main.toString(), blocks.get(0), now);
        Map<UnitName, UnitStatus> loaded = new TreeMap<>();
        Set<UnitName> found = new TreeSet<>();
        for (Map<String, String> block : blocks.subList(1, blocks.size())) {
            String id = block.getOrDefault("Id", "");
            Optional<UnitName> instance = instanceOf(id, prefix);
            if (instance.isPresent()) {
                loaded.put(instance.get(), ShowOutput.toStatus(id, block, now));
            } else if (id.endsWith(".target")) {
                for (String key : TARGET_DEPENDENCIES) {
                    for (String dep : Words.split(block.getOrDefault(key, ""), key)) {
                        instanceOf(dep, prefix).ifPresent(found::add);
                    }
                }
            }
        }
        for (String file : listNames(filesArgs, listResult)) {
            instanceOf(file.substring(file.lastIndexOf('/') + 1), prefix).ifPresent(found::add);
        }
        found.removeAll(loaded.keySet());
        if (!found.isEmpty()) {
            List<UnitName> rest = List.copyOf(found);
            List<UnitStatus> restStatus = client.status(rest);
            for (int i = 0; i < rest.size(); i++) {
                loaded.put(rest.get(i), restStatus.get(i));
            }
        }
        List<UnitStatus> all = new ArrayList<>(loaded.size() + 1);
        all.add(mainStatus);
        all.addAll(loaded.values());
        LOG.debug("instances of {}: {} loaded, {} read separately", prefix, loaded.size(), found);
        return List.copyOf(all);
    }

    private static List<String> listArgs(String verb, List<String> options, List<String> patterns) {
        List<String> args = new ArrayList<>();
        args.add(verb);
        args.addAll(options);
        args.add("--plain");
        args.add("--no-legend");
        args.add("--");
        args.addAll(patterns);
        return args;
    }

    /**
     * Unit names from {@code list-unit-files} ({@code args} from {@link #listArgs}, {@code r} its
     * result): the first column of the {@code --plain --no-legend} table, which every systemd
     * version prints the same way (unit names hold no white space: systemd escapes it).
     */
    private static List<String> listNames(List<String> listArgs, CommandResult r) {
        if (!(r.exitCode() == 1 && r.stderr().isBlank())) { // exit 1, no message = no match
            SystemdClient.check(r, "systemctl " + listArgs.get(0));
        }
        return firstColumn(r.stdout());
    }

    /**
     * The first word of each non-blank line, after the {@code ●} marker older versions print even
     * with --plain.
     */
    static List<String> firstColumn(String table) {
        List<String> names = new ArrayList<>();
        for (String line : table.split("\n")) {
            String t = line.strip();
            if (t.startsWith("\u25cf")) {
                t = t.substring(1).strip();
            }
            if (!t.isEmpty()) {
                names.add(t.split("\\s+", 2)[0]);
            }
        }
        return names;
    }

    private static Optional<UnitName> instanceOf(String name, String prefix) {
        if (!name.startsWith(prefix + "@") || !name.endsWith(".service")) {
            return Optional.empty();
        }
        try {
            UnitName u = UnitName.parse(name);
            return u.prefix().equals(prefix) && u.instance().isPresent()
                    ? Optional.of(u)
                    : Optional.empty();
        } catch (IllegalArgumentException e) {
            LOG.debug("ignoring unit name {}: {}", name, e.getMessage());
            return Optional.empty();
        }
    }
}
