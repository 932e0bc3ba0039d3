package io.hypersdk.core.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.hypersdk.core.manifest.Violation;
import io.hypersdk.core.settings.PipelineSettings;
import io.hypersdk.core.settings.QueueLayout;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class JobCodecTest {
    static String resource(String name) throws IOException {
        try (InputStream in = JobCodecTest.class.getResourceAsStream(name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void theSeedExampleParsesAndValidates() throws IOException {
        JobDefinition d =
                JobCodec.readDefinition(resource("seed-example.json"), JobCodec.Format.JSON);

        assertThat(d.name()).contains("web-01");
        assertThat(d.vmPath()).isEqualTo("/DC1/vm/web-01");
        assertThat(d.outputDir()).contains("/tmp/export");
        assertThat(d.format()).contains("ovf");
        JobOptions o = d.options().orElseThrow();
        assertThat(o.enablePipeline()).contains(true);
        assertThat(o.hyper2kvmDaemon()).contains(true);
        assertThat(o.hyper2kvmInstance()).contains("vsphere-prod");
        assertThat(o.libvirtIntegration()).contains(true);
        assertThat(o.hyper2kvmWatchDir()).contains("/var/lib/hyper2kvm/vsphere-prod/queue");
        assertThat(o.hyper2kvmOutputDir()).contains("/var/lib/hyper2kvm/vsphere-prod/output");
        assertThat(o.hyper2kvmPollInterval()).isEmpty();
        assertThat(d.validate()).isEmpty();
    }

    @Test
    void theSeedExampleRoundTripsThroughJsonWithTheSameFieldsAndStableBytes() throws IOException {
        String seed = resource("seed-example.json");
        JobDefinition d = JobCodec.readDefinition(seed, JobCodec.Format.JSON);

        String json = JobCodec.toJson(d);

        ObjectMapper plain = new ObjectMapper();
        assertThat(plain.readTree(json)).isEqualTo(plain.readTree(seed));
        assertThat(json).isEqualTo(resource("seed-example.canonical.json"));
        JobDefinition again = JobCodec.readDefinition(json, JobCodec.Format.JSON);
        assertThat(again).isEqualTo(d);
        assertThat(JobCodec.toJson(again)).isEqualTo(json);
    }

    @Test
    void theSeedExampleRoundTripsThroughYamlWithTheSameFieldsAndStableBytes() throws IOException {
        String seed = resource("seed-example.json");
        JobDefinition d = JobCodec.readDefinition(seed, JobCodec.Format.JSON);

        String yaml = JobCodec.toYaml(d);

        JsonNode yamlTree = new YAMLMapper().readTree(yaml);
        assertThat(yamlTree).isEqualTo(new ObjectMapper().readTree(seed));
        assertThat(yaml).isEqualTo(resource("seed-example.canonical.yaml"));
        JobDefinition again = JobCodec.readDefinition(yaml, JobCodec.Format.YAML);
        assertThat(again).isEqualTo(d);
        assertThat(JobCodec.toYaml(again)).isEqualTo(yaml);
    }

    @Test
    void anExplicitFalseSurvivesARoundTripAndAbsentStaysAbsent() {
        String doc =
                "{\"vm_path\": \"/DC1/vm/db\", \"compress\": false, \"options\": {"
                        + "\"enable_pipeline\": false, \"pipeline_fix\": false, \"hyper2kvm_daemon\": false,"
                        + " \"libvirt_autostart\": false, \"remove_cdrom\": false, \"parallel_downloads\": 1}}";

        for (JobCodec.Format f : JobCodec.Format.values()) {
            JobDefinition d =
                    JobCodec.readDefinition(
                            JobCodec.write(JobCodec.readDefinition(doc, JobCodec.Format.JSON), f),
                            f);
            JobOptions o = d.options().orElseThrow();
            assertThat(d.compress()).as(f.name()).contains(false);
            assertThat(o.enablePipeline()).contains(false);
            assertThat(o.pipelineFix()).contains(false);
            assertThat(o.hyper2kvmDaemon()).contains(false);
            assertThat(o.libvirtAutostart()).contains(false);
            assertThat(o.removeCdrom()).contains(false);
            assertThat(o.pipelineInspect()).as("absent stays absent").isEmpty();
            assertThat(d.thin()).isEmpty();
        }
        assertThat(JobCodec.toJson(JobCodec.readDefinition(doc, JobCodec.Format.JSON)))
                .contains("\"enable_pipeline\": false")
                .contains("\"compress\": false")
                .doesNotContain("pipeline_inspect")
                .doesNotContain("thin");
    }

    @Test
    void anExplicitFalseOverridesATrueDefaultWhenAppliedToSettings() {
        JobOptions o =
                JobCodec.readDefinition(
                                "{\"vm_path\": \"x\", \"options\": {"
                                        + "\"enable_pipeline\": true, \"pipeline_fix\": false, \"hyper2kvm_daemon\": true,"
                                        + " \"hyper2kvm_instance\": \"vsphere-prod\", \"hyper2kvm_poll_interval\": 2,"
                                        + " \"hyper2kvm_daemon_timeout\": 90, \"hyper2kvm_queue_layout\": \"disk-watch\","
                                        + " \"libvirt_integration\": true, \"libvirt_bridge\": \"br0\", \"compress_level\": 9}}",
                                JobCodec.Format.JSON)
                        .options()
                        .orElseThrow();

        PipelineSettings s = o.applyTo(PipelineSettings.defaults());

        assertThat(s.enabled()).isTrue();
        assertThat(s.fix()).isFalse();
        assertThat(s.inspect()).isTrue();
        assertThat(s.compressLevel().getAsInt()).isEqualTo(9);
        assertThat(s.hyper2kvm().daemon()).isTrue();
        assertThat(s.hyper2kvm().instance()).contains("vsphere-prod");
        assertThat(s.hyper2kvm().watchDirOrDefault())
                .isEqualTo(Path.of("/var/lib/hyper2kvm/vsphere-prod/queue"));
        assertThat(s.hyper2kvm().pollInterval()).isEqualTo(Duration.ofSeconds(2));
        assertThat(s.hyper2kvm().daemonTimeout()).isEqualTo(Duration.ofMinutes(90));
        assertThat(s.hyper2kvm().queueLayout()).contains(QueueLayout.DISK_WATCH);
        assertThat(s.libvirt().enabled()).isTrue();
        assertThat(s.libvirt().bridge()).contains("br0");
    }

    @Test
    void thePasswordIsReadButNeverWrittenOrPrinted() {
        String doc =
                "{\"vm_path\": \"/DC1/vm/web-01\", \"vcenter\": {\"server\": \"vc.example.com\","
                        + " \"username\": \"administrator@vsphere.local\", \"password\": \"S3cr3t!pw\","
                        + " \"insecure\": false}}";

        JobDefinition d = JobCodec.readDefinition(doc, JobCodec.Format.JSON);

        assertThat(d.vcenter().orElseThrow().password()).contains("S3cr3t!pw");
        assertThat(JobCodec.toJson(d))
                .doesNotContain("S3cr3t")
                .doesNotContain("password")
                .contains("\"insecure\": false");
        assertThat(JobCodec.toYaml(d)).doesNotContain("S3cr3t").doesNotContain("password");
        Job job = Job.pending(d, Instant.parse("2026-01-01T00:00:00Z"));
        assertThat(JobCodec.toJson(job)).doesNotContain("S3cr3t");
        assertThat(d.toString()).doesNotContain("S3cr3t").contains("****");
        assertThat(job.toString()).doesNotContain("S3cr3t");
    }

    @Test
    void aliasesAreReadAndWrittenUnderTheCanonicalNames() {
        JobDefinition d =
                JobCodec.readDefinition(
                        "{\"vm_path\": \"v\", \"output_path\": \"/out\","
                                + " \"method\": \"govc\"}",
                        JobCodec.Format.JSON);

        assertThat(d.outputDir()).contains("/out");
        assertThat(d.exportMethod()).contains("govc");
        assertThat(JobCodec.toJson(d))
                .contains("\"output_dir\": \"/out\"")
                .contains("\"export_method\": \"govc\"")
                .doesNotContain("output_path");
    }

    @Test
    void everyBrokenRuleIsReportedWithItsFieldPath() {
        JobValidationException e =
                catchThrowableOfType(
                        JobValidationException.class,
                        () ->
                                JobCodec.readDefinition(
                                        "{\"id\": \"Bad ID\", \"vm_path\": \" \", \"format\":"
                                                + " \"qcow2\", \"export_method\": \"ftp\", \"options\": {"
                                                + "\"hyper2kvm_poll_interval\": 0, \"hyper2kvm_daemon_timeout\": 241,"
                                                + " \"parallel_downloads\": 17, \"compress_level\": 0,"
                                                + " \"hyper2kvm_instance\": \"../x\", \"hyper2kvm_watch_dir\": \"queue\","
                                                + " \"hyper2kvm_queue_layout\": \"spool\", \"converter\": \"v2v\","
                                                + " \"libvirt_uri\": \"system\"}}",
                                        JobCodec.Format.JSON));

        assertThat(e.violations())
                .extracting(Violation::path)
                .containsExactly(
                        "id",
                        "vm_path",
                        "format",
                        "export_method",
                        "options.parallel_downloads",
                        "options.compress_level",
                        "options.hyper2kvm_poll_interval",
                        "options.hyper2kvm_daemon_timeout",
                        "options.hyper2kvm_instance",
                        "options.hyper2kvm_watch_dir",
                        "options.hyper2kvm_queue_layout",
                        "options.converter",
                        "options.libvirt_uri");
        assertThat(e.getMessage())
                .contains(
                        "options.hyper2kvm_poll_interval: must be between 1 and 60 seconds (got: 0)")
                .contains(
                        "options.hyper2kvm_daemon_timeout: must be between 1 and 240 minutes (got: 241)")
                .doesNotContain("\n");
    }

    @Test
    void wrongTypesAndUnknownFieldsNameTheField() {
        assertThatThrownBy(
                        () ->
                                JobCodec.readDefinition(
                                        "{\"vm_path\": \"v\", \"options\":"
                                                + " {\"enable_pipeline\": \"yes\"}}",
                                        JobCodec.Format.JSON))
                .isInstanceOf(JobValidationException.class)
                .hasMessage(
                        "invalid job definition: options.enable_pipeline: must be true or false");
        assertThatThrownBy(
                        () ->
                                JobCodec.readDefinition(
                                        "{\"vm_path\": \"v\", \"options\":"
                                                + " {\"hyper2kvm_pol_interval\": 5}}",
                                        JobCodec.Format.JSON))
                .isInstanceOf(JobValidationException.class)
                .hasMessageStartingWith(
                        "invalid job definition: options.hyper2kvm_pol_interval: unknown"
                                + " field (check the spelling; known fields: ");
        assertThatThrownBy(
                        () ->
                                JobCodec.readDefinition(
                                        "{\"vm_path\": \"v\", \"options\":"
                                                + " {\"hyper2kvm_poll_interval\": \"5\"}}",
                                        JobCodec.Format.JSON))
                .hasMessage(
                        "invalid job definition: options.hyper2kvm_poll_interval: must be an integer");
        assertThatThrownBy(
                        () ->
                                JobCodec.readDefinition(
                                        "{\"vm_path\": \"v\", \"created_at\":" + " \"yesterday\"}",
                                        JobCodec.Format.JSON))
                .hasMessage(
                        "invalid job definition: created_at: must be an RFC 3339 timestamp (got:"
                                + " yesterday)");
        assertThatThrownBy(
                        () ->
                                JobCodec.readDefinition(
                                        "{\"vm_path\": \"v\", \"vm_path\": \"w\"}",
                                        JobCodec.Format.JSON))
                .isInstanceOf(JobValidationException.class)
                .hasMessageContaining("Duplicate field");
        assertThatThrownBy(() -> JobCodec.readDefinition("vm_path: \"open", JobCodec.Format.YAML))
                .isInstanceOf(JobValidationException.class)
                .hasMessageContaining("$: ");
        assertThatThrownBy(() -> JobCodec.readDefinition("", JobCodec.Format.JSON))
                .isInstanceOf(JobValidationException.class);
    }

    @Test
    void aSubmissionMayBeOneJobAJobsObjectOrAnArray() {
        assertThat(JobCodec.readSubmission("{\"vm_path\": \"a\"}", JobCodec.Format.JSON))
                .extracting(JobDefinition::vmPath)
                .containsExactly("a");
        assertThat(
                        JobCodec.readSubmission(
                                "{\"jobs\": [{\"vm_path\": \"a\"}, {\"vm_path\": \"b\"}]}",
                                JobCodec.Format.JSON))
                .extracting(JobDefinition::vmPath)
                .containsExactly("a", "b");
        assertThat(JobCodec.readSubmission("- vm_path: a\n- vm_path: b\n", JobCodec.Format.YAML))
                .extracting(JobDefinition::vmPath)
                .containsExactly("a", "b");
        assertThatThrownBy(
                        () ->
                                JobCodec.readSubmission(
                                        "{\"jobs\": [{\"vm_path\": \"a\"},"
                                                + " {\"vm_path\": \"\"}, {\"vm_path\": \"c\", \"format\": \"vmx\"}]}",
                                        JobCodec.Format.JSON))
                .isInstanceOfSatisfying(
                        JobValidationException.class,
                        e ->
                                assertThat(e.violations())
                                        .extracting(Violation::path)
                                        .containsExactly("jobs[1].vm_path", "jobs[2].format"));
        assertThatThrownBy(() -> JobCodec.readSubmission("42", JobCodec.Format.JSON))
                .hasMessageContaining("must be a job object");
    }

    @Test
    void jobStateRoundTripsWithDurationsAsNanoseconds() {
        JobDefinition def =
                JobDefinition.of("/DC1/vm/web-01")
                        .withName("web-01")
                        .withOptions(JobOptions.builder().enablePipeline(false).build());
        JobResult result =
                new JobResult(
                        "web-01",
                        "/tmp/export",
                        Optional.of("/tmp/export/web-01.ovf"),
                        List.of("web-01.ovf", "web-01-disk1.vmdk"),
                        2_147_483_648L,
                        Duration.ofMillis(1500),
                        true,
                        Optional.empty(),
                        Optional.of("daemon"),
                        Optional.of("hyper2kvm@vsphere-prod.service is active"),
                        List.of("/var/lib/hyper2kvm/vsphere-prod/output/web-01.qcow2"),
                        Optional.of("web-01"));
        Job job =
                new Job(
                        def,
                        JobStatus.COMPLETED,
                        Optional.of(
                                new JobProgress(
                                        Optional.of("done"),
                                        Optional.empty(),
                                        2,
                                        2,
                                        10,
                                        10,
                                        100.0)),
                        Optional.of(result),
                        Optional.empty(),
                        Optional.of(Instant.parse("2026-01-01T10:00:00Z")),
                        Optional.of(Instant.parse("2026-01-01T10:00:01.5Z")),
                        Instant.parse("2026-01-01T10:00:01.5Z"));

        String json = JobCodec.toJson(job);

        assertThat(json)
                .contains("\"duration\": 1500000000")
                .contains("\"status\": \"completed\"")
                .contains("\"enable_pipeline\": false")
                .contains("\"updated_at\": \"2026-01-01T10:00:01.500Z\"");
        assertThat(JobCodec.readJob(json, JobCodec.Format.JSON)).isEqualTo(job);
        assertThat(JobCodec.readJob(JobCodec.toYaml(job), JobCodec.Format.YAML)).isEqualTo(job);
        assertThat(JobStatus.parse("Cancelled").isFinal()).isTrue();
        assertThat(JobStatus.RUNNING.isFinal()).isFalse();
    }

    @Test
    void submitResponsesUseTheSeedFieldNames() {
        SubmitResponse r =
                new SubmitResponse(
                        List.of("a1"),
                        1,
                        1,
                        List.of("vm_path: is required"),
                        Instant.parse("2026-01-01T00:00:00Z"));
        SubmitResponse none =
                new SubmitResponse(
                        List.of(), 0, 0, List.of(), Instant.parse("2026-01-01T00:00:00Z"));

        assertThat(JobCodec.toJson(r))
                .contains(
                        "\"job_ids\": [",
                        "\"accepted\": 1",
                        "\"rejected\": 1",
                        "\"errors\": [",
                        "\"timestamp\": \"2026-01-01T00:00:00Z\"");
        assertThat(JobCodec.toJson(none))
                .contains("\"job_ids\": []", "\"accepted\": 0")
                .doesNotContain("errors");
        assertThat(JobCodec.read(JobCodec.toJson(r), JobCodec.Format.JSON, SubmitResponse.class))
                .isEqualTo(r);
    }

    @Test
    void metadataKeepsFreeFormValues() {
        JobDefinition d =
                JobCodec.readDefinition(
                        "{\"vm_path\": \"v\", \"metadata\": {\"team\":"
                                + " \"infra\", \"priority\": 3, \"labels\": [\"a\"]}}",
                        JobCodec.Format.JSON);

        assertThat(d.metadata().orElseThrow())
                .isEqualTo(Map.of("team", "infra", "priority", 3, "labels", List.of("a")));
        assertThat(JobCodec.readDefinition(JobCodec.toYaml(d), JobCodec.Format.YAML)).isEqualTo(d);
    }
}
