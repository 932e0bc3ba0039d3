package io.hypersdk.provider.vsphere.soap;

/**
 * A vSphere managed object reference, e.g. {@code VirtualMachine:vm-57}.
 *
 * @param type the managed object type, e.g. {@code VirtualMachine}; never empty
 * @param value the server-assigned id, e.g. {@code vm-57}; never empty
 */
public record ManagedObjectReference(String type, String value) {

    public ManagedObjectReference {
        if (type == null || type.isBlank()) {
            throw new IllegalArgumentException("managed object reference type must not be empty");
        }
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(
                    "managed object reference value must not be empty (type " + type + ")");
        }
    }

    @Override
    public String toString() {
        return type + ":" + value;
    }
}
