package io.hypersdk.systemd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.booleans;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.lists;
import static org.quicktheories.generators.SourceDSL.longs;
import static org.quicktheories.generators.SourceDSL.strings;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;
import org.quicktheories.generators.Generate;

/**
 * Property tests of the {@code systemctl show} parser: what systemd renders parses back to the same
 * values, and no input makes it throw anything but {@link SystemctlOutputException}.
 */
class ShowOutputPropertiesTest {
    private static final Instant NOW = Instant.parse("2030-01-01T00:00:00Z");

    /** The values of one unit, as a generator produces them. */
    record Props(
            String id,
            String loadState,
            String activeState,
            String subState,
            long mainPid,
            Optional<Instant> activeEnter,
            int timestampFormat,
            long nRestarts,
            String result,
            OptionalLong memory,
            String memoryPlaceholder,
            String unitFileState,
            Map<String, String> env,
            Optional<String> user,
            boolean privateTmp,
            String protectSystem,
            List<String> rwPaths,
            long seed) {}

    private static Gen<String> pick(String... values) {
        return Generate.pick(List.of(values));
    }

    private static Gen<String> chars(String alphabet, int min, int max) {
        return lists().of(
                        Generate.pick(
                                alphabet.chars().mapToObj(c -> String.valueOf((char) c)).toList()))
                .ofSizeBetween(min, max)
                .map(l -> String.join("", l));
    }

    private static final String NAME_CHARS =
            "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_";

    /**
     * Environment values: printable, unicode, the characters systemd quotes or escapes, control
     * characters.
     */
    private static Gen<String> envValue() {
        Gen<String> tricky = chars(" \"\\$`'*?[()<>|&;!=\t\n\u0001\u007fab-/é€", 0, 12);
        // NUL and lone surrogates cannot be in an environment value: mapped to other characters,
        // not filtered out (a filter rejects so many lists of units that QuickTheories gives up)
        Gen<String> unicode =
                strings()
                        .basicMultilingualPlaneAlphabet()
                        .ofLengthBetween(0, 12)
                        .map(
                                s ->
                                        s.chars()
                                                .map(
                                                        c ->
                                                                c == 0
                                                                        ? '0'
                                                                        : Character.isSurrogate(
                                                                                        (char) c)
                                                                                ? '\u00e9'
                                                                                : c)
                                                .collect(
                                                        StringBuilder::new,
                                                        StringBuilder::appendCodePoint,
                                                        StringBuilder::append)
                                                .toString());
        return tricky.mix(unicode);
    }

    private static Gen<Map<String, String>> environment() {
        Gen<String> key =
                chars("ABCDEFGHIJKLMNOPQRSTUVWXYZ_", 1, 1)
                        .zip(chars(NAME_CHARS, 0, 10), (a, b) -> a + b);
        return lists().of(key.zip(envValue(), Map::entry))
                .ofSizeBetween(0, 6)
                .map(
                        entries -> {
                            Map<String, String> m = new LinkedHashMap<>();
                            entries.forEach(e -> m.put(e.getKey(), e.getValue()));
                            return m;
                        });
    }

    private static Gen<Optional<Instant>> timestamps() {
        return longs().between(0, 4_102_444_800L)
                .zip(
                        integers().between(0, 999_999),
                        booleans().all(),
                        (s, us, present) ->
                                present
                                        ? Optional.of(Instant.ofEpochSecond(s, us * 1000L))
                                        : Optional.empty());
    }

