package io.hypersdk.cli.ctl.jobs;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.hypersdk.core.text.TerminalText;
import java.io.PrintWriter;
import java.util.List;

/** How the jobs commands print: server text escaped for the terminal, tables, JSON. */
final class JobsText {
    private JobsText() {}

    /** Text from the server, with control characters made visible. */
    static String clean(String s) {
        return TerminalText.escape(s);
    }

    static String line(String key, String value) {
        return String.format("%-10s %s", key + ":", clean(value));
    }

    /** {@code key: value} when the server gave a value. */
    static void field(PrintWriter out, String key, JsonNode value) {
        if (!value.isMissingNode() && !value.isNull() && !value.asText().isEmpty()) {
            out.println(line(key, value.asText()));
        }
    }

    static void json(PrintWriter out, JsonNode answer) {
        try {
            out.println(
                    JobsClient.JSON.writerWithDefaultPrettyPrinter().writeValueAsString(answer));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Left-aligned columns, two spaces apart; the first row is the header. */
    static void table(PrintWriter out, List<String[]> rows) {
        int[] width = new int[rows.get(0).length];
        for (String[] r : rows) {
            for (int i = 0; i < r.length; i++) {
                r[i] = clean(r[i]);
                width[i] = Math.max(width[i], r[i].length());
            }
        }
        for (String[] r : rows) {
            StringBuilder s = new StringBuilder();
            for (int i = 0; i < r.length; i++) {
                s.append(i == r.length - 1 ? r[i] : String.format("%-" + width[i] + "s  ", r[i]));
            }
            out.println(s.toString().stripTrailing());
        }
    }
}
