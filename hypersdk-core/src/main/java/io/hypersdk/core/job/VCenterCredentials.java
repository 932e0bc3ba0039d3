package io.hypersdk.core.job;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.Optional;

/**
 * The vCenter connection of a job ({@code vcenter}). The password is accepted when a job is read
 * but never written and never shown by {@link #toString()}.
 *
 * @param server vCenter host or URL ({@code server})
 * @param username user ({@code username})
 * @param password password ({@code password}): read, never written
 * @param insecure skip TLS verification ({@code insecure})
 */
@JsonInclude(JsonInclude.Include.NON_ABSENT)
@JsonPropertyOrder({"server", "username", "password", "insecure"})
public record VCenterCredentials(
        @JsonProperty("server") Optional<String> server,
        @JsonProperty("username") Optional<String> username,
        @JsonProperty(value = "password", access = JsonProperty.Access.WRITE_ONLY)
                Optional<String> password,
        @JsonProperty("insecure") Optional<Boolean> insecure) {

    /** Replaces nulls by empty. */
    public VCenterCredentials {
        server = Jobs.opt(server);
        username = Jobs.opt(username);
        password = Jobs.opt(password);
        insecure = Jobs.opt(insecure);
    }

    @Override
    public String toString() {
        return "VCenterCredentials[server="
                + server.orElse("")
                + ", username="
                + username.orElse("")
                + ", password="
                + (password.isPresent() ? "****" : "")
                + ", insecure="
                + insecure.map(String::valueOf).orElse("")
                + "]";
    }
}
