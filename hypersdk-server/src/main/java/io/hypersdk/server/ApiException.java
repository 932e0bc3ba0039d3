package io.hypersdk.server;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * A request the API refuses: the HTTP status, one line saying what to send, and the field if one is
 * at fault.
 */
final class ApiException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    final int status;
    final Optional<String> field;

    ApiException(int status, String message) {
        this(status, message, Optional.empty());
    }

    ApiException(int status, String message, Optional<String> field) {
        super(message);
        this.status = status;
        this.field = field;
    }

    static ApiException badRequest(String field, String message) {
        return new ApiException(400, message, Optional.of(field));
    }

    static ApiException notFound(String message) {
        return new ApiException(404, message);
    }

    Map<String, Object> body() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("error", getMessage());
        field.ifPresent(f -> m.put("field", f));
        return m;
    }
}
