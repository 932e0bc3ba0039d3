package io.hypersdk.pipeline.daemon;

import io.hypersdk.core.settings.Hyper2KvmSettings;
import io.hypersdk.core.settings.InvalidSettingException;
import io.hypersdk.core.settings.QueueLayout;
import io.hypersdk.core.settings.Setting;
import io.hypersdk.core.settings.SettingText;
import io.hypersdk.systemd.UnitStatus;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * The spool a daemon instance speaks: directories and layout, each from an explicit setting, else
 * from the unit's {@code Environment} ({@code WATCH_DIR}, {@code OUTPUT_DIR},
 * {@code QUEUE_LAYOUT}), else the DESIGN.md convention ({@code /var/lib/hyper2kvm[/<instance>]/queue|output},
 * layout {@code workflow}).
 *
 * @param watchDir the watch (spool) directory
 * @param outputDir the daemon's output directory
 * @param layout the spool layout
 * @param origin where each value came from, for messages ("watch dir from
 *     hyper2kvm@x.service Environment WATCH_DIR, ...")
 */
public record DaemonDirectories(Path watchDir, Path outputDir, QueueLayout layout, String origin) {

  /** Checks for nulls. */
  public DaemonDirectories {
    Objects.requireNonNull(watchDir, "watchDir");
    Objects.requireNonNull(outputDir, "outputDir");
    Objects.requireNonNull(layout, "layout");
    Objects.requireNonNull(origin, "origin");
  }

  /**
   * Resolves the directories and layout of the daemon.
   *
   * @param settings the hyper2kvm settings (explicit values win)
   * @param unit the unit's status, when known
   * @return the directories
   * @throws IllegalArgumentException when the unit declares a relative directory or an unknown
   *     layout
   */
  public static DaemonDirectories resolve(Hyper2KvmSettings settings, Optional<UnitStatus> unit) {
    String unitName = unit.map(UnitStatus::id).orElse("the unit");
    StringBuilder origin = new StringBuilder();
    Path watch = pick(settings.watchDir(), unit, "WATCH_DIR",
        Hyper2KvmSettings.defaultWatchDir(settings.instance()), "watch dir", unitName, origin);
    origin.append(", ");
    Path output = pick(settings.outputDir(), unit, "OUTPUT_DIR",
        Hyper2KvmSettings.defaultOutputDir(settings.instance()), "output dir", unitName, origin);
    origin.append(", ");
    QueueLayout layout;
    Optional<String> envLayout = unit.map(u -> u.environment().get("QUEUE_LAYOUT"))
        .filter(s -> !s.isBlank());
    if (settings.queueLayout().isPresent()) {
      layout = settings.queueLayout().get();
      origin.append("layout ").append(layout.id()).append(" from the settings");
    } else if (envLayout.isPresent()) {
      try {
        layout = QueueLayout.parse(envLayout.get().strip());
      } catch (IllegalArgumentException e) {
        throw new InvalidSettingException(Setting.HYPER2KVM_QUEUE_LAYOUT, envLayout.get(),
            QueueLayout.allowed(), SettingText.of(unitName + " declares QUEUE_LAYOUT="
                + envLayout.get() + ", which is not workflow, flat or disk-watch: fix the unit or ")
                .set(Setting.HYPER2KVM_QUEUE_LAYOUT));
      }
      origin.append("layout ").append(layout.id()).append(" from ").append(unitName)
          .append(" Environment QUEUE_LAYOUT");
    } else {
      layout = QueueLayout.WORKFLOW;
      origin.append("layout workflow (default; nothing declares QUEUE_LAYOUT)");
    }
    return new DaemonDirectories(watch, output, layout, origin.toString());
  }

  private static Path pick(Optional<Path> explicit, Optional<UnitStatus> unit, String env,
      Path fallback, String what, String unitName, StringBuilder origin) {
    if (explicit.isPresent()) {
      origin.append(what).append(" from the settings");
      return explicit.get();
    }
    Optional<String> fromUnit = unit.map(u -> u.environment().get(env)).filter(s -> !s.isBlank());
    if (fromUnit.isPresent()) {
      Path p = Path.of(fromUnit.get().strip());
      if (!p.isAbsolute()) {
        throw new IllegalArgumentException(unitName + " declares " + env + "=" + fromUnit.get()
            + ", a relative path: fix the unit's Environment or set the directory explicitly");
      }
      origin.append(what).append(" from ").append(unitName).append(" Environment ").append(env);
      return p;
    }
    origin.append(what).append(" by convention");
    return fallback;
  }
}
