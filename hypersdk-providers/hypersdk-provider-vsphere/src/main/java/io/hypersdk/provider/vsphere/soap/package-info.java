/**
 * vim25 over SOAP: the transport ({@code java.net.http}, session cookie), the StAX codec, the
 * {@link io.hypersdk.provider.vsphere.soap.XmlElement} requests and responses are made of, SOAP
 * faults as typed exceptions, the TLS policy, and {@link
 * io.hypersdk.provider.vsphere.soap.VimConnection} (service content, login, logout, calls that
 * renew an expired session).
 *
 * <p>API: {@code ManagedObjectReference}, {@code ServiceContent}, {@code UserSession}, {@code
 * VsphereTls}, {@code VsphereException} and the fault exceptions. The other public types say
 * "module-internal": they are public only for the module's other packages.
 */
package io.hypersdk.provider.vsphere.soap;
