package io.hypersdk.systemd;

import java.util.List;
import java.util.Objects;

/**
 * A local group.
 *
 * @param name group name
 * @param gid group id
 * @param members names of the users listed as members (not those with it as primary group)
 */
public record PosixGroup(String name, long gid, List<String> members) {
    public PosixGroup {
        Objects.requireNonNull(name, "name");
        members = List.copyOf(members);
    }
}
