package dev.suite.local;

import dev.suite.emulators.Paths;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/** The documentation the tests hold to the code: README.md (the front page) and the pages under docs/. */
final class Docs {
    static final Path ROOT = Paths.root();

    private Docs() {}

    static String read(String relative) {
        try {
            return Files.readString(ROOT.resolve(relative));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String readme() {
        return read("README.md");
    }

    /** The page that lists every configuration key. */
    static String configuration() {
        return read("docs/configuration.md");
    }

    /** The page that maps every route to its module and lists every error code. */
    static String routes() {
        return read("docs/routes.md");
    }

    /** README.md and every docs/*.md, by path relative to the root. */
    static Map<String, String> pages() {
        Map<String, String> out = new TreeMap<>();
        out.put("README.md", readme());
        try (Stream<Path> files = Files.list(ROOT.resolve("docs"))) {
            for (Path f :
                    files.filter(p -> p.toString().endsWith(".md")).sorted().toList()) {
                out.put("docs/" + f.getFileName(), Files.readString(f));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }

    /** README.md and every docs/*.md, one after the other. */
    static String all() {
        return String.join("\n", pages().values());
    }

    /** The lines of a page outside fenced code blocks (a fence line itself is left out too). */
    static List<String> prose(String page) {
        List<String> out = new ArrayList<>();
        boolean fenced = false;
        for (String line : page.split("\n", -1)) {
            if (line.startsWith("```")) {
                fenced = !fenced;
            } else if (!fenced) {
                out.add(line);
            }
        }
        return out;
    }

    /** The cells of a Markdown table row, split on unescaped '|', trimmed. */
    static List<String> cells(String row) {
        List<String> out = new ArrayList<>();
        StringBuilder cell = new StringBuilder();
        String body = row.strip();
        for (int i = 1; i < body.length(); i++) {
            char c = body.charAt(i);
            if (c == '|' && body.charAt(i - 1) != '\\') {
                out.add(cell.toString().strip());
                cell.setLength(0);
            } else {
                cell.append(c);
            }
        }
        return out;
    }
}
