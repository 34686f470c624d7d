package dev.suite.emulators;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/** Installs a folder's pinned npm packages from its lockfile ({@code npm ci}) when they are missing. */
public final class Npm {
    private Npm() {}

    /** Runs {@code npm ci} in {@code dir} unless {@code marker} (relative to it) exists already. */
    public static synchronized void ci(Path dir, String marker) throws IOException {
        if (Files.exists(dir.resolve(marker))) {
            return;
        }
        // Never inherit stdin/stdout: under Surefire they are the fork's command channel.
        Path log = Files.createTempFile("npm-ci", ".log");
        ProcessBuilder pb = new ProcessBuilder("npm", "ci", "--no-audit", "--no-fund", "--loglevel=error")
                .directory(dir.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .redirectErrorStream(true)
                .redirectOutput(log.toFile());
        try {
            Process p = pb.start();
            if (!p.waitFor(10, TimeUnit.MINUTES) || p.exitValue() != 0) {
                p.destroyForcibly();
                throw new IOException("npm ci failed in " + dir + ":\n" + Files.readString(log));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted running npm ci in " + dir, e);
        } finally {
            Files.deleteIfExists(log);
        }
        if (!Files.exists(dir.resolve(marker))) {
            throw new IOException("npm ci in " + dir + " did not install " + marker);
        }
    }
}
