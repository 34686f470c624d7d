package dev.suite.local;

import dev.suite.emulators.Template;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** What a piece of template.yaml points at: every Ref, GetAtt and ${...} of a Sub, as "Id" or "Id.Attribute". */
final class TemplateRefs {
    private static final Pattern SUB = Pattern.compile("\\$\\{([^}!][^}]*)}");

    private TemplateRefs() {}

    static Set<String> of(Object node) {
        Set<String> out = new LinkedHashSet<>();
        collect(node, out);
        return out;
    }

    /** True when the node points at the resource, by Ref, GetAtt or Sub (any attribute). */
    static boolean mentions(Object node, String logicalId) {
        return of(node).stream().anyMatch(r -> r.equals(logicalId) || r.startsWith(logicalId + "."));
    }

    private static void collect(Object node, Set<String> out) {
        if (node instanceof Map<?, ?> m) {
            if (m.size() == 1 && m.containsKey("Ref")) {
                out.add(String.valueOf(m.get("Ref")));
                return;
            }
            if (m.size() == 1 && m.containsKey("Fn::GetAtt")) {
                Object v = m.get("Fn::GetAtt");
                out.add(v instanceof List<?> l ? l.get(0) + "." + l.get(1) : String.valueOf(v));
                return;
            }
            if (m.size() == 1 && m.containsKey("Fn::Sub")) {
                Object v = m.get("Fn::Sub");
                String text = v instanceof List<?> l ? String.valueOf(l.get(0)) : String.valueOf(v);
                Map<String, Object> vars = v instanceof List<?> l && l.size() > 1 ? Template.cast(l.get(1)) : Map.of();
                Matcher matcher = SUB.matcher(text);
                while (matcher.find()) {
                    if (!matcher.group(1).startsWith("AWS::") && !vars.containsKey(matcher.group(1))) {
                        out.add(matcher.group(1));
                    }
                }
                vars.values().forEach(x -> collect(x, out));
                return;
            }
            m.values().forEach(x -> collect(x, out));
        } else if (node instanceof List<?> l) {
            l.forEach(x -> collect(x, out));
        }
    }
}
