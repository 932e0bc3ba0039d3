package io.hypersdk.provider.hyperv;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.sshd.common.file.virtualfs.VirtualFileSystemFactory;
import org.apache.sshd.common.keyprovider.KeyPairProvider;
import org.apache.sshd.server.Environment;
import org.apache.sshd.server.ExitCallback;
import org.apache.sshd.server.SshServer;
import org.apache.sshd.server.channel.ChannelSession;
import org.apache.sshd.server.command.Command;
import org.apache.sshd.sftp.server.SftpSubsystemFactory;

/**
 * A Hyper-V host for tests, on 127.0.0.1 only: a real SSH server (Apache MINA SSHD) with password
 * authentication and the SFTP subsystem, whose exec handler plays Windows PowerShell 5.1 for the
 * provider's fixed scripts.
 *
 * <p>Its answers follow the shapes {@code ConvertTo-Json} gives the Hyper-V cmdlets' objects in
 * Windows PowerShell 5.1: enums as numbers (VMState Running 2 / Off 3, ControllerType IDE 0 / SCSI
 * 1, VhdFormat VHD 2 / VHDX 3, VhdType Fixed 2 / Dynamic 3 / Differencing 4, OnOffState On 0 / Off
 * 1), DateTime as {@code "\/Date(ms)\/"}, MacAddress as 12 hex digits without separators,
 * one-element collections kept as arrays by {@code @()} / {@code -InputObject}. Property names are
 * those documented for Get-VM (VirtualMachine), Get-VMHardDiskDrive (HardDiskDrive), Get-VHD
 * (VirtualHardDisk), Get-VMNetworkAdapter (VMNetworkAdapter), Get-VMFirmware (VMFirmware) and
 * Get-ChildItem (FileInfo) on learn.microsoft.com.
 *
 * <p>The file system root stands for the host's drives: {@code C:\a\b} is {@code <root>/C:/a/b},
 * which is also the SFTP path {@code /C:/a/b} that Windows OpenSSH shows. Every command line,
 * decoded script and standard input is recorded.
 *
 * <p>One file of about 600 lines on purpose: the server, its state (VMs, disk chains, checkpoints)
 * and the PowerShell answers are one test double whose parts make sense only together.
 */
final class FakeHypervHost implements AutoCloseable {
    static final String USER = "hvadmin";
    private static final ObjectMapper JSON = new ObjectMapper();

    /** A VM the host knows; disks are Windows paths of files under the root. */
    static final class Vm {
        final String name;
        final String id = UUID.randomUUID().toString();
        volatile int state;
        final int generation;
        final List<String> disks = new ArrayList<>();

        Vm(String name, int state, int generation) {
            this.name = name;
            this.state = state;
            this.generation = generation;
        }
    }

    /** What one command carried. */
    record Invocation(String commandLine, String script, String stdin) {}

    /**
     * A virtual disk file on the host: its parent (differencing disks only), its VhdType, and the
     * image qemu reads for its merged contents. A base disk is its own real VHDX; a differencing
     * disk is a qcow2 overlay (backing: its parent's image) standing behind a placeholder .avhdx on
     * the host, because qemu cannot write a differencing VHDX.
     */
    record Vhd(Optional<String> parent, int vhdType, Path contents) {}

    /** A Convert-VHD the host ran. */
    record Merge(String source, String destination) {}

    private final SshServer server;
    private final Path root;
    private final String user;
    private final String password;
    private final Map<String, Vm> vms = Collections.synchronizedMap(new LinkedHashMap<>());
    private final Set<String> checkpoints = Collections.synchronizedSet(new LinkedHashSet<>());
    private final List<String> removedCheckpoints = new CopyOnWriteArrayList<>();
    private final List<Invocation> invocations = new CopyOnWriteArrayList<>();
    private final Map<String, Vhd> vhds = new java.util.concurrent.ConcurrentHashMap<>();
    private final Map<String, List<String>> checkpointDrives =
            new java.util.concurrent.ConcurrentHashMap<>();
    private final List<Merge> merges = new CopyOnWriteArrayList<>();
    private final Map<Path, Long> virtualSizes = new java.util.concurrent.ConcurrentHashMap<>();
    private volatile boolean failExport;
    private final List<java.security.PublicKey> authorizedKeys = new CopyOnWriteArrayList<>();

