package io.hypersdk.cli.export;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.util.Properties;
import picocli.CommandLine.IVersionProvider;

/**
 * --version: the build's version (filtered into version.properties by Maven). {@link #answerAlone}
 * answers {@code hyperexport --version} before anything else is built; picocli prints the same
 * lines for {@code --version} with other arguments.
 */
final class VersionProvider implements IVersionProvider {

    /**
     * Prints the version lines to {@code out} when {@code args} is {@code --version} or {@code -V}
     * alone, the lines picocli prints for it, but without building the command line first (seven
     * option mixins, the serve subcommand, the converters of the library enums: most of the
     * start-up of a bare {@code --version}, issue 15).
     *
     * @return whether it answered (then the run is over, exit code 0)
     */
    static boolean answerAlone(String[] args, PrintStream out) {
        if (args.length != 1 || !(args[0].equals("--version") || args[0].equals("-V"))) {
            return false;
        }
        for (String line : new VersionProvider().getVersion()) {
            out.println(line);
        }
        out.flush();
        return true;
    }

    static String version() {
        Properties p = new Properties();
        try (InputStream in = VersionProvider.class.getResourceAsStream("version.properties")) {
            if (in != null) {
                p.load(in);
            }
        } catch (IOException e) {
            // fall through to "unknown"
        }
        return p.getProperty("version", "unknown");
    }

    @Override
    public String[] getVersion() {
        return new String[] {
            "hyperexport " + version() + " (hypersdk-java)",
            "Java "
                    + System.getProperty("java.version")
                    + ", "
                    + System.getProperty("os.name")
                    + " "
                    + System.getProperty("os.arch")
        };
    }
}
