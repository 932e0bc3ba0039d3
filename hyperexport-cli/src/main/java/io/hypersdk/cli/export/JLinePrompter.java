package io.hypersdk.cli.export;

import io.hypersdk.core.text.TerminalText;
import java.io.IOException;
import java.io.UncheckedIOException;
import org.jline.reader.EndOfFileException;
import org.jline.reader.LineReader;
import org.jline.reader.LineReaderBuilder;
import org.jline.reader.UserInterruptException;
import org.jline.terminal.Terminal;
import org.jline.terminal.TerminalBuilder;

/**
 * The wizard on the real terminal through JLine 3. The terminal is the process's (stdout, or stderr
 * when stdout is redirected, so {@code --interactive --json > result.json} works).
 */
final class JLinePrompter implements Prompter, AutoCloseable {
    private final Terminal terminal;
    private final LineReader reader;

    private JLinePrompter(Terminal terminal) {
        this.terminal = terminal;
        this.reader =
                LineReaderBuilder.builder()
                        .terminal(terminal)
                        .option(LineReader.Option.DISABLE_EVENT_EXPANSION, true)
                        .option(LineReader.Option.AUTO_FRESH_LINE, true)
                        .build();
    }

    static JLinePrompter open() {
        try {
            Terminal t =
                    TerminalBuilder.builder()
                            .name("hyperexport")
                            .system(true)
                            .systemOutput(TerminalBuilder.SystemOutput.SysOutOrSysErr)
                            .nativeSignals(true)
                            .dumb(true)
                            .build();
            return new JLinePrompter(t);
        } catch (IOException e) {
            throw new UncheckedIOException(
                    "cannot open the terminal for --interactive: " + e.getMessage(), e);
        }
    }

    boolean isDumb() {
        return Terminal.TYPE_DUMB.equals(terminal.getType())
                || Terminal.TYPE_DUMB_COLOR.equals(terminal.getType());
    }

    @Override
    public String readLine(String prompt) {
        try {
            return reader.readLine(prompt);
        } catch (UserInterruptException | EndOfFileException e) {
            throw new Cancelled();
        }
    }

    @Override
    public void println(String line) {
        terminal.writer().println(TerminalText.escape(line)); // VM names come from the provider
        terminal.writer().flush();
    }

    @Override
    public void close() {
        try {
            terminal.close();
        } catch (IOException e) {
            // closing the terminal at exit; nothing to do
        }
    }
}
