package io.hypersdk.provider.vsphere.power;

import io.hypersdk.provider.spi.PowerState;
import io.hypersdk.provider.vsphere.inventory.PropertyCollector;
import io.hypersdk.provider.vsphere.soap.Backoff;
import io.hypersdk.provider.vsphere.soap.ManagedObjectReference;
import io.hypersdk.provider.vsphere.soap.PowerStates;
import io.hypersdk.provider.vsphere.soap.VimConnection;
import io.hypersdk.provider.vsphere.soap.VimFaultException;
import io.hypersdk.provider.vsphere.soap.VsphereException;
import io.hypersdk.provider.vsphere.soap.XmlElement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * vSphere tasks and the power operations built on them: wait for a task, power a VM off, or ask its
 * guest to shut down first. Tasks are polled ({@code RetrievePropertiesEx}), not watched.
 *
 * <p>Module-internal: public for {@code VimClient} and the export, which go through it.
 */
public final class PowerTasks {
    private static final Logger LOG = LoggerFactory.getLogger(PowerTasks.class);

    private final VimConnection vim;
    private final PropertyCollector properties;
    private final Duration taskTimeout;

    /** Power operations through {@code vim}, waiting up to {@code taskTimeout} for each task. */
    public PowerTasks(VimConnection vim, PropertyCollector properties, Duration taskTimeout) {
        this.vim = vim;
        this.properties = properties;
        this.taskTimeout = taskTimeout;
    }

    /** Waits until a task succeeds; a task error becomes a {@link VimFaultException}. */
    public void waitForTask(ManagedObjectReference task, String method) {
        long deadline = System.nanoTime() + taskTimeout.toNanos();
        Backoff backoff = new Backoff();
        while (true) {
            Map<String, XmlElement> p =
                    properties.properties(task, List.of("info.state", "info.error"));
            String st =
                    Optional.ofNullable(p.get("info.state")).map(e -> e.text().trim()).orElse("");
            if (st.equals("success")) {
                return;
            }
            if (st.equals("error")) {
                XmlElement err = p.get("info.error");
                String name =
                        err == null
                                ? "TaskError"
                                : err.child("fault")
                                        .flatMap(XmlElement::xsiType)
                                        .orElse("TaskError");
                String msg = err == null ? "" : err.childText("localizedMessage").orElse("");
                throw VimFaultException.of(
                        method, name, msg, err == null ? Optional.empty() : err.child("fault"));
            }
            if (System.nanoTime() > deadline) {
                throw new VsphereException(
                        "vSphere task "
                                + task.value()
                                + " ("
                                + method
                                + ") did not finish within "
                                + taskTimeout.toSeconds()
                                + " s");
            }
            backoff.pause();
        }
    }

    /**
     * Shuts the guest down ({@code ShutdownGuest}, needs VMware Tools) and waits up to {@code
     * timeout} for the VM to be powered off; when the guest cannot be asked (no tools) or does not
     * stop in time, powers it off ({@code PowerOffVM_Task}). Returns how it went off.
     */
    public String shutdownOrPowerOff(ManagedObjectReference vm, Duration timeout) {
        try {
            vim.invoke("ShutdownGuest", vm);
            long deadline = System.nanoTime() + timeout.toNanos();
            while (System.nanoTime() < deadline) {
                Optional<PowerState> st =
                        properties.text(vm, "runtime.powerState").flatMap(PowerStates::parse);
                if (st.equals(Optional.of(PowerState.OFF))) {
                    return "guest shutdown";
                }
                Backoff.sleep(1000);
            }
            LOG.info(
                    "guest of {} did not shut down within {} s; powering it off",
                    vm,
                    timeout.toSeconds());
        } catch (VimFaultException e) {
            LOG.info("guest shutdown of {} not possible ({}); powering it off", vm, e.faultName());
        }
        powerOff(vm);
        return "power off";
    }

    /** {@code PowerOffVM_Task} and wait. */
    public void powerOff(ManagedObjectReference vm) {
        waitForTask(
                VimConnection.returnval(vim.invoke("PowerOffVM_Task", vm), "PowerOffVM_Task")
                        .asMoref(),
                "PowerOffVM_Task");
    }
}
