package dev.suite.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Every relative link of README.md and docs/*.md resolves: to a file or folder of the repository, and when it names
 * an anchor in a Markdown page, to a heading of that page (GitHub's slugs).
 */
class DocsLinksTest {
    /** [text](target) and ![alt](target); the target ends at whitespace or ')'. */
    static final Pattern LINK = Pattern.compile("!?\\[[^\\]]*\\]\\(([^)\\s]+)\\)");

    static final Pattern INLINE_CODE = Pattern.compile("`[^`]*`");
    static final Pattern HEADING = Pattern.compile("^#{1,6} (.+)$");

    /** GitHub's anchor for a heading: lower case, punctuation dropped (not '-' or '_'), each space a '-'. */
    static String slug(String heading) {
        String text = heading.strip().toLowerCase(Locale.ROOT);
        StringBuilder out = new StringBuilder();
        text.codePoints().forEach(c -> {
            if (Character.isLetterOrDigit(c) || c == '-' || c == '_') {
                out.appendCodePoint(c);
            } else if (c == ' ') {
                out.append('-');
            }
        });
        return out.toString();
    }

    /** The anchors of a page: each heading's slug, a repeated one with -1, -2, ... as GitHub numbers them. */
    static Set<String> anchors(String page) {
        Set<String> out = new LinkedHashSet<>();
        Map<String, Integer> seen = new HashMap<>();
        for (String line : Docs.prose(page)) {
            Matcher m = HEADING.matcher(line);
            if (m.matches()) {
                String s = slug(INLINE_CODE
                        .matcher(m.group(1))
                        .replaceAll(r -> r.group().replace("`", "")));
                int n = seen.merge(s, 1, Integer::sum);
                out.add(n == 1 ? s : s + "-" + (n - 1));
            }
        }
        return out;
    }

    /** The link targets of a page outside code (fenced blocks and inline code spans). */
    static List<String> links(String page) {
        List<String> out = new ArrayList<>();
        for (String line : Docs.prose(page)) {
            Matcher m = LINK.matcher(INLINE_CODE.matcher(line).replaceAll(""));
            while (m.find()) {
                out.add(m.group(1));
            }
        }
        return out;
    }

    @Test
    void slugsAreGitHubs() {
        assertEquals("the-app-clients-secret", slug("The app client's secret"));
        assertEquals("route---module", slug("Route -> module"));
        assertEquals("before-the-first-deploy-ssm-parameters", slug("Before the first deploy: SSM parameters"));
        assertEquals(Set.of("a", "a-1"), anchors("# A\n## A\n```\n# not a heading\n```\n"));
        assertEquals(List.of("x.md#y", "z.png"), links("see [x](x.md#y), `[not](a-link.md)` and ![z](z.png)"));
    }

    @Test
    void everyRelativeLinkOfTheReadmeAndDocsResolves() {
        Map<String, String> pages = Docs.pages();
        assertTrue(pages.size() >= 10, "README.md and the docs pages: " + pages.keySet());
        Set<String> broken = new TreeSet<>();
        int checked = 0;
        for (Map.Entry<String, String> page : pages.entrySet()) {
            Path dir = Docs.ROOT.resolve(page.getKey()).getParent();
            for (String target : links(page.getValue())) {
                if (target.matches("^[a-z][a-z0-9+.-]*:.*")) {
                    continue;
                }
                checked++;
                int hash = target.indexOf('#');
                String file = hash < 0 ? target : target.substring(0, hash);
                String anchor = hash < 0 ? null : target.substring(hash + 1);
                Path resolved = file.isEmpty()
                        ? Docs.ROOT.resolve(page.getKey())
                        : dir.resolve(file).normalize();
                if (!resolved.startsWith(Docs.ROOT) || !Files.exists(resolved)) {
                    broken.add(page.getKey() + ": " + target + " (no such file)");
                } else if (anchor != null
                        && resolved.toString().endsWith(".md")
                        && !anchors(Docs.read(Docs.ROOT.relativize(resolved).toString()))
                                .contains(anchor)) {
                    broken.add(page.getKey() + ": " + target + " (no such heading)");
                }
            }
        }
        assertTrue(checked > 50, "the scan finds the links: " + checked);
        assertEquals(Set.of(), broken, "links in README.md and docs/ that do not resolve");
    }
}
