package io.hypersdk.cli.ctl.daemon;

import io.hypersdk.cli.ctl.Hyperctl;
import java.io.PrintWriter;
import java.io.StringWriter;

/** Runs hyperctl in-process and captures what it prints. */
record Cli(int exitCode, String out, String err) {

    static Cli run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Hyperctl.run(new PrintWriter(out), new PrintWriter(err), args);
        return new Cli(code, out.toString(), err.toString());
    }
}