    FakeHypervHost(Path root, String password) throws IOException {
        this(root, USER, password, newKey());
    }

    FakeHypervHost(Path root, String password, KeyPair hostKey) throws IOException {
        this(root, USER, password, hostKey);
    }

    FakeHypervHost(Path root, String user, String password, KeyPair hostKey) throws IOException {
        this.root = root;
        this.user = user;
        this.password = password;
        server = SshServer.setUpDefaultServer();
        server.setHost("127.0.0.1");
        server.setPort(0);
        server.setKeyPairProvider(KeyPairProvider.wrap(hostKey));
        server.setPasswordAuthenticator(
                (u, pw, session) -> this.user.equals(u) && this.password.equals(pw));
        server.setPublickeyAuthenticator(
                (u, key, session) ->
                        this.user.equals(u)
                                && authorizedKeys.stream()
                                        .anyMatch(
                                                k ->
                                                        org.apache.sshd.common.config.keys.KeyUtils
                                                                .compareKeys(k, key)));
        server.setSubsystemFactories(List.of(new SftpSubsystemFactory()));
        server.setFileSystemFactory(new VirtualFileSystemFactory(root));
        server.setCommandFactory((channel, command) -> new PowerShell(command));
        server.start();
    }

    static KeyPair newKey() {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
            g.initialize(256);
            return g.generateKeyPair();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    int port() {
        return server.getPort();
    }

    /** Settings that reach this host as {@link #USER} with its pinned host key. */
    io.hypersdk.provider.spi.ProviderConfig.Builder config() throws Exception {
        return io.hypersdk.provider.spi.ProviderConfig.builder(Map.of())
                .set("host", "127.0.0.1")
                .set("port", Integer.toString(port()))
                .set("user", user)
                .set("host-key", fingerprint());
    }

    /** The SHA256 fingerprint of the host key, as {@code ssh-keygen -l} prints it. */
    String fingerprint() throws Exception {
        return HostKeyCheck.fingerprint(
                server.getKeyPairProvider().loadKeys(null).iterator().next().getPublic());
    }

    /** The local file behind a Windows path. */
    Path local(String windowsPath) {
        return root.resolve(windowsPath.replace('\\', '/'));
    }

    /** Adds a VM whose disks are copies of {@code images}, placed under {@code C:\VMs\<dir>\}. */
    Vm addVm(String name, int state, int generation, List<Path> images) throws IOException {
        Vm vm = new Vm(name, state, generation);
        for (Path image : images) {
            vm.disks.add(place(vm, image));
        }
        vms.put(vm.id, vm);
        return vm;
    }

    /**
     * Adds to {@code vm} a disk that is a differencing chain: {@code base} a real VHDX, each of
     * {@code overlays} a qcow2 overlay on the one before (as {@code qemu-img rebase} makes them),
     * standing for {@code <name>.avhdx} files whose ParentPath is the link before. The drive is the
     * last overlay's file.
     */
    String addChain(Vm vm, Path base, List<Path> overlays) throws IOException {
        String parent = place(vm, base);
        for (Path overlay : overlays) {
            String name = overlay.getFileName().toString().replaceFirst("\\.[^.]*$", "") + ".avhdx";
            String path = "C:\\VMs\\" + vm.id + "\\" + name;
            Files.writeString(
                    local(path),
                    "a differencing VHDX stands here; qemu-img cannot create one, so its contents live in "
                            + overlay.getFileName());
            vhds.put(path, new Vhd(Optional.of(parent), 4, overlay));
            parent = path;
        }
        vm.disks.add(parent);
        return parent;
    }

    private String place(Vm vm, Path image) throws IOException {
        String path = "C:\\VMs\\" + vm.id + "\\" + image.getFileName();
        Files.createDirectories(local(path).getParent());
        Files.copy(image, local(path), StandardCopyOption.REPLACE_EXISTING);
        vhds.put(path, new Vhd(Optional.empty(), 3, local(path)));
        return path;
    }

    /** Every Convert-VHD run, in order. */
    List<Merge> merges() {
        return List.copyOf(merges);
    }

    /** Lets the user log in with this key (an authorized_keys entry). */
    void authorize(java.security.PublicKey key) {
        authorizedKeys.add(key);
    }

    /** Forgets every authorized key. */
    void deauthorizeAll() {
        authorizedKeys.clear();
    }

    void failExport(boolean fail) {
        this.failExport = fail;
    }

    List<Invocation> invocations() {
        return List.copyOf(invocations);
    }

    Set<String> checkpoints() {
        return Set.copyOf(checkpoints);
    }

    List<String> removedCheckpoints() {
        return List.copyOf(removedCheckpoints);
    }

    @Override
    public void close() throws IOException {
        server.stop(true);
    }

    private Vm find(String key) {
        synchronized (vms) {
            for (Vm vm : vms.values()) {
                if (vm.name.equals(key) || vm.id.equals(key)) {
                    return vm;
                }
            }
        }
        return null;
    }

    /** 5.1's DateTime form. */
    private static String date(long ms) {
        return "\\/Date(" + ms + ")\\/";
    }

    /** Answers one script: exit code, stdout, stderr. */
    private record Answer(int code, String out, String err) {
        static Answer json(Object node) throws IOException {
            return new Answer(
                    0,
                    JSON.writeValueAsString(node)
                            .replace("\"/Date(", "\"\\/Date(")
                            .replace(")/\"", ")\\/\""),
                    "");
        }

        static Answer error(int code, String message) {
            return new Answer(code, "", message + "\r\n");
        }
    }

    private Answer answer(String script, String stdin) throws IOException {
        JsonNodeFactory f = JsonNodeFactory.instance;
        ObjectNode p = (ObjectNode) JSON.readTree(stdin);
        if (script.equals(Scripts.LIST)) {
            ArrayNode a = f.arrayNode();
            synchronized (vms) {
                for (Vm vm : vms.values()) {
                    a.addObject()
                            .put("Name", vm.name)
                            .put("Id", vm.id)
                            .put("State", vm.state)
                            .put("Generation", vm.generation)
                            .put("ProcessorCount", 2)
                            .put("MemoryStartup", 2147483648L);
                }
            }
            return Answer.json(a);
        }
        if (script.equals(Scripts.REMOVE_STAGING)) {
            Path dir = local(p.path("path").asText());
            if (Files.exists(dir)) {
                try (var s = Files.walk(dir)) {
                    for (Path x : s.sorted(java.util.Comparator.reverseOrder()).toList()) {
                        Files.delete(x);
                    }
                }
            }
            return Answer.json(true);
        }
        if (script.equals(Scripts.MERGE_DISK)) {
            return convertVhd(p.path("source").asText(), p.path("destination").asText());
        }
        Vm vm = find(p.path("vm").asText());
        if (vm == null) {
            return Answer.error(3, "no VM has that name or id");
        }
        if (script.equals(Scripts.DESCRIBE)) {
            ObjectNode o = f.objectNode();
            o.putObject("VM")
                    .put("Name", vm.name)
                    .put("Id", vm.id)
                    .put("State", vm.state)
                    .put("Generation", vm.generation)
                    .put("ProcessorCount", 2)
                    .put("MemoryStartup", 2147483648L)
                    .put("DynamicMemoryEnabled", true)
                    .put("MemoryMinimum", 536870912L)
                    .put("MemoryMaximum", 4294967296L)
                    .put("CreationTime", "/Date(1700000000000)/");
            ArrayNode drives = o.putArray("HardDrives");
            ArrayNode vhdList = o.putArray("Vhds");
            for (int i = 0; i < vm.disks.size(); i++) {
                String path = vm.disks.get(i);
                int type = vm.generation == 2 ? 1 : 0;
                drives.addObject()
                        .put("ControllerType", type)
                        .put("ControllerNumber", 0)
                        .put("ControllerLocation", i)
                        .put("Path", path)
                        .put(
                                "Name",
                                "Hard Drive on "
                                        + (type == 1 ? "SCSI" : "IDE")
                                        + " controller number 0 at location "
                                        + i);
                getVhd(vhdList.addObject(), path);
            }
            o.putArray("NetworkAdapters")
                    .addObject()
                    .put("Name", "Network Adapter")
                    .put("MacAddress", "00155D0A0B0C")
                    .put("SwitchName", "Default Switch");
            if (vm.generation == 2) {
                ObjectNode fw =
                        o.putObject("Firmware")
                                .put("SecureBoot", 0)
                                .put("SecureBootTemplate", "MicrosoftWindows");
                ArrayNode boot = fw.putArray("BootOrder");
                boot.addObject()
                        .put("BootType", 1)
                        .putNull("Path"); // a network boot entry has no path
                // the firmware boots the last disk first: the boot disk is not the first drive
                for (int i = vm.disks.size() - 1; i >= 0; i--) {
                    boot.addObject().put("BootType", 1).put("Path", vm.disks.get(i));
                }
            } else {
                o.putNull("Firmware");
            }
            return Answer.json(o);
        }
        if (script.equals(Scripts.CHECKPOINT)) {
            String id = UUID.randomUUID().toString();
            checkpoints.add(id);
            checkpointDrives.put(id, List.copyOf(vm.disks));
            return Answer.json(
                    f.objectNode()
                            .put("Name", p.path("name").asText())
                            .put("Id", id)
                            .put("CreationTime", "/Date(1700000000000)/"));
        }
        if (script.equals(Scripts.REMOVE_CHECKPOINT)) {
            String id = p.path("checkpoint").asText();
            if (checkpoints.remove(id)) {
                removedCheckpoints.add(id);
            }
            return Answer.json(true);
        }
        if (script.equals(Scripts.EXPORT)) {
            String cp = p.path("checkpoint").asText("");
            if (cp.isEmpty() && vm.state != 3) {
                return Answer.error(5, "the VM is not off");
            }
            if (!cp.isEmpty() && !checkpoints.contains(cp)) {
                return Answer.error(1, "Export-VMSnapshot : no such checkpoint");
            }
            Path dest = local(p.path("path").asText());
            Files.createDirectories(dest);
            if (failExport) {
                Files.writeString(dest.resolve("partial.tmp"), "half an export");
                return Answer.error(
                        1,
                        "Export-VM : Failed to copy file during export: There is not enough space on the disk. (0x80070070).");
            }
            String vmDir = p.path("path").asText() + "\\" + vm.name + "\\Virtual Hard Disks";
            ArrayNode files = f.arrayNode();
            for (String disk : vm.disks) {
                String name = disk.substring(disk.lastIndexOf('\\') + 1);
                String target = vmDir + "\\" + name;
                Files.createDirectories(local(target).getParent());
                Files.copy(local(disk), local(target), StandardCopyOption.REPLACE_EXISTING);
                files.addObject()
                        .put("Name", name)
                        .put("FullName", target)
                        .put("Length", Files.size(local(target)));
            }
            openUp(dest);
            return Answer.json(files);
        }
        if (script.equals(Scripts.DISK_CHAINS)) {
            String cp = p.path("checkpoint").asText("");
            List<String> drives;
            if (cp.isEmpty()) {
                if (vm.state != 3) {
                    return Answer.error(5, "the VM is not off");
                }
                drives = List.copyOf(vm.disks);
            } else if (!checkpoints.contains(cp)) {
                return Answer.error(1, "Get-VMHardDiskDrive : no such checkpoint");
            } else {
                drives = checkpointDrives.get(cp);
            }
            ArrayNode links = f.arrayNode();
            for (String drive : drives) {
                int depth = 0;
                for (String at = drive; at != null; depth++) {
                    ObjectNode link = links.addObject().put("Drive", drive).put("Depth", depth);
                    getVhd(link, at);
                    at = vhds.get(at).parent().orElse(null);
                }
            }
            return Answer.json(links);
        }
        return Answer.error(
                1, "The term is not recognized as the name of a cmdlet (unexpected script)");
    }

    /** Get-VHD of {@code path}, in 5.1's shape. */
    private void getVhd(ObjectNode o, String path) throws IOException {
        Vhd v = vhds.get(path);
        o.put("Path", path)
                .put("VhdFormat", path.endsWith(".vhd") ? 2 : 3)
                .put("VhdType", v.vhdType())
                .put("FileSize", Files.size(local(path)))
                .put("Size", virtualSize(v.contents()))
                .put("ParentPath", v.parent().orElse(""));
    }

    /** Convert-VHD -VHDType Dynamic: the merged contents of the chain into a new VHDX. */
    private Answer convertVhd(String source, String destination) throws IOException {
        Vhd v = vhds.get(source);
        if (v == null) {
            return Answer.error(1, "Convert-VHD : The system cannot find the file specified.");
        }
        Path target = local(destination);
        Files.createDirectories(target.getParent());
        try {
            TestImages.run(
                    "qemu-img",
                    "convert",
                    "-O",
                    "vhdx",
                    v.contents().toString(),
                    target.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
        merges.add(new Merge(source, destination));
        openUp(target.getParent().getParent());
        return Answer.json(
                JsonNodeFactory.instance
                        .objectNode()
                        .put("Name", target.getFileName().toString())
                        .put("FullName", destination)
                        .put("Length", Files.size(target)));
    }

    /** Lets other local users (the Samba test user) read the export. */
    private static void openUp(Path dir) throws IOException {
        try (var s = Files.walk(dir)) {
            for (Path x : s.toList()) {
                Files.setPosixFilePermissions(
                        x,
                        PosixFilePermissions.fromString(
                                Files.isDirectory(x) ? "rwxr-xr-x" : "rw-r--r--"));
            }
        }
    }

    /** qemu-img info once per image: the files never change size under the double. */
    private long virtualSize(Path image) throws IOException {
        Long known = virtualSizes.get(image);
        if (known != null) {
            return known;
        }
        long size = readVirtualSize(image);
        virtualSizes.put(image, size);
        return size;
    }

    private static long readVirtualSize(Path image) throws IOException {
        Process q =
                new ProcessBuilder("qemu-img", "info", "--output=json", image.toString()).start();
        try {
            return JSON.readTree(q.getInputStream()).path("virtual-size").asLong();
        } finally {
            q.destroy();
        }
    }

    /** The exec handler: decodes {@code -EncodedCommand}, reads the JSON on stdin, answers. */
    private final class PowerShell implements Command, Runnable {
        private final String commandLine;
        private InputStream in;
        private OutputStream out;
        private OutputStream err;
        private ExitCallback exit;

        PowerShell(String commandLine) {
            this.commandLine = commandLine;
        }

        @Override
        public void setInputStream(InputStream in) {
            this.in = in;
        }

        @Override
        public void setOutputStream(OutputStream out) {
            this.out = out;
        }

        @Override
        public void setErrorStream(OutputStream err) {
            this.err = err;
        }

        @Override
        public void setExitCallback(ExitCallback callback) {
            this.exit = callback;
        }

        @Override
        public void start(ChannelSession channel, Environment env) {
            Thread t = new Thread(this, "fake-powershell");
            t.setDaemon(true);
            t.start();
        }

        @Override
        public void run() {
            int code;
            try {
                String prefix =
                        "powershell.exe -NoLogo -NoProfile -NonInteractive -ExecutionPolicy Bypass -EncodedCommand ";
                String stdin = new String(in.readAllBytes(), StandardCharsets.UTF_8);
                if (!commandLine.startsWith(prefix)) {
                    invocations.add(new Invocation(commandLine, "", stdin));
                    err.write(
                            ("unexpected command line: " + commandLine + "\r\n")
                                    .getBytes(StandardCharsets.UTF_8));
                    code = 1;
                } else {
                    String script =
                            new String(
                                    Base64.getDecoder()
                                            .decode(commandLine.substring(prefix.length())),
                                    StandardCharsets.UTF_16LE);
                    invocations.add(new Invocation(commandLine, script, stdin));
                    Answer a = answer(script, stdin);
                    out.write(a.out().getBytes(StandardCharsets.UTF_8));
                    err.write(a.err().getBytes(StandardCharsets.UTF_8));
                    code = a.code();
                }
                out.flush();
                err.flush();
            } catch (IOException | RuntimeException e) {
                code = 1;
                try {
                    err.write(String.valueOf(e).getBytes(StandardCharsets.UTF_8));
                    err.flush();
                } catch (IOException ignored) {
                    // the client went away
                }
            }
            exit.onExit(code);
        }

        @Override
        public void destroy(ChannelSession channel) {
            // the thread ends with its input
        }
    }
}
