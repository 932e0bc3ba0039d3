package io.hypersdk.provider.vsphere;

import io.hypersdk.provider.spi.PowerState;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
* A small vSphere Web Services (vim25) client: SOAP over {@code java.net.http}, XML with StAX.
*
* <pre>{@code
* try (VimClient vim = VimClient.builder()
*         .url(URI.create("https://vcenter.example.com/sdk"))
*         .username("administrator@vsphere.local").password(password)
*         .tls(VsphereTls.trustCertificates(Path.of("vcenter-ca.pem")))
*         .build()) {
*     vim.login();
*     ManagedObjectReference vm = vim.findByInventoryPath("DC0/vm/web-01").orElseThrow();
*     VirtualMachineInfo info = vim.virtualMachine(vm);
* }
* }</pre>
*
* <p>Immutable configuration, thread-safe calls. A session that expires while logged in is
* renewed once, transparently; after {@link #logout()} calls fail with
* {@link NotAuthenticatedException}. The password is never logged nor shown by {@link #toString()}.
*/
public final class VimClient implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(VimClient.class);
  static final ManagedObjectReference SERVICE_INSTANCE = new ManagedObjectReference("ServiceInstance", "ServiceInstance");
  private static final Set<String> NIC_TYPES = Set.of("VirtualE1000", "VirtualE1000e", "VirtualPCNet32",
      "VirtualVmxnet", "VirtualVmxnet2", "VirtualVmxnet3", "VirtualVmxnet3Vrdma", "VirtualSriovEthernetCard");

  /** Properties read for {@link #virtualMachine}. */
  static final List<String> VM_PATHS = List.of("name", "config.hardware.numCPU", "config.hardware.memoryMB",
      "config.firmware", "config.guestId", "config.guestFullName", "config.instanceUuid",
      "config.hardware.device", "config.bootOptions", "runtime.powerState", "parent", "network");

  private final SoapTransport transport;
  private final javax.net.ssl.SSLContext downloadSsl;
  private final Duration connectTimeout;
  private final String username;
  private final String password;
  private final int pageSize;
  private final Duration taskTimeout;
  private final ReentrantLock loginLock = new ReentrantLock();
  private volatile ServiceContent serviceContent;
  private volatile SessionState state = SessionState.NEW;

  private enum SessionState { NEW, LOGGED_IN, LOGGED_OUT }

  private VimClient(Builder b) {
    javax.net.ssl.SSLContext ssl = b.httpClient != null ? null : TlsContexts.forPolicy(b.tls);
    HttpClient http = b.httpClient != null ? b.httpClient : HttpClient.newBuilder()
        .version(HttpClient.Version.HTTP_1_1) // what vSphere's own clients speak
        .sslContext(ssl)
        .connectTimeout(b.connectTimeout)
        .followRedirects(HttpClient.Redirect.NEVER)
        .build();
    this.downloadSsl = b.httpClient != null ? b.httpClient.sslContext() : ssl;
    this.connectTimeout = b.connectTimeout;
    this.transport = new SoapTransport(http, b.url, b.apiVersion, b.callTimeout);
    this.username = b.username;
    this.password = b.password;
    this.pageSize = b.pageSize;
    this.taskTimeout = b.taskTimeout;
  }

  public static Builder builder() {
    return new Builder();
  }

  /** The {@code /sdk} endpoint (without credentials). */
  public URI endpoint() {
    return transport.endpoint();
  }

  /** {@code host:port} of the endpoint. */
  public String hostPort() {
    return transport.hostPort();
  }

  /** This client's TLS policy, for NFC downloads on the same host. */
  javax.net.ssl.SSLContext downloadSslContext() {
    return downloadSsl;
  }

  /** Time allowed to open a connection. */
  Duration connectTimeout() {
    return connectTimeout;
  }

  /** The session cookie header value, for NFC downloads that need it. */
  Optional<String> sessionCookie() {
    return transport.sessionCookie();
  }

  /** {@code RetrieveServiceContent}, cached after the first call. Needs no session. */
  public ServiceContent serviceContent() {
    ServiceContent sc = serviceContent;
    if (sc == null) {
      XmlElement resp = transport.call("RetrieveServiceContent", SERVICE_INSTANCE, List.of());
      sc = ServiceContent.parse(returnval(resp, "RetrieveServiceContent"));
      serviceContent = sc;
    }
    return sc;
  }

  /**
  * Logs in with the configured user name and password and keeps the session cookie.
  *
  * @throws InvalidLoginException when the server rejects the credentials
  */
  public UserSession login() {
    if (username == null || password == null) {
      throw new VsphereException("cannot log in to " + hostPort()
          + ": no user name or password configured; set GOVC_USERNAME and GOVC_PASSWORD or the provider config");
    }
    loginLock.lock();
    try {
      XmlElement resp = transport.call("Login", serviceContent().sessionManager(),
          List.of(XmlElement.text("userName", username), XmlElement.text("password", password)));
      XmlElement session = returnval(resp, "Login");
      if (transport.sessionCookie().isEmpty()) {
        throw new VsphereException("vSphere Login at " + hostPort() + " set no " + SoapTransport.SESSION_COOKIE
            + " cookie; is the URL a vSphere /sdk endpoint?");
      }
      state = SessionState.LOGGED_IN;
      LOG.debug("logged in to {} as {}", hostPort(), username);
      return new UserSession(session.childText("userName").orElse(username),
          session.childText("fullName").orElse(""));
    } finally {
      loginLock.unlock();
    }
  }

  /** Whether {@link #login()} succeeded and {@link #logout()} was not called since. */
  public boolean isLoggedIn() {
    return state == SessionState.LOGGED_IN;
  }

  /** Ends the session. Later calls fail with {@link NotAuthenticatedException} until the next login. */
  public void logout() {
    if (state != SessionState.LOGGED_IN) {
      return;
    }
    state = SessionState.LOGGED_OUT;
    try {
      transport.call("Logout", serviceContent().sessionManager(), List.of());
    } finally {
      transport.clearSession();
    }
  }

  /** Logs out if logged in; errors while logging out are logged, not thrown. */
  @Override
  public void close() {
    try {
      logout();
    } catch (RuntimeException e) {
      LOG.debug("logout from {} failed: {}", hostPort(), e.getMessage());
    }
  }

  /**
  * Calls a vim25 method. A {@link NotAuthenticatedException} while logged in (an expired
  * session) triggers one new login and one retry.
  */
  XmlElement invoke(String method, ManagedObjectReference target, XmlElement... params) {
    List<XmlElement> list = Arrays.asList(params);
    try {
      return transport.call(method, target, list);
    } catch (NotAuthenticatedException e) {
      if (state != SessionState.LOGGED_IN) {
        throw e;
      }
      LOG.info("vSphere session at {} expired during {}; logging in again", hostPort(), method);
      login();
      return transport.call(method, target, list);
    }
  }

  static XmlElement returnval(XmlElement response, String method) {
    return response.child("returnval").orElseThrow(() ->
        new VsphereException("malformed vSphere response to " + method + ": no <returnval>"));
  }

  // ---- PropertyCollector ------------------------------------------------------------------

  /**
  * {@code RetrievePropertiesEx} plus {@code ContinueRetrievePropertiesEx} until the server
  * sends no more tokens; returns every object of every page.
  */
  List<ObjectContent> retrieveProperties(XmlElement specSet) {
    ManagedObjectReference pc = serviceContent().propertyCollector();
    XmlElement options = XmlElement.builder("options").add("maxObjects", Integer.toString(pageSize)).build();
    XmlElement resp = invoke("RetrievePropertiesEx", pc, specSet, options);
    List<ObjectContent> out = new ArrayList<>();
    Optional<XmlElement> result = resp.child("returnval");
    int pages = 1;
    while (result.isPresent()) {
      for (XmlElement o : result.get().all("objects")) {
        out.add(ObjectContent.parse(o));
      }
      Optional<String> token = result.get().childText("token").map(String::trim).filter(t -> !t.isEmpty());
      if (token.isEmpty()) {
        break;
      }
      if (++pages > 100_000) {
        throw new VsphereException("vSphere property paging at " + hostPort() + " did not end after 100000 pages");
      }
      resp = invoke("ContinueRetrievePropertiesEx", pc, XmlElement.text("token", token.get()));
      result = resp.child("returnval");
    }
    return out;
  }

  /** The given properties of one object; absent properties are missing from the map. */
  Map<String, XmlElement> properties(ManagedObjectReference obj, List<String> paths) {
    XmlElement spec = XmlElement.builder("specSet")
        .add("propSet", ps -> {
          ps.add("type", obj.type());
          paths.forEach(p -> ps.add("pathSet", p));
        })
        .add("objectSet", os -> os.add("obj", obj))
        .build();
    for (ObjectContent oc : retrieveProperties(spec)) {
      if (oc.obj().equals(obj)) {
        return oc.properties();
      }
    }
    return Map.of();
  }

  /** Objects of {@code type} below the root folder, with the given properties, via a ContainerView. */
  List<ObjectContent> retrieveFromContainer(String type, List<String> paths) {
    return retrieveFromContainer(Map.of(type, paths));
  }

  /**
   * Objects of every type in {@code pathsByType} below the root folder, each with the properties
   * listed for its type, through one ContainerView and one (paged) retrieval.
   */
  List<ObjectContent> retrieveFromContainer(Map<String, List<String>> pathsByType) {
    ServiceContent sc = serviceContent();
    ManagedObjectReference viewManager = sc.viewManager().orElseThrow(() ->
        new VsphereException("vSphere at " + hostPort() + " has no ViewManager; cannot list " + pathsByType.keySet()));
    List<String> types = new ArrayList<>(new java.util.TreeSet<>(pathsByType.keySet()));
    XmlElement[] params = new XmlElement[types.size() + 2];
    params[0] = XmlElement.moref("container", sc.rootFolder());
    for (int i = 0; i < types.size(); i++) {
      params[i + 1] = XmlElement.text("type", types.get(i));
    }
    params[params.length - 1] = XmlElement.text("recursive", "true");
    XmlElement created = invoke("CreateContainerView", viewManager, params);
    ManagedObjectReference view = returnval(created, "CreateContainerView").asMoref();
    try {
      XmlElement.Builder specBuilder = XmlElement.builder("specSet");
      for (String type : types) {
        specBuilder.add("propSet", ps -> {
          ps.add("type", type);
          pathsByType.get(type).forEach(p -> ps.add("pathSet", p));
        });
      }
      XmlElement spec = specBuilder
          .add("objectSet", os -> os.add("obj", view).add("skip", "true")
              .addTyped("selectSet", "TraversalSpec", ts -> ts.add("name", "traverseView")
                  .add("type", "ContainerView").add("path", "view").add("skip", "false")))
          .build();
      return retrieveProperties(spec);
    } finally {
      try {
        invoke("DestroyView", view);
      } catch (RuntimeException e) {
        LOG.debug("DestroyView {} failed: {}", view, e.getMessage());
      }
    }
  }

  // ---- inventory --------------------------------------------------------------------------

  /**
   * Every VM (and template) of the inventory, in the server's order, each with its inventory path
   * ({@code /DC0/vm/folder/web-01}). Two retrievals in all, whatever the inventory's size: the VMs,
   * then every folder, datacenter and vApp with its name and parent.
   */
  public List<VmListing> listVirtualMachines() {
    List<ObjectContent> vms = retrieveFromContainer("VirtualMachine",
        List.of("name", "parent", "parentVApp", "runtime.powerState", "config.guestId", "config.template",
            "config.hardware.numCPU", "config.hardware.memoryMB"));
    Map<ManagedObjectReference, ObjectContent> containers = new java.util.HashMap<>();
    if (!vms.isEmpty()) {
      for (ObjectContent oc : retrieveFromContainer(Map.of(
          "Folder", List.of("name", "parent"),
          "Datacenter", List.of("name", "parent"),
          "VirtualApp", List.of("name", "parentFolder", "parentVApp")))) {
        containers.put(oc.obj(), oc);
      }
    }
    ManagedObjectReference root = serviceContent().rootFolder();
    List<VmListing> out = new ArrayList<>();
    for (ObjectContent oc : vms) {
      String name = oc.text("name").orElse(oc.obj().value());
      out.add(new VmListing(oc.obj(), name, inventoryPath(name, oc, containers, root),
          oc.text("runtime.powerState").flatMap(PowerStates::parse), oc.text("config.guestId"),
          oc.text("config.template").map(s -> Boolean.parseBoolean(s.trim())).orElse(false),
          oc.text("config.hardware.numCPU").map(s -> Integer.parseInt(s.trim())).orElse(0),
          oc.text("config.hardware.memoryMB").map(s -> Long.parseLong(s.trim())).orElse(0L)));
    }
    return out;
  }

  /** The path of a VM named {@code name} from its parents; empty when the chain does not reach the root. */
  private static Optional<String> inventoryPath(String name, ObjectContent vm,
                          Map<ManagedObjectReference, ObjectContent> containers, ManagedObjectReference root) {
    List<String> names = new ArrayList<>(List.of(name));
    Optional<ManagedObjectReference> parent = parentOf(vm);
    for (int depth = 0; depth < 256 && parent.isPresent(); depth++) {
      if (parent.get().equals(root)) {
        java.util.Collections.reverse(names);
        return Optional.of("/" + String.join("/", names));
      }
      ObjectContent c = containers.get(parent.get());
      if (c == null || c.text("name").isEmpty()) {
        return Optional.empty();
      }
      names.add(c.text("name").get());
      parent = parentOf(c);
    }
    return Optional.empty();
  }

  /** The inventory parent: a folder ({@code parent}, or a vApp's {@code parentFolder}), else the vApp. */
  private static Optional<ManagedObjectReference> parentOf(ObjectContent o) {
    for (String p : List.of("parentFolder", "parent", "parentVApp")) {
      Optional<XmlElement> v = o.get(p);
      if (v.isPresent() && !(o.obj().type().equals("VirtualApp") && p.equals("parent"))) {
        return Optional.of(v.get().asMoref());
      }
    }
    return Optional.empty();
  }

  /**
  * {@code SearchIndex.FindByInventoryPath}, e.g. {@code DC0/vm/DC0_H0_VM0} (a leading slash
  * is allowed). Empty when nothing has that path.
  */
  public Optional<ManagedObjectReference> findByInventoryPath(String inventoryPath) {
    Objects.requireNonNull(inventoryPath, "inventoryPath");
    String path = inventoryPath.startsWith("/") ? inventoryPath.substring(1) : inventoryPath;
    ManagedObjectReference searchIndex = serviceContent().searchIndex().orElseThrow(() ->
        new VsphereException("vSphere at " + hostPort() + " has no SearchIndex; cannot find " + inventoryPath));
    XmlElement resp = invoke("FindByInventoryPath", searchIndex, XmlElement.text("inventoryPath", path));
    return resp.child("returnval").filter(r -> !r.text().isBlank()).map(XmlElement::asMoref);
  }

  /** Reads a VM's configuration, devices and power state. */
  public VirtualMachineInfo virtualMachine(ManagedObjectReference vm) {
    Map<String, XmlElement> p = properties(vm, VM_PATHS);
    if (p.isEmpty()) {
      throw new VsphereException("vSphere returned no properties for " + vm + "; the VM may have been deleted");
    }
    Map<String, String> networkNames = networkNames(p.get("network"));
    Map<Integer, XmlElement> byKey = new HashMap<>();
    List<XmlElement> devices = p.containsKey("config.hardware.device")
        ? p.get("config.hardware.device").children() : List.of();
    for (XmlElement d : devices) {
      d.childInt("key").ifPresent(k -> byKey.put(k, d));
    }
    List<VirtualDiskInfo> disks = new ArrayList<>();
    List<VirtualNicInfo> nics = new ArrayList<>();
    List<Integer> cdroms = new ArrayList<>();
    for (XmlElement d : devices) {
      String type = d.xsiType().orElse(d.name());
      int key = d.childInt("key").orElse(0);
      String label = d.child("deviceInfo").flatMap(i -> i.childText("label")).orElse(type + "-" + key);
      if (type.equals("VirtualDisk")) {
        long capacity = d.childLong("capacityInBytes")
            .orElseGet(() -> d.childLong("capacityInKB").orElse(0L) * 1024L);
        XmlElement ctrl = d.childInt("controllerKey").map(byKey::get).orElse(null);
        disks.add(new VirtualDiskInfo(key, label, capacity,
            d.child("backing").flatMap(b -> b.childText("fileName")),
            ctrl == null ? "unknown" : ctrl.xsiType().orElse(ctrl.name()),
            ctrl == null ? 0 : ctrl.childInt("busNumber").orElse(0),
            d.childInt("unitNumber").orElse(0)));
      } else if (type.equals("VirtualCdrom")) {
        cdroms.add(key);
      } else if (NIC_TYPES.contains(type) || d.child("addressType").isPresent()) {
        nics.add(new VirtualNicInfo(key, label, type, d.childText("macAddress").filter(s -> !s.isBlank()),
            d.child("backing").flatMap(b -> nicNetwork(b, networkNames))));
      }
    }
    Optional<XmlElement> boot = Optional.ofNullable(p.get("config.bootOptions"));
    Optional<Integer> bootDisk = boot.flatMap(b -> b.all("bootOrder").stream()
        .filter(o -> o.xsiType().orElse("").equals("VirtualMachineBootOptionsBootableDiskDevice"))
        .findFirst()).flatMap(o -> o.childInt("deviceKey"));
    return new VirtualMachineInfo(vm, text(p, "name").orElse(vm.value()),
        text(p, "config.hardware.numCPU").map(s -> Integer.parseInt(s.trim())).orElse(0),
        text(p, "config.hardware.memoryMB").map(s -> Long.parseLong(s.trim())).orElse(0L),
        text(p, "config.firmware").map(String::trim).filter(s -> !s.isEmpty()),
        boot.map(b -> b.childBoolean("efiSecureBootEnabled")).orElse(false),
        text(p, "config.guestId").filter(s -> !s.isBlank()),
        text(p, "config.guestFullName").filter(s -> !s.isBlank()),
        text(p, "config.instanceUuid").filter(s -> !s.isBlank()),
        text(p, "runtime.powerState").flatMap(PowerStates::parse),
        disks, nics, cdroms, bootDisk,
        Optional.ofNullable(p.get("parent")).map(XmlElement::asMoref));
  }

  private static Optional<String> text(Map<String, XmlElement> p, String path) {
    return Optional.ofNullable(p.get(path)).map(XmlElement::text);
  }

  private static Optional<String> nicNetwork(XmlElement backing, Map<String, String> networkNames) {
    Optional<String> portgroup = backing.child("port").flatMap(port -> port.childText("portgroupKey"));
    if (portgroup.isPresent()) {
      return Optional.of(networkNames.getOrDefault("dvpg-key:" + portgroup.get(), portgroup.get()));
    }
    Optional<String> byRef = backing.childMoref("network").map(r -> networkNames.get(r.value()));
    if (byRef.isPresent()) {
      return byRef;
    }
    Optional<String> deviceName = backing.childText("deviceName").filter(s -> !s.isBlank());
    return deviceName.isPresent() ? deviceName : backing.childText("opaqueNetworkId");
  }

  /** Names of the VM's networks, by moref value, plus "dvpg-key:KEY" for distributed port groups. */
  private Map<String, String> networkNames(XmlElement networks) {
    Map<String, String> names = new LinkedHashMap<>();
    if (networks == null || networks.children().isEmpty()) {
      return names;
    }
    List<ManagedObjectReference> refs = networks.children().stream().map(XmlElement::asMoref).toList();
    XmlElement spec = objectSet(XmlElement.builder("specSet")
        .add("propSet", ps -> ps.add("type", "Network").add("pathSet", "name")), refs);
    for (ObjectContent oc : retrieveProperties(spec)) {
      oc.text("name").ifPresent(n -> names.put(oc.obj().value(), n));
    }
    List<ManagedObjectReference> dvpgs = refs.stream()
        .filter(r -> r.type().equals("DistributedVirtualPortgroup")).toList();
    if (!dvpgs.isEmpty()) {
      XmlElement dvSpec = objectSet(XmlElement.builder("specSet")
          .add("propSet", ps -> ps.add("type", "DistributedVirtualPortgroup").add("pathSet", "key")), dvpgs);
      for (ObjectContent oc : retrieveProperties(dvSpec)) {
        String name = names.get(oc.obj().value());
        oc.text("key").ifPresent(k -> {
          if (name != null) {
            names.put("dvpg-key:" + k.trim(), name);
          }
        });
      }
    }
    return names;
  }

  private static XmlElement objectSet(XmlElement.Builder b, List<ManagedObjectReference> refs) {
    for (ManagedObjectReference r : refs) {
      b.add("objectSet", os -> os.add("obj", r));
    }
    return b.build();
  }

  /**
  * The name of the datacenter that holds {@code entity} (walking up its parents); empty
  * when it is not below a datacenter (an ESX host has one named {@code ha-datacenter}).
  */
  public Optional<String> datacenterName(ManagedObjectReference entity) {
    ManagedObjectReference current = entity;
    for (int depth = 0; depth < 64; depth++) {
      Map<String, XmlElement> p = properties(current, List.of("name", "parent"));
      if (current.type().equals("Datacenter")) {
        return text(p, "name");
      }
      Optional<ManagedObjectReference> parent = Optional.ofNullable(p.get("parent")).map(XmlElement::asMoref);
      if (parent.isEmpty()) {
        return Optional.empty();
      }
      current = parent.get();
    }
    return Optional.empty();
  }

  // ---- tasks, power ---------------------------------------------------------------------

  /** Waits until a task succeeds; a task error becomes a {@link VimFaultException}. */
  void waitForTask(ManagedObjectReference task, String method) {
    long deadline = System.nanoTime() + taskTimeout.toNanos();
    long sleep = 50;
    while (true) {
      Map<String, XmlElement> p = properties(task, List.of("info.state", "info.error"));
      String st = text(p, "info.state").map(String::trim).orElse("");
      if (st.equals("success")) {
        return;
      }
      if (st.equals("error")) {
        XmlElement err = p.get("info.error");
        String name = err == null ? "TaskError" : err.child("fault").flatMap(XmlElement::xsiType).orElse("TaskError");
        String msg = err == null ? "" : err.childText("localizedMessage").orElse("");
        throw VimFaultException.of(method, name, msg, err == null ? Optional.empty() : err.child("fault"));
      }
      if (System.nanoTime() > deadline) {
        throw new VsphereException("vSphere task " + task.value() + " (" + method + ") did not finish within "
            + taskTimeout.toSeconds() + " s");
      }
      sleepQuietly(sleep);
      sleep = Math.min(sleep * 2, 1000);
    }
  }

  /**
   * Shuts the guest down ({@code ShutdownGuest}, needs VMware Tools) and waits up to
   * {@code timeout} for the VM to be powered off; when the guest cannot be asked (no tools) or
   * does not stop in time, powers it off ({@code PowerOffVM_Task}). Returns how it went off.
   */
  String shutdownOrPowerOff(ManagedObjectReference vm, Duration timeout) {
    try {
      invoke("ShutdownGuest", vm);
      long deadline = System.nanoTime() + timeout.toNanos();
      while (System.nanoTime() < deadline) {
        Optional<PowerState> st = Optional.ofNullable(properties(vm, List.of("runtime.powerState"))
            .get("runtime.powerState")).flatMap(e -> PowerStates.parse(e.text()));
        if (st.equals(Optional.of(PowerState.OFF))) {
          return "guest shutdown";
        }
        sleepQuietly(1000);
      }
      LOG.info("guest of {} did not shut down within {} s; powering it off", vm, timeout.toSeconds());
    } catch (VimFaultException e) {
      LOG.info("guest shutdown of {} not possible ({}); powering it off", vm, e.faultName());
    }
    powerOff(vm);
    return "power off";
  }

  /** {@code PowerOffVM_Task} and wait. */
  void powerOff(ManagedObjectReference vm) {
    waitForTask(returnval(invoke("PowerOffVM_Task", vm), "PowerOffVM_Task").asMoref(), "PowerOffVM_Task");
  }

  static void sleepQuietly(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new VsphereException("interrupted while waiting for vSphere", e);
    }
  }

  @Override
  public String toString() {
    return "VimClient[" + transport.endpoint() + (username == null ? "" : ", user=" + username)
        + ", " + state.name().toLowerCase(java.util.Locale.ROOT) + "]";
  }

  /** Builder: endpoint, credentials, TLS policy, timeouts. */
  public static final class Builder {
    private URI url;
    private String username;
    private String password;
    private VsphereTls tls = VsphereTls.verify();
    private Duration connectTimeout = Duration.ofSeconds(20);
    private Duration callTimeout = Duration.ofMinutes(2);
    private Duration taskTimeout = Duration.ofMinutes(10);
    private String apiVersion = "6.5";
    private int pageSize = 100;
    private HttpClient httpClient;

    private Builder() {
    }

    /**
    * The server: {@code https://host[:port]/sdk}, or just a host name (then {@code /sdk}
    * is added). Credentials in the URL are refused: pass them to {@link #username} and
    * {@link #password}.
    */
    public Builder url(URI url) {
      this.url = normalise(url);
      return this;
    }

    public Builder url(String url) {
      Objects.requireNonNull(url, "url");
      String u = url.contains("://") ? url : "https://" + url;
      try {
        return url(new URI(u));
      } catch (URISyntaxException e) {
        throw new IllegalArgumentException("vSphere URL is not a valid URL (" + e.getReason()
            + "); use https://HOST/sdk", e);
      }
    }

    static URI normalise(URI url) {
      Objects.requireNonNull(url, "url");
      if (url.getRawUserInfo() != null) {
        throw new IllegalArgumentException("vSphere URL must not carry credentials; pass the user name and"
            + " password separately");
      }
      String scheme = url.getScheme() == null ? "https" : url.getScheme().toLowerCase(java.util.Locale.ROOT);
      if (!scheme.equals("https") && !scheme.equals("http")) {
        throw new IllegalArgumentException("vSphere URL scheme must be https (got " + scheme + "); use https://HOST/sdk");
      }
      if (url.getHost() == null || url.getHost().isEmpty()) {
        throw new IllegalArgumentException("vSphere URL has no host; use https://HOST/sdk");
      }
      String path = url.getPath() == null || url.getPath().isEmpty() || url.getPath().equals("/")
          ? "/sdk" : url.getPath();
      try {
        return new URI(scheme, null, url.getHost(), url.getPort(), path, null, null);
      } catch (URISyntaxException e) {
        throw new IllegalArgumentException("vSphere URL is not valid: " + e.getMessage(), e);
      }
    }

    public Builder username(String username) {
      this.username = Objects.requireNonNull(username, "username");
      return this;
    }

    /** The password; kept in memory for (re-)login only, never logged or printed. */
    public Builder password(String password) {
      this.password = Objects.requireNonNull(password, "password");
      return this;
    }

    /** TLS policy; default {@link VsphereTls#verify()}. */
    public Builder tls(VsphereTls tls) {
      this.tls = Objects.requireNonNull(tls, "tls");
      return this;
    }

    public Builder connectTimeout(Duration d) {
      this.connectTimeout = positive(d, "connectTimeout");
      return this;
    }

    /** Timeout of one SOAP call (default 2 min). */
    public Builder callTimeout(Duration d) {
      this.callTimeout = positive(d, "callTimeout");
      return this;
    }

    /** How long to wait for a vSphere task (default 10 min). */
    public Builder taskTimeout(Duration d) {
      this.taskTimeout = positive(d, "taskTimeout");
      return this;
    }

    /** The vim25 version sent as SOAPAction {@code urn:vim25/VERSION} (default 6.5). */
    public Builder apiVersion(String version) {
      if (version == null || !version.matches("[0-9]+(\\.[0-9]+){1,3}")) {
        throw new IllegalArgumentException("apiVersion \"" + version + "\" is not a version like 6.5 or 7.0.3");
      }
      this.apiVersion = version;
      return this;
    }

    /** Objects per RetrievePropertiesEx page (maxObjects), 1-10000, default 100. */
    public Builder pageSize(int pageSize) {
      if (pageSize < 1 || pageSize > 10_000) {
        throw new IllegalArgumentException("pageSize must be 1-10000 (got " + pageSize + ")");
      }
      this.pageSize = pageSize;
      return this;
    }

    /** Use this HTTP client instead of building one (its TLS settings then apply). */
    Builder httpClient(HttpClient client) {
      this.httpClient = client;
      return this;
    }

    private static Duration positive(Duration d, String name) {
      if (d == null || d.isNegative() || d.isZero()) {
        throw new IllegalArgumentException(name + " must be a positive duration (got " + d + ")");
      }
      return d;
    }

    public VimClient build() {
      if (url == null) {
        throw new IllegalArgumentException("vSphere URL is not set; pass https://HOST/sdk (or set GOVC_URL)");
      }
      return new VimClient(this);
    }

    @Override
    public String toString() {
      return "VimClient.Builder[" + url + ", user=" + username + ", password=" + (password == null ? "unset" : "****")
          + ", tls=" + tls + "]";
    }
  }
}
