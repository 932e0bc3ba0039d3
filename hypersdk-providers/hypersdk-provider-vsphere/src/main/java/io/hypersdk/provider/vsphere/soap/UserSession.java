package io.hypersdk.provider.vsphere.soap;

/**
 * The session opened by a login. The session key is not exposed: it is a bearer credential.
 *
 * @param userName the logged-in user as the server names it
 * @param fullName the user's full name (may be empty)
 */
public record UserSession(String userName, String fullName) {}