    private static Gen<Props> props() {
        Gen<String> id =
                chars("abcxyz-_:.0", 1, 20)
                        .zip(
                                chars("abc0-_.:", 0, 8),
                                booleans().all(),
                                (p, i, inst) ->
                                        "h"
                                                + p
                                                + (inst && !i.isEmpty() ? "@" + i : "")
                                                + ".service");
        Gen<String> load = pick("loaded", "not-found", "masked", "error", "bad-setting");
        Gen<String> active =
                pick("active", "reloading", "inactive", "failed", "activating", "deactivating");
        Gen<String> sub =
                pick("running", "dead", "failed", "auto-restart", "start", "stop", "exited");
        Gen<Long> pid = Generate.oneOf(Generate.constant(0L), longs().between(1, 4_194_304));
        Gen<Long> restarts = longs().between(0, 1_000_000);
        Gen<String> result =
                pick("success", "exit-code", "signal", "timeout", "core-dump", "start-limit-hit");
        Gen<OptionalLong> memory =
                Generate.oneOf(
                        Generate.constant(OptionalLong.empty()),
                        longs().between(0, Long.MAX_VALUE).map(OptionalLong::of));
        Gen<String> placeholder =
                pick("[not set]", "", "infinity", "18446744073709551615", "[no data]");
        Gen<String> fileState =
                pick(
                        "enabled",
                        "enabled-runtime",
                        "disabled",
                        "static",
                        "masked",
                        "masked-runtime",
                        "indirect",
                        "");
        Gen<Optional<String>> user =
                Generate.oneOf(
                        Generate.constant(Optional.empty()),
                        chars("abcdefghijklmnopqrstuvwxyz_", 1, 1)
                                .zip(chars("abcz019_-", 0, 10), (a, b) -> Optional.of(a + b)));
        Gen<String> protect = pick("no", "yes", "full", "strict");
        Gen<String> segment =
                chars("abc_é -+.", 1, 4)
                        .map(seg -> seg.equals(".") || seg.equals("..") ? seg + "a" : seg);
        Gen<List<String>> paths =
                lists().of(
                                lists().of(segment)
                                        .ofSizeBetween(1, 3)
                                        .map(l -> "/" + String.join("/", l)))
                        .ofSizeBetween(0, 3);
        return id.zip(load, active, sub, (a, b, c, d) -> new String[] {a, b, c, d})
                .zip(
                        pid,
                        timestamps(),
                        integers().between(0, 2),
                        (s, p, t, f) -> new Object[] {s, p, t, f})
                .zip(
                        restarts,
                        result,
                        memory,
                        placeholder,
                        (o, r, res, m, ph) -> new Object[] {o, r, res, m, ph})
                .zip(
                        fileState,
                        environment(),
                        user,
                        booleans().all(),
                        (o, fs, env, u, pt) -> new Object[] {o, fs, env, u, pt})
                .zip(protect, paths, longs().all(), (o, ps, rw, seed) -> build(o, ps, rw, seed));
    }

    @SuppressWarnings("unchecked")
    private static Props build(Object[] o3, String protect, List<String> rw, long seed) {
        Object[] o2 = (Object[]) o3[0];
        Object[] o1 = (Object[]) o2[0];
        String[] s = (String[]) o1[0];
        return new Props(
                s[0],
                s[1],
                s[2],
                s[3],
                (Long) o1[1],
                (Optional<Instant>) o1[2],
                (Integer) o1[3],
                (Long) o2[1],
                (String) o2[2],
                (OptionalLong) o2[3],
                (String) o2[4],
                (String) o3[1],
                (Map<String, String>) o3[2],
                (Optional<String>) o3[3],
                (Boolean) o3[4],
                protect,
                rw,
                seed);
    }

    /**
     * systemd's rendering: shell_maybe_quote() for list words, its timestamp formats, its
     * placeholders.
     */
    static String render(Props p) {
        List<String> lines = new ArrayList<>();
        lines.add("Id=" + p.id());
        lines.add("LoadState=" + p.loadState());
        lines.add("ActiveState=" + p.activeState());
        lines.add("SubState=" + p.subState());
        lines.add("MainPID=" + p.mainPid());
        lines.add(
                "ActiveEnterTimestamp="
                        + p.activeEnter().map(t -> timestamp(t, p.timestampFormat())).orElse(""));
        lines.add("NRestarts=" + p.nRestarts());
        lines.add("Result=" + p.result());
        lines.add(
                "MemoryCurrent="
                        + (p.memory().isPresent()
                                ? String.valueOf(p.memory().getAsLong())
                                : p.memoryPlaceholder()));
        lines.add("UnitFileState=" + p.unitFileState());
        List<String> env = new ArrayList<>();
        p.env().forEach((k, v) -> env.add(quote(k + "=" + v)));
        lines.add("Environment=" + String.join(" ", env));
        lines.add("User=" + p.user().orElse(""));
        lines.add("PrivateTmp=" + (p.privateTmp() ? "yes" : "no"));
        lines.add("ProtectSystem=" + p.protectSystem());
        List<String> rw = new ArrayList<>();
        for (int i = 0; i < p.rwPaths().size(); i++) {
            rw.add(quote((i % 2 == 1 ? "-" : "") + p.rwPaths().get(i)));
        }
        lines.add("ReadWritePaths=" + String.join(" ", rw));
        Collections.shuffle(lines, new Random(p.seed())); // systemd's order is not the -p order
        return String.join("\n", lines) + "\n";
    }

