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
 * Holds the README and docs/ to the code: every configuration key the code reads is in docs/configuration.md, every
 * error code the code can answer is in docs/routes.md, the module beside each route there is the module of the
 * function the template routes it to, and the README's layout names every folder, module and platform package.
 */
class ReadmeContractTest {
    static final Path ROOT = Paths.root();
    static final int README_MAX_LINES = 170;
    static final int CELL_MAX_CHARS = 100;
    /** Source trees whose code runs as a function or as the local runtime. */
    static final String[] SOURCES = {"shared", "functions", "local/src/main", "emulators"};

    static final Pattern CONFIG_READ = Pattern.compile("\\.(?:get|require|getInt|getLong)\\(\"([A-Z][A-Z0-9_]+)\"");
    static final Pattern SECRET_READ = Pattern.compile("Secrets\\.supplier\\(\\w+, \"([A-Z][A-Z0-9_]+)\"\\)");
    static final Pattern PREFIXED_READ = Pattern.compile("Http\\.client\\(\\w+, \"([A-Z][A-Z0-9_]+)\"");
    static final Pattern ERROR_CODE = Pattern.compile(
            "(?:ApiException(?:\\.\\w+)?\\(\\s*(?:\\d+,\\s*)?|error\\([^\"()]*|errorFrame\\([^\"()]*)\"([A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+|[A-Z]{4,})\"");

