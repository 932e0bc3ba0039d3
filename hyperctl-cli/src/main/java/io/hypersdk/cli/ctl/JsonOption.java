package io.hypersdk.cli.ctl;

import picocli.CommandLine.Option;

/**
 * {@code --json} (or {@code -json}): one picocli mixin for every {@code job} and {@code jobs}
 * command, so the flag is spelled and described the same everywhere.
 */
public final class JsonOption {
    @Option(
            names = {"--json", "-json"},
            description = "Print one JSON document instead of text.")
    private boolean json;

    /**
     * Whether the command was asked for JSON.
     *
     * @return true with {@code --json}
     */
    public boolean json() {
        return json;
    }
}