    private static String timestamp(Instant t, int format) {
        LocalDateTime utc = LocalDateTime.ofInstant(t, ZoneOffset.UTC);
        return switch (format) {
            case 0 -> "@" + t.getEpochSecond();
            case 1 ->
                    utc.format(DateTimeFormatter.ofPattern("EEE yyyy-MM-dd HH:mm:ss", Locale.ROOT))
                            + " UTC";
            default ->
                    utc.format(
                                    DateTimeFormatter.ofPattern(
                                            "EEE yyyy-MM-dd HH:mm:ss.SSSSSS", Locale.ROOT))
                            + " UTC";
        };
    }

    private static Instant expectedTimestamp(Instant t, int format) {
        return format == 2 ? t : t.truncatedTo(ChronoUnit.SECONDS);
    }

    /** systemd's shell_maybe_quote() without SHELL_ESCAPE_POSIX, as observed on systemd 252. */
    static String quote(String s) {
        boolean plain =
                !s.isEmpty()
                        && s.chars()
                                .noneMatch(
                                        c ->
                                                c < 0x20
                                                        || c == 0x7f
                                                        || " \"\\`$*?['()<>|&;!".indexOf(c) >= 0);
        if (plain) {
            return s;
        }
        StringBuilder b = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            switch (c) {
                case '\u0007' -> b.append("\\a");
                case '\b' -> b.append("\\b");
                case '\f' -> b.append("\\f");
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                case '\u000b' -> b.append("\\v");
                case '"', '\\', '`', '$' -> b.append('\\').append(c);
                default -> {
                    if (c < 0x20 || c == 0x7f) {
                        b.append(String.format("\\x%02x", (int) c));
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        return b.append('"').toString();
    }

    @Test
    void renderedPropertiesParseBackToTheSameValues() {
        qt().withExamples(500)
                .forAll(props())
                .checkAssert(
                        p -> {
                            List<Map<String, String>> blocks = ShowOutput.parseBlocks(render(p));
                            assertThat(blocks).hasSize(1);
                            UnitStatus s =
                                    ShowOutput.toStatus("requested.service", blocks.get(0), NOW);

                            assertThat(s.id()).isEqualTo(p.id());
                            assertThat(s.loadState()).isEqualTo(p.loadState());
                            assertThat(s.activeState()).isEqualTo(p.activeState());
                            assertThat(s.subState()).isEqualTo(p.subState());
                            assertThat(s.mainPid())
                                    .isEqualTo(
                                            p.mainPid() == 0
                                                    ? OptionalLong.empty()
                                                    : OptionalLong.of(p.mainPid()));
                            Optional<Instant> ts =
                                    p.activeEnter()
                                            .map(t -> expectedTimestamp(t, p.timestampFormat()));
                            assertThat(s.activeEnterTimestamp()).isEqualTo(ts);
                            boolean active =
                                    p.activeState().equals("active")
                                            || p.activeState().equals("reloading");
                            assertThat(s.uptime())
                                    .isEqualTo(
                                            active
                                                    ? ts.map(
                                                            t ->
                                                                    t.isAfter(NOW)
                                                                            ? Duration.ZERO
                                                                            : Duration.between(
                                                                                    t, NOW))
                                                    : Optional.empty());
                            assertThat(s.nRestarts()).isEqualTo(p.nRestarts());
                            assertThat(s.result()).isEqualTo(p.result());
                            assertThat(s.memoryCurrent()).isEqualTo(p.memory());
                            assertThat(s.unitFileState()).isEqualTo(p.unitFileState());
                            assertThat(s.environment()).containsExactlyEntriesOf(p.env());
                            assertThat(s.user()).isEqualTo(p.user());
                            assertThat(s.privateTmp()).isEqualTo(p.privateTmp());
                            assertThat(s.protectSystem()).isEqualTo(p.protectSystem());
                            assertThat(s.readWritePaths())
                                    .containsExactlyElementsOf(
                                            p.rwPaths().stream().map(Path::of).toList());
                        });
    }

    @Test
    void severalRenderedUnitsComeBackAsSeveralBlocksInOrder() {
        qt().withExamples(200)
                .forAll(lists().of(props()).ofSizeBetween(1, 8))
                .checkAssert(
                        units -> {
                            String out =
                                    String.join(
                                            "\n",
                                            units.stream()
                                                    .map(ShowOutputPropertiesTest::render)
                                                    .toList());
                            List<Map<String, String>> blocks = ShowOutput.parseBlocks(out);
                            assertThat(blocks)
                                    .extracting(b -> b.get("Id"))
                                    .containsExactlyElementsOf(
                                            units.stream().map(Props::id).toList());
                        });
    }

    private static void onlyDocumentedFailure(Runnable r) {
        try {
            r.run();
        } catch (SystemctlOutputException expected) {
            assertThat(expected.getMessage()).isNotBlank();
        }
    }

    private static void parseEverything(String text) {
        onlyDocumentedFailure(
                () -> {
                    for (Map<String, String> b : ShowOutput.parseBlocks(text)) {
                        onlyDocumentedFailure(() -> ShowOutput.toStatus("x.service", b, NOW));
                    }
                });
        onlyDocumentedFailure(() -> ShowOutput.environment(text));
        onlyDocumentedFailure(() -> InstanceQuery.firstColumn(text));
    }

    @Test
    void randomBytesNeverProduceAnUndocumentedException() {
        Gen<byte[]> bytes =
                Generate.byteArrays(
                        integers().between(0, 400),
                        Generate.bytes(Byte.MIN_VALUE, Byte.MAX_VALUE, (byte) 0));
        qt().withExamples(1000)
                .forAll(bytes)
                .checkAssert(
                        b -> {
                            parseEverything(new String(b, StandardCharsets.UTF_8));
                            parseEverything(new String(b, StandardCharsets.ISO_8859_1));
                        });
    }

    @Test
    void randomValuesOfKnownPropertiesNeverProduceAnUndocumentedException() {
        Gen<String> key =
                pick(
                        "Id",
                        "LoadState",
                        "ActiveState",
                        "SubState",
                        "MainPID",
                        "ActiveEnterTimestamp",
                        "NRestarts",
                        "MemoryCurrent",
                        "Environment",
                        "PrivateTmp",
                        "ReadWritePaths",
                        "ReadOnlyPaths",
                        "User",
                        "");
        Gen<String> value =
                chars("@0123456789 -:.UTCThu\"\\x$'=[]ntse\u0000\u00ff\n", 0, 40)
                        .mix(
                                pick(
                                        "",
                                        "[not set]",
                                        "@",
                                        "@99999999999999999",
                                        "Thu 2026-13-45 99:99:99 UTC",
                                        "2026-11-26 10:22:02",
                                        "Thu 2026-11-26 10:22:02.1234567891 UTC",
                                        "99999999999999999999",
                                        "-1",
                                        "yes",
                                        "maybe",
                                        "\"unterminated",
                                        "A=\"x\\",
                                        "\\u12",
                                        "\\U0011FFFF",
                                        "\\777",
                                        "/a\u0000b"));
        Gen<String> line = key.zip(value, (k, v) -> k + "=" + v);
        qt().withExamples(1000)
                .forAll(lists().of(line).ofSizeBetween(0, 12))
                .checkAssert(
                        ls -> {
                            String text =
                                    "LoadState=loaded\nActiveState=active\n"
                                            + String.join("\n", ls);
                            parseEverything(text);
                        });
    }
}
