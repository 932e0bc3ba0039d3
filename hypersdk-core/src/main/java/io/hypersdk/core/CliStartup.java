package io.hypersdk.core;

/**
 * What a command-line front end of this SDK sets before anything else runs, so that neither picocli
 * nor SLF4J searches the whole class path at start-up. A failed class or resource lookup opens
 * every jar on the class path; hyperexport has ~200 of them, and these two searches cost it about
 * 0.1 s of every run (issue 15, start-up). Properties already set (by {@code -D}) are kept.
 */
public final class CliStartup {

    /** The SLF4J provider the CLIs ship (slf4j-simple); SLF4J loads it directly when named. */
    public static final String SLF4J_SIMPLE = "org.slf4j.simple.SimpleServiceProvider";

    private CliStartup() {}

    /**
     * Sets the system properties: picocli's {@code picocli.disable.closures} (otherwise it looks
     * for {@code groovy.lang.Closure} on the class path), SLF4J's {@code slf4j.provider} (otherwise
     * a ServiceLoader scan finds it) and {@code slf4j.internal.verbosity=WARN} (a named provider is
     * otherwise reported on stderr).
     */
    public static void setProperties() {
        setIfAbsent("picocli.disable.closures", "true");
        if (System.getProperty("slf4j.provider") == null) {
            System.setProperty("slf4j.provider", SLF4J_SIMPLE);
            setIfAbsent("slf4j.internal.verbosity", "WARN");
        }
    }

    private static void setIfAbsent(String key, String value) {
        if (System.getProperty(key) == null) {
            System.setProperty(key, value);
        }
    }
}
