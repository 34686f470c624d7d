package dev.suite.emulators;

import java.nio.file.Files;
import java.nio.file.Path;

/** Where the repository is, from tests (Surefire sets suite.root) or from local/. */
public final class Paths {
    private Paths() {}

    public static Path root() {
        String prop = System.getProperty("suite.root");
        if (prop != null && Files.exists(Path.of(prop, "template.yaml"))) {
            return Path.of(prop).toAbsolutePath();
        }
        Path p = Path.of("").toAbsolutePath();
        while (p != null) {
            if (Files.exists(p.resolve("template.yaml")) && Files.exists(p.resolve("pom.xml"))) {
                return p;
            }
            p = p.getParent();
        }
        throw new IllegalStateException("cannot find the repository root (template.yaml); set -Dsuite.root");
    }
}
