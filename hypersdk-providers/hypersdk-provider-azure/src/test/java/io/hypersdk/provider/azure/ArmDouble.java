package io.hypersdk.provider.azure;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Azure Resource Manager scripted with WireMock over TLS (a certificate made by keytool for
 * 127.0.0.1, trusted through the provider's {@code ca-file} setting: the SDK's bearer-token policy
 * refuses plain http). The JSON bodies follow the REST API specs' examples
 * (Azure/azure-rest-api-specs: VirtualMachine_Get, VirtualMachine_Get_InstanceView,
 * VirtualMachine_ListAvailableVmSizes, Disk_Get, Disk_BeginGetAccess, Disk_EndGetAccess).
 */
final class ArmDouble implements AutoCloseable {
    static final String SUBSCRIPTION = "11111111-2222-3333-4444-555555555555";
    static final String GROUP = "myResourceGroup";
    static final String LOCATION = "westus";
    private static final String PASSWORD = "arm-double";

    final WireMockServer server;
    final Path caPem;

    private ArmDouble(WireMockServer server, Path caPem) {
        this.server = server;
        this.caPem = caPem;
    }

    static ArmDouble start(Path dir) throws IOException, InterruptedException {
        Path ks = dir.resolve("arm-" + System.nanoTime() + ".p12");
        Path pem = dir.resolve(ks.getFileName() + ".pem");
        String keytool = Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
        exec(
                keytool,
                "-genkeypair",
                "-alias",
                "arm",
                "-keyalg",
                "EC",
                "-groupname",
                "secp256r1",
                "-dname",
                "CN=127.0.0.1",
                "-ext",
                "SAN=ip:127.0.0.1,dns:localhost",
                "-validity",
                "2",
                "-keystore",
                ks.toString(),
                "-storetype",
                "PKCS12",
                "-storepass",
                PASSWORD,
                "-keypass",
                PASSWORD);
        exec(
                keytool,
                "-exportcert",
                "-rfc",
                "-alias",
                "arm",
                "-keystore",
                ks.toString(),
                "-storepass",
                PASSWORD,
                "-file",
                pem.toString());
        WireMockServer s =
                new WireMockServer(
                        wireMockConfig()
                                .bindAddress("127.0.0.1")
                                .httpDisabled(true)
                                .httpsPort(0)
                                .keystorePath(ks.toString())
                                .keystorePassword(PASSWORD)
                                .keyManagerPassword(PASSWORD)
                                .keystoreType("PKCS12"));
        s.start();
        return new ArmDouble(s, pem);
    }

