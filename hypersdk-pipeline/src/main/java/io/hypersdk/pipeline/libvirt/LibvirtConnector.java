package io.hypersdk.pipeline.libvirt;

import org.libvirt.Connect;
import org.libvirt.LibvirtException;

/** Opens a libvirt connection for a URI (a seam for tests and for custom authentication). */
@FunctionalInterface
public interface LibvirtConnector {

    /**
     * Opens a read-write connection.
     *
     * @param uri libvirt URI, e.g. {@code qemu:///system} or {@code test:///default}
     * @return the open connection; the caller closes it
     * @throws LibvirtException when libvirt refuses
     */
    Connect connect(String uri) throws LibvirtException;

    /**
     * libvirt-java's {@code new Connect(uri)}.
     *
     * @return the default connector
     */
    static LibvirtConnector system() {
        return Connect::new;
    }
}