    /** Main (non-test) Java sources of the given trees. */
    static Map<Path, String> sources() throws IOException {
        Map<Path, String> out = new TreeMap<>();
        for (String tree : SOURCES) {
            try (Stream<Path> files = Files.walk(ROOT.resolve(tree))) {
                for (Path f : files.filter(p -> p.toString().endsWith(".java")
                                && p.toString().contains("/src/main/")
                                && !p.toString().contains("/target/"))
                        .toList()) {
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
    void everyConfigurationKeyTheCodeReadsIsInTheConfigurationPage() throws IOException {
        String table = Docs.configuration();
        Set<String> read = new TreeSet<>();
        for (String code : sources().values()) {
            read.addAll(matches(CONFIG_READ, code));
            for (String secret : matches(SECRET_READ, code)) {
                read.add(secret);
                read.add(secret + "_PARAM");
            }
            for (String prefix : matches(PREFIXED_READ, code)) {
                read.addAll(Set.of(
                        prefix + "_CONNECT_TIMEOUT_MS", prefix + "_READ_TIMEOUT_MS", prefix + "_CALL_TIMEOUT_MS"));
            }
        }
        assertTrue(read.size() > 40, "the scan finds the keys: " + read);
        Set<String> missing = new TreeSet<>();
        for (String key : read) {
            if (!table.contains("`" + key + "`")
                    && !(key.startsWith("AWS_ENDPOINT_URL_") && table.contains("`AWS_ENDPOINT_URL_<SERVICE>`"))) {
                missing.add(key);
            }
        }
        assertEquals(Set.of(), missing, "configuration keys read by the code but missing from docs/configuration.md");
    }

    @Test
    void noCodeReadsTheEnvironmentAroundConfig() throws IOException {
        for (Map.Entry<Path, String> f : sources().entrySet()) {
            if (!f.getKey().endsWith("Config.java")) {
                assertTrue(
                        !f.getValue().contains("System.getenv"), f.getKey() + " reads the environment around Config");
            }
        }
    }

    @Test
    void everyErrorCodeTheCodeAnswersIsInTheRoutesPage() throws IOException {
        String codeList = Docs.routes();
        Set<String> codes = new TreeSet<>();
        for (String code : sources().values()) {
            codes.addAll(matches(ERROR_CODE, code));
        }
        assertTrue(
                codes.containsAll(Set.of("INSUFFICIENT_CREDITS", "NOT_FOUND", "VALIDATION_FAILED", "SERVICE_BUSY")),
                codes::toString);
        Set<String> missing = new TreeSet<>();
        for (String code : codes) {
            if (!codeList.contains("`" + code + "`")) {
                missing.add(code);
            }
        }
        assertEquals(Set.of(), missing, "error codes the code answers but docs/routes.md does not list");
    }

    @Test
    void theModuleBesideEveryRouteIsTheModuleServingIt() throws IOException {
        Template t = Template.repo();
        Pattern row = Pattern.compile(
                "^\\| `(GET|POST|PUT|PATCH|DELETE) (/[^`]*)`[^|]*\\| `functions/([a-z]+)` \\|", Pattern.MULTILINE);
        Map<String, String> documented = new TreeMap<>();
        Matcher m = row.matcher(Docs.routes());
        while (m.find()) {
            documented.put(m.group(1) + " " + m.group(2), m.group(3));
        }
        Map<String, String> served = new TreeMap<>();
        for (Template.ApiRoute r : t.apiRoutes()) {
            String codeUri = String.valueOf(t.properties(r.function()).get("CodeUri"));
            served.put(r.key(), codeUri.split("/")[1]);
        }
        assertEquals(served, documented, "docs/routes.md (route -> module) against template.yaml (route -> CodeUri)");
    }

    /** The paths the README's layout block names: top-level entries, and their children indented by two. */
    static Set<String> layoutEntries() {
        String readme = Docs.readme();
        int section = readme.indexOf("\n## Layout");
        assertTrue(section >= 0, "the README has a Layout section");
        int open = readme.indexOf("```\n", section);
        int close = readme.indexOf("\n```", open + 4);
        Set<String> out = new TreeSet<>();
        String parent = "";
        for (String line : readme.substring(open + 4, close).split("\n")) {
            String entry = line.strip().split("\\s+", 2)[0];
            int indent = line.indexOf(entry);
            if (entry.isEmpty() || indent >= 4) {
                continue;
            }
            if (indent == 0) {
                parent = entry;
                out.add(entry);
            } else {
                out.add(parent + entry);
            }
        }
        return out;
    }

    static Set<String> modules() throws IOException {
        return matches(Pattern.compile("<module>([^<]+)</module>"), Files.readString(ROOT.resolve("pom.xml")));
    }

    static Path sharedPackages() {
        return ROOT.resolve("shared/src/main/java/dev/suite/shared");
    }

    @Test
    void theLayoutNamesEveryTopLevelFolderEveryModuleAndEverySharedPackage() throws IOException {
        Set<String> expected = new TreeSet<>();
        try (Stream<Path> top = Files.list(ROOT)) {
            top.filter(Files::isDirectory)
                    .map(p -> p.getFileName().toString())
                    .filter(n -> !n.startsWith(".") || n.equals(".ci"))
                    .filter(n -> !n.equals("target") && !n.equals("node_modules"))
                    .forEach(n -> expected.add(n + "/"));
        }
        Set<String> modules = modules();
        assertTrue(modules.size() >= 10, "the scan finds the modules: " + modules);
        modules.forEach(m -> expected.add(m + "/"));
        try (Stream<Path> packages = Files.list(sharedPackages())) {
            packages.filter(Files::isDirectory).forEach(p -> expected.add("shared/" + p.getFileName() + "/"));
        }
        Set<String> missing = new TreeSet<>(expected);
        missing.removeAll(layoutEntries());
        assertEquals(Set.of(), missing, "folders, modules and shared packages the README's layout does not name");
    }

    @Test
    void everyEntryOfTheLayoutExists() {
        Set<String> entries = layoutEntries();
        assertTrue(entries.size() > 30, entries::toString);
        Set<String> absent = new TreeSet<>();
        for (String entry : entries) {
            if (entry.startsWith("shared/(")) {
                continue;
            }
            Path p = entry.startsWith("shared/") && !entry.equals("shared/")
                    ? sharedPackages().resolve(entry.substring("shared/".length()))
                    : ROOT.resolve(entry);
            if (!Files.exists(p)) {
                absent.add(entry);
            }
        }
        assertEquals(Set.of(), absent, "the README's layout names what the tree does not have");
    }

    @Test
    void theReadmeIsAFrontPage() {
        long lines = Docs.readme().lines().count();
        assertTrue(lines <= README_MAX_LINES, "README.md has " + lines + " lines; move detail to docs/");
    }

    @Test
    void noTableCellIsAParagraph() {
        Set<String> paragraphs = new TreeSet<>();
        for (Map.Entry<String, String> page : Docs.pages().entrySet()) {
            for (String line : Docs.prose(page.getValue())) {
                if (line.startsWith("|")) {
                    for (String cell : Docs.cells(line)) {
                        if (cell.length() > CELL_MAX_CHARS) {
                            paragraphs.add(page.getKey() + ": " + cell);
                        }
                    }
                }
            }
        }
        assertEquals(
                Set.of(), paragraphs, "table cells over " + CELL_MAX_CHARS + " characters: a phrase, not a paragraph");
    }
}
