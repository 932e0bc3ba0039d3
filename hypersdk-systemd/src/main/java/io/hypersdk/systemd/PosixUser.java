package io.hypersdk.systemd;

import java.util.Objects;
import java.util.Set;

/**
 * A local user as the system's user database (NSS) resolves it.
 *
 * @param name login name
 * @param uid user id
 * @param gid primary group id
 * @param supplementaryGids ids of the other groups that list the user as a member
 */
public record PosixUser(String name, long uid, long gid, Set<Long> supplementaryGids) {
    public PosixUser {
        Objects.requireNonNull(name, "name");
        supplementaryGids = Set.copyOf(supplementaryGids);
    }

    /** True when {@code groupId} is the primary group or one of the supplementary groups. */
    public boolean inGroup(long groupId) {
        return gid == groupId || supplementaryGids.contains(groupId);
    }
}
