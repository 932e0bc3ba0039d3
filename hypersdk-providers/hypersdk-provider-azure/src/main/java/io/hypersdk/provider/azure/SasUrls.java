package io.hypersdk.provider.azure;

import java.util.regex.Pattern;

/**
 * A SAS URL is a secret (its {@code sig} grants access to the disk): every text that could reach a
 * log, an error, a progress event or a manifest passes through {@link #redact(String)}.
 */
final class SasUrls {
    private static final Pattern SIG = Pattern.compile("(?i)(sig(?:=|%3D))[^&\\s\"'<>]*");

    private SasUrls() {}

    /** {@code text} with every SAS signature replaced by {@code ****}; never null. */
    static String redact(String text) {
        return text == null ? "" : SIG.matcher(text).replaceAll("$1****");
    }
}
