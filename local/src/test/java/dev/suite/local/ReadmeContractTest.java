package dev.suite.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.suite.emulators.Paths;
import dev.suite.emulators.Template;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Holds the README to the code: every configuration key the code reads is in its configuration table, every error
 * code the code can answer is in its route and error tables, and the module it names beside each route is the
 * module of the function the template routes it to.
 */
class ReadmeContractTest {
    static final Path ROOT = Paths.root();
    /** Source trees whose code runs as a function or as the local runtime. */
    static final String[] SOURCES = {"shared", "functions", "local/src/main", "emulators"};
    static final Pattern CONFIG_READ = Pattern.compile("\\.(?:get|require|getInt|getLong)\\(\"([A-Z][A-Z0-9_]+)\"");
    static final Pattern SECRET_READ = Pattern.compile("Secrets\\.supplier\\(\\w+, \"([A-Z][A-Z0-9_]+)\"\\)");
    static final Pattern PREFIXED_READ = Pattern.compile("Http\\.client\\(\\w+, \"([A-Z][A-Z0-9_]+)\"");
    static final Pattern ERROR_CODE = Pattern.compile(
            "(?:ApiException(?:\\.\\w+)?\\(\\s*(?:\\d+,\\s*)?|error\\([^\"()]*|errorFrame\\([^\"()]*)\"([A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+|[A-Z]{4,})\"");

    static String readme() throws IOException {
        return Files.readString(ROOT.resolve("README.md"));
    }

    /** Main (non-test) Java sources of the given trees. */
    static Map<Path, String> sources() throws IOException {
        Map<Path, String> out = new TreeMap<>();
        for (String tree : SOURCES) {
            try (Stream<Path> files = Files.walk(ROOT.resolve(tree))) {
                for (Path f : files.filter(p -> p.toString().endsWith(".java") && p.toString().contains("/src/main/")
                        && !p.toString().contains("/target/")).toList()) {
                    out.put(f, Files.readString(f));
                }
            }
        }
        return out;
    }

    static Set<String> matches(Pattern p, String text) {
        Set<String> out = new TreeSet<>();
        Matcher m = p.matcher(text);
        while (m.find()) {
            out.add(m.group(1));
        }
        return out;
    }

    @Test
    void everyConfigurationKeyTheCodeReadsIsInTheReadmeTable() throws IOException {
        String table = readme().substring(readme().indexOf("## Configuration"));
        Set<String> read = new TreeSet<>();
        for (String code : sources().values()) {
            read.addAll(matches(CONFIG_READ, code));
            for (String secret : matches(SECRET_READ, code)) {
                read.add(secret);
                read.add(secret + "_PARAM");
            }
            for (String prefix : matches(PREFIXED_READ, code)) {
                read.addAll(Set.of(prefix + "_CONNECT_TIMEOUT_MS", prefix + "_READ_TIMEOUT_MS", prefix + "_CALL_TIMEOUT_MS"));
            }
        }
        assertTrue(read.size() > 40, "the scan finds the keys: " + read);
        Set<String> missing = new TreeSet<>();
        for (String key : read) {
            if (!table.contains("`" + key + "`") && !(key.startsWith("AWS_ENDPOINT_URL_") && table.contains("`AWS_ENDPOINT_URL_<SERVICE>`"))) {
                missing.add(key);
            }
        }
        assertEquals(Set.of(), missing, "configuration keys read by the code but missing from the README's table");
    }

    @Test
    void noCodeReadsTheEnvironmentAroundConfig() throws IOException {
        for (Map.Entry<Path, String> f : sources().entrySet()) {
            if (!f.getKey().endsWith("Config.java")) {
                assertTrue(!f.getValue().contains("System.getenv"), f.getKey() + " reads the environment around Config");
            }
        }
    }

    @Test
    void everyErrorCodeTheCodeAnswersIsInTheReadme() throws IOException {
        String readme = readme();
        Set<String> codes = new TreeSet<>();
        for (String code : sources().values()) {
            codes.addAll(matches(ERROR_CODE, code));
        }
        assertTrue(codes.containsAll(Set.of("INSUFFICIENT_CREDITS", "NOT_FOUND", "VALIDATION_FAILED", "SERVICE_BUSY")), codes::toString);
        Set<String> missing = new TreeSet<>();
        for (String code : codes) {
            if (!readme.contains("`" + code + "`")) {
                missing.add(code);
            }
        }
        assertEquals(Set.of(), missing, "error codes the code answers but the README does not list");
    }

    @Test
    void theModuleBesideEveryRouteIsTheModuleServingIt() throws IOException {
        Template t = Template.repo();
        Pattern row = Pattern.compile("^\\| `(GET|POST|PUT|PATCH|DELETE) (/[^`]*)`[^|]*\\| `functions/([a-z]+)` \\|", Pattern.MULTILINE);
        Map<String, String> documented = new TreeMap<>();
        Matcher m = row.matcher(readme());
        while (m.find()) {
            documented.put(m.group(1) + " " + m.group(2), m.group(3));
        }
        Map<String, String> served = new TreeMap<>();
        for (Template.ApiRoute r : t.apiRoutes()) {
            String codeUri = String.valueOf(t.properties(r.function()).get("CodeUri"));
            served.put(r.key(), codeUri.split("/")[1]);
        }
        assertEquals(served, documented, "README route table (route -> module) against template.yaml (route -> CodeUri)");
    }
}
