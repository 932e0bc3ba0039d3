package io.hypersdk.provider.vsphere;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import io.hypersdk.provider.vsphere.soap.ManagedObjectReference;
import io.hypersdk.provider.vsphere.soap.SoapRequests;
import io.hypersdk.provider.vsphere.soap.XmlElement;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A small vim25 server for what the simulator cannot show: RetrievePropertiesEx paging with
 * ContinueRetrievePropertiesEx, sessions that expire, export leases that time out without
 * HttpNfcLeaseProgress, and leases that fail mid-transfer. Plain HTTP on 127.0.0.1.
 *
 * <p>Inventory: datacenter "Lab DC" (datacenter-1) / folder group-v1 / VM "web-01" (vm-1): 2 vCPU,
 * 4096 MiB, efi, ubuntu64Guest, two disks on SCSI 0 (unit 0 data, unit 1 named first by the boot
 * order), one vmxnet3 NIC on "VM Network". Plus {@code extraVms} listing-only VMs.
 *
 * <p>Over 400 lines on purpose: it is one fake server whose SOAP and NFC handlers share the session
 * and lease state the tests set and read; split, that state would be spread over classes.
 */
final class FakeVimServer implements AutoCloseable {
    static final String XSI = "xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\"";

    private final HttpServer server;
    final Set<String> sessions = ConcurrentHashMap.newKeySet();
    final AtomicInteger logins = new AtomicInteger();
    final AtomicInteger continueCalls = new AtomicInteger();
    final List<String> maxObjectsSeen = new CopyOnWriteArrayList<>();
    final List<String> methods = new CopyOnWriteArrayList<>();
    final List<String> aborts = new CopyOnWriteArrayList<>();
    final AtomicInteger completes = new AtomicInteger();
    final AtomicInteger progressCalls = new AtomicInteger();
    final Map<String, byte[]> files = new LinkedHashMap<>();
    private final Map<String, List<String>> pages = new ConcurrentHashMap<>();
    private final int extraVms;

    /** Lease settings. */
    volatile long leaseTimeoutMillis = 300_000;

    volatile long bytesPerSecond = Long.MAX_VALUE;

    /** After this many bytes of one file, the lease goes into error and the connection drops. */
    volatile long failAfterBytes = -1;

    /**
     * The first GET of a file drops its connection after this many bytes (the lease stays ready).
     */
    volatile long dropOnceAfterBytes = -1;

    final List<String> rangeHeaders = new CopyOnWriteArrayList<>();
    private final Set<String> dropped = ConcurrentHashMap.newKeySet();

    /** When set, HttpNfcLeaseGetManifest is offered and reports each size plus this delta. */
    volatile Long manifestSizeDelta;

    /** The longest time the lease went without progress while a transfer ran. */
    volatile long longestSilenceMillis;

    /** NFC over TLS on "localhost" (another host name than the SOAP endpoint's 127.0.0.1). */
    private volatile HttpsServer nfcTls;

    /** The sslThumbprint the lease gives for its device URLs. */
    volatile String leaseThumbprint = "";

    final List<String> nfcCookies = new CopyOnWriteArrayList<>();

    private volatile String leaseState = "none";
    private volatile String leaseFault = "";
    private volatile long lastLeaseActivity;

    FakeVimServer(int extraVms) throws IOException {
        this.extraVms = extraVms;
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/sdk", this::soap);
        server.createContext("/nfc/", this::nfc);
        server.setExecutor(
                Executors.newCachedThreadPool(
                        r -> {
                            Thread t = new Thread(r, "fake-vim");
                            t.setDaemon(true);
                            return t;
                        }));
        server.start();
    }

