package org.healthcode.codes.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Set;
import org.healthcode.codes.RegionCodes;
import org.healthcode.codes.issue.Colour;
import org.healthcode.codes.issue.IssuedCode;
import org.healthcode.codes.issue.QrImages;
import org.healthcode.codes.verify.IsoInstants;

/** Development helper: issues one code for a pseudonym and colour, prints it, optionally writes PNG and SVG. */
public final class IssueMain {
    static final String USAGE = """
        usage: issue --work-dir DIR --region CODE --subject PSEUDONYM --colour green|yellow|red
                     [--since TIME] [--at TIME] [--png FILE] [--svg FILE] [--alg ES256|EdDSA] [--provider jdk|bc]
        """;

    private IssueMain() {}

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    public static int run(String[] args, PrintStream out, PrintStream err) {
        try {
            CliArgs a = new CliArgs(
                    args,
                    Set.of(
                            "work-dir",
                            "region",
                            "subject",
                            "colour",
                            "since",
                            "at",
                            "png",
                            "svg",
                            "alg",
                            "provider",
                            "key-dir"),
                    Set.of());
            Instant now = a.get("at") == null ? Instant.now() : IsoInstants.parse(a.get("at"));
            RegionCodes codes = RegionCodes.open(KeysMain.config(a), now);
            Colour colour = Colour.parse(a.require("colour"));
            Instant since = a.get("since") == null ? now : IsoInstants.parse(a.get("since"));
            IssuedCode code = codes.issue(a.require("subject"), colour, since, now);
            out.println(code.text());
            if (a.get("png") != null) {
                Files.write(Path.of(a.get("png")), QrImages.png(code.text(), 6));
            }
            if (a.get("svg") != null) {
                Files.writeString(Path.of(a.get("svg")), QrImages.svg(code.text(), "#000"));
            }
            return 0;
        } catch (IllegalArgumentException | IOException e) {
            err.println("issue: " + e.getMessage());
            err.print(USAGE);
            return 2;
        }
    }
}
