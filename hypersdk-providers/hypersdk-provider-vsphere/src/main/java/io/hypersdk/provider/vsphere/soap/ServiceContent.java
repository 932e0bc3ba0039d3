package io.hypersdk.provider.vsphere.soap;

import java.util.Optional;

/**
 * The managed objects of the service instance this client uses, and what the server is.
 *
 * @param about product name, version and API version
 * @param rootFolder the inventory root
 * @param propertyCollector the PropertyCollector
 * @param sessionManager the SessionManager
 * @param viewManager the ViewManager (absent on some ESX builds)
 * @param searchIndex the SearchIndex
 * @param ovfManager the OvfManager
 */
public record ServiceContent(
        AboutInfo about,
        ManagedObjectReference rootFolder,
        ManagedObjectReference propertyCollector,
        ManagedObjectReference sessionManager,
        Optional<ManagedObjectReference> viewManager,
        Optional<ManagedObjectReference> searchIndex,
        Optional<ManagedObjectReference> ovfManager) {

    /** What the server says about itself. */
    public record AboutInfo(
            String name,
            String fullName,
            String version,
            String apiType,
            String apiVersion,
            Optional<String> instanceUuid) {}

    static ServiceContent parse(XmlElement returnval) {
        XmlElement about =
                returnval
                        .child("about")
                        .orElseThrow(
                                () ->
                                        new VsphereException(
                                                "malformed RetrieveServiceContent response: no <about>"));
        AboutInfo info =
                new AboutInfo(
                        about.childText("name").orElse(""),
                        about.childText("fullName").orElse(""),
                        about.childText("version").orElse(""),
                        about.childText("apiType").orElse(""),
                        about.childText("apiVersion").orElse(""),
                        about.childText("instanceUuid"));
        return new ServiceContent(
                info,
                required(returnval, "rootFolder"),
                required(returnval, "propertyCollector"),
                required(returnval, "sessionManager"),
                returnval.childMoref("viewManager"),
                returnval.childMoref("searchIndex"),
                returnval.childMoref("ovfManager"));
    }

    private static ManagedObjectReference required(XmlElement e, String name) {
        return e.childMoref(name)
                .orElseThrow(
                        () ->
                                new VsphereException(
                                        "malformed RetrieveServiceContent response: no <"
                                                + name
                                                + ">"));
    }
}