    private static void exec(String... cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IOException(String.join(" ", cmd) + ": " + out);
        }
    }

    String endpoint() {
        return "https://127.0.0.1:" + server.httpsPort() + "/";
    }

    static String sub() {
        return "/subscriptions/" + SUBSCRIPTION;
    }

    static String rg() {
        return sub() + "/resourceGroups/" + GROUP;
    }

    static String diskId(String disk) {
        return rg() + "/providers/Microsoft.Compute/disks/" + disk;
    }

    /** One data disk of the VM. */
    record DataDisk(int lun, String name) {}

    /**
     * Scripts a VM (Standard_DS3_v2: 4 vCPUs, 14 GiB), its disks, its NIC and the VM sizes of the
     * location.
     */
    void vm(
            String name,
            String power,
            String osDisk,
            long osBytes,
            List<DataDisk> data,
            String securityType,
            String hyperVGeneration) {
        StringBuilder dd = new StringBuilder();
        for (DataDisk d : data) {
            if (dd.length() > 0) {
                dd.append(',');
            }
            dd.append(
                    """
          {"lun": %d, "name": "%s", "createOption": "Attach", "caching": "ReadWrite",
           "managedDisk": {"storageAccountType": "Premium_LRS", "id": "%s"}, "diskSizeGB": 1}"""
                            .formatted(d.lun(), d.name(), diskId(d.name())));
            disk(d.name(), 1L << 30, "V1");
        }
        String security =
                securityType == null
                        ? ""
                        : """
        "securityProfile": {"uefiSettings": {"secureBootEnabled": true, "vTpmEnabled": true}, "securityType": "%s"},
        """
                                .formatted(securityType);
        String vm =
                """
        {
          "name": "%1$s",
          "id": "%2$s/providers/Microsoft.Compute/virtualMachines/%1$s",
          "type": "Microsoft.Compute/virtualMachines",
          "location": "%3$s",
          "tags": {"myTag1": "tagValue1"},
          "properties": {
            "vmId": "0f47b100-583c-48e3-a4c0-aefc2c9bbcc1",
            "hardwareProfile": {"vmSize": "Standard_DS3_v2"},
            %7$s
            "storageProfile": {
              "imageReference": {"publisher": "Canonical", "offer": "0001-com-ubuntu-server-jammy", "sku": "22_04-lts-gen2", "version": "latest"},
              "osDisk": {
                "osType": "Linux", "name": "%4$s", "createOption": "FromImage", "caching": "ReadWrite",
                "managedDisk": {"storageAccountType": "Premium_LRS", "id": "%5$s"}, "diskSizeGB": 30
              },
              "dataDisks": [%6$s]
            },
            "osProfile": {"computerName": "%1$s", "adminUsername": "azureuser", "linuxConfiguration": {"disablePasswordAuthentication": true}, "secrets": []},
            "networkProfile": {"networkInterfaces": [{"id": "%2$s/providers/Microsoft.Network/networkInterfaces/%1$s-nic", "properties": {"primary": true}}]},
            "provisioningState": "Succeeded",
            "instanceView": {
              "computerName": "%1$s",
              "osName": "ubuntu",
              "osVersion": "22.04",
              "statuses": [
                {"code": "ProvisioningState/succeeded", "level": "Info", "displayStatus": "Provisioning succeeded", "time": "2024-10-01T09:00:00+00:00"},
                {"code": "PowerState/%8$s", "level": "Info", "displayStatus": "VM %8$s"}
              ]
            },
            "timeCreated": "2024-06-27T01:02:38.3138469+00:00"
          }
        }"""
                        .formatted(
                                name, rg(), LOCATION, osDisk, diskId(osDisk), dd, security, power);
        server.stubFor(
                get(urlPathEqualTo(rg() + "/providers/Microsoft.Compute/virtualMachines/" + name))
                        .willReturn(json(200, vm)));
        server.stubFor(
                get(urlPathEqualTo(rg() + "/providers/Microsoft.Compute/virtualMachines"))
                        .willReturn(json(200, "{\"value\": [" + vm + "]}")));
        server.stubFor(
                get(urlPathEqualTo(
                                sub()
                                        + "/providers/Microsoft.Compute/locations/"
                                        + LOCATION
                                        + "/vmSizes"))
                        .willReturn(
                                json(
                                        200,
                                        """
            {"value": [
              {"name": "Standard_A1_V2", "numberOfCores": 1, "osDiskSizeInMB": 1047552, "resourceDiskSizeInMB": 10240, "memoryInMB": 2048, "maxDataDiskCount": 2},
              {"name": "Standard_DS3_v2", "numberOfCores": 4, "osDiskSizeInMB": 1047552, "resourceDiskSizeInMB": 28672, "memoryInMB": 14336, "maxDataDiskCount": 16}
            ]}""")));
        server.stubFor(
                get(urlPathEqualTo(
                                rg()
                                        + "/providers/Microsoft.Network/networkInterfaces/"
                                        + name
                                        + "-nic"))
                        .willReturn(
                                json(
                                        200,
                                        """
            {
              "name": "%1$s-nic",
              "id": "%2$s/providers/Microsoft.Network/networkInterfaces/%1$s-nic",
              "type": "Microsoft.Network/networkInterfaces",
              "location": "%3$s",
              "properties": {
                "provisioningState": "Succeeded",
                "ipConfigurations": [{
                  "name": "ipconfig1",
                  "id": "%2$s/providers/Microsoft.Network/networkInterfaces/%1$s-nic/ipConfigurations/ipconfig1",
                  "properties": {
                    "privateIPAddress": "10.0.0.4", "privateIPAllocationMethod": "Dynamic",
                    "subnet": {"id": "%2$s/providers/Microsoft.Network/virtualNetworks/myVnet/subnets/default"},
                    "primary": true, "privateIPAddressVersion": "IPv4"
                  }
                }],
                "macAddress": "00-0D-3A-1B-C7-21",
                "enableAcceleratedNetworking": true,
                "primary": true,
                "virtualMachine": {"id": "%2$s/providers/Microsoft.Compute/virtualMachines/%1$s"}
              }
            }"""
                                                .formatted(name, rg(), LOCATION))));
        disk(osDisk, osBytes, hyperVGeneration);
    }

    void disk(String name, long bytes, String hyperVGeneration) {
        server.stubFor(
                get(urlPathEqualTo(rg() + "/providers/Microsoft.Compute/disks/" + name))
                        .willReturn(
                                json(
                                        200,
                                        """
        {
          "managedBy": "%1$s/providers/Microsoft.Compute/virtualMachines/myVM",
          "sku": {"name": "Premium_LRS"},
          "properties": {
            "osType": "Linux",
            "hyperVGeneration": "%4$s",
            "creationData": {"createOption": "FromImage"},
            "diskSizeGB": %3$d,
            "diskSizeBytes": %5$d,
            "diskState": "Reserved",
            "encryption": {"type": "EncryptionAtRestWithPlatformKey"},
            "timeCreated": "2016-12-28T04:41:35.079872+00:00",
            "provisioningState": "Succeeded"
          },
          "type": "Microsoft.Compute/disks",
          "location": "%6$s",
          "id": "%1$s/providers/Microsoft.Compute/disks/%2$s",
          "name": "%2$s"
        }"""
                                                .formatted(
                                                        rg(),
                                                        name,
                                                        Math.max(1, bytes >> 30),
                                                        hyperVGeneration,
                                                        bytes,
                                                        LOCATION))));
    }

    /**
     * grantAccess of {@code disk}: each POST answers 202 with a Location to poll; the n-th grant's
     * operation answers 202 once more, then 200 with {@code sas.get(n)} (the last one repeats).
     * revokeAccess answers 202, then 200.
     */
    void grants(String disk, List<String> sas) {
        grantsAt("disks/" + disk, disk, sas);
    }

    /**
     * A running VM's export with {@code snapshot=true}: PUT of a snapshot named {@code
     * hypersdk-<disk>-<epoch seconds>} answers 200 (Succeeded), its grants answer like a disk's,
     * DELETE answers 200.
     */
    void snapshots(String disk, List<String> sas) {
        String path = rg() + "/providers/Microsoft.Compute/snapshots/hypersdk-" + disk + "-[0-9]+";
        server.stubFor(
                com.github.tomakehurst.wiremock.client.WireMock.put(
                                com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching(
                                        path))
                        .willReturn(
                                json(
                                        200,
                                        """
            {
              "name": "hypersdk-%1$s",
              "id": "%2$s/providers/Microsoft.Compute/snapshots/hypersdk-%1$s",
              "type": "Microsoft.Compute/snapshots",
              "location": "%3$s",
              "properties": {
                "osType": "Linux",
                "creationData": {"createOption": "Copy", "sourceResourceId": "%4$s"},
                "diskSizeGB": 1,
                "incremental": false,
                "provisioningState": "Succeeded"
              }
            }"""
                                                .formatted(disk, rg(), LOCATION, diskId(disk)))));
        server.stubFor(
                com.github.tomakehurst.wiremock.client.WireMock.delete(
                                com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching(
                                        path))
                        .willReturn(aResponse().withStatus(200)));
        grantsAt("snapshots/hypersdk-" + disk + "-[0-9]+", "snapshot-" + disk, sas);
    }

    int snapshotCalls(String method, String disk) {
        return (int)
                requests().stream()
                        .filter(
                                r ->
                                        r.getMethod().getName().equals(method)
                                                && r.getUrl()
                                                        .matches(
                                                                ".*/snapshots/hypersdk-"
                                                                        + disk
                                                                        + "-[0-9]+(\\?.*)?"))
                        .count();
    }

    int snapshotGrantCalls(String suffix, String disk) {
        return (int)
                requests().stream()
                        .filter(
                                r ->
                                        r.getUrl()
                                                .matches(
                                                        ".*/snapshots/hypersdk-"
                                                                + disk
                                                                + "-[0-9]+/"
                                                                + suffix
                                                                + "(\\?.*)?"))
                        .count();
    }

    private void grantsAt(String resourcePathRegex, String disk, List<String> sas) {
        String base =
                rg().replace(".", "\\.") + "/providers/Microsoft\\.Compute/" + resourcePathRegex;
        String scenario = "grants-" + disk;
        for (int i = 0; i < 10; i++) {
            String state = i == 0 ? Scenario.STARTED : "granted-" + i;
            String op =
                    sub()
                            + "/providers/Microsoft.Compute/locations/"
                            + LOCATION
                            + "/DiskOperations/grant-"
                            + disk
                            + "-"
                            + i;
            server.stubFor(
                    post(com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching(
                                    base + "/beginGetAccess"))
                            .inScenario(scenario)
                            .whenScenarioStateIs(state)
                            .willSetStateTo("granted-" + (i + 1))
                            .willReturn(
                                    aResponse()
                                            .withStatus(202)
                                            .withHeader(
                                                    "Location",
                                                    endpoint().replaceAll("/$", "")
                                                            + op
                                                            + "?monitor=true&api-version=2024-03-02")
                                            .withHeader("Retry-After", "1")));
            String opScenario = "op-" + disk + "-" + i;
            server.stubFor(
                    get(urlPathEqualTo(op))
                            .inScenario(opScenario)
                            .whenScenarioStateIs(Scenario.STARTED)
                            .willSetStateTo("done")
                            .willReturn(
                                    aResponse()
                                            .withStatus(202)
                                            .withHeader(
                                                    "Location",
                                                    endpoint().replaceAll("/$", "")
                                                            + op
                                                            + "?monitor=true&api-version=2024-03-02")
                                            .withHeader("Retry-After", "1")));
            server.stubFor(
                    get(urlPathEqualTo(op))
                            .inScenario(opScenario)
                            .whenScenarioStateIs("done")
                            .willReturn(
                                    json(
                                            200,
                                            "{\"accessSAS\": \""
                                                    + sas.get(Math.min(i, sas.size() - 1))
                                                    + "\"}")));
        }
        String revokeOp =
                sub()
                        + "/providers/Microsoft.Compute/locations/"
                        + LOCATION
                        + "/DiskOperations/revoke-"
                        + disk;
        server.stubFor(
                post(com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching(
                                base + "/endGetAccess"))
                        .willReturn(
                                aResponse()
                                        .withStatus(202)
                                        .withHeader(
                                                "Location",
                                                endpoint().replaceAll("/$", "")
                                                        + revokeOp
                                                        + "?monitor=true&api-version=2024-03-02")
                                        .withHeader("Retry-After", "1")));
        server.stubFor(get(urlPathEqualTo(revokeOp)).willReturn(aResponse().withStatus(200)));
    }

    int grantCalls(String disk) {
        return server.countRequestsMatching(
                        postRequestedFor(
                                        urlPathEqualTo(
                                                rg()
                                                        + "/providers/Microsoft.Compute/disks/"
                                                        + disk
                                                        + "/beginGetAccess"))
                                .build())
                .getCount();
    }

    int revokeCalls(String disk) {
        return server.countRequestsMatching(
                        postRequestedFor(
                                        urlPathEqualTo(
                                                rg()
                                                        + "/providers/Microsoft.Compute/disks/"
                                                        + disk
                                                        + "/endGetAccess"))
                                .build())
                .getCount();
    }

    List<LoggedRequest> requests() {
        return new ArrayList<>(
                server.findAll(
                        com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor(
                                com.github.tomakehurst.wiremock.client.WireMock.anyUrl())));
    }

    private static com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder json(
            int status, String body) {
        return aResponse()
                .withStatus(status)
                .withHeader("Content-Type", "application/json; charset=utf-8")
                .withHeader("x-ms-request-id", java.util.UUID.randomUUID().toString())
                .withBody(body);
    }

    @Override
    public void close() {
        server.stop();
    }
}
