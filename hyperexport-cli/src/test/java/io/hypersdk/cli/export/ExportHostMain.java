package io.hypersdk.cli.export;

import io.hypersdk.core.Cancellation;
import java.io.ByteArrayInputStream;
import java.io.FileOutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * One "export host" of {@link MultiHostHarness}: a JVM running several hyperexport invocations
 * concurrently (the real command line, {@link HyperExport#run}, one thread each; one JVM per host
 * rather than per job keeps 30 jobs within the CI budget). Prints {@code EXIT <tag> <code>} per job
 * when it ends; each job's stdout/stderr go to {@code <logs>/<tag>.out|.err}.
 *
 * <p>Arguments: logs-dir tag1,tag2,... -- common hyperexport args (the literal {@code {tag}} is
 * replaced by the job's tag, {@code {side}} by the conversion host it goes to: {@link #side})
 */
public final class ExportHostMain {
    private ExportHostMain() {}

    /** The conversion host ("a" or "b") of job {@code h<host>j<n>}: n % 2; any other tag: "a". */
    static String side(String tag) {
        int j = tag.lastIndexOf('j');
        if (j < 0 || !tag.substring(j + 1).matches("[0-9]+")) {
            return "a";
        }
        return Integer.parseInt(tag.substring(j + 1)) % 2 == 0 ? "a" : "b";
    }

    public static void main(String[] args) throws Exception {
        Path logs = Path.of(args[0]);
        String[] tags = args[1].split(",");
        List<String> common = Arrays.asList(args).subList(3, args.length);
        List<Thread> threads = new ArrayList<>();
        for (String tag : tags) {
            Thread t =
                    new Thread(
                            () -> {
                                String[] a =
                                        common.stream()
                                                .map(
                                                        s ->
                                                                s.replace("{tag}", tag)
                                                                        .replace(
                                                                                "{side}",
                                                                                side(tag)))
                                                .toArray(String[]::new);
                                int code;
                                try (PrintStream out =
                                                new PrintStream(
                                                        new FileOutputStream(
                                                                logs.resolve(tag + ".out")
                                                                        .toFile()),
                                                        true);
                                        PrintStream err =
                                                new PrintStream(
                                                        new FileOutputStream(
                                                                logs.resolve(tag + ".err")
                                                                        .toFile()),
                                                        true)) {
                                    code =
                                            HyperExport.run(
                                                    a,
                                                    new Io(
                                                            out,
                                                            err,
                                                            new ByteArrayInputStream(new byte[0]),
                                                            Map.copyOf(System.getenv()),
                                                            false),
                                                    Cancellation.create());
                                } catch (Exception e) {
                                    e.printStackTrace();
                                    code = -1;
                                }
                                synchronized (System.out) {
                                    System.out.println("EXIT " + tag + " " + code);
                                    System.out.flush();
                                }
                            },
                            "export-" + tag);
            t.start();
            threads.add(t);
        }
        for (Thread t : threads) {
            t.join();
        }
    }
}
