package dev.suite.local;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * Runs a Node tool of an npm folder as a child process (pipes only: under Surefire stdin/stdout are the fork's
 * channel).
 */
final class Node {
    private Node() {}

    record Result(int exit, String output) {}

    /**
     * Runs {@code command} in {@code dir}; each output line is offered to {@code answer}, whose non-null reply is sent
     * on stdin.
     */
    static Result run(
            Path dir, Map<String, String> env, int timeoutSeconds, Function<String, String> answer, String... command)
            throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true);
        pb.environment().putAll(env);
        pb.environment().put("NO_COLOR", "1");
        pb.environment().put("REDOCLY_TELEMETRY", "off");
        pb.environment().put("REDOCLY_SUPPRESS_UPDATE_NOTICE", "true");
        pb.environment().put("SUPPRESS_NO_CONFIG_WARNING", "1");
        Process p = pb.start();
        List<String> lines = new ArrayList<>();
        Thread reader = new Thread(
                () -> {
                    try (BufferedReader r = new BufferedReader(
                                    new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
                            Writer w = new OutputStreamWriter(p.getOutputStream(), StandardCharsets.UTF_8)) {
                        for (String line; (line = r.readLine()) != null; ) {
                            synchronized (lines) {
                                lines.add(line);
                            }
                            String reply = answer.apply(line);
                            if (reply != null) {
                                w.write(reply + "\n");
                                w.flush();
                            }
                        }
                    } catch (IOException ignored) {
                        // the process ended
                    }
                },
                "node-output");
        reader.start();
        if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            reader.join(2000);
            throw new AssertionError(String.join(" ", command) + " did not finish in " + timeoutSeconds + " s:\n"
                    + String.join("\n", lines));
        }
        reader.join(5000);
        synchronized (lines) {
            return new Result(p.exitValue(), String.join("\n", lines));
        }
    }

    static Result run(Path dir, int timeoutSeconds, String... command) throws IOException, InterruptedException {
        return run(dir, Map.of(), timeoutSeconds, line -> null, command);
    }
}
