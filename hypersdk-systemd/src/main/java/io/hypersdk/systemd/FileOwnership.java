package io.hypersdk.systemd;

/**
 * Owner and mode of a file, from {@code stat(2)} (symbolic links followed).
 *
 * @param uid owning user id
 * @param gid owning group id
 * @param mode the full {@code st_mode}: file type and permission bits
 */
public record FileOwnership(long uid, long gid, int mode) {

    /** The permission bits ({@code mode & 07777}), e.g. {@code 0750}. */
    public int permissions() {
        return mode & 07777;
    }

    public boolean isDirectory() {
        return (mode & 0170000) == 0040000;
    }

    public boolean isRegularFile() {
        return (mode & 0170000) == 0100000;
    }

    @Override
    public String toString() {
        return "FileOwnership[uid="
                + uid
                + ", gid="
                + gid
                + ", mode=0"
                + Integer.toOctalString(permissions())
                + (isDirectory() ? ", directory" : "")
                + "]";
    }
}
