package io.hypersdk.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hypersdk.core.job.JobCodec;
import io.hypersdk.core.json.Mappers;
import io.hypersdk.core.manifest.Violation;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A rejected submission as the API answers it (status 400): every violation with its field path,
 * the value that was sent (read back from the document), the message and, where the field has one,
 * the allowed range or rule.
 */
final class ValidationErrors {
    private static final ObjectMapper JSON = Mappers.jsonMapper();
    private static final ObjectMapper YAML = Mappers.yamlMapper();
    private static final Pattern SEGMENT = Pattern.compile("([^.\\[\\]]+)|\\[(\\d+)]");

    private ValidationErrors() {}

    static List<Map<String, Object>> describe(
            List<Violation> violations, String body, JobCodec.Format format) {
        JsonNode root = parse(body, format);
        List<Map<String, Object>> out = new ArrayList<>();
        for (Violation v : violations) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("field", v.path());
            valueAt(root, v.path()).ifPresent(x -> m.put("value", x));
            m.put("message", v.message());
            FieldRules.allowed(v.path()).ifPresent(a -> m.put("allowed", a));
            out.add(m);
        }
        return out;
    }

    static JsonNode parse(String body, JobCodec.Format format) {
        try {
            return (format == JobCodec.Format.YAML ? YAML : JSON).readTree(body);
        } catch (Exception e) {
            return null;
        }
    }

    /** The value at a violation path such as {@code jobs[1].options.hyper2kvm_poll_interval}. */
    static Optional<JsonNode> valueAt(JsonNode root, String path) {
        if (root == null || path.equals("$")) {
            return Optional.empty();
        }
        JsonNode n = root;
        Matcher m = SEGMENT.matcher(path);
        while (m.find() && n != null) {
            n = m.group(1) != null ? n.get(m.group(1)) : n.get(Integer.parseInt(m.group(2)));
        }
        if (n == null || n.isMissingNode() || n.isContainerNode()) {
            return Optional.empty();
        }
        // never echo a credential back
        return Credentials.namesCredential(path) ? Optional.empty() : Optional.of(n);
    }
}
