package dev.suite.emulators;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.AbstractConstruct;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

/**
 * template.yaml as plain maps and lists, with CloudFormation's short tags turned into their long form
 * ({@code !Ref X} becomes {@code {Ref: X}}, {@code !GetAtt A.B} becomes {@code {Fn::GetAtt: [A, B]}}).
 * The one source of the routes, tables, pool, functions and schedules that tests and local/ use.
 */
public final class Template {
    private final Map<String, Object> root;
    private final Path file;

    private Template(Path file, Map<String, Object> root) {
        this.file = file;
        this.root = root;
    }

    public static Template load(Path file) {
        try (Reader r = Files.newBufferedReader(file)) {
            Map<String, Object> root = new Yaml(new IntrinsicConstructor()).load(r);
            return new Template(file, root);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + file, e);
        }
    }

    /**
     * The repository's template: the {@code suite.root} system property, or the nearest parent holding template.yaml.
     */
    public static Template repo() {
        return load(Paths.root().resolve("template.yaml"));
    }

    public Path file() {
        return file;
    }

    public Map<String, Object> raw() {
        return root;
    }

    public Map<String, Map<String, Object>> resources() {
        return cast(root.getOrDefault("Resources", Map.of()));
    }

    public Map<String, Map<String, Object>> resourcesOfType(String type) {
        Map<String, Map<String, Object>> out = new LinkedHashMap<>();
        resources().forEach((id, r) -> {
            if (type.equals(r.get("Type"))) {
                out.put(id, r);
            }
        });
        return out;
    }

    public Map<String, Object> properties(String logicalId) {
        Map<String, Object> r = resources().get(logicalId);
        if (r == null) {
            throw new IllegalArgumentException("no resource " + logicalId);
        }
        return cast(r.getOrDefault("Properties", Map.of()));
    }

    public Map<String, Object> globalsFunction() {
        Map<String, Object> globals = cast(root.getOrDefault("Globals", Map.of()));
        return cast(globals.getOrDefault("Function", Map.of()));
    }

    public Map<String, Object> parameters() {
        return cast(root.getOrDefault("Parameters", Map.of()));
    }

    /** Every Api event of every function: method, path, function, whether the Cognito authorizer guards it. */
    public List<ApiRoute> apiRoutes() {
        List<ApiRoute> out = new ArrayList<>();
        resourcesOfType("AWS::Serverless::Function").forEach((fn, r) -> {
            Map<String, Object> props = cast(r.getOrDefault("Properties", Map.of()));
            Map<String, Map<String, Object>> events = cast(props.getOrDefault("Events", Map.of()));
            events.forEach((name, e) -> {
                if ("Api".equals(e.get("Type"))) {
                    Map<String, Object> p = cast(e.get("Properties"));
                    Map<String, Object> auth = cast(p.getOrDefault("Auth", Map.of()));
                    boolean open = "NONE".equals(auth.get("Authorizer"));
                    out.add(new ApiRoute(
                            String.valueOf(p.get("Method")).toUpperCase(),
                            String.valueOf(p.get("Path")),
                            fn,
                            !open,
                            name));
                }
            });
        });
        return out;
    }

    public record ApiRoute(String method, String path, String function, boolean authorized, String eventName) {
        public String key() {
            return method + " " + path;
        }
    }

    @SuppressWarnings("unchecked")
    public static <T> T cast(Object o) {
        return (T) o;
    }

    private static final class IntrinsicConstructor extends SafeConstructor {
        IntrinsicConstructor() {
            super(new LoaderOptions());
            for (String fn : List.of(
                    "Ref",
                    "Condition",
                    "GetAtt",
                    "Sub",
                    "Join",
                    "If",
                    "Equals",
                    "Not",
                    "And",
                    "Or",
                    "Select",
                    "Split",
                    "FindInMap",
                    "GetAZs",
                    "ImportValue",
                    "Base64",
                    "Cidr")) {
                String key = fn.equals("Ref") || fn.equals("Condition") ? fn : "Fn::" + fn;
                this.yamlConstructors.put(new Tag("!" + fn), new AbstractConstruct() {
                    @Override
                    public Object construct(Node node) {
                        Object value;
                        if (node instanceof ScalarNode s) {
                            String text = constructScalar(s);
                            value = fn.equals("GetAtt") ? List.of(text.split("\\.", 2)) : text;
                        } else if (node instanceof SequenceNode s) {
                            value = constructSequence(s);
                        } else {
                            value = constructMapping((MappingNode) node);
                        }
                        return Map.of(key, value);
                    }
                });
            }
        }
    }
}
