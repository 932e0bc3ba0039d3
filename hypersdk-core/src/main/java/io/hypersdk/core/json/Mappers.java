package io.hypersdk.core.json;

import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.core.util.Separators;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.fasterxml.jackson.dataformat.yaml.util.StringQuotingChecker;

/**
 * <b>Internal — not part of the hypersdk API; may change without notice.</b> The one Jackson set-up
 * shared by the manifest codec ({@code io.hypersdk.core.manifest}) and the job codec ({@code
 * io.hypersdk.core.job}), so that both write the same JSON and YAML layout. It is public only
 * because two packages of this module use it.
 *
 * <ul>
 *   <li>{@link #jsonMapper()}: a JSON mapper that rejects duplicate keys;
 *   <li>{@link #yamlMapper()}: a YAML mapper that rejects duplicate keys, writes no {@code ---}
 *       marker, quotes as little as is safe (but always quotes number-like strings and every string
 *       YAML would otherwise mangle) and indents arrays with their dash;
 *   <li>{@link #prettyPrinter()}: Go's {@code json.MarshalIndent(v, "", " ")} layout.
 * </ul>
 *
 * <p>Each call returns a new instance; the callers configure them further (modules, features) and
 * keep them in constants.
 */
public final class Mappers {
    private Mappers() {}

    /**
     * A new JSON mapper that fails on duplicate object keys.
     *
     * @return the mapper, otherwise with Jackson's defaults
     */
    public static JsonMapper jsonMapper() {
        return JsonMapper.builder().enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build();
    }

    /**
     * A new YAML mapper that fails on duplicate keys, writes no document-start marker, minimises
     * quotes, always quotes strings that look like numbers, double-quotes every string YAML would
     * mangle (see {@link #needsQuotes(String)}) and indents array items with their indicator.
     *
     * @return the mapper, otherwise with Jackson's defaults
     */
    public static YAMLMapper yamlMapper() {
        return new YAMLMapper(
                YAMLFactory.builder()
                        .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
                        .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
                        .enable(YAMLGenerator.Feature.ALWAYS_QUOTE_NUMBERS_AS_STRINGS)
                        .enable(YAMLGenerator.Feature.INDENT_ARRAYS_WITH_INDICATOR)
                        .stringQuotingChecker(new SafeQuoting())
                        .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                        .build());
    }

    /**
     * A new pretty printer with Go's {@code json.MarshalIndent(v, "", " ")} layout: two spaces an
     * indent level, {@code "key": value}, one element a line, {@code {}} and {@code []} for empty
     * containers. Use it with {@code mapper.writer(printer)} and append the final newline.
     *
     * @return the printer
     */
    public static DefaultPrettyPrinter prettyPrinter() {
        DefaultIndenter indenter = new DefaultIndenter("  ", "\n");
        Separators separators =
                Separators.createDefaultInstance()
                        .withObjectFieldValueSpacing(Separators.Spacing.AFTER)
                        .withObjectEmptySeparator("")
                        .withArrayEmptySeparator("");
        return new DefaultPrettyPrinter(separators)
                .withObjectIndenter(indenter)
                .withArrayIndenter(indenter);
    }

    /**
     * Whether {@link #yamlMapper()} double-quotes this string beyond Jackson's own rules (YAML
     * keywords, numbers, {@code ": "}): empty, leading or trailing blank, control and C1 characters
     * (NEL is a YAML line break), line/paragraph separators, BOM, lone surrogates and the
     * non-characters U+FFFE/U+FFFF.
     *
     * @param s a key or value
     * @return true when it must be written double-quoted (and so escaped)
     */
    static boolean needsQuotes(String s) {
        if (s.isEmpty()) {
            return true;
        }
        if (s.charAt(0) == ' ' || s.charAt(s.length() - 1) == ' ') {
            return true;
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x20
                    || (c >= 0x7f && c <= 0x9f)
                    || c == 0x2028
                    || c == 0x2029
                    || c == 0xfeff
                    || Character.isSurrogate(c)
                    || c == 0xfffe
                    || c == 0xffff) {
                return true;
            }
        }
        return false;
    }

    /** Jackson's quoting rules plus {@link #needsQuotes(String)}, for keys and values. */
    private static final class SafeQuoting extends StringQuotingChecker.Default {
        private static final long serialVersionUID = 1L;

        @Override
        public boolean needToQuoteName(String name) {
            return super.needToQuoteName(name) || needsQuotes(name);
        }

        @Override
        public boolean needToQuoteValue(String value) {
            return super.needToQuoteValue(value) || needsQuotes(value);
        }
    }
}