    URI sdk() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/sdk");
    }

    VimClient.Builder clientBuilder() {
        return VimClient.builder().url(sdk()).username("admin").password("secret");
    }

    /**
     * Serves the NFC files over HTTPS with this key store, as an ESXi host behind vCenter would.
     */
    void serveNfcOverTls(javax.net.ssl.SSLContext ssl) throws IOException {
        HttpsServer https = HttpsServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        https.setHttpsConfigurator(new HttpsConfigurator(ssl));
        https.createContext("/nfc/", this::nfc);
        https.setExecutor(
                Executors.newCachedThreadPool(
                        r -> {
                            Thread t = new Thread(r, "fake-esx-nfc");
                            t.setDaemon(true);
                            return t;
                        }));
        https.start();
        nfcTls = https;
    }

    void expireSessions() {
        sessions.clear();
    }

    @Override
    public void close() {
        server.stop(0);
        if (nfcTls != null) {
            nfcTls.stop(0);
        }
    }

    // ---- SOAP --------------------------------------------------------------------------------

    private void soap(HttpExchange ex) throws IOException {
        XmlElement req;
        try (InputStream in = ex.getRequestBody()) {
            req = SoapRequests.parse(new ByteArrayInputStream(in.readAllBytes()), "request");
        }
        String method = req.name();
        methods.add(method);
        String cookie = ex.getRequestHeaders().getFirst("Cookie");
        String session =
                cookie == null
                        ? null
                        : cookie.replaceFirst("^vmware_soap_session=", "").replace("\"", "");
        String body;
        if (method.equals("RetrieveServiceContent")) {
            body =
                    "<returnval><rootFolder type=\"Folder\">group-d1</rootFolder>"
                            + "<propertyCollector type=\"PropertyCollector\">propertyCollector</propertyCollector>"
                            + "<viewManager type=\"ViewManager\">ViewManager</viewManager>"
                            + "<about><name>Fake vCenter</name><fullName>Fake vCenter 8.0</fullName><version>8.0.2</version>"
                            + "<apiType>VirtualCenter</apiType><apiVersion>8.0.2.0</apiVersion></about>"
                            + "<sessionManager type=\"SessionManager\">SessionManager</sessionManager>"
                            + "<searchIndex type=\"SearchIndex\">SearchIndex</searchIndex>"
                            + "<ovfManager type=\"OvfManager\">OvfManager</ovfManager></returnval>";
        } else if (method.equals("Login")) {
            if (!"admin".equals(req.childText("userName").orElse(""))
                    || !"secret".equals(req.childText("password").orElse(""))) {
                fault(
                        ex,
                        "Cannot complete login due to an incorrect user name or password.",
                        "InvalidLogin",
                        "");
                return;
            }
            logins.incrementAndGet();
            String id = UUID.randomUUID().toString();
            sessions.add(id);
            ex.getResponseHeaders()
                    .add(
                            "Set-Cookie",
                            "vmware_soap_session=\"" + id + "\"; Path=/; HttpOnly; Secure;");
            body =
                    "<returnval><key>"
                            + id
                            + "</key><userName>VSPHERE.LOCAL\\admin</userName><fullName>Admin</fullName></returnval>";
        } else if (session == null || !sessions.contains(session)) {
            fault(
                    ex,
                    "The session is not authenticated.",
                    "NotAuthenticated",
                    "<object type=\"Folder\">group-d1</object><privilegeId>System.View</privilegeId>");
            return;
        } else {
            try {
                body = dispatch(method, req, session);
            } catch (FaultReply f) {
                fault(ex, f.getMessage(), f.name, "");
                return;
            }
        }
        reply(
                ex,
                200,
                "<"
                        + method
                        + "Response xmlns=\"urn:vim25\">"
                        + body
                        + "</"
                        + method
                        + "Response>");
    }

    private static final class FaultReply extends RuntimeException {
        private static final long serialVersionUID = 1L;
        final String name;

        FaultReply(String name, String message) {
            super(message);
            this.name = name;
        }
    }

    private String dispatch(String method, XmlElement req, String session) {
        switch (method) {
            case "Logout":
                sessions.remove(session);
                return "";
            case "CreateContainerView":
                return "<returnval type=\"ContainerView\">session["
                        + session.substring(0, 8)
                        + "]view-1</returnval>";
            case "DestroyView":
                return "";
            case "FindByInventoryPath":
                return req.childText("inventoryPath").orElse("").equals("Lab DC/vm/web-01")
                        ? "<returnval type=\"VirtualMachine\">vm-1</returnval>"
                        : "";
            case "RetrievePropertiesEx":
                return retrieve(req);
            case "ContinueRetrievePropertiesEx":
                continueCalls.incrementAndGet();
                return page(req.childText("token").orElseThrow());
            case "ExportVm":
                leaseState = "ready";
                leaseFault = "";
                lastLeaseActivity = System.currentTimeMillis();
                longestSilenceMillis = 0;
                return "<returnval type=\"HttpNfcLease\">lease-1</returnval>";
            case "HttpNfcLeaseProgress":
                progressCalls.incrementAndGet();
                checkLease();
                if (leaseState.equals("error")) {
                    throw new FaultReply("InvalidState", "The lease is in error: " + leaseFault);
                }
                touchLease();
                return "";
            case "HttpNfcLeaseGetManifest":
                if (manifestSizeDelta == null) {
                    throw new FaultReply("MethodNotFound", "HttpNfcLeaseGetManifest");
                }
                StringBuilder entries = new StringBuilder();
                int u = 0;
                for (Map.Entry<String, byte[]> f : files.entrySet()) {
                    entries.append("<returnval><key>/vm-1/VirtualLsiLogicController0:")
                            .append(u++)
                            .append("</key><sha1>0</sha1><size>")
                            .append(f.getValue().length + manifestSizeDelta)
                            .append("</size><disk>true</disk></returnval>");
                }
                return entries.toString();
            case "HttpNfcLeaseComplete":
                checkLease();
                if (!leaseState.equals("ready")) {
                    throw new FaultReply("InvalidState", "lease not ready");
                }
                completes.incrementAndGet();
                leaseState = "done";
                return "";
            case "HttpNfcLeaseAbort":
                aborts.add(
                        req.child("fault")
                                .flatMap(f -> f.childText("localizedMessage"))
                                .orElse(""));
                leaseState = "done";
                return "";
            case "CreateDescriptor":
                StringBuilder refs = new StringBuilder();
                for (XmlElement f : req.child("cdp").orElseThrow().all("ovfFiles")) {
                    refs.append("<File ovf:href=\"")
                            .append(f.childText("path").orElseThrow())
                            .append("\" ovf:size=\"")
                            .append(f.childText("size").orElseThrow())
                            .append("\"/>");
                }
                String ovf =
                        "<?xml version=\"1.0\"?><Envelope xmlns=\"http://schemas.dmtf.org/ovf/envelope/1\""
                                + " xmlns:ovf=\"http://schemas.dmtf.org/ovf/envelope/1\"><References>"
                                + refs
                                + "</References></Envelope>";
                return "<returnval><ovfDescriptor>" + escape(ovf) + "</ovfDescriptor></returnval>";
            default:
                throw new FaultReply(
                        "MethodNotFound",
                        "method " + method + " is not implemented by the fake server");
        }
    }

    private synchronized void touchLease() {
        long now = System.currentTimeMillis();
        longestSilenceMillis = Math.max(longestSilenceMillis, now - lastLeaseActivity);
        lastLeaseActivity = now;
    }

    private synchronized void checkLease() {
        if (leaseState.equals("ready")
                && System.currentTimeMillis() - lastLeaseActivity > leaseTimeoutMillis) {
            leaseState = "error";
            leaseFault = "Timedout";
        }
    }

    private String retrieve(XmlElement req) {
        XmlElement spec = req.child("specSet").orElseThrow();
        maxObjectsSeen.add(req.child("options").flatMap(o -> o.childText("maxObjects")).orElse(""));
        int max =
                req.child("options")
                        .flatMap(o -> o.childInt("maxObjects"))
                        .orElse(Integer.MAX_VALUE);
        List<String> paths =
                spec.child("propSet").orElseThrow().all("pathSet").stream()
                        .map(XmlElement::text)
                        .toList();
        Map<String, List<String>> pathsByType = new java.util.HashMap<>();
        for (XmlElement ps : spec.all("propSet")) {
            pathsByType.put(
                    ps.childText("type").orElseThrow(),
                    ps.all("pathSet").stream().map(XmlElement::text).toList());
        }
        List<String> objects = new ArrayList<>();
        for (XmlElement os : spec.all("objectSet")) {
            ManagedObjectReference obj = os.child("obj").orElseThrow().asMoref();
            if (obj.type().equals("ContainerView") && pathsByType.containsKey("VirtualMachine")) {
                List<String> vmPaths = pathsByType.get("VirtualMachine");
                objects.add(objectXml("vm-1", "VirtualMachine", vmPaths));
                for (int i = 0; i < extraVms; i++) {
                    objects.add(objectXml("vm-" + (100 + i), "VirtualMachine", vmPaths));
                }
            } else if (obj.type().equals("ContainerView")) {
                // the inventory's containers: /Lab DC/vm (the root folder itself is not in its
                // view)
                if (pathsByType.containsKey("Datacenter")) {
                    objects.add(
                            objectXml("datacenter-1", "Datacenter", pathsByType.get("Datacenter")));
                }
                if (pathsByType.containsKey("Folder")) {
                    objects.add(objectXml("group-v1", "Folder", pathsByType.get("Folder")));
                }
            } else {
                objects.add(objectXml(obj.value(), obj.type(), paths));
            }
        }
        String token = UUID.randomUUID().toString();
        List<String> rest = new ArrayList<>();
        for (int i = 0; i < objects.size(); i += max) {
            rest.add(String.join("", objects.subList(i, Math.min(objects.size(), i + max))));
        }
        if (rest.isEmpty()) {
            return "";
        }
        pages.put(token, rest);
        return page(token);
    }

    private String page(String token) {
        List<String> rest = pages.get(token);
        if (rest == null || rest.isEmpty()) {
            throw new FaultReply("InvalidArgument", "unknown token");
        }
        String first = rest.remove(0);
        return "<returnval>"
                + (rest.isEmpty() ? "" : "<token>" + token + "</token>")
                + first
                + "</returnval>";
    }

    private String objectXml(String id, String type, List<String> paths) {
        StringBuilder sb =
                new StringBuilder("<objects><obj type=\"" + type + "\">" + id + "</obj>");
        for (String p : paths) {
            String val = value(id, p);
            if (val != null) {
                sb.append("<propSet><name>")
                        .append(p)
                        .append("</name>")
                        .append(val)
                        .append("</propSet>");
            }
        }
        return sb.append("</objects>").toString();
    }

    private String value(String id, String path) {
        if (id.equals("lease-1")) {
            checkLease();
            switch (path) {
                case "state":
                    return "<val "
                            + XSI
                            + " xsi:type=\"HttpNfcLeaseState\">"
                            + leaseState
                            + "</val>";
                case "error":
                    return leaseState.equals("error")
                            ? "<val "
                                    + XSI
                                    + " xsi:type=\"LocalizedMethodFault\"><fault xsi:type=\""
                                    + leaseFault
                                    + "\"></fault><localizedMessage>The lease failed: "
                                    + leaseFault
                                    + "</localizedMessage></val>"
                            : null;
                case "info":
                    StringBuilder urls = new StringBuilder();
                    int unit = 0;
                    for (Map.Entry<String, byte[]> f : files.entrySet()) {
                        urls.append("<deviceUrl><key>/vm-1/VirtualLsiLogicController0:")
                                .append(unit++)
                                .append("</key><importKey>x</importKey>")
                                .append("<url>")
                                .append(
                                        nfcTls == null
                                                ? "http://*:" + server.getAddress().getPort()
                                                : "https://localhost:"
                                                        + nfcTls.getAddress().getPort())
                                .append("/nfc/lease-1/")
                                .append(f.getKey())
                                .append("</url><sslThumbprint>")
                                .append(leaseThumbprint)
                                .append("</sslThumbprint><disk>true</disk><targetId>")
                                .append(f.getKey())
                                .append("</targetId><fileSize>")
                                .append(f.getValue().length)
                                .append("</fileSize></deviceUrl>");
                    }
                    return "<val "
                            + XSI
                            + " xsi:type=\"HttpNfcLeaseInfo\"><lease type=\"HttpNfcLease\">lease-1</lease>"
                            + "<entity type=\"VirtualMachine\">vm-1</entity>"
                            + urls
                            + "<totalDiskCapacityInKB>4096</totalDiskCapacityInKB>"
                            + "<leaseTimeout>"
                            + Math.max(1, leaseTimeoutMillis / 1000)
                            + "</leaseTimeout></val>";
                default:
                    return null;
            }
        }
        if (id.equals("datacenter-1")) {
            return path.equals("name")
                    ? str("Lab DC")
                    : path.equals("parent") ? ref("Folder", "group-d1") : null;
        }
        if (id.equals("group-v1")) {
            return path.equals("name")
                    ? str("vm")
                    : path.equals("parent") ? ref("Datacenter", "datacenter-1") : null;
        }
        if (id.equals("network-7")) {
            return path.equals("name") ? str("VM Network") : null;
        }
        if (id.startsWith("vm-1") && !id.equals("vm-1")) {
            switch (path) {
                case "name":
                    return str("extra-" + id);
                case "runtime.powerState":
                    return "<val "
                            + XSI
                            + " xsi:type=\"VirtualMachinePowerState\">poweredOff</val>";
                default:
                    return null;
            }
        }
        switch (path) {
            case "name":
                return str("web-01");
            case "config.hardware.numCPU":
                return "<val " + XSI + " xsi:type=\"xsd:int\">2</val>";
            case "config.hardware.memoryMB":
                return "<val " + XSI + " xsi:type=\"xsd:int\">4096</val>";
            case "config.firmware":
                return str("efi");
            case "config.guestId":
                return str("ubuntu64Guest");
            case "config.guestFullName":
                return str("Ubuntu Linux (64-bit)");
            case "runtime.powerState":
                return "<val " + XSI + " xsi:type=\"VirtualMachinePowerState\">poweredOff</val>";
            case "parent":
                return ref("Folder", "group-v1");
            case "network":
                return "<val "
                        + XSI
                        + " xsi:type=\"ArrayOfManagedObjectReference\"><ManagedObjectReference type=\"Network\">"
                        + "network-7</ManagedObjectReference></val>";
            case "config.bootOptions":
                return "<val "
                        + XSI
                        + " xsi:type=\"VirtualMachineBootOptions\"><efiSecureBootEnabled>true</efiSecureBootEnabled>"
                        + "<bootOrder xsi:type=\"VirtualMachineBootOptionsBootableDiskDevice\"><deviceKey>2001</deviceKey></bootOrder></val>";
            case "config.hardware.device":
                return "<val "
                        + XSI
                        + " xsi:type=\"ArrayOfVirtualDevice\">"
                        + "<VirtualDevice xsi:type=\"VirtualLsiLogicController\"><key>1000</key><deviceInfo><label>SCSI controller 0</label>"
                        + "</deviceInfo><busNumber>0</busNumber></VirtualDevice>"
                        + disk(2000, "Hard disk 1", 0)
                        + disk(2001, "Hard disk 2", 1)
                        + "<VirtualDevice xsi:type=\"VirtualVmxnet3\"><key>4000</key><deviceInfo><label>Network adapter 1</label></deviceInfo>"
                        + "<backing xsi:type=\"VirtualEthernetCardNetworkBackingInfo\"><deviceName>VM Network</deviceName>"
                        + "<network type=\"Network\">network-7</network></backing><addressType>assigned</addressType>"
                        + "<macAddress>00:50:56:aa:bb:cc</macAddress></VirtualDevice></val>";
            default:
                return null;
        }
    }

    private static String disk(int key, String label, int unit) {
        return "<VirtualDevice xsi:type=\"VirtualDisk\"><key>"
                + key
                + "</key><deviceInfo><label>"
                + label
                + "</label></deviceInfo><backing xsi:type=\"VirtualDiskFlatVer2BackingInfo\"><fileName>[ds1] web-01/web-01_"
                + unit
                + ".vmdk</fileName></backing><controllerKey>1000</controllerKey><unitNumber>"
                + unit
                + "</unitNumber><capacityInKB>2048</capacityInKB><capacityInBytes>2097152</capacityInBytes></VirtualDevice>";
    }

    private static String str(String s) {
        return "<val " + XSI + " xsi:type=\"xsd:string\">" + escape(s) + "</val>";
    }

    private static String ref(String type, String value) {
        return "<val "
                + XSI
                + " xsi:type=\"ManagedObjectReference\" type=\""
                + type
                + "\">"
                + value
                + "</val>";
    }

    static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }

    private void fault(HttpExchange ex, String message, String name, String detail)
            throws IOException {
        reply(
                ex,
                500,
                "<soapenv:Fault><faultcode>ServerFaultCode</faultcode><faultstring>"
                        + escape(message)
                        + "</faultstring><detail><"
                        + name
                        + "Fault xmlns=\"urn:vim25\" "
                        + XSI
                        + " xsi:type=\""
                        + name
                        + "\">"
                        + detail
                        + "</"
                        + name
                        + "Fault></detail></soapenv:Fault>");
    }

    private static void reply(HttpExchange ex, int status, String inner) throws IOException {
        byte[] b =
                ("<?xml version=\"1.0\" encoding=\"UTF-8\"?><soapenv:Envelope"
                                + " xmlns:soapenv=\"http://schemas.xmlsoap.org/soap/envelope/\" xmlns:xsd=\"http://www.w3.org/2001/XMLSchema\" "
                                + XSI
                                + "><soapenv:Body>"
                                + inner
                                + "</soapenv:Body></soapenv:Envelope>")
                        .getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", "text/xml; charset=utf-8");
        ex.sendResponseHeaders(status, b.length);
        try (OutputStream o = ex.getResponseBody()) {
            o.write(b);
        }
    }

    // ---- NFC ---------------------------------------------------------------------------------

    private void nfc(HttpExchange ex) throws IOException {
        String name = ex.getRequestURI().getPath().substring("/nfc/lease-1/".length());
        String cookie = ex.getRequestHeaders().getFirst("Cookie");
        if (cookie != null) {
            nfcCookies.add(cookie);
        }
        byte[] data = files.get(name);
        checkLease();
        if (data == null || !leaseState.equals("ready")) {
            ex.sendResponseHeaders(404, -1);
            ex.close();
            return;
        }
        long from = 0;
        String range = ex.getRequestHeaders().getFirst("Range");
        if (range != null) {
            rangeHeaders.add(range);
        }
        if (range != null && range.startsWith("bytes=") && range.endsWith("-")) {
            from = Long.parseLong(range.substring(6, range.length() - 1));
        }
        ex.getResponseHeaders().set("ETag", "\"" + name + "-" + data.length + "\"");
        ex.getResponseHeaders().set("Accept-Ranges", "bytes");
        if (from > 0) {
            ex.getResponseHeaders()
                    .set(
                            "Content-Range",
                            "bytes " + from + "-" + (data.length - 1) + "/" + data.length);
            ex.sendResponseHeaders(206, data.length - from);
        } else {
            ex.sendResponseHeaders(200, data.length);
        }
        OutputStream o = ex.getResponseBody();
        int chunk = 32 * 1024;
        long sent = 0;
        try {
            for (long off = from; off < data.length; off += chunk) {
                checkLease();
                if (!leaseState.equals("ready")) {
                    break; // the lease expired: stop serving (the client sees a short body)
                }
                if (dropOnceAfterBytes >= 0 && sent >= dropOnceAfterBytes && dropped.add(name)) {
                    break; // a network hiccup: short body, lease still fine
                }
                if (failAfterBytes >= 0 && sent >= failAfterBytes) {
                    leaseState = "error";
                    leaseFault = "HostCommunication";
                    break;
                }
                int n = (int) Math.min(chunk, data.length - off);
                o.write(data, (int) off, n);
                o.flush();
                sent += n;
                if (bytesPerSecond != Long.MAX_VALUE) {
                    try {
                        Thread.sleep(n * 1000L / bytesPerSecond);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        break;
                    }
                }
            }
        } catch (IOException clientGone) {
            // client stopped reading
        } finally {
            ex.close();
        }
    }
}
